"""Claims J–L (this round): each experiment's verdict follows its deciding numbers."""

import json

from whiteboard.experiments import NOT_REPRODUCED, REPRODUCED, get


def _trial(cid):
    exp = get(cid)
    return exp, json.loads(json.dumps(exp.run(0, True)))


def test_c164_is_decided_by_the_numbers():
    exp, t = _trial("C164")
    t["high_dim"] = {"linear": 0.9, "rbf": 0.8}
    for v in t["moons"].values():
        v["linear"], v["rbf"] = 0.8, 0.95
    assert exp.judge([t]).verdict == REPRODUCED
    t["high_dim"] = {"linear": 0.7, "rbf": 0.8}
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c171_is_decided_by_the_numbers():
    exp, t = _trial("C171")
    assert exp.judge([t]).verdict == REPRODUCED
    for d in t.values():
        d["l1_mean"]["rises"] = d["l1_mean"]["cycle"] = d["l1_mean"]["max_iter"] = 0
    assert exp.judge([t]).verdict == NOT_REPRODUCED
    first = next(iter(t.values()))
    first["l1_mean"]["cycle"] = 1
    assert exp.judge([t]).verdict == REPRODUCED
    first["sq_mean"]["rises"] = 1
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c174_is_decided_by_the_numbers():
    exp, t = _trial("C174")
    t["sampling"].update(sample_acc=0.9, auc_nb_log_px=0.99, auc_lr_confidence=0.8)
    assert exp.judge([t]).verdict == REPRODUCED
    t["sampling"]["sample_acc"] = 0.2  # samples not recognisable: no usable P(x | y)
    assert exp.judge([t]).verdict == NOT_REPRODUCED
    t["sampling"].update(sample_acc=0.9, auc_lr_confidence=0.95)
    assert exp.judge([t]).verdict == NOT_REPRODUCED


def test_c187_is_decided_by_the_numbers():
    exp, t = _trial("C187")
    t["trees_leaf10"]["ROS"].update(train_recall=1.0, test_recall=0.5)
    t["trees_leaf10"]["none"].update(train_recall=0.5, test_recall=0.4)
    for i, d in enumerate(t["lr_replicates"]):
        d["class_weight"] = [0.8] * 5
        d["RUS"] = [0.8] * 2 + [0.7 - 0.01 * i] * 3
    trials = [t, json.loads(json.dumps(t))]  # two seeds: 8 paired data draws
    assert exp.judge(trials).verdict == REPRODUCED
    for x in trials:
        x["trees_leaf10"]["ROS"]["train_recall"] = 0.6  # copies not memorised
    assert exp.judge(trials).verdict == NOT_REPRODUCED
    for x in trials:
        x["trees_leaf10"]["ROS"]["train_recall"] = 1.0
        for d in x["lr_replicates"]:
            d["RUS"] = [0.8] * 5
    assert exp.judge(trials).verdict == NOT_REPRODUCED


def test_c183_is_decided_by_the_numbers():
    exp, t = _trial("C183")
    assert exp.judge([t]).verdict == REPRODUCED
    t2 = json.loads(json.dumps(t))
    bv = t["bias_variance"]
    for mf in ("0.6", "0.3"):
        bv[f"rf_{mf}"]["variance"] = bv["rf_1.0"]["variance"] + 0.1  # no decorrelation gain
    assert exp.judge([t]).verdict == NOT_REPRODUCED
    t2["gbdt_residual_dev"] = 1e-3
    assert exp.judge([t2]).verdict == NOT_REPRODUCED


def test_c160_is_decided_by_the_numbers():
    from whiteboard.experiments import REFUTED

    exp, t = _trial("C160")
    assert exp.judge([t]).verdict == REPRODUCED
    r = next(iter(t["C"].values()))
    r["w_rel"] = 1e-2  # primal and dual disagree
    assert exp.judge([t]).verdict == REFUTED
    r["w_rel"] = 0.0
    r["dual_at_dual"] = r["primal_at_dual"] * (1 - 1e-3)  # a duality gap
    assert exp.judge([t]).verdict == REFUTED
