"""Claims C154, C155, C194, C199 (augmentation): each verdict follows its deciding numbers —
altering them flips it. Quick runs of the experiments, one seed."""

import copy
import json

from whiteboard.experiments import NOT_REPRODUCED, REFUTED, REPRODUCED, get


def _trial(cid):
    exp = get(cid)
    trial = json.loads(json.dumps(exp.run(0, True)))  # plain JSON data
    return exp, trial


def test_c154_follows_the_gap_and_the_crop_counts():
    exp, t = _trial("C154")
    assert t["alexnet_count"] == 2178 and t["digit_views_seen"] == t["digit_count"] == 18
    good = copy.deepcopy(t)
    good["crops"].update(gap=good["plain"]["gap"] - 0.05, test=good["plain"]["test"])
    assert exp.judge([good]).verdict == REPRODUCED
    worse = copy.deepcopy(good)
    worse["crops"]["test"] = worse["plain"]["test"] - 0.05
    assert exp.judge([worse]).verdict == NOT_REPRODUCED
    wide = copy.deepcopy(good)
    wide["crops"]["gap"] = wide["plain"]["gap"] + 0.01
    assert exp.judge([wide]).verdict == NOT_REPRODUCED
    miscount = copy.deepcopy(good)
    miscount["alexnet_count"] = 2048
    assert exp.judge([miscount]).verdict == REFUTED
    # over seeds the paired rule decides: a consistent gap reduction reproduces
    seeds = []
    for k in range(5):
        s = copy.deepcopy(good)
        s["crops"]["gap"] = s["plain"]["gap"] - 0.03 - 0.001 * k
        seeds.append(s)
    assert exp.judge(seeds).verdict == REPRODUCED


def test_c155_reproduces_and_flips_when_the_sd_is_off():
    exp, t = _trial("C155")
    assert exp.judge([t]).verdict == REPRODUCED
    bad = copy.deepcopy(t)
    bad["rows"][0]["sd_ratio"][2] = 1.3  # coefficient sd 0.13 λ instead of 0.1 λ
    assert exp.judge([bad]).verdict == REFUTED
    uneven = copy.deepcopy(t)
    uneven["rows"][1]["pixel_spread"] = 1e-2  # a shift that differs across pixels
    assert exp.judge([uneven]).verdict == REFUTED


def test_c194_needs_a_label_preserving_gain():
    exp, t = _trial("C194")
    names = [k for k in t if k not in ("none", "horizontal flip")]
    assert len(names) == 7
    none = copy.deepcopy(t)
    for k in names:
        none[k]["test"] = t["none"]["test"] - 0.01
    none["horizontal flip"]["test"] = t["none"]["test"] + 0.05  # a flip gain does not count
    assert exp.judge([none]).verdict == NOT_REPRODUCED
    one = copy.deepcopy(none)
    one["rotation ±15°"]["test"] = t["none"]["test"] + 0.01
    assert exp.judge([one]).verdict == REPRODUCED
    # over seeds: a noisy gain (mixed signs) is not enough at the Bonferroni level
    seeds = []
    for k in range(10):
        s = copy.deepcopy(none)
        s["rotation ±15°"]["test"] = t["none"]["test"] + (0.01 if k % 2 else -0.008)
        seeds.append(s)
    assert exp.judge(seeds).verdict == NOT_REPRODUCED
    for s in seeds:
        s["rotation ±15°"]["test"] = t["none"]["test"] + 0.01
    assert exp.judge(seeds).verdict == REPRODUCED


def test_c199_needs_every_remedy_and_the_combination():
    exp, t = _trial("C199")
    base = t["baseline"]["test"]
    good = copy.deepcopy(t)
    for k in ("dropout 0.5", "batch norm", "shift/rotation", "all three"):
        good[k]["test"] = base + 0.02
    assert exp.judge([good]).verdict == REPRODUCED
    bad = copy.deepcopy(good)
    bad["batch norm"]["test"] = base - 0.01
    assert exp.judge([bad]).verdict == NOT_REPRODUCED
    combo = copy.deepcopy(good)
    combo["all three"]["test"] = base
    assert exp.judge([combo]).verdict == NOT_REPRODUCED
