"""Datasets that need no download: scikit-learn's shipped sets and generated 2-D problems.

``load_digits``, ``load_iris``, ``load_wine`` and ``load_breast_cancer`` read the copies that
scikit-learn ships inside its package (install the ``data`` extra, ``pip install
whiteboard[data]``); nothing is ever fetched from the network. ``make_moons``, ``make_circles``,
``make_blobs`` and ``make_spirals`` generate classic toy problems from a seed.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "load_digits", "load_iris", "load_wine", "load_breast_cancer", "load", "make_moons",
    "make_circles", "make_blobs", "make_spirals", "train_test_split",
]


def _sklearn_dataset(name):
    try:
        from sklearn import datasets
    except ImportError as exc:
        raise ImportError(
            f"load_{name} reads the copy shipped with scikit-learn; install it with "
            "`pip install whiteboard[data]` (or scikit-learn). Nothing is downloaded."
        ) from exc
    X, y = getattr(datasets, f"load_{name}")(return_X_y=True)
    return X.astype(np.float64), y.astype(np.int64)


def load_digits(as_images=False):
    """8x8 handwritten digits (1,797 samples, 10 classes, pixel values 0..16).

    With ``as_images`` X has shape (N, 1, 8, 8) (NCHW) and is scaled to [0, 1].
    """
    X, y = _sklearn_dataset("digits")
    if as_images:
        X = (X / 16.0).reshape(-1, 1, 8, 8)
    return X, y


def load_iris():
    """Iris (150 x 4, 3 classes)."""
    return _sklearn_dataset("iris")


def load_wine():
    """Wine (178 x 13, 3 classes)."""
    return _sklearn_dataset("wine")


def load_breast_cancer():
    """Breast cancer Wisconsin (569 x 30, 2 classes)."""
    return _sklearn_dataset("breast_cancer")



def load(name, **kwargs):
    """A dataset by name: digits, iris, wine, breast_cancer, moons, circles, blobs, spirals."""
    loaders = {"digits": load_digits, "iris": load_iris, "wine": load_wine,
               "breast_cancer": load_breast_cancer, "moons": make_moons,
               "circles": make_circles, "blobs": make_blobs, "spirals": make_spirals}
    if name not in loaders:
        raise ValueError(f"unknown dataset {name!r}; known: {sorted(loaders)}")
    return loaders[name](**kwargs)


def _rng(random_state):
    return np.random.default_rng(random_state)


def make_moons(n_samples=100, noise=None, random_state=None):
    """Two interleaving half circles (scikit-learn's geometry; class 0 on top)."""
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out, t_in = np.linspace(0, np.pi, n_out), np.linspace(0, np.pi, n_in)
    X = np.vstack([
        np.column_stack([np.cos(t_out), np.sin(t_out)]),
        np.column_stack([1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5]),
    ])
    y = np.hstack([np.zeros(n_out, np.int64), np.ones(n_in, np.int64)])
    if noise is not None:
        X = X + _rng(random_state).normal(scale=noise, size=X.shape)
    return X, y


def make_circles(n_samples=100, noise=None, factor=0.8, random_state=None):
    """A small circle (class 1, radius ``factor``) inside a large one (class 0)."""
    if not 0 <= factor < 1:
        raise ValueError(f"make_circles: factor has to be between 0 and 1, got {factor}")
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.vstack([
        np.column_stack([np.cos(t_out), np.sin(t_out)]),
        factor * np.column_stack([np.cos(t_in), np.sin(t_in)]),
    ])
    y = np.hstack([np.zeros(n_out, np.int64), np.ones(n_in, np.int64)])
    if noise is not None:
        X = X + _rng(random_state).normal(scale=noise, size=X.shape)
    return X, y


def make_blobs(n_samples=100, centers=3, n_features=2, cluster_std=1.0, center_box=(-10, 10),
               random_state=None):
    """Isotropic Gaussian blobs around random (or given) centres."""
    rng = _rng(random_state)
    if isinstance(centers, (int, np.integer)):
        centers = rng.uniform(*center_box, size=(int(centers), n_features))
    centers = np.asarray(centers, dtype=np.float64)
    k = len(centers)
    counts = np.full(k, n_samples // k)
    counts[: n_samples % k] += 1
    y = np.repeat(np.arange(k), counts)
    X = centers[y] + rng.normal(scale=cluster_std, size=(n_samples, centers.shape[1]))
    perm = rng.permutation(n_samples)
    return X[perm], y[perm]


def make_spirals(n_samples=300, n_classes=3, noise=0.2, turns=1.0, random_state=None):
    """``n_classes`` interleaved spiral arms (the classic non-linearly separable toy problem)."""
    rng = _rng(random_state)
    counts = np.full(n_classes, n_samples // n_classes)
    counts[: n_samples % n_classes] += 1
    y = np.repeat(np.arange(n_classes), counts)
    r = np.concatenate([np.linspace(0.05, 1, c) for c in counts])
    theta = (2 * np.pi * turns * r + 2 * np.pi * y / n_classes
             + rng.normal(scale=noise, size=n_samples))
    X = np.column_stack([r * np.sin(theta), r * np.cos(theta)])
    return X, y.astype(np.int64)


def train_test_split(*arrays, test_size=0.25, random_state=None, stratify=None):
    """Shuffle and split arrays into train and test parts (stratified by ``stratify``)."""
    if not arrays:
        raise ValueError("train_test_split: at least one array required")
    n = len(arrays[0])
    for a in arrays:
        if len(a) != n:
            raise ValueError(
                f"train_test_split: inconsistent lengths {[len(a) for a in arrays]}"
            )
    n_test = int(np.ceil(test_size * n)) if isinstance(test_size, float) else int(test_size)
    if not 0 < n_test < n:
        raise ValueError(f"train_test_split: test_size={test_size} leaves an empty split of {n}")
    rng = _rng(random_state)
    if stratify is None:
        perm = rng.permutation(n)
        test, train = perm[:n_test], perm[n_test:]
    else:
        labels = np.asarray(stratify)
        test_parts = []
        for cls in np.unique(labels):
            members = rng.permutation(np.flatnonzero(labels == cls))
            test_parts.append(members[: int(round(len(members) * n_test / n))])
        test = np.concatenate(test_parts)
        train = np.setdiff1d(np.arange(n), test)
        test, train = rng.permutation(test), rng.permutation(train)
    out = []
    for a in arrays:
        a = np.asarray(a)
        out.extend([a[train], a[test]])
    return out
