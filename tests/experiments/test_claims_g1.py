"""Claims C98–C113 (second batch): each verdict follows its deciding numbers."""

import json

from whiteboard.experiments import REFUTED, REPRODUCED, get


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
