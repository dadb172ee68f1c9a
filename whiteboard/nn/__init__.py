"""Neural-network building blocks with PyTorch's names: ``Module``, ``Parameter``, layers."""

from . import functional, init
from .containers import Flatten, Identity, ModuleDict, ModuleList, Sequential, Unflatten
from .module import Module, RemovableHandle
from .parameter import Parameter
from .loss import (  # noqa: F401
    BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, ExponentialLoss, FocalLoss, HingeLoss,
    HuberLoss, KLDivLoss, L1Loss, MSELoss, MultiMarginLoss, NLLLoss, SigmoidFocalLoss,
    SmoothL1Loss,
)
