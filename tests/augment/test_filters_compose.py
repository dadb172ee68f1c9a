"""``GaussianBlur`` against ``scipy.ndimage.correlate1d`` (``mode='mirror'``: reflect without the
edge repeated, torchvision's reflect padding; 1e-12 float64), sharpness against
``scipy.ndimage.correlate`` inside with the border kept (1e-12), ``RandomGrayscale`` /
``GaussianNoise`` against their definitions, and ``Compose`` / ``RandomApply`` /
``RandomChoice`` against applying the transforms by hand to the samples that drew them."""

import numpy as np
import pytest
from scipy import ndimage

import whiteboard as wb
from whiteboard.augment import (Compose, GaussianBlur, GaussianNoise, Normalize, RandomApply,
                                RandomChoice, RandomGrayscale, RandomHorizontalFlip,
                                RandomVerticalFlip)
from whiteboard.augment.colour import adjust_sharpness, rgb_to_grayscale


def _img(n=5, h=9, w=11):
    return np.random.default_rng(6).random((n, 3, h, w))


def test_gaussian_blur_vs_scipy():
    x = _img()
    wb.manual_seed(0)
    t = GaussianBlur(kernel_size=(5, 7), sigma=(0.5, 2.0))
    out = t(x)
    sig = t.last_params
    assert len(np.unique(sig)) == 5 and sig.min() >= 0.5 and sig.max() <= 2.0
    for i in range(5):
        kh = np.exp(-0.5 * ((np.arange(5) - 2) / sig[i]) ** 2)
        kw = np.exp(-0.5 * ((np.arange(7) - 3) / sig[i]) ** 2)
        ref = ndimage.correlate1d(x[i], kh / kh.sum(), axis=-2, mode="mirror")
        ref = ndimage.correlate1d(ref, kw / kw.sum(), axis=-1, mode="mirror")
        np.testing.assert_allclose(out[i], ref, atol=1e-12)
    with pytest.raises(ValueError, match="kernel_size"):
        GaussianBlur(4)


def test_sharpness_vs_scipy():
    x = _img()
    k = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]]) / 13
    smooth = x.copy()
    smooth[..., 1:-1, 1:-1] = ndimage.correlate(x, k[None, None])[..., 1:-1, 1:-1]
    for f in (0.0, 0.5, 2.0):
        np.testing.assert_allclose(adjust_sharpness(x, f),
                                   np.clip(f * x + (1 - f) * smooth, 0, 1), atol=1e-12)


def test_random_grayscale_and_noise():
    x = _img(n=200, h=3, w=3)
    wb.manual_seed(1)
    out = RandomGrayscale(p=0.3)(x)
    gray = np.all(out[:, 0] == out[:, 1], axis=(1, 2))
    assert 30 < gray.sum() < 90
    np.testing.assert_allclose(out[gray], np.repeat(rgb_to_grayscale(x[gray]), 3, 1), atol=1e-12)
    np.testing.assert_array_equal(out[~gray], x[~gray])
    wb.manual_seed(2)
    noisy = GaussianNoise(sigma=0.1, clip=False)(x)
    wb.manual_seed(2)
    eps = wb.backend.get_rng().standard_normal(x.shape)
    np.testing.assert_allclose(noisy, x + 0.1 * eps, atol=1e-12)
    assert GaussianNoise()(x).max() <= 1.0


def test_compose_random_apply_random_choice():
    x = _img(n=64, h=4, w=6)
    norm = Normalize([0.5] * 3, [0.25] * 3)
    np.testing.assert_allclose(Compose([norm, norm])(x), norm(norm(x)), atol=1e-12)
    wb.manual_seed(3)
    out = RandomApply([RandomHorizontalFlip(p=1.0)], p=0.5)(x)
    flipped = np.all(out == x[..., ::-1], axis=(1, 2, 3)) & ~np.all(out == x, axis=(1, 2, 3))
    kept = np.all(out == x, axis=(1, 2, 3))
    assert (flipped | kept).all() and 10 < flipped.sum() < 54
    wb.manual_seed(4)
    out = RandomChoice([RandomHorizontalFlip(p=1.0), RandomVerticalFlip(p=1.0)])(x)
    h = np.all(out == x[..., ::-1], axis=(1, 2, 3))
    v = np.all(out == x[..., ::-1, :], axis=(1, 2, 3))
    assert (h ^ v).all() and 10 < h.sum() < 54
    with pytest.raises(ValueError, match="transforms"):
        Compose([])
    with pytest.raises(ValueError, match="p should be"):
        RandomChoice([norm, norm], p=[1.0])
