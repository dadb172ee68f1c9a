"""Claims E–H: each experiment's verdict follows its deciding numbers (altering them flips it)."""

import json

import pytest

from whiteboard.experiments import REFUTED, REPRODUCED, get


def _trial(cid):
    exp = get(cid)
    trial = exp.run(0, True)
    assert exp.judge([trial]).verdict == REPRODUCED
    return exp, json.loads(json.dumps(trial))


def test_c72_flips_when_the_maximum_is_not_a_quarter():
    exp, t = _trial("C72")
    t["max"] = 0.5
    assert exp.judge([t]).verdict == REFUTED


def test_c73_flips_when_an_identity_fails():
    exp, t = _trial("C73")
    t["sigmoid_err"] = 1e-3
    assert exp.judge([t]).verdict == REFUTED


def test_c102_flips_when_autograd_differs_from_a_minus_y():
    exp, t = _trial("C102")
    t["rows"][2]["autograd_vs_a_minus_y"] = 1e-4
    assert exp.judge([t]).verdict == REFUTED


def test_c109_flips_when_the_large_step_does_not_diverge():
    exp, t = _trial("C109")
    t["runs"][3]["final_dist"] = t["runs"][3]["initial_dist"] * 0.1
    assert exp.judge([t]).verdict == REFUTED
    exp2, t2 = _trial("C109")
    t2["runs"][0]["loss_increases"] = 3
    assert exp2.judge([t2]).verdict == REFUTED


def test_c138_flips_when_gd_stalls():
    exp, t = _trial("C138")
    t["gd_final"] = t["gd_initial"] * 1e-3
    assert exp.judge([t]).verdict == REFUTED


PLOTTED = ["C72", "C73", "C102", "C109", "C138", "C131", "C137", "C141", "C89", "C126", "C135",
           "C74", "C75", "C76", "C93", "C94", "C95", "C96",
           "C101", "C105", "C132", "C134", "C114", "C115",
           "C123", "C124", "C92", "C83", "C88", "C130", "C121", "C120", "C111", "C104", "C86",
           "C100", "C78", "C79", "C139", "C84", "C116", "C118",
           "C87", "C91"]


@pytest.mark.parametrize("cid", PLOTTED)
def test_plot_draws_labelled_axes(cid):
    import matplotlib

    matplotlib.use("Agg")
    exp = get(cid)
    figs = exp.plot_fn([exp.run(0, True)])
    for fig in figs:
        for ax in fig.axes:
            assert ax.get_xlabel() and ax.get_ylabel()


def test_c131_flips_when_newton_needs_more_than_one_step():
    exp, t = _trial("C131")
    t["rows"][2]["newton_iters"] = 4
    assert exp.judge([t]).verdict == REFUTED


def test_c137_is_decided_by_the_iteration_counts():
    from whiteboard.experiments import NOT_REPRODUCED

    exp = get("C137")
    t = json.loads(json.dumps(exp.run(0, True)))
    n = t["n"]
    assert t["runs"]["linear"]["cg_iters"] <= n          # finite termination on a spread spectrum
    assert t["runs"]["geometric"]["cg_reorth_iters"] <= n + 2   # the exact-arithmetic control
    assert exp.judge([t]).verdict == REPRODUCED
    t["runs"]["geometric"]["cg_reorth_iters"] = 2 * n           # control delayed too: no theorem
    assert exp.judge([t]).verdict == NOT_REPRODUCED
    t["runs"]["linear"]["cg_iters"] = t["runs"]["geometric"]["cg_iters"] = 3 * n
    assert exp.judge([t]).verdict == REFUTED
    t = json.loads(json.dumps(exp.run(0, True)))
    for r in t["runs"].values():
        r["gd_final"] = 1e-9                                     # GD as fast: no CG advantage
    assert exp.judge([t]).verdict == REFUTED


def test_c141_flips_when_the_equations_disagree_with_finite_differences():
    exp, t = _trial("C141")
    t["bp_vs_fd"] = 1e-3
    assert exp.judge([t]).verdict == REFUTED


def test_c89_flips_when_the_linear_net_matches_relu():
    exp, t = _trial("C89")
    t["acc_linear"] = t["acc_relu"]
    assert exp.judge([t]).verdict == REFUTED
    t["acc_linear"], t["collapse_err"] = 0.5, 1e-3
    assert exp.judge([t]).verdict == REFUTED


def test_c126_flips_when_a_schedule_departs_from_torch():
    exp, t = _trial("C126")
    t["rows"][3]["vs_torch"] = 1e-3
    assert exp.judge([t]).verdict == REFUTED


def test_c135_flips_when_the_end_ratio_stays_linear():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C135")
    t["rows"][1]["BFGS"]["final_ratio"] = 0.5
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c74_flips_when_an_activation_departs_from_torch():
    exp, t = _trial("C74")
    t["rows"][8]["grad_err"] = 1e-3
    assert exp.judge([t]).verdict == REFUTED
    exp, t = _trial("C74")
    t["E66_note_mish_vs_mish"] = 0.0          # the note's Mish would be right after all
    assert exp.judge([t]).verdict == REFUTED


def test_c75_flips_when_the_sigmoid_gradient_does_not_vanish():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C75")
    t["sigmoid"]["ratio"] = 0.5
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c76_flips_when_large_weights_train_fine():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C76")
    t["train"]["2.0"]["diverged"] = False
    assert exp.judge([t]).verdict == NOT_REPRODUCED
    exp, t = _trial("C76")
    t["slope"]["2.0"] = 0.0
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c93_c94_flip_when_the_variance_behaves_otherwise():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C93")
    t["0.01"]["std"][-1] = 0.2
    assert exp.judge([t]).verdict == NOT_REPRODUCED
    exp, t = _trial("C94")
    t["Xavier+ReLU"]["var_ratio"] = 1.0
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c95_c96_errata_demos_follow_the_numbers():
    exp = get("C95")
    t = exp.run(0, True)
    assert exp.judge([t]).verdict == REFUTED
    t["note"][-1] = t["he"][-1]
    assert exp.judge([t]).verdict == REPRODUCED
    exp = get("C96")
    t = exp.run(0, True)
    assert exp.judge([t]).verdict == REFUTED
    for r in t["ratios"]:
        r["var_note"] = r["var_xavier"]
    assert exp.judge([t]).verdict == REPRODUCED


def test_c101_flips_when_the_mse_gradient_does_not_vanish():
    exp, t = _trial("C101")
    t["at"]["mse"][2] = 0.2
    assert exp.judge([t]).verdict == REFUTED


def test_c105_flips_when_a_surrogate_dips_below_zero_one():
    exp, t = _trial("C105")
    t["rows"][1]["min_minus_01"] = -0.5
    assert exp.judge([t]).verdict == REFUTED


def test_c132_c134_follow_the_numbers():
    exp = get("C132")
    t = exp.run(0, True)
    assert exp.judge([t]).verdict == REFUTED
    for key in ("x4", "logistic"):
        t[key]["inv_hess"][-1] = 0.1 * t[key]["inv_hess"][0]
    assert exp.judge([t]).verdict == REPRODUCED
    exp, t = _trial("C134")
    t["pure_newton_dist"][0] = 1.0
    assert exp.judge([t]).verdict == REFUTED


def test_c114_c115_flip_with_the_numbers():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C114")
    t["momentum"]["iters"] = t["GD"]["iters"]
    assert exp.judge([t]).verdict == NOT_REPRODUCED
    exp, t = _trial("C115")
    t["Nesterov"]["x_overshoot"] = 2 * t["momentum"]["x_overshoot"]
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c123_c124_flip_with_the_numbers():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C123")
    t["Adam"] = t["GD"] + 10
    assert exp.judge([t]).verdict == NOT_REPRODUCED
    exp, t = _trial("C124")
    t["GD"]["global_fraction"] = 0.2
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c92_flips_when_units_differ():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C92")
    t["zero"]["unit_spread"] = 0.3
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c83_flips_when_the_slopes_are_not_uniform():
    exp, t = _trial("C83")
    t["ks_p"] = 1e-9
    assert exp.judge([t]).verdict == REFUTED


def test_c88_flips_when_maxout_units_die():
    exp, t = _trial("C88")
    t["dead_fraction"] = 0.1
    assert exp.judge([t]).verdict == REFUTED


def test_c130_flips_when_gd_is_as_fast_as_newton():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C130")
    t["rows"][0]["gd_iters"] = t["rows"][0]["newton_iters"] + 1
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c121_flips_when_adam_departs_from_torch():
    exp, t = _trial("C121")
    t["vs_torch"][-1] = 1e-4
    assert exp.judge([t]).verdict == REFUTED


def test_c120_flips_when_adadelta_depends_on_the_scale():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C120")
    t["ada_dev"]["1000.0"] = 0.5
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c111_flips_when_the_decayed_step_does_not_beat_the_plateau():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C111")
    t["final"]["0.02/(1 + 0.01t)"] = 1.0
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c104_flips_when_smooth_l1_is_not_robust():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C104")
    t["smooth L1 (β = 1)"]["w_err"] = t["L2"]["w_err"]
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c86_flips_when_centring_does_not_help():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C86")
    t["logreg"]["centred features"]["iters"] = t["logreg"]["[0, 1] features"]["iters"] + 1
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c100_flips_when_mse_learns_as_fast():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C100")
    t["at"]["MSE"] = t["at"]["CE"]
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c78_flips_when_relu_is_dense():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C78")
    t["ReLU"]["zero_fraction"] = 0.01
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c79_is_decided_by_the_dead_fraction_of_finite_nets():
    exp, t = _trial("C79")                        # the real quick run reproduces (no NaN)
    assert all(r["finite"] for r in t["rows"])
    low = json.loads(json.dumps(t))
    for r in low["rows"]:
        if r["lr"] >= 0.5:
            r["dead"] = 0.05                          # large lr kills no more than small lr
    assert exp.judge([low]).verdict != REPRODUCED
    for r in t["rows"]:
        if r["lr"] >= 1.0:
            r.update(finite=True, dead=0.7)
    t["continue_lr_0.01"] = {"dead_before": 0.7, "dead_after": 0.68}
    assert exp.judge([t]).verdict == REPRODUCED
    t["continue_lr_0.01"]["dead_after"] = 0.1          # units revived: not irreversible
    assert exp.judge([t]).verdict != REPRODUCED


def test_c139_flips_when_clipped_runs_diverge():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C139")
    t["clip"]["diverged"] = True
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c84_flips_when_elu_is_not_more_centred():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C84")
    t["ELU"]["layer_means"] = [1.0, 1.0, 1.0]
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c116_c118_flip_with_the_numbers():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C116")
    t["runs"]["Adagrad"]["loss"][-1] = 0.0
    assert exp.judge([t]).verdict == NOT_REPRODUCED
    exp, t = _trial("C118")
    e = t["runs"]["RMSprop"]["effective_lr"]
    t["runs"]["RMSprop"]["effective_lr"] = sorted(e, reverse=True)
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c87_flips_when_sigmoid_is_as_fast():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C87")
    t["sigmoid"]["epochs"] = t["tanh"]["epochs"]
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c91_flips_when_softmax_wins():
    from whiteboard.experiments import NOT_REPRODUCED

    exp, t = _trial("C91")
    t["softmax + CE"] = {"hamming": 0.0, "subset_acc": 1.0}
    assert exp.judge([t]).verdict == NOT_REPRODUCED
