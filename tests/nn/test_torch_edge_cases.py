"""Degenerate inputs where PyTorch has a defined answer: whiteboard gives the same one.

Each case is run through torch (the oracle) and whiteboard with the same float64 data; values are
compared with ``assert_allclose(..., equal_nan=True)`` at 1e-12, so the positions of inf/nan must
match too.
"""

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import whiteboard as wb
import whiteboard.nn.functional as F

TOL = dict(rtol=1e-12, atol=0, equal_nan=True)


def _torch(a, grad=True):
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


def _wb(a, grad=True):
    return wb.tensor(np.array(a, dtype=np.float64), requires_grad=grad)


@pytest.mark.parametrize("correction", [0, 1, 2, 3, 4, 7])
@pytest.mark.parametrize("op", ["var", "std"])
@pytest.mark.parametrize("dim", [None, 1])
def test_var_std_with_correction_at_or_beyond_n_match_torch(correction, op, dim):
    a = np.array([[1.0, 2.0, 4.0], [3.0, 3.0, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = getattr(_torch(a, False), op)(dim=dim, correction=correction).numpy()
        got = getattr(_wb(a, False), op)(dim=dim, correction=correction).data
    np.testing.assert_allclose(got, want, **TOL)
    assert not np.any(np.signbit(got[~np.isnan(got)])), "never negative, nor -0.0"


def test_var_without_degrees_of_freedom_warns_and_has_non_finite_gradient():
    x = _wb([1.0, 2.0, 4.0])
    with pytest.warns(RuntimeWarning, match="degrees of freedom"):
        v = x.var(correction=3)
    assert v.data == np.inf
    v.backward()
    # torch's own backward here is inconsistent (±inf for correction = n, finite values of the
    # wrong sign for correction > n); the honest derivative of Σ(x-x̄)²/0 is ±inf or nan.
    assert not np.any(np.isfinite(x.grad.data))


@pytest.mark.parametrize("beta", [1e-320, 5e-324, 1e-310, 1e-30, 0.0, 0.5, 1.0])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_smooth_l1_with_tiny_beta_matches_torch_values_and_gradients(beta, reduction):
    a = np.array([0.0, 1e-320, -1e-321, 2.0, -3.0, 0.25, 1e-300])
    t = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0])
    xt, xw = _torch(a), _wb(a)
    lt = TF.smooth_l1_loss(xt, _torch(t, False), beta=beta, reduction=reduction)
    lw = F.smooth_l1_loss(xw, _wb(t, False), beta=beta, reduction=reduction)
    np.testing.assert_allclose(lw.data, lt.detach().numpy(), rtol=1e-12, atol=1e-320)
    lt.sum().backward()
    lw.sum().backward()
    # The exact derivative: d/β inside (|d| < β), sign(d) outside, times 1/n for 'mean'.
    d = a - t
    with np.errstate(all="ignore"):
        exact = np.where(np.abs(d) < beta, d / beta if beta else d, np.sign(d))
    exact = exact / d.size if reduction == "mean" else exact
    np.testing.assert_allclose(xw.grad.data, exact, rtol=1e-12, atol=0)
    # torch multiplies by 1/n before dividing by β, so a subnormal d loses bits there (up to
    # ~0.5 % relative); it agrees with the exact derivative to that precision.
    np.testing.assert_allclose(xt.grad.numpy(), exact, rtol=1e-2, atol=0)


@pytest.mark.parametrize("shape", [(2, 4), (2, 4, 1), (2, 4, 1, 1), (3, 6, 1, 1)])
def test_group_norm_with_one_element_per_group_matches_torch(shape):
    # PyTorch 2.13 accepts it (no error): every value is its own mean, x̂ = 0, y = β.
    rng = np.random.default_rng(0)
    a = rng.normal(size=shape)
    groups = shape[1]
    w, b = rng.normal(size=groups), rng.normal(size=groups)
    xt, xw = _torch(a), _wb(a)
    yt = TF.group_norm(xt, groups, _torch(w), _torch(b))
    yw = F.group_norm(xw, groups, _wb(w), _wb(b))
    np.testing.assert_allclose(yw.data, yt.detach().numpy(), **TOL)
    g = rng.normal(size=shape)
    yt.backward(torch.tensor(g))
    yw.backward(wb.tensor(g))
    np.testing.assert_allclose(xw.grad.data, xt.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("cls,shape", [("BatchNorm1d", (0, 3)), ("BatchNorm1d", (0, 3, 5)),
                                       ("BatchNorm2d", (0, 3, 4, 4)),
                                       ("BatchNorm2d", (2, 3, 0, 4)),
                                       ("BatchNorm3d", (0, 3, 2, 2, 2))])
@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_on_an_empty_batch_matches_torch(cls, shape, training):
    tm, wm = getattr(torch.nn, cls)(3).double(), getattr(wb.nn, cls)(3, dtype=np.float64)
    tm.train(training)
    wm.train(training)
    xt, xw = _torch(np.zeros(shape)), _wb(np.zeros(shape))
    yt, yw = tm(xt), wm(xw)
    assert yw.shape == tuple(yt.shape)
    for name in ("running_mean", "running_var", "num_batches_tracked"):
        np.testing.assert_array_equal(getattr(wm, name).data, getattr(tm, name).numpy(),
                                      err_msg=name)
    yt.sum().backward()
    yw.sum().backward()
    np.testing.assert_array_equal(wm.weight.grad.data, tm.weight.grad.numpy())
    np.testing.assert_array_equal(wm.bias.grad.data, tm.bias.grad.numpy())
    assert xw.grad.shape == shape


def test_batchnorm_with_one_value_per_channel_still_raises_in_training_like_torch():
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        wb.nn.BatchNorm1d(3)(wb.tensor(np.zeros((1, 3), dtype=np.float32)))


# ------------------------------------------------------- extremes of empty tensors
_EMPTY_CASES = [((0,), {}), ((0,), {"dim": 0}), ((0, 3), {"dim": 1}), ((0, 3), {"dim": 0}),
                ((2, 0), {"dim": 0}), ((2, 0), {"dim": -1}), ((0, 3), {"dim": (0, 1)}),
                ((0, 3), {"dim": (1,)}), ((), {}), ((), {"dim": 0})]


def _outcome(tensor, op, kwargs):
    """('ok', shape, values) or the exception's type: the same for torch and whiteboard."""
    try:
        out = getattr(tensor, op)(**kwargs)
    except (RuntimeError, IndexError) as e:
        return (type(e).__name__,)
    out = out[0] if isinstance(out, tuple) else out
    return ("ok", tuple(out.shape), np.asarray(out.detach().numpy()).tolist())


@pytest.mark.parametrize(
    "op,shape,kwargs",
    [(op, shape, kw) for op in ["argmax", "argmin", "max", "min", "amax", "amin"]
     for shape, kw in _EMPTY_CASES
     if op in ("amax", "amin") or not isinstance(kw.get("dim"), tuple)],  # torch: one int dim
)
def test_extremes_of_empty_tensors_match_torch(op, shape, kwargs):
    """An extreme over nothing is refused as torch does: without ``dim`` an empty tensor is a
    RuntimeError (IndexError for argmax/argmin), a reduced axis of size 0 is an IndexError, and
    reducing a non-empty axis of an empty tensor gives an empty result."""
    expected = _outcome(torch.zeros(shape, dtype=torch.float64), op, kwargs)
    got = _outcome(wb.tensor(np.zeros(shape)), op, kwargs)
    assert got == expected


def test_extreme_of_empty_tensor_message_names_the_shape():
    with pytest.raises(RuntimeError, match=r"max\(\): Expected reduction dim to be spec.*\(0, 3\)"):
        wb.tensor(np.zeros((0, 3))).max()
    with pytest.raises(IndexError, match=r"amax\(\): Expected reduction dim 0 .*\(0, 3\)"):
        wb.tensor(np.zeros((0, 3))).amax(dim=0)
