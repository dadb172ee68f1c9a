"""The perceptron (Rosenblatt 1958), with scikit-learn's update schedule and stopping rule."""

from __future__ import annotations

import numbers

import numpy as np

from ..base import BaseEstimator, ClassifierMixin, check_random_state
from ._base import check_classifier_fit_inputs, compute_class_weight, validate_predict_input

__all__ = ["Perceptron"]


class Perceptron(ClassifierMixin, BaseEstimator):
    """Online perceptron; one-vs-rest for more than two classes.

    For labels yᵢ ∈ {−1, +1} and score p = wᵀxᵢ + b, the perceptron criterion is
    Σᵢ max(0, −yᵢpᵢ); one stochastic (sub)gradient step with learning rate η = ``eta0`` is

        if yᵢ(wᵀxᵢ + b) ≤ 0:   w ← w + η sᵢ yᵢ xᵢ,   b ← b + η sᵢ yᵢ

    (sᵢ = sample weight × class weight; a point on the boundary, score exactly 0, counts as a
    mistake). On linearly separable data with margin γ and radius R the number of mistakes is at
    most (R/γ)² (Novikoff). ``penalty='l2'`` shrinks w by (1 − ηα) before every step;
    'l1' and 'elasticnet' (mixing ``l1_ratio``) apply the L1 part by the cumulative penalty of
    Tsuruoka et al. (2009), as scikit-learn's SGD: after every step each weight is pulled
    towards 0 by the total penalty u = Σ ρηα accrued so far minus what it already received,
    clipped at 0 — which gives exact zeros.

    Epochs visit the samples in order (``shuffle=False``) or in a fresh random order. After each
    epoch the mean loss L = (1/N)Σ max(0, −yᵢpᵢ) (+ α‖w‖²/2 with 'l2', accumulated during the
    epoch as scikit-learn does) is compared with the best so far: training stops after
    ``n_iter_no_change`` consecutive epochs with L > best − tol, or after ``max_iter`` epochs.
    With ``shuffle=False`` the coefficients equal scikit-learn's exactly (same visiting order);
    with shuffling the orders differ (different random generators).

    The K one-vs-rest problems run together, vectorised across classes: each sample updates the
    K weight vectors in one step; a class whose stopping rule fires is frozen.

    Shapes: X (n, d); ``coef_`` (1, d) for two classes (positive = classes_[1]) or (K, d);
    ``intercept_`` (1,) or (K,).
    """

    def __init__(self, *, penalty=None, alpha=0.0001, l1_ratio=0.15, fit_intercept=True,
                 max_iter=1000, tol=1e-3, shuffle=True, verbose=0, eta0=1.0, n_jobs=None,
                 random_state=0, early_stopping=False, validation_fraction=0.1,
                 n_iter_no_change=5, class_weight=None, warm_start=False):
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.verbose = verbose
        self.eta0 = eta0
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.class_weight = class_weight
        self.warm_start = warm_start

    def _check_params(self):
        if self.penalty not in (None, "l2", "l1", "elasticnet"):
            raise ValueError(f"penalty must be None, 'l2', 'l1' or 'elasticnet', got "
                             f"{self.penalty!r}")
        if self.penalty == "elasticnet" and not (
                isinstance(self.l1_ratio, numbers.Real) and 0 <= self.l1_ratio <= 1):
            raise ValueError(f"l1_ratio must be in [0, 1] for penalty='elasticnet', got "
                             f"{self.l1_ratio!r}")
        if self.early_stopping:
            raise ValueError("early_stopping=True is not supported; use tol/n_iter_no_change")
        if not (isinstance(self.eta0, numbers.Real) and self.eta0 > 0):
            raise ValueError(f"eta0 must be > 0, got {self.eta0!r}")
        if not (isinstance(self.max_iter, numbers.Integral) and self.max_iter >= 1):
            raise ValueError(f"max_iter must be an integer >= 1, got {self.max_iter!r}")
        if not (isinstance(self.alpha, numbers.Real) and self.alpha >= 0):
            raise ValueError(f"alpha must be >= 0, got {self.alpha!r}")

    def fit(self, X, y, sample_weight=None):
        """Fit on X (n, d) and labels y (n,) of any dtype; optional sample weights (n,)."""
        self._check_params()
        X, classes, y_enc, sw = check_classifier_fit_inputs(self, X, y, sample_weight)
        n, d = X.shape
        K = len(classes)
        n_out = 1 if K == 2 else K
        if n_out == 1:
            Y = np.where(y_enc == 1, 1.0, -1.0)[:, None]
        else:
            Y = np.where(y_enc[:, None] == np.arange(K), 1.0, -1.0)
        s = np.ones(n) if sw is None else sw
        # 'balanced' counts samples, not sample weights, in scikit-learn's SGD estimators
        cw = compute_class_weight(self.class_weight, classes, y_enc)
        # scikit-learn's one-vs-rest weights: class k's weight for its positives, 1 otherwise
        if n_out == 1:
            weight_pos, weight_neg = np.array([cw[1]]), np.array([cw[0]])
        else:
            weight_pos, weight_neg = cw, np.ones(K)
        W = np.zeros((n_out, d))
        b = np.zeros(n_out)
        if self.warm_start and hasattr(self, "coef_") and self.coef_.shape == W.shape:
            W, b = self.coef_.copy(), self.intercept_.copy()
        eta, alpha = float(self.eta0), float(self.alpha)
        rho = {None: 0.0, "l2": 0.0, "l1": 1.0}.get(self.penalty, self.l1_ratio)
        penalised = self.penalty is not None
        shrink = self.penalty in ("l2", "elasticnet")
        cumulative_l1 = self.penalty in ("l1", "elasticnet")
        u = 0.0
        Q = np.zeros_like(W)
        # scikit-learn's stopping objective reads norms cached by its weight vector: recomputed
        # after each mistake update, scaled by the L2 shrinkage, but not refreshed by the L1
        # step; the same bookkeeping keeps the epoch counts equal
        sq_norm = np.einsum("kd,kd->k", W, W)
        l1_norm = np.abs(W).sum(axis=1)
        tol = -np.inf if self.tol is None else float(self.tol)
        rng = check_random_state(self.random_state)
        active = np.ones(n_out, dtype=bool)
        best = np.full(n_out, np.inf)
        stall = np.zeros(n_out, dtype=int)
        n_iter = np.zeros(n_out, dtype=int)
        for epoch in range(self.max_iter):
            order = rng.permutation(n) if self.shuffle else range(n)
            objective = np.zeros(n_out)
            act = active.copy()
            for i in order:
                x, yi = X[i], Y[i]
                z = yi * (W @ x + b)
                objective += np.where(z <= 0, -z, 0.0)
                if penalised:
                    objective += alpha * ((1.0 - rho) * 0.5 * sq_norm + rho * l1_norm)
                if shrink:
                    c = max(0.0, 1.0 - (1.0 - rho) * eta * alpha)
                    W[act] *= c
                    sq_norm[act] *= c * c
                    l1_norm[act] *= c
                wrong = (z <= 0) & act
                if wrong.any():
                    update = eta * yi[wrong] * s[i] * np.where(yi[wrong] > 0, weight_pos[wrong],
                                                               weight_neg[wrong])
                    W[wrong] += update[:, None] * x
                    sq_norm[wrong] = np.einsum("kd,kd->k", W[wrong], W[wrong])
                    l1_norm[wrong] = np.abs(W[wrong]).sum(axis=1)
                    if self.fit_intercept:
                        b[wrong] += update
                if cumulative_l1:
                    u += rho * eta * alpha
                    old_w = W[act]
                    new_w = np.where(old_w > 0, np.maximum(0.0, old_w - (u + Q[act])),
                                     np.where(old_w < 0, np.minimum(0.0, old_w + (u - Q[act])),
                                              old_w))
                    Q[act] += new_w - old_w
                    W[act] = new_w
            if not (np.isfinite(W).all() and np.isfinite(b).all()):
                raise ValueError(f"Perceptron diverged in epoch {epoch + 1} (non-finite weights)")
            objective /= n
            n_iter[act] = epoch + 1
            worse = objective > best - tol
            stall = np.where(act & worse, stall + 1, np.where(act, 0, stall))
            best = np.where(act, np.minimum(best, objective), best)
            active &= stall < self.n_iter_no_change
            if not active.any():
                break
        self.coef_ = W
        self.intercept_ = b
        self.classes_ = classes
        self.n_features_in_ = d
        self.n_iter_ = int(n_iter.max())
        self.t_ = float(self.n_iter_ * n + 1)
        return self

    def decision_function(self, X):
        """Scores wᵀx + b: (n,) for two classes, (n, K) otherwise."""
        X = validate_predict_input(self, X)
        Z = X @ self.coef_.T + self.intercept_
        return Z[:, 0] if Z.shape[1] == 1 else Z

    def predict(self, X):
        """Label with the largest score (sign of the score for two classes)."""
        Z = self.decision_function(X)
        idx = (Z > 0).astype(int) if Z.ndim == 1 else np.argmax(Z, axis=1)
        return self.classes_[idx]
