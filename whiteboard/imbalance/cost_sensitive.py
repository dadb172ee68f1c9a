"""Cost-sensitive learning: class weights, sample weights and AdaCost.

Class weights turn unequal misclassification costs into weights on the loss: with weight w_k for
class k, a learner minimising Σ_i w_{y_i} ℓ(x_i, y_i) pays w_k per unit loss on class k.
'balanced' sets w_k = n / (K · n_k) (n samples, K classes, n_k in class k), so every class carries
the same total weight n / K — the re-weighting equivalent of balancing the classes by resampling.

AdaCost (Fan, Stolfo, Zhang & Chan 1999) puts a misclassification cost c_i ∈ [0, 1] on each
sample inside AdaBoost's weight update, so costly samples gain weight faster when misclassified
and lose it more slowly when classified correctly (the notes' "代价高样本权重增加得大降低得慢").
"""

from __future__ import annotations

import numbers

import numpy as np

from ..ml.base import (
    BaseEstimator,
    ClassifierMixin,
    check_is_fitted,
    check_n_features,
    check_random_state,
    check_sample_weight,
    encode_labels,
)
from ._estimators import clone_estimator, default_estimator, seeded
from ..validation import check_array, check_X_y

__all__ = ["AdaCostClassifier", "compute_class_weight", "compute_sample_weight"]


def compute_class_weight(class_weight, *, classes, y, sample_weight=None):
    """Weight of each class in ``classes`` (K,), with scikit-learn's semantics.

    - None or {}: ones.
    - 'balanced': w_k = Σ_i s_i / (K_y · Σ_{i: y_i = k} s_i), with s the sample weights (ones by
      default) and K_y the number of distinct labels in ``y``; every class of ``classes`` must
      occur in ``y``.
    - dict {class: weight}: the given weights, 1 for classes not listed; a key that is not in
      ``classes`` is an error when some class is left unweighted.

    Every label of ``y`` must be in ``classes``.
    """
    classes = np.asarray(classes)
    y = np.asarray(y)
    y_classes, y_ind = np.unique(y, return_inverse=True)
    missing = set(y_classes.tolist()) - set(classes.tolist())
    if missing:
        raise ValueError(
            f"classes should include all valid labels that can be in y; y has "
            f"{sorted(missing, key=repr)} not in classes={classes.tolist()}"
        )
    if class_weight is None or (isinstance(class_weight, dict) and not class_weight):
        return np.ones(len(classes))
    if isinstance(class_weight, str):
        if class_weight != "balanced":
            raise ValueError(
                f"class_weight must be 'balanced', a dict or None, got {class_weight!r}"
            )
        absent = set(classes.tolist()) - set(y_classes.tolist())
        if absent:
            raise ValueError(
                f"classes should have valid labels that are in y; classes "
                f"{sorted(absent, key=repr)} do not occur in y"
            )
        s = check_sample_weight(sample_weight, len(y))
        counts = np.bincount(y_ind.reshape(-1), weights=s, minlength=len(y_classes))
        recip = counts.sum() / (len(y_classes) * counts)
        return recip[np.searchsorted(y_classes, classes)]
    if not isinstance(class_weight, dict):
        raise ValueError(  # noqa: TRY004 (scikit-learn raises ValueError here too)
            f"class_weight must be 'balanced', a dict or None, got {class_weight!r}"
        )
    weight = np.ones(len(classes))
    unweighted = []
    for i, c in enumerate(classes.tolist()):
        if c in class_weight:
            weight[i] = class_weight[c]
        else:
            unweighted.append(c)
    if unweighted and len(classes) - len(unweighted) != len(class_weight):
        raise ValueError(f"The classes, {unweighted}, are not in class_weight")
    return weight


def compute_sample_weight(class_weight, y, *, indices=None):
    """Per-sample weights (n,) = the class weight of each sample's label (scikit-learn's).

    ``y`` may be (n,) or (n, n_outputs); for several outputs ``class_weight`` is 'balanced' or a
    list of one dict per output, and the weights of the outputs multiply. With ``indices`` (a
    bootstrap subsample, 'balanced' only) the weights are computed on ``y[indices]`` and samples of
    classes absent from the subsample get 0.
    """
    y = np.atleast_1d(np.asarray(y))
    if y.ndim == 1:
        y = y.reshape(-1, 1)
    n_outputs = y.shape[1]
    if indices is not None and class_weight != "balanced":
        raise ValueError(
            f"The only valid class_weight for subsampling is 'balanced'. Given {class_weight}."
        )
    if n_outputs > 1:
        if class_weight is None or isinstance(class_weight, dict):
            raise ValueError(
                "For multi-output, class_weight should be a list of dicts, or the string "
                "'balanced'."
            )
        if isinstance(class_weight, list) and len(class_weight) != n_outputs:
            raise ValueError(
                f"For multi-output, number of elements in class_weight should match number of "
                f"outputs. Got {len(class_weight)} element(s) while having {n_outputs} outputs."
            )
    out = np.ones(y.shape[0])
    for k in range(n_outputs):
        y_k = y[:, k]
        classes = np.unique(y_k)
        cw = class_weight if class_weight == "balanced" or n_outputs == 1 else class_weight[k]
        if indices is not None:
            y_sub = y_k[indices]
            sub_classes = np.unique(y_sub)
            w = compute_class_weight(cw, classes=sub_classes, y=y_sub)
            w = np.take(w, np.searchsorted(sub_classes, classes), mode="clip")
            w = np.where(np.isin(classes, sub_classes), w, 0.0)
        else:
            w = compute_class_weight(cw, classes=classes, y=y_k)
        out *= w[np.searchsorted(classes, y_k)]
    return out


def adacost_beta(correct, cost):
    """Fan et al.'s cost-adjustment function β(sign(y h(x)), c) for c ∈ [0, 1].

    β₊ = −0.5 c + 0.5 for a correct prediction (a costly sample loses weight slowly: β₊(1) = 0),
    β₋ = 0.5 c + 0.5 for a wrong one (a costly sample gains weight fast: β₋(1) = 1).
    """
    cost = np.asarray(cost, dtype=np.float64)
    return np.where(correct, 0.5 - 0.5 * cost, 0.5 + 0.5 * cost)


class AdaCostClassifier(ClassifierMixin, BaseEstimator):
    """AdaCost: AdaBoost whose weight update is scaled by each sample's misclassification cost.

    Binary labels are coded y ∈ {−1, +1} (+1 = ``classes_[1]``); the weak hypotheses are the base
    estimator's predictions h_t(x) ∈ {−1, +1}. With costs c_i ∈ [0, 1] (Fan et al. 1999):

        D_1(i) = c_i s_i / Σ_j c_j s_j                      (s: sample_weight)
        for t = 1..T:
            h_t  = base estimator fitted with sample_weight D_t
            u_i  = y_i h_t(x_i) β(sign(y_i h_t(x_i)), c_i)  (β from ``adacost_beta``)
            r_t  = Σ_i D_t(i) u_i
            α_t  = learning_rate · ½ ln((1 + r_t) / (1 − r_t))
            D_{t+1}(i) = D_t(i) exp(−α_t u_i) / Z_t
        f(x) = Σ_t α_t h_t(x),   H(x) = sign(f(x))

    Boosting stops early when a learner has r_t <= 0 (no edge under the cost-adjusted weights: it
    is discarded, and if it is the first one ``fit`` raises, since α <= 0 would invert it) or
    classifies every sample of positive weight correctly (kept, then stop).

    Note the update shrinks AdaBoost's step: with β <= 1 a correct sample of cost 1 contributes 0
    to r and keeps its weight, so with costs near 1 the edge r can be <= 0 for a learner that is
    better than chance — AdaCost is sensitive to the costs (Ting 2000). The default costs are
    therefore inverse class frequencies scaled to at most 0.25.

    Parameters
    ----------
    estimator : classifier or None
        Weak learner accepting ``sample_weight``; None means the library's own
        ``whiteboard.ml.tree.DecisionTreeClassifier(max_depth=1)``, imported during ``fit``.
    n_estimators : int, default=50
    learning_rate : float, default=1.0
    cost : None, 'balanced' or dict {class: cost in [0, 1]}, default=None
        Misclassification cost of the samples of each class. None: c_k = 0.25 · n_min / n_k;
        'balanced': c_k = n_min / n_k (the minority class costs 1); n_k counts sample weights.
    random_state : int, Generator or None
        Seeds the base estimators' ``random_state``.

    Attributes
    ----------
    classes_ : ndarray (2,)
    estimators_ : list of fitted base estimators
    estimator_weights_ : ndarray (n_fitted,) — the α_t
    estimator_edges_ : ndarray (n_fitted,) — the r_t
    cost_ : ndarray (2,) — the cost of each class of ``classes_``
    n_features_in_ : int

    Shapes: X (n, d), y (n,); decision_function (n,) = f(x); predict_proba (n, 2) with
    P(+1 | x) = 1 / (1 + exp(−2 f(x))) (Friedman, Hastie & Tibshirani's link for AdaBoost; the
    paper defines no probability).
    """

    def __init__(self, estimator=None, n_estimators=50, learning_rate=1.0, cost=None,
                 random_state=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.cost = cost
        self.random_state = random_state

    def _class_costs(self, counts):
        if self.cost is None:
            return 0.25 * counts.min() / counts
        if isinstance(self.cost, str) and self.cost == "balanced":
            return counts.min() / counts
        if not isinstance(self.cost, dict):
            raise ValueError(  # noqa: TRY004 (scikit-learn's parameter errors are ValueError)
                f"cost must be None, 'balanced' or a dict {{class: cost}}, got {self.cost!r}"
            )
        missing = [c for c in self.classes_.tolist() if c not in self.cost]
        if missing:
            raise ValueError(f"cost must give a cost for every class; missing {missing}")
        costs = np.array([self.cost[c] for c in self.classes_.tolist()], dtype=np.float64)
        if not np.all((costs >= 0) & (costs <= 1)):
            raise ValueError(f"cost values must lie in [0, 1], got {self.cost}")
        return costs

    def fit(self, X, y, sample_weight=None):
        """Boost on ``X`` (n, d), binary ``y`` (n,); returns self."""
        X, y = check_X_y(X, y, estimator=self)
        self.classes_, y_idx = encode_labels(y, estimator=self)
        if len(self.classes_) != 2:
            raise ValueError(
                f"Only binary classification is supported by AdaCostClassifier (Fan et al.'s "
                f"y ∈ {{-1, +1}}); y has "
                f"{len(self.classes_)} classes {self.classes_.tolist()}"
            )
        if not isinstance(self.n_estimators, numbers.Integral) or self.n_estimators < 1:
            raise ValueError(f"n_estimators must be a positive integer, got {self.n_estimators!r}")
        if not self.learning_rate > 0:
            raise ValueError(f"learning_rate must be > 0, got {self.learning_rate!r}")
        self.n_features_in_ = X.shape[1]
        s = check_sample_weight(sample_weight, len(y))
        class_weight = np.bincount(y_idx, weights=s, minlength=2)
        if class_weight.sum() <= 0:
            raise ValueError("sample_weight is zero for every sample: nothing to learn from")
        if (class_weight <= 0).any():
            empty = self.classes_[class_weight <= 0].tolist()
            raise ValueError(
                f"AdaCostClassifier needs samples of both classes with positive weight; class "
                f"{empty} has total sample_weight 0"
            )
        self.cost_ = self._class_costs(class_weight)
        c = self.cost_[y_idx]
        signs = 2.0 * y_idx - 1.0
        D = c * s
        if D.sum() <= 0:
            raise ValueError("the costs times sample_weight sum to zero: nothing to learn from")
        D = D / D.sum()
        rng = check_random_state(self.random_state)
        base = self.estimator if self.estimator is not None else default_estimator("stump")
        self.estimators_, alphas, edges = [], [], []
        for _ in range(self.n_estimators):
            est = seeded(clone_estimator(base), rng)
            est.fit(X, y, sample_weight=D)
            h = np.where(est.predict(X) == self.classes_[1], 1.0, -1.0)
            margin = signs * h
            u = margin * adacost_beta(margin > 0, c)
            r = float(np.dot(D, u))
            if r <= 0:
                if self.estimators_:
                    break
                raise ValueError(
                    f"AdaCost's first weak learner has edge r = {r:.4g} <= 0 under the "
                    f"cost-adjusted weights (class costs {self.cost_.tolist()}): costs near 1 "
                    "make β₊ ≈ 0 so correct samples add nothing to r; lower the cost"
                )
            r = min(r, 1.0 - 1e-12)
            alpha = self.learning_rate * 0.5 * np.log((1.0 + r) / (1.0 - r))
            self.estimators_.append(est)
            alphas.append(alpha)
            edges.append(r)
            if np.all(margin[D > 0] > 0):
                break
            D = D * np.exp(-alpha * u)
            D /= D.sum()
        self.estimator_weights_ = np.array(alphas)
        self.estimator_edges_ = np.array(edges)
        return self

    def decision_function(self, X):
        """f(x) = Σ_t α_t h_t(x), shape (n,); positive means ``classes_[1]``."""
        check_is_fitted(self, "estimators_")
        X = check_array(X, estimator=self)
        check_n_features(self, X)
        f = np.zeros(X.shape[0])
        for alpha, est in zip(self.estimator_weights_, self.estimators_):
            f += alpha * np.where(est.predict(X) == self.classes_[1], 1.0, -1.0)
        return f

    def predict(self, X):
        """H(x) = sign(f(x)) as labels of ``classes_`` (f = 0 goes to ``classes_[0]``)."""
        f = self.decision_function(X)  # checks fitted before classes_ is read
        return self.classes_[(f > 0).astype(int)]

    def predict_proba(self, X):
        """(n, 2) probabilities through the logistic link P(+1|x) = 1 / (1 + exp(−2 f(x)))."""
        p1 = 1.0 / (1.0 + np.exp(-2.0 * self.decision_function(X)))
        return np.column_stack([1.0 - p1, p1])

    def _update_sklearn_tags(self, tags):
        tags.classifier_tags.multi_class = False
        return tags
