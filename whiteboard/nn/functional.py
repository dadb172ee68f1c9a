"""Stateless operations with ``torch.nn.functional``'s names.

Each op is defined beside its module in ``nn/<concept>.py`` (convolution in ``nn/conv.py``, ...)
and gathered here, so ``import whiteboard.nn.functional as F`` works as in PyTorch.
"""

from ..autograd.ops import pad  # noqa: F401
from .conv import conv1d, conv2d, conv_transpose2d  # noqa: F401
from .pooling import (  # noqa: F401
    adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_max_pool1d, adaptive_max_pool2d,
    avg_pool1d, avg_pool2d, max_pool1d, max_pool2d, spatial_pyramid_pool,
)
