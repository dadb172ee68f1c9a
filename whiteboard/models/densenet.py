"""DenseNet (Huang et al. 2017): inside a dense block every layer receives the concatenation of
all earlier feature maps of that block (ERRATA E10: not of the whole network).

Dense layer: BN–ReLU–1x1 conv (bottleneck to ``bn_size·k`` = 4k channels) – BN–ReLU–3x3 conv to
``k`` new channels (the growth rate, 32). After a block of ``L`` layers the width is
``C₀ + L·k``. Transition layers between blocks: BN–ReLU–1x1 conv compressing the channels by
θ = 0.5, then 2x2 average pooling. Feature reuse keeps the layers narrow, hence few parameters:
DenseNet-121 7,978,856; DenseNet-169 14,149,480 (1000 classes).
"""

from __future__ import annotations

from .. import nn
from ..autograd import ops
from .registry import register

__all__ = ["DenseNet", "DenseLayer", "DenseBlock", "Transition", "densenet121", "densenet169",
           "densenet201"]


class DenseLayer(nn.Module):
    """BN–ReLU–1x1 (bn_size·k) – BN–ReLU–3x3 (k); returns only the ``k`` new channels."""

    def __init__(self, in_channels, growth_rate, bn_size=4, dropout=0.0):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(in_channels)
        self.relu1 = nn.ReLU()
        self.conv1 = nn.Conv2d(in_channels, bn_size * growth_rate, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth_rate)
        self.relu2 = nn.ReLU()
        self.conv2 = nn.Conv2d(bn_size * growth_rate, growth_rate, 3, padding=1, bias=False)
        self.dropout = nn.Dropout(dropout) if dropout else nn.Identity()

    def forward(self, x):
        out = self.conv1(self.relu1(self.norm1(x)))
        return self.dropout(self.conv2(self.relu2(self.norm2(out))))


class DenseBlock(nn.Module):
    """``num_layers`` dense layers; each sees the concatenation of the input and all earlier
    layers' outputs; the block returns that whole concatenation."""

    def __init__(self, num_layers, in_channels, growth_rate, bn_size=4, dropout=0.0):
        super().__init__()
        self.layers = nn.ModuleList(
            DenseLayer(in_channels + i * growth_rate, growth_rate, bn_size, dropout)
            for i in range(num_layers)
        )
        self.out_channels = in_channels + num_layers * growth_rate

    def forward(self, x):
        features = [x]
        for layer in self.layers:
            features.append(layer(ops.cat(features, 1)))
        return ops.cat(features, 1)


class Transition(nn.Sequential):
    """BN–ReLU–1x1 conv (compression) – 2x2 average pooling."""

    def __init__(self, in_channels, out_channels):
        super().__init__(nn.BatchNorm2d(in_channels), nn.ReLU(),
                         nn.Conv2d(in_channels, out_channels, 1, bias=False), nn.AvgPool2d(2, 2))


class DenseNet(nn.Module):
    """DenseNet-BC with ``block_config`` layers per block, growth rate ``growth_rate``."""

    def __init__(self, block_config=(6, 12, 24, 16), growth_rate=32, num_init_features=64,
                 bn_size=4, compression=0.5, num_classes=1000, in_channels=3, dropout=0.0,
                 small_input=False):
        super().__init__()
        if small_input:
            stem = [nn.Conv2d(in_channels, num_init_features, 3, padding=1, bias=False)]
        else:
            stem = [nn.Conv2d(in_channels, num_init_features, 7, stride=2, padding=3, bias=False),
                    nn.BatchNorm2d(num_init_features), nn.ReLU(),
                    nn.MaxPool2d(3, stride=2, padding=1)]
        layers, c = stem, num_init_features
        for i, n in enumerate(block_config):
            block = DenseBlock(n, c, growth_rate, bn_size, dropout)
            layers.append(block)
            c = block.out_channels
            if i != len(block_config) - 1:
                out = int(c * compression)
                layers.append(Transition(c, out))
                c = out
        layers += [nn.BatchNorm2d(c), nn.ReLU()]
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(c, num_classes)

    def forward(self, x):
        return self.classifier(ops.flatten(self.avgpool(self.features(x)), 1))


def _densenet(name, config):
    def build(num_classes=1000, in_channels=3, **kwargs):
        return DenseNet(config, num_classes=num_classes, in_channels=in_channels, **kwargs)

    build.__name__ = name
    build.__doc__ = f"{name}: dense blocks {config}, growth rate 32, compression 0.5"
    return register(name)(build)


densenet121 = _densenet("densenet121", (6, 12, 24, 16))
densenet169 = _densenet("densenet169", (6, 12, 32, 32))
densenet201 = _densenet("densenet201", (6, 12, 48, 32))
