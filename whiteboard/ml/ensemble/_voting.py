"""Voting ensembles: combine already-different models by a (weighted) vote or average.

Hard voting (classification): each member m predicts a class ĉ_m(x); the ensemble predicts

    ŷ(x) = argmax_c Σ_m w_m · [ĉ_m(x) = c]                    (ties: the smallest class index)

Soft voting: the members' class probabilities are averaged, ŷ(x) = argmax_c Σ_m w_m p_m(c | x) /
Σ_m w_m. Regression: ŷ(x) = Σ_m w_m f_m(x) / Σ_m w_m. Unlike bagging or boosting the members are
arbitrary, typically different algorithms; averaging helps as far as their errors are not
correlated (the variance of a mean of M models with pairwise error correlation ρ is
ρσ² + (1 − ρ)σ²/M).

A member may be the string ``'drop'`` (left out; scikit-learn's convention). Members are cloned
before fitting; hyper-parameters of members are reachable as ``<name>__<param>`` (so
``GridSearchCV`` can tune them).
"""

import numpy as np

from ..base import (
    BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin, check_array,
    check_is_fitted, check_X_y, encode_labels,
)
from ._base import clone_estimator, fit_accepts_sample_weight, parallel_map

__all__ = ["VotingClassifier", "VotingRegressor"]


class _BaseVoting(TransformerMixin, BaseEstimator):
    def _validate_estimators(self):
        name = type(self).__name__
        if not isinstance(self.estimators, (list, tuple)) or len(self.estimators) == 0:
            raise ValueError(f"{name}: estimators must be a non-empty list of (name, estimator) "
                             f"tuples, got {self.estimators!r}")
        names, members = [], []
        for item in self.estimators:
            if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)):
                raise ValueError(f"{name}: each entry of estimators must be a (name, estimator) "
                                 f"tuple, got {item!r}")
            names.append(item[0])
            members.append(item[1])
        if len(set(names)) != len(names):
            raise ValueError(f"{name}: names provided are not unique: {names!r}")
        for n in names:
            if "__" in n:
                raise ValueError(f"{name}: estimator names must not contain __: got {n!r}")
            if n in self._get_param_names():
                raise ValueError(f"{name}: estimator names conflict with constructor "
                                 f"arguments: {n!r}")
        if all(isinstance(m, str) and m == "drop" for m in members):
            raise ValueError(f"{name}: all estimators are 'drop'; at least one is required")
        for n, m in zip(names, members):
            if not (isinstance(m, str) and m == "drop") and not hasattr(m, "fit"):
                raise TypeError(f"{name}: estimator {n!r} has no fit method: {m!r}")
        if self.weights is not None and len(self.weights) != len(members):
            raise ValueError(f"{name}: number of estimators and weights must be equal; got "
                             f"{len(self.weights)} weights, {len(members)} estimators")
        return names, members

    def _fit_members(self, X, y, sample_weight):
        names, members = self._validate_estimators()
        active = [(n, m) for n, m in zip(names, members)
                  if not (isinstance(m, str) and m == "drop")]
        if sample_weight is not None:
            for n, m in active:
                if not fit_accepts_sample_weight(m):
                    raise TypeError(f"Underlying estimator {n!r} does not support sample "
                                    "weights.")

        def fit_one(pair):
            est = clone_estimator(pair[1])
            if sample_weight is None:
                return est.fit(X, y)
            return est.fit(X, y, sample_weight=sample_weight)

        self.estimators_ = parallel_map(fit_one, active, self.n_jobs)
        self.named_estimators_ = dict(zip((n for n, _ in active), self.estimators_))
        for n, m in zip(names, members):
            if isinstance(m, str):
                self.named_estimators_[n] = m
        keep = [i for i, m in enumerate(members) if not (isinstance(m, str) and m == "drop")]
        self._weights = (None if self.weights is None
                         else np.asarray(self.weights, dtype=np.float64)[keep])
        self.n_features_in_ = X.shape[1]

    # members' hyper-parameters as <name>__<param>, as scikit-learn's heterogeneous ensembles
    def get_params(self, deep=True):
        out = super().get_params(deep=False)
        if not deep:
            return out
        estimators = getattr(self, "estimators", None)
        for item in estimators if isinstance(estimators, (list, tuple)) else ():
            if isinstance(item, tuple) and len(item) == 2:
                n, est = item
                out[n] = est
                if hasattr(est, "get_params"):
                    out.update((f"{n}__{k}", v) for k, v in est.get_params(deep=True).items())
        return out

    def set_params(self, **params):
        own = {k: v for k, v in params.items() if k in self._get_param_names()}
        for key, value in own.items():            # set in __init__'s way: unchecked
            setattr(self, key, value)
        names = ([item[0] for item in self.estimators if isinstance(item, tuple) and item]
                 if isinstance(self.estimators, (list, tuple)) else [])
        for key, value in params.items():
            if key in own:
                continue
            n, sep, sub = key.partition("__")
            if n not in names:
                raise ValueError(f"Invalid parameter {n!r} for estimator {type(self).__name__}. "
                                 f"Valid parameters are: {sorted(self._get_param_names())!r} "
                                 f"and the estimator names {names!r}.")
            i = names.index(n)
            if sep:
                self.estimators[i][1].set_params(**{sub: value})
            else:
                self.estimators = list(self.estimators)
                self.estimators[i] = (n, value)
        return self


class VotingClassifier(ClassifierMixin, _BaseVoting):
    """Hard or soft voting over fitted classifiers (scikit-learn's ``VotingClassifier``).

    ``VotingClassifier(estimators, *, voting='hard', weights=None, n_jobs=None,
    flatten_transform=True, verbose=False)``. The members are fitted on the labels encoded as
    0 … K−1, so their votes index ``classes_``. ``transform``: soft — the members' probabilities,
    ``(n, M·K)`` when ``flatten_transform`` else ``(M, n, K)``; hard — the members' votes
    ``(n, M)``.
    """

    def __init__(self, estimators, *, voting="hard", weights=None, n_jobs=None,
                 flatten_transform=True, verbose=False):
        self.estimators = estimators
        self.voting = voting
        self.weights = weights
        self.n_jobs = n_jobs
        self.flatten_transform = flatten_transform
        self.verbose = verbose

    def _update_sklearn_tags(self, tags):
        tags.transformer_tags.preserves_dtype = []    # votes / probabilities, as scikit-learn's
        return tags

    def fit(self, X, y, sample_weight=None):
        """Fit clones of the members on ``(X, y)``; returns self."""
        if self.voting not in ("hard", "soft"):
            raise ValueError(f"VotingClassifier: voting must be 'hard' or 'soft'; got "
                             f"{self.voting!r}")
        X, y = check_X_y(X, y, estimator=self)
        if y.ndim > 1 and y.shape[1] > 1:
            raise NotImplementedError("Multilabel and multi-output classification is not "
                                      "supported.")
        self.classes_, encoded = encode_labels(y.ravel(), estimator=self)
        self._fit_members(X, encoded, sample_weight)
        return self

    def _votes(self, X):
        return np.column_stack([est.predict(X) for est in self.estimators_]).astype(int)

    def _collect_probas(self, X):
        return np.asarray([est.predict_proba(X) for est in self.estimators_])

    def predict(self, X):
        """The class of the weighted majority vote (hard) or the largest mean probability."""
        check_is_fitted(self, "estimators_")
        if self.voting == "soft":
            return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
        votes = self._votes(X)
        w = np.ones(votes.shape[1]) if self._weights is None else self._weights
        k = len(self.classes_)
        counts = np.zeros((votes.shape[0], k))
        np.add.at(counts, (np.arange(votes.shape[0])[:, None], votes), w[None, :])
        return self.classes_[np.argmax(counts, axis=1)]

    @property
    def predict_proba(self):
        """Weighted mean of the members' probabilities; only soft voting has it (so that
        ``hasattr(clf, 'predict_proba')`` tells, as scikit-learn's)."""
        if self.voting == "hard":
            raise AttributeError(f"predict_proba is not available when voting={self.voting!r}")
        return self._predict_proba

    def _predict_proba(self, X):
        check_is_fitted(self, "estimators_")
        return np.average(self._collect_probas(X), axis=0, weights=self._weights)

    def transform(self, X):
        """Each member's output: probabilities (soft) or votes (hard)."""
        check_is_fitted(self, "estimators_")
        if self.voting == "soft":
            probas = self._collect_probas(X)
            return np.hstack(list(probas)) if self.flatten_transform else probas
        return self._votes(X)

    def fit_transform(self, X, y=None, **fit_params):
        return self.fit(X, y, **fit_params).transform(X)


class VotingRegressor(RegressorMixin, _BaseVoting):
    """Weighted mean of fitted regressors (scikit-learn's ``VotingRegressor``).

    ``VotingRegressor(estimators, *, weights=None, n_jobs=None, verbose=False)``;
    ``transform`` gives the members' predictions ``(n, M)``.
    """

    def __init__(self, estimators, *, weights=None, n_jobs=None, verbose=False):
        self.estimators = estimators
        self.weights = weights
        self.n_jobs = n_jobs
        self.verbose = verbose

    def fit(self, X, y, sample_weight=None):
        """Fit clones of the members on ``(X, y)``; returns self."""
        X, y = check_X_y(X, y, y_numeric=True, estimator=self)
        self._fit_members(X, y.ravel() if y.ndim > 1 and y.shape[1] == 1 else y, sample_weight)
        return self

    def predict(self, X):
        """Σ_m w_m f_m(X) / Σ_m w_m."""
        return np.average(self.transform(X), axis=1, weights=self._weights)

    def transform(self, X):
        """The members' predictions, shape (n_samples, n_members)."""
        check_is_fitted(self, "estimators_")
        X = check_array(X, estimator=self)
        return np.column_stack([est.predict(X) for est in self.estimators_])

    def fit_transform(self, X, y=None, **fit_params):
        return self.fit(X, y, **fit_params).transform(X)
