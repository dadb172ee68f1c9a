"""Helpers for the meta-estimators: cloning a base estimator and the lazy default learners."""

from __future__ import annotations

import copy
import importlib

import numpy as np

__all__ = ["clone_estimator", "default_estimator", "seeded"]


def clone_estimator(estimator):
    """An unfitted copy with the same hyper-parameters (scikit-learn's ``clone`` contract)."""
    if not hasattr(estimator, "get_params") or isinstance(estimator, type):
        raise TypeError(
            f"estimator must be an estimator instance with get_params, got {estimator!r}"
        )
    params = estimator.get_params(deep=False)
    for name, value in params.items():
        if hasattr(value, "get_params") and not isinstance(value, type):
            params[name] = clone_estimator(value)
        else:
            params[name] = copy.deepcopy(value)
    return type(estimator)(**params)


def seeded(estimator, rng):
    """``estimator`` with every ``random_state`` parameter (nested too) drawn from ``rng``."""
    params = estimator.get_params(deep=True)
    seeds = {k: int(rng.integers(np.iinfo(np.int32).max))
             for k in sorted(params) if k == "random_state" or k.endswith("__random_state")}
    if seeds:
        estimator.set_params(**seeds)
    return estimator


def default_estimator(kind):
    """The library's own learner, imported when first needed (``kind`` 'adaboost' or 'stump').

    Importing inside ``fit`` keeps ``whiteboard.imbalance`` importable without ``whiteboard.ml``'s
    tree and ensemble modules.
    """
    module, name, params = {
        "adaboost": ("whiteboard.ml.ensemble", "AdaBoostClassifier", {}),
        "stump": ("whiteboard.ml.tree", "DecisionTreeClassifier", {"max_depth": 1}),
    }[kind]
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise ImportError(
            f"estimator=None uses {module}.{name}, which cannot be imported ({exc}); pass an "
            "estimator explicitly"
        ) from exc
    return cls(**params)
