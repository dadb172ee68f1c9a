"""C154: AlexNet-style random crops reduce overfitting, shown at digit scale.

AlexNet trains on random 224x224 crops of 256x256 images plus mirrors (33²·2 = 2,178 distinct
views, not the paper's 2,048: ERRATA). On digits the same scheme is 8x8 crops of the images
zero-padded to 10x10 (3²·2 views with mirrors); mirrors are left out of the training because they
change a digit's identity (C194 measures that). The test images are the centre crops, i.e. the
original digits.
"""

import numpy as np

from ... import backend
from ...augment import RandomCrop, alexnet_crop_count, alexnet_train_crops
from ..registry import REFUTED, experiment, verdict
from ..stats import exceeds_noise, fmt_mean_sd, paired_test
from ._common_augment import digit_images, fit_and_score, small_cnn


def _distinct_views(seed, draws=3000):
    """Distinct outputs of RandomCrop(8, padding=1) + mirror on one random 8x8 image."""
    backend.manual_seed(seed)
    img = np.random.default_rng(seed).random((1, 8, 8))
    pipe = alexnet_train_crops(8)
    pipe.transforms[0] = RandomCrop(8, padding=1)
    out = pipe(np.repeat(img[None], draws, axis=0))
    return len(np.unique(out.reshape(draws, -1), axis=0))


@experiment("C154", section="I", title="AlexNet-style random crops reduce overfitting",
            expected="reproduce", seeds=10,
            claim="AlexNet-style augmentation (random crops, mirrors) reduces overfitting.",
            design="200 training digits, small CNN (conv 8-16, Adam lr 0.01, 60 epochs, quick "
                   "30): random 8x8 crops of the 10x10 zero-padded images vs the plain images; "
                   "train-test gap and test accuracy paired over 10 seeds. Mirrors excluded "
                   "(label-changing for digits). Crop count: alexnet_crop_count() = 33²·2 = "
                   "2,178, and the distinct views RandomCrop + mirror really produce (3²·2 = 18 "
                   "on 10x10 → 8x8).",
            code=["whiteboard.augment:RandomCrop", "whiteboard.augment:alexnet_crop_count"],
            tests=["tests/augment/test_geometry.py", "tests/augment/test_digits_cnn.py"],
            errata=["E22"])
def c154(seed, quick):
    data = digit_images(seed, n_train=200)
    epochs = 30 if quick else 60
    plain = fit_and_score(small_cnn, data, epochs=epochs, seed=seed)
    crops = fit_and_score(small_cnn, data, epochs=epochs, seed=seed,
                          transform=RandomCrop(8, padding=1))
    return {"plain": plain, "crops": crops, "alexnet_count": alexnet_crop_count(),
            "digit_count": alexnet_crop_count(10, 8), "digit_views_seen": _distinct_views(seed)}


@c154.decide
def _(trials):
    t0 = trials[0]
    counts = (t0["alexnet_count"] == 2178
              and t0["digit_views_seen"] == t0["digit_count"] == 18)
    if not counts:
        return verdict(False, f"crop counts: alexnet {t0['alexnet_count']}, digits "
                              f"{t0['digit_count']}, seen {t0['digit_views_seen']} (expected "
                              f"2178, 18, 18)", otherwise=REFUTED)
    gap0 = [t["plain"]["gap"] for t in trials]
    gap1 = [t["crops"]["gap"] for t in trials]
    te0 = [t["plain"]["test"] for t in trials]
    te1 = [t["crops"]["test"] for t in trials]
    if len(trials) > 1:
        smaller_gap = exceeds_noise(gap0, gap1)
        not_worse = not exceeds_noise(te0, te1)
        p_gap, p_te = paired_test(gap0, gap1)["p"], paired_test(te1, te0)["p"]
    else:
        smaller_gap, not_worse = gap1[0] < gap0[0], te1[0] >= te0[0] - 0.01
        p_gap = p_te = float("nan")
    return verdict(smaller_gap and not_worse,
                   f"train-test gap {fmt_mean_sd(gap0)} -> {fmt_mean_sd(gap1)} (paired p = "
                   f"{p_gap:.3f}); test accuracy {fmt_mean_sd(te0)} -> {fmt_mean_sd(te1)} (p = "
                   f"{p_te:.3f}); n = {len(trials)}; crops 2,178 (AlexNet), 18 of 18 digit views "
                   f"seen")


@c154.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    for i, key in enumerate(("plain", "crops")):
        ax.scatter([i - 0.1] * len(trials), [t[key]["test"] for t in trials], color="C0")
        ax.scatter([i + 0.1] * len(trials), [t[key]["gap"] for t in trials], color="C1")
    ax.scatter([], [], color="C0", label="test accuracy")
    ax.scatter([], [], color="C1", label="train - test gap")
    ax.set_xticks([0, 1])
    ax.set_xticklabels(["no augmentation", "random 8x8 crops of 10x10"])
    ax.set_ylabel("accuracy / gap")
    ax.set_title("200 digits, small CNN: per seed")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]

