"""Batch-level mixing: ``Mixup`` (Zhang et al. 2018) and ``CutMix`` (Yun et al. 2019), with
torchvision v2's arguments (``alpha=1.0``, ``num_classes``) and pairing (each sample is mixed with
the previous one of the batch: ``roll(1)``). One λ ~ Beta(α, α) per batch, as torchvision.

Called as ``x, y = Mixup(num_classes=10)(x, labels)``; the labels (class indices, or already
soft (N, K) targets) become soft targets ``λ·y + (1 − λ)·y_rolled`` that ``nn.CrossEntropyLoss``
accepts as class probabilities.
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import backend
from ..autograd import Tensor
from ._base import as_batch, wrap

__all__ = ["Mixup", "CutMix", "one_hot"]


def one_hot(y, num_classes, dtype=np.float32):
    """Class indices (N,) to (N, num_classes) one-hot rows; soft (N, K) targets pass through."""
    y = y.data if isinstance(y, Tensor) else np.asarray(y)
    if y.ndim == 2:
        if num_classes is not None and y.shape[1] != num_classes:
            raise ValueError(f"soft labels have {y.shape[1]} classes but num_classes is "
                             f"{num_classes} (labels shape {y.shape})")
        return y.astype(dtype, copy=False)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"labels should be class indices (N,) or soft targets (N, K), got shape "
                         f"{y.shape} and dtype {y.dtype}")
    if num_classes is None:
        raise ValueError("num_classes is needed to turn class indices into soft targets")
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(f"labels should be in [0, {num_classes}), got range "
                         f"[{y.min()}, {y.max()}]")
    return np.eye(num_classes, dtype=dtype)[y]


class _Mix:
    def __init__(self, alpha=1.0, num_classes=None):
        if not isinstance(alpha, numbers.Real) or alpha <= 0:
            raise ValueError(f"alpha should be a positive number, got {alpha!r}")
        if num_classes is not None and (not isinstance(num_classes, numbers.Integral)
                                        or num_classes < 1):
            raise ValueError(f"num_classes should be a positive int, got {num_classes!r}")
        self.alpha, self.num_classes = float(alpha), num_classes

    def __call__(self, images, labels):
        x, single, was_tensor = as_batch(images, f"{type(self).__name__} images")
        if single:
            raise ValueError(f"{type(self).__name__} mixes a batch: images should be NCHW, got "
                             f"shape {x.shape[1:]}")
        y = one_hot(labels, self.num_classes, dtype=x.dtype)
        if len(y) != len(x):
            raise ValueError(f"images and labels have different batch sizes: {x.shape} and "
                             f"{y.shape}")
        lam = float(backend.get_rng().beta(self.alpha, self.alpha))
        out, lam = self._mix(x, np.roll(x, 1, axis=0), lam)
        self.last_lambda = lam
        y = lam * y + (1 - lam) * np.roll(y, 1, axis=0)
        y_out = Tensor(y) if isinstance(labels, Tensor) else y
        return wrap(out, False, was_tensor), y_out


class Mixup(_Mix):
    """``x̃ = λ x + (1 − λ) x_rolled``, ``ỹ = λ y + (1 − λ) y_rolled``, the same λ for both."""

    def _mix(self, x, x2, lam):
        return (lam * x + (1 - lam) * x2).astype(x.dtype, copy=False), lam


class CutMix(_Mix):
    """Paste a box of the rolled batch: centre ``(r_x, r_y)`` uniform over the pixels, half-sides
    ``⌊r·W⌋``, ``⌊r·H⌋`` with ``r = ½√(1 − λ)``, clipped at the border; λ is then reset to the
    kept area ``1 − box area / (H·W)`` (torchvision v2's rule), and the labels use that λ."""

    def _mix(self, x, x2, lam):
        H, W = x.shape[-2:]
        rng = backend.get_rng()
        ry, rx = int(rng.integers(0, H)), int(rng.integers(0, W))
        r = 0.5 * np.sqrt(1.0 - lam)
        hw, hh = int(r * W), int(r * H)
        x1, x2_ = max(rx - hw, 0), min(rx + hw, W)
        y1, y2 = max(ry - hh, 0), min(ry + hh, H)
        out = x.copy()
        out[..., y1:y2, x1:x2_] = x2[..., y1:y2, x1:x2_]
        self.last_box = (y1, x1, y2, x2_)
        return out, 1.0 - (y2 - y1) * (x2_ - x1) / (H * W)
