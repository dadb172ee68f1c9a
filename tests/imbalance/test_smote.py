"""SMOTE and Borderline-SMOTE: synthetic points lie on segments between the right neighbours.

No oracle can reproduce the random draws, so the defining property is checked exactly: every
synthetic point s equals x + t (x̂ − x) for a sample x it was made from, a neighbour x̂ of x among
the k allowed ones, and t in [0, 1] ([0, 0.5] for Borderline-SMOTE-2's other-class neighbours),
with the residual ≤ 1e-12 (relative). The neighbours come from scikit-learn's NearestNeighbors,
the danger set from imbalanced-learn.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from sklearn.datasets import make_classification
from sklearn.neighbors import NearestNeighbors

from tests.imbalance._oracles import imblearn_danger
from whiteboard.imbalance import SMOTE, BorderlineSMOTE

TOL = 1e-12


def _knn(data, queries_idx, k):
    """k nearest rows of ``data`` for ``data[queries_idx]``, the query row excluded (sklearn)."""
    nn = NearestNeighbors(n_neighbors=k + 1).fit(data)
    idx = nn.kneighbors(data[queries_idx], return_distance=False)
    out = []
    for q, row in zip(queries_idx, idx):
        out.append([j for j in row if j != q][:k])
    return np.array(out)


def _segment_params(S, A, B):
    """For synthetic points S (n, d) and segments A + t (B − A), A/B (p, d): t (n, p), residual."""
    D = B - A
    dd = np.einsum("pd,pd->p", D, D)
    t = np.einsum("npd,pd->np", S[:, None, :] - A[None], D) / dd
    resid = np.linalg.norm(S[:, None, :] - A[None] - t[..., None] * D[None], axis=2)
    scale = 1.0 + np.abs(S).max(axis=1, keepdims=True) + np.abs(A).max(axis=1)[None]
    return t, resid / scale


def _assert_on_segments(S, A, B, t_max):
    """Each row of S lies on one of the segments (A_p, B_p) with t in [0, t_max[p]]."""
    t, resid = _segment_params(S, A, B)
    ok = (resid <= TOL) & (t >= -TOL) & (t <= t_max[None] + TOL)
    assert ok.any(axis=1).all(), f"{(~ok.any(axis=1)).sum()} synthetic points off every segment"
    return np.where(ok, t, np.nan)


def _imbalanced(n, weights, seed, n_features=4):
    return make_classification(
        n_samples=n, n_features=n_features, n_informative=3, n_redundant=0,
        n_classes=len(weights), n_clusters_per_class=1, weights=weights, flip_y=0.05,
        class_sep=0.8, random_state=seed,
    )


@given(seed=st.integers(0, 1000), k=st.integers(1, 6),
       weights=st.sampled_from([[0.8, 0.2], [0.6, 0.3, 0.1], [0.55, 0.45]]))
def test_smote_points_on_segments_to_k_minority_neighbours(seed, k, weights):
    X, y = _imbalanced(150, weights, seed)
    sampler = SMOTE(k_neighbors=k, random_state=seed, sampling_strategy="all")
    X_res, y_res = sampler.fit_resample(X, y)
    n = len(X)
    np.testing.assert_array_equal(X_res[:n], X)
    np.testing.assert_array_equal(y_res[:n], y)
    assert sum(sampler.sampling_strategy_.values()) == len(X_res) - n > 0
    for c in np.unique(y):
        S = X_res[n:][y_res[n:] == c]
        assert len(S) == sampler.sampling_strategy_[c]
        if len(S) == 0:
            continue
        X_c = X[y == c]
        nn = _knn(X_c, np.arange(len(X_c)), k)
        A = np.repeat(X_c, k, axis=0)
        B = X_c[nn.ravel()]
        _assert_on_segments(S, A, B, np.ones(len(A)))


def test_smote_step_is_uniform_and_every_neighbour_rank_used():
    X, y = _imbalanced(600, [0.9, 0.1], 0)
    k = 5
    X_res, _ = SMOTE(k_neighbors=k, random_state=0).fit_resample(X, y)
    S = X_res[len(X):]
    X_c = X[y == 1]
    nn = _knn(X_c, np.arange(len(X_c)), k)
    A, B = np.repeat(X_c, k, axis=0), X_c[nn.ravel()]
    t = _assert_on_segments(S, A, B, np.ones(len(A)))
    first = np.nanargmin(np.where(np.isnan(t), np.inf, 0), axis=1)
    u = t[np.arange(len(S)), first]
    assert stats.kstest(u, "uniform").pvalue > 1e-3  # u ~ U(0, 1)
    ranks = np.bincount(first % k, minlength=k)
    assert stats.chisquare(ranks).pvalue > 1e-3  # neighbour rank uniform over the k


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("m", [5, 10])
@pytest.mark.parametrize("weights", [[0.85, 0.15], [0.6, 0.3, 0.1]])
def test_danger_set_equals_imblearn(seed, m, weights):
    X, y = _imbalanced(300, weights, seed)
    for kind in ("borderline-1", "borderline-2"):
        ours = BorderlineSMOTE(m_neighbors=m, k_neighbors=3, kind=kind, random_state=0)
        ours.fit_resample(X, y)
        ref = imblearn_danger(X, y, m_neighbors=m, k_neighbors=3, kind=kind)
        assert set(ours.in_danger_indices_) >= set(ref)
        for c, idx in ours.in_danger_indices_.items():
            np.testing.assert_array_equal(np.sort(idx), ref.get(c, np.array([], int)))
        assert sum(len(v) for v in ref.values()) > 0


def _danger_by_definition(X, y, c, m):
    members = np.flatnonzero(y == c)
    nn = _knn(X, members, m)
    n_other = (y[nn] != c).sum(axis=1)
    return members[(n_other >= m / 2) & (n_other < m)]


@pytest.mark.parametrize("seed", [0, 5])
@pytest.mark.parametrize("kind", ["borderline-1", "borderline-2"])
def test_borderline_points_on_segments_from_danger_samples(seed, kind):
    X, y = _imbalanced(400, [0.85, 0.15], seed)
    k, m = 4, 8
    sampler = BorderlineSMOTE(k_neighbors=k, m_neighbors=m, kind=kind, random_state=seed)
    X_res, _ = sampler.fit_resample(X, y)
    danger = _danger_by_definition(X, y, 1, m)
    np.testing.assert_array_equal(np.sort(sampler.in_danger_indices_[1]), danger)
    S = X_res[len(X):]
    assert len(S) == (y == 0).sum() - (y == 1).sum()
    if kind == "borderline-1":
        members = np.flatnonzero(y == 1)
        pos = np.searchsorted(members, danger)
        nn = members[_knn(X[members], pos, k)]
    else:
        nn = _knn(X, danger, k)
    A, B = np.repeat(X[danger], k, axis=0), X[nn.ravel()]
    other = y[nn.ravel()] != 1
    t = _assert_on_segments(S, A, B, np.where(other, 0.5, 1.0))
    if kind == "borderline-2":
        used_other = np.isfinite(t[:, other]).any(axis=1)
        assert used_other.any() and (~used_other).any()


def test_smote_rejects_small_class_and_nan():
    X, y = _imbalanced(100, [0.95, 0.05], 0)
    n_min = (y == 1).sum()
    with pytest.raises(ValueError, match=rf"k_neighbors={n_min} needs at least {n_min + 1} "
                                         rf"samples in every over-sampled class, but class 1 "
                                         rf"has {n_min}"):
        SMOTE(k_neighbors=n_min).fit_resample(X, y)
    SMOTE(k_neighbors=n_min - 1).fit_resample(X, y)
    with pytest.raises(ValueError, match="k_neighbors of SMOTE must be a positive integer"):
        SMOTE(k_neighbors=0).fit_resample(X, y)
    X_nan = X.copy()
    X_nan[3, 1] = np.nan
    with pytest.raises(ValueError, match="Input X in SMOTE contains NaN"):
        SMOTE().fit_resample(X_nan, y)
    with pytest.raises(ValueError, match=r"X has 100 rows .* y has 99"):
        SMOTE().fit_resample(X, y[:-1])
    with pytest.raises(ValueError, match="kind must be 'borderline-1' or 'borderline-2'"):
        BorderlineSMOTE(kind="borderline-3").fit_resample(X, y)
    with pytest.raises(ValueError, match="m_neighbors=200 needs at least 201 samples"):
        BorderlineSMOTE(m_neighbors=200).fit_resample(X, y)


def test_duplicate_rows_are_excluded_as_self_only():
    from whiteboard.imbalance.over_sampling import _neighbours_of_rows

    X = np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.0, 3.0], [0.0, 0.0]])
    nn = _neighbours_of_rows(X, 2, np.array([0, 1, 4, 2]))
    # each copy of the origin gets the two other copies, never itself; row 2 gets copies 0, 1
    np.testing.assert_array_equal(nn, [[1, 4], [0, 4], [0, 1], [0, 1]])


def test_float32_preserved():
    X, y = _imbalanced(100, [0.8, 0.2], 1)
    X_res, _ = SMOTE(random_state=0).fit_resample(X.astype(np.float32), y)
    assert X_res.dtype == np.float32
