"""k-nearest-neighbour classification and regression (brute force, Euclidean)."""

from __future__ import annotations

import numbers

import numpy as np

from ..metrics.pairwise import kneighbors as _kneighbors
from .base import BaseEstimator, ClassifierMixin, RegressorMixin
from .linear_model._base import (
    check_classifier_fit_inputs,
    validate_fit_inputs,
    validate_predict_input,
)

__all__ = ["KNeighborsClassifier", "KNeighborsRegressor"]


def _neighbour_weights(dist, weights):
    """Weights of the k neighbours: ones ('uniform'), 1/d ('distance'), or a callable.

    With 'distance', a query that coincides with training points (d = 0) gives those points
    weight 1 and the others 0 (scikit-learn's rule), instead of dividing by zero.
    """
    if weights == "uniform":
        return np.ones_like(dist)
    if weights == "distance":
        with np.errstate(divide="ignore"):
            w = 1.0 / dist
        inf = np.isinf(w)
        rows = inf.any(axis=1)
        w[rows] = inf[rows]
        return w
    if callable(weights):
        w = np.asarray(weights(dist), dtype=np.float64)
        if w.shape != dist.shape:
            raise ValueError(f"weights callable returned shape {w.shape}, expected {dist.shape}")
        return w
    raise ValueError(f"weights must be 'uniform', 'distance' or a callable, got {weights!r}")


class _KNeighborsBase(BaseEstimator):
    def __init__(self, n_neighbors=5, *, weights="uniform", algorithm="auto", leaf_size=30,
                 p=2, metric="minkowski", metric_params=None, n_jobs=None):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.algorithm = algorithm
        self.leaf_size = leaf_size
        self.p = p
        self.metric = metric
        self.metric_params = metric_params
        self.n_jobs = n_jobs

    def _check_params(self):
        if not (isinstance(self.n_neighbors, numbers.Integral) and self.n_neighbors >= 1):
            raise ValueError(f"n_neighbors must be an integer >= 1, got {self.n_neighbors!r}")
        euclidean = self.metric == "euclidean" or (self.metric == "minkowski" and self.p == 2)
        if not euclidean:
            raise ValueError(f"only the Euclidean metric is supported (metric='minkowski' with "
                             f"p=2, or 'euclidean'); got metric={self.metric!r}, p={self.p!r}")
        if self.algorithm not in ("auto", "brute", "ball_tree", "kd_tree"):
            raise ValueError(f"algorithm must be 'auto', 'brute', 'ball_tree' or 'kd_tree', "
                             f"got {self.algorithm!r}")
        if not (self.weights in ("uniform", "distance") or callable(self.weights)):
            raise ValueError(f"weights must be 'uniform', 'distance' or a callable, got "
                             f"{self.weights!r}")

    def kneighbors(self, X=None, n_neighbors=None, return_distance=True):
        """Distances and indices of the nearest training points, (n_queries, k) each.

        ``X=None`` queries the training points themselves, each excluded from its own list.
        Ties are broken by the lower training index. Exact brute force through
        ``whiteboard.metrics.pairwise.kneighbors`` (any ``algorithm`` gives the same result).
        """
        k = self.n_neighbors if n_neighbors is None else n_neighbors
        if X is None:
            validate_predict_input(self, self._fit_X)
            dist, ind = _kneighbors(self._fit_X, k, exclude_self=True)
        else:
            X = validate_predict_input(self, X)
            if k > self.n_samples_fit_:
                raise ValueError(f"Expected n_neighbors <= n_samples_fit, but n_neighbors = "
                                 f"{k}, n_samples_fit = {self.n_samples_fit_}, n_samples = "
                                 f"{X.shape[0]}")
            dist, ind = _kneighbors(self._fit_X, k, Y=X, exclude_self=False)
        return (dist, ind) if return_distance else ind

    def _store(self, X):
        if self.n_neighbors > X.shape[0]:
            raise ValueError(f"Expected n_neighbors <= n_samples_fit, but n_neighbors = "
                             f"{self.n_neighbors}, n_samples_fit = {X.shape[0]}, n_samples = "
                             f"{X.shape[0]}")
        self._fit_X = X
        self.n_samples_fit_ = X.shape[0]
        self.n_features_in_ = X.shape[1]
        self.effective_metric_ = "euclidean"


class KNeighborsClassifier(ClassifierMixin, _KNeighborsBase):
    """Vote among the k nearest training points (Euclidean distance).

    P(y = c | x) = Σ_{i ∈ N_k(x)} wᵢ [yᵢ = c] / Σ wᵢ, with wᵢ = 1 ('uniform') or 1/d(x, xᵢ)
    ('distance'); the prediction is the class with the largest vote (ties to the class that
    sorts first in ``classes_``). No training beyond storing the data: O(1) fit, O(n·d) per
    query by one matrix product (chunked).

    Shapes: X (n, d); ``predict_proba`` (n_queries, K).
    """

    def fit(self, X, y):
        """Store the training data and the label encoding (labels of any dtype)."""
        self._check_params()
        X, classes, y_enc, _ = check_classifier_fit_inputs(self, X, y, None)
        self.classes_ = classes
        self._y = y_enc
        self._store(X)
        return self

    def predict_proba(self, X):
        """Weighted vote shares (n_queries, K)."""
        dist, ind = self.kneighbors(X)
        w = _neighbour_weights(dist, self.weights)
        K = len(self.classes_)
        n = ind.shape[0]
        votes = np.zeros((n, K))
        np.add.at(votes, (np.repeat(np.arange(n), ind.shape[1]), self._y[ind].ravel()),
                  w.ravel())
        total = votes.sum(axis=1, keepdims=True)
        total[total == 0] = 1.0
        return votes / total

    def predict(self, X):
        """The class with the largest (weighted) vote."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class KNeighborsRegressor(RegressorMixin, _KNeighborsBase):
    """Mean of the targets of the k nearest training points (1/d-weighted with 'distance').

    ŷ(x) = Σ_{i ∈ N_k(x)} wᵢ yᵢ / Σ wᵢ. Shapes: X (n, d); y (n,) or (n, t).
    """

    def _update_sklearn_tags(self, tags):
        tags.target_tags.multi_output = True
        return tags

    def fit(self, X, y):
        """Store the training data and targets."""
        self._check_params()
        X, y, _ = validate_fit_inputs(self, X, y, None)
        self._y = y
        self._store(X)
        return self

    def predict(self, X):
        """Weighted neighbour mean: (n_queries,) or (n_queries, t)."""
        dist, ind = self.kneighbors(X)
        w = _neighbour_weights(dist, self.weights)
        Y = self._y[ind]
        if Y.ndim == 2:
            return (Y * w).sum(axis=1) / w.sum(axis=1)
        return np.einsum("qk,qkt->qt", w, Y) / w.sum(axis=1)[:, None]

