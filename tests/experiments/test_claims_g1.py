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
