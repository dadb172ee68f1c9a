"""LeNet-5 (LeCun et al. 1998): conv 5x5 (6) – pool – conv 5x5 (16) – pool – FC 120 – 84 – 10.

The classic layout takes 32x32 inputs (28x28 digits padded by 2): 32 → conv 28 → pool 14 →
conv 10 → pool 5, so the first fully connected layer sees 16·5·5 = 400 features; 61,706
parameters with 10 classes. The original used scaled tanh units, trainable average
("sub-sampling") pooling and a sparse C3 connection table; this version uses full C3 connections,
plain average pooling and a choice of activation, as is standard today.

``small=True`` is the documented configuration for 8x8 inputs (scikit-learn's digits): conv 3x3
pad 1 (6) – pool – conv 3x3 pad 1 (16) – pool – FC 64 → 120 → 84 → classes, so the feature sizes
run 8 → 4 → 2.
"""

from __future__ import annotations

from .. import nn
from .registry import register

__all__ = ["LeNet5", "lenet5", "lenet"]

_ACT = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid}


class LeNet5(nn.Module):
    """LeNet-5 with ``num_classes`` outputs; ``small`` for 8x8 inputs."""

    def __init__(self, num_classes=10, in_channels=1, activation="tanh", small=False,
                 pool="avg"):
        super().__init__()
        if activation not in _ACT:
            raise ValueError(f"LeNet5: activation must be one of {sorted(_ACT)}, got {activation!r}")
        act = _ACT[activation]
        pool_cls = {"avg": nn.AvgPool2d, "max": nn.MaxPool2d}[pool]
        k, p = (3, 1) if small else (5, 0)
        flat = 16 * 2 * 2 if small else 16 * 5 * 5
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, 6, k, padding=p), act(), pool_cls(2),
            nn.Conv2d(6, 16, k, padding=p), act(), pool_cls(2),
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
    """LeNet-5's small configuration for 8x8 digits (ReLU, max pooling): trains on CPU."""
    kwargs.setdefault("activation", "relu")
    kwargs.setdefault("pool", "max")
    return LeNet5(num_classes, in_channels, small=True, **kwargs)
