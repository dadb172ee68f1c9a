"""Input checks of the SVM estimators (``ml.base``'s, which refuse sparse and complex input,
raise ``TypeError`` for non-numeric objects, use scikit-learn's empty-feature message and warn on
a column-vector y) and the hyper-parameter error type."""

from __future__ import annotations

from whiteboard.ml.base import DataConversionWarning, check_array, check_X_y

__all__ = ["DataConversionWarning", "InvalidParameterError", "validate_X", "validate_X_y"]


class InvalidParameterError(ValueError, TypeError):
    """A hyper-parameter has a wrong type or value (as scikit-learn's, both error kinds)."""


def validate_X(X, estimator):
    """A finite float64 (n, d) array for ``estimator``, or a clear error."""
    return check_array(X, estimator=estimator)


def validate_X_y(X, y, estimator, y_numeric=False):
    """Validated ``(X, y)``; a column-vector y is raveled with a ``DataConversionWarning``."""
    return check_X_y(X, y, y_numeric=y_numeric, estimator=estimator)
