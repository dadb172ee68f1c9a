"""Silhouette coefficients against scikit-learn 1.9.1 (rtol 1e-9: distances via the expansion)."""

import numpy as np
import pytest
import sklearn.metrics as skm
from hypothesis import given
from hypothesis import strategies as st

import whiteboard.metrics as wbm
from tests.oracles.sklearn_oracle import load

from ._compare import compare


@given(st.integers(3, 60), st.integers(1, 5), st.integers(2, 6), st.integers(0, 10_000))
def test_silhouette_random(n, d, k, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    labels = rng.integers(0, min(k, n - 1), n)
    compare(wbm.silhouette_samples, skm.silhouette_samples, X, labels, rtol=1e-9, atol=1e-10)
    compare(wbm.silhouette_score, skm.silhouette_score, X, labels, rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("name", ["iris", "wine"])
def test_silhouette_datasets(name):
    X, y = load(name, scale=True)
    np.testing.assert_allclose(wbm.silhouette_samples(X, y, chunk_size=17),
                               skm.silhouette_samples(X, y), rtol=1e-9, atol=1e-12)
    D = skm.pairwise_distances(X)
    np.testing.assert_allclose(wbm.silhouette_samples(D, y, metric="precomputed"),
                               skm.silhouette_samples(D, y, metric="precomputed"), rtol=1e-12)


def test_silhouette_label_count_errors():
    X = np.random.default_rng(0).normal(size=(5, 2))
    for labels in ([0] * 5, [0, 1, 2, 3, 4]):
        with pytest.raises(ValueError, match="Number of labels is"):
            wbm.silhouette_score(X, labels)
    with pytest.raises(ValueError, match="X has 5, labels has 4"):
        wbm.silhouette_score(X, [0, 1, 0, 1])
