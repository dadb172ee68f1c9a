import numpy as np
import pytest
from hypothesis import given, strategies as st
from sklearn.metrics.pairwise import euclidean_distances as sk_dist
from sklearn.neighbors import NearestNeighbors

from whiteboard.metrics import euclidean_distances, kneighbors


@given(n=st.integers(1, 30), m=st.integers(1, 30), d=st.integers(1, 6), seed=st.integers(0, 99))
def test_euclidean_distances_equal_sklearn(n, m, d, seed):
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(n, d)), rng.normal(size=(m, d))
    np.testing.assert_allclose(euclidean_distances(X, Y), sk_dist(X, Y), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(euclidean_distances(X, Y, squared=True),
                               sk_dist(X, Y, squared=True), rtol=1e-10, atol=1e-12)
    assert np.all(np.diag(euclidean_distances(X)) == 0)


@pytest.mark.parametrize("k", [1, 3, 7])
@pytest.mark.parametrize("chunk", [4, 2048])
def test_kneighbors_equal_sklearn_brute(k, chunk):
    rng = np.random.default_rng(k)
    X = rng.normal(size=(40, 3))
    Q = rng.normal(size=(17, 3))
    dist, idx = kneighbors(X, k, Q, chunk_size=chunk)
    sk_d, sk_i = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(X).kneighbors(Q)
    np.testing.assert_array_equal(idx, sk_i)
    np.testing.assert_allclose(dist, sk_d, rtol=1e-10)
    dist, idx = kneighbors(X, k, chunk_size=chunk)  # self-excluded
    sk_d, sk_i = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(X).kneighbors()
    np.testing.assert_array_equal(idx, sk_i)
    np.testing.assert_allclose(dist, sk_d, rtol=1e-10)


def test_kneighbors_ties_resolve_to_lower_index():
    X = np.array([[0.0], [1.0], [-1.0], [1.0], [2.0]])
    _, idx = kneighbors(X, 2, np.array([[0.0]]))
    np.testing.assert_array_equal(idx, [[0, 1]])
    _, idx = kneighbors(X, 3, np.array([[0.0]]))
    np.testing.assert_array_equal(idx, [[0, 1, 2]])


def test_kneighbors_rejects_too_many_neighbours():
    with pytest.raises(ValueError, match="n_neighbors"):
        kneighbors(np.zeros((3, 2)), 3)
