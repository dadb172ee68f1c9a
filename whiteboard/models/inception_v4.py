"""Inception-v4 (Szegedy, Ioffe, Vanhoucke & Alemi 2016, "Inception-v4, Inception-ResNet and the
Impact of Residual Connections on Learning", Figures 3–9).

A pure Inception network (no residuals) with uniform modules, for 299x299 inputs:

* stem (Fig. 3): 3x3/2 conv 32, 3x3 conv 32, 3x3 conv 64 (padded); then three "split and
  concatenate" steps — [3x3/2 max pool ‖ 3x3/2 conv 96] (160), [1x1 64 → 3x3 96 ‖
  1x1 64 → 7x1 64 → 1x7 64 → 3x3 96] (192), [3x3/2 conv 192 ‖ 3x3/2 max pool] (384, 35x35);
* 4 × Inception-A (35x35, 384): 1x1 96; 1x1 64 → 3x3 96; 1x1 64 → 3x3 96 → 3x3 96;
  3x3 avg pool → 1x1 96;
* Reduction-A (k, l, m, n = 192, 224, 256, 384): 3x3/2 384; 1x1 192 → 3x3 224 → 3x3/2 256;
  3x3/2 max pool → 1024 channels at 17x17;
* 7 × Inception-B (17x17, 1024): 1x1 384; 1x1 192 → 1x7 224 → 7x1 256;
  1x1 192 → 7x1 192 → 1x7 224 → 7x1 224 → 1x7 256; avg pool → 1x1 128;
* Reduction-B: 1x1 192 → 3x3/2 192; 1x1 256 → 1x7 256 → 7x1 320 → 3x3/2 320; max pool → 1536 at 8x8;
* 3 × Inception-C (8x8, 1536): 1x1 256; 1x1 384 → [1x3 256 ‖ 3x1 256];
  1x1 384 → 3x1 448 → 1x3 512 → [1x3 256 ‖ 3x1 256]; avg pool → 1x1 256;
* global average pool, dropout (keep 0.8 in the paper), FC.

Every convolution is conv (no bias) → BatchNorm (eps 1e-3) → ReLU; the average pools inside the
modules divide by the number of real pixels (``count_include_pad=False``). Parameters at 1000
classes: **42,679,816** (42.68M, the count of the widely used reference port of the TF-slim
model, ``pretrainedmodels.inceptionv4``; the paper gives no count). ``blocks=(a, b, c)`` changes the
number of A, B, C modules (the paper's (4, 7, 3)); small values give a cheap model for tests.
"""

from __future__ import annotations

from .. import nn
from ..autograd import ops
from .inception import BasicConv2d
from .registry import register

__all__ = ["InceptionV4", "inception_v4", "conv_chain"]


def conv_chain(*specs):
    """``nn.Sequential`` of ``BasicConv2d(cin, cout, kernel, stride, padding)`` per spec tuple."""
    return nn.Sequential(*(BasicConv2d(*s) for s in specs))


def _avg():
    return nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False)


class _Stem3a(nn.Module):
    def __init__(self):
        super().__init__()
        self.maxpool = nn.MaxPool2d(3, stride=2)
        self.conv = BasicConv2d(64, 96, 3, stride=2)

    def forward(self, x):
        return ops.cat([self.maxpool(x), self.conv(x)], 1)


class _Stem4a(nn.Module):
    def __init__(self):
        super().__init__()
        self.branch0 = conv_chain((160, 64, 1), (64, 96, 3))
        self.branch1 = conv_chain((160, 64, 1), (64, 64, (1, 7), 1, (0, 3)),
                                  (64, 64, (7, 1), 1, (3, 0)), (64, 96, 3))

    def forward(self, x):
        return ops.cat([self.branch0(x), self.branch1(x)], 1)


class _Stem5a(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = BasicConv2d(192, 192, 3, stride=2)
        self.maxpool = nn.MaxPool2d(3, stride=2)

    def forward(self, x):
        return ops.cat([self.conv(x), self.maxpool(x)], 1)


class InceptionA(nn.Module):
    """Inception-v4's 35x35 module (Fig. 4), 384 → 384 channels."""

    def __init__(self):
        super().__init__()
        self.branch0 = BasicConv2d(384, 96, 1)
        self.branch1 = conv_chain((384, 64, 1), (64, 96, 3, 1, 1))
        self.branch2 = conv_chain((384, 64, 1), (64, 96, 3, 1, 1), (96, 96, 3, 1, 1))
        self.branch3 = nn.Sequential(_avg(), BasicConv2d(384, 96, 1))

    def forward(self, x):
        return ops.cat([self.branch0(x), self.branch1(x), self.branch2(x), self.branch3(x)], 1)


class ReductionA(nn.Module):
    """35 → 17 reduction (Fig. 7, k=192, l=224, m=256, n=384), 384 → 1024 channels."""

    def __init__(self):
        super().__init__()
        self.branch0 = BasicConv2d(384, 384, 3, stride=2)
        self.branch1 = conv_chain((384, 192, 1), (192, 224, 3, 1, 1), (224, 256, 3, 2))
        self.branch2 = nn.MaxPool2d(3, stride=2)

    def forward(self, x):
        return ops.cat([self.branch0(x), self.branch1(x), self.branch2(x)], 1)


class InceptionB(nn.Module):
    """Inception-v4's 17x17 module (Fig. 5), 1024 → 1024 channels."""

    def __init__(self):
        super().__init__()
        self.branch0 = BasicConv2d(1024, 384, 1)
        self.branch1 = conv_chain((1024, 192, 1), (192, 224, (1, 7), 1, (0, 3)),
                                  (224, 256, (7, 1), 1, (3, 0)))
        self.branch2 = conv_chain((1024, 192, 1), (192, 192, (7, 1), 1, (3, 0)),
                                  (192, 224, (1, 7), 1, (0, 3)), (224, 224, (7, 1), 1, (3, 0)),
                                  (224, 256, (1, 7), 1, (0, 3)))
        self.branch3 = nn.Sequential(_avg(), BasicConv2d(1024, 128, 1))

    def forward(self, x):
        return ops.cat([self.branch0(x), self.branch1(x), self.branch2(x), self.branch3(x)], 1)


class ReductionB(nn.Module):
    """17 → 8 reduction (Fig. 8), 1024 → 1536 channels."""

    def __init__(self):
        super().__init__()
        self.branch0 = conv_chain((1024, 192, 1), (192, 192, 3, 2))
        self.branch1 = conv_chain((1024, 256, 1), (256, 256, (1, 7), 1, (0, 3)),
                                  (256, 320, (7, 1), 1, (3, 0)), (320, 320, 3, 2))
        self.branch2 = nn.MaxPool2d(3, stride=2)

    def forward(self, x):
        return ops.cat([self.branch0(x), self.branch1(x), self.branch2(x)], 1)


class InceptionC(nn.Module):
    """Inception-v4's 8x8 module (Fig. 6) with split 1x3 ‖ 3x1 outputs, 1536 → 1536 channels."""

    def __init__(self):
        super().__init__()
        self.branch0 = BasicConv2d(1536, 256, 1)
        self.branch1_0 = BasicConv2d(1536, 384, 1)
        self.branch1_1a = BasicConv2d(384, 256, (1, 3), padding=(0, 1))
        self.branch1_1b = BasicConv2d(384, 256, (3, 1), padding=(1, 0))
        self.branch2_0 = conv_chain((1536, 384, 1), (384, 448, (3, 1), 1, (1, 0)),
                                    (448, 512, (1, 3), 1, (0, 1)))
        self.branch2_1a = BasicConv2d(512, 256, (1, 3), padding=(0, 1))
        self.branch2_1b = BasicConv2d(512, 256, (3, 1), padding=(1, 0))
        self.branch3 = nn.Sequential(_avg(), BasicConv2d(1536, 256, 1))

    def forward(self, x):
        b1 = self.branch1_0(x)
        b2 = self.branch2_0(x)
        return ops.cat([self.branch0(x), self.branch1_1a(b1), self.branch1_1b(b1),
                        self.branch2_1a(b2), self.branch2_1b(b2), self.branch3(x)], 1)


class InceptionV4(nn.Module):
    """Inception-v4 for 299x299 inputs (75x75 at least); ``blocks`` = numbers of A, B, C."""

    def __init__(self, num_classes=1000, in_channels=3, blocks=(4, 7, 3), dropout=0.2):
        super().__init__()
        a, b, c = blocks
        self.features = nn.Sequential(
            BasicConv2d(in_channels, 32, 3, stride=2), BasicConv2d(32, 32, 3),
            BasicConv2d(32, 64, 3, padding=1), _Stem3a(), _Stem4a(), _Stem5a(),
            *(InceptionA() for _ in range(a)), ReductionA(),
            *(InceptionB() for _ in range(b)), ReductionB(),
            *(InceptionC() for _ in range(c)))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(dropout)
        self.last_linear = nn.Linear(1536, num_classes)

    def forward(self, x):
        x = ops.flatten(self.avgpool(self.features(x)), 1)
        return self.last_linear(self.dropout(x))


@register("inception_v4")
def inception_v4(num_classes=1000, in_channels=3, **kwargs):
    """Inception-v4 (Szegedy et al. 2016); ``blocks=(4, 7, 3)`` A/B/C modules."""
    return InceptionV4(num_classes, in_channels, **kwargs)
