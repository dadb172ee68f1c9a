"""Dropout (Srivastava et al. 2014) in its inverted form, as PyTorch implements it.

Training: every element is kept with probability 1 − p and zeroed with probability p (p is the
*drop* probability); kept elements are scaled by 1/(1 − p), so E[output] = input and nothing
needs rescaling at test time. Eval: the identity.

    y = x ⊙ m / (1 − p),   m_i ~ Bernoulli(1 − p)     dL/dx = g ⊙ m / (1 − p)

What note 001 gets wrong (ERRATA E32/E33): it drops with probability p and then multiplies the
weights by p at test time — the test-time factor must be the *keep* probability 1 − p (the paper
calls its p the retain probability). With inverted dropout there is no test-time factor at all.
The paper's recommendation "0.5 for hidden units, 0.8 for inputs" are retain probabilities, i.e.
PyTorch's p = 0.5 and p = 0.2.

Masks are drawn from the library's generator, so ``wb.manual_seed`` makes them reproducible.
"""

from __future__ import annotations

from .. import backend
from ..autograd import Tensor
from ..autograd.ops import _as_tensor
from .module import Module

__all__ = ["dropout", "dropout2d", "Dropout", "Dropout2d"]


def _check_p(p, who):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{who}: dropout probability p has to be between 0 and 1, but got {p}")


def _masked(x, mask_shape, p, name):
    xp = x.xp
    if p == 1.0:
        scale = xp.zeros(mask_shape, dtype=x.dtype)
    else:
        keep = backend.get_rng().random(mask_shape) >= p
        scale = backend.asarray(keep / (1.0 - p), dtype=x.dtype, module=xp)
    return Tensor._make(x.data * scale, (x,), lambda g: (g * scale,), name)


def dropout(input, p=0.5, training=True, inplace=False):
    """Inverted dropout: zero each element with probability ``p`` and scale the rest by
    1/(1 − p) in training; the identity when ``training`` is False. p = 1 gives zeros.

    ``inplace`` is accepted for PyTorch compatibility; a new tensor is always returned.
    """
    _check_p(p, "dropout")
    x = _as_tensor(input)
    if not training or p == 0.0:
        return x
    return _masked(x, x.shape, p, "Dropout")


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Channel dropout (Tompson et al. 2015): zero whole feature maps x[n, c, :, :] with
    probability ``p`` and scale the kept maps by 1/(1 − p). Neighbouring pixels of a map are
    strongly correlated, so element-wise dropout barely regularises convolutions.

    Input (N, C, H, W); a 3-D input is treated like PyTorch does, as (N, C, L) with one mask
    entry per (n, c).
    """
    _check_p(p, "dropout2d")
    x = _as_tensor(input)
    if x.ndim not in (3, 4):
        raise ValueError(f"dropout2d: expected a 3D or 4D input, got shape {x.shape}")
    if not training or p == 0.0:
        return x
    return _masked(x, x.shape[:2] + (1,) * (x.ndim - 2), p, "Dropout2d")


class _DropoutNd(Module):
    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        _check_p(p, type(self).__name__)
        self.p = p
        self.inplace = inplace

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Inverted dropout layer: active in ``train()`` mode, the identity in ``eval()`` mode
    (see :func:`dropout`). ``p`` is the probability of *dropping* an element (default 0.5)."""

    def forward(self, input):
        return dropout(input, self.p, self.training)


class Dropout2d(_DropoutNd):
    """Drops whole channels of (N, C, H, W) input (see :func:`dropout2d`)."""

    def forward(self, input):
        return dropout2d(input, self.p, self.training)
