"""Factorization machines: the O(kn) pairwise identity vs the O(kn²) double loop, the analytic
gradient vs central finite differences, and recovery of a planted degree-2 model."""

import numpy as np
import pytest

from whiteboard.ml import FMClassifier, FMRegressor, LogisticRegression
from whiteboard.ml.factorization_machine import _FMObjective, fm_predict, pairwise_interactions


def _double_loop(X, V):
    n, d = X.shape
    out = np.zeros(n)
    for m in range(n):
        for i in range(d):
            for j in range(i + 1, d):
                out[m] += (V[i] @ V[j]) * X[m, i] * X[m, j]
    return out


@pytest.mark.parametrize("k", [1, 3, 7])
def test_linear_time_pairwise_term_equals_double_loop(k):
    rng = np.random.default_rng(k)
    X = rng.normal(size=(15, 9))
    X[X < -0.5] = 0.0  # sparse-ish rows, as in CTR data
    V = rng.normal(size=(9, k))
    np.testing.assert_allclose(pairwise_interactions(X, V), _double_loop(X, V),
                               rtol=1e-12, atol=1e-12)
    w = rng.normal(size=9)
    np.testing.assert_allclose(fm_predict(X, 0.3, w, V), 0.3 + X @ w + _double_loop(X, V),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("loss", ["squared", "logistic"])
def test_gradient_matches_finite_differences(loss):
    rng = np.random.default_rng(0)
    n, d, k = 30, 5, 3
    X = rng.normal(size=(n, d))
    y = rng.normal(size=n) if loss == "squared" else np.sign(rng.normal(size=n))
    s = rng.uniform(0.5, 2.0, size=n)
    obj = _FMObjective(X, y, s, k, 0.1, 0.2, loss)
    theta = rng.normal(size=1 + d + d * k) * 0.5
    _, g = obj(theta)
    eps = 1e-6
    num = np.array([(obj(theta + eps * e)[0] - obj(theta - eps * e)[0]) / (2 * eps)
                    for e in np.eye(theta.size)])
    np.testing.assert_allclose(g, num, rtol=1e-6, atol=1e-8)


def _planted(n, seed, d=6, k=2):
    rng = np.random.default_rng(seed)
    truth = np.random.default_rng(42)
    w0, w, V = 0.5, truth.normal(size=d), truth.normal(size=(d, k))
    X = rng.normal(size=(n, d))
    return X, fm_predict(X, w0, w, V), (w0, w, V)


def test_regressor_recovers_a_planted_pairwise_model():
    X, y, (w0, w, V) = _planted(600, 0)
    y_noisy = y + 0.01 * np.random.default_rng(1).normal(size=len(y))
    fm = FMRegressor(n_components=2, alpha_w=0.0, alpha_V=0.0, max_iter=2000, tol=1e-9,
                     random_state=0).fit(X, y_noisy)
    Xt, yt, _ = _planted(300, 2)
    assert fm.score(Xt, yt) > 0.999
    # identifiable: w₀, w and the off-diagonal of VVᵀ (V itself only up to a rotation)
    off = ~np.eye(len(w), dtype=bool)
    np.testing.assert_allclose((fm.V_ @ fm.V_.T)[off], (V @ V.T)[off], atol=0.01)
    np.testing.assert_allclose(fm.coef_, w, atol=0.01)
    assert abs(fm.intercept_ - w0) < 0.01


def test_regularisation_shrinks_the_factors():
    X, y, _ = _planted(200, 0)
    norms = [np.linalg.norm(FMRegressor(n_components=2, alpha_V=a, random_state=0)
                            .fit(X, y).V_) for a in (1e-6, 1.0, 10.0, 100.0)]
    assert all(a > b for a, b in zip(norms, norms[1:])), norms
    assert norms[-1] < 0.05 * norms[0], norms


def test_classifier_learns_an_interaction_that_lr_cannot():
    X, z, _ = _planted(800, 0)
    Xt, zt, _ = _planted(800, 3)
    y, yt = (z > np.median(z)).astype(int), (zt > np.median(z)).astype(int)
    fm = FMClassifier(n_components=2, random_state=0).fit(X, y)
    lr = LogisticRegression().fit(X, y)
    assert fm.score(Xt, yt) > 0.9 and fm.score(Xt, yt) > lr.score(Xt, yt) + 0.05
    p = fm.predict_proba(Xt)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(np.exp(fm.predict_log_proba(Xt)), p, rtol=1e-12)
    np.testing.assert_array_equal(fm.predict(Xt), fm.classes_[np.argmax(p, axis=1)])


def test_three_classes_are_one_vs_rest_of_binary_fms():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    y = np.array(["a", "b", "c"])[np.argmax(X[:, :3] + X[:, 3:] * X[:, :3], axis=1)]
    ovr = FMClassifier(n_components=2, random_state=3).fit(X, y)
    Xt = rng.normal(size=(25, 4))
    cols = [FMClassifier(n_components=2, random_state=3).fit(X, y == c).decision_function(Xt)
            for c in ovr.classes_]
    z = ovr.decision_function(Xt)
    assert z.shape == (25, 3)
    np.testing.assert_allclose(z, np.column_stack(cols), rtol=0, atol=1e-12)
    sig = 1.0 / (1.0 + np.exp(-np.column_stack(cols)))
    np.testing.assert_allclose(ovr.predict_proba(Xt), sig / sig.sum(axis=1, keepdims=True),
                               rtol=1e-12)
    np.testing.assert_array_equal(ovr.predict(Xt), ovr.classes_[np.argmax(z, axis=1)])


def test_classifier_refuses_bad_params():
    X = np.random.default_rng(0).normal(size=(30, 3))
    with pytest.raises(ValueError, match="n_components"):
        FMRegressor(n_components=0).fit(X, X[:, 0])
