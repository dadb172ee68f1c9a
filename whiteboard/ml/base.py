"""The scikit-learn estimator contract, on NumPy alone.

Hyper-parameters are ``__init__`` keywords stored unchanged under the same names; learned state
lives in attributes ending in ``_``. ``get_params``/``set_params`` read the ``__init__`` signature,
which is all ``sklearn.base.clone``, ``Pipeline`` and ``GridSearchCV`` need; scikit-learn itself
is never imported.

The input checks (``check_array``, ``check_X_y``, ``check_is_fitted`` ...) live in
:mod:`whiteboard.validation` and are re-exported here for the estimators.
"""

from __future__ import annotations

import inspect

import numpy as np

from ..validation import (  # re-exported: the estimator contract's checks  # noqa: F401
    DataConversionWarning,
    NotFittedError,
    _not_fitted_error,
    _sklearn_flavoured,
    check_array,
    check_classification_targets,
    check_is_fitted,
    check_n_features,
    check_random_state,
    check_sample_weight,
    check_X_y,
    encode_labels,
)

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
