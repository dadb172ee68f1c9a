"""Argument checks shared by the layers of ``linear``, ``activation`` and ``normalization``."""

from __future__ import annotations


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
