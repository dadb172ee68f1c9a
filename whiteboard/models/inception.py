"""Inception v3 (Szegedy et al. 2015, "Rethinking the Inception Architecture"), as torchvision.

The network for 299x299 inputs (grids 35 → 17 → 8):

* stem: 3x3/2 conv 32, 3x3 conv 32, 3x3 conv 64 (padded), 3x3/2 max pool, 1x1 conv 80,
  3x3 conv 192, 3x3/2 max pool — every convolution is ``BasicConv2d`` = conv (no bias) →
  BatchNorm (eps 1e-3) → ReLU;
* 3 × ``InceptionA`` (35x35): 1x1; 1x1 → 5x5; 1x1 → 3x3 → 3x3; 3x3 avg pool → 1x1;
* ``InceptionB`` (35 → 17 grid reduction): 3x3/2; 1x1 → 3x3 → 3x3/2; 3x3/2 max pool, concatenated,
  so the grid shrinks while the channels grow (288 → 768) without a representational bottleneck;
* 4 × ``InceptionC`` (17x17): an n×n convolution factorised into 1×7 then 7×1 (14 instead of 49
  weights per channel pair, ``c7`` channels inside the branch);
* ``InceptionD`` (17 → 8 reduction), 2 × ``InceptionE`` (8x8): the 3x3 split into parallel 1×3
  and 3×1 whose outputs are concatenated ("expanded filter bank", 2048 channels);
* global average pool, dropout 0.5, FC.

The auxiliary classifier (``InceptionAux``) reads the 17x17x768 output of ``Mixed_6e``:
5x5/3 average pool → 1x1 conv 128 → 5x5 conv 768 → global average pool → FC. As in torchvision it
runs only in training mode with ``aux_logits=True``: ``train()`` returns
``InceptionOutputs(logits, aux_logits)`` and ``eval()`` returns the main logits alone. The v3 paper
found it acts as a regulariser rather than a deep-supervision aid (it adds BN to the auxiliary
head for that reason).

Initialisation (torchvision's ``init_weights=True``, the default of ``inception_v3(weights=None)``):
every ``Conv2d`` and ``Linear`` weight ~ N(0, σ²) truncated to [a, b] = [−2, 2] with σ = 0.1, or
the module's own ``stddev`` attribute where it sets one — the auxiliary head's ``fc`` (σ = 0.001);
every ``BatchNorm2d`` has γ = 1, β = 0; the Linear biases keep PyTorch's U(±1/√fan_in) and the
convolutions have none. Note the bounds are absolute, not in units of σ: at σ = 0.1 they sit at
±20σ, so the truncation removes a mass of about 10⁻⁸⁸ and the draw is in effect an untruncated
normal (TensorFlow's ``truncated_normal`` and the scipy ``truncnorm(-2, 2)`` of older
torchvision cut at ±2σ). torchvision also tags the auxiliary head's ``conv1`` with
``stddev = 0.01``, but on the conv-BN-ReLU wrapper, which its init loop (over ``Conv2d`` and
``Linear`` modules) never reads: that convolution is drawn with σ = 0.1 there, and here.

``transform_input=True`` (torchvision's flag for its ported Google weights) re-normalises an input
that was standardised with the ImageNet statistics, x = (u − m_c) / s_c with m = (0.485, 0.456,
0.406), s = (0.229, 0.224, 0.225), into the (u − 0.5) / 0.5 that those weights expect::

    x'_c = x_c · s_c / 0.5 + (m_c − 0.5) / 0.5    (= (u − 0.5) / 0.5)

Parameters at 1000 classes: 27,161,264 with the auxiliary head, 23,834,568 without (torchvision's
``inception_v3``; the auxiliary head is 3,326,696 of them).
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from .. import nn
from ..autograd import ops
from ..nn import init
from .registry import register

__all__ = ["BasicConv2d", "InceptionA", "InceptionB", "InceptionC", "InceptionD", "InceptionE",
           "InceptionAux", "Inception3", "InceptionOutputs", "inception_v3"]

InceptionOutputs = namedtuple("InceptionOutputs", ["logits", "aux_logits"])


class BasicConv2d(nn.Module):
    """Convolution without bias → BatchNorm2d(eps=1e-3) → ReLU."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride,
                              padding=padding, bias=False)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.bn(self.conv(x)))


class InceptionA(nn.Module):
    """35x35 module: 1x1 64; 1x1 48 → 5x5 64; 1x1 64 → 3x3 96 → 3x3 96; avg pool → 1x1."""

    def __init__(self, in_channels, pool_features):
        super().__init__()
        self.branch1x1 = BasicConv2d(in_channels, 64, 1)
        self.branch5x5_1 = BasicConv2d(in_channels, 48, 1)
        self.branch5x5_2 = BasicConv2d(48, 64, 5, padding=2)
        self.branch3x3dbl_1 = BasicConv2d(in_channels, 64, 1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, 3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, 3, padding=1)
        self.pool = nn.AvgPool2d(3, stride=1, padding=1)
        self.branch_pool = BasicConv2d(in_channels, pool_features, 1)
        self.out_channels = 64 + 64 + 96 + pool_features

    def forward(self, x):
        b1 = self.branch1x1(x)
        b5 = self.branch5x5_2(self.branch5x5_1(x))
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        bp = self.branch_pool(self.pool(x))
        return ops.cat([b1, b5, b3, bp], 1)


class InceptionB(nn.Module):
    """35 → 17 grid reduction: 3x3/2 384; 1x1 64 → 3x3 96 → 3x3/2 96; 3x3/2 max pool."""

    def __init__(self, in_channels):
        super().__init__()
        self.branch3x3 = BasicConv2d(in_channels, 384, 3, stride=2)
        self.branch3x3dbl_1 = BasicConv2d(in_channels, 64, 1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, 3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, 3, stride=2)
        self.pool = nn.MaxPool2d(3, stride=2)
        self.out_channels = 384 + 96 + in_channels

    def forward(self, x):
        b3 = self.branch3x3(x)
        bd = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        return ops.cat([b3, bd, self.pool(x)], 1)


class InceptionC(nn.Module):
    """17x17 module with 7x7 factorised into 1x7 and 7x1 (``c7`` channels inside)."""

    def __init__(self, in_channels, channels_7x7):
        super().__init__()
        c7 = channels_7x7
        self.branch1x1 = BasicConv2d(in_channels, 192, 1)
        self.branch7x7_1 = BasicConv2d(in_channels, c7, 1)
        self.branch7x7_2 = BasicConv2d(c7, c7, (1, 7), padding=(0, 3))
        self.branch7x7_3 = BasicConv2d(c7, 192, (7, 1), padding=(3, 0))
        self.branch7x7dbl_1 = BasicConv2d(in_channels, c7, 1)
        self.branch7x7dbl_2 = BasicConv2d(c7, c7, (7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = BasicConv2d(c7, c7, (1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = BasicConv2d(c7, c7, (7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = BasicConv2d(c7, 192, (1, 7), padding=(0, 3))
        self.pool = nn.AvgPool2d(3, stride=1, padding=1)
        self.branch_pool = BasicConv2d(in_channels, 192, 1)
        self.out_channels = 768

    def forward(self, x):
        b1 = self.branch1x1(x)
        b7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        bd = self.branch7x7dbl_1(x)
        for layer in (self.branch7x7dbl_2, self.branch7x7dbl_3, self.branch7x7dbl_4,
                      self.branch7x7dbl_5):
            bd = layer(bd)
        return ops.cat([b1, b7, bd, self.branch_pool(self.pool(x))], 1)


class InceptionD(nn.Module):
    """17 → 8 reduction: 1x1 192 → 3x3/2 320; 1x1 → 1x7 → 7x1 → 3x3/2 192; 3x3/2 max pool."""

    def __init__(self, in_channels):
        super().__init__()
        self.branch3x3_1 = BasicConv2d(in_channels, 192, 1)
        self.branch3x3_2 = BasicConv2d(192, 320, 3, stride=2)
        self.branch7x7x3_1 = BasicConv2d(in_channels, 192, 1)
        self.branch7x7x3_2 = BasicConv2d(192, 192, (1, 7), padding=(0, 3))
        self.branch7x7x3_3 = BasicConv2d(192, 192, (7, 1), padding=(3, 0))
        self.branch7x7x3_4 = BasicConv2d(192, 192, 3, stride=2)
        self.pool = nn.MaxPool2d(3, stride=2)
        self.out_channels = 320 + 192 + in_channels

    def forward(self, x):
        b3 = self.branch3x3_2(self.branch3x3_1(x))
        b7 = self.branch7x7x3_4(self.branch7x7x3_3(self.branch7x7x3_2(self.branch7x7x3_1(x))))
        return ops.cat([b3, b7, self.pool(x)], 1)


class InceptionE(nn.Module):
    """8x8 module with expanded filter banks: the 3x3 outputs split into parallel 1x3 and 3x1."""

    def __init__(self, in_channels):
        super().__init__()
        self.branch1x1 = BasicConv2d(in_channels, 320, 1)
        self.branch3x3_1 = BasicConv2d(in_channels, 384, 1)
        self.branch3x3_2a = BasicConv2d(384, 384, (1, 3), padding=(0, 1))
        self.branch3x3_2b = BasicConv2d(384, 384, (3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = BasicConv2d(in_channels, 448, 1)
        self.branch3x3dbl_2 = BasicConv2d(448, 384, 3, padding=1)
        self.branch3x3dbl_3a = BasicConv2d(384, 384, (1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = BasicConv2d(384, 384, (3, 1), padding=(1, 0))
        self.pool = nn.AvgPool2d(3, stride=1, padding=1)
        self.branch_pool = BasicConv2d(in_channels, 192, 1)
        self.out_channels = 320 + 768 + 768 + 192

    def forward(self, x):
        b1 = self.branch1x1(x)
        b3 = self.branch3x3_1(x)
        b3 = ops.cat([self.branch3x3_2a(b3), self.branch3x3_2b(b3)], 1)
        bd = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        bd = ops.cat([self.branch3x3dbl_3a(bd), self.branch3x3dbl_3b(bd)], 1)
        return ops.cat([b1, b3, bd, self.branch_pool(self.pool(x))], 1)


class InceptionAux(nn.Module):
    """Auxiliary head on the 17x17 grid: 5x5/3 avg pool → 1x1 conv 128 → 5x5 conv 768 →
    global average pool → FC (needs a grid of at least 17x17, i.e. 299x299 inputs)."""

    def __init__(self, in_channels, num_classes):
        super().__init__()
        self.pool = nn.AvgPool2d(5, stride=3)
        self.conv0 = BasicConv2d(in_channels, 128, 1)
        self.conv1 = BasicConv2d(128, 768, 5)
        self.conv1.stddev = 0.01  # as torchvision: on the wrapper, so the init never reads it
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(768, num_classes)
        self.fc.stddev = 0.001

    def forward(self, x):
        x = self.conv1(self.conv0(self.pool(x)))
        return self.fc(ops.flatten(self.avgpool(x), 1))


class Inception3(nn.Module):
    """Inception v3 (torchvision's ``Inception3``), for 299x299 inputs (75x75 at least without
    the auxiliary head in training). ``forward`` returns ``InceptionOutputs`` in training mode
    with ``aux_logits=True``, the logits otherwise.

    ``transform_input`` (default False) re-normalises ImageNet-standardised RGB input to
    (u − 0.5) / 0.5 first; ``init_weights`` (default True) applies torchvision's truncated-normal
    initialisation (see the module docstring), False keeps PyTorch's per-layer defaults.
    """

    IMAGENET_MEAN = (0.485, 0.456, 0.406)
    IMAGENET_STD = (0.229, 0.224, 0.225)

    def __init__(self, num_classes=1000, in_channels=3, aux_logits=True, dropout=0.5,
                 transform_input=False, init_weights=True):
        super().__init__()
        if transform_input and in_channels != 3:
            raise ValueError(f"Inception3: transform_input re-normalises RGB input and needs "
                             f"in_channels=3, got in_channels={in_channels}")
        self.aux_logits = aux_logits
        self.transform_input = bool(transform_input)
        self.Conv2d_1a_3x3 = BasicConv2d(in_channels, 32, 3, stride=2)
        self.Conv2d_2a_3x3 = BasicConv2d(32, 32, 3)
        self.Conv2d_2b_3x3 = BasicConv2d(32, 64, 3, padding=1)
        self.maxpool1 = nn.MaxPool2d(3, stride=2)
        self.Conv2d_3b_1x1 = BasicConv2d(64, 80, 1)
        self.Conv2d_4a_3x3 = BasicConv2d(80, 192, 3)
        self.maxpool2 = nn.MaxPool2d(3, stride=2)
        self.Mixed_5b = InceptionA(192, pool_features=32)
        self.Mixed_5c = InceptionA(256, pool_features=64)
        self.Mixed_5d = InceptionA(288, pool_features=64)
        self.Mixed_6a = InceptionB(288)
        self.Mixed_6b = InceptionC(768, channels_7x7=128)
        self.Mixed_6c = InceptionC(768, channels_7x7=160)
        self.Mixed_6d = InceptionC(768, channels_7x7=160)
        self.Mixed_6e = InceptionC(768, channels_7x7=192)
        self.AuxLogits = InceptionAux(768, num_classes) if aux_logits else None
        self.Mixed_7a = InceptionD(768)
        self.Mixed_7b = InceptionE(1280)
        self.Mixed_7c = InceptionE(2048)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(2048, num_classes)
        if init_weights:
            self._init_weights()

    def _init_weights(self):
        """torchvision's init: truncated N(0, σ²) on [−2, 2] for Conv2d / Linear weights (σ =
        the module's ``stddev``, default 0.1), BatchNorm2d γ = 1, β = 0."""
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                init.trunc_normal_(m.weight, mean=0.0, std=float(getattr(m, "stddev", 0.1)),
                                   a=-2.0, b=2.0)
            elif isinstance(m, nn.BatchNorm2d):
                init.ones_(m.weight)
                init.zeros_(m.bias)

    def _transform_input(self, x):
        """x'_c = x_c · s_c / 0.5 + (m_c − 0.5) / 0.5 per RGB channel when ``transform_input``."""
        if not self.transform_input:
            return x
        x = ops._as_tensor(x)
        if x.ndim != 4 or x.shape[1] != 3:
            raise ValueError(f"Inception3: transform_input expects (N, 3, H, W) input, got "
                             f"shape {x.shape}")
        scale = np.array([s / 0.5 for s in self.IMAGENET_STD], dtype=x.dtype)
        shift = np.array([(m - 0.5) / 0.5 for m in self.IMAGENET_MEAN], dtype=x.dtype)
        xp = x.xp
        return x * xp.asarray(scale.reshape(1, 3, 1, 1)) + xp.asarray(shift.reshape(1, 3, 1, 1))

    def forward(self, x):
        x = self._transform_input(x)
        for name in ("Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "maxpool1",
                     "Conv2d_3b_1x1", "Conv2d_4a_3x3", "maxpool2", "Mixed_5b", "Mixed_5c",
                     "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e"):
            x = getattr(self, name)(x)
        aux = self.AuxLogits(x) if self.AuxLogits is not None and self.training else None
        x = self.Mixed_7c(self.Mixed_7b(self.Mixed_7a(x)))
        logits = self.fc(self.dropout(ops.flatten(self.avgpool(x), 1)))
        if aux is not None:
            return InceptionOutputs(logits, aux)
        return logits


@register("inception_v3")
def inception_v3(num_classes=1000, in_channels=3, **kwargs):
    """Inception v3 with the auxiliary classifier (``aux_logits=False`` drops it), defaults as
    torchvision's ``inception_v3(weights=None)``: ``transform_input=False``,
    ``init_weights=True``."""
    return Inception3(num_classes, in_channels, **kwargs)
