"""C79: a large learning rate kills ReLU units, mostly irreversibly.

A ReLU unit whose pre-activation wᵀx + b is negative on every training example outputs 0 and has
∂L/∂w = ∂L/∂b = 0 for all of them: it is "dead". A large step can push b (or w) far enough for
that to happen. In the first hidden layer nothing can revive such a unit (its inputs are fixed
data); a deeper unit could revive only if earlier layers change its inputs. Everything is the
library's MLP, ReLU and SGD.

Inputs are the digits pixels scaled to [0, 1] (x / 16); this gives the pilot's figures (about
9 %, 9 %, 10 %, 74 %, 85 % dead). With standardised inputs (mean 0, sd 1, some features up to
±35) plain SGD at lr ≥ 1 does not kill units: the loss grows geometrically (≈ 1e244 after 70
steps) and the weights overflow to NaN first (PyTorch does the same, step for step, from the same
initial weights, so that is the setting, not a library bug). With [0, 1] inputs the lr ≥ 1 nets
lose most units while every parameter stays finite.
"""

import numpy as np

from ... import nn, no_grad, tensor
from ._common_claims_eh import accuracy, mlp, train_classifier
from ..registry import experiment, verdict

LRS = (0.01, 0.1, 0.5, 1.0, 2.0)
SIZES = (64, 128, 128, 128, 10)


def digits_unit_scale():
    """Digits pixels / 16 ∈ [0, 1], 70/30 stratified split (random_state=0)."""
    from ...data.datasets import load_digits, train_test_split

    X, y = load_digits()
    X = np.asarray(X, dtype=np.float64) / 16.0
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    return Xtr, Xte, np.asarray(ytr), np.asarray(yte)


def dead_fraction(model, X):
    """Fraction of hidden ReLU units that output 0 on every row of ``X``."""
    dead, total = 0, 0
    h = tensor(X)
    with np.errstate(all="ignore"), no_grad():
        for layer in list(model)[:-1]:
            h = layer(h)
            if not isinstance(layer, nn.Linear):
                a = h.numpy()
                dead += int(np.sum(~np.any(a > 0, axis=0)))
                total += a.shape[1]
    return dead / total


@experiment("C79", section="E", title="A large learning rate kills ReLU units irreversibly",
            expected="reproduce",
            claim="A large learning rate kills ReLU units irreversibly (\"40 % of the network can "
                  "die\").",
            design="MLP 64-128-128-128-10 (ReLU) on digits (pixels / 16), plain SGD, batch 32, "
                   "5 epochs (2 quick), lr ∈ {0.01, 0.1, 0.5, 1, 2}: fraction of hidden units "
                   "inactive on every training example, test accuracy; the lr = 1 net then "
                   "trained 5 more epochs (2 quick) at lr 0.01 and re-measured.",
            code=["whiteboard.nn:ReLU", "whiteboard.optim:SGD"],
            tests=["tests/nn/test_activation.py"])
def c79(seed, quick):
    Xtr, Xte, ytr, yte = digits_unit_scale()
    epochs = 2 if quick else 5
    rows = []
    revived = None
    for lr in LRS:
        model = mlp(SIZES, nn.ReLU, seed=seed)
        with np.errstate(all="ignore"):
            train_classifier(model, Xtr, ytr, epochs=epochs, lr=lr, momentum=0.0, seed=seed)
        with np.errstate(all="ignore"):
            acc = accuracy(model, Xte, yte)
        finite = all(bool(np.isfinite(q.numpy()).all()) for q in model.parameters())
        # a diverged (NaN) net is not a net of dead units: its dead fraction is not counted
        rows.append({"lr": lr, "finite": finite,
                     "dead": dead_fraction(model, Xtr) if finite else None, "acc": acc})
        if lr == 1.0 and finite:
            with np.errstate(all="ignore"):
                train_classifier(model, Xtr, ytr, epochs=epochs, lr=0.01, momentum=0.0,
                                 seed=seed + 1)
            revived = {"dead_after": dead_fraction(model, Xtr), "dead_before": rows[-1]["dead"]}
    return {"rows": rows, "continue_lr_0.01": revived}


@c79.decide
def _(trials):
    rows = {r["lr"]: r for r in trials[0]["rows"]}
    small = max(rows[lr]["dead"] for lr in (0.01, 0.1) if rows[lr]["finite"])
    big = [rows[lr]["dead"] for lr in (0.5, 1.0, 2.0) if rows[lr]["finite"]]
    large = max(big) if big else 0.0
    diverged = [lr for lr in LRS if not rows[lr]["finite"]]
    c = trials[0]["continue_lr_0.01"]
    irreversible = c is not None and c["dead_after"] >= 0.8 * c["dead_before"]
    after = (f"lr-1 net after 0.01-lr training {c['dead_before']:.0%} → {c['dead_after']:.0%}"
             if c is not None else "lr-1 net diverged (no dead-unit test)")
    return verdict(large > 0.3 and large > 3 * max(small, 0.01) and irreversible,
                   f"dead units: lr 0.01/0.1 ≤ {small:.0%}, finite nets at lr ≥ 0.5 up to "
                   f"{large:.0%}; diverged to NaN at lr {diverged}; {after}")


@c79.plot
def _(trials):
    import matplotlib.pyplot as plt

    rows = trials[0]["rows"]
    fig, ax = plt.subplots(figsize=(5, 3.6))
    lrs = [r["lr"] for r in rows]
    ax.semilogx(lrs, [r["dead"] if r["finite"] else np.nan for r in rows], "o-",
                label="dead fraction (finite nets)")
    ax.semilogx(lrs, [r["acc"] for r in rows], "s--", label="test accuracy")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("fraction")
    ax.set_title("ReLU MLP on digits, plain SGD")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
