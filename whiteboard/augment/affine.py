"""``RandomRotation`` and ``RandomAffine``: inverse-mapped sampling, per-sample parameters.

Grid convention (torchvision's tensor path, i.e. ``F.affine_grid`` + ``F.grid_sample`` with
``align_corners=False``): pixel ``(i, j)`` has centre-relative coordinates
``(x, y) = (j − (W − 1)/2, i − (H − 1)/2)``; an output pixel at ``p`` reads the input at
``M⁻¹ (p − t)`` where ``M = R(θ) · Shear(sx, sy) · s`` is torchvision's
``_get_inverse_affine_matrix`` (its formulas: ``a = cos(θ − sy)/cos(sy)``,
``b = −cos(θ − sy)·tan(sx)/cos(sy) − sin θ``, ``c = sin(θ − sy)/cos(sy)``,
``d = −sin(θ − sy)·tan(sx)/cos(sy) + cos θ``; inverse ``[[d, −b], [−c, a]] / s``).
``RandomRotation``'s ``degrees`` turn counter-clockwise on screen (torchvision passes ``−angle``),
``RandomAffine``'s ``degrees`` clockwise, as in torchvision.

``'nearest'`` rounds the source coordinate (half to even, as ``grid_sample``); ``'bilinear'``
blends the four neighbours, and a neighbour outside the image counts as ``fill``. With
``fill = 0`` this is ``grid_sample(..., padding_mode='zeros')`` exactly; with another fill it is
the plain blend ``Σ wₖ·(xₖ or fill)`` (torchvision instead re-weights by a sampled mask).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._base import Transform, check_range
from . import geometry
from .geometry import check_interpolation

__all__ = ["RandomRotation", "RandomAffine", "inverse_affine_matrix", "warp_affine"]


def inverse_affine_matrix(angle, translate, scale, shear):
    """Per-sample inverse 2x3 matrices (N, 2, 3) in centre-relative pixel coordinates
    (torchvision's ``_get_inverse_affine_matrix`` with centre 0), vectorised over N."""
    rot = np.deg2rad(np.asarray(angle, dtype=np.float64))
    sx = np.deg2rad(np.asarray(shear[0], dtype=np.float64))
    sy = np.deg2rad(np.asarray(shear[1], dtype=np.float64))
    tx, ty = (np.asarray(t, dtype=np.float64) for t in translate)
    scale = np.asarray(scale, dtype=np.float64)
    a = np.cos(rot - sy) / np.cos(sy)
    b = -np.cos(rot - sy) * np.tan(sx) / np.cos(sy) - np.sin(rot)
    c = np.sin(rot - sy) / np.cos(sy)
    d = -np.sin(rot - sy) * np.tan(sx) / np.cos(sy) + np.cos(rot)
    m = np.stack([np.stack([d, -b], -1), np.stack([-c, a], -1)], -2) / scale[..., None, None]
    shift = -(m @ np.stack([tx, ty], -1)[..., None])[..., 0]
    return np.concatenate([m, shift[..., None]], axis=-1)


def warp_affine(x, theta, out_size=None, mode="nearest", fill=0.0, center=None):
    """Sample the NCHW batch ``x`` through the per-sample inverse matrices ``theta`` (N, 2, 3);
    ``center`` is the rotation centre relative to the image centre (per sample or None)."""
    n, ch, H, W = x.shape
    oh, ow = out_size if out_size is not None else (H, W)
    block = max(1, geometry.BLOCK_ELEMENTS // max(1, ch * oh * ow))
    if n <= block:
        return _warp_block(x, theta, oh, ow, mode, fill, center)
    out = np.empty((n, ch, oh, ow), dtype=x.dtype)
    for s in range(0, n, block):
        part = slice(s, s + block)
        c = None if center is None else (np.asarray(center[0])[part], np.asarray(center[1])[part])
        out[part] = _warp_block(x[part], theta[part], oh, ow, mode, fill, c)
    return out


def _warp_block(x, theta, oh, ow, mode, fill, center):
    n, ch, H, W = x.shape
    # coordinates in the image's precision (float32 like grid_sample for float32 images)
    dt = np.result_type(x.dtype, np.float32)
    cx = np.zeros(n) if center is None else np.asarray(center[0], dtype=np.float64)
    cy = np.zeros(n) if center is None else np.asarray(center[1], dtype=np.float64)
    gx = (np.arange(ow) - (ow - 1) / 2.0).astype(dt)
    gy = (np.arange(oh) - (oh - 1) / 2.0).astype(dt)
    px = gx[None, None, :] - cx[:, None, None].astype(dt)
    py = gy[None, :, None] - cy[:, None, None].astype(dt)
    t = theta.astype(dt)[:, :, :, None, None]
    off_x = (t[:, 0, 2] + cx[:, None, None] + (W - 1) / 2.0).astype(dt)
    off_y = (t[:, 1, 2] + cy[:, None, None] + (H - 1) / 2.0).astype(dt)
    sx = t[:, 0, 0] * px + t[:, 0, 1] * py + off_x
    sy = t[:, 1, 0] * px + t[:, 1, 1] * py + off_y
    # channel-major copy (ch, n, H + 2, W + 2) with one ring of ``fill`` around every image: a
    # source coordinate clipped into [-1, H] (or [-1, W]) reads either the image or ``fill``, with
    # no per-tap inside test, and a tap is one 1-d gather per channel over the whole batch
    Hp, Wp = H + 2, W + 2
    xp = np.empty((ch, n, Hp, Wp), dtype=x.dtype)
    xp[:, :, 1:-1, 1:-1] = np.moveaxis(x, 1, 0)
    xp[:, :, 0], xp[:, :, -1], xp[:, :, :, 0], xp[:, :, :, -1] = fill, fill, fill, fill
    flat = xp.reshape(ch, n * Hp * Wp)
    base = (np.arange(n) * (Hp * Wp))[:, None, None]

    def row(r):
        return base + (np.clip(r, -1, H) + 1) * Wp

    def col(c):
        return np.clip(c, -1, W) + 1

    def tap(r_off, c_off):
        return np.take(flat, (r_off + c_off).ravel(), axis=1)

    if mode == "nearest":
        out = tap(row(np.rint(sy).astype(np.intp)), col(np.rint(sx).astype(np.intp)))
    else:
        x0, y0 = np.floor(sx), np.floor(sy)
        wx = (sx - x0).astype(x.dtype, copy=False).ravel()
        wy = (sy - y0).astype(x.dtype, copy=False).ravel()
        x0, y0 = x0.astype(np.intp), y0.astype(np.intp)
        r0, r1, c0, c1 = row(y0), row(y0 + 1), col(x0), col(x0 + 1)
        top = tap(r0, c0)
        top += wx * (tap(r0, c1) - top)
        bottom = tap(r1, c0)
        bottom += wx * (tap(r1, c1) - bottom)
        out = top
        out += wy * (bottom - top)
    out = np.moveaxis(out.reshape(ch, n, oh, ow), 0, 1)
    return np.ascontiguousarray(out).astype(x.dtype, copy=False)


def _degrees(degrees, name="degrees"):
    return check_range(degrees, name, center=0.0, bound=(-math.inf, math.inf), clip_first=False)


def _check_fill(fill):
    if not isinstance(fill, numbers.Real):
        raise ValueError(f"fill should be a number, got {fill!r}")
    return float(fill)


def _check_center(center):
    if center is None:
        return None
    if (not isinstance(center, (tuple, list)) or len(center) != 2
            or not all(isinstance(v, numbers.Real) and math.isfinite(v) for v in center)):
        raise ValueError(f"center should be None or a pair (x, y) of finite numbers, got "
                         f"{center!r}")
    return float(center[0]), float(center[1])


def _center_rel(center, H, W, n):
    if center is None:
        return None
    # torchvision: centre given in pixel coordinates, taken relative to (W/2, H/2)
    return np.full(n, center[0] - W * 0.5), np.full(n, center[1] - H * 0.5)


def _expanded_size(theta, H, W):
    """torchvision's ``_compute_affine_output_size``: bounding box of the turned image corners,
    rounded outward with a 1e-4 tolerance; the largest over the batch."""
    corners = np.array([[-0.5 * W, -0.5 * H], [-0.5 * W, 0.5 * H], [0.5 * W, 0.5 * H],
                        [0.5 * W, -0.5 * H]])
    m = theta[:, :, :2]
    fwd = np.linalg.inv(m)  # forward matrix (translation is 0 for a rotation)
    pts = corners @ np.swapaxes(fwd, 1, 2)
    tol = 1e-4
    cmax = np.ceil(np.trunc(pts.max(axis=1) / tol) * tol)
    cmin = np.floor(np.trunc(pts.min(axis=1) / tol) * tol)
    size = (cmax - cmin).max(axis=0)
    return int(size[1]), int(size[0])


class RandomRotation(Transform):
    """Rotate by an angle drawn uniformly from ``degrees`` (a number ``d`` means ``(−d, d)``),
    per sample. ``interpolation`` ``'nearest'`` (default, as torchvision) or ``'bilinear'``;
    ``expand=True`` enlarges the canvas to hold the whole turned image (on a batch: the largest
    canvas any sample needs, each image centred on it); ``center`` (x, y) in pixels; ``fill``
    for the area outside the input."""

    def __init__(self, degrees, interpolation="nearest", expand=False, center=None, fill=0):
        self.degrees = _degrees(degrees)
        self.interpolation = check_interpolation(interpolation)
        self.expand = bool(expand)
        self.center = _check_center(center)
        self.fill = _check_fill(fill)

    def _apply(self, x, rng):
        n, _, H, W = x.shape
        angle = rng.uniform(self.degrees[0], self.degrees[1], size=n)
        self.last_params = angle
        z = np.zeros(n)
        theta = inverse_affine_matrix(-angle, (z, z), np.ones(n), (z, z))
        size = _expanded_size(theta, H, W) if self.expand else (H, W)
        center = None if self.expand else _center_rel(self.center, H, W, n)
        return warp_affine(x, theta, size, self.interpolation, self.fill, center)


class RandomAffine(Transform):
    """Random affine map per sample: angle ~ U(``degrees``); ``translate=(a, b)``: shifts
    ``round(U(−aW, aW))``, ``round(U(−bH, bH))`` pixels; ``scale=(lo, hi)``: factor ~ U; ``shear``
    a number ``s`` (x shear in ``(−s, s)``), a pair (x range) or four numbers (x and y ranges),
    in degrees. Defaults as torchvision (``interpolation='nearest'``, ``fill=0``)."""

    def __init__(self, degrees, translate=None, scale=None, shear=None, interpolation="nearest",
                 fill=0, center=None):
        self.degrees = _degrees(degrees)
        if translate is not None:
            if (not isinstance(translate, (tuple, list)) or len(translate) != 2
                    or not all(isinstance(v, numbers.Real) and 0 <= v <= 1 for v in translate)):
                raise ValueError(f"translate should be a pair (a, b) of fractions in [0, 1], got "
                                 f"{translate!r}")
            translate = (float(translate[0]), float(translate[1]))
        self.translate = translate
        if scale is not None:
            scale = check_range(scale, "scale")
            if scale[0] <= 0:
                raise ValueError(f"scale should be positive, got {scale!r}")
        self.scale = scale
        self.shear = self._shear(shear)
        self.interpolation = check_interpolation(interpolation)
        self.fill = _check_fill(fill)
        self.center = _check_center(center)

    @staticmethod
    def _shear(shear):
        if shear is None:
            return None
        if isinstance(shear, numbers.Real):
            return _degrees(shear, "shear"), (0.0, 0.0)
        if isinstance(shear, (tuple, list)) and len(shear) == 2:
            return _degrees(tuple(shear), "shear"), (0.0, 0.0)
        if isinstance(shear, (tuple, list)) and len(shear) == 4:
            return _degrees(tuple(shear[:2]), "shear"), _degrees(tuple(shear[2:]), "shear")
        raise ValueError(f"shear should be a number or a sequence of 2 or 4 numbers, got "
                         f"{shear!r}")

    def get_params(self, n, H, W, rng):
        angle = rng.uniform(self.degrees[0], self.degrees[1], size=n)
        if self.translate is not None:
            tx = np.rint(rng.uniform(-self.translate[0] * W, self.translate[0] * W, size=n))
            ty = np.rint(rng.uniform(-self.translate[1] * H, self.translate[1] * H, size=n))
        else:
            tx = ty = np.zeros(n)
        scale = rng.uniform(*self.scale, size=n) if self.scale is not None else np.ones(n)
        if self.shear is not None:
            shx = rng.uniform(*self.shear[0], size=n)
            shy = rng.uniform(*self.shear[1], size=n)
        else:
            shx = shy = np.zeros(n)
        return angle, (tx, ty), scale, (shx, shy)

    def _apply(self, x, rng):
        n, _, H, W = x.shape
        params = self.get_params(n, H, W, rng)
        self.last_params = params
        theta = inverse_affine_matrix(*params)
        return warp_affine(x, theta, (H, W), self.interpolation, self.fill,
                           _center_rel(self.center, H, W, n))
