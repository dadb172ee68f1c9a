"""Network in Network (Lin, Chen & Yan, ICLR 2014).

An *mlpconv* block replaces a linear convolution by a small MLP slid over the image: a k×k
convolution followed by 1x1 convolutions ("cascaded cross-channel parametric pooling"), each with
ReLU, so every receptive field goes through a non-linear function approximator
``f(x_{ij}) = relu(W_2 relu(W_1 x_{ij} + b_1) + b_2)``. The last mlpconv emits one map per class
and **global average pooling** replaces the fully connected classifier: the logit of class c is
the mean of its confidence map, ``z_c = (1/HW) Σ_ij f_c(x)_{ij}`` — no parameters to over-fit,
and the maps are directly interpretable as class confidences.

``nin`` is the paper's CIFAR-10 network (the authors' released Caffe model): three mlpconv blocks
(5x5 192 → 1x1 160 → 1x1 96; 5x5 192 → 1x1 192 → 1x1 192; 3x3 192 → 1x1 192 → 1x1 classes), 3x3/2
max pooling then 3x3/2 average pooling (Caffe's rounding up: ``ceil_mode=True``) with dropout 0.5
after the first two blocks, global average pooling. Parameters for 10 classes, with biases:
14,592 + 30,880 + 15,456 + 460,992 + 37,056 + 37,056 + 331,968 + 37,056 + 1,930 = **966,986**
(the "0.97M" quoted for NIN on CIFAR-10). The paper gives the layout, not the count, so the count
is this sum, checked in the test layer by layer.
"""

from __future__ import annotations

from .. import nn
from ..autograd import ops
from .registry import register

__all__ = ["MLPConv", "NIN", "nin"]


class MLPConv(nn.Sequential):
    """k×k conv → ReLU, then a 1x1 conv → ReLU per entry of ``mlp`` (the micro network).
    With ``last_relu=False`` the final 1x1 convolution stays linear."""

    def __init__(self, in_channels, out_channels, kernel_size, mlp, stride=1, padding=0,
                 last_relu=True):
        layers = [nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride,
                            padding=padding), nn.ReLU()]
        c = out_channels
        for i, width in enumerate(mlp):
            layers.append(nn.Conv2d(c, width, 1))
            if last_relu or i < len(mlp) - 1:
                layers.append(nn.ReLU())
            c = width
        super().__init__(*layers)
        self.out_channels = c


class NIN(nn.Module):
    """The CIFAR-10 Network in Network; ``forward`` returns the logits ``(N, num_classes)``."""

    def __init__(self, num_classes=10, in_channels=3, dropout=0.5):
        super().__init__()
        self.features = nn.Sequential(
            MLPConv(in_channels, 192, 5, (160, 96), padding=2),
            nn.MaxPool2d(3, stride=2, ceil_mode=True),
            nn.Dropout(dropout),
            MLPConv(96, 192, 5, (192, 192), padding=2),
            nn.AvgPool2d(3, stride=2, ceil_mode=True),
            nn.Dropout(dropout),
            MLPConv(192, 192, 3, (192, num_classes), padding=1),
        )
        self.avgpool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x):
        return ops.flatten(self.avgpool(self.features(x)), 1)


@register("nin")
def nin(num_classes=10, in_channels=3, **kwargs):
    """Network in Network (mlpconv blocks, global average pooling), CIFAR-10 layout."""
    return NIN(num_classes, in_channels, **kwargs)
