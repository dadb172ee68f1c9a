"""Threshold-free metrics of scores: ROC curve and AUC, precision-recall curve, average precision.

Sort the scores in decreasing order; at each distinct score s (a threshold) count the true and
false positives among the samples with score ≥ s (cumulative sums of y and 1 − y, taken at the
last index of each run of tied scores — so tied scores enter together, as one diagonal step):

    TPR(s) = TP(s) / P      FPR(s) = FP(s) / N      precision(s) = TP(s) / (TP(s) + FP(s))

AUC = ∫ TPR d(FPR) by the trapezoidal rule = P(score of a random positive > score of a random
negative) + ½ P(tie). Average precision AP = Σ_n (R_n − R_{n−1}) P_n (a step integral, no
interpolation). Cost: one O(n log n) sort, then O(n) vectorised passes.
"""

from __future__ import annotations

import warnings
from itertools import combinations

import numpy as np

from ..validation import (
    UndefinedMetricWarning,
    _as_1d,
    check_consistent_length,
    type_of_target,
    weights_or_none,
)

__all__ = [
    "auc",
    "average_precision_score",
    "precision_recall_curve",
    "roc_auc_score",
    "roc_curve",
]


def auc(x, y):
    """Area under the curve through the points (x, y) by the trapezoidal rule.

    ``x`` must be monotonic (increasing or decreasing); shapes (n,), n ≥ 2.
    """
    x = _as_1d(x, "x").astype(np.float64)
    y = _as_1d(y, "y").astype(np.float64)
    check_consistent_length(x=x, y=y)
    if x.shape[0] < 2:
        raise ValueError(
            f"At least 2 points are needed to compute area under curve, but x.shape = {x.shape}")
    direction = 1
    dx = np.diff(x)
    if np.any(dx < 0):
        if np.all(dx <= 0):
            direction = -1
        else:
            raise ValueError(f"x is neither increasing nor decreasing : {x}.")
    return float(direction * np.sum(dx * (y[1:] + y[:-1]) / 2.0))


def _check_pos_label(pos_label, y_true):
    if pos_label is not None:
        return pos_label
    classes = np.unique(y_true)
    ok = classes.dtype.kind not in "OUS" and len(classes) <= 2 and any(
        len(classes) == len(ref) and np.all(classes == ref)
        for ref in ([0, 1], [-1, 1], [0], [-1], [1]))
    if not ok:
        shown = ", ".join(repr(c) for c in classes.tolist())
        raise ValueError(
            f"y_true takes value in {{{shown}}} and pos_label is not specified: either make "
            "y_true take value in {0, 1} or {-1, 1} or pass pos_label explicitly.")
    return 1


def _binary_clf_curve(y_true, y_score, pos_label=None, sample_weight=None):
    """False and true positive counts at each distinct score, thresholds decreasing."""
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score)
    check_consistent_length(y_true=y_true, y_score=y_score, sample_weight=sample_weight)
    y_type = type_of_target(y_true, "y_true")
    if not (y_type == "binary" or (y_type == "multiclass" and pos_label is not None)):
        raise ValueError(f"{y_type} format is not supported")
    y_true = _as_1d(y_true, "y_true")
    y_score = _as_1d(y_score, "y_score")
    if y_score.dtype.kind not in "biuf":
        raise ValueError(f"y_score must be numeric, got dtype {y_score.dtype}")
    y_score = y_score.astype(np.float64, copy=False)
    if not np.isfinite(y_score).all():
        raise ValueError("Input y_score contains NaN or infinity.")
    pos_label = _check_pos_label(pos_label, y_true)
    y_pos = y_true == pos_label
    w = weights_or_none(sample_weight, len(y_true))
    if w is not None:
        w = w.astype(np.float64)
        if not np.isfinite(w).all() or (w < 0).any():
            raise ValueError("sample_weight must be finite and non-negative")
        nz = w != 0
        y_pos, y_score, w = y_pos[nz], y_score[nz], w[nz]
    # within a tie the order is irrelevant: only the counts at each run's end are used
    order = np.argsort(-y_score)
    y_score = y_score[order]
    y_pos = y_pos[order]
    ends = np.flatnonzero(np.diff(y_score))
    ends = np.append(ends, y_pos.size - 1)
    if w is None:
        tps = np.cumsum(y_pos, dtype=np.float64)[ends]
        fps = 1.0 + ends - tps
    else:
        w = w[order]
        tps = np.cumsum(y_pos * w)[ends]
        fps = np.cumsum(~y_pos * w)[ends]
    return fps, tps, y_score[ends]


def roc_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=True):
    """ROC curve: false positive rate and true positive rate as the threshold decreases.

    Returns ``(fpr, tpr, thresholds)``, each (m,), starting at (0, 0) with threshold +inf.
    ``drop_intermediate`` removes points collinear with their neighbours (they do not change
    the curve or its area). With no negatives (positives) in ``y_true`` the fpr (tpr) is NaN
    and an ``UndefinedMetricWarning`` is emitted.
    """
    fps, tps, thresholds = _binary_clf_curve(y_true, y_score, pos_label, sample_weight)
    if drop_intermediate and fps.shape[0] > 2:
        keep = np.concatenate(
            [[True], np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), [True]])
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    tps = np.concatenate([[0.0], tps])
    fps = np.concatenate([[0.0], fps])
    thresholds = np.concatenate([[np.inf], thresholds])
    if fps[-1] <= 0:
        warnings.warn("No negative samples in y_true, false positive value should be "
                      "meaningless", UndefinedMetricWarning, stacklevel=2)
        fpr = np.full(fps.shape, np.nan)
    else:
        fpr = fps / fps[-1]
    if tps[-1] <= 0:
        warnings.warn("No positive samples in y_true, true positive value should be "
                      "meaningless", UndefinedMetricWarning, stacklevel=2)
        tpr = np.full(tps.shape, np.nan)
    else:
        tpr = tps / tps[-1]
    return fpr, tpr, thresholds


def precision_recall_curve(y_true, y_score, *, pos_label=None, sample_weight=None,
                           drop_intermediate=False):
    """Precision and recall at each threshold; the last point is (recall 0, precision 1).

    Returns ``(precision, recall, thresholds)`` with shapes (m + 1,), (m + 1,), (m,), recall
    decreasing. With no positives, recall is 1 everywhere (with a warning), as in scikit-learn.
    """
    fps, tps, thresholds = _binary_clf_curve(y_true, y_score, pos_label, sample_weight)
    if drop_intermediate and fps.shape[0] > 2:
        keep = np.concatenate(
            [[True], np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:])), [True]])
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    ps = tps + fps
    precision = np.divide(tps, ps, out=np.zeros_like(tps), where=ps != 0)
    if tps[-1] == 0:
        warnings.warn("No positive class found in y_true, recall is set to one for all "
                      "thresholds.", UserWarning, stacklevel=2)
        recall = np.ones_like(tps)
    else:
        recall = tps / tps[-1]
    return (np.concatenate([precision[::-1], [1.0]]), np.concatenate([recall[::-1], [0.0]]),
            thresholds[::-1])


def _average_binary_score(metric, y_true, y_score, average, sample_weight=None):
    """Apply a binary metric per column of indicator targets and average the results."""
    if average not in (None, "micro", "macro", "weighted", "samples"):
        raise ValueError(f"average has to be one of (None, 'micro', 'macro', 'weighted', "
                         f"'samples'), got {average!r}")
    y_type = type_of_target(y_true, "y_true")
    if y_type not in ("binary", "multilabel-indicator"):
        raise ValueError(f"{y_type} format is not supported")
    if y_type == "binary":
        return metric(y_true, y_score, sample_weight=sample_weight)
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score, dtype=np.float64)
    check_consistent_length(y_true=y_true, y_score=y_score, sample_weight=sample_weight)
    if y_true.shape != y_score.shape:
        raise ValueError(f"y_true and y_score have different shapes: {y_true.shape} vs "
                         f"{y_score.shape}")
    w = weights_or_none(sample_weight, len(y_true))
    axis, score_w, avg_w = 1, w, None
    if average == "micro":
        score_w = None if w is None else np.repeat(w, y_true.shape[1])
        y_true, y_score = y_true.ravel(), y_score.ravel()
    elif average == "weighted":
        avg_w = (y_true * (1.0 if w is None else w[:, None])).sum(axis=0)
        if np.isclose(avg_w.sum(), 0):
            return 0
    elif average == "samples":
        avg_w, score_w, axis = w, None, 0
    if y_true.ndim == 1:
        y_true, y_score = y_true[:, None], y_score[:, None]
    n = y_score.shape[axis]
    score = np.zeros(n)
    for c in range(n):
        yt = y_true[:, c] if axis == 1 else y_true[c]
        ys = y_score[:, c] if axis == 1 else y_score[c]
        score[c] = metric(yt, ys, sample_weight=score_w)
    if average is None:
        return score
    if avg_w is not None:
        score[np.asarray(avg_w) == 0] = 0
    return float(np.average(score, weights=avg_w))


def _binary_roc_auc(y_true, y_score, sample_weight=None, max_fpr=None):
    if len(np.unique(y_true)) != 2:
        warnings.warn("Only one class is present in y_true. ROC AUC score is not defined in "
                      "that case.", UndefinedMetricWarning, stacklevel=3)
        return np.nan
    fpr, tpr, _ = roc_curve(y_true, y_score, sample_weight=sample_weight)
    if max_fpr is None or max_fpr == 1:
        return auc(fpr, tpr)
    if max_fpr <= 0 or max_fpr > 1:
        raise ValueError(f"Expected max_fpr in range (0, 1], got: {max_fpr!r}")
    stop = np.searchsorted(fpr, max_fpr, "right")
    tpr = np.append(tpr[:stop], np.interp(max_fpr, fpr[stop - 1:stop + 1],
                                          tpr[stop - 1:stop + 1]))
    fpr = np.append(fpr[:stop], max_fpr)
    partial = auc(fpr, tpr)
    # McClish correction: 0.5 for a random ranking, 1 for a perfect one
    min_area, max_area = 0.5 * max_fpr ** 2, max_fpr
    return 0.5 * (1 + (partial - min_area) / (max_area - min_area))


def roc_auc_score(y_true, y_score, *, average="macro", sample_weight=None, max_fpr=None,
                  multi_class="raise", labels=None):
    """Area under the ROC curve.

    Binary: ``y_score`` (n,) scores of the greater label; ``max_fpr`` gives the McClish-
    standardised partial AUC up to that FPR. Multiclass: ``y_score`` (n, K) probabilities (rows
    sum to 1), ``multi_class="ovr"`` (each class against the rest, averaged micro/macro/
    weighted by prevalence) or ``"ovo"`` (Hand & Till 2001: mean over class pairs of the two
    one-vs-one AUCs, macro or prevalence-weighted). Multilabel (n, K) indicators: per column.
    A single class in ``y_true`` gives NaN with an ``UndefinedMetricWarning``.
    """
    y_type = type_of_target(y_true, "y_true")
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score, dtype=np.float64)
    check_consistent_length(y_true=y_true, y_score=y_score, sample_weight=sample_weight)
    if y_type == "multiclass" or (y_type == "binary" and y_score.ndim == 2
                                  and y_score.shape[1] > 2):
        if max_fpr is not None and max_fpr != 1.0:
            raise ValueError(
                "Partial AUC computation not available in multiclass setting, 'max_fpr' must be "
                f"set to `None`, received `max_fpr={max_fpr}` instead")
        if multi_class == "raise":
            raise ValueError("multi_class must be in ('ovo', 'ovr')")
        return _multiclass_roc_auc(_as_1d(y_true, "y_true"), y_score, labels, multi_class,
                                   average, sample_weight)
    if y_type == "binary":
        classes = np.unique(y_true)
        y_bin = (_as_1d(y_true, "y_true") == classes[-1]).astype(np.int64) \
            if len(classes) == 2 else np.zeros(len(y_true), dtype=np.int64)
        return _average_binary_score(
            lambda t, s, sample_weight=None: _binary_roc_auc(t, s, sample_weight, max_fpr),
            y_bin, y_score, average, sample_weight)
    return _average_binary_score(
        lambda t, s, sample_weight=None: _binary_roc_auc(t, s, sample_weight, max_fpr),
        y_true, y_score, average, sample_weight)


def _multiclass_roc_auc(y_true, y_score, labels, multi_class, average, sample_weight):
    if y_score.ndim != 2:
        raise ValueError("`y_score` needs to be of shape `(n_samples, n_classes)`, since "
                         "`y_true` contains multiple classes. "
                         f"Got `y_score.shape={y_score.shape}`.")
    if not np.allclose(1, y_score.sum(axis=1)):
        raise ValueError("Target scores need to be probabilities for multiclass roc_auc, i.e. "
                         "they should sum up to 1.0 over classes")
    options = (("micro",) if multi_class == "ovr" else ()) + ("macro", "weighted", None)
    if average not in options:
        raise ValueError(f"average must be one of {options} for multiclass problems")
    if multi_class not in ("ovo", "ovr"):
        raise ValueError(f"multi_class='{multi_class}' is not supported for multiclass ROC AUC, "
                         "multi_class must be in ('ovo', 'ovr')")
    if average is None and multi_class == "ovo":
        raise NotImplementedError("average=None is not implemented for multi_class='ovo'.")
    if labels is not None:
        labels = _as_1d(labels, "labels")
        classes = np.unique(labels)
        if len(classes) != len(labels):
            raise ValueError("Parameter 'labels' must be unique")
        if not np.array_equal(classes, labels):
            raise ValueError("Parameter 'labels' must be ordered")
        if len(classes) != y_score.shape[1]:
            raise ValueError(f"Number of given labels, {len(classes)}, not equal to the number "
                             f"of columns in 'y_score', {y_score.shape[1]}")
        if len(np.setdiff1d(y_true, classes)):
            raise ValueError("'y_true' contains labels not in parameter 'labels'")
    else:
        classes = np.unique(y_true)
        if len(classes) != y_score.shape[1]:
            raise ValueError("Number of classes in y_true not equal to the number of columns "
                             f"in 'y_score' ({len(classes)} vs {y_score.shape[1]})")
    if multi_class == "ovo":
        if sample_weight is not None:
            raise ValueError("sample_weight is not supported for multiclass one-vs-one ROC "
                             "AUC, 'sample_weight' must be None in this case.")
        y_idx = np.searchsorted(classes, y_true)
        present = np.unique(y_idx)
        scores, prevalence = [], []
        for a, b in combinations(present, 2):
            a_mask, b_mask = y_idx == a, y_idx == b
            ab = a_mask | b_mask
            prevalence.append(np.mean(ab))
            scores.append((_binary_roc_auc(a_mask[ab], y_score[ab, a])
                           + _binary_roc_auc(b_mask[ab], y_score[ab, b])) / 2)
        return float(np.average(scores, weights=prevalence if average == "weighted" else None))
    y_onehot = (y_true[:, None] == classes[None, :]).astype(np.int64)
    return _average_binary_score(_binary_roc_auc, y_onehot, y_score, average, sample_weight)


def average_precision_score(y_true, y_score, *, average="macro", pos_label=1,
                            sample_weight=None):
    """Average precision AP = Σ_n (R_n − R_{n−1}) P_n over thresholds (no interpolation).

    Binary: ``y_score`` (n,); multiclass: (n, K), one-vs-rest per class then averaged;
    multilabel: per column.
    """
    y_type = type_of_target(y_true, "y_true")
    y_true = np.asarray(y_true)
    present = np.unique(y_true)

    def binary_ap(t, s, sample_weight=None):
        precision, recall, _ = precision_recall_curve(t, s, pos_label=pos_label,
                                                      sample_weight=sample_weight)
        return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))

    if y_type == "binary":
        if len(present) == 2 and pos_label not in present:
            raise ValueError(f"pos_label={pos_label} is not a valid label. It should be one of "
                             f"{present}")
    elif y_type == "multilabel-indicator" and pos_label != 1:
        raise ValueError("Parameter pos_label is fixed to 1 for multilabel-indicator y_true. Do "
                         "not set pos_label or set pos_label to 1.")
    elif y_type == "multiclass":
        if pos_label != 1:
            raise ValueError("Parameter pos_label is fixed to 1 for multiclass y_true. Do not "
                             "set pos_label or set pos_label to 1.")
        y_true = (_as_1d(y_true, "y_true")[:, None] == present[None, :]).astype(np.int64)
        if np.shape(y_score) != y_true.shape:
            raise ValueError("`y_score` needs to be of shape `(n_samples, n_classes)`, since "
                             "`y_true` contains multiple classes. Got "
                             f"`y_score.shape={np.shape(y_score)}`.")
    return _average_binary_score(binary_ap, y_true, y_score, average, sample_weight)
