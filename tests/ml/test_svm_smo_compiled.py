"""The compiled SMO loop (smo_compiled.py) takes the NumPy solver's iterates, bit for bit.

Both paths make the same working-set choices (ties included), so the number of iterations, α
and ρ are *equal* — not close — on every kernel, with and without shrinking, weights, a cache
too small for the Gram matrix (evictions), one-vs-one, ε-SVR, max_iter and Platt's folds.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_classification

from tests.oracles.sklearn_oracle import load
from whiteboard import jit
from whiteboard.ml.svm import SVC, SVR, smo_solve
from whiteboard.ml.svm.kernels import KernelMatrix

pytestmark = pytest.mark.skipif(not jit.available(), reason="Numba is not installed")


def _both(make, X, y, sample_weight=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with jit.disabled():
            a = make().fit(X, y, sample_weight=sample_weight)
        with jit.flags(enabled=True):
            b = make().fit(X, y, sample_weight=sample_weight)
    return a, b


def _assert_equal_fits(a, b):
    np.testing.assert_array_equal(a.n_iter_, b.n_iter_)
    np.testing.assert_array_equal(a.support_, b.support_)
    np.testing.assert_array_equal(a.dual_coef_, b.dual_coef_)
    np.testing.assert_array_equal(a.intercept_, b.intercept_)
    for name in ("probA_", "probB_"):
        if hasattr(a, name):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


@pytest.mark.parametrize("kernel", ["linear", "poly", "rbf", "sigmoid"])
@pytest.mark.parametrize("shrinking", [True, False])
def test_svc_each_kernel(kernel, shrinking):
    X, y = load("breast_cancer", scale=True)
    _assert_equal_fits(*_both(lambda: SVC(kernel=kernel, shrinking=shrinking), X, y))


@pytest.mark.parametrize("kernel", ["linear", "poly", "rbf", "sigmoid"])
def test_svr_each_kernel(kernel):
    X, y = load("diabetes")
    _assert_equal_fits(*_both(lambda: SVR(kernel=kernel, C=10.0), X, y))


@pytest.mark.parametrize("params", [
    {"class_weight": "balanced"},
    {"class_weight": {0: 0.3, 2: 4.0}, "C": 0.7},
    {"cache_size": 0.01},
    {"max_iter": 37},
    {"probability": True, "random_state": 0},
    {"kernel": "poly", "degree": 2, "C": 50.0},
])
def test_svc_multiclass_and_options(params):
    X, y = load("wine", scale=True)
    _assert_equal_fits(*_both(lambda: SVC(**params), X, y))


def test_sample_weight_and_zero_weights():
    X, y = make_classification(300, 6, random_state=3)
    w = np.random.default_rng(0).uniform(0.0, 3.0, size=len(y))
    w[:20] = 0.0
    _assert_equal_fits(*_both(lambda: SVC(C=3.0), X, y, sample_weight=w))


def test_precomputed_and_callable():
    X, y = load("iris", scale=True)
    _assert_equal_fits(*_both(lambda: SVC(kernel="precomputed"), X @ X.T, y))
    _assert_equal_fits(*_both(lambda: SVC(kernel=lambda A, B: (A @ B.T + 1.0) ** 2), X, y))


def test_evictions_on_a_larger_problem():
    """2,000 samples, a cache of ~130 rows: the LRU evicts constantly, shrinking reorders."""
    X, y = make_classification(2000, 20, random_state=0)
    a, b = _both(lambda: SVC(cache_size=1.0), X, y)
    _assert_equal_fits(a, b)
    assert a.n_iter_[0] > 1000


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 80), seed=st.integers(0, 10_000), tol=st.sampled_from([1e-1, 1e-3, 1e-9]),
       kernel=st.sampled_from(["linear", "rbf", "poly", "sigmoid"]),
       shrinking=st.booleans(), cache_rows=st.sampled_from([2, 3, 1000]))
def test_smo_solve_random_problems(n, seed, tol, kernel, shrinking, cache_rows):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    y = np.where(rng.random(n) < 0.5, 1.0, -1.0)
    y[0], y[-1] = 1.0, -1.0
    C = rng.choice([0.1, 1.0, 10.0], size=n)
    p = -np.ones(n)

    def run():
        km = KernelMatrix(X, kernel, 0.5, 3, 0.1, cache_size=cache_rows * 4 * n / 2**20)
        return smo_solve(km, np.arange(n), p, y, C, tol=tol, shrinking=shrinking)

    with jit.disabled():
        a = run()
    with jit.flags(enabled=True):
        b = run()
    assert a.n_iter == b.n_iter and a.hit_max_iter == b.hit_max_iter
    np.testing.assert_array_equal(a.alpha, b.alpha)
    assert a.rho == b.rho
