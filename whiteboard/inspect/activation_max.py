"""The inputs that most activate a hidden unit, or a direction in a layer's activation space.

For activations A (N, F) of a layer (spatial maps averaged per channel by default), the score of
input n along a unit u is A[n, u], along a direction v it is A[n] · v / ‖v‖; the top-k inputs are
those with the k largest scores (Szegedy et al. 2014 compare units with random directions).
"""

from __future__ import annotations

import numpy as np

from .feature_maps import layer_activations

__all__ = ["top_k_activating", "top_k_from_activations"]


def top_k_from_activations(acts, unit=None, direction=None, k=9):
    """``(indices, scores)`` of the k rows of ``acts`` (N, F) with the largest unit/direction
    score, highest first (ties to the lower index)."""
    acts = np.asarray(acts, dtype=np.float64)
    if acts.ndim != 2:
        raise ValueError(f"activations must be (N, features), got shape {acts.shape}")
    if (unit is None) == (direction is None):
        raise ValueError("give exactly one of unit= or direction=")
    if direction is not None:
        v = np.asarray(direction, dtype=np.float64).ravel()
        if v.shape != (acts.shape[1],) or not np.any(v):
            raise ValueError(f"direction must be a non-zero vector of length {acts.shape[1]}, got "
                             f"shape {v.shape}")
        s = acts @ (v / np.linalg.norm(v))
    else:
        if not 0 <= int(unit) < acts.shape[1]:
            raise ValueError(f"unit must be in [0, {acts.shape[1]}), got {unit}")
        s = acts[:, int(unit)]
    if not 1 <= k <= acts.shape[0]:
        raise ValueError(f"k must be in [1, {acts.shape[0]}], got {k}")
    order = np.argsort(-s, kind="stable")[:k]
    return order, s[order]


def top_k_activating(model, X, layer, unit=None, direction=None, k=9, reduce="mean",
                     batch_size=512):
    """Top-k inputs of ``X`` for a unit or a direction of ``layer``'s activations."""
    acts = layer_activations(model, X, layer, reduce=reduce, batch_size=batch_size)
    return top_k_from_activations(acts, unit=unit, direction=direction, k=k)
