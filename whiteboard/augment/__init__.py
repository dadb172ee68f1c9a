"""Image data augmentation (torchvision's transform names, arguments and defaults), on NCHW
batches with random parameters drawn per sample, or on CHW images."""

from .affine import RandomAffine, RandomRotation
from .compose import Compose, RandomApply, RandomChoice
from .geometry import (CenterCrop, FiveCrop, Pad, RandomCrop, RandomHorizontalFlip,
                       RandomResizedCrop, RandomVerticalFlip, Resize, TenCrop)

__all__ = ["Compose", "RandomApply", "RandomChoice", "RandomHorizontalFlip",
           "RandomVerticalFlip", "Pad", "CenterCrop", "RandomCrop", "Resize",
           "RandomResizedCrop", "FiveCrop", "TenCrop", "RandomRotation", "RandomAffine"]
