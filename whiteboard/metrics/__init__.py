"""Evaluation metrics with scikit-learn's names and semantics, and pairwise distances."""

from .pairwise import euclidean_distances, kneighbors

__all__ = ["euclidean_distances", "kneighbors"]
