"""Mixture models: the Gaussian mixture fitted by EM."""

from ._gaussian_mixture import GaussianMixture

__all__ = ["GaussianMixture"]
