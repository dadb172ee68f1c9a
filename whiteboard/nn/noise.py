"""Gaussian noise injection as a regulariser: ``y = x + ε``, ``ε ~ N(0, std²)`` in training only.

Adding noise to inputs is, to first order, Tikhonov (L2) regularisation (Bishop 1995). In eval
mode, or with ``std = 0``, the layer is the identity. ``dL/dx = g`` (the noise is a constant).
Noise is drawn from the library's generator, so ``wb.manual_seed`` makes it reproducible.
"""

from __future__ import annotations

from .. import backend
from ..autograd.ops import _as_tensor
from .module import Module

__all__ = ["GaussianNoise"]


class GaussianNoise(Module):
    """Additive Gaussian noise with standard deviation ``std`` in train mode; identity in eval."""

    def __init__(self, std=0.1):
        super().__init__()
        if not std >= 0:
            raise ValueError(f"GaussianNoise: std must be non-negative, got {std}")
        self.std = float(std)

    def forward(self, input):
        x = _as_tensor(input)
        if not self.training or self.std == 0.0:
            return x
        noise = backend.get_rng().standard_normal(x.shape) * self.std
        return x + backend.asarray(noise, dtype=x.dtype, module=x.xp)

    def extra_repr(self):
        return f"std={self.std}"
