"""Random forests (Breiman 2001): bagged CART trees with a random feature subset per split.

Each tree ``b = 1..B`` is grown on a bootstrap sample (``n`` draws with replacement, given to
the tree as integer sample weights, so about 1 - 1/e = 63.2 % of the samples are in-bag) and
at every node only ``max_features`` randomly chosen features are searched. The forest
predicts the average of the trees' class fractions (classification) or values (regression):

    p(c | x) = 1/B sum_b p_b(c | x),        f(x) = 1/B sum_b f_b(x).

Averaging B trees with variance sigma^2 and pairwise correlation rho gives variance
``rho sigma^2 + (1 - rho)/B sigma^2``: bagging removes the second term, and feature subsampling
lowers rho. The out-of-bag estimate scores each sample with the trees that did not see it.

The trees are ``whiteboard.ml.tree`` trees; parallelism (``n_jobs``) is joblib threads over
trees, and every tree's bootstrap and feature draws derive from its own seed, so the forest is
the same for every ``n_jobs``.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ..base import (
    BaseEstimator,
    ProbaClassifierMixin,
    RegressorMixin,
    check_is_fitted,
    check_n_features,
    check_random_state,
    check_sample_weight,
    encode_labels,
)
from ..tree import DecisionTreeClassifier, DecisionTreeRegressor
from ..tree._classes import class_weight_dict_vector, compute_class_weight_vector
from ..tree._tree import CRITERIA_CLF, CRITERIA_REG, presort
from ...validation import check_array, check_X_y
from ._base import member_seeds, parallel_map, r2, run_in_chunks

__all__ = ["RandomForestClassifier", "RandomForestRegressor"]

_TREE_PARAMS = ("criterion", "max_depth", "min_samples_split", "min_samples_leaf",
                "min_weight_fraction_leaf", "max_features", "max_leaf_nodes",
                "min_impurity_decrease", "ccp_alpha")


def _build_trees(seeds, tree_class, tree_params, X32, y, w, presorted, n_boot, n_classes,
                 criteria, balanced_sub):
    """Fit one tree per seed on its bootstrap sample (weights = draw counts; ``n_boot=0``: no
    bootstrap)."""
    n = len(y)
    trees = []
    for seed in seeds:
        tree = tree_class(**tree_params, random_state=int(seed))
        weights = w
        if n_boot:
            counts = _bootstrap_counts(seed, n, n_boot)
            weights = w * counts
            if balanced_sub:
                per_class = np.bincount(y, weights=counts, minlength=n_classes)
                present = per_class > 0
                cw = np.ones(n_classes)
                cw[present] = n_boot / (present.sum() * per_class[present])
                weights = weights * cw[y]
        tree._fit(X32, y, weights, criteria, n_classes, presorted)
        trees.append(tree)
    return trees


def _bootstrap_counts(seed, n_samples, n_draws):
    """How many times each sample is drawn in the bootstrap of the tree with ``seed``."""
    draws = np.random.default_rng([int(seed), 7]).integers(0, n_samples, n_draws)
    return np.bincount(draws, minlength=n_samples)


class BaseForest(BaseEstimator):
    """Shared fitting of the two forests."""

    _tree_class = None
    _criteria = None

    def _n_bootstrap(self, n):
        ms = self.max_samples
        if ms is None:
            return n
        if not self.bootstrap:
            raise ValueError("max_samples can only be set with bootstrap=True, got "
                             f"max_samples={ms!r} and bootstrap=False")
        if isinstance(ms, (numbers.Integral, np.integer)) and not isinstance(ms, bool):
            if not 1 <= ms:
                raise ValueError(f"max_samples must be >= 1, got {ms}")
            return int(ms)
        if isinstance(ms, (numbers.Real, np.floating)) and 0.0 < ms <= 1.0:
            return max(round(n * ms), 1)
        raise ValueError(f"max_samples must be None, an int >= 1 or a float in (0, 1], got "
                         f"{ms!r}")

    def _fit_forest(self, X, y, sample_weight, n_classes):
        if not isinstance(self.n_estimators, (numbers.Integral, np.integer)) or \
                self.n_estimators < 1:
            raise ValueError(f"n_estimators must be an int >= 1, got {self.n_estimators!r}")
        if self.oob_score and not self.bootstrap:
            raise ValueError("Out of bag estimation only available if bootstrap=True")
        if sample_weight.sum() <= 0:
            raise ValueError("sample_weight sums to zero: nothing to fit")
        n, f = X.shape
        self.n_features_in_ = f
        self.n_outputs_ = 1
        n_boot = self._n_bootstrap(n)
        rng = check_random_state(self.random_state)
        seeds = member_seeds(rng, self.n_estimators)
        old = list(getattr(self, "estimators_", [])) if self.warm_start else []
        if len(old) > self.n_estimators:
            raise ValueError(f"n_estimators={self.n_estimators} must be larger or equal to "
                             f"len(estimators_)={len(old)} when warm_start==True")
        # one float32 copy of X for all trees, Fortran-ordered: its transpose is the
        # feature-major array the tree builder reads, so no tree copies X again
        X32 = np.asfortranarray(X, dtype=np.float32)
        presorted = presort(X32.T)
        tree_params = {k: getattr(self, k) for k in _TREE_PARAMS}
        job = {"tree_class": self._tree_class, "tree_params": tree_params, "X32": X32, "y": y,
                   "w": sample_weight, "presorted": presorted,
                   "n_boot": n_boot if self.bootstrap else 0,
                   "n_classes": n_classes, "criteria": self._criteria,
                   "balanced_sub": getattr(self, "class_weight", None) == "balanced_subsample"}

        new_seeds = seeds[len(old):]
        if self.verbose:
            print(f"{type(self).__name__}: building {len(new_seeds)} trees")
        trees = run_in_chunks(_build_trees, list(new_seeds), self.n_jobs, **job)
        for tree in trees:
            self._finish_tree(tree)
        self.estimators_ = old + trees
        old_seeds = list(self._seeds[:len(old)]) if old else []
        self._seeds = np.array(old_seeds + list(new_seeds))
        self._n_boot = n_boot
        if self.oob_score:
            self._set_oob(X32, y)
        return self

    def _finish_tree(self, tree):
        tree.n_features_in_ = self.n_features_in_

    def _oob_sums(self, X32, width):
        n = X32.shape[0]
        total = np.zeros((n, width))
        count = np.zeros(n)
        for tree, seed in zip(self.estimators_, self._seeds):
            mask = _bootstrap_counts(seed, n, self._n_boot) == 0
            total[mask] += tree.tree_.predict(X32[mask])[:, 0, :width]
            count[mask] += 1
        if (count == 0).any():
            warnings.warn("Some inputs do not have OOB scores. This probably means too few "
                          "trees were used to compute any reliable OOB estimates.",
                          UserWarning, stacklevel=3)
        return total / np.maximum(count, 1)[:, None]

    def _validate_X_predict(self, X):
        check_is_fitted(self, "estimators_")
        X = check_array(X, estimator=self)
        check_n_features(self, X)
        return np.asarray(X, dtype=np.float32)

    def _mean_tree_output(self, X32):
        """``1/B sum_b`` of the trees' leaf values, summed tree after tree (the order of
        ``np.mean`` over the tree axis, so the same bits) without stacking the B outputs."""
        def leaf_values(t):
            return np.take(t.tree_.value[:, 0, :], t.tree_.apply(X32), axis=0)

        if self.n_jobs is None or self.n_jobs == 1:
            outs = (leaf_values(t) for t in self.estimators_)
        else:
            outs = parallel_map(leaf_values, self.estimators_, self.n_jobs)
        total = None
        for out in outs:
            if total is None:
                total = out.copy()
            else:
                total += out
        return total / len(self.estimators_)

    def apply(self, X):
        """Leaf index of every sample in every tree, shape (n_samples, n_estimators)."""
        X32 = self._validate_X_predict(X)
        return np.column_stack([t.tree_.apply(X32) for t in self.estimators_])

    @property
    def feature_importances_(self):
        """Mean over trees of their normalised impurity decreases, renormalised to sum 1."""
        check_is_fitted(self, "estimators_")
        imps = [t.tree_.compute_feature_importances() for t in self.estimators_
                if t.tree_.node_count > 1]
        if not imps:
            return np.zeros(self.n_features_in_)
        mean = np.mean(imps, axis=0)
        return mean / mean.sum()


class RandomForestClassifier(ProbaClassifierMixin, BaseForest):
    """Random forest of CART classification trees (same parameters and defaults as
    scikit-learn's, ``monotonic_cst`` excepted). ``criterion`` also accepts 'gain_ratio'.

    Fitted: ``estimators_`` (the trees), ``classes_``, ``n_classes_``,
    ``feature_importances_``, and with ``oob_score=True`` ``oob_score_`` (accuracy) and
    ``oob_decision_function_`` (n_samples, n_classes).
    """

    _tree_class = DecisionTreeClassifier
    _criteria = CRITERIA_CLF

    def __init__(self, n_estimators=100, *, criterion="gini", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, min_weight_fraction_leaf=0.0,
                 max_features="sqrt", max_leaf_nodes=None, min_impurity_decrease=0.0,
                 bootstrap=True, oob_score=False, n_jobs=None, random_state=None, verbose=0,
                 warm_start=False, class_weight=None, ccp_alpha=0.0, max_samples=None):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.class_weight = class_weight
        self.ccp_alpha = ccp_alpha
        self.max_samples = max_samples

    def fit(self, X, y, sample_weight=None):
        """Grow ``n_estimators`` trees on bootstrap samples of X (n_samples, n_features)."""
        X, y = check_X_y(X, y, estimator=self)
        classes, yi = encode_labels(y, min_classes=1, estimator=self)
        if self.warm_start and hasattr(self, "classes_") and \
                not np.array_equal(classes, self.classes_):
            raise ValueError("warm_start=True needs the same classes as the previous fit")
        self.classes_ = classes
        self.n_classes_ = len(classes)
        w = check_sample_weight(sample_weight, len(yi))
        cw = self.class_weight
        if isinstance(cw, dict):
            w = w * class_weight_dict_vector(cw, classes, yi)
        elif cw == "balanced":
            w = w * compute_class_weight_vector("balanced", yi, self.n_classes_)
        elif cw not in (None, "balanced_subsample"):
            raise ValueError("class_weight must be None, 'balanced', 'balanced_subsample' or a "
                             f"dict, got {cw!r}")
        return self._fit_forest(X, yi, w, self.n_classes_)

    def _finish_tree(self, tree):
        super()._finish_tree(tree)
        tree.classes_ = self.classes_
        tree.n_classes_ = self.n_classes_

    def _set_oob(self, X32, y):
        self.oob_decision_function_ = self._oob_sums(X32, self.n_classes_)
        self.oob_score_ = float(np.mean(np.argmax(self.oob_decision_function_, axis=1) == y))

    def predict_proba(self, X):
        """Mean of the trees' leaf class fractions, shape (n_samples, n_classes)."""
        return self._mean_tree_output(self._validate_X_predict(X))


class RandomForestRegressor(RegressorMixin, BaseForest):
    """Random forest of regression trees; predicts the mean of the trees' leaf means.

    Fitted: ``estimators_``, ``feature_importances_``, and with ``oob_score=True``
    ``oob_score_`` (R^2) and ``oob_prediction_``.
    """

    _tree_class = DecisionTreeRegressor
    _criteria = CRITERIA_REG

    def __init__(self, n_estimators=100, *, criterion="squared_error", max_depth=None,
                 min_samples_split=2, min_samples_leaf=1, min_weight_fraction_leaf=0.0,
                 max_features=1.0, max_leaf_nodes=None, min_impurity_decrease=0.0,
                 bootstrap=True, oob_score=False, n_jobs=None, random_state=None, verbose=0,
                 warm_start=False, ccp_alpha=0.0, max_samples=None):
        self.n_estimators = n_estimators
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.ccp_alpha = ccp_alpha
        self.max_samples = max_samples

    def fit(self, X, y, sample_weight=None):
        """Grow ``n_estimators`` regression trees on bootstrap samples."""
        X, y = check_X_y(X, y, y_numeric=True, estimator=self)
        y = y.astype(np.float64)
        w = check_sample_weight(sample_weight, len(y))
        return self._fit_forest(X, y, w, None)

    def _set_oob(self, X32, y):
        self.oob_prediction_ = self._oob_sums(X32, 1)[:, 0]
        self.oob_score_ = r2(y, self.oob_prediction_)

    def predict(self, X):
        """Mean of the trees' predictions, shape (n_samples,)."""
        return self._mean_tree_output(self._validate_X_predict(X))[:, 0]
