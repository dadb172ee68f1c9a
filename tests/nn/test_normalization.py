"""Batch/layer/instance/group/local-response normalisation against torch, plus properties."""

import numpy as np
import pytest
import torch

import whiteboard as wb
from tests.oracles.torch_oracle import check
from whiteboard import nn
from whiteboard.nn import functional as F
from whiteboard.testing import gradcheck

from .layer_oracle import TOL, compare_layer

DTYPES = [np.float64, np.float32]


def tdtype(dtype):
    return getattr(torch, np.dtype(dtype).name)


def data(shape, dtype=np.float64, seed=0, loc=0.0, scale=1.0):
    rng = np.random.default_rng(seed)
    return (loc + scale * rng.standard_normal(shape)).astype(dtype)


def set_affine(tm, seed=1):
    """Non-trivial γ, β so that their gradients are tested too."""
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in tm.parameters():
            p.copy_(torch.from_numpy(rng.uniform(0.5, 1.5, tuple(p.shape))))


# ---------------------------------------------------------------------- batch norm
BN_CASES = [("BatchNorm1d", (2, 3)), ("BatchNorm1d", (9, 4)), ("BatchNorm1d", (3, 5, 7)),
            ("BatchNorm1d", (1, 2, 5)), ("BatchNorm2d", (1, 3, 2, 2)),
            ("BatchNorm2d", (4, 3, 5, 5)), ("BatchNorm2d", (7, 2, 3, 1)),
            ("BatchNorm3d", (2, 3, 2, 3, 2))]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name,shape", BN_CASES)
@pytest.mark.parametrize("momentum", [0.1, None, 0.5])
def test_batchnorm_training_steps_running_stats_and_eval_match_torch(name, shape, momentum,
                                                                      dtype):
    c = shape[1]
    tm = getattr(torch.nn, name)(c, momentum=momentum).to(tdtype(dtype))
    set_affine(tm)
    wm = getattr(nn, name)(c, momentum=momentum)
    xs = [data(shape, dtype, seed=s, loc=s - 2.0, scale=1 + s) for s in range(5)]
    compare_layer(wm, tm, xs)  # five steps: outputs, all gradients, running stats each step
    assert int(wm.num_batches_tracked.item()) == 5
    tm.eval()
    wm.eval()
    compare_layer(wm, tm, [data(shape, dtype, seed=9)], copy=False)


@pytest.mark.parametrize("affine,track", [(False, True), (True, False), (False, False)])
@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_options_match_torch(affine, track, training):
    tm = torch.nn.BatchNorm2d(3, affine=affine, track_running_stats=track, eps=1e-3).double()
    wm = nn.BatchNorm2d(3, affine=affine, track_running_stats=track, eps=1e-3)
    if affine:
        set_affine(tm)
    xs = [data((4, 3, 3, 2), seed=s, loc=1.0) for s in range(3)]
    if not training:
        tm.eval()
        wm.eval()
    compare_layer(wm, tm, xs)
    assert [n for n, _ in wm.named_buffers()] == [n for n, _ in tm.named_buffers()]
    assert list(wm.state_dict()) == list(tm.state_dict())
    assert repr(wm) == repr(tm)


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("shape", [(5, 3), (2, 3, 4), (3, 3, 2, 5)])
def test_functional_batch_norm_matches_torch(training, shape):
    x, w, b = data(shape, seed=2, loc=3.0), data(3, seed=3), data(3, seed=4)
    rm, rv = data(3, seed=5), np.abs(data(3, seed=6)) + 0.5

    def fn(lib, x, w, b):
        mean, var = lib.tensor(rm.copy()), lib.tensor(rv.copy())
        out = lib.nn.functional.batch_norm(x, mean, var, w, b, training=training, momentum=0.3,
                                           eps=1e-4)
        return out, mean, var  # the updated running statistics are compared too

    check(fn, x, w, b, rtol=1e-10, atol=1e-12)
    check(lambda lib, x: lib.nn.functional.batch_norm(x, None, None, training=True), x)


def test_batchnorm_backward_is_the_compact_closed_form_and_the_notes_staged_backward():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((6, 4)) * 3 + 1
    gamma, beta = rng.uniform(0.5, 2, 4), rng.standard_normal(4)
    g = rng.standard_normal((6, 4))
    eps = 1e-5
    xt, wt, bt = (wb.tensor(a, requires_grad=True) for a in (x, gamma, beta))
    F.batch_norm(xt, None, None, wt, bt, training=True, eps=eps).backward(wb.tensor(g))

    mu, var = x.mean(0), x.var(0)
    sigma = np.sqrt(var + eps)
    xhat = (x - mu) / sigma
    compact = gamma / sigma * (g - g.mean(0) - xhat * (g * xhat).mean(0))
    np.testing.assert_allclose(xt.grad.numpy(), compact, rtol=1e-12, atol=1e-14)

    # note 002's staged backward (with its comment syntax fixed; ERRATA E55)
    n = x.shape[0]
    xmu = x - mu
    sqrtvar = np.sqrt(var + eps)
    ivar = 1.0 / sqrtvar
    dbeta, dgamma = g.sum(0), (g * xhat).sum(0)
    dxhat = g * gamma
    divar = (dxhat * xmu).sum(0)
    dxmu1 = dxhat * ivar
    dvar = 0.5 / np.sqrt(var + eps) * (-1.0 / sqrtvar**2 * divar)
    dxmu2 = 2 * xmu * np.ones_like(x) * dvar / n
    dmu = -(dxmu1 + dxmu2).sum(0)
    staged = dxmu1 + dxmu2 + np.ones_like(x) * dmu / n
    np.testing.assert_allclose(xt.grad.numpy(), staged, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(wt.grad.numpy(), dgamma, rtol=1e-12)
    np.testing.assert_allclose(bt.grad.numpy(), dbeta, rtol=1e-12)


def test_running_variance_is_unbiased_and_normalisation_biased():
    """momentum=1 stores the last batch's statistics: the variance is ×n/(n−1) (ERRATA E9)."""
    x = data((8, 1), seed=8)
    m = nn.BatchNorm1d(1, momentum=1.0).double()
    y = m(wb.tensor(x)).numpy()
    np.testing.assert_allclose(m.running_var.numpy(), x.var(0, ddof=1), rtol=1e-12)
    np.testing.assert_allclose(y, (x - x.mean()) / np.sqrt(x.var() + 1e-5), rtol=1e-12)
    np.testing.assert_allclose(y.mean(), 0, atol=1e-15)


def test_momentum_none_is_the_cumulative_average():
    m = nn.BatchNorm1d(2, momentum=None).double()
    batches = [data((5, 2), seed=s, loc=s) for s in range(4)]
    for x in batches:
        m(wb.tensor(x))
    np.testing.assert_allclose(m.running_mean.numpy(), np.mean([b.mean(0) for b in batches], 0),
                               rtol=1e-12)
    np.testing.assert_allclose(m.running_var.numpy(),
                               np.mean([b.var(0, ddof=1) for b in batches], 0), rtol=1e-12)


def test_batchnorm_errors():
    m = nn.BatchNorm1d(3)
    with pytest.raises(ValueError, match=r"Expected more than 1 value per channel when training, "
                                         r"got input size \(1, 3\)"):
        m(wb.randn(1, 3))
    check(lambda lib, x: lib.nn.BatchNorm1d(3)(x), data((1, 3)), expect_error=True)
    check(lambda lib, x: lib.nn.BatchNorm2d(3)(x), data((1, 3, 1, 1)), expect_error=True)
    m.eval()
    assert m(wb.randn(1, 3)).shape == (1, 3)  # eval uses running statistics: batch 1 is fine
    with pytest.raises(ValueError, match=r"BatchNorm2d expected 3 channels, got 4 \(input shape "
                                         r"\(2, 4, 5, 5\)\)"):
        nn.BatchNorm2d(3)(wb.randn(2, 4, 5, 5))
    with pytest.raises(ValueError, match=r"BatchNorm2d: expected 4D input \(got 3D input"):
        nn.BatchNorm2d(3)(wb.randn(2, 3, 5))
    check(lambda lib, x: lib.nn.BatchNorm2d(3)(x), data((2, 4, 3, 3)), expect_error=True)


def test_batchnorm_eval_backward_uses_constant_statistics():
    x = data((4, 3), seed=10)
    rm, rv = data(3, seed=11), np.array([0.5, 1.0, 2.0])
    xt = wb.tensor(x, requires_grad=True)
    F.batch_norm(xt, wb.tensor(rm), wb.tensor(rv), training=False).sum().backward()
    np.testing.assert_allclose(xt.grad.numpy(), np.broadcast_to(1 / np.sqrt(rv + 1e-5), x.shape))


# ---------------------------------------------------------------------- layer norm
LN_CASES = [((4, 5), 5), ((1, 6), (6,)), ((2, 3, 4), (3, 4)), ((2, 3, 4, 5), (3, 4, 5)),
            ((3, 7), 7), ((5,), 5)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape,normalized", LN_CASES)
@pytest.mark.parametrize("affine,bias", [(True, True), (True, False), (False, True)])
def test_layernorm_matches_torch(shape, normalized, affine, bias, dtype):
    tm = torch.nn.LayerNorm(normalized, elementwise_affine=affine, bias=bias).to(tdtype(dtype))
    set_affine(tm)
    wm = nn.LayerNorm(normalized, elementwise_affine=affine, bias=bias)
    compare_layer(wm, tm, data(shape, dtype, seed=12, loc=2.0, scale=3.0))
    assert repr(wm) == repr(tm)


def test_layernorm_shape_error():
    with pytest.raises(ValueError, match=r"expected input with shape \[\*, 5\], but got input of "
                                         r"size \[2, 3\]"):
        nn.LayerNorm(5)(wb.randn(2, 3))
    check(lambda lib, x: lib.nn.functional.layer_norm(x, (5,)), data((2, 3)), expect_error=True)


# ---------------------------------------------------------------------- group norm
GN_CASES = [(1, (2, 4, 3, 3)), (2, (2, 4, 3, 3)), (4, (1, 4, 2, 5)), (3, (3, 6, 5)),
            (2, (5, 6)), (1, (1, 3, 1, 1, 2))]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("groups,shape", GN_CASES)
@pytest.mark.parametrize("affine", [True, False])
def test_groupnorm_matches_torch(groups, shape, affine, dtype):
    tm = torch.nn.GroupNorm(groups, shape[1], affine=affine).to(tdtype(dtype))
    set_affine(tm)
    wm = nn.GroupNorm(groups, shape[1], affine=affine)
    compare_layer(wm, tm, data(shape, dtype, seed=13, loc=-1.0, scale=2.0))
    assert repr(wm) == repr(tm)


def test_groupnorm_groups_must_divide_channels():
    with pytest.raises(ValueError, match=r"num_channels \(32\) must be divisible by num_groups "
                                         r"\(3\)"):
        nn.GroupNorm(3, 32)
    with pytest.raises(ValueError, match=r"group_norm: num_groups=3 must divide the number of "
                                         r"channels 4 \(input shape \(2, 4, 5\)\)"):
        F.group_norm(wb.randn(2, 4, 5), 3)
    check(lambda lib, x: lib.nn.functional.group_norm(x, 3), data((2, 4, 5)), expect_error=True)
    with pytest.raises(ValueError, match="GroupNorm expected 4 channels, got 6"):
        nn.GroupNorm(2, 4)(wb.randn(2, 6, 3))


def test_groupnorm_one_group_is_layernorm_over_chw():
    x = wb.tensor(data((3, 4, 5, 2), seed=14, loc=1.0, scale=2.0))
    np.testing.assert_allclose(F.group_norm(x, 1).numpy(), F.layer_norm(x, (4, 5, 2)).numpy(),
                               rtol=1e-12, atol=1e-13)


def test_groupnorm_c_groups_is_instancenorm():
    x = wb.tensor(data((3, 4, 5, 2), seed=15, loc=1.0, scale=2.0))
    w, b = wb.tensor(data(4, seed=16)), wb.tensor(data(4, seed=17))
    np.testing.assert_allclose(F.group_norm(x, 4, w, b).numpy(),
                               F.instance_norm(x, weight=w, bias=b).numpy(), rtol=1e-12,
                               atol=1e-13)


def test_groupnorm_fixes_the_notes_snippet():
    """The correct version of note 001's snippet (ERRATA E37), written out in NumPy."""
    x = data((2, 32, 4, 4), seed=18)
    gamma, beta = data((1, 32, 1, 1), seed=19), data((1, 32, 1, 1), seed=20)
    g = 8
    xr = x.reshape(2, g, 32 // g, 4, 4)
    mean, var = xr.mean(axis=(2, 3, 4), keepdims=True), xr.var(axis=(2, 3, 4), keepdims=True)
    expected = ((xr - mean) / np.sqrt(var + 1e-5)).reshape(x.shape) * gamma + beta
    out = F.group_norm(wb.tensor(x), g, wb.tensor(gamma.ravel()), wb.tensor(beta.ravel()))
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12, atol=1e-13)


# ---------------------------------------------------------------------- instance norm
IN_CASES = [("InstanceNorm2d", (2, 3, 4, 5)), ("InstanceNorm2d", (1, 2, 3, 3)),
            ("InstanceNorm2d", (3, 4, 5)), ("InstanceNorm1d", (2, 3, 7)),
            ("InstanceNorm1d", (3, 6)), ("InstanceNorm3d", (2, 2, 3, 2, 2))]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name,shape", IN_CASES)
@pytest.mark.parametrize("affine,track", [(False, False), (True, False), (True, True),
                                          (False, True)])
def test_instancenorm_matches_torch(name, shape, affine, track, dtype):
    c = shape[0] if len(shape) == int(name[-2]) + 1 else shape[1]
    tm = getattr(torch.nn, name)(c, affine=affine, track_running_stats=track).to(tdtype(dtype))
    set_affine(tm)
    wm = getattr(nn, name)(c, affine=affine, track_running_stats=track)
    xs = [data(shape, dtype, seed=s, loc=s, scale=1 + s) for s in range(3)]
    compare_layer(wm, tm, xs)
    tm.eval()
    wm.eval()
    compare_layer(wm, tm, [data(shape, dtype, seed=7)], copy=False)
    assert repr(wm) == repr(tm)


def test_instancenorm_momentum_none_keeps_running_stats_as_torch():
    """PyTorch's InstanceNorm passes momentum 0 when it is None (no cumulative average)."""
    tm = torch.nn.InstanceNorm2d(2, momentum=None, track_running_stats=True).double()
    wm = nn.InstanceNorm2d(2, momentum=None, track_running_stats=True)
    compare_layer(wm, tm, [data((3, 2, 4, 4), seed=s, loc=s) for s in range(3)])


def test_instancenorm_defaults_as_torch():
    m = nn.InstanceNorm2d(3)
    assert not m.affine and not m.track_running_stats
    assert list(m.state_dict()) == [] and list(m.parameters()) == []


def test_instancenorm_needs_more_than_one_spatial_element():
    with pytest.raises(ValueError, match="Expected more than 1 spatial element when training"):
        nn.InstanceNorm2d(3)(wb.randn(2, 3, 1, 1))
    check(lambda lib, x: lib.nn.InstanceNorm2d(3)(x), data((2, 3, 1, 1)), expect_error=True)


# ---------------------------------------------------------------------- local response norm
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 8])
@pytest.mark.parametrize("shape", [(2, 6, 3, 3), (1, 3, 4), (2, 7, 2, 2, 2)])
def test_local_response_norm_matches_torch(size, shape, dtype):
    x = data(shape, dtype, seed=21, scale=3.0)
    tm = torch.nn.LocalResponseNorm(size, alpha=0.05, beta=0.6, k=1.5)
    wm = nn.LocalResponseNorm(size, alpha=0.05, beta=0.6, k=1.5)
    compare_layer(wm, tm, x)
    check(lambda lib, x: lib.nn.functional.local_response_norm(x, size), x, **TOL[np.dtype(dtype)])
    assert repr(wm) == repr(tm)


def test_alexnet_lrn_is_pytorchs_with_alpha_times_n():
    """AlexNet's b = a/(2 + 1e-4·Σa²)^0.75 over 5 channels = LocalResponseNorm(5, 5e-4, 0.75, 2)."""
    x = data((2, 8, 3, 3), seed=22, scale=10.0)
    c = x.shape[1]
    paper = np.empty_like(x)
    for i in range(c):
        lo, hi = max(0, i - 2), min(c - 1, i + 2)
        paper[:, i] = x[:, i] / (2 + 1e-4 * (x[:, lo:hi + 1] ** 2).sum(1)) ** 0.75
    out = nn.LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2.0)(wb.tensor(x)).numpy()
    np.testing.assert_allclose(out, paper, rtol=1e-12)


def test_local_response_norm_needs_3d_input():
    with pytest.raises(ValueError, match="expected 3D or higher dimensionality input"):
        F.local_response_norm(wb.randn(2, 3), 2)
    check(lambda lib, x: lib.nn.functional.local_response_norm(x, 2), data((2, 3)),
          expect_error=True)


# ---------------------------------------------------------------------- gradcheck
def _t(a):
    return wb.tensor(a, requires_grad=True)


def test_gradcheck_every_norm():
    x4 = data((3, 4, 2, 3), seed=23, loc=1.0, scale=2.0)
    w, b = data(4, seed=24), data(4, seed=25)
    rm, rv = wb.tensor(data(4, seed=26)), wb.tensor(np.abs(data(4, seed=27)) + 0.5)
    assert gradcheck(lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
                     (_t(x4), _t(w), _t(b)))
    assert gradcheck(lambda x, w, b: F.batch_norm(x, rm, rv, w, b, training=False),
                     (_t(x4), _t(w), _t(b)))
    assert gradcheck(lambda x: F.batch_norm(x, None, None, training=True), (_t(x4[:, :, 0, 0]),))
    assert gradcheck(lambda x, w, b: F.layer_norm(x, (2, 3), w, b),
                     (_t(x4), _t(data((2, 3), seed=28)), _t(data((2, 3), seed=29))))
    assert gradcheck(lambda x, w, b: F.group_norm(x, 2, w, b), (_t(x4), _t(w), _t(b)))
    assert gradcheck(lambda x, w, b: F.instance_norm(x, weight=w, bias=b),
                     (_t(x4), _t(w), _t(b)))
    assert gradcheck(lambda x: F.local_response_norm(x, 3, alpha=0.5, beta=0.75, k=1.0),
                     (_t(x4),))
    assert gradcheck(lambda x: F.local_response_norm(x, 4, alpha=0.5, beta=0.75, k=1.0),
                     (_t(x4),))


def test_batchnorm_state_round_trips_through_save_and_load(tmp_path):
    m = nn.BatchNorm2d(3).double()
    for s in range(3):
        m(wb.tensor(data((4, 3, 2, 2), seed=s, loc=s)))
    path = tmp_path / "bn.npz"
    wb.save(m.state_dict(), path)
    other = nn.BatchNorm2d(3).double()
    other.load_state_dict(wb.load(path))
    for (name, a), (_, b) in zip(m.state_dict().items(), other.state_dict().items()):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=name)
    assert int(other.num_batches_tracked.item()) == 3
    m.eval()
    other.eval()
    x = wb.tensor(data((2, 3, 2, 2), seed=9))
    np.testing.assert_array_equal(m(x).numpy(), other(x).numpy())


@pytest.mark.parametrize("name,args,shape", [
    ("BatchNorm2d", (3,), (2, 3, 2, 2)), ("BatchNorm1d", (3,), (4, 3)),
    ("LayerNorm", (2,), (2, 3, 2)), ("GroupNorm", (1, 3), (2, 3, 2)),
    ("InstanceNorm2d", (3,), (2, 3, 2, 2)),
])
def test_mixed_dtypes_are_a_type_error_as_in_torch(name, args, shape):
    """float64 input into a layer with float32 parameters/buffers: torch raises, so do we."""
    kwargs = {"affine": True} if name == "InstanceNorm2d" else {}
    x = data(shape)
    with pytest.raises(TypeError, match="must have the same dtype, got input float64"):
        getattr(nn, name)(*args, **kwargs)(wb.tensor(x))
    check(lambda lib, x: getattr(lib.nn, name)(*args, **kwargs)(x), x, expect_error=True)
