"""Colour ops against ``colorsys`` (HSV, 1e-10 in float64) and torchvision's documented
blend formulas written out explicitly (1e-12 in float64)."""

import colorsys

import numpy as np
import pytest

import whiteboard as wb
from whiteboard.augment import ColorJitter, Grayscale
from whiteboard.augment.colour import (adjust_brightness, adjust_contrast, adjust_hue,
                                       adjust_saturation, hsv_to_rgb, rgb_to_grayscale,
                                       rgb_to_hsv)


def _img(n=4, h=5, w=6, seed=0):
    x = np.random.default_rng(seed).random((n, 3, h, w))
    x[0, :, 0, 0] = 0.5  # a grey pixel (hue 0)
    x[0, :, 0, 1] = 0.0  # black (saturation 0)
    return x


def test_rgb_to_hsv_matches_colorsys():
    x = _img()
    hsv = rgb_to_hsv(x)
    px = np.moveaxis(x, 1, -1).reshape(-1, 3)
    ref = np.array([colorsys.rgb_to_hsv(*p) for p in px])
    np.testing.assert_allclose(np.moveaxis(hsv, 1, -1).reshape(-1, 3), ref, atol=1e-10)


def test_hsv_to_rgb_matches_colorsys_and_round_trips():
    hsv = np.random.default_rng(3).random((3, 3, 4, 5))
    px = np.moveaxis(hsv, 1, -1).reshape(-1, 3)
    ref = np.array([colorsys.hsv_to_rgb(*p) for p in px])
    np.testing.assert_allclose(np.moveaxis(hsv_to_rgb(hsv), 1, -1).reshape(-1, 3), ref,
                               atol=1e-10)
    x = _img()
    np.testing.assert_allclose(hsv_to_rgb(rgb_to_hsv(x)), x, atol=1e-10)


def _gray(x):
    return (0.2989 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2])[:, None]


def test_blend_formulas():
    x = _img()
    f = np.array([0.3, 1.0, 1.7, 0.0])
    fb = f[:, None, None, None]
    np.testing.assert_allclose(rgb_to_grayscale(x), _gray(x), atol=1e-12)
    np.testing.assert_allclose(adjust_brightness(x, f), np.clip(fb * x, 0, 1), atol=1e-12)
    mean = _gray(x).mean(axis=(1, 2, 3), keepdims=True)
    np.testing.assert_allclose(adjust_contrast(x, f), np.clip(fb * x + (1 - fb) * mean, 0, 1),
                               atol=1e-12)
    np.testing.assert_allclose(adjust_saturation(x, f),
                               np.clip(fb * x + (1 - fb) * _gray(x), 0, 1), atol=1e-12)
    np.testing.assert_allclose(adjust_brightness(x, 1.0), x, atol=1e-12)


def test_adjust_hue_vs_colorsys():
    x = _img(n=2)
    out = adjust_hue(x, 0.25)
    px = np.moveaxis(x, 1, -1).reshape(-1, 3)
    ref = []
    for p in px:
        h, s, v = colorsys.rgb_to_hsv(*p)
        ref.append(colorsys.hsv_to_rgb((h + 0.25) % 1.0, s, v))
    np.testing.assert_allclose(np.moveaxis(out, 1, -1).reshape(-1, 3), ref, atol=1e-10)
    shifts = np.array([0.1, -0.3])
    per = adjust_hue(x, shifts)
    for i in range(2):
        np.testing.assert_allclose(per[i], adjust_hue(x[i:i + 1], shifts[i])[0], atol=1e-12)


@pytest.mark.parametrize("k", [1, 3])
def test_grayscale(k):
    x = _img()
    out = Grayscale(num_output_channels=k)(x)
    assert out.shape == (4, k, 5, 6)
    np.testing.assert_allclose(out, np.repeat(_gray(x), k, axis=1), atol=1e-12)
    with pytest.raises(ValueError, match="num_output_channels"):
        Grayscale(2)


def test_color_jitter_ranges_seed_and_order():
    x = _img(n=64)
    t = ColorJitter(brightness=0.4, contrast=(0.5, 0.9), saturation=0.2, hue=0.1)
    assert t.brightness == (0.6, 1.4) and t.contrast == (0.5, 0.9)
    assert t.hue == (-0.1, 0.1)
    wb.manual_seed(5)
    out = t(x)
    order, factors = t.last_params
    b, c, s, h = factors
    assert b.min() >= 0.6 and b.max() <= 1.4 and c.min() >= 0.5 and c.max() <= 0.9
    assert s.min() >= 0.8 and s.max() <= 1.2 and np.abs(h).max() <= 0.1
    assert len({tuple(o) for o in order}) > 1  # the order is drawn per sample
    fns = [adjust_brightness, adjust_contrast, adjust_saturation, adjust_hue]
    for i in (0, 17, 63):
        y = x[i:i + 1]
        for k in order[i]:
            y = fns[k](y, factors[k][i:i + 1])
        np.testing.assert_allclose(out[i], y[0], atol=1e-12)
    wb.manual_seed(5)
    np.testing.assert_array_equal(t(x), out)
    assert ColorJitter(brightness=0).brightness is None
    with pytest.raises(ValueError, match="hue"):
        ColorJitter(hue=0.6)
    with pytest.raises(ValueError, match="brightness"):
        ColorJitter(brightness=-1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("block", [1, 1 << 18])
def test_blocked_color_jitter_equals_the_adjust_functions_per_sample(dtype, block, monkeypatch):
    # the batched, block-wise, in-place path gives bit for bit what the public adjust_* functions
    # give when composed on each sample in its drawn order with its drawn factors
    import whiteboard.augment.colour as colour

    monkeypatch.setattr(colour, "BLOCK_ELEMENTS", block)
    x = np.random.default_rng(5).random((40, 3, 9, 11)).astype(dtype)
    x[0, :, :2] = 0.25  # grey pixels (hue undefined)
    cj = ColorJitter(0.5, 0.5, (0.2, 1.8), 0.3)
    y = cj._apply(x, np.random.default_rng(9))
    assert y.dtype == dtype and y.shape == x.shape
    order, factors = cj.last_params
    fns = (adjust_brightness, adjust_contrast, adjust_saturation, adjust_hue)
    for i in range(len(x)):
        ref = x[i:i + 1]
        for k in order[i]:
            ref = fns[k](ref, dtype(factors[k][i]))
        assert np.array_equal(y[i:i + 1], ref), i


def _hue_round_trip(x, shift):
    # the reference definition (torchvision's adjust_hue): RGB -> HSV, H <- (H + shift) mod 1,
    # HSV -> RGB, through the library's colorsys-checked conversions
    hsv = rgb_to_hsv(x)
    hsv[:, 0] = (hsv[:, 0] + np.reshape(shift, (-1, 1, 1))) % 1.0
    return hsv_to_rgb(hsv)


def _hue_cases(dtype, lo, hi, seed):
    x = np.random.default_rng(seed).uniform(lo, hi, (12, 3, 17, 23))
    x[0, :, :4] = 0.37                                   # grey (s = 0)
    x[0, :, 4] = 0.0                                     # black
    x[0, :, 5] = 1.0                                     # white
    pure = [[1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 1, 1], [0, 0, 1], [1, 0, 1],  # sector edges
            [1, .5, 0], [.5, 1, 0], [0, 1, .5], [0, .5, 1], [.5, 0, 1], [1, 0, .5]]
    x[1, :, 0, :len(pure)] = np.array(pure).T
    x[1, :, 1, :len(pure)] = 0.5 * np.array(pure).T + 0.25
    x[2, 0, 0] = x[2, 1, 0]                              # ties: red = green = max
    x[2, 1, 1] = x[2, 2, 1]                              # green = blue
    x[2, 0, 2] = x[2, 2, 2]                              # red = blue
    shifts = np.random.default_rng(seed + 1).uniform(-0.5, 0.5, len(x))
    shifts[:4] = [0.5, -0.5, 0.0, 1 / 6]
    return x.astype(dtype), shifts.astype(dtype)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fused_hue_shift_equals_the_hsv_round_trip(seed):
    # float64, values in [0, 1] and outside it (the hue op itself does not clip)
    for lo, hi in ((0.0, 1.0), (-0.5, 1.5)):
        x, shifts = _hue_cases(np.float64, lo, hi, seed)
        if lo < 0:
            x[3, :, 0, 0] = [0.0, -0.3, -0.1]            # max = 0 > min: rgb_to_hsv's s = 0
            x[3, :, 0, 1] = [-0.2, -0.6, -0.4]           # every channel below 0
        out = adjust_hue(x, shifts)
        assert out.dtype == np.float64 and out.shape == x.shape
        np.testing.assert_allclose(out, _hue_round_trip(x, shifts), rtol=0, atol=1e-6)
        np.testing.assert_array_equal(out[0, :, :4], x[0, :, :4])  # grey pixels: exactly max
    # float32 stays float32 and is as close to the float64 definition
    x, shifts = _hue_cases(np.float32, 0.0, 1.0, seed)
    out = adjust_hue(x, shifts)
    assert out.dtype == np.float32
    ref = _hue_round_trip(x.astype(np.float64), shifts.astype(np.float64))
    np.testing.assert_allclose(out, ref, rtol=0, atol=1e-6)
    # shift 0 is the identity
    np.testing.assert_allclose(adjust_hue(x.astype(np.float64), 0.0), x, rtol=0, atol=1e-12)


def test_fused_hue_shift_blocks_and_shapes(monkeypatch):
    # block-wise (one image per block, the scratch reused) equals one block bit for bit; a CHW
    # image and an (..., 3, H, W) stack give what the NCHW batch gives
    import whiteboard.augment.colour as colour

    x, shifts = _hue_cases(np.float32, 0.0, 1.0, 4)
    whole = adjust_hue(x, shifts)
    monkeypatch.setattr(colour, "BLOCK_ELEMENTS", 1)
    np.testing.assert_array_equal(adjust_hue(x, shifts), whole)
    np.testing.assert_array_equal(adjust_hue(x, 0.3), adjust_hue(x, np.full(len(x), 0.3)))
    np.testing.assert_array_equal(adjust_hue(x[5], shifts[5]), whole[5])
    stack = adjust_hue(x.reshape(3, 4, 3, 17, 23), 0.3)
    np.testing.assert_array_equal(stack.reshape(x.shape), adjust_hue(x, 0.3))
    assert np.shares_memory(x, whole) is False
