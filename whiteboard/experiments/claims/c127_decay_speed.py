"""C127: decaying the learning rate too fast freezes progress; too slow wastes steps.

With exponential decay η_t = η₀ e^{−kt} the total distance SGD can still travel after step t is
bounded by Σ_{s≥t} η_s ≈ η_t / k: a large k makes it finite and small (progress freezes before the
minimum), while k = 0 keeps the step at η₀, and where the per-example gradients do not vanish at
the optimum, SGD then hovers in a noise ball of radius ∝ η₀ instead of settling (C111). The
U-shape therefore needs gradient noise at the optimum: on an over-parameterised MLP that
interpolates its training set the noise vanishes with the loss and no decay may be best. Both
cases are run: the note's MLP on digits and L2-regularised softmax regression on digits (strongly
convex, non-zero per-example gradients at the optimum). k is given as k·T (T the number of updates)
so that quick mode, with fewer updates, decays over the same fraction of its run.
"""

import math

import numpy as np

from ...optim import SGD
from ...optim.lr_scheduler import ExponentialLR
from ..registry import experiment, verdict
from ._common_claims_ad import digits_split, seeds_or_single
from ._common_claims_eh import mlp
from ._common_claims_gh import full_loss, line_figure, train_steps

KT = (0.0, 0.2, 2.0, 20.0, 200.0)     # k · T: k = 1e-4 … 1e-1 per step at T = 2,000
LR0 = 0.5
WEIGHT_DECAY = 1e-2
PROBLEMS = {"MLP 64-64-10": ((64, 64, 10), 0.0),
            "softmax regression + L2": ((64, 10), WEIGHT_DECAY)}


def _objective(model, X, y, wd):
    """Training cross-entropy plus the L2 term SGD's weight_decay minimises (wd/2 · Σ‖θ‖²)."""
    reg = sum(float((p.numpy() ** 2).sum()) for p in model.parameters()) if wd else 0.0
    return full_loss(model, X, y) + wd / 2 * reg


@experiment("C127", section="H", title="Decaying the learning rate too fast or too slowly",
            expected="reproduce",
            claim="Decaying the learning rate too fast freezes progress; decaying it too slowly "
                  "wastes steps.",
            design="SGD η₀ = 0.5, batch 32, exponential decay η_t = η₀e^{−kt} (library "
                   "ExponentialLR, γ = e^{−k}) with k·T ∈ {0, 0.2, 2, 20, 200} over T = 2,000 "
                   "updates (quick 600), 5 seeds, on the MLP 64-64-10 of the note and on "
                   "L2-regularised (weight decay 1e-2) softmax regression on digits. Evidence: "
                   "final training objective vs k (U-shaped: interior minimum beyond seed noise).",
            code=["whiteboard.optim.lr_scheduler:ExponentialLR", "whiteboard.optim:SGD"],
            tests=["tests/optim/test_lr_scheduler.py"], seeds=5)
def c127(seed, quick):
    Xtr, _, ytr, _ = digits_split()
    steps = 600 if quick else 2000
    out = {"kt": list(KT), "steps": steps}
    for name, (widths, wd) in PROBLEMS.items():
        final, curves = [], []
        for kt in KT:
            gamma = math.exp(-kt / steps)
            model = mlp(widths, seed=seed)
            r = train_steps(model, Xtr, ytr,
                            lambda p, wd=wd: SGD(p, lr=LR0, weight_decay=wd), steps=steps,
                            batch_size=32, seed=seed, eval_every=steps // 20,
                            scheduler=lambda o, g=gamma: ExponentialLR(o, gamma=g))
            final.append(_objective(model, Xtr, ytr, wd))
            curves.append(r["full"])
        out[name] = {"final": final, "curves": curves}
    return out


def _u_shape(trials, name):
    """(U-shaped, fastest decay freezes, text): the best k beats k = 0 and the fastest decay
    beyond seed noise; freezing also needs the fastest decay to end 1.5× above the best."""
    F = np.array([t[name]["final"] for t in trials])
    mean = F.mean(0)
    best = int(np.argmin(mean))
    slow_worse = seeds_or_single(list(F[:, 0]), list(F[:, best])) if best != 0 else False
    fast_worse = (seeds_or_single(list(F[:, -1]), list(F[:, best]))
                  if best != len(KT) - 1 else False)
    kt = trials[0]["kt"]
    text = (f"{name}: no decay {mean[0]:.4f}, best k·T = {kt[best]:g} {mean[best]:.4f}, "
            f"k·T = {kt[-1]:g} {mean[-1]:.4f}")
    return slow_worse and fast_worse, fast_worse and mean[-1] > 1.5 * mean[best], text


@c127.decide
def _(trials):
    res = [_u_shape(trials, name) for name in PROBLEMS]
    u = [r[0] for r in res]
    freeze = all(r[1] for r in res)
    note = ("U-shaped in both" if all(u) else
            "U-shaped only where SGD keeps gradient noise at the optimum" if any(u) else
            "not U-shaped")
    return verdict(all(u) and freeze, f"{note}: " + "; ".join(r[2] for r in res)
                   + f" (final training objective, mean of {len(trials)} seeds)")


@c127.plot
def _(trials):
    figs = []
    steps = trials[0]["steps"]
    for name in PROBLEMS:
        curves = {f"k·T = {kt:g}": np.mean([t[name]["curves"][i] for t in trials], 0)
                  for i, kt in enumerate(trials[0]["kt"])}
        n = len(next(iter(curves.values())))
        figs.append(line_figure(curves, "update", "training objective",
                                f"{name}: exponential decay η₀e^(−kt), η₀ = {LR0}",
                                x=np.linspace(0, steps, n)))
    return figs
