"""Reverse-mode automatic differentiation: ``Tensor``, its ops, ``Function`` and grad modes."""

from .creation import *  # noqa: F401,F403
from .function import Function, FunctionCtx
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .ops import *  # noqa: F401,F403
from .tensor import Node, Tensor

__all__ = [
    "Tensor", "Node", "Function", "FunctionCtx", "no_grad", "enable_grad", "set_grad_enabled",
    "is_grad_enabled",
]
