"""C126: step, exponential, 1/t, cosine, warm-restart, cyclic and linear-warmup schedules follow
their formulas, and the notes' "lower the rate when progress stalls" rule is ReduceLROnPlateau.

Closed forms over steps t = 0, 1, … (lr₀ the base rate):

    step         lr₀ · γ^⌊t/s⌋                           (StepLR)
    exponential  lr₀ · e^{−kt} = lr₀ · γ^t, γ = e^{−k}     (ExponentialLR)
    1/t          lr₀ / (1 + kt)                          (InverseTimeLR = LambdaLR(1/(1 + kt)))
    cosine       η_min + (lr₀ − η_min)(1 + cos(πt/T))/2   (CosineAnnealingLR)
    restarts     the cosine with T_i = T₀·T_mult^i, restarting at lr₀ (CosineAnnealingWarmRestarts)
    cyclic       triangle between base_lr and max_lr     (CyclicLR)
    warmup       lr₀ · (f₀ + (1 − f₀)·min(t, T)/T)        (LinearLR)

Each library scheduler drives the library's SGD for 100 steps; its rate sequence is compared
with PyTorch's scheduler on a torch SGD (the oracle) and with the closed form.
"""

import math

import numpy as np

from ... import nn, optim, tensor
from ...optim import lr_scheduler as ours
from ..registry import REFUTED, experiment, verdict

STEPS = 100
LR0 = 0.1
K = 0.05
# name: (library factory, torch factory, closed form of t or None)
SCHEDULES = {
    "StepLR": (lambda o: ours.StepLR(o, step_size=10, gamma=0.5),
               lambda o, S: S.StepLR(o, step_size=10, gamma=0.5),
               lambda t: LR0 * 0.5 ** (t // 10)),
    "ExponentialLR": (lambda o: ours.ExponentialLR(o, gamma=math.exp(-K)),
                      lambda o, S: S.ExponentialLR(o, gamma=math.exp(-K)),
                      lambda t: LR0 * math.exp(-K * t)),
    "1/t (InverseTimeLR)": (lambda o: ours.InverseTimeLR(o, decay_rate=K),
                            lambda o, S: S.LambdaLR(o, lambda t: 1 / (1 + K * t)),
                            lambda t: LR0 / (1 + K * t)),
    "CosineAnnealingLR": (lambda o: ours.CosineAnnealingLR(o, T_max=STEPS, eta_min=1e-3),
                          lambda o, S: S.CosineAnnealingLR(o, T_max=STEPS, eta_min=1e-3),
                          lambda t: 1e-3 + (LR0 - 1e-3) * (1 + math.cos(math.pi * t / STEPS)) / 2),
    "CosineAnnealingWarmRestarts": (
        lambda o: ours.CosineAnnealingWarmRestarts(o, T_0=10, T_mult=2),
        lambda o, S: S.CosineAnnealingWarmRestarts(o, T_0=10, T_mult=2),
        None),
    "CyclicLR": (lambda o: ours.CyclicLR(o, base_lr=0.01, max_lr=LR0, step_size_up=15),
                 lambda o, S: S.CyclicLR(o, base_lr=0.01, max_lr=LR0, step_size_up=15),
                 lambda t: 0.01 + (LR0 - 0.01) * max(0.0, 1 - abs(t / 15 - 2 * (t // 30) - 1))),
    "LinearLR (warmup)": (lambda o: ours.LinearLR(o, start_factor=0.1, total_iters=20),
                          lambda o, S: S.LinearLR(o, start_factor=0.1, total_iters=20),
                          lambda t: LR0 * (0.1 + 0.9 * min(t, 20) / 20)),
}


def _ours(factory):
    w = nn.Parameter(tensor(np.zeros(3)))
    opt = optim.SGD([w], lr=LR0, momentum=0.9)
    sch = factory(opt)
    lrs = []
    for _ in range(STEPS):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sch.step()
    return lrs


def _torch(factory):
    import torch

    w = torch.zeros(3, requires_grad=True)
    opt = torch.optim.SGD([w], lr=LR0, momentum=0.9)
    sch = factory(opt, torch.optim.lr_scheduler)
    lrs = []
    for _ in range(STEPS):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sch.step()
    return lrs


def _plateau_metric():
    """A loss that improves for 20 epochs, stalls for 30, improves and stalls again."""
    t = np.arange(STEPS)
    return np.where(t < 20, 1.0 - 0.02 * t,
                    np.where(t < 50, 0.6, np.where(t < 70, 0.6 - 0.01 * (t - 50), 0.4))).tolist()


def _plateau(metric, lib):
    if lib == "ours":
        w = nn.Parameter(tensor(np.zeros(3)))
        opt = optim.SGD([w], lr=LR0)
        sch = ours.ReduceLROnPlateau(opt, factor=0.5, patience=5)
    else:
        import torch

        opt = torch.optim.SGD([torch.zeros(3, requires_grad=True)], lr=LR0)
        sch = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=5)
    lrs = []
    for m in metric:
        lrs.append(opt.param_groups[0]["lr"])
        sch.step(m)
    return lrs


@experiment("C126", section="H", title="Learning-rate schedules follow their formulas",
            expected="reproduce",
            claim="Step, exponential (α₀e^{−kt}), 1/t (α₀/(1 + kt)), cosine and linear-warmup "
                  "schedules follow their formulas; lowering the rate when the improvement falls "
                  "below a threshold is ReduceLROnPlateau.",
            design="100 steps of the library's SGD under each library scheduler (StepLR, "
                   "ExponentialLR with γ = e^{−k}, InverseTimeLR, CosineAnnealingLR, "
                   "CosineAnnealingWarmRestarts, CyclicLR, LinearLR) against torch's scheduler "
                   "(LambdaLR for 1/t) and the closed form; ReduceLROnPlateau on a scripted "
                   "loss with two plateaus against torch's.",
            code=["whiteboard.optim.lr_scheduler:StepLR",
                  "whiteboard.optim.lr_scheduler:ExponentialLR",
                  "whiteboard.optim.lr_scheduler:InverseTimeLR",
                  "whiteboard.optim.lr_scheduler:CosineAnnealingLR",
                  "whiteboard.optim.lr_scheduler:CosineAnnealingWarmRestarts",
                  "whiteboard.optim.lr_scheduler:CyclicLR",
                  "whiteboard.optim.lr_scheduler:LinearLR",
                  "whiteboard.optim.lr_scheduler:ReduceLROnPlateau"],
            tests=["tests/optim/test_lr_scheduler.py"])
def c126(seed, quick):
    rows = []
    for name, (mine, theirs, formula) in SCHEDULES.items():
        a, b = _ours(mine), _torch(theirs)
        row = {"name": name, "lrs": a,
               "vs_torch": float(np.max(np.abs(np.subtract(a, b)) / LR0))}
        if formula is not None:
            row["vs_formula"] = float(np.max(np.abs(np.subtract(a, [formula(t) for t in
                                                                    range(STEPS)])) / LR0))
        rows.append(row)
    metric = _plateau_metric()
    pa, pb = _plateau(metric, "ours"), _plateau(metric, "torch")
    rows.append({"name": "ReduceLROnPlateau", "lrs": pa,
                 "vs_torch": float(np.max(np.abs(np.subtract(pa, pb)) / LR0)),
                 "reductions": int(np.sum(np.diff(pa) < 0))})
    return {"rows": rows, "metric": metric}


@c126.decide
def _(trials):
    rows = trials[0]["rows"]
    torch_err = max(r["vs_torch"] for r in rows)
    formula_err = max(r.get("vs_formula", 0.0) for r in rows)
    red = next(r["reductions"] for r in rows if r["name"] == "ReduceLROnPlateau")
    return verdict(torch_err <= 1e-12 and formula_err <= 1e-12 and red > 0,
                   f"max |lr − torch|/lr₀ = {torch_err:.1e} over {len(rows)} schedulers; "
                   f"|lr − closed form|/lr₀ = {formula_err:.1e}; plateau rule cut the rate "
                   f"{red}×", otherwise=REFUTED)


@c126.plot
def _(trials):
    import matplotlib.pyplot as plt

    rows = trials[0]["rows"]
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for r in rows:
        ax.plot(r["lrs"], label=r["name"], lw=1.2)
    ax.set_xlabel("step t")
    ax.set_ylabel("learning rate")
    ax.set_title("Library schedules (= torch's to rounding)")
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return [fig]
