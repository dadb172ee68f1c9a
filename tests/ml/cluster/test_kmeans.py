"""KMeans / MiniBatchKMeans against scikit-learn 1.9.1, k-means++ statistics, properties."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from sklearn.cluster import KMeans as SkKMeans
from sklearn.cluster import MiniBatchKMeans as SkMiniBatchKMeans
from sklearn.datasets import make_blobs

from tests.oracles.sklearn_oracle import load, run_check_estimator
from whiteboard.ml.cluster import (
    KMeans,
    MiniBatchKMeans,
    choose_k,
    elbow_curve,
    elbow_point,
    kmeans_plusplus,
)
from whiteboard.ml.cluster._kmeans import lloyd

TOL = 1e-8


def _same_as_sklearn(X, init, sample_weight=None, **kw):
    k = init.shape[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours = KMeans(k, init=init, n_init=1, **kw).fit(X, sample_weight=sample_weight)
        ref = SkKMeans(k, init=init, n_init=1, **kw).fit(X, sample_weight=sample_weight)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    np.testing.assert_allclose(ours.cluster_centers_, ref.cluster_centers_, rtol=TOL, atol=TOL)
    np.testing.assert_allclose(ours.inertia_, ref.inertia_, rtol=TOL, atol=1e-12)
    assert ours.n_iter_ == ref.n_iter_
    # distances through the ‖x‖² − 2x·c + ‖c‖² expansion: a point on a centre gives
    # sqrt(rounding) ~ 1e-7 instead of 0, so transform is compared with atol 1e-6
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), rtol=TOL, atol=1e-6)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    np.testing.assert_allclose(ours.score(X), ref.score(X), rtol=TOL, atol=1e-12)
    return ours, ref


@given(st.integers(5, 200), st.integers(1, 6), st.integers(1, 6), st.integers(0, 10_000),
       st.booleans(), st.sampled_from([1e-4, 0.0, 1e-2]), st.sampled_from([300, 2]))
def test_same_init_equals_sklearn_random(n, d, k, seed, weighted, tol, max_iter):
    rng = np.random.default_rng(seed)
    k = min(k, n)
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 3, d) + rng.normal(size=d) * 5
    init = X[rng.choice(n, k, replace=False)] + 0.01 * rng.normal(size=(k, d))
    w = rng.uniform(0.1, 3, n) if weighted else None
    _same_as_sklearn(X, init, w, tol=tol, max_iter=max_iter)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_same_init_equals_sklearn_many_iterations(seed):
    # thousands of points and many iterations: most labels are settled by the Hamerly bounds
    # and the sums are updated incrementally; the result must still be plain Lloyd's
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(4000, 6)) * rng.uniform(0.5, 3, 6)
    init = X[rng.choice(4000, 12, replace=False)]
    w = rng.uniform(0.1, 3, 4000) if seed == 1 else None
    ours, _ = _same_as_sklearn(X, init, w, tol=0.0)
    assert ours.n_iter_ > 20


@pytest.mark.parametrize("name,k", [("iris", 3), ("wine", 4), ("breast_cancer", 5),
                                    ("digits", 10)])
def test_same_init_equals_sklearn_datasets(name, k):
    X, _ = load(name, scale=True)
    init = X[np.random.default_rng(1).choice(len(X), k, replace=False)]
    _same_as_sklearn(X, init)


def test_empty_cluster_relocated_as_sklearn():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (50, 2)), rng.normal(8, 1, (50, 2))])
    # two centres far away from every point and one duplicated centre: all start empty
    init = np.array([[0.0, 0.0], [100.0, 100.0], [-100.0, 50.0], [0.0, 0.0]])
    ours, ref = _same_as_sklearn(X, init)
    assert np.isfinite(ours.cluster_centers_).all()
    assert len(np.unique(ours.labels_)) == len(np.unique(ref.labels_)) >= 3


def test_inertia_never_increases():
    rng = np.random.default_rng(3)
    for trial in range(20):
        X = rng.normal(size=(300, 3)) + rng.integers(0, 4, (300, 1)) * 3
        init = X[rng.choice(300, 6, replace=False)]
        w = rng.uniform(0.5, 2, 300)
        record = []

        def callback(i, centers, labels, X=X, w=w, record=record):
            d = ((X[:, None, :] - centers[None]) ** 2).sum(-1).min(axis=1)
            record.append(d @ w)

        lloyd(X, w, init, max_iter=100, tol=0.0, callback=callback)
        record = np.array(record)
        assert len(record) >= 2
        assert np.all(np.diff(record) <= 1e-9 * record[0]), (trial, record)


def test_kmeans_plusplus_first_uniform_then_d2():
    # 6 points on a line: the first centre is uniform over them, the second (one local trial,
    # i.e. the plain k-means++ rule) is drawn with probability D(x)^2 / sum D^2
    X = np.array([[0.0], [1.0], [2.0], [4.0], [7.0], [11.0]])
    n, draws = len(X), 6000
    counts = np.zeros((n, n))
    for seed in range(draws):
        _, idx = kmeans_plusplus(X, 2, random_state=seed, n_local_trials=1)
        counts[idx[0], idx[1]] += 1
    first = counts.sum(axis=1)
    chi_first = stats.chisquare(first, np.full(n, draws / n))
    assert chi_first.pvalue > 1e-3, chi_first
    d2 = (X - X.T) ** 2
    expected = (first[:, None] * d2 / d2.sum(axis=1, keepdims=True))
    mask = ~np.eye(n, dtype=bool)
    assert counts[~mask].sum() == 0  # a point is never chosen twice
    chi_second = stats.chisquare(counts[mask], expected[mask])
    assert chi_second.pvalue > 1e-3, chi_second


def test_kmeans_plusplus_greedy_trials_and_weights():
    X, _ = make_blobs(500, centers=6, random_state=0)
    centers, idx = kmeans_plusplus(X, 6, random_state=0)
    np.testing.assert_array_equal(centers, X[idx])
    assert len(np.unique(idx)) == 6
    # zero-weight samples are never seeds
    w = np.zeros(500)
    w[:100] = 1.0
    for seed in range(20):
        _, idx = kmeans_plusplus(X, 6, sample_weight=w, random_state=seed)
        assert idx.max() < 100


def test_kmeanspp_inertia_comparable_to_sklearn():
    X, _ = make_blobs(3000, centers=8, n_features=5, cluster_std=2.0, random_state=1)
    ours = np.median([KMeans(8, random_state=s).fit(X).inertia_ for s in range(5)])
    ref = np.median([SkKMeans(8, random_state=s).fit(X).inertia_ for s in range(5)])
    assert ours <= ref * 1.05
    best = KMeans(8, n_init=10, random_state=0).fit(X).inertia_
    assert best <= SkKMeans(8, n_init=10, random_state=0).fit(X).inertia_ * 1.01


def test_random_init_and_n_init_keep_best():
    X, _ = make_blobs(400, centers=5, random_state=2)
    runs = [KMeans(5, init="random", n_init=1, random_state=s).fit(X).inertia_
            for s in range(8)]
    best = KMeans(5, init="random", n_init=8, random_state=0).fit(X).inertia_
    assert best <= np.median(runs) + 1e-9


def test_errors():
    X = np.random.default_rng(0).normal(size=(5, 2))
    with pytest.raises(ValueError, match=r"n_samples=5 should be >= n_clusters=6"):
        KMeans(6).fit(X)
    with pytest.raises(ValueError, match=r"n_samples=5 should be >= n_clusters=6"):
        MiniBatchKMeans(6).fit(X)
    with pytest.raises(ValueError, match="shape of the initial centers"):
        KMeans(2, init=np.zeros((3, 2))).fit(X)
    with pytest.raises(ValueError, match="init must be"):
        KMeans(2, init="kmeans").fit(X)
    with pytest.warns(RuntimeWarning, match="performing only one init"):
        KMeans(2, init=X[:2], n_init=3).fit(X)
    with pytest.raises(ValueError, match="X has 3 features"):
        KMeans(2).fit(X).predict(np.zeros((2, 3)))


def test_minibatch_close_to_full_kmeans():
    X, _ = make_blobs(5000, centers=6, n_features=4, random_state=0)
    full = KMeans(6, n_init=5, random_state=0).fit(X)
    for seed in range(3):
        mb = MiniBatchKMeans(6, batch_size=256, n_init=3, random_state=seed).fit(X)
        ref = SkMiniBatchKMeans(6, batch_size=256, n_init=3, random_state=seed).fit(X)
        assert mb.inertia_ <= full.inertia_ * 1.02
        assert mb.inertia_ <= ref.inertia_ * 1.02
        np.testing.assert_array_equal(mb.labels_, mb.predict(X))
        np.testing.assert_allclose(-mb.score(X), mb.inertia_, rtol=1e-10)


def test_minibatch_update_is_running_mean():
    # with batch_size = n, one point per cluster and no reassignment, each centre is the
    # running mean of every sample it has been given
    X = np.array([[0.0, 0.0], [10.0, 10.0]])
    mb = MiniBatchKMeans(2, init=X.copy(), n_init=1, batch_size=2, max_iter=5,
                         reassignment_ratio=0.0, max_no_improvement=None).fit(X)
    np.testing.assert_allclose(np.sort(mb.cluster_centers_, axis=0), X)
    np.testing.assert_allclose(mb._counts.sum(), mb.n_steps_ * 2)


def test_elbow_and_choose_k():
    X, _ = make_blobs(600, centers=4, cluster_std=0.6, random_state=0)
    ks, inertias = elbow_curve(X, 8, random_state=0, n_init=3)
    np.testing.assert_array_equal(ks, np.arange(1, 9))
    ref = [SkKMeans(int(k), n_init=3, random_state=0).fit(X).inertia_ for k in ks]
    np.testing.assert_allclose(inertias, ref, rtol=0.05)
    assert np.all(np.diff(inertias) < 0)
    out = choose_k(X, 8, n_init=3)
    assert out["k_elbow"] == 4 and out["k_silhouette"] == 4
    assert np.isnan(out["silhouettes"][0])
    assert elbow_point([1, 2, 3, 4, 5], [100, 20, 15, 12, 10]) == 2


@pytest.mark.parametrize("est", [KMeans(n_clusters=2, n_init=2, max_iter=5),
                                 MiniBatchKMeans(n_clusters=2, n_init=2, max_iter=5,
                                                 batch_size=10)])
def test_check_estimator(est):
    run_check_estimator(est, expected_failed_checks={
        "check_sample_weight_equivalence_on_dense_data":
            "k-means from a random seeding: weights are not equivalent to repeated samples "
            "(scikit-learn lists the same expected failure for its KMeans)",
        "check_estimators_unfitted":
            "whiteboard.ml.base.NotFittedError (shared base, numpy-only) is not a subclass of "
            "sklearn.exceptions.NotFittedError; predict/transform do raise it before fit",
    })


def test_sklearn_interoperability():
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV, cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, _ = make_blobs(200, centers=3, random_state=0)
    est = clone(KMeans(3, random_state=0))
    pipe = make_pipeline(StandardScaler(), est).fit(X)
    np.testing.assert_array_equal(pipe.predict(X), pipe[-1].labels_)
    # score = −inertia, so the search prefers more clusters; it must run and pick the largest
    search = GridSearchCV(KMeans(random_state=0), {"n_clusters": [2, 3, 4]}, cv=3).fit(X)
    assert search.best_params_ == {"n_clusters": 4}
    scores = cross_val_score(KMeans(3, random_state=0), X, cv=3)
    assert scores.shape == (3,) and np.all(scores < 0)


def test_callable_init_and_compute_labels_false():
    X, _ = make_blobs(300, centers=3, random_state=0)

    def first_rows(X, k, random_state):
        return X[:k]

    ours = KMeans(3, init=first_rows, n_init=1).fit(X)
    ref = SkKMeans(3, init=X[:3], n_init=1).fit(X)
    np.testing.assert_array_equal(ours.labels_, ref.labels_)
    mb = MiniBatchKMeans(3, compute_labels=False, random_state=0, batch_size=64).fit(X)
    assert not hasattr(mb, "labels_") and mb.inertia_ > 0
    np.testing.assert_array_equal(mb.predict(X), np.argmin(mb.transform(X), axis=1))
