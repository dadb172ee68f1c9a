"""Input checks shared by the metrics: target types, label sets, consistent lengths.

The target types follow scikit-learn's ``type_of_target``: ``binary`` (at most two distinct
values), ``multiclass`` (more than two), ``multilabel-indicator`` (a 2-D 0/1 matrix with more than
one column), ``continuous`` (floats that are not all integral) and the ``*-multioutput`` forms.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "UndefinedMetricWarning",
    "check_consistent_length",
    "check_targets",
    "type_of_target",
    "unique_labels",
]


class UndefinedMetricWarning(UserWarning):
    """A metric is ill-defined (0/0); the value returned is the documented replacement."""


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
