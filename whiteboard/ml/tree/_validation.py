"""Input checks of the tree and ensemble estimators: ``ml.base``'s, under the names the tree
code uses (sparse and complex input, non-numeric objects, empty feature axes and column-vector
``y`` are all handled there)."""

from __future__ import annotations

from ..base import DataConversionWarning, check_array, check_X_y

__all__ = ["DataConversionWarning", "validate_X", "validate_X_y"]


def _precheck(X, estimator):
    """Kept for callers that validate in two steps; ``check_array`` does the work."""
    return X


def validate_X(X, estimator):
    """``X`` as a float64 2-D array for ``predict``-like methods."""
    return check_array(X, estimator=estimator)


def validate_X_y(X, y, estimator, y_numeric=False):
    """Validated ``(X, y)`` for ``fit``; ``y`` of shape (n, 1) is flattened with a warning."""
    return check_X_y(X, y, y_numeric=y_numeric, estimator=estimator)
