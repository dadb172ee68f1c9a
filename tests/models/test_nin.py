"""Network in Network against a torch twin written here (weights copied)."""

import numpy as np
import torch
from torch import nn as tnn

import whiteboard as wb
from whiteboard import models


def _torch_nin(num_classes=10):
    def block(cin, cout, k, mlp, pad):
        layers, c = [tnn.Conv2d(cin, cout, k, padding=pad), tnn.ReLU()], cout
        for w in mlp:
            layers += [tnn.Conv2d(c, w, 1), tnn.ReLU()]
            c = w
        return tnn.Sequential(*layers)

    features = tnn.Sequential(
        block(3, 192, 5, (160, 96), 2), tnn.MaxPool2d(3, 2, ceil_mode=True), tnn.Dropout(0.5),
        block(96, 192, 5, (192, 192), 2), tnn.AvgPool2d(3, 2, ceil_mode=True), tnn.Dropout(0.5),
        block(192, 192, 3, (192, num_classes), 1))
    net = tnn.Module()
    net.features = features
    net.forward = lambda x: torch.flatten(tnn.functional.adaptive_avg_pool2d(features(x), 1), 1)
    return net


def test_nin_parameter_count_layer_by_layer():
    model = models.get("nin")
    convs = [m for m in model.modules() if isinstance(m, wb.nn.Conv2d)]
    per_layer = [sum(p.numel() for p in m.parameters()) for m in convs]
    assert per_layer == [14_592, 30_880, 15_456, 460_992, 37_056, 37_056, 331_968, 37_056,
                         1_930]
    assert sum(p.numel() for p in model.parameters()) == 966_986
    assert not any(isinstance(m, wb.nn.Linear) for m in model.modules())  # GAP, no FC


def test_nin_forward_and_gradients_match_torch():
    torch.manual_seed(0)
    ref = _torch_nin().double()
    ours = models.get("nin")
    ours.to(wb.float64)
    ours.load_state_dict({k: v.detach().numpy().copy() for k, v in ref.state_dict().items()})
    ours.eval()
    ref.eval()
    x = np.random.default_rng(0).standard_normal((2, 3, 32, 32))
    xt = torch.from_numpy(x).requires_grad_(True)
    xw = wb.tensor(x, requires_grad=True)
    yt, yw = ref.forward(xt), ours(xw)
    assert yw.shape == (2, 10)
    np.testing.assert_allclose(yw.numpy(), yt.detach().numpy(), rtol=1e-8, atol=1e-10)
    yt.pow(2).sum().backward()
    (yw * yw).sum().backward()
    np.testing.assert_allclose(xw.grad.numpy(), xt.grad.numpy(), rtol=1e-7, atol=1e-10)
    w_t = ref.features[0][0].weight.grad.numpy()
    np.testing.assert_allclose(ours.features[0][0].weight.grad.numpy(), w_t, rtol=1e-7,
                               atol=1e-10)


def test_nin_logit_is_the_mean_of_its_class_map():
    model = models.get("nin", num_classes=4)
    model.eval()
    x = wb.randn(1, 3, 32, 32)
    maps = model.features(x).numpy()
    assert maps.shape == (1, 4, 8, 8)
    np.testing.assert_allclose(model(x).numpy(), maps.mean(axis=(2, 3)), rtol=1e-6)
