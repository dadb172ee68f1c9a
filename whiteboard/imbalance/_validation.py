"""Input checks of the imbalance estimators, in front of ``whiteboard.ml.base``'s.

They add what scikit-learn's estimator checks expect and ``check_array`` does not give: a clear
refusal of sparse matrices, a ``TypeError`` for non-numeric objects, scikit-learn's wording for
an empty feature axis, and a ``DataConversionWarning`` for a column-vector ``y``.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..ml.base import check_array, check_X_y

__all__ = ["DataConversionWarning", "validate_X", "validate_X_y"]


class DataConversionWarning(UserWarning):
    """Input was converted (e.g. a column-vector ``y`` raveled), as scikit-learn's warning."""


def _precheck(X, estimator):
    who = type(estimator).__name__
    if hasattr(X, "tocsr") or hasattr(X, "todense"):
        raise TypeError(
            f"{who} does not support sparse input: X is a {type(X).__name__}; pass a dense "
            "array (X.toarray())"
        )
    arr = np.asarray(X) if not hasattr(X, "numpy") else X
    if isinstance(arr, np.ndarray):
        if arr.dtype == object:
            try:
                arr = arr.astype(np.float64)
            except (TypeError, ValueError) as exc:
                raise TypeError(f"X in {who} must be numeric: {exc}") from None
        if arr.ndim == 2 and arr.shape[1] == 0:
            raise ValueError(
                f"0 feature(s) (shape={arr.shape}) while a minimum of 1 is required by {who}."
            )
    return arr


def validate_X(X, estimator, **kwargs):
    """``check_array`` after the sparse/object/empty checks."""
    return check_array(_precheck(X, estimator), estimator=estimator, **kwargs)


def validate_X_y(X, y, estimator):
    """``check_X_y`` after the same checks; a column-vector ``y`` is raveled with a warning."""
    X = _precheck(X, estimator)
    y_arr = np.asarray(y) if y is not None else None
    if y_arr is not None and y_arr.ndim == 2 and y_arr.shape[1] == 1:
        warnings.warn(
            "A column-vector y was passed when a 1d array was expected. Please change the shape "
            "of y to (n_samples,), for example using ravel().",
            DataConversionWarning, stacklevel=3,
        )
        y = y_arr.ravel()
    return check_X_y(X, y, estimator=estimator)
