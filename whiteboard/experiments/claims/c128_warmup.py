"""C128: linear warm-up stabilises training at a high base learning rate.

Warm-up multiplies the rate by f_t = f₀ + (1 − f₀)·min(t, T)/T (LinearLR): the first updates,
taken while the randomly initialised network's gradients are largest and least informative, are
small, and the full rate is applied only once training has reached flatter ground. The test is a
deep residual MLP — 16 blocks x ← x + W₂ ReLU(BN(W₁x)) — trained with SGD momentum 0.9 at
η ∈ {0.2, 0.5}, with and without a 100-update warm-up from f₀ = 0.01, over 10 seeds. The claim
holds if at some high η warm-up lowers the share of unstable runs without costing accuracy.
"""

import numpy as np

from ... import backend, nn
from ...optim import SGD
from ...optim.lr_scheduler import LinearLR
from ..registry import experiment, verdict
from ._common_claims_ad import accuracy, digits_split
from ._common_claims_gh import line_figure, train_steps

LRS = (0.2, 0.5)
WARMUP = 100
BLOCKS = 16
WIDTH = 64
SPIKE = 10.0    # a failed run: a mini-batch loss > 10 in the first 200 updates, or test acc < 0.5


class _Block(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(width, width), nn.BatchNorm1d(width), nn.ReLU(),
                                  nn.Linear(width, width))

    def forward(self, x):
        return x + self.body(x)


def residual_mlp(seed, blocks=BLOCKS, width=WIDTH):
    """64 → width, ``blocks`` residual blocks, → 10 (float64, PyTorch default init, seeded)."""
    backend.manual_seed(seed)
    return nn.Sequential(nn.Linear(64, width), *[_Block(width) for _ in range(blocks)],
                         nn.ReLU(), nn.Linear(width, 10)).double()


@experiment("C128", section="H", title="Linear warm-up at a high learning rate",
            expected="contested",
            claim="Linear warm-up of the learning rate stabilises training at a high base "
                  "learning rate.",
            design="16-block residual MLP with BatchNorm (width 64) on digits, SGD momentum 0.9, "
                   "η ∈ {0.2, 0.5} (quick: 0.2 only), batch 32, 400 updates (quick 200), with vs "
                   "without a "
                   "100-update LinearLR warm-up from 0.01·η; 10 seeds. Evidence: share of failed "
                   "runs (a mini-batch loss > 10 or non-finite in the first 200 updates, or "
                   "final test accuracy < 0.5); final test "
                   "accuracy (paired over seeds).",
            code=["whiteboard.optim.lr_scheduler:LinearLR", "whiteboard.optim:SGD",
                  "whiteboard.nn:BatchNorm1d"],
            tests=["tests/optim/test_lr_scheduler.py"], seeds=10)
def c128(seed, quick):
    Xtr, Xte, ytr, yte = digits_split()
    # quick mode keeps the deciding setting (at η = 0.5 both schedules fail) and the 200-update
    # window in which failures are counted, to stay inside the 20 s quick budget
    steps = 200 if quick else 400
    lrs = LRS[:1] if quick else LRS
    out = {"steps": steps, "lrs": list(lrs)}
    for lr in lrs:
        row = {}
        for name, sched in (("constant", None),
                            ("warm-up", lambda o: LinearLR(o, start_factor=0.01,
                                                           total_iters=WARMUP))):
            model = residual_mlp(seed)
            r = train_steps(model, Xtr, ytr, lambda p, lr=lr: SGD(p, lr=lr, momentum=0.9),
                            steps=steps, batch_size=32, seed=seed, scheduler=sched, blowup=1e6)
            early = np.array(r["batch_loss"][:200])
            diverged = not np.isfinite(r["batch_loss"][-1])
            row[name] = {"early_max": float(early.max()) if np.isfinite(early).all() else 1e6,
                         "curve": [min(v, 1e6) for v in r["batch_loss"]],
                         "test_acc": 0.1 if diverged else accuracy(model, Xte, yte)}
        out[str(lr)] = row
    return out


@c128.decide
def _(trials):
    from ..stats import paired_test

    ok, parts = [], []
    for lr in trials[0]["lrs"]:
        rows = [t[str(lr)] for t in trials]
        unstable = {k: float(np.mean([r[k]["early_max"] > SPIKE or r[k]["test_acc"] < 0.5
                                      for r in rows]))
                    for k in ("constant", "warm-up")}
        acc_c = [r["constant"]["test_acc"] for r in rows]
        acc_w = [r["warm-up"]["test_acc"] for r in rows]
        pt = paired_test(acc_w, acc_c)
        ok.append(unstable["warm-up"] < unstable["constant"] and pt["mean"] > -0.01)
        parts.append(f"η = {lr:g}: failed runs "
                     f"constant {unstable['constant']:.0%}, warm-up {unstable['warm-up']:.0%}, "
                     f"test accuracy {np.mean(acc_c):.3f} vs {np.mean(acc_w):.3f} (paired Δ "
                     f"{pt['mean']:+.3f}, p = {pt['p']:.2f})")
    return verdict(any(ok), "; ".join(parts) + f" — {len(trials)} seeds")


@c128.plot
def _(trials):
    figs = []
    for lr in trials[0]["lrs"]:
        curves = {}
        for k in ("constant", "warm-up"):
            c = np.array([t[str(lr)][k]["curve"] for t in trials])
            curves[f"{k}: median"] = np.median(c, 0)
            curves[f"{k}: worst seed"] = c.max(0)
        figs.append(line_figure(curves, "update", "mini-batch loss (capped at 1e6)",
                                f"{BLOCKS}-block residual MLP, SGD momentum, η = {lr:g}"))
    return figs
