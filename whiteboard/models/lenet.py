"""LeNet-5 (LeCun et al. 1998): conv 5x5 (6) – pool – conv 5x5 (16) – pool – FC 120 – 84 – 10.

The classic layout takes 32x32 inputs (28x28 digits padded by 2): 32 → conv 28 → pool 14 →
conv 10 → pool 5, so the first fully connected layer sees 16·5·5 = 400 features; 61,706
parameters with 10 classes. The original used scaled tanh units, trainable average
("sub-sampling") pooling and a sparse C3 connection table; this version uses full C3 connections,
plain average pooling and a choice of activation, as is standard today.

``small=True`` is the documented configuration for 8x8 inputs (scikit-learn's digits): conv 3x3
pad 1 (6) – pool – conv 3x3 pad 1 (16) – FC 256 → 120 → 84 → classes, so the feature sizes run
8 → 4 → 4 (a second pooling would leave 2x2 maps and lose the digit's shape). ``channels``
sets the two convolution widths (6, 16 in the paper).
"""

from __future__ import annotations

from .. import nn
from .registry import register

__all__ = ["LeNet5", "lenet5", "lenet"]

_ACT = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid}


class LeNet5(nn.Module):
    """LeNet-5 with ``num_classes`` outputs; ``small`` for 8x8 inputs."""

    def __init__(self, num_classes=10, in_channels=1, activation="tanh", small=False,
                 pool="avg", channels=(6, 16)):
        super().__init__()
        if activation not in _ACT:
            raise ValueError(
                f"LeNet5: activation must be one of {sorted(_ACT)}, got {activation!r}")
        act = _ACT[activation]
        pool_cls = {"avg": nn.AvgPool2d, "max": nn.MaxPool2d}[pool]
        k, p = (3, 1) if small else (5, 0)
        # at 8x8 a second pooling would leave 2x2 maps: the small net keeps 4x4 after conv2
        c1, c2 = channels
        flat = c2 * (4 * 4 if small else 5 * 5)
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, c1, k, padding=p), act(), pool_cls(2),
            nn.Conv2d(c1, c2, k, padding=p), act(), *([] if small else [pool_cls(2)]),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(flat, 120), act(), nn.Linear(120, 84), act(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


@register("lenet5")
def lenet5(num_classes=10, in_channels=1, **kwargs):
    """LeNet-5 for 32x32 inputs."""
    return LeNet5(num_classes, in_channels, **kwargs)


@register("lenet")
def lenet(num_classes=10, in_channels=1, **kwargs):
    """LeNet-style network for 8x8 digits: the small configuration with ReLU, max pooling and
    16/32 channels (6/16 underfit at this resolution: ~96% on digits instead of ~98%)."""
    kwargs.setdefault("activation", "relu")
    kwargs.setdefault("pool", "max")
    kwargs.setdefault("channels", (16, 32))
    return LeNet5(num_classes, in_channels, small=True, **kwargs)
