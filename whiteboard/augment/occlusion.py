"""Occlusion: ``Cutout`` (DeVries & Taylor 2017) and ``RandomErasing`` (Zhong et al. 2017,
torchvision's arguments and defaults). Both change exactly one box per sample."""

from __future__ import annotations

import numbers

import numpy as np

from ._base import Transform, check_prob, check_range

__all__ = ["Cutout", "RandomErasing", "box_mask"]


def box_mask(shape_hw, top, left, height, width):
    """(N, 1, H, W) boolean masks of the boxes ``[top, top + height) × [left, left + width)``."""
    H, W = shape_hw
    r = np.arange(H)[None, :]
    c = np.arange(W)[None, :]
    rows = (r >= top[:, None]) & (r < (top + height)[:, None])
    cols = (c >= left[:, None]) & (c < (left + width)[:, None])
    return (rows[:, :, None] & cols[:, None, :])[:, None]


class Cutout(Transform):
    """Zero (``fill``) ``n_holes`` squares of side ``length`` whose centres are uniform over the
    image; squares are clipped at the border (so a box near an edge is smaller)."""

    def __init__(self, length=16, n_holes=1, fill=0.0):
        if not isinstance(length, numbers.Integral) or length <= 0:
            raise ValueError(f"length should be a positive int, got {length!r}")
        if not isinstance(n_holes, numbers.Integral) or n_holes <= 0:
            raise ValueError(f"n_holes should be a positive int, got {n_holes!r}")
        self.length, self.n_holes, self.fill = int(length), int(n_holes), float(fill)

    def _apply(self, x, rng):
        n, _, H, W = x.shape
        mask = np.zeros((n, 1, H, W), dtype=bool)
        boxes = []
        for _ in range(self.n_holes):
            cy, cx = rng.integers(0, H, size=n), rng.integers(0, W, size=n)
            y1, y2 = np.clip(cy - self.length // 2, 0, H), np.clip(cy + self.length // 2, 0, H)
            x1, x2 = np.clip(cx - self.length // 2, 0, W), np.clip(cx + self.length // 2, 0, W)
            boxes.append((y1, x1, y2 - y1, x2 - x1))
            mask |= box_mask((H, W), y1, x1, y2 - y1, x2 - x1)
        self.last_params = boxes
        return np.where(mask, np.asarray(self.fill, dtype=x.dtype), x)


class RandomErasing(Transform):
    """With probability ``p`` erase a box of area fraction ~ U(``scale``) and aspect ratio
    log-uniform in ``ratio``; 10 tries per sample as torchvision (no box fits: unchanged).
    ``value``: a number, a per-channel sequence, or ``'random'`` (standard normal noise)."""

    def __init__(self, p=0.5, scale=(0.02, 0.33), ratio=(0.3, 3.3), value=0, inplace=False):
        self.p = check_prob(p)
        self.scale = check_range(scale, "scale", bound=(0.0, 1.0))
        self.ratio = check_range(ratio, "ratio")
        if self.ratio[0] <= 0:
            raise ValueError(f"ratio should be positive, got {ratio!r}")
        if not (value == "random" or isinstance(value, numbers.Real)
                or (isinstance(value, (tuple, list)) and all(isinstance(v, numbers.Real)
                                                             for v in value))):
            raise ValueError(f"value should be a number, a sequence or 'random', got {value!r}")
        self.value, self.inplace = value, bool(inplace)

    def get_params(self, n, H, W, rng):
        area = H * W
        target = area * rng.uniform(self.scale[0], self.scale[1], size=(n, 10))
        log_r = np.log(self.ratio)
        ar = np.exp(rng.uniform(log_r[0], log_r[1], size=(n, 10)))
        h = np.rint(np.sqrt(target * ar)).astype(np.intp)
        w = np.rint(np.sqrt(target / ar)).astype(np.intp)
        ok = (h < H) & (w < W) & (h > 0) & (w > 0)
        first = np.argmax(ok, axis=1)
        rows = np.arange(n)
        found = ok[rows, first] & (rng.random(n) < self.p)
        h, w = np.where(found, h[rows, first], 0), np.where(found, w[rows, first], 0)
        top = np.floor(rng.random(n) * (H - h + 1)).astype(np.intp)
        left = np.floor(rng.random(n) * (W - w + 1)).astype(np.intp)
        return top, left, h, w

    def _apply(self, x, rng):
        n, ch, H, W = x.shape
        params = self.get_params(n, H, W, rng)
        self.last_params = params
        mask = box_mask((H, W), *params)
        if self.value == "random":
            fill = rng.standard_normal(x.shape).astype(x.dtype)
        else:
            v = np.asarray(self.value, dtype=x.dtype).reshape(-1)
            if v.size not in (1, ch):
                raise ValueError(f"RandomErasing: value has {v.size} entries but the image has "
                                 f"{ch} channels (shape {x.shape})")
            fill = v.reshape(1, -1, 1, 1)
        out = x if self.inplace else x.copy()
        np.copyto(out, np.broadcast_to(fill, x.shape), where=np.broadcast_to(mask, x.shape))
        return out
