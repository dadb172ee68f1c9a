"""Principal component analysis by the singular value decomposition of the centred data.

With X̃ = X − mean (n × d) and the thin SVD X̃ = U S Vᵀ:

    components_ = rows of Vᵀ (principal axes, orthonormal, by decreasing variance)
    explained_variance_ = S² / (n − 1)   (eigenvalues of the sample covariance X̃ᵀX̃ / (n − 1))
    explained_variance_ratio_ = explained_variance_ / Σ all variances
    transform(X) = (X − mean) Vᵀᵀ = U S (scores); whitened: divided by √explained_variance_
    inverse_transform(Z) = Z V (× √explained_variance_ when whitened) + mean

Sign convention (scikit-learn's ``svd_flip(u_based_decision=False)``): each principal axis is
multiplied by ±1 so that its entry of largest absolute value is positive. The components then
equal scikit-learn's exactly (not only up to sign) whenever the singular values are distinct.

``n_components``: an int k; a float in (0, 1) — the smallest k whose cumulative explained
variance ratio exceeds it; ``"mle"`` — Minka's (2000) Bayesian model selection; None — all
min(n, d). ``noise_variance_`` is the mean of the discarded variances (probabilistic PCA).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ..base import BaseEstimator, TransformerMixin, check_is_fitted, check_n_features
from ..cluster._kmeans import check_real_array

__all__ = ["PCA", "svd_flip"]


def svd_flip(u, v):
    """Make the largest-|·| entry of each row of ``v`` positive (columns of ``u`` follow)."""
    idx = np.argmax(np.abs(v), axis=1)
    signs = np.sign(v[np.arange(v.shape[0]), idx])
    signs[signs == 0] = 1.0
    if u is not None:
        u = u * signs[None, :]
    return u, v * signs[:, None]


def _assess_dimension(spectrum, rank, n_samples):
    """Log-likelihood of a rank-``rank`` PPCA model given the covariance spectrum (Minka)."""
    d = spectrum.shape[0]
    eps = 1e-15
    if spectrum[rank - 1] < eps:
        return -np.inf
    pu = -rank * math.log(2.0)
    for i in range(1, rank + 1):
        pu += math.lgamma((d - i + 1) / 2.0) - math.log(math.pi) * (d - i + 1) / 2.0
    pl = -np.sum(np.log(spectrum[:rank])) * n_samples / 2.0
    v = max(eps, np.sum(spectrum[rank:]) / (d - rank))
    pv = -math.log(v) * n_samples * (d - rank) / 2.0
    m = d * rank - rank * (rank + 1.0) / 2.0
    pp = math.log(2.0 * math.pi) * (m + rank) / 2.0
    filled = spectrum.copy()
    filled[rank:] = v
    i, j = np.triu_indices(d, 1)
    keep = i < rank
    i, j = i[keep], j[keep]
    pa = np.sum(np.log((spectrum[i] - spectrum[j]) * (1.0 / filled[j] - 1.0 / filled[i]))
                + math.log(n_samples))
    return pu + pl + pv + pp - pa / 2.0 - rank * math.log(n_samples) / 2.0


def _infer_dimension(spectrum, n_samples):
    ll = np.full(spectrum.shape[0], -np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        for rank in range(1, spectrum.shape[0]):
            ll[rank] = _assess_dimension(spectrum, rank, n_samples)
    return int(np.argmax(ll))


class PCA(TransformerMixin, BaseEstimator):
    """Principal component analysis (exact SVD); see the module docstring for the math.

    Parameters as scikit-learn: ``n_components``, ``copy``, ``whiten``, ``svd_solver``
    ('auto' and 'full' both use the full SVD; 'covariance_eigh' diagonalises X̃ᵀX̃ / (n − 1)
    instead), ``tol``, ``iterated_power``, ``n_oversamples``, ``power_iteration_normalizer``,
    ``random_state`` (accepted for compatibility; the solvers here are exact).

    Attributes: ``components_`` (k, d), ``explained_variance_`` (k,),
    ``explained_variance_ratio_`` (k,), ``singular_values_`` (k,), ``mean_`` (d,),
    ``n_components_``, ``noise_variance_``, ``n_samples_``, ``n_features_in_``.
    """

    def __init__(self, n_components=None, *, copy=True, whiten=False, svd_solver="auto", tol=0.0,
                 iterated_power="auto", n_oversamples=10, power_iteration_normalizer="auto",
                 random_state=None):
        self.n_components = n_components
        self.copy = copy
        self.whiten = whiten
        self.svd_solver = svd_solver
        self.tol = tol
        self.iterated_power = iterated_power
        self.n_oversamples = n_oversamples
        self.power_iteration_normalizer = power_iteration_normalizer
        self.random_state = random_state

    def _fit(self, X):
        X = check_real_array(X, estimator=self)
        n, d = X.shape
        if self.svd_solver not in ("auto", "full", "covariance_eigh"):
            raise ValueError(f"svd_solver must be 'auto', 'full' or 'covariance_eigh' (exact "
                             f"solvers only), got {self.svd_solver!r}")
        k = self.n_components
        if k is None:
            k = min(n, d)
        elif k == "mle":
            if n < d:
                raise ValueError("n_components='mle' is only supported if n_samples >= "
                                 f"n_features (X has shape {X.shape})")
        elif isinstance(k, numbers.Integral) and not isinstance(k, bool):
            if not 0 <= k <= min(n, d):
                raise ValueError(f"n_components={k} must be between 0 and min(n_samples, "
                                 f"n_features)={min(n, d)} with svd_solver='full' (X has "
                                 f"shape {X.shape})")
        elif isinstance(k, numbers.Real) and not isinstance(k, bool):
            if not 0 < k < 1:
                raise ValueError(f"n_components={k} must be an int, 'mle', None or a float in "
                                 "(0, 1)")
        else:
            raise ValueError(f"n_components must be an int, a float in (0, 1), 'mle' or None, "
                             f"got {k!r}")
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        if self.svd_solver == "covariance_eigh":
            C = Xc.T @ Xc / (n - 1)
            evals, evecs = np.linalg.eigh(C)
            evals, evecs = evals[::-1].copy(), evecs[:, ::-1]
            evals[evals < 0] = 0.0
            U, S, Vt = None, np.sqrt(evals * (n - 1)), evecs.T.copy()
            variance = evals
        else:
            U, S, Vt = np.linalg.svd(Xc, full_matrices=False)
            variance = S ** 2 / (n - 1)
        U, Vt = svd_flip(U, Vt)
        total = variance.sum()
        ratio = variance / total
        if k == "mle":
            k = _infer_dimension(variance, n)
        elif 0 < k < 1.0 and not isinstance(k, numbers.Integral):
            k = int(np.searchsorted(np.cumsum(ratio), k, side="right") + 1)
        k = int(k)
        self.noise_variance_ = float(variance[k:].mean()) if k < min(n, d) else 0.0
        self.n_samples_ = n
        self.n_components_ = k
        self.n_features_in_ = d
        self.components_ = Vt[:k].copy()
        self.explained_variance_ = variance[:k].copy()
        self.explained_variance_ratio_ = ratio[:k].copy()
        self.singular_values_ = S[:k].copy()
        return U, S, Xc

    def fit(self, X, y=None):
        """Fit the principal axes on ``X`` (n, d)."""
        self._fit(X)
        return self

    def fit_transform(self, X, y=None):
        """Fit and return the scores U S (or U √(n − 1) whitened): (n, k)."""
        U, S, Xc = self._fit(X)
        if U is None:
            return self._project(Xc)
        U = U[:, :self.n_components_]
        return U * math.sqrt(Xc.shape[0] - 1) if self.whiten else U * S[:self.n_components_]

    def _project(self, Xc):
        Z = Xc @ self.components_.T
        if self.whiten:
            scale = np.sqrt(self.explained_variance_)
            scale[scale < np.finfo(scale.dtype).eps] = np.finfo(scale.dtype).eps
            Z /= scale
        return Z

    def transform(self, X):
        """Project ``X`` (m, d) on the principal axes: (m, k)."""
        check_is_fitted(self, "components_")
        X = check_real_array(X, estimator=self)
        check_n_features(self, X)
        return self._project(X - self.mean_)

    def inverse_transform(self, X):
        """Map scores (m, k) back to the input space (m, d)."""
        check_is_fitted(self, "components_")
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_components_:
            raise ValueError(f"inverse_transform expects shape (m, {self.n_components_}), got "
                             f"{X.shape}")
        if self.whiten:
            return X @ (np.sqrt(self.explained_variance_)[:, None] * self.components_) + self.mean_
        return X @ self.components_ + self.mean_

    def get_covariance(self):
        """Model covariance Vᵀ diag(λ − σ²) V + σ² I of probabilistic PCA: (d, d)."""
        check_is_fitted(self, "components_")
        components = self.components_
        ev = self.explained_variance_
        if self.whiten:
            components = components * np.sqrt(ev[:, None])
        excess = np.maximum(ev - self.noise_variance_, 0.0)
        cov = (components.T * excess) @ components
        cov.flat[:: cov.shape[0] + 1] += self.noise_variance_
        return cov

    def _update_sklearn_tags(self, tags):
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags
