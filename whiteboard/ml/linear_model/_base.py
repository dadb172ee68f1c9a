"""Shared pieces of the linear models: centring for the intercept, prediction, validation."""

from __future__ import annotations

import numpy as np

from ..base import check_array
from ..base import check_is_fitted, check_n_features, check_sample_weight


def preprocess_data(X, y, fit_intercept, sample_weight=None):
    """Centre ``X`` and ``y`` by their (weighted) means so the intercept drops out of the fit.

    For least squares with an unpenalised intercept b, ∂/∂b Σ sᵢ(yᵢ − xᵢᵀw − b)² = 0 gives
    b = ȳ − x̄ᵀw with weighted means x̄, ȳ; substituting leaves a problem in w alone on the
    centred data. Returns ``(Xc, yc, X_offset, y_offset)`` (offsets are zeros without intercept).
    """
    if fit_intercept:
        w = sample_weight
        X_offset = np.average(X, axis=0, weights=w)
        y_offset = np.average(y, axis=0, weights=w)
        return X - X_offset, y - y_offset, X_offset, y_offset
    y_zero = np.zeros(y.shape[1:]) if y.ndim > 1 else 0.0
    return X, y, np.zeros(X.shape[1]), y_zero


def set_intercept(coef, X_offset, y_offset, fit_intercept):
    """b = ȳ − x̄ᵀw (per target); 0.0 without an intercept (sklearn's convention)."""
    if not fit_intercept:
        return 0.0 if coef.ndim == 1 else np.zeros(coef.shape[0])
    return y_offset - X_offset @ coef.T


def validate_fit_inputs(estimator, X, y, sample_weight, multi_output=True, y_numeric=True):
    """Validated float ``X`` (n, d), ``y`` (n,) or (n, k), sample weights (n,)."""
    from ..base import check_X_y

    X = check_array(X, estimator=estimator)
    X, y = check_X_y(X, y, multi_output=multi_output, y_numeric=y_numeric, estimator=estimator)
    if y_numeric:
        y = y.astype(np.float64)
    sw = check_weights(sample_weight, X.shape[0])
    return X, y, sw


def check_weights(sample_weight, n_samples):
    """Validated sample weights (None stays None); all-zero weights are rejected."""
    if sample_weight is None:
        return None
    sw = check_sample_weight(sample_weight, n_samples)
    if not sw.sum() > 0:
        raise ValueError(
            f"sample_weight must contain at least one positive value; got all zeros "
            f"({n_samples} samples)"
        )
    return sw


def validate_predict_input(estimator, X):
    check_is_fitted(estimator)
    X = check_array(X, estimator=estimator)
    check_n_features(estimator, X)
    return X


class LinearPredictorMixin:
    """``predict`` = X coef_ᵀ + intercept_ (regressors), which accept 2-D targets."""

    def _update_sklearn_tags(self, tags):
        tags.target_tags.multi_output = True
        return tags

    def predict(self, X):
        """Predictions X wᵀ + b: shape (n,) or (n, n_targets)."""
        X = validate_predict_input(self, X)
        return X @ self.coef_.T + self.intercept_


def compute_class_weight(class_weight, classes, y_encoded, sample_weight=None):
    """Weight per class: ones (None), n/(K·nₖ) ('balanced'; weighted counts when sample
    weights are given, as scikit-learn), or a dict {label: weight} (missing labels get 1)."""
    K = len(classes)
    if class_weight is None:
        return np.ones(K)
    if isinstance(class_weight, str):
        if class_weight != "balanced":
            raise ValueError(f"class_weight must be None, 'balanced' or a dict, got "
                             f"{class_weight!r}")
        counts = np.bincount(y_encoded, weights=sample_weight, minlength=K)
        return counts.sum() / (K * counts)
    if isinstance(class_weight, dict):
        weight = np.ones(K)
        lookup = {(c.item() if hasattr(c, "item") else c): i for i, c in enumerate(classes)}
        for label, value in class_weight.items():
            if label not in lookup:
                raise ValueError(f"class_weight has label {label!r}, which is not among the "
                                 f"classes {list(classes)!r}")
            weight[lookup[label]] = float(value)
        return weight
    raise ValueError(f"class_weight must be None, 'balanced' or a dict, got {class_weight!r}")


def check_classifier_fit_inputs(estimator, X, y, sample_weight):
    """Validated ``X``, ``classes_``, encoded ``y`` (indices into ``classes_``), weights."""
    from ..base import check_X_y, encode_labels

    X = check_array(X, estimator=estimator)
    X, y = check_X_y(X, y, estimator=estimator)
    classes, y_enc = encode_labels(y, min_classes=2, estimator=estimator)
    sw = check_weights(sample_weight, X.shape[0])
    return X, classes, y_enc, sw
