"""``sampling_strategy`` in all of imbalanced-learn's forms, and the base class of the samplers.

A sampler's ``sampling_strategy`` says, per class, how many samples the resampled data set should
get. It is resolved against the class counts of ``y`` into a dict ``{class: n}`` whose meaning
depends on the sampler's kind:

- over-sampling: ``n`` is the number of samples to **add** to the class;
- under-sampling: ``n`` is the number of samples to **keep** in the class.

Forms (same semantics as imbalanced-learn 0.14), with ``N_maj``/``N_min`` the largest/smallest
class count (ties resolved towards the smallest label, as ``max``/``min`` over sorted classes):

- float ``a`` in (0, 1], binary ``y`` only: over-sampling brings every non-majority class to
  ``int(a * N_maj)`` (an error if that would remove samples); under-sampling brings every
  non-minority class to ``int(N_min / a)`` (an error if that would add samples).
- ``'minority'``: over-sample the minority class to ``N_maj`` (not for under-sampling).
- ``'majority'``: under-sample the majority class to ``N_min`` (not for over-sampling).
- ``'not minority'``: every class except the minority.
- ``'not majority'``: every class except the majority.
- ``'all'``: every class.
- ``'auto'``: ``'not majority'`` for over-sampling, ``'not minority'`` for under-sampling.
- dict ``{class: n}``: the wanted final count of each listed class.
- callable ``f(y) -> dict``: as the dict form.
"""

from __future__ import annotations

import functools
import numbers
from dataclasses import dataclass, fields

import numpy as np

from ..ml.base import BaseEstimator, NotFittedError, check_array, check_classification_targets

__all__ = ["BaseSampler", "check_sampling_strategy"]

_STRING_FORMS = ("auto", "minority", "majority", "not minority", "not majority", "all")


def _class_counts(y):
    classes, counts = np.unique(y, return_counts=True)
    return dict(zip(classes.tolist(), counts.tolist()))


def _majority(stats):
    return max(stats, key=stats.get)


def _minority(stats):
    return min(stats, key=stats.get)


def _from_string(form, stats, sampling_type):
    n_maj, n_min = max(stats.values()), min(stats.values())
    c_maj, c_min = _majority(stats), _minority(stats)
    if form == "auto":
        form = "not majority" if sampling_type == "over-sampling" else "not minority"
    if sampling_type == "over-sampling" and form == "majority":
        raise ValueError("sampling_strategy='majority' cannot be used with an over-sampler.")
    if sampling_type == "under-sampling" and form == "minority":
        raise ValueError("sampling_strategy='minority' cannot be used with an under-sampler.")
    selected = {
        "minority": lambda c: c == c_min,
        "majority": lambda c: c == c_maj,
        "not minority": lambda c: c != c_min,
        "not majority": lambda c: c != c_maj,
        "all": lambda c: True,
    }[form]
    if sampling_type == "over-sampling":
        return {c: n_maj - n for c, n in stats.items() if selected(c)}
    return {c: n_min for c in stats if selected(c)}


def _from_dict(wanted, stats, sampling_type):
    if not isinstance(wanted, dict):
        raise ValueError(  # noqa: TRY004 (imbalanced-learn raises ValueError: keep it)
            f"A callable sampling_strategy must return a dict, got {type(wanted).__name__}"
        )
    unknown = set(wanted) - set(stats)
    if unknown:
        raise ValueError(
            f"sampling_strategy names class(es) {sorted(unknown, key=repr)} that are not present "
            f"in y (classes present: {sorted(stats)})"
        )
    out = {}
    for c, n in wanted.items():
        if not isinstance(n, (numbers.Integral, np.integer)) or isinstance(n, bool) or n < 0:
            raise ValueError(
                f"sampling_strategy asks for {n!r} samples of class {c!r}: the number of samples "
                "in a class must be a non-negative integer"
            )
        if sampling_type == "over-sampling":
            if n < stats[c]:
                raise ValueError(
                    f"sampling_strategy asks for {n} samples of class {c!r}, which has "
                    f"{stats[c]}: an over-sampler cannot remove samples"
                )
            out[c] = int(n) - stats[c]
        else:
            if n > stats[c]:
                raise ValueError(
                    f"sampling_strategy asks for {n} samples of class {c!r}, which has "
                    f"{stats[c]}: an under-sampler cannot add samples"
                )
            out[c] = int(n)
    return out


def _from_float(ratio, stats, sampling_type):
    if len(stats) != 2:
        raise ValueError(
            f"sampling_strategy can be a float only when y is binary; y has {len(stats)} "
            "classes: use a dict for multi-class targets"
        )
    if not 0 < ratio <= 1:
        raise ValueError(f"sampling_strategy as a float must be in (0, 1], got {ratio}")
    if sampling_type == "over-sampling":
        n_maj, c_maj = max(stats.values()), _majority(stats)
        out = {c: int(n_maj * ratio - n) for c, n in stats.items() if c != c_maj}
        if any(v <= 0 for v in out.values()):
            raise ValueError(
                f"sampling_strategy={ratio} would remove samples from the minority class "
                f"(class counts {stats}) while over-sampling: increase the ratio"
            )
        return out
    n_min, c_min = min(stats.values()), _minority(stats)
    out = {c: int(n_min / ratio) for c in stats if c != c_min}
    if any(n > stats[c] for c, n in out.items()):
        raise ValueError(
            f"sampling_strategy={ratio} would add samples to the majority class "
            f"(class counts {stats}) while under-sampling: increase the ratio"
        )
    return out


def check_sampling_strategy(sampling_strategy, y, sampling_type):
    """Resolve ``sampling_strategy`` against ``y`` into a dict ``{class: n}`` sorted by class.

    ``sampling_type`` is ``'over-sampling'`` (``n`` = samples to add) or ``'under-sampling'``
    (``n`` = samples to keep). See the module docstring for the forms.
    """
    if sampling_type not in ("over-sampling", "under-sampling"):
        raise ValueError(
            f"sampling_type must be 'over-sampling' or 'under-sampling', got {sampling_type!r}"
        )
    y = np.asarray(y)
    stats = _class_counts(y)
    if len(stats) < 2:
        raise ValueError(f"y needs more than 1 class to be resampled, got {len(stats)} class")
    if isinstance(sampling_strategy, str):
        if sampling_strategy not in _STRING_FORMS:
            raise ValueError(
                f"sampling_strategy as a string must be one of {_STRING_FORMS}, got "
                f"{sampling_strategy!r}"
            )
        out = _from_string(sampling_strategy, stats, sampling_type)
    elif isinstance(sampling_strategy, dict):
        out = _from_dict(sampling_strategy, stats, sampling_type)
    elif isinstance(sampling_strategy, numbers.Real) and not isinstance(sampling_strategy, bool):
        out = _from_float(float(sampling_strategy), stats, sampling_type)
    elif callable(sampling_strategy):
        out = _from_dict(sampling_strategy(y), stats, sampling_type)
    else:
        raise ValueError(  # noqa: TRY004 (imbalanced-learn raises ValueError: keep it)
            "sampling_strategy must be a float, a string, a dict or a callable, got "
            f"{sampling_strategy!r} of type {type(sampling_strategy).__name__}"
        )
    return dict(sorted(out.items()))


@dataclass
class SamplerTags:
    """imbalanced-learn's sampler tag: ``sample_indices`` is True when the sampler only selects
    rows (and records them in ``sample_indices_``)."""

    sample_indices: bool = False


@functools.cache
def _sampler_tags_class():
    """scikit-learn's ``Tags`` (a slotted dataclass) plus a ``sampler_tags`` field, built on
    first use so that scikit-learn stays a dev-only import."""
    from sklearn.utils import Tags

    @dataclass(slots=True)
    class SamplerEstimatorTags(Tags):
        sampler_tags: SamplerTags | None = None

    return SamplerEstimatorTags


class BaseSampler(BaseEstimator):
    """Common ``fit``/``fit_resample`` of the samplers.

    ``fit_resample(X, y)`` validates the input, resolves ``sampling_strategy`` into the fitted
    ``sampling_strategy_`` and returns ``(X_resampled, y_resampled)``. Subclasses implement
    ``_fit_resample(X, y)`` and set ``_sampling_type``.
    """

    _estimator_type = "sampler"
    # float32/float64 X keeps its dtype in the output (other dtypes become float64)
    _sampling_type = None
    _allow_nan = False
    _sample_indices = False  # True where fit_resample sets ``sample_indices_``

    def _check_X_y(self, X, y, allow_nan=None):
        allow_nan = self._allow_nan if allow_nan is None else allow_nan
        X = check_array(X, allow_nan=allow_nan, estimator=self, dtype=None)
        if X.dtype.kind not in "fc":
            X = check_array(X, allow_nan=allow_nan, estimator=self)
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y (the class labels); got None")
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y.ravel()
        if y.ndim != 1:
            raise ValueError(f"y must be 1-D class labels, got an array of shape {y.shape}")
        if len(y) != len(X):
            raise ValueError(
                f"X and y have inconsistent numbers of samples: X has {X.shape[0]} rows "
                f"(shape {X.shape}), y has {len(y)}"
            )
        if y.dtype.kind == "f" and not np.isfinite(y).all():
            raise ValueError("Input y contains NaN or infinity.")
        check_classification_targets(y)
        return X, y

    def _update_sklearn_tags(self, tags):
        # as imbalanced-learn: y is required; NaN allowed only by the samplers that copy rows;
        # ``sampler_tags.sample_indices`` says whether ``sample_indices_`` is set by the fit
        tags.target_tags.required = True
        tags.input_tags.allow_nan = self._allow_nan
        values = {f.name: getattr(tags, f.name) for f in fields(tags)}
        return _sampler_tags_class()(**values,
                                     sampler_tags=SamplerTags(self._sample_indices))

    def _check_params(self):
        """Parameters checked at fit, as imbalanced-learn's constraints (the error names them)."""
        if "random_state" in self.get_params(deep=False):
            rs = self.random_state
            ok = (rs is None or isinstance(rs, (np.random.RandomState, np.random.Generator))
                  or (isinstance(rs, numbers.Integral) and not isinstance(rs, bool)
                      and 0 <= rs <= 2**32 - 1))
            if not ok:
                raise ValueError(
                    f"The 'random_state' parameter of {type(self).__name__} must be an int in "
                    "the range [0, 4294967295], an instance of 'numpy.random.RandomState' or "
                    f"'numpy.random.Generator', or None. Got {rs!r} instead."
                )

    def _validate_and_resolve(self, X, y):
        self._check_params()
        X, y = self._check_X_y(X, y)
        self.sampling_strategy_ = check_sampling_strategy(
            self.sampling_strategy, y, self._sampling_type
        )
        self.n_features_in_ = X.shape[1]
        return X, y

    def fit(self, X, y):
        """Validate ``X``, ``y`` and resolve ``sampling_strategy_``; use ``fit_resample``."""
        self._validate_and_resolve(X, y)
        return self

    def fit_resample(self, X, y):
        """Resample ``X`` (n, d) and ``y`` (n,); returns ``(X_resampled, y_resampled)``.

        As imbalanced-learn, the output has the input's container: a list ``X`` (or ``y``)
        comes back as a list, anything else as a NumPy array.
        """
        X_in, y_in = X, y
        X, y = self._validate_and_resolve(X, y)
        X_res, y_res = self._fit_resample(X, y)
        if isinstance(X_in, list):
            X_res = X_res.tolist()
        if isinstance(y_in, list):
            y_res = y_res.tolist()
        return X_res, y_res

    def get_feature_names_out(self, input_features=None):
        """Names of the output features: a sampler keeps the columns, so these are the input's
        (``input_features``, else ``feature_names_in_``, else ``x0 … x{d-1}``), as an object
        array — scikit-learn's one-to-one feature-names contract."""
        if not hasattr(self, "n_features_in_"):
            raise NotFittedError(f"This {type(self).__name__} instance is not fitted yet. Call "
                                 "'fit' or 'fit_resample' first.")
        names_in = getattr(self, "feature_names_in_", None)
        if input_features is None:
            if names_in is not None:
                return np.asarray(names_in, dtype=object)
            return np.asarray([f"x{i}" for i in range(self.n_features_in_)], dtype=object)
        input_features = np.asarray(input_features, dtype=object)
        if input_features.ndim != 1 or len(input_features) != self.n_features_in_:
            raise ValueError(f"input_features should have length equal to number of features "
                             f"({self.n_features_in_}), got {len(input_features)}")
        if names_in is not None and not np.array_equal(input_features, names_in):
            raise ValueError("input_features is not equal to feature_names_in_")
        return input_features

    def _fit_resample(self, X, y):
        raise NotImplementedError
