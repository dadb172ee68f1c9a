"""Feature transformers: polynomial features and standardisation (scikit-learn's semantics)."""

from __future__ import annotations

import itertools
import numbers

import numpy as np

from .base import BaseEstimator, TransformerMixin, check_is_fitted, check_n_features
from .linear_model._base import check_array, check_weights

__all__ = ["PolynomialFeatures", "StandardScaler"]


class PolynomialFeatures(TransformerMixin, BaseEstimator):
    """All monomials of the input features of total degree in [min_degree, max_degree].

    For x = (x₁, …, x_d) and degree D, the output holds ∏ⱼ xⱼ^{pⱼ} for every exponent vector p
    with min_degree ≤ Σpⱼ ≤ D, plus the constant 1 when ``include_bias`` (even when
    min_degree > 0, as scikit-learn), ordered as scikit-learn:
    by degree, then lexicographically by the (sorted) feature indices of the product.
    ``interaction_only`` keeps products of distinct features (pⱼ ≤ 1). There are C(d+D, D)
    outputs in the full case. ``powers_`` (n_output, d) gives p for every output column.
    ``degree`` is an int D or a tuple (min_degree, max_degree).

    Shapes: X (n, d) → (n, n_output_features_).
    """

    def __init__(self, degree=2, *, interaction_only=False, include_bias=True, order="C"):
        self.degree = degree
        self.interaction_only = interaction_only
        self.include_bias = include_bias
        self.order = order

    def _degrees(self):
        deg = self.degree
        if isinstance(deg, numbers.Integral) and deg >= 0:
            return 0, int(deg)
        if (isinstance(deg, tuple) and len(deg) == 2
                and all(isinstance(v, numbers.Integral) for v in deg) and 0 <= deg[0] <= deg[1]):
            return int(deg[0]), int(deg[1])
        raise ValueError(f"degree must be a non-negative int or a tuple (min_degree, max_degree) "
                         f"with 0 <= min_degree <= max_degree, got {deg!r}")

    def _combinations(self, d):
        lo, hi = self._degrees()
        comb = itertools.combinations if self.interaction_only else \
            itertools.combinations_with_replacement
        start = max(1, lo)
        out = [()] if self.include_bias else []
        for k in range(start, hi + 1):
            out.extend(comb(range(d), k))
        return out

    def fit(self, X, y=None):
        """Record the number of input features and the exponent table ``powers_``."""
        X = check_array(X, estimator=self)
        d = X.shape[1]
        combos = self._combinations(d)
        if not combos:
            raise ValueError(f"PolynomialFeatures with degree={self.degree!r} and include_bias="
                             f"{self.include_bias!r} produces no output features")
        powers = np.zeros((len(combos), d), dtype=np.int64)
        for i, c in enumerate(combos):
            for j in c:
                powers[i, j] += 1
        self._combos = combos
        self.powers_ = powers
        self.n_features_in_ = d
        self.n_output_features_ = len(combos)
        return self

    def transform(self, X):
        """(n, d) → (n, n_output_features_), each column the product of its features."""
        check_is_fitted(self)
        X = check_array(X, estimator=self)
        check_n_features(self, X)
        out = np.empty((X.shape[0], self.n_output_features_), order=self.order)
        # products of degree k are built from those of degree k−1 (one multiply per column)
        cache = {(): np.ones(X.shape[0])}
        for i, c in enumerate(self._combos):
            if c not in cache:
                cache[c] = cache[c[:-1]] * X[:, c[-1]] if c[:-1] in cache else \
                    np.prod(X[:, list(c)], axis=1)
            out[:, i] = cache[c]
        return out

    def get_feature_names_out(self, input_features=None):
        """Names such as '1', 'x0', 'x0^2', 'x0 x1'."""
        check_is_fitted(self)
        names = input_features if input_features is not None else \
            [f"x{j}" for j in range(self.n_features_in_)]
        out = []
        for row in self.powers_:
            terms = [names[j] if p == 1 else f"{names[j]}^{p}" for j, p in enumerate(row) if p]
            out.append(" ".join(terms) if terms else "1")
        return np.asarray(out, dtype=object)


class StandardScaler(TransformerMixin, BaseEstimator):
    """Standardise features: z = (x − μ)/σ with the (weighted) mean μ and biased std σ.

    Features with zero variance get scale 1 (left centred, not divided by 0), as scikit-learn.
    Attributes ``mean_``, ``var_``, ``scale_`` (d,), ``n_samples_seen_``.
    """

    def __init__(self, *, copy=True, with_mean=True, with_std=True):
        self.copy = copy
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X, y=None, sample_weight=None):
        """Compute μ and σ per feature of X (n, d)."""
        X = check_array(X, estimator=self)
        w = check_weights(sample_weight, X.shape[0])
        mean = np.average(X, axis=0, weights=w)
        var = np.average((X - mean) ** 2, axis=0, weights=w)
        self.mean_ = mean if self.with_mean else None
        self.var_ = var if self.with_std else None
        if self.with_std:
            scale = np.sqrt(var)
            # sklearn treats variances within rounding of 0 as constant features
            eps = 10 * np.finfo(np.float64).eps
            scale[var <= eps * np.maximum(mean * mean, eps)] = 1.0
            scale[scale == 0] = 1.0
            self.scale_ = scale
        else:
            self.scale_ = None
        self.n_samples_seen_ = X.shape[0]
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        """(x − μ)/σ, shape preserved."""
        check_is_fitted(self)
        X = check_array(X, estimator=self)
        check_n_features(self, X)
        if self.with_mean:
            X = X - self.mean_
        if self.with_std:
            X = X / self.scale_
        return X

    def inverse_transform(self, X):
        """x = zσ + μ."""
        check_is_fitted(self)
        X = check_array(X, estimator=self)
        check_n_features(self, X)
        if self.with_std:
            X = X * self.scale_
        if self.with_mean:
            X = X + self.mean_
        return X
