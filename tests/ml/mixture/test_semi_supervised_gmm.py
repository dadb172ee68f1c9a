"""SemiSupervisedGaussianMixture: with no labels it equals GaussianMixture from the same init (all
covariance types, 1e-12); with every sample labelled it equals the per-class MLE and stops; with
a few labels its iterates equal a by-hand clamped EM on SciPy's multivariate_normal densities
(1e-8), the joint log-likelihood never decreases and labelled samples keep their labels."""

import warnings

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_normal

from whiteboard.ml.mixture import GaussianMixture, SemiSupervisedGaussianMixture

TYPES = ["full", "tied", "diag", "spherical"]


def _blobs(seed=0, n=240, d=3, k=3):
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=2.5, size=(k, d))
    y = rng.integers(k, size=n)
    X = centers[y] + rng.normal(size=(n, d)) @ (np.eye(d) + 0.3 * rng.normal(size=(d, d)))
    return X, y


def _few_labels(y, per_class, seed):
    rng = np.random.default_rng(seed)
    y_semi = np.full_like(y, -1)
    for c in np.unique(y):
        idx = rng.choice(np.flatnonzero(y == c), per_class, replace=False)
        y_semi[idx] = c
    return y_semi


@pytest.mark.parametrize("cov", TYPES)
def test_no_labels_equals_unsupervised_fit(cov):
    X, _ = _blobs(1)
    kw = dict(n_components=3, covariance_type=cov, random_state=4, max_iter=200, tol=1e-6)
    ours = SemiSupervisedGaussianMixture(**kw).fit(X)
    ref = GaussianMixture(**kw).fit(X)
    assert ours.n_iter_ == ref.n_iter_
    for attr in ("weights_", "means_", "covariances_", "precisions_cholesky_"):
        np.testing.assert_allclose(getattr(ours, attr), getattr(ref, attr), rtol=1e-12,
                                   atol=1e-12)
    np.testing.assert_allclose(ours.lower_bounds_, ref.lower_bounds_, rtol=1e-12)
    assert np.array_equal(SemiSupervisedGaussianMixture(**kw).fit_predict(X, np.full(240, -1)),
                          ref.predict(X))


def test_all_labels_gives_per_class_mle():
    X, y = _blobs(2)
    reg = 1e-6
    gm = SemiSupervisedGaussianMixture(3, reg_covar=reg, tol=1e-10).fit(X, y)
    assert gm.converged_ and gm.n_iter_ <= 2
    for c in range(3):
        Xc = X[y == c]
        np.testing.assert_allclose(gm.weights_[c], np.mean(y == c), rtol=1e-12)
        np.testing.assert_allclose(gm.means_[c], Xc.mean(0), rtol=1e-12)
        np.testing.assert_allclose(gm.covariances_[c],
                                   np.cov(Xc, rowvar=False, bias=True) + reg * np.eye(3),
                                   rtol=1e-10, atol=1e-12)
    ll = sum(multivariate_normal(gm.means_[c], gm.covariances_[c]).logpdf(X[y == c]).sum()
             + np.log(gm.weights_[c]) * np.sum(y == c) for c in range(3))
    np.testing.assert_allclose(gm.lower_bounds_[-1], ll / len(X), rtol=1e-10)


def _reference_clamped_em(X, y_semi, k, n_iter, reg):
    """Full-covariance EM written out with SciPy densities: labelled rows one-hot."""
    lab = y_semi >= 0
    R = np.zeros((len(X), k))
    R[np.flatnonzero(lab), y_semi[lab]] = 1.0
    bounds = []
    for it in range(n_iter + 1):
        nk = R.sum(0)
        pi = nk / nk.sum()
        mu = (R.T @ X) / nk[:, None]
        cov = np.stack([((R[:, j, None] * (X - mu[j])).T @ (X - mu[j])) / nk[j]
                        + reg * np.eye(X.shape[1]) for j in range(k)])
        if it == n_iter:
            return pi, mu, cov, bounds
        logp = np.stack([multivariate_normal(mu[j], cov[j]).logpdf(X) + np.log(pi[j])
                         for j in range(k)], axis=1)
        norm = logsumexp(logp, axis=1)
        norm[lab] = logp[np.flatnonzero(lab), y_semi[lab]]
        bounds.append(norm.mean())
        R = np.exp(logp - logsumexp(logp, axis=1, keepdims=True))
        R[lab] = 0.0
        R[np.flatnonzero(lab), y_semi[lab]] = 1.0


@pytest.mark.parametrize("seed", [0, 3])
def test_few_labels_match_reference_em_and_bound_is_monotone(seed):
    X, y = _blobs(seed)
    y_semi = _few_labels(y, 3, seed)
    n_iter = 7
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gm = SemiSupervisedGaussianMixture(3, max_iter=n_iter, tol=0.0).fit(X, y_semi)
    pi, mu, cov, bounds = _reference_clamped_em(X, y_semi, 3, n_iter, 1e-6)
    np.testing.assert_allclose(gm.weights_, pi, rtol=1e-8)
    np.testing.assert_allclose(gm.means_, mu, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(gm.covariances_, cov, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(gm.lower_bounds_, bounds, rtol=1e-8)
    gm = SemiSupervisedGaussianMixture(3, max_iter=300, tol=1e-10).fit(X, y_semi)
    assert np.all(np.diff(gm.lower_bounds_) >= -1e-12)
    pred = SemiSupervisedGaussianMixture(3, max_iter=300, tol=1e-10).fit_predict(X, y_semi)
    np.testing.assert_array_equal(pred[y_semi >= 0], y_semi[y_semi >= 0])


def test_few_labels_beat_labels_only_on_overlapping_blobs():
    X, y = _blobs(5, n=600)
    y_semi = _few_labels(y, 5, 5)
    lab = y_semi >= 0
    sup = SemiSupervisedGaussianMixture(3, covariance_type="tied").fit(X[lab], y[lab])
    semi = SemiSupervisedGaussianMixture(3, covariance_type="tied").fit(X, y_semi)
    assert np.mean(semi.predict(X) == y) > np.mean(sup.predict(X) == y)


def test_bad_labels():
    X, y = _blobs(0)
    gm = SemiSupervisedGaussianMixture(3)
    with pytest.raises(ValueError, match=r"y must have shape \(240,\)"):
        gm.fit(X, y[:-1])
    with pytest.raises(ValueError, match=r"labels must be -1 \(unlabelled\) or in \[0, 2\]"):
        gm.fit(X, np.where(y == 2, 3, y))
    with pytest.raises(ValueError, match="integer component indices"):
        gm.fit(X, y.astype(str))
    with pytest.raises(ValueError, match="integer component indices"):
        gm.fit(X, y + 0.5)
    gm.fit(X, y)
    assert not hasattr(gm, "_labels")
