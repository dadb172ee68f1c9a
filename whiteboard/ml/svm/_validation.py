"""Input checks shared by the SVM estimators, in front of ``whiteboard.ml.base.check_array``.

They add what scikit-learn users (and ``check_estimator``) expect and the shared helpers do not
say in the same words: sparse input is refused by name, complex input is refused, an object
array with a non-numeric entry raises NumPy's own ``TypeError``, an empty feature axis gives
scikit-learn's "0 feature(s) ... while a minimum of 1 is required" and a column-vector y warns
with a ``DataConversionWarning``.
"""

from __future__ import annotations

import warnings

import numpy as np

from whiteboard.ml.base import check_array, check_X_y

__all__ = ["DataConversionWarning", "InvalidParameterError", "validate_X", "validate_X_y"]


class InvalidParameterError(ValueError, TypeError):
    """A hyper-parameter has a wrong type or value (as scikit-learn's, both error kinds)."""


class DataConversionWarning(UserWarning):
    """The input was converted (e.g. a column-vector y raveled), as scikit-learn's warning."""


def _dense(X, estimator, name="X"):
    who = type(estimator).__name__
    if hasattr(X, "toarray") or type(X).__module__.startswith("scipy.sparse"):
        raise TypeError(
            f"Sparse data was passed for {name} to {who}, but dense data is required. Use "
            f"'.toarray()' to convert to a dense numpy array."
        )
    if hasattr(X, "numpy") and not isinstance(X, np.ndarray):
        X = X.numpy()
    arr = np.asarray(X)
    if arr.dtype.kind == "c":
        raise ValueError(f"Complex data not supported: {name} passed to {who} has dtype "
                         f"{arr.dtype}")
    if arr.dtype.kind == "O":
        arr = arr.astype(np.float64)
    if arr.ndim == 2 and arr.shape[1] == 0:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={arr.shape}) while a minimum of 1 is "
            f"required by {who}."
        )
    return arr


def validate_X(X, estimator):
    """A finite float64 (n, d) array for ``estimator``, or a clear error."""
    return check_array(_dense(X, estimator), estimator=estimator)


def validate_X_y(X, y, estimator, y_numeric=False):
    """Validated ``(X, y)``; a column-vector y is raveled with a ``DataConversionWarning``."""
    X = _dense(X, estimator)
    if y is not None:
        y_arr = np.asarray(y)
        if y_arr.ndim == 2 and y_arr.shape[1] == 1:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected. Please change the "
                "shape of y to (n_samples, ), for example using ravel().",
                DataConversionWarning, stacklevel=3,
            )
            y = y_arr.ravel()
    return check_X_y(X, y, y_numeric=y_numeric, estimator=estimator)
