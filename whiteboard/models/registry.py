"""Build models by name: ``models.get("resnet18", num_classes=10)``, ``models.list_models()``.

Each architecture module registers its builders with :func:`register`; the CLI and the
experiments build everything through :func:`get`.
"""

from __future__ import annotations

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
    return _REGISTRY[name][0](**kwargs)


def list_models():
    """Names of every registered model, sorted."""
    return sorted(_REGISTRY)


def needs_images(name):
    """True when the model takes NCHW images (False for MLPs on feature vectors)."""
    if name not in _REGISTRY:
        raise ValueError(f"unknown model {name!r}; known models: {', '.join(list_models())}")
    return _REGISTRY[name][1]
