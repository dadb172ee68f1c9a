"""Second-order gradient boosting in the style of XGBoost, on histogram trees.

How the tree ensembles of whiteboard differ -- they all grow the same ``Tree`` of
``ml/tree/_tree.py``; only what the tree is fitted to and how it is combined change:

* Bagging / random forest: independent deep trees on bootstrap samples (plus random feature
  subsets per node), averaged -- lowers variance.
* AdaBoost: sequential trees on re-weighted samples (exponential loss), weighted vote.
* GBDT (``GradientBoostingRegressor``/``Classifier``): sequential regression trees fitted to
  the negative gradient ``-dl/dF`` (first-order statistics) with the squared-error criterion,
  then each leaf re-estimated (line search / one Newton step).
* This booster: sequential trees whose split criterion and leaf values come from a second-order
  expansion of the loss (gradient ``g`` and hessian ``h`` per sample), with regularisation
  ``gamma T + lambda/2 ||w||^2``, shrinkage ``eta``, row and column subsampling, histogram split
  finding and a learnt default direction for missing values. Boosting lowers bias.

Round ``m`` (``F_0 = base_score`` as a margin)::

    g_i = dl(y_i, F)/dF,  h_i = d2l(y_i, F)/dF2          at F = F_{m-1}(x_i)
    grow a tree with gain 1/2 [G_L^2/(H_L+lambda) + G_R^2/(H_R+lambda) - G^2/(H+lambda)] - gamma
    leaf weight w_j = -G_j/(H_j + lambda);   F_m = F_{m-1} + eta * f_m

Losses: squared error ``l = 1/2 (y - F)^2`` (``g = F - y``, ``h = 1``), logistic
``l = log(1 + e^F) - y F`` (``g = p - y``, ``h = p (1 - p)``), softmax with one tree per class
per round (``g_k = p_k - y_k``; the diagonal of the Hessian is ``p_k (1 - p_k)``, but, as
XGBoost's ``multi:softprob``, ``h_k = 2 p_k (1 - p_k)`` is used: a more conservative Newton
step -- it halves the leaf values when ``lambda = 0`` -- which keeps this booster equal to
XGBoost; LightGBM uses ``K/(K-1) p_k (1 - p_k)``).

``base_score`` (``None``: estimated as XGBoost 3 does): the weighted mean of ``y`` for
squared error, the positive rate ``p`` (margin ``log(p/(1-p))``) for binary, the centred
log-priors ``log p_k - mean_j log p_j`` for multi-class.

``tree_method``: 'hist' (default) grows depth-wise on quantile bins with histogram subtraction
and learnt NaN directions (``ml/tree/_second_order.py``); 'exact' runs the shared pre-sorted
``TreeBuilder`` of ``ml/tree/_tree.py`` (the CART builder) with the same ``SecondOrder``
criterion -- every midpoint between distinct values is a candidate, no NaN support. Both
return the same ``Tree`` node arrays, and both equal XGBoost's methods of the same name.

``n_jobs`` (XGBoost's parameter name; scikit-learn's meaning: None = 1 thread, -1 all
cores, -k all but k - 1): threads of the 'hist' builder (and of the binning), each building
the histograms and scoring the splits of a block of features every tree level, and, in an
unweighted fit, moving a run of the rows to their children. The trees are bit for bit the
same whatever ``n_jobs``, and the same whether the compiled kernels (``whiteboard.jit``,
nogil) or the NumPy path grow them. With the kernels, the extra threads stay inside one
kernel for a whole tree and spin between levels (``ml/tree/_hist_team.py``; a sleeping
thread's wake-up cost as much as it saved): on the 2-core development box (docs/benchmarks/
boosting.md, 2026-12-07 23:16, load ~1) two threads take 0.79 / 0.77 / 0.71 of the one-thread
wall time at 20k / 80k / 320k rows x 20 (100 trees of depth 6), for 1.3-1.4x the CPU time.
When the workers keep missing their cores (other busy processes: lock-step threads were
then 2.6x slower than one), the fit notices within a tree and finishes on one thread (1.0-1.3x
of the one-thread time beside a busy process; LightGBM's two threads: 1.42x). The default
stays scikit-learn's one thread, not XGBoost's all cores: spinning threads compete with
whatever else runs on a busy machine.

Note on ``gamma``: the gain above keeps the paper's factor 1/2; XGBoost's code compares
``G_L^2/(H_L+lambda) + G_R^2/(H_R+lambda) - G^2/(H+lambda)`` (no 1/2) with its ``gamma``, so
``gamma`` here equals XGBoost's ``gamma / 2``.
"""

from __future__ import annotations

import numbers
import os
import warnings

import numpy as np

from ..base import (
    BaseEstimator,
    _sklearn_flavoured,
    ProbaClassifierMixin,
    RegressorMixin,
    check_is_fitted,
    check_n_features,
    check_random_state,
    check_sample_weight,
    check_array,
    check_X_y,
    encode_labels,
)
from ..tree._second_order import (
    BinMapper,
    HistTreeBuilder,
    SecondOrder,
    exact_second_order_tree,
)
from ...validation import DataConversionWarning

__all__ = ["XGBoostClassifier", "XGBoostRegressor"]


def _validate_fit(X, y, estimator, y_numeric=False):
    """``(X, y)`` for ``fit`` with NaN allowed in ``X``; a column-vector ``y`` warns."""
    y_arr = np.asarray(y) if y is not None else None
    if y_arr is not None and y_arr.ndim == 2 and y_arr.shape[1] == 1:
        warnings.warn("A column-vector y was passed when a 1d array was expected. Please "
                      "change the shape of y to (n_samples,), for example using ravel().",
                      _sklearn_flavoured(DataConversionWarning, "DataConversionWarning"),
                      stacklevel=3)
        y = y_arr.ravel()
    return check_X_y(X, y, allow_nan=True, y_numeric=y_numeric,
                     estimator=estimator)


def _softmax(F):
    Z = F - F.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    return Z


def _sigmoid(F):
    return 0.5 * (1.0 + np.tanh(0.5 * F))


class _BaseXGBoost(BaseEstimator):
    """Shared fitting loop; subclasses give the loss (gradients, metric, link)."""

    def __init__(self, *, n_estimators=100, learning_rate=0.3, max_depth=6, reg_lambda=1.0,
                 reg_alpha=0.0, gamma=0.0, min_child_weight=1.0, subsample=1.0,
                 colsample_bytree=1.0, max_bin=256, base_score=None,
                 early_stopping_rounds=None, tree_method="hist", n_jobs=None,
                 random_state=None):
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.reg_lambda = reg_lambda
        self.reg_alpha = reg_alpha
        self.gamma = gamma
        self.min_child_weight = min_child_weight
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.max_bin = max_bin
        self.base_score = base_score
        self.early_stopping_rounds = early_stopping_rounds
        self.tree_method = tree_method
        self.n_jobs = n_jobs
        self.random_state = random_state

    def _update_sklearn_tags(self, tags):
        tags.input_tags.allow_nan = self.tree_method == "hist"
        return tags

    def _check_params(self):
        def num(name, lo, hi=np.inf, lo_open=False, integer=False):
            v = getattr(self, name)
            kind = numbers.Integral if integer else numbers.Real
            if not isinstance(v, (kind, np.number)) or isinstance(v, bool) or \
                    (integer and not isinstance(v, (numbers.Integral, np.integer))):
                raise ValueError(f"{name} must be {'an int' if integer else 'a number'}, "
                                 f"got {v!r}")
            if v < lo or (lo_open and v == lo) or v > hi:
                raise ValueError(f"{name} must be in {'(' if lo_open else '['}{lo}, {hi}], "
                                 f"got {v!r}")
        num("n_estimators", 1, integer=True)
        num("learning_rate", 0.0, lo_open=True)
        num("max_depth", 1, integer=True)
        num("reg_lambda", 0.0)
        num("reg_alpha", 0.0)
        num("gamma", 0.0)
        num("min_child_weight", 0.0)
        num("subsample", 0.0, 1.0, lo_open=True)
        num("colsample_bytree", 0.0, 1.0, lo_open=True)
        num("max_bin", 2, 65535, integer=True)
        if self.early_stopping_rounds is not None:
            num("early_stopping_rounds", 1, integer=True)
        if self.n_jobs is not None and (not isinstance(self.n_jobs, (numbers.Integral, np.integer))
                                        or isinstance(self.n_jobs, bool) or self.n_jobs == 0):
            raise ValueError(f"n_jobs must be None or a non-zero int, got {self.n_jobs!r}")
        if self.tree_method not in ("hist", "exact"):
            raise ValueError(f"tree_method must be 'hist' or 'exact', got {self.tree_method!r}")

    def _validate(self, X):
        return check_array(X, allow_nan=self.tree_method == "hist",
                           estimator=self)

    def _fit(self, X, Y, w, eval_sets):
        """Boost on ``X`` (n, f), targets ``Y`` (n, K) as the loss reads them (values for
        squared error, 0/1 indicators for the logistic / softmax losses) and weights ``w``;
        ``eval_sets`` is a list of ``(X, Y, w)``. Sets ``estimators_`` (one list of K
        ``HistTree`` per round, leaf values already multiplied by ``learning_rate``)."""
        self._check_params()
        if self.early_stopping_rounds is not None and not eval_sets:
            raise ValueError("early_stopping_rounds needs an eval_set to watch, got "
                             "eval_set=None")
        if not w.sum() > 0:
            raise ValueError("sample_weight sums to zero: nothing to fit")
        rng = check_random_state(self.random_state)
        exact = self.tree_method == "exact"
        if exact and np.isnan(X).any():
            raise ValueError("tree_method='exact' does not handle missing values (X contains "
                             "NaN); use tree_method='hist'")
        self.bin_mapper_ = BinMapper(self.max_bin, n_jobs=self._n_threads()).fit(X)
        codes = None if exact else self.bin_mapper_.transform(X)
        crit = SecondOrder(self.reg_lambda, self.reg_alpha)
        builder = HistTreeBuilder(crit, self.bin_mapper_, max_depth=self.max_depth,
                                  min_child_weight=self.min_child_weight, gamma=self.gamma,
                                  n_jobs=self._n_threads())
        try:
            self._boost(X, Y, w, eval_sets, codes, builder, rng, exact)
        finally:
            builder.close()
        return self

    def _n_threads(self):
        """Threads of the histogram builder: ``n_jobs`` None 1 (see the module docstring),
        -1 all cores, -k all but k - 1, as joblib."""
        cpus = os.cpu_count() or 1
        if self.n_jobs is None:
            return 1
        return self.n_jobs if self.n_jobs > 0 else max(1, cpus + 1 + self.n_jobs)

    def _boost(self, X, Y, w, eval_sets, codes, builder, rng, exact):
        """The boosting rounds of ``_fit``."""
        n, f = X.shape
        K = self._n_outputs
        self.base_margin_ = self._base_margin(Y, w)
        F = np.tile(self.base_margin_, (n, 1))
        evals = [(Xe, Ye, we, np.tile(self.base_margin_, (len(Xe), 1)))
                 for Xe, Ye, we in eval_sets]
        self.evals_result_ = {f"validation_{i}": {self._metric_name: []}
                              for i in range(len(evals))}
        self.estimators_ = []
        n_cols = max(1, int(self.colsample_bytree * f))
        best, best_it, since = np.inf, 0, 0
        eta = float(self.learning_rate)
        for m in range(self.n_estimators):
            G, H = self._grad_hess(Y, F)
            if self.subsample < 1.0:
                rows = np.flatnonzero(rng.random(n) < self.subsample)
                if rows.size == 0:
                    rows = rng.integers(0, n, 1)
            else:
                rows = np.arange(n)
            feats = (np.sort(rng.permutation(f)[:n_cols]) if n_cols < f else np.arange(f))
            trees = []
            for k in range(K):
                if exact:
                    trees.append(self._exact_tree(X, G[:, k], H[:, k], w, rows, feats, rng))
                    F[:, k] += trees[-1].predict(X)[:, 0, 0]
                    continue
                tree, leaf = builder.build(codes, G[:, k] * w, H[:, k] * w, w, rows, feats)
                tree.value *= eta
                if len(rows) == n:
                    F[:, k] += tree.value[leaf, 0, 0]
                else:
                    F[:, k] += tree.value[tree.apply_binned(codes, self.bin_mapper_.missing_bin),
                                          0, 0]
                trees.append(tree)
            self.estimators_.append(trees)
            for i, (Xe, Ye, we, Fe) in enumerate(evals):
                for k, tree in enumerate(trees):
                    Fe[:, k] += tree.predict(Xe)[:, 0, 0]
                score = self._metric(Ye, Fe, we)
                self.evals_result_[f"validation_{i}"][self._metric_name].append(score)
            if evals and self.early_stopping_rounds is not None:
                if score < best:
                    best, best_it, since = score, m, 0
                else:
                    since += 1
                    if since >= self.early_stopping_rounds:
                        break
        if evals and self.early_stopping_rounds is not None:
            self.best_iteration_ = best_it
            self.best_score_ = best
        else:
            self.best_iteration_ = len(self.estimators_) - 1
        self.n_estimators_ = len(self.estimators_)
        self.n_features_in_ = f

    def _exact_tree(self, X, g, h, w, rows, feats, rng):
        """One tree of ``tree_method='exact'``: the shared pre-sorted ``TreeBuilder`` with the
        ``SecondOrder`` criterion on the in-bag rows and the round's columns."""
        ws = np.zeros_like(w)
        ws[rows] = w[rows]
        tree = exact_second_order_tree(X[:, feats], g, h, ws, self.reg_lambda, self.reg_alpha,
                                       self.max_depth, self.min_child_weight, self.gamma, rng)
        split = tree.feature >= 0
        tree.feature[split] = feats[tree.feature[split]]
        tree.n_features = X.shape[1]
        tree.value *= float(self.learning_rate)
        return tree

    @property
    def best_iteration(self):
        """0-based round of the best evaluation score (the last round without early stopping);
        ``predict`` uses rounds ``0 .. best_iteration``."""
        check_is_fitted(self, "estimators_")
        return self.best_iteration_

    @property
    def feature_importances_(self):
        """Total gain of the splits on each feature, normalised to sum to 1."""
        check_is_fitted(self, "estimators_")
        imp = np.zeros(self.n_features_in_)
        for trees in self.estimators_:
            for t in trees:
                if t.node_count > 1:
                    imp += t.compute_feature_importances(normalize=False) * \
                        t.weighted_n_node_samples[0]
        s = imp.sum()
        return imp / s if s > 0 else imp

    def _raw_predict(self, X, n_rounds=None):
        check_is_fitted(self, "estimators_")
        X = self._validate(X)
        check_n_features(self, X)
        if n_rounds is None:
            n_rounds = self.best_iteration_ + 1
        F = np.tile(self.base_margin_, (X.shape[0], 1))
        for trees in self.estimators_[:n_rounds]:
            for k, t in enumerate(trees):
                F[:, k] += t.predict(X)[:, 0, 0]
        return F

    def _staged_raw_predict(self, X):
        check_is_fitted(self, "estimators_")
        X = self._validate(X)
        check_n_features(self, X)
        F = np.tile(self.base_margin_, (X.shape[0], 1))
        for trees in self.estimators_:
            for k, t in enumerate(trees):
                F[:, k] += t.predict(X)[:, 0, 0]
            yield F.copy()


class XGBoostRegressor(RegressorMixin, _BaseXGBoost):
    """Second-order boosted histogram trees for regression (squared error; XGBoost's
    ``reg:squarederror`` with ``tree_method='hist'``). See the module docstring.

    ``fit(X, y, sample_weight=None, eval_set=None)``: ``X`` (n, f) may contain NaN;
    ``eval_set`` a list of ``(X_val, y_val)`` whose RMSE is recorded in ``evals_result_`` and,
    with ``early_stopping_rounds``, stops training (on the last set) after that many rounds
    without improvement; ``predict`` then uses rounds ``0 .. best_iteration``.
    """

    _n_outputs = 1
    _metric_name = "rmse"

    def _base_margin(self, Y, w):
        if self.base_score is not None:
            return np.array([float(self.base_score)])
        return np.array([np.average(Y[:, 0], weights=w)])

    @staticmethod
    def _grad_hess(Y, F):
        return F - Y, np.ones_like(F)

    @staticmethod
    def _metric(Y, F, w):
        return float(np.sqrt(np.average((Y[:, 0] - F[:, 0]) ** 2, weights=w)))

    def fit(self, X, y, sample_weight=None, eval_set=None):
        """Boost ``n_estimators`` rounds on X (n, f) and real targets y (n,)."""
        X, y = _validate_fit(X, y, self, y_numeric=True)
        w = check_sample_weight(sample_weight, len(y))
        evals = []
        for Xe, ye in (eval_set or []):
            Xe, ye = _validate_fit(Xe, ye, self, y_numeric=True)
            evals.append((Xe, ye.astype(float)[:, None], np.ones(len(ye))))
        return self._fit(X, y.astype(np.float64)[:, None], w, evals)

    def predict(self, X):
        """Sum of the tree outputs plus ``base_score``, shape (n_samples,)."""
        return self._raw_predict(X)[:, 0]

    def staged_predict(self, X):
        """Predictions after each round (all fitted rounds), each of shape (n_samples,)."""
        for F in self._staged_raw_predict(X):
            yield F[:, 0]


class XGBoostClassifier(ProbaClassifierMixin, _BaseXGBoost):
    """Second-order boosted histogram trees for classification: logistic loss for two classes
    (XGBoost's ``binary:logistic``), softmax with one tree per class and round otherwise
    (``multi:softprob``). See the module docstring; ``fit`` takes ``eval_set`` as the
    regressor (metric: 'logloss' for two classes, 'mlogloss' otherwise, as XGBoost)."""

    @property
    def _metric_name(self):
        return "logloss" if self._n_outputs == 1 else "mlogloss"

    def _base_margin(self, Y, w):
        if self._n_outputs > 1:
            prior = np.clip(np.average(Y, axis=0, weights=w), 1e-16, 1.0)
            return np.log(prior) - np.log(prior).mean()
        if self.base_score is not None:
            p = float(self.base_score)
        else:
            p = float(np.average(Y[:, 0], weights=w))
        p = min(max(p, 1e-16), 1 - 1e-16)
        return np.array([np.log(p / (1 - p))])

    def _grad_hess(self, Y, F):
        if self._n_outputs == 1:
            P = _sigmoid(F)
            return P - Y, np.maximum(P * (1.0 - P), 1e-16)
        P = _softmax(F)
        return P - Y, np.maximum(2.0 * P * (1.0 - P), 1e-16)

    def _metric(self, Y, F, w):
        if self._n_outputs == 1:
            ll = np.logaddexp(0.0, F[:, 0]) - Y[:, 0] * F[:, 0]
        else:
            Fm = F.max(axis=1, keepdims=True)
            lse = Fm[:, 0] + np.log(np.exp(F - Fm).sum(axis=1))
            ll = lse - (Y * F).sum(axis=1)
        return float(np.average(ll, weights=w))

    def _targets(self, yi):
        K = len(self.classes_)
        if K == 2:
            return yi.astype(np.float64)[:, None]
        return (yi[:, None] == np.arange(K)[None, :]).astype(np.float64)

    def fit(self, X, y, sample_weight=None, eval_set=None):
        """Boost on X (n, f) (NaN allowed) and labels y (n,) of any type."""
        X, y = _validate_fit(X, y, self)
        self.classes_, yi = encode_labels(y, min_classes=2, estimator=self)
        self.n_classes_ = len(self.classes_)
        self._n_outputs = 1 if self.n_classes_ == 2 else self.n_classes_
        w = check_sample_weight(sample_weight, len(yi))
        evals = []
        for Xe, ye in (eval_set or []):
            Xe, ye = _validate_fit(Xe, ye, self)
            ye = np.asarray(ye)
            idx = np.searchsorted(self.classes_, ye)
            idx = np.clip(idx, 0, self.n_classes_ - 1)
            if not np.all(self.classes_[idx] == ye):
                raise ValueError("eval_set contains labels not seen in y")
            evals.append((Xe, self._targets(idx), np.ones(len(ye))))
        return self._fit(X, self._targets(yi), w, evals)

    def decision_function(self, X):
        """Margins: (n_samples,) for two classes, (n_samples, n_classes) otherwise."""
        F = self._raw_predict(X)
        return F[:, 0] if F.shape[1] == 1 else F

    def predict_proba(self, X):
        """Class probabilities, shape (n_samples, n_classes)."""
        F = self._raw_predict(X)
        if F.shape[1] == 1:
            p = _sigmoid(F[:, 0])
            return np.column_stack([1.0 - p, p])
        return _softmax(F)


    def staged_predict_proba(self, X):
        """``predict_proba`` after each round."""
        for F in self._staged_raw_predict(X):
            if F.shape[1] == 1:
                p = _sigmoid(F[:, 0])
                yield np.column_stack([1.0 - p, p])
            else:
                yield _softmax(F)
