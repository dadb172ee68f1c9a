"""Inception-ResNet-v2 against its torch twin (tests/models/torch_inception_twins.py)."""

import numpy as np
import pytest

import whiteboard as wb
from whiteboard import models

from .test_inception_v4 import compare_forward, twins
from .torch_inception_twins import InceptionResNetV2 as TInceptionResNetV2


def test_inception_resnet_v2_parameter_count():
    model = models.get("inception_resnet_v2")
    assert sum(p.numel() for p in model.parameters()) == 55_843_464  # 55.84M
    ref = TInceptionResNetV2()
    assert [(k, tuple(v.shape)) for k, v in ref.state_dict().items()] == \
        [(k, tuple(np.shape(v))) for k, v in model.state_dict().items()]


def test_inception_resnet_v2_small_config_matches_torch():
    ours, ref = twins("inception_resnet_v2", TInceptionResNetV2, 5, (1, 1, 1))
    compare_forward(ours, ref, 75)


def test_residual_block_is_scaled_and_the_last_is_linear():
    block = models.inception_resnet_v2.Block35()
    assert block.scale == 0.17 and block.conv2d.bias is not None
    for p in block.conv2d.parameters():
        p.data = np.zeros_like(p.data)
    block.eval()
    x = wb.randn(1, 320, 5, 5)
    np.testing.assert_allclose(block(x).numpy(), np.maximum(x.numpy(), 0))  # relu(x + 0)
    last = models.get("inception_resnet_v2", blocks=(1, 1, 1)).block8
    assert last.scale == 1.0 and last.relu is None


@pytest.mark.slow
def test_inception_resnet_v2_full_size_matches_torch_299px():
    ours, ref = twins("inception_resnet_v2", TInceptionResNetV2, 1000, (10, 20, 9))
    compare_forward(ours, ref, 299, batch=1, grad=False)
