"""The resampling Pipeline: samplers act in fit only; works in GridSearchCV and cross_val_score."""

import numpy as np
import pytest
from imblearn.pipeline import make_pipeline as imb_make_pipeline
from imblearn.under_sampling import RandomUnderSampler as ImbRUS
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.preprocessing import StandardScaler

from tests.imbalance._reference_data import dataset
from whiteboard.imbalance import SMOTE, Pipeline, RandomUnderSampler, make_pipeline


class _FixedSampler:
    """A sampler that keeps given rows: lets our Pipeline and imblearn's see identical data."""

    def __init__(self, rows=None):
        self.rows = rows

    def get_params(self, deep=True):
        return {"rows": self.rows}

    def set_params(self, **params):
        self.rows = params.get("rows", self.rows)
        return self

    def fit_resample(self, X, y):
        self.calls = getattr(self, "calls", 0) + 1
        return X[self.rows], y[self.rows]


def _data():
    X, y, X_test, y_test = dataset(n_samples=1200, weights=[0.9, 0.1], random_state=5)
    return X, y, X_test, y_test


def test_sampler_runs_in_fit_and_is_skipped_in_predict():
    X, y, X_test, _ = _data()
    rows = RandomUnderSampler(random_state=0).fit(X, y)
    rows.fit_resample(X, y)
    idx = rows.sample_indices_
    sampler = _FixedSampler(idx)
    pipe = make_pipeline(StandardScaler(), sampler, LogisticRegression())
    pipe.fit(X, y)
    assert sampler.calls == 1
    manual_scaler = StandardScaler().fit(X)
    manual = LogisticRegression().fit(manual_scaler.transform(X)[idx], y[idx])
    np.testing.assert_allclose(pipe.predict_proba(X_test),
                               manual.predict_proba(manual_scaler.transform(X_test)))
    np.testing.assert_allclose(pipe.decision_function(X_test),
                               manual.decision_function(manual_scaler.transform(X_test)))
    assert pipe.predict(X_test).shape == (len(X_test),)  # every test row answered
    assert sampler.calls == 1  # prediction did not resample
    assert pipe.score(X_test, pipe.predict(X_test)) == 1.0
    np.testing.assert_array_equal(pipe.classes_, [0, 1])
    assert pipe.n_features_in_ == X.shape[1]


def test_equals_imblearn_pipeline_on_the_same_rows():
    X, y, X_test, _ = _data()
    idx = np.sort(np.random.default_rng(0).choice(len(y), 500, replace=False))
    ours = make_pipeline(StandardScaler(), _FixedSampler(idx), PCA(4), LogisticRegression())
    theirs = imb_make_pipeline(StandardScaler(), _FixedSampler(idx), PCA(4),
                               LogisticRegression())
    ours.fit(X, y)
    theirs.fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X_test), theirs.predict_proba(X_test),
                               rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours[:-1].transform(X_test), theirs[:-1].transform(X_test))


def test_cross_val_score_and_grid_search_resample_each_training_fold():
    X, y, _, _ = _data()
    cv = StratifiedKFold(4, shuffle=True, random_state=0)
    ours = make_pipeline(StandardScaler(), RandomUnderSampler(random_state=0),
                         LogisticRegression())
    theirs = imb_make_pipeline(StandardScaler(), ImbRUS(random_state=0), LogisticRegression())
    s_ours = cross_val_score(ours, X, y, cv=cv, scoring="balanced_accuracy")
    s_theirs = cross_val_score(theirs, X, y, cv=cv, scoring="balanced_accuracy")
    assert abs(s_ours.mean() - s_theirs.mean()) < 0.03
    auc = cross_val_score(ours, X, y, cv=cv, scoring="roc_auc")  # needs predict_proba / d.f.
    assert auc.min() > 0.8
    grid = GridSearchCV(
        make_pipeline(StandardScaler(), SMOTE(random_state=0), LogisticRegression()),
        {"smote__k_neighbors": [3, 5], "logisticregression__C": [0.1, 1.0]},
        cv=cv, scoring="recall",
    ).fit(X, y)
    assert set(grid.best_params_) == {"smote__k_neighbors", "logisticregression__C"}
    assert grid.best_estimator_.named_steps["smote"].k_neighbors in (3, 5)
    assert len(grid.cv_results_["mean_test_score"]) == 4


def test_params_clone_and_structure():
    pipe = make_pipeline(StandardScaler(), SMOTE(), SMOTE(), LogisticRegression())
    assert [n for n, _ in pipe.steps] == ["standardscaler", "smote-1", "smote-2",
                                          "logisticregression"]
    params = pipe.get_params()
    assert params["smote-1__k_neighbors"] == 5 and "logisticregression__C" in params
    pipe.set_params(**{"smote-2": "passthrough", "logisticregression__C": 3.0})
    assert pipe.named_steps["smote-2"] == "passthrough" and pipe[-1].C == 3.0
    twin = clone(pipe)
    assert twin.get_params()["logisticregression__C"] == 3.0 and twin[-1] is not pipe[-1]
    assert isinstance(pipe[1:3], Pipeline) and len(pipe[1:3]) == 2
    assert not hasattr(make_pipeline(StandardScaler(), PCA(2)), "predict")
    assert hasattr(make_pipeline(StandardScaler(), PCA(2)), "transform")


def test_bad_steps():
    X, y, _, _ = _data()
    with pytest.raises(TypeError, match="intermediate steps of the chain must be samplers"):
        Pipeline([("lr", LogisticRegression()), ("lr2", LogisticRegression())]).fit(X, y)
    with pytest.raises(ValueError, match="step names must be unique"):
        Pipeline([("a", StandardScaler()), ("a", LogisticRegression())]).fit(X, y)
    with pytest.raises(ValueError, match="must not contain '__'"):
        Pipeline([("a__b", StandardScaler()), ("c", LogisticRegression())]).fit(X, y)
    with pytest.raises(ValueError, match="Invalid parameter 'nope__C' for Pipeline"):
        make_pipeline(LogisticRegression()).set_params(nope__C=1.0)
    with pytest.raises(ValueError, match="does not accept the 'sample_weight' parameter"):
        make_pipeline(LogisticRegression()).fit(X, y, sample_weight=np.ones(len(y)))
    weights = np.ones(len(y))
    make_pipeline(LogisticRegression()).fit(X, y, logisticregression__sample_weight=weights)


def test_ensembles_in_grid_search_and_cross_val_score():
    """The imbalance ensembles with whiteboard's trees/AdaBoost tune and cross-validate."""
    from whiteboard.imbalance import (
        AdaCostClassifier,
        BalanceCascadeClassifier,
        EasyEnsembleClassifier,
    )
    from whiteboard.ml.ensemble import AdaBoostClassifier
    from whiteboard.ml.tree import DecisionTreeClassifier

    X, y, _, _ = dataset(n_samples=600, weights=[0.85, 0.15], random_state=2)
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    for model, grid in [
        (EasyEnsembleClassifier(3, DecisionTreeClassifier(), random_state=0),
         {"estimator__max_depth": [1, 3], "replacement": [False, True]}),
        (BalanceCascadeClassifier(DecisionTreeClassifier(), n_estimators=3, random_state=0),
         {"estimator__max_depth": [1, 3]}),
        (BalanceCascadeClassifier(AdaBoostClassifier(n_estimators=5), n_estimators=3,
                                  random_state=0),
         {"estimator__n_estimators": [3, 5], "estimator__estimator":
          [DecisionTreeClassifier(max_depth=1), DecisionTreeClassifier(max_depth=2)]}),
        (AdaCostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=5, random_state=0),
         {"cost": [None, {0: 0.05, 1: 0.3}]}),
    ]:
        search = GridSearchCV(model, grid, cv=cv, scoring="roc_auc").fit(X, y)
        assert search.best_score_ > 0.7, type(model).__name__
        scores = cross_val_score(clone(model), X, y, cv=cv, scoring="balanced_accuracy")
        assert scores.mean() > 0.6, type(model).__name__
