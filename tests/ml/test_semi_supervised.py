"""SelfTrainingClassifier against scikit-learn 1.9.1's: the same base estimator inside both (the
library's own GaussianNB / LogisticRegression / KNeighborsClassifier, and scikit-learn's
GaussianNB) gives identical ``transduction_``, ``labeled_iter_``, ``n_iter_``,
``termination_condition_`` and predictions (exact), probabilities to 1e-12, on several datasets
with both criteria; clear errors for bad arguments."""

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, make_classification
from sklearn.naive_bayes import GaussianNB as SkGNB
from sklearn.semi_supervised import SelfTrainingClassifier as SkSelfTraining

from whiteboard.ml import (
    GaussianNB, KNeighborsClassifier, LogisticRegression, SelfTrainingClassifier,
)


def _dataset(name, seed, frac_labelled=0.1):
    if name == "iris":
        X, y = load_iris(return_X_y=True)
    elif name == "digits":
        X, y = load_digits(return_X_y=True)
        X = X[:500] / 16.0
        y = y[:500]
    elif name == "cancer":
        X, y = load_breast_cancer(return_X_y=True)
        X = (X - X.mean(0)) / X.std(0)
    else:
        X, y = make_classification(n_samples=300, n_features=6, n_informative=4, n_classes=3,
                                   random_state=seed)
    rng = np.random.default_rng(seed)
    y_semi = y.copy()
    unlabelled = rng.random(len(y)) > frac_labelled
    # at least two labelled samples of each class, so every base estimator sees every class
    for c in np.unique(y):
        unlabelled[np.flatnonzero(y == c)[:2]] = False
    y_semi[unlabelled] = -1
    return X, y, y_semi


BASES = {
    "wb_gnb": lambda: GaussianNB(),
    "sk_gnb": lambda: SkGNB(),
    "wb_lr": lambda: LogisticRegression(C=1.0, max_iter=500),
    "wb_knn": lambda: KNeighborsClassifier(n_neighbors=3),
}


def _compare(ours, theirs, X):
    np.testing.assert_array_equal(ours.transduction_, theirs.transduction_)
    np.testing.assert_array_equal(ours.labeled_iter_, theirs.labeled_iter_)
    assert ours.n_iter_ == theirs.n_iter_
    assert ours.termination_condition_ == theirs.termination_condition_
    np.testing.assert_array_equal(ours.classes_, theirs.classes_)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), rtol=1e-12,
                               atol=1e-12)


# the library's logistic regression on digits (64 features, 10 classes) is the one slow pairing
DATA_BASE = [pytest.param(d, b, marks=pytest.mark.slow) if (d, b) == ("digits", "wb_lr")
             else (d, b)
             for d in ("iris", "digits", "cancer", "blobs") for b in sorted(BASES)]


@pytest.mark.parametrize("data,base", DATA_BASE)
@pytest.mark.parametrize("criterion,kw", [("threshold", {}), ("threshold", {"threshold": 0.95}),
                                          ("k_best", {"k_best": 7}),
                                          ("k_best", {"k_best": 25, "max_iter": 3})])
def test_matches_sklearn(data, base, criterion, kw):
    X, _, y_semi = _dataset(data, seed=1)
    ours = SelfTrainingClassifier(BASES[base](), criterion=criterion, **kw)
    theirs = SkSelfTraining(BASES[base](), criterion=criterion, **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours.fit(X, y_semi)
        theirs.fit(X, y_semi)
    _compare(ours, theirs, X)


@pytest.mark.parametrize("max_iter", [0, 1, None])
def test_max_iter_and_terminations_match(max_iter):
    X, _, y_semi = _dataset("iris", seed=2)
    ours = SelfTrainingClassifier(GaussianNB(), threshold=0.9, max_iter=max_iter).fit(X, y_semi)
    theirs = SkSelfTraining(GaussianNB(), threshold=0.9, max_iter=max_iter).fit(X, y_semi)
    _compare(ours, theirs, X)
    if max_iter == 0:
        assert ours.termination_condition_ == "max_iter" and ours.n_iter_ == 0
        assert np.all(ours.labeled_iter_[y_semi == -1] == -1)


def test_no_change_termination_and_all_labelled_warning():
    X, _, y_semi = _dataset("iris", seed=3)
    # a strongly regularised model is never confident: nothing is ever selected
    est = SelfTrainingClassifier(LogisticRegression(C=1e-4), threshold=0.9).fit(X, y_semi)
    assert est.termination_condition_ == "no_change" and est.n_iter_ == 1
    np.testing.assert_array_equal(est.transduction_, y_semi)
    y_full = np.where(y_semi == -1, 0, y_semi)
    with pytest.warns(UserWarning, match="no unlabeled samples"):
        est = SelfTrainingClassifier(GaussianNB()).fit(X, y_full)
    assert est.termination_condition_ == "all_labeled" and est.n_iter_ == 0


def test_k_best_larger_than_unlabelled_warns_and_labels_all():
    X, _, y_semi = _dataset("iris", seed=4, frac_labelled=0.9)
    with pytest.warns(UserWarning, match="k_best is larger"):
        est = SelfTrainingClassifier(GaussianNB(), criterion="k_best", k_best=1000).fit(X, y_semi)
    assert est.termination_condition_ == "all_labeled" and est.n_iter_ == 1
    assert np.all(est.labeled_iter_ >= 0)


def test_pseudo_labelling_helps_with_few_labels_on_digits():
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    rng = np.random.default_rng(0)
    idx = rng.permutation(len(y))
    train, test = idx[:1200], idx[1200:]
    y_semi = np.full(1200, -1)
    lab = np.concatenate([np.flatnonzero(y[train] == c)[:5] for c in range(10)])
    y_semi[lab] = y[train][lab]
    base = KNeighborsClassifier(n_neighbors=1)
    acc_sup = base.fit(X[train][lab], y[train][lab]).score(X[test], y[test])
    st = SelfTrainingClassifier(KNeighborsClassifier(n_neighbors=1), criterion="k_best",
                                k_best=100, max_iter=None).fit(X[train], y_semi)
    assert st.termination_condition_ == "all_labeled"
    assert st.score(X[test], y[test]) > acc_sup


def test_clone_get_params_and_fitted_estimator_independent():
    base = GaussianNB()
    est = SelfTrainingClassifier(base, threshold=0.8, criterion="k_best", k_best=3)
    c = clone(est)
    assert c.get_params()["threshold"] == 0.8 and c.get_params()["estimator__var_smoothing"] \
        == base.var_smoothing
    X, y, y_semi = _dataset("iris", seed=5)
    est.fit(X, y_semi)
    assert est.estimator_ is not base and not hasattr(base, "classes_")
    assert est.score(X, y) == np.mean(est.predict(X) == y) > 0.8
    np.testing.assert_allclose(est.predict_log_proba(X), est.estimator_.predict_log_proba(X))


@pytest.mark.parametrize("kw,match", [
    ({"estimator": None}, "estimator must be a classifier"),
    ({"estimator": "svc"}, "estimator must be a classifier"),
    ({"threshold": 1.0}, r"threshold must be a number in \[0, 1\)"),
    ({"threshold": -0.1}, "threshold"),
    ({"criterion": "best"}, "criterion must be 'threshold' or 'k_best'"),
    ({"k_best": 0}, "k_best must be an integer >= 1"),
    ({"k_best": 2.5}, "k_best"),
    ({"max_iter": -1}, "max_iter must be an integer >= 0 or None"),
])
def test_bad_arguments(kw, match):
    X, _, y_semi = _dataset("iris", seed=0)
    params = {"estimator": GaussianNB(), **kw}
    with pytest.raises(ValueError, match=match):
        SelfTrainingClassifier(**params).fit(X, y_semi)


def test_bad_inputs():
    X, _, y_semi = _dataset("iris", seed=0)
    from whiteboard.ml import LinearSVC

    with pytest.raises(ValueError, match="has no predict_proba"):
        SelfTrainingClassifier(LinearSVC()).fit(X, y_semi)
    with pytest.raises(ValueError, match=r"y must have shape \(150,\)"):
        SelfTrainingClassifier(GaussianNB()).fit(X, y_semi[:-1])
    with pytest.raises(ValueError, match="no labelled sample"):
        SelfTrainingClassifier(GaussianNB()).fit(X, np.full(150, -1))
    with pytest.raises(ValueError, match="requires y to be passed"):
        SelfTrainingClassifier(GaussianNB()).fit(X, None)
    names = np.array(["a", "b", "c"], dtype=object)[np.maximum(y_semi, 0)]
    names[y_semi == -1] = -1
    st = SelfTrainingClassifier(GaussianNB()).fit(X, names)
    ref = SkSelfTraining(GaussianNB()).fit(X, names)
    np.testing.assert_array_equal(st.transduction_, ref.transduction_)
    assert set(st.predict(X)) <= {"a", "b", "c"}
    est = SelfTrainingClassifier(GaussianNB()).fit(X, y_semi)
    with pytest.raises(ValueError, match="X has 3 features, but SelfTrainingClassifier is "
                                         "expecting 4"):
        est.predict(X[:, :3])
    from whiteboard.ml.base import NotFittedError

    with pytest.raises(NotFittedError):
        SelfTrainingClassifier(GaussianNB()).predict(X)
