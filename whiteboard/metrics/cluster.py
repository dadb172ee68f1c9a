"""Silhouette coefficient of a clustering (Rousseeuw 1987).

For sample i in cluster C_i:

    a(i) = (1 / (|C_i| − 1)) Σ_{j ∈ C_i, j ≠ i} d(i, j)     mean distance to its own cluster
    b(i) = min_{C ≠ C_i} (1 / |C|) Σ_{j ∈ C} d(i, j)         mean distance to the nearest other
    s(i) = (b(i) − a(i)) / max(a(i), b(i))                   (0 for a singleton cluster)

s ∈ [−1, 1]; the silhouette score is the mean of s(i). Distances come from
``whiteboard.metrics.pairwise.euclidean_distances`` in row chunks; per-cluster sums are one
product of the distance chunk with the (n, K) one-hot label matrix, so memory is chunk × n.
"""

from __future__ import annotations

import numpy as np

from ..validation import check_array, check_random_state
from ..validation import check_consistent_length
from .pairwise import euclidean_distances

__all__ = ["silhouette_samples", "silhouette_score"]


def _check_labels(X, labels):
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels.ravel()
    if labels.ndim != 1:
        raise ValueError(f"labels must be 1-D, got shape {labels.shape}")
    check_consistent_length(X=X, labels=labels)
    classes, idx = np.unique(labels, return_inverse=True)
    n_labels, n_samples = len(classes), len(labels)
    if not 1 < n_labels < n_samples:
        raise ValueError(f"Number of labels is {n_labels}. Valid values are 2 to n_samples - 1 "
                         f"(inclusive) (n_samples = {n_samples})")
    return idx.reshape(-1), n_labels


def silhouette_samples(X, labels, *, metric="euclidean", chunk_size=1024):
    """Silhouette coefficient s(i) of every sample: (n,).

    ``X`` (n, d) features with ``metric="euclidean"``, or an (n, n) distance matrix with
    ``metric="precomputed"`` (its diagonal must be zero).
    """
    if metric not in ("euclidean", "precomputed"):
        raise ValueError(f"metric must be 'euclidean' or 'precomputed', got {metric!r}")
    X = check_array(X, name="X")
    idx, k = _check_labels(X, labels)
    n = X.shape[0]
    if metric == "precomputed":
        if X.shape != (n, n):
            raise ValueError(f"A precomputed distance matrix must be square, got {X.shape}")
        if np.any(np.abs(np.diagonal(X)) > (100 * np.finfo(X.dtype).eps)):
            raise ValueError("The precomputed distance matrix contains non-zero elements on the "
                             "diagonal. Use np.fill_diagonal(X, 0).")
    counts = np.bincount(idx, minlength=k).astype(np.float64)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), idx] = 1.0
    xx = (X * X).sum(axis=1) if metric == "euclidean" else None
    intra = np.empty(n)
    inter = np.empty(n)
    for start in range(0, n, chunk_size):
        stop = min(start + chunk_size, n)
        if metric == "euclidean":
            D = euclidean_distances(X[start:stop], X, X_norm_squared=xx[start:stop],
                                    Y_norm_squared=xx)
            D[np.arange(stop - start), np.arange(start, stop)] = 0.0
        else:
            D = X[start:stop]
        sums = D @ onehot
        rows = np.arange(stop - start)
        own = idx[start:stop]
        intra[start:stop] = sums[rows, own]
        means = sums / counts
        means[rows, own] = np.inf
        inter[start:stop] = means.min(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        intra /= np.maximum(counts[idx] - 1, 0)
        s = (inter - intra) / np.maximum(intra, inter)
    return np.nan_to_num(s)


def silhouette_score(X, labels, *, metric="euclidean", sample_size=None, random_state=None):
    """Mean silhouette coefficient over all samples (or a random subset of ``sample_size``)."""
    if sample_size is not None:
        X = check_array(X, name="X")
        labels = np.asarray(labels)
        check_consistent_length(X=X, labels=labels)
        rng = check_random_state(random_state)
        sel = rng.permutation(X.shape[0])[:sample_size]
        X = X[sel][:, sel] if metric == "precomputed" else X[sel]
        labels = labels[sel]
    return float(np.mean(silhouette_samples(X, labels, metric=metric)))
