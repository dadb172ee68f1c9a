"""Geometry transforms against NumPy index operations (exact) and PyTorch's
``F.interpolate`` / ``F.grid_sample`` (``align_corners=False``; tolerance 1e-5 in float32,
1e-10 in float64)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import whiteboard as wb
from whiteboard.augment import (CenterCrop, FiveCrop, Pad, RandomAffine, RandomCrop,
                                RandomHorizontalFlip, RandomResizedCrop, RandomRotation,
                                RandomVerticalFlip, Resize, TenCrop, alexnet_crop_count,
                                alexnet_test_crops, alexnet_train_crops)
from whiteboard.augment.affine import inverse_affine_matrix, warp_affine
from whiteboard.augment.geometry import resample_boxes


def _batch(n=6, c=3, h=7, w=10, dtype=np.float32):
    return np.random.default_rng(1).random((n, c, h, w)).astype(dtype)


@pytest.mark.parametrize("cls,axis", [(RandomHorizontalFlip, -1), (RandomVerticalFlip, -2)])
def test_flip_is_numpy_flip_per_sample(cls, axis):
    x = _batch(n=64)
    t = cls(p=0.5)
    out = t(x)
    mask = t.last_params
    assert 0 < mask.sum() < 64  # per-sample draws, not one for the batch
    np.testing.assert_array_equal(out[mask], np.flip(x[mask], axis))
    np.testing.assert_array_equal(out[~mask], x[~mask])
    assert out.dtype == x.dtype and out.shape == x.shape
    np.testing.assert_array_equal(cls(p=1.0)(x[0]), np.flip(x[0], axis))


def test_flip_seeded_by_manual_seed():
    x = _batch(n=32)
    wb.manual_seed(5)
    a = RandomHorizontalFlip()(x)
    wb.manual_seed(5)
    b = RandomHorizontalFlip()(x)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("mode", ["constant", "edge", "reflect", "symmetric"])
def test_pad_equals_numpy_pad(mode):
    x = _batch()
    out = Pad((1, 2, 3, 4), fill=0.5, padding_mode=mode)(x)
    kw = {"constant_values": 0.5} if mode == "constant" else {}
    ref = np.pad(x, ((0, 0), (0, 0), (2, 4), (1, 3)), mode=mode, **kw)
    np.testing.assert_array_equal(out, ref)
    assert Pad(2)(x).shape == (6, 3, 11, 14) and Pad((1, 2))(x).shape == (6, 3, 11, 12)


def test_center_crop_is_slicing_and_pads_when_larger():
    x = _batch(h=9, w=12)
    np.testing.assert_array_equal(CenterCrop((5, 6))(x), x[..., 2:7, 3:9])
    np.testing.assert_array_equal(CenterCrop(4)(x[0]), x[0, :, 2:6, 4:8])
    big = CenterCrop((11, 12))(x)
    assert big.shape == (6, 3, 11, 12)
    np.testing.assert_array_equal(big[..., 1:10, :], x)


def test_random_crop_equals_slicing_at_drawn_offsets():
    x = _batch(n=20, h=12, w=15)
    t = RandomCrop((5, 7))
    out = t(x)
    top, left = t.last_params
    assert len(set(top.tolist())) > 1
    for k in range(len(x)):
        np.testing.assert_array_equal(out[k], x[k, :, top[k]:top[k] + 5, left[k]:left[k] + 7])
    padded = RandomCrop(12, padding=2, padding_mode="reflect")(x)
    assert padded.shape == (20, 3, 12, 12)
    assert RandomCrop(20, pad_if_needed=True)(x).shape == (20, 3, 20, 20)


def test_random_crop_covers_every_position():
    x = np.zeros((4000, 1, 6, 6), dtype=np.float32)
    t = RandomCrop(4)
    t(x)
    top, left = t.last_params
    assert set(top.tolist()) == {0, 1, 2} and set(left.tolist()) == {0, 1, 2}


@pytest.mark.parametrize("size", [(13, 6), (7, 10), (3, 21), (1, 1)])
@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
def test_resize_equals_torch_interpolate(size, mode):
    x = _batch(dtype=np.float64)
    kw = {"align_corners": False} if mode == "bilinear" else {}
    ref = F.interpolate(torch.tensor(x), size=size, mode=mode, **kw).numpy()
    np.testing.assert_allclose(Resize(size, interpolation=mode)(x), ref, atol=1e-10)


def test_resize_int_is_smaller_edge():
    assert Resize(14)(_batch(h=7, w=10)).shape == (6, 3, 14, 20)
    assert Resize(5)(_batch(h=10, w=7)).shape == (6, 3, 7, 5)
    x = _batch()
    assert Resize((4, 4))(x).dtype == np.float32


def test_resample_boxes_equals_crop_then_interpolate():
    x = _batch(n=3, dtype=np.float64)
    top, left, h, w = np.array([0, 2, 1]), np.array([3, 0, 1]), np.array([5, 4, 6]), \
        np.array([4, 9, 6])
    out = resample_boxes(x, top, left, h, w, (8, 5), "bilinear")
    for k in range(3):
        crop = torch.tensor(x[k:k + 1, :, top[k]:top[k] + h[k], left[k]:left[k] + w[k]])
        ref = F.interpolate(crop, size=(8, 5), mode="bilinear", align_corners=False).numpy()
        np.testing.assert_allclose(out[k:k + 1], ref, atol=1e-10)


def test_random_resized_crop_params_and_shape():
    x = _batch(n=300, h=40, w=50)
    t = RandomResizedCrop(16)
    out = t(x)
    assert out.shape == (300, 3, 16, 16) and out.dtype == np.float32
    top, left, h, w = t.last_params
    area = h * w / (40 * 50)
    assert (area >= 0.08 - 0.02).all() and (area <= 1.0).all()
    assert (top >= 0).all() and (top + h <= 40).all() and (left + w <= 50).all()
    assert len(set(h.tolist())) > 10


def test_five_and_ten_crop_are_corners_and_centre():
    x = _batch(h=9, w=12)
    tl, tr, bl, br, c = FiveCrop(4)(x)
    np.testing.assert_array_equal(tl, x[..., :4, :4])
    np.testing.assert_array_equal(tr, x[..., :4, 8:])
    np.testing.assert_array_equal(bl, x[..., 5:, :4])
    np.testing.assert_array_equal(br, x[..., 5:, 8:])
    np.testing.assert_array_equal(c, x[..., 2:6, 4:8])
    ten = TenCrop(4)(x)
    assert len(ten) == 10
    np.testing.assert_array_equal(ten[5], x[..., :4, ::-1][..., :4])
    np.testing.assert_array_equal(TenCrop(4, vertical_flip=True)(x)[9],
                                  CenterCrop(4)(x[..., ::-1, :]))


@pytest.mark.parametrize("k", [1, 2, 3, -1])
def test_rotation_multiples_of_90_are_rot90(k):
    x = _batch(h=6, w=10)
    for mode in ("nearest", "bilinear"):
        out = RandomRotation((90 * k, 90 * k), interpolation=mode, expand=True)(x)
        np.testing.assert_allclose(out, np.rot90(x, k, axes=(2, 3)), atol=1e-6)
    sq = _batch(h=8, w=8)
    np.testing.assert_array_equal(RandomRotation((90 * k, 90 * k))(sq),
                                  np.rot90(sq, k, axes=(2, 3)))


def _torch_warp(x, theta, mode):
    """grid_sample with the same inverse matrix, converted to normalised coordinates."""
    n, _, H, W = x.shape
    a = np.empty((n, 2, 3))
    a[:, 0] = theta[:, 0] * np.array([1, H / W, 2 / W])
    a[:, 1] = theta[:, 1] * np.array([W / H, 1, 2 / H])
    grid = F.affine_grid(torch.tensor(a), (n, x.shape[1], H, W), align_corners=False)
    return F.grid_sample(torch.tensor(x), grid, mode=mode, padding_mode="zeros",
                         align_corners=False).numpy()


@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
def test_affine_equals_grid_sample(mode):
    x = _batch(n=8, dtype=np.float64)
    t = RandomAffine(40, translate=(0.2, 0.1), scale=(0.7, 1.3), shear=(-10, 10, -5, 5),
                     interpolation=mode)
    out = t(x)
    theta = inverse_affine_matrix(*t.last_params)
    ref = _torch_warp(x, theta, mode)
    if mode == "bilinear":
        np.testing.assert_allclose(out, ref, atol=1e-10)
    else:  # rounding ties may fall either way: almost every pixel equal
        assert (np.abs(out - ref) < 1e-12).mean() > 0.99


def test_rotation_bilinear_equals_grid_sample_float32():
    x = _batch(n=16)
    t = RandomRotation(180, interpolation="bilinear")
    out = t(x)
    z = np.zeros(16)
    theta = inverse_affine_matrix(-t.last_params, (z, z), np.ones(16), (z, z))
    ref = _torch_warp(x.astype(np.float64), theta, "bilinear")
    np.testing.assert_allclose(out, ref, atol=1e-5)
    assert out.dtype == np.float32


def test_affine_identity_is_identity():
    x = _batch()
    for mode in ("nearest", "bilinear"):
        np.testing.assert_allclose(RandomAffine(0, interpolation=mode)(x), x, atol=1e-6)
        np.testing.assert_allclose(RandomRotation(0, interpolation=mode)(x), x, atol=1e-6)
    n = len(x)
    theta = inverse_affine_matrix(np.zeros(n), (np.zeros(n), np.zeros(n)), np.ones(n),
                                  (np.zeros(n), np.zeros(n)))
    np.testing.assert_allclose(theta[:, :, :2], np.broadcast_to(np.eye(2), (n, 2, 2)))


def test_rotation_fill_and_translation_shift():
    x = np.ones((2, 1, 8, 8), dtype=np.float32)
    out = RandomRotation((45, 45), fill=0.25)(x)
    assert set(np.unique(out)) == {0.25, 1.0}
    ramp = np.arange(64, dtype=np.float64).reshape(1, 1, 8, 8)
    theta = inverse_affine_matrix(np.zeros(1), (np.array([2.0]), np.array([1.0])), np.ones(1),
                                  (np.zeros(1), np.zeros(1)))
    shifted = warp_affine(ramp, theta)
    np.testing.assert_array_equal(shifted[..., 1:, 2:], ramp[..., :-1, :-2])
    np.testing.assert_array_equal(shifted[..., 0, :], 0)


def test_alexnet_crop_count_is_2178():
    assert alexnet_crop_count() == 2178 == 2 * 33 ** 2
    assert alexnet_crop_count(mirror=False) == 1089
    x = np.random.default_rng(0).random((2000, 1, 4, 4)).astype(np.float32)
    # every distinct view is reachable: 4x4 images, 2x2 crops -> 3*3*2 = 18 views
    views = alexnet_train_crops(2)(np.broadcast_to(x[:1], x.shape).copy())
    assert len({v.tobytes() for v in views}) == alexnet_crop_count(4, 2) == 18
    assert len(alexnet_test_crops(2)(x[0])) == 10


@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
@pytest.mark.parametrize("block_elements", [1, 2 * 3 * 7 * 10, 5 * 3 * 7 * 10])
def test_blocked_resampling_equals_the_whole_batch_bit_for_bit(monkeypatch, mode,
                                                               block_elements):
    """Blocks of 1, 2 or 5 samples (a ragged last block) give exactly the whole-batch result,
    centres per sample included: the blocking is a cache optimisation only."""
    from whiteboard.augment import geometry

    x = _batch(n=11)
    rng = np.random.default_rng(3)
    theta = inverse_affine_matrix(rng.uniform(-40, 40, 11), (rng.normal(size=11),) * 2,
                                  rng.uniform(0.7, 1.3, 11), (rng.normal(size=11) * 5,) * 2)
    center = (rng.normal(size=11), rng.normal(size=11))
    boxes = (rng.integers(0, 3, 11), rng.integers(0, 4, 11), rng.integers(3, 5, 11),
             rng.integers(4, 7, 11))
    whole_warp = warp_affine(x, theta, (9, 8), mode, 0.25, center)
    whole_crop = resample_boxes(x, *boxes, (5, 6), mode)
    monkeypatch.setattr(geometry, "BLOCK_ELEMENTS", block_elements)
    np.testing.assert_array_equal(warp_affine(x, theta, (9, 8), mode, 0.25, center), whole_warp)
    np.testing.assert_array_equal(resample_boxes(x, *boxes, (5, 6), mode), whole_crop)
