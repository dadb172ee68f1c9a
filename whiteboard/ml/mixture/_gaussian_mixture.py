"""Gaussian mixture model fitted by expectation–maximisation (EM).

The model: p(x) = Σ_k π_k N(x | μ_k, Σ_k), with weights π_k ≥ 0 summing to 1.

EM maximises the log-likelihood L = Σ_i log Σ_k π_k N(x_i | μ_k, Σ_k) by alternating

    E-step   r_ik = π_k N(x_i | μ_k, Σ_k) / Σ_j π_j N(x_i | μ_j, Σ_j)        (responsibilities)
    M-step   n_k = Σ_i r_ik,   π_k = n_k / n,   μ_k = Σ_i r_ik x_i / n_k,
             Σ_k = Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ / n_k + reg_covar · I

each step never decreasing L (the E-step makes Jensen's lower bound tight, the M-step maximises
it). The iteration stops when the mean log-likelihood per sample changes by less than ``tol``.
k-means is the limit of EM with shared spherical covariances σ²I as σ → 0 (hard assignments).

Covariance types (as scikit-learn): ``'full'`` (one Σ_k each), ``'tied'`` (one Σ shared:
Σ = Σ_k Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ / n), ``'diag'`` (diagonal Σ_k: the per-feature weighted
variances) and ``'spherical'`` (σ_k² I with σ_k² the mean of the diagonal).

Densities are evaluated through the Cholesky factor of each precision matrix, P_k = Σ_k⁻¹ = U Uᵀ
with U = (L⁻¹)ᵀ for Σ_k = L Lᵀ:

    log N(x | μ, Σ) = −½ (d log 2π + ‖(x − μ)ᵀ U‖²) + Σ_j log U_jj

and the responsibilities by a log-sum-exp, so nothing under- or overflows.
"""

import numbers
import warnings

import numpy as np

from ..base import (
    BaseEstimator, check_array, check_is_fitted, check_n_features, check_random_state,
)
from ..cluster import ConvergenceWarning, KMeans, kmeans_plusplus

__all__ = ["GaussianMixture"]

_COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")
_INIT_PARAMS = ("kmeans", "k-means++", "random", "random_from_data")
_ILL_DEFINED = ("Fitting the mixture model failed because some components have ill-defined "
                "empirical covariance (for instance caused by singleton or collapsed samples). "
                "Try to decrease the number of components, increase reg_covar, or scale the "
                "input data.")


def _logsumexp(a, axis):
    top = np.max(a, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    return np.log(np.sum(np.exp(a - top), axis=axis)) + np.squeeze(top, axis=axis)


def _estimate_parameters(X, resp, reg_covar, covariance_type):
    """M-step: (n_k, μ, covariances) from the responsibilities ``resp`` (n, K)."""
    nk = resp.sum(axis=0) + 10 * np.finfo(resp.dtype).eps   # an empty component stays finite
    means = resp.T @ X / nk[:, None]
    n_features = X.shape[1]
    if covariance_type == "full":
        diff = X[None, :, :] - means[:, None, :]                          # (K, n, d)
        cov = np.einsum("kn,kni,knj->kij", resp.T, diff, diff) / nk[:, None, None]
        cov[:, np.arange(n_features), np.arange(n_features)] += reg_covar
    elif covariance_type == "tied":
        cov = (X.T @ X - (nk * means.T) @ means) / nk.sum()
        cov.flat[::n_features + 1] += reg_covar
    else:
        diag = (resp.T @ (X * X) / nk[:, None] - 2 * means * (resp.T @ X) / nk[:, None]
                + means ** 2 + reg_covar)
        cov = diag if covariance_type == "diag" else diag.mean(axis=1)
    return nk, means, cov


def _precision_cholesky(cov, covariance_type):
    """The factor U of each precision matrix (Σ⁻¹ = U Uᵀ), from the covariances."""
    if covariance_type in ("full", "tied"):
        stack = cov if covariance_type == "full" else cov[None]
        eye = np.eye(stack.shape[-1])
        out = np.empty_like(stack)
        for k, c in enumerate(stack):
            try:
                chol = np.linalg.cholesky(c)
            except np.linalg.LinAlgError:
                raise ValueError(_ILL_DEFINED) from None
            out[k] = np.linalg.solve(chol, eye).T
        return out if covariance_type == "full" else out[0]
    if np.any(cov <= 0.0):
        raise ValueError(_ILL_DEFINED)
    return 1.0 / np.sqrt(cov)


def _precisions_from_cholesky(prec_chol, covariance_type):
    if covariance_type == "full":
        return prec_chol @ prec_chol.transpose(0, 2, 1)
    if covariance_type == "tied":
        return prec_chol @ prec_chol.T
    return prec_chol ** 2


def _cholesky_from_precisions(precisions, covariance_type):
    """U with U Uᵀ = P from user-given precisions (P = L Lᵀ gives U = L)."""
    if covariance_type == "full":
        return np.stack([np.linalg.cholesky(p) for p in precisions])
    if covariance_type == "tied":
        return np.linalg.cholesky(precisions)
    return np.sqrt(precisions)


def _log_gaussian(X, means, prec_chol, covariance_type):
    """log N(x_i | μ_k, Σ_k) as (n, K)."""
    n, d = X.shape
    k = means.shape[0]
    if covariance_type == "full":
        log_det = np.log(np.diagonal(prec_chol, axis1=1, axis2=2)).sum(axis=1)
        y = np.einsum("ni,kij->nkj", X, prec_chol) - np.einsum("ki,kij->kj", means, prec_chol)
        maha = np.sum(y * y, axis=2)
    elif covariance_type == "tied":
        log_det = np.full(k, np.log(np.diag(prec_chol)).sum())
        y = (X @ prec_chol)[:, None, :] - (means @ prec_chol)[None, :, :]
        maha = np.sum(y * y, axis=2)
    elif covariance_type == "diag":
        log_det = np.log(prec_chol).sum(axis=1)
        prec = prec_chol ** 2
        maha = (np.sum(means ** 2 * prec, axis=1) - 2 * X @ (means * prec).T
                + (X * X) @ prec.T)
    else:
        log_det = d * np.log(prec_chol)
        prec = prec_chol ** 2
        maha = (np.sum(means ** 2, axis=1) * prec - 2 * (X @ means.T) * prec
                + np.outer(np.sum(X * X, axis=1), prec))
    return -0.5 * (d * np.log(2 * np.pi) + maha) + log_det


class GaussianMixture(BaseEstimator):
    """Gaussian mixture fitted by EM (see the module docstring for the math).

    Parameters and attributes are scikit-learn's: ``n_components=1``, ``covariance_type='full'``,
    ``tol=1e-3``, ``reg_covar=1e-6``, ``max_iter=100``, ``n_init=1``, ``init_params='kmeans'``,
    ``weights_init``, ``means_init``, ``precisions_init``, ``random_state``, ``warm_start``,
    ``verbose``, ``verbose_interval``; after ``fit``: ``weights_``, ``means_``,
    ``covariances_``, ``precisions_``, ``precisions_cholesky_``, ``converged_``, ``n_iter_``,
    ``lower_bound_`` (mean log-likelihood of the best run), ``lower_bounds_`` (per iteration).
    With all three ``*_init`` given, the fit equals scikit-learn's iterate for iterate.
    """

    _estimator_type = "DensityEstimator"

    def __init__(self, n_components=1, *, covariance_type="full", tol=1e-3, reg_covar=1e-6,
                 max_iter=100, n_init=1, init_params="kmeans", weights_init=None,
                 means_init=None, precisions_init=None, random_state=None, warm_start=False,
                 verbose=0, verbose_interval=10):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval

    # ------------------------------------------------------------------ checks
    def _check_parameters(self, X):
        name = type(self).__name__
        for arg, minimum in (("n_components", 1), ("n_init", 1), ("max_iter", 0)):
            value = getattr(self, arg)
            if (not isinstance(value, numbers.Integral) or isinstance(value, bool)
                    or value < minimum):
                raise ValueError(f"{name}: {arg} must be an int >= {minimum}, got {value!r}")
        for arg in ("tol", "reg_covar"):
            value = getattr(self, arg)
            if (not isinstance(value, numbers.Real) or isinstance(value, bool)
                    or not value >= 0):
                raise ValueError(f"{name}: {arg} must be a float >= 0, got {value!r}")
        if self.covariance_type not in _COVARIANCE_TYPES:
            raise ValueError(f"{name}: covariance_type must be one of {_COVARIANCE_TYPES}, got "
                             f"{self.covariance_type!r}")
        if self.init_params not in _INIT_PARAMS:
            raise ValueError(f"{name}: init_params must be one of {_INIT_PARAMS}, got "
                             f"{self.init_params!r}")
        n, d = X.shape
        k = self.n_components
        if n < k:
            raise ValueError(f"Expected n_samples >= n_components but got n_components = {k}, "
                             f"n_samples = {n}")
        if self.weights_init is not None:
            w = np.asarray(self.weights_init, dtype=np.float64)
            if w.shape != (k,):
                raise ValueError(f"{name}: weights_init must have shape ({k},), got {w.shape}")
            if np.any(w < 0) or np.any(w > 1) or not np.isclose(w.sum(), 1.0, rtol=0, atol=1e-6):
                raise ValueError(f"{name}: weights_init must lie in [0, 1] and sum to 1, got "
                                 f"sum {w.sum():.6f}")
        if self.means_init is not None:
            m = np.asarray(self.means_init, dtype=np.float64)
            if m.shape != (k, d):
                raise ValueError(f"{name}: means_init must have shape ({k}, {d}), got {m.shape}")
        if self.precisions_init is not None:
            expected = {"full": (k, d, d), "tied": (d, d), "diag": (k, d),
                        "spherical": (k,)}[self.covariance_type]
            p = np.asarray(self.precisions_init, dtype=np.float64)
            if p.shape != expected:
                raise ValueError(f"{name}: precisions_init for covariance_type="
                                 f"{self.covariance_type!r} must have shape {expected}, got "
                                 f"{p.shape}")
            if self.covariance_type in ("full", "tied"):
                for mat in (p if p.ndim == 3 else p[None]):
                    if (not np.allclose(mat, mat.T)
                            or np.linalg.eigvalsh(mat).min() <= 0):
                        raise ValueError(f"{name}: precisions_init must be symmetric, "
                                         "positive-definite")
            elif np.any(p <= 0):
                raise ValueError(f"{name}: precisions_init must be positive")

    # ------------------------------------------------------------------ EM pieces
    def _initial_resp(self, X, rng):
        n, k = X.shape[0], self.n_components
        resp = np.zeros((n, k))
        if self.init_params == "kmeans":
            seed = int(rng.integers(2**31 - 1))
            labels = KMeans(n_clusters=k, n_init=1, random_state=seed).fit(X).labels_
            resp[np.arange(n), labels] = 1
        elif self.init_params == "k-means++":
            _, idx = kmeans_plusplus(X, k, random_state=int(rng.integers(2**31 - 1)))
            resp[idx, np.arange(k)] = 1
        elif self.init_params == "random":
            resp = rng.uniform(size=(n, k))
            resp /= resp.sum(axis=1, keepdims=True)
        else:
            resp[rng.choice(n, size=k, replace=False), np.arange(k)] = 1
        return resp

    def _initialize(self, X, rng):
        nk, means, cov = _estimate_parameters(X, self._initial_resp(X, rng), self.reg_covar,
                                              self.covariance_type)
        self.weights_ = (nk / X.shape[0] if self.weights_init is None
                         else np.asarray(self.weights_init, dtype=np.float64).copy())
        self.means_ = means if self.means_init is None else np.array(self.means_init, float)
        if self.precisions_init is None:
            self.covariances_ = cov
            self.precisions_cholesky_ = _precision_cholesky(cov, self.covariance_type)
        else:
            self.precisions_cholesky_ = _cholesky_from_precisions(
                np.asarray(self.precisions_init, dtype=np.float64), self.covariance_type)

    def _e_step(self, X):
        weighted = (_log_gaussian(X, self.means_, self.precisions_cholesky_,
                                  self.covariance_type) + np.log(self.weights_))
        norm = _logsumexp(weighted, axis=1)
        with np.errstate(under="ignore"):
            return norm.mean(), weighted - norm[:, None]

    def _m_step(self, X, log_resp):
        nk, self.means_, self.covariances_ = _estimate_parameters(
            X, np.exp(log_resp), self.reg_covar, self.covariance_type)
        self.weights_ = nk / nk.sum()
        self.precisions_cholesky_ = _precision_cholesky(self.covariances_, self.covariance_type)

    def _get_state(self):
        return (self.weights_, self.means_, getattr(self, "covariances_", None),
                self.precisions_cholesky_)

    def _set_state(self, state):
        self.weights_, self.means_, cov, self.precisions_cholesky_ = state
        if cov is not None:
            self.covariances_ = cov
        self.precisions_ = _precisions_from_cholesky(self.precisions_cholesky_,
                                                     self.covariance_type)

    # ------------------------------------------------------------------ public API
    def fit(self, X, y=None):
        """Fit by EM (``n_init`` runs, the best lower bound kept); returns self."""
        self.fit_predict(X, y)
        return self

    def fit_predict(self, X, y=None):
        """Fit, then the component of largest responsibility for each sample of ``X``."""
        X = check_array(X, estimator=self, min_samples=2)
        self._check_parameters(X)
        self.n_features_in_ = X.shape[1]
        do_init = not (self.warm_start and hasattr(self, "converged_"))
        n_init = self.n_init if do_init else 1
        rng = check_random_state(self.random_state)
        best_bound, best_state, best_iter, best_bounds = -np.inf, None, 0, []
        self.converged_ = False
        for init in range(n_init):
            if do_init:
                self._initialize(X, rng)
            bound = -np.inf if do_init else self.lower_bound_
            bounds, n_iter, converged = [], 0, False
            for n_iter in range(1, self.max_iter + 1):
                previous = bound
                bound, log_resp = self._e_step(X)
                self._m_step(X, log_resp)
                bounds.append(bound)
                if self.verbose and n_iter % self.verbose_interval == 0:
                    print(f"  Iteration {n_iter}\t lower bound {bound:.6f}")
                if abs(bound - previous) < self.tol:
                    converged = True
                    break
            if self.verbose:
                print(f"Initialization {init} {'converged' if converged else 'did not converge'}:"
                      f" lower bound {bound:.6f}, {n_iter} iterations")
            if bound > best_bound or best_state is None:
                best_bound, best_state, best_iter, best_bounds = (
                    bound, self._get_state(), n_iter, bounds)
                self.converged_ = converged
        if not self.converged_ and self.max_iter > 0:
            warnings.warn(f"Best performing initialization did not converge. Try different init "
                          f"parameters, or increase max_iter, tol, or check for degenerate data. "
                          f"({type(self).__name__}, max_iter={self.max_iter})",
                          ConvergenceWarning, stacklevel=2)
        self._set_state(best_state)
        if not hasattr(self, "covariances_"):          # max_iter == 0 with precisions_init
            self.covariances_ = _covariances_from_precisions(self.precisions_,
                                                             self.covariance_type)
        self.n_iter_, self.lower_bound_, self.lower_bounds_ = best_iter, best_bound, best_bounds
        # a last E-step so that fit_predict(X) equals fit(X).predict(X)
        _, log_resp = self._e_step(X)
        return log_resp.argmax(axis=1)

    def _check_X(self, X):
        check_is_fitted(self, "precisions_cholesky_")
        X = check_array(X, estimator=self)
        check_n_features(self, X)
        return X

    def _weighted_log_prob(self, X):
        return (_log_gaussian(X, self.means_, self.precisions_cholesky_, self.covariance_type)
                + np.log(self.weights_))

    def score_samples(self, X):
        """log p(x_i) for each sample, shape (n_samples,)."""
        return _logsumexp(self._weighted_log_prob(self._check_X(X)), axis=1)

    def score(self, X, y=None):
        """Mean log-likelihood per sample."""
        return float(self.score_samples(X).mean())

    def predict_proba(self, X):
        """Responsibilities r_ik = p(component k | x_i), shape (n_samples, n_components)."""
        w = self._weighted_log_prob(self._check_X(X))
        return np.exp(w - _logsumexp(w, axis=1)[:, None])

    def predict(self, X):
        """The component of largest responsibility."""
        return self._weighted_log_prob(self._check_X(X)).argmax(axis=1)

    def sample(self, n_samples=1):
        """``(X, y)``: ``n_samples`` draws from the fitted mixture and their components."""
        check_is_fitted(self, "precisions_cholesky_")
        if not isinstance(n_samples, numbers.Integral) or n_samples < 1:
            raise ValueError(f"Invalid value for 'n_samples': {n_samples!r}. The sampling "
                             "requires at least one sample.")
        rng = check_random_state(self.random_state)
        counts = rng.multinomial(n_samples, self.weights_ / self.weights_.sum())
        d = self.means_.shape[1]
        parts = []
        for k, (mean, count) in enumerate(zip(self.means_, counts)):
            z = rng.standard_normal((count, d))
            if self.covariance_type == "full":
                parts.append(mean + z @ np.linalg.cholesky(self.covariances_[k]).T)
            elif self.covariance_type == "tied":
                parts.append(mean + z @ np.linalg.cholesky(self.covariances_).T)
            else:
                parts.append(mean + z * np.sqrt(self.covariances_[k]))
        y = np.repeat(np.arange(self.n_components), counts)
        return np.vstack(parts), y

    def _n_parameters(self):
        k, d = self.means_.shape
        cov = {"full": k * d * (d + 1) / 2, "tied": d * (d + 1) / 2, "diag": k * d,
               "spherical": k}[self.covariance_type]
        return int(cov + k * d + k - 1)

    def bic(self, X):
        """Bayesian information criterion −2 log L + p log n (lower is better)."""
        X = self._check_X(X)
        return -2 * self.score(X) * X.shape[0] + self._n_parameters() * np.log(X.shape[0])

    def aic(self, X):
        """Akaike information criterion −2 log L + 2p (lower is better)."""
        X = self._check_X(X)
        return -2 * self.score(X) * X.shape[0] + 2 * self._n_parameters()


def _covariances_from_precisions(precisions, covariance_type):
    if covariance_type == "full":
        return np.stack([np.linalg.inv(p) for p in precisions])
    if covariance_type == "tied":
        return np.linalg.inv(precisions)
    return 1.0 / precisions
