"""Colour transforms: RGB↔HSV, ``ColorJitter``, grayscale, sharpness, Gaussian blur and noise.

The formulas are torchvision's (``torchvision.transforms.functional``, tensor path):

* grayscale ``g = 0.2989 R + 0.587 G + 0.114 B``;
* ``blend(a, b, f) = clip(f·a + (1 − f)·b, 0, 1)``;
* brightness ``f``: ``blend(x, 0, f)``; contrast ``f``: ``blend(x, mean(g), f)`` (the mean of the
  grayscale image over all its pixels); saturation ``f``: ``blend(x, g, f)``;
* hue shift ``h ∈ [−0.5, 0.5]``: to HSV, ``H ← (H + h) mod 1``, back to RGB (computed by one
  fused pass on max, min and the argmax, ``hue_shift_``, not through an HSV image);
* sharpness ``f``: ``blend(x, smooth, f)`` with ``smooth`` the 3x3 kernel
  ``[[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13`` inside and the original pixels on the border;
* Gaussian blur: separable kernel ``exp(−t²/(2σ²))`` normalised, ``t = −(k−1)/2 … (k−1)/2``, with
  reflect padding (the edge pixel not repeated).

Colour ops clip to [0, 1] as torchvision does for float images.
"""

from __future__ import annotations

import functools
import numbers

import numpy as np

from ._base import Transform, check_prob, check_range
from .geometry import BLOCK_ELEMENTS

__all__ = ["rgb_to_hsv", "hsv_to_rgb", "rgb_to_grayscale", "adjust_brightness",
           "adjust_contrast", "adjust_saturation", "adjust_hue", "ColorJitter", "Grayscale",
           "RandomGrayscale", "RandomAdjustSharpness", "GaussianBlur", "GaussianNoise"]


def _check_rgb(x, name):
    if not isinstance(x, np.ndarray) or x.ndim < 3 or x.shape[-3] != 3:
        raise ValueError(f"{name} should be an RGB array (..., 3, H, W), got shape "
                         f"{getattr(x, 'shape', None)}")


def rgb_to_hsv(img):
    """RGB (..., 3, H, W) in [0, 1] to HSV (..., 3, H, W), every channel in [0, 1].

    ``V = max``, ``S = (max − min)/max`` (0 where max = 0), ``H`` from the max channel: red
    ``(G − B)/Δ``, green ``2 + (B − R)/Δ``, blue ``4 + (R − G)/Δ``, divided by 6, mod 1 (0 where
    Δ = 0): the formulas of ``colorsys.rgb_to_hsv``.
    """
    _check_rgb(img, "rgb_to_hsv img")
    r, g, b = img[..., 0, :, :], img[..., 1, :, :], img[..., 2, :, :]
    maxc = np.maximum(np.maximum(r, g), b)
    minc = np.minimum(np.minimum(r, g), b)
    delta = maxc - minc
    gray = delta == 0
    safe_max = np.where(maxc == 0, 1, maxc)
    safe_d = np.where(gray, 1, delta)
    s = np.where(maxc == 0, 0, delta / safe_max)
    rc, gc, bc = (maxc - r) / safe_d, (maxc - g) / safe_d, (maxc - b) / safe_d
    h = np.where(maxc == r, bc - gc, np.where(maxc == g, 2.0 + rc - bc, 4.0 + gc - rc))
    h = np.where(gray, 0, (h / 6.0) % 1.0)
    return np.stack([h, s, maxc], axis=-3).astype(img.dtype, copy=False)


def hsv_to_rgb(img):
    """HSV (..., 3, H, W) to RGB: sector ``i = ⌊6H⌋ mod 6``, ``f = 6H − ⌊6H⌋``,
    ``p = V(1 − S)``, ``q = V(1 − S f)``, ``t = V(1 − S(1 − f))`` (``colorsys.hsv_to_rgb``);
    by sector ``(R, G, B)`` is ``(v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q)``.
    """
    _check_rgb(img, "hsv_to_rgb img")
    h, s, v = img[..., 0, :, :], img[..., 1, :, :], img[..., 2, :, :]
    h6 = h * 6.0
    i = np.floor(h6)
    f = h6 - i
    i = i.astype(np.intp) % 6
    p, q, t = v * (1 - s), v * (1 - s * f), v * (1 - s * (1 - f))
    out = np.empty(np.broadcast_shapes(h.shape, s.shape, v.shape)[:-2] + (3,) + h.shape[-2:],
                   dtype=np.result_type(p, q, t))
    for c, choices in enumerate(((v, q, p, p, t, v), (t, v, v, q, p, p), (p, p, t, v, v, q))):
        np.choose(i, choices, out=out[..., c, :, :])
    return out.astype(img.dtype, copy=False)


def rgb_to_grayscale(img):
    """``0.2989 R + 0.587 G + 0.114 B``, keeping a channel axis of size 1."""
    _check_rgb(img, "rgb_to_grayscale img")
    w = np.array([0.2989, 0.587, 0.114], dtype=img.dtype)
    return np.einsum("...chw,c->...hw", img, w)[..., None, :, :]


def _blend(a, b, f):
    return np.clip(f * a + (1 - f) * b, 0.0, 1.0)


def _check_factor(factor, name, lo=0.0, hi=np.inf):
    f = np.asarray(factor, dtype=np.float64)
    if f.ndim > 1 or not np.isfinite(f).all() or (f < lo).any() or (f > hi).any():
        raise ValueError(f"{name} should be a number in [{lo}, {hi}] or one per sample, got "
                         f"{factor!r}")


def _check_image(x, name):
    _check_rgb(x, name)
    if not np.issubdtype(x.dtype, np.floating):
        raise ValueError(f"{name} should be a floating array (values in [0, 1]), got dtype "
                         f"{x.dtype} (shape {x.shape})")


def _per_sample(f, x):
    f = np.asarray(f, dtype=x.dtype)
    if f.ndim == 1 and (x.ndim != 4 or len(f) != len(x)):
        raise ValueError(f"a per-sample factor needs an NCHW batch of {len(f)} images, got "
                         f"shape {x.shape}")
    return f.reshape(f.shape + (1,) * (x.ndim - f.ndim)) if f.ndim else f


def adjust_brightness(x, factor):
    """``blend(x, 0, factor)``; ``factor`` a number or one per sample of the NCHW batch."""
    if not isinstance(x, np.ndarray) or x.ndim not in (3, 4) or not np.issubdtype(
            x.dtype, np.floating):
        raise ValueError(f"adjust_brightness x should be a float CHW or NCHW array, got "
                         f"{getattr(x, 'dtype', type(x).__name__)} of shape "
                         f"{getattr(x, 'shape', None)}")
    _check_factor(factor, "brightness_factor")
    return _blend(x, 0.0, _per_sample(factor, x))


def adjust_contrast(x, factor):
    """``blend(x, mean grayscale, factor)``."""
    _check_image(x, "adjust_contrast x")
    _check_factor(factor, "contrast_factor")
    mean = rgb_to_grayscale(x).mean(axis=(-3, -2, -1), keepdims=True)
    return _blend(x, mean, _per_sample(factor, x))


def adjust_saturation(x, factor):
    """``blend(x, grayscale(x), factor)``."""
    _check_image(x, "adjust_saturation x")
    _check_factor(factor, "saturation_factor")
    return _blend(x, rgb_to_grayscale(x), _per_sample(factor, x))


def adjust_hue(x, shift):
    """Rotate the hue by ``shift`` (a fraction of the circle, in [−0.5, 0.5]; a number or one per
    sample of the NCHW batch): torchvision's definition, RGB → HSV, ``H ← (H + shift) mod 1``,
    HSV → RGB, computed by the fused pass of ``hue_shift_`` (no HSV image is built), block-wise
    in x's dtype."""
    _check_image(x, "adjust_hue x")
    _check_factor(shift, "hue_factor", -0.5, 0.5)
    shift = _per_sample(shift, x)
    out = np.array(x, order="C")
    flat = out.reshape((-1,) + out.shape[-3:])
    shift = np.broadcast_to(shift, flat.shape[:1] + (1,) * 3) if shift.ndim \
        else shift.reshape(1, 1, 1, 1)
    per = max(1, BLOCK_ELEMENTS // max(1, flat[0].size))
    work = np.empty((3, min(per, len(flat))) + flat.shape[-2:], dtype=flat.dtype)
    for start in range(0, len(flat), per):
        sh = shift if len(shift) == 1 else shift[start:start + per]
        hue_shift_(flat[start:start + per], sh, work)
    return out


def hue_shift_(y, shift, work=None):
    """In place on the RGB batch ``y`` (N, 3, H, W): the hue rotated by ``shift`` (N or 1, 1, 1,
    1), without building the HSV image. ``work``: optional scratch of at least (3, N, H, W) in
    y's dtype, reused by the blocks of a batch.

    A hue rotation keeps ``V = max`` and ``S``, so also the chroma ``Δ = max − min``; only the
    hue moves. With ``x = 6H`` the table of ``hsv_to_rgb`` is, per channel,
    ``c = max − Δ·w_c(x mod 6)`` with the trapezoids ``w_R = clip(2 − |x − 3|, 0, 1)``,
    ``w_G = clip(|x − 2| − 1, 0, 1)``, ``w_B = clip(|x − 4| − 1, 0, 1)`` (``w = 0`` gives ``v``,
    ``1`` gives ``p``, the slopes ``q`` and ``t``). So max, min and the argmax are taken once,
    ``x = 6H + 6·shift`` is formed and each channel written. Grey pixels (``Δ = 0``) come back as
    ``max`` exactly; where ``max = 0`` with ``min < 0`` (values below 0) ``rgb_to_hsv`` sets
    ``S = 0``, so such a pixel comes back as ``max`` in every channel, as in the round trip.

    The argmax is selected arithmetically, since masked selections (``np.where``, ``where=``)
    cost ten times an arithmetic pass on random masks: ``s`` = 0, 1, 2 where red, green, blue is
    the max (colorsys's precedence for ties), ``n_R = G − B``, ``n_G = B − R`` (so ``R − G =
    −(n_R + n_G)``) and ``6H = ((1 − s)·n_R + s(2.5 − 1.5s)·n_G)/Δ + 2s`` (the coefficients are
    exactly 1, 0 / 0, 1 / −1, −1). The scratch is three (N, H, W) planes (max, Δ, x); y's own
    planes hold the rest once read. The arithmetic stays in y's dtype.
    """
    r, g, b = y[:, 0], y[:, 1], y[:, 2]
    if work is None:
        work = np.empty((3,) + r.shape, dtype=y.dtype)
    mx, d, x = work[:, :len(y)]
    np.maximum(r, g, out=mx)
    np.maximum(mx, b, out=mx)
    np.equal(r, mx, out=d)                    # red is the max
    np.equal(g, mx, out=x)
    np.greater(x, d, out=x)                   # green is, red not
    d += d
    d += x
    np.subtract(2, d, out=x)                  # s
    np.minimum(r, g, out=d)
    np.minimum(d, b, out=d)
    np.subtract(mx, d, out=d)                 # Δ
    np.subtract(g, b, out=g)                  # n_R
    np.subtract(b, r, out=b)                  # n_G
    np.subtract(1, x, out=r)
    g *= r
    np.multiply(x, -1.5, out=r)
    r += 2.5
    r *= x
    b *= r
    g += b
    np.equal(d, 0, out=r)
    r += d                                    # Δ, 1 for grey pixels (where n_R = n_G = 0)
    g /= r
    x += x
    x += g
    x += 6 * shift[:, 0]
    np.multiply(x, 1 / 6, out=r)
    np.floor(r, out=r)
    r *= 6
    x -= r
    np.not_equal(mx, 0, out=r)
    d *= r
    for c, centre, w in ((0, 3, g), (1, 2, b), (2, 4, b)):
        np.subtract(x, centre, out=w)
        np.abs(w, out=w)
        if c == 0:
            np.subtract(2, w, out=w)
        else:
            w -= 1
        np.clip(w, 0, 1, out=w)
        w *= d
        np.subtract(mx, w, out=y[:, c])


class ColorJitter(Transform):
    """Random brightness, contrast, saturation (factors ~ U ``[max(0, 1 − v), 1 + v]`` for a number
    ``v``, or a given ``(min, max)``) and hue (shift ~ U ``[−h, h]``, ``h ≤ 0.5``), applied
    in a random order, factors and order drawn per sample (the samples sharing an order are
    processed together).
    """

    channels = (3,)

    def __init__(self, brightness=0, contrast=0, saturation=0, hue=0):
        self.brightness = self._range(brightness, "brightness")
        self.contrast = self._range(contrast, "contrast")
        self.saturation = self._range(saturation, "saturation")
        self.hue = self._range(hue, "hue", center=0.0, bound=(-0.5, 0.5))

    @staticmethod
    def _range(value, name, center=1.0, bound=(0.0, float("inf"))):
        lo, hi = check_range(value, name, center=center, bound=bound, clip_first=center == 1.0)
        return None if lo == hi == center else (lo, hi)

    def _apply(self, x, rng):
        n = len(x)
        ranges = (self.brightness, self.contrast, self.saturation, self.hue)
        factors = [None if r is None else rng.uniform(r[0], r[1], size=n) for r in ranges]
        order = np.argsort(rng.random((n, 4)), axis=1)  # a random permutation per sample
        self.last_params = (order, factors)
        # The batch goes through in blocks of consecutive samples of about ``BLOCK_ELEMENTS``
        # elements: the block is copied into the output once, then every op runs in place on it
        # while it stays in cache, step by step: at step j each sample applies the j-th op of
        # its drawn order (an op without a range is skipped), the samples that apply the same op
        # at that step go through together (gathered and scattered inside the cached block
        # unless they are the whole block), so a block takes at most 4 x 4 op calls, however
        # many orders its samples drew. The ops act on each sample alone, so the result is that
        # of the ``adjust_*`` functions, op for op, in x's dtype.
        active = np.array([f is not None for f in factors])
        steps = _compact(np.where(active[order], order, 4))  # 4 = skipped
        f32 = [None if f is None else f.astype(x.dtype).reshape(-1, 1, 1, 1) for f in factors]
        out = np.empty_like(x)
        per = max(1, BLOCK_ELEMENTS // max(1, x[0].size))
        ops = list(_JITTER)
        if active[3]:
            work = np.empty((3, min(per, n)) + x.shape[-2:], dtype=x.dtype)
            ops[3] = functools.partial(hue_shift_, work=work)
        for start in range(0, n, per):
            stop = min(n, start + per)
            blk = out[start:stop]
            blk[...] = x[start:stop]
            for step in steps[start:stop].T:
                for k in np.unique(step):
                    if k == 4:
                        continue
                    f = f32[k][start:stop]
                    if (step == k).all():
                        ops[k](blk, f)
                    else:
                        idx = np.flatnonzero(step == k)
                        y = blk[idx]
                        ops[k](y, f[idx])
                        blk[idx] = y
        return out


def _compact(steps):
    """Each row's active ops first, in order, then the skipped ones (4)."""
    key = np.where(steps == 4, 1, 0)
    pos = np.argsort(key, axis=1, kind="stable")
    return np.take_along_axis(steps, pos, axis=1)


def _brightness_(y, f):
    """In place: ``clip(f·y, 0, 1)`` (= ``blend(y, 0, f)``)."""
    y *= f
    np.clip(y, 0.0, 1.0, out=y)


def _contrast_(y, f):
    """In place: ``clip(f·y + (1 − f)·mean(gray(y)), 0, 1)``."""
    mean = rgb_to_grayscale(y).mean(axis=(-3, -2, -1), keepdims=True)
    y *= f
    y += (1 - f) * mean
    np.clip(y, 0.0, 1.0, out=y)


def _saturation_(y, f):
    """In place: ``clip(f·y + (1 − f)·gray(y), 0, 1)``."""
    g = rgb_to_grayscale(y)
    g *= 1 - f
    y *= f
    y += g
    np.clip(y, 0.0, 1.0, out=y)


_JITTER = (_brightness_, _contrast_, _saturation_, hue_shift_)


class Grayscale(Transform):
    """RGB to grayscale with ``num_output_channels`` 1 or 3 (the gray copied)."""

    channels = (3,)

    def __init__(self, num_output_channels=1):
        if num_output_channels not in (1, 3):
            raise ValueError(f"num_output_channels should be 1 or 3, got {num_output_channels!r}")
        self.num_output_channels = num_output_channels

    def _apply(self, x, rng):
        g = rgb_to_grayscale(x)
        return np.repeat(g, self.num_output_channels, axis=1)


class RandomGrayscale(Transform):
    """Grayscale with probability ``p`` (default 0.1), per sample; the output keeps 3 channels."""

    channels = (3,)

    def __init__(self, p=0.1):
        self.p = check_prob(p)

    def _apply(self, x, rng):
        mask = rng.random(len(x)) < self.p
        out = x.copy()
        out[mask] = np.repeat(rgb_to_grayscale(x[mask]), 3, axis=1)
        return out


def adjust_sharpness(x, factor):
    """``blend(x, smooth(x), factor)`` (module docstring); any channel count."""
    H, W = x.shape[-2:]
    if H <= 2 or W <= 2:
        return x.copy()
    k = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]], dtype=x.dtype) / 13
    smooth = x.copy()
    inner = sum(k[i, j] * x[..., i:H - 2 + i, j:W - 2 + j] for i in range(3) for j in range(3))
    smooth[..., 1:-1, 1:-1] = inner
    return _blend(x, smooth, _per_sample(factor, x))


class RandomAdjustSharpness(Transform):
    """Sharpen (``factor > 1``) or soften (``< 1``) by ``sharpness_factor``, with probability ``p``.
    """

    def __init__(self, sharpness_factor, p=0.5):
        if not isinstance(sharpness_factor, numbers.Real) or sharpness_factor < 0:
            raise ValueError(f"sharpness_factor should be a non-negative number, got "
                             f"{sharpness_factor!r}")
        self.sharpness_factor = float(sharpness_factor)
        self.p = check_prob(p)

    def _apply(self, x, rng):
        mask = rng.random(len(x)) < self.p
        out = x.copy()
        out[mask] = adjust_sharpness(x[mask], self.sharpness_factor)
        return out


def gaussian_kernel1d(kernel_size, sigma):
    """Per-sample normalised kernels (N, k) for the sigmas (N,)."""
    t = np.arange(kernel_size) - (kernel_size - 1) / 2.0
    sigma = np.asarray(sigma, dtype=np.float64).reshape(-1, 1)
    w = np.exp(-0.5 * (t[None, :] / sigma) ** 2)
    return w / w.sum(axis=1, keepdims=True)


class GaussianBlur(Transform):
    """Blur with a ``kernel_size`` (odd int or (kh, kw)) Gaussian whose sigma ~ U(``sigma``) per
    sample (default ``(0.1, 2.0)``); reflect padding, separable (module docstring)."""

    def __init__(self, kernel_size, sigma=(0.1, 2.0)):
        ks = (kernel_size, kernel_size) if isinstance(kernel_size, numbers.Integral) \
            else tuple(kernel_size)
        if len(ks) != 2 or not all(isinstance(k, numbers.Integral) and k > 0 and k % 2 == 1
                                   for k in ks):
            raise ValueError(f"kernel_size should be an odd positive int or a pair of them, got "
                             f"{kernel_size!r}")
        self.kernel_size = ks
        if isinstance(sigma, numbers.Real):
            sigma = (sigma, sigma)
        self.sigma = check_range(tuple(sigma) if isinstance(sigma, list) else sigma, "sigma")
        if self.sigma[0] <= 0:
            raise ValueError(f"sigma should be positive, got {sigma!r}")

    def _apply(self, x, rng):
        n, _, H, W = x.shape
        kh, kw = self.kernel_size
        if kh // 2 >= H or kw // 2 >= W:
            raise ValueError(f"GaussianBlur: kernel_size {self.kernel_size} needs images larger "
                             f"than half the kernel for reflect padding, got shape {x.shape}")
        sigma = rng.uniform(self.sigma[0], self.sigma[1], size=n)
        self.last_params = sigma
        return blur(x, gaussian_kernel1d(kh, sigma), gaussian_kernel1d(kw, sigma))


def blur(x, kh, kw):
    """Separable correlation of the NCHW batch with per-sample kernels ``kh`` (N, a),
    ``kw`` (N, b)."""
    H, W = x.shape[-2:]
    a, b = kh.shape[1], kw.shape[1]
    xp = np.pad(x, ((0, 0), (0, 0), (a // 2, a // 2), (0, 0)), mode="reflect")
    kh = kh.astype(x.dtype)[:, None, None, None, :]
    rows = sum(kh[..., i] * xp[:, :, i:i + H, :] for i in range(a))
    xp = np.pad(rows, ((0, 0), (0, 0), (0, 0), (b // 2, b // 2)), mode="reflect")
    kw = kw.astype(x.dtype)[:, None, None, None, :]
    return sum(kw[..., j] * xp[:, :, :, j:j + W] for j in range(b)).astype(x.dtype, copy=False)


class GaussianNoise(Transform):
    """``x + mean + sigma·ε``, ε ~ N(0, 1) per pixel, clipped to [0, 1] when ``clip`` (torchvision
    v2's ``GaussianNoise`` defaults ``mean=0.0, sigma=0.1, clip=True``)."""

    def __init__(self, mean=0.0, sigma=0.1, clip=True):
        if not isinstance(sigma, numbers.Real) or sigma < 0:
            raise ValueError(f"sigma should be a non-negative number, got {sigma!r}")
        self.mean, self.sigma, self.clip = float(mean), float(sigma), bool(clip)

    def _apply(self, x, rng):
        out = x + (self.mean + self.sigma * rng.standard_normal(x.shape)).astype(x.dtype)
        return np.clip(out, 0.0, 1.0) if self.clip else out
