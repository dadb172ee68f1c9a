"""k-medoids clustering: PAM (BUILD + SWAP) and the alternating (Voronoi-iteration) method.

k-medoids picks K of the data points themselves, the medoids m_1..m_K, to minimise

    J = Σ_i min_k d(x_i, x_{m_k})

for any dissimilarity d (not only the squared Euclidean distance of k-means, and never a mean,
so it works on a precomputed distance matrix and is robust to outliers: one far point cannot
drag a medoid towards it the way it drags a mean).

**PAM** (Kaufman & Rousseeuw 1990). BUILD seeds greedily: the first medoid is the point with
the smallest total distance to all others; each next one is the point h with the largest gain
Σ_j max(D_j − d(x_j, x_h), 0), D_j the distance of x_j to its nearest medoid so far. SWAP then
repeatedly applies the best exchange of a medoid m_i with a non-medoid h while it lowers J.
With d1_j, d2_j the distances of x_j to its nearest and second-nearest medoid, the change of J
for the swap (i, h) is

    ΔJ(i, h) = Σ_{j ∉ C_i} (min(d1_j, d_jh) − d1_j) + Σ_{j ∈ C_i} (min(d2_j, d_jh) − d1_j),

so all K·n swaps are scored at once: ΔJ = 1ᵀA + Mᵀ(B − A) with A_jh = min(d1_j, d_jh) − d1_j,
B_jh = min(d2_j, d_jh) − d1_j and M the (n, K) one-hot matrix of the nearest medoids — one
(K × n × n) product per swap instead of K·n evaluations of J. SWAP stops at a local optimum:
no single exchange lowers J.

**Alternate** (Park & Jun 2009; the default of scikit-learn-extra's ``KMedoids``): like Lloyd's
algorithm, assign every point to its nearest medoid, then move each medoid to the member of its
cluster with the smallest total distance to the other members; repeat until the medoids stop
changing. Faster per iteration, but its fixed points are weaker than PAM's (a swap across
clusters may still lower J).
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ..base import (
    BaseEstimator,
    ClusterMixin,
    TransformerMixin,
    check_array,
    check_is_fitted,
    check_n_features,
    check_random_state,
)
from ._kmeans import ConvergenceWarning

__all__ = ["KMedoids", "pairwise_distances"]

_METRICS = ("euclidean", "sqeuclidean", "manhattan", "cosine", "precomputed")
_INITS = ("build", "heuristic", "k-medoids++", "random")
_METHODS = ("alternate", "pam")


def pairwise_distances(X, Y=None, metric="euclidean"):
    """Distance matrix (n_X, n_Y) for ``metric`` 'euclidean', 'sqeuclidean', 'manhattan',
    'cosine' (1 − cosine similarity; a zero row is at distance 1 from everything) or a
    callable ``metric(x, y) -> float`` applied to every pair of rows."""
    Y = X if Y is None else Y
    if callable(metric):
        return np.array([[metric(x, y) for y in Y] for x in X], dtype=np.float64)
    if metric in ("euclidean", "sqeuclidean", "manhattan"):
        # From the differences, not the GEMM identity ‖x‖² − 2x·y + ‖y‖²: medoids are chosen by
        # comparing sums of distances, and the identity's cancellation (errors ~√ε·‖x‖ on small
        # distances) would decide near-ties by rounding.
        if X.shape[0] == 0 or Y.shape[0] == 0:
            return np.zeros((X.shape[0], Y.shape[0]))
        rows = max(1, 2**22 // max(1, Y.shape[0] * X.shape[1]))  # ~32 MB per chunk
        out = np.empty((X.shape[0], Y.shape[0]))
        for s in range(0, X.shape[0], rows):
            diff = X[s:s + rows, None, :] - Y[None]
            out[s:s + rows] = (np.abs(diff).sum(-1) if metric == "manhattan"
                               else np.einsum("ijk,ijk->ij", diff, diff))
        return np.sqrt(out) if metric == "euclidean" else out
    if metric == "cosine":
        def unit(A):
            norm = np.linalg.norm(A, axis=1, keepdims=True)
            return A / np.where(norm == 0, 1.0, norm)
        return np.clip(1.0 - unit(X) @ unit(Y).T, 0.0, 2.0)
    raise ValueError(f"metric must be one of {_METRICS} or a callable, got {metric!r}")


def _nearest_two(D, medoids):
    """Per point: nearest medoid (position in ``medoids``; the first on ties, as argmin), the
    distance to it and the distance to the second-nearest medoid (inf when K = 1)."""
    Dm = D[:, medoids]
    near = np.argmin(Dm, axis=1)
    d1 = Dm[np.arange(len(D)), near]
    d2 = np.partition(Dm, 1, axis=1)[:, 1] if len(medoids) > 1 else np.full(len(D), np.inf)
    return near, d1, d2


def _build(D, k):
    """PAM's BUILD: greedy seeding by the largest decrease of J."""
    medoids = [int(np.argmin(D.sum(axis=0)))]
    nearest = D[:, medoids[0]].copy()
    for _ in range(1, k):
        gain = np.maximum(nearest[:, None] - D, 0.0).sum(axis=0)
        gain[medoids] = -1.0
        h = int(np.argmax(gain))
        medoids.append(h)
        np.minimum(nearest, D[:, h], out=nearest)
    return np.array(medoids, dtype=np.intp)


def _kmedoids_plusplus(D, k, rng):
    """k-means++ seeding on the dissimilarities: each next medoid drawn with probability ∝ D_j²
    (D_j the distance to the nearest medoid so far), greedy over 2 + ⌊ln K⌋ candidates."""
    n = D.shape[0]
    trials = 2 + int(np.log(k))
    medoids = [int(rng.integers(n))]
    nearest = D[:, medoids[0]] ** 2
    for _ in range(1, k):
        total = nearest.sum()
        if total <= 0:  # every point already coincides with a medoid
            rest = np.setdiff1d(np.arange(n), medoids)
            medoids.append(int(rng.choice(rest)))
            continue
        cand = np.searchsorted(np.cumsum(nearest), rng.random(trials) * total, side="right")
        cand = np.minimum(cand, n - 1)
        pots = np.minimum(nearest[None, :], D[cand] ** 2)
        best = int(np.argmin(pots.sum(axis=1)))
        medoids.append(int(cand[best]))
        nearest = pots[best]
    return np.array(medoids, dtype=np.intp)


def _swap(D, medoids, max_iter):
    """PAM's SWAP: apply the best medoid/non-medoid exchange while it lowers J."""
    medoids = medoids.copy()
    n, k = D.shape[0], len(medoids)
    for it in range(1, max_iter + 1):
        near, d1, d2 = _nearest_two(D, medoids)
        A = np.minimum(d1[:, None], D) - d1[:, None]
        B = np.minimum(d2[:, None], D) - d1[:, None]
        M = np.zeros((n, k))
        M[np.arange(n), near] = 1.0
        delta = A.sum(axis=0)[None, :] + M.T @ (B - A)  # (k, n)
        delta[:, medoids] = np.inf                       # swapping in a medoid changes nothing
        i, h = np.unravel_index(np.argmin(delta), delta.shape)
        # stop unless the improvement is real (not rounding of an equal-cost exchange)
        if not delta[i, h] < -1e-12 * max(1.0, d1.sum()):
            return medoids, it, True
        medoids[i] = h
    return medoids, max_iter, False


def _alternate(D, medoids, max_iter):
    """Voronoi iteration: assign, then move each medoid to its cluster's most central member."""
    medoids = medoids.copy()
    for it in range(1, max_iter + 1):
        labels = np.argmin(D[:, medoids], axis=1)
        new = medoids.copy()
        for c in range(len(medoids)):
            members = np.flatnonzero(labels == c)
            if members.size == 0:   # keep a medoid with no point (it is its own nearest)
                continue
            cost = D[np.ix_(members, members)].sum(axis=1)
            current = np.flatnonzero(members == medoids[c])
            # keep the current medoid on a tie so that the iteration terminates
            if current.size and cost[current[0]] <= cost.min():
                continue
            new[c] = members[np.argmin(cost)]
        if np.array_equal(new, medoids):
            return medoids, it, True
        medoids = new
    return medoids, max_iter, False


class KMedoids(ClusterMixin, TransformerMixin, BaseEstimator):
    """k-medoids clustering (see the module docstring for the math).

    Parameters (as scikit-learn-extra's ``KMedoids``): ``n_clusters=8``; ``metric``
    'euclidean' | 'sqeuclidean' | 'manhattan' | 'cosine' | 'precomputed' (``X`` is then the
    (n, n) dissimilarity matrix) | callable(x, y); ``method`` 'alternate' (default) | 'pam';
    ``init`` 'build' (PAM's greedy BUILD), 'heuristic' (the K points with the smallest total
    distance to all others), 'k-medoids++' or 'random'; ``max_iter=300``; ``random_state``.

    Attributes: ``medoid_indices_`` (K,) rows of the training data, ``cluster_centers_`` (K, d)
    (None with 'precomputed'), ``labels_``, ``inertia_`` = J (the sum of distances — not squared,
    unless the metric is), ``n_iter_``, ``n_features_in_``.

    ``predict`` / ``transform`` take new points (with 'precomputed': their (n_new, n_train)
    distances to the training points) and return the nearest medoid / the distances to every
    medoid.
    """

    def __init__(self, n_clusters=8, metric="euclidean", method="alternate", init="build",
                 max_iter=300, random_state=None):
        self.n_clusters = n_clusters
        self.metric = metric
        self.method = method
        self.init = init
        self.max_iter = max_iter
        self.random_state = random_state

    def _check_params(self, n):
        if not isinstance(self.n_clusters, numbers.Integral) or isinstance(self.n_clusters, bool) \
                or not 1 <= self.n_clusters <= n:
            raise ValueError(f"n_clusters must be an integer in [1, n_samples={n}], got "
                             f"{self.n_clusters!r}")
        if not callable(self.metric) and self.metric not in _METRICS:
            raise ValueError(f"metric must be one of {_METRICS} or a callable, got "
                             f"{self.metric!r}")
        if self.method not in _METHODS:
            raise ValueError(f"method must be one of {_METHODS}, got {self.method!r}")
        if self.init not in _INITS:
            raise ValueError(f"init must be one of {_INITS}, got {self.init!r}")
        if not isinstance(self.max_iter, numbers.Integral) or self.max_iter < 0:
            raise ValueError(f"max_iter must be a non-negative integer, got {self.max_iter!r}")

    def _distances(self, X, Y):
        return pairwise_distances(X, Y, metric=self.metric)

    def fit(self, X, y=None):
        """Choose ``n_clusters`` medoids among the rows of ``X``."""
        X = check_array(X, estimator=self)
        n = X.shape[0]
        self._check_params(n)
        if self.metric == "precomputed":
            if X.shape[0] != X.shape[1]:
                raise ValueError(f"with metric='precomputed' X must be a square (n, n) distance "
                                 f"matrix, got shape {X.shape}")
            if (X < 0).any():
                raise ValueError("with metric='precomputed' X must hold non-negative distances")
            D = X
        else:
            D = self._distances(X, X)
        rng = check_random_state(self.random_state)
        k = self.n_clusters
        if self.init == "build":
            medoids = _build(D, k)
        elif self.init == "heuristic":
            medoids = np.argsort(D.sum(axis=1), kind="stable")[:k]
        elif self.init == "k-medoids++":
            medoids = _kmedoids_plusplus(D, k, rng)
        else:
            medoids = rng.choice(n, size=k, replace=False)
        run = _swap if self.method == "pam" else _alternate
        medoids, n_iter, converged = run(D, np.asarray(medoids, dtype=np.intp), self.max_iter)
        if not converged and self.max_iter > 0:
            warnings.warn(f"KMedoids did not converge in max_iter={self.max_iter} iterations; "
                          f"increase max_iter", ConvergenceWarning, stacklevel=2)
        self.medoid_indices_ = medoids
        self.cluster_centers_ = None if self.metric == "precomputed" else X[medoids].copy()
        Dm = D[:, medoids]
        self.labels_ = np.argmin(Dm, axis=1)
        self.inertia_ = float(Dm[np.arange(n), self.labels_].sum())
        self.n_iter_ = n_iter
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        """Distances (n, K) of ``X`` to the medoids."""
        check_is_fitted(self, "medoid_indices_")
        X = check_array(X, estimator=self)
        check_n_features(self, X)
        if self.metric == "precomputed":
            return X[:, self.medoid_indices_]
        return self._distances(X, self.cluster_centers_)

    def predict(self, X):
        """Index of the nearest medoid for each row of ``X``."""
        return np.argmin(self.transform(X), axis=1)

    def score(self, X, y=None):
        """−J on ``X``: minus the sum of distances to the nearest medoid (higher is better)."""
        return -float(self.transform(X).min(axis=1).sum())
