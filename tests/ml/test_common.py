"""The contract every estimator of ``whiteboard.ml`` shares: clear errors for the bad inputs that
users hit first (predict before fit, NaN/inf, wrong number of features, one class only)."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError as SkNotFittedError

import whiteboard.ml as ml
from whiteboard.ml.base import ClassifierMixin, NotFittedError

ESTIMATORS = {
    name: getattr(ml, name) for name in sorted(ml._EXPORTS) if isinstance(getattr(ml, name), type)
}
FAST = {"n_estimators": 3}


def make(name):
    cls = ESTIMATORS[name]
    if name == "VotingClassifier":
        return cls([("lr", ml.LogisticRegression()), ("nb", ml.GaussianNB())], voting="soft")
    if name == "VotingRegressor":
        return cls([("lin", ml.LinearRegression()), ("tree", ml.DecisionTreeRegressor())])
    if name == "SelfTrainingClassifier":
        return cls(ml.LogisticRegression())
    params = cls().get_params()
    kw = {k: v for k, v in FAST.items() if k in params}
    if name in ("KMeans", "MiniBatchKMeans"):
        kw["n_clusters"] = 2
    if name == "TSNE":
        kw["perplexity"] = 5.0
    if "n_components" in params and name != "TSNE":
        kw["n_components"] = 1
    return cls(**kw)


def data(n=40, d=3, seed=0, positive=False):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    if positive:  # counts for MultinomialNB
        X = np.abs(X)
    y = (X[:, 0] + 0.3 * rng.normal(size=n) > 0).astype(int)
    return X, y


def _method(est):
    for m in ("predict", "transform"):
        if hasattr(est, m):
            return getattr(est, m)
    return None


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_use_before_fit_raises_not_fitted(name):
    est = make(name)
    method = _method(est)
    if method is None:
        pytest.skip(f"{name} has no predict/transform (it only has fit_transform)")
    X, _ = data()
    with pytest.raises(NotFittedError, match="not fitted yet") as info:
        method(X)
    assert isinstance(info.value, SkNotFittedError)  # scikit-learn recognises it too


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_and_inf_in_X_are_rejected(name, bad):
    est = make(name)
    X, y = data()
    X[3, 1] = bad
    if name.startswith("XGBoost") and np.isnan(bad):
        est.fit(X, y)  # missing values go to the learned default direction
        return
    with pytest.raises(ValueError, match="(?i)nan|inf"):
        est.fit(X, y)


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_wrong_number_of_features_after_fit(name):
    est = make(name)
    X, y = data(positive=name == "MultinomialNB")
    est.fit(X, y)
    method = _method(est)
    if method is None:
        pytest.skip(f"{name} has no predict/transform (it only has fit_transform)")
    with pytest.raises(ValueError, match="features"):
        method(np.zeros((2, 5)))


def _sklearn_counterpart(name):
    """A zero-argument factory for scikit-learn's estimator of the same name (meta-estimators
    get the same members as ``make``), or None."""
    import sklearn.utils.discovery as discovery

    if name == "VotingClassifier":
        from sklearn.ensemble import VotingClassifier
        from sklearn.linear_model import LogisticRegression
        from sklearn.naive_bayes import GaussianNB

        return lambda: VotingClassifier([("lr", LogisticRegression()), ("nb", GaussianNB())],
                                        voting="soft")
    found = dict(discovery.all_estimators())
    return found.get(name)


@pytest.mark.parametrize("name", sorted(n for n, c in ESTIMATORS.items()
                                        if issubclass(c, ClassifierMixin)))
def test_one_class_and_string_labels_behave_as_sklearn(name):
    """One class only: a clear error wherever scikit-learn's counterpart raises one; where
    scikit-learn accepts it (trees, forests, naive Bayes, k-NN), whiteboard either accepts it
    too (predicting that class) or refuses with a clear message naming the classes — never a
    crash deep inside. String labels always work."""
    X, y = data(positive=name == "MultinomialNB")
    one = np.zeros(len(y), dtype=int)
    sk = _sklearn_counterpart(name)
    sk_raises = False
    if sk is not None:
        try:
            sk().fit(X, one)
        except ValueError:
            sk_raises = True
    if sk_raises:
        with pytest.raises(ValueError, match="(?i)class"):
            make(name).fit(X, one)
    else:
        try:
            fitted = make(name).fit(X, one)
        except ValueError as exc:
            assert "class" in str(exc).lower(), exc
        else:
            assert (fitted.predict(X) == 0).all()
    labels = np.array(["cat", "dog"])[y]
    pred = make(name).fit(X, labels).predict(X)
    assert set(pred) <= {"cat", "dog"} and (pred == labels).mean() > 0.6


@pytest.mark.parametrize("name", ["DecisionTreeClassifier", "RandomForestClassifier",
                                  "BaggingClassifier", "GradientBoostingClassifier",
                                  "XGBoostClassifier"])
def test_predict_and_log_proba_follow_predict_proba(name):
    """``ProbaClassifierMixin``: predict = arg-max class of predict_proba (first on ties, as
    scikit-learn), predict_log_proba = log of it; on three classes with string labels."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 3))
    y = np.array(["a", "b", "c"])[np.argmax(X, axis=1)]
    est = make(name).fit(X, y)
    proba = est.predict_proba(X)
    np.testing.assert_array_equal(est.predict(X), est.classes_[np.argmax(proba, axis=1)])
    with np.errstate(divide="ignore"):
        np.testing.assert_array_equal(est.predict_log_proba(X), np.log(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    sk = _sklearn_counterpart(name)
    if sk is not None and name == "DecisionTreeClassifier":
        np.testing.assert_array_equal(est.predict(X), sk(random_state=0).fit(X, y).predict(X))
