"""Inception-ResNet-v2 (Szegedy, Ioffe, Vanhoucke & Alemi 2016, Figures 3, 16–18, 7 and 18's
reductions).

Inception modules whose concatenated branches are projected back by a linear 1x1 convolution
(with bias, no BN/ReLU) and added to the input as a residual, ``y = relu(x + s · F(x))``: the
paper scales the residual by s ∈ [0.1, 0.3] before the sum because without it very wide
residual Inception networks "died" early in training (the last layers output only zeros).

Layout for 299x299 inputs, as the TF-slim model and its widely used port
(``pretrainedmodels.inceptionresnetv2``):

* stem: 3x3/2 conv 32, 3x3 conv 32, 3x3 conv 64 (padded), 3x3/2 max pool, 1x1 conv 80,
  3x3 conv 192, 3x3/2 max pool; ``Mixed_5b``: 1x1 96; 1x1 48 → 5x5 64;
  1x1 64 → 3x3 96 → 3x3 96; avg pool → 1x1 64 (320 channels at 35x35);
* 10 × Block35 (Inception-ResNet-A, s = 0.17): 1x1 32; 1x1 32 → 3x3 32; 1x1 32 → 3x3 48 → 3x3 64;
  1x1 128 → 320;
* ``Mixed_6a`` (Reduction-A, k, l, m, n = 256, 256, 384, 384) → 1088 channels at 17x17;
* 20 × Block17 (Inception-ResNet-B, s = 0.10): 1x1 192; 1x1 128 → 1x7 160 → 7x1 192;
  1x1 384 → 1088;
* ``Mixed_7a`` (Reduction-B): 1x1 256 → 3x3/2 384; 1x1 256 → 3x3/2 288;
  1x1 256 → 3x3 288 → 3x3/2 320; max pool → 2080 channels at 8x8;
* 9 × Block8 (Inception-ResNet-C, s = 0.20) and a 10th with s = 1 and no ReLU:
  1x1 192; 1x1 192 → 1x3 224 → 3x1 256; 1x1 448 → 2080;
* 1x1 conv 1536, global average pool, dropout (keep 0.8 in the paper), FC.

Branch convolutions are conv (no bias) → BN (eps 1e-3) → ReLU. Parameters at 1000 classes:
**55,843,464** (55.84M, the count of the reference port; the paper gives none).
``blocks=(a, b, c)`` sets the numbers of A, B, C blocks (the paper's (10, 20, 9) plus the final
Block8); small values give a cheap model for tests.
"""

from __future__ import annotations

from .. import nn
from ..autograd import ops
from .inception import BasicConv2d
from .inception_v4 import conv_chain
from .registry import register

__all__ = ["Block35", "Block17", "Block8", "InceptionResNetV2", "inception_resnet_v2"]


class _Cat(nn.Module):
    _order = ()

    def forward(self, x):
        return ops.cat([getattr(self, n)(x) for n in self._order], 1)


class Mixed5b(_Cat):
    _order = ("branch0", "branch1", "branch2", "branch3")

    def __init__(self):
        super().__init__()
        self.branch0 = BasicConv2d(192, 96, 1)
        self.branch1 = conv_chain((192, 48, 1), (48, 64, 5, 1, 2))
        self.branch2 = conv_chain((192, 64, 1), (64, 96, 3, 1, 1), (96, 96, 3, 1, 1))
        self.branch3 = nn.Sequential(nn.AvgPool2d(3, stride=1, padding=1,
                                                  count_include_pad=False),
                                     BasicConv2d(192, 64, 1))


class Mixed6a(_Cat):
    _order = ("branch0", "branch1", "branch2")

    def __init__(self):
        super().__init__()
        self.branch0 = BasicConv2d(320, 384, 3, stride=2)
        self.branch1 = conv_chain((320, 256, 1), (256, 256, 3, 1, 1), (256, 384, 3, 2))
        self.branch2 = nn.MaxPool2d(3, stride=2)


class Mixed7a(_Cat):
    _order = ("branch0", "branch1", "branch2", "branch3")

    def __init__(self):
        super().__init__()
        self.branch0 = conv_chain((1088, 256, 1), (256, 384, 3, 2))
        self.branch1 = conv_chain((1088, 256, 1), (256, 288, 3, 2))
        self.branch2 = conv_chain((1088, 256, 1), (256, 288, 3, 1, 1), (288, 320, 3, 2))
        self.branch3 = nn.MaxPool2d(3, stride=2)


class _ResidualInception(nn.Module):
    """``relu(x + scale · conv2d(cat(branches(x))))`` (no ReLU with ``relu=False``)."""

    _branches = ()

    def _head(self, scale, relu, concat, channels):
        """After the branches (the reference's parameter order): the 1x1 up-projection."""
        self.scale = scale
        self.conv2d = nn.Conv2d(concat, channels, 1)
        self.relu = nn.ReLU() if relu else None

    def forward(self, x):
        out = ops.cat([getattr(self, n)(x) for n in self._branches], 1)
        out = self.conv2d(out) * self.scale + x
        return self.relu(out) if self.relu is not None else out


class Block35(_ResidualInception):
    """Inception-ResNet-A (35x35, 320 channels)."""

    _branches = ("branch0", "branch1", "branch2")

    def __init__(self, scale=0.17, relu=True):
        super().__init__()
        self.branch0 = BasicConv2d(320, 32, 1)
        self.branch1 = conv_chain((320, 32, 1), (32, 32, 3, 1, 1))
        self.branch2 = conv_chain((320, 32, 1), (32, 48, 3, 1, 1), (48, 64, 3, 1, 1))
        self._head(scale, relu, 128, 320)


class Block17(_ResidualInception):
    """Inception-ResNet-B (17x17, 1088 channels)."""

    _branches = ("branch0", "branch1")

    def __init__(self, scale=0.10, relu=True):
        super().__init__()
        self.branch0 = BasicConv2d(1088, 192, 1)
        self.branch1 = conv_chain((1088, 128, 1), (128, 160, (1, 7), 1, (0, 3)),
                                  (160, 192, (7, 1), 1, (3, 0)))
        self._head(scale, relu, 384, 1088)


class Block8(_ResidualInception):
    """Inception-ResNet-C (8x8, 2080 channels)."""

    _branches = ("branch0", "branch1")

    def __init__(self, scale=0.20, relu=True):
        super().__init__()
        self.branch0 = BasicConv2d(2080, 192, 1)
        self.branch1 = conv_chain((2080, 192, 1), (192, 224, (1, 3), 1, (0, 1)),
                                  (224, 256, (3, 1), 1, (1, 0)))
        self._head(scale, relu, 448, 2080)


class InceptionResNetV2(nn.Module):
    """Inception-ResNet-v2 for 299x299 inputs (75x75 at least); ``blocks`` = numbers of the
    A, B, C residual blocks (before the final linear Block8)."""

    def __init__(self, num_classes=1000, in_channels=3, blocks=(10, 20, 9), dropout=0.2):
        super().__init__()
        a, b, c = blocks
        self.conv2d_1a = BasicConv2d(in_channels, 32, 3, stride=2)
        self.conv2d_2a = BasicConv2d(32, 32, 3)
        self.conv2d_2b = BasicConv2d(32, 64, 3, padding=1)
        self.maxpool_3a = nn.MaxPool2d(3, stride=2)
        self.conv2d_3b = BasicConv2d(64, 80, 1)
        self.conv2d_4a = BasicConv2d(80, 192, 3)
        self.maxpool_5a = nn.MaxPool2d(3, stride=2)
        self.mixed_5b = Mixed5b()
        self.repeat = nn.Sequential(*(Block35() for _ in range(a)))
        self.mixed_6a = Mixed6a()
        self.repeat_1 = nn.Sequential(*(Block17() for _ in range(b)))
        self.mixed_7a = Mixed7a()
        self.repeat_2 = nn.Sequential(*(Block8() for _ in range(c)))
        self.block8 = Block8(scale=1.0, relu=False)
        self.conv2d_7b = BasicConv2d(2080, 1536, 1)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(dropout)
        self.last_linear = nn.Linear(1536, num_classes)

    def forward(self, x):
        for name in ("conv2d_1a", "conv2d_2a", "conv2d_2b", "maxpool_3a", "conv2d_3b",
                     "conv2d_4a", "maxpool_5a", "mixed_5b", "repeat", "mixed_6a", "repeat_1",
                     "mixed_7a", "repeat_2", "block8", "conv2d_7b"):
            x = getattr(self, name)(x)
        return self.last_linear(self.dropout(ops.flatten(self.avgpool(x), 1)))


@register("inception_resnet_v2")
def inception_resnet_v2(num_classes=1000, in_channels=3, **kwargs):
    """Inception-ResNet-v2 (Szegedy et al. 2016); ``blocks=(10, 20, 9)`` residual blocks."""
    return InceptionResNetV2(num_classes, in_channels, **kwargs)
