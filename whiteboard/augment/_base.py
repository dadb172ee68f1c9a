"""Shared pieces of ``wb.augment``: input checks, the ``Transform`` base class, parameter checks.

Every transform takes a float array in CHW (one image) or NCHW (a batch) layout, or a
``Tensor`` holding one, and returns the same kind back. On a batch, random parameters are drawn
per sample, in one vectorised draw from the library generator (``wb.manual_seed`` fixes them).
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import backend
from ..autograd import Tensor

__all__ = ["Transform", "as_batch", "check_prob", "check_range", "pair"]


def as_batch(img, name="img", channels=None):
    """``(x4, single, was_tensor)``: ``img`` as an NCHW float array; ``single`` if it was CHW."""
    was_tensor = isinstance(img, Tensor)
    x = img.data if was_tensor else img
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name} should be a NumPy array or a Tensor, got {type(img).__name__}")
    if x.ndim not in (3, 4):
        raise ValueError(f"{name} should be CHW (3-d) or NCHW (4-d), got shape {x.shape}")
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"{name} should be a floating array (values in [0, 1]), got dtype "
                         f"{x.dtype} (shape {x.shape})")
    single = x.ndim == 3
    x4 = x[None] if single else x
    if channels is not None and x4.shape[1] not in channels:
        raise ValueError(f"{name} should have {' or '.join(map(str, channels))} channels, got "
                         f"{x4.shape[1]} (shape {x.shape})")
    return x4, single, was_tensor


def wrap(x4, single, was_tensor):
    """Undo :func:`as_batch`."""
    out = x4[0] if single else x4
    return Tensor(out) if was_tensor else out


def check_prob(p, name="p"):
    if not isinstance(p, numbers.Real) or not 0.0 <= float(p) <= 1.0:
        raise ValueError(f"{name} should be a probability in [0, 1], got {p!r}")
    return float(p)


def check_range(value, name, center=None, bound=(0.0, float("inf")), clip_first=True):
    """torchvision's ``_check_input``: a number ``v`` gives ``[center - v, center + v]`` (clipped
    at 0 when ``clip_first``), a pair is used as is; the range must be ordered and inside ``bound``.
    """
    if isinstance(value, numbers.Real):
        if value < 0:
            raise ValueError(f"{name} should be non-negative when it is a single number, got "
                             f"{value!r}")
        lo, hi = center - value, center + value
        if clip_first:
            lo = max(lo, 0.0)
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        lo, hi = float(value[0]), float(value[1])
    else:
        raise ValueError(f"{name} should be a number or a pair (min, max), got {value!r}")
    if not bound[0] <= lo <= hi <= bound[1]:
        raise ValueError(f"{name} should be an ordered range inside [{bound[0]}, {bound[1]}], "
                         f"got ({lo}, {hi})")
    return float(lo), float(hi)


def pair(size, name="size"):
    """``(h, w)`` from an int or a pair of positive ints."""
    if isinstance(size, numbers.Integral):
        size = (int(size), int(size))
    if (not isinstance(size, (tuple, list)) or len(size) != 2
            or not all(isinstance(s, numbers.Integral) and s > 0 for s in size)):
        raise ValueError(f"{name} should be a positive int or a pair (h, w) of them, got {size!r}")
    return int(size[0]), int(size[1])


class Transform:
    """Base class: subclasses implement ``_apply(x4, rng)`` on an NCHW array.

    ``channels`` (a tuple) restricts the channel counts a transform accepts (colour ops: 3).
    """

    channels = None

    def __call__(self, img):
        x4, single, was_tensor = as_batch(img, f"{type(self).__name__} input", self.channels)
        out = self._apply(x4, backend.get_rng())
        return wrap(out, single, was_tensor)

    def _apply(self, x, rng):  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_")
                         and k != "last_params")
        return f"{type(self).__name__}({args})"
