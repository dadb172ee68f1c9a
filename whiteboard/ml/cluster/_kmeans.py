"""k-means clustering: Lloyd's algorithm, k-means++ seeding and mini-batch k-means.

Objective (inertia, within-cluster sum of squares), for centres c_1..c_K and weights w_i:

    J = Σ_i w_i min_k ‖x_i − c_k‖²

Lloyd's algorithm alternates an assignment step (each x_i to its nearest centre; the distance
matrix is one GEMM, ‖x − c‖² = ‖x‖² − 2 x·c + ‖c‖², and ‖x‖² is constant per row so the argmin
only needs −2 x·c + ‖c‖²) and an update step (each centre to the weighted mean of its points).
Neither step increases J, so J is non-increasing; the algorithm stops at a fixed point (labels
unchanged) or when Σ_k ‖c_k^new − c_k^old‖² ≤ tol · mean_j Var(X[:, j]) (scikit-learn's
definition of ``tol``) — a fixed point is a partial optimum, usually but not always a local
minimum (the interview note 002 says both steps *decrease* WCSS and that it "must converge to a
(local) optimum"; both steps only do not *increase* it, Selim & Ismail 1984).

The iterations are exactly Lloyd's, but work is skipped with Hamerly's (2010) bounds: a point
whose upper bound on the distance to its centre is below a lower bound on the distance to
every other centre keeps its label without computing any distance (see ``_LloydState``), and
the per-cluster sums are updated only for the points that changed cluster. With the same
initial centres the labels, centres and inertia equal scikit-learn's Lloyd to rounding; only an
exact distance tie (e.g. duplicated points equidistant from two centres) can be decided
differently, by the rounding of each library's BLAS.

Empty clusters: a centre that receives no point is moved onto the point farthest from its own
centre (the largest ‖x_i − c_{label_i}‖²; several empty centres take the farthest points in
turn) and that point's weight is moved with it — scikit-learn's strategy, so that with the
same initial centres the iterations coincide.

k-means++ (Arthur & Vassilvitskii 2007, greedy variant as scikit-learn): the first centre is a
sample drawn with probability ∝ w_i; each next centre: draw 2 + ⌊ln K⌋ candidates with
probability ∝ w_i D(x_i)² (D = distance to the nearest chosen centre) and keep the candidate
that most reduces the potential Σ_i w_i D(x_i)².
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ...metrics.pairwise import euclidean_distances
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

__all__ = ["KMeans", "MiniBatchKMeans", "kmeans_plusplus"]

# Rows per chunk: the (k × rows × d) GEMM of a chunk is kept under ~2e5 multiply-adds, below
# OpenBLAS's multithreading threshold (2.6e5), so each call runs on one thread: threading such
# small products costs more in synchronisation than it saves (8× slower on a busy 2-core box),
# and the chunk stays in cache for its second use (the one-hot sums).
_GEMM_BUDGET = 200_000


def _chunk_rows(k, d):
    return int(min(4096, max(64, _GEMM_BUDGET // max(k * d, 1))))


class ConvergenceWarning(UserWarning):
    """Fewer distinct clusters than requested (duplicate points)."""


def _tolerance(X, tol):
    """scikit-learn's absolute tolerance: tol × mean of the per-feature variances."""
    return 0.0 if tol == 0 else float(np.mean(np.var(X, axis=0)) * tol)


def check_real_array(X, estimator=None):
    """``ml.base.check_array`` (kept under this name for PCA and t-SNE)."""
    return check_array(X, estimator=estimator)


def _fit_weights(sample_weight, n):
    w = check_sample_weight(sample_weight, n)
    if not (w > 0).any():
        raise ValueError(f"Sample weights must contain at least one non-zero number "
                         f"(sample_weight of shape {w.shape} is all zero).")
    return w


def _chunks(n, rows):
    for start in range(0, n, rows):
        yield start, min(start + rows, n)


def _assign(X, centers, return_inertia=False, sample_weight=None):
    """Nearest-centre labels (ties to the lower index) and optionally the weighted inertia.

    Per chunk of rows: D = (−2C) Xᵀ + ‖c‖² (k × chunk, one GEMM; ‖x‖² is the same for every
    centre so it is left out of the argmin).
    """
    k = centers.shape[0]
    m2c = -2.0 * centers
    c_sq = np.einsum("ij,ij->i", centers, centers)[:, None]
    labels = np.empty(X.shape[0], dtype=np.int32)
    rows = _chunk_rows(k, X.shape[1])
    buf = np.empty((k, rows))
    inertia = 0.0
    for start, stop in _chunks(X.shape[0], rows):
        Xc = X[start:stop]
        D = buf[:, :stop - start]
        np.matmul(m2c, Xc.T, out=D)
        D += c_sq
        lab = D.argmin(axis=0)
        labels[start:stop] = lab
        if return_inertia:
            diff = Xc - centers[lab]
            inertia += float(np.einsum("ij,ij->i", diff, diff) @ sample_weight[start:stop])
    return (labels, inertia) if return_inertia else labels


def _inertia(X, sample_weight, centers, labels):
    total = 0.0
    for start, stop in _chunks(X.shape[0], 4096):
        diff = X[start:stop] - centers[labels[start:stop]]
        total += float(np.einsum("ij,ij->i", diff, diff) @ sample_weight[start:stop])
    return total


def augment(X):
    """``[X, 1]``: (n, d + 1). With it one GEMM gives −2 c·x + ‖c‖² and one gives Σ w x, Σ w."""
    Xa = np.empty((X.shape[0], X.shape[1] + 1))
    Xa[:, :-1] = X
    Xa[:, -1] = 1.0
    return Xa


def _assign_and_sum(Xa, sample_weight, centers):
    """One pass over the augmented data ``Xa = [X, 1]``: labels, per-cluster Σ w_i x_i (k, d)
    and Σ w_i (k,).

    Each chunk is used twice while it is in cache: D = [−2C, ‖c‖²] Xaᵀ (one GEMM, k × chunk)
    and its argmin give the labels; a (k × chunk) one-hot matrix of weights times the chunk
    gives the weighted sums and, in the last column, the weights.
    """
    k = centers.shape[0]
    ca = np.empty((k, Xa.shape[1]))
    ca[:, :-1] = -2.0 * centers
    ca[:, -1] = np.einsum("ij,ij->i", centers, centers)
    labels = np.empty(Xa.shape[0], dtype=np.int32)
    sums = np.zeros((k, Xa.shape[1]))
    rows = _chunk_rows(k, Xa.shape[1])
    dist_buf = np.empty((k, rows))
    onehot_buf = np.zeros((k, rows))
    cols = np.arange(rows)
    for start, stop in _chunks(Xa.shape[0], rows):
        m = stop - start
        Xc = Xa[start:stop]
        D = dist_buf[:, :m]
        np.matmul(ca, Xc.T, out=D)
        lab = D.argmin(axis=0)
        labels[start:stop] = lab
        onehot = onehot_buf[:, :m]
        onehot.fill(0.0)
        onehot[lab, cols[:m]] = sample_weight[start:stop]
        sums += onehot @ Xc
    return labels, sums[:, :-1], sums[:, -1].copy()


def _relocate_empty(X, sample_weight, centers_old, sums, weights, labels):
    """Move empty clusters onto the points farthest from their centres (scikit-learn's rule).

    Returns whether anything was moved (the sums then no longer follow from the labels).
    """
    empty = np.flatnonzero(weights == 0)
    if empty.size == 0:
        return False
    diff = X - centers_old[labels]
    dist = np.einsum("ij,ij->i", diff, diff)
    if dist.max() == 0:
        return False
    far = np.argpartition(dist, -empty.size)[:-empty.size - 1:-1]
    for new_id, idx in zip(empty, far):
        w = sample_weight[idx]
        old_id = labels[idx]
        sums[old_id] -= X[idx] * w
        sums[new_id] = X[idx] * w
        weights[new_id] = w
        weights[old_id] -= w
    return True


def _augmented_centers(centers):
    ca = np.empty((centers.shape[0], centers.shape[1] + 1))
    ca[:, :-1] = -2.0 * centers
    ca[:, -1] = np.einsum("ij,ij->i", centers, centers)
    return ca


def _labels_and_bounds(Xa, x_sq, centers):
    """Labels (chunked GEMM + argmin), distance to the own centre and to the second nearest."""
    k = centers.shape[0]
    ca = _augmented_centers(centers)
    n = Xa.shape[0]
    labels = np.empty(n, dtype=np.int32)
    upper = np.empty(n)
    lower = np.empty(n)
    rows = _chunk_rows(k, Xa.shape[1])
    buf = np.empty((k, rows))
    cols = np.arange(rows)
    for start, stop in _chunks(n, rows):
        m = stop - start
        D = buf[:, :m]
        np.matmul(ca, Xa[start:stop].T, out=D)
        lab = D.argmin(axis=0)
        labels[start:stop] = lab
        upper[start:stop] = D[lab, cols[:m]]
        D[lab, cols[:m]] = np.inf
        lower[start:stop] = D.min(axis=0)
    upper += x_sq
    lower += x_sq
    np.sqrt(np.maximum(upper, 0.0, out=upper), out=upper)
    np.sqrt(np.maximum(lower, 0.0, out=lower), out=lower)
    return labels, upper, lower


def _sums(Xa, sample_weight, labels, k):
    """Per-cluster Σ w x (k, d) and Σ w (k,) from labels, by one-hot GEMMs over chunks."""
    sums = np.zeros((k, Xa.shape[1]))
    rows = _chunk_rows(k, Xa.shape[1])
    onehot_buf = np.zeros((k, rows))
    cols = np.arange(rows)
    for start, stop in _chunks(Xa.shape[0], rows):
        m = stop - start
        onehot = onehot_buf[:, :m]
        onehot.fill(0.0)
        onehot[labels[start:stop], cols[:m]] = sample_weight[start:stop]
        sums += onehot @ Xa[start:stop]
    return sums[:, :-1], sums[:, -1].copy()


# relative slack on the bound test: points this close to a tie are recomputed with the same
# GEMM + argmin as a plain Lloyd pass, so rounding never decides a label differently
_BOUND_SLACK = 1e-9
_GATHER = 16384


class _LloydState:
    """Lloyd's algorithm with Hamerly's (2010) bounds and incrementally updated sums.

    The labels are exactly those of plain Lloyd iterations; the bounds only skip work:
    each point keeps an upper bound u ≥ ‖x − c_a‖ on the distance to its centre and a lower
    bound l ≤ min_{j≠a} ‖x − c_j‖. When centres move by δ_j, u += δ_a and l −= max_{j≠a} δ_j
    (triangle inequality); a point whose u ≤ max(l, s_a), s_a = ½ min_{j≠a} ‖c_a − c_j‖, cannot
    change label and is skipped. The others get u recomputed, and those still undecided get
    all k distances (the chunked GEMM). Sums Σ w x per cluster follow the labels: points whose
    label changed are moved between clusters (Σ of the old one minus, of the new one plus); a
    full one-hot recomputation is done at the start, when more than n/8 labels change, when a
    cluster becomes empty and after an empty-cluster relocation.
    """

    def __init__(self, X, Xa, sample_weight, k, x_sq=None):
        self.X, self.Xa, self.w, self.k = X, Xa, sample_weight, k
        self.x_sq = np.einsum("ij,ij->i", X, X) if x_sq is None else x_sq
        self.labels = None
        self.sums = None

    def _assign(self, centers):
        if self.labels is None:
            self.labels, self.upper, self.lower = _labels_and_bounds(self.Xa, self.x_sq, centers)
            return self.labels.copy()
        labels = self.labels.copy()
        shift = np.sqrt(((centers - self.centers) ** 2).sum(axis=1))
        self.upper += shift[labels]
        if self.k > 1:
            order = np.argsort(shift)
            top, second = shift[order[-1]], shift[order[-2]]
            self.lower -= np.where(labels == order[-1], second, top)
            cc = np.sqrt(((centers[:, None, :] - centers[None, :, :]) ** 2).sum(-1))
            np.fill_diagonal(cc, np.inf)
            half = 0.5 * cc.min(axis=1)
        else:
            half = np.full(1, np.inf)
        bound = np.maximum(half[labels], self.lower) * (1 - _BOUND_SLACK)
        cand = np.flatnonzero(self.upper > bound)
        if cand.size * 4 > labels.size:
            # most points undecided (early iterations): one plain pass, no gathered copies
            labels, self.upper, self.lower = _labels_and_bounds(self.Xa, self.x_sq, centers)
            return labels
        # gathered in blocks so that the copies of candidate rows stay small
        for start in range(0, cand.size, _GATHER):
            idx = cand[start:start + _GATHER]
            diff = self.X[idx] - centers[labels[idx]]
            self.upper[idx] = np.sqrt(np.einsum("ij,ij->i", diff, diff))
            idx = idx[self.upper[idx] > bound[idx]]
            if idx.size:
                lab, up, lo = _labels_and_bounds(self.Xa[idx], self.x_sq[idx], centers)
                labels[idx], self.upper[idx], self.lower[idx] = lab, up, lo
        return labels

    def step(self, centers):
        previous = self.labels
        labels = self._assign(centers)
        self.centers = centers
        counts = np.bincount(labels, minlength=self.k)
        if self.sums is None or (counts == 0).any():
            sums, weights = _sums(self.Xa, self.w, labels, self.k)
        else:
            changed = np.flatnonzero(labels != previous)
            if changed.size * 8 > labels.size:
                sums, weights = _sums(self.Xa, self.w, labels, self.k)
            else:
                sums, weights = self.sums, self.weights
                if changed.size:
                    moved = self.X[changed] * self.w[changed, None]
                    np.add.at(sums, labels[changed], moved)
                    np.subtract.at(sums, previous[changed], moved)
                    weights = np.bincount(labels, weights=self.w, minlength=self.k)
        self.labels, self.sums, self.weights = labels, sums, weights
        sums_now, weights_now = sums.copy(), weights.copy()
        if _relocate_empty(self.X, self.w, centers, sums_now, weights_now, labels):
            self.sums = None
        new = np.empty_like(centers)
        filled = weights_now > 0
        new[filled] = sums_now[filled] / weights_now[filled, None]
        # an empty cluster that could not be relocated sits on the heaviest one (as sklearn)
        new[~filled] = new[np.argmax(weights_now)]
        return labels, new


def lloyd(X, sample_weight, centers_init, max_iter=300, tol=0.0, callback=None, X_aug=None,
          x_squared_norms=None):
    """Lloyd iterations from ``centers_init``; returns labels, inertia, centres, n_iter.

    ``tol`` is absolute (already scaled). ``callback(iteration, centers, labels)`` is called
    after every update (used to record the inertia trajectory). ``X_aug`` = ``augment(X)`` and
    ``x_squared_norms`` = the row norms ‖x_i‖² when the caller already has them (each is a
    full pass over the data; KMeans.fit computes them once for all its inits).
    """
    Xa = augment(X) if X_aug is None else X_aug
    centers = np.array(centers_init, dtype=np.float64)
    state = _LloydState(X, Xa, sample_weight, centers.shape[0], x_sq=x_squared_norms)
    labels_old = np.full(X.shape[0], -1, dtype=np.int32)
    strict = False
    i = 0
    for i in range(max_iter):
        labels, new = state.step(centers)
        shift = float(((new - centers) ** 2).sum())
        centers = new
        if callback is not None:
            callback(i, centers, labels)
        if np.array_equal(labels, labels_old):
            strict = True
            break
        if shift <= tol:
            break
        labels_old = labels
    if not strict:
        labels = _assign(X, centers)
    return labels, _inertia(X, sample_weight, centers, labels), centers, i + 1


def _sq_distances_to(X, x_sq, rows, out):
    """‖x_r − x_i‖² for the rows r of ``X`` named by ``rows`` against every row i: written into
    ``out`` (len(rows), n) in place, ‖x_r‖² − 2 x_r·x_i + ‖x_i‖² clipped at 0 (no temporaries)."""
    np.matmul(-2.0 * X[rows], X.T, out=out)
    out += x_sq[rows, None]
    out += x_sq
    return np.maximum(out, 0.0, out=out)


def kmeans_plusplus(X, n_clusters, *, sample_weight=None, x_squared_norms=None,
                    random_state=None, n_local_trials=None):
    """k-means++ seeding (greedy, 2 + ⌊ln K⌋ candidates per step); returns (centers, indices).

    Shapes: X (n, d) → centers (n_clusters, d), indices (n_clusters,).
    """
    X = check_array(X, name="X")
    n = X.shape[0]
    if n < n_clusters:
        raise ValueError(f"n_samples={n} should be >= n_clusters={n_clusters}.")
    w = check_sample_weight(sample_weight, n)
    rng = check_random_state(random_state)
    x_sq = (X * X).sum(axis=1) if x_squared_norms is None else np.asarray(x_squared_norms)
    if n_local_trials is None:
        n_local_trials = 2 + int(np.log(n_clusters))
    centers = np.empty((n_clusters, X.shape[1]))
    indices = np.full(n_clusters, -1, dtype=np.int64)
    first = rng.choice(n, p=w / w.sum())
    centers[0], indices[0] = X[first], first
    closest = _sq_distances_to(X, x_sq, np.array([first]), np.empty((1, n)))[0]
    potential = closest @ w
    buf = np.empty((n_local_trials, n))
    for c in range(1, n_clusters):
        targets = rng.uniform(size=n_local_trials) * potential
        cands = np.searchsorted(np.cumsum(w * closest), targets)
        np.clip(cands, None, n - 1, out=cands)
        d = _sq_distances_to(X, x_sq, cands, buf)
        np.minimum(closest, d, out=d)
        pots = d @ w
        best = int(np.argmin(pots))
        potential, closest = pots[best], d[best].copy()  # d is reused
        centers[c], indices[c] = X[cands[best]], cands[best]
    return centers, indices


class _BaseKMeans(ClusterMixin, TransformerMixin, BaseEstimator):
    def _validate(self, X, default_n_init):
        if not isinstance(self.n_clusters, numbers.Integral) or self.n_clusters < 1:
            raise ValueError(f"n_clusters must be a positive integer, got {self.n_clusters!r}")
        if X.shape[0] < self.n_clusters:
            raise ValueError(
                f"n_samples={X.shape[0]} should be >= n_clusters={self.n_clusters} "
                f"(X has shape {X.shape}): k-means needs at least one sample per cluster.")
        if not isinstance(self.max_iter, numbers.Integral) or self.max_iter < 1:
            raise ValueError(f"max_iter must be a positive integer, got {self.max_iter!r}")
        if not isinstance(self.tol, numbers.Real) or self.tol < 0:
            raise ValueError(f"tol must be a non-negative number, got {self.tol!r}")
        init = self.init
        is_array = not isinstance(init, str) and not callable(init)
        if isinstance(init, str) and init not in ("k-means++", "random"):
            raise ValueError(f"init must be 'k-means++', 'random', an array or a callable, got "
                             f"{init!r}")
        if self.n_init == "auto":
            self._n_init = 1 if (is_array or init == "k-means++") else default_n_init
        elif isinstance(self.n_init, numbers.Integral) and self.n_init >= 1:
            self._n_init = self.n_init
        else:
            raise ValueError(f"n_init must be 'auto' or a positive integer, got {self.n_init!r}")
        if is_array:
            if self._n_init != 1:
                warnings.warn(
                    "Explicit initial center position passed: performing only one init in "
                    f"{type(self).__name__} instead of n_init={self._n_init}.",
                    RuntimeWarning, stacklevel=3)
                self._n_init = 1
            init = check_array(init, name="init").copy()
            if init.shape != (self.n_clusters, X.shape[1]):
                raise ValueError(
                    f"The shape of the initial centers {init.shape} does not match the number "
                    f"of clusters {self.n_clusters} and features {X.shape[1]}.")
        return init

    def _init_centroids(self, X, x_sq, init, rng, sample_weight, init_size=None):
        n = X.shape[0]
        if init_size is not None and init_size < n:
            idx = rng.integers(0, n, init_size)
            X, x_sq, sample_weight = X[idx], x_sq[idx], sample_weight[idx]
            n = init_size
        k = self.n_clusters
        if isinstance(init, str) and init == "k-means++":
            centers, _ = kmeans_plusplus(X, k, sample_weight=sample_weight, x_squared_norms=x_sq,
                                         random_state=rng)
        elif isinstance(init, str) and init == "random":
            seeds = rng.choice(n, size=k, replace=False, p=sample_weight / sample_weight.sum())
            centers = X[seeds]
        elif callable(init):
            centers = check_array(init(X, k, random_state=rng), name="init")
            if centers.shape != (k, X.shape[1]):
                raise ValueError(f"The init callable returned shape {centers.shape}, expected "
                                 f"{(k, X.shape[1])}")
        else:
            centers = init
        return np.array(centers, dtype=np.float64)

    def _check_test_data(self, X):
        check_is_fitted(self, "cluster_centers_")
        X = check_real_array(X, estimator=self)
        check_n_features(self, X)
        return X

    def _warn_distinct(self):
        distinct = len(np.unique(self.labels_))
        if distinct < self.n_clusters:
            warnings.warn(
                f"Number of distinct clusters ({distinct}) found smaller than n_clusters "
                f"({self.n_clusters}). Possibly due to duplicate points in X.",
                ConvergenceWarning, stacklevel=3)

    def predict(self, X):
        """Index of the nearest centre for each row of ``X``: (n,)."""
        X = self._check_test_data(X)
        return _assign(X, self.cluster_centers_)

    def transform(self, X):
        """Euclidean distances to every centre: (n, n_clusters)."""
        X = self._check_test_data(X)
        return euclidean_distances(X, self.cluster_centers_)

    def fit_transform(self, X, y=None, sample_weight=None):
        return self.fit(X, sample_weight=sample_weight).transform(X)

    def fit_predict(self, X, y=None, sample_weight=None):
        return self.fit(X, sample_weight=sample_weight).labels_

    def score(self, X, y=None, sample_weight=None):
        """Negative inertia −Σ_i w_i min_k ‖x_i − c_k‖² of ``X`` (higher is better)."""
        X = self._check_test_data(X)
        w = check_sample_weight(sample_weight, X.shape[0])
        _, inertia = _assign(X, self.cluster_centers_, return_inertia=True, sample_weight=w)
        return -inertia

    def _update_sklearn_tags(self, tags):
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags


class KMeans(_BaseKMeans):
    """k-means clustering by Lloyd's algorithm (see the module docstring for the math).

    Parameters (as scikit-learn): ``n_clusters``; ``init`` 'k-means++' | 'random' | (K, d)
    array | callable(X, K, random_state); ``n_init`` ('auto' = 1 for k-means++ or an array, 10
    for 'random'; the run with the lowest inertia is kept); ``max_iter``; ``tol`` (relative to
    the mean feature variance); ``random_state``; ``copy_x`` and ``algorithm`` (only 'lloyd')
    kept for compatibility.

    Attributes: ``cluster_centers_`` (K, d), ``labels_`` (n,), ``inertia_``, ``n_iter_``,
    ``n_features_in_``. Like scikit-learn, the data are centred (feature means subtracted)
    before the iterations for accuracy and the means added back to the centres.
    """

    def __init__(self, n_clusters=8, *, init="k-means++", n_init="auto", max_iter=300,
                 tol=1e-4, verbose=0, random_state=None, copy_x=True, algorithm="lloyd"):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.verbose = verbose
        self.random_state = random_state
        self.copy_x = copy_x
        self.algorithm = algorithm

    def fit(self, X, y=None, sample_weight=None):
        """Cluster ``X`` (n, d); ``sample_weight`` (n,) weights each point in means and inertia."""
        X = check_real_array(X, estimator=self)
        if self.algorithm not in ("lloyd", "auto", "full", "elkan"):
            raise ValueError(f"algorithm must be 'lloyd', got {self.algorithm!r}")
        init = self._validate(X, default_n_init=10)
        w = _fit_weights(sample_weight, X.shape[0])
        rng = check_random_state(self.random_state)
        # one pass writes the centred data straight into the augmented array [X − mean, 1];
        # the centred row norms then give the tolerance too: mean_j Var(X_j) = Σ_i ‖x_i‖² / (n d)
        n, d = X.shape
        mean = X.mean(axis=0)
        Xa = np.empty((n, d + 1))
        Xc = Xa[:, :-1]
        np.subtract(X, mean, out=Xc)
        Xa[:, -1] = 1.0
        if not isinstance(init, str) and not callable(init):
            init = init - mean
        x_sq = np.einsum("ij,ij->i", Xc, Xc)
        self._tol = 0.0 if self.tol == 0 else float(x_sq.sum() / (n * d) * self.tol)
        best = None
        for _ in range(self._n_init):
            centers = self._init_centroids(Xc, x_sq, init, rng, w)
            labels, inertia, centers, n_iter = lloyd(Xc, w, centers, self.max_iter, self._tol,
                                                     X_aug=Xa, x_squared_norms=x_sq)
            if best is None or inertia < best[1]:
                best = (labels, inertia, centers, n_iter)
        labels, inertia, centers, n_iter = best
        self.n_features_in_ = X.shape[1]
        self.cluster_centers_ = centers + mean
        self.labels_ = labels
        self.inertia_ = inertia
        self.n_iter_ = n_iter
        self._warn_distinct()
        return self


class MiniBatchKMeans(_BaseKMeans):
    """Mini-batch k-means (Sculley 2010), with scikit-learn's update and stopping rules.

    Each step draws ``batch_size`` samples (with replacement, probability ∝ sample_weight),
    assigns them to the nearest centre and moves every centre c with batch points B_c to the
    running weighted mean: c ← (c · N_c + Σ_{x∈B_c} x) / (N_c + |B_c|), N_c += |B_c| — a
    per-centre learning rate 1 / N_c. Centres whose count N_c falls below
    ``reassignment_ratio`` × max N are re-seeded on random batch points (every 10·K samples, or
    at once when a count is 0). Stops after ``max_iter`` passes over the data, when the centre
    change Σ‖Δc‖² ≤ tol·mean Var(X) (``tol`` > 0), or when the exponentially averaged batch
    inertia has not improved for ``max_no_improvement`` steps. The initial centres come from
    ``n_init`` seedings on a random subset of ``init_size`` points, the one with the lowest
    inertia on that subset kept.

    Attributes: ``cluster_centers_``, ``labels_`` and ``inertia_`` (on the full data, when
    ``compute_labels``), ``n_iter_`` (passes), ``n_steps_`` (mini-batches).
    """

    def __init__(self, n_clusters=8, *, init="k-means++", max_iter=100, batch_size=1024,
                 verbose=0, compute_labels=True, random_state=None, tol=0.0,
                 max_no_improvement=10, init_size=None, n_init="auto", reassignment_ratio=0.01):
        self.n_clusters = n_clusters
        self.init = init
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.verbose = verbose
        self.compute_labels = compute_labels
        self.random_state = random_state
        self.tol = tol
        self.max_no_improvement = max_no_improvement
        self.init_size = init_size
        self.n_init = n_init
        self.reassignment_ratio = reassignment_ratio

    def fit(self, X, y=None, sample_weight=None):
        """Cluster ``X`` (n, d) by mini-batches."""
        X = check_real_array(X, estimator=self)
        init = self._validate(X, default_n_init=3)
        self._tol = _tolerance(X, self.tol)
        if not isinstance(self.batch_size, numbers.Integral) or self.batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {self.batch_size!r}")
        n, _ = X.shape
        batch = min(self.batch_size, n)
        init_size = self.init_size
        if init_size is None:
            init_size = 3 * batch if 3 * batch >= self.n_clusters else 3 * self.n_clusters
        elif init_size < self.n_clusters:
            warnings.warn(f"init_size={init_size} should be larger than n_clusters="
                          f"{self.n_clusters}. Setting it to min(3*n_clusters, n_samples)",
                          RuntimeWarning, stacklevel=2)
            init_size = 3 * self.n_clusters
        init_size = min(init_size, n)
        w = _fit_weights(sample_weight, n)
        rng = check_random_state(self.random_state)
        x_sq = np.einsum("ij,ij->i", X, X)
        valid = rng.integers(0, n, init_size)
        best = None
        for _ in range(self._n_init):
            centers = self._init_centroids(X, x_sq, init, rng, w, init_size=init_size)
            _, inertia = _assign(X[valid], centers, return_inertia=True, sample_weight=w[valid])
            if best is None or inertia < best[1]:
                best = (centers, inertia)
        centers = best[0].copy()
        k = self.n_clusters
        counts = np.zeros(k)
        ewa, ewa_min, no_improvement, since_reassign = None, None, 0, 0
        n_steps = max(1, (self.max_iter * n) // batch)
        p = w / w.sum()
        step = 0
        for step in range(n_steps):
            idx = rng.choice(n, batch, replace=True, p=p)
            Xb = X[idx]
            ones = np.ones(batch)
            labels, sums, bw = _assign_and_sum(augment(Xb), ones, centers)
            batch_inertia = _inertia(Xb, ones, centers, labels)
            new = centers.copy()
            hit = bw > 0
            new[hit] = ((centers[hit] * counts[hit, None] + sums[hit])
                        / (counts[hit] + bw[hit])[:, None])
            counts += bw
            since_reassign += batch
            if (counts == 0).any() or since_reassign >= 10 * k:
                since_reassign = 0
                if self.reassignment_ratio > 0:
                    to_reassign = counts < self.reassignment_ratio * counts.max()
                    if to_reassign.sum() > 0.5 * batch:
                        to_reassign[np.argsort(counts)[int(0.5 * batch):]] = False
                    n_re = int(to_reassign.sum())
                    if n_re:
                        new[to_reassign] = Xb[rng.choice(batch, n_re, replace=False)]
                        counts[to_reassign] = np.min(counts[~to_reassign])
            diff = float(((new - centers) ** 2).sum()) if self._tol > 0 else 0.0
            centers = new
            # early stopping on the exponentially weighted average of the batch inertia
            if step == 0:
                continue
            mean_inertia = batch_inertia / batch
            alpha = min(batch * 2.0 / (n + 1), 1.0)
            ewa = mean_inertia if ewa is None else ewa * (1 - alpha) + mean_inertia * alpha
            if self._tol > 0 and diff <= self._tol:
                break
            if ewa_min is None or ewa < ewa_min:
                no_improvement, ewa_min = 0, ewa
            else:
                no_improvement += 1
            if self.max_no_improvement is not None and no_improvement >= self.max_no_improvement:
                break
        self.n_features_in_ = X.shape[1]
        self.cluster_centers_ = centers
        self.n_steps_ = step + 1
        self.n_iter_ = int(np.ceil((step + 1) * batch / n))
        self._counts = counts
        if self.compute_labels:
            self.labels_, self.inertia_ = _assign(X, centers, return_inertia=True,
                                                  sample_weight=w)
            self._warn_distinct()
        else:
            # as scikit-learn: no labels_, inertia_ estimated from the averaged batch inertia
            self.inertia_ = (ewa if ewa is not None else 0.0) * n
        return self
