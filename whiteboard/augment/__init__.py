"""Image data augmentation (torchvision's transform names, arguments and defaults), on NCHW
batches with random parameters drawn per sample (vectorised), or on CHW images; seeded by
``wb.manual_seed``. ``AugmentedLoader`` runs a pipeline on every batch of a ``DataLoader``."""

from .affine import RandomAffine, RandomRotation
from .alexnet import alexnet_crop_count, alexnet_test_crops, alexnet_train_crops
from .colour import (ColorJitter, GaussianBlur, GaussianNoise, Grayscale, RandomAdjustSharpness,
                     RandomGrayscale, adjust_brightness, adjust_contrast, adjust_hue,
                     adjust_saturation, hsv_to_rgb, rgb_to_grayscale, rgb_to_hsv)
from .compose import Compose, RandomApply, RandomChoice
from .geometry import (CenterCrop, FiveCrop, Pad, RandomCrop, RandomHorizontalFlip,
                       RandomResizedCrop, RandomVerticalFlip, Resize, TenCrop)
from .loader import AugmentedLoader
from .mixing import CutMix, Mixup, one_hot
from .normalize import Normalize
from .occlusion import Cutout, RandomErasing
from .pca_lighting import FancyPCA

__all__ = ["Compose", "RandomApply", "RandomChoice", "RandomHorizontalFlip",
           "RandomVerticalFlip", "Pad", "CenterCrop", "RandomCrop", "Resize",
           "RandomResizedCrop", "FiveCrop", "TenCrop", "RandomRotation", "RandomAffine",
           "alexnet_crop_count", "alexnet_train_crops", "alexnet_test_crops", "ColorJitter",
           "GaussianBlur", "GaussianNoise", "Grayscale", "RandomAdjustSharpness",
           "RandomGrayscale", "adjust_brightness", "adjust_contrast", "adjust_hue",
           "adjust_saturation", "hsv_to_rgb", "rgb_to_grayscale", "rgb_to_hsv", "Normalize",
           "AugmentedLoader", "Mixup", "CutMix", "one_hot", "Cutout", "RandomErasing",
           "FancyPCA"]
