"""C76: large initial weights make the gradients of deep networks explode.

In a linear network with weights of std g/√n (n = width), each layer multiplies the norm of a
vector by about g, forwards (a_l) and backwards (δ_l = W_{l+1}ᵀ δ_{l+1}). With a softmax
cross-entropy, ‖∂L/∂z_L‖ ≤ √2, so the first layer's gradient is

    ‖∂L/∂W₁‖ = ‖δ₁ xᵀ‖ ≈ g^{D−1} ‖∂L/∂z_D‖ ‖x‖:   log ‖∂L/∂W₁‖ grows with slope log g in the depth D

— vanishing for g < 1, exploding for g > 1. A gradient step then overshoots and the loss
diverges at g = 2 without clipping (C139 is the cure).
"""

import numpy as np

from ... import nn, optim, tensor
from ._common_claims_eh import digits_split, init_mlp, layer_grad_norms, mlp
from ..registry import experiment, verdict

GAINS = (0.5, 1.0, 2.0)
WIDTH = 64


def _net(depth, g, seed):
    return init_mlp(mlp((64,) + (WIDTH,) * (depth - 1) + (10,), None, seed=seed),
                    f"normal:{g / np.sqrt(WIDTH)}")


@experiment("C76", section="E", title="Large initial weights make deep-net gradients explode",
            expected="reproduce",
            claim="Large initial weights in deep networks make the gradients explode.",
            design="Linear MLPs (width 64) on digits, weights N(0, g²/64), g ∈ {0.5, 1, 2}, "
                   "depth D = 2 … 20: log ‖∂L/∂W₁‖ vs D at initialisation (slope against log g); "
                   "then 20 SGD steps (lr 0.01, batch 64) of the 20-layer nets: does the loss "
                   "become non-finite (NaN/inf) at g = 2?",
            code=["whiteboard.nn:Linear", "whiteboard.nn.init:normal_", "whiteboard.optim:SGD"],
            tests=["tests/nn/test_init.py"])
def c76(seed, quick):
    Xtr, _, ytr, _ = digits_split(seed, n_train=256)
    Xtr = Xtr / np.sqrt(64)                       # unit-norm-ish inputs
    depths = list(range(2, 21, 3 if quick else 1))
    out = {"depths": depths, "gains": list(GAINS), "grad": {}, "slope": {}, "train": {}}
    for g in GAINS:
        norms = [layer_grad_norms(_net(d, g, seed), Xtr, ytr)[0] for d in depths]
        out["grad"][str(g)] = norms
        out["slope"][str(g)] = float(np.polyfit(depths, np.log(norms), 1)[0])
        model = _net(20, g, seed)
        opt = optim.SGD(model.parameters(), lr=0.01)
        lossf = nn.CrossEntropyLoss()
        rng = np.random.default_rng(seed)
        losses = []
        with np.errstate(all="ignore"):
            for _ in range(20):
                b = rng.choice(len(ytr), 64, replace=False)
                opt.zero_grad()
                loss = lossf(model(tensor(Xtr[b])), tensor(ytr[b]))
                losses.append(float(loss.item()))
                if not np.isfinite(losses[-1]):
                    break
                loss.backward()
                opt.step()
        out["train"][str(g)] = {"losses": [x if np.isfinite(x) else 1e308 for x in losses],
                                "diverged": bool(not np.isfinite(losses[-1]))}
    return out


@c76.decide
def _(trials):
    t = trials[0]
    dev = max(abs(t["slope"][str(g)] - np.log(g)) for g in GAINS)
    div = {g: t["train"][str(g)]["diverged"] for g in GAINS}
    holds = dev < 0.15 and t["slope"]["2.0"] > 0.5 and div[2.0] and not div[1.0]
    return verdict(holds,
                   "slope of log‖∂L/∂W₁‖ per layer: " + ", ".join(
                       f"g = {g}: {t['slope'][str(g)]:+.2f} (log g {np.log(g):+.2f})"
                       for g in GAINS) +
                   f"; 20-layer SGD diverged: g = 2 {div[2.0]}, g = 1 {div[1.0]}")


@c76.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5.2, 3.8))
    for g in GAINS:
        ax.semilogy(t["depths"], t["grad"][str(g)], "o-", ms=3, label=f"g = {g}")
    ax.set_xlabel("depth D (linear layers)")
    ax.set_ylabel("‖∂L/∂W₁‖ at initialisation")
    ax.set_title("Weight std g/√n: gradients ∝ g^D")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
