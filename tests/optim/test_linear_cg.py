"""Linear CG against scipy.sparse.linalg.cg (same recurrence: same iterates) and np.linalg.solve."""

import numpy as np
import pytest
from scipy.sparse.linalg import cg as scipy_cg

from whiteboard.optim import cg


def _spd(n, cond, seed):
    rng = np.random.default_rng(seed)
    Q = np.linalg.qr(rng.normal(size=(n, n)))[0]
    A = (Q * np.geomspace(1.0, cond, n)) @ Q.T
    return 0.5 * (A + A.T), rng.normal(size=n)


@pytest.mark.parametrize("n,cond", [(5, 10.0), (30, 1e3), (50, 1e2)])
def test_iterates_match_scipy(n, cond):
    A, b = _spd(n, cond, n)
    ours, theirs = [], []
    x, info = cg(A, b, rtol=1e-10, callback=lambda x: ours.append(x.copy()))
    xs, info_s = scipy_cg(A, b, rtol=1e-10, callback=lambda x: theirs.append(x.copy()))
    assert info == info_s == 0
    assert len(ours) == len(theirs)
    np.testing.assert_allclose(np.array(ours), np.array(theirs), rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(x, np.linalg.solve(A, b), rtol=1e-8, atol=1e-9)


def test_terminates_in_distinct_eigenvalue_count_steps():
    rng = np.random.default_rng(0)
    Q = np.linalg.qr(rng.normal(size=(40, 40)))[0]
    A = (Q * np.repeat([1.0, 3.0, 7.0], [10, 15, 15])) @ Q.T      # 3 distinct eigenvalues
    b = rng.normal(size=40)
    it = []
    x, info = cg(A, b, rtol=1e-12, callback=lambda x: it.append(1))
    assert info == 0 and len(it) <= 4
    np.testing.assert_allclose(A @ x, b, atol=1e-10)


def test_callable_operator_and_x0():
    A, b = _spd(10, 10.0, 1)
    x, info = cg(lambda v: A @ v, b, x0=np.ones(10), rtol=1e-12)
    np.testing.assert_allclose(x, np.linalg.solve(A, b), atol=1e-10)


def test_errors_name_the_argument():
    A, b = _spd(4, 10.0, 2)
    with pytest.raises(ValueError, match="A must have shape"):
        cg(A[:3], b)
    with pytest.raises(ValueError, match="x0"):
        cg(A, b, x0=np.ones(3))
    with pytest.raises(ValueError, match="positive definite"):
        cg(-A, b)
    x, info = cg(A, b, maxiter=1, rtol=1e-14)
    assert info == 1
