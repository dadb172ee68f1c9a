"""``Normalize(mean, std)``: ``(x − mean_c) / std_c`` per channel (torchvision's)."""

from __future__ import annotations

import numpy as np

from ._base import Transform

__all__ = ["Normalize"]


class Normalize(Transform):
    """Subtract ``mean`` and divide by ``std`` (sequences with one entry per channel)."""

    def __init__(self, mean, std):
        self.mean = np.asarray(mean, dtype=np.float64).reshape(-1)
        self.std = np.asarray(std, dtype=np.float64).reshape(-1)
        if self.mean.shape != self.std.shape:
            raise ValueError(f"mean and std should have the same length, got {self.mean.shape} "
                             f"and {self.std.shape}")
        if (self.std <= 0).any():
            raise ValueError(f"std should be positive, got {self.std}")

    def _apply(self, x, rng):
        if self.mean.size not in (1, x.shape[1]):
            raise ValueError(f"Normalize: {self.mean.size} means for {x.shape[1]} channels "
                             f"(input shape {x.shape})")
        m = self.mean.astype(x.dtype)[None, :, None, None]
        s = self.std.astype(x.dtype)[None, :, None, None]
        return (x - m) / s
