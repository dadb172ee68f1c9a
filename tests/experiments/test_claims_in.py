"""Claims I–N: each experiment's verdict follows its deciding numbers (altering them flips it)."""

import json

from whiteboard.experiments import NOT_REPRODUCED, REFUTED, REPRODUCED, get


def _trial(cid, expect=REPRODUCED):
    exp = get(cid)
    trial = exp.run(0, True)
    assert exp.judge([trial]).verdict == expect
    return exp, json.loads(json.dumps(trial))


def test_c143_flips_when_a_zero_block_is_not_the_identity():
    exp, t = _trial("C143")
    t["rows"][0]["block_max_abs_diff"] = 1e-3
    assert exp.judge([t]).verdict == REFUTED


def test_c144_flips_when_the_residual_gradient_vanishes():
    exp, t = _trial("C144")
    t["ratio_residual"] = 1e-6
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c149_flips_when_grouped_conv_differs():
    exp, t = _trial("C149")
    t["rows"][0]["max_abs_diff"] = 1e-3
    assert exp.judge([t]).verdict == REFUTED


def test_c150_flips_when_receptive_fields_differ():
    exp, t = _trial("C150")
    t["rows"][1]["rf_factorised"] = [5, 3]
    assert exp.judge([t]).verdict == REFUTED


def test_c157_flips_when_a_prediction_disagrees():
    exp, t = _trial("C157")
    t["disagree_linear"] = 1
    assert exp.judge([t]).verdict == REFUTED


def test_c158_flips_when_a_solver_misses_the_optimum():
    exp, t = _trial("C158")
    t["rows"][2]["max_abs_dcoef"] = 1e-2
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c175_flips_when_irls_differs_from_newton():
    exp, t = _trial("C175")
    t["irls_vs_newton"] = 1e-5
    assert exp.judge([t]).verdict == REFUTED


def test_c159_flips_when_the_svm_moves():
    exp, t = _trial("C159")
    t["svm_delta_far"] = 0.1
    assert exp.judge([t]).verdict == REFUTED


def test_c161_flips_when_a_kernel_fails():
    exp, t = _trial("C161")
    t["circles"]["rbf"] = 0.6
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c163_flips_when_all_gram_matrices_are_psd():
    exp, t = _trial("C163")
    for r in t["rows"]:
        r["min_eig"] = 0.01
    assert exp.judge([t]).verdict == REFUTED


def test_c168_flips_when_the_count_is_wrong():
    exp, t = _trial("C168")
    t["n_ovo"] = 10
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c169_flips_when_wcss_increases():
    exp, t = _trial("C169")
    t["digits"]["runs_with_increase"] = 1
    assert exp.judge([t]).verdict == REFUTED


def test_c170_flips_when_kmeanspp_is_no_better():
    exp, t = _trial("C170")
    t["blobs"]["paired_p"] = 0.8
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c178_flips_when_boosting_does_not_help():
    exp, t = _trial("C178")
    t["test_error"][-1] = 0.4
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c181_flips_when_alpha_is_not_the_line_search():
    exp, t = _trial("C181")
    t["alpha_line_search"] = 0.3
    assert exp.judge([t]).verdict == REFUTED


def test_c182_flips_when_alpha_is_not_the_exp_loss_minimiser():
    exp, t = _trial("C182")
    t["line_search_gaps"][3] = 0.1
    assert exp.judge([t]).verdict == REFUTED


def test_c184_flips_when_a_matrix_differs():
    exp, t = _trial("C184")
    t["cm_mismatch"] = 1
    assert exp.judge([t]).verdict == REFUTED


def test_c185_flips_when_auc_is_not_the_pairwise_probability():
    exp, t = _trial("C185")
    t["max_gap"] = 0.01
    assert exp.judge([t]).verdict == REFUTED


def test_c186_flips_when_f1_is_not_zero():
    exp, t = _trial("C186")
    t["f1"] = 0.5
    assert exp.judge([t]).verdict == REFUTED


def test_c173_flips_when_a_leaf_is_not_its_mean():
    exp, t = _trial("C173")
    t["rows"][1]["leaf_mean_gap"] = 0.5
    assert exp.judge([t]).verdict == REFUTED


def test_c173_flips_when_tie_free_predictions_differ():
    exp, t = _trial("C173")
    t["tie_free_test_gap"] = 0.2
    assert exp.judge([t]).verdict == REFUTED


def test_c188_flips_when_stratified_splits_lose_the_minority():
    exp, t = _trial("C188")
    t["stratified"]["share_below_2"] = 0.3
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c190_is_decided_by_geometry_and_majority_share():
    exp, t = _trial("C190", expect=NOT_REPRODUCED)
    t["majority_share_smote"], t["majority_share_borderline"] = 0.4, 0.1
    assert exp.judge([t]).verdict == REPRODUCED
    t["max_residual"] = 1e-3
    assert exp.judge([t]).verdict == REFUTED


def test_c192_flips_when_weighting_and_threshold_disagree():
    exp, t = _trial("C192")
    t["rows"][2]["agreement"] = 0.8
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c203_flips_when_the_hidden_map_is_no_better():
    exp, t = _trial("C203")
    t["sil_hidden"] = t["sil_raw"] - 0.1
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c204_flips_when_occlusion_ignores_the_strokes():
    exp, t = _trial("C204")
    t["correlations"] = [-0.1 for _ in t["correlations"]]
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c205_flips_when_units_are_much_purer_than_directions():
    exp, t = _trial("C205")
    t["mean_direction"] = t["mean_unit"] - 0.3
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c206_is_decided_by_sparsity_and_smoothness():
    exp, t = _trial("C206", expect=NOT_REPRODUCED)
    t["good"]["sparsity"], t["init"]["sparsity"] = 0.8, 0.3
    t["good"]["filter_tv"] = 0.1
    assert exp.judge([t]).verdict == REPRODUCED


def test_c162_flips_when_the_kernel_stays_tame():
    exp, t = _trial("C162")
    t["coef0=1"][-1]["max"] = t["coef0=1"][0]["max"] * 10
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c166_reproduces_only_if_regularised_lr_is_unaffected():
    exp, t = _trial("C166", expect=REFUTED)
    t["max_dproba_C1"] = 1e-6
    assert exp.judge([t]).verdict == REPRODUCED


def test_c167_flips_when_in_tube_points_matter():
    exp, t = _trial("C167")
    t["rows"][1]["max_change"] = 0.01
    assert exp.judge([t]).verdict == REFUTED


def test_c156_flips_when_a_count_is_off():
    exp, t = _trial("C156")
    t["googlenet"]["depth"] = 21
    assert exp.judge([t]).verdict == REFUTED


def test_c172_flips_when_k_is_wrong():
    exp, t = _trial("C172")
    t["rows"][0]["k_elbow"] = 3
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c176_flips_when_one_learner_wins_everywhere():
    exp, t = _trial("C176")
    t["linear_100d"]["knn"] = 0.95
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def _set_recall(t, variant, value):
    for k in t:
        if k.endswith("/" + variant):
            t[k]["recall"] = value


def test_c189_is_decided_by_the_recall_change():
    exp = get("C189")
    t = json.loads(json.dumps(exp.run(0, True)))
    _set_recall(t, "none", 0.3)
    _set_recall(t, "smote", 0.7)
    assert exp.judge([t]).verdict == REPRODUCED
    _set_recall(t, "smote", 0.2)
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c191_flips_when_the_pool_does_not_shrink_geometrically():
    exp = get("C191")
    t = json.loads(json.dumps(exp.run(0, True)))
    t["rus"]["auc"], t["easy"]["auc"], t["cascade"]["auc"] = 0.80, 0.90, 0.88
    assert exp.judge([t]).verdict == REPRODUCED
    t["pool_sizes"] = [t["pool_sizes"][0]] * len(t["pool_sizes"])
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c177_flips_when_bagging_keeps_the_variance():
    exp, t = _trial("C177")
    m = t["models"]
    m["bagged deep trees"]["variance"] = m["deep tree"]["variance"]
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c179_flips_when_adaboost_is_robust():
    exp, t = _trial("C179")
    t["rows"][-1]["ada_error"] = t["rows"][0]["ada_error"]
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c180_flips_when_the_test_error_rises():
    exp, t = _trial("C180")
    t["test_error_final"] = t["test_error_at_zero"] + 0.05
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c193_is_decided_by_the_property_and_the_cost():
    exp, t = _trial("C193", expect=NOT_REPRODUCED)
    t["adacost"]["total_cost"] = t["adaboost"]["total_cost"] - 10
    t["adacost"]["recall"] = t["adaboost"]["recall"] + 0.1
    assert exp.judge([t]).verdict == REPRODUCED
    t["up"][3] = 0.0
    assert exp.judge([t]).verdict == REFUTED


def test_c165_is_decided_by_the_scaling_exponents():
    exp = get("C165")
    t = json.loads(json.dumps(exp.run(0, True)))
    t["time_vs_n"], t["time_vs_d"] = [1.0, 4.0, 16.0], [1.0, 1.1, 1.2]
    assert exp.judge([t]).verdict == REPRODUCED
    t["time_vs_d"] = [1.0, 4.0, 16.0]
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c142_flips_when_plain_deep_nets_train():
    exp, t = _trial("C142")
    assert exp.judge([t]).verdict == REPRODUCED
    deep = t["rows"][-1]
    deep["plain_train_err"] = deep["residual_train_err"]
    assert exp.judge([t]).verdict == NOT_REPRODUCED
    deep["plain_train_err"], deep["residual_train_err"] = 0.9, 0.5       # residual no better
    assert exp.judge([t]).verdict == NOT_REPRODUCED
    t["rows"][0]["plain_train_err"] = 0.5                            # no degradation with depth
    deep["residual_train_err"] = 0.0
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c147_flips_when_dense_gradient_vanishes():
    exp, t = _trial("C147")
    t["ratio_dense"] = t["ratio_plain"]
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c202_flips_when_the_linear_ae_misses_the_pca_subspace():
    exp, t = _trial("C202")
    assert abs(t["linear_mse"] / t["pca_mse"] - 1) <= 0.01 and t["angle_deg"] < 10
    bad = dict(t, angle_deg=30.0)                         # right error, wrong subspace
    assert exp.judge([bad]).verdict == NOT_REPRODUCED
    bad = dict(t, linear_mse=1.05 * t["pca_mse"])         # 5 % worse than PCA
    assert exp.judge([bad]).verdict == NOT_REPRODUCED
    bad = dict(t, nonlinear_mse=1.2 * t["pca_mse"])       # non-linear AE worse than PCA
    assert exp.judge([bad]).verdict == NOT_REPRODUCED
    assert exp.judge([t, t, bad]).verdict == NOT_REPRODUCED   # every split must agree


def test_c197_is_decided_by_width_gaps_and_depth():
    import copy

    exp = get("C197")
    t = json.loads(json.dumps(exp.run(0, True)))
    assert t["width"][-1]["train_loss"] < t["width"][0]["train_loss"]        # wider fits
    assert t["depth"][-1]["grad0"] < 0.1 * t["depth"][0]["grad0"]             # deeper vanishes
    ok = copy.deepcopy(t)
    ok["width"][0]["gap"], ok["width"][-1]["gap"] = 0.1, 0.4                 # wider overfits
    assert exp.judge([ok]).verdict == REPRODUCED
    shrink = copy.deepcopy(ok)
    shrink["width"][0]["gap"], shrink["width"][-1]["gap"] = 0.4, 0.1         # gap shrinks
    assert exp.judge([shrink]).verdict == REFUTED
    easy = copy.deepcopy(ok)
    for r in easy["depth"]:
        r["train_loss"], r["grad0"] = 0.05, 0.2                              # depth no harder
    assert exp.judge([easy]).verdict == NOT_REPRODUCED
    assert exp.judge([ok, shrink]).verdict == NOT_REPRODUCED                # seeds disagree
