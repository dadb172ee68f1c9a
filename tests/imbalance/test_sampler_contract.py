"""imbalanced-learn's own sampler checks that apply to NumPy-only samplers.

Not run: the sparse/pandas/list-output checks (whiteboard takes and returns NumPy arrays), the
one-vs-all (label-binarised y) check, and those that dispatch on imbalanced-learn's base classes
(``check_samplers_fit_resample`` and ``check_samplers_sampling_strategy_fit_resample``; their
content is covered by ``test_sampling_strategy.py``'s count comparison).
"""

import pytest
from imblearn.utils.estimator_checks import (
    check_samplers_2d_target,
    check_samplers_fit,
    check_samplers_one_label,
    check_samplers_preserve_dtype,
    check_target_type,
)
from sklearn.base import clone

from whiteboard.imbalance import SMOTE, BorderlineSMOTE, RandomOverSampler, RandomUnderSampler

SAMPLERS = [
    RandomUnderSampler(random_state=0),
    RandomUnderSampler(replacement=True, random_state=0),
    RandomOverSampler(random_state=0),
    RandomOverSampler(shrinkage=1.0, random_state=0),
    SMOTE(random_state=0),
    BorderlineSMOTE(random_state=0),
    BorderlineSMOTE(kind="borderline-2", random_state=0),
]
CHECKS = [check_target_type, check_samplers_one_label, check_samplers_fit,
          check_samplers_2d_target, check_samplers_preserve_dtype]


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("sampler", SAMPLERS, ids=repr)
def test_imblearn_sampler_checks(sampler, check):
    check(type(sampler).__name__, sampler)


@pytest.mark.parametrize("sampler", SAMPLERS, ids=repr)
def test_clone_keeps_params(sampler):
    twin = clone(sampler)
    assert twin.get_params() == sampler.get_params() and twin is not sampler
