"""Whether operations record a graph: ``no_grad``, ``enable_grad``, ``set_grad_enabled``."""

from __future__ import annotations

import functools
import threading

_local = threading.local()


def is_grad_enabled() -> bool:
    """True when new operations record the graph for ``backward``."""
    return getattr(_local, "enabled", True)


class set_grad_enabled:
    """Context manager (and decorator) that turns graph recording on or off."""

    def __init__(self, mode: bool):
        self.mode = bool(mode)
        self.prev = is_grad_enabled()
        _local.enabled = self.mode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _local.enabled = self.prev
        return False


class _GradMode:
    enabled: bool

    def __enter__(self):
        self.prev = is_grad_enabled()
        _local.enabled = self.enabled
        return self

    def __exit__(self, *exc):
        _local.enabled = self.prev
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return func(*args, **kwargs)

        return wrapper


class no_grad(_GradMode):
    """Context manager / decorator: operations inside keep no graph (inference, optimiser steps)."""

    enabled = False


class enable_grad(_GradMode):
    """Context manager / decorator: re-enables graph recording inside a ``no_grad`` block."""

    enabled = True
