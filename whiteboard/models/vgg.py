"""VGG (Simonyan & Zisserman 2014): stacks of 3x3 convolutions and 2x2 max pooling.

Two stacked 3x3 convolutions see 5x5 and three see 7x7 (see ``inspect.receptive_field``) with
fewer weights (27C² vs 49C²) and more non-linearities than one large kernel. Configurations A
(VGG-11), B (13), D (16), E (19); ``batch_norm=True`` adds BN after every convolution. Classifier:
4096-4096-classes with dropout on 512·7·7 features (adaptive pooling to 7x7 makes other input
sizes work). VGG-16 without BN: 138,357,544 parameters.
"""

from __future__ import annotations

from .. import nn
from .registry import register

__all__ = ["VGG", "vgg11", "vgg13", "vgg16", "vgg19", "CONFIGS"]

CONFIGS = {
    11: [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    13: [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    16: [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    19: [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M",
         512, 512, 512, 512, "M"],
}


class VGG(nn.Module):
    """VGG-``depth``; ``width`` scales the channels and the classifier (1.0 = the paper's)."""

    def __init__(self, depth=16, num_classes=1000, in_channels=3, batch_norm=False, width=1.0,
                 hidden=4096, pool_size=7, dropout=0.5):
        super().__init__()
        if depth not in CONFIGS:
            raise ValueError(f"VGG depth must be one of {sorted(CONFIGS)}, got {depth}")
        layers, c = [], in_channels
        for v in CONFIGS[depth]:
            if v == "M":
                layers.append(nn.MaxPool2d(2, 2))
                continue
            out = max(1, int(v * width))
            layers.append(nn.Conv2d(c, out, 3, padding=1))
            if batch_norm:
                layers.append(nn.BatchNorm2d(out))
            layers.append(nn.ReLU())
            c = out
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(pool_size)
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(c * pool_size * pool_size, hidden), nn.ReLU(),
            nn.Dropout(dropout), nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.avgpool(self.features(x)))


def _vgg(depth):
    def build(num_classes=1000, in_channels=3, batch_norm=False, **kwargs):
        return VGG(depth, num_classes, in_channels, batch_norm, **kwargs)

    build.__name__ = f"vgg{depth}"
    build.__doc__ = f"VGG-{depth} (``batch_norm=True`` for the BN variant)."
    register(f"vgg{depth}")(build)
    register(f"vgg{depth}_bn")(lambda **kw: build(batch_norm=True, **kw))
    return build


vgg11, vgg13, vgg16, vgg19 = (_vgg(d) for d in (11, 13, 16, 19))
