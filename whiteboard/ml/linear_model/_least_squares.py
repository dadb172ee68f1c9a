"""Ordinary least squares and ridge regression: closed forms and gradient descent.

Least squares minimises ½‖y − Xw − b‖² (with sample weights sᵢ: ½Σ sᵢ(yᵢ − xᵢᵀw − b)²). The
intercept is removed by centring (``preprocess_data``); with the weights folded in as
X̃ = diag(√s)(X − x̄), ỹ = diag(√s)(y − ȳ), the normal equations are X̃ᵀX̃ w = X̃ᵀỹ. They are
never formed explicitly for OLS: the minimum-norm solution w = X̃⁺ỹ comes from the SVD (LAPACK
gelsd via ``numpy.linalg.lstsq``), which is stable when X̃ is ill-conditioned or rank-deficient
(forming X̃ᵀX̃ squares the condition number).

Ridge adds α‖w‖²: (X̃ᵀX̃ + αI) w = X̃ᵀỹ, solved by Cholesky (or, when d > n, through the dual
w = X̃ᵀ(X̃X̃ᵀ + αI)⁻¹ỹ), by the SVD w = V diag(σ/(σ² + α)) Uᵀỹ, or iteratively by L-BFGS
(``whiteboard.optim.minimize``). Note (errata E3): the penalty is the *squared* norm.
"""

from __future__ import annotations

import numbers

import numpy as np

from ...optim import minimize
from ..base import BaseEstimator, RegressorMixin, check_random_state
from ._base import LinearPredictorMixin, preprocess_data, set_intercept, validate_fit_inputs

__all__ = ["LinearRegression", "Ridge", "nnls"]


def _weighted(Xc, yc, sw):
    if sw is None:
        return Xc, yc
    r = np.sqrt(sw)
    return Xc * r[:, None], yc * (r if yc.ndim == 1 else r[:, None])


def _gradient_descent_ls(X, Y, sw, solver, learning_rate, max_iter, batch_size, tol, rng,
                         alpha=0.0):
    """Minimise (1/2N) Σ sᵢ‖yᵢ − Wxᵢ‖² + (α/2N)‖W‖² by batch, stochastic or mini-batch GD.

    Gradient of the batch objective: (1/N) Xᵀ S (XWᵀ − Y) + (α/N) W. BGD takes one step per
    epoch with the full gradient; SGD one step per sample (in a shuffled order each epoch) with
    that sample's gradient (yᵢ-term only, penalty shared 1/N per step); mini-batch one step per
    ``batch_size`` samples with their mean gradient. The update is w ← w − η·∇ (errata E45: the
    notes' update θ − α(1/m)Σ(y − h)x has the wrong sign and ascends the loss).

    Stops when the largest weight change over an epoch ≤ tol·max(1, ‖w‖∞). Returns (W, epochs).
    """
    n, d = X.shape
    k = Y.shape[1]
    s = np.ones(n) if sw is None else sw
    W = np.zeros((k, d))
    bs = {"gd": n, "sgd": 1, "minibatch": min(batch_size, n)}[solver]
    epoch = 0
    for epoch in range(1, max_iter + 1):
        W_start = W.copy()
        order = np.arange(n) if solver == "gd" else rng.permutation(n)
        for start in range(0, n, bs):
            idx = order[start:start + bs]
            Xb, Yb, sb = X[idx], Y[idx], s[idx]
            with np.errstate(over="ignore", invalid="ignore"):
                resid = (Xb @ W.T - Yb) * sb[:, None]
                grad = resid.T @ Xb / len(idx) + (alpha / n) * W
                W -= learning_rate * grad
            if not np.isfinite(W).all():
                raise ValueError(
                    f"{solver} diverged at epoch {epoch}: the weights became non-finite; "
                    f"lower learning_rate (got {learning_rate})"
                )
        if np.max(np.abs(W - W_start)) <= tol * max(1.0, np.max(np.abs(W))):
            break
    return W, epoch


def nnls(A, b, max_iter=None, tol=None):
    """Non-negative least squares min ‖Aw − b‖² s.t. w ≥ 0 (Lawson & Hanson's active set).

    KKT conditions: w ≥ 0, g = Aᵀ(b − Aw) ≤ 0 where w = 0, g = 0 where w > 0. Start with every
    coordinate held at 0; repeatedly free the coordinate with the largest positive g, solve the
    unconstrained least squares on the free set, and, while that solution has non-positive
    entries, step from w towards it as far as feasibility allows and return the coordinates that
    hit 0. Terminates in finitely many steps at the exact solution. Returns (w, iterations).
    """
    m, n = A.shape
    max_iter = 3 * n if max_iter is None else max_iter
    tol = 10 * max(m, n) * np.finfo(np.float64).eps * np.linalg.norm(A, 1) if tol is None \
        else tol
    w = np.zeros(n)
    free = np.zeros(n, dtype=bool)
    g = A.T @ b
    it = 0
    while (~free).any() and np.max(np.where(free, -np.inf, g)) > tol:
        free[np.argmax(np.where(free, -np.inf, g))] = True
        while True:
            it += 1
            if it > max_iter:
                raise ValueError(f"nnls did not converge in {max_iter} iterations")
            s = np.zeros(n)
            s[free] = np.linalg.lstsq(A[:, free], b, rcond=None)[0]
            if np.all(s[free] > 0):
                break
            blocked = free & (s <= 0)
            alpha = np.min(w[blocked] / (w[blocked] - s[blocked]))
            w = w + alpha * (s - w)
            free &= w > tol
            w[~free] = 0.0
        w = s
        g = A.T @ (b - A @ w)
    return w, it


class LinearRegression(RegressorMixin, LinearPredictorMixin, BaseEstimator):
    """Ordinary least squares: minimise ½Σ sᵢ(yᵢ − xᵢᵀw − b)².

    ``solver='lstsq'`` (default) solves it exactly through the SVD (minimum-norm solution when
    X is rank-deficient, equal to scikit-learn's). ``'normal'`` solves the normal equation of
    the notes, w = (XᵀX)⁻¹Xᵀy, by a Cholesky factorisation of XᵀX: fast, but it squares the
    condition number (κ(XᵀX) = κ(X)²), so it loses twice the digits and fails on
    rank-deficient X. ``'gd'``, ``'sgd'`` and ``'minibatch'``
    show the three gradient-descent flavours of the notes on the mean loss (1/2N)Σ(...)²:
    learning rate ``learning_rate``, at most ``max_iter`` epochs, mini-batches of
    ``batch_size``, stopping when an epoch changes no weight by more than ``tol`` (relative).
    They run on centred X (the intercept is b = ȳ − x̄ᵀw at the optimum either way), which is
    better conditioned than appending a column of ones. Batch GD converges for
    η < 2/λ_max((1/N)XᵀX); SGD and mini-batch with a *constant* η only hover around the
    minimiser (at a distance growing with η and the residual noise) unless the residuals vanish
    — they converge when η is decreased slowly (Ση = ∞, Ση² < ∞; errata E98).

    ``positive=True`` constrains w ≥ 0 (non-negative least squares, Lawson–Hanson active set;
    see :func:`nnls`).

    Shapes: X (n, d); y (n,) or (n, k); ``coef_`` (d,) or (k, d); ``intercept_`` float or (k,).
    """

    def __init__(self, *, fit_intercept=True, copy_X=True, tol=1e-6, n_jobs=None,
                 positive=False, solver="lstsq", learning_rate=0.01, max_iter=1000,
                 batch_size=32, random_state=None):
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.tol = tol
        self.n_jobs = n_jobs
        self.positive = positive
        self.solver = solver
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Fit on X (n, d), y (n,) or (n, k); optional non-negative sample weights (n,)."""
        if self.solver not in ("lstsq", "normal", "gd", "sgd", "minibatch"):
            raise ValueError(f"solver must be 'lstsq', 'normal', 'gd', 'sgd' or 'minibatch', "
                             f"got {self.solver!r}")
        X, y, sw = validate_fit_inputs(self, X, y, sample_weight)
        Xc, yc, X_offset, y_offset = preprocess_data(X, y, self.fit_intercept, sw)
        Y = yc.reshape(len(yc), -1)
        if self.positive:
            if self.solver != "lstsq":
                raise ValueError(f"positive=True needs solver='lstsq', got {self.solver!r}")
            Xw, Yw = _weighted(Xc, Y, sw)
            fits = [nnls(Xw, Yw[:, t]) for t in range(Y.shape[1])]
            W = np.stack([f[0] for f in fits])
            self.n_iter_ = None
        elif self.solver == "normal":
            Xw, Yw = _weighted(Xc, Y, sw)
            G = Xw.T @ Xw
            try:
                L = np.linalg.cholesky(G)
            except np.linalg.LinAlgError:
                L = None
            # rounding can let Cholesky of a singular XᵀX "succeed" with a pivot at noise level
            if L is None or np.min(np.diag(L)) ** 2 <= (
                    G.shape[0] * np.finfo(np.float64).eps * np.max(np.diag(G))):
                raise ValueError(
                    f"solver='normal' needs XᵀX positive definite, but X (shape {X.shape}) is "
                    "rank-deficient; use solver='lstsq'")
            W = np.linalg.solve(L.T, np.linalg.solve(L, Xw.T @ Yw)).T
            self.n_iter_ = None
        elif self.solver == "lstsq":
            Xw, Yw = _weighted(Xc, Y, sw)
            W, _, self.rank_, self.singular_ = np.linalg.lstsq(Xw, Yw, rcond=None)
            W = W.T
            self.n_iter_ = None
        else:
            if not (isinstance(self.learning_rate, numbers.Real) and self.learning_rate > 0):
                raise ValueError(f"learning_rate must be a positive number, got "
                                 f"{self.learning_rate!r}")
            rng = check_random_state(self.random_state)
            W, self.n_iter_ = _gradient_descent_ls(
                Xc, Y, sw, self.solver, float(self.learning_rate), int(self.max_iter),
                int(self.batch_size), float(self.tol), rng)
        self.coef_ = W[0] if y.ndim == 1 else W
        self.intercept_ = set_intercept(self.coef_, X_offset, y_offset, self.fit_intercept)
        self.n_features_in_ = X.shape[1]
        return self


def _ridge_closed_form(Xw, Yw, alpha, solver):
    n, d = Xw.shape
    if solver == "svd":
        U, s, Vt = np.linalg.svd(Xw, full_matrices=False)
        UtY = U.T @ Yw
        return np.stack([Vt.T @ (s / (s * s + a) * UtY[:, j]) for j, a in enumerate(alpha)])
    out = np.empty((Yw.shape[1], d))
    if d <= n:
        G = Xw.T @ Xw
        XtY = Xw.T @ Yw
        for j, a in enumerate(alpha):
            out[j] = _spd_solve(G + a * np.eye(d), XtY[:, j])
    else:
        K = Xw @ Xw.T
        for j, a in enumerate(alpha):
            out[j] = Xw.T @ _spd_solve(K + a * np.eye(n), Yw[:, j])
    return out


def _spd_solve(A, b):
    try:
        L = np.linalg.cholesky(A)
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(A, b, rcond=None)[0]
    return np.linalg.solve(L.T, np.linalg.solve(L, b))


class Ridge(RegressorMixin, LinearPredictorMixin, BaseEstimator):
    """Ridge regression: minimise ‖y − Xw − b‖² + α‖w‖² (scikit-learn's scaling).

    Closed form (X̃ᵀX̃ + αI)w = X̃ᵀỹ on centred data; the intercept is not penalised.
    ``solver``: 'auto'/'cholesky' (normal equations by Cholesky; the dual n × n system when
    d > n), 'svd' (w = V diag(σ/(σ²+α)) Uᵀỹ, the most stable), 'lbfgs' (iterative, through
    ``whiteboard.optim.minimize``; stops at ‖∇‖∞ ≤ tol), 'gd'/'sgd'/'minibatch' (gradient
    descent on the mean objective (1/2N)(‖ỹ − X̃w‖² + α‖w‖²), same minimiser, with
    ``learning_rate`` and ``max_iter`` epochs). ``alpha`` may be an array, one per target.
    ``positive=True`` (solver 'auto'/'lbfgs') constrains w ≥ 0, solved exactly as non-negative
    least squares on the augmented system [X̃; √α I] w ≈ [ỹ; 0].

    Shapes as :class:`LinearRegression`.
    """

    def __init__(self, alpha=1.0, *, fit_intercept=True, copy_X=True, max_iter=None, tol=1e-4,
                 solver="auto", positive=False, random_state=None, learning_rate=0.01,
                 batch_size=32):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.solver = solver
        self.positive = positive
        self.random_state = random_state
        self.learning_rate = learning_rate
        self.batch_size = batch_size

    def fit(self, X, y, sample_weight=None):
        """Fit on X (n, d), y (n,) or (n, k); optional non-negative sample weights (n,)."""
        solvers = ("auto", "cholesky", "svd", "lbfgs", "gd", "sgd", "minibatch")
        if self.solver not in solvers:
            raise ValueError(f"solver must be one of {solvers}, got {self.solver!r}")
        if self.positive and self.solver not in ("auto", "lbfgs"):
            raise ValueError(f"positive=True is only supported by solver 'auto' or 'lbfgs' "
                             f"(as scikit-learn), got solver={self.solver!r}")
        X, y, sw = validate_fit_inputs(self, X, y, sample_weight)
        Y = y.reshape(len(y), -1)
        alpha = np.asarray(self.alpha, dtype=np.float64).reshape(-1)
        if alpha.size == 1:
            alpha = np.repeat(alpha, Y.shape[1])
        if alpha.size != Y.shape[1]:
            raise ValueError(f"Number of targets and number of penalties do not correspond: "
                             f"{alpha.size} != {Y.shape[1]} (alpha={self.alpha!r})")
        if (alpha < 0).any() or not np.isfinite(alpha).all():
            raise ValueError(f"alpha must be finite and >= 0, got {self.alpha!r}")
        Xc, Yc, X_offset, y_offset = preprocess_data(X, Y, self.fit_intercept, sw)
        Xw, Yw = _weighted(Xc, Yc, sw)
        if self.positive:
            # min ‖X̃w − ỹ‖² + α‖w‖², w ≥ 0  ==  NNLS on [X̃; √α I] w ≈ [ỹ; 0] (exact)
            d = X.shape[1]
            W = np.stack([
                nnls(np.vstack([Xw, np.sqrt(a) * np.eye(d)]),
                     np.concatenate([Yw[:, j], np.zeros(d)]))[0]
                for j, a in enumerate(alpha)])
            self.n_iter_ = None
        elif self.solver in ("auto", "cholesky", "svd"):
            W = _ridge_closed_form(Xw, Yw, alpha, self.solver)
            self.n_iter_ = None
        elif self.solver == "lbfgs":
            W, iters = np.empty((Y.shape[1], X.shape[1])), []
            for j, a in enumerate(alpha):
                def fun(w, yj=Yw[:, j], a=a):
                    r = Xw @ w - yj
                    return 0.5 * (r @ r + a * (w @ w)), Xw.T @ r + a * w
                res = minimize(fun, np.zeros(X.shape[1]), method="lbfgs",
                               gtol=self.tol, max_iter=self.max_iter or 15000)
                W[j] = res.x
                iters.append(res.nit)
            self.n_iter_ = np.asarray(iters)
        else:
            rng = check_random_state(self.random_state)
            if np.ptp(alpha) > 0:
                raise ValueError(f"solver={self.solver!r} needs one alpha for all targets")
            W, epochs = _gradient_descent_ls(
                Xc, Yc, sw, self.solver, float(self.learning_rate), int(self.max_iter or 1000),
                int(self.batch_size), float(self.tol), rng, alpha=float(alpha[0]))
            self.n_iter_ = np.asarray([epochs])
        self.coef_ = W[0] if y.ndim == 1 else W
        y_off = y_offset[0] if y.ndim == 1 else y_offset
        self.intercept_ = set_intercept(self.coef_, X_offset, y_off, self.fit_intercept)
        self.n_features_in_ = X.shape[1]
        return self
