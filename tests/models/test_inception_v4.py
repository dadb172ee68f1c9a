"""Inception-v4 against its torch twin (tests/models/torch_inception_twins.py), weights copied."""

import numpy as np
import pytest
import torch

import whiteboard as wb
from whiteboard import models

from .torch_inception_twins import InceptionV4 as TInceptionV4


def _randomise_bn(module, seed=0):
    g = torch.Generator().manual_seed(seed)
    for m in module.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            n = m.num_features
            m.running_mean.copy_(0.1 * torch.randn(n, generator=g))
            m.running_var.copy_(0.5 + torch.rand(n, generator=g))
            m.weight.data.copy_(0.5 + torch.rand(n, generator=g))
            m.bias.data.copy_(0.1 * torch.randn(n, generator=g))


def twins(name, ref_cls, num_classes, blocks, seed=0):
    torch.manual_seed(seed)
    ref = ref_cls(num_classes, blocks).double()
    _randomise_bn(ref, seed)
    ours = models.get(name, num_classes=num_classes, blocks=blocks)
    ours.to(wb.float64)
    ours.load_state_dict({k: v.detach().numpy().copy() for k, v in ref.state_dict().items()})
    return ours, ref


def compare_forward(ours, ref, size, batch=2, seed=0, grad=True):
    """Eval-mode logits equal torch's; with ``grad``, train-mode input gradients too."""
    x = np.random.default_rng(seed).standard_normal((batch, 3, size, size))
    ours.eval()
    ref.eval()
    with torch.no_grad():
        expected = ref(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(ours(wb.tensor(x)).numpy(), expected, rtol=1e-7, atol=1e-9)
    if grad:
        ours.train()
        ref.train()
        if getattr(ours, "dropout", None) is not None:
            ours.dropout.p = 0.0  # dropout masks come from different generators
        xt = torch.from_numpy(x).requires_grad_(True)
        xw = wb.tensor(x, requires_grad=True)
        yt, yw = ref(xt), ours(xw)
        np.testing.assert_allclose(yw.numpy(), yt.detach().numpy(), rtol=1e-7, atol=1e-9)
        (yt * yt).sum().backward()
        (yw * yw).sum().backward()
        np.testing.assert_allclose(xw.grad.numpy(), xt.grad.numpy(), rtol=1e-6, atol=1e-9)


def test_inception_v4_parameter_count():
    model = models.get("inception_v4")
    assert sum(p.numel() for p in model.parameters()) == 42_679_816  # 42.68M
    ref = TInceptionV4()
    assert [(k, tuple(v.shape)) for k, v in ref.state_dict().items()] == \
        [(k, tuple(np.shape(v))) for k, v in model.state_dict().items()]


def test_inception_v4_small_config_matches_torch():
    ours, ref = twins("inception_v4", TInceptionV4, 5, (1, 1, 1))
    compare_forward(ours, ref, 75)


@pytest.mark.slow
def test_inception_v4_full_size_matches_torch_299px():
    ours, ref = twins("inception_v4", TInceptionV4, 1000, (4, 7, 3))
    compare_forward(ours, ref, 299, batch=1, grad=False)
