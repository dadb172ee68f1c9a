"""C139: gradient clipping prevents exploding gradients from blowing up training.

    clip by norm   g ← g · min(1, c / ‖g‖₂)      (‖g‖ over all parameters together)
    clip by value  g ← clamp(g, −c, c)

Clipping by norm keeps the direction and bounds the step to lr·c, so an exploding gradient (C76)
can no longer throw the weights to infinity. The library's ``optim.clip_grad_norm_`` /
``clip_grad_value_`` are compared with torch's on random gradients, then used on the C76 setting
(a 20-layer linear net with weight std 2/√n, SGD lr 0.01) over several seeds.
"""

import numpy as np

from ... import nn, optim, tensor
from ._common_claims_eh import digits_split, init_mlp, mlp
from ..registry import experiment, verdict


def _vs_torch(seed):
    import torch

    rng = np.random.default_rng(seed)
    shapes = [(5, 3), (7,), (4, 4, 2)]
    errs = []
    for clip in ("norm", "value"):
        grads = [rng.normal(0, 10, s) for s in shapes]
        ours = [nn.Parameter(tensor(np.zeros(s))) for s in shapes]
        theirs = [torch.zeros(s, dtype=torch.float64, requires_grad=True) for s in shapes]
        for p, q, g in zip(ours, theirs, grads):
            p.grad = tensor(g.copy())
            q.grad = torch.tensor(g.copy())
        if clip == "norm":
            n1 = float(optim.clip_grad_norm_(ours, 1.0))
            n2 = float(torch.nn.utils.clip_grad_norm_(theirs, 1.0))
            errs.append(abs(n1 - n2) / n2)
        else:
            optim.clip_grad_value_(ours, 0.5)
            torch.nn.utils.clip_grad_value_(theirs, 0.5)
        errs.append(max(float(np.abs(p.grad.numpy() - q.grad.numpy()).max())
                        for p, q in zip(ours, theirs)))
    return max(errs)


def _train(seed, clip, steps=20):
    Xtr, _, ytr, _ = digits_split(seed, n_train=256)
    Xtr = Xtr / 8.0
    model = init_mlp(mlp((64,) + (64,) * 19 + (10,), None, seed=seed), f"normal:{2 / 8}")
    opt = optim.SGD(model.parameters(), lr=0.01)
    lossf = nn.CrossEntropyLoss()
    rng = np.random.default_rng(seed)
    losses = []
    with np.errstate(all="ignore"):
        for _ in range(steps):
            b = rng.choice(len(ytr), 64, replace=False)
            opt.zero_grad()
            loss = lossf(model(tensor(Xtr[b])), tensor(ytr[b]))
            losses.append(float(loss.item()))
            if not np.isfinite(losses[-1]):
                break
            loss.backward()
            if clip:
                optim.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
    return {"diverged": not np.isfinite(losses[-1]),
            "losses": [v if np.isfinite(v) else 1e308 for v in losses]}


@experiment("C139", section="H", title="Gradient clipping prevents exploding gradients",
            expected="reproduce",
            claim="Gradient clipping prevents exploding gradients (from making training "
                  "diverge).",
            design="clip_grad_norm_(1.0) / clip_grad_value_(0.5) vs torch's on random gradients; "
                   "then the C76 net (20 linear layers, width 64, weight std 2/√64, digits, SGD "
                   "lr 0.01, 20 steps) with and without clipping by norm 1.0, 5 seeds: "
                   "divergence (NaN/inf) rate.",
            code=["whiteboard.optim:clip_grad_norm_", "whiteboard.optim:clip_grad_value_"],
            tests=["tests/optim/test_clip.py"], seeds=5)
def c139(seed, quick):
    return {"vs_torch": _vs_torch(seed), "no_clip": _train(seed, False),
            "clip": _train(seed, True)}


@c139.decide
def _(trials):
    err = max(t["vs_torch"] for t in trials)
    nan_off = float(np.mean([t["no_clip"]["diverged"] for t in trials]))
    nan_on = float(np.mean([t["clip"]["diverged"] for t in trials]))
    return verdict(err < 1e-12 and nan_off > 0.5 and nan_on == 0,
                   f"divergence rate without clipping {nan_off:.0%}, with clip_grad_norm_(1) "
                   f"{nan_on:.0%} ({len(trials)} seeds; clipped runs' median final loss "
                   f"{np.median([t['clip']['losses'][-1] for t in trials]):.3g}: finite, not yet "
                   f"trained); clip functions = torch to {err:.0e}")


@c139.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.6))
    for i, t in enumerate(trials):
        for key, ls in (("no_clip", "--"), ("clip", "-")):
            v = np.minimum(t[key]["losses"], 1e12)
            ax.semilogy(v, ls=ls, color=f"C{i}", lw=0.9,
                        label=("no clipping" if key == "no_clip" else "clip norm 1") if i == 0
                        else None)
    ax.set_xlabel("SGD step")
    ax.set_ylabel("training loss (capped at 1e12)")
    ax.set_title("20-layer net, weight std 2/√n")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
