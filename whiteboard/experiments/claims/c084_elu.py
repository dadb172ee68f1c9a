"""C84: ELU keeps ReLU's benefits, has no dead zone and pushes mean activations towards 0.

    ELU(z) = z (z > 0),  α(eᶻ − 1) (z ≤ 0),   ELU′(z) = 1 (z > 0),  α eᶻ (z ≤ 0) > 0

ReLU's outputs are ≥ 0, so their mean is positive (a bias shift for the next layer); ELU's
negative saturation at −α lets the mean approach 0, and its derivative is positive everywhere
(no unit gets exactly zero gradient on all inputs). Both nets are the library's MLP with
``nn.ReLU`` / ``nn.ELU``, trained identically.
"""

import numpy as np

from ... import nn, no_grad, tensor
from ._common_claims_eh import accuracy, digits_split, mlp, train_classifier
from ..registry import experiment, verdict

ACTS = {"ReLU": nn.ReLU, "ELU": nn.ELU}


def _layer_stats(model, X):
    means, dead = [], 0
    h = tensor(X)
    with no_grad():
        for layer in list(model)[:-1]:
            h = layer(h)
            if not isinstance(layer, nn.Linear):
                a = h.numpy()
                means.append(float(a.mean()))
                if isinstance(layer, nn.ReLU):
                    dead += int(np.sum(~np.any(a > 0, axis=0)))
    return means, dead


@experiment("C84", section="E", title="ELU: mean activations nearer 0 than ReLU, no dead zone",
            expected="reproduce",
            claim="ELU keeps ReLU's benefits, has no dead zone and pushes mean activations "
                  "towards 0.",
            design="MLP 64-128-128-128-10 on digits with ReLU vs ELU (α = 1), SGD momentum 0.9, "
                   "lr 0.05, 8 epochs (2 quick), 3 seeds: mean activation per hidden layer on "
                   "the test set, dead units (ReLU; ELU′ > 0 everywhere), test accuracy.",
            code=["whiteboard.nn:ELU", "whiteboard.nn:ReLU"],
            tests=["tests/nn/test_activation.py"], seeds=3)
def c84(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed)
    out = {}
    for name, act in ACTS.items():
        model = mlp((64, 128, 128, 128, 10), act, seed=seed)
        train_classifier(model, Xtr, ytr, epochs=2 if quick else 8, lr=0.05, seed=seed)
        means, dead = _layer_stats(model, Xte)
        out[name] = {"layer_means": means, "dead": dead, "acc": accuracy(model, Xte, yte)}
    return out


@c84.decide
def _(trials):
    relu = float(np.mean([np.mean(np.abs(t["ReLU"]["layer_means"])) for t in trials]))
    elu = float(np.mean([np.mean(np.abs(t["ELU"]["layer_means"])) for t in trials]))
    closer = all(np.mean(np.abs(t["ELU"]["layer_means"])) < np.mean(np.abs(t["ReLU"]
                                                                             ["layer_means"]))
                 for t in trials)
    acc_r = float(np.mean([t["ReLU"]["acc"] for t in trials]))
    acc_e = float(np.mean([t["ELU"]["acc"] for t in trials]))
    return verdict(closer and acc_e >= acc_r - 0.02,
                   f"mean |mean activation| per hidden layer: ELU {elu:.3f} vs ReLU {relu:.3f} "
                   f"({len(trials)} seeds, every seed {'agrees' if closer else 'does not'}); "
                   f"test accuracy ELU {acc_e:.3f}, ReLU {acc_r:.3f}")


@c84.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.8, 3.5))
    for name in ACTS:
        m = np.mean([t[name]["layer_means"] for t in trials], axis=0)
        ax.plot(np.arange(1, m.size + 1), m, "o-", label=name)
    ax.axhline(0, color="k", lw=0.6)
    ax.set_xlabel("hidden layer")
    ax.set_ylabel("mean activation (test set)")
    ax.set_title("ELU centres activations")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
