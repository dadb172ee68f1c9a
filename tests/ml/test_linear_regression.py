"""LinearRegression, Ridge, Lasso, ElasticNet, PolynomialFeatures, StandardScaler vs
scikit-learn."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn import linear_model as skl
from sklearn import preprocessing as skp
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline

from tests.oracles.sklearn_oracle import load, run_check_estimator
from whiteboard.ml.base import NotFittedError
from whiteboard.ml.linear_model import ElasticNet, Lasso, LinearRegression, Ridge
from whiteboard.ml.preprocessing import PolynomialFeatures, StandardScaler

DATASETS = ["iris", "wine", "breast_cancer", "digits", "diabetes"]


def regression_data(name):
    """A regression problem from a shipped dataset: predict the last feature (or the target)."""
    X, y = load(name, scale=name != "digits")
    if name == "diabetes":
        return X, y.astype(float)
    return X[:, :-1], X[:, -1] + 0.1 * y


def assert_coef_close(a, b, tol):
    scale = max(1.0, float(np.max(np.abs(b))))
    np.testing.assert_allclose(a, b, rtol=0, atol=tol * scale)


def generated(n=200, d=8, k=None, noise=0.1, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) @ np.diag(rng.uniform(0.5, 2.0, d)) + rng.normal(size=d)
    w = rng.standard_normal((d,) if k is None else (d, k))
    y = X @ w + 1.5 + noise * rng.standard_normal(n if k is None else (n, k))
    return X, y


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_linear_regression_equals_sklearn(name, fit_intercept, weighted):
    X, y = regression_data(name)
    sw = np.random.default_rng(1).uniform(0.2, 3.0, len(y)) if weighted else None
    ours = LinearRegression(fit_intercept=fit_intercept).fit(X, y, sample_weight=sw)
    ref = skl.LinearRegression(fit_intercept=fit_intercept).fit(X, y, sample_weight=sw)
    assert_coef_close(ours.coef_, ref.coef_, 1e-8)
    assert ours.intercept_ == pytest.approx(ref.intercept_, abs=1e-8)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), atol=1e-8)
    assert ours.score(X, y) == pytest.approx(ref.score(X, y), abs=1e-10)


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("solver", ["auto", "cholesky", "svd"])
@pytest.mark.parametrize("alpha", [1e-3, 1.0, 100.0])
def test_ridge_closed_form_equals_sklearn(name, solver, alpha):
    X, y = regression_data(name)
    sw = np.random.default_rng(2).uniform(0.5, 2.0, len(y))
    ours = Ridge(alpha=alpha, solver=solver).fit(X, y, sample_weight=sw)
    ref = skl.Ridge(alpha=alpha, solver="svd" if solver == "svd" else "cholesky").fit(
        X, y, sample_weight=sw)
    assert_coef_close(ours.coef_, ref.coef_, 1e-8)
    assert ours.intercept_ == pytest.approx(ref.intercept_, abs=1e-8)


def test_ridge_dual_branch_when_features_exceed_samples():
    X, y = generated(n=20, d=50)
    for fit_intercept in (True, False):
        ours = Ridge(alpha=0.5, fit_intercept=fit_intercept).fit(X, y)
        ref = skl.Ridge(alpha=0.5, fit_intercept=fit_intercept).fit(X, y)
        assert_coef_close(ours.coef_, ref.coef_, 1e-8)


def test_multi_output_and_per_target_alpha():
    X, Y = generated(k=3)
    ours = LinearRegression().fit(X, Y)
    ref = skl.LinearRegression().fit(X, Y)
    assert ours.coef_.shape == (3, X.shape[1]) and ours.intercept_.shape == (3,)
    assert_coef_close(ours.coef_, ref.coef_, 1e-8)
    alpha = np.array([0.1, 1.0, 10.0])
    for solver in ("cholesky", "svd"):
        r1 = Ridge(alpha=alpha, solver=solver).fit(X, Y)
        r2 = skl.Ridge(alpha=alpha).fit(X, Y)
        assert_coef_close(r1.coef_, r2.coef_, 1e-8)
        np.testing.assert_allclose(r1.intercept_, r2.intercept_, atol=1e-8)
    la, lb = Lasso(alpha=0.05, tol=1e-12).fit(X, Y), skl.Lasso(alpha=0.05, tol=1e-12).fit(X, Y)
    assert_coef_close(la.coef_, lb.coef_, 1e-5)


def test_rank_deficient_gives_minimum_norm_solution():
    X, y = generated(d=5)
    X = np.hstack([X, X[:, :2] * 2.0])
    ours = LinearRegression().fit(X, y)
    ref = skl.LinearRegression().fit(X, y)
    assert ours.rank_ == 5
    assert_coef_close(ours.coef_, ref.coef_, 1e-8)


@pytest.mark.parametrize("name", DATASETS)
def test_ridge_lbfgs_reaches_the_closed_form(name):
    X, y = regression_data(name)
    ours = Ridge(alpha=1.0, solver="lbfgs", tol=1e-10).fit(X, y)
    ref = skl.Ridge(alpha=1.0).fit(X, y)
    assert_coef_close(ours.coef_, ref.coef_, 1e-6)
    assert ours.n_iter_[0] >= 1


@pytest.mark.parametrize("solver, lr, epochs", [("gd", 0.1, 5000), ("sgd", 0.002, 300),
                                                ("minibatch", 0.02, 2000)])
def test_gradient_descent_solvers_converge_to_closed_form(solver, lr, epochs):
    X, y = generated(n=300, d=5, noise=0.0, seed=4)
    X = (X - X.mean(0)) / X.std(0)
    closed = LinearRegression().fit(X, y)
    ours = LinearRegression(solver=solver, learning_rate=lr, max_iter=epochs, tol=1e-12,
                            random_state=0).fit(X, y)
    assert_coef_close(ours.coef_, closed.coef_, 1e-4)
    assert ours.intercept_ == pytest.approx(closed.intercept_, abs=1e-4)
    noisy = generated(n=300, d=5, noise=0.5, seed=5)
    ridge = Ridge(alpha=3.0, solver="gd", learning_rate=0.1, max_iter=20000, tol=1e-13).fit(*noisy)
    Xs = (noisy[0] - noisy[0].mean(0)) / noisy[0].std(0)
    ridge = Ridge(alpha=3.0, solver="gd", learning_rate=0.3, max_iter=20000,
                  tol=1e-13).fit(Xs, noisy[1])
    assert_coef_close(ridge.coef_, skl.Ridge(alpha=3.0).fit(Xs, noisy[1]).coef_, 1e-4)


def test_gradient_descent_reports_divergence():
    X, y = generated()
    with pytest.raises(ValueError, match="diverged at epoch .*lower learning_rate"):
        LinearRegression(solver="gd", learning_rate=10.0).fit(X * 100, y)


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("alpha, l1_ratio", [(0.01, 1.0), (0.1, 1.0), (0.05, 0.5), (0.5, 0.2)])
def test_lasso_elasticnet_equal_sklearn(name, alpha, l1_ratio):
    X, y = regression_data(name)
    kw = {"alpha": alpha, "tol": 1e-12, "max_iter": 100000}
    if l1_ratio == 1.0:
        ours, ref = Lasso(**kw).fit(X, y), skl.Lasso(**kw).fit(X, y)
    else:
        ours = ElasticNet(l1_ratio=l1_ratio, **kw).fit(X, y)
        ref = skl.ElasticNet(l1_ratio=l1_ratio, **kw).fit(X, y)
    assert_coef_close(ours.coef_, ref.coef_, 1e-5)
    assert ours.intercept_ == pytest.approx(ref.intercept_, abs=1e-5)
    np.testing.assert_array_equal(np.abs(ours.coef_) > 1e-8, np.abs(ref.coef_) > 1e-8)


@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_lasso_options_and_weights(positive, fit_intercept):
    X, y = generated(n=60, d=100, seed=7)  # more features than samples: residual-based sweep
    sw = np.random.default_rng(3).uniform(0.1, 2, len(y))
    kw = {"alpha": 0.2, "tol": 1e-9, "max_iter": 100000, "positive": positive,
              "fit_intercept": fit_intercept}
    ours = Lasso(**kw).fit(X, y, sample_weight=sw)
    ref = skl.Lasso(**kw).fit(X, y, sample_weight=sw)
    assert_coef_close(ours.coef_, ref.coef_, 1e-5)
    if positive:
        assert (ours.coef_ >= 0).all()
    rnd = Lasso(selection="random", random_state=0, **kw).fit(X, y, sample_weight=sw)
    assert_coef_close(rnd.coef_, ref.coef_, 1e-5)


@given(alpha=st.floats(1e-3, 1.0), seed=st.integers(0, 1000), d=st.integers(1, 12))
def test_lasso_kkt_conditions(alpha, seed, d):
    """At the optimum |x_jᵀr|/N ≤ α, with equality and matching sign where w_j ≠ 0."""
    X, y = generated(n=40, d=d, seed=seed)
    m = Lasso(alpha=alpha, tol=1e-14, max_iter=100000).fit(X, y)
    r = y - m.predict(X)
    c = (X - X.mean(0)).T @ r / len(y)
    assert np.all(np.abs(c) <= alpha * (1 + 1e-6) + 1e-9)
    nz = m.coef_ != 0
    np.testing.assert_allclose(c[nz], alpha * np.sign(m.coef_[nz]), rtol=1e-5, atol=1e-8)


def test_lasso_zero_alpha_is_least_squares_and_large_alpha_is_zero():
    X, y = generated(n=100, d=4)
    assert_coef_close(Lasso(alpha=0.0, tol=1e-9, max_iter=100000).fit(X, y).coef_,
                      LinearRegression().fit(X, y).coef_, 1e-5)
    big = Lasso(alpha=1e6).fit(X, y)
    assert np.all(big.coef_ == 0) and big.intercept_ == pytest.approx(y.mean())


@pytest.mark.parametrize("degree", [0, 1, 2, 3, (2, 3), (0, 2)])
@pytest.mark.parametrize("interaction_only", [False, True])
@pytest.mark.parametrize("include_bias", [False, True])
def test_polynomial_features_equal_sklearn(degree, interaction_only, include_bias):
    if degree == 0 and not include_bias:
        with pytest.raises(ValueError, match="no output features"):
            PolynomialFeatures(0, include_bias=False).fit(np.ones((2, 2)))
        return
    X = np.random.default_rng(0).normal(size=(7, 4))
    kw = {"degree": degree, "interaction_only": interaction_only, "include_bias": include_bias}
    ours, ref = PolynomialFeatures(**kw).fit(X), skp.PolynomialFeatures(**kw).fit(X)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=1e-14)
    np.testing.assert_array_equal(ours.powers_, ref.powers_)
    assert list(ours.get_feature_names_out()) == list(ref.get_feature_names_out())
    assert ours.n_output_features_ == ref.n_output_features_


def test_polynomial_regression_pipeline_matches_sklearn():
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, (80, 1))
    y = 1 - 2 * x[:, 0] + 0.5 * x[:, 0] ** 3 + 0.05 * rng.standard_normal(80)
    ours = make_pipeline(PolynomialFeatures(3), Ridge(alpha=1e-3)).fit(x, y)
    ref = make_pipeline(skp.PolynomialFeatures(3), skl.Ridge(alpha=1e-3)).fit(x, y)
    np.testing.assert_allclose(ours.predict(x), ref.predict(x), atol=1e-8)


@pytest.mark.parametrize("name", DATASETS)
def test_standard_scaler_equals_sklearn(name):
    X, _ = load(name)
    sw = np.random.default_rng(0).uniform(0.5, 2, len(X))
    for kw in ({}, {"with_mean": False}, {"with_std": False}):
        ours = StandardScaler(**kw).fit(X, sample_weight=sw)
        ref = skp.StandardScaler(**kw).fit(X, sample_weight=sw)
        np.testing.assert_allclose(ours.transform(X), ref.transform(X), atol=1e-10)
        np.testing.assert_allclose(ours.inverse_transform(ours.transform(X)), X, atol=1e-10)


@pytest.mark.parametrize("est", [LinearRegression(), Ridge(), Lasso(), ElasticNet(),
                                 PolynomialFeatures(), StandardScaler()],
                         ids=lambda e: type(e).__name__)
def test_check_estimator(est):
    expected = {
        "check_estimators_unfitted":
            "whiteboard.ml.base.NotFittedError (shared base, numpy-only) is not a subclass of "
            "sklearn.exceptions.NotFittedError; test_bad_input checks predict before fit",
    }
    if isinstance(est, (LinearRegression, Ridge)):
        expected["check_non_transformer_estimators_n_iter"] = (
            "the default solver is direct (SVD/Cholesky): no iterations, n_iter_ is None as in "
            "scikit-learn's Ridge; the iterative solvers set n_iter_ >= 1")
    if isinstance(est, (PolynomialFeatures, StandardScaler)):
        expected = {}
    run_check_estimator(est, expected_failed_checks=expected)


@pytest.mark.parametrize("cls", [LinearRegression, Ridge, Lasso, ElasticNet])
def test_bad_input(cls):
    X, y = generated(n=30, d=3)
    with pytest.raises(NotFittedError, match="not fitted yet"):
        cls().predict(X)
    bad = X.copy()
    bad[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        cls().fit(bad, y)
    bad[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        cls().fit(bad, y)
    m = cls().fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but .* expecting 3"):
        m.predict(X[:, :2])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        cls().fit(X, y[:-1])
    with pytest.raises(ValueError, match="sample_weight"):
        cls().fit(X, y, sample_weight=np.zeros(len(y)))


def test_bad_hyper_parameters():
    X, y = generated(n=30, d=3)
    with pytest.raises(ValueError, match="solver must be"):
        LinearRegression(solver="newton").fit(X, y)
    with pytest.raises(ValueError, match="alpha must be"):
        Ridge(alpha=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="l1_ratio must be in"):
        ElasticNet(l1_ratio=2.0).fit(X, y)
    with pytest.raises(ValueError, match="learning_rate must be"):
        LinearRegression(solver="gd", learning_rate=0).fit(X, y)


def test_sklearn_meta_estimators():
    X, y = generated()
    m = clone(Ridge(alpha=2.0))
    assert m.get_params()["alpha"] == 2.0
    gs = GridSearchCV(Lasso(), {"alpha": [0.01, 0.1, 1.0]}, cv=3).fit(X, y)
    ref = GridSearchCV(skl.Lasso(), {"alpha": [0.01, 0.1, 1.0]}, cv=3).fit(X, y)
    assert gs.best_params_ == ref.best_params_
    np.testing.assert_allclose(cross_val_score(Ridge(), X, y, cv=4),
                               cross_val_score(skl.Ridge(), X, y, cv=4), atol=1e-10)


@given(n=st.integers(1, 30), d=st.integers(1, 12), k=st.sampled_from([None, 2]),
       fit_intercept=st.booleans(), alpha=st.floats(1e-3, 10.0), seed=st.integers(0, 10_000))
def test_random_shapes_equal_sklearn(n, d, k, fit_intercept, alpha, seed):
    """Random shapes incl. one sample, more features than samples and 2-D targets."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) * rng.uniform(0.1, 10, d)
    y = rng.standard_normal(n if k is None else (n, k))
    for ours, ref in ((LinearRegression(fit_intercept=fit_intercept),
                       skl.LinearRegression(fit_intercept=fit_intercept)),
                      (Ridge(alpha=alpha, fit_intercept=fit_intercept),
                       skl.Ridge(alpha=alpha, fit_intercept=fit_intercept))):
        ours.fit(X, y)
        ref.fit(X, y)
        np.testing.assert_allclose(ours.predict(X), ref.predict(X), atol=1e-8)
        if isinstance(ours, Ridge):
            assert_coef_close(ours.coef_, ref.coef_, 1e-8)


@pytest.mark.parametrize("name", DATASETS)
def test_positive_least_squares_equals_sklearn(name):
    X, y = regression_data(name)
    sw = np.random.default_rng(4).uniform(0.5, 2.0, len(y))
    ours = LinearRegression(positive=True).fit(X, y, sample_weight=sw)
    ref = skl.LinearRegression(positive=True).fit(X, y, sample_weight=sw)
    assert (ours.coef_ >= 0).all()
    assert_coef_close(ours.coef_, ref.coef_, 1e-8)
    assert ours.intercept_ == pytest.approx(ref.intercept_, abs=1e-8)


@given(m=st.integers(1, 25), n=st.integers(1, 12), seed=st.integers(0, 10_000))
def test_nnls_equals_scipy(m, n, seed):
    from scipy.optimize import nnls as scipy_nnls

    from whiteboard.ml.linear_model import nnls

    rng = np.random.default_rng(seed)
    A = rng.standard_normal((m, n))
    b = rng.standard_normal(m)
    w, _ = nnls(A, b)
    np.testing.assert_allclose(w, scipy_nnls(A, b)[0], atol=1e-9)
    g = A.T @ (b - A @ w)  # KKT: g ≤ 0 everywhere, g = 0 on the support
    assert np.all(g <= 1e-9) and np.all(np.abs(g[w > 0]) <= 1e-9)


@pytest.mark.parametrize("name", DATASETS)
def test_positive_ridge_equals_sklearn(name):
    X, y = regression_data(name)
    ours = Ridge(alpha=0.5, positive=True).fit(X, y)
    ref = skl.Ridge(alpha=0.5, positive=True, tol=1e-12, max_iter=100000).fit(X, y)
    assert (ours.coef_ >= 0).all()

    def objective(m):
        r = y - m.predict(X)
        return r @ r + 0.5 * m.coef_ @ m.coef_

    # the NNLS solution is exact; SciPy's L-BFGS-B behind sklearn can only be as good
    assert objective(ours) <= objective(ref) * (1 + 1e-12)
    if name != "digits":  # on digits (condition ~1e17) L-BFGS-B stops ~3e-3 away in w
        assert_coef_close(ours.coef_, ref.coef_, 1e-6)
        assert ours.intercept_ == pytest.approx(ref.intercept_, abs=1e-6)


@pytest.mark.parametrize("solver, lr, epochs", [("sgd", 0.002, 200), ("minibatch", 0.01, 400)])
def test_ridge_stochastic_solvers_hover_near_the_closed_form(solver, lr, epochs):
    """Constant-step SGD does not converge exactly with a penalty (its gradient noise stays
    non-zero at the optimum); with a small step it settles within ~η of the minimiser."""
    X, y = generated(n=300, d=5, noise=0.3, seed=6)
    X = (X - X.mean(0)) / X.std(0)
    closed = skl.Ridge(alpha=5.0).fit(X, y)
    ours = Ridge(alpha=5.0, solver=solver, learning_rate=lr, max_iter=epochs, tol=0,
                 random_state=0).fit(X, y)
    assert_coef_close(ours.coef_, closed.coef_, 2e-2)
    assert ours.n_iter_[0] == epochs


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "diabetes"])
def test_normal_equation_solver(name):
    X, y = regression_data(name)
    sw = np.random.default_rng(5).uniform(0.5, 2.0, len(y))
    ours = LinearRegression(solver="normal").fit(X, y, sample_weight=sw)
    ref = skl.LinearRegression().fit(X, y, sample_weight=sw)
    assert_coef_close(ours.coef_, ref.coef_, 1e-8)
    X_rank_deficient = np.hstack([X, X[:, :1]])
    with pytest.raises(ValueError, match="rank-deficient; use solver='lstsq'"):
        LinearRegression(solver="normal").fit(X_rank_deficient, y)


@pytest.mark.parametrize("cls", [PolynomialFeatures, StandardScaler])
def test_transformers_bad_input(cls):
    X = np.random.default_rng(0).normal(size=(10, 3))
    with pytest.raises(NotFittedError, match="not fitted yet"):
        cls().transform(X)
    m = cls().fit(X)
    with pytest.raises(ValueError, match="X has 2 features, but .* expecting 3"):
        m.transform(X[:, :2])
    bad = X.copy()
    bad[1, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        cls().fit(bad)
    with pytest.raises(ValueError, match="NaN"):
        m.transform(bad)
