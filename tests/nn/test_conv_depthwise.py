"""Depthwise convolution (whiteboard/nn/_conv_depthwise.py) against torch, in chunks of samples.

The oracle tests run twice (the ``jit_path`` fixture): on the NumPy path and on the compiled
kernels of whiteboard/nn/_conv_depthwise_jit.py, at the same tolerances."""

import numpy as np
import pytest

import whiteboard as wb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whiteboard import nn
from whiteboard.nn import _conv_depthwise
from tests.nn.conv_cases import F32, F64, arrays
from tests.oracles.torch_oracle import check


# Depthwise convolutions run over chunks of samples: one sample per chunk here.
DEPTHWISE_GRID = [
    (3, 4, 7, 7, 4, 3, 3, dict(groups=4, padding=1)),
    (3, 3, 6, 5, 6, 3, 3, dict(groups=3, stride=2)),              # multiplier 2, strided
    (2, 2, 8, 9, 2, 3, 2, dict(groups=2, dilation=2, padding=(2, 1))),
    (2, 3, 6, 7, 6, 3, 2, dict(groups=3, padding=1, dilation=(2, 1))),  # multiplier 2, stride 1
]


@pytest.mark.parametrize("cfg", DEPTHWISE_GRID, ids=lambda c: f"{c[:7]}-{c[7]}")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_conv2d_depthwise_chunks(cfg, dtype, monkeypatch, jit_path):
    monkeypatch.setattr(_conv_depthwise, "CHUNK_BYTES", 1)
    _check_layer(cfg, dtype)


def _check_layer(cfg, dtype, seed=0):
    """Forward with bias and all gradients, the bias with one or none of the others, then each
    of x and w alone needing its gradient."""
    x, w, b = arrays(*cfg, dtype=dtype, seed=seed)
    kwargs = cfg[-1]
    tol = F64 if dtype == np.float64 else F32
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, **kwargs), x, w, b, **tol)
    for needs in ([False, False, True], [True, False, True], [False, True, True]):
        check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, **kwargs), x, w, b, **tol,
              requires_grad=needs)
    for needs in ([True, False], [False, True]):
        check(lambda lib, x, w: lib.nn.functional.conv2d(x, w, **kwargs), x, w, **tol,
              requires_grad=needs)


# Stride-1 layouts of the row-of-taps path (_stride1): asymmetric and "same" padding with even
# kernels, dilation per axis, multiplier 2, 1x1 and 5x5 kernels, outputs narrower than the input.
STRIDE1_GRID = [
    (2, 3, 7, 6, 3, 3, 3, dict(groups=3, padding=(0, 1))),
    (3, 2, 6, 5, 4, 3, 3, dict(groups=2, padding=(2, 1))),
    (2, 2, 8, 7, 4, 3, 3, dict(groups=2, padding=(1, 1), dilation=(2, 1))),
    (2, 3, 7, 8, 6, 4, 4, dict(groups=3, padding="same")),
    (2, 3, 7, 8, 3, 2, 4, dict(groups=3, padding="same", dilation=(1, 2))),
    (1, 2, 5, 5, 2, 1, 1, dict(groups=2)),
    (5, 4, 6, 6, 8, 5, 5, dict(groups=4, padding=2)),
    (2, 3, 7, 6, 3, 3, 3, dict(groups=3)),
    (2, 3, 7, 6, 6, 3, 3, dict(groups=3, padding=(1, 0))),
    (3, 2, 9, 8, 4, 5, 5, dict(groups=2, padding=1)),
    (2, 2, 9, 9, 2, 3, 3, dict(groups=2, padding=(0, 1), dilation=2)),
    (2, 2, 6, 9, 4, 2, 3, dict(groups=2, padding=(1, 0))),
]


@pytest.mark.parametrize("cfg", STRIDE1_GRID, ids=lambda c: f"{c[:7]}-{c[7]}")
@pytest.mark.parametrize("chunk", [1, 1 << 21])
def test_depthwise_stride1_layouts_against_torch(cfg, chunk, monkeypatch, jit_path):
    """Forward, input and weight gradients of the stride-1 path equal torch's (float64), with one
    sample per chunk and with the default-sized chunks."""
    monkeypatch.setattr(_conv_depthwise, "CHUNK_BYTES", chunk)
    _check_layer(cfg, np.float64)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])   # jit_path: no state
@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.integers(1, 2),
       st.integers(1, 2), st.integers(0, 2), st.integers(1, 3))
def test_depthwise_multiplier_stride_dilation_against_torch(jit_path, c, m, k, s, d, p, n):
    """Any channel multiplier m (weight (m·C, 1, K, K)), stride, dilation and padding."""
    h = w = max(d * (k - 1) + 1, 5)
    x, wt, b = arrays(n, c, h, w, m * c, k, k, dict(groups=c), seed=c * 7 + m)
    kwargs = dict(groups=c, stride=s, dilation=d, padding=p)
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, **kwargs), x, wt, b, **F64)


def test_conv2d_dispatches_to_depthwise_for_one_input_channel_per_group(monkeypatch):
    from whiteboard.nn import conv

    calls = []
    real = conv.conv2d_depthwise
    monkeypatch.setattr(conv, "conv2d_depthwise", lambda *a: calls.append(1) or real(*a))
    x = wb.tensor(np.random.default_rng(1).standard_normal((1, 4, 6, 6)))
    for shape, groups, expected in [((4, 1, 3, 3), 4, 1), ((8, 1, 3, 2), 4, 1),
                                    ((4, 2, 3, 3), 2, 0), ((4, 4, 3, 3), 1, 0)]:
        calls.clear()
        nn.functional.conv2d(x, wb.tensor(np.ones(shape)), groups=groups, stride=2)
        assert len(calls) == expected, (shape, groups)


@pytest.mark.parametrize("m", [1, 2])
def test_depthwise_weight_grad_over_several_chunks(m, monkeypatch, jit_path):
    """Stride 1: the weight gradient is summed over chunks of 4 samples (9 samples: 3 chunks),
    the input gradient over 1-sample chunks, both from one zero-extended dY."""
    monkeypatch.setattr(_conv_depthwise, "CHUNK_BYTES", 1)
    x, w, b = arrays(9, 3, 7, 6, 3 * m, 3, 3, dict(groups=3), seed=5 + m)
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, padding=1, groups=3),
          x, w, b, **F64)


# Layouts that only the compiled kernels treat separately: per-axis strides (the strided
# kernels, and stride (1, 1) on flat planes), padding beyond the kernel's reach (output cells
# with no tap inside the image), outputs narrower than the input.
KERNEL_GRID = [
    (2, 3, 9, 8, 3, 3, 3, dict(groups=3, stride=(1, 2), padding=1)),
    (2, 3, 9, 8, 6, 3, 2, dict(groups=3, stride=(2, 1), padding=(0, 1))),
    (2, 2, 5, 6, 2, 1, 1, dict(groups=2, padding=2)),
    (1, 2, 6, 7, 4, 3, 3, dict(groups=2, padding=(3, 2), dilation=(1, 2))),
    (2, 2, 11, 10, 2, 3, 3, dict(groups=2, stride=3, padding=2, dilation=2)),
    (2, 4, 8, 8, 4, 2, 5, dict(groups=4, stride=2, padding=(1, 3))),
]


@pytest.mark.parametrize("cfg", KERNEL_GRID, ids=lambda c: f"{c[:7]}-{c[7]}")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_depthwise_kernel_layouts_against_torch(cfg, dtype, jit_path):
    _check_layer(cfg, dtype, seed=11)


def test_depthwise_kernels_on_non_contiguous_input(jit_path):
    """A transposed (non-contiguous) input and a float32 layer of the benchmark's shape."""
    x, w, b = arrays(4, 8, 12, 12, 8, 3, 3, dict(groups=8), dtype=np.float32, seed=2)
    x = np.ascontiguousarray(x.transpose(0, 1, 3, 2)).transpose(0, 1, 3, 2)
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, padding=1, groups=8),
          x, w, b, **F32)


@pytest.mark.skipif(not wb.jit.available(), reason="Numba is not installed")
@pytest.mark.parametrize("kwargs", [dict(padding=1), dict(stride=2, padding=1, dilation=2)])
def test_depthwise_paths_agree(kwargs):
    """The NumPy path and the compiled kernels give the same forward pass and gradients (up to
    the rounding of their different summation orders: float64, 1e-12)."""
    x, w, b = arrays(3, 4, 10, 9, 8, 3, 3, dict(groups=4), seed=4)
    out = {}
    for on in (False, True):
        with wb.jit.flags(enabled=on):
            xt, wt, bt = (wb.tensor(a, requires_grad=True) for a in (x, w, b))
            y = nn.functional.conv2d(xt, wt, bt, groups=4, **kwargs)
            (y * y).sum().backward()
            out[on] = [y.data, xt.grad.data, wt.grad.data, bt.grad.data]
    for a, c in zip(out[False], out[True]):
        np.testing.assert_allclose(a, c, rtol=1e-12, atol=1e-12)
