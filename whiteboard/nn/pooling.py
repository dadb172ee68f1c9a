"""Pooling: max / average (2-D and 1-D), adaptive, global average and spatial pyramid pooling.

Pooling has no parameters, but it does have a backward pass (the notes' "no gradient is computed"
is only half right — ERRATA E17): the input gradient is

* max pooling: each output's gradient goes to the arg-max of its window (the first maximum on
  ties, as PyTorch; a NaN counts as the maximum), every other input of the window receives 0;
* average pooling: each output's gradient ``g`` is spread evenly, ``g / divisor`` to every input
  of its window.

With overlapping windows (stride < kernel, AlexNet's 3x3 stride-2 "overlapping pooling") one
input belongs to several windows and receives the **sum** of their contributions: the backward
pass here loops over the ``KH·KW`` kernel offsets, and each offset adds its share to one strided
slice of the input gradient (``+=`` on a view), so the accumulation is exact.

Output size (PyTorch's rule)::

    OH = floor((H + 2P − D·(K − 1) − 1) / S) + 1          (ceil instead of floor with ceil_mode,
                                                           dropping a last window that would start
                                                           in the bottom/right padding)

``padding`` may be at most half the kernel size (``P ≤ K // 2``), as PyTorch requires. Max pooling
pads with −∞ (padding never wins); average pooling pads with 0 and divides by the window size
including the padding (``count_include_pad=True``) or by the number of real inputs in the window
(``False``); windows that ``ceil_mode`` lets run past the padded input count only up to its edge,
exactly as PyTorch.

Adaptive pooling to ``out`` bins over a length-``H`` axis uses bin ``i = [floor(i·H/out),
ceil((i+1)·H/out))`` — PyTorch's bins: they cover the axis, may overlap by one pixel and differ in
size by at most one. Global average pooling is adaptive average pooling to 1x1 (NIN / GoogLeNet's
replacement for the big fully connected layers).

Spatial pyramid pooling (He et al. 2014, the notes' "1x1, 2x2, 4x4 concatenated") max-pools (or
averages) the map into an ``n x n`` grid of bins for each level ``n`` and concatenates the
flattened results: the output has the fixed length ``C·Σ n²`` (``21·C`` for levels (1, 2, 4)) for
**any** input size, which is what let SPP-net feed arbitrary image sizes to fully connected
layers. The levels are bin grids, not window sizes (ERRATA E19). The paper's window ``ceil(a/n)``
with stride ``floor(a/n)`` can yield more than ``n`` bins (a=7, n=4 gives 6), so the bins here are
the adaptive ones above, which always give exactly ``n x n``.
"""

from __future__ import annotations

import numpy as np

from ..autograd import Tensor
from ..autograd.ops import _as_tensor, cat, flatten, mean, squeeze, unsqueeze
from ._im2col import check_input_ndim, expand, offset_slices, pad2d
from .module import Module

__all__ = [
    "max_pool2d", "avg_pool2d", "max_pool1d", "avg_pool1d", "adaptive_avg_pool2d",
    "adaptive_max_pool2d", "adaptive_avg_pool1d", "adaptive_max_pool1d", "spatial_pyramid_pool",
    "MaxPool2d", "AvgPool2d", "MaxPool1d", "AvgPool1d", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d",
    "AdaptiveAvgPool1d", "AdaptiveMaxPool1d", "GlobalAvgPool2d", "SpatialPyramidPooling",
]


# ---------------------------------------------------------------------- shared set-up
def _check_float(x, layer):
    if x.dtype.kind != "f":
        raise TypeError(f"{layer}: input must be a floating tensor, got dtype {x.dtype}")


def _pool_out_size(size, kernel, stride, pad, dilation, ceil_mode):
    span = size + 2 * pad - dilation * (kernel - 1) - 1
    out = (span + (stride - 1 if ceil_mode else 0)) // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1  # the last window must start inside the input or the left padding
    return out


def _pool_geometry(x, kernel_size, stride, padding, dilation, ceil_mode, layer):
    """Validated kernel/stride/padding/dilation pairs and the output size."""
    kernel = expand(kernel_size, 2, "kernel_size", layer)
    if stride is None or (isinstance(stride, (tuple, list)) and len(stride) == 0):
        stride = kernel
    stride = expand(stride, 2, "stride", layer)
    pad = expand(padding, 2, "padding", layer, allow_zero=True)
    dil = expand(dilation, 2, "dilation", layer)
    if any(p > k // 2 for p, k in zip(pad, kernel)):
        raise ValueError(
            f"{layer}: padding {pad} should be at most half of kernel_size {kernel}"
        )
    if 0 in x.shape[1:]:
        raise ValueError(f"{layer}: expected a 3-D or 4-D input with non-zero channel and "
                         f"spatial sizes (only the batch may be empty), got shape {x.shape}")
    h, w = x.shape[-2:]
    out = tuple(_pool_out_size(size, k, s, p, d, ceil_mode)
                for size, k, s, p, d in zip((h, w), kernel, stride, pad, dil))
    if min(out) < 1:
        raise ValueError(
            f"{layer}: output size {out[0]}x{out[1]} is too small for input shape "
            f"{tuple(x.shape)} (kernel_size {kernel}, stride {stride}, padding {pad}, "
            f"dilation {dil})"
        )
    return kernel, stride, pad, dil, out


def _unbatched(fn, x, *args):
    """Run a 4-D pooling function on a 3-D (C, H, W) input by adding and removing the batch."""
    out = fn(unsqueeze(x, 0), *args)
    if isinstance(out, tuple):
        return tuple(squeeze(o, 0) if isinstance(o, Tensor) and o.requires_grad else
                     Tensor._wrap(o.data[0]) for o in out)
    return squeeze(out, 0)


# ---------------------------------------------------------------------- max pooling
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """2-D max pooling over ``(N, C, H, W)`` or ``(C, H, W)``.

    ``y[n, c, i, j] = max_{p, q} x_pad[n, c, i·S + p·D, j·S + q·D]`` (``x_pad`` padded with −∞).
    With ``return_indices``, also the flat index ``h·W + w`` of each maximum in the input plane
    (what ``max_unpool2d`` consumes). Backward: the gradient goes to the arg-max, accumulating
    over overlapping windows (see the module docstring).
    """
    return _max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices,
                       "max_pool2d")


def _max_pool2d(x, kernel_size, stride, padding, dilation, ceil_mode, return_indices, layer):
    x = _as_tensor(x)
    if not check_input_ndim(x, 2, layer):
        return _unbatched(lambda t: _max_pool2d(t, kernel_size, stride, padding, dilation,
                                                ceil_mode, return_indices, layer), x)
    _check_float(x, layer)
    kernel, stride, pad, dil, (oh, ow) = _pool_geometry(x, kernel_size, stride, padding,
                                                        dilation, ceil_mode, layer)
    xp = x.xp
    n, c, h, w = x.shape
    # ceil_mode windows may run past the padded input: extend it with -inf there too
    extra = [max(0, (o - 1) * s + d * (k - 1) + 1 - (size + 2 * p))
             for o, s, d, k, size, p in zip((oh, ow), stride, dil, kernel, (h, w), pad)]
    x_pad = pad2d(x.data, (pad[0], pad[0] + extra[0], pad[1], pad[1] + extra[1]), -np.inf)
    slices = offset_slices(kernel, stride, dil, (oh, ow))
    has_nan = bool(xp.isnan(x.data).any())
    best = x_pad[slices[0][2]].copy()
    arg = xp.zeros(best.shape, dtype=np.int8 if len(slices) < 128 else np.int32)
    # masked assignments (np.where, copyto(where=)) are ~10x slower than plain arithmetic
    # ufuncs, so the running arg-max is updated as arg += take·(k − arg), and the maximum with
    # np.maximum (which, like PyTorch, lets a NaN win)
    for k, (_, _, index) in enumerate(slices[1:], 1):
        cand = x_pad[index]
        take = cand > best
        if has_nan:
            take |= xp.isnan(cand)
        xp.maximum(best, cand, out=best)
        arg += take * (arg.dtype.type(k) - arg)
    if any(pad) or any(extra):
        # a window whose real inputs are all -inf: PyTorch reports its first real input, not a
        # padding position (the arg-max above would stay at offset 0, possibly in the padding)
        lost = best == -np.inf
        if bool(lost.any()):
            first = [np.maximum(0, -(-(p - np.arange(o) * s) // d))
                     for p, o, s, d in zip(pad, (oh, ow), stride, dil)]
            first_arg = xp.asarray(first[0][:, None] * kernel[1] + first[1][None, :],
                                   dtype=arg.dtype)
            arg = xp.where(lost, first_arg, arg)

    # windows that tile the input exactly (the usual 2x2 stride 2): every pixel lies in one
    # window, so its gradient is written once, without zero-filling and accumulating
    tiled = (stride == kernel and dil == (1, 1) and not any(pad) and not any(extra)
             and (oh * kernel[0], ow * kernel[1]) == (h, w))

    def backward(g):
        if tiled:
            gx = xp.empty(x.shape, dtype=g.dtype)
            gx6 = gx.reshape(n, c, oh, kernel[0], ow, kernel[1])
            for k in range(len(slices)):
                xp.multiply(g, arg == k, out=gx6[:, :, :, k // kernel[1], :, k % kernel[1]])
            return (gx,)
        gx_pad = xp.zeros(x_pad.shape, dtype=g.dtype)
        for k, (_, _, index) in enumerate(slices):
            gx_pad[index] += g * (arg == k)
        return (gx_pad[:, :, pad[0]:pad[0] + h, pad[1]:pad[1] + w],)

    out = Tensor._make(best, (x,), backward, "MaxPool2d")
    if not return_indices:
        return out
    rows = xp.arange(oh)[:, None] * stride[0] - pad[0] + (arg // kernel[1]) * dil[0]
    cols = xp.arange(ow) * stride[1] - pad[1] + (arg % kernel[1]) * dil[1]
    return out, Tensor._wrap((rows * w + cols).astype(np.int64))


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """1-D max pooling over ``(N, C, L)`` or ``(C, L)``: max_pool2d on a height-1 image."""
    return _pool1d(_max_pool2d, input, "max_pool1d", kernel_size, stride, padding, dilation,
                   ceil_mode, return_indices)


def _pool1d(fn2d, x, layer, kernel_size, stride, padding, *rest):
    x = _as_tensor(x)
    batched = check_input_ndim(x, 1, layer)
    kernel = (1,) + expand(kernel_size, 1, "kernel_size", layer)
    stride = None if stride is None else (1,) + expand(stride, 1, "stride", layer)
    pad = (0,) + expand(padding, 1, "padding", layer, allow_zero=True)
    if fn2d is _max_pool2d:
        rest = ((1,) + expand(rest[0], 1, "dilation", layer),) + rest[1:]
    x4 = unsqueeze(x, -2)
    out = fn2d(x4 if batched else unsqueeze(x4, 0), kernel, stride, pad, *rest, layer)

    def drop(o):
        if o.requires_grad:
            o = squeeze(o, 2)
            return o if batched else squeeze(o, 0)
        return Tensor._wrap(o.data[:, :, 0] if batched else o.data[0, :, 0])

    return tuple(drop(o) for o in out) if isinstance(out, tuple) else drop(out)


# ---------------------------------------------------------------------- average pooling
def _avg_divisor_counts(size, out, kernel, stride, pad):
    """Per output position along one axis: window length including padding, and without."""
    start = np.arange(out) * stride - pad
    end = np.minimum(start + kernel, size + pad)
    with_pad = end - start
    without = np.minimum(end, size) - np.maximum(start, 0)
    return with_pad, without


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """2-D average pooling over ``(N, C, H, W)`` or ``(C, H, W)``.

    ``y[n, c, i, j] = Σ_{p, q} x_pad[n, c, i·S + p, j·S + q] / divisor`` with ``x_pad`` zero padded;
    ``divisor`` = the window size clipped to the padded input (``count_include_pad=True``), the
    number of real inputs in the window (``False``), or ``divisor_override``. Backward: each input
    of the window receives ``g / divisor`` (summed over overlapping windows).
    """
    return _avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                       divisor_override, "avg_pool2d")


def _avg_pool2d(x, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override,
                layer):
    x = _as_tensor(x)
    if not check_input_ndim(x, 2, layer):
        return _unbatched(lambda t: _avg_pool2d(t, kernel_size, stride, padding, ceil_mode,
                                                count_include_pad, divisor_override, layer), x)
    _check_float(x, layer)
    kernel, stride, pad, dil, (oh, ow) = _pool_geometry(x, kernel_size, stride, padding, 1,
                                                        ceil_mode, layer)
    if divisor_override is not None and divisor_override == 0:
        raise ValueError(f"{layer}: divisor_override must not be zero")
    xp = x.xp
    n, c, h, w = x.shape
    extra = [max(0, (o - 1) * s + k - (size + 2 * p))
             for o, s, k, size, p in zip((oh, ow), stride, kernel, (h, w), pad)]
    x_pad = pad2d(x.data, (pad[0], pad[0] + extra[0], pad[1], pad[1] + extra[1]), 0.0)
    slices = offset_slices(kernel, stride, dil, (oh, ow))
    if divisor_override is not None:
        divisor = np.full((oh, ow), float(divisor_override))
    else:
        (hi, he), (wi, we) = (_avg_divisor_counts(size, o, k, s, p) for size, o, k, s, p in
                              zip((h, w), (oh, ow), kernel, stride, pad))
        divisor = (np.outer(hi, wi) if count_include_pad else np.outer(he, we)).astype(float)
        divisor[divisor == 0] = 1.0  # an empty window sums to 0; PyTorch outputs 0 there
    divisor = xp.asarray(divisor, dtype=x.dtype)
    total = x_pad[slices[0][2]].copy()
    for _, _, index in slices[1:]:
        total += x_pad[index]
    out = total / divisor

    def backward(g):
        share = g / divisor
        gx_pad = xp.zeros(x_pad.shape, dtype=g.dtype)
        for _, _, index in slices:
            gx_pad[index] += share
        return (gx_pad[:, :, pad[0]:pad[0] + h, pad[1]:pad[1] + w],)

    return Tensor._make(out, (x,), backward, "AvgPool2d")


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """1-D average pooling over ``(N, C, L)`` or ``(C, L)``."""
    return _pool1d(_avg_pool2d, input, "avg_pool1d", kernel_size, stride, padding, ceil_mode,
                   count_include_pad, None)


# ---------------------------------------------------------------------- adaptive pooling
def _adaptive_bins(size, out):
    """PyTorch's bins: ``[floor(i·size/out), ceil((i+1)·size/out))`` for ``i < out``."""
    i = np.arange(out)
    return (i * size) // out, -((-(i + 1) * size) // out)


def _output_size(output_size, x, layer):
    size = output_size if isinstance(output_size, (tuple, list)) else (output_size,) * 2
    if len(size) != 2:
        raise ValueError(f"{layer}: output_size must be an int or a pair, got {output_size!r}")
    size = tuple(x.shape[-2 + i] if s is None else s for i, s in enumerate(size))
    if any(not isinstance(s, (int, np.integer)) or s < 1 for s in size):
        raise ValueError(f"{layer}: output_size must contain positive ints or None, got "
                         f"{output_size!r}")
    return tuple(int(s) for s in size)


def adaptive_avg_pool2d(input, output_size):
    """Average over PyTorch's adaptive bins, to ``output_size`` (int, pair; None keeps a size).

    Each axis is averaged by a matrix ``A`` of shape ``(out, size)`` with ``A[i, h] =
    1/len(bin_i)`` for ``h`` in bin ``i``: ``y = A_H · x · A_Wᵀ`` (two tensor contractions), and
    the backward pass is ``A_Hᵀ · g · A_W``. ``output_size=1`` is global average pooling.
    """
    return _adaptive_avg_pool2d(input, output_size, "adaptive_avg_pool2d")


def _bin_matrix(size, out, xp, dtype):
    start, end = _adaptive_bins(size, out)
    pos = np.arange(size)
    inside = (pos >= start[:, None]) & (pos < end[:, None])
    return xp.asarray(inside / (end - start)[:, None], dtype=dtype)


def _adaptive_avg_pool2d(x, output_size, layer):
    x = _as_tensor(x)
    if not check_input_ndim(x, 2, layer):
        return _unbatched(lambda t: _adaptive_avg_pool2d(t, output_size, layer), x)
    _check_float(x, layer)
    oh, ow = _output_size(output_size, x, layer)
    h, w = x.shape[-2:]
    if (oh, ow) == (1, 1):
        return mean(x, dim=(-2, -1), keepdim=True)
    xp = x.xp
    a_h = _bin_matrix(h, oh, xp, x.dtype)
    a_w = _bin_matrix(w, ow, xp, x.dtype)
    out = xp.tensordot(xp.tensordot(x.data, a_h, axes=([2], [1])), a_w, axes=([2], [1]))

    def backward(g):
        return (xp.tensordot(xp.tensordot(g, a_h, axes=([2], [0])), a_w, axes=([2], [0])),)

    return Tensor._make(out, (x,), backward, "AdaptiveAvgPool2d")


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """Maximum over PyTorch's adaptive bins (see :func:`adaptive_avg_pool2d`).

    The bins are gathered into a ``(N, C, OH, OW, KH, KW)`` array (``KH``/``KW`` the largest bin;
    smaller bins repeat their last row/column, which never changes the maximum nor the first
    arg-max — nor, when a bin holds NaNs, the position of its last NaN, which wins as in
    PyTorch); the backward pass scatter-adds ``g`` at the arg-max positions (``bincount``), so
    pixels shared by overlapping bins accumulate.
    """
    return _adaptive_max_pool2d(input, output_size, return_indices, "adaptive_max_pool2d")


def _adaptive_max_pool2d(x, output_size, return_indices, layer):
    x = _as_tensor(x)
    if not check_input_ndim(x, 2, layer):
        return _unbatched(lambda t: _adaptive_max_pool2d(t, output_size, return_indices, layer),
                          x)
    _check_float(x, layer)
    oh, ow = _output_size(output_size, x, layer)
    xp = x.xp
    n, c, h, w = x.shape
    (sh, eh), (sw, ew) = _adaptive_bins(h, oh), _adaptive_bins(w, ow)
    kh, kw = int((eh - sh).max()), int((ew - sw).max())
    rows = xp.asarray(np.minimum(sh[:, None] + np.arange(kh), eh[:, None] - 1))
    cols = xp.asarray(np.minimum(sw[:, None] + np.arange(kw), ew[:, None] - 1))
    vals = x.data[:, :, rows[:, None, :, None], cols[None, :, None, :]]
    flat = vals.reshape(n, c, oh, ow, kh * kw)
    arg = flat.argmax(axis=-1)
    nan = xp.isnan(flat)
    if bool(nan.any()):
        # PyTorch lets the *last* NaN of a bin win (argmax finds the first)
        last_nan = kh * kw - 1 - nan[..., ::-1].argmax(axis=-1)
        arg = xp.where(nan.any(axis=-1), last_nan, arg)
    out = xp.take_along_axis(flat, arg[..., None], axis=-1)[..., 0]
    index = (rows[xp.arange(oh)[:, None], arg // kw] * w
             + cols[xp.arange(ow), arg % kw]).astype(np.int64)

    def backward(g):
        base = xp.arange(n * c, dtype=np.int64).reshape(n, c, 1, 1) * (h * w)
        summed = xp.bincount((base + index).ravel(), weights=g.ravel(), minlength=n * c * h * w)
        return (summed.astype(g.dtype, copy=False).reshape(n, c, h, w),)

    result = Tensor._make(out, (x,), backward, "AdaptiveMaxPool2d")
    return (result, Tensor._wrap(index)) if return_indices else result


def adaptive_avg_pool1d(input, output_size):
    """1-D adaptive average pooling over ``(N, C, L)`` or ``(C, L)``."""
    return _adaptive1d(_adaptive_avg_pool2d, input, output_size, "adaptive_avg_pool1d")


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """1-D adaptive max pooling over ``(N, C, L)`` or ``(C, L)``."""
    return _adaptive1d(_adaptive_max_pool2d, input, output_size, "adaptive_max_pool1d",
                       return_indices)


def _adaptive1d(fn2d, x, output_size, layer, *rest):
    x = _as_tensor(x)
    batched = check_input_ndim(x, 1, layer)
    size = output_size[0] if isinstance(output_size, (tuple, list)) and len(output_size) == 1 \
        else output_size
    if isinstance(size, (tuple, list)):
        raise ValueError(f"{layer}: output_size must be an int, got {output_size!r}")
    x4 = unsqueeze(x, -2)
    out = fn2d(x4 if batched else unsqueeze(x4, 0), (1, size), *rest, layer)

    def drop(o):
        if o.requires_grad:
            o = squeeze(o, -2)
            return o if batched else squeeze(o, 0)
        return Tensor._wrap(o.data[:, :, 0] if batched else o.data[0, :, 0])

    return tuple(drop(o) for o in out) if isinstance(out, tuple) else drop(out)


def spatial_pyramid_pool(input, levels=(1, 2, 4), mode="max"):
    """Spatial pyramid pooling (He et al. 2014): ``(N, C, H, W) -> (N, C·Σ n²)`` for any H, W.

    For each level ``n``: adaptive max (or average, ``mode='avg'``) pooling to ``n x n``,
    flattened channel-major; the levels are concatenated in order.
    """
    return _spp(input, levels, mode, "spatial_pyramid_pool")


def _spp(x, levels, mode, layer):
    x = _as_tensor(x)
    if x.ndim != 4:
        raise ValueError(f"{layer} expected a 4-D (N, C, H, W) input, got shape {x.shape}")
    if mode not in ("max", "avg"):
        raise ValueError(f"{layer}: mode must be 'max' or 'avg', got {mode!r}")
    levels = tuple(levels)
    if not levels or any(not isinstance(n, (int, np.integer)) or n < 1 for n in levels):
        raise ValueError(f"{layer}: levels must be positive ints, got {levels!r}")
    pool = _adaptive_max_pool2d if mode == "max" else _adaptive_avg_pool2d
    rest = (False,) if mode == "max" else ()
    return cat([flatten(pool(x, n, *rest, layer), 1) for n in levels], dim=1)


# ---------------------------------------------------------------------- modules
class _Pool(Module):
    _fields = ()

    def extra_repr(self):
        return ", ".join(f"{f}={getattr(self, f)}" for f in self._fields)


class MaxPool2d(_Pool):
    """2-D max pooling layer (see :func:`max_pool2d`); ``stride`` defaults to ``kernel_size``."""

    _fields = ("kernel_size", "stride", "padding", "dilation", "ceil_mode")

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def forward(self, input):
        return _max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                           self.ceil_mode, self.return_indices, "MaxPool2d")


class MaxPool1d(MaxPool2d):
    """1-D max pooling layer (see :func:`max_pool1d`)."""

    def forward(self, input):
        return _pool1d(_max_pool2d, input, "MaxPool1d", self.kernel_size, self.stride,
                       self.padding, self.dilation, self.ceil_mode, self.return_indices)


class AvgPool2d(_Pool):
    """2-D average pooling layer (see :func:`avg_pool2d`)."""

    _fields = ("kernel_size", "stride", "padding")

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, input):
        return _avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                           self.count_include_pad, self.divisor_override, "AvgPool2d")


class AvgPool1d(_Pool):
    """1-D average pooling layer (see :func:`avg_pool1d`)."""

    _fields = ("kernel_size", "stride", "padding")

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        super().__init__()
        self.kernel_size = expand(kernel_size, 1, "kernel_size", "AvgPool1d")
        self.stride = expand(stride if stride is not None else kernel_size, 1, "stride",
                             "AvgPool1d")
        self.padding = expand(padding, 1, "padding", "AvgPool1d", allow_zero=True)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input):
        return _pool1d(_avg_pool2d, input, "AvgPool1d", self.kernel_size, self.stride,
                       self.padding, self.ceil_mode, self.count_include_pad, None)


class AdaptiveAvgPool2d(_Pool):
    """Adaptive average pooling to ``output_size`` (see :func:`adaptive_avg_pool2d`);
    ``AdaptiveAvgPool2d(1)`` is global average pooling."""

    _fields = ("output_size",)

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def forward(self, input):
        return _adaptive_avg_pool2d(input, self.output_size, "AdaptiveAvgPool2d")


class AdaptiveMaxPool2d(_Pool):
    """Adaptive max pooling to ``output_size`` (see :func:`adaptive_max_pool2d`)."""

    _fields = ("output_size",)

    def __init__(self, output_size, return_indices=False):
        super().__init__()
        self.output_size, self.return_indices = output_size, return_indices

    def forward(self, input):
        return _adaptive_max_pool2d(input, self.output_size, self.return_indices,
                                    "AdaptiveMaxPool2d")


class AdaptiveAvgPool1d(AdaptiveAvgPool2d):
    """1-D adaptive average pooling (see :func:`adaptive_avg_pool1d`)."""

    def forward(self, input):
        return _adaptive1d(_adaptive_avg_pool2d, input, self.output_size, "AdaptiveAvgPool1d")


class AdaptiveMaxPool1d(AdaptiveMaxPool2d):
    """1-D adaptive max pooling (see :func:`adaptive_max_pool1d`)."""

    def forward(self, input):
        return _adaptive1d(_adaptive_max_pool2d, input, self.output_size, "AdaptiveMaxPool1d",
                           self.return_indices)


class GlobalAvgPool2d(Module):
    """Global average pooling: the mean over H and W, ``(N, C, H, W) -> (N, C)``.

    A convenience equal to ``AdaptiveAvgPool2d(1)`` followed by ``Flatten()`` (``keepdim=True``
    keeps the ``(N, C, 1, 1)`` shape instead).
    """

    def __init__(self, keepdim=False):
        super().__init__()
        self.keepdim = keepdim

    def forward(self, input):
        x = _as_tensor(input)
        if x.ndim != 4:
            raise ValueError(f"GlobalAvgPool2d expected a 4-D (N, C, H, W) input, got shape "
                             f"{x.shape}")
        return mean(x, dim=(-2, -1), keepdim=self.keepdim)

    def extra_repr(self):
        return f"keepdim={self.keepdim}"


class SpatialPyramidPooling(Module):
    """Spatial pyramid pooling layer (see :func:`spatial_pyramid_pool`): a fixed-length
    ``C·Σ n²`` vector per sample for any input size."""

    def __init__(self, levels=(1, 2, 4), mode="max"):
        super().__init__()
        self.levels, self.mode = tuple(levels), mode

    def output_size(self, channels):
        """Length of the output vector for ``channels`` input channels."""
        return channels * sum(n * n for n in self.levels)

    def forward(self, input):
        return _spp(input, self.levels, self.mode, "SpatialPyramidPooling")

    def extra_repr(self):
        return f"levels={self.levels}, mode={self.mode!r}"
