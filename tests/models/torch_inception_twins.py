"""Torch twins of Inception-v4 and Inception-ResNet-v2, written for the tests (torchvision has
neither, and is not installed): the same module names, so state dicts copy over one to one."""

import torch
import torch.nn.functional as F
from torch import nn


class Basic(nn.Module):
    def __init__(self, cin, cout, k, stride=1, padding=0):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=padding, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


def chain(*specs):
    return nn.Sequential(*(Basic(*s) for s in specs))


class AvgConv(nn.Sequential):
    """Module index 0 is the (parameter-free) pool, so the conv is '1', as in whiteboard."""

    def __init__(self, cin, cout):
        super().__init__(nn.AvgPool2d(3, 1, 1, count_include_pad=False), Basic(cin, cout, 1))


class Cat(nn.Module):
    """Runs the named branches on the same input and concatenates them on channels."""
    order = ()

    def forward(self, x):
        return torch.cat([getattr(self, n)(x) for n in self.order], 1)


class Stem3a(Cat):
    order = ("maxpool", "conv")

    def __init__(self):
        super().__init__()
        self.maxpool, self.conv = nn.MaxPool2d(3, 2), Basic(64, 96, 3, 2)


class Stem4a(Cat):
    order = ("branch0", "branch1")

    def __init__(self):
        super().__init__()
        self.branch0 = chain((160, 64, 1), (64, 96, 3))
        self.branch1 = chain((160, 64, 1), (64, 64, (1, 7), 1, (0, 3)), (64, 64, (7, 1), 1, (3, 0)),
                             (64, 96, 3))


class Stem5a(Cat):
    order = ("conv", "maxpool")

    def __init__(self):
        super().__init__()
        self.conv, self.maxpool = Basic(192, 192, 3, 2), nn.MaxPool2d(3, 2)


class V4A(Cat):
    order = ("branch0", "branch1", "branch2", "branch3")

    def __init__(self):
        super().__init__()
        self.branch0 = Basic(384, 96, 1)
        self.branch1 = chain((384, 64, 1), (64, 96, 3, 1, 1))
        self.branch2 = chain((384, 64, 1), (64, 96, 3, 1, 1), (96, 96, 3, 1, 1))
        self.branch3 = AvgConv(384, 96)


class V4RedA(Cat):
    order = ("branch0", "branch1", "branch2")

    def __init__(self):
        super().__init__()
        self.branch0 = Basic(384, 384, 3, 2)
        self.branch1 = chain((384, 192, 1), (192, 224, 3, 1, 1), (224, 256, 3, 2))
        self.branch2 = nn.MaxPool2d(3, 2)


class V4B(Cat):
    order = ("branch0", "branch1", "branch2", "branch3")

    def __init__(self):
        super().__init__()
        self.branch0 = Basic(1024, 384, 1)
        self.branch1 = chain((1024, 192, 1), (192, 224, (1, 7), 1, (0, 3)),
                             (224, 256, (7, 1), 1, (3, 0)))
        self.branch2 = chain((1024, 192, 1), (192, 192, (7, 1), 1, (3, 0)),
                             (192, 224, (1, 7), 1, (0, 3)), (224, 224, (7, 1), 1, (3, 0)),
                             (224, 256, (1, 7), 1, (0, 3)))
        self.branch3 = AvgConv(1024, 128)


class V4RedB(Cat):
    order = ("branch0", "branch1", "branch2")

    def __init__(self):
        super().__init__()
        self.branch0 = chain((1024, 192, 1), (192, 192, 3, 2))
        self.branch1 = chain((1024, 256, 1), (256, 256, (1, 7), 1, (0, 3)),
                             (256, 320, (7, 1), 1, (3, 0)), (320, 320, 3, 2))
        self.branch2 = nn.MaxPool2d(3, 2)


class V4C(nn.Module):
    def __init__(self):
        super().__init__()
        self.branch0 = Basic(1536, 256, 1)
        self.branch1_0 = Basic(1536, 384, 1)
        self.branch1_1a = Basic(384, 256, (1, 3), 1, (0, 1))
        self.branch1_1b = Basic(384, 256, (3, 1), 1, (1, 0))
        self.branch2_0 = chain((1536, 384, 1), (384, 448, (3, 1), 1, (1, 0)),
                               (448, 512, (1, 3), 1, (0, 1)))
        self.branch2_1a = Basic(512, 256, (1, 3), 1, (0, 1))
        self.branch2_1b = Basic(512, 256, (3, 1), 1, (1, 0))
        self.branch3 = AvgConv(1536, 256)

    def forward(self, x):
        b1, b2 = self.branch1_0(x), self.branch2_0(x)
        return torch.cat([self.branch0(x), self.branch1_1a(b1), self.branch1_1b(b1),
                          self.branch2_1a(b2), self.branch2_1b(b2), self.branch3(x)], 1)


class InceptionV4(nn.Module):
    def __init__(self, num_classes=1000, blocks=(4, 7, 3)):
        super().__init__()
        a, b, c = blocks
        self.features = nn.Sequential(
            Basic(3, 32, 3, 2), Basic(32, 32, 3), Basic(32, 64, 3, 1, 1), Stem3a(), Stem4a(),
            Stem5a(), *(V4A() for _ in range(a)), V4RedA(), *(V4B() for _ in range(b)),
            V4RedB(), *(V4C() for _ in range(c)))
        self.last_linear = nn.Linear(1536, num_classes)

    def forward(self, x):
        return self.last_linear(torch.flatten(F.adaptive_avg_pool2d(self.features(x), 1), 1))


class Mixed5b(Cat):
    order = ("branch0", "branch1", "branch2", "branch3")

    def __init__(self):
        super().__init__()
        self.branch0 = Basic(192, 96, 1)
        self.branch1 = chain((192, 48, 1), (48, 64, 5, 1, 2))
        self.branch2 = chain((192, 64, 1), (64, 96, 3, 1, 1), (96, 96, 3, 1, 1))
        self.branch3 = AvgConv(192, 64)


class Mixed6a(Cat):
    order = ("branch0", "branch1", "branch2")

    def __init__(self):
        super().__init__()
        self.branch0 = Basic(320, 384, 3, 2)
        self.branch1 = chain((320, 256, 1), (256, 256, 3, 1, 1), (256, 384, 3, 2))
        self.branch2 = nn.MaxPool2d(3, 2)


class Mixed7a(Cat):
    order = ("branch0", "branch1", "branch2", "branch3")

    def __init__(self):
        super().__init__()
        self.branch0 = chain((1088, 256, 1), (256, 384, 3, 2))
        self.branch1 = chain((1088, 256, 1), (256, 288, 3, 2))
        self.branch2 = chain((1088, 256, 1), (256, 288, 3, 1, 1), (288, 320, 3, 2))
        self.branch3 = nn.MaxPool2d(3, 2)


class Residual(nn.Module):
    def __init__(self, scale, relu, concat, channels, branches):
        super().__init__()
        self.scale, self.use_relu, self.names = scale, relu, list(branches)
        for name, module in branches.items():
            setattr(self, name, module)
        self.conv2d = nn.Conv2d(concat, channels, 1)

    def forward(self, x):
        out = x + self.scale * self.conv2d(torch.cat([getattr(self, n)(x) for n in self.names], 1))
        return F.relu(out) if self.use_relu else out


def block35():
    return Residual(0.17, True, 128, 320, {
        "branch0": Basic(320, 32, 1), "branch1": chain((320, 32, 1), (32, 32, 3, 1, 1)),
        "branch2": chain((320, 32, 1), (32, 48, 3, 1, 1), (48, 64, 3, 1, 1))})


def block17():
    return Residual(0.10, True, 384, 1088, {
        "branch0": Basic(1088, 192, 1),
        "branch1": chain((1088, 128, 1), (128, 160, (1, 7), 1, (0, 3)),
                         (160, 192, (7, 1), 1, (3, 0)))})


def block8(scale=0.20, relu=True):
    return Residual(scale, relu, 448, 2080, {
        "branch0": Basic(2080, 192, 1),
        "branch1": chain((2080, 192, 1), (192, 224, (1, 3), 1, (0, 1)),
                         (224, 256, (3, 1), 1, (1, 0)))})


class InceptionResNetV2(nn.Module):
    def __init__(self, num_classes=1000, blocks=(10, 20, 9)):
        super().__init__()
        a, b, c = blocks
        self.conv2d_1a, self.conv2d_2a = Basic(3, 32, 3, 2), Basic(32, 32, 3)
        self.conv2d_2b = Basic(32, 64, 3, 1, 1)
        self.conv2d_3b, self.conv2d_4a = Basic(64, 80, 1), Basic(80, 192, 3)
        self.mixed_5b = Mixed5b()
        self.repeat = nn.Sequential(*(block35() for _ in range(a)))
        self.mixed_6a = Mixed6a()
        self.repeat_1 = nn.Sequential(*(block17() for _ in range(b)))
        self.mixed_7a = Mixed7a()
        self.repeat_2 = nn.Sequential(*(block8() for _ in range(c)))
        self.block8 = block8(1.0, False)
        self.conv2d_7b = Basic(2080, 1536, 1)
        self.last_linear = nn.Linear(1536, num_classes)

    def forward(self, x):
        x = F.max_pool2d(self.conv2d_2b(self.conv2d_2a(self.conv2d_1a(x))), 3, 2)
        x = F.max_pool2d(self.conv2d_4a(self.conv2d_3b(x)), 3, 2)
        x = self.repeat_1(self.mixed_6a(self.repeat(self.mixed_5b(x))))
        x = self.conv2d_7b(self.block8(self.repeat_2(self.mixed_7a(x))))
        return self.last_linear(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))
