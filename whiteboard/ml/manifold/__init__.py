"""Manifold learning: t-SNE for visualising high-dimensional data (e.g. hidden layers)."""

from ._t_sne import TSNE, conditional_probabilities, joint_probabilities, kl_divergence_grad

__all__ = ["TSNE", "conditional_probabilities", "joint_probabilities", "kl_divergence_grad"]
