"""Activations, softmax and maxout against torch (values and gradients), gradcheck, stability."""

import math
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import whiteboard as wb
from tests.oracles.torch_oracle import check
from whiteboard import nn
from whiteboard.nn import MaxoutConv2d
from whiteboard.nn import functional as F
from whiteboard.testing import gradcheck

from .layer_oracle import TOL, compare_layer

# the kinks and thresholds of every function, plus saturation at ±20 and ±1000
SPECIAL = np.array([0.0, -3.0, 3.0, 6.0, -6.0, 20.0, -20.0, 21.0, 1000.0, -1000.0, 1e-3,
                    -1e-3, 0.5, -0.5])

ELEMENTWISE = [
    ("sigmoid", {}), ("tanh", {}), ("relu", {}), ("leaky_relu", {}),
    ("leaky_relu", {"negative_slope": 0.2}), ("elu", {}), ("elu", {"alpha": 0.7}),
    ("relu6", {}), ("hardtanh", {}), ("hardtanh", {"min_val": -2.0, "max_val": 0.5}),
    ("softplus", {}), ("softplus", {"beta": 2.0, "threshold": 5.0}),
    ("softplus", {"beta": 0.5, "threshold": 100.0}), ("silu", {}), ("mish", {}),
    ("hardswish", {}), ("hardsigmoid", {}), ("rrelu", {}),
    ("rrelu", {"lower": 0.1, "upper": 0.5}), ("gelu", {}), ("gelu", {"approximate": "tanh"}),
]
SHAPES = [(1,), (7,), (2, 5), (1, 3, 4, 5), (3, 2, 5)]


def inputs(shape, dtype, seed=0):
    x = np.asarray(np.random.default_rng(seed).standard_normal(shape) * 4)
    flat = x.reshape(-1)
    k = min(flat.size, SPECIAL.size)
    flat[:k] = SPECIAL[:k]
    return np.asarray(x, dtype=dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name,kwargs", ELEMENTWISE)
def test_elementwise_functional_matches_torch(name, kwargs, shape, dtype):
    x = inputs(shape, dtype)
    check(lambda lib, x: getattr(lib.nn.functional, name)(x, **kwargs), x, **tol(name, dtype))


def tol(name, dtype):
    """torch's float64 hardsigmoid backward multiplies by 1/6 rounded to float32 (a relative
    error of 3e-8); whiteboard uses the float64 1/6, so that one comparison allows 1e-7."""
    if name.lower() == "hardsigmoid" and np.dtype(dtype) == np.float64:
        return dict(rtol=1e-7, atol=1e-10)
    return TOL[np.dtype(dtype)]


def test_every_point_of_the_special_grid_is_covered():
    x = inputs((4, 5), np.float64)
    assert set(SPECIAL) <= set(x.reshape(-1))


MODULES = [
    ("Sigmoid", {}), ("Tanh", {}), ("ReLU", {}), ("LeakyReLU", {"negative_slope": 0.1}),
    ("ELU", {"alpha": 2.0}), ("ReLU6", {}), ("Hardtanh", {}), ("Softplus", {"beta": 3.0}),
    ("SiLU", {}), ("Mish", {}), ("Hardswish", {}), ("Hardsigmoid", {}), ("PReLU", {}),
    ("PReLU", {"num_parameters": 3, "init": 0.1}), ("Softmax", {"dim": 1}),
    ("LogSoftmax", {"dim": -1}), ("Softmax", {"dim": 0}), ("GELU", {}),
    ("GELU", {"approximate": "tanh"}),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape", [(1, 3), (4, 3, 5), (2, 3, 4, 4)])
@pytest.mark.parametrize("name,kwargs", MODULES)
def test_modules_match_torch(name, kwargs, shape, dtype):
    tm = getattr(torch.nn, name)(**kwargs).to(getattr(torch, np.dtype(dtype).name))
    wm = getattr(nn, name)(**kwargs)
    if name == "PReLU":  # learned slopes that differ per channel
        with torch.no_grad():
            tm.weight.copy_(torch.linspace(-0.5, 0.7, tm.weight.numel()))
    compare_layer(wm, tm, inputs(shape, dtype, seed=1), tol=tol(name, dtype))


def test_prelu_default_init_and_weight_gradient_per_channel():
    m = nn.PReLU(4)
    assert m.weight.shape == (4,) and np.all(m.weight.numpy() == np.float32(0.25))
    x = np.random.default_rng(2).standard_normal((3, 4, 5))
    w = np.array([0.1, -0.2, 0.3, 0.25])
    check(lambda lib, x, w: lib.nn.functional.prelu(x, w), x, w)
    check(lambda lib, x, w: lib.nn.functional.prelu(x, w), x, w[:1])
    check(lambda lib, x, w: lib.nn.functional.prelu(x, w), x[0, 0], w[:1])
    with pytest.raises(ValueError, match="prelu: weight has 3 elements but the input of shape "
                                         r"\(3, 4, 5\) has 4 channels"):
        F.prelu(wb.tensor(x), wb.tensor(w[:3]))


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape,dim", [((5,), 0), ((3, 4), 1), ((3, 4), 0), ((2, 3, 4), -1),
                                       ((2, 3, 4, 5), 1), ((1, 1), 1), ((), 0)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_matches_torch(name, shape, dim, dtype):
    x = inputs(shape, dtype, seed=3)
    check(lambda lib, x: getattr(lib.nn.functional, name)(x, dim=dim), x, **TOL[np.dtype(dtype)])


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_implicit_dim_follows_torch(name):
    for shape in [(4,), (3, 4), (2, 3, 4), (2, 3, 4, 5)]:
        x = inputs(shape, np.float64, seed=4)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check(lambda lib, x: getattr(lib.nn.functional, name)(x), x)
        with pytest.warns(UserWarning, match="Implicit dimension"):
            getattr(F, name)(wb.tensor(x))


def test_softmax_dtype_argument():
    x = inputs((3, 5), np.float32)
    check(lambda lib, x: lib.nn.functional.softmax(x, dim=1, dtype=lib.float64), x, rtol=1e-6)


def test_softmax_backward_is_the_fused_formula():
    """g_in = y ⊙ (g − Σ g⊙y), equal to the explicit Jacobian (diag(y) − y yᵀ)ᵀ g."""
    rng = np.random.default_rng(5)
    x = wb.tensor(rng.standard_normal(6), requires_grad=True)
    g = rng.standard_normal(6)
    y = F.softmax(x, dim=0)
    y.backward(wb.tensor(g))
    yv = y.numpy()
    jac = np.diag(yv) - np.outer(yv, yv)
    np.testing.assert_allclose(x.grad.numpy(), jac.T @ g, rtol=1e-12, atol=1e-15)


def test_extreme_logits_are_finite_and_equal_to_torch():
    x = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0], [1000.0, 1000.0, 999.0]])
    out = check(lambda lib, x: lib.nn.functional.log_softmax(x, dim=1), x)
    assert np.isfinite(out[0].numpy()).all()
    assert out[0].numpy()[0, 1] == -2000.0
    out = check(lambda lib, x: lib.nn.functional.softmax(x, dim=1), x)
    assert np.isfinite(out[0].numpy()).all()


@pytest.mark.parametrize("name,kwargs", ELEMENTWISE)
def test_activations_at_plus_minus_1000_are_finite_with_finite_gradients(name, kwargs):
    x = wb.tensor(np.array([-1000.0, 1000.0, -1e4, 1e4]), requires_grad=True)
    y = getattr(F, name)(x, **kwargs)
    y.sum().backward()
    assert np.isfinite(y.numpy()).all() and np.isfinite(x.grad.numpy()).all()


@pytest.mark.parametrize("name,kwargs", ELEMENTWISE + [("prelu", None), ("softmax", None),
                                                       ("log_softmax", None), ("maxout", None)])
def test_gradcheck(name, kwargs):
    rng = np.random.default_rng(6)
    # stay away from the kinks, where central differences are not defined
    x = rng.uniform(0.2, 2.5, size=(2, 4, 3)) * rng.choice([-1, 1], size=(2, 4, 3))
    x = wb.tensor(x, requires_grad=True)
    if name == "prelu":
        w = wb.tensor(np.array([0.1, 0.2, -0.3, 0.4]), requires_grad=True)
        assert gradcheck(F.prelu, (x, w))
    elif name in ("softmax", "log_softmax"):
        assert gradcheck(lambda t: getattr(F, name)(t, dim=1), (x,))
    elif name == "maxout":
        assert gradcheck(lambda t: F.maxout(t, 2, dim=1), (x,))
    elif name == "rrelu":
        state = wb.backend.get_rng_state()

        def fixed_noise(t):
            wb.backend.set_rng_state(state)
            return F.rrelu(t, training=True, **kwargs)

        assert gradcheck(fixed_noise, (x,))
        assert gradcheck(lambda t: F.rrelu(t, **kwargs), (x,))
    else:
        assert gradcheck(lambda t: getattr(F, name)(t, **kwargs), (x,))


def test_sigmoid_and_tanh_derivative_bounds():
    """σ' ≤ 1/4 (not 0.5, ERRATA E105) and tanh' ≤ 1, both attained at 0."""
    x = wb.tensor(np.linspace(-10, 10, 2001), requires_grad=True)
    F.sigmoid(x).sum().backward()
    assert x.grad.numpy().max() == pytest.approx(0.25, abs=1e-15)
    assert np.argmax(x.grad.numpy()) == 1000
    x.grad = None
    F.tanh(x).sum().backward()
    assert x.grad.numpy().max() == pytest.approx(1.0, abs=1e-15)


def test_tanh_identity_and_the_notes_wrong_formulas():
    x = np.linspace(-5, 5, 101)
    np.testing.assert_allclose(F.tanh(wb.tensor(x)).numpy(),
                               2 * F.sigmoid(wb.tensor(2 * x)).numpy() - 1, atol=1e-15)
    note_tanh = (1 - np.exp(-x)) / (1 + np.exp(-x))  # note 002 (E65): that is tanh(x/2)
    np.testing.assert_allclose(note_tanh, np.tanh(x / 2), atol=1e-15)
    note_mish = x * np.tanh(np.log1p(np.exp(-x)))  # note 002 (E66): that is −Mish(−x)
    np.testing.assert_allclose(note_mish, -F.mish(wb.tensor(-x)).numpy(), atol=1e-12)


def test_dead_relu_unit_gets_no_gradient():
    """A unit whose pre-activation is negative on every input never receives a gradient."""
    layer = nn.Linear(3, 2).double()
    with wb.no_grad():
        layer.bias.data[:] = [-100.0, 0.0]
    x = wb.tensor(np.random.default_rng(7).standard_normal((16, 3)))
    F.relu(layer(x)).sum().backward()
    assert np.all(layer.weight.grad.numpy()[0] == 0) and layer.bias.grad.numpy()[0] == 0
    assert np.any(layer.weight.grad.numpy()[1] != 0)


# ---------------------------------------------------------------------- RReLU
def test_rrelu_eval_equals_torch_and_slope_is_the_mean():
    x = inputs((3, 4, 5), np.float64)
    for lower, upper in [(1 / 8, 1 / 3), (0.1, 0.9)]:
        tm, wm = torch.nn.RReLU(lower, upper).eval(), nn.RReLU(lower, upper).eval()
        compare_layer(wm, tm, x)
        neg = x < 0
        np.testing.assert_allclose(wm(wb.tensor(x)).numpy()[neg], x[neg] * (lower + upper) / 2)


def test_rrelu_training_slopes_lie_in_range_and_are_reproducible():
    x = -np.abs(np.random.default_rng(8).standard_normal(20000)) - 0.1
    wb.manual_seed(3)
    m = nn.RReLU(0.1, 0.3)
    xt = wb.tensor(x, requires_grad=True)
    y = m(xt)
    slopes = y.numpy() / x
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3
    # U(0.1, 0.3): mean 0.2, sd 0.2/√12; the sample mean is within 5 standard errors
    assert abs(slopes.mean() - 0.2) < 5 * 0.2 / math.sqrt(12 * x.size)
    y.sum().backward()
    np.testing.assert_allclose(xt.grad.numpy(), slopes, rtol=1e-12)
    wb.manual_seed(3)
    np.testing.assert_array_equal(m(wb.tensor(x)).numpy(), y.numpy())
    pos = np.abs(x)
    np.testing.assert_array_equal(m(wb.tensor(pos)).numpy(), pos)


# ---------------------------------------------------------------------- Maxout
@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 5), st.integers(1, 4))
def test_maxout_is_the_max_of_k_linear_pieces(batch, k, fin, fout):
    wb.manual_seed(batch * 100 + k * 10 + fin)
    m = nn.Maxout(fin, fout, k).double()
    x = np.random.default_rng(fin).standard_normal((batch, fin))
    xt = wb.tensor(x, requires_grad=True)
    y = m(xt)
    w, b = m.linear.weight.numpy(), m.linear.bias.numpy()
    pieces = (x @ w.T + b).reshape(batch, fout, k)
    np.testing.assert_allclose(y.numpy(), pieces.max(axis=2), rtol=1e-12)
    y.sum().backward()
    winner = pieces.argmax(axis=2)  # the gradient reaches only the winning piece's row of W
    rows = (np.arange(fout) * k)[None, :] + winner
    expected = np.zeros_like(w)
    for i in range(batch):
        expected[rows[i]] += x[i]
    np.testing.assert_allclose(m.linear.weight.grad.numpy(), expected, rtol=1e-12, atol=1e-14)


def test_maxout_represents_abs_and_relu():
    m = nn.Maxout(1, 1, 2).double()
    with wb.no_grad():
        m.linear.weight.data[:] = [[1.0], [-1.0]]
        m.linear.bias.data[:] = 0.0
    x = np.linspace(-3, 3, 13)[:, None]
    np.testing.assert_allclose(m(wb.tensor(x)).numpy(), np.abs(x))
    with wb.no_grad():
        m.linear.weight.data[:] = [[1.0], [0.0]]
    np.testing.assert_allclose(m(wb.tensor(x)).numpy(), np.maximum(x, 0))


def test_maxout_over_conv_channels_matches_torch_reshape_max():
    x = np.random.default_rng(9).standard_normal((2, 6, 3, 3))
    check(lambda lib, x: (F.maxout(x, 3, dim=1) if lib is wb
                          else x.reshape(2, 2, 3, 3, 3).max(dim=2).values), x)
    with pytest.raises(ValueError, match="maxout: dimension 1 has size 6, which pool_size=4"):
        F.maxout(wb.tensor(x), 4)


@pytest.mark.parametrize("k,stride,padding", [(2, 1, 0), (3, 2, 1), (1, 1, 1)])
def test_maxout_conv2d_is_the_max_over_groups_of_conv_channels(k, stride, padding):
    """Property (torch has no maxout): equal to torch's conv2d with the same weights followed by
    a max over each group of k consecutive channels — values and every gradient."""
    m = MaxoutConv2d(3, 4, 3, k, stride=stride, padding=padding).double()
    x = np.random.default_rng(10).standard_normal((2, 3, 7, 6))
    w, b = m.conv.weight.numpy().copy(), m.conv.bias.numpy().copy()

    def torch_maxout(x, w, b):
        y = torch.nn.functional.conv2d(x, w, b, stride=stride, padding=padding)
        return y.reshape(y.shape[0], 4, k, *y.shape[2:]).max(dim=2).values

    def fn(lib, x, w, b):
        if lib is torch:
            return torch_maxout(x, w, b)
        with wb.no_grad():
            m.conv.weight.data[...] = w.data
            m.conv.bias.data[...] = b.data
        m.conv.weight.grad = m.conv.bias.grad = None
        return m(x)

    check(fn, x, w, b, requires_grad=[True, False, False])
    xt = torch.from_numpy(x)
    wt, bt = (torch.from_numpy(a).requires_grad_() for a in (w, b))
    g = np.random.default_rng(11).standard_normal(tuple(torch_maxout(xt, wt, bt).shape))
    torch_maxout(xt, wt, bt).backward(torch.from_numpy(g))
    m.conv.weight.grad = m.conv.bias.grad = None
    m(wb.tensor(x)).backward(wb.tensor(g))
    np.testing.assert_allclose(m.conv.weight.grad.numpy(), wt.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(m.conv.bias.grad.numpy(), bt.grad.numpy(), rtol=1e-10)
    assert m(wb.tensor(x)).shape[1] == 4


def test_module_reprs_match_torch():
    for name, kwargs in MODULES + [("RReLU", {}), ("ELU", {})]:
        assert repr(getattr(nn, name)(**kwargs)) == repr(getattr(torch.nn, name)(**kwargs)), name
    assert nn.Swish is nn.SiLU


def test_gelu_exact_on_a_dense_grid_including_the_tails():
    """Our erf (series + continued fraction) against torch's GELU from −40 to 40, and the far
    left tail against math.erfc: torch computes 1 + erf(z), which cancels to 0 for x < −8.3,
    so there the comparison with torch is absolute (1e-15) and the relative check uses erfc."""
    x = np.linspace(-40, 40, 16001)
    check(lambda lib, x: lib.nn.functional.gelu(x), x, rtol=1e-12, atol=1e-15)
    tail = np.linspace(-37, -1, 721)
    exact = np.array([0.5 * v * math.erfc(-v / math.sqrt(2)) for v in tail])
    np.testing.assert_allclose(F.gelu(wb.tensor(tail)).numpy(), exact, rtol=1e-12)
    with pytest.raises(ValueError, match="gelu: approximate must be 'none' or 'tanh'"):
        F.gelu(wb.tensor(x), approximate="fast")


def test_prelu_mixed_dtypes_are_a_type_error_as_in_torch():
    x = np.ones((2, 3))
    with pytest.raises(TypeError, match="prelu: input, weight must have the same dtype"):
        nn.PReLU()(wb.tensor(x))
    check(lambda lib, x: lib.nn.PReLU()(x), x, expect_error=True)
