"""Input checks and their messages, shared by every layer (as ``sklearn.utils.validation``).

One module for what the estimators, metrics, samplers and layers check before they compute, so
that the same mistake gives the same message everywhere (DESIGN: ``validation`` imports nothing
of the library; everything above may import it):

- estimator inputs: :func:`check_array`, :func:`check_X_y`, :func:`check_sample_weight`,
  :func:`check_random_state`, :func:`check_is_fitted`, :func:`check_n_features`,
  :func:`check_classification_targets`, :func:`encode_labels` — the errors scikit-learn users
  expect (NaN/inf in X, wrong number of features, predict before fit, one class only), naming the
  argument and the shape;
- targets of the metrics: :func:`type_of_target`, :func:`unique_labels`,
  :func:`check_consistent_length`, :func:`check_targets`, :func:`weights_or_none`. The target types
  follow scikit-learn's ``type_of_target``: ``binary`` (at most two distinct values),
  ``multiclass`` (more than two), ``multilabel-indicator`` (a 2-D 0/1 matrix with more than one
  column), ``continuous`` (floats that are not all integral) and the ``*-multioutput`` forms;
- layer arguments: :func:`check_size`, :func:`check_same_float_dtype`;
- the error and warning types: :class:`NotFittedError`, :class:`InvalidParameterError`,
  :class:`DataConversionWarning`, :class:`UndefinedMetricWarning`. When the user's program has
  loaded scikit-learn, the raised classes also subclass scikit-learn's own (never imported here),
  so its tools recognise them.
"""

from __future__ import annotations

import numbers
import sys
import warnings

import numpy as np

__all__ = [
    "NotFittedError", "InvalidParameterError", "DataConversionWarning", "UndefinedMetricWarning",
    "check_array", "check_X_y", "check_is_fitted", "check_n_features", "check_random_state",
    "check_sample_weight", "check_classification_targets", "encode_labels",
    "check_consistent_length", "type_of_target", "unique_labels", "check_targets",
    "weights_or_none", "encode", "check_size", "check_same_float_dtype",
]


# ---------------------------------------------------------------------- errors and warnings
class NotFittedError(ValueError, AttributeError):
    """Raised when ``predict``/``transform`` is called before ``fit`` (as scikit-learn's)."""


_SKLEARN_CLASSES = {}


class DataConversionWarning(UserWarning):
    """Input data was converted (e.g. a column-vector ``y`` flattened to 1-D)."""


def _sklearn_flavoured(ours, sklearn_name):
    """``ours``, or a subclass of it and of ``sklearn.exceptions.<sklearn_name>`` when the
    user's program has loaded scikit-learn (never imported here), so that scikit-learn's tools
    (Pipeline, GridSearchCV, check_estimator) recognise it by its own class."""
    sk = sys.modules.get("sklearn.exceptions")
    if sk is None:
        return ours
    if sklearn_name not in _SKLEARN_CLASSES:
        _SKLEARN_CLASSES[sklearn_name] = type(
            ours.__name__, (ours, getattr(sk, sklearn_name)), {"__module__": ours.__module__}
        )
    return _SKLEARN_CLASSES[sklearn_name]


def _not_fitted_error():
    return _sklearn_flavoured(NotFittedError, "NotFittedError")


class InvalidParameterError(ValueError, TypeError):
    """A hyper-parameter has a wrong type or value (as scikit-learn's, both error kinds)."""


class UndefinedMetricWarning(UserWarning):
    """A metric is ill-defined (0/0); the value returned is the documented replacement."""


# ---------------------------------------------------------------------- estimator inputs
def check_array(X, name="X", ensure_2d=True, allow_nan=False, dtype=np.float64, min_samples=1,
                estimator=None):
    """``X`` as a float array, rejecting NaN/inf, wrong dimensionality, strings and empty input."""
    who = f" in {type(estimator).__name__}" if estimator is not None else ""
    if hasattr(X, "tocsr") or hasattr(X, "toarray"):
        raise TypeError(
            f"Sparse input {name}{who} is not supported: pass a dense array (X.toarray())."
        )
    if hasattr(X, "numpy") and not isinstance(X, np.ndarray):
        X = X.numpy()
    raw = np.asarray(X)
    if raw.dtype.kind == "c":
        raise ValueError(f"Complex data not supported for {name}{who}: {raw.dtype}")
    try:
        arr = raw.astype(dtype, copy=False) if dtype is not None else raw
    except (TypeError, ValueError) as exc:
        # an object array holding non-numbers is a type error (as NumPy and scikit-learn say);
        # a string array is a value error ("could not convert string to float")
        kind = TypeError if raw.dtype.kind == "O" or isinstance(exc, TypeError) else ValueError
        raise kind(f"{name}{who} must be numeric, got dtype {raw.dtype}: {exc}") from None
    if ensure_2d:
        if arr.ndim == 1:
            raise ValueError(
                f"Expected 2D array for {name}{who}, got 1D array of shape {arr.shape} instead. "
                "Reshape your data either using array.reshape(-1, 1) if your data has a single "
                "feature or array.reshape(1, -1) if it contains a single sample."
            )
        if arr.ndim != 2:
            raise ValueError(f"Expected 2D array for {name}{who}, got shape {arr.shape}")
        if arr.shape[1] == 0:
            raise ValueError(
                f"Found array with 0 feature(s) (shape={arr.shape}) while a minimum of 1 is "
                f"required{who}."
            )
    if arr.ndim and arr.shape[0] < min_samples:
        raise ValueError(
            f"Found array with {arr.shape[0]} sample(s) (shape={arr.shape}) while a minimum of "
            f"{min_samples} is required{who}."
        )
    # one summation pass screens the common all-finite case (a NaN or ±inf makes the sum
    # non-finite); only a non-finite sum (or an overflow) pays the two exact scans
    if arr.dtype.kind in "fc" and (allow_nan or not np.isfinite(arr.sum())):
        if not allow_nan and np.isnan(arr).any():
            raise ValueError(f"Input {name}{who} contains NaN.")
        if np.isinf(arr).any():
            raise ValueError(f"Input {name}{who} contains infinity or a value too large.")
    return arr


def check_X_y(X, y, allow_nan=False, y_numeric=False, multi_output=False, estimator=None):
    """Validated ``(X, y)`` with equal numbers of samples."""
    X = check_array(X, allow_nan=allow_nan, estimator=estimator)
    if y is None:
        raise ValueError(
            f"{type(estimator).__name__ if estimator else 'estimator'} requires y to be passed, "
            "but the target y is None"
        )
    y = np.asarray(y)
    if y.dtype.kind == "c":
        raise ValueError("Complex data not supported for y.")
    if not multi_output:
        if y.ndim == 2 and y.shape[1] == 1:
            warnings.warn(
                "A column-vector y was passed when a 1d array was expected. Please change the "
                "shape of y to (n_samples,), for example using ravel().",
                _sklearn_flavoured(DataConversionWarning, "DataConversionWarning"),
                stacklevel=3,
            )
            y = y.ravel()
        if y.ndim != 1:
            raise ValueError(f"y should be a 1d array, got an array of shape {y.shape} instead.")
    if y_numeric or y.dtype.kind in "fc":
        if y.dtype.kind == "O":
            y = y.astype(np.float64)
        if y.dtype.kind in "fc" and not np.isfinite(y).all():
            raise ValueError("Input y contains NaN or infinity.")
    if len(y) != len(X):
        raise ValueError(
            f"Found input variables with inconsistent numbers of samples: [{len(X)}, {len(y)}] "
            "(X and y)"
        )
    return X, y


def check_is_fitted(estimator, attributes=None):
    """Raise ``NotFittedError`` unless ``fit`` has set the learned attributes."""
    if attributes is None:
        fitted = [k for k in vars(estimator) if k.endswith("_") and not k.startswith("__")]
    else:
        names = [attributes] if isinstance(attributes, str) else attributes
        fitted = [a for a in names if hasattr(estimator, a)]
    if not fitted:
        raise _not_fitted_error()(
            f"This {type(estimator).__name__} instance is not fitted yet. Call 'fit' with "
            "appropriate arguments before using this estimator."
        )


def check_n_features(estimator, X):
    """Raise if ``X`` does not have the number of features seen in ``fit``."""
    if X.shape[1] != estimator.n_features_in_:
        raise ValueError(
            f"X has {X.shape[1]} features, but {type(estimator).__name__} is expecting "
            f"{estimator.n_features_in_} features as input."
        )


def check_random_state(seed):
    """A ``numpy.random.Generator`` from None, an int or a Generator/RandomState."""
    if seed is None or isinstance(seed, (numbers.Integral, np.integer)):
        return np.random.default_rng(seed)
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.RandomState):
        return np.random.default_rng(seed.randint(2**31))
    raise ValueError(f"{seed!r} cannot be used to seed a random generator")


def check_sample_weight(sample_weight, n_samples):
    """Sample weights as a float array of length ``n_samples`` (ones when None)."""
    if sample_weight is None:
        return np.ones(n_samples)
    w = np.asarray(sample_weight, dtype=np.float64)
    if w.ndim == 0:
        return np.full(n_samples, float(w))
    if w.shape != (n_samples,):
        raise ValueError(
            f"sample_weight.shape == {w.shape}, expected ({n_samples},)!"
        )
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("sample_weight must be finite and non-negative")
    return w


def check_classification_targets(y):
    """Reject continuous targets for a classifier (as scikit-learn's 'Unknown label type')."""
    if y.dtype.kind == "f" and not np.all(np.mod(y, 1) == 0):
        raise ValueError(
            "Unknown label type: continuous. Maybe you are trying to fit a classifier, which "
            "expects discrete classes on a regression target with continuous values."
        )


def encode_labels(y, min_classes=2, estimator=None):
    """``classes_`` (sorted unique labels, any dtype) and ``y`` as indices into it."""
    check_classification_targets(y)
    classes, encoded = np.unique(y, return_inverse=True)
    if len(classes) < min_classes:
        who = type(estimator).__name__ if estimator is not None else "classifier"
        raise ValueError(
            f"{who} needs samples of at least {min_classes} classes in the data, but the data "
            f"contains only one class: {classes[0]!r}"
        )
    return classes, encoded.reshape(-1)


# ---------------------------------------------------------------------- targets of the metrics
def _length(x):
    return x.shape[0] if hasattr(x, "shape") and x.ndim else len(x)


def check_consistent_length(**arrays):
    """Raise a ``ValueError`` naming the arguments when the given arrays differ in length.

    ``None`` entries are ignored; keyword names are used in the message, e.g.
    ``... inconsistent numbers of samples: y_true has 3, y_pred has 4``.
    """
    given = {k: _length(np.asarray(v) if not hasattr(v, "shape") else v)
             for k, v in arrays.items() if v is not None}
    if len(set(given.values())) > 1:
        detail = ", ".join(f"{k} has {n}" for k, n in given.items())
        raise ValueError(f"Found input variables with inconsistent numbers of samples: {detail}")


def _as_1d(y, name):
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        return y.ravel()
    if y.ndim != 1:
        raise ValueError(f"{name} should be a 1d array, got an array of shape {y.shape} instead.")
    return y


def type_of_target(y, input_name="y"):
    """The kind of target ``y`` is (see the module docstring)."""
    y = np.asarray(y)
    if y.ndim == 0 or y.ndim > 2:
        raise ValueError(f"{input_name} must be 1-D or 2-D, got shape {y.shape}")
    if y.dtype.kind == "O":
        kinds = {type(v) for v in y.ravel()[:1000]}
        if any(issubclass(k, (list, tuple, np.ndarray, dict, set)) for k in kinds):
            raise ValueError(f"{input_name}: nested sequences are not supported targets")
    suffix = ""
    if y.ndim == 2 and y.shape[1] > 1:
        if y.dtype.kind in "biuf" and np.isin(y, (0, 1)).all():
            return "multilabel-indicator"
        suffix = "-multioutput"
    if y.dtype.kind == "f":
        if not np.isfinite(y).all():
            raise ValueError(f"Input {input_name} contains NaN or infinity.")
        if np.any(y != y.astype(np.int64)):
            return "continuous" + suffix
    if suffix:
        return "multiclass" + suffix
    flat = y.ravel()
    if flat.size == 0:
        return "unknown"
    n_unique = len(np.unique(flat)) if flat.dtype.kind != "O" else len(set(flat.tolist()))
    return "multiclass" if n_unique > 2 else "binary"


def unique_labels(*ys):
    """Sorted union of the labels in the 1-D targets ``ys``; strings and numbers may not mix."""
    arrays = [np.asarray(y).ravel() for y in ys]
    has_str = [a.dtype.kind in "USO" and any(isinstance(v, str) for v in a[:1000])
               for a in arrays]
    has_num = [a.dtype.kind in "biuf" or (a.dtype.kind == "O" and
                                          any(not isinstance(v, str) for v in a[:1000]))
               for a in arrays]
    if any(has_str) and any(has_num):
        raise ValueError("Mix of label input types (string and number)")
    return np.unique(np.concatenate(arrays))


def check_targets(y_true, y_pred, sample_weight=None):
    """Validate a pair of classification targets.

    Returns ``(y_type, labels, y_true, y_pred)`` where ``y_type`` is ``binary``, ``multiclass``
    or ``multilabel-indicator`` and ``labels`` the sorted labels present in either target
    (column indices for multilabel).
    """
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    check_consistent_length(y_true=y_true, y_pred=y_pred, sample_weight=sample_weight)
    if _length(y_true) < 1:
        raise ValueError(
            "Found empty input array (e.g., `y_true` or `y_pred`) while a minimum of 1 sample "
            "is required."
        )
    type_true = type_of_target(y_true, "y_true")
    type_pred = type_of_target(y_pred, "y_pred")
    types = {type_true, type_pred}
    if types == {"binary", "multiclass"}:
        types = {"multiclass"}
    if len(types) > 1:
        raise ValueError(
            f"Classification metrics can't handle a mix of {type_true} and {type_pred} targets"
        )
    y_type = types.pop()
    if y_type not in ("binary", "multiclass", "multilabel-indicator"):
        raise ValueError(f"{y_type} is not supported")
    if y_type == "multilabel-indicator":
        if y_true.shape[1] != y_pred.shape[1]:
            raise ValueError(
                f"Multi-label binary indicator input with different numbers of labels: y_true "
                f"has {y_true.shape[1]} columns, y_pred has {y_pred.shape[1]}"
            )
        weights_or_none(sample_weight, y_true.shape[0])
        return y_type, np.arange(y_true.shape[1]), y_true, y_pred
    y_true = _as_1d(y_true, "y_true")
    y_pred = _as_1d(y_pred, "y_pred")
    weights_or_none(sample_weight, len(y_true))
    labels = unique_labels(y_true, y_pred)
    if y_type == "binary" and len(labels) > 2:
        y_type = "multiclass"
    return y_type, labels, y_true, y_pred


def weights_or_none(sample_weight, n, name="sample_weight"):
    """``sample_weight`` as a 1-D float array of length ``n`` (or None)."""
    if sample_weight is None:
        return None
    w = np.asarray(sample_weight)
    if w.ndim == 2 and w.shape[1] == 1:
        w = w.ravel()
    if w.shape != (n,):
        raise ValueError(f"{name} has shape {w.shape}, expected ({n},)")
    if w.size and np.all(w == 0):
        raise ValueError(f"Sample weights must contain at least one non-zero number "
                         f"({name} is all zero).")
    return w


def encode(y, classes):
    """Indices of ``y`` in the sorted array ``classes`` (every value of ``y`` must be there)."""
    return np.searchsorted(classes, y)


# ---------------------------------------------------------------------- layer arguments
def check_same_float_dtype(who, **tensors):
    """Every given tensor (None ignored) is floating and all share one dtype, as PyTorch demands
    ("mixed dtype: all inputs must share same datatype"); raise a TypeError naming them."""
    dtypes = {name: t.dtype for name, t in tensors.items() if t is not None}
    for name, dtype in dtypes.items():
        if dtype.kind != "f":
            raise TypeError(f"{who}: {name} must be a floating tensor, got dtype {dtype}")
    if len(set(dtypes.values())) > 1:
        listing = ", ".join(f"{name} {dtype}" for name, dtype in dtypes.items())
        raise TypeError(f"{who}: {', '.join(dtypes)} must have the same dtype, got {listing}")


def check_size(value, name, who, minimum=0):
    """A layer size (features, channels, groups ...) is an ``int`` (not a bool) ``>= minimum``.

    PyTorch fails later with "Trying to create tensor with negative dimension"; here the error
    names the layer and the argument: ``Linear: in_features must be an integer >= 0, got -1``.
    Returns the value as a Python int.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{who}: {name} must be an integer, got {value!r} "
                        f"({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{who}: {name} must be an integer >= {minimum}, got {value}")
    return int(value)
