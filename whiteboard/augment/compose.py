"""``Compose``, ``RandomApply``, ``RandomChoice`` (torchvision's names and arguments).

On a batch, ``RandomApply`` and ``RandomChoice`` decide per sample: the chosen transform runs once
on the sub-batch of the samples that picked it (one call per transform, not per sample), so the
transforms they wrap must keep the image shape.
"""

from __future__ import annotations

import numpy as np

from ._base import Transform, as_batch, check_prob, wrap

__all__ = ["Compose", "RandomApply", "RandomChoice"]


def _check_transforms(transforms, name):
    if not isinstance(transforms, (list, tuple)) or not transforms:
        raise ValueError(f"{name}: transforms should be a non-empty list, got {transforms!r}")
    for t in transforms:
        if not callable(t):
            raise ValueError(f"{name}: every transform should be callable, got {t!r}")
    return list(transforms)


def _run_subset(fn, x, mask, name):
    """``x`` with ``fn`` applied to ``x[mask]`` (shape must be kept)."""
    if not mask.any():
        return x
    out = x.copy()
    sub = fn(x[mask])
    if sub.shape != x[mask].shape:
        raise ValueError(f"{name}: a transform changed the image shape from {x[mask].shape} to "
                         f"{sub.shape}; only shape-keeping transforms can be applied per sample")
    out[mask] = sub
    return out


class Compose:
    """Apply ``transforms`` one after the other: ``Compose([f, g])(x) = g(f(x))``."""

    def __init__(self, transforms):
        self.transforms = _check_transforms(transforms, "Compose")

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img

    def __repr__(self):
        inner = "".join(f"\n    {t!r}," for t in self.transforms)
        return f"Compose([{inner}\n])"


class RandomApply(Transform):
    """Apply the list of ``transforms`` (in order) with probability ``p`` (default 0.5),
    per sample."""

    def __init__(self, transforms, p=0.5):
        self.transforms = _check_transforms(transforms, "RandomApply")
        self.p = check_prob(p)

    def _apply(self, x, rng):
        mask = rng.random(len(x)) < self.p
        return _run_subset(Compose(self.transforms), x, mask, "RandomApply")


class RandomChoice(Transform):
    """Apply one of ``transforms``, picked per sample with probabilities ``p`` (default uniform)."""

    def __init__(self, transforms, p=None):
        self.transforms = _check_transforms(transforms, "RandomChoice")
        if p is not None:
            p = np.asarray(p, dtype=float)
            if p.shape != (len(self.transforms),) or (p < 0).any() or p.sum() <= 0:
                raise ValueError(f"RandomChoice: p should be {len(self.transforms)} non-negative "
                                 f"weights, got {p!r}")
            p = p / p.sum()
        self.p = p

    def __call__(self, img):
        x4, single, was_tensor = as_batch(img, "RandomChoice input")
        from .. import backend

        rng = backend.get_rng()
        k = rng.choice(len(self.transforms), size=len(x4), p=self.p)
        out = x4
        for i, t in enumerate(self.transforms):
            out = _run_subset(t, out, k == i, "RandomChoice")
        return wrap(out, single, was_tensor)
