"""ROC / PR curves, AUC and average precision against scikit-learn 1.9.1 (rtol 1e-12).

Scores are drawn from a small set of values so that ties are frequent.
"""

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st

import whiteboard.metrics as wbm

from ._compare import compare


@st.composite
def binary_scores(draw, n_min=1, n_max=40):
    n = draw(st.integers(n_min, n_max))
    classes = draw(st.sampled_from([np.array([0, 1]), np.array([-1, 1]),
                                    np.array(["no", "yes"]), np.array([2, 7])]))
    y = classes[np.array(draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))]
    tie_heavy = draw(st.booleans())
    if tie_heavy:
        s = np.array(draw(st.lists(st.sampled_from([0.1, 0.2, 0.5, 0.7]), min_size=n,
                                   max_size=n)))
    else:
        s = np.array(draw(st.lists(st.floats(-5, 5), min_size=n, max_size=n)))
    w = np.array(draw(st.lists(st.floats(0, 3), min_size=n, max_size=n))) \
        if draw(st.booleans()) else None
    return classes, y, s, w


@given(binary_scores(), st.booleans(), st.booleans())
def test_roc_curve(data, drop_intermediate, give_pos_label):
    classes, y, s, w = data
    pos_label = classes[1] if give_pos_label else None
    compare(wbm.roc_curve, skm.roc_curve, y, s, pos_label=pos_label, sample_weight=w,
            drop_intermediate=drop_intermediate)


@given(binary_scores(), st.booleans(), st.booleans())
def test_precision_recall_curve(data, drop_intermediate, give_pos_label):
    classes, y, s, w = data
    pos_label = classes[1] if give_pos_label else None
    compare(wbm.precision_recall_curve, skm.precision_recall_curve, y, s, pos_label=pos_label,
            sample_weight=w, drop_intermediate=drop_intermediate)


@given(binary_scores(), st.sampled_from([None, 1.0, 0.3, 0.75]))
def test_roc_auc_binary(data, max_fpr):
    _, y, s, w = data
    compare(wbm.roc_auc_score, skm.roc_auc_score, y, s, sample_weight=w, max_fpr=max_fpr,
            rtol=1e-10, atol=1e-12)


@given(binary_scores())
def test_average_precision_binary(data):
    classes, y, s, w = data
    pos_label = classes[1] if classes.dtype.kind in "U" or classes[1] != 1 else 1
    compare(wbm.average_precision_score, skm.average_precision_score, y, s,
            pos_label=pos_label, sample_weight=w)


def test_single_class_roc_auc_warns_like_sklearn():
    out, ref = compare(wbm.roc_auc_score, skm.roc_auc_score, [1, 1, 1], [0.1, 0.5, 0.3])
    assert np.isnan(out) and np.isnan(ref)
    with pytest.warns(wbm.UndefinedMetricWarning, match="Only one class"):
        wbm.roc_auc_score([0, 0], [0.1, 0.2])
    compare(wbm.roc_curve, skm.roc_curve, [0, 0, 0], [0.1, 0.5, 0.3])
    compare(wbm.precision_recall_curve, skm.precision_recall_curve, [0, 0], [0.1, 0.5])


@st.composite
def multiclass_scores(draw):
    k = draw(st.integers(3, 5))
    n = draw(st.integers(k, 40))
    y = np.concatenate([np.arange(k), np.array(draw(st.lists(
        st.integers(0, k - 1), min_size=n - k, max_size=n - k)), dtype=np.int64)])
    raw = np.array(draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0]), min_size=n * k,
                                 max_size=n * k))).reshape(n, k)
    raw[raw.sum(axis=1) == 0] = 1.0
    p = raw / raw.sum(axis=1, keepdims=True)
    names = draw(st.sampled_from([None, np.array(list("abcde"))]))
    if names is not None:
        y = names[y]
    w = np.array(draw(st.lists(st.floats(0.1, 3), min_size=n, max_size=n))) \
        if draw(st.booleans()) else None
    return y, p, w


@given(multiclass_scores(), st.sampled_from(["ovr", "ovo"]),
       st.sampled_from(["macro", "weighted", "micro", None]))
def test_roc_auc_multiclass(data, multi_class, average):
    y, p, w = data
    if multi_class == "ovo":
        w = None
    compare(wbm.roc_auc_score, skm.roc_auc_score, y, p, multi_class=multi_class,
            average=average, sample_weight=w, rtol=1e-10)


@given(multiclass_scores(), st.sampled_from(["macro", "weighted", "micro", None]))
def test_average_precision_multiclass(data, average):
    y, p, w = data
    compare(wbm.average_precision_score, skm.average_precision_score, y, p, average=average,
            sample_weight=w)


@given(st.integers(2, 20).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.integers(0, 1), min_size=3, max_size=3), min_size=n, max_size=n),
    st.lists(st.lists(st.sampled_from([0.1, 0.4, 0.9]), min_size=3, max_size=3), min_size=n,
             max_size=n))), st.sampled_from(["macro", "weighted", "micro", "samples", None]))
def test_multilabel_auc_and_ap(data, average):
    y, s = np.array(data[0]), np.array(data[1])
    compare(wbm.roc_auc_score, skm.roc_auc_score, y, s, average=average, rtol=1e-10)
    compare(wbm.average_precision_score, skm.average_precision_score, y, s, average=average)


@given(st.lists(st.floats(-10, 10), min_size=1, max_size=20), st.booleans())
def test_auc(xs, decreasing):
    x = np.sort(xs)[::-1] if decreasing else np.sort(xs)
    y = np.cos(x)
    compare(wbm.auc, skm.auc, x, y)
    compare(wbm.auc, skm.auc, [0, 2, 1], [1, 1, 1])


def test_errors_name_arguments():
    with pytest.raises(ValueError, match="y_true has 3, y_score has 2"):
        wbm.roc_curve([0, 1, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="y_true has 3, y_score has 2"):
        wbm.roc_auc_score([0, 1, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="sample_weight has 1"):
        wbm.precision_recall_curve([0, 1], [0.1, 0.2], sample_weight=[1.0])
    compare(wbm.roc_curve, skm.roc_curve, ["a", "b"], [0.1, 0.2])
    compare(wbm.roc_auc_score, skm.roc_auc_score, [0, 1, 2], [0.1, 0.2, 0.3])


def test_auc_equals_pair_counting_probability():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    s = rng.integers(0, 10, 300).astype(float)
    pos, neg = s[y == 1], s[y == 0]
    diff = pos[:, None] - neg[None, :]
    expected = (diff > 0).mean() + 0.5 * (diff == 0).mean()
    assert wbm.roc_auc_score(y, s) == pytest.approx(expected, rel=1e-12)
