"""First-layer filters as one image: a grid of kernels, each rescaled to [0, 1].

For a weight of shape (O, C, kh, kw) with C = 1 (grey) or C = 3 (RGB), filter o is min-max
normalised, w' = (w − min w) / (max w − min w) (a constant filter becomes 0.5), and placed at
row o // ncols, column o % ncols of a grid with ``pad`` pixels of ``pad_value`` between cells.
Other channel counts show each (o, c) kernel as its own grey cell (rows = filters, columns =
input channels). Built with one reshape/transpose (no loop over pixels).
"""

from __future__ import annotations

import math

import numpy as np

from ..autograd import Tensor

__all__ = ["filter_grid", "total_variation"]


def _normalise(w):
    """Min-max per leading index over the remaining axes."""
    axes = tuple(range(1, w.ndim))
    lo, hi = w.min(axis=axes, keepdims=True), w.max(axis=axes, keepdims=True)
    span = hi - lo
    return np.where(span > 0, (w - lo) / np.where(span > 0, span, 1.0), 0.5)


def filter_grid(weight, ncols=None, pad=1, pad_value=1.0):
    """Tile conv filters (O, C, kh, kw) into an image (H, W) for grey/multi-channel or (H, W, 3)
    for RGB filters. ``weight`` may be a Parameter/Tensor or an array."""
    w = weight.numpy() if isinstance(weight, Tensor) else np.asarray(weight)
    w = np.asarray(w, dtype=np.float64)
    if w.ndim != 4:
        raise ValueError(f"filter_grid: weight must be (out_channels, in_channels, kh, kw), got "
                         f"shape {w.shape}")
    if not isinstance(pad, (int, np.integer)) or pad < 0:
        raise ValueError(f"pad must be a non-negative int, got {pad!r}")
    o, c, kh, kw = w.shape
    if c == 3:
        cells = _normalise(w).transpose(0, 2, 3, 1)            # (O, kh, kw, 3)
        n = o
    elif c == 1:
        cells = _normalise(w)[:, 0]                            # (O, kh, kw)
        n = o
    else:
        cells = _normalise(w.reshape(o * c, kh, kw))           # each (o, c) kernel its own cell
        n = o * c
        ncols = c if ncols is None else ncols
    if ncols is None:
        ncols = int(math.ceil(math.sqrt(n)))
    if not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(f"ncols must be a positive int, got {ncols!r}")
    nrows = int(math.ceil(n / ncols))
    extra = cells.shape[3:]                                    # () or (3,)
    full = np.full((nrows * ncols, kh + pad, kw + pad) + extra, pad_value, dtype=np.float64)
    full[:n, :kh, :kw] = cells
    grid = full.reshape((nrows, ncols, kh + pad, kw + pad) + extra)
    grid = grid.swapaxes(1, 2).reshape((nrows * (kh + pad), ncols * (kw + pad)) + extra)
    if pad:
        grid = np.concatenate([np.full((pad,) + grid.shape[1:], pad_value), grid], axis=0)
        grid = np.concatenate([np.full((grid.shape[0], pad) + extra, pad_value), grid], axis=1)
    return grid


def total_variation(weight):
    """Mean anisotropic total variation of each kernel after min-max normalisation:
    TV = mean(|w[i+1, j] − w[i, j]|) + mean(|w[i, j+1] − w[i, j]|); smooth filters score low."""
    w = weight.numpy() if isinstance(weight, Tensor) else np.asarray(weight)
    w = np.asarray(w, dtype=np.float64)
    if w.ndim != 4 or w.shape[2] < 2 or w.shape[3] < 2:
        raise ValueError(f"total_variation: weight must be (O, C, kh, kw) with kh, kw >= 2, got "
                         f"shape {w.shape}")
    w = _normalise(w)
    return float(np.abs(np.diff(w, axis=2)).mean() + np.abs(np.diff(w, axis=3)).mean())
