"""Metric-learning losses against PyTorch (float64, values and gradients to 1e-10)."""

import numpy as np
import pytest
import torch

import whiteboard as wb
from tests.oracles.torch_oracle import check

REDUCTIONS = ["mean", "sum", "none"]
TOL = dict(rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p", [1.0, 2.0, 3.0])
@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("shape", [(5, 4), (1, 3), (6,)])
def test_triplet_margin(shape, swap, p, reduction):
    rng = np.random.default_rng(0)
    a, pos, neg = (rng.standard_normal(shape) for _ in range(3))
    check(lambda lib, x, y, z: lib.nn.functional.triplet_margin_loss(
        x, y, z, margin=1.5, p=p, swap=swap, reduction=reduction), a, pos, neg, **TOL)
    check(lambda lib, x, y, z: lib.nn.TripletMarginLoss(p=p, swap=swap, reduction=reduction)(
        x, y, z), a, pos, neg, **TOL)


def test_triplet_zero_vectors_and_bad_dims():
    z = np.zeros((3, 4))
    check(lambda lib, x, y, w: lib.nn.functional.triplet_margin_loss(x, y, w), z, z, z, **TOL)
    check(lambda lib, x, y, w: lib.nn.functional.triplet_margin_loss(x, y, w),
          np.ones((3, 4)), np.ones(4), np.ones((3, 4)), expect_error=True)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [0.0, 0.3])
def test_cosine_embedding(margin, reduction):
    rng = np.random.default_rng(1)
    x1, x2 = rng.standard_normal((7, 5)), rng.standard_normal((7, 5))
    x1[0] = 0.0
    y = np.array([1, -1, 1, -1, -1, 1, -1], dtype=np.float64)
    check(lambda lib, a, b, t: lib.nn.functional.cosine_embedding_loss(
        a, b, t, margin=margin, reduction=reduction), x1, x2, y, requires_grad=[True, True, False],
        rtol=1e-8, atol=1e-10)  # the zero row's gradient is ~1e4: conditioning, not a bug
    check(lambda lib, a, b, t: lib.nn.functional.cosine_embedding_loss(a, b, t),
          x1, x2, y[:, None].copy(), requires_grad=[True, True, False], expect_error=True)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_margin_ranking(reduction):
    rng = np.random.default_rng(2)
    x1, x2 = rng.standard_normal(9), rng.standard_normal(9)
    y = np.sign(rng.standard_normal(9))
    check(lambda lib, a, b, t: lib.nn.functional.margin_ranking_loss(
        a, b, t, margin=0.2, reduction=reduction), x1, x2, y, **TOL)
    check(lambda lib, a, b, t: lib.nn.MarginRankingLoss(0.2, reduction=reduction)(
        a, b, t), x1, x2, y, **TOL)


def _brute_batch_hard(e, labels, margin, squared, soft):
    losses = []
    for i in range(len(labels)):
        pos = [j for j in range(len(labels)) if labels[j] == labels[i] and j != i]
        neg = [k for k in range(len(labels)) if labels[k] != labels[i]]
        if not pos or not neg:
            continue
        d = lambda j, i=i: ((e[i] - e[j]) ** 2).sum() if squared else torch.norm(e[i] - e[j])  # noqa: E731
        dap = torch.stack([d(j) for j in pos]).max()
        dan = torch.stack([d(k) for k in neg]).min()
        losses.append(torch.nn.functional.softplus(dap - dan) if soft
                      else torch.clamp(dap - dan + margin, min=0))
    return torch.stack(losses).mean()


@pytest.mark.parametrize("squared", [False, True])
@pytest.mark.parametrize("soft", [False, True])
def test_batch_hard_against_brute_force(squared, soft):
    rng = np.random.default_rng(3)
    e = rng.standard_normal((10, 3))
    labels = np.array([0, 0, 1, 1, 1, 2, 2, 3, 0, 1])  # label 3 has no positive: excluded
    t = torch.tensor(e, requires_grad=True)
    ref = _brute_batch_hard(t, labels, 0.5, squared, soft)
    ref.backward()
    w = wb.tensor(e, requires_grad=True)
    out = wb.nn.BatchHardTripletLoss(0.5, squared, soft)(w, labels)
    out.backward()
    np.testing.assert_allclose(out.data, ref.detach().numpy(), **TOL)
    np.testing.assert_allclose(w.grad, t.grad.numpy(), rtol=1e-9, atol=1e-11)
