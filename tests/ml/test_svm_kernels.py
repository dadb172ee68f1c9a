"""Kernels against sklearn.metrics.pairwise, the kernel-row cache, the generic SMO solver, and the
notes' kernel claims (ERRATA E72, E73)."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from sklearn.metrics import pairwise as skp
from sklearn.svm import SVC as SkSVC

from whiteboard.ml.svm import (
    linear_kernel,
    pairwise_kernel,
    polynomial_kernel,
    rbf_kernel,
    sigmoid_kernel,
    smo_solve,
)
from whiteboard.ml.svm.kernels import KernelMatrix, resolve_gamma


@given(n=st.integers(1, 30), m=st.integers(1, 30), d=st.integers(1, 8),
       seed=st.integers(0, 1000), gamma=st.floats(0.01, 2.0), coef0=st.floats(-1, 1),
       degree=st.integers(1, 4))
def test_kernels_match_sklearn(n, m, d, seed, gamma, coef0, degree):
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(n, d)), rng.normal(size=(m, d))
    np.testing.assert_allclose(linear_kernel(X, Y), skp.linear_kernel(X, Y), atol=1e-12)
    np.testing.assert_allclose(rbf_kernel(X, Y, gamma), skp.rbf_kernel(X, Y, gamma=gamma),
                               atol=1e-12)
    np.testing.assert_allclose(polynomial_kernel(X, Y, gamma, degree, coef0),
                               skp.polynomial_kernel(X, Y, degree=degree, gamma=gamma,
                                                     coef0=coef0), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(sigmoid_kernel(X, Y, gamma, coef0),
                               skp.sigmoid_kernel(X, Y, gamma=gamma, coef0=coef0), atol=1e-12)


@pytest.mark.parametrize("scale", [1.0, 1e-3, 50.0])
def test_gamma_scale_and_auto_match_sklearn(scale):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 5)) * scale
    y = (X[:, 0] > 0).astype(int)
    for g in ("scale", "auto", 0.3):
        assert resolve_gamma(g, X) == pytest.approx(SkSVC(gamma=g).fit(X, y)._gamma, rel=1e-12)
    assert resolve_gamma("scale", np.ones((5, 2))) == 1.0


def test_notes_bandwidth_convention():
    """E72: exp(-‖x-x'‖²/δ²) (notes) = exp(-γ‖x-x'‖²) with γ = 1/δ²; textbook σ: γ = 1/(2σ²)."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(10, 3))
    sigma = 0.7
    d2 = ((X[:, None] - X[None]) ** 2).sum(-1)
    np.testing.assert_allclose(rbf_kernel(X, X, 1 / (2 * sigma**2)),
                               np.exp(-d2 / (2 * sigma**2)), atol=1e-12)
    delta = sigma * np.sqrt(2)
    np.testing.assert_allclose(rbf_kernel(X, X, 1 / delta**2), np.exp(-d2 / delta**2),
                               atol=1e-12)


def test_sigmoid_kernel_not_psd_but_rbf_is():
    """E73: tanh(η xᵀx' + θ) has negative Gram eigenvalues for η = θ = 1; RBF and poly do not."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 2))
    assert np.linalg.eigvalsh(sigmoid_kernel(X, X, 1.0, 1.0)).min() < -1.0
    assert np.linalg.eigvalsh(rbf_kernel(X, X, 0.5)).min() > -1e-10
    assert np.linalg.eigvalsh(polynomial_kernel(X, X, 1.0, 3, 1.0)).min() > -1e-8


def test_callable_and_bad_kernel():
    X = np.arange(12.0).reshape(4, 3)
    np.testing.assert_allclose(pairwise_kernel(X, X, lambda A, B: A @ B.T), X @ X.T)
    with pytest.raises(ValueError, match=r"must return an array of shape \(4, 2\)"):
        pairwise_kernel(X, X[:2], lambda A, B: np.zeros((3, 3)))
    with pytest.raises(ValueError, match="'kernel' parameter must be one of"):
        pairwise_kernel(X, X, "laplace")


@pytest.mark.parametrize("kernel", ["linear", "poly", "rbf", "sigmoid"])
def test_kernel_matrix_rows_cache(kernel):
    """Rows equal the Gram matrix rounded to float32; the LRU cache evicts beyond capacity."""
    rng = np.random.default_rng(2)
    X = rng.normal(size=(50, 4))
    km = KernelMatrix(X, kernel, 0.2, 3, 0.5, cache_size=2 * 50 * 4 / 2**20)
    full = pairwise_kernel(X, X, kernel, 0.2, 3, 0.5)
    for i in (0, 7, 49, 7, 3):
        np.testing.assert_array_equal(km.row(i), full[i].astype(np.float32))
    assert len(km._rows) == 2
    np.testing.assert_allclose(km.diag, np.diag(full), rtol=1e-12)
    rows, cols = np.array([1, 4]), np.array([0, 2, 9])
    np.testing.assert_allclose(km.block(rows, cols, single=False), full[np.ix_(rows, cols)],
                               atol=1e-12)


@given(n=st.integers(2, 12), seed=st.integers(0, 500))
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_smo_solves_the_qp(n, seed, jit_path):
    """SMO's α minimises ½αᵀQα + pᵀα on {yᵀα = 0, 0 ≤ α ≤ C} (checked with SciPy's SLSQP)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = np.where(rng.random(n) < 0.5, 1.0, -1.0)
    y[0], y[1] = 1.0, -1.0
    C = rng.uniform(0.5, 3.0, size=n)
    p = -np.ones(n)
    km = KernelMatrix(X, "rbf", 0.5, 3, 0.0)
    res = smo_solve(km, np.arange(n), p, y, C, tol=1e-9, shrinking=True)
    K = np.vstack([km.row(i) for i in range(n)]).astype(np.float64)
    Q = (y[:, None] * y[None]) * K

    def obj(a):
        return 0.5 * a @ Q @ a + p @ a

    ref = minimize(obj, np.zeros(n), jac=lambda a: Q @ a + p, method="SLSQP",
                   bounds=list(zip(np.zeros(n), C)),
                   constraints=[{"type": "eq", "fun": lambda a: y @ a, "jac": lambda a: y}],
                   options={"ftol": 1e-14, "maxiter": 500})
    assert obj(res.alpha) <= ref.fun + 1e-7
    assert abs(y @ res.alpha) < 1e-10
    assert np.all(res.alpha >= 0) and np.all(res.alpha <= C + 1e-12)
