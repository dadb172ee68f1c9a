"""Claims I (C145–C153, second round): each verdict follows its deciding numbers.

The trials are built by hand (the quick runs are exercised by test_registry.py), so these tests
are instant and show both sides of every decision.
"""

from whiteboard.experiments import NOT_REPRODUCED, REPRODUCED, get


def test_c145_flips_when_v2_does_not_beat_v1():
    exp = get("C145")

    def trial(v1, v2):
        return {"rows": [{"blocks": 32, "layers": 66, "v1_train_loss": v1, "v2_train_loss": v2,
                          "v1_test_acc": 0.8, "v2_test_acc": 0.9}]}

    good = [trial(1.0 + 0.1 * s, 0.1) for s in range(5)]
    assert exp.judge(good).verdict == REPRODUCED
    assert exp.judge(good[:1]).verdict == REPRODUCED
    bad = good[:4] + [trial(0.2, 0.15)]
    assert exp.judge(bad).verdict == NOT_REPRODUCED
