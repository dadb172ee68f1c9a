"""Convolution against torch: values, input gradients and parameter gradients, float64 to 1e-8
relative and float32 to 1e-4, on a grid of configurations and on hypothesis-drawn ones; gradcheck
on every functional op; PyTorch's default initialisation bounds; errors for bad input."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import whiteboard as wb
from tests.oracles.torch_oracle import check
from whiteboard import nn
from whiteboard.nn import _im2col
from whiteboard.testing import gradcheck

F64 = dict(rtol=1e-8, atol=1e-10)
F32 = dict(rtol=1e-4, atol=1e-4)

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


def _arrays(n, c, h, w, o, kh, kw, kwargs, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    groups = kwargs.get("groups", 1)
    x = rng.standard_normal((n, c, h, w)).astype(dtype)
    weight = rng.standard_normal((o, c // groups, kh, kw)).astype(dtype)
    bias = rng.standard_normal(o).astype(dtype)
    return x, weight, bias


@pytest.mark.parametrize("cfg", CONV_GRID, ids=lambda c: f"{c[:7]}-{c[7]}")
@pytest.mark.parametrize("with_bias", [True, False])
@pytest.mark.filterwarnings("ignore:Using padding=.same.")
def test_conv2d_grid_float64(cfg, with_bias):
    x, w, b = _arrays(*cfg)
    kwargs = cfg[-1]
    if with_bias:
        check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, **kwargs), x, w, b, **F64)
    else:
        check(lambda lib, x, w: lib.nn.functional.conv2d(x, w, **kwargs), x, w, **F64)


@pytest.mark.parametrize("cfg", CONV_GRID[::2], ids=lambda c: f"{c[:7]}-{c[7]}")
def test_conv2d_grid_float32(cfg):
    x, w, b = _arrays(*cfg, dtype=np.float32)
    kwargs = cfg[-1]
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, **kwargs), x, w, b, **F32)


# 3x3, stride 1, no dilation, groups 1 runs through Winograd F(2x2, 3x3) in chunks of samples:
# odd and even output sizes (an extra tile row/column), asymmetric padding, 'same', and a chunk
# size of one sample so that several chunks are stitched together.
WINOGRAD_GRID = [
    (5, 3, 7, 9, 4, 3, 3, {}),
    (4, 2, 8, 8, 5, 3, 3, dict(padding=1)),
    (3, 4, 5, 6, 3, 3, 3, dict(padding=(2, 0))),
    (3, 2, 6, 7, 2, 3, 3, dict(padding="same")),
    (2, 1, 3, 3, 1, 3, 3, {}),                                    # a single output pixel
    (2, 3, 4, 5, 2, 3, 3, dict(padding=3)),                       # padding wider than the kernel
]


@pytest.mark.parametrize("cfg", WINOGRAD_GRID, ids=lambda c: f"{c[:7]}-{c[7]}")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("chunk_bytes", [1, 1 << 21])
def test_conv2d_winograd_chunks(cfg, dtype, chunk_bytes, monkeypatch):
    from whiteboard.nn import conv as conv_module

    monkeypatch.setattr(conv_module, "_WINO_CHUNK_BYTES", chunk_bytes)
    x, w, b = _arrays(*cfg, dtype=dtype)
    kwargs = cfg[-1]
    tol = F64 if dtype == np.float64 else F32
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, **kwargs), x, w, b, **tol)
    check(lambda lib, x, w: lib.nn.functional.conv2d(x, w, **kwargs), x, w, **tol)
    for needs in ([True, False], [False, True]):                  # one gradient only
        check(lambda lib, x, w: lib.nn.functional.conv2d(x, w, **kwargs), x, w, **tol,
              requires_grad=needs)


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
    from whiteboard.nn import conv as conv_module

    monkeypatch.setattr(conv_module, "_DEPTHWISE_CHUNK_BYTES", 1)
    x, w, b = _arrays(*cfg, dtype=dtype)
    kwargs = cfg[-1]
    tol = F64 if dtype == np.float64 else F32
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, **kwargs), x, w, b, **tol)
    for needs in ([True, False], [False, True]):
        check(lambda lib, x, w: lib.nn.functional.conv2d(x, w, **kwargs), x, w, **tol,
              requires_grad=needs)


@st.composite
def conv_configs(draw, transposed=False):
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    cg, og = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    dh, dw = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    ph, pw = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    n = draw(st.integers(1, 3))
    if transposed:
        h, w = draw(st.integers(1, 5)), draw(st.integers(1, 5))
        oph = draw(st.integers(0, max(sh, dh) - 1))
        opw = draw(st.integers(0, max(sw, dw) - 1))
        kwargs = dict(stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw), groups=groups,
                      output_padding=(oph, opw))
    else:
        h = draw(st.integers(max(1, dh * (kh - 1) + 1 - 2 * ph), 9))
        w = draw(st.integers(max(1, dw * (kw - 1) + 1 - 2 * pw), 9))
        kwargs = dict(stride=(sh, sw), padding=(ph, pw), dilation=(dh, dw), groups=groups)
    return n, groups * cg, h, w, groups * og, kh, kw, kwargs, draw(st.booleans())


@settings(max_examples=60)
@given(conv_configs())
def test_conv2d_hypothesis(cfg):
    *shape, kwargs, with_bias = cfg
    x, w, b = _arrays(*shape, kwargs)
    bias = b if with_bias else None
    check(lambda lib, x, w: lib.nn.functional.conv2d(
        x, w, None if bias is None else lib.tensor(bias), **kwargs), x, w, **F64)


# ---------------------------------------------------------------------- transposed convolution
TRANSPOSE_GRID = [
    (1, 3, 5, 6, 4, 3, 3, {}),
    (2, 4, 4, 5, 6, 3, 2, dict(stride=2, padding=1, output_padding=1)),
    (2, 4, 3, 3, 6, 3, 3, dict(stride=3, padding=2, dilation=2, groups=2, output_padding=2)),
    (2, 3, 4, 4, 3, 2, 2, dict(stride=2, groups=3)),   # depthwise upsampling
    (2, 5, 4, 3, 2, 1, 1, dict(stride=(2, 1))),        # 1x1
    (1, 2, 5, 2, 3, 4, 3, dict(stride=(1, 3), padding=(0, 1), output_padding=(0, 2))),
]


def _transpose_arrays(n, c, h, w, o, kh, kw, kwargs, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    groups = kwargs.get("groups", 1)
    x = rng.standard_normal((n, c, h, w)).astype(dtype)
    weight = rng.standard_normal((c, o // groups, kh, kw)).astype(dtype)
    return x, weight, rng.standard_normal(o).astype(dtype)


@pytest.mark.parametrize("cfg", TRANSPOSE_GRID, ids=lambda c: f"{c[:7]}-{c[7]}")
@pytest.mark.parametrize("dtype,tol", [(np.float64, F64), (np.float32, F32)])
def test_conv_transpose2d_grid(cfg, dtype, tol):
    x, w, b = _transpose_arrays(*cfg, dtype=dtype)
    kwargs = cfg[-1]
    check(lambda lib, x, w, b: lib.nn.functional.conv_transpose2d(x, w, b, **kwargs), x, w, b,
          **tol)


@settings(max_examples=60)
@given(conv_configs(transposed=True))
def test_conv_transpose2d_hypothesis(cfg):
    *shape, kwargs, with_bias = cfg
    x, w, b = _transpose_arrays(*shape, kwargs)
    bias = b if with_bias else None
    check(lambda lib, x, w: lib.nn.functional.conv_transpose2d(
        x, w, None if bias is None else lib.tensor(bias), **kwargs), x, w, **F64)


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
def _copy_params(torch_module, wb_module):
    wb_module.load_state_dict({k: v.detach().numpy() for k, v in torch_module.state_dict().items()})


def _compare_module(make, x, tol=F64, **forward_kwargs):
    tm, wm = make(torch), make(wb)
    tm.double()
    wm.double()
    _copy_params(tm, wm)
    xt = torch.tensor(x, requires_grad=True)
    xw = wb.tensor(x, requires_grad=True)
    yt, yw = tm(xt, **forward_kwargs), wm(xw, **forward_kwargs)
    assert yw.shape == tuple(yt.shape)
    np.testing.assert_allclose(yw.numpy(), yt.detach().numpy(), **tol)
    g = np.random.default_rng(3).standard_normal(yw.shape)
    yt.backward(torch.tensor(g))
    yw.backward(g)
    np.testing.assert_allclose(xw.grad.numpy(), xt.grad.numpy(), **tol)
    named_t = dict(tm.named_parameters())
    for name, p in wm.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), named_t[name].grad.numpy(), **tol,
                                   err_msg=f"gradient of {name}")
    return wm


@pytest.mark.parametrize("kwargs", [
    dict(), dict(stride=2, padding=1, bias=False), dict(padding="same", dilation=2),
    dict(groups=2, padding=(1, 2)), dict(padding=2, padding_mode="reflect"),
    dict(padding=(1, 2), padding_mode="replicate"), dict(padding=1, padding_mode="circular"),
    dict(padding="same", padding_mode="reflect", stride=1),
])
def test_conv2d_module_equals_torch(kwargs):
    x = np.random.default_rng(4).standard_normal((2, 4, 7, 9))
    _compare_module(lambda lib: lib.nn.Conv2d(4, 6, (3, 2), **kwargs), x)
    _compare_module(lambda lib: lib.nn.Conv2d(4, 6, (3, 2), **kwargs), x[0])  # unbatched


@pytest.mark.parametrize("kwargs", [dict(), dict(stride=2, padding=1, groups=2),
                                    dict(padding=2, padding_mode="circular", dilation=2)])
def test_conv1d_module_equals_torch(kwargs):
    x = np.random.default_rng(5).standard_normal((3, 4, 13))
    _compare_module(lambda lib: lib.nn.Conv1d(4, 2, 3, **kwargs), x)


@pytest.mark.parametrize("kwargs,output_size", [
    (dict(), None), (dict(stride=2, padding=1, output_padding=1, bias=False), None),
    (dict(stride=3, groups=2, dilation=2), None), (dict(stride=2, padding=1), (9, 10)),
])
def test_conv_transpose2d_module_equals_torch(kwargs, output_size):
    x = np.random.default_rng(6).standard_normal((2, 4, 5, 5))
    extra = {} if output_size is None else dict(output_size=output_size)
    _compare_module(lambda lib: lib.nn.ConvTranspose2d(4, 6, 3, **kwargs), x, **extra)


def test_float32_module_gradients_within_1e4():
    x = np.random.default_rng(7).standard_normal((4, 3, 12, 12)).astype(np.float32)
    tm, wm = torch.nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.Conv2d(3, 8, 3, stride=2, padding=1)
    _copy_params(tm, wm)
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
def _t(shape, seed):
    return wb.tensor(np.random.default_rng(seed).standard_normal(shape), requires_grad=True)


def test_gradcheck_conv2d():
    assert gradcheck(lambda x, w, b: nn.functional.conv2d(x, w, b, stride=2, padding=1,
                                                          dilation=(1, 2), groups=2),
                     [_t((2, 4, 5, 6), 0), _t((4, 2, 2, 3), 1), _t((4,), 2)])


def test_gradcheck_conv1d():
    assert gradcheck(lambda x, w: nn.functional.conv1d(x, w, padding="same", dilation=2),
                     [_t((2, 3, 7), 0), _t((2, 3, 3), 1)])


def test_gradcheck_conv_transpose2d():
    assert gradcheck(lambda x, w, b: nn.functional.conv_transpose2d(
        x, w, b, stride=2, padding=1, output_padding=1, groups=2, dilation=(2, 1)),
        [_t((2, 4, 3, 3), 0), _t((4, 1, 3, 2), 1), _t((2,), 2)])


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_gradcheck_padding_modes(mode):
    conv = nn.Conv2d(2, 2, 3, padding=(2, 1), padding_mode=mode, dtype=np.float64)
    assert gradcheck(lambda x: conv(x), [_t((1, 2, 4, 3), 0)])


# ---------------------------------------------------------------------- im2col views
def test_windows_is_a_view_and_1x1_im2col_copies_nothing():
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 7))
    win = _im2col.windows(x, (3, 2), (2, 1), (1, 2), (2, 5))
    assert np.shares_memory(win, x) and not win.flags.writeable
    assert win[1, 2, 2, 1, 1, 3] == x[1, 2, 1 * 2 + 2 * 1, 3 * 1 + 1 * 2]
    assert np.shares_memory(_im2col.im2col(x, (1, 1), (1, 1), (1, 1), (6, 7)), x)


def test_col2im_is_the_adjoint_of_im2col():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 3, 9, 8))
    args = ((3, 2), (2, 3), (2, 1), (3, 3))
    cols = _im2col.im2col(x, *args)
    u = rng.standard_normal(cols.shape)
    back = _im2col.col2im(u, x.shape, args[1], args[2])
    np.testing.assert_allclose((cols * u).sum(), (x * back).sum(), rtol=1e-12)


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


def test_conv_transpose_bad_output_padding_and_output_size():
    x = wb.zeros(1, 2, 4, 4)
    with pytest.raises(ValueError, match="output_padding must be smaller"):
        nn.functional.conv_transpose2d(x, wb.zeros(2, 3, 3, 3), stride=2, output_padding=2)
    with pytest.raises(ValueError, match="not reachable"):
        nn.ConvTranspose2d(2, 3, 3, stride=2)(x, output_size=(20, 20))
    with pytest.raises(ValueError, match="ConvTranspose2d expected 2 input channels, got 3"):
        nn.ConvTranspose2d(2, 3, 3)(wb.zeros(1, 3, 4, 4))


@pytest.mark.parametrize("args", [
    ((9, 8), (1, 1, 1, 1), (3, 3), (1, 1), (1, 1)),
    ((9, 8), (0, 1, 2, 1), (3, 2), (2, 1), (2, 3)),   # vertical stride and dilations
    ((7, 11), (1, 0, 0, 2), (2, 2), (3, 1), (1, 2)),
])
def test_wide_row_layout_equals_the_plain_windows(args):
    """With horizontal stride 1 the columns span the padded width; their real part equals the
    ordinary im2col, and the layout's col2im is still the adjoint of its im2col."""
    in_hw, pads, kernel, stride, dilation = args
    out_hw = tuple(_im2col.conv_out_size(n, k, s, p, d) for n, k, s, p, d in
                   zip(in_hw, kernel, stride, (pads[0] + pads[1], pads[2] + pads[3]), dilation))
    geo = _im2col.Geometry(in_hw, pads, kernel, stride, dilation, out_hw)
    assert geo.wide and geo.cols_w == in_hw[1] + pads[2] + pads[3]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3) + in_hw)
    cols = geo.im2col(x)
    plain = _im2col.im2col(_im2col.pad2d(x, pads), kernel, stride, dilation, out_hw)
    np.testing.assert_array_equal(cols[..., :out_hw[1]], plain)
    u = rng.standard_normal(cols.shape)
    np.testing.assert_allclose((cols * u).sum(), (x * geo.col2im(u)).sum(), rtol=1e-12)
    strided = _im2col.Geometry(in_hw, pads, kernel, (1, 2), dilation, out_hw)
    assert not strided.wide


@pytest.mark.parametrize("requires_grad", [[True, False, False], [False, True, True],
                                           [False, False, True]])
def test_partial_requires_grad_and_unbatched_transpose(requires_grad):
    """Frozen weights (only the input needs a gradient) and the reverse, for both ops."""
    x, w, b = _arrays(2, 4, 7, 6, 6, 3, 3, dict(groups=2), seed=3)
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, padding=1, groups=2), x, w, b,
          requires_grad=requires_grad, **F64)
    xt, wt, bt = _transpose_arrays(2, 4, 3, 4, 6, 3, 2, dict(groups=2), seed=4)
    check(lambda lib, x, w, b: lib.nn.functional.conv_transpose2d(x[1], w, b, stride=2,
                                                                   groups=2),
          xt, wt, bt, requires_grad=requires_grad, **F64)
