"""GBDT + LR, the Facebook click-through-rate trick (He et al. 2014, "Practical Lessons from
Predicting Clicks on Ads at Facebook").

A gradient-boosted ensemble of T trees is a learned feature transform: sample x falls into one
leaf ℓ_t(x) of every tree t, and the new representation is the concatenation of one-hot codes

    φ(x) = [e(ℓ_1(x)) ‖ e(ℓ_2(x)) ‖ … ‖ e(ℓ_T(x))] ∈ {0, 1}^{Σ_t L_t},   exactly T ones,

with L_t the number of leaves of tree t (for K > 2 classes gradient boosting grows K trees per
stage; each counts as one tree here). A logistic regression is then fitted on φ(x):

    p(y = 1 | x) = σ(wᵀ φ(x) + b),

i.e. one weight per leaf, re-estimated jointly — the trees find the non-linear crossings of
features, the linear model re-weights them (and can be refreshed cheaply on new data).

Design: one classifier (``GBDTLogisticRegression``) rather than a transformer plus a
``Pipeline``, because the two stages may be fitted on *different* rows (the paper fits the trees
and the linear model on disjoint data so the LR does not only see leaves the trees over-fitted
to: ``lr_fraction``), which a pipeline cannot express; the leaf encoding is still available on its
own through ``transform`` (and ``apply``).

Unseen leaves: the codes of tree t are the leaves some fitting row reached. A leaf never reached
at fit time (possible when the LR is fitted on other rows, or never when both see the same rows,
since every leaf of a fitted tree holds a training sample) gets an all-zero block for that tree —
scikit-learn's ``OneHotEncoder(handle_unknown="ignore")``.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..base import (BaseEstimator, ProbaClassifierMixin, TransformerMixin, check_is_fitted,
                    check_random_state, check_sample_weight, check_X_y)
from ..linear_model import LogisticRegression
from ._gradient_boosting import GradientBoostingClassifier


class GBDTLogisticRegression(ProbaClassifierMixin, TransformerMixin, BaseEstimator):
    """Gradient-boosted trees as a leaf one-hot feature map, then logistic regression on it.

    Parameters: ``n_estimators``, ``learning_rate``, ``max_depth``, ``subsample``,
    ``random_state`` go to :class:`GradientBoostingClassifier`; ``C``, ``max_iter``, ``tol`` to
    :class:`LogisticRegression` (L2, L-BFGS). ``lr_fraction`` in [0, 1): share of rows held out
    from the trees and used for the LR only (0 = both stages on all rows).

    Attributes: ``gbdt_`` (fitted trees), ``categories_`` (list, per tree, of the sorted leaf
    ids that have a column), ``lr_`` (fitted logistic regression), ``n_iter_`` (the L-BFGS
    iterations of ``lr_``, its ``n_iter_``), ``classes_``, ``n_features_in_``.
    """

    def __init__(self, *, n_estimators=100, learning_rate=0.1, max_depth=3, subsample=1.0,
                 C=1.0, max_iter=100, tol=1e-4, lr_fraction=0.0, random_state=None):
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.subsample = subsample
        self.C = C
        self.max_iter = max_iter
        self.tol = tol
        self.lr_fraction = lr_fraction
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        X, y = check_X_y(X, y, estimator=self)
        f = self.lr_fraction
        if not (isinstance(f, numbers.Real) and 0 <= f < 1):
            raise ValueError(f"lr_fraction must be in [0, 1), got {f!r}")
        n = X.shape[0]
        sw = None if sample_weight is None else check_sample_weight(sample_weight, n)
        tree_rows = lr_rows = np.arange(n)
        if f > 0:
            perm = check_random_state(self.random_state).permutation(n)
            n_lr = int(round(f * n))
            if n_lr < 1 or n_lr >= n:
                raise ValueError(f"lr_fraction={f!r} leaves no rows for one stage with "
                                 f"n_samples={n}")
            lr_rows, tree_rows = np.sort(perm[:n_lr]), np.sort(perm[n_lr:])
        self.gbdt_ = GradientBoostingClassifier(
            n_estimators=self.n_estimators, learning_rate=self.learning_rate,
            max_depth=self.max_depth, subsample=self.subsample, random_state=self.random_state)
        self.gbdt_.fit(X[tree_rows], y[tree_rows],
                       sample_weight=None if sw is None else sw[tree_rows])
        self.classes_ = self.gbdt_.classes_
        self.n_features_in_ = X.shape[1]
        leaves = self.apply(X[lr_rows])
        self.categories_ = [np.unique(leaves[:, t]) for t in range(leaves.shape[1])]
        self.lr_ = LogisticRegression(C=self.C, max_iter=self.max_iter, tol=self.tol)
        self.lr_.fit(self._encode(leaves), y[lr_rows],
                     sample_weight=None if sw is None else sw[lr_rows])
        if not np.array_equal(self.lr_.classes_, self.classes_):
            raise ValueError(f"the rows held out for the LR (lr_fraction={f!r}) miss classes: "
                             f"{self.lr_.classes_} vs {self.classes_}")
        self.n_iter_ = self.lr_.n_iter_
        return self

    def apply(self, X):
        """Leaf id of every sample in every tree, (n_samples, n_trees); trees in stage-major
        order (stage i, class k) → column i·K + k."""
        check_is_fitted(self, "gbdt_")
        leaves = self.gbdt_.apply(X)
        return leaves.reshape(leaves.shape[0], -1)

    def _encode(self, leaves):
        n = leaves.shape[0]
        widths = np.array([len(c) for c in self.categories_])
        offsets = np.concatenate([[0], np.cumsum(widths)[:-1]])
        out = np.zeros((n, int(widths.sum())))
        for t, cats in enumerate(self.categories_):  # loop over trees, vectorised over samples
            pos = np.searchsorted(cats, leaves[:, t])
            pos_c = np.minimum(pos, len(cats) - 1)
            seen = cats[pos_c] == leaves[:, t]
            out[np.nonzero(seen)[0], offsets[t] + pos_c[seen]] = 1.0
        return out

    def transform(self, X):
        """The leaf one-hot features φ(X), (n_samples, Σ_t |categories_[t]|)."""
        check_is_fitted(self, "lr_")
        return self._encode(self.apply(X))

    def decision_function(self, X):
        """wᵀφ(x) + b of the logistic regression on the leaf codes."""
        Phi = self.transform(X)
        return self.lr_.decision_function(Phi)

    def predict_proba(self, X):
        """σ(wᵀφ(x) + b) (softmax for K > 2 classes), shape (n_samples, n_classes)."""
        Phi = self.transform(X)
        return self.lr_.predict_proba(Phi)
