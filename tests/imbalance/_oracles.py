"""imbalanced-learn as the oracle for the samplers: one place for its names and quirks."""

from __future__ import annotations

from collections import Counter

import numpy as np
from imblearn.over_sampling import SMOTE, BorderlineSMOTE, RandomOverSampler
from imblearn.under_sampling import RandomUnderSampler

IMBLEARN = {
    "RandomUnderSampler": RandomUnderSampler,
    "RandomOverSampler": RandomOverSampler,
    "SMOTE": SMOTE,
    "BorderlineSMOTE": BorderlineSMOTE,
}


def imblearn_counts(name, X, y, **params):
    """Class counts after imbalanced-learn's sampler ``name``, or the exception type it raised."""
    try:
        _, y_res = IMBLEARN[name](**params).fit_resample(X, y)
    except ValueError:
        return ValueError
    return dict(Counter(np.asarray(y_res).tolist()))


def imblearn_danger(X, y, m_neighbors, k_neighbors=5, kind="borderline-1"):
    """imbalanced-learn's Borderline-SMOTE danger set: {class: sorted row indices}."""
    sampler = BorderlineSMOTE(m_neighbors=m_neighbors, k_neighbors=k_neighbors, kind=kind,
                              random_state=0)
    sampler.fit_resample(X, y)
    return {c: np.sort(v) for c, v in sampler.in_danger_indices.items()}
