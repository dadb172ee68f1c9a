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
