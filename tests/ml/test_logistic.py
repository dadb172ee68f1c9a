"""LogisticRegression against scikit-learn (lbfgs, saga, liblinear) and its own derivatives."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn import linear_model as skl
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler as SkScaler

from tests.oracles.sklearn_oracle import load, run_check_estimator
from whiteboard.ml.base import NotFittedError
from whiteboard.ml.linear_model import LogisticRegression
from whiteboard.ml.linear_model._logistic import _Objective

DATASETS = ["iris", "wine", "breast_cancer", "digits"]


def sk_logistic(**kw):
    """scikit-learn's LogisticRegression with a tight tolerance, its deprecation noise muted."""
    kw.setdefault("tol", 1e-10)
    kw.setdefault("max_iter", 100000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return skl.LogisticRegression(**kw)


def fit_sk(est, X, y, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return est.fit(X, y, **kw)


def binary(name):
    X, y = load(name, scale=True)
    if name == "breast_cancer":
        return X, y
    # two overlapping classes: iris versicolor/virginica, wine 1/2, digits 3/8
    keep = np.isin(y, [3, 8]) if name == "digits" else y >= 1
    return X[keep], y[keep]


@pytest.fixture(scope="module")
def references():
    out = {}
    for name in DATASETS:
        X, y = load(name, scale=True)
        for C in (0.1, 1.0):
            out[name, C] = fit_sk(sk_logistic(C=C), X, y)
    return out


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("C", [0.1, 1.0])
@pytest.mark.parametrize("solver", ["lbfgs", "newton"])
def test_multinomial_l2_equals_sklearn_lbfgs(name, C, solver, references):
    X, y = load(name, scale=True)
    if name == "digits" and solver == "newton":
        X, y = X[:600], y[:600]
        ref = fit_sk(sk_logistic(C=C), X, y)
    else:
        ref = references[name, C]
    ours = LogisticRegression(C=C, solver=solver, tol=1e-10, max_iter=10000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-4, rtol=0)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-4, rtol=0)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-5)
    if name != "breast_cancer":
        assert ours.coef_.shape == (len(np.unique(y)), X.shape[1])


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("solver", ["lbfgs", "newton"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_binary_l2_equals_sklearn(name, solver, fit_intercept):
    X, y = binary(name)
    kw = {"C": 0.5, "fit_intercept": fit_intercept}
    ref = fit_sk(sk_logistic(**kw), X, y)
    ours = LogisticRegression(solver=solver, tol=1e-10, max_iter=10000, **kw).fit(X, y)
    assert ours.coef_.shape == (1, X.shape[1]) and ours.intercept_.shape == (1,)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-4, rtol=0)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-4, rtol=0)
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X), atol=1e-4)
    np.testing.assert_allclose(ours.predict_log_proba(X), ref.predict_log_proba(X), atol=1e-4)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


@pytest.mark.parametrize("class_weight", [None, "balanced", {0: 3.0, 2: 0.5}])
@pytest.mark.parametrize("weighted", [False, True])
def test_sample_and_class_weights_equal_sklearn(class_weight, weighted):
    X, y = load("wine", scale=True)
    sw = np.random.default_rng(0).uniform(0.2, 3.0, len(y)) if weighted else None
    ref = fit_sk(sk_logistic(C=0.3, class_weight=class_weight), X, y, sample_weight=sw)
    for solver in ("lbfgs", "newton"):
        ours = LogisticRegression(C=0.3, class_weight=class_weight, solver=solver, tol=1e-10,
                                  max_iter=10000).fit(X, y, sample_weight=sw)
        np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-4, rtol=0)
        np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-4, rtol=0)


def noisy_problem(n=300, d=6, k=2, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    W = rng.standard_normal((d, k))
    y = np.argmax(X @ W + 1.5 * rng.gumbel(size=(n, k)), axis=1)
    return X, y


@pytest.mark.parametrize("k", [2, 3])
def test_no_penalty_equals_sklearn(k):
    X, y = noisy_problem(k=k)
    ref = fit_sk(sk_logistic(C=np.inf), X, y)
    for solver in ("lbfgs", "newton"):
        ours = LogisticRegression(penalty=None, solver=solver, tol=1e-10,
                                  max_iter=10000).fit(X, y)
        np.testing.assert_allclose(ours.coef_, ref.coef_ - ref.coef_.mean(0) * (k > 2)
                                   + ours.coef_.mean(0) * (k > 2), atol=1e-4)
        np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-5)


@pytest.mark.parametrize("name", ["breast_cancer", "wine"])
@pytest.mark.parametrize("solver", ["gd", "fista"])
def test_first_order_solvers_reach_the_lbfgs_solution(name, solver):
    X, y = load(name, scale=True)
    ref = fit_sk(sk_logistic(C=0.5), X, y)
    ours = LogisticRegression(C=0.5, solver=solver, tol=1e-9, max_iter=50000).fit(X, y)
    assert ours.converged_
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-4, rtol=0)


def test_sgd_gets_close_to_the_optimum():
    X, y = binary("breast_cancer")
    best = LogisticRegression(C=0.5, tol=1e-10, max_iter=10000).fit(X, y)
    objective = _Objective(X, y.astype(float), np.ones(len(y)), 1, True, 1 / (0.5 * len(y)))

    def value(m):
        return objective(np.hstack([m.coef_[0], m.intercept_]))[0]

    for batch_size in (1, 32):
        sgd = LogisticRegression(C=0.5, solver="sgd", batch_size=batch_size, learning_rate=0.5,
                                 max_iter=60, tol=0, random_state=0).fit(X, y)
        # a decaying step (1/√epoch) after 60 epochs: within 2 % of the optimal objective
        assert value(sgd) - value(best) < 2e-2 * value(best)
        assert sgd.score(X, y) >= best.score(X, y) - 0.01


@pytest.mark.parametrize("C", [0.05, 0.2, 1.0])
def test_l1_sparsity_pattern_equals_sklearn(C):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 20))
    w = np.zeros(20)
    w[:4] = [2.0, -3.0, 1.5, 1.0]
    y = (X @ w + 0.5 * rng.standard_normal(300) > 0).astype(int)
    ours = LogisticRegression(penalty="l1", C=C, solver="fista", tol=1e-10,
                              max_iter=100000).fit(X, y)
    saga = fit_sk(sk_logistic(penalty="l1", C=C, solver="saga", tol=1e-12), X, y)
    # liblinear penalises the intercept (as a feature of value intercept_scaling), so its
    # coefficients differ slightly; the zero pattern must not
    liblinear = fit_sk(sk_logistic(penalty="l1", C=C, solver="liblinear", tol=1e-8,
                                   intercept_scaling=100), X, y)
    for ref, atol in ((saga, 1e-4), (liblinear, 1e-3)):
        np.testing.assert_array_equal(ours.coef_ != 0, ref.coef_ != 0)
        np.testing.assert_allclose(ours.coef_, ref.coef_, atol=atol)
    assert (ours.coef_ == 0).sum() >= 6


@pytest.mark.parametrize("penalty, l1_ratio", [("l1", None), ("elasticnet", 0.5)])
def test_multinomial_l1_and_elasticnet_equal_saga(penalty, l1_ratio):
    X, y = load("wine", scale=True)
    ours = LogisticRegression(penalty=penalty, l1_ratio=l1_ratio, C=0.1, solver="fista",
                              tol=1e-10, max_iter=100000).fit(X, y)
    ref = fit_sk(sk_logistic(penalty=penalty, l1_ratio=l1_ratio, C=0.1, solver="saga",
                             tol=1e-12), X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-4)
    np.testing.assert_array_equal(ours.coef_ != 0, ref.coef_ != 0)
    assert (ours.coef_ == 0).any()


def test_string_labels_work_and_map_through_classes_():
    X, y = load("iris", scale=True)
    names = np.array(["setosa", "versicolor", "virginica"], dtype=object)[y]
    ours = LogisticRegression(tol=1e-10, max_iter=1000).fit(X, names)
    ref = fit_sk(sk_logistic(), X, names)
    assert list(ours.classes_) == ["setosa", "versicolor", "virginica"]
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    assert ours.score(X, names) == pytest.approx(ref.score(X, names))
    two = np.where(y == 0, "no", "yes")
    m = LogisticRegression().fit(X, two)
    assert set(m.predict(X)) <= {"no", "yes"} and m.coef_.shape == (1, 4)


@given(seed=st.integers(0, 1000), k=st.integers(1, 4), fit_intercept=st.booleans(),
       l2=st.sampled_from([0.0, 0.3]))
def test_gradient_and_hessian_match_finite_differences(seed, k, fit_intercept, l2):
    rng = np.random.default_rng(seed)
    n, d = 25, 3
    X = rng.standard_normal((n, d))
    K = 2 if k == 1 else k
    y = rng.integers(0, K, n)
    s = rng.uniform(0.5, 2.0, n)
    obj = _Objective(X, y.astype(float) if k == 1 else y, s, k, fit_intercept, l2)
    theta = rng.standard_normal(k * (d + int(fit_intercept)))
    _, g = obj(theta)
    H = obj.hessian(theta)
    eps = 1e-6
    num_g = np.empty_like(theta)
    num_H = np.empty((theta.size, theta.size))
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = eps
        num_g[i] = (obj(theta + e)[0] - obj(theta - e)[0]) / (2 * eps)
        num_H[:, i] = (obj(theta + e)[1] - obj(theta - e)[1]) / (2 * eps)
    np.testing.assert_allclose(g, num_g, atol=1e-7)
    np.testing.assert_allclose(H, num_H, atol=1e-6)
    # the binary gradient is (1/S) Σ sᵢ (σ(wᵀxᵢ + b) − yᵢ) xᵢ + l2·w
    if k == 1:
        z = obj.scores(theta)[:, 0]
        direct = (s * (1 / (1 + np.exp(-z)) - y)) @ X / s.sum() + l2 * theta[:d]
        np.testing.assert_allclose(g[:d], direct, atol=1e-12)


@pytest.mark.parametrize("est", [
    LogisticRegression(), LogisticRegression(solver="newton"),
    LogisticRegression(solver="fista", penalty="l1"), LogisticRegression(solver="gd", max_iter=500),
    LogisticRegression(solver="sgd", batch_size=8, max_iter=20)], ids=repr)
def test_check_estimator(est):
    expected = {
        "check_estimators_unfitted":
            "whiteboard.ml.base.NotFittedError (shared base, numpy-only) is not a subclass of "
            "sklearn.exceptions.NotFittedError; test_bad_input checks predict before fit",
        "check_supervised_y_2d":
            "asks for sklearn's DataConversionWarning when y has shape (n, 1); whiteboard "
            "cannot import it at runtime and ravels such y silently",
    }
    if est.solver == "sgd":
        expected["check_sample_weight_equivalence_on_dense_data"] = (
            "stochastic mini-batches: a weight of 2 scales one gradient term, it does not add a "
            "second visit (scikit-learn lists the same failure for its SGD estimators)")
    run_check_estimator(est, expected_failed_checks=expected)


def test_bad_input():
    X, y = load("iris")
    with pytest.raises(NotFittedError, match="not fitted yet"):
        LogisticRegression().predict(X)
    with pytest.raises(NotFittedError):
        LogisticRegression().predict_proba(X)
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        LogisticRegression().fit(bad, y)
    bad[3, 1] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        LogisticRegression().fit(bad, y)
    m = LogisticRegression(max_iter=1000).fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but LogisticRegression is "
                                         "expecting 4"):
        m.predict(X[:, :3])
    with pytest.raises(ValueError, match="only one class"):
        LogisticRegression().fit(X, np.zeros(len(X)))
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        LogisticRegression().fit(X, np.linspace(0, 1, len(X)))
    with pytest.raises(ValueError, match="solver='lbfgs' supports only penalty 'l2' or None"):
        LogisticRegression(penalty="l1").fit(X, y)
    with pytest.raises(ValueError, match="needs l1_ratio"):
        LogisticRegression(penalty="elasticnet", solver="fista").fit(X, y)
    with pytest.raises(ValueError, match="penalty must be"):
        LogisticRegression(penalty="l3").fit(X, y)
    with pytest.raises(ValueError, match="C must be a positive"):
        LogisticRegression(C=0).fit(X, y)
    with pytest.raises(ValueError, match="solver must be one of"):
        LogisticRegression(solver="liblinear").fit(X, y)
    with pytest.raises(ValueError, match="dual=True"):
        LogisticRegression(dual=True).fit(X, y)
    with pytest.raises(ValueError, match="class_weight has label 7"):
        LogisticRegression(class_weight={7: 1.0}).fit(X, y)


def test_sklearn_meta_estimators():
    X, y = load("breast_cancer")
    pipe = make_pipeline(SkScaler(), LogisticRegression(max_iter=1000))
    ref = make_pipeline(SkScaler(), skl.LogisticRegression(max_iter=1000))
    np.testing.assert_allclose(cross_val_score(pipe, X, y, cv=3),
                               cross_val_score(ref, X, y, cv=3), atol=0.011)
    gs = GridSearchCV(clone(pipe), {"logisticregression__C": [0.01, 1.0]}, cv=3).fit(X, y)
    assert gs.best_params_["logisticregression__C"] in (0.01, 1.0)


def test_warm_start_and_iteration_counts():
    X, y = load("wine", scale=True)
    m = LogisticRegression(max_iter=3, warm_start=True)
    m.fit(X, y)
    first = m.coef_.copy()
    assert not m.converged_ and m.n_iter_[0] == 3
    m.set_params(max_iter=1000, tol=1e-10).fit(X, y)
    assert m.converged_
    assert not np.allclose(first, m.coef_)
