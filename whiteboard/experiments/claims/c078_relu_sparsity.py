"""C78: ReLU's one-sided suppression gives sparse activations.

relu(z) = max(0, z) is exactly 0 for every pre-activation z ≤ 0, so on any input a sizeable
fraction of ReLU units output an exact 0 (for symmetric z, about half); σ(z) ∈ (0, 1) and
tanh(z) = 0 only at z = 0 exactly, so sigmoid/tanh layers have no exact zeros.
"""

import numpy as np

from ... import nn, no_grad, tensor
from ._common_claims_eh import accuracy, digits_split, mlp, train_classifier
from ..registry import experiment, verdict

ACTS = {"ReLU": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh}


def _hidden_zero_fraction(model, X):
    zeros, total = 0, 0
    h = tensor(X)
    with no_grad():
        for layer in list(model)[:-1]:
            h = layer(h)
            if not isinstance(layer, nn.Linear):
                a = h.numpy()
                zeros += int(np.sum(a == 0.0))
                total += a.size
    return zeros / total


@experiment("C78", section="E", title="ReLU gives sparse activations; sigmoid/tanh do not",
            expected="reproduce",
            claim="ReLU's one-sided suppression gives sparse activations.",
            design="MLP 64-128-128-10 on digits with ReLU, sigmoid or tanh, SGD momentum 0.9, "
                   "lr 0.05, 10 epochs (2 quick): fraction of exact zeros among the hidden "
                   "activations on the test set.",
            code=["whiteboard.nn:ReLU", "whiteboard.nn:Sigmoid", "whiteboard.nn:Tanh"],
            tests=["tests/nn/test_activation.py"])
def c78(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed)
    out = {}
    for name, act in ACTS.items():
        model = mlp((64, 128, 128, 10), act, seed=seed)
        train_classifier(model, Xtr, ytr, epochs=2 if quick else 10, lr=0.05, seed=seed)
        out[name] = {"zero_fraction": _hidden_zero_fraction(model, Xte),
                     "acc": accuracy(model, Xte, yte)}
    return out


@c78.decide
def _(trials):
    t = trials[0]
    z = {k: t[k]["zero_fraction"] for k in ACTS}
    return verdict(z["ReLU"] > 0.3 and z["sigmoid"] == 0 and z["tanh"] == 0,
                   f"exact zeros among hidden activations (test set): ReLU {z['ReLU']:.0%}, "
                   f"sigmoid {z['sigmoid']:.0%}, tanh {z['tanh']:.0%} (accuracies "
                   + ", ".join(f"{t[k]['acc']:.2f}" for k in ACTS) + ")")


@c78.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(4.6, 3.4))
    ax.bar(range(len(ACTS)), [t[k]["zero_fraction"] for k in ACTS])
    ax.set_xticks(range(len(ACTS)))
    ax.set_xticklabels(list(ACTS))
    ax.set_xlabel("activation")
    ax.set_ylabel("fraction of exact zeros (hidden)")
    ax.set_title("Activation sparsity after training")
    fig.tight_layout()
    return [fig]
