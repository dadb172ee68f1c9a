"""Architectures: published parameter counts, stage shapes, MACs, and the blocks' semantics."""

import numpy as np
import pytest

import whiteboard as wb
from whiteboard import models, nn
from whiteboard.inspect import summary

# Published counts (papers / the reference implementations) at 1000 classes.
PUBLISHED = {
    ("alexnet", ()): 62_378_344,
    ("alexnet", (("two_tower", True),)): 60_965_224,
    ("vgg11", ()): 132_863_336,
    ("vgg13", ()): 133_047_848,
    ("vgg16", ()): 138_357_544,
    ("vgg19", ()): 143_667_240,
    ("vgg11_bn", ()): 132_868_840,
    ("vgg16_bn", ()): 138_365_992,
    ("resnet18", ()): 11_689_512,
    ("resnet34", ()): 21_797_672,
    ("resnet50", ()): 25_557_032,
    ("resnet50", (("stride_on", "1x1"),)): 25_557_032,
    ("resnet101", ()): 44_549_160,
    ("resnet152", ()): 60_192_808,
    ("resnext50_32x4d", ()): 25_028_904,
    ("resnext101_32x8d", ()): 88_791_336,
    ("se_resnet50", ()): 28_088_024,
    ("densenet121", ()): 7_978_856,
    ("densenet169", ()): 14_149_480,
    ("densenet201", ()): 20_013_928,
}


# the largest ones take seconds each to allocate and initialise: run with -m slow
HEAVY = {"vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg16_bn", "resnet101", "resnet152",
         "resnext101_32x8d"}


@pytest.mark.parametrize("name,kw", [
    pytest.param(n, kw, marks=pytest.mark.slow) if n in HEAVY else (n, kw)
    for n, kw in sorted(PUBLISHED)
], ids=str)
def test_parameter_counts_equal_published(name, kw):
    model = models.get(name, **dict(kw))
    assert sum(p.numel() for p in model.parameters()) == PUBLISHED[(name, kw)]


def test_lenet5_count_and_shapes():
    model = models.get("lenet5")
    assert sum(p.numel() for p in model.parameters()) == 61_706
    s = summary(model, (1, 32, 32))
    convs = [r.output_shape for r in s.rows if r.type in ("Conv2d", "AvgPool2d")]
    assert convs == [(6, 28, 28), (6, 14, 14), (16, 10, 10), (16, 5, 5)]


def test_googlenet_modules_follow_the_paper_table():
    model = models.get("googlenet")
    table = {  # Szegedy et al. 2014, Table 1: output channels per Inception module
        "inception3a": 256, "inception3b": 480, "inception4a": 512, "inception4b": 512,
        "inception4c": 512, "inception4d": 528, "inception4e": 832, "inception5a": 832,
        "inception5b": 1024,
    }
    for name, channels in table.items():
        assert getattr(model, name).out_channels == channels
    # 3a by hand: 1x1 64; 1x1 96 -> 3x3 128; 1x1 16 -> 5x5 32; pool -> 1x1 32 (with biases)
    expected_3a = (192 * 64 + 64) + (192 * 96 + 96) + (96 * 128 * 9 + 128) + (192 * 16 + 16) \
        + (16 * 32 * 25 + 32) + (192 * 32 + 32)
    assert sum(p.numel() for p in model.inception3a.parameters()) == expected_3a
    without_aux = models.get("googlenet", aux_logits=False)
    total = sum(p.numel() for p in without_aux.parameters())
    assert total == pytest.approx(6.8e6, rel=0.03)  # the paper's ~6.8M (its table omits biases)


@pytest.mark.slow
def test_googlenet_stage_shapes_and_aux_heads():
    model = models.get("googlenet")
    s = summary(model, (3, 224, 224))
    shapes = {r.name: r.output_shape for r in s.rows}
    assert shapes["stem.6"] == (192, 28, 28)
    model.train()
    out = model(wb.zeros(1, 3, 224, 224))
    assert out.logits.shape == out.aux_logits1.shape == out.aux_logits2.shape == (1, 1000)


def _stage_shapes(model, input_shape, names):
    s = summary(model, input_shape)
    seen = {}
    for r in s.rows:
        for n in names:
            if r.name.startswith(n + ".") or r.name == n:
                seen[n] = r.output_shape
    return [seen[n] for n in names]


@pytest.mark.slow
def test_resnet50_stage_shapes_and_macs():
    model = models.get("resnet50")
    shapes = _stage_shapes(model, (3, 224, 224), ["maxpool", "layer1", "layer2", "layer3",
                                                  "layer4", "fc"])
    assert shapes == [(64, 56, 56), (256, 56, 56), (512, 28, 28), (1024, 14, 14),
                      (2048, 7, 7), (1000,)]
    macs = summary(model, (3, 224, 224)).total_macs
    assert macs == pytest.approx(4.09e9, rel=0.01)
    paper = summary(models.get("resnet50", stride_on="1x1"), (3, 224, 224)).total_macs
    assert paper == pytest.approx(3.86e9, rel=0.01)
    n_conv = sum(isinstance(m, nn.Conv2d) for m in model.modules())
    assert n_conv == 53  # ERRATA E13: 49 + 4 projection shortcuts


@pytest.mark.slow
def test_vgg16_and_alexnet_shapes_and_macs():
    s = summary(models.get("vgg16"), (3, 224, 224))
    assert s.total_macs == pytest.approx(15.47e9, rel=0.01)  # 15.5 GMACs (VGG-16)
    shapes = _stage_shapes(models.get("alexnet"), (3, 227, 227),
                           ["features.0", "features.3", "features.7", "features.14"])
    assert shapes == [(96, 55, 55), (96, 27, 27), (256, 13, 13), (256, 6, 6)]


def test_small_resnet_stage_shapes():
    shapes = _stage_shapes(models.get("resnet18", num_classes=10, small_input=True), (3, 32, 32),
                           ["layer1", "layer2", "layer3", "layer4", "fc"])
    assert shapes == [(64, 32, 32), (128, 16, 16), (256, 8, 8), (512, 4, 4), (10,)]


def test_preact_block_has_no_relu_after_the_sum():
    block = models.resnet.PreActBasicBlock(4, 4)
    block.eval()
    out = block(wb.randn(2, 4, 6, 6)).numpy()
    assert (out < 0).any()  # v1 blocks end in ReLU and cannot produce negatives
    v1 = models.resnet.BasicBlock(4, 4)
    v1.eval()
    assert (v1(wb.randn(2, 4, 6, 6)).numpy() >= 0).all()


def test_plain_net_has_no_shortcuts_and_resnet_has_identity():
    plain = models.get("plain18", num_classes=10, small_input=True)
    assert not any(getattr(m, "downsample", None) for m in plain.modules())
    block = models.resnet.BasicBlock(3, 3)
    for p in block.parameters():
        p.data = np.zeros_like(p.data)
    block.eval()
    x = wb.rand(1, 3, 5, 5)
    # with F = 0 (BN's gamma = 0) the block is relu(x): the identity for non-negative inputs
    np.testing.assert_allclose(block(x).numpy(), x.numpy(), atol=1e-6)


def test_se_block_rescales_channels_by_sigmoid_gates():
    se = models.resnet.SqueezeExcitation(32, reduction=16)
    assert se.fc1.out_features == 2 and se.fc2.out_features == 32
    x = wb.rand(2, 32, 4, 4)
    y = se(x).numpy()
    ratio = y / x.numpy()
    assert np.allclose(ratio, ratio[:, :, :1, :1], atol=1e-5)  # one gate per channel
    assert ((ratio > 0) & (ratio < 1)).all()


def test_densenet_block_concatenates_growth():
    block = models.densenet.DenseBlock(3, 16, growth_rate=8)
    out = block(wb.randn(1, 16, 5, 5))
    assert out.shape == (1, 16 + 3 * 8, 5, 5)
    x = wb.randn(1, 16, 5, 5)
    np.testing.assert_array_equal(block(x).numpy()[:, :16], x.numpy())  # input passes through


def test_inception_v3_block_factorises_n_by_n():
    block = models.googlenet.InceptionV3Block(8, 4, out_branch=4, n=7)
    kernels = {m.kernel_size for m in block.modules() if isinstance(m, nn.Conv2d)}
    assert kernels == {(1, 1), (1, 7), (7, 1)}
    assert block(wb.randn(1, 8, 9, 9)).shape == (1, 16, 9, 9)


def test_registry_and_errors():
    names = models.list_models()
    for required in ("lenet5", "alexnet", "vgg16", "googlenet", "resnet50", "resnext50_32x4d",
                     "se_resnet50", "preact_resnet18", "densenet121", "plain18",
                     "inception_v3_small", "mlp", "inception_v3", "nin", "bn_inception",
                     "inception_v4", "inception_resnet_v2"):
        assert required in names
    with pytest.raises(ValueError, match="known models: .*resnet18"):
        models.get("resnet9000")
    with pytest.raises(ValueError, match="stride_on"):
        models.get("resnet50", stride_on="2x2")


def test_too_small_input_names_the_layer():
    model = models.get("alexnet")
    with pytest.raises(ValueError, match=r"^features\.7 \(MaxPool2d\): .*too small"):
        model(wb.zeros(1, 3, 32, 32))
    net = nn.Sequential(nn.Linear(4, 3), nn.Sequential(nn.ReLU(), nn.Linear(5, 2)))
    with pytest.raises(ValueError, match=r"^1\.1 \(Linear\): .*5 input features"):
        net(wb.zeros(2, 4))
