"""Argument checks shared by the layers of ``linear``, ``activation`` and ``normalization``."""

from __future__ import annotations

import numbers


def check_same_float_dtype(who, **tensors):
    """Every given tensor (None ignored) is floating and all share one dtype, as PyTorch demands
    ("mixed dtype: all inputs must share same datatype"); raise a TypeError naming them."""
    dtypes = {name: t.dtype for name, t in tensors.items() if t is not None}
    for name, dtype in dtypes.items():
        if dtype.kind != "f":
            raise TypeError(f"{who}: {name} must be a floating tensor, got dtype {dtype}")
    if len(set(dtypes.values())) > 1:
        listing = ", ".join(f"{name} {dtype}" for name, dtype in dtypes.items())
        raise TypeError(f"{who}: {', '.join(dtypes)} must have the same dtype, got {listing}")


def check_size(value, name, who, minimum=0):
    """A layer size (features, channels, groups ...) is an ``int`` (not a bool) ``>= minimum``.

    PyTorch fails later with "Trying to create tensor with negative dimension"; here the error
    names the layer and the argument: ``Linear: in_features must be an integer >= 0, got -1``.
    Returns the value as a Python int.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{who}: {name} must be an integer, got {value!r} "
                        f"({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{who}: {name} must be an integer >= {minimum}, got {value}")
    return int(value)
