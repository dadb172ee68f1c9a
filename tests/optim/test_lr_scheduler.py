"""Learning-rate schedules against torch.optim.lr_scheduler: 300-step sequences equal to 1e-12."""

import math
import warnings

import numpy as np
import pytest
import torch

import whiteboard as wb
import whiteboard.optim as optim
from whiteboard.optim import lr_scheduler as wsched

tsched = torch.optim.lr_scheduler
STEPS = 300
TOL = dict(rtol=1e-12, atol=1e-15)


def make_opt(lib, kind="SGD"):
    """Two parameter groups with different learning rates (and momentum for SGD)."""
    if lib is torch:
        a = torch.zeros(3, dtype=torch.float64, requires_grad=True)
        b = torch.zeros(2, dtype=torch.float64, requires_grad=True)
        mod = torch.optim
    else:
        a, b = wb.nn.Parameter(np.zeros(3)), wb.nn.Parameter(np.zeros(2))
        mod = optim
    if kind == "SGD":
        return mod.SGD([{"params": [a]}, {"params": [b], "lr": 0.05}], lr=0.1, momentum=0.9)
    return mod.Adam([{"params": [a]}, {"params": [b], "lr": 0.003}], lr=0.01)


def trace(lib, build, steps=STEPS, kind="SGD", metrics=None):
    """LRs (and momenta / beta1) of both groups after construction and after every step."""
    opt = make_opt(lib, kind)
    mod = tsched if lib is torch else wsched
    sched = build(mod, opt)
    key = "momentum" if kind == "SGD" else "betas"
    out = []

    def record():
        mom = [g[key] if kind == "SGD" else g[key][0] for g in opt.param_groups]
        out.append([g["lr"] for g in opt.param_groups] + mom + list(sched.get_last_lr()))

    record()
    for i in range(steps):
        opt.step()
        if metrics is None:
            sched.step()
        else:
            sched.step(metrics[i])
        record()
    return np.array(out, dtype=float)


SCHEDULES = {
    "StepLR": lambda m, o: m.StepLR(o, step_size=7, gamma=0.5),
    "MultiStepLR": lambda m, o: m.MultiStepLR(o, milestones=[10, 50, 50, 120], gamma=0.3),
    "ExponentialLR": lambda m, o: m.ExponentialLR(o, gamma=0.99),
    "LambdaLR": lambda m, o: m.LambdaLR(o, lambda t: 0.95 ** t + 0.01 * math.sin(t)),
    "LambdaLR-per-group": lambda m, o: m.LambdaLR(o, [lambda t: 1 / (1 + t), lambda t: 0.99 ** t]),
    "MultiplicativeLR": lambda m, o: m.MultiplicativeLR(o, lambda t: 0.98 if t % 3 else 1.01),
    "CosineAnnealingLR": lambda m, o: m.CosineAnnealingLR(o, T_max=50, eta_min=1e-3),
    "CosineAnnealingLR-long": lambda m, o: m.CosineAnnealingLR(o, T_max=300),
    "WarmRestarts": lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=10, T_mult=2, eta_min=1e-4),
    "WarmRestarts-T1": lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=13),
    "CyclicLR-triangular": lambda m, o: m.CyclicLR(o, 0.01, 0.1, step_size_up=20),
    "CyclicLR-triangular2": lambda m, o: m.CyclicLR(o, [0.01, 0.005], [0.1, 0.2], step_size_up=15,
                                                    step_size_down=25, mode="triangular2"),
    "CyclicLR-exp_range": lambda m, o: m.CyclicLR(o, 0.01, 0.1, step_size_up=10,
                                                  mode="exp_range", gamma=0.995,
                                                  base_momentum=0.7, max_momentum=0.95),
    "CyclicLR-no-momentum": lambda m, o: m.CyclicLR(o, 0.001, 0.01, step_size_up=30,
                                                    cycle_momentum=False),
    "OneCycleLR-cos": lambda m, o: m.OneCycleLR(o, max_lr=[0.5, 0.2], total_steps=STEPS + 1),
    "OneCycleLR-linear": lambda m, o: m.OneCycleLR(o, max_lr=0.3, epochs=10, steps_per_epoch=31,
                                                   anneal_strategy="linear", pct_start=0.25,
                                                   div_factor=10.0, final_div_factor=100.0),
    "OneCycleLR-three-phase": lambda m, o: m.OneCycleLR(o, max_lr=0.4, total_steps=STEPS + 5,
                                                        three_phase=True, base_momentum=0.8),
    "LinearLR": lambda m, o: m.LinearLR(o, start_factor=0.1, end_factor=0.9, total_iters=40),
    "LinearLR-decay": lambda m, o: m.LinearLR(o, start_factor=1.0, end_factor=0.0,
                                              total_iters=250),
    "ConstantLR": lambda m, o: m.ConstantLR(o, factor=0.25, total_iters=12),
    "SequentialLR": lambda m, o: m.SequentialLR(
        o, [m.ConstantLR(o, factor=0.5, total_iters=5), m.ExponentialLR(o, gamma=0.98),
            m.StepLR(o, 30)], milestones=[20, 100]),
    "ChainedScheduler": lambda m, o: m.ChainedScheduler(
        [m.ConstantLR(o, factor=0.3, total_iters=8), m.ExponentialLR(o, gamma=0.97),
         m.CosineAnnealingLR(o, T_max=40)]),
}


@pytest.mark.parametrize("name", list(SCHEDULES))
def test_sequence_matches_torch(name):
    build = SCHEDULES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = trace(torch, build)
    got = trace(wb, build)
    np.testing.assert_allclose(got, expected, **TOL)
    assert np.ptp(got[:, 0]) > 0  # the schedule really changes the rate


@pytest.mark.parametrize("name", ["CyclicLR-exp_range", "OneCycleLR-cos",
                                  "OneCycleLR-three-phase"])
def test_beta1_cycling_with_adam(name):
    build = SCHEDULES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = trace(torch, build, kind="Adam")
    np.testing.assert_allclose(trace(wb, build, kind="Adam"), expected, **TOL)


def test_inverse_time_equals_lambda_lr():
    k = 0.05
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = trace(torch, lambda m, o: m.LambdaLR(o, lambda t: 1 / (1 + k * t)))
    got = trace(wb, lambda m, o: m.InverseTimeLR(o, decay_rate=k))
    np.testing.assert_allclose(got, expected, **TOL)
    np.testing.assert_allclose(got[:, 0], 0.1 / (1 + k * np.arange(STEPS + 1)), rtol=1e-15)


def test_warmup_equals_sequential_linear_then_schedule():
    def torch_build(m, o):
        after = m.CosineAnnealingLR(o, T_max=100, eta_min=1e-4)
        return m.SequentialLR(o, [m.LinearLR(o, start_factor=0.1, total_iters=25), after],
                              milestones=[25])

    def wb_build(m, o):
        return m.WarmupLR(o, m.CosineAnnealingLR(o, T_max=100, eta_min=1e-4), warmup_steps=25,
                          start_factor=0.1)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = trace(torch, torch_build)
    got = trace(wb, wb_build)
    np.testing.assert_allclose(got, expected, **TOL)
    # warm-up is the linear ramp 0.1 → 1 of the base rate, then the cosine restarts from the base
    np.testing.assert_allclose(got[:26, 0], 0.1 * (0.1 + 0.9 * np.arange(26) / 25), rtol=1e-13)


@pytest.mark.parametrize("kw", [
    dict(),
    dict(mode="max", factor=0.5, patience=3, threshold=0.01, cooldown=2),
    dict(patience=2, threshold=0.05, threshold_mode="abs", min_lr=[0.02, 0.001]),
    dict(mode="max", threshold_mode="abs", factor=0.2, patience=0, eps=1e-3, min_lr=1e-4),
])
def test_reduce_on_plateau(kw):
    rng = np.random.default_rng(5)
    metrics = np.concatenate([np.linspace(1, 0.2, 60), 0.2 + 0.01 * rng.standard_normal(240)])
    metrics = metrics if kw.get("mode") != "max" else -metrics + rng.uniform(0, 0.05, 300)

    def build(m, o):
        return m.ReduceLROnPlateau(o, **kw)

    expected = trace(torch, build, metrics=metrics)
    got = trace(wb, build, metrics=metrics)
    np.testing.assert_allclose(got, expected, **TOL)
    assert got[-1, 0] < got[0, 0]


def test_warm_restarts_fractional_epochs():
    out = {}
    for lib, mod in ((torch, tsched), (wb, wsched)):
        opt = make_opt(lib)
        sched = mod.CosineAnnealingWarmRestarts(opt, T_0=5, T_mult=2, eta_min=0.001)
        lrs = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for epoch in np.arange(0, 60, 0.2):
                sched.step(float(epoch))
                lrs.append([g["lr"] for g in opt.param_groups])
        out[lib.__name__] = np.array(lrs)
    np.testing.assert_allclose(out["whiteboard"], out["torch"], **TOL)


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "ExponentialLR", "LinearLR",
                                  "ConstantLR", "CosineAnnealingLR"])
def test_closed_form_step_epoch(name):
    build = SCHEDULES[name]
    out = {}
    for lib, mod in ((torch, tsched), (wb, wsched)):
        opt = make_opt(lib)
        sched = build(mod, opt)
        lrs = []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for epoch in [3, 7, 8, 20, 55, 120, 13, 299]:
                sched.step(epoch)
                lrs.append(sched.get_last_lr())
        out[lib.__name__] = np.array(lrs)
    np.testing.assert_allclose(out["whiteboard"], out["torch"], **TOL)


@pytest.mark.parametrize("name", ["StepLR", "CosineAnnealingLR", "WarmRestarts",
                                  "CyclicLR-triangular2", "OneCycleLR-cos", "SequentialLR",
                                  "ChainedScheduler", "MultiStepLR"])
@pytest.mark.parametrize("via_file", [False, True])
def test_state_dict_round_trip(name, via_file, tmp_path):
    build = SCHEDULES[name]
    full = trace(wb, build)
    opt = make_opt(wb)
    sched = build(wsched, opt)
    lrs = [[g["lr"] for g in opt.param_groups]]
    for _ in range(120):
        opt.step()
        sched.step()
        lrs.append([g["lr"] for g in opt.param_groups])
    ckpt = {"optimizer": opt.state_dict(), "scheduler": sched.state_dict()}
    if via_file:
        wb.save(ckpt, tmp_path / "ckpt.npz")
        ckpt = wb.load(tmp_path / "ckpt.npz")
    opt2 = make_opt(wb)  # the usual resume order: build both, then load both
    sched2 = build(wsched, opt2)
    opt2.load_state_dict(ckpt["optimizer"])
    sched2.load_state_dict(ckpt["scheduler"])
    for _ in range(STEPS - 120):
        opt2.step()
        sched2.step()
        lrs.append([g["lr"] for g in opt2.param_groups])
    np.testing.assert_allclose(np.array(lrs), full[:, :2], rtol=1e-15)


def test_scheduler_errors():
    opt = make_opt(wb)
    with pytest.raises(TypeError, match="not an Optimizer"):
        wsched.StepLR(object(), 3)
    with pytest.raises(KeyError, match="initial_lr"):
        wsched.StepLR(make_opt(wb), 3, last_epoch=5)
    with pytest.raises(ValueError, match="factor"):
        wsched.ReduceLROnPlateau(opt, factor=1.5)
    with pytest.raises(ValueError, match="T_0"):
        wsched.CosineAnnealingWarmRestarts(opt, T_0=0)
    with pytest.raises(ValueError, match="total_steps"):
        wsched.OneCycleLR(opt, max_lr=0.1)
    with pytest.raises(ValueError, match="milestones"):
        wsched.SequentialLR(opt, [wsched.StepLR(opt, 3)], milestones=[2])
    s = wsched.OneCycleLR(make_opt(wb), max_lr=0.1, total_steps=3)
    for _ in range(3):
        s.step()
    with pytest.raises(ValueError, match="Tried to step 4"):
        s.step()


def test_reduce_on_plateau_state_dict_round_trip(tmp_path):
    rng = np.random.default_rng(11)
    metrics = np.concatenate([np.linspace(1, 0.3, 30), 0.3 + 0.02 * rng.standard_normal(170)])
    kw = dict(factor=0.5, patience=4, cooldown=3, min_lr=[1e-3, 1e-4])
    full = trace(wb, lambda m, o: m.ReduceLROnPlateau(o, **kw), steps=200, metrics=metrics)
    opt = make_opt(wb)
    sched = wsched.ReduceLROnPlateau(opt, **kw)
    for m in metrics[:90]:
        sched.step(m)
    wb.save({"opt": opt.state_dict(), "sched": sched.state_dict()}, tmp_path / "c.npz")
    ckpt = wb.load(tmp_path / "c.npz")
    opt2 = make_opt(wb)
    sched2 = wsched.ReduceLROnPlateau(opt2, **kw)
    opt2.load_state_dict(ckpt["opt"])
    sched2.load_state_dict(ckpt["sched"])
    lrs = []
    for m in metrics[90:]:
        sched2.step(m)
        lrs.append([g["lr"] for g in opt2.param_groups])
    np.testing.assert_array_equal(np.array(lrs), full[91:, :2])
