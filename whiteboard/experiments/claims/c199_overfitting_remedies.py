"""C199: when a net overfits, dropout, batch normalisation and data augmentation each improve
validation accuracy — measured on an over-parameterised MLP (64-512-512-10) trained on 300
digits, every remedy alone and all three together, against the same baseline and seeds."""

import numpy as np

from ...augment import RandomAffine
from ..registry import experiment, verdict
from ..stats import exceeds_noise, fmt_mean_sd, paired_test
from ._common_augment import digit_images, fit_and_score, mlp

VARIANTS = ("baseline", "dropout 0.5", "batch norm", "shift/rotation", "all three")


def _config(name, width):
    aug = RandomAffine(10, translate=(0.125, 0.125), interpolation="bilinear")
    drop = 0.5 if name in ("dropout 0.5", "all three") else 0.0
    bn = name in ("batch norm", "all three")
    transform = aug if name in ("shift/rotation", "all three") else None
    return (lambda: mlp(width, dropout=drop, batchnorm=bn)), transform


@experiment("C199", section="M", title="Dropout, BN and augmentation against overfitting",
            expected="reproduce", seeds=5,
            claim="When overfitting, adding dropout, BN and data augmentation improves validation "
                  "performance.",
            design="MLP 64-512-512-10 (quick 64-256-256-10) on 300 training digits, Adam lr 1e-3, "
                   "batch 32, 60 epochs (quick 30); the 539 held-out digits as validation set. "
                   "Variants: baseline, dropout 0.5, BatchNorm1d, shift ±1 px + rotation ±10° "
                   "augmentation, all three; 5 seeds. Reproduced when every remedy raises the "
                   "mean validation accuracy and all three together beat the baseline beyond "
                   "seed noise (paired).",
            code=["whiteboard.nn:Dropout", "whiteboard.nn:BatchNorm1d",
                  "whiteboard.augment:RandomAffine"],
            tests=["tests/augment/test_digits_cnn.py"])
def c199(seed, quick):
    data = digit_images(seed, n_train=300)
    width, epochs = (256, 30) if quick else (512, 60)
    out = {}
    for name in VARIANTS:
        make, transform = _config(name, width)
        out[name] = fit_and_score(make, data, epochs=epochs, seed=seed, transform=transform,
                                  lr=1e-3)
    return out


@c199.decide
def _(trials):
    base = [t["baseline"]["test"] for t in trials]
    rows, each = [], True
    for name in VARIANTS[1:]:
        v = [t[name]["test"] for t in trials]
        gain = float(np.mean(v) - np.mean(base))
        each &= gain > 0
        p = paired_test(v, base)["p"] if len(trials) > 1 else float("nan")
        rows.append(f"{name} {fmt_mean_sd(v)} ({gain:+.3f}, p = {p:.3f})")
    allv = [t["all three"]["test"] for t in trials]
    combo = exceeds_noise(allv, base) if len(trials) > 1 else allv[0] > base[0]
    gap = fmt_mean_sd([t["baseline"]["gap"] for t in trials])
    return verdict(each and combo, f"validation accuracy: baseline {fmt_mean_sd(base)} (train - "
                                   f"validation gap {gap}); {'; '.join(rows)}; n = "
                                   f"{len(trials)}")


@c199.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.5))
    for i, name in enumerate(VARIANTS):
        v = [t[name]["test"] for t in trials]
        ax.scatter([i] * len(v), v, color="C0", s=14)
        ax.plot([i - 0.25, i + 0.25], [np.mean(v)] * 2, color="C3")
    ax.set_xticks(range(len(VARIANTS)))
    ax.set_xticklabels(VARIANTS, rotation=20, fontsize=8)
    ax.set_ylabel("validation accuracy")
    ax.set_title("MLP 2x512 on 300 digits: per seed, mean in red")
    fig.tight_layout()
    return [fig]
