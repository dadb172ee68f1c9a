"""Kernel functions for support vector machines, and the kernel-row cache the SMO solver reads.

A kernel k(x, x') is an inner product <φ(x), φ(x')> in some feature space, evaluated without
forming φ. The four built-in kernels use scikit-learn's (= LIBSVM's) parametrisation:

    linear    k(x, x') = xᵀx'
    poly      k(x, x') = (γ xᵀx' + coef0)^degree
    rbf       k(x, x') = exp(-γ ‖x - x'‖²)
    sigmoid   k(x, x') = tanh(γ xᵀx' + coef0)

γ ("gamma") may be a positive float, ``'scale'`` = 1 / (n_features · Var(X)) (the variance of
all entries of X; 1.0 when that variance is zero) or ``'auto'`` = 1 / n_features — the same
definitions as scikit-learn.

Corrections to the interview notes (see ERRATA E72, E73):

- The notes write the Gaussian kernel as exp(-‖x - xᵢ‖² / δ²). The textbook form is
  exp(-‖x - xᵢ‖² / (2σ²)); here (as in scikit-learn) it is exp(-γ‖x - xᵢ‖²), so γ = 1/(2σ²), and
  the notes' δ corresponds to γ = 1/δ² (δ = √2 σ).
- The notes' polynomial kernel ((x·xᵢ) + 1)^d is the special case γ = 1, coef0 = 1.
- The sigmoid kernel tanh(η xᵀx' + θ) is *not* positive semi-definite in general (its Gram
  matrix can have negative eigenvalues), so it is not a Mercer kernel and the SVM dual can be
  non-convex; SMO still runs (the step uses a tiny positive curvature τ when ``K_ii + K_jj -
  2K_ij ≤ 0``, as LIBSVM does) but only finds a local solution. An SVM with it has the form of a
  one-hidden-layer network with tanh units, which is all that the notes' "multi-layer neural
  network" claim amounts to.

All Gram matrices are computed in one vectorised pass: a GEMM ``X Yᵀ`` for the inner products,
and for RBF the BLAS expansion of squared distances in
``whiteboard.metrics.pairwise.euclidean_distances``.
"""

from __future__ import annotations

import numbers
import numpy as np

from whiteboard.metrics.pairwise import euclidean_distances
from whiteboard.validation import InvalidParameterError

__all__ = [
    "KERNELS",
    "KernelMatrix",
    "linear_kernel",
    "pairwise_kernel",
    "polynomial_kernel",
    "rbf_kernel",
    "resolve_gamma",
    "sigmoid_kernel",
]

KERNELS = ("linear", "poly", "rbf", "sigmoid")


def linear_kernel(X, Y):
    """Gram matrix xᵀy for rows of ``X`` (n, d) and ``Y`` (m, d): shape (n, m)."""
    return X @ Y.T


def polynomial_kernel(X, Y, gamma, degree, coef0):
    """(γ xᵀy + coef0)^degree for rows of ``X`` (n, d) and ``Y`` (m, d): shape (n, m)."""
    K = X @ Y.T
    K *= gamma
    K += coef0
    return K**degree


def rbf_kernel(X, Y, gamma, X_norm_squared=None, Y_norm_squared=None):
    """exp(-γ‖x - y‖²) for rows of ``X`` (n, d) and ``Y`` (m, d): shape (n, m)."""
    K = euclidean_distances(X, Y, squared=True, X_norm_squared=X_norm_squared,
                            Y_norm_squared=Y_norm_squared)
    K *= -gamma
    return np.exp(K, out=K)


def sigmoid_kernel(X, Y, gamma, coef0):
    """tanh(γ xᵀy + coef0) for rows of ``X`` (n, d) and ``Y`` (m, d): shape (n, m)."""
    K = X @ Y.T
    K *= gamma
    K += coef0
    return np.tanh(K, out=K)


def resolve_gamma(gamma, X):
    """The numeric γ for ``gamma`` in {'scale', 'auto', float > 0} on training data ``X``."""
    if isinstance(gamma, str):
        if gamma == "scale":
            var = X.var()
            return 1.0 / (X.shape[1] * var) if var != 0 else 1.0
        if gamma == "auto":
            return 1.0 / X.shape[1]
        raise InvalidParameterError(
            f"When 'gamma' is a string, it should be either 'scale' or 'auto'. Got {gamma!r} "
            "instead."
        )
    if isinstance(gamma, bool) or not isinstance(gamma, numbers.Real):
        raise InvalidParameterError(f"gamma must be 'scale', 'auto' or a float >= 0, got {gamma!r}")
    if not np.isfinite(gamma) or gamma < 0:
        raise InvalidParameterError(f"gamma must be 'scale', 'auto' or a float >= 0, got {gamma!r}")
    return float(gamma)


def pairwise_kernel(X, Y, kernel, gamma=None, degree=3, coef0=0.0):
    """The (n, m) Gram matrix of ``kernel`` (a name in ``KERNELS`` or a callable) on X and Y.

    A callable is called as ``kernel(X, Y)`` and must return an (n, m) array.
    """
    if callable(kernel):
        K = np.asarray(kernel(X, Y), dtype=np.float64)
        if K.shape != (X.shape[0], Y.shape[0]):
            raise ValueError(
                f"The callable kernel must return an array of shape {(X.shape[0], Y.shape[0])} "
                f"for inputs of shapes {X.shape} and {Y.shape}, got {K.shape}"
            )
        return K
    if kernel == "linear":
        return linear_kernel(X, Y)
    if kernel == "poly":
        return polynomial_kernel(X, Y, gamma, degree, coef0)
    if kernel == "rbf":
        return rbf_kernel(X, Y, gamma)
    if kernel == "sigmoid":
        return sigmoid_kernel(X, Y, gamma, coef0)
    raise InvalidParameterError(
        f"The 'kernel' parameter must be one of {list(KERNELS)} or a callable, got {kernel!r}"
    )


class KernelMatrix:
    """Rows of the training Gram matrix K (n, n), computed on demand and cached (as LIBSVM).

    Strategy: a row K(xᵢ, ·) is computed the first time the solver asks for it (one
    matrix-vector-sized kernel evaluation, O(n d)) and kept in a least-recently-used cache of
    ``cache_size`` megabytes (at least the two rows SMO needs per step). The full matrix is never
    formed for the built-in kernels: SMO touches only the rows of the variables it selects,
    typically a fraction of n, and after shrinking only the active columns matter. A callable
    kernel is evaluated once on all pairs (``K`` passed in), as scikit-learn does.

    Values are stored in single precision, as LIBSVM's cache does (``Qfloat``): this halves the
    memory per row, and makes the solver's iterates follow LIBSVM's. The diagonal (used in every
    curvature a_ij) and all prediction-time kernels are double precision. (Keeping the rounded
    rows as float64 when they all fit, and caching WSS2's curvature rows beside them, saves
    conversions but was measured slower: the solver's passes are bound by the memory they touch.)
    When every row fits, nothing is ever evicted and the LRU bookkeeping is skipped.
    """

    def __init__(self, X, kernel, gamma, degree, coef0, cache_size=200.0, K=None):
        self.X = X
        self.n = n = X.shape[0] if K is None else K.shape[0]
        self.kernel, self.gamma, self.degree, self.coef0 = kernel, gamma, degree, coef0
        if kernel == "rbf" and K is None:
            # [x, ‖x‖², 1], transposed: one GEMV with [2γxᵢ, -γ, -γ‖xᵢ‖²] gives -γ‖xᵢ - x‖²
            sq = (X * X).sum(axis=1)
            self._aug_T = np.ascontiguousarray(np.vstack([X.T, sq, np.ones(X.shape[0])]))
            self._sq_norms = sq
        self.full = None if K is None else np.ascontiguousarray(K, dtype=np.float32)
        self._exact = K
        self._rows = {}
        self._capacity = max(int(float(cache_size) * 2**20 // (4 * max(n, 1))), 2)
        self._lru = self._capacity < n
        if K is not None:
            self.diag = np.ascontiguousarray(np.diagonal(K)).astype(np.float64)
            # every row is there: the slot of row i is i
            self._block, self._slot = self.full, np.arange(n)
            self._stamp = np.zeros(n, dtype=np.int64)
        else:
            self.diag = self._diagonal()
            # the cache: row i is _block[_slot[i]] (-1: not computed); the block's pages are
            # touched only as rows arrive, so its size is an upper bound of the memory used
            self._block = np.empty((min(self._capacity, n), n), dtype=np.float32)
            self._slot = np.full(n, -1, dtype=np.intp)
            self._stamp = np.zeros(self._block.shape[0], dtype=np.int64)
            self._owner = np.full(self._block.shape[0], -1, dtype=np.intp)
        self._clock = np.zeros(1, dtype=np.int64)

    def _diagonal(self):
        X = self.X
        if self.kernel == "rbf":
            return np.ones(self.n)
        sq = (X * X).sum(axis=1)
        if self.kernel == "linear":
            return sq
        if self.kernel == "poly":
            return (self.gamma * sq + self.coef0) ** self.degree
        return np.tanh(self.gamma * sq + self.coef0)

    def _compute_row(self, i, out):
        """K(xᵢ, ·) rounded to float32, written into ``out`` (n,)."""
        if self.kernel == "rbf":
            g = self.gamma
            v = np.empty(self._aug_T.shape[0])
            np.multiply(self.X[i], 2.0 * g, out=v[:-2])
            v[-2], v[-1] = -g, -g * self._sq_norms[i]
            r = v @ self._aug_T
            np.minimum(r, 0.0, out=r)
            np.exp(r, out=r)
        else:
            r = pairwise_kernel(self.X[i:i + 1], self.X, self.kernel, self.gamma, self.degree,
                                self.coef0)[0]
        out[...] = r

    def cache(self):
        """The row cache as arrays, for the compiled solver: (block, slot, stamp, clock).

        Row i, when computed, is ``block[slot[i]]`` (float32; ``slot[i] = -1`` otherwise);
        ``stamp[s]`` is the clock value of slot s's last use (least recently used rows are
        evicted first), ``clock`` a one-element counter. A reader that uses a row advances the
        clock and stamps its slot; missing rows are filled by :meth:`row`.
        """
        return self._block, self._slot, self._stamp, self._clock

    def row(self, i):
        """Row ``i`` of K, shape (n,), rounded to float32 (a cached array; do not modify).

        The array is a slot of the cache: it stays valid until two more rows are computed
        (the least recently used row is evicted first).
        """
        if self.full is not None:
            return self.full[i]
        r = self._rows.get(i)
        if r is not None:
            if self._lru:
                self._clock[0] += 1
                self._stamp[self._slot[i]] = self._clock[0]
            return r
        n_used = len(self._rows)
        if n_used < self._block.shape[0]:
            s = n_used
        else:
            s = int(self._stamp.argmin())
            old = int(self._owner[s])
            del self._rows[old]
            self._slot[old] = -1
        r = self._block[s]
        self._compute_row(i, r)
        self._rows[i] = r
        self._slot[i], self._owner[s] = s, i
        self._clock[0] += 1
        self._stamp[s] = self._clock[0]
        return r

    def block(self, rows, cols, single=True):
        """K[rows][:, cols] as float64, shape (len(rows), len(cols)).

        With ``single`` the values are rounded to float32 as the cached rows are (what the
        solver must see); without, full double precision (what prediction uses).
        """
        if self.full is not None and single:
            return self.full[np.ix_(rows, cols)].astype(np.float64)
        if self.full is not None:
            return self._exact[np.ix_(rows, cols)]
        Xr, Xc = self.X[rows], self.X[cols]
        K = pairwise_kernel(Xr, Xc, self.kernel, self.gamma, self.degree, self.coef0)
        return K.astype(np.float32).astype(np.float64) if single else K
