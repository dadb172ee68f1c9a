"""Stateless operations with ``torch.nn.functional``'s names.

Each op is defined beside its module in ``nn/<concept>.py`` (convolution in ``nn/conv.py``, ...)
and gathered here, so ``import whiteboard.nn.functional as F`` works as in PyTorch.
"""

from ..autograd.ops import pad  # noqa: F401
from .linear import linear  # noqa: F401
from .activation import (  # noqa: F401
    elu, gelu, hardsigmoid, hardswish, hardtanh, leaky_relu, log_softmax, maxout, mish, prelu,
    relu, relu6, rrelu, sigmoid, silu, softmax, softplus, tanh,
)
from .normalization import (  # noqa: F401
    batch_norm, group_norm, instance_norm, layer_norm, local_response_norm,
)
from .dropout import dropout, dropout2d  # noqa: F401
