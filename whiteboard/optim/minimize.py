"""Full-batch minimisers of a smooth function f: Rⁿ → R on NumPy vectors.

Every method is a descent method x_{k+1} = x_k + α_k p_k: it picks a direction p_k with
∇f(x_k)ᵀp_k < 0 and a step length α_k > 0 from a line search.

Directions
    gradient descent      p = −∇f
    Newton                p = −B⁻¹∇f, B = ∇²f where Cholesky succeeds (∇²f PD), else ∇²f with
                          its eigenvalues replaced by max(|λ|, δ·max|λ|), so the direction
                          descends even where ∇²f is indefinite
    BFGS                  p = −H ∇f, H ≈ (∇²f)⁻¹ built from gradient differences (below)
    L-BFGS                p = −H ∇f through the two-loop recursion over the last m pairs
    nonlinear CG          p_{k+1} = −∇f_{k+1} + β_{k+1} p_k (Fletcher–Reeves or Polak–Ribière+)

Line searches (φ(α) = f(x + αp), 0 < c₁ < c₂ < 1)
    Armijo (sufficient decrease)   φ(α) ≤ φ(0) + c₁ α φ'(0)
    strong Wolfe                   Armijo and |φ'(α)| ≤ c₂ |φ'(0)|   (curvature)
Backtracking shrinks α by ρ until Armijo holds (gradient descent, Newton). The strong-Wolfe
search brackets an acceptable step by expanding α, then "zooms" with safeguarded cubic
interpolation (Nocedal & Wright, *Numerical Optimization*, Alg. 3.5/3.6). The curvature
condition guarantees yᵀs > 0, which keeps the BFGS matrices positive definite. Near a
minimiser, where f(x + αp) − f(x) is below float64 resolution (|Δf| ≤ 10⁻¹⁰|f|), sufficient
decrease is tested on derivatives instead, φ'(α) ≤ (2c₁ − 1)φ'(0) (Hager & Zhang's
"approximate Wolfe" conditions), so tight gradient tolerances stay reachable.

Quasi-Newton (E91 of the errata: the second-order Taylor model gives *Newton's* step; quasi-Newton
methods replace the Hessian by a secant approximation and need no second derivatives). With
s_k = x_{k+1} − x_k, y_k = ∇f_{k+1} − ∇f_k, ρ_k = 1 / (y_kᵀ s_k), the BFGS inverse update is

    H_{k+1} = (I − ρ_k s_k y_kᵀ) H_k (I − ρ_k y_k s_kᵀ) + ρ_k s_k s_kᵀ,

which satisfies the secant condition H_{k+1} y_k = s_k. Before the first update H₀ is rescaled
to (yᵀs / yᵀy) I (Nocedal & Wright eq. 6.20).

L-BFGS never forms H: the two-loop recursion applies it to q = ∇f_k from the m latest pairs,

    for i = k−1 … k−m:  a_i = ρ_i s_iᵀ q;  q ← q − a_i y_i
    r = γ_k q,  γ_k = s_{k−1}ᵀ y_{k−1} / y_{k−1}ᵀ y_{k−1}
    for i = k−m … k−1:  b = ρ_i y_iᵀ r;  r ← r + s_i (a_i − b)
    p = −r.

Nonlinear conjugate gradient:

    Fletcher–Reeves  β = ‖∇f_{k+1}‖² / ‖∇f_k‖²
    Polak–Ribière+   β = max(0, ∇f_{k+1}ᵀ(∇f_{k+1} − ∇f_k) / ‖∇f_k‖²)

with a restart (β = 0) every n iterations, when consecutive gradients are far from orthogonal
(|∇f_{k+1}ᵀ∇f_k| ≥ 0.2 ‖∇f_{k+1}‖², Powell) or when p is not a descent direction. CG uses
c₂ = 0.1 (< ½, needed by Fletcher–Reeves for descent).

Convergence: ‖∇f(x_k)‖_∞ ≤ gtol (the same test as ``scipy.optimize.minimize``'s BFGS), or,
where ``ftol`` > 0, a relative decrease (f_k − f_{k+1}) ≤ ftol · max(|f_k|, |f_{k+1}|, 1).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "METHODS",
    "OptimizeResult",
    "backtracking_line_search",
    "bfgs",
    "conjugate_gradient",
    "gradient_descent",
    "lbfgs",
    "line_search_wolfe",
    "minimize",
    "newton",
]


class OptimizeResult(dict):
    """Result of a minimisation: a dict whose keys are also attributes.

    Keys: ``x`` (solution, shape (n,)), ``fun`` (f(x)), ``jac`` (∇f(x)), ``grad_norm``
    (‖∇f(x)‖_∞), ``nit`` (iterations), ``nfev`` (evaluations of f and ∇f), ``nhev`` (Hessian
    evaluations), ``success``, ``status`` (0 converged, 1 iteration limit, 2 line search failed,
    3 non-finite value), ``message``.
    """

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    __setattr__ = dict.__setitem__

    def __repr__(self):
        keys = ("success", "message", "fun", "grad_norm", "nit", "nfev", "x")
        return "OptimizeResult(" + ", ".join(f"{k}={self[k]!r}" for k in keys if k in self) + ")"


class _Objective:
    """Wraps ``fun`` into a counted ``x -> (f, g)`` with float64 outputs."""

    def __init__(self, fun, jac, args, eps=1.4901161193847656e-08):
        self.fun, self.jac, self.args, self.eps = fun, jac, tuple(args), eps
        self.nfev = 0

    def __call__(self, x):
        self.nfev += 1
        if self.jac is True:
            out = self.fun(x, *self.args)
            if not (isinstance(out, tuple) and len(out) == 2):
                raise ValueError(
                    "with jac=True, fun must return a tuple (value, gradient); got "
                    f"{type(out).__name__}"
                )
            f, g = out
        elif callable(self.jac):
            f, g = self.fun(x, *self.args), self.jac(x, *self.args)
        else:
            f = self.fun(x, *self.args)
            g = self._central_differences(x)
        g = np.asarray(g, dtype=np.float64).reshape(-1)
        if g.shape != x.shape:
            raise ValueError(f"gradient has shape {g.shape}, expected {x.shape} (the shape of x)")
        return float(f), g

    def _central_differences(self, x):
        g = np.empty_like(x)
        for i in range(x.size):
            h = self.eps * max(1.0, abs(x[i]))
            e = np.zeros_like(x)
            e[i] = h
            g[i] = (self.fun(x + e, *self.args) - self.fun(x - e, *self.args)) / (2 * h)
        self.nfev += 2 * x.size
        return g


# Relative size below which a change of f is treated as rounding noise: sums of many float64
# terms lose far more than one ulp, and Hager & Zhang (2005) use 1e-6 for the same purpose.
_ROUNDING = 1e-10


def _cubic_minimiser(a, fa, da, b, fb, db):
    """Minimiser of the cubic through (a, fa, da), (b, fb, db); None when it does not exist."""
    d1 = da + db - 3.0 * (fa - fb) / (a - b)
    disc = d1 * d1 - da * db
    if not np.isfinite(disc) or disc < 0:
        return None
    d2 = np.copysign(np.sqrt(disc), b - a)
    denom = db - da + 2.0 * d2
    if denom == 0 or not np.isfinite(denom):
        return None
    return b - (b - a) * (db + d2 - d1) / denom


def line_search_wolfe(fg, x, f0, g0, p, alpha0=1.0, c1=1e-4, c2=0.9, alpha_max=1e10,
                      max_iter=30):
    """Step length satisfying the strong Wolfe conditions along ``p``.

    ``fg(x) -> (f, g)``; ``f0``, ``g0`` are f and ∇f at ``x``; ``p`` must be a descent direction.
    Conditions (φ(α) = f(x + αp)): φ(α) ≤ φ(0) + c₁αφ'(0) and |φ'(α)| ≤ c₂|φ'(0)|.

    Bracketing phase: try α₀, 2α₀, 4α₀ ... until the step violates sufficient decrease, is no
    better than the previous one, or has φ' ≥ 0; then the interval holds acceptable steps and
    ``zoom`` shrinks it by safeguarded cubic interpolation (falling back to bisection).

    Where |φ(α) − φ(0)| is within float64 rounding, sufficient decrease is tested on derivatives
    (φ'(α) ≤ (2c₁ − 1)φ'(0), see ``backtracking_line_search``), so Armijo holds up to the rounding
    of f.

    Returns ``(alpha, f_new, g_new, ok)``; ``ok`` False when no acceptable step was found (the
    best sufficient-decrease point seen is returned, or alpha 0).
    """
    d0 = float(g0 @ p)
    if not d0 < 0:
        return 0.0, f0, g0, False
    rounding = _ROUNDING * abs(f0)

    def armijo(a, fa, da):
        if abs(fa - f0) <= rounding:
            return da <= (2 * c1 - 1) * d0
        return fa <= f0 + c1 * a * d0

    prev = (0.0, f0, d0, g0)
    best = (0.0, f0, g0)
    alpha = min(alpha0, alpha_max)
    for i in range(max_iter):
        fa, ga = fg(x + alpha * p)
        if not np.isfinite(fa):
            alpha = 0.5 * (prev[0] + alpha)
            continue
        da = float(ga @ p)
        if not armijo(alpha, fa, da) or (i > 0 and fa > prev[1] + rounding):
            return _zoom(armijo, fg, x, p, d0, c2, rounding, prev, (alpha, fa, da, ga), best,
                         max_iter)
        best = (alpha, fa, ga)
        if abs(da) <= -c2 * d0:
            return alpha, fa, ga, True
        if da >= 0:
            return _zoom(armijo, fg, x, p, d0, c2, rounding, (alpha, fa, da, ga), prev, best,
                         max_iter)
        prev = (alpha, fa, da, ga)
        alpha = min(2.0 * alpha, alpha_max)
    return best[0], best[1], best[2], False


def _zoom(armijo, fg, x, p, d0, c2, rounding, lo, hi, best, max_iter):
    for _ in range(max_iter):
        a_lo, f_lo, d_lo, _ = lo
        a_hi, f_hi, d_hi, _ = hi
        width = abs(a_hi - a_lo)
        if width <= 1e-16 * max(1.0, abs(a_lo)):
            break
        alpha = _cubic_minimiser(a_lo, f_lo, d_lo, a_hi, f_hi, d_hi)
        left, right = min(a_lo, a_hi), max(a_lo, a_hi)
        if alpha is None or not (left + 0.1 * width <= alpha <= right - 0.1 * width):
            alpha = 0.5 * (a_lo + a_hi)
        fa, ga = fg(x + alpha * p)
        da = float(ga @ p)
        if not np.isfinite(fa) or not armijo(alpha, fa, da) or fa > f_lo + rounding:
            hi = (alpha, fa, da, ga)
            continue
        if fa < best[1]:
            best = (alpha, fa, ga)
        if abs(da) <= -c2 * d0:
            return alpha, fa, ga, True
        if da * (a_hi - a_lo) >= 0:
            hi = lo
        lo = (alpha, fa, da, ga)
    return best[0], best[1], best[2], False


def backtracking_line_search(fg, x, f0, g0, p, alpha0=1.0, c1=1e-4, rho=0.5, max_iter=60):
    """Largest α = α₀ρʲ (j = 0, 1, …) with Armijo's sufficient decrease φ(α) ≤ φ(0) + c₁αφ'(0).

    Near a minimiser the predicted decrease falls below what float64 resolves in f, and the exact
    test then rejects (or, by one-ulp noise, randomly accepts) steps regardless of their merit.
    When |φ(α) − φ(0)| is within rounding (10⁻¹⁰|φ(0)|), the test is made on derivatives (the
    "approximate Armijo" condition of Hager & Zhang 2005): φ'(α) ≤ (2c₁ − 1)φ'(0), which is
    Armijo exactly for a quadratic φ, since then φ(α) − φ(0) = α(φ'(0) + φ'(α))/2.

    Returns ``(alpha, f_new, g_new, ok)``.
    """
    d0 = float(g0 @ p)
    alpha = alpha0
    rounding = _ROUNDING * abs(f0)
    for _ in range(max_iter):
        fa, ga = fg(x + alpha * p)
        if not np.isfinite(fa):
            alpha *= rho
            continue
        if (float(ga @ p) <= (2 * c1 - 1) * d0 if abs(fa - f0) <= rounding
                else fa <= f0 + c1 * alpha * d0):
            return alpha, fa, ga, True
        alpha *= rho
    return 0.0, f0, g0, False


def _result(x, f, g, nit, obj, status, nhev=0):
    messages = {
        0: "Optimization terminated successfully.",
        1: "Maximum number of iterations has been exceeded.",
        2: "Line search could not find an acceptable step (precision loss near the minimum).",
        3: "The objective or its gradient became non-finite.",
    }
    gnorm = float(np.max(np.abs(g))) if g.size else 0.0
    return OptimizeResult(
        x=x, fun=f, jac=g, grad_norm=gnorm, nit=nit, nfev=obj.nfev, nhev=nhev,
        success=status == 0, status=status, message=messages[status],
    )


def _setup(fun, x0, jac, args, max_iter, n_default):
    x = np.array(x0, dtype=np.float64).reshape(-1)
    if x.size == 0:
        raise ValueError("x0 must have at least one element, got an empty array")
    obj = fun if isinstance(fun, _Objective) else _Objective(fun, jac, args)
    max_iter = n_default * max(x.size, 1) if max_iter is None else int(max_iter)
    f, g = obj(x)
    if not (np.isfinite(f) and np.isfinite(g).all()):
        raise ValueError(f"fun returned a non-finite value or gradient at x0 (f={f})")
    return x, obj, max_iter, f, g


def _converged(g, f_old, f, gtol, ftol):
    if np.max(np.abs(g)) <= gtol:
        return True
    return ftol > 0 and f_old is not None and (f_old - f) <= ftol * max(abs(f_old), abs(f), 1.0)


def gradient_descent(fun, x0, args=(), jac=True, gtol=1e-5, ftol=0.0, max_iter=None,
                     alpha0=1.0, c1=1e-4, rho=0.5, callback=None):
    """Steepest descent p = −∇f with Armijo backtracking.

    Each search starts from twice the previous accepted step (α₀ on the first iteration), so the
    step adapts to the curvature; a too-large start is cut by ρ until
    f(x − α∇f) ≤ f(x) − c₁α‖∇f‖². Linear convergence with rate ((κ−1)/(κ+1))² on a quadratic of
    condition number κ.
    """
    x, obj, max_iter, f, g = _setup(fun, x0, jac, args, max_iter, 1000)
    step, f_old = alpha0, None
    for k in range(max_iter):
        if _converged(g, f_old, f, gtol, ftol):
            return _result(x, f, g, k, obj, 0)
        alpha, f_new, g_new, ok = backtracking_line_search(
            obj, x, f, g, -g, alpha0=min(2.0 * step, 1e10), c1=c1, rho=rho)
        if not ok:
            return _result(x, f, g, k, obj, 2)
        step = alpha
        x, f_old, f, g = x - alpha * g, f, f_new, g_new
        if callback is not None:
            callback(x)
    return _result(x, f, g, max_iter, obj, 0 if _converged(g, f_old, f, gtol, ftol) else 1)


def _modified_newton_direction(H, g, delta=1e-8):
    """Newton direction −B⁻¹g with B = H when H is positive definite, else the eigenvalue fix.

    Cholesky succeeds ⇔ H is PD: then B = H (the exact Newton step). Otherwise, with
    H = QΛQᵀ, B = Q max(|Λ|, δ·max|Λ|) Qᵀ: negative curvature directions are flipped (so the
    step still descends along them, escaping saddles) and near-zero ones floored, so B is PD and
    B⁻¹ is bounded. Returns ``(p, modified)``.
    """
    try:
        L = np.linalg.cholesky(H)
    except np.linalg.LinAlgError:
        lam, Q = np.linalg.eigh(H)
        floor = delta * max(float(np.max(np.abs(lam))), 1e-300)
        lam = np.maximum(np.abs(lam), floor)
        return -(Q @ ((Q.T @ g) / lam)), True
    return -np.linalg.solve(L.T, np.linalg.solve(L, g)), False


def newton(fun, x0, hess, args=(), jac=True, gtol=1e-5, ftol=0.0, max_iter=None, c1=1e-4,
           rho=0.5, callback=None):
    """Newton's method with a positive-definite safeguard and Armijo backtracking.

    The Newton step minimises the second-order Taylor model f + ∇fᵀp + ½pᵀ∇²f p, giving
    ∇²f p = −∇f. Where ∇²f is not positive definite (Cholesky fails), the model has no minimum
    and the step may ascend, so the Hessian's eigenvalues are replaced by max(|λ|, δ·max|λ|)
    (flip and floor; Nocedal & Wright §3.4). The full step α = 1 is tried first (quadratic
    convergence near a minimiser with PD Hessian; a convex quadratic is solved in one step) and
    backtracked under Armijo otherwise.

    ``hess(x, *args)`` returns the (n, n) Hessian.
    """
    if hess is None or not callable(hess):
        raise ValueError("newton needs hess: a callable hess(x, *args) -> (n, n) array")
    x, obj, max_iter, f, g = _setup(fun, x0, jac, args, max_iter, 200)
    nhev, f_old = 0, None
    for k in range(max_iter):
        if _converged(g, f_old, f, gtol, ftol):
            return _result(x, f, g, k, obj, 0, nhev)
        H = np.asarray(hess(x, *args), dtype=np.float64)
        nhev += 1
        if H.shape != (x.size, x.size):
            raise ValueError(f"hess returned shape {H.shape}, expected {(x.size, x.size)}")
        p, _ = _modified_newton_direction(0.5 * (H + H.T), g)
        alpha, f_new, g_new, ok = backtracking_line_search(obj, x, f, g, p, 1.0, c1, rho)
        if not ok:
            return _result(x, f, g, k, obj, 2, nhev)
        x, f_old, f, g = x + alpha * p, f, f_new, g_new
        if callback is not None:
            callback(x)
    return _result(x, f, g, max_iter, obj, 0 if _converged(g, f_old, f, gtol, ftol) else 1, nhev)


def bfgs(fun, x0, args=(), jac=True, gtol=1e-5, ftol=0.0, max_iter=None, c1=1e-4, c2=0.9,
         callback=None):
    """BFGS with a strong-Wolfe line search, keeping the dense inverse-Hessian approximation H.

    Update (s = x_{k+1} − x_k, y = ∇f_{k+1} − ∇f_k, ρ = 1/yᵀs):
    H ← (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ, expanded as
    H − ρ(s(Hy)ᵀ + (Hy)sᵀ) + (ρ²·yᵀHy + ρ) ssᵀ, an O(n²) rank-two update.
    """
    x, obj, max_iter, f, g = _setup(fun, x0, jac, args, max_iter, 200)
    n = x.size
    H = np.eye(n)
    first, f_old = True, None
    for k in range(max_iter):
        if _converged(g, f_old, f, gtol, ftol):
            return _result(x, f, g, k, obj, 0)
        p = -H @ g
        if not g @ p < 0:
            H, p = np.eye(n), -g
        alpha0 = 1.0 if not first else min(1.0, 1.0 / max(np.max(np.abs(g)), 1e-12))
        alpha, f_new, g_new, ok = line_search_wolfe(obj, x, f, g, p, alpha0, c1, c2)
        if alpha == 0.0:
            return _result(x, f, g, k, obj, 2)
        s = alpha * p
        y = g_new - g
        x, f_old, f, g = x + s, f, f_new, g_new
        if callback is not None:
            callback(x)
        ys = float(y @ s)
        if ys > 1e-12 * np.linalg.norm(y) * np.linalg.norm(s):
            if first:
                H *= ys / float(y @ y)
                first = False
            rho_ = 1.0 / ys
            Hy = H @ y
            H += (rho_ * rho_ * float(y @ Hy) + rho_) * np.outer(s, s) - rho_ * (
                np.outer(s, Hy) + np.outer(Hy, s))
        if not ok and _converged(g, None, f, gtol, 0.0):
            return _result(x, f, g, k + 1, obj, 0)
    return _result(x, f, g, max_iter, obj, 0 if _converged(g, f_old, f, gtol, ftol) else 1)


def _two_loop(g, S, Y, rho):
    """H_k g by the L-BFGS two-loop recursion over the stored pairs (oldest first)."""
    q = g.copy()
    a = np.empty(len(S))
    for i in range(len(S) - 1, -1, -1):
        a[i] = rho[i] * (S[i] @ q)
        q -= a[i] * Y[i]
    if S:
        q *= (S[-1] @ Y[-1]) / (Y[-1] @ Y[-1])
    for i in range(len(S)):
        b = rho[i] * (Y[i] @ q)
        q += S[i] * (a[i] - b)
    return q


def lbfgs(fun, x0, args=(), jac=True, gtol=1e-5, ftol=0.0, max_iter=None, m=10, c1=1e-4,
          c2=0.9, callback=None):
    """Limited-memory BFGS: the two-loop recursion over the last ``m`` pairs, strong Wolfe steps.

    Memory O(mn) instead of BFGS's O(n²); each iteration costs O(mn) plus one or a few
    evaluations of f and ∇f. Pairs with yᵀs ≤ 0 (impossible under exact strong Wolfe, possible
    after a failed search) are skipped.
    """
    x, obj, max_iter, f, g = _setup(fun, x0, jac, args, max_iter, 200)
    S, Y, rho = [], [], []
    f_old = None
    for k in range(max_iter):
        if _converged(g, f_old, f, gtol, ftol):
            return _result(x, f, g, k, obj, 0)
        p = -_two_loop(g, S, Y, rho)
        if not g @ p < 0:
            S, Y, rho, p = [], [], [], -g
        alpha0 = 1.0 if S else min(1.0, 1.0 / max(float(np.linalg.norm(g)), 1e-12))
        alpha, f_new, g_new, _ok = line_search_wolfe(obj, x, f, g, p, alpha0, c1, c2)
        if alpha == 0.0:
            if S:
                S, Y, rho = [], [], []
                continue
            return _result(x, f, g, k, obj, 2)
        s = alpha * p
        y = g_new - g
        x, f_old, f, g = x + s, f, f_new, g_new
        if callback is not None:
            callback(x)
        ys = float(y @ s)
        if ys > 1e-12 * float(y @ y):
            S.append(s)
            Y.append(y)
            rho.append(1.0 / ys)
            if len(S) > m:
                del S[0], Y[0], rho[0]
    return _result(x, f, g, max_iter, obj, 0 if _converged(g, f_old, f, gtol, ftol) else 1)


def conjugate_gradient(fun, x0, args=(), jac=True, beta="PR+", gtol=1e-5, ftol=0.0,
                       max_iter=None, restart=None, c1=1e-4, c2=0.1, callback=None):
    """Nonlinear conjugate gradient, ``beta='FR'`` (Fletcher–Reeves) or ``'PR+'`` (Polak–Ribière+).

    p_{k+1} = −∇f_{k+1} + β p_k; β_FR = ‖g_{k+1}‖²/‖g_k‖²,
    β_PR+ = max(0, g_{k+1}ᵀ(g_{k+1} − g_k)/‖g_k‖²). Restarts (β = 0) every ``restart``
    iterations (default n), on Powell's test |g_{k+1}ᵀg_k| ≥ 0.2‖g_{k+1}‖², and whenever p is not
    a descent direction. The first step of each restart is scaled so that ‖αp‖ ≈ previous step.
    """
    if beta not in ("FR", "PR+"):
        raise ValueError(f"beta must be 'FR' or 'PR+', got {beta!r}")
    x, obj, max_iter, f, g = _setup(fun, x0, jac, args, max_iter, 1000)
    restart = x.size if restart is None else int(restart)
    p = -g
    alpha0 = min(1.0, 1.0 / max(float(np.linalg.norm(g)), 1e-12))
    since, f_old = 0, None
    for k in range(max_iter):
        if _converged(g, f_old, f, gtol, ftol):
            return _result(x, f, g, k, obj, 0)
        d0 = float(g @ p)
        alpha, f_new, g_new, _ok = line_search_wolfe(obj, x, f, g, p, alpha0, c1, c2)
        if alpha == 0.0:
            if since == 0:
                return _result(x, f, g, k, obj, 2)
            p, since = -g, 0
            continue
        x = x + alpha * p
        gg = float(g @ g)
        if beta == "FR":
            b = float(g_new @ g_new) / gg
        else:
            b = max(0.0, float(g_new @ (g_new - g)) / gg)
        since += 1
        powell = abs(float(g_new @ g)) >= 0.2 * float(g_new @ g_new)
        if since >= restart or powell:
            b, since = 0.0, 0
        p_new = -g_new + b * p
        if not g_new @ p_new < 0:
            p_new, since = -g_new, 0
        d_new = float(g_new @ p_new)
        alpha0 = min(1.0, 1.01 * 2.0 * (f_new - f) / d_new) if d_new < 0 and f_new < f else 1.0
        if alpha0 <= 0:
            alpha0 = alpha * d0 / d_new
        f_old, f, g, p = f, f_new, g_new, p_new
        if callback is not None:
            callback(x)
    return _result(x, f, g, max_iter, obj, 0 if _converged(g, f_old, f, gtol, ftol) else 1)


METHODS = {
    "gd": gradient_descent,
    "newton": newton,
    "bfgs": bfgs,
    "lbfgs": lbfgs,
    "cg": conjugate_gradient,
}


def minimize(fun, x0, args=(), method="lbfgs", jac=True, hess=None, tol=None, gtol=1e-5,
             ftol=0.0, max_iter=None, callback=None, **options):
    """Minimise ``fun`` from ``x0`` by one of the full-batch methods.

    Parameters
    ----------
    fun : callable ``fun(x, *args)``; returns ``(f, ∇f)`` when ``jac=True``, else the value f.
    x0 : array (n,) starting point (flattened; float64).
    method : 'gd' | 'newton' | 'bfgs' | 'lbfgs' | 'cg' (aliases 'cg-fr'/'fr', 'cg-pr'/'pr+',
        'l-bfgs', 'gradient_descent', case-insensitive).
    jac : True (fun returns the gradient), a callable ``jac(x, *args)``, or False (central
        differences, 2n extra evaluations per gradient).
    hess : callable ``hess(x, *args) -> (n, n)``; required by 'newton'.
    tol : if given, overrides ``gtol``; convergence when ‖∇f‖_∞ ≤ gtol.
    ftol : optional relative decrease test (0 disables it).
    max_iter : iteration limit (default 200·n, 1000·n for 'gd' and 'cg').
    options : method-specific (``m`` for L-BFGS, ``beta``/``restart`` for CG, ``c1``/``c2``/
        ``rho``/``alpha0`` for the line searches).

    Returns an :class:`OptimizeResult` (x, fun, jac, grad_norm, nit, nfev, nhev, success,
    status, message).
    """
    key = str(method).lower().replace("_", "-")
    aliases = {
        "gradient-descent": "gd", "l-bfgs": "lbfgs", "cg-fr": ("cg", "FR"), "fr": ("cg", "FR"),
        "cg-pr": ("cg", "PR+"), "pr+": ("cg", "PR+"), "cg-pr+": ("cg", "PR+"),
    }
    key = aliases.get(key, key)
    if isinstance(key, tuple):
        key, options["beta"] = key
    if key not in METHODS:
        raise ValueError(
            f"method must be one of {sorted(METHODS)} (or an alias), got {method!r}")
    if tol is not None:
        gtol = tol
    common = {"args": args, "jac": jac, "gtol": gtol, "ftol": ftol, "max_iter": max_iter,
              "callback": callback}
    if key == "newton":
        return newton(fun, x0, hess, **common, **options)
    return METHODS[key](fun, x0, **common, **options)
