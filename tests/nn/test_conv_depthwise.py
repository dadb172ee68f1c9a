"""Depthwise convolution (whiteboard/nn/_conv_depthwise.py) against torch, in chunks of samples."""

import numpy as np
import pytest

import whiteboard as wb
from hypothesis import given, settings
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
def test_conv2d_depthwise_chunks(cfg, dtype, monkeypatch):
    monkeypatch.setattr(_conv_depthwise, "CHUNK_BYTES", 1)
    x, w, b = arrays(*cfg, dtype=dtype)
    kwargs = cfg[-1]
    tol = F64 if dtype == np.float64 else F32
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, **kwargs), x, w, b, **tol)
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
def test_depthwise_stride1_layouts_against_torch(cfg, chunk, monkeypatch):
    """Forward, input and weight gradients of the stride-1 path equal torch's (float64), with one
    sample per chunk and with the default-sized chunks."""
    monkeypatch.setattr(_conv_depthwise, "CHUNK_BYTES", chunk)
    x, w, b = arrays(*cfg, dtype=np.float64)
    kwargs = cfg[-1]
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, **kwargs), x, w, b, **F64)
    for needs in ([True, False], [False, True]):
        check(lambda lib, x, w: lib.nn.functional.conv2d(x, w, **kwargs), x, w, **F64,
              requires_grad=needs)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.integers(1, 2),
       st.integers(1, 2), st.integers(0, 2), st.integers(1, 3))
def test_depthwise_multiplier_stride_dilation_against_torch(c, m, k, s, d, p, n):
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
def test_depthwise_weight_grad_over_several_chunks(m, monkeypatch):
    """Stride 1: the weight gradient is summed over chunks of 4 samples (9 samples: 3 chunks),
    the input gradient over 1-sample chunks, both from one zero-extended dY."""
    monkeypatch.setattr(_conv_depthwise, "CHUNK_BYTES", 1)
    x, w, b = arrays(9, 3, 7, 6, 3 * m, 3, 3, dict(groups=3), seed=5 + m)
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, padding=1, groups=3),
          x, w, b, **F64)
