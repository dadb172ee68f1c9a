"""``Normalize`` against explicit ``(x − mean)/std`` (1e-6 float32); ``Cutout`` and
``RandomErasing`` against the boxes they report (exact: the box is filled, every other pixel is
unchanged), with torchvision's area/ratio bounds."""

import numpy as np
import pytest

import whiteboard as wb
from whiteboard.augment import Cutout, Normalize, RandomErasing


def _batch(n=8, c=3, h=12, w=15):
    return np.random.default_rng(2).random((n, c, h, w)).astype(np.float32)


def test_normalize_is_explicit_formula():
    x = _batch()
    mean, std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
    ref = (x - np.array(mean)[None, :, None, None]) / np.array(std)[None, :, None, None]
    np.testing.assert_allclose(Normalize(mean, std)(x), ref, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(Normalize(mean, std)(x[0]), ref[0], rtol=1e-6, atol=1e-6)
    with pytest.raises(ValueError, match="channels"):
        Normalize([0.5, 0.5], [1, 1])(x)
    with pytest.raises(ValueError, match="std"):
        Normalize([0.5], [0.0])


def _check_box(x, out, top, left, h, w, fill):
    for i in range(len(x)):
        m = np.zeros(x.shape[-2:], dtype=bool)
        m[top[i]:top[i] + h[i], left[i]:left[i] + w[i]] = True
        np.testing.assert_array_equal(out[i][:, ~m], x[i][:, ~m])
        np.testing.assert_array_equal(out[i][:, m], np.broadcast_to(fill[i], out[i][:, m].shape)
                                      if np.ndim(fill[i]) == 0 else
                                      np.repeat(np.asarray(fill[i])[:, None], m.sum(), 1))


def test_cutout_erases_exactly_the_drawn_square():
    x = _batch(n=32)
    wb.manual_seed(0)
    t = Cutout(length=6)
    out = t(x)
    ((top, left, h, w),) = t.last_params
    assert (h <= 6).all() and (w <= 6).all() and (h > 0).all() and (w > 0).all()
    assert ((h < 6) | (w < 6)).any()  # some squares clipped at the border
    _check_box(x, out, top, left, h, w, [0.0] * len(x))


def test_random_erasing_box_bounds_and_fill():
    x = _batch(n=200, h=20, w=25)
    wb.manual_seed(1)
    t = RandomErasing(p=0.5, value=(0.1, 0.2, 0.3))
    out = t(x)
    top, left, h, w = t.last_params
    erased = h > 0
    assert 50 < erased.sum() < 150  # p = 0.5 per sample
    area = h[erased] * w[erased] / (20 * 25)
    ratio = h[erased] / w[erased]
    # rounding h, w to ints moves area and ratio a little off the drawn ones
    assert area.min() >= 0.02 * 0.6 and area.max() <= 0.33 * 1.4
    assert ratio.min() >= 0.3 * 0.5 and ratio.max() <= 3.3 * 2
    assert (top + h <= 20).all() and (left + w <= 25).all() and (top >= 0).all()
    fills = [np.array([0.1, 0.2, 0.3], dtype=np.float32)] * len(x)
    _check_box(x, out, top, left, h, w, fills)
    np.testing.assert_array_equal(out[~erased], x[~erased])
    wb.manual_seed(1)
    np.testing.assert_array_equal(RandomErasing(p=0.5, value=(0.1, 0.2, 0.3))(x), out)


def test_random_erasing_random_value_and_errors():
    x = _batch()
    wb.manual_seed(3)
    t = RandomErasing(p=1.0, value="random")
    out = t(x)
    top, left, h, w = t.last_params
    assert (h > 0).all()
    for i in range(len(x)):
        m = np.zeros(x.shape[-2:], dtype=bool)
        m[top[i]:top[i] + h[i], left[i]:left[i] + w[i]] = True
        np.testing.assert_array_equal(out[i][:, ~m], x[i][:, ~m])
        assert not np.isin(out[i][:, m], x[i]).any()
    with pytest.raises(ValueError, match="value"):
        RandomErasing(value="x")
    with pytest.raises(ValueError, match="scale"):
        RandomErasing(scale=(0.5, 0.1))
    with pytest.raises(ValueError, match="channels"):
        RandomErasing(p=1.0, value=(1, 2))(x)
