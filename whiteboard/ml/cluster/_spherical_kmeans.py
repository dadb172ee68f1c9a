"""Spherical k-means (Dhillon & Modha 2001): k-means on the unit sphere with cosine similarity.

Data rows and centroids are unit vectors, x̂_i = x_i / ‖x_i‖, ‖c_k‖ = 1. Objective (maximised):

    Q = Σ_i w_i cos(x_i, c_{label_i}) = Σ_i w_i x̂_iᵀ c_{label_i}
    inertia_ = Σ_i w_i (1 − x̂_iᵀ c_{label_i})  (minimised)

Lloyd-style iterations: assign each x̂_i to argmax_k x̂_iᵀ c_k (one GEMM); then c_k = s_k / ‖s_k‖
with s_k = Σ_{i∈k} w_i x̂_i (the weighted mean, re-normalised — the unit vector maximising
Σ_{i∈k} w_i x̂_iᵀ c by Cauchy–Schwarz). Neither step decreases Q, so it stops at a fixed point.

Relation to Euclidean k-means on normalised data: on the sphere ‖x̂ − c‖² = 2 − 2 x̂ᵀc for a
*unit* c, so the assignment steps agree — but Euclidean k-means keeps the mean m_k = s_k / W_k,
whose norm ‖m_k‖ ≤ 1 shrinks as the cluster spreads, and assigns by ‖x̂ − m_k‖² = 1 − 2 x̂ᵀm_k +
‖m_k‖², which is not a function of the angle alone. The two coincide (same labels, and KMeans'
centres re-normalised = these centroids) exactly when no point's nearest mean differs from its
most similar direction, e.g. tight, well-separated clusters; with clusters of very different
spread (‖m_k‖ very different) the partitions differ.

Empty clusters: the centroid moves onto the point least similar to its own centroid (smallest
x̂_iᵀ c_{label_i}), as scikit-learn's KMeans does with the farthest point. Initialisation:
k-means++ on x̂ (on the sphere the squared distance is 2 − 2 cos, so it seeds by angle),
'random' rows, or an explicit (K, d) array (normalised). An all-zero row x has no direction: as
in ``sklearn.preprocessing.normalize`` it stays 0 (cosine 0 to every centroid, distance 1), adds
nothing to any centroid, and is never a seed.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..base import (
    BaseEstimator,
    ClusterMixin,
    TransformerMixin,
    check_array,
    check_is_fitted,
    check_n_features,
    check_random_state,
    check_sample_weight,
)
from ._kmeans import kmeans_plusplus


def _normalise_rows(X, name="X", allow_zero=True):
    """x / ‖x‖ per row; an all-zero row stays zero (``sklearn.preprocessing.normalize``), so its
    cosine similarity to every centroid is 0, unless ``allow_zero`` is False (centroids)."""
    norms = np.linalg.norm(X, axis=1)
    zero = norms == 0
    if zero.any() and not allow_zero:
        raise ValueError(f"{name} has all-zero rows (e.g. row {int(np.flatnonzero(zero)[0])}), "
                         f"which have no direction for cosine similarity")
    return X / np.where(zero, 1.0, norms)[:, None]


def _spherical_lloyd(Xn, w, C, max_iter):
    """Iterate assign / mean-then-normalise from unit centroids C; (labels, C, inertia, n_iter)."""
    labels = None
    n_iter = 0
    for it in range(1, max_iter + 1):
        n_iter = it
        S = Xn @ C.T
        new = np.argmax(S, axis=1)
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        k = C.shape[0]
        sums = np.zeros_like(C)
        np.add.at(sums, labels, w[:, None] * Xn)
        counts = np.bincount(labels, weights=w, minlength=k)
        empty = np.flatnonzero(counts == 0)
        if empty.size:
            own = S[np.arange(len(labels)), labels]
            far = np.argsort(own, kind="stable")[:empty.size]
            for e, i in zip(empty, far):
                sums[labels[i]] -= w[i] * Xn[i]
                sums[e] = w[i] * Xn[i]
                labels[i] = e
        norms = np.linalg.norm(sums, axis=1)
        keep = norms > 0  # a cluster whose members cancel out keeps its old direction
        C = C.copy()
        C[keep] = sums[keep] / norms[keep, None]
    sim = np.sum(Xn * C[labels], axis=1)
    return labels, C, float(w @ (1.0 - sim)), n_iter


class SphericalKMeans(ClusterMixin, TransformerMixin, BaseEstimator):
    """k-means with cosine similarity on unit-normalised data (see the module docstring).

    Parameters: ``n_clusters``; ``init`` 'k-means++' | 'random' | (K, d) array; ``n_init``
    (restarts, best = smallest inertia; 1 for an array); ``max_iter``; ``random_state``.
    Attributes: ``cluster_centers_`` (unit rows), ``labels_``, ``inertia_``
    (Σ w_i (1 − cos)), ``n_iter_``, ``n_features_in_``.
    """

    def __init__(self, n_clusters=8, *, init="k-means++", n_init=1, max_iter=300,
                 random_state=None):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.random_state = random_state

    def _init_centroids(self, Xn, w, rng):
        K = self.n_clusters
        if isinstance(self.init, str):
            cand = np.flatnonzero(np.any(Xn != 0, axis=1) & (w > 0))  # seeds need a direction
            if cand.size < K:
                raise ValueError(f"only {cand.size} rows are non-zero with a positive weight, "
                                 f"fewer than n_clusters={K}: no {K} seed directions")
            if self.init == "k-means++":
                C, _ = kmeans_plusplus(Xn[cand], K, sample_weight=w[cand], random_state=rng)
            elif self.init == "random":
                C = Xn[cand[rng.choice(cand.size, size=K, replace=False)]]
            else:
                raise ValueError(f"init must be 'k-means++', 'random' or an array, got "
                                 f"{self.init!r}")
            return C.copy()
        C = check_array(self.init, name="init")
        if C.shape != (K, Xn.shape[1]):
            raise ValueError(f"init has shape {C.shape}, expected (n_clusters, n_features) = "
                             f"({K}, {Xn.shape[1]})")
        return _normalise_rows(C, "init", allow_zero=False)

    def fit(self, X, y=None, sample_weight=None):
        """Cluster the rows of X (n, d) by direction."""
        X = check_array(X, estimator=self)
        K = self.n_clusters
        if not (isinstance(K, numbers.Integral) and K >= 1):
            raise ValueError(f"n_clusters must be a positive integer, got {K!r}")
        if X.shape[0] < K:
            raise ValueError(f"n_samples={X.shape[0]} should be >= n_clusters={K}.")
        for name in ("n_init", "max_iter"):
            v = getattr(self, name)
            if not (isinstance(v, numbers.Integral) and v >= 1):
                raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
        w = check_sample_weight(sample_weight, X.shape[0])
        if not w.sum() > 0:
            raise ValueError("sample_weight: all weights are zero (they sum to zero)")
        Xn = _normalise_rows(X)
        rng = check_random_state(self.random_state)
        n_init = 1 if not isinstance(self.init, str) else self.n_init
        best = None
        for _ in range(n_init):
            run = _spherical_lloyd(Xn, w, self._init_centroids(Xn, w, rng), self.max_iter)
            if best is None or run[2] < best[2]:
                best = run
        self.labels_, self.cluster_centers_, self.inertia_, self.n_iter_ = best
        self.n_features_in_ = X.shape[1]
        return self

    def _check_test_data(self, X):
        check_is_fitted(self, "cluster_centers_")
        X = check_array(X, estimator=self)
        check_n_features(self, X)
        return _normalise_rows(X)

    def predict(self, X):
        """Index of the most cosine-similar centroid for each row: (n,)."""
        return np.argmax(self._check_test_data(X) @ self.cluster_centers_.T, axis=1)

    def transform(self, X):
        """Cosine distances 1 − cos(x, c_k) to every centroid: (n, n_clusters)."""
        return 1.0 - self._check_test_data(X) @ self.cluster_centers_.T

    def fit_predict(self, X, y=None, sample_weight=None):
        return self.fit(X, sample_weight=sample_weight).labels_

    def fit_transform(self, X, y=None, sample_weight=None):
        return self.fit(X, sample_weight=sample_weight).transform(X)

    def score(self, X, y=None, sample_weight=None):
        """−Σ_i w_i (1 − max_k cos(x_i, c_k)) (higher is better)."""
        D = self.transform(X)
        w = check_sample_weight(sample_weight, D.shape[0])
        return -float(w @ D.min(axis=1))
