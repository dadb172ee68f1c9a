"""A picture of the augmentations: one row per transform, applied to scikit-learn's sample image
(``sklearn.datasets.load_sample_image('china.jpg')``), drawn with matplotlib.

Both are optional dependencies imported only here; ``whiteboard augment --show [--out grid.png]``.
"""

from __future__ import annotations

import numpy as np

from .colour import ColorJitter, GaussianBlur, Grayscale
from .affine import RandomRotation
from .geometry import RandomHorizontalFlip, RandomResizedCrop
from .mixing import CutMix
from .occlusion import Cutout, RandomErasing
from .pca_lighting import FancyPCA

__all__ = ["sample_image", "augmentation_grid", "show"]


def sample_image(size=128):
    """The china sample image as a CHW float64 array in [0, 1], centre-cropped to a square and
    subsampled to about ``size`` pixels a side (nearest, by striding)."""
    from sklearn.datasets import load_sample_image

    img = load_sample_image("china.jpg").astype(np.float64) / 255.0  # H, W, 3
    H, W = img.shape[:2]
    s = min(H, W)
    img = img[(H - s) // 2:(H - s) // 2 + s, (W - s) // 2:(W - s) // 2 + s]
    step = max(1, s // size)
    return np.ascontiguousarray(np.moveaxis(img[::step, ::step], -1, 0))


def augmentation_grid(img, n=6):
    """``[(name, (n, 3, H, W) batch)]``: each transform applied to ``n`` copies of ``img``
    (parameters per sample, from the library RNG)."""
    batch = np.repeat(img[None], n, axis=0)
    rows = [
        ("RandomResizedCrop", RandomResizedCrop(img.shape[-2:])(batch)),
        ("RandomHorizontalFlip", RandomHorizontalFlip()(batch)),
        ("RandomRotation(30)", RandomRotation(30)(batch)),
        ("ColorJitter(.4,.4,.4,.1)", ColorJitter(0.4, 0.4, 0.4, 0.1)(batch)),
        ("Grayscale(3)", Grayscale(3)(batch)),
        ("GaussianBlur(9)", GaussianBlur(9, sigma=(0.1, 3.0))(batch)),
        ("FancyPCA(0.5)", np.clip(FancyPCA(alphastd=0.5).fit(img[None])(batch), 0, 1)),
        ("Cutout(32)", Cutout(length=32)(batch)),
        ("RandomErasing(p=1)", RandomErasing(p=1.0, value="random")(batch).clip(0, 1)),
    ]
    flipped = batch.copy()
    flipped[1::2] = flipped[1::2, :, ::-1]
    rows.append(("CutMix", CutMix(num_classes=2)(flipped, np.arange(n) % 2)[0]))
    return rows


def show(out=None, n=6, size=128):
    """Draw the grid; save it to ``out`` (a path) or open a window. Returns the figure."""
    import matplotlib

    if out is not None:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = augmentation_grid(sample_image(size), n)
    fig, axes = plt.subplots(len(rows), n, figsize=(1.6 * n, 1.6 * len(rows)), squeeze=False)
    for r, (name, batch) in enumerate(rows):
        for c in range(n):
            ax = axes[r, c]
            ax.imshow(np.clip(np.moveaxis(batch[c], 0, -1), 0, 1))
            ax.set_xticks([])
            ax.set_yticks([])
        axes[r, 0].set_ylabel(name, fontsize=7)
    fig.tight_layout()
    if out is not None:
        fig.savefig(out, dpi=80)
    else:  # pragma: no cover - interactive
        plt.show()
    return fig
