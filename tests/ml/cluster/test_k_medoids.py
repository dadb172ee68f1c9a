"""KMedoids: PAM against brute force (global optimum, single-swap local optimality, BUILD as a
plain greedy loop), the alternating method's fixed point, metrics against SciPy's cdist,
precomputed distances, and scikit-learn's estimator contract."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial.distance import cdist

from tests.oracles.sklearn_oracle import run_check_estimator
from whiteboard.ml.cluster import KMedoids
from whiteboard.ml.cluster._k_medoids import _build, pairwise_distances


def _cost(D, medoids):
    return D[:, list(medoids)].min(axis=1).sum()


def _blobs(n_per=6, k=3, d=2, seed=0, spread=0.3):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=10.0, size=(k, d))
    return np.concatenate([c + spread * rng.normal(size=(n_per, d)) for c in centres])


@pytest.mark.parametrize("metric,scipy_name", [("euclidean", "euclidean"),
                                               ("sqeuclidean", "sqeuclidean"),
                                               ("manhattan", "cityblock"),
                                               ("cosine", "cosine")])
def test_distances_equal_scipy(metric, scipy_name):
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(17, 5)), rng.normal(size=(9, 5))
    np.testing.assert_allclose(pairwise_distances(X, Y, metric), cdist(X, Y, scipy_name),
                               rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("seed", range(4))
def test_pam_finds_the_global_optimum_of_separated_blobs(seed):
    """On three well-separated blobs the optimum (brute force over all C(18, 3) medoid sets) is
    one medoid per blob; PAM must reach exactly its cost."""
    X = _blobs(seed=seed)
    D = cdist(X, X)
    best = min(_cost(D, m) for m in itertools.combinations(range(len(X)), 3))
    km = KMedoids(3, method="pam").fit(X)
    assert km.inertia_ == pytest.approx(best, rel=1e-12)
    assert km.inertia_ == pytest.approx(_cost(D, km.medoid_indices_), rel=1e-12)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(4, 25), k=st.integers(1, 4),
       init=st.sampled_from(["build", "heuristic", "random", "k-medoids++"]),
       metric=st.sampled_from(["euclidean", "manhattan"]))
def test_pam_ends_where_no_single_swap_improves(seed, n, k, init, metric):
    """The defining property of SWAP's end point, checked by trying every exchange directly."""
    k = min(k, n)
    X = np.random.default_rng(seed).normal(size=(n, 3))
    km = KMedoids(k, method="pam", init=init, metric=metric, random_state=seed).fit(X)
    D = pairwise_distances(X, X, metric)
    J = _cost(D, km.medoid_indices_)
    assert km.inertia_ == pytest.approx(J, rel=1e-12)
    for i in range(k):
        for h in set(range(n)) - set(km.medoid_indices_):
            trial = km.medoid_indices_.copy()
            trial[i] = h
            assert _cost(D, trial) >= J - 1e-9 * J
    np.testing.assert_array_equal(km.labels_, np.argmin(D[:, km.medoid_indices_], axis=1))


def test_build_is_the_greedy_loop():
    """BUILD's vectorised gain equals adding, one at a time, the point that lowers J most."""
    X = np.random.default_rng(3).normal(size=(30, 4))
    D = cdist(X, X)
    chosen = []
    for _ in range(5):
        rest = [h for h in range(30) if h not in chosen]
        chosen.append(min(rest, key=lambda h: _cost(D, chosen + [h])))
    np.testing.assert_array_equal(_build(D, 5), chosen)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(3, 30), k=st.integers(1, 5))
def test_alternate_ends_at_its_fixed_point(seed, n, k):
    """Each medoid is a most central member of its own cluster, and each point is labelled by
    its nearest medoid; J never exceeds J of the initial (BUILD) medoids."""
    k = min(k, n)
    X = np.random.default_rng(seed).normal(size=(n, 2))
    km = KMedoids(k, method="alternate").fit(X)
    D = cdist(X, X)
    labels = np.argmin(D[:, km.medoid_indices_], axis=1)
    np.testing.assert_array_equal(km.labels_, labels)
    for c, m in enumerate(km.medoid_indices_):
        members = np.flatnonzero(labels == c)
        cost = D[np.ix_(members, members)].sum(axis=1)
        assert D[m, members].sum() <= cost.min() + 1e-12
    assert km.inertia_ <= _cost(D, _build(D, k)) + 1e-12


def test_pam_is_at_least_as_good_as_alternate_from_the_same_start():
    """SWAP can also move a medoid across clusters: from BUILD on overlapping data it is never
    worse than the alternating method (here over 20 data sets), and strictly better on some."""
    better = 0
    for seed in range(20):
        X = np.random.default_rng(seed).normal(size=(40, 2))
        pam = KMedoids(4, method="pam").fit(X).inertia_
        alt = KMedoids(4, method="alternate").fit(X).inertia_
        assert pam <= alt + 1e-9
        better += pam < alt - 1e-9
    assert better >= 1


def test_precomputed_equals_the_metric_and_predict_transform():
    X = _blobs(n_per=10, seed=5)
    Xn = _blobs(n_per=3, seed=6)
    a = KMedoids(3, method="pam", metric="manhattan").fit(X)
    b = KMedoids(3, method="pam", metric="precomputed").fit(cdist(X, X, "cityblock"))
    np.testing.assert_array_equal(a.medoid_indices_, b.medoid_indices_)
    assert b.cluster_centers_ is None
    np.testing.assert_allclose(a.cluster_centers_, X[a.medoid_indices_])
    np.testing.assert_allclose(a.transform(Xn), cdist(Xn, X[a.medoid_indices_], "cityblock"),
                               atol=1e-12)
    np.testing.assert_array_equal(a.predict(Xn), b.predict(cdist(Xn, X, "cityblock")))
    assert a.score(Xn) == pytest.approx(-cdist(Xn, a.cluster_centers_, "cityblock").min(1).sum())


def test_a_far_outlier_does_not_move_the_medoid():
    """The robustness the notes contrast with k-means: one far point drags a mean, not a medoid."""
    X = np.concatenate([np.random.default_rng(0).normal(size=(20, 2)), [[1e3, 1e3]]])
    km = KMedoids(1, method="pam").fit(X)
    assert np.linalg.norm(km.cluster_centers_[0]) < 1.0
    assert np.linalg.norm(X.mean(axis=0)) > 40.0


def test_callable_metric():
    X = np.random.default_rng(0).normal(size=(15, 3))
    cheb = KMedoids(2, method="pam", metric=lambda x, y: np.abs(x - y).max()).fit(X)
    ref = KMedoids(2, method="pam", metric="precomputed").fit(cdist(X, X, "chebyshev"))
    np.testing.assert_array_equal(cheb.medoid_indices_, ref.medoid_indices_)


@pytest.mark.parametrize("kw,match", [({"n_clusters": 0}, "n_clusters"),
                                      ({"n_clusters": 50}, "n_clusters"),
                                      ({"metric": "hamming"}, "metric"),
                                      ({"method": "clara"}, "method"),
                                      ({"init": "kmeans"}, "init"),
                                      ({"max_iter": -1}, "max_iter")])
def test_bad_parameters_are_named(kw, match):
    X = np.random.default_rng(0).normal(size=(10, 2))
    with pytest.raises(ValueError, match=match):
        KMedoids(**{"n_clusters": 2, **kw}).fit(X)


def test_precomputed_must_be_square_and_nonnegative():
    with pytest.raises(ValueError, match="square"):
        KMedoids(2, metric="precomputed").fit(np.ones((4, 3)))
    with pytest.raises(ValueError, match="non-negative"):
        KMedoids(2, metric="precomputed").fit(-np.ones((4, 4)))


@pytest.mark.parametrize("method", ["alternate", "pam"])
def test_check_estimator(method):
    run_check_estimator(KMedoids(3, method=method, random_state=0))
