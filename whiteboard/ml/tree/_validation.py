"""Input checks of the tree and ensemble estimators, on top of ``ml.base``'s helpers.

They add the errors scikit-learn users expect and ``check_estimator`` asserts: sparse input
and complex numbers are rejected by name, a non-numeric object array raises NumPy's own
``TypeError``, an empty feature axis gives scikit-learn's message, and a column-vector ``y``
warns (``DataConversionWarning``) before being flattened.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..base import check_array, check_X_y

__all__ = ["DataConversionWarning", "validate_X", "validate_X_y"]


class DataConversionWarning(UserWarning):
    """Input data was converted (here: a column-vector ``y`` flattened to 1-D)."""


def _precheck(X, estimator):
    who = type(estimator).__name__
    if hasattr(X, "tocsr") or hasattr(X, "toarray"):
        raise TypeError(f"{who} does not accept sparse input (got {type(X).__name__}); "
                        "sparse data is not supported, pass a dense array (X.toarray()).")
    if not hasattr(X, "__array__") and not isinstance(X, (list, tuple)):
        return X
    arr = np.asarray(X)
    if arr.dtype.kind == "c":
        raise ValueError(f"Complex data not supported (X of {who} has dtype {arr.dtype}).")
    if arr.dtype.kind == "O":
        arr = arr.astype(np.float64)
    if arr.ndim == 2 and arr.shape[1] == 0:
        raise ValueError(f"0 feature(s) (shape={arr.shape}) while a minimum of 1 is required "
                         f"by {who}.")
    return arr


def validate_X(X, estimator):
    """``X`` as a float64 2-D array for ``predict``-like methods."""
    return check_array(_precheck(X, estimator), estimator=estimator)


def validate_X_y(X, y, estimator, y_numeric=False):
    """Validated ``(X, y)`` for ``fit``; ``y`` of shape (n, 1) is flattened with a warning."""
    X = _precheck(X, estimator)
    if y is not None:
        y_arr = np.asarray(y)
        if y_arr.dtype.kind == "c":
            raise ValueError("Complex data not supported (y).")
        if y_arr.ndim == 2 and y_arr.shape[1] == 1:
            warnings.warn("A column-vector y was passed when a 1d array was expected. Please "
                          "change the shape of y to (n_samples,), for example using ravel().",
                          DataConversionWarning, stacklevel=3)
            y = y_arr.ravel()
    return check_X_y(X, y, y_numeric=y_numeric, estimator=estimator)
