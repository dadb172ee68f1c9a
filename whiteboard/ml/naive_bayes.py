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
        self.classes_ = classes
        self.n_features_in_ = d
        self._set_priors()
        return self

    def _set_priors(self):
        K = len(self.classes_)
        if self.priors is None:
            self.class_prior_ = self.class_count_ / self.class_count_.sum()
            return
        priors = np.asarray(self.priors, dtype=np.float64)
        if priors.shape != (K,):
            raise ValueError(f"Number of priors must match number of classes: got "
                             f"{priors.shape[0] if priors.ndim else 1}, expected {K}")
        if not np.isclose(priors.sum(), 1.0):
            raise ValueError(f"The sum of the priors should be 1, got {priors.sum()}")
        if (priors < 0).any():
            raise ValueError("Priors must be non-negative.")
        self.class_prior_ = priors

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Update the model with one more batch (``classes`` required on the first call).

        Per class, the batch's weighted count m, mean μ_B and variance σ²_B are merged with the
        running n, μ, σ² by Chan et al.'s pairwise formulas:
            μ' = (nμ + mμ_B)/(n + m),
            σ²' = [nσ² + mσ²_B + (nm/(n + m))(μ − μ_B)²] / (n + m),
        so a sequence of batches gives the same means as one ``fit`` on their union, and the
        same variances up to ε: ε = var_smoothing·max Var is taken from the latest batch and
        swapped in for the previous one approximately, exactly as scikit-learn does.
        """
        from .base import check_X_y
        from .linear_model._base import check_array, check_weights

        first = not hasattr(self, "classes_")
        if first and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit.")
        X = check_array(X, estimator=self)
        X, y = check_X_y(X, y, estimator=self)
        sw = check_weights(sample_weight, X.shape[0])
        if first:
            self.classes_ = np.unique(np.asarray(classes))
            K, d = len(self.classes_), X.shape[1]
            self.theta_ = np.zeros((K, d))
            self.var_ = np.zeros((K, d))
            self.class_count_ = np.zeros(K)
            self.n_features_in_ = d
            self.epsilon_ = 0.0
        elif X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but GaussianNB is expecting "
                             f"{self.n_features_in_} features as input.")
        elif classes is not None and not np.array_equal(np.unique(classes), self.classes_):
            raise ValueError(f"classes={classes!r} is not the same as on the first call to "
                             f"partial_fit: {self.classes_!r}")
        unknown = np.setdiff1d(np.unique(y), self.classes_)
        if unknown.size:
            raise ValueError(f"The target label(s) {unknown!r} in y do not exist in the initial "
                             f"classes {self.classes_!r}")
        idx = np.searchsorted(self.classes_, y)
        # scikit-learn's order: ε of *this* batch is computed first and then subtracted from
        # variances that hold the previous batch's ε; the mismatch (of order var_smoothing)
        # is kept so that the two libraries agree batch for batch
        self.epsilon_ = self.var_smoothing * np.var(X, axis=0).max()
        if not first:
            self.var_ -= self.epsilon_
        w = np.ones(len(y)) if sw is None else sw
        for k in np.unique(idx):
            rows = idx == k
            m = w[rows].sum()
            if m <= 0:
                continue
            mu_b = np.average(X[rows], axis=0, weights=w[rows])
            var_b = np.average((X[rows] - mu_b) ** 2, axis=0, weights=w[rows])
            n = self.class_count_[k]
            total = n + m
            delta = self.theta_[k] - mu_b
            self.var_[k] = (n * self.var_[k] + m * var_b + (n * m / total) * delta ** 2) / total
            self.theta_[k] = (n * self.theta_[k] + m * mu_b) / total
            self.class_count_[k] = total
        self.var_ += self.epsilon_
        self._set_priors()
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
        self.classes_ = classes
        self.n_features_in_ = X.shape[1]
        self.feature_count_ = np.zeros((len(classes), X.shape[1]))
        self.class_count_ = np.zeros(len(classes))
        return self._accumulate(X, y_enc, sw)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Add one batch of counts (``classes`` required on the first call)."""
        from .base import check_X_y
        from .linear_model._base import check_array, check_weights

        first = not hasattr(self, "classes_")
        if first and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit.")
        X = check_array(X, estimator=self)
        X, y = check_X_y(X, y, estimator=self)
        sw = check_weights(sample_weight, X.shape[0])
        if first:
            self.classes_ = np.unique(np.asarray(classes))
            self.n_features_in_ = X.shape[1]
            self.feature_count_ = np.zeros((len(self.classes_), X.shape[1]))
            self.class_count_ = np.zeros(len(self.classes_))
        elif X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but MultinomialNB is expecting "
                             f"{self.n_features_in_} features as input.")
        unknown = np.setdiff1d(np.unique(y), self.classes_)
        if unknown.size:
            raise ValueError(f"The target label(s) {unknown!r} in y do not exist in the initial "
                             f"classes {self.classes_!r}")
        return self._accumulate(X, np.searchsorted(self.classes_, y), sw)

    def _accumulate(self, X, y_enc, sw):
        """Add the batch's (weighted) counts, then recompute log-probabilities and priors."""
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
        K = len(self.classes_)
        w = np.ones(len(y_enc)) if sw is None else sw
        np.add.at(self.feature_count_, y_enc, X * w[:, None])
        self.class_count_ += np.bincount(y_enc, weights=w, minlength=K)
        smoothed = self.feature_count_ + alpha
        counts = self.class_count_
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
        return self

    def _joint_log_likelihood(self, X):
        if (X < 0).any():
            raise ValueError("Negative values in data passed to MultinomialNB (input X)")
        return X @ self.feature_log_prob_.T + self.class_log_prior_
