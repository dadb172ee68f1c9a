"""PCA against scikit-learn 1.9.1 (svd_solver='full').

Components are compared exactly in sign (both apply svd_flip on the rows of Vᵀ), to 1e-10;
explained variances, ratios and singular values to 1e-10 (relative).
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.decomposition import PCA as SkPCA

from tests.oracles.sklearn_oracle import load, run_check_estimator
from whiteboard.ml.decomposition import PCA

TOL = 1e-10


def _compare(X, **kw):
    ours = PCA(**kw).fit(X)
    ref = SkPCA(svd_solver="full", **kw).fit(X)
    assert ours.n_components_ == ref.n_components_
    for name in ("components_", "explained_variance_", "explained_variance_ratio_",
                 "singular_values_", "mean_"):
        np.testing.assert_allclose(getattr(ours, name), getattr(ref, name), rtol=TOL,
                                   atol=TOL, err_msg=name)
    np.testing.assert_allclose(ours.noise_variance_, ref.noise_variance_, rtol=TOL, atol=TOL)
    scale = max(1.0, np.abs(X).max())
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=TOL, atol=TOL * scale)
    np.testing.assert_allclose(PCA(**kw).fit_transform(X), SkPCA(svd_solver="full", **kw)
                               .fit_transform(X), rtol=1e-8, atol=1e-8 * scale)
    Z = ours.transform(X)
    np.testing.assert_allclose(ours.inverse_transform(Z), ref.inverse_transform(Z), rtol=TOL,
                               atol=TOL * scale)
    np.testing.assert_allclose(ours.get_covariance(), ref.get_covariance(), rtol=1e-8,
                               atol=1e-10 * scale ** 2)
    return ours, ref


@given(st.integers(0, 38), st.integers(1, 8), st.integers(0, 10_000), st.booleans(),
       st.sampled_from([None, 1, 2, 0.5, 0.95, "mle"]))
def test_random_matrices(extra, d, seed, whiten, n_components):
    # n >= d + 2 keeps the centred data at full rank d: with a zero singular value the
    # matching axis is any unit vector of the null space and whitening divides noise by ~0
    n = d + 2 + extra
    rng = np.random.default_rng(seed)
    # distinct scales per feature so that the singular values are well separated
    X = rng.normal(size=(n, d)) * np.geomspace(1, 10, d) + rng.normal(size=d)
    if isinstance(n_components, int) and n_components > min(n, d):
        n_components = min(n, d)
    if n_components == "mle" and (n < d or d == 1):  # 'mle' may pick 0 components for d = 1
        n_components = None
    _compare(X, n_components=n_components, whiten=whiten)


@pytest.mark.parametrize("name", ["iris", "wine", "digits", "breast_cancer"])
@pytest.mark.parametrize("n_components", [None, 2, 0.8, "mle"])
def test_datasets(name, n_components):
    X, _ = load(name)
    _compare(X, n_components=n_components, whiten=n_components == 2)


def test_full_rank_reconstruction_and_orthonormality():
    X, _ = load("wine", scale=True)
    p = PCA().fit(X)
    np.testing.assert_allclose(p.inverse_transform(p.transform(X)), X, atol=1e-10)
    np.testing.assert_allclose(p.components_ @ p.components_.T, np.eye(X.shape[1]), atol=1e-12)
    np.testing.assert_allclose(p.explained_variance_ratio_.sum(), 1.0, rtol=1e-12)
    Z = PCA(whiten=True).fit_transform(X)
    np.testing.assert_allclose(np.cov(Z, rowvar=False), np.eye(X.shape[1]), atol=1e-10)


def test_covariance_eigh_solver_matches_full():
    X, _ = load("breast_cancer", scale=True)
    a = PCA(5, svd_solver="covariance_eigh").fit(X)
    b = PCA(5, svd_solver="full").fit(X)
    np.testing.assert_allclose(a.components_, b.components_, atol=1e-8)
    np.testing.assert_allclose(a.explained_variance_, b.explained_variance_, rtol=1e-10)


def test_errors():
    X = np.random.default_rng(0).normal(size=(5, 3))
    with pytest.raises(ValueError, match="n_components=4 must be between 0 and"):
        PCA(4).fit(X)
    with pytest.raises(ValueError, match="svd_solver"):
        PCA(svd_solver="arpack").fit(X)
    with pytest.raises(ValueError, match="X has 2 features"):
        PCA(2).fit(X).transform(X[:, :2])


def test_check_estimator():
    run_check_estimator(PCA(), expected_failed_checks={
        "check_estimators_unfitted":
            "whiteboard.ml.base.NotFittedError (shared base, numpy-only) is not a subclass of "
            "sklearn.exceptions.NotFittedError; transform does raise it before fit",
    })


def test_pipeline_and_grid_search():
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline

    X, y = load("digits")
    pipe = make_pipeline(PCA(whiten=True), LogisticRegression(max_iter=1000))
    search = GridSearchCV(pipe, {"pca__n_components": [5, 20]}, cv=3).fit(X[:600], y[:600])
    assert search.best_params_["pca__n_components"] == 20
    assert search.best_score_ > 0.85
