"""Transposed convolution (whiteboard/nn/conv_transpose.py) against torch: values and gradients
on a grid and on hypothesis-drawn configurations, the module with output_size, gradcheck, the
adjoint identity and errors."""

import numpy as np
import pytest
from hypothesis import given, settings

import whiteboard as wb
from tests.nn.conv_cases import (
    F32, F64, compare_module, conv_configs, param, transpose_arrays,
)
from tests.oracles.torch_oracle import check
from whiteboard import nn
from whiteboard.testing import gradcheck


TRANSPOSE_GRID = [
    (1, 3, 5, 6, 4, 3, 3, {}),
    (2, 4, 4, 5, 6, 3, 2, dict(stride=2, padding=1, output_padding=1)),
    (2, 4, 3, 3, 6, 3, 3, dict(stride=3, padding=2, dilation=2, groups=2, output_padding=2)),
    (2, 3, 4, 4, 3, 2, 2, dict(stride=2, groups=3)),   # depthwise upsampling
    (2, 5, 4, 3, 2, 1, 1, dict(stride=(2, 1))),        # 1x1
    (1, 2, 5, 2, 3, 4, 3, dict(stride=(1, 3), padding=(0, 1), output_padding=(0, 2))),
]


@pytest.mark.parametrize("cfg", TRANSPOSE_GRID, ids=lambda c: f"{c[:7]}-{c[7]}")
@pytest.mark.parametrize("dtype,tol", [(np.float64, F64), (np.float32, F32)])
def test_conv_transpose2d_grid(cfg, dtype, tol):
    x, w, b = transpose_arrays(*cfg, dtype=dtype)
    kwargs = cfg[-1]
    check(lambda lib, x, w, b: lib.nn.functional.conv_transpose2d(x, w, b, **kwargs), x, w, b,
          **tol)


@settings(max_examples=60)
@given(conv_configs(transposed=True))
def test_conv_transpose2d_hypothesis(cfg):
    *shape, kwargs, with_bias = cfg
    x, w, b = transpose_arrays(*shape, kwargs)
    bias = b if with_bias else None
    check(lambda lib, x, w: lib.nn.functional.conv_transpose2d(
        x, w, None if bias is None else lib.tensor(bias), **kwargs), x, w, **F64)


SUBPIXEL_CASES = [
    (5, 4, 6, 7, 3, 4, 4, dict(stride=2, padding=1)),                      # the benchmark's
    (5, 3, 5, 4, 2, 5, 3, dict(stride=3, padding=(2, 1), output_padding=(1, 2))),
    (5, 2, 4, 6, 3, 3, 4, dict(stride=(2, 3), padding=(0, 2))),
    (5, 3, 3, 3, 2, 1, 2, dict(stride=2)),                                  # kernel < stride
    (5, 2, 1, 5, 2, 2, 3, dict(stride=(1, 2), output_padding=(0, 1))),      # one input row
]


@pytest.mark.parametrize("cfg", SUBPIXEL_CASES, ids=lambda c: str(c[:7]))
@pytest.mark.parametrize("samples_per_chunk", [1, 2])
def test_sub_pixel_path_over_chunks_equals_torch(cfg, samples_per_chunk, monkeypatch):
    """The strided path (output phases, one product over the stacked shifted copies D of x)
    runs over chunks of samples with reused buffers: one sample per chunk, and two (5 samples:
    a short last chunk), against torch, values and gradients."""
    from whiteboard.nn import conv_transpose
    from whiteboard.nn._im2col import Geometry

    x, w, b = transpose_arrays(*cfg)
    kwargs = cfg[-1]
    y = nn.functional.conv_transpose2d(wb.tensor(x), wb.tensor(w), **kwargs)
    # bytes of D per sample, from the layer's own layout: then the chunk holds the samples asked
    pads = kwargs.get("padding", 0)
    pads = (pads, pads) if isinstance(pads, int) else pads
    geo = Geometry(y.shape[2:], (pads[0], pads[0], pads[1], pads[1]), w.shape[2:],
                   kwargs["stride"] if isinstance(kwargs["stride"], tuple) else
                   (kwargs["stride"],) * 2, (1, 1), x.shape[2:])
    sub = conv_transpose._SubPixel(x, w, geo)
    per_sample = sub.w_all.shape[1] * sub.length * x.itemsize
    monkeypatch.setattr(conv_transpose, "CHUNK_BYTES", samples_per_chunk * per_sample)
    assert conv_transpose._SubPixel(x, w, geo).step == samples_per_chunk
    check(lambda lib, x, w, b: lib.nn.functional.conv_transpose2d(x, w, b, **kwargs), x, w, b,
          **F64)


def test_conv_transpose_is_the_adjoint_of_conv():
    """⟨conv2d(x, w), u⟩ = ⟨x, conv_transpose2d(u, w)⟩ — the defining property (转置卷积)."""
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 3, 9, 8))
    w = rng.standard_normal((4, 3, 3, 2))
    y = nn.functional.conv2d(wb.tensor(x), wb.tensor(w), stride=2, padding=1, dilation=(1, 2))
    u = rng.standard_normal(y.shape)
    z = nn.functional.conv_transpose2d(wb.tensor(u), wb.tensor(w), stride=2, padding=1,
                                       dilation=(1, 2), output_padding=(0, 1))
    assert z.shape == x.shape
    np.testing.assert_allclose((y.numpy() * u).sum(), (x * z.numpy()).sum(), rtol=1e-12)


@pytest.mark.parametrize("kwargs,output_size", [
    (dict(), None), (dict(stride=2, padding=1, output_padding=1, bias=False), None),
    (dict(stride=3, groups=2, dilation=2), None), (dict(stride=2, padding=1), (9, 10)),
])
def test_conv_transpose2d_module_equals_torch(kwargs, output_size):
    x = np.random.default_rng(6).standard_normal((2, 4, 5, 5))
    extra = {} if output_size is None else dict(output_size=output_size)
    compare_module(lambda lib: lib.nn.ConvTranspose2d(4, 6, 3, **kwargs), x, **extra)


def test_gradcheck_conv_transpose2d():
    assert gradcheck(lambda x, w, b: nn.functional.conv_transpose2d(
        x, w, b, stride=2, padding=1, output_padding=1, groups=2, dilation=(2, 1)),
        [param((2, 4, 3, 3), 0), param((4, 1, 3, 2), 1), param((2,), 2)])


def test_conv_transpose_bad_output_padding_and_output_size():
    x = wb.zeros(1, 2, 4, 4)
    with pytest.raises(ValueError, match="output_padding must be smaller"):
        nn.functional.conv_transpose2d(x, wb.zeros(2, 3, 3, 3), stride=2, output_padding=2)
    with pytest.raises(ValueError, match="not reachable"):
        nn.ConvTranspose2d(2, 3, 3, stride=2)(x, output_size=(20, 20))
    with pytest.raises(ValueError, match="ConvTranspose2d expected 2 input channels, got 3"):
        nn.ConvTranspose2d(2, 3, 3)(wb.zeros(1, 3, 4, 4))
