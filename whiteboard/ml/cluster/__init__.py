"""Clustering: k-means (Lloyd, k-means++), mini-batch k-means, k-medoids (PAM), and choosing k."""

from ._k_medoids import KMedoids
from ._kmeans import ConvergenceWarning, KMeans, MiniBatchKMeans, kmeans_plusplus
from ._selection import choose_k, elbow_curve, elbow_point

__all__ = ["ConvergenceWarning", "KMeans", "KMedoids", "MiniBatchKMeans", "choose_k", "elbow_curve",
           "elbow_point", "kmeans_plusplus"]
