"""Full-batch minimisers against scipy.optimize.minimize, and the line-search properties."""

import importlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import rosen, rosen_der, rosen_hess

from whiteboard.optim import OptimizeResult, line_search_wolfe, minimize

from .problems import METHODS, PROBLEMS, iteration_table, quadratic, run_method, scipy_run

# the package re-exports the function ``minimize`` under the module's name
mz = importlib.import_module("whiteboard.optim.minimize")

GTOL = 1e-9


@pytest.fixture(scope="module")
def references():
    return {name: scipy_run(name, "BFGS" if "rosen" in name else "trust-exact", GTOL)
            for name in PROBLEMS}


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", list(PROBLEMS))
def test_minimum_agrees_with_scipy(name, method, references):
    ref = references[name]
    assert ref.success
    r = run_method(name, method, GTOL)
    assert isinstance(r, OptimizeResult)
    assert r.success, r.message
    assert r.grad_norm <= GTOL
    np.testing.assert_allclose(r.x, ref.x, atol=1e-6, rtol=0)
    assert abs(r.fun - ref.fun) <= 1e-9 * max(1.0, abs(ref.fun))
    print(f"{name:24s} {method:7s} nit={r.nit:6d} nfev={r.nfev:6d}   scipy-ref nit={ref.nit}")


def test_iteration_counts_reported_next_to_scipy():
    table = iteration_table(GTOL)
    print("\n" + table)
    rows = table.splitlines()[2:]
    assert len(rows) == len(PROBLEMS)
    assert all("L-BFGS-B" in row and "BFGS" in row for row in rows)


def test_newton_solves_a_quadratic_in_one_step():
    prob = quadratic(n=30, cond=1e4, seed=3)
    r = minimize(prob.fun, prob.x0 + 5.0, method="newton", hess=prob.hess, gtol=1e-10)
    assert r.success and r.nit == 1 and r.nhev == 1
    np.testing.assert_allclose(r.x, np.linalg.solve(prob.A, prob.b), rtol=1e-10, atol=1e-12)


def test_newton_escapes_negative_curvature():
    # f = x⁴/4 − x²/2 + y²: at the saddle-side start the Hessian is indefinite.
    def fun(v):
        x, y = v
        return x ** 4 / 4 - x ** 2 / 2 + y ** 2, np.array([x ** 3 - x, 2 * y])

    def hess(v):
        return np.diag([3 * v[0] ** 2 - 1, 2.0])

    r = minimize(fun, [0.1, 1.0], method="newton", hess=hess, gtol=1e-12)
    assert r.success
    np.testing.assert_allclose(r.x, [1.0, 0.0], atol=1e-10)


def _wolfe_holds(fg, x, p, alpha, f0, g0, fa, ga, c1, c2):
    d0 = g0 @ p
    armijo = fa <= f0 + c1 * alpha * d0 + 1e-12 * abs(f0)
    curvature = abs(ga @ p) <= c2 * abs(d0) * (1 + 1e-12)
    return armijo and curvature


@given(
    n=st.integers(2, 8),
    seed=st.integers(0, 10_000),
    c2=st.sampled_from([0.1, 0.5, 0.9]),
    alpha0=st.sampled_from([1e-3, 1.0, 50.0]),
)
def test_strong_wolfe_conditions_hold_at_accepted_steps(n, seed, c2, alpha0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, n)
    f0, g0 = rosen(x), rosen_der(x)
    p = -g0 + 0.5 * np.linalg.norm(g0) * rng.standard_normal(n) / np.sqrt(n)
    if g0 @ p >= 0:
        p = -g0
    fg = lambda z: (rosen(z), rosen_der(z))
    alpha, fa, ga, ok = line_search_wolfe(fg, x, f0, g0, p, alpha0=alpha0, c1=1e-4, c2=c2)
    assert ok
    assert fa == rosen(x + alpha * p)
    assert _wolfe_holds(fg, x, p, alpha, f0, g0, fa, ga, 1e-4, c2)


@pytest.mark.parametrize("method", ["bfgs", "lbfgs", "cg-fr", "cg-pr+"])
def test_every_accepted_step_of_a_run_is_strong_wolfe(method, monkeypatch):
    steps = []
    original = mz.line_search_wolfe

    def recording(fg, x, f0, g0, p, alpha0=1.0, c1=1e-4, c2=0.9, **kw):
        out = original(fg, x, f0, g0, p, alpha0, c1, c2, **kw)
        steps.append((x, p, f0, g0, c1, c2) + out)
        return out

    monkeypatch.setattr(mz, "line_search_wolfe", recording)
    prob = PROBLEMS["rosenbrock-10d"]
    r = minimize(prob.fun, prob.x0, method=method, gtol=1e-6)
    assert r.success and len(steps) >= r.nit
    fg = prob.fun
    accepted = [s for s in steps if s[-1]]
    assert len(accepted) >= 0.9 * len(steps)
    for x, p, f0, g0, c1, c2, alpha, fa, ga, _ in accepted:
        assert _wolfe_holds(fg, x, p, alpha, f0, g0, fa, ga, c1, c2)


def test_jac_variants_and_finite_differences():
    prob = PROBLEMS["quadratic-20d"]
    exact = np.linalg.solve(prob.A, prob.b)
    r1 = minimize(prob.value, prob.x0, method="bfgs", jac=prob.grad, gtol=1e-10)
    r2 = minimize(prob.value, prob.x0, method="lbfgs", jac=False, gtol=1e-6)
    np.testing.assert_allclose(r1.x, exact, atol=1e-9)
    np.testing.assert_allclose(r2.x, exact, atol=1e-5)


def test_args_are_passed_and_result_fields():
    def fun(x, a, b):
        return (x - a) @ (x - a) + b, 2 * (x - a)

    r = minimize(fun, np.zeros(3), args=(np.array([1.0, 2.0, 3.0]), 5.0), method="cg")
    np.testing.assert_allclose(r.x, [1, 2, 3], atol=1e-6)
    assert r.fun == pytest.approx(5.0)
    assert set(r) >= {"x", "fun", "jac", "grad_norm", "nit", "nfev", "success", "message"}
    assert r.nfev >= r.nit


def test_iteration_limit_is_reported():
    prob = PROBLEMS["rosenbrock-2d"]
    r = minimize(prob.fun, prob.x0, method="gd", max_iter=5)
    assert not r.success and r.status == 1 and r.nit == 5
    assert "iterations" in r.message


def test_bad_arguments():
    prob = PROBLEMS["quadratic-20d"]
    with pytest.raises(ValueError, match="method must be one of"):
        minimize(prob.fun, prob.x0, method="adam")
    with pytest.raises(ValueError, match="newton needs hess"):
        minimize(prob.fun, prob.x0, method="newton")
    with pytest.raises(ValueError, match="tuple"):
        minimize(prob.value, prob.x0, jac=True)
    with pytest.raises(ValueError, match="gradient has shape"):
        minimize(lambda x: (0.0, np.zeros(2)), np.zeros(3))
    with pytest.raises(ValueError, match="non-finite"):
        minimize(lambda x: (np.nan, x), np.zeros(3))
    with pytest.raises(ValueError, match="beta must be"):
        minimize(prob.fun, prob.x0, method="cg", beta="HS")


def test_rosenbrock_hessian_helper_consistency():
    x = np.array([0.3, -0.4, 1.2])
    fg = lambda z: (rosen(z), rosen_der(z))
    r = minimize(fg, x, method="newton", hess=rosen_hess, gtol=1e-10)
    np.testing.assert_allclose(r.x, np.ones(3), atol=1e-9)
