"""Balanced ensembles: EasyEnsemble and BalanceCascade (Liu, Wu & Zhou 2009).

Both learn from the majority class N by many balanced subsets instead of one random cut, so that
little majority information is thrown away.

EasyEnsemble: T independent random subsets N_i of the majority class(es), each under-sampled to
the minority size (without replacement by default: the notes' "有放回抽样" is wrong, see ERRATA
E88); a learner (AdaBoost by default) is fitted on each N_i ∪ P. This class follows
imbalanced-learn's ``EasyEnsembleClassifier``: the members' ``predict_proba`` are averaged. (The
paper sums all weak learners of all members, H(x) = sgn(Σ_i Σ_j α_ij h_ij(x) − Σ_i θ_i);
BalanceCascade below uses that combination.)

BalanceCascade (binary): the subsets are drawn in sequence, and after each round the majority
samples the current member already classifies correctly are removed from the pool, so later
members concentrate on the hard ones (ERRATA E89 for the notes' version):

    f = (|P| / |N|)^(1 / (T − 1))                  target false-positive rate of each member
    pool_1 = N
    for i = 1..T:
        N_i ⊂ pool_i at random, |N_i| = |P|;  H_i fitted on P ∪ N_i, with score F_i(x)
        θ_i set so that H_i(x) = sgn(F_i(x) − θ_i) has false-positive rate f on pool_i:
            the n_keep = int(|N| f^i + 1e-5) pool samples of highest F_i are kept (they look
            minority: the false positives), the others are classified correctly and removed.
    H(x) = sgn(Σ_i (F_i(x) − θ_i))

so that |pool_i| = |N| f^(i−1) shrinks geometrically to |P| at the last round. θ_i is the largest
score among the removed samples (ties in F_i are broken by sample order so exactly n_keep are
kept). F_i(x) = Σ_j α_ij h_ij(x) with h ∈ {−1, +1} (+1 = minority) for an AdaBoost-like member
(``estimators_`` and ``estimator_weights_``); otherwise its ``decision_function`` (or
``predict_proba`` of the minority class − 0.5), oriented so that positive means minority.
With T = 1 or |P| = |N| there is nothing to cascade: θ_i = 0 and nothing is removed.

Every θ_i is tuned for a high false-positive rate f (0.72 for |P|/|N| = 1/19, T = 10), so at
the sign threshold the sum favours the minority: high minority recall, low majority recall. The
ranking Σ_i (F_i − θ_i) is what the paper's AUC compares, and it matches imbalanced-ensemble's
(see tests/imbalance/test_ensemble.py); move the threshold of ``decision_function`` for a given
operating point. imbalanced-learn removed its BalanceCascade (ERRATA E89); the oracle is
imbalanced-ensemble's, whose pool schedule equals this one for n_estimators = T − 1 but which
drops samples by averaged probabilities and votes by averaged probabilities.
"""

from __future__ import annotations

import numbers

import numpy as np
from joblib import Parallel, delayed

from ..ml.base import (
    BaseEstimator,
    ClassifierMixin,
    check_is_fitted,
    check_n_features,
    check_random_state,
    encode_labels,
)
from ._estimators import clone_estimator, default_estimator, seeded
from ..validation import check_array, check_X_y
from .under_sampling import RandomUnderSampler

__all__ = ["BalanceCascadeClassifier", "EasyEnsembleClassifier"]


def _check_n_estimators(value):
    if not isinstance(value, (numbers.Integral, np.integer)) or isinstance(value, bool) \
            or value < 1:
        raise ValueError(f"n_estimators must be a positive integer, got {value!r}")
    return int(value)


def _fit_member(estimator, X, y, sampler):
    X_sub, y_sub = sampler.fit_resample(X, y)
    return estimator.fit(X_sub, y_sub), sampler.sample_indices_


class EasyEnsembleClassifier(ClassifierMixin, BaseEstimator):
    """Bag of learners, each fitted on a random balanced under-sample (imbalanced-learn's).

    Parameters
    ----------
    n_estimators : int, default=10
        Number of balanced subsets / members T.
    estimator : classifier or None
        None: the library's own ``whiteboard.ml.ensemble.AdaBoostClassifier()``, imported during
        ``fit``.
    sampling_strategy : float, str, dict or callable, default='auto'
        Passed to each member's ``RandomUnderSampler``.
    replacement : bool, default=False
        Draw each subset with replacement.
    n_jobs : int or None
        Members fitted in parallel with joblib (threads: NumPy and tree fitting release the GIL,
        and no process start-up or pickling is paid).
    random_state : int, Generator or None

    Attributes
    ----------
    classes_, n_classes_, n_features_in_
    estimators_ : list of fitted members
    estimators_samples_ : list of ndarray — rows of X each member was fitted on (the balanced
        subset; imbalanced-learn's attribute lists the bag before its under-sampling step, i.e.
        every row)
    """

    def __init__(self, n_estimators=10, estimator=None, *, sampling_strategy="auto",
                 replacement=False, n_jobs=None, random_state=None):
        self.n_estimators = n_estimators
        self.estimator = estimator
        self.sampling_strategy = sampling_strategy
        self.replacement = replacement
        self.n_jobs = n_jobs
        self.random_state = random_state

    def fit(self, X, y):
        X, y = check_X_y(X, y, estimator=self)
        self.classes_, _ = encode_labels(y, estimator=self)
        self.n_classes_ = len(self.classes_)
        self.n_features_in_ = X.shape[1]
        T = _check_n_estimators(self.n_estimators)
        rng = check_random_state(self.random_state)
        base = self.estimator if self.estimator is not None else default_estimator("adaboost")
        jobs = []
        for _ in range(T):
            sampler = RandomUnderSampler(
                sampling_strategy=self.sampling_strategy, replacement=self.replacement,
                random_state=int(rng.integers(np.iinfo(np.int32).max)),
            )
            jobs.append((seeded(clone_estimator(base), rng), sampler))
        fitted = Parallel(n_jobs=self.n_jobs, prefer="threads")(
            delayed(_fit_member)(est, X, y, sampler) for est, sampler in jobs
        )
        self.estimators_ = [est for est, _ in fitted]
        self.estimators_samples_ = [idx for _, idx in fitted]
        return self

    def predict_proba(self, X):
        """Average of the members' class probabilities, shape (n, n_classes)."""
        check_is_fitted(self, "estimators_")
        X = check_array(X, estimator=self)
        check_n_features(self, X)
        proba = np.zeros((X.shape[0], self.n_classes_))
        for est in self.estimators_:
            cols = np.searchsorted(self.classes_, est.classes_)
            proba[:, cols] += est.predict_proba(X)
        return proba / len(self.estimators_)

    def predict(self, X):
        proba = self.predict_proba(X)  # checks fitted before classes_ is read
        return self.classes_[np.argmax(proba, axis=1)]


def _weak_labels(estimator, member, X):
    """Labels (in ``estimator.classes_``) that weak learner ``member`` of ``estimator`` predicts.

    scikit-learn's AdaBoost fits its weak learners on the labels themselves, whiteboard's on the
    label codes 0..K−1 (``member.classes_`` = arange(K) while ``estimator.classes_`` is not):
    codes are mapped through ``estimator.classes_``.
    """
    pred = np.asarray(member.predict(X))
    classes = getattr(estimator, "classes_", None)
    member_classes = getattr(member, "classes_", None)
    if classes is None or member_classes is None:
        return pred
    classes, member_classes = np.asarray(classes), np.asarray(member_classes)
    codes = np.arange(len(classes))
    if (len(member_classes) == len(classes) and not np.array_equal(member_classes, classes)
            and np.array_equal(member_classes, codes)):
        return classes[pred.astype(np.intp)]
    return pred


def ensemble_score(estimator, X, positive):
    """F(x) of a fitted binary member, positive meaning the class ``positive`` (shape (n,)).

    AdaBoost-like members (``estimators_`` and ``estimator_weights_``): F(x) = Σ_j α_j h_j(x)
    with h_j(x) = +1 where weak learner j predicts ``positive``, else −1 (the weak learners'
    label codes are mapped to labels first, see ``_weak_labels``).
    """
    members = getattr(estimator, "estimators_", None)
    alphas = getattr(estimator, "estimator_weights_", None)
    if members is not None and alphas is not None:
        score = np.zeros(X.shape[0])
        for alpha, member in zip(alphas, members):
            votes = _weak_labels(estimator, member, X) == positive
            score += alpha * np.where(votes, 1.0, -1.0)
        return score
    if hasattr(estimator, "decision_function"):
        score = np.asarray(estimator.decision_function(X), dtype=np.float64)
        return score if estimator.classes_[1] == positive else -score
    proba = estimator.predict_proba(X)
    return proba[:, list(estimator.classes_).index(positive)] - 0.5


class BalanceCascadeClassifier(ClassifierMixin, BaseEstimator):
    """BalanceCascade (Liu, Wu & Zhou 2009, Algorithm 2): a cascade of balanced boosted members.

    See the module docstring for the algorithm. Binary classification; the minority class is the
    positive class of the paper.

    Parameters
    ----------
    estimator : classifier or None
        Member learner (the paper's AdaBoost ensemble H_i); None: the library's own
        ``whiteboard.ml.ensemble.AdaBoostClassifier()``, imported during ``fit``.
    n_estimators : int, default=10
        Number of rounds T.
    random_state : int, Generator or None

    Attributes
    ----------
    classes_, n_features_in_
    minority_class_ : label of P
    false_positive_rate_ : f
    estimators_ : list of T fitted members
    thresholds_ : ndarray (T,) — θ_i
    pool_sizes_ : ndarray (T,) — |pool_i|, the majority samples left before round i
    estimators_samples_ : list of ndarray — rows of X each member was fitted on
    """

    def __init__(self, estimator=None, n_estimators=10, random_state=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.random_state = random_state

    def fit(self, X, y):
        X, y = check_X_y(X, y, estimator=self)
        self.classes_, y_idx = encode_labels(y, estimator=self)
        if len(self.classes_) != 2:
            raise ValueError(
                f"Only binary classification is supported by BalanceCascadeClassifier (Liu et "
                f"al.'s P and N); y has "
                f"{len(self.classes_)} classes {self.classes_.tolist()}"
            )
        self.n_features_in_ = X.shape[1]
        T = _check_n_estimators(self.n_estimators)
        counts = np.bincount(y_idx, minlength=2)
        pos = int(np.argmin(counts))
        self.minority_class_ = self.classes_[pos]
        P = np.flatnonzero(y_idx == pos)
        pool = np.flatnonzero(y_idx != pos)
        n_N, n_P = len(pool), len(P)
        cascade = T > 1 and n_P < n_N
        f = (n_P / n_N) ** (1.0 / (T - 1)) if cascade else 1.0
        self.false_positive_rate_ = f
        rng = check_random_state(self.random_state)
        base = self.estimator if self.estimator is not None else default_estimator("adaboost")
        self.estimators_, self.estimators_samples_ = [], []
        thresholds, pool_sizes = [], []
        for i in range(1, T + 1):
            pool_sizes.append(len(pool))
            subset = rng.choice(pool, size=n_P, replace=False)
            rows = np.sort(np.concatenate([P, subset]))
            est = seeded(clone_estimator(base), rng).fit(X[rows], y[rows])
            self.estimators_.append(est)
            self.estimators_samples_.append(rows)
            if not cascade:
                thresholds.append(0.0)
                continue
            score = ensemble_score(est, X[pool], self.minority_class_)
            order = np.argsort(-score, kind="stable")
            n_keep = int(n_N * f ** i + 1e-5)
            if i < T:
                n_keep = max(n_keep, n_P)
            n_keep = min(n_keep, len(pool))
            thresholds.append(float(score[order[n_keep]]) if n_keep < len(pool)
                              else float(score.min()))
            if i < T:
                pool = np.sort(pool[order[:n_keep]])
        self.thresholds_ = np.array(thresholds)
        self.pool_sizes_ = np.array(pool_sizes)
        return self

    def _cascade_score(self, X):
        check_is_fitted(self, "estimators_")
        X = check_array(X, estimator=self)
        check_n_features(self, X)
        total = np.zeros(X.shape[0])
        for est, theta in zip(self.estimators_, self.thresholds_):
            total += ensemble_score(est, X, self.minority_class_) - theta
        return total

    def decision_function(self, X):
        """Σ_i (F_i(x) − θ_i), shape (n,), oriented as scikit-learn's: positive is ``classes_[1]``.
        """
        total = self._cascade_score(X)
        return total if self.minority_class_ == self.classes_[1] else -total

    def predict(self, X):
        """H(x) = sgn(Σ_i (F_i(x) − θ_i)): the minority class where the sum is > 0."""
        minority = self._cascade_score(X) > 0
        majority_class = self.classes_[self.classes_ != self.minority_class_][0]
        return np.where(minority, self.minority_class_, majority_class)

    def _update_sklearn_tags(self, tags):
        tags.classifier_tags.multi_class = False
        return tags
