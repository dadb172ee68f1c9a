"""Logistic regression, binary (sigmoid) and multinomial (softmax), by maximum likelihood.

Model (binary, y ∈ {0, 1}, bias absorbed into x as a constant feature):
    P(y = 1 | x) = σ(wᵀx) = 1 / (1 + e^{−wᵀx}),  so  P(y | x) = σ(wᵀx)^y (1 − σ(wᵀx))^{1−y}.
Likelihood of independent samples: L(w) = Πᵢ σᵢ^{yᵢ}(1 − σᵢ)^{1−yᵢ}, σᵢ = σ(wᵀxᵢ). Maximising
it is minimising the negative log-likelihood (the cross-entropy)
    −ln L(w) = −Σᵢ [yᵢ ln σᵢ + (1 − yᵢ) ln(1 − σᵢ)] = Σᵢ [(1 − yᵢ) wᵀxᵢ + ln(1 + e^{−wᵀxᵢ})]
(errata E109: the notes drop the Σ and the index i; every x is xᵢ). With σ'(z) = σ(z)(1 − σ(z)):
    ∇ (1/N)(−ln L) = (1/N) Σᵢ (σ(wᵀxᵢ) − yᵢ) xᵢ,      ∇² = (1/N) Xᵀ diag(σᵢ(1 − σᵢ)) X,
so gradient descent updates w ← w − η (1/N) Σᵢ (σᵢ − yᵢ) xᵢ (errata E45: the notes' form
w − η(1/N)Σ(y − h)x has the sign flipped and climbs the loss). The Hessian is positive
semi-definite, so the loss is convex; Newton's step solved as weighted least squares is IRLS:
    w ← (XᵀSX)⁻¹ XᵀS z,  S = diag(σᵢ(1 − σᵢ)),  z = Xw + S⁻¹(y − σ).
Logistic regression is one generalised linear model (Bernoulli response, logit link g(μ) =
ln(μ/(1 − μ)); σ is the *inverse* link — errata E8, E93).

Multinomial (K ≥ 3 classes): P(y = k | x) = softmax(Wx + b)ₖ = exp(zₖ)/Σⱼ exp(zⱼ); the negative
log-likelihood Σᵢ [logsumexp(zᵢ) − z_{i,yᵢ}] has gradient Σᵢ (pᵢ − onehot(yᵢ)) xᵢᵀ and Hessian
blocks Σᵢ pᵢₖ(δₖₗ − pᵢₗ) xᵢxᵢᵀ. With the L2 penalty the coefficients are unique (they sum to
zero over classes at the optimum); the unpenalised intercepts are only defined up to a common
shift and are reported centred (Σₖ bₖ = 0), as scikit-learn's.

Objective (scikit-learn's scaling, with sᵢ = sample_weightᵢ · class_weight[yᵢ]):
    C Σᵢ sᵢ ℓ(yᵢ, xᵢ) + r(w),  r = ½‖w‖² ('l2'), ‖w‖₁ ('l1'),
    ρ‖w‖₁ + ½(1 − ρ)‖w‖² ('elasticnet', ρ = l1_ratio), 0 (None); the intercept is not penalised.
The solvers minimise the same objective divided by C·Σsᵢ (a mean loss, better scaled).
"""

from __future__ import annotations

import numbers

import numpy as np

from ...optim import minimize
from ..base import BaseEstimator, ClassifierMixin, check_random_state
from ._base import (
    check_classifier_fit_inputs,
    compute_class_weight,
    validate_predict_input,
)

__all__ = ["LogisticRegression"]


def _sigmoid(z):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def _log_softmax(Z):
    Z = Z - Z.max(axis=1, keepdims=True)
    return Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))


class _Objective:
    """Smooth part of the scaled objective: (1/S)Σ sᵢℓᵢ + ½·l2‖coef‖², on θ = [coef | b]."""

    def __init__(self, X, y, s, n_out, fit_intercept, l2):
        self.X, self.y, self.s = X, y, s
        self.S = s.sum()
        self.n_out, self.fit_intercept, self.l2 = n_out, fit_intercept, l2
        self.d = X.shape[1]
        self.binary = n_out == 1
        self.rows = np.arange(len(y))

    def unpack(self, theta):
        W = theta.reshape(self.n_out, -1)
        return W[:, :self.d], (W[:, self.d] if self.fit_intercept else None)

    def scores(self, theta):
        coef, b = self.unpack(theta)
        Z = self.X @ coef.T
        if b is not None:
            Z += b
        return Z

    def __call__(self, theta):
        """(value, gradient) of the smooth objective."""
        coef, _ = self.unpack(theta)
        Z = self.scores(theta)
        s, S = self.s, self.S
        if self.binary:
            z = Z[:, 0]
            loss = s @ (np.logaddexp(0.0, z) - self.y * z)
            R = (s * (_sigmoid(z) - self.y))[:, None]
        else:
            logP = _log_softmax(Z)
            loss = -(s @ logP[self.rows, self.y])
            R = np.exp(logP)
            R[self.rows, self.y] -= 1.0
            R *= s[:, None]
        grad = np.empty((self.n_out, theta.size // self.n_out))
        grad[:, :self.d] = (R.T @ self.X) / S + self.l2 * coef
        if self.fit_intercept:
            grad[:, self.d] = R.sum(axis=0) / S
        return loss / S + 0.5 * self.l2 * float(np.sum(coef * coef)), grad.ravel()

    def hessian(self, theta):
        """Full Hessian of the smooth objective (IRLS weights σ(1 − σ) / softmax blocks)."""
        Xa = np.hstack([self.X, np.ones((len(self.X), 1))]) if self.fit_intercept else self.X
        p = Xa.shape[1]
        Z = self.scores(theta)
        reg = np.zeros(p)
        reg[:self.d] = self.l2
        if self.binary:
            sig = _sigmoid(Z[:, 0])
            h = self.s * sig * (1.0 - sig) / self.S
            return (Xa.T * h) @ Xa + np.diag(reg)
        P = np.exp(_log_softmax(Z))
        K = self.n_out
        H = np.empty((K, p, K, p))
        for k in range(K):
            for m in range(k, K):
                w = self.s * P[:, k] * ((k == m) - P[:, m]) / self.S
                block = (Xa.T * w) @ Xa
                H[k, :, m, :] = block
                H[m, :, k, :] = block.T
            H[k, :, k, :] += np.diag(reg)
        return H.reshape(K * p, K * p)


def _soft_threshold(v, t):
    return np.sign(v) * np.maximum(np.abs(v) - t, 0.0)


def _fista(obj, theta0, l1, tol, max_iter):
    """Accelerated proximal gradient (FISTA, Beck & Teboulle 2009) for smooth + l1‖coef‖₁.

    x_{k+1} = prox_{l1/L}(y_k − ∇f(y_k)/L), prox = soft thresholding of the coefficients (the
    intercept is not penalised); y_{k+1} = x_{k+1} + ((t_k − 1)/t_{k+1})(x_{k+1} − x_k),
    t_{k+1} = (1 + √(1 + 4t_k²))/2. L is found by backtracking on the quadratic upper bound
    f(x⁺) ≤ f(y) + ∇f(y)ᵀ(x⁺ − y) + (L/2)‖x⁺ − y‖², and momentum restarts whenever it points
    uphill, (y_k − x_{k+1})ᵀ(x_{k+1} − x_k) > 0 (O'Donoghue & Candès 2015), which restores
    linear convergence on strongly convex problems. Stops when the gradient mapping
    L‖x⁺ − y‖∞ ≤ tol. Returns (θ, iterations).
    """
    mask = np.zeros_like(theta0, dtype=bool)
    mask.reshape(obj.n_out, -1)[:, :obj.d] = True
    x = theta0.copy()
    y = x.copy()
    t = 1.0
    L = 1.0
    fy, gy = obj(y)
    it = 0
    for k in range(1, max_iter + 1):
        it = k  # iterations run so far; returned (0 when max_iter < 1)
        while True:
            step = y - gy / L
            x_new = np.where(mask, _soft_threshold(step, l1 / L), step)
            diff = x_new - y
            f_new, g_new = obj(x_new)
            if f_new <= fy + gy @ diff + 0.5 * L * (diff @ diff) + 1e-12 * abs(fy):
                break
            L *= 2.0
        if L * np.max(np.abs(diff)) <= tol:
            x = x_new
            break
        t_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
        if (y - x_new) @ (x_new - x) > 0:
            t_new, y, fy, gy = 1.0, x_new, f_new, g_new
        else:
            y = x_new + ((t - 1.0) / t_new) * (x_new - x)
            fy, gy = obj(y)
        x, t = x_new, t_new
        L *= 0.9
    return x, it


def _sgd(obj, theta0, learning_rate, power_t, max_iter, batch_size, tol, rng):
    """Mini-batch SGD on the scaled objective: η_e = learning_rate / (e + 1)^power_t in epoch e.

    One step per batch with the batch's mean loss gradient plus the penalty gradient; samples
    are reshuffled every epoch. Stops when an epoch moves no weight by more than
    tol·max(1, ‖θ‖∞). Returns (θ, epochs).
    """
    X, y, s = obj.X, obj.y, obj.s
    n = len(y)
    theta = theta0.copy()
    e = 0
    for e in range(max_iter):
        eta = learning_rate / (e + 1.0) ** power_t
        start_theta = theta.copy()
        order = rng.permutation(n)
        for lo in range(0, n, batch_size):
            idx = order[lo:lo + batch_size]
            sub = _Objective(X[idx], y[idx], s[idx], obj.n_out, obj.fit_intercept, obj.l2)
            # unbiased for the full objective: (n / (S·|B|)) Σ_B sᵢ∇ℓᵢ + ∇r
            sub.S = obj.S * len(idx) / n
            _, g = sub(theta)
            theta -= eta * g
        if not np.isfinite(theta).all():
            raise ValueError(f"sgd diverged in epoch {e + 1}: the weights became non-finite; "
                             f"lower learning_rate (got {learning_rate})")
        if np.max(np.abs(theta - start_theta)) <= tol * max(1.0, np.max(np.abs(theta))):
            break
    return theta, e + 1


class LogisticRegression(ClassifierMixin, BaseEstimator):
    """Logistic regression classifier (binary sigmoid or multinomial softmax).

    Minimises C Σᵢ sᵢ ℓᵢ + r(w) (see the module docstring for the derivation, gradient and
    Hessian). ``penalty``: 'l2' (default), 'l1', 'elasticnet' (needs ``l1_ratio``) or None.

    ``solver``:
      - 'lbfgs' (default): L-BFGS from ``whiteboard.optim.minimize``; stops at ‖∇‖∞ ≤ tol.
        'l2' and None only.
      - 'newton': Newton's method = IRLS, with the exact Hessian (d+1)K × (d+1)K; 'l2'/None.
      - 'gd': full-batch gradient descent (Armijo backtracking, first step ``learning_rate``).
      - 'sgd': mini-batch stochastic gradient descent, batches of ``batch_size`` (1 = the
        notes' per-sample SGD), step learning_rate/(epoch+1)^power_t, ``max_iter`` epochs.
      - 'fista': accelerated proximal gradient (soft-thresholding prox) for 'l1' and
        'elasticnet' (also 'l2'/None); exact zeros in ``coef_``.
    ``class_weight``: None, 'balanced' (n/(K·nₖ)) or {label: weight}, multiplied into the
    sample weights.

    Shapes: X (n, d); ``coef_`` (1, d) binary or (K, d); ``intercept_`` (1,) or (K,);
    ``predict_proba`` (n, K); ``decision_function`` (n,) binary or (n, K). ``classes_`` holds
    the sorted labels of any dtype (strings work); ``n_iter_`` (1,) iterations/epochs.
    """

    def __init__(self, penalty="l2", *, dual=False, tol=1e-4, C=1.0, fit_intercept=True,
                 intercept_scaling=1, class_weight=None, random_state=None, solver="lbfgs",
                 max_iter=100, verbose=0, warm_start=False, n_jobs=None, l1_ratio=None,
                 learning_rate=0.1, batch_size=1, power_t=0.5):
        self.penalty = penalty
        self.dual = dual
        self.tol = tol
        self.C = C
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.random_state = random_state
        self.solver = solver
        self.max_iter = max_iter
        self.verbose = verbose
        self.warm_start = warm_start
        self.n_jobs = n_jobs
        self.l1_ratio = l1_ratio
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.power_t = power_t

    def _penalty_strengths(self, S):
        """(l2, l1) multipliers of ½‖w‖² and ‖w‖₁ in the scaled objective."""
        if self.penalty not in ("l2", "l1", "elasticnet", None):
            raise ValueError(f"penalty must be 'l2', 'l1', 'elasticnet' or None, got "
                             f"{self.penalty!r}")
        if self.penalty is None:
            return 0.0, 0.0
        if not (isinstance(self.C, numbers.Real) and self.C > 0):
            raise ValueError(f"C must be a positive number, got {self.C!r}")
        scale = 1.0 / (self.C * S)
        if self.penalty == "l2":
            return scale, 0.0
        if self.penalty == "l1":
            return 0.0, scale
        rho = self.l1_ratio
        if not (isinstance(rho, numbers.Real) and 0 <= rho <= 1):
            raise ValueError(f"penalty='elasticnet' needs l1_ratio in [0, 1], got {rho!r}")
        return scale * (1.0 - rho), scale * rho

    def fit(self, X, y, sample_weight=None):
        """Fit on X (n, d) and labels y (n,) of any dtype; optional sample weights (n,)."""
        solvers = ("lbfgs", "newton", "gd", "sgd", "fista")
        if self.solver not in solvers:
            raise ValueError(f"solver must be one of {solvers}, got {self.solver!r}")
        if not (isinstance(self.max_iter, numbers.Integral) and self.max_iter >= 1):
            raise ValueError(f"max_iter must be an integer >= 1, got {self.max_iter!r}")
        if not (isinstance(self.tol, numbers.Real) and self.tol >= 0):
            raise ValueError(f"tol must be a number >= 0, got {self.tol!r}")
        if self.dual:
            raise ValueError("dual=True (the dual formulation of liblinear) is not implemented; "
                             "use dual=False")
        X, classes, y_enc, sw = check_classifier_fit_inputs(self, X, y, sample_weight)
        K = len(classes)
        s = np.ones(len(y_enc)) if sw is None else sw
        s = s * compute_class_weight(self.class_weight, classes, y_enc, sw)[y_enc]
        if not s.sum() > 0:
            raise ValueError("the sample weights times class weights sum to zero")
        l2, l1 = self._penalty_strengths(s.sum())
        if l1 > 0 and self.solver not in ("fista",):
            raise ValueError(f"solver={self.solver!r} supports only penalty 'l2' or None; use "
                             f"solver='fista' for penalty={self.penalty!r}")
        n_out = 1 if K == 2 else K
        obj = _Objective(X, y_enc.astype(np.float64) if n_out == 1 else y_enc, s, n_out,
                         self.fit_intercept, l2)
        p = X.shape[1] + int(bool(self.fit_intercept))
        theta0 = np.zeros(n_out * p)
        if self.warm_start and hasattr(self, "coef_") and self.coef_.shape == (n_out, X.shape[1]):
            W0 = np.hstack([self.coef_, self.intercept_[:, None]]) if self.fit_intercept \
                else self.coef_
            theta0 = W0.ravel().astype(np.float64)
        if self.solver in ("lbfgs", "newton", "gd"):
            method = {"lbfgs": "lbfgs", "newton": "newton", "gd": "gd"}[self.solver]
            extra = {"alpha0": float(self.learning_rate)} if method == "gd" else {}
            res = minimize(obj, theta0, method=method, jac=True,
                           hess=obj.hessian if method == "newton" else None,
                           gtol=self.tol, max_iter=self.max_iter, **extra)
            theta, n_iter = res.x, res.nit
            self.converged_ = bool(res.success)
        elif self.solver == "fista":
            theta, n_iter = _fista(obj, theta0, l1, self.tol, self.max_iter)
            self.converged_ = n_iter < self.max_iter
        else:
            if not (isinstance(self.batch_size, numbers.Integral) and self.batch_size >= 1):
                raise ValueError(f"batch_size must be an integer >= 1, got {self.batch_size!r}")
            rng = check_random_state(self.random_state)
            theta, n_iter = _sgd(obj, theta0, float(self.learning_rate), float(self.power_t),
                                 self.max_iter, int(self.batch_size), self.tol, rng)
            self.converged_ = n_iter < self.max_iter
        coef, b = obj.unpack(theta)
        self.coef_ = coef.copy()
        if b is None:
            self.intercept_ = np.zeros(n_out)
        else:
            self.intercept_ = b - b.mean() if n_out > 1 else b.copy()
        self.classes_ = classes
        self.n_features_in_ = X.shape[1]
        self.n_iter_ = np.asarray([n_iter], dtype=np.int32)
        return self

    def decision_function(self, X):
        """Scores wᵀx + b: (n,) for two classes (positive = classes_[1]), else (n, K)."""
        X = validate_predict_input(self, X)
        Z = X @ self.coef_.T + self.intercept_
        return Z[:, 0] if Z.shape[1] == 1 else Z

    def predict_proba(self, X):
        """Class probabilities (n, K): [1 − σ(z), σ(z)] for two classes, softmax(z) otherwise."""
        Z = self.decision_function(X)
        if Z.ndim == 1:
            p = _sigmoid(Z)
            return np.column_stack([1.0 - p, p])
        return np.exp(_log_softmax(Z))

    def predict_log_proba(self, X):
        """Logarithm of ``predict_proba``, computed stably."""
        Z = self.decision_function(X)
        if Z.ndim == 1:
            return np.column_stack([-np.logaddexp(0.0, Z), -np.logaddexp(0.0, -Z)])
        return _log_softmax(Z)

    def predict(self, X):
        """The most probable class label for each row of X."""
        Z = self.decision_function(X)
        idx = (Z > 0).astype(int) if Z.ndim == 1 else np.argmax(Z, axis=1)
        return self.classes_[idx]
