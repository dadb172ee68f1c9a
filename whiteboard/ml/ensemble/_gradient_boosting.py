"""Gradient boosting decision trees (Friedman 2001), scikit-learn's algorithm step for step.

Model ``F_M(x) = F_0(x) + nu sum_m f_m(x)`` (``nu`` = ``learning_rate``, shrinkage). Stage m:

1. pseudo-residuals ``r_i = -dl(y_i, F)/dF`` at ``F = F_{m-1}(x_i)`` -- first-order statistics
   only (the negative gradient);
2. fit a regression tree (``DecisionTreeRegressor`` of ``ml.tree``, the shared tree core, squared
   error criterion) to ``r`` -- on a random subsample of size ``int(subsample n)`` drawn without
   replacement when ``subsample < 1`` (stochastic gradient boosting);
3. re-estimate each leaf ``j`` by a line search ``gamma_j = argmin_g sum_{i in j} l(y_i, F + g)``:
   squared error: the mean residual (the tree's own value); absolute error: the weighted median
   of ``y - F``; huber: ``median + mean(sign(d) min(delta, |d|))`` of ``d = y - F - median``
   (Friedman's formula, ``delta`` = the ``alpha`` quantile of ``|y - F|``, recomputed each
   stage); quantile: the ``alpha`` quantile of ``y - F``; log-loss: one Newton step
   ``sum w (y - p) / sum w p (1 - p)`` (times ``(K-1)/K`` for ``K > 2`` classes, as Friedman and
   scikit-learn);
4. ``F_m = F_{m-1} + nu f_m``.

``F_0`` (``init=None``): mean (squared error), median (absolute error, huber), ``alpha``
quantile (quantile), log-odds of the class prior (binary), centred log-priors (multi-class,
``K`` trees per stage, probabilities by softmax); ``init='zero'`` starts at 0; an estimator
with ``fit``/``predict`` (``predict_proba`` for a classifier) may be given.

``criterion``: scikit-learn 1.9 deprecates it and always fits squared error. Friedman's MSE
improvement ``w_L w_R / w (mean_L - mean_R)^2`` equals ``w`` times the squared-error
improvement of the same node, so both rank the splits of a node identically and give the same
tree; 'friedman_mse', 'squared_error' and 'deprecated' are all accepted.

How this differs from the other ensembles (all grow the same tree core): random forests average
independent trees (variance), AdaBoost re-weights samples under the exponential loss, GBDT fits
the *first-order* residuals with the squared-error criterion then fixes the leaves, and the
XGBoost-style booster (``XGBoostRegressor``) builds the *second-order* Newton step
``-G/(H+lambda)`` into the split gain itself.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..base import (
    BaseEstimator,
    ClassifierMixin,
    ProbaClassifierMixin,
    RegressorMixin,
    check_is_fitted,
    check_n_features,
    check_random_state,
    check_sample_weight,
    encode_labels,
)
from ..tree import DecisionTreeRegressor
from ..tree._tree import CRITERIA_REG, TREE_LEAF
from ...validation import check_array, check_X_y

__all__ = ["GradientBoostingClassifier", "GradientBoostingRegressor"]

_EPS = np.finfo(np.float64).eps


def _weighted_percentile(values, weights, q):
    """scikit-learn's weighted percentile ('inverted_cdf'): the smallest sorted value whose
    cumulative weight reaches ``q/100`` of the total."""
    order = np.argsort(values, kind="stable")
    cdf = np.cumsum(weights[order])
    target = q / 100.0 * cdf[-1]
    if target == 0:
        target = np.nextafter(0.0, 1.0)
    i = min(int(np.searchsorted(cdf, target, side="left")), len(values) - 1)
    return values[order[i]]


def _grouped_weighted_percentile(values, weights, groups, n_groups, q):
    """``_weighted_percentile`` of ``values`` within each group id (vectorised, one sort)."""
    order = np.lexsort((values, groups))
    g = groups[order]
    cw = np.cumsum(weights[order])
    counts = np.bincount(g, minlength=n_groups)
    ends = np.cumsum(counts)
    starts = ends - counts
    before = np.where(starts > 0, cw[np.maximum(starts - 1, 0)], 0.0)
    total = cw[np.maximum(ends - 1, 0)] - before
    target = q / 100.0 * total
    target = np.where(target == 0, np.nextafter(0.0, 1.0), target)
    local_cdf = cw - before[g]
    below = np.bincount(g, weights=(local_cdf < target[g]), minlength=n_groups)
    idx = np.minimum(starts + below.astype(np.intp), np.maximum(ends - 1, 0))
    out = np.zeros(n_groups)
    has = counts > 0
    out[has] = values[order[idx[has]]]
    return out


def _avg(x, w):
    """``np.average(x, weights=w)``, NaN when the weights sum to 0 (an empty out-of-bag set)."""
    s = w.sum()
    return float(np.multiply(x, w).sum() / s) if s > 0 else float("nan")


def _softmax(F):
    Z = F - F.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    return Z


def _expit(F):
    return 0.5 * (1.0 + np.tanh(0.5 * F))


# ------------------------------------------------------------------------------------------
# losses: value (as train_score_), negative gradient, leaf line search, init
# ------------------------------------------------------------------------------------------


class _SquaredError:
    factor = 2.0

    def __call__(self, y, F, w):
        return self.factor * _avg(0.5 * (y - F[:, 0]) ** 2, w)

    def neg_gradient(self, y, F, w):
        return (y - F[:, 0])[:, None]

    def update_leaves(self, tree, leaf, y, F, g, w, k):
        return None                          # the tree's mean residual is the line search

    def init(self, y, w, weighted):
        return np.array([np.average(y, weights=w if weighted else None)])


class _AbsoluteError(_SquaredError):
    factor = 1.0

    def __call__(self, y, F, w):
        return _avg(np.abs(y - F[:, 0]), w)

    def neg_gradient(self, y, F, w):
        return np.sign(y - F[:, 0])[:, None]

    def update_leaves(self, tree, leaf, y, F, g, w, k):
        return _grouped_weighted_percentile(y - F[:, 0], w, leaf, tree.node_count, 50.0)

    def init(self, y, w, weighted):
        return np.array([_weighted_percentile(y, w, 50.0) if weighted
                         else np.percentile(y, 50.0)])


class _Quantile(_SquaredError):
    factor = 1.0

    def __init__(self, alpha):
        self.alpha = alpha

    def __call__(self, y, F, w):
        d = y - F[:, 0]
        return _avg(np.where(d >= 0, self.alpha * d, (self.alpha - 1.0) * d), w)

    def neg_gradient(self, y, F, w):
        return np.where(y > F[:, 0], self.alpha, self.alpha - 1.0)[:, None]

    def update_leaves(self, tree, leaf, y, F, g, w, k):
        return _grouped_weighted_percentile(y - F[:, 0], w, leaf, tree.node_count,
                                            100.0 * self.alpha)

    def init(self, y, w, weighted):
        q = 100.0 * self.alpha
        return np.array([_weighted_percentile(y, w, q) if weighted else np.percentile(y, q)])


class _Huber(_AbsoluteError):
    """Huber loss ``1/2 d^2`` for ``|d| <= delta``, ``delta (|d| - delta/2)`` beyond; ``delta``
    is the ``alpha`` quantile of ``|y - F|`` at the start of each stage."""

    def __init__(self, alpha):
        self.alpha = alpha
        self.delta = 1.0

    def __call__(self, y, F, w):
        d = np.abs(y - F[:, 0])
        loss = np.where(d <= self.delta, 0.5 * d * d, self.delta * (d - 0.5 * self.delta))
        return _avg(loss, w)

    def neg_gradient(self, y, F, w):
        self.delta = float(_weighted_percentile(np.abs(y - F[:, 0]), w, 100.0 * self.alpha))
        d = y - F[:, 0]
        return np.where(np.abs(d) <= self.delta, d, self.delta * np.sign(d))[:, None]

    def update_leaves(self, tree, leaf, y, F, g, w, k):
        n = tree.node_count
        d = y - F[:, 0]
        med = _grouped_weighted_percentile(d, w, leaf, n, 50.0)
        diff = d - med[leaf]
        term = np.sign(diff) * np.minimum(self.delta, np.abs(diff))
        sw = np.bincount(leaf, weights=w, minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            return med + np.bincount(leaf, weights=w * term, minlength=n) / sw


class _LogLoss:
    """Binomial (K = 2, one tree per stage) or multinomial deviance (K trees per stage)."""

    def __init__(self, n_classes):
        self.K = n_classes
        self.factor = 2.0 if n_classes == 2 else 1.0

    def __call__(self, y, F, w):
        if self.K == 2:
            loss = np.logaddexp(0.0, F[:, 0]) - y * F[:, 0]
        else:
            m = F.max(axis=1)
            loss = m + np.log(np.exp(F - m[:, None]).sum(axis=1)) - F[np.arange(len(y)), y]
        return self.factor * _avg(loss, w)

    def proba(self, F):
        if self.K == 2:
            p = _expit(F[:, 0])
            return np.column_stack([1.0 - p, p])
        return _softmax(F)

    def neg_gradient(self, y, F, w):
        if self.K == 2:
            return (y - _expit(F[:, 0]))[:, None]
        return (y[:, None] == np.arange(self.K)[None, :]) - _softmax(F)

    def update_leaves(self, tree, leaf, y, F, g, w, k):
        n = tree.node_count
        yk = y if self.K == 2 else (y == k).astype(np.float64)
        p = yk - g
        sw = np.bincount(leaf, weights=w, minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            num = np.bincount(leaf, weights=w * g, minlength=n) / sw
            den = np.bincount(leaf, weights=w * p * (1.0 - p), minlength=n) / sw
        if self.K > 2:
            num = num * (self.K - 1) / self.K
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(np.abs(den) < 1e-150, 0.0, num / den)

    def init(self, y, w, weighted):
        prior = np.bincount(y.astype(np.intp), weights=w, minlength=self.K) / w.sum()
        prior = np.clip(prior, _EPS, 1 - _EPS)
        if self.K == 2:
            return np.array([np.log(prior[1] / (1 - prior[1]))])
        logp = np.log(prior)
        return logp - logp.mean()


# ------------------------------------------------------------------------------------------
# estimators
# ------------------------------------------------------------------------------------------


class _BaseGradientBoosting(BaseEstimator):
    """The stage loop shared by the regressor and the classifier."""

    def _check_params(self):
        def real(name, lo, hi, lo_open=False, hi_open=False):
            v = getattr(self, name)
            if not isinstance(v, (numbers.Real, np.number)) or isinstance(v, bool):
                raise ValueError(f"{name} must be a number, got {v!r}")
            if v < lo or v > hi or (lo_open and v == lo) or (hi_open and v == hi):
                raise ValueError(f"{name} must be in {'(' if lo_open else '['}{lo}, {hi}"
                                 f"{')' if hi_open else ']'}, got {v!r}")

        ne = self.n_estimators
        if not isinstance(ne, (numbers.Integral, np.integer)) or isinstance(ne, bool) or ne < 1:
            raise ValueError(f"n_estimators must be an int >= 1, got {ne!r}")
        real("learning_rate", 0.0, np.inf)
        real("subsample", 0.0, 1.0, lo_open=True)
        real("validation_fraction", 0.0, 1.0, lo_open=True, hi_open=True)
        real("tol", 0.0, np.inf)
        nic = self.n_iter_no_change
        if nic is not None and (not isinstance(nic, (numbers.Integral, np.integer)) or nic < 1):
            raise ValueError(f"n_iter_no_change must be None or an int >= 1, got {nic!r}")
        if self.criterion not in ("deprecated", "friedman_mse", "squared_error"):
            raise ValueError("criterion must be 'friedman_mse' or 'squared_error', got "
                             f"{self.criterion!r}")

    def _make_tree(self, rng):
        return DecisionTreeRegressor(
            criterion="squared_error", max_depth=self.max_depth,
            min_samples_split=self.min_samples_split, min_samples_leaf=self.min_samples_leaf,
            min_weight_fraction_leaf=self.min_weight_fraction_leaf,
            max_features=self.max_features, max_leaf_nodes=self.max_leaf_nodes,
            min_impurity_decrease=self.min_impurity_decrease, ccp_alpha=self.ccp_alpha,
            random_state=rng)

    def _split_validation(self, n, y, rng):
        """Indices of a shuffled train/validation split (stratified for classifiers)."""
        frac = self.validation_fraction
        if isinstance(self, ClassifierMixin):
            val = []
            for c in np.unique(y):
                idx = rng.permutation(np.flatnonzero(y == c))
                val.append(idx[:int(round(frac * len(idx)))])
            val = np.sort(np.concatenate(val))
        else:
            val = np.sort(rng.permutation(n)[:int(np.ceil(frac * n))])
        mask = np.ones(n, dtype=bool)
        mask[val] = False
        return np.flatnonzero(mask), val

    def _init_raw(self, X, y, w, weighted, loss):
        init = self.init
        if init is None:
            self.init_ = None
            self._init_const = loss.init(y, w, weighted)
            return np.tile(self._init_const, (len(y), 1))
        if isinstance(init, str) and init == "zero":
            self.init_ = "zero"
            self._init_const = np.zeros(self.n_trees_per_iteration_)
            return np.zeros((len(y), self.n_trees_per_iteration_))
        if isinstance(init, str):
            raise ValueError(f"init must be None, 'zero' or an estimator, got {init!r}")
        from copy import deepcopy
        self.init_ = deepcopy(init)
        if weighted:
            self.init_.fit(X, y, sample_weight=w)
        else:
            self.init_.fit(X, y)
        return self._raw_from_init(X)

    def _raw_from_init(self, X):
        if self.init_ is None or isinstance(self.init_, str):
            return np.tile(self._init_const, (X.shape[0], 1))
        if isinstance(self, ClassifierMixin):
            p = np.clip(self.init_.predict_proba(X), _EPS, 1 - _EPS)
            if self.n_trees_per_iteration_ == 1:
                return np.log(p[:, 1] / (1 - p[:, 1]))[:, None]
            lp = np.log(p)
            return lp - lp.mean(axis=1, keepdims=True)
        return np.asarray(self.init_.predict(X), dtype=np.float64).reshape(-1, 1)

    def _fit_stages(self, X, y, w, weighted, loss):
        self._check_params()
        if not w.sum() > 0:
            raise ValueError("sample_weight sums to zero: nothing to fit")
        n_all, f = X.shape
        rng = check_random_state(self.random_state)
        X = X.astype(np.float32)
        if self.n_iter_no_change is not None:
            tr, va = self._split_validation(n_all, y, rng)
            X, Xv, y, yv, w, wv = X[tr], X[va], y[tr], y[va], w[tr], w[va]
            if isinstance(self, ClassifierMixin) and len(np.unique(y)) != self.n_classes_:
                raise ValueError("The training data after the early stopping split is missing "
                                 "some classes. Try using another random seed.")
        n = X.shape[0]
        K = self.n_trees_per_iteration_
        # every stage's trees split the same X: sort each feature once for all of them (the
        # builder drops out-of-bag, zero-weight samples from the shared order without re-sorting)
        presorted = np.argsort(X.T, axis=1, kind="stable").astype(np.int32)
        self.n_features_in_ = f
        self.max_features_ = DecisionTreeRegressor(max_features=self.max_features) \
            ._resolve_max_features(f)
        F = self._init_raw(X, y, w, weighted, loss)
        if self.n_iter_no_change is not None:
            Fv = self._raw_from_init(Xv)
            history = np.full(self.n_iter_no_change, np.inf)
        do_oob = self.subsample < 1.0
        n_inbag = max(1, int(self.subsample * n))
        estimators, train_score, oob_scores, oob_impr = [], [], [], []
        mask = np.ones(n, dtype=bool)
        for i in range(self.n_estimators):
            if do_oob:
                mask = np.zeros(n, dtype=bool)
                mask[rng.permutation(n)[:n_inbag]] = True
                if i == 0:
                    initial_oob = loss(y[~mask], F[~mask], w[~mask])
            G = loss.neg_gradient(y, F, w)
            ws = w * mask if do_oob else w
            stage = []
            for k in range(K):
                tree = self._make_tree(rng)
                tree._fit(X, G[:, k], ws, CRITERIA_REG, None, presorted)
                t = tree.tree_
                leaf = t.apply(X)
                inbag = np.flatnonzero(mask) if do_oob else slice(None)
                new = loss.update_leaves(t, leaf[inbag], y[inbag], F[inbag], G[inbag, k],
                                         ws[inbag], k)
                if new is not None:
                    is_leaf = t.children_left == TREE_LEAF
                    t.value[is_leaf, 0, 0] = new[is_leaf]
                F[:, k] += self.learning_rate * t.value[leaf, 0, 0]
                stage.append(tree)
            estimators.append(stage)
            if do_oob:
                train_score.append(loss(y[mask], F[mask], w[mask]))
                oob_scores.append(loss(y[~mask], F[~mask], w[~mask]))
                prev = initial_oob if i == 0 else oob_scores[-2]
                oob_impr.append(prev - oob_scores[-1])
            else:
                train_score.append(loss(y, F, w))
            if self.n_iter_no_change is not None:
                for k, tree in enumerate(stage):
                    Fv[:, k] += self.learning_rate * tree.tree_.predict(Xv)[:, 0, 0]
                vloss = loss(yv, Fv, wv)
                if np.any(vloss + self.tol < history):
                    history[i % len(history)] = vloss
                else:
                    break
        self.estimators_ = np.empty((len(estimators), K), dtype=object)
        for i, stage in enumerate(estimators):
            for k, tree in enumerate(stage):
                self.estimators_[i, k] = tree
        self.n_estimators_ = len(estimators)
        self.train_score_ = np.array(train_score)
        if do_oob:
            self.oob_scores_ = np.array(oob_scores)
            self.oob_improvement_ = np.array(oob_impr)
            self.oob_score_ = float(oob_scores[-1])
        self._loss = loss
        return self

    def _validate_predict(self, X):
        check_is_fitted(self, "estimators_")
        X = check_array(X, estimator=self)
        check_n_features(self, X)
        return X

    def _raw_predict(self, X):
        X = self._validate_predict(X)
        F = self._raw_from_init(X)
        lr = self.learning_rate
        for stage in self.estimators_:
            for k, tree in enumerate(stage):
                F[:, k] += lr * tree.tree_.predict(X)[:, 0, 0]
        return F

    def _staged_raw_predict(self, X):
        X = self._validate_predict(X)
        F = self._raw_from_init(X)
        lr = self.learning_rate
        for stage in self.estimators_:
            for k, tree in enumerate(stage):
                F[:, k] += lr * tree.tree_.predict(X)[:, 0, 0]
            yield F.copy()

    def apply(self, X):
        """Leaf index of every sample in every tree, shape (n_samples, n_estimators_, K)."""
        X = self._validate_predict(X)
        out = np.empty((X.shape[0],) + self.estimators_.shape, dtype=np.intp)
        for i, stage in enumerate(self.estimators_):
            for k, tree in enumerate(stage):
                out[:, i, k] = tree.tree_.apply(X)
        return out

    @property
    def feature_importances_(self):
        """Mean over the trees with at least one split of their un-normalised impurity
        decrease, normalised to sum to 1 (scikit-learn's definition)."""
        check_is_fitted(self, "estimators_")
        trees = [t for stage in self.estimators_ for t in stage if t.tree_.node_count > 1]
        if not trees:
            return np.zeros(self.n_features_in_)
        avg = np.mean([t.tree_.compute_feature_importances(normalize=False) for t in trees],
                      axis=0)
        return avg / avg.sum()


_COMMON_DOC = """
    Hyper-parameters (scikit-learn's names and defaults): ``learning_rate`` (shrinkage ``nu``),
    ``n_estimators``, ``subsample``, tree parameters (``max_depth=3``, ``min_samples_split``,
    ``min_samples_leaf``, ``min_weight_fraction_leaf``, ``max_features``, ``max_leaf_nodes``,
    ``min_impurity_decrease``, ``ccp_alpha``), ``init``, ``random_state``, and early stopping
    (``n_iter_no_change``: hold out ``validation_fraction`` of the data -- stratified for a
    classifier -- and stop when the validation loss has not improved by ``tol`` over the last
    ``n_iter_no_change`` stages; ``n_estimators_`` is the number of stages fitted).

    Fitted: ``estimators_`` (n_estimators_, K) of ``DecisionTreeRegressor``, ``train_score_``
    (loss after each stage, in-bag when ``subsample < 1``, with ``oob_scores_``,
    ``oob_improvement_``, ``oob_score_``), ``feature_importances_``, ``init_``.
    Not implemented: ``warm_start``, ``verbose``, ``monitor``; the random draws (subsample,
    validation split, feature order) differ from scikit-learn's generator.
"""


class GradientBoostingRegressor(RegressorMixin, _BaseGradientBoosting):
    __doc__ = ("Gradient boosting for regression: losses 'squared_error', 'absolute_error', "
               "'huber' (``alpha`` quantile as delta) and 'quantile' (``alpha``); see the "
               "module docstring for the algorithm.\n" + _COMMON_DOC)

    def __init__(self, *, loss="squared_error", learning_rate=0.1, n_estimators=100,
                 subsample=1.0, criterion="deprecated", min_samples_split=2, min_samples_leaf=1,
                 min_weight_fraction_leaf=0.0, max_depth=3, min_impurity_decrease=0.0,
                 init=None, random_state=None, max_features=None, alpha=0.9,
                 max_leaf_nodes=None, validation_fraction=0.1, n_iter_no_change=None,
                 tol=1e-4, ccp_alpha=0.0):
        self.loss = loss
        self.learning_rate = learning_rate
        self.n_estimators = n_estimators
        self.subsample = subsample
        self.criterion = criterion
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_depth = max_depth
        self.min_impurity_decrease = min_impurity_decrease
        self.init = init
        self.random_state = random_state
        self.max_features = max_features
        self.alpha = alpha
        self.max_leaf_nodes = max_leaf_nodes
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.ccp_alpha = ccp_alpha

    def _make_loss(self):
        if self.loss == "squared_error":
            return _SquaredError()
        if self.loss == "absolute_error":
            return _AbsoluteError()
        if self.loss in ("huber", "quantile"):
            if not (isinstance(self.alpha, (numbers.Real, np.number)) and 0 < self.alpha < 1):
                raise ValueError(f"alpha must be in (0, 1), got {self.alpha!r}")
            return _Huber(self.alpha) if self.loss == "huber" else _Quantile(self.alpha)
        raise ValueError("loss must be 'squared_error', 'absolute_error', 'huber' or "
                         f"'quantile', got {self.loss!r}")

    def fit(self, X, y, sample_weight=None):
        """Fit ``n_estimators`` stages on X (n_samples, n_features), y (n_samples,)."""
        X, y = check_X_y(X, y, y_numeric=True, estimator=self)
        y = y.astype(np.float64)
        weighted = sample_weight is not None
        w = check_sample_weight(sample_weight, len(y))
        self.n_trees_per_iteration_ = 1
        return self._fit_stages(X, y, w, weighted, self._make_loss())

    def predict(self, X):
        """``F_M(x)``, shape (n_samples,)."""
        return self._raw_predict(X)[:, 0]

    def staged_predict(self, X):
        """``F_m(x)`` after each stage m = 1 .. n_estimators_, each of shape (n_samples,)."""
        for F in self._staged_raw_predict(X):
            yield F[:, 0]


class GradientBoostingClassifier(ProbaClassifierMixin, _BaseGradientBoosting):
    __doc__ = ("Gradient boosting for classification with the log-loss: binomial deviance "
               "(one tree per stage, ``p = sigmoid(F)``) or multinomial deviance (K trees per "
               "stage, ``p = softmax(F)``), leaves by one Newton step; see the module "
               "docstring.\n" + _COMMON_DOC)

    def __init__(self, *, loss="log_loss", learning_rate=0.1, n_estimators=100,
                 subsample=1.0, criterion="deprecated", min_samples_split=2, min_samples_leaf=1,
                 min_weight_fraction_leaf=0.0, max_depth=3, min_impurity_decrease=0.0,
                 init=None, random_state=None, max_features=None, max_leaf_nodes=None,
                 validation_fraction=0.1, n_iter_no_change=None, tol=1e-4, ccp_alpha=0.0):
        self.loss = loss
        self.learning_rate = learning_rate
        self.n_estimators = n_estimators
        self.subsample = subsample
        self.criterion = criterion
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_depth = max_depth
        self.min_impurity_decrease = min_impurity_decrease
        self.init = init
        self.random_state = random_state
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.ccp_alpha = ccp_alpha

    def fit(self, X, y, sample_weight=None):
        """Fit on X (n_samples, n_features) and labels y (n_samples,) of any type."""
        if self.loss != "log_loss":
            raise ValueError(f"loss must be 'log_loss', got {self.loss!r} (the exponential "
                             "loss is AdaBoost's, see AdaBoostClassifier)")
        X, y = check_X_y(X, y, estimator=self)
        self.classes_, yi = encode_labels(y, min_classes=2, estimator=self)
        self.n_classes_ = len(self.classes_)
        self.n_trees_per_iteration_ = 1 if self.n_classes_ == 2 else self.n_classes_
        weighted = sample_weight is not None
        w = check_sample_weight(sample_weight, len(yi))
        yy = yi.astype(np.float64) if self.n_classes_ == 2 else yi
        return self._fit_stages(X, yy, w, weighted, _LogLoss(self.n_classes_))

    def decision_function(self, X):
        """Raw scores ``F(x)``: (n_samples,) for two classes, (n_samples, K) otherwise."""
        F = self._raw_predict(X)
        return F[:, 0] if F.shape[1] == 1 else F

    def staged_decision_function(self, X):
        """``decision_function`` after each stage."""
        for F in self._staged_raw_predict(X):
            yield F[:, 0] if F.shape[1] == 1 else F

    def predict_proba(self, X):
        """Class probabilities (sigmoid / softmax of ``F``), shape (n_samples, n_classes)."""
        F = self._raw_predict(X)  # checks fitting first (clear NotFittedError)
        return _LogLoss(self.n_classes_).proba(F)


    def staged_predict_proba(self, X):
        """``predict_proba`` after each stage."""
        loss = _LogLoss(self.n_classes_)
        for F in self._staged_raw_predict(X):
            yield loss.proba(F)


    def staged_predict(self, X):
        """``predict`` after each stage."""
        for P in self.staged_predict_proba(X):
            yield self.classes_[np.argmax(P, axis=1)]
