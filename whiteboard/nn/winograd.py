"""Switch for the Winograd convolution (``whiteboard.nn.functional.conv2d``), as
``torch.backends.nnpack.flags`` is for PyTorch's.

A dense 3x3, stride-1 conv2d with two or more input channels runs through Winograd's minimal
filtering (``_conv_winograd.py``; F(4x4, 3x3) with the compiled kernels, 4x fewer multiplications
than the direct sum, F(2x2, 3x3) on the NumPy path, 2.25x fewer): what whiteboard's Conv2d speed
rests on. Its one visible difference from the direct sum is rounding (float32: ~4e-6 of the
largest output for F(4x4), against ~5e-7 for the direct sum), and, where the exact result is
zero because terms cancel — the gradient of an output unit with respect to an input pixel
outside its receptive field — rounding noise instead of an exact 0, because the transforms mix
the pixels of a tile (measured: 6e-31 beside entries of 36-400 through two stacked float64
layers with F(4x4, 3x3)). Measure an empirical receptive field, or anything else that needs
exact zeros, with it switched off:

    import whiteboard as wb
    with wb.nn.winograd.flags(enabled=False):     # im2col + GEMM: exact zeros
        ...

The setting is process-wide; ``flags`` restores the previous one on exit, also on an exception.
"""

from __future__ import annotations

from .._flag import Flag

__all__ = ["enabled", "enable", "flags"]

_switch = Flag(True)


def enabled() -> bool:
    """Whether conv2d takes the Winograd path where it applies (the default: True)."""
    return _switch.on


def enable(flag: bool = True) -> None:
    """Switch the Winograd path on (the default) or off for the process."""
    _switch.set(flag)


def flags(enabled: bool = True):
    """Run the block with the Winograd path switched on or off; the previous setting is
    restored afterwards, also when the block raises."""
    return _switch.flags(enabled)
