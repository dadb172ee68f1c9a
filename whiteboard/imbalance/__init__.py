"""Learning from imbalanced data: resampling, cost-sensitive weights and balanced ensembles.

imbalanced-learn's interface: samplers have ``fit_resample(X, y)`` and a ``sampling_strategy``
(float, 'auto', 'minority', 'majority', 'not minority', 'not majority', 'all', dict or callable);
``Pipeline``/``make_pipeline`` apply samplers in ``fit`` only.
"""

from ._sampling_strategy import BaseSampler, check_sampling_strategy
from .cost_sensitive import AdaCostClassifier, compute_class_weight, compute_sample_weight
from .ensemble import BalanceCascadeClassifier, EasyEnsembleClassifier
from .over_sampling import SMOTE, BorderlineSMOTE, RandomOverSampler
from .pipeline import Pipeline, make_pipeline
from .under_sampling import RandomUnderSampler

__all__ = [
    "SMOTE",
    "AdaCostClassifier",
    "BalanceCascadeClassifier",
    "BaseSampler",
    "BorderlineSMOTE",
    "EasyEnsembleClassifier",
    "Pipeline",
    "RandomOverSampler",
    "RandomUnderSampler",
    "check_sampling_strategy",
    "compute_class_weight",
    "compute_sample_weight",
    "make_pipeline",
]
