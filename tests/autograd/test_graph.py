"""Graph semantics against torch: shared nodes, long chains, accumulation, freeing, grad modes."""

import numpy as np
import pytest
import torch

import whiteboard as wb
from whiteboard.testing import GradcheckError, gradcheck


def test_readme_example_equals_torch():
    x = wb.randn(3, 4, requires_grad=True)
    (x @ x.T).sum().backward()
    t = torch.tensor(x.numpy(), requires_grad=True)
    (t @ t.T).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-6)


def _diamond(lib, x):
    a = x * 2
    b = a.exp()
    d = a.tanh()
    return (b * d + a * a).sum() + (a / (1 + b)).mean()


def test_diamond_graph_accumulates_every_path():
    xv = np.random.default_rng(0).standard_normal((3, 2))
    x = wb.tensor(xv, requires_grad=True)
    _diamond(wb, x).backward()
    t = torch.tensor(xv, requires_grad=True)
    _diamond(torch, t).backward()
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-10)


def test_same_tensor_used_many_times():
    xv = np.array([0.3, -1.2, 2.0])
    x, t = wb.tensor(xv, requires_grad=True), torch.tensor(xv, requires_grad=True)
    for v in (x, t):
        y = v * v * v + v - v * 2 + (v * v).sum() * v
        y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-12)


def test_ten_thousand_op_chain_has_no_recursion_limit():
    x = wb.tensor(1.0, dtype=wb.float64, requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0001 + 0.0
    y.backward()
    assert x.grad.item() == pytest.approx(1.0001 ** 10_000, rel=1e-9)


def test_repeated_backward_accumulates_like_torch():
    xv = np.array([1.0, 2.0, 3.0])
    x, t = wb.tensor(xv, requires_grad=True), torch.tensor(xv, requires_grad=True)
    for v in (x, t):
        y = (v ** 2).sum()
        y.backward(retain_graph=True)
        y.backward()
        (v * 3).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy())
    np.testing.assert_allclose(x.grad.numpy(), 4 * xv + 3)


def test_graph_is_freed_after_backward():
    x = wb.randn(3, requires_grad=True)
    y = (x.exp() * 2).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()


def test_intermediate_grads_are_kept_only_when_retained():
    x = wb.randn(3, requires_grad=True)
    h = x * 2
    h2 = (x * 3).retain_grad()
    (h.sum() + (h2 * h2).sum()).backward()
    assert h.grad is None and not h.is_leaf and x.is_leaf
    np.testing.assert_allclose(h2.grad.numpy(), 2 * h2.numpy(), rtol=1e-6)


def test_backward_with_gradient_argument_is_vjp():
    xv = np.random.default_rng(1).standard_normal((2, 3))
    v = np.random.default_rng(2).standard_normal((3, 3))
    x, t = wb.tensor(xv, requires_grad=True), torch.tensor(xv, requires_grad=True)
    (x.T @ x).backward(wb.tensor(v))
    (t.T @ t).backward(torch.tensor(v))
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-12)


def test_no_grad_records_no_graph_and_detach_cuts_it():
    x = wb.randn(3, requires_grad=True)
    with wb.no_grad():
        y = x * 2
        with wb.enable_grad():
            z = x * 2
    assert not y.requires_grad and y.grad_fn is None
    assert z.requires_grad and z.grad_fn is not None
    assert wb.is_grad_enabled()

    @wb.no_grad()
    def f(v):
        return v * 3

    assert not f(x).requires_grad
    d = (x * 2).detach()
    assert d.is_leaf and not d.requires_grad
    with wb.set_grad_enabled(False):
        assert not (x + 1).requires_grad
    assert wb.is_grad_enabled()


def test_clear_errors():
    with pytest.raises(RuntimeError, match="scalar outputs"):
        wb.randn(2, 3, requires_grad=True).exp().backward()
    with pytest.raises(TypeError, match="floating point"):
        wb.tensor([1, 2, 3], requires_grad=True)
    with pytest.raises(RuntimeError, match="does not require grad"):
        wb.randn(3).sum().backward()
    with pytest.raises(ValueError, match="gradient has shape"):
        wb.randn(2, requires_grad=True).exp().backward(wb.ones(3))
    with pytest.raises(ValueError, match="invalid for input of shape"):
        wb.randn(2, 3).reshape(4, 2)
    x = wb.randn(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="in-place"):
        x[0] = 1.0
    with wb.no_grad():
        x[0] = 1.0
    assert x[0].item() == 1.0


def test_zero_grad_and_item():
    x = wb.tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    assert x.grad is not None
    x.zero_grad()
    assert x.grad is None
    assert wb.tensor([[2.5]]).item() == 2.5
    with pytest.raises(ValueError, match="2 elements"):
        wb.tensor([1.0, 2.0]).item()


def test_gradcheck_catches_a_wrong_backward():
    class BadSquare(wb.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * x  # should be 2x

    class GoodSquare(BadSquare):
        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 2 * grad * x

    x = wb.randn(4, dtype=wb.float64, requires_grad=True)
    assert gradcheck(GoodSquare.apply, (x,))
    with pytest.raises(GradcheckError, match="input 0"):
        gradcheck(BadSquare.apply, (x,))
    assert gradcheck(BadSquare.apply, (x,), raise_exception=False) is False


def test_factories_match_torch_semantics():
    assert wb.arange(5).dtype == np.int64
    assert wb.arange(0, 1, 0.25).dtype == np.float32
    np.testing.assert_array_equal(wb.arange(2, 10, 3).numpy(), torch.arange(2, 10, 3).numpy())
    assert wb.zeros(2, 3).shape == (2, 3) and wb.ones((4,)).shape == (4,)
    assert wb.full((2, 2), 7).dtype == np.int64
    np.testing.assert_array_equal(wb.eye(3).numpy(), np.eye(3))
    assert wb.zeros_like(wb.randn(2, 2, dtype=wb.float64)).dtype == np.float64
    r = wb.rand(1000)
    assert 0 <= r.numpy().min() and r.numpy().max() < 1
    with pytest.raises(ValueError, match="non-negative"):
        wb.zeros(-1)
