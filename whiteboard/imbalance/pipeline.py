"""A Pipeline that resamples during ``fit`` only (imbalanced-learn's ``Pipeline``).

A resampler changes the training set (it adds or removes rows), so it must act when the model is
fitted and never when it predicts: at prediction time every row must get an answer. In ``fit``
each intermediate step either resamples (``fit_resample``: X and y both change) or transforms
(``fit_transform``); in ``predict``/``predict_proba``/``decision_function``/``score``/``transform``
the samplers are skipped and only the transformers are applied. Inside ``cross_val_score`` or
``GridSearchCV`` this means each training fold is resampled on its own and the validation fold is
left as it is — resampling before splitting would leak synthetic copies of validation samples into
training.
"""

from __future__ import annotations

from ..ml.base import BaseEstimator

__all__ = ["Pipeline", "make_pipeline"]


def _is_passthrough(step):
    return step is None or (isinstance(step, str) and step == "passthrough")


class _available:
    """A method that exists only when the last step can do it (scikit-learn's ``available_if``).

    ``hasattr(pipe, 'predict_proba')`` must answer like the final estimator, because scorers and
    meta-estimators choose what to call by asking.
    """

    def __init__(self, name, needs=None, passthrough_ok=False):
        self.name = name
        self.needs = needs or (name,)
        self.passthrough_ok = passthrough_ok

    def __set_name__(self, owner, attr):
        self.attr = attr

    def __get__(self, obj, owner=None):
        impl = getattr(owner if obj is None else type(obj), f"_{self.attr}")
        if obj is None:
            return impl
        last = obj._final_estimator
        ok = (self.passthrough_ok if _is_passthrough(last)
              else any(hasattr(last, n) for n in self.needs))
        if not ok:
            raise AttributeError(
                f"This Pipeline has no {self.attr!r}: its last step {last!r} does not implement "
                f"{' or '.join(self.needs)}"
            )
        return impl.__get__(obj, type(obj))


class Pipeline(BaseEstimator):
    """Chain of transformers and samplers ending in an estimator.

    Parameters
    ----------
    steps : list of (name, estimator) tuples
        Intermediate steps implement ``fit_resample`` (samplers, used in ``fit`` only) or
        ``fit``/``transform`` (transformers); the last step is any estimator. A step may be
        ``'passthrough'`` or None. Nested parameters are ``<name>__<param>``.

    Attributes
    ----------
    named_steps : dict {name: estimator}
    classes_, n_features_in_ : from the last / first step once fitted
    """

    def __init__(self, steps):
        self.steps = steps

    # ------------------------------------------------------------------ parameters
    def get_params(self, deep=True):
        out = {"steps": self.steps}
        if not deep:
            return out
        for name, step in self.steps:
            out[name] = step
            if hasattr(step, "get_params") and not isinstance(step, type):
                for key, value in step.get_params(deep=True).items():
                    out[f"{name}__{key}"] = value
        return out

    def set_params(self, **params):
        if "steps" in params:
            self.steps = params.pop("steps")
        names = [name for name, _ in self.steps]
        for key in [k for k in params if k in names]:
            i = names.index(key)
            self.steps = [*self.steps[:i], (key, params.pop(key)), *self.steps[i + 1:]]
        nested = {}
        for key, value in params.items():
            name, sep, sub = key.partition("__")
            if not sep or name not in names:
                raise ValueError(
                    f"Invalid parameter {key!r} for Pipeline: expected 'steps', a step name "
                    f"{names} or '<step>__<param>'"
                )
            nested.setdefault(name, {})[sub] = value
        for name, sub_params in nested.items():
            self.named_steps[name].set_params(**sub_params)
        return self

    # ------------------------------------------------------------------ structure
    @property
    def named_steps(self):
        return dict(self.steps)

    @property
    def _final_estimator(self):
        return self.steps[-1][1]

    def __len__(self):
        return len(self.steps)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Pipeline(self.steps[index])
        if isinstance(index, str):
            return self.named_steps[index]
        return self.steps[index][1]

    @property
    def _estimator_type(self):
        return getattr(self._final_estimator, "_estimator_type", None)

    @property
    def classes_(self):
        return self._final_estimator.classes_

    @property
    def n_features_in_(self):
        for _, step in self.steps:
            if not _is_passthrough(step):
                return step.n_features_in_
        raise AttributeError("Pipeline has no step with n_features_in_")

    def _validate_steps(self):
        if not isinstance(self.steps, (list, tuple)) or not self.steps:
            raise TypeError(f"steps must be a non-empty list of (name, estimator), got "
                            f"{self.steps!r}")
        names = []
        for item in self.steps:
            if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)):
                raise TypeError(f"each step must be a (name, estimator) tuple, got {item!r}")
            names.append(item[0])
        if len(set(names)) != len(names):
            raise ValueError(f"Pipeline step names must be unique, got {names}")
        bad = [n for n in names if "__" in n]
        if bad:
            raise ValueError(f"Pipeline step names must not contain '__', got {bad}")
        for name, step in self.steps[:-1]:
            if _is_passthrough(step):
                continue
            resamples = hasattr(step, "fit_resample")
            transforms = hasattr(step, "transform")
            if resamples and transforms:
                raise TypeError(
                    f"Pipeline step {name!r} ({step!r}) implements both fit_resample and "
                    "transform: it must be a sampler or a transformer, not both"
                )
            if not (resamples or transforms):
                raise TypeError(
                    f"All intermediate steps of the chain must be samplers (fit_resample) or "
                    f"transformers (fit and transform); {name!r} is {step!r}"
                )
        last = self._final_estimator
        if not _is_passthrough(last) and not hasattr(last, "fit"):
            raise TypeError(f"The last step must implement fit, got {last!r}")

    @staticmethod
    def _split_fit_params(names, fit_params):
        routed = {name: {} for name in names}
        for key, value in fit_params.items():
            name, sep, param = key.partition("__")
            if not sep or name not in routed:
                raise ValueError(
                    f"Pipeline.fit does not accept the {key!r} parameter: pass parameters to "
                    f"a step as '<step>__<param>' with a step of {names}"
                )
            routed[name][param] = value
        return routed

    # ------------------------------------------------------------------ fitting
    def _fit_intermediate(self, X, y, routed):
        for name, step in self.steps[:-1]:
            if _is_passthrough(step):
                continue
            params = routed[name]
            if hasattr(step, "fit_resample"):
                X, y = step.fit_resample(X, y, **params)
            elif hasattr(step, "fit_transform"):
                X = step.fit_transform(X, y, **params)
            else:
                X = step.fit(X, y, **params).transform(X)
        return X, y

    def fit(self, X, y=None, **fit_params):
        """Fit every step on the output of the previous one (samplers resample here)."""
        self._validate_steps()
        routed = self._split_fit_params([n for n, _ in self.steps], fit_params)
        Xt, yt = self._fit_intermediate(X, y, routed)
        last_name, last = self.steps[-1]
        if not _is_passthrough(last):
            last.fit(Xt, yt, **routed[last_name])
        return self

    def _fit_resample(self, X, y, **fit_params):
        """Fit the chain and return the last step's ``fit_resample`` output."""
        self._validate_steps()
        routed = self._split_fit_params([n for n, _ in self.steps], fit_params)
        Xt, yt = self._fit_intermediate(X, y, routed)
        last_name, last = self.steps[-1]
        if _is_passthrough(last):
            return Xt, yt
        return last.fit_resample(Xt, yt, **routed[last_name])

    def _fit_transform(self, X, y=None, **fit_params):
        self._validate_steps()
        routed = self._split_fit_params([n for n, _ in self.steps], fit_params)
        Xt, yt = self._fit_intermediate(X, y, routed)
        last_name, last = self.steps[-1]
        if _is_passthrough(last):
            return Xt
        if hasattr(last, "fit_transform"):
            return last.fit_transform(Xt, yt, **routed[last_name])
        return last.fit(Xt, yt, **routed[last_name]).transform(Xt)

    def _fit_predict(self, X, y=None, **fit_params):
        self._validate_steps()
        routed = self._split_fit_params([n for n, _ in self.steps], fit_params)
        Xt, yt = self._fit_intermediate(X, y, routed)
        last_name, last = self.steps[-1]
        return last.fit_predict(Xt, yt, **routed[last_name])

    # ------------------------------------------------------------------ inference
    def _transform_for_inference(self, X):
        for _, step in self.steps[:-1]:
            if _is_passthrough(step) or hasattr(step, "fit_resample"):
                continue
            X = step.transform(X)
        return X

    def _predict(self, X, **params):
        return self._final_estimator.predict(self._transform_for_inference(X), **params)

    def _predict_proba(self, X, **params):
        return self._final_estimator.predict_proba(self._transform_for_inference(X), **params)

    def _predict_log_proba(self, X, **params):
        return self._final_estimator.predict_log_proba(self._transform_for_inference(X), **params)

    def _decision_function(self, X):
        return self._final_estimator.decision_function(self._transform_for_inference(X))

    def _score_samples(self, X):
        return self._final_estimator.score_samples(self._transform_for_inference(X))

    def _transform(self, X):
        Xt = self._transform_for_inference(X)
        last = self._final_estimator
        return Xt if _is_passthrough(last) else last.transform(Xt)

    def _score(self, X, y=None, sample_weight=None):
        Xt = self._transform_for_inference(X)
        if sample_weight is None:
            return self._final_estimator.score(Xt, y)
        return self._final_estimator.score(Xt, y, sample_weight=sample_weight)

    fit_resample = _available("fit_resample", passthrough_ok=True)
    fit_transform = _available("fit_transform", ("fit_transform", "transform"), True)
    fit_predict = _available("fit_predict")
    predict = _available("predict")
    predict_proba = _available("predict_proba")
    predict_log_proba = _available("predict_log_proba")
    decision_function = _available("decision_function")
    score_samples = _available("score_samples")
    transform = _available("transform", passthrough_ok=True)
    score = _available("score")

    def __sklearn_is_fitted__(self):
        last = self._final_estimator
        if _is_passthrough(last):
            return True
        return any(k.endswith("_") and not k.startswith("__") for k in vars(last))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        last = self._final_estimator
        if hasattr(last, "__sklearn_tags__"):
            final = last.__sklearn_tags__()
            tags.estimator_type = final.estimator_type
            tags.classifier_tags = final.classifier_tags
            tags.regressor_tags = final.regressor_tags
            tags.target_tags = final.target_tags
            tags.transformer_tags = final.transformer_tags
        return tags


def make_pipeline(*steps):
    """``Pipeline`` with steps named after their lower-cased class names ('-1', '-2' for twins)."""
    names = [type(s).__name__.lower() if not _is_passthrough(s) else "passthrough" for s in steps]
    counts = {n: names.count(n) for n in names}
    seen = {}
    unique = []
    for n in names:
        if counts[n] > 1:
            seen[n] = seen.get(n, 0) + 1
            unique.append(f"{n}-{seen[n]}")
        else:
            unique.append(n)
    return Pipeline(list(zip(unique, steps)))
