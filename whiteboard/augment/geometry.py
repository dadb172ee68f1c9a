"""Flips, padding, crops and resizing (torchvision's names, arguments and defaults).

Resampling convention (the one of ``torch.nn.functional.interpolate(..., align_corners=False)``
and torchvision's tensor ``resize`` with ``antialias=False``): output pixel ``o`` of a length-``n``
axis resized from a box ``[a, a + m)`` of the input samples the input at

    s = a + (o + 0.5) · m / n − 0.5,

clamped to ``[a, a + m − 1]``; ``'bilinear'`` blends the two neighbours ``⌊s⌋, ⌊s⌋ + 1`` with
weights ``1 − (s − ⌊s⌋)`` and ``s − ⌊s⌋`` (separably on rows and columns); ``'nearest'`` takes
``a + ⌊o · m / n⌋`` (PyTorch's ``'nearest'``). Antialiasing is off (``antialias=False``): a
downscale by more than 2 aliases, as in torchvision's tensor path without antialias.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._base import Transform, as_batch, check_prob, check_range, pair, wrap

__all__ = ["RandomHorizontalFlip", "RandomVerticalFlip", "Pad", "CenterCrop", "RandomCrop",
           "Resize", "RandomResizedCrop", "FiveCrop", "TenCrop", "resample_boxes"]

_MODES = ("nearest", "bilinear")
BLOCK_ELEMENTS = 1 << 18
"""Output elements per block of samples in the batched resamplers (``resample_boxes``,
``affine.warp_affine``): a batch goes through block by block so that the coordinate, index and
tap temporaries (about ten arrays of that size) stay in cache. Measured on the 2-core box with a
64 x 3 x 224 x 224 rotation (bilinear, 1 thread): whole batch 0.30 s, blocks of 2^16–2^18
elements 0.10 s, 2^20 0.15 s. Results do not depend on it: samples are independent."""


def check_interpolation(mode, name="interpolation"):
    mode = getattr(mode, "value", mode)  # accept an enum with torchvision's string values
    if mode not in _MODES:
        raise ValueError(f"{name} should be one of {_MODES}, got {mode!r}")
    return mode


def _axis_taps(start, length, n_out, mode):
    """Per-sample source indices and weights along one axis: ``(i0, i1, w1)``,
    each (N, n_out)."""
    start = np.asarray(start, dtype=np.float64)[:, None]
    length = np.asarray(length, dtype=np.float64)[:, None]
    o = np.arange(n_out, dtype=np.float64)[None, :]
    if mode == "nearest":
        i0 = (start + np.minimum(np.floor(o * length / n_out), length - 1)).astype(np.intp)
        return i0, i0, None
    s = (o + 0.5) * length / n_out - 0.5
    s = np.clip(s, 0.0, length - 1)
    f = np.floor(s)
    w1 = s - f
    i0 = (start + f).astype(np.intp)
    i1 = (start + np.minimum(f + 1, length - 1)).astype(np.intp)
    return i0, i1, w1


def resample_boxes(x, top, left, height, width, size, mode="bilinear"):
    """Crop box ``n`` (``top[n], left[n], height[n], width[n]``) of every image of the NCHW batch
    ``x`` and resize it to ``size = (h, w)``, vectorised over the batch (module docstring).

    Large batches go through in blocks of samples of about ``BLOCK_ELEMENTS`` output elements, so
    the gather temporaries stay in cache; the result does not depend on the blocking."""
    n = len(x)
    oh, ow = size
    block = max(1, BLOCK_ELEMENTS // max(1, x.shape[1] * oh * ow))
    if n <= block:
        return _resample_block(x, top, left, height, width, size, mode)
    out = np.empty((n, x.shape[1], oh, ow), dtype=x.dtype)
    top, left, height, width = (np.asarray(a) for a in (top, left, height, width))
    for s in range(0, n, block):
        p = slice(s, s + block)
        out[p] = _resample_block(x[p], top[p], left[p], height[p], width[p], size, mode)
    return out


def _resample_block(x, top, left, height, width, size, mode):
    n = len(x)
    oh, ow = size
    r0, r1, wr = _axis_taps(top, height, oh, mode)
    c0, c1, wc = _axis_taps(left, width, ow, mode)
    idx = np.arange(n)[:, None, None]
    xh = np.moveaxis(x, 1, -1)  # NHWC view, so a gather gives (N, oh, ow, C)
    if mode == "nearest":
        out = xh[idx, r0[:, :, None], c0[:, None, :]]
    else:
        dt = x.dtype
        wr = wr.astype(dt)[:, :, None, None]
        wc = wc.astype(dt)[:, None, :, None]
        top_row = xh[idx, r0[:, :, None], c0[:, None, :]] * (1 - wc) + \
            xh[idx, r0[:, :, None], c1[:, None, :]] * wc
        bot_row = xh[idx, r1[:, :, None], c0[:, None, :]] * (1 - wc) + \
            xh[idx, r1[:, :, None], c1[:, None, :]] * wc
        out = top_row * (1 - wr) + bot_row * wr
    return np.ascontiguousarray(np.moveaxis(out, -1, 1)).astype(x.dtype, copy=False)


class _Flip(Transform):
    axis = -1

    def __init__(self, p=0.5):
        self.p = check_prob(p)

    def _apply(self, x, rng):
        mask = rng.random(len(x)) < self.p
        out = x.copy()
        out[mask] = np.flip(x[mask], axis=self.axis)
        self.last_params = mask
        return out


class RandomHorizontalFlip(_Flip):
    """Mirror left-right (``x[..., ::-1]``) with probability ``p`` (default 0.5), per sample."""

    axis = -1


class RandomVerticalFlip(_Flip):
    """Mirror top-bottom (``x[..., ::-1, :]``) with probability ``p`` (default 0.5), per sample."""

    axis = -2


def _padding4(padding, name="padding"):
    """torchvision's padding: int -> all sides; (lr, tb); (left, top, right, bottom)."""
    if isinstance(padding, numbers.Integral):
        p = (int(padding),) * 4
    elif isinstance(padding, (tuple, list)) and len(padding) in (2, 4) and all(
            isinstance(v, numbers.Integral) for v in padding):
        p = tuple(int(v) for v in padding)
        p = (p[0], p[1], p[0], p[1]) if len(p) == 2 else p
    else:
        raise ValueError(f"{name} should be an int or a sequence of 2 or 4 ints, got {padding!r}")
    if min(p) < 0:
        raise ValueError(f"{name} should be non-negative, got {padding!r}")
    return p


_PAD_MODES = ("constant", "edge", "reflect", "symmetric")


def pad(x, padding, fill=0.0, padding_mode="constant"):
    """Pad an NCHW batch: ``padding = (left, top, right, bottom)``; modes as ``numpy.pad``
    (torchvision's ``reflect`` leaves the edge pixel out, ``symmetric`` repeats it)."""
    left, top, right, bottom = padding
    h, w = x.shape[-2:]
    if padding_mode == "reflect" and (max(top, bottom) >= h or max(left, right) >= w):
        raise ValueError(f"padding {padding} is too large for reflect padding of an image of "
                         f"shape {x.shape} (each side must be smaller than the image side)")
    widths = ((0, 0), (0, 0), (top, bottom), (left, right))
    if padding_mode == "constant":
        return np.pad(x, widths, mode="constant", constant_values=fill)
    return np.pad(x, widths, mode=padding_mode)


class Pad(Transform):
    """Pad every side: ``padding`` int / ``(left-right, top-bottom)`` /
    ``(left, top, right, bottom)``;
    ``padding_mode`` ``'constant'`` (with ``fill``), ``'edge'``, ``'reflect'``, ``'symmetric'``."""

    def __init__(self, padding, fill=0, padding_mode="constant"):
        self.padding = _padding4(padding)
        if padding_mode not in _PAD_MODES:
            raise ValueError(f"padding_mode should be one of {_PAD_MODES}, got {padding_mode!r}")
        if not isinstance(fill, numbers.Real):
            raise ValueError(f"fill should be a number, got {fill!r}")
        self.fill = fill
        self.padding_mode = padding_mode

    def _apply(self, x, rng):
        return pad(x, self.padding, self.fill, self.padding_mode)


def _crop_too_large(name, size, x):
    return ValueError(f"{name}: crop size {size} is larger than the input image (shape {x.shape})")


class CenterCrop(Transform):
    """The central ``size`` crop: top ``= round((H − h) / 2)``, left ``= round((W − w) / 2)``
    (torchvision). A crop larger than the image is padded with zeros first, as torchvision does."""

    def __init__(self, size):
        self.size = pair(size)

    def _apply(self, x, rng):
        h, w = self.size
        H, W = x.shape[-2:]
        if h > H or w > W:
            ph, pw = max(h - H, 0), max(w - W, 0)
            x = pad(x, (pw // 2, ph // 2, (pw + 1) // 2, (ph + 1) // 2))
            H, W = x.shape[-2:]
        top, left = int(round((H - h) / 2.0)), int(round((W - w) / 2.0))
        return x[..., top:top + h, left:left + w].copy()


def _gather_crops(x, top, left, h, w):
    """Same-size crops at per-sample offsets, by one fancy index."""
    rows = top[:, None] + np.arange(h)[None, :]
    cols = left[:, None] + np.arange(w)[None, :]
    xh = np.moveaxis(x, 1, -1)
    out = xh[np.arange(len(x))[:, None, None], rows[:, :, None], cols[:, None, :]]
    return np.ascontiguousarray(np.moveaxis(out, -1, 1))


class RandomCrop(Transform):
    """A ``size`` crop at a uniformly random position per sample (top in ``[0, H − h]``).

    ``padding`` pads first (as :class:`Pad`); ``pad_if_needed`` pads a too-small image up to the
    crop size (torchvision's rule); otherwise a crop larger than the image is a ``ValueError``.
    """

    def __init__(self, size, padding=None, pad_if_needed=False, fill=0, padding_mode="constant"):
        self.size = pair(size)
        self.padding = None if padding is None else _padding4(padding)
        self.pad_if_needed = bool(pad_if_needed)
        if padding_mode not in _PAD_MODES:
            raise ValueError(f"padding_mode should be one of {_PAD_MODES}, got {padding_mode!r}")
        self.fill = fill
        self.padding_mode = padding_mode

    def _apply(self, x, rng):
        if self.padding is not None:
            x = pad(x, self.padding, self.fill, self.padding_mode)
        h, w = self.size
        H, W = x.shape[-2:]
        if self.pad_if_needed and (H < h or W < w):
            dw, dh = max(w - W, 0), max(h - H, 0)
            x = pad(x, (dw, dh, dw, dh), self.fill, self.padding_mode)
            H, W = x.shape[-2:]
        if h > H or w > W:
            raise _crop_too_large("RandomCrop", self.size, x)
        top = rng.integers(0, H - h + 1, size=len(x))
        left = rng.integers(0, W - w + 1, size=len(x))
        self.last_params = (top, left)
        return _gather_crops(x, top, left, h, w)


def _resize_size(size, H, W):
    """torchvision: an int resizes the smaller edge to ``size`` keeping the aspect ratio."""
    if isinstance(size, numbers.Integral):
        if H <= W:
            return int(size), int(size * W / H)
        return int(size * H / W), int(size)
    return size


class Resize(Transform):
    """Resize to ``size`` (``(h, w)``, or an int for the smaller edge, aspect ratio kept);
    ``interpolation`` ``'bilinear'`` (default) or ``'nearest'``; ``antialias`` must be ``False``
    (not implemented; see the module docstring)."""

    def __init__(self, size, interpolation="bilinear", antialias=False):
        if isinstance(size, numbers.Integral):
            if size <= 0:
                raise ValueError(f"size should be positive, got {size!r}")
            self.size = int(size)
        else:
            self.size = pair(size)
        self.interpolation = check_interpolation(interpolation)
        if antialias:
            raise ValueError("antialias=True is not implemented: Resize resamples without "
                             "antialiasing (torchvision's tensor path with antialias=False)")
        self.antialias = False

    def _apply(self, x, rng):
        H, W = x.shape[-2:]
        n = len(x)
        return resample_boxes(x, np.zeros(n), np.zeros(n), np.full(n, H), np.full(n, W),
                              _resize_size(self.size, H, W), self.interpolation)


class RandomResizedCrop(Transform):
    """A crop of random area fraction in ``scale`` and aspect ratio in ``ratio`` (log-uniform),
    resized to ``size``; torchvision's ``get_params``: 10 tries per sample, then a centre crop of
    the ratio clamped to ``ratio``. Drawn per sample, vectorised (all tries in one draw)."""

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0),
                 interpolation="bilinear", antialias=False):
        self.size = pair(size)
        self.scale = check_range(scale, "scale")
        self.ratio = check_range(ratio, "ratio")
        if self.ratio[0] <= 0:
            raise ValueError(f"ratio should be positive, got {ratio!r}")
        self.interpolation = check_interpolation(interpolation)
        if antialias:
            raise ValueError("antialias=True is not implemented (see Resize)")
        self.antialias = False

    def get_params(self, n, H, W, rng):
        area = H * W
        target = area * rng.uniform(self.scale[0], self.scale[1], size=(n, 10))
        log_r = np.log(self.ratio)
        ar = np.exp(rng.uniform(log_r[0], log_r[1], size=(n, 10)))
        w = np.rint(np.sqrt(target * ar)).astype(np.intp)
        h = np.rint(np.sqrt(target / ar)).astype(np.intp)
        ok = (w > 0) & (h > 0) & (w <= W) & (h <= H)
        u_top, u_left = rng.random((n, 10)), rng.random((n, 10))
        first = np.argmax(ok, axis=1)
        rows = np.arange(n)
        found = ok[rows, first]
        hh, ww = h[rows, first], w[rows, first]
        top = np.floor(u_top[rows, first] * (H - hh + 1)).astype(np.intp)
        left = np.floor(u_left[rows, first] * (W - ww + 1)).astype(np.intp)
        # fallback: centre crop (torchvision)
        in_ratio = W / H
        if in_ratio < self.ratio[0]:
            fw, fh = W, int(round(W / self.ratio[0]))
        elif in_ratio > self.ratio[1]:
            fh, fw = H, int(round(H * self.ratio[1]))
        else:
            fw, fh = W, H
        hh = np.where(found, hh, fh)
        ww = np.where(found, ww, fw)
        top = np.where(found, top, (H - fh) // 2)
        left = np.where(found, left, (W - fw) // 2)
        return top, left, hh, ww

    def _apply(self, x, rng):
        H, W = x.shape[-2:]
        params = self.get_params(len(x), H, W, rng)
        self.last_params = params
        return resample_boxes(x, *params, self.size, self.interpolation)


def _five(x, size):
    h, w = size
    H, W = x.shape[-2:]
    if h > H or w > W:
        raise _crop_too_large("FiveCrop", size, x)
    return (x[..., :h, :w].copy(), x[..., :h, W - w:].copy(), x[..., H - h:, :w].copy(),
            x[..., H - h:, W - w:].copy(), CenterCrop(size)._apply(x, None))


class FiveCrop:
    """The four corner crops and the centre crop (a tuple: top-left, top-right, bottom-left,
    bottom-right, centre), for test-time averaging of predictions."""

    def __init__(self, size):
        self.size = pair(size)

    def __call__(self, img):
        x, single, was_tensor = as_batch(img, "FiveCrop input")
        return tuple(wrap(c, single, was_tensor) for c in _five(x, self.size))


class TenCrop:
    """:class:`FiveCrop` of the image and of its mirror (``vertical_flip=True``: top-bottom
    mirror instead); a tuple of ten crops."""

    def __init__(self, size, vertical_flip=False):
        self.size = pair(size)
        self.vertical_flip = bool(vertical_flip)

    def __call__(self, img):
        x, single, was_tensor = as_batch(img, "TenCrop input")
        flipped = np.flip(x, axis=-2 if self.vertical_flip else -1)
        crops = _five(x, self.size) + _five(flipped, self.size)
        return tuple(wrap(c, single, was_tensor) for c in crops)
