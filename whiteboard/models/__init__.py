"""Architectures, each a function returning an ``nn.Module``; build any of them by name."""

from . import (
    alexnet,
    bn_inception,
    densenet,
    googlenet,
    inception,
    inception_resnet_v2,
    inception_v4,
    lenet,
    nin,
    resnet,
    vgg,
)
from .mlp import MLP, mlp
from .registry import get, list_models, needs_images, register
