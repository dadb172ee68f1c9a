"""Sliding windows shared by convolution and pooling: im2col, col2im and argument checks.

A 2-D sliding window over an (already padded) ``(N, C, H, W)`` array with kernel ``(KH, KW)``,
stride ``(SH, SW)`` and dilation ``(DH, DW)`` visits, for output pixel ``(i, j)`` and kernel offset
``(p, q)``, the input pixel ``(i·SH + p·DH, j·SW + q·DW)``. :func:`windows` exposes all of them as
one strided *view* of shape ``(N, C, KH, KW, OH, OW)`` — no data is copied: only the strides
change (``as_strided``). :func:`im2col` makes that view contiguous (the "im2col" matrix: for each
sample, ``(C·KH·KW, OH·OW)``), which is a copy unless the view already is contiguous (a 1x1 kernel
with stride 1). :func:`col2im` is its adjoint: it sums every column entry back onto the input pixel
it was read from, looping only over the ``KH·KW`` kernel offsets (each offset is one strided slice
of the input, so overlapping windows accumulate correctly).

Output size along one axis (floor division, as PyTorch; the notes' ``(W - F + 2P)/S + 1`` lacks the
floor and the dilation — see ERRATA E18)::

    out = floor((H + 2P - D·(K - 1) - 1) / S) + 1
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import backend

__all__ = ["expand", "conv_out_size", "windows", "im2col", "col2im", "offset_slices", "pad2d",
           "check_input_ndim"]


def expand(value, n, name, layer, minimum=1, allow_zero=False):
    """An int or a sequence of ``n`` ints (one int is repeated), validated, as a tuple."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        values = (int(value),) * n
    elif isinstance(value, (tuple, list)) and all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value
    ) and len(value) in (1, n):
        values = tuple(int(v) for v in value) * (n if len(value) == 1 else 1)
    else:
        raise TypeError(
            f"{layer}: {name} must be an int or a tuple of {n} ints, got {value!r}"
        )
    low = 0 if allow_zero else minimum
    if any(v < low for v in values):
        raise ValueError(
            f"{layer}: {name} must be {'non-negative' if low == 0 else f'>= {low}'}, "
            f"got {value!r}"
        )
    return values


def check_input_ndim(x, spatial, layer):
    """Accept ``(N, C, *spatial)`` or the unbatched ``(C, *spatial)``; return whether batched."""
    if x.ndim == spatial + 2:
        return True
    if x.ndim == spatial + 1:
        return False
    dims = ", ".join("HW"[-spatial:] if spatial <= 2 else "DHW")
    raise ValueError(
        f"{layer} expected a {spatial + 1}-D (C, {dims}) or {spatial + 2}-D (N, C, {dims}) "
        f"input, got a {x.ndim}-D input of shape {tuple(x.shape)}"
    )


def conv_out_size(size, kernel, stride, pad_total, dilation):
    """``floor((size + pad_total - dilation·(kernel - 1) - 1) / stride) + 1``."""
    return (size + pad_total - dilation * (kernel - 1) - 1) // stride + 1


def pad2d(x, pads, value=0.0):
    """Pad the last two axes by ``pads = (top, bottom, left, right)`` (no copy when all zero)."""
    top, bottom, left, right = pads
    if not (top or bottom or left or right):
        return x
    xp = backend.get_array_module(x)
    n, c, h, w = x.shape
    out = xp.full((n, c, h + top + bottom, w + left + right), value, dtype=x.dtype)
    out[:, :, top:top + h, left:left + w] = x
    return out


def windows(x, kernel, stride, dilation, out_hw):
    """All sliding windows of ``x`` (N, C, H, W) as a read-only view (N, C, KH, KW, OH, OW)."""
    xp = backend.get_array_module(x)
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = kernel, stride, dilation, out_hw
    s_n, s_c, s_h, s_w = x.strides
    shape = (x.shape[0], x.shape[1], kh, kw, oh, ow)
    strides = (s_n, s_c, s_h * dh, s_w * dw, s_h * sh, s_w * sw)
    if xp is np:
        return np.lib.stride_tricks.as_strided(x, shape, strides, writeable=False)
    return xp.lib.stride_tricks.as_strided(x, shape, strides)  # pragma: no cover - GPU only


def im2col(x, kernel, stride, dilation, out_hw):
    """The windows of :func:`windows` as a contiguous array (a copy only when needed)."""
    xp = backend.get_array_module(x)
    return xp.ascontiguousarray(windows(x, kernel, stride, dilation, out_hw))


def offset_slices(kernel, stride, dilation, out_hw):
    """For each kernel offset ``(p, q)``: the strided slice of the input that it reads.

    Offset ``(p, q)`` of every window together reads rows ``p·DH, p·DH + SH, ...`` (``OH`` of
    them) and the analogous columns: one basic slice, hence a view.
    """
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = kernel, stride, dilation, out_hw
    return [
        (p, q, (slice(None), slice(None),
                slice(p * dh, p * dh + sh * (oh - 1) + 1, sh),
                slice(q * dw, q * dw + sw * (ow - 1) + 1, sw)))
        for p in range(kh) for q in range(kw)
    ]


def col2im(cols, shape, stride, dilation):
    """Adjoint of :func:`im2col`: scatter-add ``cols`` (N, C, KH, KW, OH, OW) onto ``shape``.

    Loops over the ``KH·KW`` kernel offsets only; each adds an ``(N, C, OH, OW)`` block to a
    strided slice, so pixels covered by several windows receive the sum of their contributions.
    """
    xp = backend.get_array_module(cols)
    kh, kw, oh, ow = cols.shape[2:]
    out = xp.zeros(shape, dtype=cols.dtype)
    for p, q, index in offset_slices((kh, kw), stride, dilation, (oh, ow)):
        out[index] += cols[:, :, p, q]
    return out
