"""Long float32 reductions stay accurate (issue 12's float32 audit).

NumPy sums pairwise only along the innermost contiguous reduced run; across rows it adds naively
and the float32 error grows with the number of rows (1.3e-5 relative for the column sums of
200,000 rows below, 4e-5 for their variance). ``backend.accurate_sum`` accumulates such runs in
float64. The bound used here, 1e-6 relative to the float64 result, is ~16 float32 ulps: a
pairwise or wide sum meets it with a wide margin, the naive recurrence misses it by 10x or more.
PyTorch's cascade summation sits near 1e-7 on the same data.
"""

import numpy as np
import pytest
import torch

import whiteboard as wb
from whiteboard import backend

ROWS = 200_000
BOUND = 1e-6


def _data(shape=(ROWS, 3), seed=1):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(shape) * 0.1 + 1).astype(np.float32)


def _rel(a, exact):
    return float(np.max(np.abs(np.asarray(a, dtype=np.float64) - exact) / np.abs(exact)))


def test_naive_float32_column_sums_would_miss_the_bound():
    """The premise: without wide accumulation these reductions are visibly inaccurate."""
    x = _data()
    assert _rel(x.sum(axis=0), x.astype(np.float64).sum(axis=0)) > 10 * BOUND


@pytest.mark.parametrize("op", ["sum", "mean", "var", "std"])
def test_column_reductions_of_a_tall_float32_tensor(op):
    x = _data()
    ours = getattr(wb.tensor(x), op)(dim=0).data
    exact = getattr(x.astype(np.float64), op)(axis=0, **({"ddof": 1} if op in ("var", "std")
                                                         else {}))
    theirs = getattr(torch.from_numpy(x), op)(dim=0).numpy()
    assert ours.dtype == np.float32
    assert _rel(ours, exact) < BOUND
    assert _rel(theirs, exact) < BOUND  # torch meets it too: the bound is fair


def test_reductions_over_leading_axes_of_a_transposed_view():
    x = _data((3, 400, 500)).transpose(1, 2, 0)       # not contiguous: no pairwise run at all
    t = wb.tensor(x)
    exact = x.astype(np.float64)
    assert _rel(t.sum(dim=(0, 1)).data, exact.sum(axis=(0, 1))) < BOUND
    assert _rel(t.mean(dim=(0, 1)).data, exact.mean(axis=(0, 1))) < BOUND
    assert _rel(t.sum().data, exact.sum()) < BOUND


def test_broadcast_and_linear_bias_gradients_over_a_big_batch():
    """The gradient of a broadcast bias and of Linear's bias is a column sum of the batch."""
    upstream = _data(seed=2)
    exact = upstream.astype(np.float64).sum(axis=0)
    bias = wb.tensor(np.zeros(3, dtype=np.float32), requires_grad=True)
    (wb.tensor(np.zeros((ROWS, 3), dtype=np.float32)) + bias).backward(wb.tensor(upstream))
    assert _rel(bias.grad.data, exact) < BOUND
    layer = wb.nn.Linear(4, 3)
    layer(wb.tensor(np.ones((ROWS, 4), dtype=np.float32))).backward(wb.tensor(upstream))
    assert _rel(layer.bias.grad.data, exact) < BOUND


def test_batchnorm1d_statistics_over_a_big_batch():
    x = _data()
    exact = x.astype(np.float64)
    bn = wb.nn.BatchNorm1d(3, momentum=1.0)   # running stats = this batch's statistics
    bn(wb.tensor(x))
    assert _rel(bn.running_mean.data, exact.mean(axis=0)) < BOUND
    assert _rel(bn.running_var.data, exact.var(axis=0, ddof=1)) < BOUND


def test_float16_means_accumulate_wide():
    x = _data((4096,)).astype(np.float16)
    exact = x.astype(np.float64).mean()
    assert abs(float(wb.tensor(x).mean().data) - exact) <= float(np.spacing(np.float16(exact)))


@pytest.mark.parametrize("shape, axis", [((7, 5), 0), ((7, 5), 1), ((7, 5), None),
                                        ((3, 4, 5), (0, 2)), ((6,), -1), ((0, 4), 0)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
def test_accurate_sum_changes_nothing_for_short_runs_and_other_dtypes(shape, axis, dtype):
    """Below NAIVE_SUM_LIMIT (and for float64 / integers) it is NumPy's sum bit for bit."""
    a = (np.arange(np.prod(shape)).reshape(shape) * 1.37).astype(dtype)
    for keepdims in (False, True):
        got = backend.accurate_sum(a, axis=axis, keepdims=keepdims)
        want = a.sum(axis=axis, keepdims=keepdims)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)


def _var_exact(x, axes):
    return x.astype(np.float64).var(axis=axes)


def test_batchnorm2d_variance_over_large_feature_maps():
    x = _data((2, 3, 300, 300))
    bn = wb.nn.BatchNorm2d(3, momentum=1.0)
    bn(wb.tensor(x))
    exact = x.astype(np.float64).var(axis=(0, 2, 3), ddof=1)
    assert _rel(bn.running_var.data, exact) < BOUND


def test_layer_and_group_norm_over_long_rows_match_the_float64_formula():
    """x̂ = (x − mean)/sqrt(var + eps): with var off by δ, x̂ is off by δ/2 relative."""
    x = _data((2, 180_000))
    exact = x.astype(np.float64)
    want = (exact - exact.mean(axis=1, keepdims=True)) / np.sqrt(
        exact.var(axis=1, keepdims=True) + 1e-5)
    ln = wb.nn.LayerNorm(180_000, elementwise_affine=False)(wb.tensor(x)).data
    gn = wb.nn.GroupNorm(1, 1, affine=False)(wb.tensor(x.reshape(2, 1, 180_000))).data
    scale = np.max(np.abs(want))
    assert np.max(np.abs(ln - want)) / scale < BOUND
    assert np.max(np.abs(gn.reshape(2, -1) - want)) / scale < BOUND


def test_layernorm_parameter_gradients_over_many_rows():
    x = _data((ROWS, 3), seed=3)
    g = _data((ROWS, 3), seed=4)
    ln = wb.nn.LayerNorm(3)
    ln(wb.tensor(x)).backward(wb.tensor(g))
    xd = x.astype(np.float64)
    xhat = (xd - xd.mean(1, keepdims=True)) / np.sqrt(xd.var(1, keepdims=True) + 1e-5)
    gd = g.astype(np.float64)
    assert _rel(ln.bias.grad.data, gd.sum(0)) < BOUND
    # Σ g·x̂ per feature: relative to Σ |g·x̂| (the signed sum nearly cancels)
    err = np.abs(ln.weight.grad.data - (gd * xhat).sum(0)) / np.abs(gd * xhat).sum(0)
    assert np.max(err) < BOUND


def test_rnn_bias_gradients_over_many_steps():
    """The bias gradients of a recurrent layer sum the gate gradients over T·B rows."""
    rng = np.random.default_rng(5)
    T, B = 1000, 32                # 32,000 rows; small inputs: gate gradients ≈ 1, all positive
    x = (0.1 * rng.standard_normal((T, B, 2))).astype(np.float32)
    rnn = wb.nn.RNN(2, 3)
    ref = torch.nn.RNN(2, 3).double()
    with torch.no_grad():
        for name, p in ref.named_parameters():
            p.copy_(torch.from_numpy(getattr(rnn, name).data.astype(np.float64)))
    out, _ = rnn(wb.tensor(x))
    out.sum().backward()
    out_t, _ = ref(torch.from_numpy(x.astype(np.float64)))
    out_t.sum().backward()
    exact = ref.bias_ih_l0.grad.numpy()
    assert _rel(rnn.bias_ih_l0.grad.data, exact) < BOUND
