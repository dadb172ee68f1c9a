"""AdaBoost: SAMME for classification (Zhu et al. 2009) and AdaBoost.R2 for regression
(Drucker 1997).

SAMME (K classes; K = 2 is Freund & Schapire's discrete AdaBoost) minimises the exponential
loss ``sum_i exp(-y_i f(x_i))`` stagewise. Start from weights ``w_i = 1/n``; at round t

    fit h_t to (X, y, w)                        every sample, weighted (not only the errors)
    err_t   = sum_i w_i 1{h_t(x_i) != y_i} / sum_i w_i
    alpha_t = eta [ ln((1 - err_t)/err_t) + ln(K - 1) ]
    w_i    <- w_i exp(alpha_t 1{h_t(x_i) != y_i}),  then normalised

and predict ``argmax_k sum_t alpha_t 1{h_t(x) = k}``. (ERRATA E87: the notes say the next learner
is trained on the misclassified samples; every round uses all samples, re-weighted. For K = 2
the classic ``alpha = 1/2 ln((1-err)/err)`` with correct samples down-weighted gives the same
classifier: SAMME's alpha is twice it and only errors are up-weighted, which is the same
update after normalisation.) A round whose error is at least ``1 - 1/K`` (no better than
chance) is discarded and boosting stops; a perfect round (err = 0) stops it with alpha = 1.
For K = 2 the training error after T rounds is at most ``prod_t 2 sqrt(err_t (1 - err_t))``.

AdaBoost.R2: each round fits a learner on a weighted bootstrap sample (weights as drawing
probabilities), takes the relative losses ``L_i = |h(x_i) - y_i| / max_j |h(x_j) - y_j|``
(squared or ``1 - exp(-L_i)`` for the other losses), ``err = sum_i w_i L_i``,
``beta = err / (1 - err)``, ``alpha = eta ln(1/beta)``, ``w_i <- w_i beta^(eta (1 - L_i))``; stops
when err >= 0.5. Prediction: the alpha-weighted median of the learners' predictions.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..base import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    check_is_fitted,
    check_n_features,
    check_random_state,
    check_sample_weight,
    encode_labels,
)
from ..tree import DecisionTreeClassifier, DecisionTreeRegressor
from ..tree._tree import CRITERIA_CLF
from ...validation import check_array, check_X_y
from ._base import fit_accepts_sample_weight, make_member, member_seeds

__all__ = ["AdaBoostClassifier", "AdaBoostRegressor"]


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class BaseWeightBoosting(BaseEstimator):
    """Shared boosting loop: weights start uniform, each round re-weights them."""

    def _check_params(self):
        if not isinstance(self.n_estimators, (numbers.Integral, np.integer)) or \
                self.n_estimators < 1:
            raise ValueError(f"n_estimators must be an int >= 1, got {self.n_estimators!r}")
        if not isinstance(self.learning_rate, (numbers.Real, np.floating)) or \
                self.learning_rate <= 0:
            raise ValueError(f"learning_rate must be a float > 0, got {self.learning_rate!r}")

    def _validate_X_predict(self, X):
        check_is_fitted(self, "estimators_")
        X = check_array(X, estimator=self)
        check_n_features(self, X)
        return X

    def _boost_all(self, X, y, sample_weight):
        n = X.shape[0]
        self.n_features_in_ = X.shape[1]
        w = check_sample_weight(sample_weight, n).copy()
        if w.sum() <= 0:
            raise ValueError("sample_weight sums to zero: nothing to fit")
        w /= w.sum()
        rng = check_random_state(self.random_state)
        seeds = member_seeds(rng, self.n_estimators)
        self.estimators_ = []
        self.estimator_weights_ = np.zeros(self.n_estimators)
        self.estimator_errors_ = np.ones(self.n_estimators)
        eps = np.finfo(np.float64).eps
        for t in range(self.n_estimators):
            w = np.clip(w, eps, None)   # weights that underflow to 0 would drop samples
            w, alpha, err = self._boost(t, X, y, w, seeds[t])
            if w is None:
                break
            self.estimator_weights_[t] = alpha
            self.estimator_errors_[t] = err
            if err == 0:
                break
            total = w.sum()
            if not np.isfinite(total) or total <= 0:
                break
            if t < self.n_estimators - 1:
                w = w / total
        return self

    @property
    def feature_importances_(self):
        """Alpha-weighted mean of the learners' ``feature_importances_``."""
        check_is_fitted(self, "estimators_")
        k = len(self.estimators_)
        weights = self.estimator_weights_[:k]
        if weights.sum() <= 0:
            return np.zeros(self.n_features_in_)
        imps = np.array([e.feature_importances_ for e in self.estimators_])
        return weights @ imps / weights.sum()


class AdaBoostClassifier(ClassifierMixin, BaseWeightBoosting):
    """AdaBoost-SAMME classifier (default learner: a depth-1 tree, a decision stump).

    Fitted: ``estimators_``, ``estimator_weights_`` (alpha_t), ``estimator_errors_``
    (weighted error err_t), ``classes_``, ``n_classes_``. The learner's ``fit`` must accept
    ``sample_weight``.
    """

    def __init__(self, estimator=None, *, n_estimators=50, learning_rate=1.0,
                 random_state=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Boost ``n_estimators`` rounds on X (n_samples, n_features), labels y."""
        self._check_params()
        X, y = check_X_y(X, y, estimator=self)
        self.classes_, yi = encode_labels(y, min_classes=1, estimator=self)
        self.n_classes_ = len(self.classes_)
        template = self.estimator if self.estimator is not None else \
            DecisionTreeClassifier(max_depth=1)
        if not fit_accepts_sample_weight(template):
            raise ValueError(f"AdaBoostClassifier re-weights the samples every round, but "
                             f"{type(template).__name__}.fit does not accept sample_weight; "
                             "use an estimator that supports sample weights.")
        self.estimator_ = template
        # A plain tree learner (the default stump included) sees the same X every round: cast
        # it to float32 and sort each feature once here, and let every round's tree reuse the
        # order (the weights change, the order does not) instead of validating and sorting again.
        self._shared_tree_input = None
        if type(template) is DecisionTreeClassifier and template.class_weight is None:
            X32 = np.asarray(X, dtype=np.float32)
            presorted = np.argsort(X32.T, axis=1, kind="stable").astype(np.int32)
            self._shared_tree_input = (X32, presorted, encode_labels(yi)[0])
        try:
            return self._boost_all(X, yi, sample_weight)
        finally:
            del self._shared_tree_input

    def _fit_member(self, est, X, y, w):
        """``est.fit(X, y, sample_weight=w)``; the learner's predictions on ``X``."""
        if self._shared_tree_input is None:
            est.fit(X, y, sample_weight=w)
            return np.asarray(est.predict(X))
        X32, presorted, classes = self._shared_tree_input
        est.classes_, est.n_classes_ = classes, len(classes)
        est._fit(X32, y, w, CRITERIA_CLF, len(classes), presorted)
        return classes[est.tree_.predict(X32)[:, 0, :].argmax(axis=1)]

    def _boost(self, t, X, y, w, seed):
        est = make_member(self.estimator_, seed)
        incorrect = self._fit_member(est, X, y, w) != y
        self.estimators_.append(est)
        err = float(np.average(incorrect, weights=w))
        if err <= 0:
            return w, 1.0, 0.0
        K = self.n_classes_
        if err >= 1.0 - 1.0 / K:
            self.estimators_.pop(-1)
            if not self.estimators_:
                raise ValueError("BaseClassifier in AdaBoostClassifier ensemble is worse than "
                                 "random, ensemble can not be fit.")
            return None, None, None
        alpha = self.learning_rate * (np.log((1.0 - err) / err) + np.log(K - 1.0))
        if t != self.n_estimators - 1:
            w = np.exp(np.log(w) + alpha * incorrect * (w > 0))
        return w, float(alpha), err

    def _votes(self, est, X):
        """SAMME's symmetric coding: +1 for the predicted class, -1/(K-1) for the others."""
        hit = np.asarray(est.predict(X))[:, None] == np.arange(self.n_classes_)
        return np.where(hit, 1.0, -1.0 / (self.n_classes_ - 1))

    def _to_decision(self, score):
        if self.n_classes_ == 2:
            return score[:, 1] - score[:, 0]
        return score

    def staged_decision_function(self, X):
        """``decision_function`` after each round (a generator)."""
        X = self._validate_X_predict(X)
        score = np.zeros((X.shape[0], self.n_classes_))
        norm = 0.0
        for est, alpha in zip(self.estimators_, self.estimator_weights_):
            score += alpha * self._votes(est, X)
            norm += alpha
            yield self._to_decision(score / norm)

    def decision_function(self, X):
        """``f_k(x) = sum_t alpha_t c_tk(x) / sum_t alpha_t`` with ``c_tk = 1`` if ``h_t(x) = k``
        else ``-1/(K-1)`` (Zhu et al.'s symmetric coding): (n_samples, n_classes), or for two
        classes ``f_1 - f_0``, shape (n_samples,)."""
        out = None
        for decision in self.staged_decision_function(X):
            out = decision
        return out

    def _proba_from_decision(self, decision):
        K = self.n_classes_
        if K == 2:
            decision = np.column_stack([-decision, decision]) / 2.0
        else:
            decision = decision / (K - 1)
        return _softmax(decision)

    def predict_proba(self, X):
        """``softmax(decision / (K - 1))`` (scikit-learn's SAMME probabilities)."""
        check_is_fitted(self, "estimators_")
        if self.n_classes_ == 1:
            return np.ones((self._validate_X_predict(X).shape[0], 1))
        return self._proba_from_decision(self.decision_function(X))

    def staged_predict_proba(self, X):
        """``predict_proba`` after each round (a generator)."""
        for d in self.staged_decision_function(X):
            yield self._proba_from_decision(d)

    def _decision_to_label(self, d):
        if self.n_classes_ == 2:
            return self.classes_[(d > 0).astype(int)]
        return self.classes_[np.argmax(d, axis=1)]

    def predict(self, X):
        """Class of largest alpha-weighted vote, shape (n_samples,)."""
        check_is_fitted(self, "estimators_")
        if self.n_classes_ == 1:
            return np.repeat(self.classes_, self._validate_X_predict(X).shape[0])
        return self._decision_to_label(self.decision_function(X))

    def staged_predict(self, X):
        """``predict`` after each round (a generator)."""
        for d in self.staged_decision_function(X):
            yield self._decision_to_label(d)

    def staged_score(self, X, y, sample_weight=None):
        """Accuracy after each round (a generator)."""
        y = np.asarray(y)
        for pred in self.staged_predict(X):
            yield float(np.average(pred == y, weights=sample_weight))


class AdaBoostRegressor(RegressorMixin, BaseWeightBoosting):
    """AdaBoost.R2 regressor (default learner: a depth-3 regression tree); predicts the
    alpha-weighted median of the learners. ``loss``: 'linear', 'square' or 'exponential'."""

    def __init__(self, estimator=None, *, n_estimators=50, learning_rate=1.0, loss="linear",
                 random_state=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.loss = loss
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Boost ``n_estimators`` rounds on X (n_samples, n_features), targets y."""
        self._check_params()
        if self.loss not in ("linear", "square", "exponential"):
            raise ValueError(f"loss must be 'linear', 'square' or 'exponential', got "
                             f"{self.loss!r}")
        X, y = check_X_y(X, y, y_numeric=True, estimator=self)
        self.estimator_ = self.estimator if self.estimator is not None else \
            DecisionTreeRegressor(max_depth=3)
        return self._boost_all(X, y.astype(np.float64), sample_weight)

    def _boost(self, t, X, y, w, seed):
        est = make_member(self.estimator_, seed)
        n = X.shape[0]
        draw = np.random.default_rng([int(seed), 5]).choice(n, n, replace=True, p=w / w.sum())
        est.fit(X[draw], y[draw])
        self.estimators_.append(est)
        error = np.abs(np.asarray(est.predict(X)) - y)
        mask = w > 0
        loss = error[mask]
        top = loss.max()
        if top != 0:
            loss = loss / top
        if self.loss == "square":
            loss = loss ** 2
        elif self.loss == "exponential":
            loss = 1.0 - np.exp(-loss)
        err = float(np.sum(w[mask] * loss))
        if err <= 0:
            return w, 1.0, 0.0
        if err >= 0.5:
            if len(self.estimators_) > 1:
                self.estimators_.pop(-1)
            return None, None, None
        beta = err / (1.0 - err)
        alpha = self.learning_rate * np.log(1.0 / beta)
        if t != self.n_estimators - 1:
            w = w.copy()
            w[mask] *= np.power(beta, (1.0 - loss) * self.learning_rate)
        return w, float(alpha), err

    def _weighted_median(self, X, limit):
        preds = np.column_stack([est.predict(X) for est in self.estimators_[:limit]])
        order = np.argsort(preds, axis=1)
        cdf = np.cumsum(self.estimator_weights_[:limit][order], axis=1)
        at_or_above = cdf >= 0.5 * cdf[:, -1:]
        pick = order[np.arange(len(X)), np.argmax(at_or_above, axis=1)]
        return preds[np.arange(len(X)), pick]

    def predict(self, X):
        """Alpha-weighted median of the learners' predictions, shape (n_samples,)."""
        X = self._validate_X_predict(X)
        return self._weighted_median(X, len(self.estimators_))

    def staged_predict(self, X):
        """``predict`` after each round (a generator)."""
        X = self._validate_X_predict(X)
        for t in range(1, len(self.estimators_) + 1):
            yield self._weighted_median(X, t)

    def staged_score(self, X, y, sample_weight=None):
        """R^2 after each round (a generator)."""
        y = np.asarray(y, dtype=float)
        w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
        for pred in self.staged_predict(X):
            ss_res = np.sum(w * (y - pred) ** 2)
            ss_tot = np.sum(w * (y - np.average(y, weights=w)) ** 2)
            yield float(1 - ss_res / ss_tot) if ss_tot > 0 else 0.0
