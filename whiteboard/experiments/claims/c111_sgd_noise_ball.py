"""C111: SGD with a constant step stalls in a noise ball; a slowly decaying step converges.

For least squares with per-example gradients g_i(θ) = x_i(x_iᵀθ − y_i), the minibatch gradient
is unbiased but its variance at θ* is σ² = (1/n)Σ‖x_i r_i‖² ≠ 0 (residuals r_i ≠ 0). With a
constant step η, SGD settles where the contraction balances the injected noise,

    E‖θ_t − θ*‖² → O(η σ² / μ)          (a "noise ball" whose size is ∝ η),

whereas a Robbins–Monro step (Σ η_t = ∞, Σ η_t² < ∞), e.g. η_t = η₀/(1 + kt), keeps shrinking
the noise and converges. SGD is the library's ``optim.SGD`` with batch size 1; the decay is
``optim.lr_scheduler.InverseTimeLR`` stepped per update.
"""

import numpy as np

from ... import nn, tensor
from ...optim import SGD
from ...optim.lr_scheduler import InverseTimeLR
from ..registry import experiment, verdict


def _sgd(X, y, theta_star, lr, epochs, decay, seed):
    rng = np.random.default_rng(seed)
    w = nn.Parameter(tensor(np.zeros(X.shape[1])))
    opt = SGD([w], lr=lr)
    sch = InverseTimeLR(opt, decay_rate=decay) if decay else None
    dist = []
    for _ in range(epochs):
        for i in rng.integers(0, len(y), len(y)):      # sampling with replacement
            opt.zero_grad()
            r = tensor(X[i]) @ w - float(y[i])
            ((r * r) / 2).backward()
            opt.step()
            if sch is not None:
                sch.step()
        dist.append(float(np.linalg.norm(w.data - theta_star)))
    return dist


@experiment("C111", section="H", title="Constant-step SGD stalls in a noise ball; decay converges",
            expected="reproduce",
            claim="SGD with a constant step stalls in a noise ball around the optimum (its size "
                  "∝ η); with a slowly decaying step it converges like batch GD.",
            design="Linear regression n = 100, d = 5, noise sd 0.5: batch-1 SGD (library, examples "
                   "drawn with replacement) with "
                   "constant η = 0.02 and 0.005, and η₀ = 0.02 decayed as η₀/(1 + kt), "
                   "k = 0.01 per update; ‖θ − θ*‖ per epoch (50 epochs, 20 quick); plateau of "
                   "the constant runs = mean of the last 5 epochs.",
            code=["whiteboard.optim:SGD", "whiteboard.optim.lr_scheduler:InverseTimeLR"],
            tests=["tests/optim/test_optimizers.py", "tests/optim/test_lr_scheduler.py"],
            seeds=3)
def c111(seed, quick):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(100, 5))
    y = X @ rng.normal(size=5) + 0.5 * rng.normal(size=100)
    theta_star = np.linalg.lstsq(X, y, rcond=None)[0]
    epochs = 20 if quick else 50
    runs = {"constant 0.02": _sgd(X, y, theta_star, 0.02, epochs, 0.0, seed),
            "constant 0.005": _sgd(X, y, theta_star, 0.005, epochs, 0.0, seed),
            "0.02/(1 + 0.01t)": _sgd(X, y, theta_star, 0.02, epochs, 0.01, seed)}
    return {"runs": runs,
            "plateau": {k: float(np.mean(v[-5:])) for k, v in runs.items()},
            "final": {k: v[-1] for k, v in runs.items()}}


@c111.decide
def _(trials):
    p = {k: float(np.mean([t["plateau"][k] for t in trials])) for k in trials[0]["plateau"]}
    f = {k: float(np.mean([t["final"][k] for t in trials])) for k in trials[0]["final"]}
    ratio = p["constant 0.02"] / p["constant 0.005"]
    decayed = f["0.02/(1 + 0.01t)"]
    # noise ball ∝ η in squared distance means ∝ √η in distance: ratio ≈ 2 for η ×4
    holds = 1.3 < ratio < 3.5 and decayed < p["constant 0.005"]
    return verdict(holds, f"plateau ‖θ − θ*‖: η = 0.02 {p['constant 0.02']:.3f}, η = 0.005 "
                          f"{p['constant 0.005']:.3f} (ratio {ratio:.2f}, √4 = 2); decaying step "
                          f"{decayed:.4f} (mean of {len(trials)} seeds)")


@c111.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5.2, 3.7))
    for k, v in t["runs"].items():
        ax.semilogy(np.arange(1, len(v) + 1), v, label=k)
    ax.set_xlabel("epoch")
    ax.set_ylabel("‖θ − θ*‖")
    ax.set_title("Batch-1 SGD on least squares")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
