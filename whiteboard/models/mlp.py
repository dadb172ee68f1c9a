"""Multi-layer perceptron: ``Linear → activation (→ dropout)`` repeated, then a linear head."""

from __future__ import annotations

from .. import nn
from .registry import register

__all__ = ["MLP", "mlp"]

_ACTIVATIONS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "leaky_relu": "LeakyReLU",
                "elu": "ELU", "silu": "SiLU"}


class MLP(nn.Sequential):
    """A fully connected network ``in_features → hidden... → num_classes`` (logits out);
    ``hidden`` is a sequence of widths (``()`` for a linear model) or one int."""

    def __init__(self, in_features=64, num_classes=10, hidden=(128,), activation="relu",
                 dropout=0.0):
        if activation not in _ACTIVATIONS:
            raise ValueError(
                f"MLP: unknown activation {activation!r}; choose from {sorted(_ACTIVATIONS)}"
            )
        hidden = (hidden,) if isinstance(hidden, int) else tuple(hidden)
        layers, width = [], in_features
        for size in hidden:
            layers.append(nn.Linear(width, size))
            layers.append(getattr(nn, _ACTIVATIONS[activation])())
            if dropout:
                layers.append(nn.Dropout(dropout))
            width = size
        layers.append(nn.Linear(width, num_classes))
        super().__init__(*layers)


@register("mlp", images=False)
def mlp(in_features=64, num_classes=10, hidden=(128,), activation="relu", dropout=0.0):
    """The issue's MLP: 64-128-10 with ReLU by default."""
    return MLP(in_features, num_classes, hidden, activation, dropout)
