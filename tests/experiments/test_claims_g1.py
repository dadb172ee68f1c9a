"""Claims C98–C113 (second batch): each verdict follows its deciding numbers."""

import json

from whiteboard.experiments import NOT_REPRODUCED, REFUTED, REPRODUCED, get


def _trial(cid):
    exp = get(cid)
    trial = exp.run(0, True)
    assert exp.judge([trial]).verdict == REPRODUCED
    return exp, json.loads(json.dumps(trial))


def test_c103_flips_when_gd_misses_the_mle():
    exp, t = _trial("C103")
    t["gd_vs_sklearn"] = 0.1
    assert exp.judge([t]).verdict == REFUTED


def test_c103_flips_when_the_library_estimator_misses_the_mle():
    exp, t = _trial("C103")
    t["library_vs_sklearn"] = 1e-2
    assert exp.judge([t]).verdict == REFUTED


def _raw(cid):
    exp = get(cid)
    return exp, json.loads(json.dumps(exp.run(0, True)))


def test_c106_is_decided_by_average_precision_and_the_mechanism():
    exp, t = _raw("C106")
    t["focal"]["ap"], t["BCE"]["ap"] = 0.9, 0.5
    assert exp.judge([t]).verdict == REPRODUCED
    t["ratio"]["easy_neg"] = 0.5
    assert exp.judge([t]).verdict == NOT_REPRODUCED
    t["ratio"]["easy_neg"] = 0.001
    t["focal"]["ap"], t["focal"]["recall"] = 0.4, t["BCE"]["recall"]
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c107_is_decided_by_logits_and_generalisation():
    exp, t = _raw("C107")
    t["eps0.1"]["max_logit"] = t["eps0.0"]["max_logit"] - 1
    t["eps0.1"]["accuracy"] = t["eps0.0"]["accuracy"] + 0.01
    assert exp.judge([t]).verdict == REPRODUCED
    t["eps0.1"]["max_logit"] = t["eps0.0"]["max_logit"] + 1
    assert exp.judge([t]).verdict == NOT_REPRODUCED
    t["eps0.1"]["max_logit"] = t["eps0.0"]["max_logit"] - 1
    t["eps0.1"]["accuracy"] = t["eps0.0"]["accuracy"] - 0.01
    t["eps0.1"]["nll"] = t["eps0.0"]["nll"] + 0.1
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_expected_calibration_error_matches_the_binned_definition():
    import numpy as np

    from whiteboard.experiments.claims._common_claims_eh import expected_calibration_error

    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(4) * 0.5, size=500)
    y = rng.integers(0, 4, 500)
    conf, pred = p.max(1), p.argmax(1)
    ref = 0.0
    for lo in np.linspace(0, 1, 16)[:-1]:
        m = (conf >= lo) & (conf < lo + 1 / 15)
        if m.any():
            ref += m.mean() * abs((pred[m] == y[m]).mean() - conf[m].mean())
    assert abs(expected_calibration_error(p, y) - ref) < 1e-12
    assert expected_calibration_error(np.eye(4)[y], y) == 0.0


def test_c98_is_decided_by_the_paired_accuracy_gain():
    exp, t = _raw("C98")
    t["finetuned"], t["scratch"] = 0.95, 0.85
    assert exp.judge([t]).verdict == REPRODUCED
    t["finetuned"] = 0.80
    assert exp.judge([t]).verdict == NOT_REPRODUCED
    trials = [dict(t, finetuned=0.80 + 0.01 * i, scratch=0.90 + 0.012 * i) for i in range(5)]
    assert exp.judge(trials).verdict == REFUTED


def test_c99_is_decided_by_the_fine_tuned_accuracy():
    exp, t = _raw("C99")
    t["pretrained"]["test"], t["random"]["test"] = 0.5, 0.1
    assert exp.judge([t]).verdict == REPRODUCED
    t["pretrained"]["test"] = 0.1
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c108_is_decided_by_the_growth_in_k():
    exp, t = _raw("C108")
    t["time_slope"], t["memory_slope"] = 1.0, 1.0
    assert exp.judge([t]).verdict == REPRODUCED
    t["time_slope"] = 0.2
    assert exp.judge([t]).verdict == NOT_REPRODUCED
    t["time_slope"], t["memory_slope"] = 1.0, 0.3
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c113_is_decided_by_the_batch_cost_ratios():
    exp, t = _raw("C113")
    t["gemm_ratio_32"], t["layer_ratio_32"] = 2.0, 1.5
    assert exp.judge([t]).verdict == REPRODUCED
    t["gemm_ratio_32"] = 30.0
    assert exp.judge([t]).verdict == NOT_REPRODUCED
