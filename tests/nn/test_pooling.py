"""Pooling against torch (values, indices, input gradients; float64 to 1e-8 relative, float32 to
1e-4) on a grid and on hypothesis-drawn configurations; the overlapping-window backward; ties;
gradcheck on every functional op; spatial pyramid pooling's properties; errors."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import whiteboard as wb
from tests.oracles.torch_oracle import check
from whiteboard import nn
from whiteboard.nn import functional as F
from whiteboard.testing import gradcheck

F64 = dict(rtol=1e-8, atol=1e-10)
F32 = dict(rtol=1e-4, atol=1e-5)


def _x(shape, seed=0, dtype=np.float64):
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


MAX_GRID = [
    dict(kernel_size=2),                                              # the classic 2x2/2
    dict(kernel_size=3, stride=2),                                    # AlexNet's overlapping pool
    dict(kernel_size=3, stride=1, padding=1),                         # stride < kernel, padded
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    dict(kernel_size=(3, 2), stride=(2, 3), padding=(1, 1), dilation=(2, 1)),
    dict(kernel_size=2, stride=3, ceil_mode=True),                    # gaps between windows
    dict(kernel_size=(1, 3), stride=1, dilation=2, ceil_mode=True),
    dict(kernel_size=4, stride=3, padding=2, ceil_mode=True),
]
AVG_GRID = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2),
    dict(kernel_size=3, stride=1, padding=1),
    dict(kernel_size=3, stride=1, padding=1, count_include_pad=False),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
    dict(kernel_size=(3, 2), stride=(2, 3), padding=(1, 0), divisor_override=4),
    dict(kernel_size=4, stride=3, padding=2, ceil_mode=True),
]
SHAPES = [(2, 3, 9, 11), (1, 2, 8, 8), (3, 1, 5, 13)]


@pytest.mark.parametrize("kwargs", MAX_GRID)
@pytest.mark.parametrize("shape", SHAPES)
def test_max_pool2d_grid(kwargs, shape):
    x = _x(shape)
    check(lambda lib, x: lib.nn.functional.max_pool2d(x, return_indices=True, **kwargs), x,
          **F64)


@pytest.mark.parametrize("kwargs", AVG_GRID)
@pytest.mark.parametrize("shape", SHAPES)
def test_avg_pool2d_grid(kwargs, shape):
    check(lambda lib, x: lib.nn.functional.avg_pool2d(x, **kwargs), _x(shape), **F64)


@pytest.mark.parametrize("kwargs", MAX_GRID[1::2])
def test_pools_float32_and_unbatched(kwargs):
    x = _x((2, 3, 9, 11), dtype=np.float32)
    check(lambda lib, x: lib.nn.functional.max_pool2d(x, return_indices=True, **kwargs), x, **F32)
    check(lambda lib, x: lib.nn.functional.max_pool2d(x[0], return_indices=True, **kwargs), x,
          **F32)
    avg = {k: v for k, v in kwargs.items() if k != "dilation"}
    check(lambda lib, x: lib.nn.functional.avg_pool2d(x, **avg), x, **F32)
    check(lambda lib, x: lib.nn.functional.avg_pool2d(x[1], **avg), x, **F32)


@st.composite
def pool_configs(draw, with_dilation):
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    pad = (draw(st.integers(0, kh // 2)), draw(st.integers(0, kw // 2)))
    dil = (draw(st.integers(1, 2)), draw(st.integers(1, 2))) if with_dilation else (1, 1)
    h = draw(st.integers(max(1, dil[0] * (kh - 1) + 1 - 2 * pad[0]), 10))
    w = draw(st.integers(max(1, dil[1] * (kw - 1) + 1 - 2 * pad[1]), 10))
    kwargs = dict(kernel_size=(kh, kw), stride=stride, padding=pad,
                  ceil_mode=draw(st.booleans()))
    if with_dilation:
        kwargs["dilation"] = dil
    else:
        kwargs["count_include_pad"] = draw(st.booleans())
    return (draw(st.integers(1, 3)), draw(st.integers(1, 3)), h, w), kwargs


@settings(max_examples=60)
@given(pool_configs(with_dilation=True), st.booleans())
def test_max_pool2d_hypothesis(cfg, ties):
    shape, kwargs = cfg
    x = _x(shape)
    if ties:  # few distinct values: torch routes to the first maximum, so must we
        x = np.round(x)
    check(lambda lib, x: lib.nn.functional.max_pool2d(x, return_indices=True, **kwargs), x,
          **F64)


@settings(max_examples=60)
@given(pool_configs(with_dilation=False))
def test_avg_pool2d_hypothesis(cfg):
    shape, kwargs = cfg
    check(lambda lib, x: lib.nn.functional.avg_pool2d(x, **kwargs), _x(shape), **F64)


@settings(max_examples=60)
@given(st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 12), st.integers(1, 12)),
       st.integers(1, 7), st.integers(1, 7), st.booleans())
def test_adaptive_pools_hypothesis(shape, oh, ow, ties):
    x = _x(shape)
    if ties:
        x = np.round(x)
    check(lambda lib, x: lib.nn.functional.adaptive_avg_pool2d(x, (oh, ow)), x, **F64)
    check(lambda lib, x: lib.nn.functional.adaptive_max_pool2d(x, (oh, ow), True), x, **F64)


@pytest.mark.parametrize("output_size", [1, 2, 4, (3, 5), (None, 4), (7, 1), (9, 11), (12, 13)])
def test_adaptive_pools_grid(output_size):
    x = _x((2, 3, 9, 11))
    check(lambda lib, x: lib.nn.functional.adaptive_avg_pool2d(x, output_size), x, **F64)
    check(lambda lib, x: lib.nn.functional.adaptive_max_pool2d(x, output_size, True), x, **F64)
    check(lambda lib, x: lib.nn.functional.adaptive_avg_pool2d(x[0], output_size), x, **F64)
    x32 = x.astype(np.float32)
    check(lambda lib, x: lib.nn.functional.adaptive_avg_pool2d(x, output_size), x32, **F32)


def test_1d_pools_equal_torch():
    x = _x((2, 3, 13))
    check(lambda lib, x: lib.nn.functional.max_pool1d(x, 3, 2, 1, 2, True, True), x, **F64)
    check(lambda lib, x: lib.nn.functional.max_pool1d(x[0], 3, 2, 1, 2, True, True), x, **F64)
    check(lambda lib, x: lib.nn.functional.avg_pool1d(x, 3, 2, 1, True, False), x, **F64)
    check(lambda lib, x: lib.nn.functional.avg_pool1d(x[1], 4, 1, 2), x, **F64)
    check(lambda lib, x: lib.nn.functional.adaptive_avg_pool1d(x, 5), x, **F64)
    check(lambda lib, x: lib.nn.functional.adaptive_max_pool1d(x[0], 5, True), x, **F64)


# ---------------------------------------------------------------------- the backward, by hand
def test_overlapping_max_pool_backward_accumulates_at_the_argmax():
    """3x3 windows, stride 1 on a 4x4 map whose maximum 9 sits in all four windows: it receives
    the sum of the four upstream gradients; every other pixel receives 0."""
    x = wb.tensor(np.array([[[[1., 2., 3., 0.],
                              [4., 9., 5., 0.],
                              [0., 6., 7., 0.],
                              [0., 0., 0., 8.]]]]), requires_grad=True)
    y = F.max_pool2d(x, 3, stride=1)
    np.testing.assert_array_equal(y.numpy()[0, 0], [[9., 9.], [9., 9.]])
    y.backward(np.array([[[[1., 2.], [3., 4.]]]]))
    expected = np.zeros((4, 4))
    expected[1, 1] = 10.0
    np.testing.assert_array_equal(x.grad.numpy()[0, 0], expected)


def test_overlapping_avg_pool_backward_spreads_evenly_and_accumulates():
    """Each 2x2 window (stride 1) gives g/4 to its four pixels; the centre of a 3x3 map is in all
    four windows, the corners in one."""
    x = wb.tensor(np.arange(9.0).reshape(1, 1, 3, 3), requires_grad=True)
    F.avg_pool2d(x, 2, stride=1).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy()[0, 0],
                                  [[0.25, 0.5, 0.25], [0.5, 1.0, 0.5], [0.25, 0.5, 0.25]])


# ---------------------------------------------------------------------- gradcheck
def _t(shape, seed=0):
    return wb.tensor(_x(shape, seed), requires_grad=True)


@pytest.mark.parametrize("fn", [
    lambda x: F.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=True),
    lambda x: F.max_pool2d(x, (2, 3), stride=1, dilation=(2, 1)),
    lambda x: F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
    lambda x: F.avg_pool2d(x, 2, stride=1, divisor_override=3),
    lambda x: F.adaptive_avg_pool2d(x, (3, 2)),
    lambda x: F.adaptive_max_pool2d(x, (4, 3)),
    lambda x: F.max_pool1d(x.flatten(2), 3, stride=2, padding=1),
    lambda x: F.avg_pool1d(x.flatten(2), 4, stride=3, padding=2, ceil_mode=True),
    lambda x: F.adaptive_avg_pool1d(x.flatten(2), 4),
    lambda x: F.adaptive_max_pool1d(x.flatten(2), 4),
    lambda x: F.spatial_pyramid_pool(x, (1, 2, 3), "max"),
    lambda x: F.spatial_pyramid_pool(x, (1, 2), "avg"),
    lambda x: nn.GlobalAvgPool2d()(x),
], ids=["max", "max_dilated", "avg", "avg_divisor", "adaptive_avg", "adaptive_max", "max1d",
        "avg1d", "adaptive_avg1d", "adaptive_max1d", "spp_max", "spp_avg", "gap"])
def test_gradcheck(fn):
    assert gradcheck(fn, [_t((2, 2, 5, 6))])


# ---------------------------------------------------------------------- spatial pyramid pooling
@pytest.mark.parametrize("mode", ["max", "avg"])
def test_spp_has_fixed_length_for_any_input_size(mode):
    spp = nn.SpatialPyramidPooling((1, 2, 4), mode)
    for h, w in [(13, 13), (10, 17), (20, 20), (4, 4), (5, 31), (64, 48)]:
        out = spp(wb.tensor(_x((2, 8, h, w))))
        assert out.shape == (2, 8 * 21) == (2, spp.output_size(8))


def test_spp_level_one_is_global_max_and_levels_are_adaptive_pools():
    x = _x((3, 4, 11, 7))
    out = F.spatial_pyramid_pool(wb.tensor(x), (1, 2, 4), "max").numpy()
    np.testing.assert_array_equal(out[:, :4], x.max(axis=(2, 3)))
    tx = torch.tensor(x)
    expected = torch.cat([torch.nn.functional.adaptive_max_pool2d(tx, n).flatten(1)
                          for n in (1, 2, 4)], dim=1).numpy()
    np.testing.assert_array_equal(out, expected)
    avg = F.spatial_pyramid_pool(wb.tensor(x), (1, 3), "avg").numpy()
    np.testing.assert_allclose(avg[:, :4], x.mean(axis=(2, 3)), rtol=1e-12)


def test_global_average_pooling():
    x = _x((2, 5, 6, 7))
    np.testing.assert_allclose(nn.GlobalAvgPool2d()(wb.tensor(x)).numpy(), x.mean(axis=(2, 3)),
                               rtol=1e-12)
    check(lambda lib, x: lib.nn.AdaptiveAvgPool2d(1)(x), x, **F64)


# ---------------------------------------------------------------------- modules
@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True),
    lambda lib: lib.nn.MaxPool2d(2, return_indices=True),
    lambda lib: lib.nn.AvgPool2d((3, 2), stride=1, padding=1, count_include_pad=False),
    lambda lib: lib.nn.AdaptiveAvgPool2d((2, 3)),
    lambda lib: lib.nn.AdaptiveMaxPool2d(3, return_indices=True),
], ids=["max", "max_indices", "avg", "adaptive_avg", "adaptive_max"])
def test_2d_modules_equal_torch(make):
    x = _x((2, 3, 8, 9))
    assert repr(make(wb)) == repr(make(torch))
    check(lambda lib, x: make(lib)(x), x, **F64)


@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.MaxPool1d(3, stride=2, padding=1, return_indices=True),
    lambda lib: lib.nn.AvgPool1d(3, stride=2, padding=1),
    lambda lib: lib.nn.AdaptiveAvgPool1d(4),
    lambda lib: lib.nn.AdaptiveMaxPool1d(4),
], ids=["max1d", "avg1d", "adaptive_avg1d", "adaptive_max1d"])
def test_1d_modules_equal_torch(make):
    x = _x((2, 3, 11))
    assert repr(make(wb)) == repr(make(torch))
    check(lambda lib, x: make(lib)(x), x, **F64)


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize("fn,match", [
    (lambda lib, x: lib.nn.functional.max_pool2d(x, 3, padding=2), "at most half"),
    (lambda lib, x: lib.nn.functional.avg_pool2d(x, 2, padding=2), "at most half"),
    (lambda lib, x: lib.nn.functional.max_pool2d(x, 9), "too small"),
    (lambda lib, x: lib.nn.functional.max_pool2d(x, 2, padding=-1), "padding"),
    (lambda lib, x: lib.nn.functional.max_pool2d(x, 2, stride=0), "stride"),
    (lambda lib, x: lib.nn.functional.max_pool2d(x[0, 0], 2), "3-D"),
    (lambda lib, x: lib.nn.functional.avg_pool2d(x, 2, divisor_override=0), "divisor"),
])
def test_bad_pool_arguments_raise_like_torch(fn, match):
    x = _x((1, 2, 8, 8))
    check(fn, x, expect_error=True)
    with pytest.raises((ValueError, TypeError), match=match):
        fn(wb, wb.tensor(x))


def test_pool_errors_name_the_layer():
    with pytest.raises(ValueError, match=r"MaxPool2d: padding \(2, 2\) should be at most half "
                                         r"of kernel_size \(3, 3\)"):
        nn.MaxPool2d(3, padding=2)(wb.zeros(1, 1, 8, 8))
    with pytest.raises(ValueError, match=r"AvgPool2d expected a 3-D .* got a 5-D input of shape "
                                         r"\(1, 1, 1, 8, 8\)"):
        nn.AvgPool2d(2)(wb.zeros(1, 1, 1, 8, 8))
    with pytest.raises(ValueError, match="SpatialPyramidPooling expected a 4-D"):
        nn.SpatialPyramidPooling()(wb.zeros(2, 8, 8))
    with pytest.raises(ValueError, match="mode must be 'max' or 'avg'"):
        nn.SpatialPyramidPooling(mode="min")(wb.zeros(1, 2, 8, 8))
    with pytest.raises(ValueError, match="output_size"):
        nn.AdaptiveAvgPool2d((2, 0))(wb.zeros(1, 2, 8, 8))


def test_max_pool_propagates_nan_like_torch():
    """A NaN in a window wins (value NaN, index of the last NaN in scan order), as in PyTorch."""
    x = _x((2, 2, 7, 8))
    x[0, 0, 1, 1] = x[0, 0, 2, 2] = x[1, 1, 5, 0] = np.nan
    ours, ours_idx = F.max_pool2d(wb.tensor(x), 3, stride=2, padding=1, return_indices=True)
    ref, ref_idx = torch.nn.functional.max_pool2d(torch.tensor(x), 3, stride=2, padding=1,
                                                  return_indices=True)
    np.testing.assert_array_equal(ours.numpy(), ref.numpy())
    np.testing.assert_array_equal(ours_idx.numpy(), ref_idx.numpy())


@pytest.mark.parametrize("output_size", [(2, 3), (4, 4), (3, 7)])
def test_adaptive_max_pool_nan_like_torch(output_size):
    x = _x((2, 2, 7, 9))
    x[0, 0, 1, 1] = x[0, 0, 2, 3] = x[1, 1, 6, 8] = x[1, 0, 3, 4] = np.nan
    ours, ours_idx = F.adaptive_max_pool2d(wb.tensor(x), output_size, return_indices=True)
    ref, ref_idx = torch.nn.functional.adaptive_max_pool2d(torch.tensor(x), output_size,
                                                           return_indices=True)
    np.testing.assert_array_equal(ours.numpy(), ref.numpy())
    np.testing.assert_array_equal(ours_idx.numpy(), ref_idx.numpy())


def test_max_pool_window_of_minus_infinity_reports_a_real_input():
    x = np.full((1, 2, 5, 6), -np.inf)
    x[0, 1, 4, 5] = 1.0
    kwargs = dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, return_indices=True)
    ours, ours_idx = F.max_pool2d(wb.tensor(x, requires_grad=True), **kwargs)
    ref, ref_idx = torch.nn.functional.max_pool2d(torch.tensor(x), **kwargs)
    np.testing.assert_array_equal(ours.numpy(), ref.numpy())
    np.testing.assert_array_equal(ours_idx.numpy(), ref_idx.numpy())
