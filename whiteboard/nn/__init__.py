"""Neural-network building blocks with PyTorch's names: ``Module``, ``Parameter``, layers."""

from . import functional, init
from .containers import Flatten, Identity, ModuleDict, ModuleList, Sequential, Unflatten
from .module import Module, RemovableHandle
from .parameter import Parameter
from .linear import Linear
