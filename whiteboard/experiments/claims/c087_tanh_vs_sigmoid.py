"""C87: tanh is preferred to sigmoid (zero-centred outputs, four times the slope at 0).

tanh(z) = 2σ(2z) − 1 is zero-centred and tanh′(0) = 1 against σ′(0) = 1/4 (C72, C73), so a tanh
network passes larger, centred signals and gradients to the next layer (C86's one-sign
gradients disappear). With the same initialisation and learning rate it should reach a given
training accuracy in fewer epochs. Both are the library's MLP with ``nn.Tanh`` / ``nn.Sigmoid``.
"""

import numpy as np

from ... import nn
from ._common_claims_eh import accuracy, digits_split, init_mlp, mlp, train_classifier
from ..registry import experiment, verdict

ACTS = {"tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


def _epochs_to(act, seed, target, max_epochs):
    Xtr, _, ytr, _ = digits_split(seed)
    model = init_mlp(mlp((64, 64, 64, 10), act, seed=seed), "xavier")
    accs = []
    for ep in range(max_epochs):
        train_classifier(model, Xtr, ytr, epochs=1, lr=0.05, momentum=0.9, seed=seed * 100 + ep)
        accs.append(accuracy(model, Xtr, ytr))
        if accs[-1] >= target:
            return ep + 1, accs
    return None, accs


@experiment("C87", section="E", title="tanh trains faster than sigmoid (zero-centred)",
            expected="reproduce",
            claim="tanh is preferred to sigmoid because its outputs are zero-centred.",
            design="MLP 64-64-64-10 on digits, Xavier init for both, SGD momentum 0.9, lr 0.05, "
                   "batch 32, 5 seeds: epochs to 95 % training accuracy (cap 30, 10 quick).",
            code=["whiteboard.nn:Tanh", "whiteboard.nn:Sigmoid"],
            tests=["tests/nn/test_activation.py"], seeds=5)
def c87(seed, quick):
    cap = 10 if quick else 30
    out = {}
    for name, act in ACTS.items():
        ep, accs = _epochs_to(act, seed, 0.95, cap)
        out[name] = {"epochs": ep if ep is not None else cap + 1, "reached": ep is not None,
                     "train_acc": accs}
    out["cap"] = cap
    return out


@c87.decide
def _(trials):
    th = np.array([t["tanh"]["epochs"] for t in trials], dtype=float)
    sg = np.array([t["sigmoid"]["epochs"] for t in trials], dtype=float)
    d = sg - th
    faster = bool(np.all(d >= 0) and d.mean() > 0 and all(t["tanh"]["reached"] for t in trials))
    return verdict(faster, f"epochs to 95 % training accuracy: tanh {th.mean():.1f} ± "
                           f"{th.std():.1f}, sigmoid {sg.mean():.1f} ± {sg.std():.1f} "
                           f"({len(trials)} seeds; "
                           f"cap+1 = {trials[0]['cap'] + 1} means not reached)")


@c87.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.6))
    for i, t in enumerate(trials):
        for name, ls in (("tanh", "-"), ("sigmoid", "--")):
            a = t[name]["train_acc"]
            ax.plot(np.arange(1, len(a) + 1), a, ls=ls, color=f"C{i}", lw=0.9,
                    label=name if i == 0 else None)
    ax.axhline(0.95, color="k", lw=0.6)
    ax.set_xlabel("epoch")
    ax.set_ylabel("training accuracy")
    ax.set_title("tanh (solid) vs sigmoid (dashed)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
