"""Test problems for the full-batch minimisers, shared by the tests and the benchmark table."""

from __future__ import annotations

import functools

import numpy as np
from scipy.optimize import minimize as scipy_minimize
from scipy.optimize import rosen, rosen_der, rosen_hess
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler


class Problem:
    def __init__(self, name, fun, hess, x0):
        self.name, self.fun, self.hess, self.x0 = name, fun, hess, x0

    def value(self, x):
        return self.fun(x)[0]

    def grad(self, x):
        return self.fun(x)[1]


def rosenbrock(n):
    x0 = np.full(n, -1.2)
    x0[1::2] = 1.0
    if n > 2:
        # From (-1.2, 1, ...) the 10-D function has a second local minimum near (-1, 1, ..., 1)
        # that some methods (SciPy's BFGS included) fall into; start where all reach (1, ..., 1).
        x0 = np.linspace(-1.0, 2.0, n)
    return Problem(f"rosenbrock-{n}d", lambda x: (rosen(x), rosen_der(x)), rosen_hess, x0)


def quadratic(n=20, cond=100.0, seed=0):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (Q * np.geomspace(1.0, cond, n)) @ Q.T
    A = 0.5 * (A + A.T)
    b = rng.standard_normal(n)
    p = Problem(f"quadratic-{n}d", lambda x: (0.5 * x @ A @ x - b @ x, A @ x - b),
                lambda x: A, np.zeros(n))
    p.A, p.b = A, b
    return p


def logistic(lam=1.0):
    """Σ log(1 + exp(−yᵢ(wᵀxᵢ + c))) + ½λ‖w‖² on standardised breast_cancer, y ∈ {−1, 1}."""
    data = load_breast_cancer()
    X = StandardScaler().fit_transform(data.data)
    Xb = np.hstack([X, np.ones((len(X), 1))])
    y = np.where(data.target == 1, 1.0, -1.0)
    reg = np.full(Xb.shape[1], lam)
    reg[-1] = 0.0

    def fun(w):
        z = y * (Xb @ w)
        loss = np.logaddexp(0.0, -z).sum() + 0.5 * (reg * w) @ w
        s = -y * np.exp(-np.logaddexp(0.0, z))
        return loss, Xb.T @ s + reg * w

    def hess(w):
        p = np.exp(-np.logaddexp(0.0, -(Xb @ w)))
        return (Xb.T * (p * (1 - p))) @ Xb + np.diag(reg)

    return Problem("logistic-breast_cancer", fun, hess, np.zeros(Xb.shape[1]))


PROBLEMS = {p.name: p for p in (rosenbrock(2), rosenbrock(10), quadratic(), logistic())}

METHODS = ["gd", "newton", "bfgs", "lbfgs", "cg-fr", "cg-pr+"]

SCIPY_METHODS = {"bfgs": "BFGS", "lbfgs": "L-BFGS-B", "cg-pr+": "CG", "newton": "trust-exact"}


@functools.cache
def run_method(name, method, gtol):
    """whiteboard's minimiser on a named problem (cached: the tests and the table share runs)."""
    from whiteboard.optim import minimize

    prob = PROBLEMS[name]
    return minimize(prob.fun, prob.x0, method=method, hess=prob.hess, gtol=gtol,
                    max_iter=200000)


@functools.cache
def scipy_run(name, method, gtol):
    return scipy_reference(PROBLEMS[name], method, gtol)


def scipy_reference(problem, method="BFGS", gtol=1e-9):
    """SciPy's minimiser on the same problem with a tight tolerance."""
    options = {"maxiter": 100000}
    if method == "L-BFGS-B":
        options.update(gtol=gtol, ftol=1e-15, maxcor=10)
    else:
        options["gtol"] = gtol
    kwargs = {"hess": problem.hess} if method == "trust-exact" else {}
    return scipy_minimize(problem.fun, problem.x0, jac=True, method=method, options=options,
                          **kwargs)


def iteration_table(gtol=1e-9):
    """Markdown table: iterations (function evaluations) per method, whiteboard vs SciPy."""
    head = "| problem | " + " | ".join(METHODS) + " |"
    lines = [head, "|" + "---|" * (len(METHODS) + 1)]
    for name in PROBLEMS:
        cells = []
        for m in METHODS:
            r = run_method(name, m, gtol)
            cell = f"{r.nit} ({r.nfev})"
            if m in SCIPY_METHODS:
                s = scipy_run(name, SCIPY_METHODS[m], gtol)
                cell += f" / {SCIPY_METHODS[m]} {s.nit} ({s.nfev})"
            cells.append(cell)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
