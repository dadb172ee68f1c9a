"""Learning from imbalanced data: resampling, cost-sensitive weights and balanced ensembles.

imbalanced-learn's interface: samplers have ``fit_resample(X, y)`` and a ``sampling_strategy``
(float, 'auto', 'minority', 'majority', 'not minority', 'not majority', 'all', dict or callable).
"""

from ._sampling_strategy import BaseSampler, check_sampling_strategy
from .over_sampling import SMOTE, BorderlineSMOTE, RandomOverSampler
from .under_sampling import RandomUnderSampler

__all__ = [
    "SMOTE",
    "BaseSampler",
    "BorderlineSMOTE",
    "RandomOverSampler",
    "RandomUnderSampler",
    "check_sampling_strategy",
]
