"""Losses against PyTorch (float64, values and gradients to 1e-10) and scikit-learn (0-1 loss)."""

import numpy as np
import pytest
import torch

import whiteboard as wb
import whiteboard.nn.functional as F
from tests.oracles.torch_oracle import check

RNG = np.random.default_rng(1234)


@pytest.fixture(autouse=True)
def _fresh_rng():
    """Each test draws the same numbers whatever ran before it (xdist reorders tests)."""
    global RNG
    RNG = np.random.default_rng(1234)
REDUCTIONS = ["mean", "sum", "none"]
TOL = dict(rtol=1e-10, atol=1e-12)


def randn(*shape, scale=1.0):
    return RNG.standard_normal(shape) * scale


def torch_or_wb(torch_fn, wb_fn):
    """One ``fn(lib, ...)`` that runs a formula written in torch ops on torch, ours on wb."""
    return lambda lib, *a: torch_fn(*a) if lib is torch else wb_fn(*a)


# ---------------------------------------------------------------------- regression
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
def test_mse_l1(name, reduction):
    x, y = randn(4, 5), randn(4, 5)
    y[0, 0] = x[0, 0]  # a zero residual: L1's subgradient is 0 there in both libraries
    check(lambda lib, a, b: getattr(lib.nn.functional, name)(a, b, reduction=reduction), x, y,
          **TOL)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("beta", [0.0, 0.5, 1.0, 3.0])
def test_smooth_l1(beta, reduction):
    x, y = randn(6, 3, scale=2), randn(6, 3)
    y[0, 0] = x[0, 0]
    check(lambda lib, a, b: lib.nn.functional.smooth_l1_loss(a, b, reduction=reduction,
                                                             beta=beta), x, y, **TOL)
    check(lambda lib, a, b: lib.nn.SmoothL1Loss(reduction=reduction, beta=beta)(a, b), x, y,
          **TOL)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("delta", [0.5, 1.0, 2.5])
def test_huber(delta, reduction):
    x, y = randn(6, 3, scale=2), randn(6, 3)
    check(lambda lib, a, b: lib.nn.functional.huber_loss(a, b, reduction=reduction, delta=delta),
          x, y, **TOL)
    check(lambda lib, a, b: lib.nn.HuberLoss(reduction=reduction, delta=delta)(a, b), x, y, **TOL)
    # HuberLoss(δ) = δ · SmoothL1Loss(β = δ)
    hx = F.huber_loss(wb.tensor(x), wb.tensor(y), delta=delta).item()
    sx = F.smooth_l1_loss(wb.tensor(x), wb.tensor(y), beta=delta).item()
    assert abs(hx - delta * sx) < 1e-12


# ---------------------------------------------------------------------- binary
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce(reduction):
    p = 1 / (1 + np.exp(-randn(5, 3)))
    y = RNG.uniform(size=(5, 3))
    w = RNG.uniform(0.5, 2, size=(3,))
    check(lambda lib, a, b: lib.nn.functional.binary_cross_entropy(a, b, reduction=reduction),
          p, y, **TOL)
    check(lambda lib, a, b, c: lib.nn.BCELoss(weight=c, reduction=reduction)(a, b), p, y, w,
          requires_grad=[True, True, False], **TOL)


def test_bce_log_clamped_at_minus_100():
    p = np.array([0.0, 1.0, 0.0, 1.0, 0.3])
    y = np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    out = check(lambda lib, a, b: lib.nn.functional.binary_cross_entropy(a, b, reduction="none"),
                p, y, requires_grad=[True, False], **TOL)
    np.testing.assert_allclose(out[0].numpy()[:2], [100.0, 100.0])
    check(lambda lib, a, b: lib.nn.functional.binary_cross_entropy(a + 2, b), p, y,
          expect_error=True)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits(reduction):
    x = randn(6, 4, scale=3)
    x[0] = [1000.0, -1000.0, 0.0, 700.0]
    y = RNG.uniform(size=(6, 4))
    y[0] = [0.0, 1.0, 0.5, 0.0]
    w = RNG.uniform(0.5, 2, size=(6, 1))
    pw = RNG.uniform(0.5, 3, size=(4,))
    out = check(lambda lib, a, b: lib.nn.functional.binary_cross_entropy_with_logits(
        a, b, reduction=reduction), x, y, **TOL)
    assert np.all(np.isfinite(out[0].numpy()))
    check(lambda lib, a, b, c, d: lib.nn.BCEWithLogitsLoss(weight=c, reduction=reduction,
                                                           pos_weight=d)(a, b),
          x, y, w, pw, requires_grad=[True, True, False, False], **TOL)


# ---------------------------------------------------------------------- cross-entropy
CE_CASES = [
    dict(),
    dict(label_smoothing=0.1),
    dict(weight=True),
    dict(weight=True, label_smoothing=0.25),
    dict(ignore_index=2),
    dict(ignore_index=2, weight=True, label_smoothing=0.2),
]


def _ce(lib, x, t, w, reduction, kw):
    kw = dict(kw)
    if kw.pop("weight", False):
        kw["weight"] = w
    return lib.nn.functional.cross_entropy(x, t, reduction=reduction, **kw)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kw", CE_CASES)
@pytest.mark.parametrize("shape", [(7, 4), (3, 4, 2, 3), (4,)])
def test_cross_entropy_class_indices(shape, kw, reduction):
    x = randn(*shape, scale=2)
    c = shape[1] if len(shape) > 1 else shape[0]
    tshape = shape[:1] + shape[2:] if len(shape) > 1 else ()
    t = RNG.integers(0, c, size=tshape).astype(np.int64)
    if t.ndim and t.size > 2:
        t.reshape(-1)[:2] = 2  # make sure ignore_index=2 hits
    w = RNG.uniform(0.2, 3, size=(c,))
    check(lambda lib, a, b, cw: _ce(lib, a, b, cw, reduction, kw), x, t, w,
          requires_grad=[True, False, False], **TOL)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kw", [dict(), dict(label_smoothing=0.15), dict(weight=True),
                                dict(weight=True, label_smoothing=0.3)])
@pytest.mark.parametrize("shape", [(6, 5), (2, 5, 3, 2)])
def test_cross_entropy_probability_targets(shape, kw, reduction):
    x = randn(*shape, scale=2)
    q = np.exp(randn(*shape))
    q /= q.sum(axis=1, keepdims=True)
    w = RNG.uniform(0.2, 3, size=(shape[1],))
    check(lambda lib, a, b, cw: _ce(lib, a, b, cw, reduction, kw), x, q, w,
          requires_grad=[True, True, False], **TOL)


def test_cross_entropy_extreme_logits_and_one_class_batch():
    x = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0], [0.0, 0.0, -1000.0],
                  [1000.0, 1000.0, -1000.0]])
    t = np.array([1, 1, 2, 0])
    out = check(lambda lib, a, b: lib.nn.functional.cross_entropy(a, b, reduction="none"), x, t,
                **TOL)
    np.testing.assert_allclose(out[0].numpy(), [2000.0, np.log1p(np.exp(-1.0)), 1000 + np.log(2),
                                                np.log(2)], rtol=1e-12)
    ones = np.ones(8, dtype=np.int64)
    xs = randn(8, 3)
    for kw in [dict(), dict(label_smoothing=0.1, weight=True)]:
        check(lambda lib, a, b, cw, kw=kw: _ce(lib, a, b, cw, "mean", kw), xs, ones,
              np.array([0.5, 2.0, 1.5]), requires_grad=[True, False, False], **TOL)


def test_cross_entropy_all_ignored_is_nan_like_torch():
    x, t = randn(3, 4), np.full(3, -100)
    wb_out = F.cross_entropy(wb.tensor(x), wb.tensor(t))
    th_out = torch.nn.functional.cross_entropy(torch.tensor(x), torch.tensor(t))
    assert np.isnan(wb_out.item()) and np.isnan(th_out.item())
    check(lambda lib, a, b: lib.nn.functional.cross_entropy(a, b, reduction="sum"), x, t, **TOL)


def test_cross_entropy_float32():
    x = randn(16, 10).astype(np.float32)
    t = RNG.integers(0, 10, size=16)
    check(lambda lib, a, b: lib.nn.functional.cross_entropy(a, b, label_smoothing=0.1), x, t,
          rtol=1e-5, atol=1e-6)


def test_cross_entropy_module_and_errors():
    x, t, w = randn(5, 3), np.array([0, 2, 1, 1, 0]), np.array([1.0, 2.0, 0.5])
    check(lambda lib, a, b, c: lib.nn.CrossEntropyLoss(weight=c, ignore_index=1,
                                                       label_smoothing=0.05)(a, b),
          x, t, w, requires_grad=[True, False, False], **TOL)
    check(lambda lib, a, b: lib.nn.functional.cross_entropy(a, b), x, np.array([0, 3, 1, 1, 0]),
          expect_error=True)
    check(lambda lib, a, b: lib.nn.functional.cross_entropy(a, b), x, np.array([0, 1]),
          expect_error=True)
    with pytest.raises(ValueError, match="reduction"):
        F.cross_entropy(wb.tensor(x), wb.tensor(t), reduction="avg")


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("shape", [(6, 4), (2, 4, 3, 3), (4,)])
def test_nll_loss(shape, reduction):
    x = randn(*shape)
    c = shape[1] if len(shape) > 1 else shape[0]
    t = RNG.integers(0, c, size=shape[:1] + shape[2:] if len(shape) > 1 else ())
    w = RNG.uniform(0.2, 3, size=(c,))
    check(lambda lib, a, b: lib.nn.functional.nll_loss(a, b, reduction=reduction), x, t, **TOL)
    check(lambda lib, a, b, cw: lib.nn.NLLLoss(weight=cw, ignore_index=1, reduction=reduction)(
        a, b), x, t, w, requires_grad=[True, False, False], **TOL)


# ---------------------------------------------------------------------- KL divergence
@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides:UserWarning")
@pytest.mark.parametrize("reduction", REDUCTIONS + ["batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(reduction, log_target):
    logq = np.log(np.exp(randn(5, 4)) / np.exp(randn(5, 4)).sum(1, keepdims=True))
    p = np.exp(randn(5, 4))
    p /= p.sum(1, keepdims=True)
    target = np.log(p) if log_target else p
    check(lambda lib, a, b: lib.nn.functional.kl_div(a, b, reduction=reduction,
                                                     log_target=log_target), logq, target, **TOL)
    check(lambda lib, a, b: lib.nn.KLDivLoss(reduction=reduction, log_target=log_target)(a, b),
          logq, target, **TOL)


def test_kl_div_zero_target_entries():
    logq, p = randn(4, 3), np.array([[0.0, 0.5, 0.5]] * 4)
    check(lambda lib, a, b: lib.nn.functional.kl_div(a, b, reduction="batchmean"), logq, p,
          requires_grad=[True, False], **TOL)


# ---------------------------------------------------------------------- focal loss
def _torch_focal(x, t, alpha, gamma, reduction):
    """Lin et al.'s FL = −α_t (1 − p_t)^γ log p_t, written in torch ops."""
    moved = x.movedim(1, -1) if x.ndim > 1 else x
    logpt = torch.log_softmax(moved, -1).gather(-1, t.unsqueeze(-1)).squeeze(-1)
    loss = -((1 - logpt.exp()) ** gamma) * logpt
    if alpha is not None:
        loss = loss * alpha[t]
    return {"mean": loss.mean(), "sum": loss.sum(), "none": loss}[reduction]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 5.0])
@pytest.mark.parametrize("use_alpha", [False, True])
@pytest.mark.parametrize("shape", [(8, 3), (2, 3, 2, 2)])
def test_focal_loss_multiclass(shape, use_alpha, gamma, reduction):
    x = randn(*shape, scale=2)
    t = RNG.integers(0, 3, size=shape[:1] + shape[2:])
    alpha = np.array([0.25, 0.5, 1.5])

    def fn(lib, a, b, al):
        al = al if use_alpha else None
        if lib is torch:
            return _torch_focal(a, b, al, gamma, reduction)
        return lib.nn.FocalLoss(alpha=al, gamma=gamma, reduction=reduction)(a, b)

    check(fn, x, t, alpha, requires_grad=[True, False, False], **TOL)


def test_focal_gamma_zero_is_cross_entropy():
    x, t = randn(10, 4), RNG.integers(0, 4, size=10)
    check(lambda lib, a, b: (lib.nn.functional.cross_entropy(a, b) if lib is torch else
                             F.focal_loss(a, b, gamma=0.0)), x, t, **TOL)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("alpha,gamma", [(0.25, 2.0), (-1.0, 0.0), (0.75, 1.0), (-1, 3.0)])
def test_sigmoid_focal_loss(alpha, gamma, reduction):
    x = randn(6, 3, scale=3)
    x[0] = [30.0, -30.0, 0.0]
    y = (RNG.uniform(size=(6, 3)) < 0.3).astype(float)

    def torchvision_formula(a, b):
        p = torch.sigmoid(a)
        ce = torch.nn.functional.binary_cross_entropy_with_logits(a, b, reduction="none")
        p_t = p * b + (1 - p) * (1 - b)
        loss = ce * ((1 - p_t) ** gamma)
        if alpha >= 0:
            loss = (alpha * b + (1 - alpha) * (1 - b)) * loss
        return {"mean": loss.mean(), "sum": loss.sum(), "none": loss}[reduction]

    check(torch_or_wb(torchvision_formula,
                      lambda a, b: F.sigmoid_focal_loss(a, b, alpha, gamma, reduction)),
          x, y, requires_grad=[True, False], **TOL)
    if gamma == 0 and alpha < 0:
        check(torch_or_wb(
            lambda a, b: torch.nn.functional.binary_cross_entropy_with_logits(
                a, b, reduction=reduction),
            lambda a, b: wb.nn.SigmoidFocalLoss(alpha, gamma, reduction)(a, b)),
            x, y, requires_grad=[True, False], **TOL)


# ---------------------------------------------------------------------- margin / exponential
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [1.0, 0.5])
def test_hinge_loss(reduction, margin):
    f = randn(20, scale=2)
    y = np.where(RNG.uniform(size=20) < 0.5, -1.0, 1.0)

    def formula(a, b):
        loss = torch.clamp(margin - b * a, min=0)
        return {"mean": loss.mean(), "sum": loss.sum(), "none": loss}[reduction]

    check(torch_or_wb(formula, lambda a, b: wb.nn.HingeLoss(margin, reduction)(a, b)), f, y,
          requires_grad=[True, False], **TOL)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p", [1, 2])
@pytest.mark.parametrize("margin", [1.0, 0.3])
def test_multi_margin(p, margin, reduction):
    x, t = randn(7, 4), RNG.integers(0, 4, size=7)
    w = RNG.uniform(0.5, 2, size=4)
    check(lambda lib, a, b: lib.nn.functional.multi_margin_loss(a, b, p=p, margin=margin,
                                                                reduction=reduction), x, t, **TOL)
    check(lambda lib, a, b, c: lib.nn.MultiMarginLoss(p=p, margin=margin, weight=c,
                                                      reduction=reduction)(a, b),
          x, t, w, requires_grad=[True, False, False], **TOL)
    check(lambda lib, a, b: lib.nn.functional.multi_margin_loss(a, b, p=p), x[0], t[:1], **TOL)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_exponential_loss(reduction):
    f = randn(15)
    y = np.where(RNG.uniform(size=15) < 0.5, -1.0, 1.0)

    def formula(a, b):
        loss = torch.exp(-b * a)
        return {"mean": loss.mean(), "sum": loss.sum(), "none": loss}[reduction]

    check(torch_or_wb(formula, lambda a, b: wb.nn.ExponentialLoss(reduction)(a, b)), f, y, **TOL)


def test_zero_one_loss_matches_sklearn():
    from sklearn.metrics import zero_one_loss as sk

    yt, yp = RNG.integers(0, 3, 50), RNG.integers(0, 3, 50)
    sw = RNG.uniform(size=50)
    for normalize in (True, False):
        assert abs(F.zero_one_loss(yt, yp, normalize=normalize) - sk(yt, yp, normalize=normalize)) \
            < 1e-12
        assert abs(F.zero_one_loss(yt, yp, normalize, sw) - sk(yt, yp, normalize=normalize,
                                                                sample_weight=sw)) < 1e-12
    yt2, yp2 = RNG.integers(0, 2, (30, 3)), RNG.integers(0, 2, (30, 3))
    assert abs(F.zero_one_loss(yt2, yp2) - sk(yt2, yp2)) < 1e-12
    assert F.zero_one_loss(["a", "b"], ["a", "c"]) == 0.5


def test_penalties():
    a, b = randn(3, 4), randn(5)

    def l1(lib, x, y):
        return F.l1_penalty([x, y]) if lib is wb else x.abs().sum() + y.abs().sum()

    def l2(lib, x, y):
        return F.l2_penalty([x, y]) if lib is wb else (x ** 2).sum() + (y ** 2).sum()

    check(l1, a, b, **TOL)
    check(l2, a, b, **TOL)
    with pytest.raises(ValueError, match="empty"):
        F.l2_penalty([])


def test_cross_entropy_beats_mse_on_saturated_sigmoid():
    """The notes' claim: with a sigmoid output, MSE's gradient carries σ'(z) and vanishes when the
    unit is confidently wrong; cross-entropy's gradient is σ(z) − y."""
    z = wb.tensor(np.array([-10.0]), requires_grad=True)
    y = wb.tensor(np.array([1.0]))
    F.mse_loss(wb.sigmoid(z), y).backward()
    g_mse = z.grad.item()
    z.grad = None
    F.binary_cross_entropy_with_logits(z, y).backward()
    g_ce = z.grad.item()
    s = 1 / (1 + np.exp(10.0))
    assert abs(g_ce - (s - 1)) < 1e-12
    assert abs(g_mse - 2 * (s - 1) * s * (1 - s)) < 1e-12
    assert abs(g_ce) > 1000 * abs(g_mse)


# ---------------------------------------------------------------------- gradient checks
@pytest.mark.parametrize("case", ["ce", "ce_soft", "nll", "bce", "bcel", "kl", "focal", "sfocal"])
def test_fused_backward_gradcheck(case):
    """Central differences agree with every hand-written (fused) backward pass."""
    from whiteboard.testing import gradcheck

    x = wb.tensor(randn(4, 3, 2), requires_grad=True)
    t_int = wb.tensor(np.array([[0, 2], [1, 1], [2, 0], [1, -100]]))
    w = wb.tensor(np.array([0.5, 2.0, 1.2]))
    q = np.exp(randn(4, 3, 2))
    q = wb.tensor(q / q.sum(1, keepdims=True), requires_grad=True)
    p = wb.tensor(RNG.uniform(0.05, 0.95, size=(4, 3)), requires_grad=True)
    y = wb.tensor(RNG.uniform(size=(4, 3)), requires_grad=True)
    fns = {
        "ce": lambda a: F.cross_entropy(a, t_int, weight=w, label_smoothing=0.2),
        "ce_soft": lambda a, b: F.cross_entropy(a, b, weight=w, label_smoothing=0.1),
        "nll": lambda a: F.nll_loss(a, t_int, weight=w, reduction="sum"),
        "bce": lambda a, b: F.binary_cross_entropy(a, b, reduction="none"),
        "bcel": lambda a, b: F.binary_cross_entropy_with_logits(
            a, b, pos_weight=wb.tensor(np.array([0.5, 1.0, 3.0]))),
        "kl": lambda a, b: F.kl_div(a, b, reduction="batchmean"),
        "focal": lambda a: F.focal_loss(a, t_int, alpha=w, gamma=1.5),
        "sfocal": lambda a, b: F.sigmoid_focal_loss(a, b, reduction="sum"),
    }
    args = {"ce": (x,), "ce_soft": (x, q), "nll": (x,), "bce": (p, y), "bcel": (p * 4, y),
            "kl": (x, q), "focal": (x,), "sfocal": (p * 3, y)}[case]
    args = tuple(a.detach().requires_grad_(True) if a.requires_grad else a for a in args)
    assert gradcheck(fns[case], args)


try:
    from hypothesis import given
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    given = None


@given(n=st.integers(1, 5), c=st.integers(2, 6), extra=st.lists(st.integers(1, 3), max_size=2),
       smoothing=st.sampled_from([0.0, 0.1, 0.5]), weighted=st.booleans(),
       ignore=st.booleans(), scale=st.sampled_from([1.0, 30.0, 1000.0]),
       reduction=st.sampled_from(REDUCTIONS), seed=st.integers(0, 2**16))
def test_cross_entropy_random_shapes(n, c, extra, smoothing, weighted, ignore, scale, reduction,
                                     seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, c, *extra)) * scale
    t = rng.integers(0, c, size=(n, *extra))
    if ignore:
        t.reshape(-1)[0] = 1
    kw = dict(label_smoothing=smoothing, ignore_index=1 if ignore else -100)
    if weighted:
        kw["weight"] = True
    w = rng.uniform(0.1, 2.0, size=c)
    if ignore and reduction == "mean" and np.all(t == 1):
        t.reshape(-1)[0] = 0  # keep the mean defined (all-ignored is tested separately)
    check(lambda lib, a, b, cw: _ce(lib, a, b, cw, reduction, kw), x, t, w,
          requires_grad=[True, False, False], rtol=1e-9, atol=1e-9 * scale)


def test_cross_entropy_is_nll_of_log_softmax():
    x, t = randn(6, 5, 3), RNG.integers(0, 5, size=(6, 3))
    w = np.array([1.0, 0.5, 2.0, 1.5, 0.7])
    a = wb.tensor(x, requires_grad=True)
    b = wb.tensor(x, requires_grad=True)
    ce = F.cross_entropy(a, wb.tensor(t), weight=wb.tensor(w))
    nll = F.nll_loss(F.log_softmax(b, dim=1), wb.tensor(t), weight=wb.tensor(w))
    ce.backward()
    nll.backward()
    assert abs(ce.item() - nll.item()) < 1e-12
    np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-10, atol=1e-14)
