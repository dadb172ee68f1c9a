"""Lasso and elastic net by cyclic coordinate descent with soft thresholding.

Objective (scikit-learn's scaling; with sample weights the squared loss is their weighted mean):

    (1/2N) ‖y − Xw − b‖² + α·ρ‖w‖₁ + ½α(1 − ρ)‖w‖²,    ρ = l1_ratio (1 for the lasso).

Multiply by N: ½‖r‖² + λ₁‖w‖₁ + ½λ₂‖w‖², λ₁ = Nαρ, λ₂ = Nα(1 − ρ), r = y − Xw (centred data,
so b drops out). Holding all other coordinates fixed, the problem in w_j is one-dimensional,

    min ½ a_j w_j² − c_j w_j + λ₁|w_j| + ½λ₂w_j²,   a_j = ‖x_j‖²,   c_j = x_jᵀ(r + x_j w_j),

whose minimiser is the soft threshold  w_j = S(c_j, λ₁) / (a_j + λ₂),
S(c, λ) = sign(c)·max(|c| − λ, 0).
The kink of |w| at 0 is why the lasso gives exact zeros (|c_j| ≤ λ₁ ⇒ w_j = 0; errata E6: the
sparsity comes from the MAP estimate, not from Laplace-distributed weights being sparse).

Stopping (as scikit-learn's ``cd_fast``): after a sweep in which no coordinate moved by more
than tol·max|w|, compute the duality gap G(w) = P(w) − D(θ) with the dual point θ = s·r,
s = min(1, λ₁/‖Xᵀr − λ₂w‖∞) (max instead of ‖·‖∞ when ``positive``); stop when G < tol·‖y‖².
G ≥ P(w) − P(w*), so the objective is certified within that margin. With α·ρ = 0 (no L1
term) the bound degenerates and the
coordinate test alone stops the sweeps.

When N > d the sweep works on the Gram matrix XᵀX (O(d) per coordinate update instead of O(N));
a warm-started refit on the same X (a regularisation path) reuses the previous fit's XᵀX.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ..base import BaseEstimator, RegressorMixin, check_random_state
from ._base import LinearPredictorMixin, preprocess_data, set_intercept, validate_fit_inputs

__all__ = ["ElasticNet", "Lasso", "enet_coordinate_descent"]


def _soft_threshold(c, lam):
    """S(c, λ) = sign(c)·max(|c| − λ, 0) for a scalar c."""
    return math.copysign(max(abs(c) - lam, 0.0), c)


def _duality_gap(X, y, w, r, l1, l2, positive=False):
    XtA = X.T @ r - l2 * w
    # with w ≥ 0 the dual constraint is one-sided: x_jᵀθ ≤ λ₁
    dual_norm = (np.max(XtA) if positive else np.max(np.abs(XtA))) if XtA.size else 0.0
    R2 = r @ r
    if dual_norm > l1:
        const = l1 / dual_norm
        gap = 0.5 * (R2 + R2 * const * const)
    else:
        const = 1.0
        gap = R2
    gap += l1 * np.abs(w).sum() - const * (r @ y) + 0.5 * l2 * (1 + const * const) * (w @ w)
    return gap


def gram_terms(X):
    """The Gram pieces the sweep reads for a centred X: ``(a, G_cols)``, a_j = ‖x_j‖², G = XᵀX.

    G is symmetric, so its rows are its columns; the contiguous copy is what the update reads.
    """
    a = np.einsum("ij,ij->j", X, X)
    G = X.T @ X
    return a, np.ascontiguousarray(G.T)


def enet_coordinate_descent(X, y, l1, l2, w0=None, max_iter=1000, tol=1e-4, positive=False,
                            selection="cyclic", rng=None, gram=None):
    """Minimise ½‖y − Xw‖² + l1‖w‖₁ + ½l2‖w‖² by coordinate descent (X, y already centred).

    ``gram``: optional ``gram_terms(X)`` computed earlier for this same X (a path of warm-started
    fits shares it). Returns ``(w, gap, tol_scaled, n_iter)``; see the module docstring for the
    update and the duality-gap stopping rule.
    """
    n, d = X.shape
    w = np.zeros(d) if w0 is None else np.array(w0, dtype=np.float64)
    tol_scaled = tol * (y @ y)
    use_gram = n > d
    if use_gram:
        a, G_cols = gram_terms(X) if gram is None else gram
        q = (X.T @ y).tolist()
        Gw = G_cols @ w  # G is symmetric: G_cols @ w == G @ w
        vec, vec_cols = Gw, G_cols
    else:
        a = np.einsum("ij,ij->j", X, X)
        r = y - X @ w
        X_cols = np.ascontiguousarray(X.T)
        # −r is updated like Gw (Xᵀ(−r)·e_j moves by +δ x_j), so one loop body serves both
        vec, vec_cols = -r, X_cols
    # the scalar loop runs on Python floats (same IEEE arithmetic, no NumPy scalar overhead);
    # the soft threshold S(c, λ₁)/(a_j + λ₂) is spelled out by the sign of c
    a_list = a.tolist()
    denom = [aj + l2 for aj in a_list]
    wl = w.tolist()
    gap = np.inf
    it = 0
    for it in range(1, max_iter + 1):
        w_max = d_w_max = 0.0
        order = rng.permutation(d).tolist() if selection == "random" else range(d)
        for j in order:
            aj = a_list[j]
            if aj == 0.0:
                continue
            wj = wl[j]
            if use_gram:
                c = q[j] - vec.item(j) + aj * wj
            else:
                c = -float(vec_cols[j] @ vec) + aj * wj
            if c > l1:
                new = (c - l1) / denom[j]
            elif c < -l1 and not positive:
                new = (c + l1) / denom[j]
            else:
                new = 0.0
            if new != wj:
                delta = new - wj
                vec += delta * vec_cols[j]
                wl[j] = new
                if delta < 0.0:
                    delta = -delta
                if delta > d_w_max:
                    d_w_max = delta
            if new > w_max:
                w_max = new
            elif -new > w_max:
                w_max = -new
        if w_max == 0.0 or d_w_max / w_max <= tol or it == max_iter:
            w = np.array(wl)
            if l1 == 0.0:
                # without the L1 term the gap bound below degenerates (θ = 0); the coordinate
                # test alone decides, as for ridge
                gap = 0.0 if it < max_iter or d_w_max <= tol * w_max else np.inf
                break
            rr = y - X @ w
            gap = _duality_gap(X, y, w, rr, l1, l2, positive)
            if gap <= tol_scaled:
                break
    return np.array(wl), gap, tol_scaled, it


class ElasticNet(RegressorMixin, LinearPredictorMixin, BaseEstimator):
    """Linear regression with combined L1 and L2 penalties, fitted by coordinate descent.

    Minimises (1/2N)‖y − Xw − b‖² + α·l1_ratio·‖w‖₁ + ½α(1 − l1_ratio)‖w‖² (scikit-learn's
    objective); the intercept is not penalised. See the module docstring for the update
    w_j = S(c_j, Nαρ)/(‖x_j‖² + Nα(1 − ρ)) and the duality-gap stopping rule.

    Shapes: X (n, d); y (n,) or (n, k) (targets fitted independently); ``coef_`` (d,) or (k, d);
    ``dual_gap_``, ``n_iter_`` per target.
    """

    def __init__(self, alpha=1.0, *, l1_ratio=0.5, fit_intercept=True, precompute=False,
                 max_iter=1000, copy_X=True, tol=1e-4, warm_start=False, positive=False,
                 random_state=None, selection="cyclic"):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.max_iter = max_iter
        self.copy_X = copy_X
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection

    def _validate_params(self):
        if not (isinstance(self.alpha, numbers.Real) and self.alpha >= 0):
            raise ValueError(f"alpha must be a number >= 0, got {self.alpha!r}")
        if not (isinstance(self.l1_ratio, numbers.Real) and 0 <= self.l1_ratio <= 1):
            raise ValueError(f"l1_ratio must be in [0, 1], got {self.l1_ratio!r}")
        if self.selection not in ("cyclic", "random"):
            raise ValueError(f"selection must be 'cyclic' or 'random', got {self.selection!r}")
        if not (isinstance(self.max_iter, numbers.Integral) and self.max_iter >= 1):
            raise ValueError(f"max_iter must be an integer >= 1, got {self.max_iter!r}")

    def fit(self, X, y, sample_weight=None):
        """Fit on X (n, d), y (n,) or (n, k); optional non-negative sample weights (n,)."""
        self._validate_params()
        X, y, sw = validate_fit_inputs(self, X, y, sample_weight)
        n = X.shape[0]
        if sw is not None:
            # the weighted mean loss: rescale weights to sum to N, then fold √s into X and y
            sw = sw * (n / sw.sum())
        Y = y.reshape(n, -1)
        cached = self._reuse_design(X, sw)
        if cached is None:
            Xc, Yc, X_offset, y_offset = preprocess_data(X, Y, self.fit_intercept, sw)
            if sw is not None:
                root = np.sqrt(sw)
                Xc, Yc = Xc * root[:, None], Yc * root[:, None]
            gram = gram_terms(Xc) if n > X.shape[1] else None
            if self.warm_start:
                self._design_cache = (X.copy(), None if sw is None else sw.copy(),
                                      self.fit_intercept, Xc, X_offset, gram)
        else:
            Xc, X_offset, gram = cached
            # the y half of preprocess_data (same operations)
            if self.fit_intercept:
                y_offset = np.average(Y, axis=0, weights=sw)
                Yc = Y - y_offset
            else:
                Yc, y_offset = Y, np.zeros(Y.shape[1])
            if sw is not None:
                Yc = Yc * np.sqrt(sw)[:, None]
        l1 = self.alpha * self.l1_ratio * n
        l2 = self.alpha * (1.0 - self.l1_ratio) * n
        rng = check_random_state(self.random_state)
        k = Y.shape[1]
        W = np.zeros((k, X.shape[1]))
        if self.warm_start and hasattr(self, "coef_"):
            W = np.array(self.coef_, dtype=np.float64).reshape(k, -1)
        gaps, iters = np.empty(k), np.empty(k, dtype=int)
        for t in range(k):
            W[t], gaps[t], _tol_t, iters[t] = enet_coordinate_descent(
                Xc, Yc[:, t], l1, l2, W[t], self.max_iter, self.tol, self.positive,
                self.selection, rng, gram)
        self.coef_ = W[0] if y.ndim == 1 else W
        self.dual_gap_ = gaps[0] / n if y.ndim == 1 else gaps / n
        self.n_iter_ = int(iters[0]) if y.ndim == 1 else iters
        self.intercept_ = set_intercept(self.coef_, X_offset,
                                        y_offset[0] if y.ndim == 1 else y_offset,
                                        self.fit_intercept)
        self.n_features_in_ = X.shape[1]
        return self

    def _reuse_design(self, X, sw):
        """A warm-started refit on the very same X (and weights) reuses the centred design and
        its Gram matrix XᵀX from the previous fit (a regularisation path: only α changes).

        Reuse needs exact equality of X, weights and ``fit_intercept`` with the cached ones, so
        the result is bit-identical to a fresh computation. Returns ``(Xc, X_offset, gram)``
        or None.
        """
        cache = getattr(self, "_design_cache", None)
        if not self.warm_start or cache is None:
            return None
        X0, sw0, fi0, Xc, X_offset, gram = cache
        if (fi0 != self.fit_intercept or X0.shape != X.shape or (sw0 is None) != (sw is None)
                or not np.array_equal(X0, X) or (sw is not None and not np.array_equal(sw0, sw))):
            return None
        return Xc, X_offset, gram

    @property
    def sparse_coef_(self):
        """``coef_`` (NumPy has no sparse matrices; kept for name compatibility)."""
        return self.coef_


class Lasso(ElasticNet):
    """L1-penalised least squares: (1/2N)‖y − Xw − b‖² + α‖w‖₁ (ElasticNet with l1_ratio=1)."""

    l1_ratio = 1.0

    def __init__(self, alpha=1.0, *, fit_intercept=True, precompute=False, copy_X=True,
                 max_iter=1000, tol=1e-4, warm_start=False, positive=False, random_state=None,
                 selection="cyclic"):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.precompute = precompute
        self.copy_X = copy_X
        self.max_iter = max_iter
        self.tol = tol
        self.warm_start = warm_start
        self.positive = positive
        self.random_state = random_state
        self.selection = selection
