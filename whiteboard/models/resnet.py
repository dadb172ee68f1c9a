"""ResNet (He et al. 2015), ResNet v2 / pre-activation (He et al. 2016), ResNeXt (Xie et al.
2017), squeeze-and-excitation (Hu et al. 2018), and the plain networks without shortcuts.

Residual learning: a block computes ``y = relu(F(x) + shortcut(x))``; the layers learn the
residual ``F(x) = H(x) − x`` instead of ``H(x)``, so a block that should do nothing only has to
drive ``F`` to zero. The paper's motivation is the *degradation* problem — deeper plain networks
reach a higher *training* error — not vanishing gradients, which BN had already addressed
(ERRATA E27); ``plain_net`` builds the same depth without shortcuts for that experiment.

Blocks
------
- Basic (ResNet-18/34): 3x3 conv–BN–ReLU–3x3 conv–BN, plus the shortcut, then ReLU.
- Bottleneck (ResNet-50/101/152): 1x1 reduce – 3x3 – 1x1 expand (×4). Where the stride sits in
  the first block of a stage: on the 3x3 convolution (``stride_on="3x3"``, "ResNet v1.5", the
  common reference implementations: 4.09 GMACs at 224²) or on the first 1x1, as in the paper
  (``stride_on="1x1"``: 3.86 GMACs); the parameter count is the same (ERRATA E13: 53 Conv2d layers,
  the paper's "50 layers" excludes the 4 projection shortcuts).
- Projection shortcut (1x1 conv with stride + BN) where the shape changes, identity otherwise.
- ResNeXt: the bottleneck's 3x3 is a grouped convolution with ``cardinality`` groups of width
  ``base_width`` (50 32x4d: 32 groups of 4 channels in the first stage); the grouped convolution is
  the paper's sum over ``cardinality`` parallel paths (aggregation by summation, ERRATA E59).
- SE: squeeze (global average pool to C numbers), excitation (FC C→C/r, ReLU, FC C/r→C, sigmoid)
  and a channel-wise re-scaling of the residual branch before the addition (reduction r = 16).
- Pre-activation (v2): BN–ReLU–conv ordering, the shortcut adds to the un-activated sum and no
  ReLU follows the addition, so the identity path from any block to any later one is clean; a
  final BN–ReLU precedes the pooling.

Parameter counts at 1000 classes: ResNet-18 11,689,512; 34 21,797,672; 50 25,557,032;
101 44,549,160; 152 60,192,808; ResNeXt-50 32x4d 25,028,904; SE-ResNet-50 28,088,024.
``small_input=True`` replaces the 7x7/2 stem and max pooling by one 3x3/1 convolution (the
CIFAR-style configuration for 32x32 or smaller inputs).
"""

from __future__ import annotations

from .. import nn
from ..autograd import ops
from .registry import register

__all__ = [
    "ResNet", "BasicBlock", "Bottleneck", "PreActBasicBlock", "PreActBottleneck",
    "SqueezeExcitation", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
    "resnext50_32x4d", "resnext101_32x8d", "se_resnet50", "preact_resnet18", "preact_resnet50",
    "plain_net",
]


def _conv3x3(cin, cout, stride=1, groups=1):
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=1, groups=groups, bias=False)


def _conv1x1(cin, cout, stride=1):
    return nn.Conv2d(cin, cout, 1, stride=stride, bias=False)


class SqueezeExcitation(nn.Module):
    """Channel attention: ``x · σ(W₂ relu(W₁ avgpool(x)))`` with a bottleneck of C/reduction."""

    def __init__(self, channels, reduction=16):
        super().__init__()
        hidden = max(1, channels // reduction)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Linear(channels, hidden)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(hidden, channels)
        self.gate = nn.Sigmoid()

    def forward(self, x):
        s = ops.flatten(self.pool(x), 1)
        s = self.gate(self.fc2(self.relu(self.fc1(s))))
        return x * ops.reshape(s, s.shape + (1, 1))


class _Block(nn.Module):
    def _shortcut(self, inplanes, outplanes, stride, preact=False):
        if stride == 1 and inplanes == outplanes:
            return None
        if preact:
            return _conv1x1(inplanes, outplanes, stride)
        return nn.Sequential(_conv1x1(inplanes, outplanes, stride), nn.BatchNorm2d(outplanes))


class BasicBlock(_Block):
    """Two 3x3 convolutions with BN, plus the shortcut (``shortcut=False``: a plain block)."""

    expansion = 1

    def __init__(self, inplanes, planes, stride=1, groups=1, base_width=64, se_reduction=None,
                 stride_on="3x3", shortcut=True):
        super().__init__()
        if groups != 1 or base_width != 64:
            raise ValueError("BasicBlock supports only groups=1 and base_width=64")
        self.conv1 = _conv3x3(inplanes, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU()
        self.conv2 = _conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.se = SqueezeExcitation(planes, se_reduction) if se_reduction else None
        self.use_shortcut = shortcut
        self.downsample = self._shortcut(inplanes, planes, stride) if shortcut else None

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.se is not None:
            out = self.se(out)
        if self.use_shortcut:
            out = out + (x if self.downsample is None else self.downsample(x))
        return self.relu(out)


class Bottleneck(_Block):
    """1x1 reduce, 3x3 (grouped for ResNeXt), 1x1 expand ×4, with BN, plus the shortcut."""

    expansion = 4

    def __init__(self, inplanes, planes, stride=1, groups=1, base_width=64, se_reduction=None,
                 stride_on="3x3", shortcut=True):
        super().__init__()
        if stride_on not in ("3x3", "1x1"):
            raise ValueError(f"stride_on must be '3x3' (v1.5) or '1x1' (paper), got {stride_on!r}")
        width = int(planes * base_width / 64) * groups
        s1, s3 = (1, stride) if stride_on == "3x3" else (stride, 1)
        self.conv1 = _conv1x1(inplanes, width, s1)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = _conv3x3(width, width, s3, groups)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = _conv1x1(width, planes * 4)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU()
        self.se = SqueezeExcitation(planes * 4, se_reduction) if se_reduction else None
        self.use_shortcut = shortcut
        self.downsample = self._shortcut(inplanes, planes * 4, stride) if shortcut else None

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.se is not None:
            out = self.se(out)
        if self.use_shortcut:
            out = out + (x if self.downsample is None else self.downsample(x))
        return self.relu(out)


class PreActBasicBlock(_Block):
    """ResNet v2 basic block: BN–ReLU–conv twice; identity added with no ReLU after it."""

    expansion = 1

    def __init__(self, inplanes, planes, stride=1, groups=1, base_width=64, se_reduction=None,
                 stride_on="3x3", shortcut=True):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(inplanes)
        self.relu = nn.ReLU()
        self.conv1 = _conv3x3(inplanes, planes, stride)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = _conv3x3(planes, planes)
        self.downsample = self._shortcut(inplanes, planes, stride, preact=True)

    def forward(self, x):
        pre = self.relu(self.bn1(x))
        # the projection sees the pre-activated input; the identity sees x itself
        shortcut = x if self.downsample is None else self.downsample(pre)
        out = self.conv1(pre)
        out = self.conv2(self.relu(self.bn2(out)))
        return out + shortcut


class PreActBottleneck(_Block):
    """ResNet v2 bottleneck: (BN–ReLU–conv) × 3 (1x1, 3x3, 1x1 ×4); no ReLU after the sum."""

    expansion = 4

    def __init__(self, inplanes, planes, stride=1, groups=1, base_width=64, se_reduction=None,
                 stride_on="3x3", shortcut=True):
        super().__init__()
        width = int(planes * base_width / 64) * groups
        self.bn1 = nn.BatchNorm2d(inplanes)
        self.conv1 = _conv1x1(inplanes, width)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv2 = _conv3x3(width, width, stride, groups)
        self.bn3 = nn.BatchNorm2d(width)
        self.conv3 = _conv1x1(width, planes * 4)
        self.relu = nn.ReLU()
        self.downsample = self._shortcut(inplanes, planes * 4, stride, preact=True)

    def forward(self, x):
        pre = self.relu(self.bn1(x))
        shortcut = x if self.downsample is None else self.downsample(pre)
        out = self.conv1(pre)
        out = self.conv2(self.relu(self.bn2(out)))
        out = self.conv3(self.relu(self.bn3(out)))
        return out + shortcut


class ResNet(nn.Module):
    """The ResNet family: a stem, four stages of blocks (64, 128, 256, 512 planes; stages 2–4
    halve the resolution), global average pooling and a linear classifier."""

    def __init__(self, block, layers, num_classes=1000, in_channels=3, groups=1, width_per_group=64,
                 se_reduction=None, stride_on="3x3", small_input=False, shortcut=True):
        super().__init__()
        if len(layers) != 4:
            raise ValueError(f"ResNet expects 4 stage depths, got {layers}")
        self.preact = block in (PreActBasicBlock, PreActBottleneck)
        self.inplanes = 64
        kw = dict(groups=groups, base_width=width_per_group, se_reduction=se_reduction,
                  stride_on=stride_on, shortcut=shortcut)
        if small_input:
            self.conv1 = nn.Conv2d(in_channels, 64, 3, stride=1, padding=1, bias=False)
            self.maxpool = nn.Identity()
        else:
            self.conv1 = nn.Conv2d(in_channels, 64, 7, stride=2, padding=3, bias=False)
            self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        # in v2 the first block's BN–ReLU acts on the stem output; the stem keeps BN–ReLU in v1
        self.bn1 = nn.Identity() if self.preact else nn.BatchNorm2d(64)
        self.relu = nn.Identity() if self.preact else nn.ReLU()
        self.layer1 = self._stage(block, 64, layers[0], 1, kw)
        self.layer2 = self._stage(block, 128, layers[1], 2, kw)
        self.layer3 = self._stage(block, 256, layers[2], 2, kw)
        self.layer4 = self._stage(block, 512, layers[3], 2, kw)
        width = 512 * block.expansion
        self.final_bn = nn.BatchNorm2d(width) if self.preact else nn.Identity()
        self.final_relu = nn.ReLU() if self.preact else nn.Identity()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(width, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def _stage(self, block, planes, blocks, stride, kw):
        layers = [block(self.inplanes, planes, stride, **kw)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes, 1, **kw) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = self.final_relu(self.final_bn(x))
        return self.fc(ops.flatten(self.avgpool(x), 1))


def _builder(name, block, layers, **fixed):
    def build(num_classes=1000, in_channels=3, **kwargs):
        return ResNet(block, layers, num_classes=num_classes, in_channels=in_channels,
                      **{**fixed, **kwargs})

    build.__name__ = name
    build.__doc__ = f"{name}: {block.__name__} blocks {layers} {fixed or ''}".strip()
    return register(name)(build)


resnet18 = _builder("resnet18", BasicBlock, [2, 2, 2, 2])
resnet34 = _builder("resnet34", BasicBlock, [3, 4, 6, 3])
resnet50 = _builder("resnet50", Bottleneck, [3, 4, 6, 3])
resnet101 = _builder("resnet101", Bottleneck, [3, 4, 23, 3])
resnet152 = _builder("resnet152", Bottleneck, [3, 8, 36, 3])
resnext50_32x4d = _builder("resnext50_32x4d", Bottleneck, [3, 4, 6, 3], groups=32,
                           width_per_group=4)
resnext101_32x8d = _builder("resnext101_32x8d", Bottleneck, [3, 4, 23, 3], groups=32,
                            width_per_group=8)
se_resnet50 = _builder("se_resnet50", Bottleneck, [3, 4, 6, 3], se_reduction=16)
preact_resnet18 = _builder("preact_resnet18", PreActBasicBlock, [2, 2, 2, 2])
preact_resnet50 = _builder("preact_resnet50", PreActBottleneck, [3, 4, 6, 3])


@register("plain18")
def plain18(num_classes=1000, in_channels=3, **kwargs):
    """ResNet-18's layers without shortcuts (the degradation experiment's baseline)."""
    return plain_net(18, num_classes, in_channels, **kwargs)


@register("plain34")
def plain34(num_classes=1000, in_channels=3, **kwargs):
    """ResNet-34's layers without shortcuts."""
    return plain_net(34, num_classes, in_channels, **kwargs)


def plain_net(depth, num_classes=1000, in_channels=3, **kwargs):
    """A plain network with the layers of ResNet-``depth`` (18 or 34) and no shortcuts."""
    layers = {18: [2, 2, 2, 2], 34: [3, 4, 6, 3]}
    if depth not in layers:
        raise ValueError(f"plain_net depth must be 18 or 34, got {depth}")
    return ResNet(BasicBlock, layers[depth], num_classes, in_channels, shortcut=False, **kwargs)
