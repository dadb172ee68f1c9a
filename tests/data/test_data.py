"""Datasets and loaders: batching semantics, seeded shuffling, generated problems vs sklearn."""

import numpy as np
import pytest
from sklearn import datasets as skd

import whiteboard as wb
from whiteboard.data import (
    DataLoader, TensorDataset, load, load_digits, make_blobs, make_circles, make_moons,
    make_spirals, random_split, train_test_split,
)


def test_loader_covers_every_sample_once_per_epoch():
    X = np.arange(23 * 2).reshape(23, 2).astype(float)
    y = np.arange(23)
    loader = DataLoader(TensorDataset(X, y), batch_size=5, shuffle=True)
    assert len(loader) == 5
    seen = np.concatenate([b[1].numpy() for b in loader])
    assert sorted(seen) == list(range(23)) and not np.array_equal(seen, np.arange(23))
    for xb, yb in loader:
        np.testing.assert_array_equal(xb.numpy(), X[yb.numpy()])  # rows stay paired
    assert [len(b[1]) for b in DataLoader(TensorDataset(X, y), 5, drop_last=True)] == [5] * 4
    assert len(DataLoader(TensorDataset(X, y), batch_size=1)) == 23        # SGD
    assert len(DataLoader(TensorDataset(X, y), batch_size=23)) == 1        # full-batch GD


def test_shuffle_is_reproducible_with_manual_seed():
    ds = TensorDataset(np.arange(50), np.arange(50))
    wb.manual_seed(3)
    a = [b[0].numpy() for b in DataLoader(ds, 8, shuffle=True)]
    wb.manual_seed(3)
    b = [b[0].numpy() for b in DataLoader(ds, 8, shuffle=True)]
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


def test_custom_collate_and_generic_dataset():
    class Squares(wb.data.Dataset):
        def __len__(self):
            return 7

        def __getitem__(self, i):
            return np.array([i, i * i], dtype=float), i % 2

    batches = list(DataLoader(Squares(), batch_size=3))
    assert [b[0].shape for b in batches] == [(3, 2), (3, 2), (1, 2)]
    np.testing.assert_array_equal(batches[2][0].numpy(), [[6, 36]])


def test_errors():
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(TensorDataset(np.zeros(3)), batch_size=0)
    with pytest.raises(ValueError, match="tensor 1 has 2 rows"):
        TensorDataset(np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match="unknown dataset"):
        load("mnist")


def test_random_split_partitions():
    parts = random_split(TensorDataset(np.arange(10)), [0.7, 0.3])
    assert [len(p) for p in parts] == [7, 3]
    values = np.concatenate([p[np.arange(len(p))][0] for p in parts])
    assert sorted(values) == list(range(10))


def test_shipped_datasets_equal_sklearn():
    X, y = load_digits()
    Xs, ys = skd.load_digits(return_X_y=True)
    np.testing.assert_array_equal(X, Xs)
    np.testing.assert_array_equal(y, ys)
    Xi, _ = load_digits(as_images=True)
    assert Xi.shape == (1797, 1, 8, 8) and Xi.max() == 1.0
    for name in ("iris", "wine", "breast_cancer"):
        Xn, yn = load(name)
        Xs, ys = getattr(skd, f"load_{name}")(return_X_y=True)
        np.testing.assert_array_equal(Xn, Xs)


@pytest.mark.parametrize("n", [10, 101])
def test_generated_geometry_equals_sklearn_without_noise(n):
    np.testing.assert_allclose(make_moons(n)[0], skd.make_moons(n, shuffle=False)[0], atol=1e-15)
    np.testing.assert_array_equal(make_moons(n)[1], skd.make_moons(n, shuffle=False)[1])
    np.testing.assert_allclose(make_circles(n, factor=0.5)[0],
                               skd.make_circles(n, shuffle=False, factor=0.5)[0], atol=1e-15)


def test_blobs_and_spirals_properties():
    X, y = make_blobs(300, centers=[[0, 0], [10, 10]], cluster_std=0.5, random_state=0)
    assert np.bincount(y).tolist() == [150, 150]
    np.testing.assert_allclose(X[y == 1].mean(0), [10, 10], atol=0.15)
    X, y = make_spirals(301, n_classes=3, random_state=0)
    assert X.shape == (301, 2) and np.bincount(y).tolist() == [101, 100, 100]
    assert np.abs(np.linalg.norm(X, axis=1)).max() <= 1.0 + 1e-12


def test_train_test_split_stratified():
    X, y = np.arange(100).reshape(50, 2), np.array([0] * 40 + [1] * 10)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
    assert len(yte) == 10 and (yte == 1).sum() == 2
    assert sorted(np.concatenate([Xtr[:, 0], Xte[:, 0]])) == list(range(0, 100, 2))
