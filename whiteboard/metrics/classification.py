"""Classification metrics from the confusion matrix, with scikit-learn's names and semantics.

Binary confusion matrix, rows = true class, columns = predicted class, labels in sorted order::

                 predicted 0   predicted 1
    true 0           TN            FP
    true 1           FN            TP

(The interview note 004 draws this table with FN and TN swapped and writes "TF+FP" for the
column total TP+FP; the layout above is the correct one and the one ``confusion_matrix``
returns.)

    precision = TP / (TP + FP)          recall (sensitivity, TPR) = TP / (TP + FN)
    specificity (TNR) = TN / (TN + FP)  accuracy = (TP + TN) / n
    F_beta = (1 + beta²) TP / ((1 + beta²) TP + beta² FN + FP)
           = (1 + beta²) P R / (beta² P + R)
    G-mean = (prod_k recall_k)^(1/K)    (binary: sqrt(sensitivity * specificity))
    MCC = (c s - t·p) / sqrt((s² - p·p)(s² - t·t))   (c = trace, s = n, t/p = row/column sums)

A ratio whose denominator is 0 is ill-defined: it is replaced by ``zero_division`` (0, 1 or NaN);
with ``zero_division="warn"`` the value is 0 and an ``UndefinedMetricWarning`` is emitted, as in
scikit-learn. Averages over labels: ``micro`` (pool the counts), ``macro`` (unweighted mean),
``weighted`` (mean weighted by support), ``samples`` (per-sample, multilabel only), ``binary``
(only ``pos_label``); NaN entries (``zero_division=np.nan``) are left out of averages.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ..validation import (
    UndefinedMetricWarning,
    check_consistent_length,
    check_targets,
    weights_or_none,
)

__all__ = [
    "accuracy_score",
    "balanced_accuracy_score",
    "classification_report",
    "confusion_matrix",
    "f1_score",
    "fbeta_score",
    "geometric_mean_score",
    "log_loss",
    "matthews_corrcoef",
    "multilabel_confusion_matrix",
    "precision_recall_fscore_support",
    "precision_score",
    "recall_score",
]

_AVERAGES = (None, "micro", "macro", "weighted", "samples")


def _index_in(y, labels):
    """Position of each ``y`` in ``labels`` (any order) and a mask of the found ones."""
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    pos = np.searchsorted(sorted_labels, y)
    pos_clipped = np.minimum(pos, len(labels) - 1)
    found = (pos < len(labels)) & (sorted_labels[pos_clipped] == y)
    return order[pos_clipped], found


def confusion_matrix(y_true, y_pred, *, labels=None, sample_weight=None, normalize=None):
    """Confusion matrix C with C[i, j] = (weighted) count of true label i predicted as j.

    Rows are true labels, columns predicted labels, both in the order of ``labels`` (sorted
    union of ``y_true`` and ``y_pred`` by default); for binary {0, 1} this is
    ``[[TN, FP], [FN, TP]]``. Samples whose true or predicted label is not in ``labels`` are
    ignored. ``normalize``: ``"true"`` divides each row by its sum, ``"pred"`` each column,
    ``"all"`` the whole matrix (0/0 becomes 0).

    Shapes: ``y_true``, ``y_pred`` (n,) → (n_labels, n_labels); int64 counts unless the weights
    are floats or ``normalize`` is set.
    """
    y_type, present, y_true, y_pred = check_targets(y_true, y_pred, sample_weight)
    if y_type not in ("binary", "multiclass"):
        raise ValueError(f"{y_type} is not supported")
    if normalize not in ("true", "pred", "all", None):
        raise ValueError(f"normalize must be one of {{'true', 'pred', 'all', None}}, "
                         f"got {normalize!r}")
    if labels is None:
        labels = present
    else:
        labels = np.asarray(labels)
        if labels.size == 0:
            raise ValueError("'labels' should contain at least one label.")
        if not np.isin(y_true, labels).any():
            raise ValueError("At least one label specified must be in y_true")
    w = weights_or_none(sample_weight, len(y_true))
    if w is None:
        w = np.ones(len(y_true), dtype=np.int64)
    n = len(labels)
    ti, t_ok = _index_in(y_true, labels)
    pi, p_ok = _index_in(y_pred, labels)
    keep = t_ok & p_ok
    flat = ti[keep] * n + pi[keep]
    cm = np.bincount(flat, weights=w[keep].astype(np.float64), minlength=n * n).reshape(n, n)
    if w.dtype.kind in "iub":
        cm = np.rint(cm).astype(np.int64)
    if normalize is not None:
        with np.errstate(all="ignore"):
            if normalize == "true":
                cm = cm / cm.sum(axis=1, keepdims=True)
            elif normalize == "pred":
                cm = cm / cm.sum(axis=0, keepdims=True)
            else:
                cm = cm / cm.sum()
        cm = np.nan_to_num(cm)
    if cm.shape == (1, 1):
        warnings.warn(
            "A single label was found in 'y_true' and 'y_pred'. For the confusion matrix to "
            "have the correct shape, use the 'labels' parameter to pass all known labels.",
            UserWarning, stacklevel=2,
        )
    return cm


def _count_stats(y_type, present, y_true, y_pred, sample_weight, labels, samplewise):
    """Per-label (or per-sample) tp, pred and true sums, and the total weight for TN."""
    w = weights_or_none(sample_weight, len(y_true))
    if labels is None:
        labels, n_keep = present, None
    else:
        labels = np.asarray(labels)
        n_keep = len(labels)
        labels = np.concatenate([labels, np.setdiff1d(present, labels, assume_unique=True)])
    if y_type == "multilabel-indicator":
        if n_keep is not None and (labels.shape != present.shape or
                                   np.any(labels != present)):
            if labels.max() > present.max():
                raise ValueError(f"All labels must be in [0, n labels) for multilabel targets. "
                                 f"Got {labels.max()} > {present.max()}")
            if labels.min() < 0:
                raise ValueError(f"All labels must be in [0, n labels) for multilabel targets. "
                                 f"Got {labels.min()} < 0")
        if n_keep is not None:
            y_true = y_true[:, labels[:n_keep]]
            y_pred = y_pred[:, labels[:n_keep]]
        t = (y_true != 0).astype(np.float64 if w is not None else np.int64)
        p = (y_pred != 0).astype(t.dtype)
        axis = 1 if samplewise else 0
        if w is not None and not samplewise:
            tp, ps, ts = ((m * w[:, None]).sum(axis=0) for m in (t * p, p, t))
        else:
            tp, ps, ts = (t * p).sum(axis=axis), p.sum(axis=axis), t.sum(axis=axis)
            if w is not None:
                tp, ps, ts = tp * w, ps * w, ts * w
        if w is not None and samplewise:
            total = w * y_true.shape[1]
        elif w is not None:
            total = w.sum()
        else:
            total = y_true.shape[1] if samplewise else y_true.shape[0]
        return tp, ps, ts, total
    if samplewise:
        raise ValueError("Samplewise metrics are not available outside of multilabel "
                         "classification.")
    sorted_labels = np.unique(labels)
    ti = np.searchsorted(sorted_labels, y_true)
    pi = np.searchsorted(sorted_labels, y_pred)
    k = len(sorted_labels)
    wf = None if w is None else w.astype(np.float64)
    hit = ti == pi
    tp = np.bincount(ti[hit], weights=None if wf is None else wf[hit], minlength=k)
    ps = np.bincount(pi, weights=wf, minlength=k)
    ts = np.bincount(ti, weights=wf, minlength=k)
    idx = np.searchsorted(sorted_labels, labels[:n_keep])
    total = len(y_true) if w is None else w.sum()
    return tp[idx], ps[idx], ts[idx], total


def multilabel_confusion_matrix(y_true, y_pred, *, sample_weight=None, labels=None,
                                samplewise=False):
    """One-vs-rest 2×2 matrices ``[[TN, FP], [FN, TP]]`` per label (or per sample).

    Shapes: (n,) or (n, n_labels) indicator targets → (n_labels, 2, 2).
    """
    y_type, present, y_true, y_pred = check_targets(y_true, y_pred, sample_weight)
    tp, ps, ts, total = _count_stats(y_type, present, y_true, y_pred, sample_weight, labels,
                                     samplewise)
    fp, fn = ps - tp, ts - tp
    tn = total - tp - fp - fn
    return np.stack([tn, fp, fn, tp]).T.reshape(-1, 2, 2)


def accuracy_score(y_true, y_pred, *, normalize=True, sample_weight=None):
    """Fraction (or weighted count with ``normalize=False``) of exactly right predictions.

    accuracy = (1/n) Σ_i 1[ŷ_i = y_i]; for multilabel targets a sample counts only when its
    whole label set is right (subset accuracy).
    """
    y_type, _, y_true, y_pred = check_targets(y_true, y_pred, sample_weight)
    if y_type == "multilabel-indicator":
        score = ((y_true != 0) == (y_pred != 0)).all(axis=1)
    else:
        score = y_true == y_pred
    w = weights_or_none(sample_weight, len(y_true))
    if normalize:
        return float(np.average(score, weights=w))
    return float(np.dot(score, w) if w is not None else score.sum())


def _check_zero_division(zero_division):
    if isinstance(zero_division, str):
        if zero_division == "warn":
            return 0.0
        if zero_division == "nan":
            return np.nan
    elif isinstance(zero_division, numbers.Real) and (np.isnan(zero_division)
                                                      or zero_division in (0, 1)):
        return float(zero_division)
    raise ValueError(f"zero_division must be 'warn', 0.0, 1.0 or np.nan, got {zero_division!r}")


def _warn_prf(average, modifier, msg_start, result_size):
    axis0, axis1 = ("label", "sample") if average == "samples" else ("sample", "label")
    where = "due to" if result_size == 1 else f"in {axis1}s with"
    warnings.warn(
        f"{msg_start} ill-defined and being set to 0.0 {where} no {modifier} {axis0}s. Use "
        "`zero_division` parameter to control this behavior.",
        UndefinedMetricWarning, stacklevel=4,
    )


def _prf_divide(numerator, denominator, metric, modifier, average, warn_for, zero_division):
    """numerator / denominator with 0-denominators replaced by ``zero_division`` (and a warning)."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    mask = denominator == 0
    result = numerator / np.where(mask, 1.0, denominator)
    if not mask.any():
        return result
    result[mask] = _check_zero_division(zero_division)
    if zero_division == "warn" and metric in warn_for:
        _warn_prf(average, modifier, f"{metric.capitalize()} is", len(result))
    return result


def _nanaverage(a, weights=None):
    if a.shape[0] == 0:
        return np.nan
    keep = ~np.isnan(a)
    if not keep.any():
        return np.nan
    if weights is None:
        return float(np.mean(a[keep]))
    w = np.asarray(weights, dtype=np.float64)[keep]
    if w.sum() == 0:
        return float(np.mean(a[keep]))
    return float(np.average(a[keep], weights=w))


def _set_wise_labels(y_type, present, average, labels, pos_label):
    if average not in _AVERAGES and average != "binary":
        raise ValueError(f"average has to be one of {_AVERAGES + ('binary',)}, got {average!r}")
    if average == "binary":
        if y_type == "binary":
            if pos_label not in present and len(present) >= 2:
                raise ValueError(
                    f"pos_label={pos_label!r} is not a valid label. It should be one of "
                    f"{present}"
                )
            return [pos_label]
        options = [a for a in _AVERAGES if not (a == "samples" and y_type == "multiclass")]
        raise ValueError(
            f"Target is {y_type} but average='binary'. Please choose another average setting, "
            f"one of {options!r}."
        )
    if pos_label not in (None, 1):
        warnings.warn(
            f"Note that pos_label (set to {pos_label!r}) is ignored when average != 'binary' "
            f"(got {average!r}). You may use labels=[pos_label] to specify a single positive "
            "class.", UserWarning, stacklevel=3,
        )
    return labels


def precision_recall_fscore_support(y_true, y_pred, *, beta=1.0, labels=None, pos_label=1,
                                    average=None, warn_for=("precision", "recall", "f-score"),
                                    sample_weight=None, zero_division="warn"):
    """Precision, recall, F-beta and support per label, or averaged (support is then None).

    precision_k = TP_k / (TP_k + FP_k), recall_k = TP_k / (TP_k + FN_k),
    F_beta,k = (1 + beta²) TP_k / ((1 + beta²) TP_k + beta² FN_k + FP_k), support_k = TP_k + FN_k.
    ``beta=inf`` gives recall, ``beta=0`` precision.
    """
    _check_zero_division(zero_division)
    if not (isinstance(beta, numbers.Real) and beta >= 0):
        raise ValueError(f"beta must be a non-negative real number, got {beta!r}")
    y_type, present, y_true, y_pred = check_targets(y_true, y_pred, sample_weight)
    labels = _set_wise_labels(y_type, present, average, labels, pos_label)
    samplewise = average == "samples"
    tp, pred_sum, true_sum, _ = _count_stats(y_type, present, y_true, y_pred, sample_weight,
                                             labels, samplewise)
    if average == "micro":
        tp, pred_sum, true_sum = (np.array([a.sum()]) for a in (tp, pred_sum, true_sum))
    precision = _prf_divide(tp, pred_sum, "precision", "predicted", average, warn_for,
                            zero_division)
    recall = _prf_divide(tp, true_sum, "recall", "true", average, warn_for, zero_division)
    beta2 = beta ** 2
    if np.isposinf(beta):
        f_score = recall
    elif beta == 0:
        f_score = precision
    else:
        f_score = _prf_divide((1 + beta2) * np.asarray(tp, np.float64),
                              beta2 * np.asarray(true_sum, np.float64) + pred_sum,
                              "f-score", "true nor predicted", average, warn_for, zero_division)
    if average is None:
        return precision, recall, f_score, true_sum
    if average == "weighted":
        weights = true_sum
    elif average == "samples":
        weights = sample_weight
    else:
        weights = None
    return (_nanaverage(precision, weights), _nanaverage(recall, weights),
            _nanaverage(f_score, weights), None)


def precision_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
                    sample_weight=None, zero_division="warn"):
    """Precision TP / (TP + FP): of the samples predicted positive, the fraction that are."""
    p, _, _, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("precision",), sample_weight=sample_weight, zero_division=zero_division)
    return p


def recall_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
                 sample_weight=None, zero_division="warn"):
    """Recall (sensitivity, TPR) TP / (TP + FN): of the positives, the fraction found."""
    _, r, _, _ = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, pos_label=pos_label, average=average,
        warn_for=("recall",), sample_weight=sample_weight, zero_division=zero_division)
    return r


def fbeta_score(y_true, y_pred, *, beta, labels=None, pos_label=1, average="binary",
                sample_weight=None, zero_division="warn"):
    """F-beta = (1 + beta²) P R / (beta² P + R): recall weighted beta times as much as precision."""
    _, _, f, _ = precision_recall_fscore_support(
        y_true, y_pred, beta=beta, labels=labels, pos_label=pos_label, average=average,
        warn_for=("f-score",), sample_weight=sample_weight, zero_division=zero_division)
    return f


def f1_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary",
             sample_weight=None, zero_division="warn"):
    """F1 = 2 P R / (P + R) = 2 TP / (2 TP + FP + FN), the harmonic mean of P and R."""
    return fbeta_score(y_true, y_pred, beta=1, labels=labels, pos_label=pos_label,
                       average=average, sample_weight=sample_weight,
                       zero_division=zero_division)


def classification_report(y_true, y_pred, *, labels=None, target_names=None,
                          sample_weight=None, digits=2, output_dict=False,
                          zero_division="warn"):
    """Text table (or nested dict) of precision, recall, F1 and support per label and averaged.

    Rows: one per label, then ``accuracy`` (the micro average, when every present label is
    reported), ``macro avg``, ``weighted avg`` (and ``micro avg`` / ``samples avg`` where
    accuracy does not apply), formatted exactly as scikit-learn's report.
    """
    y_type, present, y_true, y_pred = check_targets(y_true, y_pred, sample_weight)
    labels_given = labels is not None
    labels = present if labels is None else np.asarray(labels)
    micro_is_accuracy = y_type in ("multiclass", "binary") and (
        not labels_given or set(labels.tolist()) >= set(present.tolist()))
    if target_names is not None and len(labels) != len(target_names):
        if labels_given:
            warnings.warn(f"labels size, {len(labels)}, does not match size of target_names, "
                          f"{len(target_names)}", stacklevel=2)
        else:
            raise ValueError(
                f"Number of classes, {len(labels)}, does not match size of target_names, "
                f"{len(target_names)}. Try specifying the labels parameter"
            )
    if target_names is None:
        target_names = [f"{lab}" for lab in labels]
    headers = ["precision", "recall", "f1-score", "support"]
    p, r, f1, s = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, average=None, sample_weight=sample_weight,
        zero_division=zero_division)
    rows = list(zip(target_names, p, r, f1, s))
    averages = ("micro", "macro", "weighted") + (
        ("samples",) if y_type == "multilabel-indicator" else ())
    if output_dict:
        report = {row[0]: dict(zip(headers, [float(v) for v in row[1:]])) for row in rows}
    else:
        width = max(max(len(cn) for cn in target_names), len("weighted avg"), digits)
        text = ("{:>{width}s} " + " {:>9}" * len(headers)).format("", *headers, width=width)
        text += "\n\n"
        row_fmt = "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
        for row in rows:
            text += row_fmt.format(*row, width=width, digits=digits)
        text += "\n"
    for average in averages:
        heading = "accuracy" if average == "micro" and micro_is_accuracy else average + " avg"
        ap, ar, af, _ = precision_recall_fscore_support(
            y_true, y_pred, labels=labels, average=average, sample_weight=sample_weight,
            zero_division=zero_division)
        avg = [ap, ar, af, np.sum(s)]
        if output_dict:
            report[heading] = dict(zip(headers, [float(v) for v in avg]))
        elif heading == "accuracy":
            fmt = "{:>{width}s} " + " {:>9.{digits}}" * 2 + " {:>9.{digits}f}" + " {:>9}\n"
            text += fmt.format(heading, "", "", *avg[2:], width=width, digits=digits)
        else:
            text += row_fmt.format(heading, *avg, width=width, digits=digits)
    if output_dict:
        if "accuracy" in report:
            report["accuracy"] = report["accuracy"]["precision"]
        return report
    return text


def balanced_accuracy_score(y_true, y_pred, *, sample_weight=None, adjusted=False):
    """Mean per-class recall, (1/K) Σ_k TP_k / (TP_k + FN_k); ``adjusted`` maps chance to 0.

    Classes that occur only in ``y_pred`` are left out (with a warning), as in scikit-learn.
    """
    cm = confusion_matrix(y_true, y_pred, sample_weight=sample_weight)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_class = np.diag(cm) / cm.sum(axis=1)
    if np.isnan(per_class).any():
        warnings.warn("y_pred contains classes not in y_true", stacklevel=2)
        per_class = per_class[~np.isnan(per_class)]
    score = np.mean(per_class)
    if adjusted:
        chance = 1 / len(per_class)
        with np.errstate(divide="ignore", invalid="ignore"):
            score = (score - chance) / np.float64(1 - chance)
    return float(score)


def matthews_corrcoef(y_true, y_pred, *, sample_weight=None):
    """Matthews correlation coefficient (the multiclass R_K statistic; 0 when undefined).

    With C the confusion matrix, c = trace(C), s = ΣC, t = row sums, p = column sums:
    MCC = (c s − t·p) / sqrt((s² − p·p)(s² − t·t)); binary: (TP TN − FP FN) /
    sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)).
    """
    y_type, _, _, _ = check_targets(y_true, y_pred, sample_weight)
    if y_type not in ("binary", "multiclass"):
        raise ValueError(f"{y_type} is not supported")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        C = confusion_matrix(y_true, y_pred, sample_weight=sample_weight)
    t = C.sum(axis=1, dtype=np.float64)
    p = C.sum(axis=0, dtype=np.float64)
    c = np.trace(C, dtype=np.float64)
    s = p.sum()
    cov_tp = c * s - np.dot(t, p)
    cov_pp = s ** 2 - np.dot(p, p)
    cov_tt = s ** 2 - np.dot(t, t)
    if cov_pp * cov_tt == 0:
        return 0.0
    return float(cov_tp / np.sqrt(cov_pp * cov_tt))


def _sensitivity_specificity(y_true, y_pred, labels, pos_label, average, sample_weight):
    """imbalanced-learn's sensitivity and specificity (per label or averaged)."""
    if average not in _AVERAGES and average != "binary":
        raise ValueError(f"average has to be one of {_AVERAGES + ('binary',)}, got {average!r}")
    y_type, present, y_true, y_pred = check_targets(y_true, y_pred, sample_weight)
    if average == "binary":
        if y_type != "binary":
            raise ValueError(f"Target is {y_type} but average='binary'. Please choose another "
                             "average setting.")
        if pos_label not in present:
            if len(present) < 2:
                return 0.0, 0.0
            raise ValueError(f"pos_label={pos_label!r} is not a valid label: {present!r}")
        labels = [pos_label]
    elif pos_label not in (None, 1):
        warnings.warn(
            f"Note that pos_label (set to {pos_label!r}) is ignored when average != 'binary' "
            f"(got {average!r}). You may use labels=[pos_label] to specify a single positive "
            "class.", UserWarning, stacklevel=3)
    if y_type == "multilabel-indicator":
        raise ValueError("geometric_mean_score does not support multilabel targets")
    if average == "samples":
        raise ValueError("Sample-based precision, recall, fscore is not meaningful outside "
                         "multilabel classification. See the accuracy_score instead.")
    tp, pred_sum, true_sum, _ = _count_stats(y_type, present, y_true, y_pred, sample_weight,
                                             labels, False)
    # imbalanced-learn counts TN from the unweighted number of samples even with sample weights
    tn = len(y_true) - (pred_sum + true_sum - tp)
    if average == "micro":
        tp, pred_sum, true_sum, tn = (np.array([a.sum()]) for a in (tp, pred_sum, true_sum, tn))
    with np.errstate(divide="ignore", invalid="ignore"):
        spec = _prf_divide(tn, tn + pred_sum - tp, "specificity", "predicted", average,
                           ("specificity",), "warn")
        sens = _prf_divide(tp, true_sum, "sensitivity", "true", average, ("specificity",),
                           "warn")
    if average is None:
        return sens, spec
    weights = None
    if average == "weighted":
        weights = true_sum
        if weights.sum() == 0:
            return 0, 0
    return float(np.average(sens, weights=weights)), float(np.average(spec, weights=weights))


def geometric_mean_score(y_true, y_pred, *, labels=None, pos_label=1, average="multiclass",
                         sample_weight=None, correction=0.0):
    """Geometric mean of the per-class recalls (imbalanced-learn's ``geometric_mean_score``).

    ``average="multiclass"`` (default): G = (Π_k recall_k)^(1/K) over the K labels, a zero recall
    replaced by ``correction``; for two classes this is sqrt(sensitivity · specificity).
    Any other ``average`` (binary/micro/macro/weighted/None): sqrt(sensitivity · specificity)
    with each averaged separately, one-vs-rest per label. Kubat & Matwin (1997).
    """
    if average is None or average != "multiclass":
        sens, spec = _sensitivity_specificity(y_true, y_pred, labels, pos_label, average,
                                              sample_weight)
        return np.sqrt(np.asarray(sens) * np.asarray(spec)) if average is None else \
            float(np.sqrt(sens * spec))
    y_type, present, y_true, y_pred = check_targets(y_true, y_pred, sample_weight)
    if y_type == "multilabel-indicator":
        raise ValueError("geometric_mean_score does not support multilabel targets")
    tp, _, true_sum, _ = _count_stats(y_type, present, y_true, y_pred, sample_weight, labels,
                                      False)
    recall = _prf_divide(tp, true_sum, "recall", "true", None, "recall", "warn")
    recall[recall == 0] = correction
    with np.errstate(divide="ignore"):
        return float(np.exp(np.mean(np.log(recall))))


def log_loss(y_true, y_proba, *, normalize=True, sample_weight=None, labels=None):
    """Cross-entropy −(1/n) Σ_i Σ_k y_ik log p_ik of predicted probabilities.

    ``y_proba`` (n,) is P(greater label) for binary targets, or (n, K) with columns in sorted
    label order. Probabilities outside [0, 1] raise a ``ValueError``; rows not summing to 1 give
    a warning. Values are clipped to [eps, 1 − eps] with eps the machine epsilon of
    ``y_proba``'s dtype (current scikit-learn; the ``eps`` argument was removed in 1.5).
    """
    y_proba = np.asarray(y_proba)
    if y_proba.dtype.kind not in "f":
        y_proba = y_proba.astype(np.float64)
    if y_proba.ndim not in (1, 2):
        raise ValueError(f"y_proba must be 1-D or 2-D, got shape {y_proba.shape}")
    if not np.isfinite(y_proba).all():
        raise ValueError("Input y_proba contains NaN or infinity.")
    if y_proba.max() > 1:
        raise ValueError(f"y_prob contains values greater than 1: {y_proba.max()} "
                         "(y_proba must hold probabilities in [0, 1])")
    if y_proba.min() < 0:
        raise ValueError(f"y_prob contains values lower than 0: {y_proba.min()} "
                         "(y_proba must hold probabilities in [0, 1])")
    y_true = np.asarray(y_true)
    check_consistent_length(y_true=y_true, y_proba=y_proba, sample_weight=sample_weight)
    w = weights_or_none(sample_weight, len(y_proba))
    if labels is not None:
        labels_arr = np.asarray(labels)
        classes = np.unique(labels_arr)
        if not np.array_equal(classes, labels_arr):
            warnings.warn(
                f"Labels passed were {labels}. But this function assumes labels are ordered "
                f"lexicographically. Pass the ordered labels={classes.tolist()} and ensure that "
                "the columns of y_prob correspond to this ordering.", UserWarning, stacklevel=2)
        missing = ~np.isin(y_true, classes)
        if missing.any():
            raise ValueError(f"y_true contains values {set(y_true[missing].tolist())} not "
                             f"belonging to the passed labels {labels}.")
    else:
        classes = np.unique(y_true)
    if len(classes) == 1:
        if labels is None:
            raise ValueError(
                f"y_true contains only one label ({classes[0]}). Please provide the list of all "
                "expected class labels explicitly through the labels argument.")
        raise ValueError(f"The labels array needs to contain at least two labels, got {classes}.")
    y_idx = np.searchsorted(classes, y_true)
    if y_proba.ndim == 1:
        y_proba = y_proba[:, None]
    if y_proba.shape[1] == 1:
        y_proba = np.concatenate([1 - y_proba, y_proba], axis=1)
    eps = np.finfo(y_proba.dtype).eps
    if not np.isclose(y_proba.sum(axis=1), 1, rtol=np.sqrt(eps), atol=1e-8).all():
        warnings.warn("The y_prob values do not sum to one. Make sure to pass probabilities.",
                      UserWarning, stacklevel=2)
    if len(classes) != y_proba.shape[1]:
        if labels is None:
            raise ValueError(
                f"y_true and y_prob contain different number of classes: {len(classes)} vs "
                f"{y_proba.shape[1]}. Please provide the true labels explicitly through the "
                f"labels argument. Classes found in y_true: {classes}")
        raise ValueError("The number of classes in labels is different from that in y_prob. "
                         f"Classes found in labels: {classes}")
    y_proba = np.clip(y_proba, eps, 1 - eps)
    loss = -np.log(np.take_along_axis(y_proba, y_idx[:, None], axis=1)[:, 0])
    if normalize:
        return float(np.average(loss, weights=w))
    return float(np.sum(loss * w) if w is not None else np.sum(loss))
