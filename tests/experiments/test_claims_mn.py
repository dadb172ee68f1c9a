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
