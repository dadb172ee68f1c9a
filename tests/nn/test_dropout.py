"""Dropout and Dropout2d: eval identity, mask statistics, scaling, reproducibility, errors."""

import math

import numpy as np
import pytest
import torch

import whiteboard as wb
from tests.oracles.torch_oracle import check
from whiteboard import nn
from whiteboard.nn import functional as F
from whiteboard.testing import gradcheck

N = 200_000


@pytest.mark.parametrize("p", [0.0, 0.3, 1.0])
def test_eval_mode_is_the_identity_as_torch(p):
    x = np.random.default_rng(0).standard_normal((4, 3, 5, 2))
    check(lambda lib, x: lib.nn.functional.dropout(x, p=p, training=False), x)
    check(lambda lib, x: lib.nn.functional.dropout2d(x, p=p, training=False), x)
    for name in ("Dropout", "Dropout2d"):
        w = getattr(nn, name)(p).eval()
        np.testing.assert_array_equal(w(wb.tensor(x)).numpy(), x)


@pytest.mark.parametrize("fn", ["dropout", "dropout2d"])
def test_p_zero_and_p_one_match_torch_in_training(fn):
    x = np.random.default_rng(1).standard_normal((3, 4, 2, 2))
    check(lambda lib, x: getattr(lib.nn.functional, fn)(x, p=0.0), x)
    out = check(lambda lib, x: getattr(lib.nn.functional, fn)(x, p=1.0), x)
    assert not out[0].numpy().any()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_mask_statistics(p, dtype):
    x = wb.tensor(np.ones(N, dtype=dtype), requires_grad=True)
    y = F.dropout(x, p)
    out = y.numpy()
    dropped = out == 0
    # the fraction dropped is Binomial(N, p)/N: within 5 standard deviations of p
    assert abs(dropped.mean() - p) < 5 * math.sqrt(p * (1 - p) / N)
    # kept values are exactly 1/(1-p)
    np.testing.assert_array_equal(out[~dropped], np.asarray(1 / (1 - p), dtype=dtype))
    # E[y] = x: the sample mean has standard deviation √(p/((1-p)N))
    assert abs(out.mean() - 1) < 5 * math.sqrt(p / ((1 - p) * N))
    assert y.dtype == dtype
    y.backward(wb.tensor(np.full(N, 2.0, dtype=dtype)))
    np.testing.assert_array_equal(x.grad.numpy(), 2 * out)  # the same mask and scale


def test_expectation_of_a_non_constant_input():
    """E[dropout(x)] = x elementwise: average 2000 masks of one input."""
    x = np.random.default_rng(2).standard_normal(50)
    mean = np.mean([F.dropout(wb.tensor(x), 0.4).numpy() for _ in range(2000)], axis=0)
    # per element: sd of one draw is |x|√(p/(1-p)); of the mean, /√2000
    np.testing.assert_array_less(np.abs(mean - x), 5 * np.abs(x) * math.sqrt(0.4 / 0.6 / 2000)
                                 + 1e-12)


def test_module_training_vs_eval_and_reproducibility():
    x = wb.tensor(np.random.default_rng(3).standard_normal((8, 16)))
    m = nn.Dropout(0.5)
    wb.manual_seed(42)
    a = m(x).numpy()
    wb.manual_seed(42)
    b = m(x).numpy()
    np.testing.assert_array_equal(a, b)
    c = m(x).numpy()
    assert not np.array_equal(a, c)
    assert (a == 0).any() and not np.array_equal(a, x.numpy())
    m.eval()
    np.testing.assert_array_equal(m(x).numpy(), x.numpy())
    assert repr(m) == repr(torch.nn.Dropout(0.5))
    assert repr(nn.Dropout2d(0.2, inplace=True)) == repr(torch.nn.Dropout2d(0.2, inplace=True))


@pytest.mark.parametrize("shape", [(64, 32, 3, 3), (64, 32, 5)])
def test_dropout2d_drops_whole_channels(shape):
    p = 0.3
    x = np.random.default_rng(4).uniform(1, 2, size=shape)
    out = F.dropout2d(wb.tensor(x), p).numpy()
    per_map = out.reshape(shape[0], shape[1], -1)
    zero_maps = (per_map == 0).all(axis=2)
    kept_maps = ~zero_maps
    # a map is either entirely zero or entirely x / (1 - p)
    assert not ((per_map == 0).any(axis=2) & kept_maps).any()
    np.testing.assert_allclose(per_map[kept_maps], (x.reshape(per_map.shape)[kept_maps]
                                                    / (1 - p)), rtol=1e-14)
    n_maps = shape[0] * shape[1]
    assert abs(zero_maps.mean() - p) < 5 * math.sqrt(p * (1 - p) / n_maps)


def test_dropout2d_torch_agrees_on_the_structure():
    """torch also drops whole (n, c) maps: its mask has the same per-map structure."""
    x = torch.ones(16, 8, 4, 4)
    out = torch.nn.functional.dropout2d(x, 0.5).reshape(16, 8, -1)
    assert ((out == 0).all(2) | (out == 2).all(2)).all()
    ours = F.dropout2d(wb.ones(16, 8, 4, 4), 0.5).numpy().reshape(16, 8, -1)
    assert ((ours == 0).all(2) | (ours == 2).all(2)).all()


def test_gradcheck_with_a_fixed_mask():
    x = wb.tensor(np.random.default_rng(5).standard_normal((3, 4, 2, 2)), requires_grad=True)
    state = wb.backend.get_rng_state()
    for fn in (F.dropout, F.dropout2d):
        def fixed(t, fn=fn):
            wb.backend.set_rng_state(state)
            return fn(t, 0.4)

        assert gradcheck(fixed, (x,))


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_probability_outside_unit_interval_is_a_value_error(p):
    with pytest.raises(ValueError, match=f"Dropout: dropout probability p has to be between 0 "
                                         f"and 1, but got {p}"):
        nn.Dropout(p)
    with pytest.raises(ValueError, match="Dropout2d: dropout probability p"):
        nn.Dropout2d(p)
    with pytest.raises(ValueError, match="dropout: dropout probability p"):
        F.dropout(wb.ones(3), p)
    check(lambda lib, x: lib.nn.functional.dropout(x, p), np.ones(3), expect_error=True)
    check(lambda lib, x: lib.nn.Dropout(p)(x), np.ones(3), expect_error=True)


def test_dropout2d_rejects_other_ranks():
    with pytest.raises(ValueError, match=r"dropout2d: expected a 3D or 4D input, got shape "
                                         r"\(2, 3\)"):
        F.dropout2d(wb.ones(2, 3))
