"""Tensor factories with PyTorch's names: ``tensor``, ``zeros``, ``randn``, ``arange`` ...

Random factories draw from the library's generator (``wb.manual_seed``), on the host, so a seed
gives the same numbers on every backend.
"""

from __future__ import annotations

import numpy as np

from .. import backend
from .tensor import Tensor

__all__ = [
    "tensor", "as_tensor", "from_numpy", "zeros", "ones", "full", "empty", "eye", "arange",
    "linspace", "rand", "randn", "randint", "zeros_like", "ones_like", "full_like", "rand_like",
    "randn_like",
]


def _size(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for n in size:
        if int(n) != n or n < 0:
            raise ValueError(f"sizes must be non-negative integers, got {tuple(size)}")
    return tuple(int(n) for n in size)


def _finish(data, dtype, requires_grad):
    dtype = backend.get_default_dtype() if dtype is None else np.dtype(dtype)
    return Tensor(backend.asarray(data, dtype=dtype), requires_grad=requires_grad)


def tensor(data, dtype=None, requires_grad=False):
    """A new tensor (a copy) from an array, nested lists or a scalar."""
    if isinstance(data, Tensor):
        data = data.data
    out = Tensor(data, requires_grad=False, dtype=dtype)
    if out.data is data:
        out.data = out.data.copy()
    return out.requires_grad_(requires_grad) if requires_grad else out


def as_tensor(data, dtype=None):
    """A tensor sharing memory with ``data`` where possible."""
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    return Tensor(data, dtype=dtype)


def from_numpy(array):
    """A tensor sharing memory with a NumPy array (its dtype kept)."""
    return Tensor(np.asarray(array))


def zeros(*size, dtype=None, requires_grad=False):
    return _finish(np.zeros(_size(size)), dtype, requires_grad)


def ones(*size, dtype=None, requires_grad=False):
    return _finish(np.ones(_size(size)), dtype, requires_grad)


def empty(*size, dtype=None, requires_grad=False):
    return zeros(*size, dtype=dtype, requires_grad=requires_grad)


def full(size, fill_value, dtype=None, requires_grad=False):
    if dtype is None and isinstance(fill_value, (bool, int, np.integer)):
        dtype = np.bool_ if isinstance(fill_value, bool) else np.int64
    return _finish(np.full(_size((size,)), fill_value), dtype, requires_grad)


def eye(n, m=None, dtype=None, requires_grad=False):
    return _finish(np.eye(n, m), dtype, requires_grad)


def arange(start, end=None, step=1, dtype=None, requires_grad=False):
    """Values in ``[start, end)`` with ``step``; integer arguments give int64, as PyTorch."""
    if end is None:
        start, end = 0, start
    if dtype is None and all(isinstance(v, (int, np.integer)) for v in (start, end, step)):
        dtype = np.int64
    return _finish(np.arange(start, end, step), dtype, requires_grad)


def linspace(start, end, steps, dtype=None, requires_grad=False):
    return _finish(np.linspace(start, end, steps), dtype, requires_grad)


def rand(*size, dtype=None, requires_grad=False):
    """Uniform samples on ``[0, 1)``."""
    return _finish(backend.get_rng().random(_size(size)), dtype, requires_grad)


def randn(*size, dtype=None, requires_grad=False):
    """Standard normal samples."""
    return _finish(backend.get_rng().standard_normal(_size(size)), dtype, requires_grad)


def randint(low, high=None, size=(), dtype=np.int64):
    """Integers uniform on ``[low, high)``."""
    if high is None:
        low, high = 0, low
    return _finish(backend.get_rng().integers(low, high, size=_size((size,))), dtype, False)


def zeros_like(x, dtype=None, requires_grad=False):
    return zeros(*x.shape, dtype=dtype or x.dtype, requires_grad=requires_grad)


def ones_like(x, dtype=None, requires_grad=False):
    return ones(*x.shape, dtype=dtype or x.dtype, requires_grad=requires_grad)


def full_like(x, fill_value, dtype=None, requires_grad=False):
    return full(x.shape, fill_value, dtype=dtype or x.dtype, requires_grad=requires_grad)


def rand_like(x, dtype=None, requires_grad=False):
    return rand(*x.shape, dtype=dtype or x.dtype, requires_grad=requires_grad)


def randn_like(x, dtype=None, requires_grad=False):
    return randn(*x.shape, dtype=dtype or x.dtype, requires_grad=requires_grad)
