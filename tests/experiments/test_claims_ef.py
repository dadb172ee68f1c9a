"""Claims E–F (ReLU family, ReLU vs saturating units, sparse init, activation cost): each
experiment's verdict follows its deciding numbers (altering them flips it)."""

import copy
import json

import pytest

from whiteboard.experiments import NOT_REPRODUCED, REPRODUCED, get


def _trial(cid, seed=0):
    exp = get(cid)
    return exp, json.loads(json.dumps(exp.run(seed, True)))


def test_c80_is_decided_by_the_zero_gradient_counts():
    exp, t = _trial("C80")
    assert exp.judge([t]).verdict == REPRODUCED
    leaky = copy.deepcopy(t)
    for r in leaky["rows"]:
        if r["act"] == "LeakyReLU" and r["finite"]:
            r["zero_grad"] = 0.2
    assert exp.judge([leaky]).verdict == NOT_REPRODUCED
    relu = copy.deepcopy(t)
    for r in relu["rows"]:
        if r["act"] == "ReLU" and r["finite"]:
            r["zero_grad"] = 0.0
    assert exp.judge([relu]).verdict == NOT_REPRODUCED


def test_c82_is_decided_by_the_slope_movement():
    exp, t = _trial("C82")
    assert exp.judge([t]).verdict == REPRODUCED
    still = copy.deepcopy(t)
    for r in still["rows"]:
        if r["act"] == "PReLU":
            r["moved"] = [0.0 for _ in r["moved"]]
    assert exp.judge([still]).verdict == NOT_REPRODUCED


def test_c81_is_decided_by_the_alpha_effect_against_seed_noise():
    exp = get("C81")
    alphas = ("0.001", "0.01", "0.1", "0.3")
    v = (0.88, 0.91, 0.89, 0.90)  # a Latin square: every α sees the same accuracies, F = 0
    noise = [{"acc": {a: v[(i + s) % 4] for i, a in enumerate(alphas)}} for s in range(4)]
    assert exp.judge(noise).verdict == NOT_REPRODUCED
    shifted = [{"acc": {a: v + 0.02 * i for i, (a, v) in enumerate(t["acc"].items())}}
               for t in noise]
    assert exp.judge(shifted).verdict == REPRODUCED
    assert exp.judge(shifted[:1]).verdict == NOT_REPRODUCED  # one seed: no noise estimate


def test_c85_is_decided_by_the_consistency_of_the_ranking():
    exp = get("C85")
    trials = [exp.run(s, True) for s in range(2)]
    consistent = copy.deepcopy(trials)
    for k, t in enumerate(consistent):
        for prob in t["acc"]:
            t["acc"][prob] = {a: 0.8 + 0.01 * k for a in t["acc"][prob]}
            t["acc"][prob]["ELU"] = 0.9 + 0.02 * k
    assert exp.judge(consistent).verdict == REPRODUCED  # 2 seeds: sign-flip p = 0.5
    consistent = [copy.deepcopy(consistent[k % 2]) for k in range(6)]
    for k, t in enumerate(consistent):
        t["acc"]["digits"]["ELU"] += 0.001 * k
    assert exp.judge(consistent).verdict == NOT_REPRODUCED  # ELU best everywhere, p = 1/64
    swapped = copy.deepcopy(consistent)
    for t in swapped:
        t["acc"]["moons"]["ReLU"] = 1.0
    assert exp.judge(swapped).verdict == REPRODUCED
    assert exp.judge(trials[:1]).verdict == NOT_REPRODUCED


def test_c77_is_decided_by_the_step_ratios():
    exp, t = _trial("C77")
    assert exp.judge([t]).verdict == NOT_REPRODUCED  # tanh reaches 25 % error before ReLU
    slow = [copy.deepcopy(t) for _ in range(5)]
    for k, trial in enumerate(slow):
        trial["steps"]["tanh"] = {key: 500 + k for key in trial["steps"]["tanh"]}
    assert exp.judge(slow).verdict == REPRODUCED
    for trial in slow:
        trial["steps"]["sigmoid"] = {key: 1 for key in trial["steps"]["sigmoid"]}
    assert exp.judge(slow).verdict == NOT_REPRODUCED


def test_c97_is_decided_by_accuracy_and_distinct_units():
    exp, t = _trial("C97")
    assert t["sparse"]["nnz_per_unit_at_init"] == 10
    assert exp.judge([t]).verdict == REPRODUCED
    poor = copy.deepcopy(t)
    poor["sparse"]["acc"] = t["xavier"]["acc"] - 0.1
    assert exp.judge([poor]).verdict == NOT_REPRODUCED
    tied = copy.deepcopy(t)
    tied["sparse"]["distinct_units"] = 1
    assert exp.judge([tied]).verdict == NOT_REPRODUCED
    zero_ok = copy.deepcopy(t)
    zero_ok["zero"]["acc"] = t["sparse"]["acc"]
    assert exp.judge([zero_ok]).verdict == NOT_REPRODUCED


def test_c97_sparse_init_gives_k_nonzero_incoming_weights_per_unit():
    import numpy as np

    from whiteboard import nn
    from whiteboard.experiments.claims.c097_sparse_init import distinct_units, sparse_init

    model = sparse_init(nn.Sequential(nn.Linear(64, 32), nn.Tanh(), nn.Linear(32, 5)), k=7)
    for layer in (model[0], model[2]):
        w = layer.weight.numpy()
        assert (np.count_nonzero(w, axis=1) == 7).all()
        assert distinct_units(w) == w.shape[0]
    assert distinct_units(np.ones((6, 3))) == 1


def test_c90_is_decided_by_the_timing_ratios():
    exp = get("C90")
    base = {"n": 10, "repeats": 4, "threads": "1",
            "numpy_forward_s": {a: [1.0] * 4 for a in ("relu", "sigmoid", "tanh", "elu")}}
    slow = dict(base, autograd_s={"relu": [1.0, 1.1, 0.9, 1.0], "sigmoid": [3.0, 3.1, 2.9, 3.0],
                                  "tanh": [2.0, 2.1, 1.9, 2.0], "elu": [2.5, 2.5, 2.5, 2.5]})
    assert exp.judge([slow]).verdict == REPRODUCED
    overlap = copy.deepcopy(slow)
    overlap["autograd_s"]["tanh"] = [1.0, 1.2, 0.9, 1.1]
    assert exp.judge([overlap]).verdict == NOT_REPRODUCED
    assert exp.judge([exp.run(0, True)]).verdict in (REPRODUCED, NOT_REPRODUCED)


PLOTTED = ["C77", "C80", "C81", "C82", "C85", "C90", "C97"]


@pytest.mark.parametrize("cid", PLOTTED)
def test_plot_draws_labelled_axes(cid):
    import matplotlib

    matplotlib.use("Agg")
    exp = get(cid)
    for fig in exp.plot_fn([exp.run(0, True)]):
        for ax in fig.axes:
            assert ax.get_xlabel()
