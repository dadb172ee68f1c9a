"""Resampled class counts equal imbalanced-learn's for every form of ``sampling_strategy``."""

from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.imbalance._oracles import imblearn_counts
from whiteboard.imbalance import (
    SMOTE,
    BorderlineSMOTE,
    RandomOverSampler,
    RandomUnderSampler,
    check_sampling_strategy,
)

OURS = {
    "RandomUnderSampler": RandomUnderSampler,
    "RandomOverSampler": RandomOverSampler,
    "SMOTE": SMOTE,
}


def _data(sizes, labels, seed=0):
    rng = np.random.default_rng(seed)
    y = np.repeat(np.asarray(labels), sizes)
    rng.shuffle(y)
    return rng.normal(size=(len(y), 3)), y


def _ours_counts(name, X, y, **params):
    try:
        _, y_res = OURS[name](**params).fit_resample(X, y)
    except ValueError:
        return ValueError
    return dict(Counter(y_res.tolist()))


class_sizes = st.lists(st.integers(6, 60), min_size=2, max_size=4)


def _forms(sizes, data):
    forms = ["auto", "minority", "majority", "not minority", "not majority", "all", "bogus"]
    labels = list(range(len(sizes)))
    if len(sizes) == 2:
        forms += [data.draw(st.sampled_from([0.3, 0.5, 0.75, 0.9, 1.0, 1.5, 0.0])), 1.0]
    wanted = {c: data.draw(st.integers(0, 2 * n)) for c, n in zip(labels, sizes)
              if data.draw(st.booleans())}
    forms.append(wanted)
    forms.append(lambda y, w=wanted: dict(w))
    return forms


@pytest.mark.parametrize("name", sorted(OURS))
@given(sizes=class_sizes, data=st.data())
def test_counts_equal_imblearn_for_every_form(name, sizes, data):
    X, y = _data(sizes, list(range(len(sizes))))
    extra = {"k_neighbors": 3} if name == "SMOTE" else {}
    for form in _forms(sizes, data):
        ours = _ours_counts(name, X, y, sampling_strategy=form, random_state=1, **extra)
        ref = imblearn_counts(name, X, y, sampling_strategy=form, random_state=1, **extra)
        assert ours == ref, (name, sizes, form)


@given(sizes=class_sizes, data=st.data())
def test_borderline_counts_equal_imblearn(sizes, data):
    X, y = _data(sizes, list(range(len(sizes))), seed=data.draw(st.integers(0, 9)))
    for form in _forms(sizes, data):
        for kind in ("borderline-1", "borderline-2"):
            params = {"sampling_strategy": form, "k_neighbors": 3, "m_neighbors": 5,
                      "kind": kind, "random_state": 0}
            try:
                _, y_res = BorderlineSMOTE(**params).fit_resample(X, y)
                ours = dict(Counter(y_res.tolist()))
            except ValueError:
                ours = ValueError
            assert ours == imblearn_counts("BorderlineSMOTE", X, y, **params)


def test_string_labels_and_ties_follow_imblearn():
    X, y = _data([10, 20, 20, 7], ["b", "a", "c", "d"])
    for name in OURS:
        extra = {"k_neighbors": 3} if name == "SMOTE" else {}
        for form in ["auto", "not minority", "not majority", "all"]:
            assert _ours_counts(name, X, y, sampling_strategy=form, **extra) == imblearn_counts(
                name, X, y, sampling_strategy=form, **extra)


@pytest.mark.parametrize(
    "strategy, match",
    [
        ("bogus", "sampling_strategy as a string must be one of"),
        (1.5, r"sampling_strategy as a float must be in \(0, 1\]"),
        (0.0, r"sampling_strategy as a float must be in \(0, 1\]"),
        ({7: 10}, r"sampling_strategy names class\(es\) \[7\]"),
        ({0: -1}, "must be a non-negative integer"),
        ({0: 2}, "an over-sampler cannot remove samples"),
        ([0, 1], "must be a float, a string, a dict or a callable"),
        (lambda y: [1], "A callable sampling_strategy must return a dict"),
    ],
)
def test_invalid_sampling_strategy_names_the_argument(strategy, match):
    y = np.array([0] * 10 + [1] * 30)
    with pytest.raises(ValueError, match=match):
        check_sampling_strategy(strategy, y, "over-sampling")


def test_float_needs_binary_and_direction_errors():
    y3 = np.array([0] * 10 + [1] * 20 + [2] * 30)
    with pytest.raises(ValueError, match="float only when y is binary; y has 3 classes"):
        check_sampling_strategy(0.5, y3, "under-sampling")
    y = np.array([0] * 10 + [1] * 30)
    with pytest.raises(ValueError, match="would remove samples from the minority"):
        check_sampling_strategy(0.2, y, "over-sampling")
    with pytest.raises(ValueError, match="would add samples to the majority"):
        check_sampling_strategy(0.2, y, "under-sampling")
    with pytest.raises(ValueError, match="'minority' cannot be used with an under-sampler"):
        check_sampling_strategy("minority", y, "under-sampling")
    with pytest.raises(ValueError, match="more than 1 class"):
        check_sampling_strategy("auto", np.zeros(5), "under-sampling")
