"""``Mixup`` / ``CutMix`` against their definitions (1e-6 float32): soft targets sum to 1 and equal
``λ·y + (1 − λ)·y_rolled``, CutMix's λ is exactly the kept area, and the soft targets go through
``wb.nn.CrossEntropyLoss`` equal to ``torch.nn.functional.cross_entropy`` with probabilities
(1e-5)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import whiteboard as wb
from whiteboard.augment import CutMix, Mixup, one_hot


def _data(n=8, k=5):
    rng = np.random.default_rng(4)
    return rng.random((n, 3, 10, 12)).astype(np.float32), rng.integers(0, k, size=n)


def test_mixup_images_and_targets():
    x, y = _data()
    wb.manual_seed(0)
    t = Mixup(alpha=1.0, num_classes=5)
    xm, ym = t(x, y)
    lam = t.last_lambda
    assert 0 < lam < 1
    np.testing.assert_allclose(xm, lam * x + (1 - lam) * np.roll(x, 1, 0), atol=1e-6)
    oh = np.eye(5)[y]
    np.testing.assert_allclose(ym, lam * oh + (1 - lam) * np.roll(oh, 1, 0), atol=1e-6)
    np.testing.assert_allclose(ym.sum(1), 1, atol=1e-6)
    wb.manual_seed(0)
    xm2, _ = Mixup(num_classes=5)(x, y)
    np.testing.assert_array_equal(xm2, xm)


def test_cutmix_lambda_is_the_kept_area():
    x, y = _data()
    for seed in range(10):
        wb.manual_seed(seed)
        t = CutMix(num_classes=5)
        xm, ym = t(x, y)
        y1, x1, y2, x2 = t.last_box
        inside = np.zeros((10, 12), dtype=bool)
        inside[y1:y2, x1:x2] = True
        np.testing.assert_array_equal(xm[..., inside], np.roll(x, 1, 0)[..., inside])
        np.testing.assert_array_equal(xm[..., ~inside], x[..., ~inside])
        assert t.last_lambda == pytest.approx(1 - inside.sum() / inside.size, abs=1e-12)
        oh = np.eye(5)[y]
        lam = t.last_lambda
        np.testing.assert_allclose(ym, lam * oh + (1 - lam) * np.roll(oh, 1, 0), atol=1e-6)
        np.testing.assert_allclose(ym.sum(1), 1, atol=1e-6)


@pytest.mark.parametrize("cls", [Mixup, CutMix])
def test_soft_targets_through_cross_entropy(cls):
    x, y = _data()
    wb.manual_seed(7)
    _, ym = cls(num_classes=5)(x, y)
    logits = np.random.default_rng(5).standard_normal((8, 5)).astype(np.float32)
    ours = wb.nn.CrossEntropyLoss()(wb.Tensor(logits), wb.Tensor(ym))
    ref = F.cross_entropy(torch.tensor(logits), torch.tensor(ym))
    np.testing.assert_allclose(float(ours.data), ref.item(), rtol=1e-5, atol=1e-5)


def test_errors_and_soft_input():
    x, y = _data()
    with pytest.raises(ValueError, match="num_classes"):
        Mixup()(x, y)
    with pytest.raises(ValueError, match="batch sizes"):
        Mixup(num_classes=5)(x, y[:3])
    with pytest.raises(ValueError, match="NCHW"):
        Mixup(num_classes=5)(x[0], y)
    with pytest.raises(ValueError, match="alpha"):
        CutMix(alpha=0)
    soft = one_hot(y, 5)
    wb.manual_seed(1)
    _, a = Mixup(num_classes=5)(x, soft)
    wb.manual_seed(1)
    _, b = Mixup(num_classes=5)(x, y)
    np.testing.assert_allclose(a, b, atol=1e-7)
