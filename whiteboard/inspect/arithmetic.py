"""Convolution arithmetic: output sizes, parameter counts and multiply-accumulates (MACs).

Output size of a convolution or pooling window along one axis (the notes' ``(W − F + 2P)/S + 1``,
corrected with the floor and generalised with dilation — ERRATA E18)::

    out = floor((W + 2P − D·(F − 1) − 1) / S) + 1          (ceil instead of floor: ceil_mode)

and of a transposed convolution::

    out = (W − 1)·S − 2P + D·(F − 1) + output_padding + 1

Parameters of a convolution with ``G`` groups: ``C_out · (C_in/G) · F_h · F_w`` weights plus
``C_out`` biases (the notes' ``F·F·D·K`` omits the bias — ERRATA E20).

MACs (multiply-accumulates) per sample: every output element of a convolution is a dot product of
length ``(C_in/G)·F_h·F_w``, so ``MACs = C_out · H_out · W_out · (C_in/G) · F_h · F_w``; a linear
layer costs ``in · out``. The notes' "FLOPS = F·F·D·K·H'·W'" is this MAC count (ERRATA E21); one
multiply-add is 2 FLOPs, so ``FLOPs = 2 · MACs`` (the bias adds are ignored, as in the ResNet
paper and torchvision's figures; ERRATA E14 lists the other conventions).
"""

from __future__ import annotations

import math

__all__ = [
    "conv_output_size", "conv_transpose_output_size", "pool_output_size", "conv_params",
    "conv_macs", "linear_params", "linear_macs",
]


def _check(name, value, minimum):
    if int(value) != value or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")


def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1, ceil_mode=False):
    """Spatial output size of a convolution/pooling window along one axis."""
    for name, value, minimum in (("size", size, 1), ("kernel_size", kernel_size, 1),
                                 ("stride", stride, 1), ("padding", padding, 0),
                                 ("dilation", dilation, 1)):
        _check(name, value, minimum)
    span = dilation * (kernel_size - 1) + 1
    if size + 2 * padding < span:
        raise ValueError(
            f"kernel of effective size {span} (kernel_size={kernel_size}, dilation={dilation}) "
            f"does not fit in the padded input of size {size + 2 * padding}"
        )
    rounding = math.ceil if ceil_mode else math.floor
    out = rounding((size + 2 * padding - span) / stride) + 1
    if ceil_mode and (out - 1) * stride >= size + padding:
        out -= 1  # the last window must start inside the input or the left padding (PyTorch)
    return out


def pool_output_size(size, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """Output size of max/avg pooling (stride defaults to the kernel size)."""
    return conv_output_size(size, kernel_size, kernel_size if stride is None else stride,
                            padding, dilation, ceil_mode)


def conv_transpose_output_size(size, kernel_size, stride=1, padding=0, output_padding=0,
                               dilation=1):
    """Spatial output size of a transposed convolution along one axis."""
    _check("size", size, 1)
    if not 0 <= output_padding < max(stride, dilation):
        raise ValueError(
            f"output_padding must be smaller than stride or dilation, got {output_padding}"
        )
    return (size - 1) * stride - 2 * padding + dilation * (kernel_size - 1) + output_padding + 1


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def conv_params(in_channels, out_channels, kernel_size, groups=1, bias=True):
    """Number of parameters of a Conv2d: ``C_out·(C_in/G)·kh·kw (+ C_out)``."""
    if in_channels % groups or out_channels % groups:
        raise ValueError(
            f"groups={groups} must divide in_channels={in_channels} and "
            f"out_channels={out_channels}"
        )
    kh, kw = _pair(kernel_size)
    return out_channels * (in_channels // groups) * kh * kw + (out_channels if bias else 0)


def conv_macs(in_channels, out_channels, kernel_size, output_size, groups=1):
    """Multiply-accumulates of a Conv2d for one sample: ``C_out·H·W·(C_in/G)·kh·kw``."""
    kh, kw = _pair(kernel_size)
    oh, ow = _pair(output_size)
    return out_channels * oh * ow * (in_channels // groups) * kh * kw


def linear_params(in_features, out_features, bias=True):
    """Parameters of a Linear layer: ``in·out (+ out)``."""
    return in_features * out_features + (out_features if bias else 0)


def linear_macs(in_features, out_features):
    """Multiply-accumulates of a Linear layer per input row: ``in·out``."""
    return in_features * out_features
