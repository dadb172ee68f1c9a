"""Over-sampling: random duplication (optionally smoothed), SMOTE and Borderline-SMOTE.

All three append the new samples after the original ones, class by class in sorted label order,
so ``X_resampled[:n] == X`` and ``y_resampled[:n] == y``.

SMOTE (Chawla et al. 2002): for a class with samples S, each synthetic sample is

    s = x + u · (x̂ − x),   x drawn uniformly from S,   x̂ drawn uniformly from the k nearest
                           neighbours of x within S (x itself excluded),   u ~ U(0, 1),

so it lies on the segment between two same-class neighbours. The notes' formula
``x_new = x + rand(0,1) · (x̂ − x)`` is this one. Drawing ``x`` uniformly (rather than a fixed
``N/100`` per sample as in the paper's pseudo-code) is imbalanced-learn's choice and allows any
number of new samples.

Borderline-SMOTE (Han, Wang & Mao 2005) interpolates only from the minority samples "in danger":
those whose m nearest neighbours in the whole training set (itself excluded) hold m' samples of
other classes with m/2 <= m' < m (m' = m means noise: all neighbours are of other classes).
'borderline-1' interpolates towards the k nearest same-class neighbours, u ~ U(0, 1);
'borderline-2' towards the k nearest neighbours of any class, with u ~ U(0, 1) for a same-class
neighbour and u ~ U(0, 0.5) for a neighbour of another class (so the new sample stays nearer the
minority sample), as the paper states. imbalanced-learn 0.14 instead multiplies the U(0, 1) step
by a second U(0, 0.5) draw for other-class neighbours; both keep the new point on the segment.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..metrics.pairwise import kneighbors
from ..ml.base import check_random_state
from ._sampling_strategy import BaseSampler

__all__ = ["SMOTE", "BorderlineSMOTE", "RandomOverSampler"]

# Distance blocks of about 2.5 million float64 (20 MB): small enough to stay under glibc's mmap
# threshold, so the block is reused instead of freshly paged in each time, which makes the
# search 2-3x faster than 2048-row blocks on 10,000 x 10,000 distances, and bounds memory.
_BLOCK_ELEMENTS = 2_500_000


def _chunk_rows(n_fit):
    return max(16, _BLOCK_ELEMENTS // max(n_fit, 1))


def _check_positive_int(value, name, estimator):
    if not isinstance(value, (numbers.Integral, np.integer)) or isinstance(value, bool) \
            or value < 1:
        raise ValueError(
            f"{name} of {type(estimator).__name__} must be a positive integer, got {value!r}"
        )
    return int(value)


def _neighbours_of_rows(X, n_neighbors, rows):
    """Indices (len(rows), n_neighbors) of the nearest rows of ``X`` to ``X[rows]``, self excluded.

    One extra neighbour is searched; the query row itself is removed where it was found (it is
    not always first when ``X`` has duplicates) and the last column elsewhere.
    """
    _, idx = kneighbors(X, n_neighbors + 1, Y=X[rows], exclude_self=False,
                        chunk_size=_chunk_rows(X.shape[0]))
    is_self = idx == rows[:, None]
    drop = np.where(is_self.any(axis=1), is_self.argmax(axis=1), n_neighbors)
    keep = np.ones(idx.shape, dtype=bool)
    keep[np.arange(len(rows)), drop] = False
    return idx[keep].reshape(len(rows), n_neighbors)


def _interpolate(rng, base, neighbours, n_samples, other_class=None):
    """``n_samples`` points ``base[r] + u (x̂ − base[r])``, x̂ = ``neighbours(r, j)``.

    (r, j) is uniform over the (m, k) grid of base rows × neighbour ranks; u ~ U(0, 1), or
    U(0, 0.5) where ``other_class[r, j]`` (a neighbour of another class, Borderline-SMOTE-2).
    ``base`` (m, d); returns (n_samples, d).
    """
    k = neighbours.k
    r, j = np.divmod(rng.integers(0, base.shape[0] * k, size=n_samples), k)
    steps = rng.random(n_samples)
    if other_class is not None:
        steps = np.where(other_class[r, j], 0.5 * steps, steps)
    x = base[r]
    return (x + steps[:, None] * (neighbours(r, j) - x)).astype(base.dtype, copy=False)


class _Neighbours:
    """Rows of ``data`` indexed by a neighbour table ``index`` (m, k), gathered on demand."""

    def __init__(self, data, index):
        self.data, self.index, self.k = data, index, index.shape[1]

    def __call__(self, r, j):
        return self.data[self.index[r, j]]


class RandomOverSampler(BaseSampler):
    """Over-sample the targeted classes by drawing their samples with replacement.

    With ``shrinkage`` the duplicates are perturbed (a smoothed bootstrap, imbalanced-learn's
    rule): x_new = x + shrinkage · h · σ_c ⊙ z, z ~ N(0, I), with σ_c the per-feature standard
    deviation of the class and h = (4 / ((d + 2) n))^(1 / (d + 4)) (Silverman's rule of thumb,
    with n the total number of samples, as imbalanced-learn does).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        Resolved to the number of samples to add per class.
    random_state : int, Generator or None
    shrinkage : float, dict {class: float} or None, default=None
        None: plain duplicates. A float applies to every over-sampled class; a dict must name
        every over-sampled class. Must be >= 0.

    Attributes
    ----------
    sampling_strategy_ : dict {class: number of samples added}
    sample_indices_ : ndarray of shape (n_resampled,)
        ``arange(n)`` followed by the rows drawn, class by class in sorted label order, so that
        ``X_resampled == X[sample_indices_]`` when ``shrinkage`` is None.
    shrinkage_ : dict or None
    n_features_in_ : int
    """

    _sampling_type = "over-sampling"
    _allow_nan = True
    _sample_indices = True

    def __init__(self, *, sampling_strategy="auto", random_state=None, shrinkage=None):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.shrinkage = shrinkage

    def _resolve_shrinkage(self, X):
        if self.shrinkage is None:
            return None
        if isinstance(self.shrinkage, numbers.Real) and not isinstance(self.shrinkage, bool):
            shrinkage = {c: float(self.shrinkage) for c in self.sampling_strategy_}
        elif isinstance(self.shrinkage, dict):
            missing = set(self.sampling_strategy_) - set(self.shrinkage)
            if missing:
                raise ValueError(
                    f"shrinkage must give a factor for every over-sampled class; missing "
                    f"{sorted(missing, key=repr)}"
                )
            shrinkage = dict(self.shrinkage)
        else:
            raise ValueError(  # noqa: TRY004 (as imbalanced-learn's parameter validation)
                f"shrinkage must be None, a float or a dict, got {self.shrinkage!r}"
            )
        for c, s in shrinkage.items():
            if not np.isfinite(s) or s < 0:
                raise ValueError(f"shrinkage must be >= 0, got {s!r} for class {c!r}")
        if np.isnan(X).any():
            raise ValueError("Input X contains NaN: shrinkage needs numeric X without NaN")
        return shrinkage

    def _fit_resample(self, X, y):
        rng = check_random_state(self.random_state)
        self.shrinkage_ = self._resolve_shrinkage(X)
        n, d = X.shape
        X_parts, y_parts, idx_parts = [X], [y], [np.arange(n)]
        for c, n_new in self.sampling_strategy_.items():
            members = np.flatnonzero(y == c)
            drawn = members[rng.integers(0, len(members), size=n_new)]
            idx_parts.append(drawn)
            X_new = X[drawn]
            if self.shrinkage_ is not None:
                h = (4.0 / ((d + 2) * n)) ** (1.0 / (d + 4))
                scale = self.shrinkage_[c] * h * X[members].std(axis=0)
                noise = rng.standard_normal((n_new, d)) * scale
                X_new = (X_new + noise).astype(X.dtype, copy=False)
            X_parts.append(X_new)
            y_parts.append(y[drawn])
        self.sample_indices_ = np.concatenate(idx_parts).astype(np.int64)
        return np.vstack(X_parts), np.concatenate(y_parts)


class SMOTE(BaseSampler):
    """Synthetic Minority Over-sampling TEchnique: interpolate between same-class neighbours.

    s = x + u · (x̂ − x), u ~ U(0, 1), x uniform over the class, x̂ uniform over the
    ``k_neighbors`` nearest same-class neighbours of x (Euclidean, x excluded). Generation is
    one vectorised gather for all new samples of a class.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
    random_state : int, Generator or None
    k_neighbors : int, default=5
        Each over-sampled class needs at least ``k_neighbors + 1`` samples.

    Attributes
    ----------
    sampling_strategy_ : dict {class: number of samples added}
    n_features_in_ : int

    Shapes: X (n, d), y (n,) -> X_resampled (n + Σ added, d), y_resampled (n + Σ added,).
    """

    _sampling_type = "over-sampling"

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors

    def _check_class_size(self, c, n_c, k, name="k_neighbors"):
        if n_c < k + 1:
            raise ValueError(
                f"{name}={k} needs at least {k + 1} samples in every over-sampled class, but "
                f"class {c!r} has {n_c}: lower {name} or drop the class from sampling_strategy"
            )

    def _fit_resample(self, X, y):
        k = _check_positive_int(self.k_neighbors, "k_neighbors", self)
        rng = check_random_state(self.random_state)
        X_parts, y_parts = [X], [y]
        for c, n_new in self.sampling_strategy_.items():
            if n_new == 0:
                continue
            X_c = X[y == c]
            self._check_class_size(c, len(X_c), k)
            _, nn = kneighbors(X_c, k, chunk_size=_chunk_rows(len(X_c)))
            X_parts.append(_interpolate(rng, X_c, _Neighbours(X_c, nn), n_new))
            y_parts.append(np.full(n_new, c, dtype=y.dtype))
        return np.vstack(X_parts), np.concatenate(y_parts)


class BorderlineSMOTE(SMOTE):
    """SMOTE from the minority samples on the class border only ("in danger").

    A sample x of the over-sampled class c is in danger when, among its ``m_neighbors`` nearest
    neighbours in the whole training set (x excluded), the number m' of samples of other classes
    satisfies m/2 <= m' < m. New samples are interpolated from danger samples only:
    'borderline-1' towards one of the ``k_neighbors`` nearest samples of class c,
    u ~ U(0, 1); 'borderline-2' towards one of the ``k_neighbors`` nearest samples of any class,
    u ~ U(0, 1) for class c and u ~ U(0, 0.5) for other classes (Han et al. 2005). A class with
    no danger sample gets no new sample (as in imbalanced-learn).

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
    random_state : int, Generator or None
    k_neighbors : int, default=5
    m_neighbors : int, default=10
    kind : {'borderline-1', 'borderline-2'}, default='borderline-1'

    Attributes
    ----------
    sampling_strategy_ : dict {class: number of samples asked for}
    in_danger_indices_ : dict {class: rows of X in danger}
        (imbalanced-learn calls it ``in_danger_indices``.)
    n_features_in_ : int
    """

    def __init__(self, *, sampling_strategy="auto", random_state=None, k_neighbors=5,
                 m_neighbors=10, kind="borderline-1"):
        self.sampling_strategy = sampling_strategy
        self.random_state = random_state
        self.k_neighbors = k_neighbors
        self.m_neighbors = m_neighbors
        self.kind = kind

    def _fit_resample(self, X, y):
        k = _check_positive_int(self.k_neighbors, "k_neighbors", self)
        m = _check_positive_int(self.m_neighbors, "m_neighbors", self)
        if self.kind not in ("borderline-1", "borderline-2"):
            raise ValueError(
                f"kind must be 'borderline-1' or 'borderline-2', got {self.kind!r}"
            )
        if m > X.shape[0] - 1:
            raise ValueError(
                f"m_neighbors={m} needs at least {m + 1} samples in X, got {X.shape[0]}"
            )
        rng = check_random_state(self.random_state)
        X_parts, y_parts = [X], [y]
        self.in_danger_indices_ = {}
        for c, n_new in self.sampling_strategy_.items():
            if n_new == 0:
                continue
            members = np.flatnonzero(y == c)
            if self.kind == "borderline-1":
                self._check_class_size(c, len(members), k)
            elif X.shape[0] < k + 1:
                raise ValueError(
                    f"k_neighbors={k} needs at least {k + 1} samples in X, got {X.shape[0]}"
                )
            nn_m = _neighbours_of_rows(X, m, members)
            n_other = (y[nn_m] != c).sum(axis=1)
            danger = (n_other >= m / 2) & (n_other < m)
            self.in_danger_indices_[c] = members[danger]
            if not danger.any():
                continue
            if self.kind == "borderline-1":
                X_c = X[members]
                nn = _neighbours_of_rows(X_c, k, np.flatnonzero(danger))
                neighbours, other = _Neighbours(X_c, nn), None
            else:
                nn = _neighbours_of_rows(X, k, members[danger])
                neighbours, other = _Neighbours(X, nn), y[nn] != c
            X_new = _interpolate(rng, X[members[danger]], neighbours, n_new, other)
            X_parts.append(X_new)
            y_parts.append(np.full(n_new, c, dtype=y.dtype))
        return np.vstack(X_parts), np.concatenate(y_parts)
