"""Metric-learning losses: triplet (with batch-hard online mining), cosine embedding, ranking.

These losses compare *pairs or triplets* of embeddings instead of a prediction with a label:

- ``pairwise_distance(x1, x2, p, eps) = ‖x1 − x2 + eps‖_p`` over the last axis (PyTorch adds
  ``eps`` to the difference, not to the norm, so identical vectors give ``eps·D^{1/p}``).
- Triplet margin (Schroff et al. 2015, FaceNet): ``l_i = max(d(a_i, p_i) − d(a_i, n_i) + m, 0)``;
  with ``swap=True`` (Balntas et al. 2016) ``d(a, n)`` is replaced by ``min(d(a, n), d(p, n))``.
- Batch-hard mining (Hermans et al. 2017, "In Defense of the Triplet Loss"): inside a batch every
  sample is an anchor; its hardest positive is the farthest sample with the same label, its
  hardest negative the nearest sample with another label:
  ``l_i = max(max_{j: y_j = y_i, j ≠ i} D_ij − min_{k: y_k ≠ y_i} D_ik + m, 0)``, or the soft
  margin ``softplus(·)`` without ``m``. Anchors with no positive or no negative are excluded.
- Cosine embedding: ``l_i = 1 − cos(x1_i, x2_i)`` if ``y_i = 1``, ``max(0, cos − margin)`` if
  ``y_i = −1`` (0 for any other target, as PyTorch), with
  ``cos = Σ x1·x2 / sqrt((Σ x1² + 1e-12)(Σ x2² + 1e-12))``.
- Margin ranking: ``l_i = max(0, −y_i (x1_i − x2_i) + margin)``, y = 1 means x1 should rank higher.
"""

from __future__ import annotations

import numpy as np

from ..autograd import Tensor
from ..autograd import ops
from .activation import softplus
from .loss import _Loss, _check_reduction, _reduce, _tensor
from .module import Module

__all__ = [
    "pairwise_distance", "triplet_margin_loss", "cosine_embedding_loss", "margin_ranking_loss",
    "batch_hard_triplet_loss", "TripletMarginLoss", "CosineEmbeddingLoss", "MarginRankingLoss",
    "BatchHardTripletLoss",
]

_COS_EPS = 1e-12  # PyTorch's EPSILON added to each squared magnitude in cosine_embedding_loss


def _norm_last(x, p, keepdim=False):
    """``‖x‖_p`` over the last axis; the gradient is 0 where the norm is 0 (PyTorch's choice)."""
    xp = x.xp
    d = x.data
    a = xp.abs(d)
    if p == float("inf"):
        n = a.max(axis=-1, keepdims=True)
    elif p == 0:
        n = (a != 0).sum(axis=-1, keepdims=True).astype(d.dtype)
    elif p == 1:
        n = a.sum(axis=-1, keepdims=True)
    elif p == 2:
        n = xp.sqrt((d * d).sum(axis=-1, keepdims=True))
    else:
        n = (a ** p).sum(axis=-1, keepdims=True) ** (1.0 / p)
    out = n if keepdim else n[..., 0]

    def backward(g):
        g = g if keepdim else g[..., None]
        if p == 0:
            return (xp.zeros_like(d),)
        if p == float("inf"):
            hit = a == n
            w = xp.sign(d) * hit / hit.sum(axis=-1, keepdims=True)
        elif p == 1:
            w = xp.sign(d)
        else:
            safe = xp.where(n == 0, 1, n)
            w = xp.sign(d) * a ** (p - 1) / safe ** (p - 1)
            w = xp.where(n == 0, 0, w)
        return ((g * w).astype(d.dtype, copy=False),)

    return Tensor._make(out.astype(d.dtype, copy=False), (x,), backward, "Norm")


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """``‖x1 − x2 + eps‖_p`` over the last axis (PyTorch's placement of ``eps``)."""
    x1, x2 = _tensor(x1), _tensor(x2)
    if p < 0:
        raise ValueError(f"pairwise_distance: p must be non-negative, got {p}")
    return _norm_last(x1 - x2 + eps, p, keepdim)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        reduction="mean"):
    """Triplet margin loss ``max(d(a, p) − d(a, n) + margin, 0)`` (see the module docstring).

    Shapes: ``(N, D)`` or ``(D,)`` for all three inputs (same number of dimensions); output
    ``(N,)`` / ``()`` for ``reduction='none'``, else a scalar.
    """
    _check_reduction(reduction)
    anchor, positive, negative = _tensor(anchor), _tensor(positive), _tensor(negative)
    dims = (anchor.ndim, positive.ndim, negative.ndim)
    if len(set(dims)) != 1:
        raise ValueError(
            "triplet_margin_loss: the anchor, positive, and negative tensors are expected to have "
            f"the same number of dimensions, but got: anchor {dims[0]}D, positive {dims[1]}D, "
            f"and negative {dims[2]}D inputs")
    if dims[0] not in (1, 2):
        raise ValueError(f"triplet_margin_loss: expected 1-D (D,) or 2-D (N, D) inputs, got "
                         f"anchor shape {anchor.shape}")
    d_ap = pairwise_distance(anchor, positive, p, eps)
    d_an = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_an = ops.minimum(d_an, pairwise_distance(positive, negative, p, eps))
    return _reduce(ops.clamp(margin + d_ap - d_an, min=0), reduction)


def cosine_embedding_loss(input1, input2, target, margin=0.0, reduction="mean"):
    """Cosine embedding loss (see the module docstring); ``target`` holds ±1.

    Shapes: inputs ``(N, D)`` with target ``(N,)``, or inputs ``(D,)`` with a 0-D target.
    """
    _check_reduction(reduction)
    input1, input2 = _tensor(input1), _tensor(input2)
    target = _tensor(target, input1)
    if target.ndim not in (0, 1):
        raise ValueError("cosine_embedding_loss: 0D or 1D target tensor expected, multi-target "
                         f"not supported (target shape {target.shape})")
    want = target.ndim + 1
    if input1.ndim != want or input2.ndim != want:
        raise ValueError(f"cosine_embedding_loss: {target.ndim}D target tensor expects {want}D "
                         f"input tensors, but found inputs with sizes {input1.shape} and "
                         f"{input2.shape}")
    axis = target.ndim
    prod = ops.sum(input1 * input2, dim=axis)
    mag1 = ops.sum(input1 * input1, dim=axis) + _COS_EPS
    mag2 = ops.sum(input2 * input2, dim=axis) + _COS_EPS
    cos = prod / ops.sqrt(mag1 * mag2)
    y = target.data
    zero = cos * 0.0
    loss = (ops.where(y == 1, 1.0 - cos, zero)
            + ops.where(y == -1, ops.clamp(cos - margin, min=0), zero))
    return _reduce(loss, reduction)


def margin_ranking_loss(input1, input2, target, margin=0.0, reduction="mean"):
    """Margin ranking loss ``max(0, −y (x1 − x2) + margin)``; all three of equal ndim."""
    _check_reduction(reduction)
    input1, input2 = _tensor(input1), _tensor(input2)
    target = _tensor(target, input1)
    if not input1.ndim == input2.ndim == target.ndim:
        raise ValueError("margin_ranking_loss: all input tensors should have same dimension but "
                         f"got sizes: input1 {input1.shape}, input2 {input2.shape}, "
                         f"target {target.shape}")
    return _reduce(ops.clamp(-target * (input1 - input2) + margin, min=0), reduction)


def _distance_matrix(x, squared):
    """``D_ij = ‖x_i − x_j‖`` from ``|x_i|² − 2 x_i·x_j + |x_j|²`` (one GEMM), clamped at 0.

    The square root's gradient is infinite at 0 (the diagonal, duplicates): those entries are
    set to exactly 0 with a zero gradient.
    """
    sq = ops.sum(x * x, dim=1)
    d2 = ops.unsqueeze(sq, 1) - 2.0 * ops.matmul(x, ops.transpose(x, 0, 1)) + ops.unsqueeze(sq, 0)
    d2 = ops.clamp(d2, min=0)
    if squared:
        return d2
    zero = d2.data == 0
    return ops.where(zero, d2 * 0.0, ops.sqrt(ops.where(zero, d2 * 0.0 + 1.0, d2)))


def batch_hard_triplet_loss(embeddings, labels, margin=1.0, squared=False, soft_margin=False,
                            reduction="mean"):
    """Batch-hard triplet loss (Hermans et al. 2017; see the module docstring).

    ``embeddings``: ``(N, D)``; ``labels``: ``(N,)`` integers. ``squared=True`` uses squared
    Euclidean distances; ``soft_margin=True`` uses ``softplus(d_ap − d_an)`` instead of the hinge
    (``margin`` is then unused). ``reduction='none'`` returns the losses of the valid anchors (those
    with at least one positive and one negative) in batch order; ``'mean'`` averages them (0 with
    no valid anchor).
    """
    _check_reduction(reduction)
    emb = _tensor(embeddings)
    if emb.ndim != 2:
        raise ValueError(f"batch_hard_triplet_loss: embeddings must be 2-D (N, D), got shape "
                         f"{emb.shape}")
    y = np.asarray(labels.data if isinstance(labels, Tensor) else labels)
    if y.shape != (emb.shape[0],):
        raise ValueError(f"batch_hard_triplet_loss: labels must have shape ({emb.shape[0]},) to "
                         f"match embeddings {emb.shape}, got {y.shape}")
    n = emb.shape[0]
    dist = _distance_matrix(emb, squared)
    same = y[:, None] == y[None, :]
    pos_mask = same & ~np.eye(n, dtype=bool)
    neg_mask = ~same
    valid = np.flatnonzero(pos_mask.any(axis=1) & neg_mask.any(axis=1))
    d = np.asarray(dist.data)
    hardest_pos = np.where(pos_mask, d, -np.inf).argmax(axis=1)[valid]
    hardest_neg = np.where(neg_mask, d, np.inf).argmin(axis=1)[valid]
    d_ap = ops.getitem(dist, (valid, hardest_pos))
    d_an = ops.getitem(dist, (valid, hardest_neg))
    gap = d_ap - d_an
    loss = softplus(gap) if soft_margin else ops.clamp(gap + margin, min=0)
    if reduction == "mean" and valid.size == 0:
        return ops.sum(dist) * 0.0
    return _reduce(loss, reduction)


# ---------------------------------------------------------------------- modules
class TripletMarginLoss(_Loss):
    """Module form of :func:`triplet_margin_loss`."""

    def __init__(self, margin=1.0, p=2.0, eps=1e-6, swap=False, reduction="mean"):
        super().__init__(reduction)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor, positive, negative):
        return triplet_margin_loss(anchor, positive, negative, margin=self.margin, p=self.p,
                                   eps=self.eps, swap=self.swap, reduction=self.reduction)


class CosineEmbeddingLoss(_Loss):
    """Module form of :func:`cosine_embedding_loss`."""

    def __init__(self, margin=0.0, reduction="mean"):
        super().__init__(reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return cosine_embedding_loss(input1, input2, target, self.margin, self.reduction)


class MarginRankingLoss(_Loss):
    """Module form of :func:`margin_ranking_loss`."""

    def __init__(self, margin=0.0, reduction="mean"):
        super().__init__(reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return margin_ranking_loss(input1, input2, target, self.margin, self.reduction)


class BatchHardTripletLoss(Module):
    """Module form of :func:`batch_hard_triplet_loss`."""

    def __init__(self, margin=1.0, squared=False, soft_margin=False, reduction="mean"):
        super().__init__()
        self.margin, self.squared = margin, squared
        self.soft_margin, self.reduction = soft_margin, reduction

    def forward(self, embeddings, labels):
        return batch_hard_triplet_loss(embeddings, labels, self.margin, self.squared,
                                       self.soft_margin, self.reduction)
