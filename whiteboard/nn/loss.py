"""Loss functions (functional ops and ``nn`` modules) with PyTorch's names, arguments, reductions.

Every loss maps a prediction and a target to per-element losses ``l_i`` and then reduces them:
``reduction='none'`` returns ``l`` itself, ``'sum'`` returns ``Σ l_i`` and ``'mean'`` returns
``Σ l_i / n`` — where ``n`` is the number of elements, except for the class-weighted losses
(``cross_entropy``, ``nll_loss``) whose mean divides by the summed weight of the targets (PyTorch's
weighted mean, see :func:`cross_entropy`).

Regression: ``mse_loss`` (½ is *not* included), ``l1_loss``, ``smooth_l1_loss`` (Fast R-CNN,
``beta``), ``huber_loss`` (``delta``). Classification on probabilities: ``binary_cross_entropy``,
``nll_loss`` (on log-probabilities); on logits: ``binary_cross_entropy_with_logits``,
``cross_entropy``, ``focal_loss`` / ``sigmoid_focal_loss`` (Lin et al. 2017), ``hinge_loss``,
``multi_margin_loss`` (multi-class SVM), ``exponential_loss`` (AdaBoost). Distributions:
``kl_div``. Metric: ``zero_one_loss`` (not differentiable). Penalties: ``l1_penalty``,
``l2_penalty``.

Why cross-entropy learns faster than MSE on a sigmoid output (the notes' claim, correct): with
``a = σ(z)``, the MSE loss ``½(a − y)²`` has ``∂L/∂z = (a − y)·σ'(z)``, and
``σ'(z) = a(1 − a) ≤ 1/4`` vanishes when the unit saturates — a confidently *wrong* output
(z = −10, y = 1) barely learns.
Binary cross-entropy ``−y log a − (1 − y) log(1 − a)`` has ``∂L/∂z = a − y``: the σ' factor cancels
and the gradient is largest exactly when the output is most wrong. The same holds for softmax with
cross-entropy, whose output delta is ``δ = a − y`` (the notes' ``a_k − 1`` is only the true-class
component of it — ERRATA E41; the notes' ``−Σ Y log P`` also lacks the class index — E63: it is
``−Σ_c y_c log p_c``).
"""

from __future__ import annotations

import numpy as np

from ..autograd import Tensor
from ..autograd import ops
from .module import Module

__all__ = [
    "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "binary_cross_entropy",
    "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss", "kl_div", "focal_loss",
    "sigmoid_focal_loss", "hinge_loss", "multi_margin_loss", "exponential_loss",
    "zero_one_loss", "l1_penalty", "l2_penalty",
    "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss",
    "CrossEntropyLoss", "NLLLoss", "KLDivLoss", "FocalLoss", "SigmoidFocalLoss", "HingeLoss",
    "MultiMarginLoss", "ExponentialLoss",
]

_REDUCTIONS = ("none", "mean", "sum")
_BCE_EPS = float(np.float32(1e-12))  # PyTorch's clamp of x(1 − x) in the BCE backward (a float)


# ---------------------------------------------------------------------- helpers
def _tensor(x, like=None):
    if isinstance(x, Tensor):
        return x
    if like is not None and not hasattr(x, "shape"):
        return ops._as_tensor(x, like)
    return Tensor(x)


def _check_reduction(reduction, allowed=_REDUCTIONS):
    if reduction not in allowed:
        raise ValueError(f"reduction must be one of {allowed}, got {reduction!r}")


def _reduce(loss, reduction):
    """Apply ``'none'``/``'mean'``/``'sum'`` to a tensor of per-element losses."""
    _check_reduction(reduction)
    if reduction == "mean":
        return ops.mean(loss)
    if reduction == "sum":
        return ops.sum(loss)
    return loss


def _check_ignore_index(ignore_index, name):
    """``ignore_index`` is a class index: an int (PyTorch: "must be int, not float")."""
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, (int, np.integer)):
        raise TypeError(f"{name}: ignore_index must be an int, got {ignore_index!r} "
                        f"({type(ignore_index).__name__})")


def _same_shape(input, target, name):
    if input.shape != target.shape:
        raise ValueError(
            f"{name}: target shape {target.shape} must equal input shape {input.shape}"
        )


# ---------------------------------------------------------------------- regression
def mse_loss(input, target, reduction="mean"):
    """Mean squared error ``l_i = (x_i − y_i)²`` (no ½), reduced by ``reduction``.

    Gradient ``∂l_i/∂x_i = 2(x_i − y_i)``. Squared error is what makes the loss sensitive to
    outliers (one residual of 10 costs as much as 100 residuals of 1) — a property of the L2
    *loss*, not of the L2 weight penalty (ERRATA E69).
    """
    input, target = _tensor(input), _tensor(target)
    diff = input - target
    return _reduce(diff * diff, reduction)


def l1_loss(input, target, reduction="mean"):
    """Mean absolute error ``l_i = |x_i − y_i|``; gradient ``sign(x_i − y_i)`` (0 at 0)."""
    input, target = _tensor(input), _tensor(target)
    return _reduce(ops.abs(input - target), reduction)


def smooth_l1_loss(input, target, reduction="mean", beta=1.0):
    """Smooth L1 (Fast R-CNN): quadratic near zero, linear beyond ``beta``.

    ``l_i = 0.5 d²/β`` if ``|d| < β`` else ``|d| − 0.5 β``, with ``d = x_i − y_i``; ``β = 0`` is
    the L1 loss. The gradient ``d/β`` (clipped to ±1) is bounded, so outliers cannot blow up the
    update — the reason Fast R-CNN uses it for box regression.

    One elementwise node with the derivative ``d/β`` inside and ``sign(d)`` outside, computed as
    ``0.5·d·d/β`` (square first): ``0.5/β`` would overflow for a subnormal β and turn
    ``0·inf`` into NaN, where PyTorch's values and gradients stay finite.
    """
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be non-negative, got {beta}")
    _check_reduction(reduction)
    input, target = _tensor(input), _tensor(target)
    diff = input - target
    d, xp = diff.data, diff.xp
    absd = xp.abs(d)
    inside = absd < beta
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        loss = xp.where(inside, 0.5 * d * d / beta, absd - 0.5 * beta).astype(d.dtype, copy=False)
        slope = xp.where(inside, d / beta if beta else d, xp.sign(d)).astype(d.dtype, copy=False)
    return _reduce(Tensor._make(loss, (diff,), lambda g: (g * slope,), "SmoothL1"), reduction)


def huber_loss(input, target, reduction="mean", delta=1.0):
    """Huber loss ``l_i = 0.5 d²`` if ``|d| < δ`` else ``δ(|d| − 0.5 δ)``; = δ·SmoothL1(β=δ)."""
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    input, target = _tensor(input), _tensor(target)
    diff = input - target
    absd = ops.abs(diff)
    quad = diff * diff * 0.5
    return _reduce(ops.where(absd.data < delta, quad, (absd - 0.5 * delta) * delta), reduction)


# ---------------------------------------------------------------------- binary classification
def _reduce_array(loss, reduction, count):
    """Reduce an array of per-element losses; returns (value, scale of the upstream gradient)."""
    if reduction == "none":
        return loss, None
    total = loss.sum()
    if reduction == "sum":
        return total, 1.0
    if count == 0:  # the mean of no losses is NaN, as in PyTorch
        return total * np.nan, np.nan
    return total / count, 1.0 / count


def _upstream(g, reduction, scale):
    """The upstream gradient for each element of the unreduced loss."""
    return g if reduction == "none" else g * scale


def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """Binary cross-entropy on probabilities ``x ∈ [0, 1]``.

    ``l_i = −w_i [y_i log x_i + (1 − y_i) log(1 − x_i)]`` with each log clamped at −100 (as
    PyTorch), so ``x = 0`` or ``1`` gives a finite loss. Gradient ``∂l/∂x = w (x − y) /
    max(x(1 − x), 1e-12)`` (1e-12 rounded to float32, as PyTorch); target gradient
    ``−w·logit(x)``. Prefer :func:`binary_cross_entropy_with_logits`, which is stable for any logit.
    """
    _check_reduction(reduction)
    input, target = _tensor(input), _tensor(target, input)
    _same_shape(input, target, "binary_cross_entropy")
    xp = input.xp
    x, y = input.data, target.data
    if xp.any((x < 0) | (x > 1)) or xp.any(xp.isnan(x)):
        raise ValueError("binary_cross_entropy: all elements of input should be between 0 and 1")
    w = None if weight is None else _tensor(weight).data
    with np.errstate(divide="ignore"):
        log_x = xp.maximum(xp.log(x), -100)
        log_1mx = xp.maximum(xp.log1p(-x), -100)
    loss = -(y * log_x + (1 - y) * log_1mx)
    if w is not None:
        loss = loss * w
    loss = loss.astype(x.dtype, copy=False)
    value, scale = _reduce_array(loss, reduction, loss.size)

    def backward(g):
        g = _upstream(g, reduction, scale)
        gx = gy = None
        if input.requires_grad:
            gx = g * (x - y) / xp.maximum(x * (1 - x), _BCE_EPS)
            if w is not None:
                gx = gx * w
            gx = ops.unbroadcast(xp.broadcast_to(gx, loss.shape), input.shape)
        if target.requires_grad:
            with np.errstate(divide="ignore"):
                gy = g * (xp.log1p(-x) - xp.log(x))
            if w is not None:
                gy = gy * w
            gy = ops.unbroadcast(xp.broadcast_to(gy, loss.shape), target.shape)
        return gx, gy

    return Tensor._make(xp.asarray(value, dtype=x.dtype), (input, target), backward, "BCE")


def _softplus_neg_abs(x, xp):
    """``log(1 + e^{−|x|})``, finite for every x."""
    return xp.log1p(xp.exp(-xp.abs(x)))


def _stable_sigmoid(x, xp):
    ez = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1 / (1 + ez), ez / (1 + ez))


def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean",
                                     pos_weight=None):
    """Sigmoid + binary cross-entropy in one stable op (``x`` are logits).

    With ``p = σ(x)`` and ``l_i = −w [pw·y log p + (1 − y) log(1 − p)]``, the stable form is
    ``l_i = w [(1 − y) x + (1 + (pw − 1) y)(log(1 + e^{−|x|}) + max(−x, 0))]``, which for
    ``pw = 1`` is ``max(x, 0) − x y + log(1 + e^{−|x|})``: no exp of a large positive number, so
    logits of ±1000 are fine. ``pos_weight`` (broadcast along the last axis, one per class) trades
    recall for precision on positives. Gradient: ``∂l/∂x = w [σ(x)(1 + (pw − 1) y) − pw·y]``
    (``σ(x) − y`` without weights: the σ' factor of MSE does not appear).
    """
    _check_reduction(reduction)
    input, target = _tensor(input), _tensor(target, input)
    _same_shape(input, target, "binary_cross_entropy_with_logits")
    xp = input.xp
    x, y = input.data, target.data
    w = None if weight is None else _tensor(weight).data
    pw = None if pos_weight is None else _tensor(pos_weight).data
    softplus_negx = _softplus_neg_abs(x, xp) + xp.maximum(-x, 0)
    if pw is None:
        loss = (1 - y) * x + softplus_negx
    else:
        loss = (1 - y) * x + (1 + (pw - 1) * y) * softplus_negx
    if w is not None:
        loss = loss * w
    loss = loss.astype(x.dtype, copy=False)
    value, scale = _reduce_array(loss, reduction, loss.size)

    def backward(g):
        g = _upstream(g, reduction, scale)
        gx = gy = None
        if input.requires_grad:
            s = _stable_sigmoid(x, xp)
            gx = s - y if pw is None else s * (1 + (pw - 1) * y) - pw * y
            gx = g * gx if w is None else g * gx * w
            gx = ops.unbroadcast(xp.broadcast_to(gx, loss.shape), input.shape)
        if target.requires_grad:
            gy = -x if pw is None else -x + (pw - 1) * softplus_negx
            gy = g * gy if w is None else g * gy * w
            gy = ops.unbroadcast(xp.broadcast_to(gy, loss.shape), target.shape)
        return gx, gy

    return Tensor._make(xp.asarray(value, dtype=x.dtype), (input, target), backward,
                        "BCEWithLogits")


# ---------------------------------------------------------------------- multi-class
def _log_softmax_last(x, xp):
    """``x − logsumexp(x)`` along the last axis, via the max shift (no overflow at ±1000)."""
    m = x.max(axis=-1, keepdims=True)
    m = xp.where(xp.isfinite(m), m, 0)
    shifted = x - m
    return shifted - xp.log(xp.exp(shifted).sum(axis=-1, keepdims=True))


def _class_loss(input, target, weight, ignore_index, reduction, label_smoothing, from_logits,
                name):
    """Shared core of ``cross_entropy`` (logits) and ``nll_loss`` (log-probabilities).

    The class axis is dim 1 (dim 0 for an unbatched ``(C,)`` input). Internally it is moved last;
    every element (sample, position) gets a weighted target vector ``u_c = w_c q_c`` with
    ``q = (1 − ε)·onehot(y) + ε/C`` (class indices) or ``q = (1 − ε) y + ε/C`` (probabilities);
    the loss is ``l = −Σ_c u_c log p_c`` and its logit gradient is ``p·Σ_c u_c − u`` (the fused,
    stable softmax-cross-entropy backward: for ``w = 1`` this is ``softmax(x) − q``).
    """
    _check_ignore_index(ignore_index, name)
    _check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{name}: label_smoothing must be in [0, 1], got {label_smoothing}")
    input = _tensor(input)
    target = target if isinstance(target, Tensor) else Tensor(np.asarray(target))
    xp = input.xp
    if input.dtype.kind != "f":
        raise TypeError(f"{name}: input must be floating point, got dtype {input.dtype}")
    if input.ndim == 0:
        raise ValueError(f"{name}: input must have at least 1 dimension (classes), got a scalar")
    unbatched = input.ndim == 1
    x = input.data[None] if unbatched else input.data
    t = target.data[None] if unbatched else target.data
    n_classes = x.shape[1]
    xm = xp.moveaxis(x, 1, -1)  # (N, d1, ..., C)
    logp = _log_softmax_last(xm, xp) if from_logits else xm
    w = None
    if weight is not None:
        w = _tensor(weight).data
        if w.shape != (n_classes,):
            raise ValueError(
                f"{name}: weight must have shape ({n_classes},) (one per class), got {w.shape}"
            )
    soft = t.dtype.kind == "f"
    if soft:
        if not from_logits:
            raise TypeError(f"{name}: target must hold integer class indices, got dtype {t.dtype}")
        if t.shape != x.shape:
            raise ValueError(
                f"{name}: probability targets must have the input's shape {input.shape}, got "
                f"{target.shape}"
            )
        q = xp.moveaxis(t, 1, -1)
        if label_smoothing:
            q = q * (1 - label_smoothing) + label_smoothing / n_classes
        u = q if w is None else q * w
        count = q.size // n_classes
    else:
        if t.dtype.kind not in "iu":
            raise TypeError(f"{name}: target must be integer class indices or float "
                            f"probabilities, got dtype {t.dtype}")
        expected = x.shape[:1] + x.shape[2:]
        if t.shape != expected:
            raise ValueError(
                f"{name}: expected target of shape {expected[1:] if unbatched else expected} "
                f"for input of shape {input.shape}, got {target.shape}"
            )
        valid = t != ignore_index
        bad = valid & ((t < 0) | (t >= n_classes))
        if xp.any(bad):
            raise IndexError(
                f"{name}: target {int(t[bad].reshape(-1)[0])} is out of bounds for "
                f"{n_classes} classes"
            )
        safe = xp.where(valid, t, 0)
        keep, spread = 1.0 - label_smoothing, label_smoothing / n_classes
        # sparse form of u = w·q: (1 − ε)·w_y at the target, (ε/C)·w everywhere (no one-hot)
        logp_y = xp.take_along_axis(logp, safe[..., None], axis=-1)[..., 0]
        w_y = 1.0 if w is None else w[safe]
        loss = keep * w_y * logp_y
        if label_smoothing:
            loss = loss + spread * (logp.sum(axis=-1) if w is None else (logp * w).sum(axis=-1))
        loss = xp.where(valid, -loss, 0).astype(x.dtype, copy=False)
        u_sum = keep * w_y + spread * (n_classes if w is None else w.sum())
        count = valid.sum() if w is None else (w[safe] * valid).sum()
    if soft:
        loss = -(u * logp).sum(axis=-1)
        loss = loss.astype(x.dtype, copy=False)
    if reduction == "none":
        value, scale = (loss[0] if unbatched else loss), None
    elif reduction == "sum":
        value, scale = loss.sum(), 1.0
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            value = loss.sum() / count
            scale = 1.0 / count

    def grad_input(gl):
        if soft:
            if from_logits:
                return gl[..., None] * (xp.exp(logp) * u.sum(axis=-1, keepdims=True) - u)
            return -gl[..., None] * u
        coef = xp.where(valid, gl, 0)
        if from_logits:
            grad = xp.exp(logp) * (coef * u_sum)[..., None]
            if label_smoothing:
                grad -= coef[..., None] * (spread if w is None else spread * w)
        else:
            grad = xp.zeros(logp.shape, dtype=x.dtype)
        grad = xp.ascontiguousarray(grad)  # so that the reshape below is a view
        flat = grad.reshape(-1, n_classes)
        flat[xp.arange(flat.shape[0]), safe.reshape(-1)] -= \
            xp.broadcast_to(coef * keep * w_y, safe.shape).reshape(-1)
        return grad

    def backward(g):
        if reduction == "none":
            gl = g[None] if unbatched else g
        else:
            gl = xp.broadcast_to(g * scale, loss.shape)
        gx = gt = None
        if input.requires_grad:
            gx = xp.moveaxis(grad_input(gl), -1, 1).astype(x.dtype, copy=False)
            gx = gx[0] if unbatched else gx
        if soft and target.requires_grad:
            coef = -(1 - label_smoothing) * logp if w is None else \
                -(1 - label_smoothing) * logp * w
            gt = xp.moveaxis(gl[..., None] * coef, -1, 1).astype(x.dtype, copy=False)
            gt = gt[0] if unbatched else gt
        return gx, gt

    parents = (input, target) if soft else (input,)
    out = Tensor._make(xp.asarray(value, dtype=x.dtype), parents,
                       backward if soft else (lambda g: backward(g)[:1]), name)
    return out


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean",
                  label_smoothing=0.0):
    """Softmax cross-entropy on logits (PyTorch's ``F.cross_entropy``).

    Shapes: input ``(N, C)``, ``(N, C, d1, d2, ...)`` (class axis at dim 1) or unbatched ``(C,)``;
    target either integer class indices of shape ``(N,)`` / ``(N, d1, ...)`` / ``()``, or class
    probabilities with the input's shape.

    With ``log p = x − logsumexp(x)`` (max-shifted, so logits of ±1000 are exact), smoothing ε
    and class weights w:

    * class indices: ``q = (1 − ε)·onehot(y) + ε/C`` and ``l_i = −Σ_c w_c q_c log p_c``
      (= ``(1 − ε)·(−w_y log p_y) + (ε/C)·(−Σ_c w_c log p_c)``); elements whose target equals
      ``ignore_index`` contribute nothing; ``'mean'`` divides by ``Σ_i w_{y_i}`` over the
      non-ignored elements (PyTorch's weighted mean; ``nan`` when all are ignored).
    * probabilities: the same with ``q = (1 − ε) y + ε/C``; ``'mean'`` divides by the number of
      elements ``N·d1·d2…`` (not by the weights).

    Fused backward: ``∂l/∂x_c = p_c Σ_k w_k q_k − w_c q_c`` (``softmax(x) − q`` when unweighted),
    times the reduction's ``1/normaliser``.
    """
    return _class_loss(input, target, weight, ignore_index, reduction, label_smoothing, True,
                       "cross_entropy")


def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """Negative log-likelihood on log-probabilities: ``l_i = −w_{y_i} x_{i, y_i}``.

    Same shapes, ``ignore_index`` and weighted mean as :func:`cross_entropy` (``cross_entropy(x)
    = nll_loss(log_softmax(x))``); gradient ``−w_{y_i}`` at the target entry, 0 elsewhere.
    """
    return _class_loss(input, target, weight, ignore_index, reduction, 0.0, False, "nll_loss")


def kl_div(input, target, reduction="mean", log_target=False):
    """Kullback–Leibler divergence ``KL(target ‖ model)``, ``input = log q`` (log-probabilities).

    Pointwise ``l = t (log t − x)`` (``0 log 0 = 0``), or ``l = e^t (t − x)`` when ``log_target``.
    ``reduction='batchmean'`` divides the sum by the batch size ``input.shape[0]`` and gives the
    true KL divergence per sample; ``'mean'`` divides by the number of elements (PyTorch's default,
    which is *not* the KL divergence).
    """
    _check_reduction(reduction, _REDUCTIONS + ("batchmean",))
    input, target = _tensor(input), _tensor(target, input)
    if log_target:
        loss = ops.exp(target) * (target - input)
    else:
        t = target.data
        xp = target.xp
        positive = t > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            log_t = xp.where(positive, xp.log(xp.where(positive, t, 1)), 0)
        xlogx = Tensor._make(
            xp.where(positive, t * log_t, 0).astype(t.dtype, copy=False), (target,),
            lambda g: (g * (log_t + 1),), "XLogX",
        )
        loss = xlogx - target * input
    if reduction == "batchmean":
        batch = input.shape[0] if input.ndim else 1
        return ops.sum(loss) / batch
    return _reduce(loss, reduction)


def focal_loss(input, target, alpha=None, gamma=2.0, reduction="mean", ignore_index=-100):
    """Multi-class focal loss on logits (Lin et al. 2017): ``FL = −α_t (1 − p_t)^γ log p_t``.

    ``p_t = softmax(x)_y`` is the probability of the true class; ``(1 − p_t)^γ`` down-weights easy,
    well-classified examples so that the many easy negatives of a detector do not swamp the loss.
    ``alpha`` is None (α_t = 1) or a per-class weight vector (α_t = α_y). ``γ = 0`` without alpha is
    the cross-entropy. Shapes as :func:`cross_entropy` (class indices). ``'mean'`` divides by the
    number of non-ignored elements (not by Σα).
    """
    _check_reduction(reduction)
    _check_ignore_index(ignore_index, "focal_loss")
    if gamma < 0:
        raise ValueError(f"focal_loss: gamma must be non-negative, got {gamma}")
    input = _tensor(input)
    target = target if isinstance(target, Tensor) else Tensor(np.asarray(target))
    if input.ndim < 1:
        raise ValueError("focal_loss: input must have a class axis")
    xp = input.xp
    n_classes = input.shape[1] if input.ndim > 1 else input.shape[0]
    moved = input if input.ndim == 1 else ops.permute(
        input, 0, *range(2, input.ndim), 1)
    t = target.data
    if t.dtype.kind not in "iu":
        raise TypeError(f"focal_loss: target must hold integer class indices, got {t.dtype}")
    valid = t != ignore_index
    if xp.any(valid & ((t < 0) | (t >= n_classes))):
        raise IndexError(f"focal_loss: a target is out of bounds for {n_classes} classes")
    safe = xp.where(valid, t, 0)
    logp = _log_softmax(moved)
    onehot = (safe[..., None] == xp.arange(n_classes)).astype(input.dtype)
    logpt = ops.sum(logp * Tensor._wrap(onehot), dim=-1)
    pt = ops.exp(logpt)
    loss = -logpt if gamma == 0 else -((1 - pt) ** gamma) * logpt
    if alpha is not None:
        a = _tensor(alpha).data
        if a.shape != (n_classes,):
            raise ValueError(f"focal_loss: alpha must have shape ({n_classes},), got {a.shape}")
        loss = loss * Tensor._wrap(a[safe].astype(input.dtype, copy=False))
    loss = loss * Tensor._wrap(valid.astype(input.dtype))
    if reduction == "mean":
        with np.errstate(divide="ignore", invalid="ignore"):
            return ops.sum(loss) / float(valid.sum())
    return _reduce(loss, reduction)


def _log_softmax(x):
    """Log-softmax over the last axis as one graph node; backward ``g − softmax·Σg``."""
    xp = x.xp
    out = _log_softmax_last(x.data, xp)
    return Tensor._make(
        out, (x,), lambda g: (g - xp.exp(out) * g.sum(axis=-1, keepdims=True),), "LogSoftmax"
    )


def sigmoid_focal_loss(inputs, targets, alpha=0.25, gamma=2.0, reduction="none"):
    """Binary focal loss on logits (torchvision's ``sigmoid_focal_loss``, RetinaNet).

    With ``p = σ(x)``, ``p_t = p y + (1 − p)(1 − y)`` and ``α_t = α y + (1 − α)(1 − y)``:
    ``FL = α_t (1 − p_t)^γ · BCEWithLogits(x, y)``; ``alpha < 0`` disables the α_t factor.
    ``γ = 0, alpha < 0`` is binary cross-entropy with logits. Default reduction ``'none'`` as
    torchvision.
    """
    _check_reduction(reduction)
    inputs, targets = _tensor(inputs), _tensor(targets, inputs)
    p = ops.sigmoid(inputs)
    ce = binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * ((1 - p_t) ** gamma) if gamma != 0 else ce
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return _reduce(loss, reduction)


def hinge_loss(input, target, margin=1.0, reduction="mean"):
    """Binary hinge loss (SVM): ``l_i = max(0, margin − y_i f_i)`` with ``y ∈ {−1, +1}``.

    Zero for points beyond the margin (they do not influence the solution: the support vectors
    are those with ``y f ≤ 1``); subgradient ``−y`` inside the margin. With ``λ‖w‖²`` added this is
    the soft-margin SVM objective.
    """
    input, target = _tensor(input), _tensor(target, input)
    return _reduce(ops.clamp(margin - target * input, min=0.0), reduction)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, reduction="mean"):
    """Multi-class hinge loss (Weston–Watkins / PyTorch's ``multi_margin_loss``).

    ``l_i = Σ_{j ≠ y_i} w_{y_i} max(0, margin − x_{i, y_i} + x_{i, j})^p / C`` for input
    ``(N, C)`` (or ``(C,)``) and integer targets ``(N,)``; ``p ∈ {1, 2}``.
    """
    _check_reduction(reduction)
    if p not in (1, 2):
        raise ValueError(f"multi_margin_loss: only p == 1 and p == 2 are supported, got {p}")
    input = _tensor(input)
    target = target if isinstance(target, Tensor) else Tensor(np.asarray(target))
    xp = input.xp
    unbatched = input.ndim == 1
    x = ops.unsqueeze(input, 0) if unbatched else input
    t = target.data.reshape(-1)
    if x.ndim != 2:
        raise ValueError(f"multi_margin_loss: input must be (N, C) or (C,), got {input.shape}")
    n, c = x.shape
    if t.shape != (n,):
        raise ValueError(f"multi_margin_loss: target must have shape ({n},), got {target.shape}")
    if xp.any((t < 0) | (t >= c)):
        raise IndexError(f"multi_margin_loss: a target is out of bounds for {c} classes")
    rows = xp.arange(n)
    x_y = ops.getitem(x, (rows, t))
    z = ops.clamp(margin - ops.unsqueeze(x_y, 1) + x, min=0.0)
    if p == 2:
        z = z * z
    off_target = (xp.arange(c)[None, :] != t[:, None]).astype(input.dtype)
    loss = ops.sum(z * Tensor._wrap(off_target), dim=1) / c
    if weight is not None:
        loss = loss * Tensor._wrap(_tensor(weight).data[t])
    if unbatched:
        loss = ops.reshape(loss, ())
    return _reduce(loss, reduction)


def exponential_loss(input, target, reduction="mean"):
    """AdaBoost's exponential loss ``l_i = exp(−y_i f_i)``, ``y ∈ {−1, +1}``.

    Minimising ``Σ exp(−y F(x))`` stage-wise over ``F = Σ α_m h_m`` gives AdaBoost: sample weights
    ``∝ exp(−y F)`` and ``α = ½ ln((1 − err)/err)``. Its population minimiser is half the log-odds
    ``½ log(P(y=1|x)/P(y=−1|x))``.
    """
    input, target = _tensor(input), _tensor(target, input)
    return _reduce(ops.exp(-(target * input)), reduction)


def zero_one_loss(y_true, y_pred, normalize=True, sample_weight=None):
    """0-1 loss (a metric, not differentiable): the fraction (or number) of misclassified samples.

    ``L = Σ_i s_i 1[y_i ≠ ŷ_i] / Σ_i s_i`` when ``normalize`` else ``Σ_i s_i 1[y_i ≠ ŷ_i]``
    (scikit-learn's ``zero_one_loss``). Its gradient is zero almost everywhere, which is why
    classifiers minimise a convex surrogate (log, hinge, exponential loss) instead.
    """
    yt = np.asarray(y_true.numpy() if isinstance(y_true, Tensor) else y_true)
    yp = np.asarray(y_pred.numpy() if isinstance(y_pred, Tensor) else y_pred)
    if yt.shape != yp.shape:
        raise ValueError(f"zero_one_loss: y_true shape {yt.shape} != y_pred shape {yp.shape}")
    if yt.ndim > 1:
        wrong = np.any(yt != yp, axis=tuple(range(1, yt.ndim)))
    else:
        wrong = yt != yp
    s = np.ones(len(wrong)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    total = float((wrong * s).sum())
    return total / float(s.sum()) if normalize else total


def l1_penalty(params):
    """``Σ_k ‖w_k‖₁ = Σ |w|`` over all parameters (a graph tensor; scale by λ yourself).

    Its subgradient ``λ sign(w)`` has constant size, so a weight whose data gradient is smaller
    than λ is driven to exactly 0 (sparse solutions; the MAP estimate under a Laplace prior).
    """
    params = list(params)
    if not params:
        raise ValueError("l1_penalty: got an empty parameter list")
    total = ops.sum(ops.abs(params[0]))
    for p in params[1:]:
        total = total + ops.sum(ops.abs(p))
    return total


def l2_penalty(params):
    """``Σ_k ‖w_k‖₂² = Σ w²`` over all parameters: the *squared* norm (ERRATA E3).

    The notes call the L2 penalty "the square root of the sum of squares"; that is the norm, and
    penalising it would give the gradient ``λ w/‖w‖`` (a group-lasso that can zero the whole
    vector). Ridge / weight decay penalise ``λ‖w‖²`` with gradient ``2λw``: it shrinks every weight
    proportionally and never sets one exactly to 0. SGD's ``weight_decay=λ`` adds ``λw`` to the
    gradient, i.e. corresponds to the penalty ``(λ/2)‖w‖²`` (a Gaussian prior, MAP).
    """
    params = list(params)
    if not params:
        raise ValueError("l2_penalty: got an empty parameter list")
    total = ops.sum(params[0] * params[0])
    for p in params[1:]:
        total = total + ops.sum(p * p)
    return total


# ---------------------------------------------------------------------- modules
class _Loss(Module):
    def __init__(self, reduction="mean"):
        super().__init__()
        self.reduction = reduction

    def extra_repr(self):
        return f"reduction={self.reduction!r}" if self.reduction != "mean" else ""


class _WeightedLoss(_Loss):
    def __init__(self, weight=None, reduction="mean"):
        super().__init__(reduction)
        self.register_buffer("weight", weight)


class MSELoss(_Loss):
    """Module form of :func:`mse_loss`."""

    def forward(self, input, target):
        return mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Module form of :func:`l1_loss`."""

    def forward(self, input, target):
        return l1_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """Module form of :func:`smooth_l1_loss` (``beta`` = 1.0 by default)."""

    def __init__(self, reduction="mean", beta=1.0):
        super().__init__(reduction)
        self.beta = beta

    def forward(self, input, target):
        return smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """Module form of :func:`huber_loss` (``delta`` = 1.0 by default)."""

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction)
        self.delta = delta

    def forward(self, input, target):
        return huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class BCELoss(_WeightedLoss):
    """Module form of :func:`binary_cross_entropy`."""

    def forward(self, input, target):
        return binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Module form of :func:`binary_cross_entropy_with_logits` (``weight``, ``pos_weight``)."""

    def __init__(self, weight=None, reduction="mean", pos_weight=None):
        super().__init__(reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return binary_cross_entropy_with_logits(input, target, weight=self.weight,
                                                reduction=self.reduction,
                                                pos_weight=self.pos_weight)


class CrossEntropyLoss(_WeightedLoss):
    """Module form of :func:`cross_entropy` (``weight``, ``ignore_index``, ``label_smoothing``)."""

    def __init__(self, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
        super().__init__(weight, reduction)
        _check_ignore_index(ignore_index, type(self).__name__)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                             reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_WeightedLoss):
    """Module form of :func:`nll_loss`."""

    def __init__(self, weight=None, ignore_index=-100, reduction="mean"):
        super().__init__(weight, reduction)
        _check_ignore_index(ignore_index, type(self).__name__)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                        reduction=self.reduction)


class KLDivLoss(_Loss):
    """Module form of :func:`kl_div` (``reduction='batchmean'`` gives the per-sample KL)."""

    def __init__(self, reduction="mean", log_target=False):
        super().__init__(reduction)
        self.log_target = log_target

    def forward(self, input, target):
        return kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class FocalLoss(_Loss):
    """Module form of the multi-class :func:`focal_loss` (``alpha`` per class or None)."""

    def __init__(self, alpha=None, gamma=2.0, reduction="mean", ignore_index=-100):
        super().__init__(reduction)
        self.alpha = alpha
        self.gamma = gamma
        _check_ignore_index(ignore_index, type(self).__name__)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return focal_loss(input, target, alpha=self.alpha, gamma=self.gamma,
                          reduction=self.reduction, ignore_index=self.ignore_index)


class SigmoidFocalLoss(_Loss):
    """Module form of the binary :func:`sigmoid_focal_loss` (default reduction ``'mean'``)."""

    def __init__(self, alpha=0.25, gamma=2.0, reduction="mean"):
        super().__init__(reduction)
        self.alpha = alpha
        self.gamma = gamma

    def forward(self, input, target):
        return sigmoid_focal_loss(input, target, alpha=self.alpha, gamma=self.gamma,
                                  reduction=self.reduction)


class HingeLoss(_Loss):
    """Module form of the binary :func:`hinge_loss` (targets in {−1, +1})."""

    def __init__(self, margin=1.0, reduction="mean"):
        super().__init__(reduction)
        self.margin = margin

    def forward(self, input, target):
        return hinge_loss(input, target, margin=self.margin, reduction=self.reduction)


class MultiMarginLoss(_WeightedLoss):
    """Module form of :func:`multi_margin_loss` (PyTorch's ``MultiMarginLoss``)."""

    def __init__(self, p=1, margin=1.0, weight=None, reduction="mean"):
        super().__init__(weight, reduction)
        self.p = p
        self.margin = margin

    def forward(self, input, target):
        return multi_margin_loss(input, target, p=self.p, margin=self.margin, weight=self.weight,
                                 reduction=self.reduction)


class ExponentialLoss(_Loss):
    """Module form of :func:`exponential_loss` (AdaBoost)."""

    def forward(self, input, target):
        return exponential_loss(input, target, reduction=self.reduction)
