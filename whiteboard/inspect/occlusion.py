"""Occlusion sensitivity (Zeiler & Fergus 2014): slide a grey patch over the image and record
how the model's score for a class changes.

For an image x (C, H, W), patch size (ph, pw), stride s and fill value g, position (i, j) gives
the occluded image x⁽ⁱʲ⁾ = x with x[:, i·s : i·s + ph, j·s : j·s + pw] = g, and

    map[i, j] = score(x⁽ⁱʲ⁾)[target],   i < (H − ph)//s + 1,  j < (W − pw)//s + 1,

where score is the softmax probability (``score='prob'``) or the raw output (``'logit'``).
``drop = score(x)[target] − map`` is high where the region matters. All occluded copies are built
at once by broadcasting a (P, 1, H, W) mask, and scored in batches.
"""

from __future__ import annotations

import numpy as np

from ..autograd import Tensor, no_grad, tensor

__all__ = ["occlusion_map"]


def _pair(v, name):
    if isinstance(v, (int, np.integer)):
        v = (int(v), int(v))
    v = tuple(int(a) for a in v)
    if len(v) != 2 or min(v) < 1:
        raise ValueError(f"{name} must be a positive int or a pair of them, got {v!r}")
    return v


def _scores(model, batch, score):
    out = model(tensor(batch)).numpy()
    if score == "prob":
        z = out - out.max(axis=1, keepdims=True)
        e = np.exp(z)
        out = e / e.sum(axis=1, keepdims=True)
    return out


def occlusion_map(model, image, target, patch=4, stride=1, fill=0.0, score="prob",
                  batch_size=256):
    """``(map, base)``: the target's score with the patch at every position, and unoccluded.

    ``image``: (C, H, W) array/Tensor; ``target``: class index; ``model`` maps (N, C, H, W) to
    (N, classes). ``fill`` is the patch value (e.g. the data mean, 0 for a black patch).
    """
    x = image.numpy() if isinstance(image, Tensor) else np.asarray(image)
    if x.ndim != 3:
        raise ValueError(f"occlusion_map: image must be (C, H, W), got shape {x.shape}")
    if score not in ("prob", "logit"):
        raise ValueError(f"score must be 'prob' or 'logit', got {score!r}")
    (ph, pw), (sh, sw) = _pair(patch, "patch"), _pair(stride, "stride")
    _, H, W = x.shape
    if ph > H or pw > W:
        raise ValueError(f"patch {ph}x{pw} is larger than the image {H}x{W}")
    nh, nw = (H - ph) // sh + 1, (W - pw) // sw + 1
    rows = (np.arange(nh) * sh)[:, None] + np.arange(ph)[None]       # (nh, ph)
    cols = (np.arange(nw) * sw)[:, None] + np.arange(pw)[None]       # (nw, pw)
    in_rows = np.zeros((nh, H), bool)
    in_rows[np.arange(nh)[:, None], rows] = True
    in_cols = np.zeros((nw, W), bool)
    in_cols[np.arange(nw)[:, None], cols] = True
    mask = (in_rows[:, None, :, None] & in_cols[None, :, None, :]).reshape(nh * nw, 1, H, W)
    with no_grad():
        base = float(_scores(model, x[None], score)[0, target])
        out = np.empty(nh * nw)
        for start in range(0, nh * nw, batch_size):
            m = mask[start:start + batch_size]
            batch = np.where(m, np.asarray(fill, dtype=x.dtype), x[None]).astype(x.dtype)
            out[start:start + len(m)] = _scores(model, batch, score)[:, target]
    return out.reshape(nh, nw), base
