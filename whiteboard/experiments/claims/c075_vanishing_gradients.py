"""C75: in deep sigmoid networks the gradient vanishes towards the input layers.

Back-propagation multiplies the error by W_lᵀ and σ′(z_l) ≤ 1/4 at every layer (C72):

    δ_l = (W_{l+1}ᵀ δ_{l+1}) ⊙ σ′(z_l),   ‖∂L/∂W_l‖ = ‖δ_l a_{l−1}ᵀ‖,

so with Xavier weights (which keep ‖W_lᵀ v‖ ≈ ‖v‖) the norm shrinks by roughly 1/4 per sigmoid
layer — about 0.25ⁿ over n layers. tanh (σ′ ≤ 1, ≈ 1 near 0) with Xavier and ReLU (derivative 1
on half the units) with He keep the norms of the same order across depth.
"""

import numpy as np

from ... import nn
from ._common_claims_eh import digits_split, init_mlp, layer_grad_norms, mlp
from ..registry import experiment, verdict

DEPTH, WIDTH = 10, 64
SETUPS = (("sigmoid", nn.Sigmoid, "xavier"), ("tanh", nn.Tanh, "xavier"), ("ReLU", nn.ReLU, "he"))


@experiment("C75", section="E", title="Gradients vanish towards the input in deep sigmoid nets",
            expected="reproduce",
            claim="In deep sigmoid networks the gradients vanish towards the input layers (the "
                  "0.25ⁿ effect of σ′ ≤ 1/4).",
            design="10 hidden layers of width 64 on digits (64 → 10), at initialisation: "
                   "‖∂L/∂W_l‖ per layer for sigmoid + Xavier, tanh + Xavier and ReLU + He, "
                   "cross-entropy on the training set; ratio first/last layer, 5 seeds.",
            code=["whiteboard.nn:Sigmoid", "whiteboard.nn.init:xavier_normal_",
                  "whiteboard.nn.init:kaiming_normal_"],
            tests=["tests/nn/test_init.py", "tests/nn/test_activation.py"],
            seeds=5)
def c75(seed, quick):
    Xtr, _, ytr, _ = digits_split(seed, n_train=300 if quick else None)
    out = {}
    for name, act, scheme in SETUPS:
        model = init_mlp(mlp((64,) + (WIDTH,) * DEPTH + (10,), act, seed=seed), scheme)
        g = layer_grad_norms(model, Xtr, ytr)
        out[name] = {"norms": g, "ratio": g[0] / g[-1]}
    return out


@c75.decide
def _(trials):
    r = {n: [t[n]["ratio"] for t in trials] for n, _, _ in SETUPS}
    sig = float(np.exp(np.mean(np.log(r["sigmoid"]))))
    others = min(min(r["tanh"]), min(r["ReLU"]))
    return verdict(max(r["sigmoid"]) < 1e-3 and others > 0.05,
                   f"‖∂L/∂W₁‖/‖∂L/∂W₁₁‖: sigmoid {sig:.1e} (geometric mean of {len(trials)} "
                   f"seeds; 0.25¹⁰ = {0.25 ** 10:.1e}), tanh ≥ {min(r['tanh']):.2f}, "
                   f"ReLU + He ≥ {min(r['ReLU']):.2f}")


@c75.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    for name, _, scheme in SETUPS:
        norms = np.array([t[name]["norms"] for t in trials])
        layers = np.arange(1, norms.shape[1] + 1)
        ax.semilogy(layers, np.exp(np.log(norms).mean(0)), "o-", ms=3,
                    label=f"{name} + {'He' if scheme == 'he' else 'Xavier'}")
    ax.set_xlabel("layer l (1 = input side)")
    ax.set_ylabel("‖∂L/∂W_l‖ at initialisation")
    ax.set_title("Vanishing gradients in a deep sigmoid MLP")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
