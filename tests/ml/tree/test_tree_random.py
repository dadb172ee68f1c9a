"""Random small problems (hypothesis): trees equal to scikit-learn's up to exact ties, on data
full of ties (small integer features), with random sample weights and hyper-parameters, and
the degenerate cases (one sample, constant features, a single class)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn import tree as sktree

from tests.ml.tree._helpers import assert_trees_equal, compare_trees
from whiteboard.ml.tree import DecisionTreeClassifier, DecisionTreeRegressor


@st.composite
def problems(draw, regression):
    n = draw(st.integers(2, 40))
    f = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    X = rng.integers(0, draw(st.integers(2, 8)), size=(n, f)).astype(float)
    if draw(st.booleans()):
        X += rng.normal(scale=0.01, size=X.shape)
    y = rng.normal(size=n) if regression else rng.integers(0, draw(st.integers(1, 3)), n)
    w = rng.integers(0, 4, n).astype(float) if draw(st.booleans()) else None
    if w is not None and w.sum() == 0:
        w[0] = 1.0
    params = {
        "max_depth": draw(st.sampled_from([None, 1, 2, 4])),
        "min_samples_leaf": draw(st.integers(1, 3)),
        "min_samples_split": draw(st.integers(2, 6)),
        "min_weight_fraction_leaf": draw(st.sampled_from([0.0, 0.1])),
        "max_leaf_nodes": draw(st.sampled_from([None, 3, 6])),
        "min_impurity_decrease": draw(st.sampled_from([0.0, 0.01])),
    }
    return X, y, w, params


@given(problems(regression=False), st.sampled_from(["gini", "entropy"]))
def test_random_classification_trees_equal_sklearn_up_to_ties(problem, criterion):
    X, y, w, params = problem
    ours = DecisionTreeClassifier(criterion=criterion, random_state=0, **params)
    theirs = sktree.DecisionTreeClassifier(criterion=criterion, random_state=0, **params)
    ours.fit(X, y, sample_weight=w)
    theirs.fit(X, y, sample_weight=w)
    compared, ties = compare_trees(ours.tree_, theirs.tree_)
    if ties == 0 and compared == theirs.tree_.node_count:
        assert_trees_equal(ours.tree_, theirs.tree_)
        np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-12)


@given(problems(regression=True))
def test_random_regression_trees_equal_sklearn_up_to_ties(problem):
    X, y, w, params = problem
    ours = DecisionTreeRegressor(random_state=0, **params).fit(X, y, sample_weight=w)
    theirs = sktree.DecisionTreeRegressor(random_state=0, **params).fit(X, y, sample_weight=w)
    compared, ties = compare_trees(ours.tree_, theirs.tree_)
    if ties == 0 and compared == theirs.tree_.node_count:
        np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("est_cls,sk_cls", [
    (DecisionTreeClassifier, sktree.DecisionTreeClassifier),
    (DecisionTreeRegressor, sktree.DecisionTreeRegressor),
])
@pytest.mark.parametrize("case", ["one_sample", "constant_X", "constant_y", "two_samples",
                                  "duplicate_rows"])
def test_degenerate_inputs_like_sklearn(est_cls, sk_cls, case):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 3))
    y = rng.integers(0, 2, 12).astype(float)
    if case == "one_sample":
        X, y = X[:1], y[:1]
    elif case == "constant_X":
        X = np.ones_like(X)
    elif case == "constant_y":
        y = np.ones_like(y)
    elif case == "two_samples":
        X, y = X[:2], np.array([0.0, 1.0])
    else:
        X, y = np.repeat(X[:3], 4, axis=0), np.repeat([0.0, 1.0, 1.0], 4)
    ours = est_cls(random_state=0).fit(X, y)
    theirs = sk_cls(random_state=0).fit(X, y)
    # two samples: every feature separates them, a tie that each library breaks at random
    compared, _ = compare_trees(ours.tree_, theirs.tree_)
    assert compared >= 1 and ours.tree_.node_count == theirs.tree_.node_count
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X))
    assert ours.get_depth() == theirs.get_depth()
    assert ours.get_n_leaves() == theirs.get_n_leaves()
