"""Linear against torch.nn.Linear: outputs, gradients, default initialisation, errors."""

import math

import numpy as np
import pytest
import torch

import whiteboard as wb
from tests.oracles.torch_oracle import check
from whiteboard import nn
from whiteboard.testing import gradcheck

from .layer_oracle import compare_layer

SHAPES = [((1, 5), 5, 3), ((4, 7), 7, 1), ((3, 2, 9), 9, 4), ((7,), 7, 2), ((2, 3, 4, 6), 6, 5)]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("shape,fin,fout", SHAPES)
@pytest.mark.parametrize("bias", [True, False])
def test_linear_module_matches_torch(shape, fin, fout, bias, dtype):
    torch.manual_seed(1)
    tm = torch.nn.Linear(fin, fout, bias=bias).to(getattr(torch, np.dtype(dtype).name))
    wm = nn.Linear(fin, fout, bias=bias)
    x = np.random.default_rng(2).standard_normal(shape).astype(dtype)
    compare_layer(wm, tm, x)


@pytest.mark.parametrize("shape,fin,fout", SHAPES)
def test_functional_linear_matches_torch(shape, fin, fout):
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal(shape), rng.standard_normal((fout, fin))
    b = rng.standard_normal(fout)
    check(lambda lib, x, w, b: lib.nn.functional.linear(x, w, b), x, w, b, rtol=1e-10)
    check(lambda lib, x, w: lib.nn.functional.linear(x, w), x, w, rtol=1e-10)


def test_linear_gradcheck():
    rng = np.random.default_rng(4)
    x = wb.tensor(rng.standard_normal((3, 2, 4)), requires_grad=True)
    w = wb.tensor(rng.standard_normal((5, 4)), requires_grad=True)
    b = wb.tensor(rng.standard_normal(5), requires_grad=True)
    assert gradcheck(nn.functional.linear, (x, w, b))
    assert gradcheck(nn.functional.linear, (x, w))


@pytest.mark.parametrize("fin,fout", [(100, 50), (3, 1000), (784, 10)])
def test_default_init_bounds_and_statistics_match_torch(fin, fout):
    layer = nn.Linear(fin, fout)
    bound = 1 / math.sqrt(fin)
    w, b = layer.weight.numpy(), layer.bias.numpy()
    assert layer.weight.dtype == np.float32 and w.shape == (fout, fin) and b.shape == (fout,)
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    # U(-a, a) has variance a²/3; with n draws the sample variance has relative sd ≈ √(0.8/n)
    n = w.size
    assert abs(w.var() / (bound**2 / 3) - 1) < 5 * math.sqrt(0.8 / n)
    assert abs(w.mean()) < 5 * bound / math.sqrt(3 * n)
    torch_w = torch.nn.Linear(fin, fout).weight.detach().numpy()
    assert abs(np.abs(torch_w).max() - np.abs(w).max()) < 0.05 * bound


def test_init_is_reproducible_with_manual_seed():
    wb.manual_seed(7)
    a = nn.Linear(6, 4)
    wb.manual_seed(7)
    b = nn.Linear(6, 4)
    np.testing.assert_array_equal(a.weight.numpy(), b.weight.numpy())
    np.testing.assert_array_equal(a.bias.numpy(), b.bias.numpy())


def test_no_bias_registers_none_and_repr():
    layer = nn.Linear(3, 2, bias=False)
    assert layer.bias is None and [n for n, _ in layer.named_parameters()] == ["weight"]
    assert repr(layer) == repr(torch.nn.Linear(3, 2, bias=False))


def test_wrong_feature_count_is_a_clear_error():
    layer = nn.Linear(20, 5)
    with pytest.raises(ValueError, match=r"Linear expected 20 input features, got 30 "
                                         r"\(input shape \(4, 30\)\)"):
        layer(wb.randn(4, 30))
    with pytest.raises(ValueError, match="linear expected 20 input features, got 3"):
        nn.functional.linear(wb.randn(2, 3), layer.weight)
    check(lambda lib, x, w: lib.nn.functional.linear(x, w), np.ones((2, 3)), np.ones((4, 5)),
          expect_error=True)


def test_mixed_dtypes_are_a_type_error_as_in_torch():
    layer = nn.Linear(3, 2)  # float32 parameters
    with pytest.raises(TypeError, match="Linear: input, weight, bias must have the same dtype, "
                                        "got input float64, weight float32, bias float32"):
        layer(wb.tensor(np.ones((4, 3))))
    with pytest.raises(TypeError, match="linear: input, weight must have the same dtype"):
        nn.functional.linear(wb.tensor(np.ones((4, 3))), layer.weight)
    check(lambda lib, x, w: lib.nn.functional.linear(x, w), np.ones((2, 3)),
          np.ones((4, 3), dtype=np.float32), expect_error=True)
    assert layer(wb.tensor(np.ones((4, 3), dtype=np.float32))).dtype == np.float32
