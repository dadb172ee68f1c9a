"""AlexNet's crop scheme (Krizhevsky et al. 2012, §4.1): random 224x224 crops of the 256x256
images plus their horizontal mirrors for training, the ten-crop average at test time.

The paper counts "2048" training views (32² · 2); a 224 window has ``256 − 224 + 1 = 33``
positions per axis, so the exact number of distinct views is ``33² · 2 = 2178`` (ERRATA E22).
"""

from __future__ import annotations

from .compose import Compose
from .geometry import RandomCrop, RandomHorizontalFlip, TenCrop

__all__ = ["alexnet_crop_count", "alexnet_train_crops", "alexnet_test_crops"]


def alexnet_crop_count(image_size=256, crop_size=224, mirror=True):
    """Distinct crops: ``(image_size − crop_size + 1)² · (2 if mirror else 1)``; 2178 by default."""
    if not (isinstance(image_size, int) and isinstance(crop_size, int)) or crop_size < 1:
        raise ValueError(f"image_size and crop_size should be positive ints, got {image_size!r}, "
                         f"{crop_size!r}")
    if crop_size > image_size:
        raise ValueError(f"crop_size {crop_size} is larger than image_size {image_size}")
    return (image_size - crop_size + 1) ** 2 * (2 if mirror else 1)


def alexnet_train_crops(crop_size=224):
    """``Compose([RandomCrop(crop_size), RandomHorizontalFlip()])`` (per-sample crops and flips)."""
    return Compose([RandomCrop(crop_size), RandomHorizontalFlip()])


def alexnet_test_crops(crop_size=224):
    """``TenCrop(crop_size)``: the four corners, the centre and their mirrors; average the ten
    predictions."""
    return TenCrop(crop_size)
