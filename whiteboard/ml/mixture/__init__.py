"""Mixture models: the Gaussian mixture fitted by EM, and its semi-supervised variant."""

from ._gaussian_mixture import GaussianMixture
from ._semi_supervised import SemiSupervisedGaussianMixture

__all__ = ["GaussianMixture", "SemiSupervisedGaussianMixture"]
