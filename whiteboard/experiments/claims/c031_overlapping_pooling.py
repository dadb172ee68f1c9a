"""C31: overlapping max pooling (z = 3, s = 2) slightly lowers error and overfitting vs z = s = 2.

AlexNet reports −0.4 % top-1 for z = 3, s = 2. Here the same small CNN (conv8-ReLU-pool-conv16-
ReLU-pool-linear) on digits 16×16 uses either MaxPool2d(2, 2) or MaxPool2d(3, 2, padding=1); both
map 16 → 8 → 4 (⌊(16 + 2·1 − 3)/2⌋ + 1 = 8), so the linear head and the parameter count are
identical and only the pooling windows differ. 10 seeds, paired: test error and train − test
accuracy gap. At this scale the expected difference is within seed noise.
"""

import numpy as np

from ... import backend, nn
from ..registry import NOT_REPRODUCED, REFUTED, experiment, verdict
from ..stats import exceeds_noise, fmt_mean_sd, paired_test
from ._common_claims_ad import accuracy, digits16_split, train_classifier

POOLS = {"z2s2": dict(kernel_size=2, stride=2), "z3s2": dict(kernel_size=3, stride=2, padding=1)}


def _cnn(pool):
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(**POOLS[pool]),
                         nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(**POOLS[pool]),
                         nn.Flatten(), nn.Linear(256, 10)).double()


@experiment("C31", section="B", title="Overlapping max pooling lowers error slightly",
            expected="contested", seeds=10,
            claim="Overlapping max pooling (z = 3, s = 2) slightly lowers error and overfitting "
                  "vs z = 2, s = 2 (AlexNet: -0.4 % top-1).",
            design="Identical small CNN on digits 16x16 with MaxPool2d(2, 2) or MaxPool2d(3, 2, "
                   "padding=1) (both give 8x8 then 4x4), SGD momentum 0.9 lr 0.01, 8 epochs "
                   "(quick 4), 10 seeds: paired test error and train-test gap.",
            code=["whiteboard.nn:MaxPool2d"],
            tests=["tests/nn/test_pooling.py"])
def c31(seed, quick):
    Itr, Ite, ytr, yte = digits16_split(seed)
    out = {}
    for pool in POOLS:
        backend.manual_seed(seed)
        net = _cnn(pool)
        train_classifier(net, Itr, ytr, epochs=4 if quick else 8, lr=0.01, seed=seed)
        tr, te = accuracy(net, Itr, ytr), accuracy(net, Ite, yte)
        out[pool] = {"train": tr, "test": te, "error": 1 - te, "gap": tr - te}
    return out


@c31.decide
def _(trials):
    e2 = [t["z2s2"]["error"] for t in trials]
    e3 = [t["z3s2"]["error"] for t in trials]
    g2 = [t["z2s2"]["gap"] for t in trials]
    g3 = [t["z3s2"]["gap"] for t in trials]
    multi = len(trials) > 1
    lower = exceeds_noise(e2, e3) if multi else e3[0] < e2[0]
    higher = exceeds_noise(e3, e2) if multi else False
    d = paired_test(e3, e2) if multi else {"mean": e3[0] - e2[0], "p": float("nan")}
    return verdict(lower,
                   f"test error z=3,s=2 {fmt_mean_sd(e3)} vs z=2,s=2 {fmt_mean_sd(e2)} (paired "
                   f"difference {d['mean']:+.4f}, p = {d['p']:.3f}, n = {len(trials)}); "
                   f"train-test gap {np.mean(g3):.4f} vs {np.mean(g2):.4f}",
                   otherwise=REFUTED if higher else NOT_REPRODUCED)


@c31.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(7, 3.4))
    for ax, key, label in zip(axes, ("error", "gap"), ("test error", "train - test accuracy")):
        a = [t["z2s2"][key] for t in trials]
        b = [t["z3s2"][key] for t in trials]
        for x, y in zip(a, b):
            ax.plot([0, 1], [x, y], "o-", color="C0", alpha=0.5, lw=0.8)
        ax.plot([0, 1], [np.mean(a), np.mean(b)], "k_", ms=25)
        ax.set_xticks([0, 1])
        ax.set_xticklabels(["z=2, s=2", "z=3, s=2"])
        ax.set_ylabel(f"{label} (lines pair seeds)")
    fig.suptitle("Overlapping vs non-overlapping max pooling")
    fig.tight_layout()
    return [fig]
