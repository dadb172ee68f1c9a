"""VotingClassifier / VotingRegressor against scikit-learn 1.9.1 with the same (scikit-learn)
members: hard and soft votes, weights, 'drop', transform, sample weights, nested parameters in
GridSearchCV; and with whiteboard members against a direct computation of the vote."""

import numpy as np
import pytest
from sklearn.ensemble import VotingClassifier as SkVC
from sklearn.ensemble import VotingRegressor as SkVR
from sklearn.linear_model import LinearRegression as SkLinReg
from sklearn.linear_model import LogisticRegression as SkLogReg
from sklearn.model_selection import GridSearchCV
from sklearn.naive_bayes import GaussianNB as SkGNB
from sklearn.neighbors import KNeighborsRegressor as SkKNR
from sklearn.tree import DecisionTreeClassifier as SkTree
from sklearn.tree import DecisionTreeRegressor as SkTreeR

from tests.oracles.sklearn_oracle import load
from whiteboard.ml import (
    DecisionTreeClassifier, GaussianNB, KNeighborsClassifier, LogisticRegression,
)
from whiteboard.ml.base import NotFittedError
from whiteboard.ml.ensemble import VotingClassifier, VotingRegressor


def _members():
    return [("lr", SkLogReg(max_iter=2000)), ("nb", SkGNB()),
            ("dt", SkTree(max_depth=3, random_state=0))]


@pytest.mark.parametrize("voting", ["hard", "soft"])
@pytest.mark.parametrize("weights", [None, [2, 1, 1], [1, 0.5, 3]])
@pytest.mark.parametrize("dataset", ["wine", "breast_cancer"])
def test_classifier_equals_sklearn(voting, weights, dataset):
    X, y = load(dataset, scale=True)
    y = np.array(["c%d" % v for v in y])            # string labels: votes index classes_
    ours = VotingClassifier(_members(), voting=voting, weights=weights).fit(X, y)
    ref = SkVC(_members(), voting=voting, weights=weights).fit(X, y)
    np.testing.assert_array_equal(ours.classes_, ref.classes_)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-12)
    if voting == "soft":
        np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=1e-12)
    assert ours.score(X, y) == pytest.approx(ref.score(X, y))


def test_hard_vote_ties_go_to_the_first_class_and_drop_is_honoured():
    X, y = load("iris", scale=True)
    members = [("lr", SkLogReg(max_iter=2000)), ("drop_me", "drop"), ("nb", SkGNB())]
    ours = VotingClassifier(members).fit(X, y)
    ref = SkVC(members).fit(X, y)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    assert ours.named_estimators_["drop_me"] == "drop" and len(ours.estimators_) == 2
    soft = VotingClassifier(members, voting="soft", flatten_transform=False).fit(X, y)
    assert soft.transform(X).shape == (2, len(X), 3)


def test_sample_weight_reaches_every_member():
    X, y = load("breast_cancer", scale=True)
    w = np.random.default_rng(0).uniform(0, 3, len(y))
    ours = VotingClassifier(_members(), voting="soft").fit(X, y, sample_weight=w)
    ref = SkVC(_members(), voting="soft").fit(X, y, sample_weight=w)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), rtol=1e-10)


@pytest.mark.parametrize("weights", [None, [1, 3, 0.5]])
def test_regressor_equals_sklearn(weights):
    X, y = load("diabetes", scale=True)
    members = [("lin", SkLinReg()), ("knn", SkKNR(7)), ("tree", SkTreeR(max_depth=4,
                                                                         random_state=0))]
    ours = VotingRegressor(members, weights=weights).fit(X, y)
    ref = SkVR(members, weights=weights).fit(X, y)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-12)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-12)
    assert ours.score(X, y) == pytest.approx(ref.score(X, y), rel=1e-12)


def test_whiteboard_members_vote_as_computed_by_hand():
    X, y = load("wine", scale=True)
    members = [("lr", LogisticRegression(max_iter=500)), ("nb", GaussianNB()),
               ("knn", KNeighborsClassifier(3)), ("dt", DecisionTreeClassifier(max_depth=2))]
    w = np.array([1.0, 2.0, 1.0, 0.5])
    hard = VotingClassifier(members, weights=w).fit(X, y)
    votes = np.column_stack([m.fit(X, y).predict(X) for _, m in members])
    counts = np.stack([(votes == c) @ w for c in range(3)], axis=1)
    np.testing.assert_array_equal(hard.predict(X), counts.argmax(axis=1))
    soft = VotingClassifier(members, voting="soft", weights=w).fit(X, y)
    mean = sum(wi * m.predict_proba(X) for wi, (_, m) in zip(w, members)) / w.sum()
    np.testing.assert_allclose(soft.predict_proba(X), mean, rtol=1e-12)


def test_nested_parameters_work_in_grid_search():
    X, y = load("breast_cancer", scale=True)
    vc = VotingClassifier([("lr", LogisticRegression()), ("dt", DecisionTreeClassifier())],
                          voting="soft")
    params = vc.get_params()
    assert "lr__C" in params and "dt__max_depth" in params and params["lr"] is vc.estimators[0][1]
    search = GridSearchCV(vc, {"lr__C": [0.01, 1.0], "dt__max_depth": [1, 3]}, cv=3).fit(X, y)
    assert set(search.best_params_) == {"lr__C", "dt__max_depth"}
    vc.set_params(dt="drop", weights=[1, 1])
    assert vc.estimators[1] == ("dt", "drop") and vc.weights == [1, 1]


def test_errors():
    X, y = load("iris")
    with pytest.raises(ValueError, match="voting must be 'hard' or 'soft'"):
        VotingClassifier([("a", GaussianNB())], voting="mean").fit(X, y)
    with pytest.raises(ValueError, match="number of estimators and weights must be equal"):
        VotingClassifier([("a", GaussianNB())], weights=[1, 2]).fit(X, y)
    with pytest.raises(ValueError, match="names provided are not unique"):
        VotingClassifier([("a", GaussianNB()), ("a", GaussianNB())]).fit(X, y)
    with pytest.raises(ValueError, match="all estimators are 'drop'"):
        VotingClassifier([("a", "drop")]).fit(X, y)
    with pytest.raises(ValueError, match="non-empty list"):
        VotingRegressor([]).fit(X, y)
    with pytest.raises(AttributeError, match="predict_proba is not available"):
        VotingClassifier([("a", GaussianNB())]).fit(X, y).predict_proba(X)
    with pytest.raises(NotFittedError):
        VotingRegressor([("a", SkLinReg())]).predict(X)
    with pytest.raises(TypeError, match="does not support sample weights"):
        VotingClassifier([("knn", KNeighborsClassifier())]).fit(X, y, sample_weight=np.ones(150))


@pytest.mark.parametrize("est", [
    VotingClassifier([("lr", LogisticRegression()), ("nb", GaussianNB())], voting="soft"),
    VotingClassifier([("lr", LogisticRegression()), ("nb", GaussianNB())]),
    VotingRegressor([("a", SkLinReg()), ("b", SkTreeR(max_depth=2, random_state=0))]),
])
def test_check_estimator(est):
    from tests.oracles.sklearn_oracle import run_check_estimator

    run_check_estimator(est)
