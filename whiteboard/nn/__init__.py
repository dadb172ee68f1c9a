"""Neural-network building blocks with PyTorch's names: ``Module``, ``Parameter``, layers."""

from . import functional, init
from .containers import Flatten, Identity, ModuleDict, ModuleList, Sequential, Unflatten
from .module import Module, RemovableHandle
from .parameter import Parameter
from .conv import Conv1d, Conv2d, ConvTranspose2d
from .pooling import (
    AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AvgPool1d,
    AvgPool2d, GlobalAvgPool2d, MaxPool1d, MaxPool2d, SpatialPyramidPooling,
)
