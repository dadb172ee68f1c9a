"""C194: data augmentation helps when data are scarce — each augmentation separately, on 200
training digits with a small CNN, against no augmentation (same seeds, same initialisation).

Label-preserving: shifts of ±1 px, rotations ±15°, scaling 0.9-1.1, Gaussian noise σ = 0.1,
Cutout (length 4: DeVries & Taylor's rule cuts 2·⌊length/2⌋, so 3 would give 2x2 holes), Mixup
α = 0.2, CutMix α = 1. Horizontal flips are run too, as the label-changing counter-example
(a mirrored 2, 3, 4, 7 is not that digit).
"""

import numpy as np

from ...augment import (CutMix, Cutout, GaussianNoise, Mixup, RandomAffine, RandomHorizontalFlip,
                        RandomRotation)
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd, paired_test
from ._common_augment import digit_images, fit_and_score, small_cnn

ALPHA = 0.1  # the project's level; Bonferroni-corrected over the label-preserving augmentations


def _variants():
    return {
        "shift ±1 px": {"transform": RandomAffine(0, translate=(0.125, 0.125))},
        "rotation ±15°": {"transform": RandomRotation(15, interpolation="bilinear")},
        "scale 0.9-1.1": {"transform": RandomAffine(0, scale=(0.9, 1.1),
                                                    interpolation="bilinear")},
        "noise σ=0.1": {"transform": GaussianNoise(sigma=0.1)},
        "Cutout 4": {"transform": Cutout(4)},
        "Mixup α=0.2": {"batch_transform": Mixup(alpha=0.2, num_classes=10)},
        "CutMix": {"batch_transform": CutMix(alpha=1.0, num_classes=10)},
        "horizontal flip": {"transform": RandomHorizontalFlip()},
    }


PRESERVING = [k for k in _variants() if k != "horizontal flip"]


@experiment("C194", section="L", title="Data augmentation helps when data are scarce",
            expected="reproduce", seeds=10,
            claim="Data augmentation helps when data are scarce.",
            design="200 training digits, small CNN (conv 8-16, Adam lr 0.01, batch 32, 60 "
                   "epochs; quick: 50 digits, batch 25, 30 epochs, i.e. 60 steps a fit instead "
                   "of 420), 10 seeds: test accuracy with each augmentation vs none, paired "
                   "over seeds. Reproduced when at least one label-preserving augmentation gains "
                   "beyond seed noise at the Bonferroni-corrected level (p < 0.1/7); horizontal "
                   "flips are reported (label-changing for digits).",
            code=["whiteboard.augment:RandomAffine", "whiteboard.augment:RandomRotation",
                  "whiteboard.augment:GaussianNoise", "whiteboard.augment:Cutout",
                  "whiteboard.augment:Mixup", "whiteboard.augment:CutMix"],
            tests=["tests/augment/test_digits_cnn.py", "tests/augment/test_mixing.py"])
def c194(seed, quick):
    # quick: scarcer data (50 digits, 2 steps of 25 an epoch) and half the epochs: 60 steps per
    # fit instead of 420 (full) or 210 (the old quick), so the 9 fits x 10 seeds stay well
    # inside the quick budget
    n_train, batch_size, epochs = (50, 25, 30) if quick else (200, 32, 60)
    data = digit_images(seed, n_train=n_train)
    out = {"none": fit_and_score(small_cnn, data, epochs=epochs, seed=seed,
                                 batch_size=batch_size)}
    for name, kw in _variants().items():
        out[name] = fit_and_score(small_cnn, data, epochs=epochs, seed=seed,
                                  batch_size=batch_size, **kw)
    return out


def _gains(trials, name):
    return [t[name]["test"] - t["none"]["test"] for t in trials]


@c194.decide
def _(trials):
    level = ALPHA / len(PRESERVING)
    rows, helped = [], []
    for name in PRESERVING + ["horizontal flip"]:
        g = _gains(trials, name)
        if len(trials) > 1:
            p = paired_test([t[name]["test"] for t in trials], [t["none"]["test"] for t in trials])
            sig = p["mean"] > 0 and p["p"] < level
            rows.append(f"{name} {np.mean(g):+.3f} (p = {p['p']:.3f})")
        else:
            sig = g[0] > 0
            rows.append(f"{name} {g[0]:+.3f}")
        if sig and name in PRESERVING:
            helped.append(name)
    base = fmt_mean_sd([t["none"]["test"] for t in trials])
    return verdict(bool(helped), f"test accuracy without augmentation {base}; gain per "
                                 f"augmentation: {'; '.join(rows)}; beyond noise (p < "
                                 f"{level:.3f}): {', '.join(helped) or 'none'}; n = "
                                 f"{len(trials)}")


@c194.plot
def _(trials):
    import matplotlib.pyplot as plt

    names = PRESERVING + ["horizontal flip"]
    gains = [_gains(trials, n) for n in names]
    fig, ax = plt.subplots(figsize=(7, 3.8))
    ax.bar(range(len(names)), [np.mean(g) for g in gains],
           yerr=[np.std(g, ddof=1) if len(g) > 1 else 0 for g in gains],
           color=["C0"] * len(PRESERVING) + ["C3"], capsize=3)
    ax.axhline(0, color="k", lw=0.8)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("test accuracy gain vs none")
    ax.set_title(f"200 digits, small CNN, {len(trials)} seeds (mean ± sd)")
    fig.tight_layout()
    return [fig]
