"""Claims L–N by ml17 (C195, C196, C198, C200, C201): each verdict follows its deciding numbers
(altering them flips it)."""

import json

from whiteboard.experiments import NOT_REPRODUCED, REPRODUCED, get


def _trials(cid, seeds):
    exp = get(cid)
    return exp, [json.loads(json.dumps(exp.run(s, True))) for s in range(seeds)]


def test_c200_flips_when_self_training_gains_nothing():
    exp, trials = _trials("C200", 6)
    assert exp.judge(trials).verdict == REPRODUCED
    assert exp.judge(trials[:1]).verdict == NOT_REPRODUCED  # one seed cannot beat seed noise
    for t in trials:
        t["main"]["acc_self_training"] = t["main"]["acc_supervised"] - 0.01
    assert exp.judge(trials).verdict == NOT_REPRODUCED


def test_c201_flips_when_em_does_not_help_or_the_likelihood_drops():
    exp, trials = _trials("C201", 10)
    assert exp.judge(trials).verdict == REPRODUCED
    dropped = json.loads(json.dumps(trials))
    dropped[2]["blobs"]["tied"]["max_ll_decrease"] = 1e-3
    assert exp.judge(dropped).verdict == NOT_REPRODUCED
    for t in trials:
        t["iris"]["tied"]["acc_em"] = t["iris"]["tied"]["acc_supervised"]
    assert exp.judge(trials).verdict == NOT_REPRODUCED


def test_c198_decided_by_agreement_per_diagnosis():
    from whiteboard.experiments import REFUTED
    from whiteboard.experiments.claims.c198_fit_diagnosis import gap_diagnosis, rule_of_thumb

    assert rule_of_thumb(0.005, 0.45) == "overfitting"
    assert rule_of_thumb(0.5, 0.6) == "underfitting" and rule_of_thumb(0.1, 0.2) == "fine"
    assert gap_diagnosis(0.5, 0.6, 0.2) == "underfitting"
    assert gap_diagnosis(0.001, 0.9, 0.2) == "overfitting" and gap_diagnosis(0.1, 0.25, 0.2) \
        == "fine"
    exp, trials = _trials("C198", 1)
    rows = trials[0]["rows"]
    for r in rows:
        r["gap"] = r["rule"]
    kinds = {r["gap"] for r in rows}
    if "overfitting" not in kinds:
        rows[0]["rule"] = rows[0]["gap"] = "overfitting"
    if "underfitting" not in kinds:
        rows[1]["rule"] = rows[1]["gap"] = "underfitting"
    assert exp.judge(trials).verdict == REPRODUCED
    for r in rows[:3]:
        r["gap"], r["rule"] = "overfitting", "fine"
    assert exp.judge(trials).verdict == REFUTED


def test_c196_variance_explained_and_flip():
    import numpy as np

    from whiteboard.experiments.claims.c196_learning_rate_matters import variance_explained

    rng = np.random.default_rng(0)
    h = rng.uniform(size=400)
    step = (h > np.quantile(h, 0.5)).astype(float)
    assert variance_explained(h, step) == 1.0               # a function of the bins: all of it
    assert variance_explained(rng.uniform(size=400), step) < 0.05   # independent: ~nothing
    levels = rng.integers(1, 5, size=400).astype(float)
    assert variance_explained(levels, levels) == 1.0
    exp, trials = _trials("C196", 1)
    shares = trials[0]["shares"]
    shares.update(lr=0.6, depth=0.1)
    assert exp.judge(trials).verdict == REPRODUCED
    shares.update(lr=0.1, depth=0.6)
    assert exp.judge(trials).verdict == NOT_REPRODUCED


def test_c195_flips_when_smote_does_not_help_in_a_feature_space():
    exp, trials = _trials("C195", 5)
    assert exp.judge(trials).verdict == REPRODUCED
    for t in trials:
        t["hidden"]["smote"]["recall"] = t["hidden"]["plain"]["recall"]
    assert exp.judge(trials).verdict == NOT_REPRODUCED
