"""Claims H, round 2 (claims-gh): each experiment's verdict follows its deciding numbers (altering
them flips it), and each plot labels its axes."""

import json

import pytest

from whiteboard.experiments import NOT_REPRODUCED, REPRODUCED, get


@pytest.fixture(scope="module", autouse=True)
def _agg():
    import matplotlib

    matplotlib.use("Agg")


def _quick(cid):
    exp = get(cid)
    trial = json.loads(json.dumps(exp.run(0, True)))
    figs = exp.plot_fn([trial])
    assert figs
    for fig in figs:
        for ax in fig.axes:
            assert ax.get_xlabel() and ax.get_ylabel()
    return exp, trial


def test_c125_is_decided_by_blowup_and_the_starting_range():
    exp, t = _quick("C125")
    assert exp.judge([t]).verdict == NOT_REPRODUCED          # SGD's best η is far above 0.01
    best_sgd = max(r["test_acc"] for r in t["SGD"])
    for r in t["SGD"]:
        if r["lr"] == 1e-2:
            r["test_acc"] = best_sgd
    assert exp.judge([t]).verdict == REPRODUCED
    t["Adam"][-1]["blowup_step"] = None                      # the largest η no longer blows up
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c127_flips_when_the_mlp_turns_u_shaped_or_nothing_freezes():
    exp, t = _quick("C127")
    assert exp.judge([t]).verdict == NOT_REPRODUCED          # the MLP interpolates: no decay wins
    mlp = t["MLP 64-64-10"]["final"]
    mlp[0] = 2 * mlp[2]
    assert exp.judge([t]).verdict == REPRODUCED
    reg = t["softmax regression + L2"]["final"]
    reg[-1] = min(reg)
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c128_is_decided_by_failed_runs_and_accuracy():
    exp, t = _quick("C128")
    for lr in t["lrs"]:
        t[str(lr)]["constant"]["early_max"] = 1e6
        t[str(lr)]["warm-up"].update(early_max=2.0, test_acc=0.95)
    assert exp.judge([t]).verdict == REPRODUCED
    for lr in t["lrs"]:
        t[str(lr)]["warm-up"]["early_max"] = 1e6
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c129_flips_when_cosine_falls_behind_step_decay():
    exp, t = _quick("C129")
    t["step"]["test_acc"] = 0.9
    for k in ("cosine", "warm restarts", "cyclic"):
        t[k]["test_acc"] = 0.95
    assert exp.judge([t]).verdict == REPRODUCED
    t["cosine"]["test_acc"] = 0.85
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c136_flips_when_minibatch_lbfgs_trains_smoothly():
    exp, t = _quick("C136")
    assert exp.judge([t]).verdict == REPRODUCED
    t["mini-batch 32"].update(status=0, rises=0.0)
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c140_flips_when_the_wide_net_spreads():
    exp, t = _quick("C140")
    assert exp.judge([t]).verdict == REPRODUCED
    t["256"] = [0.0, 1.0, 0.5, 0.2, 0.9]
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c133_flips_when_newton_scales_like_lbfgs():
    exp, t = _quick("C133")
    t["seconds"]["Newton"] = [1e-4, 1e-3, 2.7e-2]            # d 100 → 300: slope 3
    t["seconds"]["L-BFGS"] = [1e-5, 1e-6, 1e-6]
    assert exp.judge([t]).verdict == REPRODUCED
    t["seconds"]["Newton"] = [1e-4, 1e-3, 3e-3]               # slope 1
    assert exp.judge([t]).verdict == NOT_REPRODUCED
