"""GBDT + LR vs scikit-learn fed the same leaf indices: GradientBoostingClassifier.apply →
OneHotEncoder(handle_unknown="ignore") → LogisticRegression."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression as SkLR
from sklearn.preprocessing import OneHotEncoder

from whiteboard.ml import GBDTLogisticRegression


def _data(n=200, seed=0, k=2):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    score = X[:, 0] * X[:, 1] + 0.5 * X[:, 2]
    y = (score > 0).astype(int) if k == 2 else np.digitize(score, [-0.5, 0.5])
    return X, y


@pytest.mark.parametrize("k", [2, 3])
def test_equals_sklearn_on_the_same_leaf_indices(k):
    X, y = _data(k=k)
    est = GBDTLogisticRegression(n_estimators=10, max_depth=2, C=0.5, max_iter=1000,
                                 tol=1e-10, random_state=0).fit(X, y)
    leaves = est.apply(X)
    assert leaves.shape == (len(X), 10 * (1 if k == 2 else k))
    enc = OneHotEncoder(handle_unknown="ignore").fit(leaves)
    Phi = enc.transform(leaves).toarray()
    np.testing.assert_array_equal(est.transform(X), Phi)  # same columns in the same order
    assert (est.transform(X).sum(axis=1) == leaves.shape[1]).all()  # one 1 per tree
    sk = SkLR(C=0.5, max_iter=5000, tol=1e-12).fit(Phi, y)
    np.testing.assert_allclose(est.lr_.coef_, sk.coef_, atol=1e-4)
    np.testing.assert_allclose(est.predict_proba(X), sk.predict_proba(Phi), atol=1e-5)
    np.testing.assert_array_equal(est.predict(X), sk.predict(Phi))


def test_leaves_match_trees_own_apply():
    X, y = _data()
    est = GBDTLogisticRegression(n_estimators=5, random_state=0).fit(X, y)
    ref = np.column_stack([t[0].tree_.apply(X) for t in est.gbdt_.estimators_])
    np.testing.assert_array_equal(est.apply(X), ref)


def test_unseen_leaves_get_an_all_zero_block():
    X, y = _data(n=300)
    est = GBDTLogisticRegression(n_estimators=8, max_depth=3, lr_fraction=0.5,
                                 random_state=0).fit(X, y)
    rng = np.random.default_rng(5)
    Xt = rng.normal(size=(500, 4)) * 3.0
    leaves = est.apply(Xt)
    enc = OneHotEncoder(handle_unknown="ignore",
                        categories=[list(c) for c in est.categories_]).fit(leaves[:1])
    Phi = est.transform(Xt)
    np.testing.assert_array_equal(Phi, enc.transform(leaves).toarray())
    seen = np.array([[leaf in c for leaf, c in zip(row, est.categories_)] for row in leaves])
    assert (~seen).any(), "the test needs some unseen leaves"
    np.testing.assert_array_equal(Phi.sum(axis=1), seen.sum(axis=1))
    p = est.predict_proba(Xt)
    assert np.isfinite(p).all() and np.allclose(p.sum(axis=1), 1.0)


def test_beats_plain_lr_on_an_interaction():
    from whiteboard.ml import LogisticRegression

    X, y = _data(n=400)
    Xt, yt = _data(n=400, seed=1)
    gl = GBDTLogisticRegression(n_estimators=30, random_state=0).fit(X, y).score(Xt, yt)
    lr = LogisticRegression().fit(X, y).score(Xt, yt)
    assert gl > lr + 0.1, (gl, lr)


def test_bad_lr_fraction():
    X, y = _data()
    with pytest.raises(ValueError, match="lr_fraction"):
        GBDTLogisticRegression(lr_fraction=1.0).fit(X, y)
