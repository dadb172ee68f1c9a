"""Convolution against torch: values, input gradients and parameter gradients, float64 to 1e-8
relative and float32 to 1e-4, on a grid of configurations and on hypothesis-drawn ones; gradcheck
on every functional op; PyTorch's default initialisation bounds; errors for bad input."""

import math

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings

import whiteboard as wb
from tests.nn.conv_cases import (
    F32, F64, arrays, compare_module, conv_configs, copy_params, param, transpose_arrays,
)
from tests.oracles.torch_oracle import check
from whiteboard import nn
from whiteboard.testing import gradcheck


# (N, C, H, W, O, KH, KW, kwargs)
CONV_GRID = [
    (1, 3, 7, 9, 4, 3, 3, {}),                                    # batch 1, odd sizes
    (2, 3, 8, 8, 5, 3, 3, dict(stride=2, padding=1)),
    (2, 2, 11, 10, 3, 3, 2, dict(stride=3, padding=(1, 0))),      # stride 3, non-square kernel
    (2, 3, 9, 9, 4, 3, 3, dict(dilation=2, padding=2)),           # 空洞卷积
    (2, 4, 7, 6, 6, 3, 3, dict(groups=2, padding=1)),
    (2, 4, 7, 7, 4, 3, 3, dict(groups=4, padding=1)),             # depthwise
    (2, 3, 6, 5, 6, 3, 3, dict(groups=3, stride=2)),              # depthwise, multiplier 2
    (3, 5, 6, 7, 4, 1, 1, {}),                                    # 1x1
    (2, 5, 7, 6, 3, 1, 1, dict(stride=2)),                        # 1x1 strided
    (2, 3, 5, 12, 2, 2, 5, dict(stride=(1, 2), padding=(1, 2))),  # non-square everything
    (2, 2, 7, 8, 3, 3, 3, dict(padding="same")),
    (2, 2, 7, 8, 3, 4, 2, dict(padding="same", dilation=(1, 3))), # 'same' with odd total padding
    (2, 2, 6, 7, 3, 3, 3, dict(padding="valid", dilation=(2, 1))),
    (2, 2, 3, 4, 3, 5, 6, dict(padding=1)),                       # kernel = padded input
]


@pytest.mark.parametrize("cfg", CONV_GRID, ids=lambda c: f"{c[:7]}-{c[7]}")
@pytest.mark.parametrize("with_bias", [True, False])
@pytest.mark.filterwarnings("ignore:Using padding=.same.")
def test_conv2d_grid_float64(cfg, with_bias, jit_path):
    x, w, b = arrays(*cfg)
    kwargs = cfg[-1]
    if with_bias:
        check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, **kwargs), x, w, b, **F64)
    else:
        check(lambda lib, x, w: lib.nn.functional.conv2d(x, w, **kwargs), x, w, **F64)


@pytest.mark.parametrize("cfg", CONV_GRID[::2], ids=lambda c: f"{c[:7]}-{c[7]}")
def test_conv2d_grid_float32(cfg, jit_path):
    x, w, b = arrays(*cfg, dtype=np.float32)
    kwargs = cfg[-1]
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, **kwargs), x, w, b, **F32)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(conv_configs())
def test_conv2d_hypothesis(jit_path, cfg):
    *shape, kwargs, with_bias = cfg
    x, w, b = arrays(*shape, kwargs)
    bias = b if with_bias else None
    check(lambda lib, x, w: lib.nn.functional.conv2d(
        x, w, None if bias is None else lib.tensor(bias), **kwargs), x, w, **F64)


# ---------------------------------------------------------------------- conv1d
@pytest.mark.parametrize("kwargs", [{}, dict(stride=2, padding=1), dict(dilation=2, groups=2),
                                    dict(padding="same", dilation=3)])
def test_conv1d_equals_torch(kwargs):
    rng = np.random.default_rng(2)
    groups = kwargs.get("groups", 1)
    x = rng.standard_normal((3, 4, 11))
    w = rng.standard_normal((6, 4 // groups, 3))
    b = rng.standard_normal(6)
    check(lambda lib, x, w, b: lib.nn.functional.conv1d(x, w, b, **kwargs), x, w, b, **F64)
    check(lambda lib, x, w, b: lib.nn.functional.conv1d(x[0], w, b, **kwargs), x, w, b, **F64)


# ---------------------------------------------------------------------- modules


@pytest.mark.parametrize("kwargs", [
    dict(), dict(stride=2, padding=1, bias=False), dict(padding="same", dilation=2),
    dict(groups=2, padding=(1, 2)), dict(padding=2, padding_mode="reflect"),
    dict(padding=(1, 2), padding_mode="replicate"), dict(padding=1, padding_mode="circular"),
    dict(padding="same", padding_mode="reflect", stride=1),
])
def test_conv2d_module_equals_torch(kwargs):
    x = np.random.default_rng(4).standard_normal((2, 4, 7, 9))
    compare_module(lambda lib: lib.nn.Conv2d(4, 6, (3, 2), **kwargs), x)
    compare_module(lambda lib: lib.nn.Conv2d(4, 6, (3, 2), **kwargs), x[0])  # unbatched


@pytest.mark.parametrize("kwargs", [dict(), dict(stride=2, padding=1, groups=2),
                                    dict(padding=2, padding_mode="circular", dilation=2)])
def test_conv1d_module_equals_torch(kwargs):
    x = np.random.default_rng(5).standard_normal((3, 4, 13))
    compare_module(lambda lib: lib.nn.Conv1d(4, 2, 3, **kwargs), x)


def test_float32_module_gradients_within_1e4():
    x = np.random.default_rng(7).standard_normal((4, 3, 12, 12)).astype(np.float32)
    tm, wm = torch.nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.Conv2d(3, 8, 3, stride=2, padding=1)
    copy_params(tm, wm)
    yt, yw = tm(torch.tensor(x)), wm(wb.tensor(x))
    assert yw.dtype == np.float32
    np.testing.assert_allclose(yw.numpy(), yt.detach().numpy(), **F32)
    yt.square().sum().backward()
    (yw * yw).sum().backward()
    for (name, p), q in zip(wm.named_parameters(), tm.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-4, atol=1e-3,
                                   err_msg=name)


def test_repr_and_parameter_names_equal_torch():
    for make in (lambda lib: lib.nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False),
                 lambda lib: lib.nn.ConvTranspose2d(4, 2, (3, 5), output_padding=(0, 1),
                                                    stride=2, groups=2),
                 lambda lib: lib.nn.Conv1d(2, 4, 5, dilation=2, padding="same")):
        tm, wm = make(torch), make(wb)
        assert repr(wm) == repr(tm)
        assert [(n, p.shape) for n, p in wm.named_parameters()] == [
            (n, tuple(p.shape)) for n, p in tm.named_parameters()]


# ---------------------------------------------------------------------- initialisation
@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.Conv2d(16, 64, 3),
    lambda lib: lib.nn.Conv2d(32, 64, (5, 3), groups=4),
    lambda lib: lib.nn.ConvTranspose2d(64, 32, 3, groups=2),
])
def test_default_init_equals_torch_distribution(make):
    """weight ~ U(±1/√fan_in) (kaiming_uniform_ with a=√5), bias ~ U(±1/√fan_in)."""
    tm, wm = make(torch), make(wb)
    fan_in, _ = torch.nn.init._calculate_fan_in_and_fan_out(tm.weight)
    bound = 1 / math.sqrt(fan_in)
    for p, q in ((wm.weight, tm.weight), (wm.bias, tm.bias)):
        w, t = p.numpy(), q.detach().numpy()
        assert w.dtype == np.float32 and w.shape == t.shape
        assert np.abs(w).max() <= bound and np.abs(t).max() <= bound
        if w.size > 1000:
            # U(-b, b): mean 0, variance b²/3, and the sample spans almost the whole interval
            assert abs(w.mean()) < 4 * bound / math.sqrt(3 * w.size)
            assert w.var() == pytest.approx(bound**2 / 3, rel=0.05)
            assert np.abs(w).max() > 0.99 * bound


# ---------------------------------------------------------------------- gradcheck


def test_gradcheck_conv2d():
    assert gradcheck(lambda x, w, b: nn.functional.conv2d(x, w, b, stride=2, padding=1,
                                                          dilation=(1, 2), groups=2),
                     [param((2, 4, 5, 6), 0), param((4, 2, 2, 3), 1), param((4,), 2)])


def test_gradcheck_conv1d():
    assert gradcheck(lambda x, w: nn.functional.conv1d(x, w, padding="same", dilation=2),
                     [param((2, 3, 7), 0), param((2, 3, 3), 1)])


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_gradcheck_padding_modes(mode):
    conv = nn.Conv2d(2, 2, 3, padding=(2, 1), padding_mode=mode, dtype=np.float64)
    assert gradcheck(lambda x: conv(x), [param((1, 2, 4, 3), 0)])


# ---------------------------------------------------------------------- errors
def test_wrong_channel_count_names_layer_and_shapes():
    conv = nn.Conv2d(3, 8, 3)
    with pytest.raises(ValueError, match=r"Conv2d expected 3 input channels, got 4 "
                                         r"\(input shape \(8, 4, 32, 32\)\)"):
        conv(wb.zeros(8, 4, 32, 32))
    with pytest.raises(ValueError, match=r"conv2d expected 6 input channels, got 4"):
        nn.functional.conv2d(wb.zeros(1, 4, 5, 5), wb.zeros(2, 3, 3, 3), groups=2)


@pytest.mark.parametrize("shape", [(5, 5), (1, 1, 3, 5, 5)])
def test_conv2d_rejects_2d_and_5d_input(shape):
    with pytest.raises(ValueError, match=r"Conv2d expected a 3-D .* or 4-D .* got a \d-D input"):
        nn.Conv2d(1, 2, 3)(wb.zeros(*shape))
    x, w = np.zeros(shape), np.zeros((2, 1, 3, 3))
    check(lambda lib, x, w: lib.nn.functional.conv2d(x, w), x, w, expect_error=True)


@pytest.mark.parametrize("args,kwargs,match", [
    ((np.zeros((1, 2, 4, 4)), np.zeros((3, 2, 5, 5))), {}, "larger than the padded input"),
    ((np.zeros((1, 2, 4, 4)), np.zeros((3, 2, 3, 3))), dict(dilation=2), "dilated extent 5x5"),
    ((np.zeros((1, 2, 4, 4)), np.zeros((3, 2, 3, 3))), dict(padding=-1), "padding"),
    ((np.zeros((1, 4, 4, 4)), np.zeros((3, 2, 3, 3))), dict(groups=2), "groups=2"),
    ((np.zeros((1, 2, 4, 4)), np.zeros((3, 2, 3, 3))), dict(padding="same", stride=2),
     "strided"),
    ((np.zeros((1, 2, 4, 4)), np.zeros((3, 2, 3, 3))), dict(stride=0), "stride"),
    ((np.zeros((1, 2, 4, 4)), np.zeros((3, 2, 3, 3)), np.zeros(2)), {}, "bias"),
])
def test_conv2d_bad_arguments_raise_like_torch(args, kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        nn.functional.conv2d(*[wb.tensor(a) for a in args], **kwargs)
    check(lambda lib, *t: lib.nn.functional.conv2d(*t, **kwargs), *args, expect_error=True)


def test_dtype_mismatch_is_an_error_not_a_silent_cast():
    with pytest.raises(TypeError, match="same dtype"):
        nn.functional.conv2d(wb.zeros(1, 1, 3, 3, dtype=wb.float32),
                             wb.zeros(1, 1, 3, 3, dtype=wb.float64))


@pytest.mark.parametrize("kwargs", [dict(groups=3), dict(padding="full"),
                                    dict(padding_mode="mirror"), dict(padding=-1)])
def test_module_constructor_validates_like_torch(kwargs):
    """torch rejects these at construction or (negative padding) at the first forward; whiteboard
    always at construction."""
    with pytest.raises((ValueError, TypeError, RuntimeError)):
        torch.nn.Conv2d(4, 6, 3, **kwargs)(torch.zeros(1, 4, 5, 5))
    with pytest.raises(ValueError):
        nn.Conv2d(4, 6, 3, **kwargs)


@pytest.mark.parametrize("requires_grad", [[True, False, False], [False, True, True],
                                           [False, False, True]])
def test_partial_requires_grad_and_unbatched_transpose(requires_grad):
    """Frozen weights (only the input needs a gradient) and the reverse, for both ops."""
    x, w, b = arrays(2, 4, 7, 6, 6, 3, 3, dict(groups=2), seed=3)
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, padding=1, groups=2), x, w, b,
          requires_grad=requires_grad, **F64)
    xt, wt, bt = transpose_arrays(2, 4, 3, 4, 6, 3, 2, dict(groups=2), seed=4)
    check(lambda lib, x, w, b: lib.nn.functional.conv_transpose2d(x[1], w, b, stride=2,
                                                                   groups=2),
          xt, wt, bt, requires_grad=requires_grad, **F64)
