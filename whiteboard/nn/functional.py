"""Stateless operations with ``torch.nn.functional``'s names.

Each op is defined beside its module in ``nn/<concept>.py`` (convolution in ``nn/conv.py``, ...)
and gathered here, so ``import whiteboard.nn.functional as F`` works as in PyTorch.
"""

from ..autograd.ops import pad  # noqa: F401
from .conv import conv1d, conv2d  # noqa: F401
from .conv_transpose import conv_transpose2d  # noqa: F401
from .linear import linear  # noqa: F401
from .activation import (  # noqa: F401
    elu, gelu, hardsigmoid, hardswish, hardtanh, leaky_relu, log_softmax, maxout, mish, prelu,
    relu, relu6, rrelu, sigmoid, silu, softmax, softplus, tanh,
)
from .loss import (  # noqa: F401
    binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, exponential_loss,
    focal_loss, hinge_loss, huber_loss, kl_div, l1_loss, l1_penalty, l2_penalty, mse_loss,
    multi_margin_loss, nll_loss, sigmoid_focal_loss, smooth_l1_loss, zero_one_loss,
)
from .pooling import (  # noqa: F401
    adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_max_pool1d, adaptive_max_pool2d,
    avg_pool1d, avg_pool2d, max_pool1d, max_pool2d, spatial_pyramid_pool,
)
from .normalization import (  # noqa: F401
    batch_norm, group_norm, instance_norm, layer_norm, local_response_norm,
)
from .dropout import dropout, dropout2d  # noqa: F401
from .metric_loss import (  # noqa: F401
    batch_hard_triplet_loss, cosine_embedding_loss, margin_ranking_loss, pairwise_distance,
    triplet_margin_loss,
)
