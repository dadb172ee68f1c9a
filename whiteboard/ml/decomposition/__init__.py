"""Matrix decompositions: principal component analysis."""

from ._pca import PCA, svd_flip

__all__ = ["PCA", "svd_flip"]
