"""Factorization machines (Rendle 2010), degree 2, fitted with L-BFGS.

Model, for x ∈ ℝⁿ, bias w₀, linear weights w ∈ ℝⁿ and factors V ∈ ℝ^{n×k} (row v_i per feature):

    ŷ(x) = w₀ + Σ_i w_i x_i + Σ_{i<j} ⟨v_i, v_j⟩ x_i x_j

Every pair interaction gets weight ⟨v_i, v_j⟩, a rank-k factorisation of the n×n interaction
matrix, so pairs that never co-occur in training still get an estimate through their factors.
The pairwise term costs O(kn) instead of O(kn²) (Rendle 2010, Lemma 3.1):

    Σ_{i<j} ⟨v_i, v_j⟩ x_i x_j = ½ Σ_f [(Σ_i v_if x_i)² − Σ_i v_if² x_i²]

(½[(Σ a)² − Σ a²] = Σ_{i<j} a_i a_j, per factor f). With q = XV (n_samples×k) and gradient
r = ∂L/∂ŷ per sample, the gradients are, again without any double sum:

    ∂ŷ/∂w₀ = 1,  ∂ŷ/∂w_i = x_i,  ∂ŷ/∂v_if = x_i q_f − v_if x_i²
    ∇_V = Xᵀ(r ⊙ q) − V ⊙ ((X²)ᵀ r)          (r broadcast over the k columns of q)

Objective (the bias is not penalised), with mean loss over the samples:

    J = (1/Σs) Σ_m s_m ℓ(y_m, ŷ_m) + ½ α_w ‖w‖² + ½ α_V ‖V‖²_F

ℓ = ½(y − ŷ)² for ``FMRegressor``; ℓ = log(1 + exp(−t ŷ)), t ∈ {−1, +1}, for ``FMClassifier``
(binary; K > 2 classes are one-vs-rest, K binary FMs). J is non-convex in V, so the fit starts from
V ~ N(0, init_stdev²) (V = 0 is a stationary point: every ∇_V vanishes there) and reaches a
local minimum; L-BFGS is ``whiteboard.optim.minimize(method="lbfgs")`` (no scipy at run time).
"""

from __future__ import annotations

import numbers

import numpy as np

from ..optim import minimize
from .base import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    check_is_fitted,
    check_random_state,
    check_sample_weight,
    check_X_y,
)
from .linear_model._base import check_classifier_fit_inputs, validate_predict_input

__all__ = ["FMClassifier", "FMRegressor", "fm_predict", "pairwise_interactions"]


def pairwise_interactions(X, V):
    """Σ_{i<j} ⟨v_i, v_j⟩ x_i x_j per row in O(kn): ½ Σ_f [(XV)_f² − (X² V²)_f]."""
    Q = X @ V
    return 0.5 * (np.sum(Q * Q, axis=1) - np.sum((X * X) @ (V * V), axis=1))


def fm_predict(X, w0, w, V):
    """ŷ = w₀ + Xw + pairwise_interactions(X, V), shape (n_samples,)."""
    return w0 + X @ w + pairwise_interactions(X, V)


class _FMObjective:
    """J(θ) and ∇J(θ) for θ = [w₀, w (n), V (n·k, row-major)]."""

    def __init__(self, X, y, s, k, alpha_w, alpha_V, loss):
        self.X, self.X2, self.y, self.k = X, X * X, y, k
        self.s = s / s.sum()
        self.alpha_w, self.alpha_V, self.loss = alpha_w, alpha_V, loss

    def unpack(self, theta):
        d = self.X.shape[1]
        return theta[0], theta[1:1 + d], theta[1 + d:].reshape(d, self.k)

    def __call__(self, theta):
        w0, w, V = self.unpack(theta)
        X = self.X
        Q = X @ V
        yhat = w0 + X @ w + 0.5 * (np.sum(Q * Q, axis=1) - np.sum(self.X2 @ (V * V), axis=1))
        if self.loss == "squared":
            res = yhat - self.y
            f = 0.5 * float(self.s @ (res * res))
            r = self.s * res
        else:  # logistic, y in {-1, +1}
            m = self.y * yhat
            f = float(self.s @ np.logaddexp(0.0, -m))
            r = self.s * (-self.y) * np.exp(-np.logaddexp(0.0, m))  # −t σ(−t ŷ)
        f += 0.5 * self.alpha_w * float(w @ w) + 0.5 * self.alpha_V * float(np.sum(V * V))
        g_w0 = r.sum()
        g_w = X.T @ r + self.alpha_w * w
        g_V = X.T @ (r[:, None] * Q) - V * (self.X2.T @ r)[:, None] + self.alpha_V * V
        return f, np.concatenate([[g_w0], g_w, g_V.ravel()])


class _BaseFM(BaseEstimator):
    def __init__(self, n_components=8, *, alpha_w=1e-4, alpha_V=1e-4, init_stdev=0.1,
                 max_iter=500, tol=1e-6, random_state=None):
        self.n_components = n_components
        self.alpha_w = alpha_w
        self.alpha_V = alpha_V
        self.init_stdev = init_stdev
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def _check_params(self):
        k = self.n_components
        if not (isinstance(k, numbers.Integral) and k >= 1):
            raise ValueError(f"n_components must be an integer >= 1, got {k!r}")
        for name in ("alpha_w", "alpha_V", "init_stdev", "tol"):
            v = getattr(self, name)
            if not (isinstance(v, numbers.Real) and v >= 0):
                raise ValueError(f"{name} must be a number >= 0, got {v!r}")
        if not (isinstance(self.max_iter, numbers.Integral) and self.max_iter >= 1):
            raise ValueError(f"max_iter must be an integer >= 1, got {self.max_iter!r}")

    def _solve(self, X, y, s, loss, w0_init):
        """One fit from V₀ ~ N(0, init_stdev²) drawn from a fresh ``check_random_state``:
        (w₀, w, V, n_iter, converged)."""
        d, k = X.shape[1], self.n_components
        rng = check_random_state(self.random_state)
        V0 = rng.normal(scale=self.init_stdev, size=(d, k)) if self.init_stdev > 0 \
            else np.zeros((d, k))
        theta0 = np.concatenate([[w0_init], np.zeros(d), V0.ravel()])
        obj = _FMObjective(X, y, s, k, float(self.alpha_w), float(self.alpha_V), loss)
        res = minimize(obj, theta0, method="lbfgs", jac=True, gtol=self.tol,
                       max_iter=self.max_iter)
        w0, w, V = obj.unpack(res.x)
        return float(w0), w.copy(), V.copy(), int(res.nit), bool(res.success)

    def _fit(self, X, y, s, loss, w0_init):
        w0, w, V, self.n_iter_, self.converged_ = self._solve(X, y, s, loss, w0_init)
        self.intercept_, self.coef_, self.V_ = w0, w, V
        self.n_features_in_ = X.shape[1]
        return self

    def _raw(self, X):
        X = validate_predict_input(self, X)
        return fm_predict(X, self.intercept_, self.coef_, self.V_)


class FMRegressor(RegressorMixin, _BaseFM):
    """Factorization machine for regression (squared loss); see the module docstring.

    Attributes: ``intercept_`` (w₀), ``coef_`` (w, (n_features,)), ``V_`` (factors,
    (n_features, n_components)), ``n_iter_``, ``converged_``.
    """

    def fit(self, X, y, sample_weight=None):
        self._check_params()
        X, y = check_X_y(X, y, y_numeric=True, estimator=self)
        s = check_sample_weight(sample_weight, X.shape[0])
        if not s.sum() > 0:
            raise ValueError("sample_weight sums to zero")
        return self._fit(X, y.astype(np.float64), s, "squared", float(np.average(y, weights=s)))

    def predict(self, X):
        """ŷ(x) for each row, shape (n_samples,)."""
        return self._raw(X)


class FMClassifier(ClassifierMixin, _BaseFM):
    """Factorization machine with the logistic loss: p(classes_[1] | x) = σ(ŷ(x)) for two
    classes; one-vs-rest for K > 2 (as scikit-learn's linear classifiers' OvR).

    One-vs-rest: class c gets its own binary FM ŷ_c on the targets t = +1 where y = c, −1
    elsewhere, fitted exactly as a binary ``FMClassifier`` on ``y == c`` with the same
    ``random_state`` (each fit re-seeds, so its V₀ is the same draw); ``decision_function`` is
    (n, K) with column c = ŷ_c, ``predict_proba`` normalises the one-vs-rest probabilities,
    p_c = σ(ŷ_c) / Σ_j σ(ŷ_j), and ``predict`` = classes_[argmax_c ŷ_c].

    Attributes as :class:`FMRegressor` for two classes; for K > 2 ``intercept_`` (K,),
    ``coef_`` (K, n_features), ``V_`` (K, n_features, n_components), ``n_iter_`` (the most
    iterations of the K fits), ``converged_`` (all of them); plus ``classes_``.
    """

    def fit(self, X, y, sample_weight=None):
        self._check_params()
        X, classes, y_enc, sw = check_classifier_fit_inputs(self, X, y, sample_weight)
        s = np.ones(len(y_enc)) if sw is None else np.asarray(sw, dtype=np.float64)
        if not s.sum() > 0:
            raise ValueError("sample_weight: all weights are zero (they sum to zero)")
        if len(classes) < 2:
            raise ValueError(f"FMClassifier needs at least 2 classes in y, got {len(classes)}")
        self.classes_ = classes
        positives = [y_enc == 1] if len(classes) == 2 else [y_enc == c
                                                           for c in range(len(classes))]
        fits = []
        for pos in positives:
            t = np.where(pos, 1.0, -1.0)
            p = float(np.clip(np.average(pos, weights=s), 1e-12, 1 - 1e-12))
            fits.append(self._solve(X, t, s, "logistic", float(np.log(p / (1 - p)))))
        w0, w, V, nit, ok = zip(*fits)
        if len(classes) == 2:
            self.intercept_, self.coef_, self.V_ = w0[0], w[0], V[0]
        else:
            self.intercept_, self.coef_, self.V_ = np.array(w0), np.stack(w), np.stack(V)
        self.n_iter_, self.converged_ = max(nit), all(ok)
        self.n_features_in_ = X.shape[1]
        return self

    def decision_function(self, X):
        """ŷ(x), the log-odds of classes_[1], shape (n_samples,); (n_samples, K) of the K
        one-vs-rest FMs for K > 2 classes."""
        check_is_fitted(self, "V_")
        if np.ndim(self.intercept_) == 0:
            return self._raw(X)
        X = validate_predict_input(self, X)
        return np.column_stack([fm_predict(X, b, w, V)
                                for b, w, V in zip(self.intercept_, self.coef_, self.V_)])

    def predict_proba(self, X):
        """[σ(−ŷ), σ(ŷ)] for two classes; σ(ŷ_c) / Σ_j σ(ŷ_j) for K > 2. (n_samples, K)."""
        return np.exp(self.predict_log_proba(X))

    def predict_log_proba(self, X):
        """[−log(1 + e^ŷ), −log(1 + e^−ŷ)] (K > 2: log σ(ŷ_c) − log Σ_j σ(ŷ_j)), stably."""
        z = self.decision_function(X)
        if z.ndim == 1:
            return np.column_stack([-np.logaddexp(0.0, z), -np.logaddexp(0.0, -z)])
        ls = -np.logaddexp(0.0, -z)
        m = ls.max(axis=1, keepdims=True)
        return ls - (m + np.log(np.sum(np.exp(ls - m), axis=1, keepdims=True)))

    def predict(self, X):
        """classes_[1] where ŷ > 0, else classes_[0]; classes_[argmax_c ŷ_c] for K > 2."""
        z = self.decision_function(X)
        if z.ndim == 1:
            return self.classes_[(z > 0).astype(int)]
        return self.classes_[np.argmax(z, axis=1)]
