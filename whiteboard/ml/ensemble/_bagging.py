"""Bagging (Breiman 1996): bootstrap aggregating of any base estimator.

Each member ``b = 1..B`` is fitted on ``max_samples`` rows drawn with replacement
(``bootstrap=True``; without: pasting) and on ``max_features`` columns (drawn without
replacement unless ``bootstrap_features``). Classification averages the members'
``predict_proba`` (or their votes when a member has none) and predicts the arg-max; regression
averages the predictions. Averaging B models of variance sigma^2 and correlation rho leaves
``rho sigma^2 + (1 - rho) sigma^2 / B``: bagging lowers variance and leaves the bias of the
base model (a deep, low-bias tree is the classic choice). ``oob_score_`` scores each sample with
the members whose bootstrap left it out.

When the base estimator's ``fit`` accepts ``sample_weight`` the bootstrap is passed as integer
weights (draw counts; the same model as fitting on the repeated rows, without the copy);
otherwise the drawn rows are indexed. With ``sample_weight`` given to ``fit``, rows are drawn
with probabilities proportional to it (as scikit-learn 1.9).
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
from ...validation import check_array, check_X_y
from ._base import fit_accepts_sample_weight, make_member, member_seeds, r2, run_in_chunks

__all__ = ["BaggingClassifier", "BaggingRegressor"]


def _draw(seed, n_samples, n_features, max_samples, max_features, bootstrap,
          bootstrap_features, probabilities):
    """Feature indices and sample indices of one member (reproducible from its seed)."""
    rng = np.random.default_rng([int(seed), 3])
    if bootstrap_features:
        features = rng.integers(0, n_features, max_features)
    elif max_features < n_features:
        features = np.sort(rng.permutation(n_features)[:max_features])
    else:
        features = np.arange(n_features)
    if probabilities is not None:
        samples = rng.choice(n_samples, max_samples, replace=bootstrap, p=probabilities)
    elif bootstrap:
        samples = rng.integers(0, n_samples, max_samples)
    else:
        samples = rng.permutation(n_samples)[:max_samples]
    return features, samples


def _fit_members(seeds, template, X, y, draw_args, use_weights):
    members, features_list = [], []
    n = len(y)
    for seed in seeds:
        est = make_member(template, seed)
        features, samples = _draw(seed, *draw_args)
        Xf = X[:, features] if len(features) != X.shape[1] or \
            not np.array_equal(features, np.arange(X.shape[1])) else X
        if use_weights:
            est.fit(Xf, y, sample_weight=np.bincount(samples, minlength=n).astype(float))
        else:
            est.fit(Xf[samples], y[samples])
        members.append(est)
        features_list.append(features)
    return list(zip(members, features_list))


class BaseBagging(BaseEstimator):
    """Shared ``fit`` of the bagging estimators."""

    def _default_estimator(self):
        raise NotImplementedError

    def _resolve_sizes(self, n, f, sample_weight_given, weight_sum):
        ms = self.max_samples
        if ms is None:
            n_draw = n
        elif isinstance(ms, (numbers.Integral, np.integer)) and not isinstance(ms, bool):
            n_draw = int(ms)
        elif isinstance(ms, (numbers.Real, np.floating)) and 0.0 < ms <= 1.0:
            n_draw = max(1, int(ms * (weight_sum if sample_weight_given else n)))
        else:
            raise ValueError(f"max_samples must be None, an int or a float in (0, 1], got {ms!r}")
        if n_draw < 1 or (not self.bootstrap and n_draw > n):
            raise ValueError(f"max_samples must be in [1, n_samples={n}] without bootstrap, "
                             f"got {n_draw}")
        mf = self.max_features
        if isinstance(mf, (numbers.Integral, np.integer)) and not isinstance(mf, bool):
            n_feat = int(mf)
        elif isinstance(mf, (numbers.Real, np.floating)) and 0.0 < mf <= 1.0:
            n_feat = max(1, int(mf * f))
        else:
            raise ValueError(f"max_features must be an int or a float in (0, 1], got {mf!r}")
        if not 1 <= n_feat <= f:
            raise ValueError(f"max_features must be in [1, n_features={f}], got {n_feat}")
        return n_draw, n_feat

    def _fit_bagging(self, X, y, sample_weight):
        if not isinstance(self.n_estimators, (numbers.Integral, np.integer)) or \
                self.n_estimators < 1:
            raise ValueError(f"n_estimators must be an int >= 1, got {self.n_estimators!r}")
        if self.oob_score and not self.bootstrap:
            raise ValueError("Out of bag estimation only available if bootstrap=True")
        if self.oob_score and self.warm_start:
            raise ValueError("Out of bag estimate only available if warm_start=False")
        n, f = X.shape
        self.n_features_in_ = f
        template = self.estimator if self.estimator is not None else self._default_estimator()
        self.estimator_ = template
        probabilities = None
        if sample_weight is not None:
            w = check_sample_weight(sample_weight, n)
            if w.sum() <= 0:
                raise ValueError("sample_weight sums to zero: nothing to fit")
            probabilities = w / w.sum()
        n_draw, n_feat = self._resolve_sizes(n, f, sample_weight is not None,
                                             0 if sample_weight is None else w.sum())
        self._max_samples, self._max_features = n_draw, n_feat
        use_weights = fit_accepts_sample_weight(template)
        if sample_weight is not None and not self.bootstrap:
            use_weights = False
        rng = check_random_state(self.random_state)
        seeds = member_seeds(rng, self.n_estimators)
        old = list(zip(self.estimators_, self.estimators_features_)) \
            if self.warm_start and hasattr(self, "estimators_") else []
        if len(old) > self.n_estimators:
            raise ValueError(f"n_estimators={self.n_estimators} must be larger or equal to "
                             f"len(estimators_)={len(old)} when warm_start==True")
        self._draw_args = (n, f, n_draw, n_feat, self.bootstrap, self.bootstrap_features,
                           probabilities)
        if self.verbose:
            print(f"{type(self).__name__}: fitting {self.n_estimators - len(old)} members")
        new = run_in_chunks(_fit_members, list(seeds[len(old):]), self.n_jobs,
                            template=template, X=X, y=y, draw_args=self._draw_args,
                            use_weights=use_weights)
        pairs = old + new
        self.estimators_ = [m for m, _ in pairs]
        self.estimators_features_ = [fe for _, fe in pairs]
        old_seeds = list(self._seeds[:len(old)]) if old else []
        self._seeds = np.array(old_seeds + list(seeds[len(old):]))
        if self.oob_score:
            self._set_oob(X, y)
        return self

    @property
    def estimators_samples_(self):
        """In-bag sample indices of every member (regenerated from the members' seeds)."""
        check_is_fitted(self, "estimators_")
        return [_draw(s, *self._draw_args)[1] for s in self._seeds]

    def _oob_masks(self):
        n = self._draw_args[0]
        for samples in self.estimators_samples_:
            mask = np.ones(n, dtype=bool)
            mask[samples] = False
            yield mask

    def _validate_X_predict(self, X):
        check_is_fitted(self, "estimators_")
        X = check_array(X, estimator=self)
        check_n_features(self, X)
        return X


class BaggingClassifier(ProbaClassifierMixin, BaseBagging):
    """Bagging classifier (default base: ``DecisionTreeClassifier()``); predicts the class of
    largest mean member probability (members without ``predict_proba`` vote)."""

    def __init__(self, estimator=None, n_estimators=10, *, max_samples=None, max_features=1.0,
                 bootstrap=True, bootstrap_features=False, oob_score=False, warm_start=False,
                 n_jobs=None, random_state=None, verbose=0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.warm_start = warm_start
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _default_estimator(self):
        return DecisionTreeClassifier()

    def fit(self, X, y, sample_weight=None):
        """Fit ``n_estimators`` members on bootstrap samples of X (n_samples, n_features)."""
        X, y = check_X_y(X, y, estimator=self)
        self.classes_, yi = encode_labels(y, min_classes=1, estimator=self)
        self.n_classes_ = len(self.classes_)
        return self._fit_bagging(X, yi, sample_weight)

    def _member_proba(self, est, X):
        if hasattr(est, "predict_proba"):
            proba = np.zeros((X.shape[0], self.n_classes_))
            proba[:, np.asarray(est.classes_, dtype=int)] = est.predict_proba(X)
            return proba
        votes = np.zeros((X.shape[0], self.n_classes_))
        votes[np.arange(X.shape[0]), np.asarray(est.predict(X), dtype=int)] = 1.0
        return votes

    def _set_oob(self, X, y):
        total = np.zeros((X.shape[0], self.n_classes_))
        for est, features, mask in zip(self.estimators_, self.estimators_features_,
                                       self._oob_masks()):
            if mask.any():
                total[mask] += self._member_proba(est, X[mask][:, features])
        seen = total.sum(axis=1)
        if (seen == 0).any():
            warnings.warn("Some inputs do not have OOB scores. This probably means too few "
                          "estimators were used to compute any reliable oob estimates.",
                          UserWarning, stacklevel=3)
        self.oob_decision_function_ = total / np.where(seen > 0, seen, 1.0)[:, None]
        self.oob_score_ = float(np.mean(np.argmax(self.oob_decision_function_, axis=1) == y))

    def predict_proba(self, X):
        """Mean of the members' class probabilities (or vote fractions), (n_samples, n_classes)."""
        X = self._validate_X_predict(X)
        total = np.zeros((X.shape[0], self.n_classes_))
        for est, features in zip(self.estimators_, self.estimators_features_):
            total += self._member_proba(est, X[:, features])
        return total / len(self.estimators_)


class BaggingRegressor(RegressorMixin, BaseBagging):
    """Bagging regressor (default base: ``DecisionTreeRegressor()``); predicts the mean of the
    members' predictions."""

    def __init__(self, estimator=None, n_estimators=10, *, max_samples=None, max_features=1.0,
                 bootstrap=True, bootstrap_features=False, oob_score=False, warm_start=False,
                 n_jobs=None, random_state=None, verbose=0):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.bootstrap_features = bootstrap_features
        self.oob_score = oob_score
        self.warm_start = warm_start
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    def _default_estimator(self):
        return DecisionTreeRegressor()

    def fit(self, X, y, sample_weight=None):
        """Fit ``n_estimators`` members on bootstrap samples of X (n_samples, n_features)."""
        X, y = check_X_y(X, y, y_numeric=True, estimator=self)
        return self._fit_bagging(X, y.astype(np.float64), sample_weight)

    def _set_oob(self, X, y):
        total = np.zeros(X.shape[0])
        count = np.zeros(X.shape[0])
        for est, features, mask in zip(self.estimators_, self.estimators_features_,
                                       self._oob_masks()):
            if mask.any():
                total[mask] += est.predict(X[mask][:, features])
                count[mask] += 1
        if (count == 0).any():
            warnings.warn("Some inputs do not have OOB scores. This probably means too few "
                          "estimators were used to compute any reliable oob estimates.",
                          UserWarning, stacklevel=3)
        self.oob_prediction_ = total / np.maximum(count, 1)
        self.oob_score_ = r2(y, self.oob_prediction_)

    def predict(self, X):
        """Mean of the members' predictions, shape (n_samples,)."""
        X = self._validate_X_predict(X)
        return np.mean([est.predict(X[:, features]) for est, features in
                        zip(self.estimators_, self.estimators_features_)], axis=0)
