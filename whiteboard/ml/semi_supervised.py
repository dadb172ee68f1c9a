"""Self-training (pseudo-labelling): a supervised classifier teaches itself on unlabelled data.

Labels ``y == -1`` mark the unlabelled samples. Starting from the labelled set L₀, iteration
t = 1, 2, ... fits the base classifier on L_{t−1} and predicts p(c | x) for every unlabelled x;
the confident ones get their predicted label ŷ = argmax_c p(c | x) as a pseudo-label and join the
labelled set:

    criterion='threshold'   S_t = {x unlabelled : max_c p(c | x) > threshold}
    criterion='k_best'      S_t = the k_best unlabelled x with the largest max_c p(c | x)
    L_t = L_{t−1} ∪ S_t

until every sample is labelled (``termination_condition_ = 'all_labeled'``), no sample is
selected (``'no_change'``) or ``max_iter`` iterations ran (``'max_iter'``); the classifier is then
refitted once more on the final labelled set. ``transduction_`` holds the labels used for the
final fit (-1 for those never labelled), ``labeled_iter_`` the iteration at which each sample got
its label (0: labelled from the start, -1: never). Pseudo-labels are never revised, so early
mistakes are kept (confirmation bias): the threshold trades how many unlabelled samples are used
against how many of their labels are wrong.

The same algorithm, arguments, defaults and attributes as scikit-learn's
``sklearn.semi_supervised.SelfTrainingClassifier`` (ties in ``k_best`` are broken the same way,
by ``np.argpartition``), except that string label arrays are accepted (as object arrays, where
the int -1 marks the unlabelled samples) instead of refused.
"""

import numbers
import warnings

import numpy as np

from .base import (
    BaseEstimator, ClassifierMixin, DataConversionWarning, _sklearn_flavoured, check_array,
    check_is_fitted,
    check_n_features,
)
from .ensemble._base import clone_estimator

__all__ = ["SelfTrainingClassifier"]


class SelfTrainingClassifier(ClassifierMixin, BaseEstimator):
    """Self-training meta-classifier around ``estimator`` (which needs ``predict_proba``).

    Parameters: ``estimator`` (a classifier with ``fit`` and ``predict_proba``), ``threshold``
    (in [0, 1); used with ``criterion='threshold'``), ``criterion`` (``'threshold'`` or
    ``'k_best'``), ``k_best`` (≥ 1, samples added per iteration with ``'k_best'``), ``max_iter``
    (≥ 0 or None for no limit), ``verbose``.

    Attributes after ``fit``: ``estimator_`` (the fitted clone), ``classes_``, ``transduction_``,
    ``labeled_iter_``, ``n_iter_``, ``termination_condition_``, ``n_features_in_``.
    """

    def __init__(self, estimator=None, threshold=0.75, criterion="threshold", k_best=10,
                 max_iter=10, verbose=False):
        self.estimator = estimator
        self.threshold = threshold
        self.criterion = criterion
        self.k_best = k_best
        self.max_iter = max_iter
        self.verbose = verbose

    def _check_parameters(self):
        name = type(self).__name__
        if self.estimator is None or not hasattr(self.estimator, "fit"):
            raise ValueError(f"{name}: estimator must be a classifier with fit and "
                             f"predict_proba, got {self.estimator!r}")
        if not hasattr(self.estimator, "predict_proba"):
            raise ValueError(f"{name}: estimator {type(self.estimator).__name__} has no "
                             f"predict_proba, which self-training needs for its confidences")
        if (isinstance(self.threshold, bool) or not isinstance(self.threshold, numbers.Real)
                or not 0.0 <= self.threshold < 1.0):
            raise ValueError(f"{name}: threshold must be a number in [0, 1), got "
                             f"{self.threshold!r}")
        if self.criterion not in ("threshold", "k_best"):
            raise ValueError(f"{name}: criterion must be 'threshold' or 'k_best', got "
                             f"{self.criterion!r}")
        if (isinstance(self.k_best, bool) or not isinstance(self.k_best, numbers.Integral)
                or self.k_best < 1):
            raise ValueError(f"{name}: k_best must be an integer >= 1, got {self.k_best!r}")
        if self.max_iter is not None and (
                isinstance(self.max_iter, bool) or not isinstance(self.max_iter, numbers.Integral)
                or self.max_iter < 0):
            raise ValueError(f"{name}: max_iter must be an integer >= 0 or None, got "
                             f"{self.max_iter!r}")

    def fit(self, X, y):
        """Self-train on ``X`` (n, d) with labels ``y`` (n,), ``-1`` marking unlabelled rows."""
        self._check_parameters()
        X = check_array(X, estimator=self)
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y "
                             "is None")
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            warnings.warn("A column-vector y was passed when a 1d array was expected. Please "
                          "change the shape of y to (n_samples,), for example using ravel().",
                          _sklearn_flavoured(DataConversionWarning, "DataConversionWarning"),
                          stacklevel=2)
            y = y.ravel()
        if y.ndim != 1 or y.shape[0] != X.shape[0]:
            raise ValueError(f"{type(self).__name__}: y must have shape ({X.shape[0]},) to match "
                             f"X {X.shape}, got {y.shape}")
        if y.dtype.kind in "US":
            # scikit-learn refuses str arrays; as object they hold labels beside the int -1
            y = y.astype(object)
        self.n_features_in_ = X.shape[1]
        self.estimator_ = clone_estimator(self.estimator)
        has_label = y != -1
        if not has_label.any():
            raise ValueError(f"{type(self).__name__}: y has no labelled sample (all are -1)")
        if has_label.all():
            warnings.warn("y contains no unlabeled samples", UserWarning, stacklevel=2)
        if self.criterion == "k_best" and self.k_best > X.shape[0] - has_label.sum():
            warnings.warn("k_best is larger than the amount of unlabeled samples. All unlabeled "
                          "samples will be labeled in the first iteration", UserWarning,
                          stacklevel=2)

        self.transduction_ = np.copy(y)
        self.labeled_iter_ = np.full_like(y, -1)
        self.labeled_iter_[has_label] = 0
        self.n_iter_ = 0
        while not has_label.all() and (self.max_iter is None or self.n_iter_ < self.max_iter):
            self.n_iter_ += 1
            self.estimator_.fit(X[has_label], self.transduction_[has_label])
            prob = self.estimator_.predict_proba(X[~has_label])
            pred = self.estimator_.classes_[np.argmax(prob, axis=1)]
            max_proba = prob.max(axis=1)
            if self.criterion == "threshold":
                selected = max_proba > self.threshold
            else:
                n_select = min(self.k_best, max_proba.shape[0])
                if n_select == max_proba.shape[0]:
                    selected = np.ones_like(max_proba, dtype=bool)
                else:
                    selected = np.argpartition(-max_proba, n_select)[:n_select]
            chosen = np.flatnonzero(~has_label)[selected]
            self.transduction_[chosen] = pred[selected]
            has_label[chosen] = True
            self.labeled_iter_[chosen] = self.n_iter_
            if chosen.shape[0] == 0:
                self.termination_condition_ = "no_change"
                break
            if self.verbose:
                print(f"End of iteration {self.n_iter_}, added {chosen.shape[0]} new labels.")
        if self.n_iter_ == self.max_iter:
            self.termination_condition_ = "max_iter"
        if has_label.all():
            self.termination_condition_ = "all_labeled"
        self.estimator_.fit(X[has_label], self.transduction_[has_label])
        self.classes_ = self.estimator_.classes_
        return self

    def _checked(self, X):
        check_is_fitted(self, "estimator_")
        X = check_array(X, estimator=self)
        check_n_features(self, X)
        return X

    def predict(self, X):
        """Labels predicted by the final fitted estimator."""
        X = self._checked(X)
        return self.estimator_.predict(X)

    def predict_proba(self, X):
        """Class probabilities (n, n_classes) of the final fitted estimator."""
        X = self._checked(X)
        return self.estimator_.predict_proba(X)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba` (the estimator's own when it has one)."""
        X = self._checked(X)
        if hasattr(self.estimator_, "predict_log_proba"):
            return self.estimator_.predict_log_proba(X)
        with np.errstate(divide="ignore"):
            return np.log(self.estimator_.predict_proba(X))

    def decision_function(self, X):
        """The final estimator's decision function."""
        if not hasattr(self.estimator, "decision_function"):
            raise AttributeError(f"{type(self.estimator).__name__} has no decision_function")
        X = self._checked(X)
        return self.estimator_.decision_function(X)
