"""Neural-network building blocks with PyTorch's names: ``Module``, ``Parameter``, layers."""

from . import functional, init
from .containers import Flatten, Identity, ModuleDict, ModuleList, Sequential, Unflatten
from .module import Module, RemovableHandle
from .parameter import Parameter
from .linear import Linear
from .activation import (  # noqa: F401
    ELU, GELU, Hardsigmoid, Hardswish, Hardtanh, LeakyReLU, LogSoftmax, Maxout, Mish, PReLU,
    ReLU, ReLU6, RReLU, Sigmoid, SiLU, Softmax, Softplus, Swish, Tanh,
)
from .normalization import (  # noqa: F401
    BatchNorm1d, BatchNorm2d, BatchNorm3d, GroupNorm, InstanceNorm1d, InstanceNorm2d,
    InstanceNorm3d, LayerNorm, LocalResponseNorm,
)
from .dropout import Dropout, Dropout2d  # noqa: F401
