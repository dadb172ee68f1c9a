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


PLOTTED = ["C80", "C82"]


@pytest.mark.parametrize("cid", PLOTTED)
def test_plot_draws_labelled_axes(cid):
    import matplotlib

    matplotlib.use("Agg")
    exp = get(cid)
    for fig in exp.plot_fn([exp.run(0, True)]):
        for ax in fig.axes:
            assert ax.get_xlabel()
