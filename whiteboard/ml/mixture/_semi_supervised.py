"""Semi-supervised Gaussian mixture: EM in which the labelled points' responsibilities are clamped.

One Gaussian component per class. With labelled set L (x_i, y_i) and unlabelled set U, EM
maximises the joint log-likelihood of the labels that are known and the data

    ℓ(θ) = Σ_{i∈L} log π_{y_i} N(x_i | μ_{y_i}, Σ_{y_i}) + Σ_{i∈U} log Σ_k π_k N(x_i | μ_k, Σ_k)

by the usual alternation, except that the E-step fixes r_ik = [k = y_i] for i ∈ L (the label is
observed, so the posterior over the component is a point mass) and computes r_ik for i ∈ U as
in :class:`GaussianMixture`. The M-step is unchanged (n_k, π_k, μ_k, Σ_k from all responsibilities),
so ℓ never decreases (``lower_bounds_`` holds ℓ / n per iteration). Two limits pin the method
down: with no labels it is exactly ``GaussianMixture`` (same init, same iterates); with every
sample labelled the first M-step gives the per-class maximum-likelihood estimate (class
frequencies, class means, class covariances + ``reg_covar``) and EM stops there.

The start: when every component has at least one label, the parameters are the labelled points'
per-class MLE (the supervised Gaussian classifier), then EM brings in the unlabelled points;
otherwise the ``init_params`` start of :class:`GaussianMixture` (``weights_init`` /
``means_init`` / ``precisions_init`` override either start).
"""

import numpy as np

from ..base import check_array
from ._gaussian_mixture import GaussianMixture, _log_gaussian, _logsumexp

__all__ = ["SemiSupervisedGaussianMixture"]


class SemiSupervisedGaussianMixture(GaussianMixture):
    """:class:`GaussianMixture` fitted with ``y`` (component index, ``-1`` = unlabelled).

    The arguments and attributes are GaussianMixture's; ``fit(X, y)`` takes labels in
    ``{-1, 0, ..., n_components - 1}``, ``y=None`` meaning every sample unlabelled. ``predict``
    and ``predict_proba`` of new points are the mixture's posterior over components (classes).
    """

    def fit(self, X, y=None):
        """Fit by EM with the labelled responsibilities clamped; returns self."""
        self.fit_predict(X, y)
        return self

    def fit_predict(self, X, y=None):
        """Fit, then the component of each training sample (its label where it has one)."""
        X = check_array(X, estimator=self, min_samples=2)
        name = type(self).__name__
        if y is None:
            y = np.full(X.shape[0], -1)
        y = np.asarray(y)
        if y.shape != (X.shape[0],):
            raise ValueError(f"{name}: y must have shape ({X.shape[0]},) to match X {X.shape}, "
                             f"got {y.shape}")
        if y.dtype.kind not in "iuf" or not np.all(np.mod(y, 1) == 0):
            raise ValueError(f"{name}: y must hold integer component indices or -1, got dtype "
                             f"{y.dtype}")
        y = y.astype(np.int64)
        k = self.n_components
        if np.any((y < -1) | (y >= k)):
            bad = y[(y < -1) | (y >= k)][0]
            raise ValueError(f"{name}: labels must be -1 (unlabelled) or in [0, {k - 1}] "
                             f"(n_components = {k}), got {bad}")
        self._labels = y
        try:
            return super().fit_predict(X)
        finally:
            del self._labels

    def _initial_resp(self, X, rng):
        labelled = self._labels >= 0
        if np.unique(self._labels[labelled]).size == self.n_components:
            resp = np.zeros((X.shape[0], self.n_components))
            resp[np.flatnonzero(labelled), self._labels[labelled]] = 1.0
            return resp
        return super()._initial_resp(X, rng)

    def _initialize(self, X, rng):
        super()._initialize(X, rng)
        if self.weights_init is None:       # a labelled start's counts sum to |L|, not n
            self.weights_ = self.weights_ / self.weights_.sum()

    def _e_step(self, X):
        weighted = (_log_gaussian(X, self.means_, self.precisions_cholesky_,
                                  self.covariance_type) + np.log(self.weights_))
        norm = _logsumexp(weighted, axis=1)
        labelled = np.flatnonzero(self._labels >= 0)
        norm[labelled] = weighted[labelled, self._labels[labelled]]
        with np.errstate(under="ignore"):
            log_resp = weighted - norm[:, None]
        log_resp[labelled] = -np.inf
        log_resp[labelled, self._labels[labelled]] = 0.0
        return norm.mean(), log_resp
