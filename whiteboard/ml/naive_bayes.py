"""Naive Bayes: Gaussian (continuous features) and multinomial (counts), as scikit-learn's.

Bayes' rule with features assumed conditionally independent given the class:

    P(y = k | x) ∝ πₖ Πⱼ P(xⱼ | y = k),   ln P(y = k | x) = ln πₖ + Σⱼ ln P(xⱼ | k) − ln Z(x),

with Z(x) the normaliser (a logsumexp over classes, computed stably).
"""

from __future__ import annotations

import numbers

import numpy as np

from .base import BaseEstimator, ClassifierMixin
from .linear_model._base import check_classifier_fit_inputs, validate_predict_input

__all__ = ["GaussianNB", "MultinomialNB"]


def _logsumexp(Z):
    m = Z.max(axis=1, keepdims=True)
    return (m + np.log(np.exp(Z - m).sum(axis=1, keepdims=True)))[:, 0]


class _BaseNB(ClassifierMixin, BaseEstimator):
    def predict_joint_log_proba(self, X):
        """ln P(x, y = k) up to a constant common to all classes: (n, K)."""
        X = validate_predict_input(self, X)
        return self._joint_log_likelihood(X)

    def predict_log_proba(self, X):
        """ln P(y = k | x): (n, K)."""
        jll = self.predict_joint_log_proba(X)
        return jll - _logsumexp(jll)[:, None]

    def predict_proba(self, X):
        """P(y = k | x): (n, K)."""
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        """The class with the largest posterior."""
        jll = self.predict_joint_log_proba(X)
        return self.classes_[np.argmax(jll, axis=1)]


class GaussianNB(_BaseNB):
    """Gaussian naive Bayes: xⱼ | y = k ~ N(θₖⱼ, σ²ₖⱼ).

    ln P(x | k) = −½ Σⱼ [ln(2πσ²ₖⱼ) + (xⱼ − θₖⱼ)²/σ²ₖⱼ], with θ, σ² the (weighted) class means
    and biased variances. ``var_smoothing`` adds ε = var_smoothing · maxⱼ Var(xⱼ) (over all
    samples) to every variance, for stability (scikit-learn's ``epsilon_``). Priors: class
    frequencies (weighted) unless ``priors`` is given.

    Shapes: ``theta_``, ``var_`` (K, d); ``class_prior_``, ``class_count_`` (K,).
    """

    def __init__(self, *, priors=None, var_smoothing=1e-9):
        self.priors = priors
        self.var_smoothing = var_smoothing

    def fit(self, X, y, sample_weight=None):
        """Fit class means, variances and priors; optional sample weights (n,)."""
        if not (isinstance(self.var_smoothing, numbers.Real) and self.var_smoothing >= 0):
            raise ValueError(f"var_smoothing must be >= 0, got {self.var_smoothing!r}")
        X, classes, y_enc, sw = check_classifier_fit_inputs(self, X, y, sample_weight)
        K, d = len(classes), X.shape[1]
        w = np.ones(len(y_enc)) if sw is None else sw
        self.epsilon_ = self.var_smoothing * np.var(X, axis=0).max()
        counts = np.bincount(y_enc, weights=w, minlength=K)
        theta = np.zeros((K, d))
        np.add.at(theta, y_enc, X * w[:, None])
        theta /= counts[:, None]
        var = np.zeros((K, d))
        np.add.at(var, y_enc, (X - theta[y_enc]) ** 2 * w[:, None])
        var /= counts[:, None]
        self.theta_ = theta
        self.var_ = var + self.epsilon_
        self.class_count_ = counts
        if self.priors is None:
            self.class_prior_ = counts / counts.sum()
        else:
            priors = np.asarray(self.priors, dtype=np.float64)
            if priors.shape != (K,):
                raise ValueError(f"Number of priors must match number of classes: got "
                                 f"{priors.shape[0] if priors.ndim else 1}, expected {K}")
            if not np.isclose(priors.sum(), 1.0):
                raise ValueError(f"The sum of the priors should be 1, got {priors.sum()}")
            if (priors < 0).any():
                raise ValueError("Priors must be non-negative.")
            self.class_prior_ = priors
        self.classes_ = classes
        self.n_features_in_ = d
        return self

    def _joint_log_likelihood(self, X):
        # Σⱼ (x − θ)²/σ², one class at a time: no (n, K, d) temporary, and no expansion
        # x² − 2xθ + θ², which cancels catastrophically when σ² is tiny (constant features)
        quad = np.empty((X.shape[0], len(self.classes_)))
        for k in range(len(self.classes_)):
            quad[:, k] = np.sum((X - self.theta_[k]) ** 2 / self.var_[k], axis=1)
        norm = -0.5 * np.sum(np.log(2.0 * np.pi * self.var_), axis=1)
        with np.errstate(divide="ignore"):
            log_prior = np.log(self.class_prior_)
        return log_prior + norm - 0.5 * quad


class MultinomialNB(_BaseNB):
    """Multinomial naive Bayes for counts (word counts, pixel intensities).

    P(x | k) ∝ Πⱼ pₖⱼ^{xⱼ}, with Laplace/Lidstone-smoothed feature probabilities
    pₖⱼ = (Nₖⱼ + α) / (Σⱼ Nₖⱼ + α d), Nₖⱼ the (weighted) sum of feature j over class k. Hence
    ln P(x, k) = ln πₖ + Σⱼ xⱼ ln pₖⱼ — linear in x. Priors: class frequencies (``fit_prior``),
    uniform otherwise, or ``class_prior``. X must be non-negative.

    Shapes: ``feature_count_``, ``feature_log_prob_`` (K, d); ``class_count_``,
    ``class_log_prior_`` (K,).
    """

    def __init__(self, *, alpha=1.0, force_alpha=True, fit_prior=True, class_prior=None):
        self.alpha = alpha
        self.force_alpha = force_alpha
        self.fit_prior = fit_prior
        self.class_prior = class_prior

    def _update_sklearn_tags(self, tags):
        tags.input_tags.positive_only = True
        # as scikit-learn: counts models score poorly on the generic (shifted Gaussian) test data
        tags.classifier_tags.poor_score = True
        return tags

    def fit(self, X, y, sample_weight=None):
        """Accumulate smoothed per-class feature counts; optional sample weights (n,)."""
        X, classes, y_enc, sw = check_classifier_fit_inputs(self, X, y, sample_weight)
        if (X < 0).any():
            raise ValueError("Negative values in data passed to MultinomialNB (input X)")
        alpha = np.asarray(self.alpha, dtype=np.float64)
        if (alpha < 0).any():
            raise ValueError(f"alpha must be >= 0, got {self.alpha!r}")
        if alpha.ndim and alpha.shape != (X.shape[1],):
            raise ValueError(f"alpha should be a scalar or an array of length n_features="
                             f"{X.shape[1]}, got shape {alpha.shape}")
        if not self.force_alpha:
            alpha = np.maximum(alpha, 1e-10)
        K = len(classes)
        w = np.ones(len(y_enc)) if sw is None else sw
        fc = np.zeros((K, X.shape[1]))
        np.add.at(fc, y_enc, X * w[:, None])
        counts = np.bincount(y_enc, weights=w, minlength=K)
        smoothed = fc + alpha
        with np.errstate(divide="ignore"):
            self.feature_log_prob_ = np.log(smoothed) - np.log(smoothed.sum(axis=1,
                                                                             keepdims=True))
            if self.class_prior is not None:
                prior = np.asarray(self.class_prior, dtype=np.float64)
                if prior.shape != (K,):
                    raise ValueError(f"Number of priors must match number of classes ({K}), "
                                     f"got {self.class_prior!r}")
                self.class_log_prior_ = np.log(prior)
            elif self.fit_prior:
                self.class_log_prior_ = np.log(counts) - np.log(counts.sum())
            else:
                self.class_log_prior_ = np.full(K, -np.log(K))
        self.feature_count_ = fc
        self.class_count_ = counts
        self.classes_ = classes
        self.n_features_in_ = X.shape[1]
        return self

    def _joint_log_likelihood(self, X):
        if (X < 0).any():
            raise ValueError("Negative values in data passed to MultinomialNB (input X)")
        return X @ self.feature_log_prob_.T + self.class_log_prior_
