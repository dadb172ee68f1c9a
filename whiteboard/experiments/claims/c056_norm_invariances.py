"""C56, C57: what BatchNorm's output depends on.

C56: GroupNorm normalises each sample over its own (C/G, H, W) groups, so a sample's output is
identical whatever batch it is in; training-mode BN mixes the batch's statistics into every sample.
C57: BN removes the scale of the preceding weights: for a > 0,
    BN((aW)x) = BN(Wx)   (up to ε),   ∂L/∂(aW) = (1/a)·∂L/∂W,
since μ and σ scale with a and x̂ does not.
"""

import numpy as np

from ... import nn, no_grad, tensor
from ..registry import REFUTED, experiment, verdict
from ._common_claims_ad import bar_figure


@experiment("C56", section="C", title="GN output is independent of the batch; BN's is not",
            expected="reproduce",
            claim="A sample's GN output is independent of the rest of the batch; BN's (training "
                  "mode) is not.",
            design="One fixed (8, 6, 6) sample placed in random batches of 2, 8 and 32 others: "
                   "max difference of its output across batches for GroupNorm(4) and training "
                   "mode BatchNorm2d.",
            code=["whiteboard.nn:GroupNorm", "whiteboard.nn:BatchNorm2d"],
            tests=["tests/nn/test_normalization.py"])
def c56(seed, quick):
    rng = np.random.default_rng(seed)
    sample = rng.normal(size=(1, 8, 6, 6))
    gn, bn = nn.GroupNorm(4, 8, dtype=np.float64), nn.BatchNorm2d(8, dtype=np.float64)
    outs = {"GN": [], "BN": []}
    for others in (2, 8, 32):
        batch = np.vstack([sample, rng.normal(1.0, 2.0, size=(others, 8, 6, 6))])
        with no_grad():
            outs["GN"].append(gn(tensor(batch)).numpy()[0])
            outs["BN"].append(bn(tensor(batch)).numpy()[0])
    return {k: float(max(np.abs(v[0] - w).max() for w in v[1:])) for k, v in outs.items()}


@c56.decide
def _(trials):
    gn, bn = max(t["GN"] for t in trials), min(t["BN"] for t in trials)
    return verdict(gn == 0.0 and bn > 1e-3,
                   f"same sample in different batches: GN diff {gn:.1e}, BN diff {bn:.2f}",
                   otherwise=REFUTED)


@c56.plot
def _(trials):
    t = trials[0]
    return [bar_figure(["GroupNorm", "BatchNorm (train)"], [max(t["GN"], 1e-17), t["BN"]],
                       "max output change across batches (log)", "Batch dependence", log=True)]


@experiment("C57", section="C", title="BN removes the effect of weight scale",
            expected="reproduce",
            claim="BN removes the effect of weight scale: BN((aW)x) = BN(Wx) and "
                  "d/d(aW) = (1/a) d/dW.",
            design="Linear(20, 16, no bias) -> BatchNorm1d (training mode, eps = 0 to make the "
                   "identity exact) -> random linear loss, float64, for a in {0.01, 0.5, 3, 100}: "
                   "output and weight-gradient identities.",
            code=["whiteboard.nn:BatchNorm1d", "whiteboard.nn:Linear"],
            tests=["tests/nn/test_normalization.py"])
def c57(seed, quick):
    rng = np.random.default_rng(seed)
    x, g = rng.normal(size=(32, 20)), rng.normal(size=(32, 16))
    w0 = rng.normal(size=(16, 20)) * 0.3

    def run(a):
        lin = nn.Linear(20, 16, bias=False).double()
        lin.weight.data = a * w0
        bn = nn.BatchNorm1d(16, eps=0.0, dtype=np.float64)
        y = bn(lin(tensor(x)))
        (y * tensor(g)).sum().backward()
        return y.numpy(), lin.weight.grad.numpy()

    y1, g1 = run(1.0)
    rows = []
    for a in (0.01, 0.5, 3.0, 100.0):
        ya, ga = run(a)
        rows.append({"a": a, "out_err": float(np.abs(ya - y1).max()),
                     "grad_err": float(np.abs(ga - g1 / a).max() / np.abs(g1 / a).max())})
    return {"rows": rows}


@c57.decide
def _(trials):
    rows = [r for t in trials for r in t["rows"]]
    o, g = max(r["out_err"] for r in rows), max(r["grad_err"] for r in rows)
    return verdict(o < 1e-8 and g < 1e-8,
                   f"max |BN(aWx) - BN(Wx)| {o:.1e}; max rel |grad_aW - grad_W/a| {g:.1e} "
                   f"for a in 0.01..100", otherwise=REFUTED)


@c57.plot
def _(trials):
    import matplotlib.pyplot as plt

    rows = trials[0]["rows"]
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    a = [r["a"] for r in rows]
    ax.loglog(a, [max(r["out_err"], 1e-18) for r in rows], "o-", label="output")
    ax.loglog(a, [max(r["grad_err"], 1e-18) for r in rows], "s-", label="gradient x a")
    ax.set_xlabel("weight scale a")
    ax.set_ylabel("max deviation")
    ax.set_title("BN scale invariance")
    ax.legend()
    fig.tight_layout()
    return [fig]
