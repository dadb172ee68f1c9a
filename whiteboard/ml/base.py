"""The scikit-learn estimator contract, on NumPy alone.

Hyper-parameters are ``__init__`` keywords stored unchanged under the same names; learned state
lives in attributes ending in ``_``. ``get_params``/``set_params`` read the ``__init__`` signature,
which is all ``sklearn.base.clone``, ``Pipeline`` and ``GridSearchCV`` need; scikit-learn itself
is never imported.

The validation helpers give the errors scikit-learn users expect (NaN/inf in X, wrong number of
features, predict before fit, one class only) with messages that name the argument and the shape.
"""

from __future__ import annotations

import inspect
import numbers
import sys
import warnings

import numpy as np

__all__ = [
    "BaseEstimator",
    "ClassifierMixin",
    "ProbaClassifierMixin",
    "RegressorMixin",
    "TransformerMixin",
    "ClusterMixin",
    "NotFittedError",
    "DataConversionWarning",
    "check_array",
    "check_X_y",
    "check_is_fitted",
    "check_n_features",
    "check_random_state",
    "check_sample_weight",
    "check_classification_targets",
    "encode_labels",
]


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
            ours.__name__, (ours, getattr(sk, sklearn_name)), {"__module__": __name__}
        )
    return _SKLEARN_CLASSES[sklearn_name]


def _not_fitted_error():
    return _sklearn_flavoured(NotFittedError, "NotFittedError")


class BaseEstimator:
    """Base class giving ``get_params``, ``set_params`` and a readable ``repr``."""

    @classmethod
    def _get_param_names(cls):
        init = cls.__init__
        if init is object.__init__:
            return []
        params = inspect.signature(init).parameters.values()
        for p in params:
            if p.kind == p.VAR_POSITIONAL:
                raise RuntimeError(
                    f"{cls.__name__} must list its hyper-parameters explicitly (no *args)"
                )
        return sorted(p.name for p in params if p.name != "self" and p.kind != p.VAR_KEYWORD)

    def get_params(self, deep=True):
        """Hyper-parameters as a dict; with ``deep``, nested estimators' as ``name__param``."""
        out = {}
        for name in self._get_param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                out.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            out[name] = value
        return out

    def set_params(self, **params):
        """Set hyper-parameters (``name__param`` reaches nested estimators); returns self."""
        if not params:
            return self
        valid = self.get_params(deep=True)
        nested = {}
        for key, value in params.items():
            name, sep, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for estimator {type(self).__name__}. "
                    f"Valid parameters are: {sorted(self._get_param_names())!r}."
                )
            if sep:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
                valid[name] = value
        for name, sub_params in nested.items():
            valid[name].set_params(**sub_params)
        return self

    def __repr__(self):
        defaults = {
            p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()
        }
        changed = []
        for name in self._get_param_names():
            value = getattr(self, name)
            default = defaults.get(name, inspect.Parameter.empty)
            same = value is default
            if not same:
                try:
                    same = bool(np.all(value == default)) and type(value) is type(default)
                except Exception:
                    same = False
            if not same:
                changed.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(changed)})"

    def __sklearn_tags__(self):
        """Tags for scikit-learn's meta-estimators and ``check_estimator``.

        Only called by scikit-learn, so importing it here adds no runtime dependency. An
        estimator adjusts its tags in ``_update_sklearn_tags(tags)``.
        """
        from sklearn.utils import (
            ClassifierTags, InputTags, RegressorTags, Tags, TargetTags, TransformerTags,
        )

        is_classifier = isinstance(self, ClassifierMixin)
        is_regressor = isinstance(self, RegressorMixin)
        tags = Tags(
            estimator_type=getattr(self, "_estimator_type", None),
            target_tags=TargetTags(required=is_classifier or is_regressor),
            transformer_tags=TransformerTags() if isinstance(self, TransformerMixin) else None,
            classifier_tags=ClassifierTags() if is_classifier else None,
            regressor_tags=RegressorTags() if is_regressor else None,
            input_tags=InputTags(),
        )
        update = getattr(self, "_update_sklearn_tags", None)
        return update(tags) if update is not None else tags


class ClassifierMixin:
    """``score`` = mean accuracy; marks the estimator as a classifier for scikit-learn."""

    _estimator_type = "classifier"

    def score(self, X, y, sample_weight=None):
        y = np.asarray(y)
        correct = (self.predict(X) == y).astype(float)
        return float(np.average(correct, weights=sample_weight))



class ProbaClassifierMixin(ClassifierMixin):
    """For classifiers defined by ``predict_proba``: ``predict`` is the most probable class (the
    first on ties) and ``predict_log_proba`` its logarithm (``-inf`` for a zero probability)."""

    def predict(self, X):
        """Class of largest probability, shape (n_samples,)."""
        proba = self.predict_proba(X)  # checks fitting first (a clear NotFittedError)
        return self.classes_[np.argmax(proba, axis=1)]

    def predict_log_proba(self, X):
        """Natural log of ``predict_proba``."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))


class RegressorMixin:
    """``score`` = coefficient of determination R²."""

    _estimator_type = "regressor"

    def score(self, X, y, sample_weight=None):
        y = np.asarray(y, dtype=float)
        pred = self.predict(X)
        w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
        w = w.reshape(-1, *([1] * (y.ndim - 1)))
        ss_res = (w * (y - pred) ** 2).sum(axis=0)
        ss_tot = (w * (y - np.average(y, axis=0, weights=w.ravel())) ** 2).sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            r2 = np.where(ss_tot > 0, 1 - ss_res / ss_tot, np.where(ss_res > 0, 0.0, 1.0))
        return float(np.mean(r2))



class TransformerMixin:
    """``fit_transform`` = ``fit`` then ``transform``."""

    def fit_transform(self, X, y=None, **fit_params):
        return self.fit(X, y, **fit_params).transform(X)



class ClusterMixin:
    """``fit_predict`` = ``fit`` then ``labels_``."""

    _estimator_type = "clusterer"

    def fit_predict(self, X, y=None, **fit_params):
        return self.fit(X, y, **fit_params).labels_


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
