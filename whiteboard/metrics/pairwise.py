"""Pairwise distances and nearest neighbours, vectorised through one matrix product.

Squared Euclidean distance expands as ``‖x - y‖² = ‖x‖² - 2 x·y + ‖y‖²``: the cross term for all
pairs is one GEMM ``X Yᵀ``, so the cost is that of BLAS rather than of a Python loop. Rounding can
make the expansion slightly negative for coincident points; it is clipped at zero (and is exactly
zero on the diagonal of ``euclidean_distances(X)``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["euclidean_distances", "kneighbors"]


def euclidean_distances(X, Y=None, squared=False, X_norm_squared=None, Y_norm_squared=None):
    """Distances between the rows of ``X`` (n, d) and of ``Y`` (m, d): an (n, m) array."""
    X = np.asarray(X, dtype=np.float64)
    same = Y is None
    Y = X if same else np.asarray(Y, dtype=np.float64)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1]:
        raise ValueError(
            f"euclidean_distances: X and Y must be 2-D with the same number of columns, got "
            f"shapes {X.shape} and {Y.shape}"
        )
    xx = (X * X).sum(axis=1) if X_norm_squared is None else np.asarray(X_norm_squared).ravel()
    yy = xx if same and Y_norm_squared is None else (
        (Y * Y).sum(axis=1) if Y_norm_squared is None else np.asarray(Y_norm_squared).ravel()
    )
    d2 = xx[:, None] - 2.0 * (X @ Y.T) + yy[None, :]
    np.maximum(d2, 0.0, out=d2)
    if same:
        np.fill_diagonal(d2, 0.0)
    return d2 if squared else np.sqrt(d2, out=d2)


def kneighbors(X, n_neighbors, Y=None, exclude_self=None, chunk_size=None):
    """Indices and distances of the ``n_neighbors`` nearest rows of ``X`` for each row of ``Y``.

    With ``Y`` None the queries are the rows of ``X`` and, unless ``exclude_self=False``, each
    point is excluded from its own neighbours. Ties are broken by the lower index, as
    scikit-learn's brute-force search does.

    Queries are processed in blocks of ``chunk_size`` rows (by default about 2.5 million
    distances per block, small enough to be reused by the allocator). Per block, the squared
    distances come from one GEMM with the norms folded in,
    ``[−2y, 1, ‖y‖²] · [x, ‖x‖², 1]ᵀ = ‖x − y‖²``; ``argpartition`` picks k candidates, only
    those k are sorted, and a row whose k-th distance is tied with a further point falls back to
    a full stable sort (so the lower index wins).

    Returns ``(distances, indices)``, each of shape (n_queries, n_neighbors), nearest first.
    """
    X = np.asarray(X, dtype=np.float64)
    self_query = Y is None
    exclude_self = self_query if exclude_self is None else exclude_self
    Y = X if self_query else np.asarray(Y, dtype=np.float64)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1]:
        raise ValueError(
            f"kneighbors: X and Y must be 2-D with the same number of columns, got shapes "
            f"{X.shape} and {Y.shape}"
        )
    available = X.shape[0] - (1 if exclude_self else 0)
    if not 1 <= n_neighbors <= available:
        raise ValueError(
            f"Expected n_neighbors <= n_samples_fit = {available}, but n_neighbors = "
            f"{n_neighbors} (X has {X.shape[0]} samples)"
        )
    k = n_neighbors
    n_fit = X.shape[0]
    if chunk_size is None:
        chunk_size = max(16, 2_500_000 // n_fit)
    xx = (X * X).sum(axis=1)
    X_aug = np.hstack([X, xx[:, None], np.ones((n_fit, 1))])
    dist_out = np.empty((Y.shape[0], k))
    idx_out = np.empty((Y.shape[0], k), dtype=np.int64)
    for start in range(0, Y.shape[0], chunk_size):
        stop = min(start + chunk_size, Y.shape[0])
        Yc = Y[start:stop]
        Y_aug = np.hstack([-2.0 * Yc, np.ones((len(Yc), 1)), (Yc * Yc).sum(axis=1)[:, None]])
        d2 = Y_aug @ X_aug.T
        np.maximum(d2, 0.0, out=d2)
        rows = np.arange(stop - start)
        if exclude_self:
            d2[rows, np.arange(start, stop)] = np.inf
        elif self_query:
            d2[rows, np.arange(start, stop)] = 0.0
        if k < n_fit:
            part = np.argpartition(d2, k - 1, axis=1)[:, :k]
        else:
            part = np.broadcast_to(np.arange(n_fit), (len(Yc), n_fit)).copy()
        part.sort(axis=1)  # candidates in index order, so the stable sort below prefers lower
        part_d = np.take_along_axis(d2, part, axis=1)
        order = np.take_along_axis(part, np.argsort(part_d, axis=1, kind="stable"), axis=1)
        kth = part_d.max(axis=1, keepdims=True)
        tied = np.flatnonzero((d2 <= kth).sum(axis=1) > k)
        if len(tied):
            sub = d2[tied]
            order[tied] = np.argsort(np.where(sub <= kth[tied], sub, np.inf), axis=1,
                                     kind="stable")[:, :k]
        idx_out[start:stop] = order
        dist_out[start:stop] = np.sqrt(np.take_along_axis(d2, order, axis=1))
    return dist_out, idx_out
