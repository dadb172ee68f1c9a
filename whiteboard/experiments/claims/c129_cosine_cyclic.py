"""C129: cyclic and cosine-annealing schedules are good alternatives to step decay.

With the same update budget T and peak rate η₀:

    step      η₀ · 0.1^⌊3t/T⌋                               (StepLR, two drops by 10×)
    cosine    η₀ (1 + cos(πt/T)) / 2                        (CosineAnnealingLR)
    restarts  the cosine over T/4, restarted at η₀ each time (CosineAnnealingWarmRestarts)
    cyclic    triangle between η₀/10 and η₀, period T/4       (CyclicLR, triangular)

"Good alternative" is read as: final test accuracy not worse than step decay beyond seed noise
(paired over seeds, 1-point margin); a constant rate is the baseline all of them should beat or
match.
"""

import numpy as np

from ...optim import SGD
from ...optim import lr_scheduler as S
from ..registry import experiment, verdict
from ..stats import paired_test
from ._common_claims_ad import accuracy, digits_split
from ._common_claims_eh import mlp
from ._common_claims_gh import full_loss, line_figure, train_steps

LR0 = 0.1
MARGIN = 0.01


def _schedules(T):
    return {
        "constant": None,
        "step": lambda o: S.StepLR(o, step_size=T // 3 + 1, gamma=0.1),
        "cosine": lambda o: S.CosineAnnealingLR(o, T_max=T),
        "warm restarts": lambda o: S.CosineAnnealingWarmRestarts(o, T_0=T // 4),
        "cyclic": lambda o: S.CyclicLR(o, base_lr=LR0 / 10, max_lr=LR0, step_size_up=T // 8,
                                       cycle_momentum=False),
    }


def _lr_sequence(make, T):
    from ... import nn

    opt = SGD(nn.Linear(1, 1).parameters(), lr=LR0, momentum=0.9)
    sch = make(opt) if make is not None else None
    out = []
    for _ in range(T):
        out.append(opt.param_groups[0]["lr"])
        if sch is not None:
            sch.step()
    return out


@experiment("C129", section="H", title="Cosine and cyclic schedules vs step decay",
            expected="contested",
            claim="Cyclic and cosine-annealing learning-rate schedules are good alternatives to "
                  "step decay.",
            design="MLP 64-128-10 on digits, SGD momentum 0.9, η₀ = 0.1, batch 32, T = 800 "
                   "updates (quick 300), 5 seeds: constant, StepLR (÷10 at T/3, 2T/3), "
                   "CosineAnnealingLR(T), CosineAnnealingWarmRestarts(T/4), CyclicLR (η₀/10 to "
                   "η₀, period T/4). Evidence: final test accuracy and training loss, paired "
                   "against step decay.",
            code=["whiteboard.optim.lr_scheduler:CosineAnnealingLR",
                  "whiteboard.optim.lr_scheduler:CosineAnnealingWarmRestarts",
                  "whiteboard.optim.lr_scheduler:CyclicLR", "whiteboard.optim.lr_scheduler:StepLR"],
            tests=["tests/optim/test_lr_scheduler.py"], seeds=5)
def c129(seed, quick):
    Xtr, Xte, ytr, yte = digits_split()
    T = 300 if quick else 800
    out = {"T": T}
    for name, make in _schedules(T).items():
        model = mlp((64, 128, 10), seed=seed)
        train_steps(model, Xtr, ytr, lambda p: SGD(p, lr=LR0, momentum=0.9), steps=T,
                    batch_size=32, seed=seed, scheduler=make)
        out[name] = {"test_acc": accuracy(model, Xte, yte),
                     "train_loss": full_loss(model, Xtr, ytr),
                     "lr": _lr_sequence(make, T)[::max(1, T // 100)]}
    return out


@c129.decide
def _(trials):
    step = [t["step"]["test_acc"] for t in trials]
    ok, parts = [], []
    for name in ("cosine", "warm restarts", "cyclic"):
        acc = [t[name]["test_acc"] for t in trials]
        pt = paired_test(acc, step)
        ok.append(pt["mean"] > -MARGIN)
        parts.append(f"{name} {np.mean(acc):.3f} (Δ {pt['mean']:+.3f}, p = {pt['p']:.2f})")
    const = np.mean([t["constant"]["test_acc"] for t in trials])
    return verdict(all(ok), f"test accuracy: step {np.mean(step):.3f}, " + ", ".join(parts)
                   + f", constant {const:.3f} — {len(trials)} seeds, paired vs step")


@c129.plot
def _(trials):
    import matplotlib.pyplot as plt

    names = [k for k in trials[0] if k != "T"]
    T = trials[0]["T"]
    lr_fig = line_figure({k: trials[0][k]["lr"] for k in names}, "update", "learning rate",
                         f"Schedules over T = {T} updates", logy=False,
                         x=np.linspace(0, T, len(trials[0]["step"]["lr"]), endpoint=False))
    fig, ax = plt.subplots(figsize=(5.4, 3.8))
    acc = [[t[k]["test_acc"] for t in trials] for k in names]
    ax.bar(range(len(names)), [np.mean(a) for a in acc], yerr=[np.std(a) for a in acc],
           capsize=3)
    ax.set_xticks(range(len(names)), names, rotation=20, fontsize=8)
    ax.set_ylim(min(min(a) for a in acc) - 0.02, 1.0)
    ax.set_xlabel("schedule")
    ax.set_ylabel("final test accuracy")
    ax.set_title("Digits MLP, SGD momentum, same budget")
    fig.tight_layout()
    return [lr_fig, fig]
