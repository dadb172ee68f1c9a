"""Inception v3 against a torch twin written here (torchvision's layout, weights copied)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn as tnn

import whiteboard as wb
from whiteboard import models


class TBasic(tnn.Module):
    def __init__(self, cin, cout, k, stride=1, padding=0):
        super().__init__()
        self.conv = tnn.Conv2d(cin, cout, k, stride=stride, padding=padding, bias=False)
        self.bn = tnn.BatchNorm2d(cout, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


class TA(tnn.Module):
    def __init__(self, cin, pool):
        super().__init__()
        self.branch1x1 = TBasic(cin, 64, 1)
        self.branch5x5_1, self.branch5x5_2 = TBasic(cin, 48, 1), TBasic(48, 64, 5, padding=2)
        self.branch3x3dbl_1 = TBasic(cin, 64, 1)
        self.branch3x3dbl_2 = TBasic(64, 96, 3, padding=1)
        self.branch3x3dbl_3 = TBasic(96, 96, 3, padding=1)
        self.branch_pool = TBasic(cin, pool, 1)

    def forward(self, x):
        return torch.cat([self.branch1x1(x), self.branch5x5_2(self.branch5x5_1(x)),
                          self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x))),
                          self.branch_pool(F.avg_pool2d(x, 3, 1, 1))], 1)


class TB(tnn.Module):
    def __init__(self, cin):
        super().__init__()
        self.branch3x3 = TBasic(cin, 384, 3, stride=2)
        self.branch3x3dbl_1 = TBasic(cin, 64, 1)
        self.branch3x3dbl_2 = TBasic(64, 96, 3, padding=1)
        self.branch3x3dbl_3 = TBasic(96, 96, 3, stride=2)

    def forward(self, x):
        return torch.cat([self.branch3x3(x),
                          self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x))),
                          F.max_pool2d(x, 3, 2)], 1)


class TC(tnn.Module):
    def __init__(self, cin, c7):
        super().__init__()
        self.branch1x1 = TBasic(cin, 192, 1)
        self.branch7x7_1 = TBasic(cin, c7, 1)
        self.branch7x7_2 = TBasic(c7, c7, (1, 7), padding=(0, 3))
        self.branch7x7_3 = TBasic(c7, 192, (7, 1), padding=(3, 0))
        self.branch7x7dbl_1 = TBasic(cin, c7, 1)
        self.branch7x7dbl_2 = TBasic(c7, c7, (7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = TBasic(c7, c7, (1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = TBasic(c7, c7, (7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = TBasic(c7, 192, (1, 7), padding=(0, 3))
        self.branch_pool = TBasic(cin, 192, 1)

    def forward(self, x):
        d = x
        for i in range(1, 6):
            d = getattr(self, f"branch7x7dbl_{i}")(d)
        return torch.cat([self.branch1x1(x),
                          self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x))), d,
                          self.branch_pool(F.avg_pool2d(x, 3, 1, 1))], 1)


class TD(tnn.Module):
    def __init__(self, cin):
        super().__init__()
        self.branch3x3_1, self.branch3x3_2 = TBasic(cin, 192, 1), TBasic(192, 320, 3, stride=2)
        self.branch7x7x3_1 = TBasic(cin, 192, 1)
        self.branch7x7x3_2 = TBasic(192, 192, (1, 7), padding=(0, 3))
        self.branch7x7x3_3 = TBasic(192, 192, (7, 1), padding=(3, 0))
        self.branch7x7x3_4 = TBasic(192, 192, 3, stride=2)

    def forward(self, x):
        b7 = x
        for i in range(1, 5):
            b7 = getattr(self, f"branch7x7x3_{i}")(b7)
        return torch.cat([self.branch3x3_2(self.branch3x3_1(x)), b7, F.max_pool2d(x, 3, 2)], 1)


class TE(tnn.Module):
    def __init__(self, cin):
        super().__init__()
        self.branch1x1 = TBasic(cin, 320, 1)
        self.branch3x3_1 = TBasic(cin, 384, 1)
        self.branch3x3_2a = TBasic(384, 384, (1, 3), padding=(0, 1))
        self.branch3x3_2b = TBasic(384, 384, (3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = TBasic(cin, 448, 1)
        self.branch3x3dbl_2 = TBasic(448, 384, 3, padding=1)
        self.branch3x3dbl_3a = TBasic(384, 384, (1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = TBasic(384, 384, (3, 1), padding=(1, 0))
        self.branch_pool = TBasic(cin, 192, 1)

    def forward(self, x):
        b3 = self.branch3x3_1(x)
        d = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        return torch.cat([self.branch1x1(x),
                          torch.cat([self.branch3x3_2a(b3), self.branch3x3_2b(b3)], 1),
                          torch.cat([self.branch3x3dbl_3a(d), self.branch3x3dbl_3b(d)], 1),
                          self.branch_pool(F.avg_pool2d(x, 3, 1, 1))], 1)


class TAux(tnn.Module):
    def __init__(self, cin, nc):
        super().__init__()
        self.conv0, self.conv1 = TBasic(cin, 128, 1), TBasic(128, 768, 5)
        self.fc = tnn.Linear(768, nc)

    def forward(self, x):
        x = self.conv1(self.conv0(F.avg_pool2d(x, 5, 3)))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class TInception3(tnn.Module):
    def __init__(self, nc=1000, aux=True):
        super().__init__()
        self.Conv2d_1a_3x3 = TBasic(3, 32, 3, stride=2)
        self.Conv2d_2a_3x3 = TBasic(32, 32, 3)
        self.Conv2d_2b_3x3 = TBasic(32, 64, 3, padding=1)
        self.Conv2d_3b_1x1 = TBasic(64, 80, 1)
        self.Conv2d_4a_3x3 = TBasic(80, 192, 3)
        self.Mixed_5b, self.Mixed_5c, self.Mixed_5d = TA(192, 32), TA(256, 64), TA(288, 64)
        self.Mixed_6a = TB(288)
        self.Mixed_6b, self.Mixed_6c = TC(768, 128), TC(768, 160)
        self.Mixed_6d, self.Mixed_6e = TC(768, 160), TC(768, 192)
        self.AuxLogits = TAux(768, nc) if aux else None
        self.Mixed_7a, self.Mixed_7b, self.Mixed_7c = TD(768), TE(1280), TE(2048)
        self.dropout = tnn.Dropout(0.5)
        self.fc = tnn.Linear(2048, nc)

    def forward(self, x):
        x = self.Conv2d_2b_3x3(self.Conv2d_2a_3x3(self.Conv2d_1a_3x3(x)))
        x = self.Conv2d_4a_3x3(self.Conv2d_3b_1x1(F.max_pool2d(x, 3, 2)))
        x = F.max_pool2d(x, 3, 2)
        for name in ("Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c",
                     "Mixed_6d", "Mixed_6e"):
            x = getattr(self, name)(x)
        aux = self.AuxLogits(x) if self.AuxLogits is not None and self.training else None
        x = self.Mixed_7c(self.Mixed_7b(self.Mixed_7a(x)))
        x = self.fc(self.dropout(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)))
        return (x, aux) if aux is not None else x


def _randomise_bn(module, seed=0):
    """Non-trivial running statistics and affine parameters, so eval-mode BN is tested."""
    g = torch.Generator().manual_seed(seed)
    for m in module.modules():
        if isinstance(m, tnn.BatchNorm2d):
            n = m.num_features
            m.running_mean.copy_(0.1 * torch.randn(n, generator=g))
            m.running_var.copy_(0.5 + torch.rand(n, generator=g))
            m.weight.data.copy_(0.5 + torch.rand(n, generator=g))
            m.bias.data.copy_(0.1 * torch.randn(n, generator=g))


def _twins(num_classes, aux):
    torch.manual_seed(0)
    ref = TInception3(num_classes, aux).double()
    _randomise_bn(ref)
    ours = models.get("inception_v3", num_classes=num_classes, aux_logits=aux)
    state = {k: v.detach().numpy().copy() for k, v in ref.state_dict().items()}
    ours.to(wb.float64)
    ours.load_state_dict(state)  # strict: the same names and shapes as torchvision's layout
    return ours, ref


def test_inception_v3_parameter_counts_equal_torchvision():
    for aux, expected in ((True, 27_161_264), (False, 23_834_568)):
        model = models.get("inception_v3", aux_logits=aux)
        assert sum(p.numel() for p in model.parameters()) == expected
        ref = TInception3(1000, aux)
        assert sum(p.numel() for p in ref.parameters()) == expected
        assert list(model.state_dict()) == list(ref.state_dict())


def test_inception_v3_eval_forward_matches_torch_75px():
    """75x75 is the smallest input the main path takes; eval mode: logits only, aux unused."""
    ours, ref = _twins(10, aux=True)
    ours.eval()
    ref.eval()
    x = np.random.default_rng(0).standard_normal((2, 3, 75, 75))
    out = ours(wb.tensor(x))
    assert not isinstance(out, tuple)
    with torch.no_grad():
        expected = ref(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-7, atol=1e-9)


def test_inception_aux_head_matches_torch_on_the_17x17_grid():
    torch.manual_seed(1)
    ref = TAux(768, 7).double()
    _randomise_bn(ref, seed=1)
    ours = models.inception.InceptionAux(768, 7)
    ours.to(wb.float64)
    ours.load_state_dict({k: v.detach().numpy().copy() for k, v in ref.state_dict().items()})
    x = np.random.default_rng(1).standard_normal((2, 768, 17, 17))
    for mode in ("train", "eval"):
        getattr(ours, mode)()
        getattr(ref, mode)()
        xt = torch.from_numpy(x).requires_grad_(True)
        xw = wb.tensor(x, requires_grad=True)
        yt, yw = ref(xt), ours(xw)
        np.testing.assert_allclose(yw.numpy(), yt.detach().numpy(), rtol=1e-7, atol=1e-9)
        yt.sum().backward()
        yw.sum().backward()
        np.testing.assert_allclose(xw.grad.numpy(), xt.grad.numpy(), rtol=1e-7, atol=1e-10)
    ours_state = ours.state_dict()
    for name, buf in ref.state_dict().items():  # running statistics after the train pass
        np.testing.assert_allclose(np.asarray(ours_state[name]), buf.numpy(), rtol=1e-7,
                                   atol=1e-10, err_msg=name)


def test_inception_v3_aux_only_in_training():
    model = models.get("inception_v3", num_classes=5)
    assert model.AuxLogits is not None
    assert models.get("inception_v3", aux_logits=False).AuxLogits is None
    model.eval()
    assert model(wb.zeros(1, 3, 75, 75)).shape == (1, 5)


@pytest.mark.slow
def test_inception_v3_train_forward_with_aux_matches_torch_299px():
    ours, ref = _twins(10, aux=True)
    ours.train()
    ref.train()
    ours.dropout.p = ref.dropout.p = 0.0  # dropout masks are drawn by different generators
    x = np.random.default_rng(2).standard_normal((2, 3, 299, 299))
    out = ours(wb.tensor(x))
    assert isinstance(out, models.inception.InceptionOutputs)
    logits, aux = ref(torch.from_numpy(x))
    np.testing.assert_allclose(out.logits.numpy(), logits.detach().numpy(), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(out.aux_logits.numpy(), aux.detach().numpy(), rtol=1e-6,
                               atol=1e-8)
    ours.eval()
    ref.eval()
    with torch.no_grad():
        expected = ref(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(ours(wb.tensor(x)).numpy(), expected, rtol=1e-6, atol=1e-8)


def test_inception_v3_macs_match_torchvision():
    from whiteboard.inspect import summary

    model = models.get("inception_v3", aux_logits=False)
    model.eval()
    # torchvision's model table: Inception_V3 5.71 GFLOPS (multiply-adds) at 299x299
    assert summary(model, (3, 299, 299)).total_macs == pytest.approx(5.71e9, rel=1e-3)
