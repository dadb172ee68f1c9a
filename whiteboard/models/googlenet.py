"""GoogLeNet / Inception v1 (Szegedy et al. 2014) and an Inception v3-style factorised block.

Inception module: four parallel branches concatenated on channels —
1x1; 1x1 → 3x3; 1x1 → 5x5; 3x3 max pool (stride 1) → 1x1. The 1x1 "reduce" convolutions cut the
channels before the expensive 3x3 and 5x5 convolutions (e.g. 3a: 192 → 16 channels before the
5x5), which is what keeps the 22-layer network at about 1.5 G multiply-adds. Two auxiliary
classifiers (after 4a and 4d: 5x5/3 average pool, 1x1 conv 128, FC 1024, dropout 0.7, FC) add
gradient signal to the middle of the network during training and are dropped at inference
(``eval()`` returns only the main logits). Global average pooling replaces the large fully
connected layers of AlexNet/VGG, but one linear classifier remains (ERRATA E26: the notes say
"no fully connected layer"). The paper's network has no batch norm; LRN follows the stem.

Inception v3 factorisation (Szegedy et al. 2015): an n×n convolution is replaced by 1×n then n×1
(for n = 7: 14 instead of 49 weights per channel pair), with BN after every convolution
(``InceptionV3Block``); a 5x5 becomes two 3x3. ``inception_v3_small`` stacks such blocks behind a
BN stem for small inputs. Train it with ``CrossEntropyLoss(label_smoothing=0.1)``, the v3 paper's
other contribution.
"""

from __future__ import annotations

from collections import namedtuple

from .. import nn
from ..autograd import ops
from .registry import register

__all__ = ["Inception", "GoogLeNet", "googlenet", "ConvBNReLU", "InceptionV3Block",
           "InceptionV3Small", "inception_v3_small", "GoogLeNetOutputs"]

GoogLeNetOutputs = namedtuple("GoogLeNetOutputs", ["logits", "aux_logits2", "aux_logits1"])


def _conv_relu(cin, cout, kernel, **kw):
    return nn.Sequential(nn.Conv2d(cin, cout, kernel, **kw), nn.ReLU())


class Inception(nn.Module):
    """The four-branch Inception v1 module; output channels ``c1 + c3 + c5 + pool_proj``."""

    def __init__(self, in_channels, c1, c3_reduce, c3, c5_reduce, c5, pool_proj):
        super().__init__()
        self.branch1 = _conv_relu(in_channels, c1, 1)
        self.branch2 = nn.Sequential(_conv_relu(in_channels, c3_reduce, 1),
                                     _conv_relu(c3_reduce, c3, 3, padding=1))
        self.branch3 = nn.Sequential(_conv_relu(in_channels, c5_reduce, 1),
                                     _conv_relu(c5_reduce, c5, 5, padding=2))
        self.branch4 = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1),
                                     _conv_relu(in_channels, pool_proj, 1))
        self.out_channels = c1 + c3 + c5 + pool_proj

    def forward(self, x):
        return ops.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


class _Aux(nn.Module):
    def __init__(self, in_channels, num_classes):
        super().__init__()
        self.pool = nn.AvgPool2d(5, stride=3)
        self.conv = _conv_relu(in_channels, 128, 1)
        self.fc1 = nn.Linear(128 * 4 * 4, 1024)
        self.relu = nn.ReLU()
        self.dropout = nn.Dropout(0.7)
        self.fc2 = nn.Linear(1024, num_classes)

    def forward(self, x):
        x = ops.flatten(self.conv(self.pool(x)), 1)
        return self.fc2(self.dropout(self.relu(self.fc1(x))))


class GoogLeNet(nn.Module):
    """GoogLeNet for 224x224 inputs; ``aux_logits`` adds the two training-time classifiers."""

    def __init__(self, num_classes=1000, in_channels=3, aux_logits=True, dropout=0.4):
        super().__init__()
        self.stem = nn.Sequential(
            _conv_relu(in_channels, 64, 7, stride=2, padding=3),
            nn.MaxPool2d(3, stride=2, ceil_mode=True),
            nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0),
            _conv_relu(64, 64, 1), _conv_relu(64, 192, 3, padding=1),
            nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0),
            nn.MaxPool2d(3, stride=2, ceil_mode=True),
        )
        self.inception3a = Inception(192, 64, 96, 128, 16, 32, 32)
        self.inception3b = Inception(256, 128, 128, 192, 32, 96, 64)
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception4a = Inception(480, 192, 96, 208, 16, 48, 64)
        self.inception4b = Inception(512, 160, 112, 224, 24, 64, 64)
        self.inception4c = Inception(512, 128, 128, 256, 24, 64, 64)
        self.inception4d = Inception(512, 112, 144, 288, 32, 64, 64)
        self.inception4e = Inception(528, 256, 160, 320, 32, 128, 128)
        self.maxpool4 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception5a = Inception(832, 256, 160, 320, 32, 128, 128)
        self.inception5b = Inception(832, 384, 192, 384, 48, 128, 128)
        self.aux1 = _Aux(512, num_classes) if aux_logits else None
        self.aux2 = _Aux(528, num_classes) if aux_logits else None
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(1024, num_classes)

    def forward(self, x):
        x = self.inception3b(self.inception3a(self.stem(x)))
        x = self.inception4a(self.maxpool3(x))
        aux1 = self.aux1(x) if self.aux1 is not None and self.training else None
        x = self.inception4d(self.inception4c(self.inception4b(x)))
        aux2 = self.aux2(x) if self.aux2 is not None and self.training else None
        x = self.inception5b(self.inception5a(self.maxpool4(self.inception4e(x))))
        logits = self.fc(self.dropout(ops.flatten(self.avgpool(x), 1)))
        if aux1 is not None:
            return GoogLeNetOutputs(logits, aux2, aux1)
        return logits


@register("googlenet")
def googlenet(num_classes=1000, in_channels=3, **kwargs):
    """GoogLeNet (Inception v1) with auxiliary classifiers (training mode only)."""
    return GoogLeNet(num_classes, in_channels, **kwargs)


class ConvBNReLU(nn.Sequential):
    """Convolution (no bias) – BatchNorm – ReLU, the unit of Inception v3."""

    def __init__(self, cin, cout, kernel, stride=1, padding=0):
        super().__init__(nn.Conv2d(cin, cout, kernel, stride=stride, padding=padding, bias=False),
                         nn.BatchNorm2d(cout, eps=1e-3), nn.ReLU())


class InceptionV3Block(nn.Module):
    """Inception v3's factorised module (the 17x17 grid block, 'InceptionC'): branches
    1x1; 1x1 → 1×n → n×1; 1x1 → n×1 → 1×n → n×1 → 1×n; 3x3 avg pool → 1x1."""

    def __init__(self, in_channels, mid_channels, out_branch=192, n=7):
        super().__init__()
        p = n // 2
        c = mid_channels
        self.branch1 = ConvBNReLU(in_channels, out_branch, 1)
        self.branch2 = nn.Sequential(
            ConvBNReLU(in_channels, c, 1), ConvBNReLU(c, c, (1, n), padding=(0, p)),
            ConvBNReLU(c, out_branch, (n, 1), padding=(p, 0)))
        self.branch3 = nn.Sequential(
            ConvBNReLU(in_channels, c, 1), ConvBNReLU(c, c, (n, 1), padding=(p, 0)),
            ConvBNReLU(c, c, (1, n), padding=(0, p)), ConvBNReLU(c, c, (n, 1), padding=(p, 0)),
            ConvBNReLU(c, out_branch, (1, n), padding=(0, p)))
        self.branch4 = nn.Sequential(nn.AvgPool2d(3, stride=1, padding=1),
                                     ConvBNReLU(in_channels, out_branch, 1))
        self.out_channels = 4 * out_branch

    def forward(self, x):
        return ops.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


class InceptionV3Small(nn.Module):
    """A small Inception v3-style network for 8x8–32x32 inputs: BN stem, factorised blocks."""

    def __init__(self, num_classes=10, in_channels=3, width=32, n=3, blocks=2):
        super().__init__()
        self.stem = nn.Sequential(ConvBNReLU(in_channels, width, 3, padding=1),
                                  ConvBNReLU(width, 2 * width, 3, padding=1))
        layers, c = [], 2 * width
        for _ in range(blocks):
            block = InceptionV3Block(c, width // 2, out_branch=width // 2, n=n)
            layers.append(block)
            c = block.out_channels
        self.blocks = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c, num_classes)

    def forward(self, x):
        return self.fc(ops.flatten(self.avgpool(self.blocks(self.stem(x))), 1))


@register("inception_v3_small")
def inception_v3_small(num_classes=10, in_channels=3, **kwargs):
    """Inception v3-style factorised blocks behind a BN stem, sized for small images."""
    return InceptionV3Small(num_classes, in_channels, **kwargs)
