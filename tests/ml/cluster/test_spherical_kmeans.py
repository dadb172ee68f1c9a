"""Spherical k-means vs a brute-force double loop, and vs scikit-learn's KMeans on normalised
data: equal when the clusters are tight and well separated, different when their spreads (the
norms of their Euclidean means) differ a lot."""

import numpy as np
import pytest
from sklearn.cluster import KMeans as SkKMeans

from whiteboard.ml import SphericalKMeans


def _brute_force(X, C, max_iter=300):
    """Per-sample, per-cluster loops, no vectorisation: assign by cosine, mean, normalise."""
    Xn = [x / np.sqrt(sum(v * v for v in x)) for x in X]
    C = [c / np.sqrt(sum(v * v for v in c)) for c in C]
    labels = None
    for it in range(1, max_iter + 1):
        new = []
        for x in Xn:
            sims = [sum(a * b for a, b in zip(x, c)) for c in C]
            new.append(int(np.argmax(sims)))
        if labels is not None and new == labels:
            return np.array(labels), np.array(C), it
        labels = new
        for k in range(len(C)):
            s = sum((x for x, lab in zip(Xn, labels) if lab == k), np.zeros(X.shape[1]))
            C[k] = s / np.sqrt(sum(v * v for v in s))
    return np.array(labels), np.array(C), max_iter


def _directions(n_per, centres, spread, seed):
    rng = np.random.default_rng(seed)
    X = np.vstack([c + spread * rng.normal(size=(n_per, len(c))) for c in centres])
    return X * rng.uniform(0.2, 5.0, size=(len(X), 1))  # lengths are irrelevant


def test_equals_brute_force_loop():
    X = _directions(20, np.eye(4)[:3] + 0.2, 0.4, seed=0)
    C0 = X[[0, 25, 50]]
    est = SphericalKMeans(3, init=C0).fit(X)
    labels, C, n_iter = _brute_force(X, C0)
    np.testing.assert_array_equal(est.labels_, labels)
    np.testing.assert_allclose(est.cluster_centers_, C, atol=1e-12)
    assert est.n_iter_ == n_iter
    np.testing.assert_allclose(np.linalg.norm(est.cluster_centers_, axis=1), 1.0)
    Xn = X / np.linalg.norm(X, axis=1, keepdims=True)
    cos = np.sum(Xn * est.cluster_centers_[est.labels_], axis=1)
    assert est.inertia_ == pytest.approx(np.sum(1 - cos), rel=1e-12)
    np.testing.assert_array_equal(est.predict(X), est.labels_)  # a fixed point
    np.testing.assert_allclose(est.transform(X), 1 - Xn @ est.cluster_centers_.T, atol=1e-12)
    assert est.score(X) == pytest.approx(-est.inertia_, rel=1e-12)


def test_invariant_to_row_lengths():
    X = _directions(15, np.eye(3), 0.3, seed=1)
    a = SphericalKMeans(3, random_state=0).fit(X)
    b = SphericalKMeans(3, random_state=0).fit(X * np.arange(1, len(X) + 1)[:, None])
    np.testing.assert_array_equal(a.labels_, b.labels_)


def test_equals_kmeans_on_normalised_data_for_tight_separated_clusters():
    X = _directions(30, np.eye(3) * 3, 0.1, seed=2)
    C0 = X[[0, 30, 60]] / np.linalg.norm(X[[0, 30, 60]], axis=1, keepdims=True)
    Xn = X / np.linalg.norm(X, axis=1, keepdims=True)
    ours = SphericalKMeans(3, init=C0).fit(X)
    sk = SkKMeans(3, init=C0, n_init=1, algorithm="lloyd").fit(Xn)
    np.testing.assert_array_equal(ours.labels_, sk.labels_)
    M = sk.cluster_centers_
    np.testing.assert_allclose(ours.cluster_centers_, M / np.linalg.norm(M, axis=1)[:, None],
                               atol=1e-6)


def test_differs_from_kmeans_when_spreads_differ():
    # a tight cluster at angle 0 (‖mean‖ ≈ 0.96: row lengths vary) and a wide one
    # around 1.6 rad (‖mean‖ ≈ 0.76)
    rng = np.random.default_rng(0)
    ang = np.concatenate([rng.normal(0, 0.05, 60), rng.uniform(-0.4, 3.6, 60)])
    X = np.column_stack([np.cos(ang), np.sin(ang)]) * rng.uniform(0.5, 3, size=(120, 1))
    Xn = X / np.linalg.norm(X, axis=1, keepdims=True)
    init = np.array([[1.0, 0.0], [np.cos(1.6), np.sin(1.6)]])
    ours = SphericalKMeans(2, init=init).fit(X)
    sk = SkKMeans(2, init=init, n_init=1, algorithm="lloyd").fit(Xn)
    assert (ours.labels_ != sk.labels_).any()
    # why: at our fixed point, the nearest Euclidean mean ≠ the most similar direction
    M = np.vstack([Xn[ours.labels_ == k].mean(axis=0) for k in range(2)])
    norms = np.linalg.norm(M, axis=1)
    assert norms.max() - norms.min() > 0.15
    euclid = np.argmin(((Xn[:, None, :] - M[None]) ** 2).sum(axis=2), axis=1)
    assert (euclid != ours.labels_).any()


def test_zero_rows_have_cosine_zero_and_bad_init_is_refused():
    X = _directions(10, np.eye(2), 0.3, seed=3)
    ref = SphericalKMeans(2, random_state=0).fit(np.delete(X, 4, axis=0))
    X[4] = 0.0
    km = SphericalKMeans(2, init=ref.cluster_centers_).fit(X)
    np.testing.assert_allclose(km.cluster_centers_, ref.cluster_centers_, atol=1e-12)
    np.testing.assert_allclose(km.transform(X[4:5]), 1.0)
    with pytest.raises(ValueError, match="all-zero rows"):
        SphericalKMeans(2, init=np.zeros((2, 2))).fit(X)
    with pytest.raises(ValueError, match="weight"):
        SphericalKMeans(2).fit(X, sample_weight=np.zeros(10))
    with pytest.raises(ValueError, match="init has shape"):
        SphericalKMeans(2, init=np.eye(3)).fit(X[5:])
