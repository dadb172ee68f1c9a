"""Neural-network building blocks with PyTorch's names: ``Module``, ``Parameter``, layers."""

from . import functional, init, utils, winograd
from .containers import Flatten, Identity, ModuleDict, ModuleList, Sequential, Unflatten
from .module import Module, RemovableHandle
from .parameter import Parameter
from .conv import Conv1d, Conv2d
from .conv_transpose import ConvTranspose2d
from .linear import Linear
from .activation import (  # noqa: F401
    ELU, GELU, Hardsigmoid, Hardswish, Hardtanh, LeakyReLU, LogSoftmax, Maxout, MaxoutConv2d,
    Mish, PReLU, ReLU, ReLU6, RReLU, Sigmoid, SiLU, Softmax, Softplus, Swish, Tanh,
)
from .loss import (  # noqa: F401
    BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, ExponentialLoss, FocalLoss, HingeLoss,
    HuberLoss, KLDivLoss, L1Loss, MSELoss, MultiMarginLoss, NLLLoss, SigmoidFocalLoss,
    SmoothL1Loss,
)
from .pooling import (  # noqa: F401
    AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AvgPool1d,
    AvgPool2d, GlobalAvgPool2d, MaxPool1d, MaxPool2d, SpatialPyramidPooling,
)
from .normalization import (  # noqa: F401
    BatchNorm1d, BatchNorm2d, BatchNorm3d, GroupNorm, InstanceNorm1d, InstanceNorm2d,
    InstanceNorm3d, LayerNorm, LocalResponseNorm,
)
from .dropout import Dropout, Dropout2d  # noqa: F401
from .rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell  # noqa: F401
from .noise import GaussianNoise  # noqa: F401
from .metric_loss import (  # noqa: F401
    BatchHardTripletLoss, CosineEmbeddingLoss, MarginRankingLoss, TripletMarginLoss,
)
