"""Claims A–D: each experiment's verdict follows its deciding numbers (altering them flips it)."""

import json

import pytest

from whiteboard.experiments import NOT_REPRODUCED, REFUTED, REPRODUCED, get

_CACHE = {}


def _trial(cid, expect=REPRODUCED):
    if cid not in _CACHE:
        exp = get(cid)
        trial = exp.run(0, True)
        assert exp.judge([trial]).verdict == expect, exp.judge([trial])
        _CACHE[cid] = json.dumps(trial)
    return get(cid), json.loads(_CACHE[cid])


def exp_verdict(cid):
    """The quick-mode verdict of ``cid`` (for claims whose quick run need not reproduce)."""
    if cid not in _CACHE:
        _CACHE[cid] = json.dumps(get(cid).run(0, True))
    return get(cid).judge([json.loads(_CACHE[cid])]).verdict


def _flips(cid, mutate, to=REFUTED):
    exp, t = _trial(cid)
    mutate(t)
    assert exp.judge([t]).verdict == to


def test_c1_flips_when_ridge_has_zeros():
    _flips("C1", lambda t: t["rows"][3].update(zeros_l2=2))


def test_c2_flips_when_the_l1_zero_set_is_not_the_band():
    _flips("C2", lambda t: t.update(l1_region_mismatch=4))


def test_c4_flips_when_the_lasso_is_not_the_laplace_map():
    _flips("C4", lambda t: t.update(laplace_kkt_rel=1e-2))


def test_c5_flips_when_the_gaussian_has_more_mass():
    _flips("C5", lambda t: t["density0"].update(gauss=0.8))


def test_c7_flips_when_ridge_does_not_stabilise():
    _flips("C7", lambda t: t.update(sd_ridge=t["sd_ols"]), to=NOT_REPRODUCED)


def test_c11_flips_when_decay_differs_from_the_penalty():
    _flips("C11", lambda t: t.update(decay_vs_hand=1e-6))


def test_c19_flips_when_sharing_cuts_macs():
    _flips("C19", lambda t: t["macs"].update(conv=72))


def test_c20_flips_when_stride_one_is_not_equivariant():
    _flips("C20", lambda t: t.update(stride1=0.1))


def test_c26_flips_without_a_saving():
    _flips("C26", lambda t: t["reduced"]["b5"].__setitem__(0, 200_000))


def test_c27_flips_when_not_the_adjoint():
    _flips("C27", lambda t: t["rows"][0].update(adjoint_rel=1e-3))


def test_c28_flips_when_dilation_costs_parameters():
    _flips("C28", lambda t: t["dilated"].update(params=999))


def test_c29_flips_when_max_pool_spreads_the_gradient():
    def mutate(t):
        t["rows"][0]["nonzero_per_window"] = [1, 2]
    _flips("C29", mutate)


def test_c32_flips_when_the_length_varies():
    _flips("C32", lambda t: t["rows"][1].update(length=100))


def test_c35_flips_when_a_size_mismatches():
    _flips("C35", lambda t: t["cases"][0].__setitem__(7, t["cases"][0][7] + 1))


def test_c36_flips_when_a_count_mismatches():
    _flips("C36", lambda t: t["nets"]["resnet18"].update(counted=11_689_000))


def test_c38_to_c41_flip_on_a_wrong_receptive_field():
    _flips("C38", lambda t: t["measured"].__setitem__(2, 50))
    _flips("C39", lambda t: t["rf"].update(relu=101))
    _flips("C40", lambda t: t["rf"].update(block=7))
    _flips("C41", lambda t: t.update(w3=300_000))


def test_c42_flips_when_add_differs_from_concat():
    _flips("C42", lambda t: t.update(max_abs_diff=1e-3))


def test_c45_to_c48_flip_on_wrong_statistics():
    _flips("C45", lambda t: t.update(stat_shape=[16, 8]))
    _flips("C46", lambda t: t["BN"].update(groups=1))
    _flips("C47", lambda t: t.update(gn1_vs_ln=0.1))
    _flips("C48", lambda t: t.update(max_abs_diff=0.1))


def test_c49_flips_when_the_staged_backward_is_off():
    _flips("C49", lambda t: t["rows"][0].update(staged_vs_torch=1e-4))


def test_c50_flips_when_eval_depends_on_the_batch():
    _flips("C50", lambda t: t.update(eval_diff=0.5))


def test_c56_c57_flip():
    _flips("C56", lambda t: t.update(GN=0.3))
    _flips("C57", lambda t: t["rows"][1].update(grad_err=0.5))


def test_c62_flips_when_the_mean_moves():
    _flips("C62", lambda t: t["rows"][0].update(z_mean=12.0))


def test_c65_flips_on_disagreement_and_on_the_exact_case():
    _flips("C65", lambda t: t.update(agreement=0.9), to=NOT_REPRODUCED)
    _flips("C65", lambda t: t.update(single_layer_err=1e-3))


def test_c63_c64_c67_c69_flip_when_the_effect_reverses():
    def c63(t):
        t["p0.5"]["gap"], t["p0.0"]["gap"] = t["p0.0"]["gap"] + 0.1, t["p0.0"]["gap"]
    _flips("C63", c63, to=NOT_REPRODUCED)
    _flips("C64", lambda t: t["p0.5"].update(test=1.0), to=NOT_REPRODUCED)
    _flips("C67", lambda t: t.update(**{"p0.5": [1.0] + [0.0] * 4}), to=NOT_REPRODUCED)
    _flips("C69", lambda t: t["p0.5"].update(clean=t["p0.5"]["train"]), to=NOT_REPRODUCED)


@pytest.mark.parametrize("cid", ["C1", "C19", "C29", "C38", "C46", "C62", "C69"])
def test_figures_are_drawn_with_labelled_axes(cid):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    exp, t = _trial(cid)
    figs = exp.plot_fn([t])
    assert figs
    for fig in figs:
        for ax in fig.axes:
            if ax.get_label() == "<colorbar>":
                continue
            assert ax.get_xlabel() or ax.get_xticklabels(), cid
            assert ax.get_ylabel(), cid
        plt.close(fig)


def test_c8_c9_flip_without_the_trade_off():
    _flips("C8", lambda t: t.update(variance=sorted(t["variance"])), to=NOT_REPRODUCED)
    _flips("C9", lambda t: t.update(ridge15=[1e6] * len(t["ridge15"])), to=NOT_REPRODUCED)


def test_c16_flips_when_the_full_tree_does_not_fit_training_data():
    _flips("C16", lambda t: t["rows"][-1].update(train=0.9), to=NOT_REPRODUCED)


def test_c17_c18_flip():
    _flips("C17", lambda t: t.update(poly=0.6), to=NOT_REPRODUCED)
    _flips("C18", lambda t: t.update(bag_var=t["tree_var"]), to=NOT_REPRODUCED)


def test_c13_c14_flip_without_the_late_decline():
    def flat(t):
        t["test_final"] = t["test_at_best"]
    _flips("C13", flat, to=NOT_REPRODUCED)
    _flips("C14", lambda t: t.update(flipped_fit=[0.1] * len(t["flipped_fit"])),
           to=NOT_REPRODUCED)


def test_c25_flips_when_the_linear_map_solves_xor():
    _flips("C25", lambda t: t.update(linear=1.0), to=NOT_REPRODUCED)


def test_c51_to_c53_are_decided_by_the_numbers():
    import copy

    for cid in ("C51", "C52", "C53"):
        exp = get(cid)
        t = exp.run(0, True)
        good = copy.deepcopy(t)
        if cid == "C51":
            for lr in ("0.01", "0.1", "1.0"):
                good["runs"][f"bn_{lr}"]["curve"] = [0.96] * good["epochs"]
                good["runs"][f"bn_{lr}"]["final"] = 0.96
            good["runs"]["plain_1.0"]["final"] = 0.0
            good["runs"]["plain_0.1"]["curve"] = [0.5] * good["epochs"]
            bad = copy.deepcopy(good)
            bad["runs"]["plain_1.0"]["final"] = 0.97
        elif cid == "C52":
            good["plain"]["test"], good["bn"]["test"] = 0.1, 0.95
            bad = copy.deepcopy(good)
            bad["plain"]["test"] = 0.95
        else:
            good["plain"] = [0.0, 0.5, 0.93, 0.6, 0.0]
            good["bn"] = [0.9, 0.92, 0.93, 0.92, 0.9]
            bad = copy.deepcopy(good)
            bad["bn"] = good["plain"]
        assert exp.judge([good]).verdict == REPRODUCED, cid
        assert exp.judge([bad]).verdict == NOT_REPRODUCED, cid


def test_c37_flips_when_hooks_disagree_with_the_formula():
    _flips("C37", lambda t: t["nets"]["resnet18"].update(formula_macs=1))


def test_c70_c71_flip():
    _flips("C70", lambda t: t.update(corr_fisher=0.5), to=NOT_REPRODUCED)
    _flips("C71", lambda t: t.update(**{"in0.2": 0.5}), to=NOT_REPRODUCED)


def test_c55_flips_when_bn_does_not_degrade():
    def mutate(t):
        t["runs"]["bn_2"]["test"] = t["runs"]["bn_32"]["test"]
    _flips("C55", mutate, to=NOT_REPRODUCED)


def test_c3_c10_c15_flip():
    _flips("C3", lambda t: t.update(share_axis_l2=0.5), to=NOT_REPRODUCED)
    _flips("C10", lambda t: t.update(shift_train_stats=t["clean"]), to=NOT_REPRODUCED)
    _flips("C15", lambda t: t.update(test_100_l2=1.0), to=NOT_REPRODUCED)


def test_l1_projection_matches_a_numerical_solver():
    import numpy as np
    from scipy.optimize import minimize

    from whiteboard.experiments.claims.c003_l1_ball_corners import project_l1

    rng = np.random.default_rng(0)
    v = rng.normal(size=(20, 3)) * 2
    p = project_l1(v)
    for vi, pi in zip(v, p):
        # smooth split form: w = u - s with u, s >= 0 and sum(u + s) <= 1
        cons = {"type": "ineq", "fun": lambda z: 1 - z.sum()}
        ref = minimize(lambda z, vi=vi: ((z[:3] - z[3:] - vi) ** 2).sum(), np.full(6, 0.1),
                       constraints=cons, bounds=[(0, None)] * 6, method="SLSQP",
                       options={"ftol": 1e-14, "maxiter": 500})
        assert np.abs(pi - (ref.x[:3] - ref.x[3:])).max() < 1e-5
        assert np.abs(pi).sum() <= 1 + 1e-12


def test_c12_flips_when_weight_noise_acts_like_ridge():
    _flips("C12", lambda t: t.update(wt_vs_ols=0.5), to=NOT_REPRODUCED)


def test_c21_c34_flip():
    _flips("C21", lambda t: t.update(cnn_perm=t["cnn_orig"]), to=NOT_REPRODUCED)
    _flips("C34", lambda t: t["pool"].update(pool_params=4))


def test_c43_is_decided_by_the_accuracy_difference():
    exp = get("C43")
    t = json.loads(json.dumps(exp.run(0, True)))
    t["gap"]["test"] = t["fc"]["test"]
    assert exp.judge([t]).verdict == REPRODUCED
    t["gap"]["test"] = t["fc"]["test"] - 0.2
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c6_flips_when_the_lasso_path_misses_the_subset():
    _flips("C6", lambda t: t.update(path_has_subset=False), to=NOT_REPRODUCED)


def test_c33_flips_when_average_pooling_keeps_more_texture():
    _flips("C33", lambda t: t["rows"][0].update(texture_avg=9.0), to=NOT_REPRODUCED)


def test_c54_flips_when_bn_does_not_narrow_the_gap():
    _flips("C54", lambda t: t["bn"].update(gap=t["none"]["gap"] + 0.01), to=NOT_REPRODUCED)


def test_c58_is_decided_by_the_paired_accuracies():
    exp, t = _trial("C58", expect=NOT_REPRODUCED)
    for m in ("cnn", "mlp"):
        t[f"{m}_after"]["test"], t[f"{m}_before"]["test"] = 0.99, 0.9
    assert exp.judge([t]).verdict == REPRODUCED
    trials = [json.loads(json.dumps(t)) for _ in range(5)]
    for i, tr in enumerate(trials):
        tr["cnn_after"]["test"], tr["cnn_before"]["test"] = 0.90 + 0.001 * i, 0.95
    assert exp.judge(trials).verdict == REFUTED


def test_c66_is_decided_by_the_rule_cell():
    exp, t = _trial("C66", expect=exp_verdict("C66"))
    t["test"][t["p_hidden"].index(0.5)][t["p_input"].index(0.2)] = 1.0
    assert exp.judge([t]).verdict == REPRODUCED
    t["test"][t["p_hidden"].index(0.5)][t["p_input"].index(0.2)] = 0.5
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c68_is_decided_by_where_the_best_cell_lies():
    exp, t = _trial("C68", expect=exp_verdict("C68"))
    t["test"][-1][0] = 1.0  # best at the highest wide-layer drop, narrow layer not dropped
    assert exp.judge([t]).verdict == REPRODUCED
    t["test"][-1][0], t["test"][0][-1] = 0.1, 1.0
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c61_is_decided_by_the_paired_accuracies_and_the_oracle():
    exp, t = _trial("C61", expect=exp_verdict("C61"))
    t["lrn"]["test"], t["plain"]["test"] = 0.99, 0.9
    assert exp.judge([t]).verdict == REPRODUCED
    t["oracle"]["vs_torch"] = 1e-3
    assert exp.judge([t]).verdict == REFUTED


def test_c23_flips_when_the_mlp_wins_at_thirty_samples():
    _flips("C23", lambda t: t["n30"].update(MLP=0.99))


def test_c22_is_decided_by_the_paired_test_accuracy():
    exp, t = _trial("C22", expect=exp_verdict("C22"))
    t["n300"]["cnn"]["test"], t["n300"]["mlp"]["test"] = 0.96, 0.93
    assert exp.judge([t]).verdict == REPRODUCED
    trials = [json.loads(json.dumps(t)) for _ in range(5)]
    for i, tr in enumerate(trials):
        tr["n300"]["cnn"]["test"], tr["n300"]["mlp"]["test"] = 0.90 + 0.001 * i, 0.94
    assert exp.judge(trials).verdict == REFUTED


def test_c30_is_decided_by_the_feature_similarities():
    exp, t = _trial("C30", expect=REFUTED)
    for r in ("none", "local", "global"):
        t[r] = {k: 0.97 for k in t[r]}
    assert exp.judge([t]).verdict == REPRODUCED
    t["global"]["shift 2"] = 0.5
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c31_is_decided_by_the_paired_test_error():
    exp, t = _trial("C31", expect=exp_verdict("C31"))
    t["z3s2"]["error"], t["z2s2"]["error"] = 0.03, 0.05
    assert exp.judge([t]).verdict == REPRODUCED
    trials = [json.loads(json.dumps(t)) for _ in range(5)]
    for i, tr in enumerate(trials):
        tr["z3s2"]["error"], tr["z2s2"]["error"] = 0.08 + 0.001 * i, 0.04
    assert exp.judge(trials).verdict == REFUTED


def test_c44_is_decided_by_the_paired_accuracy_and_the_scale_bins():
    exp, t = _trial("C44", expect=exp_verdict("C44"))
    t["inception"]["test"], t["single"]["test"] = 0.95, 0.90
    t["inception"]["per_bin"], t["single"]["per_bin"] = [0.95] * 3, [0.90] * 3
    assert exp.judge([t]).verdict == REPRODUCED
    t["inception"]["per_bin"][2] = 0.85
    assert exp.judge([t]).verdict == NOT_REPRODUCED
    trials = [json.loads(json.dumps(t)) for _ in range(5)]
    for i, tr in enumerate(trials):
        tr["inception"]["test"] = 0.80 + 0.001 * i
    assert exp.judge(trials).verdict == REFUTED


def test_c60_is_decided_by_ics_and_the_noisy_bn_run():
    exp, t = _trial("C60", expect=exp_verdict("C60"))
    t["plain"]["ics_mean"], t["bn"]["ics_mean"] = 0.4, 0.2
    t["plain"]["moment_drift"], t["noisy_bn"]["moment_drift"] = 0.5, 0.9
    t["plain_lr1"] = {"diverged": True, "final_loss": None}
    t["bn_lr1"] = {"diverged": False, "final_loss": 0.05}
    t["noisy_bn_lr1"] = {"diverged": False, "final_loss": 0.3}
    assert exp.judge([t]).verdict == REPRODUCED
    t["noisy_bn_lr1"]["final_loss"] = 0.05
    assert exp.judge([t]).verdict == REFUTED
    t["bn_lr1"] = {"diverged": True, "final_loss": None}
    assert exp.judge([t]).verdict == NOT_REPRODUCED
