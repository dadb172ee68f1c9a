"""BN-Inception (Ioffe & Szegedy 2015, "Batch Normalization", Section 4.2 and Figure 5).

GoogLeNet (Inception v1) with batch normalisation after every convolution (before its ReLU)
and the modules redesigned: each 5x5 convolution becomes two stacked 3x3 ("double 3x3", 9 + 9
instead of 25 weights per channel pair, same receptive field); the pool branch uses average
pooling (max pooling in 5b); the grid reductions are done *inside* modules 3c and 4e, whose
3x3 branches have stride 2 and whose pool branch is a 3x3/2 max pool passed through unprojected
(no 1x1 branch). For 224x224 inputs (Figure 5 of the paper; depth = output channels)::

    conv 7x7/2 64 · max pool 3x3/2 · conv 1x1 64 · conv 3x3 192 · max pool 3x3/2     28x28x192
    module   #1x1  #3x3red #3x3  #dbl-red #dbl-3x3  pool+proj    output
    3a        64     64     64     64       96      avg + 32     28x28x256
    3b        64     64     96     64       96      avg + 64     28x28x320
    3c         0    128    160/2   64       96/2    max/2 pass   14x14x576
    4a       224     64     96     96      128      avg + 128    14x14x576
    4b       192     96    128     96      128      avg + 128    14x14x576
    4c       160    128    160    128      160      avg + 128    14x14x608
    4d        96    128    192    160      192      avg + 128    14x14x608
    4e         0    128    192/2  192      256/2    max/2 pass    7x7x1056
    5a       352    192    320    160      224      avg + 128     7x7x1024
    5b       352    192    320    192      224      max + 128     7x7x1024
    global average pool · FC

Pools use Caffe's rounding (``ceil_mode=True``). The paper lists the layout but no parameter
count; with the convolution biases of the released Caffe model (redundant before BN, kept for
weight compatibility) the count at 1000 classes is **11,295,240** — 10,250,208 in the
convolutions, 20,032 in the BN scales and shifts, 1,025,000 in the classifier (checked part by
part in the test). BN uses eps 1e-5.
"""

from __future__ import annotations

from .. import nn
from ..autograd import ops
from .registry import register

__all__ = ["ConvBN", "BNInceptionModule", "BNInception", "bn_inception"]


class ConvBN(nn.Module):
    """Convolution (with bias, as the released model) → BatchNorm2d → ReLU."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride,
                              padding=padding)
        self.bn = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.bn(self.conv(x)))


class BNInceptionModule(nn.Module):
    """One row of Figure 5. ``pool`` is 'avg' or 'max' (3x3/1 then a 1x1 projection to
    ``pool_proj``) or 'pass' (a stride-2 module: 3x3/2 max pool, no projection, and the 3x3
    branches have stride 2; ``c1`` must be 0)."""

    def __init__(self, in_channels, c1, c3_reduce, c3, d3_reduce, d3, pool, pool_proj=0):
        super().__init__()
        if pool not in ("avg", "max", "pass"):
            raise ValueError(f"BNInceptionModule: pool must be 'avg', 'max' or 'pass', got "
                             f"{pool!r}")
        stride = 2 if pool == "pass" else 1
        self.branch1x1 = ConvBN(in_channels, c1, 1) if c1 else None
        self.branch3x3 = nn.Sequential(ConvBN(in_channels, c3_reduce, 1),
                                       ConvBN(c3_reduce, c3, 3, stride=stride, padding=1))
        self.branch3x3dbl = nn.Sequential(ConvBN(in_channels, d3_reduce, 1),
                                          ConvBN(d3_reduce, d3, 3, padding=1),
                                          ConvBN(d3, d3, 3, stride=stride, padding=1))
        if pool == "pass":
            self.branch_pool = nn.MaxPool2d(3, stride=2, ceil_mode=True)
            pool_out = in_channels
        else:
            layer = (nn.AvgPool2d(3, stride=1, padding=1, ceil_mode=True) if pool == "avg"
                     else nn.MaxPool2d(3, stride=1, padding=1, ceil_mode=True))
            self.branch_pool = nn.Sequential(layer, ConvBN(in_channels, pool_proj, 1))
            pool_out = pool_proj
        self.out_channels = c1 + c3 + d3 + pool_out

    def forward(self, x):
        outs = [] if self.branch1x1 is None else [self.branch1x1(x)]
        outs += [self.branch3x3(x), self.branch3x3dbl(x), self.branch_pool(x)]
        return ops.cat(outs, 1)


_TABLE = [  # name, in, #1x1, #3x3 reduce, #3x3, double reduce, double 3x3, pool, proj
    ("inception_3a", 192, 64, 64, 64, 64, 96, "avg", 32),
    ("inception_3b", 256, 64, 64, 96, 64, 96, "avg", 64),
    ("inception_3c", 320, 0, 128, 160, 64, 96, "pass", 0),
    ("inception_4a", 576, 224, 64, 96, 96, 128, "avg", 128),
    ("inception_4b", 576, 192, 96, 128, 96, 128, "avg", 128),
    ("inception_4c", 576, 160, 128, 160, 128, 160, "avg", 128),
    ("inception_4d", 608, 96, 128, 192, 160, 192, "avg", 128),
    ("inception_4e", 608, 0, 128, 192, 192, 256, "pass", 0),
    ("inception_5a", 1056, 352, 192, 320, 160, 224, "avg", 128),
    ("inception_5b", 1024, 352, 192, 320, 192, 224, "max", 128),
]


class BNInception(nn.Module):
    """BN-Inception for 224x224 inputs (any size ≥ 32 runs: global average pooling)."""

    def __init__(self, num_classes=1000, in_channels=3):
        super().__init__()
        self.stem = nn.Sequential(
            ConvBN(in_channels, 64, 7, stride=2, padding=3),
            nn.MaxPool2d(3, stride=2, ceil_mode=True),
            ConvBN(64, 64, 1), ConvBN(64, 192, 3, padding=1),
            nn.MaxPool2d(3, stride=2, ceil_mode=True))
        for name, *row in _TABLE:
            setattr(self, name, BNInceptionModule(*row))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(1024, num_classes)

    def forward(self, x):
        x = self.stem(x)
        for name, *_ in _TABLE:
            x = getattr(self, name)(x)
        return self.fc(ops.flatten(self.avgpool(x), 1))


@register("bn_inception")
def bn_inception(num_classes=1000, in_channels=3, **kwargs):
    """BN-Inception (Inception v2 of the BN paper): GoogLeNet + BN, 5x5 → two 3x3."""
    return BNInception(num_classes, in_channels, **kwargs)
