"""Classification metrics against scikit-learn 1.9.1 (and imbalanced-learn for the G-mean).

Every test draws inputs with hypothesis (25 derandomised examples each) and requires the same
value (rtol/atol 1e-12), the same UndefinedMetricWarning/UserWarning messages, or the same
exception type as the oracle.
"""

import warnings

import imblearn.metrics as imb
import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st

import whiteboard.metrics as wbm

from ._compare import compare

LABEL_SETS = [np.array([0, 1]), np.array([-1, 1]), np.array([0, 1, 2]), np.array([3, 5, 7, 9]),
              np.array(["ant", "bee", "cat"]), np.array(["neg", "pos"])]


@st.composite
def targets(draw, n_min=1, n_max=30, weights=True):
    labels = draw(st.sampled_from(LABEL_SETS))
    n = draw(st.integers(n_min, n_max))
    # restrict y_true to a sub-range sometimes, so labels absent from y_true occur
    k_true = draw(st.integers(1, len(labels)))
    y_true = labels[draw(st.lists(st.integers(0, k_true - 1), min_size=n, max_size=n))]
    y_pred = labels[draw(st.lists(st.integers(0, len(labels) - 1), min_size=n, max_size=n))]
    w = None
    if weights and draw(st.booleans()):
        if draw(st.booleans()):
            w = np.array(draw(st.lists(st.integers(0, 3), min_size=n, max_size=n)))
        else:
            w = np.array(draw(st.lists(st.floats(0, 5), min_size=n, max_size=n)))
    return labels, y_true, y_pred, w


@st.composite
def multilabel(draw):
    n = draw(st.integers(1, 20))
    k = draw(st.integers(2, 4))
    shape = (n, k)
    y_true = np.array(draw(st.lists(st.integers(0, 1), min_size=n * k,
                                    max_size=n * k))).reshape(shape)
    y_pred = np.array(draw(st.lists(st.integers(0, 1), min_size=n * k,
                                    max_size=n * k))).reshape(shape)
    w = np.array(draw(st.lists(st.floats(0.1, 3), min_size=n, max_size=n))) \
        if draw(st.booleans()) else None
    return y_true, y_pred, w


AVERAGES = st.sampled_from([None, "binary", "micro", "macro", "weighted", "samples"])
ZERO_DIV = st.sampled_from(["warn", 0.0, 1.0, np.nan])


@given(targets(), st.booleans(), st.sampled_from([None, "true", "pred", "all"]))
def test_confusion_matrix(data, use_labels, normalize):
    labels, y_true, y_pred, w = data
    lab = labels[::-1][:max(1, len(labels) - 1)] if use_labels else None
    out, ref = compare(wbm.confusion_matrix, skm.confusion_matrix, y_true, y_pred, labels=lab,
                       sample_weight=w, normalize=normalize)
    if not isinstance(out, Exception):
        assert out.dtype == ref.dtype


def test_confusion_matrix_binary_layout():
    # rows = true, columns = predicted: [[TN, FP], [FN, TP]] (the note's table swaps FN and TN)
    y_true = np.array([1, 1, 1, 0, 0, 1, 0])
    y_pred = np.array([1, 0, 1, 0, 1, 1, 0])
    tn, fp, fn, tp = wbm.confusion_matrix(y_true, y_pred).ravel()
    assert (tn, fp, fn, tp) == (2, 1, 1, 3)


@given(targets(), st.booleans())
def test_accuracy(data, normalize):
    _, y_true, y_pred, w = data
    compare(wbm.accuracy_score, skm.accuracy_score, y_true, y_pred, normalize=normalize,
            sample_weight=w)


@given(targets(), AVERAGES, ZERO_DIV, st.floats(0, 4) | st.just(np.inf), st.booleans())
def test_precision_recall_fscore_support(data, average, zero_division, beta, use_labels):
    labels, y_true, y_pred, w = data
    pos_label = labels[-1] if average == "binary" else 1
    lab = labels[: max(1, len(labels) - 1)] if use_labels and average != "binary" else None
    compare(wbm.precision_recall_fscore_support, skm.precision_recall_fscore_support, y_true,
            y_pred, beta=beta, labels=lab, pos_label=pos_label, average=average,
            sample_weight=w, zero_division=zero_division)


@pytest.mark.parametrize("name", ["precision_score", "recall_score", "f1_score"])
@given(data=targets(), average=AVERAGES, zero_division=ZERO_DIV)
def test_precision_recall_f1(name, data, average, zero_division):
    labels, y_true, y_pred, w = data
    pos_label = labels[-1] if average == "binary" else 1
    compare(getattr(wbm, name), getattr(skm, name), y_true, y_pred, pos_label=pos_label,
            average=average, sample_weight=w, zero_division=zero_division)


@given(targets(), AVERAGES, st.floats(0.1, 3))
def test_fbeta(data, average, beta):
    labels, y_true, y_pred, w = data
    pos_label = labels[-1] if average == "binary" else 1
    compare(wbm.fbeta_score, skm.fbeta_score, y_true, y_pred, beta=beta, pos_label=pos_label,
            average=average, sample_weight=w)


@given(multilabel(), AVERAGES, ZERO_DIV)
def test_prf_multilabel(data, average, zero_division):
    y_true, y_pred, w = data
    compare(wbm.precision_recall_fscore_support, skm.precision_recall_fscore_support, y_true,
            y_pred, average=average, sample_weight=w, zero_division=zero_division)
    compare(wbm.accuracy_score, skm.accuracy_score, y_true, y_pred, sample_weight=w)


def test_zero_division_warns_like_sklearn():
    y_true, y_pred = np.array([0, 0, 1, 1]), np.array([0, 0, 0, 0])
    with pytest.warns(wbm.UndefinedMetricWarning, match="Precision is ill-defined"):
        assert wbm.precision_score(y_true, y_pred) == 0.0
    assert wbm.precision_score(y_true, y_pred, zero_division=1.0) == 1.0
    assert np.isnan(wbm.precision_score(y_true, y_pred, zero_division=np.nan))


@given(targets(weights=True), st.booleans(), st.sampled_from([1, 2, 4]))
def test_classification_report(data, output_dict, digits):
    _labels, y_true, y_pred, w = data
    compare(wbm.classification_report, skm.classification_report, y_true, y_pred,
            sample_weight=w, output_dict=output_dict, digits=digits, zero_division=0.0)


def test_classification_report_target_names_and_labels():
    y_true = np.array(["a", "b", "c", "a", "b"])
    y_pred = np.array(["a", "c", "c", "b", "b"])
    for kw in ({"target_names": ["A", "B", "C"]}, {"labels": ["a", "b"]},
               {"labels": ["a", "b"], "target_names": ["x", "y", "z"]}, {"target_names": ["x"]}):
        compare(wbm.classification_report, skm.classification_report, y_true, y_pred, **kw)


@given(targets(), st.booleans())
def test_balanced_accuracy(data, adjusted):
    _, y_true, y_pred, w = data
    if w is not None and w.sum() == 0:
        w = None
    compare(wbm.balanced_accuracy_score, skm.balanced_accuracy_score, y_true, y_pred,
            sample_weight=w, adjusted=adjusted, check_warnings=False)


@given(targets())
def test_matthews(data):
    _, y_true, y_pred, w = data
    compare(wbm.matthews_corrcoef, skm.matthews_corrcoef, y_true, y_pred, sample_weight=w,
            check_warnings=False)


@given(targets(), st.sampled_from(["multiclass", None, "binary", "micro", "macro",
                                   "weighted"]), st.sampled_from([0.0, 0.001]))
def test_geometric_mean_vs_imblearn(data, average, correction):
    labels, y_true, y_pred, w = data
    pos_label = labels[-1] if average == "binary" else 1
    compare(wbm.geometric_mean_score, imb.geometric_mean_score, y_true, y_pred,
            pos_label=pos_label, average=average, sample_weight=w, correction=correction,
            check_warnings=False)


@st.composite
def probas(draw):
    k = draw(st.integers(2, 4))
    n = draw(st.integers(2, 30))
    y = draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))
    raw = np.array(draw(st.lists(st.floats(0, 1), min_size=n * k, max_size=n * k))).reshape(n, k)
    raw[raw.sum(axis=1) == 0, 0] = 1.0
    p = raw / raw.sum(axis=1, keepdims=True)
    if k == 2 and draw(st.booleans()):
        p = p[:, 1]
    w = np.array(draw(st.lists(st.floats(0.1, 3), min_size=n, max_size=n))) \
        if draw(st.booleans()) else None
    names = draw(st.sampled_from([None, np.array(["a", "b", "c", "d"])]))
    y = np.array(y) if names is None else names[np.array(y)]
    return y, p, w, k


@given(probas(), st.booleans())
def test_log_loss(data, normalize):
    y, p, w, k = data
    labels = None
    if len(np.unique(y)) != k:
        labels = np.unique(y) if isinstance(y[0], str) else np.arange(k)
        labels = np.array(["a", "b", "c", "d"])[:k] if isinstance(y[0], str) else labels
    compare(wbm.log_loss, skm.log_loss, y, p, normalize=normalize, sample_weight=w,
            labels=labels)


def test_log_loss_rejects_out_of_range_and_clips():
    with pytest.raises(ValueError, match="greater than 1"):
        wbm.log_loss([0, 1], [0.5, 1.2])
    with pytest.raises(ValueError, match="lower than 0"):
        wbm.log_loss([0, 1], [-0.1, 0.9])
    # a confident wrong prediction is clipped at machine epsilon, not infinite
    compare(wbm.log_loss, skm.log_loss, [0, 1, 1], [0.0, 1.0, 0.0])
    compare(wbm.log_loss, skm.log_loss, [0, 1, 1], np.array([0.0, 1.0, 0.0], np.float32),
            rtol=1e-6)
    compare(wbm.log_loss, skm.log_loss, [0, 1, 1], [[0.2, 0.9], [0.5, 0.5], [0.1, 0.9]])


@pytest.mark.parametrize("fn", ["accuracy_score", "precision_score", "recall_score",
                                "f1_score", "confusion_matrix", "matthews_corrcoef",
                                "balanced_accuracy_score", "geometric_mean_score"])
def test_mismatched_lengths_name_the_arguments(fn):
    with pytest.raises(ValueError, match=r"y_true has 3, y_pred has 4"):
        getattr(wbm, fn)([0, 1, 1], [0, 1, 0, 1])
    with pytest.raises(ValueError, match=r"sample_weight has 2"):
        getattr(wbm, fn)([0, 1, 1], [0, 1, 0], sample_weight=[1, 2])
    with pytest.raises(ValueError, match=r"y_true has 2, y_proba has 3"):
        wbm.log_loss([0, 1], [0.2, 0.3, 0.4])


def test_mixed_target_types_rejected_like_sklearn():
    for y_true, y_pred in (([0, 1, 1], [0.5, 1.0, 0.2]), (["a", "b"], [0, 1]),
                           ([[0, 1], [1, 1]], [0, 1])):
        compare(wbm.f1_score, skm.f1_score, y_true, y_pred, average="macro")
        compare(wbm.accuracy_score, skm.accuracy_score, y_true, y_pred)


def test_single_label_confusion_matrix_warns():
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
    compare(wbm.confusion_matrix, skm.confusion_matrix, [1, 1], [1, 1])
