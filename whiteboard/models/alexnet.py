"""AlexNet (Krizhevsky, Sutskever & Hinton 2012), as in the paper.

Five convolutions 96-256-384-384-256 (11x11/4, 5x5, 3x3, 3x3, 3x3) with ReLU (six times faster to
train than the saturating tanh in the paper's comparison — ERRATA E23), local response
normalisation after the first two (k=2, n=5, α=1e-4, β=0.75), overlapping max pooling (3x3,
stride 2: windows overlap by one pixel; the paper reports 0.4% lower top-1 error than 2x2/2), then
three fully connected layers 4096-4096-1000 with dropout 0.5 before the first two. Input 227x227
(the paper's "224" does not give the 55x55 maps its figure shows).

Parameters: 62,378,344 in one tower; with the paper's two-GPU grouping (``groups=2`` on conv2,
conv4 and conv5, whose inputs come from one GPU only) 60,965,224.

``small=True`` is the configuration for 32x32 inputs: kernel 5/stride 1 in conv1, channel widths
divided by 4, a 256-wide classifier.
"""

from __future__ import annotations

from .. import nn
from .registry import register

__all__ = ["AlexNet", "alexnet"]


class AlexNet(nn.Module):
    def __init__(self, num_classes=1000, in_channels=3, two_tower=False, small=False,
                 dropout=0.5):
        super().__init__()
        g = 2 if two_tower else 1
        c = [96, 256, 384, 384, 256]
        if small:
            c = [v // 4 for v in c]
        stem = (nn.Conv2d(in_channels, c[0], 5, stride=1, padding=2) if small
                else nn.Conv2d(in_channels, c[0], 11, stride=4))
        self.features = nn.Sequential(
            stem, nn.ReLU(), nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0),
            nn.MaxPool2d(3, stride=2),
            nn.Conv2d(c[0], c[1], 5, padding=2, groups=g), nn.ReLU(),
            nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0), nn.MaxPool2d(3, stride=2),
            nn.Conv2d(c[1], c[2], 3, padding=1), nn.ReLU(),
            nn.Conv2d(c[2], c[3], 3, padding=1, groups=g), nn.ReLU(),
            nn.Conv2d(c[3], c[4], 3, padding=1, groups=g), nn.ReLU(),
            nn.MaxPool2d(3, stride=2),
        )
        hidden = 256 if small else 4096
        flat = c[4] * (3 * 3 if small else 6 * 6)
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Dropout(dropout), nn.Linear(flat, hidden), nn.ReLU(),
            nn.Dropout(dropout), nn.Linear(hidden, hidden), nn.ReLU(),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


@register("alexnet")
def alexnet(num_classes=1000, in_channels=3, **kwargs):
    """AlexNet for 227x227 inputs (``two_tower=True`` for the grouped version)."""
    return AlexNet(num_classes, in_channels, **kwargs)
