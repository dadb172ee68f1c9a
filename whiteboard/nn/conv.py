"""Convolution: ``conv2d`` / ``Conv2d``, ``conv1d`` / ``Conv1d`` and the transposed convolution
``conv_transpose2d`` / ``ConvTranspose2d``, as one matrix product over sliding windows.

The math (cross-correlation, as every deep-learning library computes it)
-----------------------------------------------------------------------
For input ``x`` of shape ``(N, C, H, W)``, weight ``w`` of shape ``(O, C/G, KH, KW)``, stride
``S``, zero padding ``P``, dilation ``D`` and ``G`` groups::

    y[n, o, i, j] = b[o] + Σ_{c ∈ group(o)} Σ_{p, q} w[o, c, p, q]
                                                 · x_pad[n, c, i·S + p·D, j·S + q·D]

    OH = floor((H + 2P − D·(KH − 1) − 1) / S) + 1        (likewise OW)

The floor matters (the notes' ``(W − F + 2P)/S + 1`` has none: 224, F=7, P=3, S=2 is 112, not
112.5 — ERRATA E18). Dilation (空洞卷积) spaces the kernel taps ``D`` pixels apart, so a ``K``-tap
kernel covers ``D·(K−1)+1`` pixels with the same ``K²`` weights: a larger receptive field without
pooling. Groups split the channels into ``G`` independent convolutions (``G = C`` with ``O = m·C``
is the depthwise convolution); a 1x1 kernel mixes channels only (the notes' "1x1 conv":
cross-channel combination and channel reduction/expansion). Parameters: ``O·(C/G)·KH·KW + O``
with bias (the notes' ``F·F·D·K`` omits the bias — ERRATA E20).

im2col + GEMM
-------------
The windows ``x_pad[n, c, i·S + p·D, j·S + q·D]`` form a strided view of shape
``(N, C, KH, KW, OH, OW)`` (``_im2col.windows``). Copied channel-major it is, per group, one
``(C/G·KH·KW, N·OH·OW)`` matrix, and the convolution is one matrix product per group over the
whole batch::

    Y[g] = W[g] @ X_col[g]      W[g]: (O/G, C/G·KH·KW)       Y[g]: (O/G, N·OH·OW)

(reordered to NCHW by the copy that adds the bias). The backward pass is two more products and
the adjoint of im2col::

    dW[g]     = dY[g] @ X_col[g]ᵀ
    dX_col[g] = W[g]ᵀ @ dY[g]            dX = col2im(dX_col)   (then the padding cropped)

``col2im`` adds every column back onto the pixel it was read from, looping over the ``KH·KW``
kernel offsets only (never over pixels or samples). The code fuses the last two steps per offset:
``dX_pad[slice(p, q)] += W[:, :, p, q]ᵀ @ dY`` — the same sum, without writing and re-reading the
``KH·KW``-times-larger ``dX_col`` (that traffic was 40% of the backward pass).

Memory layout: when the horizontal stride is 1 the columns use "wide rows" (``_im2col.Geometry``):
each window row spans the full padded width, so the im2col copy and the col2im additions move
long contiguous runs; the few junk columns this adds are dropped from the output and receive a
zero gradient. A depthwise convolution (``C/G = 1``) skips the GEMM altogether: its "matrix" is a
single row per channel, so it is computed as ``KH·KW`` multiply-adds of the offset views.

Speed (benchmarks/bench_nn.py, docs/benchmarks/nn.md): the three GEMMs dominate the time; about
2.5x PyTorch's oneDNN direct convolution (AVX-512, no column matrix) on the benchmark machine, and
slightly faster than PyTorch's own im2col + GEMM path.

Transposed convolution (转置卷积)
--------------------------------
The notes: "the transposed convolution does, in the forward and backward pass, the opposite of
the convolution" — precisely: it is the adjoint (transpose) of the linear map ``x ↦ conv2d(x, w)``.
Writing the convolution as a matrix ``y = C_w x``, the transposed convolution is ``z = C_wᵀ u``.
So its forward pass is exactly ``conv2d``'s input-gradient computation (``W ᵀ @ cols`` then
col2im), and its input gradient is exactly ``conv2d``'s forward pass (im2col then ``W @ cols``);
the code below reuses the same three functions for both. It is not an inverse ("deconvolution" is
a misnomer, as the notes say): ``C_wᵀ C_w ≠ I``. Output size::

    H_out = (H − 1)·S − 2P + D·(KH − 1) + output_padding + 1

``output_padding`` (smaller than the stride or the dilation) chooses among the input sizes that a
strided convolution maps to the same output size. Its weight has shape ``(C_in, C_out/G, KH, KW)``
— the weight of the convolution it is the transpose of.
"""

from __future__ import annotations

import math

import numpy as np

from .. import backend
from ..autograd import Tensor
from ..autograd.ops import _as_tensor, squeeze, unsqueeze
from . import init
from ._im2col import Geometry, check_input_ndim, conv_out_size, expand
from .module import Module
from .parameter import Parameter

__all__ = [
    "conv2d", "conv1d", "conv_transpose2d", "Conv2d", "Conv1d", "ConvTranspose2d",
]

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


# ---------------------------------------------------------------------- array kernels
def _depthwise(w, groups):
    """One input channel per output channel (``C/G == 1``), where a GEMM has nothing to share."""
    return w.shape[1] == 1 and groups > 1


def _prepare_grad(g, w, geo, groups):
    """An output-shaped array (N, O, OH, OW) in the layout the backward products read: for a
    depthwise convolution ``geo.widen``; otherwise channel-major ``(O, N, OH, cols_w)``."""
    return geo.widen(g) if _depthwise(w, groups) else geo.widen_t(g)


# The dense products run channel-major: the columns are (C·KH·KW, N·OH·cols_w) and the output
# gradient (O, N·OH·cols_w), so each product is ONE GEMM per group over the whole batch (not N
# small ones — which matters for BLAS threading), and the NCHW output is restored by the copy that
# adds the bias anyway.
def _conv_forward(x, w, geo, groups, keep_cols):
    """``y = W @ im2col(x)`` per group; returns ``y`` (N, O, OH, OW) (possibly a strided view)
    and what the weight gradient needs (the columns, or for a depthwise convolution the padded
    input)."""
    if _depthwise(w, groups):
        return _depthwise_forward(x, w, geo)
    n = x.shape[0]
    o, cg, kh, kw = w.shape
    oh, cw = geo.out_hw[0], geo.cols_w
    cols = geo.im2col(x.transpose(1, 0, 2, 3), batch_inner=True)   # (C, KH, KW, N, OH, cw)
    cols_g = cols.reshape(groups, cg * kh * kw, n * oh * cw)
    w_g = w.reshape(groups, o // groups, cg * kh * kw)
    y = (w_g @ cols_g).reshape(o, n, oh, cw).transpose(1, 0, 2, 3)
    return geo.narrow(y), (cols if keep_cols else None)


def _conv_input_grad(gt, w, geo, groups):
    """``col2im(Wᵀ @ dY)``: the gradient with respect to the (unpadded) input, from the output
    gradient prepared by :func:`_prepare_grad`.

    Computed one kernel offset at a time, ``W[:, :, p, q]ᵀ @ dY`` added onto the input pixels
    that offset read, so the ``KH·KW``-times-larger column matrix is never materialised (it would
    be written once and read once: the dominant memory traffic of the backward pass).
    """
    if _depthwise(w, groups):
        return _depthwise_input_grad(gt, w, geo, groups)
    xp = backend.get_array_module(gt)
    o, n, oh, cw = gt.shape
    _, cg, kh, kw = w.shape
    gt_g = gt.reshape(groups, o // groups, n * oh * cw)
    w_t = xp.ascontiguousarray(
        w.reshape(groups, o // groups, cg, kh * kw).transpose(3, 0, 2, 1))
    buf = geo.zeros((groups * cg, n), gt.dtype, xp)
    tmp = xp.empty((groups, cg, n * oh * cw), dtype=gt.dtype)
    for k, view in enumerate(geo.offset_views(buf)):
        xp.matmul(w_t[k], gt_g, out=tmp)
        view += tmp.reshape(groups * cg, n, oh, cw)
    return geo.unpad(buf).transpose(1, 0, 2, 3)


def _conv_weight_grad(gt, saved, geo, groups, w_shape):
    """``dY @ X_colᵀ`` per group (one GEMM over the whole batch), shaped like the weight."""
    if w_shape[1] == 1 and groups > 1:
        return _depthwise_weight_grad(gt, saved, geo, w_shape)
    o = gt.shape[0]
    gt_g = gt.reshape(groups, o // groups, -1)
    cols_g = saved.reshape(groups, -1, gt_g.shape[-1])
    return (gt_g @ cols_g.swapaxes(-1, -2)).reshape(w_shape)


# A depthwise convolution (G = C, weight (m·C, 1, KH, KW)) has a 1 x KH·KW "matrix" per channel:
# an im2col GEMM would copy KH·KW times the input to do one multiply per copied element. It is
# computed instead from the KH·KW offset views of the padded input (no copy): the forward pass
# accumulates w[:, p, q]·view, the input gradient adds w[:, p, q]·dY onto each view's pixels, and
# the weight gradient is one einsum per offset.
def _depthwise_forward(x, w, geo):
    xp = backend.get_array_module(x)
    x_pad = geo.padded(x)
    n, c = x.shape[:2]
    w_r = w.reshape(c, w.shape[0] // c, -1)
    y = xp.zeros((n,) + w_r.shape[:2] + (geo.out_hw[0], geo.cols_w), dtype=x.dtype)
    tmp = xp.empty_like(y)
    for k, view in enumerate(geo.offset_views(x_pad)):
        xp.multiply(view[:, :, None], w_r[:, :, k, None, None], out=tmp)
        y += tmp
    return geo.narrow(y.reshape((n, -1) + y.shape[3:])), x_pad


def _depthwise_input_grad(gy, w, geo, groups):
    xp = backend.get_array_module(gy)
    n, c = gy.shape[0], groups
    m = w.shape[0] // c
    w_r = w.reshape(c, m, -1)
    gy_r = gy.reshape((n, c, m) + gy.shape[2:])
    buf = geo.zeros((n, c), gy.dtype, xp)
    tmp = xp.empty((n, c) + gy.shape[2:], dtype=gy.dtype)
    for k, view in enumerate(geo.offset_views(buf)):
        if m == 1:
            xp.multiply(gy_r[:, :, 0], w_r[:, 0, k, None, None], out=tmp)
        else:
            tmp[...] = xp.einsum("ncmhw,cm->nchw", gy_r, w_r[:, :, k])
        view += tmp
    return geo.unpad(buf)


def _depthwise_weight_grad(gy, x_pad, geo, w_shape):
    xp = backend.get_array_module(gy)
    n, c = gy.shape[0], x_pad.shape[1]
    gy_r = gy.reshape((n, c, -1) + gy.shape[2:])
    gw = xp.empty((c, gy_r.shape[2], w_shape[2] * w_shape[3]), dtype=gy.dtype)
    for k, view in enumerate(geo.offset_views(x_pad)):
        gw[:, :, k] = xp.einsum("ncmhw,nchw->cm", gy_r, view)
    return gw.reshape(w_shape)


# ---------------------------------------------------------------------- padding modes
def _mode_index(size, lo, hi, mode):
    i = np.arange(-lo, size + hi)
    if mode == "reflect":
        i = np.abs(i)
        return np.where(i >= size, 2 * (size - 1) - i, i)
    if mode == "replicate":
        return np.clip(i, 0, size - 1)
    return i % size


def _mode_pad(x, pads, mode, layer):
    """Reflect / replicate / circular padding of the last two axes, with its backward.

    Each padded axis is a gather ``x[..., idx]``; its adjoint sums the gradient back through the
    one-hot selection matrix ``S`` (``dx = Sₕᵀ · g · S_w``), so edge pixels that were copied
    several times receive the sum of their copies' gradients.
    """
    top, bottom, left, right = pads
    h, w = x.shape[-2:]
    for size, lo, hi, axis in ((h, top, bottom, "height"), (w, left, right, "width")):
        limit = size if mode == "circular" else size - 1
        if mode != "replicate" and max(lo, hi) > limit:
            raise ValueError(
                f"{layer}: padding ({lo}, {hi}) along the {axis} must be at most {limit} for "
                f"padding_mode={mode!r}, got input shape {x.shape}"
            )
    xp = x.xp
    ih = xp.asarray(_mode_index(h, top, bottom, mode))
    iw = xp.asarray(_mode_index(w, left, right, mode))
    out = x.data.take(ih, axis=-2).take(iw, axis=-1)

    def backward(g):
        sel_h = (ih[:, None] == xp.arange(h)[None, :]).astype(g.dtype)
        sel_w = (iw[:, None] == xp.arange(w)[None, :]).astype(g.dtype)
        return (sel_h.T @ g @ sel_w,)

    return Tensor._make(out, (x,), backward, "Pad")


# ---------------------------------------------------------------------- validation
def _check_float(layer, **tensors):
    dtypes = {name: t.dtype for name, t in tensors.items() if t is not None}
    for name, dtype in dtypes.items():
        if dtype.kind != "f":
            raise TypeError(f"{layer}: {name} must be a floating tensor, got dtype {dtype}")
    if len(set(dtypes.values())) > 1:
        listing = ", ".join(f"{k} {v}" for k, v in dtypes.items())
        raise TypeError(f"{layer}: input, weight and bias must have the same dtype, got {listing}")


def _conv_padding(padding, kernel, stride, dilation, layer):
    """``(top, bottom, left, right)`` from an int, a tuple, ``'same'`` or ``'valid'``."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError(
                    f"{layer}: padding='same' is not supported for strided convolutions "
                    f"(stride={stride})"
                )
            totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
            # an odd total puts the extra row/column at the bottom/right, as PyTorch
            return (totals[0] // 2, totals[0] - totals[0] // 2,
                    totals[1] // 2, totals[1] - totals[1] // 2)
        raise ValueError(
            f"{layer}: invalid padding string {padding!r}, should be one of 'valid' or 'same'"
        )
    ph, pw = expand(padding, 2, "padding", layer, allow_zero=True)
    return (ph, ph, pw, pw)


def _check_conv(x, weight, bias, groups, layer, transposed=False):
    if weight.ndim != 4:
        layout = "(C_in, C_out/groups, KH, KW)" if transposed else "(C_out, C_in/groups, KH, KW)"
        raise ValueError(f"{layer}: weight must be 4-D {layout}, got shape {weight.shape}")
    if not isinstance(groups, (int, np.integer)) or isinstance(groups, bool) or groups < 1:
        raise ValueError(f"{layer}: groups must be a positive integer, got {groups!r}")
    c = x.shape[1]
    if transposed:
        expected = weight.shape[0]
        if expected % groups:
            raise ValueError(
                f"{layer}: groups={groups} does not divide the weight's {expected} input channels "
                f"(weight shape {weight.shape})"
            )
        out_channels = weight.shape[1] * groups
    else:
        expected = weight.shape[1] * groups
        out_channels = weight.shape[0]
        if out_channels % groups:
            raise ValueError(
                f"{layer}: groups={groups} does not divide the {out_channels} output channels "
                f"(weight shape {weight.shape})"
            )
    if c != expected:
        raise ValueError(
            f"{layer} expected {expected} input channels, got {c} (input shape {x.shape}, "
            f"weight shape {weight.shape}, groups={groups})"
        )
    if bias is not None and bias.shape != (out_channels,):
        raise ValueError(
            f"{layer}: bias must have shape ({out_channels},), got {bias.shape}"
        )


def _check_kernel_fits(h, w, pads, kernel, dilation, x_shape, layer):
    hp, wp = h + pads[0] + pads[1], w + pads[2] + pads[3]
    eh, ew = (d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    if eh > hp or ew > wp:
        raise ValueError(
            f"{layer}: kernel size {kernel} (dilated extent {eh}x{ew}) is larger than the padded "
            f"input {hp}x{wp} (input shape {x_shape}, padding {pads})"
        )


# ---------------------------------------------------------------------- functional ops
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (cross-correlation) over ``(N, C, H, W)`` or unbatched ``(C, H, W)``.

    ``weight``: ``(O, C/groups, KH, KW)``; ``bias``: ``(O,)`` or None. ``padding``: int, pair,
    ``'valid'`` (0) or ``'same'`` (output size = input size; stride 1 only; an odd total padding
    puts the extra row/column at the bottom/right, as PyTorch). Returns ``(N, O, OH, OW)`` with
    ``OH = floor((H + 2P − D·(KH − 1) − 1)/S) + 1``. See the module docstring for the math and the
    backward pass.
    """
    return _conv2d(input, weight, bias, stride, padding, dilation, groups, "conv2d")


def _conv2d(x, weight, bias, stride, padding, dilation, groups, layer, padding_mode="zeros"):
    x, weight = _as_tensor(x), _as_tensor(weight)
    bias = None if bias is None else _as_tensor(bias)
    if not check_input_ndim(x, 2, layer):
        out = _conv2d(unsqueeze(x, 0), weight, bias, stride, padding, dilation, groups, layer,
                      padding_mode)
        return squeeze(out, 0)
    _check_float(layer, input=x, weight=weight, bias=bias)
    _check_conv(x, weight, bias, groups, layer)
    stride = expand(stride, 2, "stride", layer)
    dilation = expand(dilation, 2, "dilation", layer)
    kernel = weight.shape[2:]
    pads = _conv_padding(padding, kernel, stride, dilation, layer)
    n, _, h, w = x.shape
    _check_kernel_fits(h, w, pads, kernel, dilation, x.shape, layer)
    if padding_mode != "zeros" and any(pads):
        x = _mode_pad(x, pads, padding_mode, layer)
        pads, h, w = (0, 0, 0, 0), x.shape[2], x.shape[3]
    oh = conv_out_size(h, kernel[0], stride[0], pads[0] + pads[1], dilation[0])
    ow = conv_out_size(w, kernel[1], stride[1], pads[2] + pads[3], dilation[1])

    geo = Geometry((h, w), pads, kernel, stride, dilation, (oh, ow))
    y, saved = _conv_forward(x.data, weight.data, geo, groups, keep_cols=weight.requires_grad)
    # one pass either way: the bias add or the copy makes the output contiguous
    y = y + bias.data[:, None, None] if bias is not None else x.xp.ascontiguousarray(y)

    def backward(g):
        gx = gw = gb = None
        if bias is not None and bias.requires_grad:
            gb = g.sum(axis=(0, 2, 3))
        g = _prepare_grad(g, weight.data, geo, groups)  # once, for both products below
        if x.requires_grad:
            gx = _conv_input_grad(g, weight.data, geo, groups)
        if weight.requires_grad:
            gw = _conv_weight_grad(g, saved, geo, groups, weight.shape)
        return (gx, gw) if bias is None else (gx, gw, gb)

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(y, parents, backward, "Conv2d")


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution over ``(N, C, L)`` or ``(C, L)``: conv2d on a height-1 image.

    ``weight``: ``(O, C/groups, K)``. ``L_out = floor((L + 2P − D·(K − 1) − 1)/S) + 1``.
    """
    return _conv1d(input, weight, bias, stride, padding, dilation, groups, "conv1d")


def _conv1d(x, weight, bias, stride, padding, dilation, groups, layer, padding_mode="zeros"):
    x, weight = _as_tensor(x), _as_tensor(weight)
    batched = check_input_ndim(x, 1, layer)
    if weight.ndim != 3:
        raise ValueError(f"{layer}: weight must be 3-D (C_out, C_in/groups, K), got shape "
                         f"{weight.shape}")
    if not isinstance(padding, str):
        padding = (0,) + expand(padding, 1, "padding", layer, allow_zero=True)
    stride = (1,) + expand(stride, 1, "stride", layer)
    dilation = (1,) + expand(dilation, 1, "dilation", layer)
    x4 = unsqueeze(x, -2)
    if not batched:
        x4 = unsqueeze(x4, 0)
    out = _conv2d(x4, unsqueeze(weight, 2), bias, stride, padding, dilation, groups, layer,
                  padding_mode)
    out = squeeze(out, 2)
    return out if batched else squeeze(out, 0)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Transposed convolution (转置卷积): the adjoint of :func:`conv2d` with the same weight.

    ``weight``: ``(C_in, C_out/groups, KH, KW)``. Output ``(N, C_out, H_out, W_out)`` with
    ``H_out = (H − 1)·S − 2P + D·(KH − 1) + output_padding + 1``. The forward pass is conv2d's
    input-gradient computation (``col2im(Wᵀ @ x)``), the input gradient is conv2d's forward pass
    (``W @ im2col(dY)``) — see the module docstring. Note PyTorch's argument order: ``groups``
    comes before ``dilation``.
    """
    return _conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups,
                             dilation, "conv_transpose2d")


def _conv_transpose2d(x, weight, bias, stride, padding, output_padding, groups, dilation, layer):
    x, weight = _as_tensor(x), _as_tensor(weight)
    bias = None if bias is None else _as_tensor(bias)
    if not check_input_ndim(x, 2, layer):
        out = _conv_transpose2d(unsqueeze(x, 0), weight, bias, stride, padding, output_padding,
                                groups, dilation, layer)
        return squeeze(out, 0)
    _check_float(layer, input=x, weight=weight, bias=bias)
    _check_conv(x, weight, bias, groups, layer, transposed=True)
    stride = expand(stride, 2, "stride", layer)
    dilation = expand(dilation, 2, "dilation", layer)
    if isinstance(padding, str):
        raise ValueError(f"{layer}: padding must be an int or a pair of ints, got {padding!r}")
    pad = expand(padding, 2, "padding", layer, allow_zero=True)
    out_pad = expand(output_padding, 2, "output_padding", layer, allow_zero=True)
    for op, s, d in zip(out_pad, stride, dilation):
        if op >= s and op >= d:
            raise ValueError(
                f"{layer}: output_padding must be smaller than either stride or dilation, got "
                f"output_padding={out_pad}, stride={stride}, dilation={dilation}"
            )
    n, _, h, w = x.shape
    kernel = weight.shape[2:]
    full = tuple((size - 1) * s + d * (k - 1) + 1 + op
                 for size, s, d, k, op in zip((h, w), stride, dilation, kernel, out_pad))
    out_hw = tuple(f - 2 * p for f, p in zip(full, pad))
    if min(out_hw) < 1:
        raise ValueError(
            f"{layer}: output size {out_hw} is too small (input shape {x.shape}, kernel "
            f"{kernel}, stride {stride}, padding {pad}, dilation {dilation})"
        )
    # the convolution whose adjoint this is: input out_hw, padding pad, output (h, w)
    geo = Geometry(out_hw, (pad[0], pad[0], pad[1], pad[1]), kernel, stride, dilation, (h, w))
    x_prepared = _prepare_grad(x.data, weight.data, geo, groups)
    y = _conv_input_grad(x_prepared, weight.data, geo, groups)
    y = y + bias.data[:, None, None] if bias is not None else x.xp.ascontiguousarray(y)

    def backward(g):
        gx = gw = gb = None
        if x.requires_grad or weight.requires_grad:
            gx, saved = _conv_forward(g, weight.data, geo, groups,
                                      keep_cols=weight.requires_grad)
            if weight.requires_grad:
                gw = _conv_weight_grad(x_prepared, saved, geo, groups, weight.shape)
            if not x.requires_grad:
                gx = None
        if bias is not None and bias.requires_grad:
            gb = g.sum(axis=(0, 2, 3))
        return (gx, gw) if bias is None else (gx, gw, gb)

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(y, parents, backward, "ConvTranspose2d")


# ---------------------------------------------------------------------- modules
class _ConvNd(Module):
    """Shared parameter set-up: PyTorch's default initialisation.

    ``weight ~ kaiming_uniform_(a=√5)``, i.e. ``U(−1/√fan_in, 1/√fan_in)`` with
    ``fan_in = weight.shape[1]·KH·KW``, and ``bias ~ U(−1/√fan_in, 1/√fan_in)`` with the same
    ``fan_in`` (for the transposed convolution ``weight.shape[1] = C_out/groups``, PyTorch's
    convention).
    """

    _name = "Conv"
    _spatial = 2

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation, groups,
                 bias, padding_mode, transposed, output_padding=0, dtype=None):
        super().__init__()
        name, n = self._name, self._spatial
        for arg, value in (("in_channels", in_channels), ("out_channels", out_channels)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name}: {arg} must be a positive integer, got {value!r}")
        if not isinstance(groups, (int, np.integer)) or isinstance(groups, bool) or groups < 1:
            raise ValueError(f"{name}: groups must be a positive integer, got {groups!r}")
        if in_channels % groups:
            raise ValueError(f"{name}: in_channels={in_channels} must be divisible by "
                             f"groups={groups}")
        if out_channels % groups:
            raise ValueError(f"{name}: out_channels={out_channels} must be divisible by "
                             f"groups={groups}")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"{name}: padding_mode must be one of {_PADDING_MODES}, got "
                             f"{padding_mode!r}")
        kernel = expand(kernel_size, n, "kernel_size", name)
        stride_t = expand(stride, n, "stride", name)
        dilation_t = expand(dilation, n, "dilation", name)
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"{name}: invalid padding string {padding!r}, should be one of "
                                 "'valid' or 'same'")
            if padding == "same" and any(s != 1 for s in stride_t):
                raise ValueError(f"{name}: padding='same' is not supported for strided "
                                 f"convolutions (stride={stride_t})")
            padding_t = padding
        else:
            padding_t = expand(padding, n, "padding", name, allow_zero=True)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding = kernel, stride_t, padding_t
        self.dilation, self.groups, self.padding_mode = dilation_t, groups, padding_mode
        self.transposed = transposed
        self.output_padding = expand(output_padding, n, "output_padding", name, allow_zero=True)
        dtype = backend.get_default_dtype() if dtype is None else np.dtype(dtype)
        shape = ((in_channels, out_channels // groups) if transposed
                 else (out_channels, in_channels // groups)) + kernel
        self.weight = Parameter(Tensor(np.empty(shape, dtype=dtype)))
        self.bias = Parameter(Tensor(np.empty(out_channels, dtype=dtype))) if bias else None
        if not bias:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
            init.uniform_(self.bias, -bound, bound)

    def _check_channels(self, x):
        if x.ndim in (self._spatial + 1, self._spatial + 2):
            c = x.shape[0] if x.ndim == self._spatial + 1 else x.shape[1]
            if c != self.in_channels:
                raise ValueError(
                    f"{self._name} expected {self.in_channels} input channels, got {c} "
                    f"(input shape {tuple(x.shape)})"
                )

    def extra_repr(self):
        n = self._spatial
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, " \
            f"stride={self.stride}"
        if self.padding != (0,) * n:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * n:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode!r}"
        return s


class Conv2d(_ConvNd):
    """2-D convolution layer (see :func:`conv2d` and the module docstring).

    ``Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
    bias=True, padding_mode='zeros', device=None, dtype=None)`` — PyTorch's signature.
    ``padding_mode`` ``'reflect'``/``'replicate'``/``'circular'`` pads the input with that rule
    before a zero-padding-free convolution. Weight ``(out, in/groups, KH, KW)``.
    """

    _name = "Conv2d"

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups,
                         bias, padding_mode, False, dtype=dtype)

    def forward(self, input):
        self._check_channels(input)
        return _conv2d(input, self.weight, self.bias, self.stride, self.padding, self.dilation,
                       self.groups, "Conv2d", self.padding_mode)


class Conv1d(_ConvNd):
    """1-D convolution layer over ``(N, C, L)``: weight ``(out, in/groups, K)``."""

    _name = "Conv1d"
    _spatial = 1

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups,
                         bias, padding_mode, False, dtype=dtype)

    def forward(self, input):
        self._check_channels(input)
        return _conv1d(input, self.weight, self.bias, self.stride, self.padding, self.dilation,
                       self.groups, "Conv1d", self.padding_mode)


class ConvTranspose2d(_ConvNd):
    """Transposed 2-D convolution (转置卷积): the adjoint of Conv2d (see :func:`conv_transpose2d`).

    ``ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0,
    output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None,
    dtype=None)``; weight ``(in, out/groups, KH, KW)``. ``forward(input, output_size=None)``:
    ``output_size`` picks ``output_padding`` so that the output has that height and width.
    """

    _name = "ConvTranspose2d"

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros",
                 device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError(f"ConvTranspose2d: only padding_mode='zeros' is supported, got "
                             f"{padding_mode!r}")
        if isinstance(padding, str):
            raise ValueError(f"ConvTranspose2d: padding must be an int or a pair of ints, got "
                             f"{padding!r}")
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups,
                         bias, padding_mode, True, output_padding=output_padding, dtype=dtype)

    def _output_padding(self, x, output_size):
        if output_size is None:
            return self.output_padding
        size = tuple(int(s) for s in output_size)[-2:]
        if len(size) != 2:
            raise ValueError(f"ConvTranspose2d: output_size must have 2 or 4 entries, got "
                             f"{output_size!r}")
        extra = []
        for i, want in enumerate(size):
            smallest = ((x.shape[-2 + i] - 1) * self.stride[i] - 2 * self.padding[i]
                        + self.dilation[i] * (self.kernel_size[i] - 1) + 1)
            if not smallest <= want < smallest + self.stride[i]:
                raise ValueError(
                    f"ConvTranspose2d: requested output size {size} is not reachable from input "
                    f"shape {tuple(x.shape)}: height/width must lie in "
                    f"[{smallest}, {smallest + self.stride[i] - 1}] along axis {i}"
                )
            extra.append(want - smallest)
        return tuple(extra)

    def forward(self, input, output_size=None):
        self._check_channels(input)
        return _conv_transpose2d(input, self.weight, self.bias, self.stride, self.padding,
                                 self._output_padding(input, output_size), self.groups,
                                 self.dilation, "ConvTranspose2d")
