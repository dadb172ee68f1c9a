"""``FancyPCA``: AlexNet's PCA lighting noise (Krizhevsky et al. 2012, §4.1).

Fit: the RGB values of every pixel of a dataset, ``X ∈ R^{(N·H·W)×3}``, give the covariance's
eigenpairs ``(λᵢ, pᵢ)`` (``ml.decomposition.PCA``: ``explained_variance_`` and
``components_``). Transform: per image draw ``αᵢ ~ N(0, alphastd²)`` and add the same offset

    δ = Σᵢ αᵢ λᵢ pᵢ = P (α ⊙ λ)

to every pixel, so ``δ`` lies in the span of the eigenvectors and its coordinate on ``pᵢ`` has
variance ``(alphastd·λᵢ)²``. Not clipped (as in the paper; add a clip after it if needed).
"""

from __future__ import annotations

import numbers

import numpy as np

from ..ml.decomposition import PCA
from ._base import Transform, as_batch

__all__ = ["FancyPCA"]


class FancyPCA(Transform):
    """PCA lighting noise. Give ``eigenvalues`` (3,) and ``eigenvectors`` (3, 3; rows are the
    ``pᵢ``, as ``PCA.components_``), or build one with :meth:`fit` on a dataset."""

    channels = (3,)

    def __init__(self, eigenvalues=None, eigenvectors=None, alphastd=0.1):
        if not isinstance(alphastd, numbers.Real) or alphastd < 0:
            raise ValueError(f"alphastd should be a non-negative number, got {alphastd!r}")
        self.alphastd = float(alphastd)
        if (eigenvalues is None) != (eigenvectors is None):
            raise ValueError("give both eigenvalues and eigenvectors, or neither (then call fit)")
        if eigenvalues is not None:
            self._set(eigenvalues, eigenvectors)
        else:
            self.eigenvalues = self.eigenvectors = None

    def _set(self, eigenvalues, eigenvectors):
        lam = np.asarray(eigenvalues, dtype=np.float64)
        vec = np.asarray(eigenvectors, dtype=np.float64)
        if lam.shape != (3,) or vec.shape != (3, 3):
            raise ValueError(f"eigenvalues should have shape (3,) and eigenvectors (3, 3), got "
                             f"{lam.shape} and {vec.shape}")
        if (lam < 0).any():
            raise ValueError(f"eigenvalues should be non-negative, got {lam}")
        self.eigenvalues, self.eigenvectors = lam, vec

    def fit(self, images):
        """Eigen-decompose the RGB covariance of every pixel of ``images`` (NCHW, 3 channels)."""
        x, _, _ = as_batch(images, "FancyPCA.fit images", channels=(3,))
        pixels = np.moveaxis(x, 1, -1).reshape(-1, 3).astype(np.float64)
        pca = PCA(n_components=3).fit(pixels)
        self._set(pca.explained_variance_, pca.components_)
        return self

    def _apply(self, x, rng):
        if self.eigenvalues is None:
            raise ValueError("FancyPCA has no eigenpairs: call fit(images) or pass eigenvalues "
                             "and eigenvectors")
        alpha = rng.normal(0.0, self.alphastd, size=(len(x), 3))
        delta = (alpha * self.eigenvalues) @ self.eigenvectors  # Σ αᵢ λᵢ pᵢ, (N, 3)
        self.last_params = delta
        return (x + delta[:, :, None, None].astype(x.dtype)).astype(x.dtype, copy=False)
