"""BN-Inception against a torch twin written here (Figure 5's layout, weights copied)."""

import torch
import torch.nn.functional as F
from torch import nn as tnn

import whiteboard as wb
from whiteboard import models, nn

from .test_inception_v4 import compare_forward

ROWS = [  # Ioffe & Szegedy 2015, Figure 5
    ("inception_3a", 192, 64, 64, 64, 64, 96, "avg", 32),
    ("inception_3b", 256, 64, 64, 96, 64, 96, "avg", 64),
    ("inception_3c", 320, 0, 128, 160, 64, 96, "pass", 0),
    ("inception_4a", 576, 224, 64, 96, 96, 128, "avg", 128),
    ("inception_4b", 576, 192, 96, 128, 96, 128, "avg", 128),
    ("inception_4c", 576, 160, 128, 160, 128, 160, "avg", 128),
    ("inception_4d", 608, 96, 128, 192, 160, 192, "avg", 128),
    ("inception_4e", 608, 0, 128, 192, 192, 256, "pass", 0),
    ("inception_5a", 1056, 352, 192, 320, 160, 224, "avg", 128),
    ("inception_5b", 1024, 352, 192, 320, 192, 224, "max", 128),
]
OUT = {"inception_3a": 256, "inception_3b": 320, "inception_3c": 576, "inception_4a": 576,
       "inception_4b": 576, "inception_4c": 608, "inception_4d": 608, "inception_4e": 1056,
       "inception_5a": 1024, "inception_5b": 1024}


class TConvBN(tnn.Module):
    def __init__(self, cin, cout, k, stride=1, padding=0):
        super().__init__()
        self.conv = tnn.Conv2d(cin, cout, k, stride, padding)
        self.bn = tnn.BatchNorm2d(cout)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class TModule(tnn.Module):
    def __init__(self, cin, c1, r3, c3, rd, d3, pool, proj):
        super().__init__()
        s = 2 if pool == "pass" else 1
        self.pool = pool
        self.branch1x1 = TConvBN(cin, c1, 1) if c1 else None
        self.branch3x3 = tnn.Sequential(TConvBN(cin, r3, 1), TConvBN(r3, c3, 3, s, 1))
        self.branch3x3dbl = tnn.Sequential(TConvBN(cin, rd, 1), TConvBN(rd, d3, 3, 1, 1),
                                           TConvBN(d3, d3, 3, s, 1))
        if pool != "pass":
            self.branch_pool = tnn.Sequential(tnn.Identity(), TConvBN(cin, proj, 1))

    def forward(self, x):
        outs = [] if self.branch1x1 is None else [self.branch1x1(x)]
        outs += [self.branch3x3(x), self.branch3x3dbl(x)]
        if self.pool == "pass":
            outs.append(F.max_pool2d(x, 3, 2, ceil_mode=True))
        elif self.pool == "avg":
            outs.append(self.branch_pool(F.avg_pool2d(x, 3, 1, 1, ceil_mode=True)))
        else:
            outs.append(self.branch_pool(F.max_pool2d(x, 3, 1, 1, ceil_mode=True)))
        return torch.cat(outs, 1)


class TBNInception(tnn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        self.stem = tnn.Sequential(TConvBN(3, 64, 7, 2, 3), tnn.MaxPool2d(3, 2, ceil_mode=True),
                                   TConvBN(64, 64, 1), TConvBN(64, 192, 3, 1, 1),
                                   tnn.MaxPool2d(3, 2, ceil_mode=True))
        for name, *row in ROWS:
            setattr(self, name, TModule(*row))
        self.fc = tnn.Linear(1024, num_classes)

    def forward(self, x):
        x = self.stem(x)
        for name, *_ in ROWS:
            x = getattr(self, name)(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def _conv(cin, cout, k):
    return cin * cout * k * k + cout + 2 * cout  # weights, bias, BN gamma and beta


def test_bn_inception_layout_and_parameter_count():
    model = models.get("bn_inception")
    for name, channels in OUT.items():
        assert getattr(model, name).out_channels == channels
    # 3a by hand: 1x1 64; 1x1 64 -> 3x3 64; 1x1 64 -> 3x3 96 -> 3x3 96; avg pool -> 1x1 32
    expected_3a = _conv(192, 64, 1) + _conv(192, 64, 1) + _conv(64, 64, 3) + _conv(192, 64, 1) \
        + _conv(64, 96, 3) + _conv(96, 96, 3) + _conv(192, 32, 1)
    assert sum(p.numel() for p in model.inception_3a.parameters()) == expected_3a
    conv = sum(p.numel() for m in model.modules() if isinstance(m, nn.Conv2d)
               for p in m.parameters())
    bn = sum(p.numel() for m in model.modules() if isinstance(m, nn.BatchNorm2d)
             for p in m.parameters())
    assert (conv, bn, 1024 * 1000 + 1000) == (10_250_208, 20_032, 1_025_000)
    assert sum(p.numel() for p in model.parameters()) == 11_295_240
    assert sum(p.numel() for p in TBNInception().parameters()) == 11_295_240
    assert list(model.state_dict()) == list(TBNInception().state_dict())


def test_bn_inception_forward_and_input_gradient_match_torch():
    torch.manual_seed(0)
    ref = TBNInception(6).double()
    g = torch.Generator().manual_seed(0)
    for m in ref.modules():
        if isinstance(m, tnn.BatchNorm2d):
            m.running_mean.copy_(0.1 * torch.randn(m.num_features, generator=g))
            m.running_var.copy_(0.5 + torch.rand(m.num_features, generator=g))
    ours = models.get("bn_inception", num_classes=6)
    ours.to(wb.float64)
    ours.load_state_dict({k: v.detach().numpy().copy() for k, v in ref.state_dict().items()})
    compare_forward(ours, ref, 64)
