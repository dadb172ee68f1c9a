"""C89: without non-linear activations a deep network collapses to one linear map.

With identity activations, f(x) = W_L(…(W_2(W_1x + b_1) + b_2)…) + b_L = W x + b with

    W = W_L ⋯ W_2 W_1,   b = Σ_l W_L ⋯ W_{l+1} b_l,

so depth adds no expressive power: the decision boundary of a classifier stays a hyperplane.
On ``make_moons`` (not linearly separable) the identity-activation MLP is therefore no better
than logistic regression, while the same MLP with ReLU separates the moons.
"""

import numpy as np

from ... import nn, no_grad, tensor
from ._common_claims_eh import accuracy, mlp, train_classifier
from ..registry import REFUTED, experiment, verdict

SIZES = (2, 32, 32, 32, 2)


def _collapse(model):
    """(W, b) of the product of the Linear layers of an identity-activation ``model``."""
    W, b = np.eye(SIZES[0]), np.zeros(SIZES[0])
    for layer in model:
        if isinstance(layer, nn.Linear):
            Wl, bl = layer.weight.numpy(), layer.bias.numpy()
            W, b = Wl @ W, Wl @ b + bl
    return W, b


@experiment("C89", section="E", title="Without non-linearities a deep net is a linear model",
            expected="reproduce",
            claim="Without non-linear activations a deep network collapses to a linear model.",
            design="make_moons (n = 1000, noise 0.2, 70/30 split): 4-layer MLP 2-32-32-32-2 with "
                   "identity vs ReLU activations, SGD momentum 0.9, lr 0.05, cross-entropy; the "
                   "product of the weight matrices reproduces the linear net's outputs; test "
                   "accuracy of both.",
            code=["whiteboard.nn:Linear", "whiteboard.nn:ReLU", "whiteboard.nn:Sequential",
                  "whiteboard.data.datasets:make_moons"],
            tests=["tests/nn/test_linear.py"],
            seeds=3)
def c89(seed, quick):
    from ...data.datasets import make_moons, train_test_split

    X, y = make_moons(n_samples=1000, noise=0.2, random_state=seed)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=seed)
    epochs = 30 if quick else 80
    out = {}
    for name, act in (("linear", None), ("relu", nn.ReLU)):
        model = mlp(SIZES, act, seed=seed)
        train_classifier(model, Xtr, ytr, epochs=epochs, lr=0.05, batch_size=32, seed=seed)
        out[f"acc_{name}"] = accuracy(model, Xte, yte)
        if name == "linear":
            W, b = _collapse(model)
            with no_grad():
                net = model(tensor(Xte)).numpy()
            out["collapse_err"] = float(np.abs(net - (Xte @ W.T + b)).max()
                                        / np.abs(net).max())
            grid = np.stack(np.meshgrid(np.linspace(-1.5, 2.5, 60),
                                        np.linspace(-1, 1.5, 40)), -1).reshape(-1, 2)
        with no_grad():
            out[f"grid_{name}"] = model(tensor(grid)).numpy().argmax(1).tolist()
    out["X"] = Xte[:200].tolist()
    out["y"] = np.asarray(yte[:200]).tolist()
    return out


@c89.decide
def _(trials):
    err = max(t["collapse_err"] for t in trials)
    lin = float(np.mean([t["acc_linear"] for t in trials]))
    relu = float(np.mean([t["acc_relu"] for t in trials]))
    return verdict(err < 1e-12 and lin < 0.92 and relu - lin > 0.05,
                   f"product of weights reproduces the linear net to {err:.1e}; test accuracy "
                   f"linear {lin:.3f} vs ReLU {relu:.3f} (mean of {len(trials)} seeds)",
                   otherwise=REFUTED)


@c89.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    X, y = np.asarray(t["X"]), np.asarray(t["y"])
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.4), sharey=True)
    for ax, name in zip(axes, ("linear", "relu")):
        g = np.asarray(t[f"grid_{name}"]).reshape(40, 60)
        ax.contourf(np.linspace(-1.5, 2.5, 60), np.linspace(-1, 1.5, 40), g, alpha=0.3,
                    cmap="coolwarm")
        ax.scatter(X[:, 0], X[:, 1], c=y, s=6, cmap="coolwarm")
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        ax.set_title(f"{'identity' if name == 'linear' else 'ReLU'}: acc {t['acc_' + name]:.2f}")
    fig.tight_layout()
    return [fig]
