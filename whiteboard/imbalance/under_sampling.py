"""Random under-sampling: keep a random subset of each targeted class.

For every class ``c`` targeted by ``sampling_strategy_`` (resolved to ``{c: n_keep}``), ``n_keep``
of its samples are drawn uniformly at random — without replacement by default, with replacement
when ``replacement=True`` (then a sample can appear more than once). Classes not targeted are kept
whole. Nothing is computed on ``X``: rows are only selected, so NaN in ``X`` is allowed (as in
imbalanced-learn).
"""

from __future__ import annotations

import numpy as np

from ..ml.base import check_random_state
from ._sampling_strategy import BaseSampler

__all__ = ["RandomUnderSampler"]


class RandomUnderSampler(BaseSampler):
    """Under-sample the targeted classes by random selection of their samples.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        See ``whiteboard.imbalance._sampling_strategy`` (imbalanced-learn's semantics; for an
        under-sampler the resolved numbers are the counts to keep).
    random_state : int, Generator or None
    replacement : bool, default=False
        Draw with replacement.

    Attributes
    ----------
    sampling_strategy_ : dict {class: number of samples kept}
    sample_indices_ : ndarray of shape (n_resampled,)
        Rows of ``X`` that form the output, in output order: grouped by class in sorted label
        order; within an under-sampled class in the order drawn, within an untouched class in the
        original order. ``X_resampled == X[sample_indices_]``.
    n_features_in_ : int
    """

    _sampling_type = "under-sampling"
    _allow_nan = True
    _sample_indices = True

    def __init__(self, *, sampling_strategy="auto", random_state=None, replacement=False):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.replacement = replacement

    def _fit_resample(self, X, y):
        rng = check_random_state(self.random_state)
        parts = []
        for c in np.unique(y):
            members = np.flatnonzero(y == c)
            key = c.item() if hasattr(c, "item") else c
            if key in self.sampling_strategy_:
                n_keep = self.sampling_strategy_[key]
                if self.replacement:
                    members = members[rng.integers(0, len(members), size=n_keep)]
                else:
                    members = rng.choice(members, size=n_keep, replace=False)
            parts.append(members)
        self.sample_indices_ = np.concatenate(parts).astype(np.int64)
        return X[self.sample_indices_], y[self.sample_indices_]
