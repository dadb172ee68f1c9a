"""Build models by name: ``models.get("resnet18", num_classes=10)``, ``models.list_models()``.

Each architecture module registers its builders with :func:`register`; the CLI and the
experiments build everything through :func:`get`.
"""

from __future__ import annotations

import numbers

__all__ = ["register", "get", "list_models", "needs_images"]

_REGISTRY = {}


def register(name, images=True):
    """Decorator: make ``fn(**kwargs) -> Module`` buildable as ``get(name)``."""

    def wrap(fn):
        if name in _REGISTRY:
            raise ValueError(f"model {name!r} is registered twice")
        _REGISTRY[name] = (fn, images)
        return fn

    return wrap


def get(name, **kwargs):
    """Build the model registered as ``name`` with keyword arguments (e.g. num_classes)."""
    if name not in _REGISTRY:
        raise ValueError(f"unknown model {name!r}; known models: {', '.join(list_models())}")
    for key in _SIZES:
        if key in kwargs:
            _check_sizes(name, key, kwargs[key])
    return _REGISTRY[name][0](**kwargs)


_SIZES = ("num_classes", "in_channels", "in_features", "hidden", "width", "growth_rate")


def _check_sizes(model, key, value):
    """The size arguments every builder shares are positive integers (``hidden``: one or a
    sequence of them), checked here so the error names the model and the argument rather than
    a layer deep inside it."""
    values = value if key == "hidden" and isinstance(value, (list, tuple)) else [value]
    for v in values:
        if key == "width" and isinstance(v, numbers.Real) and not isinstance(v, bool):
            ok = v > 0  # VGG's width is a multiplier
        else:
            ok = isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= 1
        if not ok:
            raise ValueError(f"models.get({model!r}): {key} must be a positive integer"
                             f"{' or a sequence of them' if key == 'hidden' else ''}, "
                             f"got {value!r}")


def list_models():
    """Names of every registered model, sorted."""
    return sorted(_REGISTRY)


def needs_images(name):
    """True when the model takes NCHW images (False for MLPs on feature vectors)."""
    if name not in _REGISTRY:
        raise ValueError(f"unknown model {name!r}; known models: {', '.join(list_models())}")
    return _REGISTRY[name][1]
