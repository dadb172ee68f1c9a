"""GaussianMixture (EM) against scikit-learn 1.9.1: from the same initial weights, means and
precisions every covariance type gives the same iterates (weights, means, covariances,
precisions, lower bound, iteration count) to 1e-8 relative; the default k-means start reaches the
same optimum on separated data; the lower bound never decreases; sampling reproduces the model."""

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.mixture import GaussianMixture as SkGM
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from whiteboard.ml.cluster import ConvergenceWarning
from whiteboard.ml.mixture import GaussianMixture

TOL = dict(rtol=1e-8, atol=1e-10)
TYPES = ["full", "tied", "diag", "spherical"]


def _data(seed=0, n=300, d=3, k=3, spread=4.0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=spread, size=(k, d))
    labels = rng.integers(k, size=n)
    A = rng.normal(size=(k, d, d)) * 0.6 + np.eye(d)
    X = centers[labels] + np.einsum("nij,nj->ni", A[labels], rng.normal(size=(n, d)))
    return X, labels


def _inits(X, k, covariance_type, seed):
    rng = np.random.default_rng(seed)
    d = X.shape[1]
    weights = rng.dirichlet(np.ones(k))
    means = X[rng.choice(len(X), k, replace=False)] + rng.normal(scale=0.1, size=(k, d))
    if covariance_type == "full":
        B = rng.normal(size=(k, d, d))
        prec = B @ B.transpose(0, 2, 1) + d * np.eye(d)
    elif covariance_type == "tied":
        B = rng.normal(size=(d, d))
        prec = B @ B.T + d * np.eye(d)
    elif covariance_type == "diag":
        prec = rng.uniform(0.2, 2.0, size=(k, d))
    else:
        prec = rng.uniform(0.2, 2.0, size=k)
    return dict(weights_init=weights, means_init=means, precisions_init=prec)


def _fit_both(X, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return GaussianMixture(**kw).fit(X), SkGM(**kw).fit(X)


@pytest.mark.parametrize("covariance_type", TYPES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_same_start_gives_same_iterates_as_sklearn(covariance_type, seed):
    X, _ = _data(seed, d=2 + seed)
    k = 3
    inits = _inits(X, k, covariance_type, seed)
    for max_iter in (1, 3, 200):
        ours, ref = _fit_both(X, n_components=k, covariance_type=covariance_type,
                              max_iter=max_iter, tol=1e-6, **inits)
        for name in ("weights_", "means_", "covariances_", "precisions_",
                     "precisions_cholesky_"):
            np.testing.assert_allclose(getattr(ours, name), getattr(ref, name), **TOL,
                                       err_msg=f"{name}, max_iter={max_iter}")
        assert ours.n_iter_ == ref.n_iter_ and ours.converged_ == ref.converged_
        assert ours.lower_bound_ == pytest.approx(ref.lower_bound_, rel=1e-10)
        np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), **TOL)
        np.testing.assert_allclose(ours.score_samples(X), ref.score_samples(X), **TOL)
        np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
        assert ours.bic(X) == pytest.approx(ref.bic(X), rel=1e-10)
        assert ours.aic(X) == pytest.approx(ref.aic(X), rel=1e-10)


@pytest.mark.parametrize("covariance_type", TYPES)
def test_kmeans_start_reaches_sklearns_optimum_on_separated_data(covariance_type):
    X, _ = _data(5, n=400, d=2, k=3, spread=8.0)
    ours, ref = _fit_both(X, n_components=3, covariance_type=covariance_type, random_state=0,
                          n_init=2, tol=1e-8, max_iter=500)
    order_o, order_r = np.argsort(ours.means_[:, 0]), np.argsort(ref.means_[:, 0])
    np.testing.assert_allclose(ours.means_[order_o], ref.means_[order_r], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(ours.weights_[order_o], ref.weights_[order_r], rtol=1e-5)
    assert ours.lower_bound_ == pytest.approx(ref.lower_bound_, rel=1e-7)


@pytest.mark.parametrize("init_params", ["kmeans", "k-means++", "random", "random_from_data"])
def test_lower_bound_never_decreases_and_fit_predict_equals_predict(init_params):
    X, _ = _data(3, n=250, d=4, k=4)
    gm = GaussianMixture(4, init_params=init_params, random_state=1, tol=1e-10, max_iter=60)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        labels = gm.fit_predict(X)
    bounds = np.array(gm.lower_bounds_)
    assert np.all(np.diff(bounds) >= -1e-12 * np.abs(bounds[1:]))
    np.testing.assert_array_equal(labels, gm.predict(X))
    assert gm.score(X) == pytest.approx(gm.score_samples(X).mean())
    np.testing.assert_allclose(gm.predict_proba(X).sum(axis=1), 1.0, rtol=1e-12)


def test_sampling_reproduces_the_mixture():
    X, _ = _data(4, n=300, d=2, k=2, spread=6.0)
    gm = GaussianMixture(2, random_state=0).fit(X)
    S, y = gm.sample(60_000)
    assert S.shape == (60_000, 2) and np.bincount(y).sum() == 60_000
    # binomial sd of a weight estimate with 60k draws is < 0.0021: 5 sd
    np.testing.assert_allclose(np.bincount(y) / len(y), gm.weights_, atol=0.011)
    for k in range(2):
        Sk = S[y == k]
        se = np.sqrt(np.diag(gm.covariances_[k]) / len(Sk))
        assert np.all(np.abs(Sk.mean(axis=0) - gm.means_[k]) < 5 * se)
        np.testing.assert_allclose(np.cov(Sk.T), gm.covariances_[k], rtol=0.05, atol=0.05)


def test_works_in_sklearn_pipeline_and_grid_search():
    X, _ = _data(6, n=200, d=2, k=3, spread=6.0)
    search = GridSearchCV(make_pipeline(StandardScaler(), GaussianMixture(random_state=0)),
                          {"gaussianmixture__n_components": [1, 3],
                           "gaussianmixture__covariance_type": ["full", "diag"]}, cv=3)
    search.fit(X)
    assert search.best_params_["gaussianmixture__n_components"] == 3
    assert clone(GaussianMixture(4, covariance_type="tied")).get_params()["n_components"] == 4


def test_warm_start_continues_from_the_last_fit():
    X, _ = _data(7, n=200, d=2, k=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        cold = GaussianMixture(2, max_iter=6, tol=0, random_state=0).fit(X)
        warm = GaussianMixture(2, max_iter=3, tol=0, random_state=0, warm_start=True).fit(X)
        warm.fit(X)
    np.testing.assert_allclose(warm.means_, cold.means_, rtol=1e-12)


def test_errors_name_the_argument():
    X, _ = _data(0, n=20, d=2)
    with pytest.raises(ValueError, match="covariance_type must be one of"):
        GaussianMixture(covariance_type="banded").fit(X)
    with pytest.raises(ValueError, match="n_components must be an int >= 1"):
        GaussianMixture(0).fit(X)
    with pytest.raises(ValueError, match="Expected n_samples >= n_components"):
        GaussianMixture(30).fit(X)
    with pytest.raises(ValueError, match=r"means_init must have shape \(2, 2\)"):
        GaussianMixture(2, means_init=np.zeros((3, 2))).fit(X)
    with pytest.raises(ValueError, match="weights_init must lie in"):
        GaussianMixture(2, weights_init=[0.7, 0.7]).fit(X)
    with pytest.raises(ValueError, match="positive-definite"):
        GaussianMixture(2, precisions_init=-np.stack([np.eye(2)] * 2)).fit(X)
    with pytest.raises(ValueError, match="ill-defined empirical covariance"):
        GaussianMixture(2, reg_covar=0, init_params="random_from_data",
                        random_state=0).fit(np.ones((10, 2)))
    with pytest.raises(ValueError, match="not fitted"):
        GaussianMixture().predict(X)
    gm = GaussianMixture(2, random_state=0).fit(X)
    with pytest.raises(ValueError, match="X has 3 features"):
        gm.predict(np.zeros((2, 3)))


@pytest.mark.parametrize("covariance_type", TYPES)
def test_check_estimator(covariance_type):
    from tests.oracles.sklearn_oracle import run_check_estimator

    run_check_estimator(GaussianMixture(2, covariance_type=covariance_type, random_state=0))
