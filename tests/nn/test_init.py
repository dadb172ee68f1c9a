"""Initialisers: exact bounds, sample statistics within 2% of theory, PyTorch's fan and gain."""

import math

import numpy as np
import pytest
import torch

import whiteboard as wb
from whiteboard.nn import init

SHAPES = [(400, 300), (64, 32, 5, 5), (256, 8, 3, 3)]


def fans(shape):
    t = torch.empty(shape)
    return torch.nn.init._calculate_fan_in_and_fan_out(t)


@pytest.mark.parametrize("shape", SHAPES)
def test_fans_equal_torch(shape):
    assert init._calculate_fan_in_and_fan_out(wb.zeros(*shape)) == fans(shape)


@pytest.mark.parametrize("name,param", [("linear", None), ("sigmoid", None), ("tanh", None),
                                        ("relu", None), ("leaky_relu", None),
                                        ("leaky_relu", 0.2), ("selu", None), ("conv2d", None)])
def test_gain_equals_torch(name, param):
    expected = torch.nn.init.calculate_gain(name, param)
    assert init.calculate_gain(name, param) == pytest.approx(expected)


def _theory(name, shape):
    fan_in, fan_out = fans(shape)
    relu_gain = math.sqrt(2.0)
    return {
        "xavier_uniform_": ("uniform", math.sqrt(6.0 / (fan_in + fan_out))),
        "xavier_normal_": ("normal", math.sqrt(2.0 / (fan_in + fan_out))),
        "kaiming_uniform_": ("uniform", relu_gain * math.sqrt(3.0 / fan_in)),
        "kaiming_normal_": ("normal", relu_gain / math.sqrt(fan_in)),
        "kaiming_normal_out": ("normal", relu_gain / math.sqrt(fan_out)),
        "lecun_uniform_": ("uniform", math.sqrt(3.0 / fan_in)),
        "lecun_normal_": ("normal", 1 / math.sqrt(fan_in)),
    }[name]


CALLS = {
    "xavier_uniform_": lambda t: init.xavier_uniform_(t),
    "xavier_normal_": lambda t: init.xavier_normal_(t),
    "kaiming_uniform_": lambda t: init.kaiming_uniform_(t, nonlinearity="relu"),
    "kaiming_normal_": lambda t: init.kaiming_normal_(t, nonlinearity="relu"),
    "kaiming_normal_out": lambda t: init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu"),
    "lecun_uniform_": lambda t: init.lecun_uniform_(t),
    "lecun_normal_": lambda t: init.lecun_normal_(t),
}


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("shape", SHAPES)
def test_statistics_match_theory(name, shape):
    t = wb.zeros(*shape, dtype=wb.float64)
    out = CALLS[name](t)
    assert out is t and t.shape == shape
    values = t.numpy()
    kind, scale = _theory(name, shape)
    std = scale / math.sqrt(3) if kind == "uniform" else scale
    assert abs(values.mean()) < 0.02 * std * 5  # mean within a fraction of one std
    assert values.std() == pytest.approx(std, rel=0.02)
    if kind == "uniform":
        assert values.min() >= -scale and values.max() <= scale
        assert values.max() > 0.99 * scale  # the bound is really the bound


def test_default_linear_bound_is_one_over_sqrt_fan_in():
    t = wb.zeros(50, 200, dtype=wb.float64)
    init.kaiming_uniform_(t, a=math.sqrt(5))
    assert np.abs(t.numpy()).max() <= 1 / math.sqrt(200)
    assert np.abs(t.numpy()).max() > 0.99 / math.sqrt(200)


def test_constant_and_special_initialisers():
    t = wb.zeros(3, 4)
    np.testing.assert_array_equal(init.ones_(t).numpy(), np.ones((3, 4)))
    np.testing.assert_array_equal(init.constant_(t, 0.5).numpy(), np.full((3, 4), 0.5))
    np.testing.assert_array_equal(init.zeros_(t).numpy(), np.zeros((3, 4)))
    np.testing.assert_array_equal(init.eye_(t).numpy(), np.eye(3, 4))
    assert t.dtype == np.float32
    q = init.orthogonal_(wb.zeros(6, 10, dtype=wb.float64)).numpy()
    np.testing.assert_allclose(q @ q.T, np.eye(6), atol=1e-12)
    q = init.orthogonal_(wb.zeros(10, 6, dtype=wb.float64), gain=2.0).numpy()
    np.testing.assert_allclose(q.T @ q, 4 * np.eye(6), atol=1e-12)
    s = init.sparse_(wb.zeros(10, 7, dtype=wb.float64), sparsity=0.3).numpy()
    assert ((s == 0).sum(axis=0) == 3).all()
    tn = init.trunc_normal_(wb.zeros(1000, dtype=wb.float64), std=1.0, a=-1.0, b=1.5).numpy()
    assert tn.min() >= -1.0 and tn.max() <= 1.5


def test_init_errors():
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.xavier_uniform_(wb.zeros(5))
    with pytest.raises(ValueError, match="fan_in, fan_out"):
        init.kaiming_normal_(wb.zeros(3, 3), mode="fan_avg")
    with pytest.raises(ValueError, match="Unsupported nonlinearity"):
        init.calculate_gain("swish")


def test_initialisers_are_reproducible_with_manual_seed():
    wb.manual_seed(5)
    a = init.kaiming_normal_(wb.zeros(4, 4)).numpy().copy()
    wb.manual_seed(5)
    np.testing.assert_array_equal(a, init.kaiming_normal_(wb.zeros(4, 4)).numpy())
