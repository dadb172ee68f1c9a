"""Claims H (claims-gh): each experiment's verdict follows its deciding numbers (altering them
flips it), and each plot labels its axes."""

import json


from whiteboard.experiments import NOT_REPRODUCED, REFUTED, REPRODUCED, get


def _trial(cid):
    exp = get(cid)
    trial = exp.run(0, True)
    assert exp.judge([trial]).verdict == REPRODUCED
    return exp, json.loads(json.dumps(trial))


def _plot_ok(exp, trials):
    import matplotlib

    matplotlib.use("Agg")
    figs = exp.plot_fn(trials)
    assert figs
    for fig in figs:
        for ax in fig.axes:
            assert ax.get_xlabel() and ax.get_ylabel()


def test_c110_flips_when_full_batch_is_noisy_or_sgd_slow():
    exp, t = _trial("C110")
    _plot_ok(exp, [t])
    t["runs"]["full"]["frac_up"] = 0.3
    assert exp.judge([t]).verdict == REFUTED
    exp, t = _trial("C110")
    t["runs"]["1"]["loss_at_epochs"] = 1.0
    assert exp.judge([t]).verdict == REFUTED


def test_c112_is_decided_by_the_accuracies_and_noise():
    exp = get("C112")
    t = json.loads(json.dumps(exp.run(0, True)))
    _plot_ok(exp, [t])
    rows = t["rows"]
    full = list(rows)[-1]
    rows["8"]["test_acc"] = rows["1"]["test_acc"]
    rows[full]["test_acc"] = rows["1"]["test_acc"] - 0.1
    assert exp.judge([t]).verdict == REPRODUCED
    rows[full]["test_acc"] = 1.0
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c117_flips_when_sgd_reaches_the_rare_coefficients():
    exp, t = _trial("C117")
    _plot_ok(exp, [t])
    t["SGD"]["rare_to_optimum"] = t["Adagrad"]["rare_to_optimum"] / 2
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c119_is_decided_by_the_stable_learning_rates():
    exp = get("C119")
    t = json.loads(json.dumps(exp.run(0, True)))
    _plot_ok(exp, [t])
    t["mlp"]["RMSprop"]["max_stable_lr"] = 2 * t["mlp"]["SGD"]["max_stable_lr"]
    assert exp.judge([t]).verdict == REPRODUCED
    t["quadratic"]["RMSprop"]["sign_flips"] = 500
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c122_is_decided_by_the_ranking():
    exp = get("C122")
    t = json.loads(json.dumps(exp.run(0, True)))
    _plot_ok(exp, [t])
    for prob in ("digits", "sparse"):
        t[prob]["Adam"]["train_loss"] = 1e-9
        t[prob]["Adam"]["test_acc"] = 1.0
    assert exp.judge([t]).verdict == REPRODUCED
    t["sparse"]["RMSprop"]["train_loss"] = 1e-12
    assert exp.judge([t]).verdict == NOT_REPRODUCED
