"""C92: a constant (e.g. zero) initialisation keeps the hidden units identical.

If every hidden unit j has the same incoming weights w_j = w and the same outgoing weights,
the units compute the same h_j, receive the same error δ_j = Σ_k W_kj δ_k σ′(z_j) and get the
same update, so by induction they stay identical for ever: the layer has effective width 1.
With all-zero weights it is worse: for tanh, h = 0, so the output weights get no gradient
signal from h and the hidden weights get δ_j = 0 — only the output biases learn (the class
prior). Random initialisation breaks the symmetry.
"""

import numpy as np

from ... import nn
from ...nn import init
from ._common_claims_eh import accuracy, digits_split, mlp, train_classifier
from ..registry import experiment, verdict

INITS = ("zero", "constant 0.1", "random (default)")


def _init(model, kind):
    if kind == "random (default)":
        return model
    for layer in model.modules():
        if isinstance(layer, nn.Linear):
            init.constant_(layer.weight, 0.0 if kind == "zero" else 0.1)
            init.constant_(layer.bias, 0.0 if kind == "zero" else 0.1)
    return model


@experiment("C92", section="F", title="Constant initialisation keeps hidden units identical",
            expected="reproduce",
            claim="Zero (or any constant) initialisation keeps the hidden units identical, so the "
                  "network cannot learn beyond a width-1 layer.",
            design="MLP 64-32-10 (tanh) on digits, zero / constant 0.1 / default random init, "
                   "SGD momentum 0.9, lr 0.05, 20 epochs (5 quick): maximum pairwise difference "
                   "of the hidden units' incoming weights and test accuracy.",
            code=["whiteboard.nn.init:constant_", "whiteboard.nn:Linear", "whiteboard.optim:SGD"],
            tests=["tests/nn/test_init.py"])
def c92(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed)
    out = {}
    for kind in INITS:
        model = _init(mlp((64, 32, 10), nn.Tanh, seed=seed), kind)
        train_classifier(model, Xtr, ytr, epochs=5 if quick else 20, lr=0.05, seed=seed)
        W = model[0].weight.numpy()
        out[kind] = {"unit_spread": float(np.abs(W - W[:1]).max()),
                     "acc": accuracy(model, Xte, yte)}
    return out


@c92.decide
def _(trials):
    t = trials[0]
    spread = max(t["zero"]["unit_spread"], t["constant 0.1"]["unit_spread"])
    rnd = t["random (default)"]["acc"]
    worst_const = max(t["zero"]["acc"], t["constant 0.1"]["acc"])
    return verdict(spread == 0.0 and rnd - worst_const > 0.3,
                   f"max difference between hidden units' weights after training: {spread:.1e} "
                   f"(zero, constant); test accuracy zero {t['zero']['acc']:.2f}, constant "
                   f"{t['constant 0.1']['acc']:.2f}, random {rnd:.2f}")


@c92.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.bar(range(len(INITS)), [t[k]["acc"] for k in INITS])
    ax.set_xticks(range(len(INITS)))
    ax.set_xticklabels(INITS, fontsize=8)
    ax.set_xlabel("initialisation")
    ax.set_ylabel("test accuracy (digits)")
    ax.set_title("Symmetric init cannot learn")
    fig.tight_layout()
    return [fig]
