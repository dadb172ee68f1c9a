"""Clustering: k-means (Lloyd, k-means++), mini-batch k-means, spherical k-means, k-medoids
(PAM), and choosing k."""

from ._k_medoids import KMedoids
from ._kmeans import ConvergenceWarning, KMeans, MiniBatchKMeans, kmeans_plusplus
from ._selection import choose_k, elbow_curve, elbow_point
from ._spherical_kmeans import SphericalKMeans

__all__ = ["ConvergenceWarning", "KMeans", "KMedoids", "MiniBatchKMeans", "SphericalKMeans",
           "choose_k", "elbow_curve", "elbow_point", "kmeans_plusplus"]
