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


def _c146_trial(dense, resnet, channels=40):
    return {"rows": [{"growth": g, "width": w, "dense_params": pd, "resnet_params": pr,
                      "dense_test_acc": dense, "resnet_test_acc": resnet,
                      "block_channels": channels, "block_channels_formula": 40}
                     for g, w, pd, pr in ((6, 8, 9962, 9794), (12, 16, 33146, 38266))]}


def test_c146_flips_when_densenet_is_less_accurate_or_the_width_formula_fails():
    exp = get("C146")
    good = [_c146_trial(0.96 + 0.001 * s, 0.95) for s in range(5)]
    assert exp.judge(good).verdict == REPRODUCED
    assert exp.judge([_c146_trial(0.94, 0.95) for _ in range(5)]).verdict == NOT_REPRODUCED
    assert exp.judge(good[:4] + [_c146_trial(0.96, 0.95, channels=41)]).verdict == NOT_REPRODUCED


def _c148_trial(se, plain, gate_max=0.9, se_params=6886):
    return {"plain_params": 6186, "se_params": se_params, "plain_test_acc": plain,
            "se_test_acc": se, "gate_min": 0.1, "gate_max": gate_max, "gate_sd": 0.1}


def test_c148_flips_on_accuracy_gain_parameter_cost_and_gates():
    exp = get("C148")
    good = [_c148_trial(0.98 + 0.001 * s, 0.97) for s in range(10)]
    assert exp.judge(good).verdict == REPRODUCED
    noisy = [_c148_trial(0.98 + (0.01 if s % 2 else -0.011), 0.98) for s in range(10)]
    assert exp.judge(noisy).verdict == NOT_REPRODUCED
    assert exp.judge(good[:9] + [_c148_trial(0.99, 0.97, gate_max=1.5)]).verdict == NOT_REPRODUCED
    costly = [_c148_trial(0.98 + 0.001 * s, 0.97, se_params=9000) for s in range(10)]
    assert exp.judge(costly).verdict == NOT_REPRODUCED


def _c151_trial(aux_acc, none_acc, aux_grad=2.0):
    return {"none_grad_first": 0.1, "aux_grad_first": aux_grad, "none_grad_last": 1.0,
            "aux_grad_last": 1.0, "none_train_acc": 0.9, "aux_train_acc": 0.9,
            "none_test_acc": none_acc, "aux_test_acc": aux_acc}


def test_c151_needs_both_the_gradient_signal_and_the_accuracy_gain():
    exp = get("C151")
    good = [_c151_trial(0.95 + 0.001 * s, 0.93) for s in range(5)]
    assert exp.judge(good).verdict == REPRODUCED
    assert exp.judge(good[:4] + [_c151_trial(0.96, 0.93, aux_grad=0.15)]).verdict \
        == NOT_REPRODUCED
    assert exp.judge([_c151_trial(0.93, 0.95) for _ in range(5)]).verdict == NOT_REPRODUCED


def _c152_trial(deep, shallow=0.93):
    return {"rows": [{"depth": d, "params": 1000 * d, "train_loss": 0.1, "test_acc": a}
                     for d, a in ((2, shallow), (4, 0.95), (8, deep))]}


def test_c152_flips_when_the_deepest_stack_is_not_better():
    exp = get("C152")
    good = [_c152_trial(0.96 + 0.001 * s) for s in range(5)]
    assert exp.judge(good).verdict == REPRODUCED
    flat = [_c152_trial(0.93 + (0.01 if s % 2 else -0.012)) for s in range(5)]
    assert exp.judge(flat).verdict == NOT_REPRODUCED
    assert exp.judge([_c152_trial(0.92)]).verdict == NOT_REPRODUCED


def _c153_trial(scratch, staged):
    return {"shallow_epochs": 6, "shallow_acc": [0.9], "shallow_final_acc": 0.97, "cap": 12,
            "copied_tensors": 10, "scratch_start_acc": 0.1, "staged_start_acc": 0.5,
            "scratch_epochs": scratch, "scratch_acc": [0.97], "staged_epochs": staged,
            "staged_acc": [0.97]}


def test_c153_flips_when_staged_init_is_not_faster():
    exp = get("C153")
    good = [_c153_trial(6 + s % 2, 3) for s in range(5)]
    assert exp.judge(good).verdict == REPRODUCED
    assert exp.judge(good[:4] + [_c153_trial(4, 5)]).verdict == NOT_REPRODUCED
    assert exp.judge([_c153_trial(5, 6) for _ in range(5)]).verdict == NOT_REPRODUCED


def test_c153_staged_init_copies_the_shallow_convs_and_head_only():
    import numpy as np

    from whiteboard.experiments.claims._common_claims_in import vgg_stack
    from whiteboard.experiments.claims.c153_staged_init import staged_init

    shallow, deep = vgg_stack(4), vgg_stack(6)
    before = {k: v.numpy().copy() for k, v in deep.state_dict().items()}
    assert staged_init(deep, shallow) == 10  # 4 convs + head, weight and bias each
    s, d = shallow.state_dict(), deep.state_dict()
    for sk, dk in (("0", "0"), ("2", "2"), ("5", "7"), ("7", "9"), ("11", "15")):
        for p in ("weight", "bias"):
            np.testing.assert_array_equal(d[f"{dk}.{p}"].numpy(), s[f"{sk}.{p}"].numpy())
    for dk in ("4", "11"):  # the inserted third conv of each stage keeps its own init
        np.testing.assert_array_equal(d[f"{dk}.weight"].numpy(), before[f"{dk}.weight"])
