"""Linear discriminant analysis: a Gaussian classifier with a shared covariance, and the
Fisher projection onto at most K − 1 discriminant directions."""

from __future__ import annotations

import numbers

import numpy as np

from .base import BaseEstimator, ClassifierMixin, TransformerMixin
from .linear_model._base import check_classifier_fit_inputs, validate_predict_input

__all__ = ["LinearDiscriminantAnalysis"]


def _log_softmax(Z):
    Z = Z - Z.max(axis=1, keepdims=True)
    return Z - np.log(np.exp(Z).sum(axis=1, keepdims=True))


def _class_means(X, y, K):
    counts = np.bincount(y, minlength=K).astype(np.float64)
    sums = np.zeros((K, X.shape[1]))
    np.add.at(sums, y, X)
    return sums / counts[:, None]


def _ledoit_wolf_covariance(X):
    """Ledoit–Wolf shrunk covariance of X, computed on standardised features (as scikit-learn's
    LDA with ``shrinkage='auto'``) and scaled back.

    On standardised Z (n × p) with sample covariance S = ZᵀZ/n and μ = tr S / p, the estimator
    is (1 − γ)S + γμI with the asymptotically optimal γ = min(β̂, δ̂)/δ̂, where
    δ̂ = ‖S − μI‖²_F / p and β̂ = (1/(p n²)) Σᵢ ‖zᵢzᵢᵀ − S‖²_F (Ledoit & Wolf 2004).
    """
    n, p = X.shape
    std = X.std(axis=0)
    std[std == 0] = 1.0
    Z = (X - X.mean(axis=0)) / std
    Z2 = Z * Z
    trace = Z2.sum(axis=0) / n
    mu = trace.sum() / p
    S = Z.T @ Z / n
    delta_ = np.sum(S * S)
    beta = (np.sum(Z2.T @ Z2) / n - delta_) / (p * n)
    delta = (delta_ - 2.0 * mu * trace.sum() + p * mu * mu) / p
    beta = min(beta, delta)
    gamma = 0.0 if beta == 0 else beta / delta
    shrunk = (1.0 - gamma) * S + gamma * mu * np.eye(p)
    return std[:, None] * shrunk * std[None, :]


class LinearDiscriminantAnalysis(ClassifierMixin, TransformerMixin, BaseEstimator):
    """Linear discriminant analysis (scikit-learn's solvers and conventions).

    Model: x | y = k ~ N(μₖ, Σ) with one covariance Σ shared by all classes, prior πₖ. Bayes'
    rule gives linear discriminants

        δₖ(x) = xᵀΣ⁻¹μₖ − ½ μₖᵀΣ⁻¹μₖ + ln πₖ,     P(y = k | x) = softmax(δ(x))ₖ,

    (the quadratic term xᵀΣ⁻¹x is common to all classes and cancels). Fisher's view: the
    directions v maximising the ratio of between- to within-class scatter vᵀS_b v / vᵀS_w v
    solve S_b v = λ S_w v; S_b has rank ≤ K − 1, so ``transform`` projects onto at most K − 1
    dimensions (``n_components``).

    ``solver``:
      - 'svd' (default): never forms Σ. Whitens the centred, standardised within-class data by an
        SVD, then takes the SVD of the whitened, prior-weighted class means; the right singular
        vectors are the discriminant directions (``scalings_``), ordered by their share of the
        between-class variance (``explained_variance_ratio_``).
      - 'lsqr': solves Σ coefᵀ = μᵀ by least squares, Σ = Σₖ πₖ Σₖ (biased class covariances),
        optionally shrunk Σ ← (1 − γ)Σ + γ·(tr Σ/d)·I with ``shrinkage`` = γ ∈ [0, 1], or
        γ chosen by the Ledoit–Wolf formula (``shrinkage='auto'``). No ``transform``.
      - 'eigen': the generalised symmetric eigenproblem S_b v = λ S_w v (via the Cholesky
        factor of S_w), S_w shrunk as for 'lsqr'.

    Shapes: X (n, d); ``coef_`` (K, d) or (1, d) for two classes (the difference of the two
    discriminants); ``intercept_`` (K,) or (1,); ``means_`` (K, d); ``scalings_`` (d, r);
    ``transform`` (n, n_components).
    """

    def __init__(self, solver="svd", shrinkage=None, priors=None, n_components=None,
                 store_covariance=False, tol=1e-4, covariance_estimator=None):
        self.solver = solver
        self.shrinkage = shrinkage
        self.priors = priors
        self.n_components = n_components
        self.store_covariance = store_covariance
        self.tol = tol
        self.covariance_estimator = covariance_estimator

    def _shrunk_cov(self, Xk):
        g = self.shrinkage
        if isinstance(g, str):
            return _ledoit_wolf_covariance(Xk)
        C = np.cov(Xk, rowvar=False, bias=True).reshape(Xk.shape[1], Xk.shape[1])
        if g is None:
            return C
        mu = np.trace(C) / C.shape[0]
        return (1.0 - g) * C + g * mu * np.eye(C.shape[0])

    def _check_params(self, n_features, K):
        if self.solver not in ("svd", "lsqr", "eigen"):
            raise ValueError(f"solver must be 'svd', 'lsqr' or 'eigen', got {self.solver!r}")
        if self.covariance_estimator is not None:
            raise ValueError("covariance_estimator is not supported; use shrinkage")
        if self.shrinkage is not None:
            if self.solver == "svd":
                raise ValueError("shrinkage is not supported by the 'svd' solver")
            if not (self.shrinkage == "auto" or (
                    isinstance(self.shrinkage, numbers.Real) and 0 <= self.shrinkage <= 1)):
                raise ValueError(f"shrinkage must be None, 'auto' or a float in [0, 1], got "
                                 f"{self.shrinkage!r}")
        max_components = min(K - 1, n_features)
        if self.n_components is not None and not (
                isinstance(self.n_components, numbers.Integral)
                and 1 <= self.n_components <= max_components):
            raise ValueError(
                f"n_components cannot be larger than min(n_features, n_classes - 1) = "
                f"{max_components}; got n_components={self.n_components!r}")
        return max_components if self.n_components is None else int(self.n_components)

    def fit(self, X, y):
        """Fit class means, priors, the shared covariance / discriminant directions."""
        X, classes, y_enc, _ = check_classifier_fit_inputs(self, X, y, None)
        n, d = X.shape
        K = len(classes)
        if n == K:
            raise ValueError(f"The number of samples ({n}) must be more than the number of "
                             f"classes ({K}).")
        self._max_components = self._check_params(d, K)
        counts = np.bincount(y_enc, minlength=K)
        if self.priors is None:
            priors = counts / n
        else:
            priors = np.asarray(self.priors, dtype=np.float64)
            if priors.shape != (K,) or (priors < 0).any():
                raise ValueError(f"priors must be {K} non-negative numbers, got {self.priors!r}")
            priors = priors / priors.sum()
        self.classes_ = classes
        self.priors_ = priors
        self.means_ = _class_means(X, y_enc, K)
        self.n_features_in_ = d
        getattr(self, f"_fit_{self.solver}")(X, y_enc, K)
        if K == 2:
            self.coef_ = (self.coef_[1] - self.coef_[0])[None, :]
            self.intercept_ = np.array([self.intercept_[1] - self.intercept_[0]])
        return self

    def _within_cov(self, X, y, K):
        return sum(self.priors_[k] * self._shrunk_cov(X[y == k]) for k in range(K))

    def _fit_lsqr(self, X, y, K):
        cov = self._within_cov(X, y, K)
        self.covariance_ = cov
        self.coef_ = np.linalg.lstsq(cov, self.means_.T, rcond=None)[0].T
        self.intercept_ = -0.5 * np.einsum("kd,kd->k", self.means_, self.coef_) + \
            np.log(self.priors_)

    def _fit_eigen(self, X, y, K):
        Sw = self._within_cov(X, y, K)
        self.covariance_ = Sw
        St = self._shrunk_cov(X)
        Sb = St - Sw
        L = np.linalg.cholesky(Sw)
        Linv = np.linalg.inv(L)
        evals, U = np.linalg.eigh(Linv @ Sb @ Linv.T)
        evecs = Linv.T @ U
        order = np.argsort(evals)[::-1]
        evals, evecs = evals[order], evecs[:, order]
        self.explained_variance_ratio_ = (evals / evals.sum())[:self._max_components]
        # evecs are S_w-orthonormal (VᵀS_wV = I), so V Vᵀ = S_w⁻¹ and coef_ = μ S_w⁻¹
        self.scalings_ = evecs
        self.coef_ = self.means_ @ evecs @ evecs.T
        self.intercept_ = -0.5 * np.einsum("kd,kd->k", self.means_, self.coef_) + \
            np.log(self.priors_)

    def _fit_svd(self, X, y, K):
        n = X.shape[0]
        if self.store_covariance:
            self.covariance_ = self._within_cov(X, y, K)
        xbar = self.priors_ @ self.means_
        Xc = X - self.means_[y]
        std = Xc.std(axis=0)
        std[std == 0] = 1.0
        # scikit-learn scales by 1/n (not 1/(n − K)); the directions do not depend on it
        Xw = np.sqrt(1.0 / n) * (Xc / std)
        _, S, Vt = np.linalg.svd(Xw, full_matrices=False)
        rank = int(np.sum(S > self.tol))
        # whitening: columns map standardised within-class data to unit covariance
        scalings = (Vt[:rank] / std).T / S[:rank]
        fac = 1.0 if K == 1 else 1.0 / (K - 1)
        M = (np.sqrt(n * self.priors_ * fac) * (self.means_ - xbar).T).T @ scalings
        _, S, Vt = np.linalg.svd(M, full_matrices=False)
        self.explained_variance_ratio_ = (S ** 2 / np.sum(S ** 2))[:self._max_components]
        rank = int(np.sum(S > self.tol * S[0]))
        self.scalings_ = scalings @ Vt.T[:, :rank]
        self.xbar_ = xbar
        coef = (self.means_ - xbar) @ self.scalings_
        self.intercept_ = -0.5 * np.sum(coef ** 2, axis=1) + np.log(self.priors_)
        self.coef_ = coef @ self.scalings_.T
        self.intercept_ -= xbar @ self.coef_.T

    def transform(self, X):
        """Project onto the first ``n_components`` discriminant directions: (n, n_components)."""
        if self.solver == "lsqr":
            raise NotImplementedError("transform is not implemented for the 'lsqr' solver "
                                      "(use 'svd' or 'eigen')")
        X = validate_predict_input(self, X)
        if self.solver == "svd":
            return ((X - self.xbar_) @ self.scalings_)[:, :self._max_components]
        return (X @ self.scalings_)[:, :self._max_components]

    def decision_function(self, X):
        """δ(x): (n,) for two classes (log-odds of classes_[1]), else (n, K)."""
        X = validate_predict_input(self, X)
        Z = X @ self.coef_.T + self.intercept_
        return Z[:, 0] if Z.shape[1] == 1 else Z

    def predict_log_proba(self, X):
        """ln P(y = k | x), stable softmax of the discriminants."""
        Z = self.decision_function(X)
        if Z.ndim == 1:
            return np.column_stack([-np.logaddexp(0.0, Z), -np.logaddexp(0.0, -Z)])
        return _log_softmax(Z)

    def predict_proba(self, X):
        """P(y = k | x): (n, K)."""
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        """The class with the largest discriminant."""
        Z = self.decision_function(X)
        idx = (Z > 0).astype(int) if Z.ndim == 1 else np.argmax(Z, axis=1)
        return self.classes_[idx]

    def fit_transform(self, X, y=None, **fit_params):
        return self.fit(X, y).transform(X)
