"""C58: BN placed after the ReLU works better than before it (contested, E56).

    before:  z → BN(z) → ReLU         (Ioffe & Szegedy 2015)
    after:   z → ReLU(z) → BN

Both arrangements of a small CNN on 8×8 digits (conv 16 → pool → conv 32 → pool → linear) and of
an MLP 64-128-128-10, the learning rate chosen per arrangement on a validation split (last 20 %
of the training set), then test accuracy, paired over seeds.
"""

import numpy as np

from ... import backend, nn
from ..registry import NOT_REPRODUCED, REFUTED, experiment, verdict
from ..stats import exceeds_noise, fmt_mean_sd, paired_test
from ._common_claims_ad import accuracy, digits_split, mlp, train_classifier


def _cnn(after):
    def block(cin, cout):
        bn = nn.BatchNorm2d(cout)
        conv = nn.Conv2d(cin, cout, 3, padding=1)
        return [conv, nn.ReLU(), bn] if after else [conv, bn, nn.ReLU()]
    return nn.Sequential(*block(1, 16), nn.MaxPool2d(2), *block(16, 32), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(128, 10)).double()


@experiment("C58", section="C", title="BN after ReLU vs before", expected="contested", seeds=10,
            errata=["E56"],
            claim="BN placed after ReLU works better than before it.",
            design="Small CNN on 8x8 digits (4 epochs, quick 3) and MLP 64-128-128-10 (10 epochs, "
                   "quick 5), conv/linear -> BN -> ReLU vs conv/linear -> ReLU -> BN, SGD momentum "
                   "0.9, lr chosen from {0.01, 0.03} (quick 0.03) on a validation split, 10 seeds: "
                   "mean +- sd test accuracy and a paired test per model.",
            code=["whiteboard.nn:BatchNorm2d", "whiteboard.nn:BatchNorm1d"],
            tests=["tests/nn/test_normalization.py"])
def c58(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed)
    cut = int(0.8 * len(ytr))
    out = {}
    for model in ("cnn", "mlp"):
        shape = (-1, 1, 8, 8) if model == "cnn" else (-1, 64)
        xtr, xte = Xtr.reshape(shape), Xte.reshape(shape)
        epochs = (3 if quick else 4) if model == "cnn" else (5 if quick else 10)
        for after in (False, True):
            best = None
            for lr in ((0.03,) if quick else (0.01, 0.03)):
                backend.manual_seed(seed)
                net = _cnn(after) if model == "cnn" else mlp([64, 128, 128, 10], bn=True,
                                                             bn_after_relu=after)
                train_classifier(net, xtr[:cut], ytr[:cut], epochs=epochs, lr=lr, seed=seed)
                val = accuracy(net, xtr[cut:], ytr[cut:])
                if best is None or val > best[0]:
                    best = (val, lr, accuracy(net, xte, yte))
            out[f"{model}_{'after' if after else 'before'}"] = {"val": best[0], "lr": best[1],
                                                                "test": best[2]}
    return out


@c58.decide
def _(trials):
    better, worse, parts = True, False, []
    for model in ("cnn", "mlp"):
        a = [t[f"{model}_after"]["test"] for t in trials]
        b = [t[f"{model}_before"]["test"] for t in trials]
        if len(trials) > 1:
            better &= exceeds_noise(a, b)
            worse |= exceeds_noise(b, a)
            p = paired_test(a, b)["p"]
        else:
            better &= a[0] > b[0]
            p = float("nan")
        parts.append(f"{model}: after {fmt_mean_sd(a)} vs before {fmt_mean_sd(b)} "
                     f"(paired p = {p:.3f})")
    return verdict(better, "; ".join(parts) + f" (n = {len(trials)})",
                   otherwise=REFUTED if worse else NOT_REPRODUCED)


@c58.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    for i, model in enumerate(("cnn", "mlp")):
        b = [t[f"{model}_before"]["test"] for t in trials]
        a = [t[f"{model}_after"]["test"] for t in trials]
        for j in range(len(trials)):
            ax.plot([2 * i, 2 * i + 1], [b[j], a[j]], "o-", color=f"C{i}", alpha=0.5, lw=0.8)
        ax.plot([2 * i, 2 * i + 1], [np.mean(b), np.mean(a)], "k_", ms=20)
    ax.set_xticks([0, 1, 2, 3])
    ax.set_xticklabels(["CNN: BN->ReLU", "CNN: ReLU->BN", "MLP: BN->ReLU", "MLP: ReLU->BN"],
                       fontsize=7)
    ax.set_ylabel("test accuracy (lines pair seeds)")
    ax.set_title("Where to put BatchNorm")
    fig.tight_layout()
    return [fig]
