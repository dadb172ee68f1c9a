"""Random under-/over-sampling: index semantics, replacement, smoothed bootstrap, bad input."""

from collections import Counter

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from imblearn.over_sampling import RandomOverSampler as ImbROS
from imblearn.under_sampling import RandomUnderSampler as ImbRUS
from sklearn.base import clone

from whiteboard.imbalance import RandomOverSampler, RandomUnderSampler


def _data(sizes, seed=0, labels=None):
    rng = np.random.default_rng(seed)
    labels = np.arange(len(sizes)) if labels is None else np.asarray(labels)
    y = np.repeat(labels, sizes)
    rng.shuffle(y)
    return rng.normal(size=(len(y), 4)), y


@given(sizes=st.lists(st.integers(1, 40), min_size=2, max_size=4), seed=st.integers(0, 99),
       replacement=st.booleans())
def test_under_sampler_index_semantics(sizes, seed, replacement):
    X, y = _data(sizes, seed)
    sampler = RandomUnderSampler(random_state=seed, replacement=replacement)
    X_res, y_res = sampler.fit_resample(X, y)
    idx = sampler.sample_indices_
    np.testing.assert_array_equal(X_res, X[idx])
    np.testing.assert_array_equal(y_res, y[idx])
    # grouped by class in sorted label order, every class cut to the minority count
    assert np.all(np.diff(y_res) >= 0)
    assert Counter(y_res.tolist()) == {c: min(sizes) for c in range(len(sizes))}
    n_min_class = int(np.argmin(sizes))
    np.testing.assert_array_equal(idx[y_res == n_min_class], np.flatnonzero(y == n_min_class))
    if not replacement:
        assert len(np.unique(idx)) == len(idx)
    imb = ImbRUS(random_state=seed, replacement=replacement).fit(X, y)
    imb.fit_resample(X, y)
    assert len(imb.sample_indices_) == len(idx)
    assert Counter(y[imb.sample_indices_].tolist()) == Counter(y[idx].tolist())


def test_under_sampler_with_replacement_repeats_rows():
    X, y = _data([5, 400], seed=3)
    sampler = RandomUnderSampler(sampling_strategy={1: 300}, replacement=True, random_state=0)
    sampler.fit_resample(X, y)
    drawn = sampler.sample_indices_[y[sampler.sample_indices_] == 1]
    assert len(np.unique(drawn)) < len(drawn)  # 300 draws from 400 with replacement collide


@given(sizes=st.lists(st.integers(1, 40), min_size=2, max_size=4), seed=st.integers(0, 99))
def test_over_sampler_index_semantics(sizes, seed):
    X, y = _data(sizes, seed)
    sampler = RandomOverSampler(random_state=seed)
    X_res, y_res = sampler.fit_resample(X, y)
    idx = sampler.sample_indices_
    n = len(y)
    np.testing.assert_array_equal(idx[:n], np.arange(n))
    np.testing.assert_array_equal(X_res, X[idx])
    np.testing.assert_array_equal(y_res, y[idx])
    assert np.all(np.diff(y_res[n:]) >= 0)  # appended class by class in sorted order
    assert Counter(y_res.tolist()) == {c: max(sizes) for c in range(len(sizes))}
    imb = ImbROS(random_state=seed)
    imb.fit_resample(X, y)
    np.testing.assert_array_equal(imb.sample_indices_[:n], np.arange(n))
    assert Counter(y[imb.sample_indices_].tolist()) == Counter(y_res.tolist())


def test_smoothed_bootstrap_scale_matches_imblearn_rule():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (2000, 3)), rng.normal(0, [1.0, 2.0, 0.5], (50, 3))])
    y = np.repeat([0, 1], [2000, 50])
    ours = RandomOverSampler(shrinkage=2.0, random_state=0)
    X_res, _ = ours.fit_resample(X, y)
    n, d = X.shape
    new = slice(n, None)
    noise = X_res[new] - X[ours.sample_indices_[new]]
    h = (4 / ((d + 2) * n)) ** (1 / (d + 4))
    expected_sd = 2.0 * h * X[y == 1].std(axis=0)
    np.testing.assert_allclose(noise.std(axis=0), expected_sd, rtol=0.06)
    imb = ImbROS(shrinkage=2.0, random_state=0)
    imb_X, _ = imb.fit_resample(X, y)
    imb_noise = imb_X[new] - X[imb.sample_indices_[new]]
    np.testing.assert_allclose(noise.std(axis=0), imb_noise.std(axis=0), rtol=0.1)
    assert ours.shrinkage_ == {1: 2.0}
    zero = RandomOverSampler(shrinkage=0.0, random_state=0)
    X_zero, _ = zero.fit_resample(X, y)
    np.testing.assert_array_equal(X_zero, X[zero.sample_indices_])


def test_shrinkage_errors():
    X, y = _data([10, 30])
    with pytest.raises(ValueError, match="shrinkage must give a factor for every over-sampled"):
        RandomOverSampler(shrinkage={1: 1.0}).fit_resample(X, y)
    with pytest.raises(ValueError, match="shrinkage must be >= 0"):
        RandomOverSampler(shrinkage=-1.0).fit_resample(X, y)


def test_random_samplers_keep_nan_rows_and_string_labels():
    X, y = _data([10, 30], labels=["pos", "neg"])
    X[0, 0] = np.nan
    for sampler in (RandomUnderSampler(random_state=0), RandomOverSampler(random_state=0)):
        X_res, y_res = sampler.fit_resample(X, y)
        np.testing.assert_array_equal(X_res, X[sampler.sample_indices_])
        assert set(y_res.tolist()) == {"pos", "neg"}
    with pytest.raises(ValueError, match="NaN: shrinkage needs numeric X"):
        RandomOverSampler(shrinkage=1.0).fit_resample(X, y)


@pytest.mark.parametrize("sampler", [RandomUnderSampler(), RandomOverSampler()])
def test_bad_input_errors(sampler):
    X, y = _data([10, 30])
    with pytest.raises(ValueError, match=r"X has 40 rows \(shape \(40, 4\)\), y has 39"):
        sampler.fit_resample(X, y[:-1])
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        sampler.fit_resample(X, np.linspace(0, 1, 40))
    with pytest.raises(ValueError, match="y contains NaN"):
        sampler.fit_resample(X, np.r_[np.zeros(39), np.nan])
    with pytest.raises(ValueError, match="more than 1 class"):
        sampler.fit_resample(X, np.zeros(40))
    with pytest.raises(ValueError, match="y must be 1-D"):
        sampler.fit_resample(X, np.zeros((40, 3)))
    clone(sampler)


def test_dtype_preserved_and_fit_sets_strategy():
    X, y = _data([10, 30])
    for sampler in (RandomUnderSampler(random_state=0), RandomOverSampler(random_state=0)):
        X_res, y_res = sampler.fit_resample(X.astype(np.float32), y.astype(np.int32))
        assert X_res.dtype == np.float32 and y_res.dtype == np.int32
        assert sampler.fit(X, y).sampling_strategy_ in ({1: 10}, {0: 20})
