"""Shared helpers for the experiments of claims E–H (activations, initialisation, losses,
optimisation): an MLP builder; training and accuracy come from the A–D helpers."""

import numpy as np

from ... import backend, nn
from ._common_claims_ad import accuracy, digits_split, train_classifier

__all__ = ["accuracy", "digits_split", "mlp", "train_classifier"]


def mlp(sizes, activation=nn.ReLU, seed=0, dtype=np.float64):
    """``Linear → activation → … → Linear`` with widths ``sizes`` (PyTorch default init, seeded).

    ``activation`` is a module class or a zero-argument factory; ``None`` means identity.
    """
    backend.manual_seed(seed)
    layers = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(a, b, dtype=dtype))
        if i < len(sizes) - 2 and activation is not None:
            layers.append(activation())
    return nn.Sequential(*layers)
