"""Gradient clipping against torch.nn.utils (returned norm and clipped gradients, float64)."""

import math

import numpy as np
import pytest
import torch

import whiteboard as wb
import whiteboard.optim as optim

RNG = np.random.default_rng(3)


@pytest.fixture(autouse=True)
def _fresh_rng():
    """Each test draws the same numbers whatever ran before it (xdist reorders tests)."""
    global RNG
    RNG = np.random.default_rng(3)


def _pair(grads):
    wb_params, th_params = [], []
    for g in grads:
        p = wb.nn.Parameter(np.zeros_like(g))
        p.grad = None if g is None else wb.tensor(g.copy())
        wb_params.append(p)
        t = torch.zeros(g.shape, dtype=torch.float64, requires_grad=True)
        t.grad = None if g is None else torch.tensor(g.copy())
        th_params.append(t)
    return wb_params, th_params


@pytest.mark.parametrize("norm_type", [1.0, 2.0, 3.5, math.inf, "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 3.0, 1e6])
def test_clip_grad_norm(norm_type, max_norm):
    grads = [RNG.standard_normal((3, 4)) * 2, RNG.standard_normal(5),
             RNG.standard_normal((2, 2, 2))]
    wbp, thp = _pair(grads)
    n_wb = optim.clip_grad_norm_(wbp, max_norm, norm_type=norm_type)
    n_th = torch.nn.utils.clip_grad_norm_(thp, max_norm, norm_type=norm_type)
    assert isinstance(n_wb, wb.Tensor) and n_wb.shape == ()
    np.testing.assert_allclose(n_wb.item(), n_th.item(), rtol=1e-12)
    for a, b in zip(wbp, thp):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12, atol=1e-15)
    if max_norm < n_th.item():  # clipped: the new joint norm is max_norm (up to the 1e-6 guard)
        assert abs(optim.get_total_norm([p.grad for p in wbp], norm_type).item() - max_norm) < 1e-5


def test_clip_grad_norm_single_tensor_missing_grads_and_nonfinite():
    p = wb.nn.Parameter(np.zeros(3))
    p.grad = wb.tensor(np.array([3.0, 4.0, 0.0]))
    assert optim.clip_grad_norm_(p, 1.0).item() == 5.0
    np.testing.assert_allclose(p.grad.numpy(), np.array([3.0, 4.0, 0.0]) / (5 + 1e-6))
    wbp, thp = _pair([RNG.standard_normal(4)])
    q = wb.nn.Parameter(np.zeros(2))  # no gradient: ignored
    np.testing.assert_allclose(optim.clip_grad_norm_(wbp + [q], 0.1).item(),
                               torch.nn.utils.clip_grad_norm_(thp, 0.1).item(), rtol=1e-12)
    bad = wb.nn.Parameter(np.zeros(2))
    bad.grad = wb.tensor(np.array([np.inf, 1.0]))
    with pytest.raises(RuntimeError, match="non-finite"):
        optim.clip_grad_norm_([bad], 1.0, error_if_nonfinite=True)
    assert optim.clip_grad_norm_([wb.nn.Parameter(np.zeros(2))], 1.0).item() == 0.0


@pytest.mark.parametrize("clip_value", [0.1, 0.7, 10.0])
def test_clip_grad_value(clip_value):
    grads = [RNG.standard_normal((4, 3)), RNG.standard_normal(6)]
    wbp, thp = _pair(grads)
    optim.clip_grad_value_(wbp, clip_value)
    torch.nn.utils.clip_grad_value_(thp, clip_value)
    for a, b in zip(wbp, thp):
        np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())
