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

Algorithms, one file each: im2col + GEMM (``_conv_gemm.py``: the general case and the
transposed convolution), Winograd F(2x2, 3x3) (``_conv_winograd.py``: a dense 3x3 kernel,
stride 1, no dilation, one group — 2.25x fewer multiplications), depthwise
(``_conv_depthwise.py``: ``groups = C``) and the transposed convolution (``conv_transpose.py``).
This file holds the functional ops, the argument checks, the non-zero padding modes and the
modules.

Speed (benchmarks/bench_nn.py, docs/benchmarks/nn.md): on the benchmark machine the 3x3 layer
runs at about 1.9–2x PyTorch's oneDNN direct convolution (AVX-512) in CPU time at one thread;
the im2col + GEMM path is about 2.5x, roughly PyTorch's own im2col + GEMM path.
"""

from __future__ import annotations

import math

import numpy as np

from .. import backend
from ..autograd import Tensor
from ..autograd.ops import _as_tensor, squeeze, unsqueeze
from . import init
from ._conv_depthwise import conv2d_depthwise, is_depthwise
from ._conv_gemm import conv_forward, conv_input_grad, conv_weight_grad, prepare_grad
from ._conv_winograd import applies as winograd_applies
from ._conv_winograd import conv2d_winograd
from ._im2col import Geometry, check_input_ndim, conv_out_size, expand
from .module import Module
from .parameter import Parameter

__all__ = ["conv2d", "conv1d", "Conv2d", "Conv1d"]

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


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
    if x.ndim == 4 and 0 in x.shape[2:] and x.shape[0] and c:
        raise ValueError(f"{layer}: only zero batch or zero channel inputs are supported with "
                         f"an empty spatial size, got input shape {x.shape}")
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
    if winograd_applies(weight.data, geo, groups):
        return conv2d_winograd(x, weight, bias, geo)
    if is_depthwise(weight.data, groups):
        return conv2d_depthwise(x, weight, bias, geo, groups)
    y, saved = conv_forward(x.data, weight.data, geo, groups, keep_cols=weight.requires_grad)
    # one pass either way: the bias add or the copy makes the output contiguous
    y = y + bias.data[:, None, None] if bias is not None else x.xp.ascontiguousarray(y)

    def backward(g):
        gx = gw = gb = None
        if bias is not None and bias.requires_grad:
            gb = g.sum(axis=(0, 2, 3))
        g = prepare_grad(g, weight.data, geo, groups)  # once, for both products below
        if x.requires_grad:
            gx = conv_input_grad(g, weight.data, geo, groups)
        if weight.requires_grad:
            gw = conv_weight_grad(g, saved, geo, groups, weight.shape)
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
