"""``AugmentedLoader`` against applying the same seeded transform by hand per batch (exact), and
``FancyPCA`` against NumPy's eigendecomposition of the pixel covariance (``np.linalg.eigh``, 1e-8
up to eigenvector sign) and the paper's offset ``P (α ⊙ λ)`` (1e-12)."""

import numpy as np
import pytest

import whiteboard as wb
from whiteboard.augment import (AugmentedLoader, Compose, FancyPCA, Mixup,
                                RandomHorizontalFlip)
from whiteboard.data import DataLoader, TensorDataset


def _loader():
    rng = np.random.default_rng(0)
    x = rng.random((10, 3, 4, 5)).astype(np.float32)
    y = rng.integers(0, 3, size=10)
    return DataLoader(TensorDataset(x, y), batch_size=4), x, y


def test_augmented_loader_applies_per_batch():
    loader, x, y = _loader()
    t = Compose([RandomHorizontalFlip(p=0.5)])
    aug = AugmentedLoader(loader, t, batch_transform=Mixup(num_classes=3))
    assert len(aug) == len(loader) == 3
    wb.manual_seed(3)
    got = list(aug)
    wb.manual_seed(3)
    mix = Mixup(num_classes=3)
    for (xb, yb), (xa, ya) in zip(loader, got):
        xr = xb.data if isinstance(xb, wb.Tensor) else xb
        yr = yb.data if isinstance(yb, wb.Tensor) else yb
        xe, ye = mix(t(xr), yr)
        np.testing.assert_array_equal(xa.data if isinstance(xa, wb.Tensor) else xa, xe)
        np.testing.assert_array_equal(ya.data if isinstance(ya, wb.Tensor) else ya, ye)
    assert sum(len(b[0]) for b in got) == 10
    with pytest.raises(ValueError, match="transform"):
        AugmentedLoader(loader)


def test_fancy_pca_fit_and_offset():
    rng = np.random.default_rng(1)
    imgs = rng.random((6, 3, 8, 8))
    imgs[:, 1] = 0.6 * imgs[:, 0] + 0.4 * imgs[:, 1]  # correlated channels
    t = FancyPCA(alphastd=0.1).fit(imgs)
    px = np.moveaxis(imgs, 1, -1).reshape(-1, 3)
    w, v = np.linalg.eigh(np.cov(px, rowvar=False))
    np.testing.assert_allclose(t.eigenvalues, w[::-1], rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(np.abs(t.eigenvectors @ v[:, ::-1]), np.eye(3), atol=1e-8)
    wb.manual_seed(2)
    out = t(imgs)
    wb.manual_seed(2)
    alpha = wb.backend.get_rng().normal(0.0, 0.1, size=(6, 3))
    delta = (t.eigenvectors.T @ (alpha * t.eigenvalues).T).T
    np.testing.assert_allclose(out - imgs, np.broadcast_to(delta[:, :, None, None], imgs.shape),
                               atol=1e-12)
    with pytest.raises(ValueError, match="fit"):
        FancyPCA()(imgs)
    with pytest.raises(ValueError, match="eigenvalues"):
        FancyPCA(eigenvalues=[1, 2], eigenvectors=np.eye(3))


def test_fancy_pca_noise_covariance_over_many_draws():
    """Cov(δ) = alphastd² · Σᵢ λᵢ² pᵢ pᵢᵀ for δ = Σᵢ αᵢ λᵢ pᵢ, αᵢ ~ N(0, alphastd²) (the paper's
    offset; the eigenvalue enters squared, so Cov(δ) is *not* alphastd² · Σ λᵢ pᵢ pᵢᵀ).

    Bound: whitened by Σ^{-1/2}, the n = 20,000 offsets have sample covariance I + E with
    sd(E_ii) = √(2/n) ≈ 0.010 and sd(E_ij) = √(1/n) ≈ 0.007; we allow 5 sd (0.05), a
    one-in-millions false failure per entry, while the un-squared formula is off by λᵢ⁻¹ ≫ 1.05.
    """
    rng = np.random.default_rng(3)
    imgs = rng.random((4, 3, 6, 6))
    imgs[:, 2] = 0.7 * imgs[:, 0] + 0.3 * imgs[:, 2]
    t = FancyPCA(alphastd=0.1).fit(imgs)
    n = 20_000
    wb.manual_seed(4)
    delta = t(np.zeros((n, 3, 1, 1)))[:, :, 0, 0]
    lam, P = t.eigenvalues, t.eigenvectors
    sigma = 0.1 ** 2 * (P.T * lam ** 2) @ P
    w, v = np.linalg.eigh(sigma)
    whiten = v @ np.diag(w ** -0.5) @ v.T
    s = np.cov(delta @ whiten, rowvar=False)
    assert np.abs(s - np.eye(3)).max() < 5 * np.sqrt(2 / n)
    # the mean offset is zero within 5 standard errors of each coordinate
    assert np.all(np.abs((delta @ whiten).mean(0)) < 5 / np.sqrt(n))
    # the formula with λᵢ instead of λᵢ² is rejected by the same bound
    wrong = 0.1 ** 2 * (P.T * lam) @ P
    w2, v2 = np.linalg.eigh(wrong)
    s2 = np.cov(delta @ (v2 @ np.diag(w2 ** -0.5) @ v2.T), rowvar=False)
    assert np.abs(s2 - np.eye(3)).max() > 5 * np.sqrt(2 / n)


def _by_hand(loader, t, mix, seed):
    """What the workers must compute: one base number from the library generator at the start
    of the epoch, then batch i augmented under default_rng(SeedSequence([base, i]))."""
    wb.manual_seed(seed)
    base = int(wb.backend.get_rng().integers(2**63))
    out = []
    for i, (xb, yb) in enumerate(loader):
        wb.manual_seed(np.random.SeedSequence([base, i]))
        out.append(mix(t(xb.data), yb.data))
    return out


@pytest.mark.parametrize("num_workers,prefetch_factor", [(1, 1), (2, 2)])
def test_worker_processes_give_the_seeded_batches_in_order(num_workers, prefetch_factor):
    """Augmentation in worker processes is bit-for-bit the per-batch seeded computation, in the
    loader's order, whatever the number of workers and prefetch depth; Tensors stay Tensors;
    a second epoch draws new parameters; a shuffled loader keeps its order."""
    rng = np.random.default_rng(0)
    x = rng.random((22, 3, 4, 5)).astype(np.float32)
    y = rng.integers(0, 3, size=22)
    loader = DataLoader(TensorDataset(x, y), batch_size=4, shuffle=True)
    t = Compose([RandomHorizontalFlip(p=0.5), FancyPCA(alphastd=0.5).fit(x)])
    mix = Mixup(num_classes=3)
    with AugmentedLoader(loader, t, batch_transform=mix, num_workers=num_workers,
                         prefetch_factor=prefetch_factor) as aug:
        wb.manual_seed(11)
        first = list(aug)
        second = list(aug)
        expected = _by_hand(loader, t, mix, 11)
        assert len(first) == len(expected) == 6
        for (xa, ya), (xe, ye) in zip(first, expected):
            assert isinstance(xa, wb.Tensor) and isinstance(ya, wb.Tensor)
            np.testing.assert_array_equal(xa.data, xe)
            np.testing.assert_array_equal(ya.data, ye)
        assert not np.array_equal(first[0][0].data, second[0][0].data)
        wb.manual_seed(11)
        again = list(aug)
    for (xa, ya), (xb, yb) in zip(first, again):
        np.testing.assert_array_equal(xa.data, xb.data)
        np.testing.assert_array_equal(ya.data, yb.data)
    assert aug._pool is None                                       # closed by the with block


@pytest.mark.parametrize("kwargs", [{"num_workers": -1}, {"num_workers": 1.5},
                                    {"num_workers": True}, {"prefetch_factor": 0}])
def test_worker_arguments_are_checked(kwargs):
    loader, _, _ = _loader()
    name = next(iter(kwargs))
    with pytest.raises(ValueError, match=name):
        AugmentedLoader(loader, RandomHorizontalFlip(), **kwargs)


class _FailOnBig:
    """Picklable transform that fails on a batch whose first value is over 0.5."""

    def __call__(self, x):
        if x.flat[0] > 0.5:
            raise ValueError("boom")
        return x


@pytest.fixture
def _segments(monkeypatch):
    """The /dev/shm segments this process's loaders created and that still exist. Only this
    process's own segments count: another test process (pytest-xdist, another job on the box)
    may create and remove segments of its own at any time."""
    import os
    from multiprocessing import shared_memory

    from whiteboard.augment import loader as loader_module
    created = []

    class Recording(shared_memory.SharedMemory):
        def __init__(self, name=None, create=False, size=0):
            super().__init__(name=name, create=create, size=size)
            if create:
                created.append(self.name)

    monkeypatch.setattr(loader_module.shared_memory, "SharedMemory", Recording)

    def alive():
        assert created, "no shared-memory segment was created: the test tests nothing"
        return {f for f in created if os.path.exists(os.path.join("/dev/shm", f))}
    return alive


def test_worker_shared_memory_is_recycled_and_cleaned_up(_segments):
    """Early break, a worker error (re-raised naming the batch) and close leave no /dev/shm
    segment behind; results stay equal to the per-batch seeded computation."""
    rng = np.random.default_rng(1)
    x = rng.random((16, 1, 4, 4)).astype(np.float32)
    y = rng.integers(0, 3, size=16)
    loader = DataLoader(TensorDataset(x, y), batch_size=2)
    aug = AugmentedLoader(loader, RandomHorizontalFlip(), num_workers=1, prefetch_factor=2)
    for i, _ in enumerate(aug):
        if i == 1:
            break
    assert len(list(aug)) == 8                    # slots recycled after the break
    aug.close()
    assert _segments() == set()
    x[:, 0, 0, 0] = np.r_[np.zeros(6), 0.9, np.zeros(9)]
    bad = AugmentedLoader(DataLoader(TensorDataset(x, y), batch_size=2), _FailOnBig(),
                          num_workers=1)
    with pytest.raises(RuntimeError, match="batch 3"):
        list(bad)
    bad.close()
    assert _segments() == set()


def test_worker_batches_are_slot_views_never_overwritten_while_alive(_segments):
    """Batches come back as views of their shared-memory slot (no copy), a slot is reused only
    once nothing reads it, at most ``max_held`` slots are held (then batches are copies), and a
    batch kept past ``close`` stays intact and readable while /dev/shm is already clean."""
    rng = np.random.default_rng(2)
    x = rng.random((40, 1, 4, 4)).astype(np.float32)
    y = rng.integers(0, 3, size=40)
    loader = DataLoader(TensorDataset(x, y), batch_size=2)
    aug = AugmentedLoader(loader, RandomHorizontalFlip(), num_workers=1, prefetch_factor=2)
    wb.manual_seed(5)
    streamed = [(xb.data.copy(), xb.data.flags.owndata) for xb, _ in aug]  # one alive at a time
    assert not any(own for _, own in streamed)                             # views of the slot
    assert len(aug._ring.all) <= 2 + 1                                     # slots recycled
    wb.manual_seed(5)
    kept = list(aug)                                  # all 20 alive: no slot may be reused
    assert sum(not xb.data.flags.owndata for xb, _ in kept) == aug._ring.max_held
    for (xs, _), (xb, _) in zip(streamed, kept):
        np.testing.assert_array_equal(xb.data, xs)
    aug.close()
    assert _segments() == set()
    for (xs, _), (xb, _) in zip(streamed, kept):      # still mapped after close
        np.testing.assert_array_equal(xb.data, xs)
    del kept
    from whiteboard.augment import loader as loader_module
    loader_module._reap()
    assert not loader_module._ORPHANS
