"""Input checks of the imbalance estimators: ``whiteboard.ml.base``'s (sparse, complex,
non-numeric and empty inputs refused; a column-vector ``y`` warns)."""

from __future__ import annotations

from ..ml.base import DataConversionWarning, check_array, check_X_y

__all__ = ["DataConversionWarning", "validate_X", "validate_X_y"]


def _precheck(X, estimator):
    """Kept for callers that validate in two steps; ``check_array`` does the work."""
    return X


def validate_X(X, estimator, **kwargs):
    """``ml.base.check_array`` (sparse, complex, non-numeric and empty inputs refused)."""
    return check_array(X, estimator=estimator, **kwargs)


def validate_X_y(X, y, estimator):
    """``ml.base.check_X_y`` (a column-vector ``y`` is raveled with a warning)."""
    return check_X_y(X, y, estimator=estimator)
