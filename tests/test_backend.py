import numpy as np
import pytest

import whiteboard as wb
from whiteboard import backend


def test_manual_seed_reproduces_every_random_factory():
    wb.manual_seed(123)
    a = (wb.randn(4, 3).numpy(), wb.rand(5).numpy(), wb.randint(0, 10, (6,)).numpy())
    wb.manual_seed(123)
    b = (wb.randn(4, 3).numpy(), wb.rand(5).numpy(), wb.randint(0, 10, (6,)).numpy())
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], wb.randn(4, 3).numpy())


def test_rng_state_round_trip():
    state = wb.get_rng_state()
    first = wb.randn(10).numpy()
    wb.set_rng_state(state)
    np.testing.assert_array_equal(first, wb.randn(10).numpy())


def test_default_dtype_is_float32_and_settable():
    assert wb.tensor(1.5).dtype == np.float32
    assert wb.randn(2).dtype == np.float32
    wb.set_default_dtype(wb.float64)
    try:
        assert wb.tensor([1.0, 2.0]).dtype == np.float64
        assert wb.zeros(2).dtype == np.float64
    finally:
        wb.set_default_dtype(wb.float32)
    assert wb.tensor(np.zeros(2)).dtype == np.float64  # arrays keep their dtype
    assert wb.tensor([1, 2]).dtype == np.int64
    with pytest.raises(TypeError, match="floating"):
        wb.set_default_dtype(np.int32)


def test_unknown_backend_is_rejected():
    with pytest.raises(ValueError, match="numpy"):
        backend.use("torch")


@pytest.mark.gpu
def test_cupy_backend_matches_numpy():
    cupy = pytest.importorskip("cupy")
    try:
        cupy.cuda.runtime.getDeviceCount()
    except Exception:
        pytest.skip("CuPy is installed but no GPU is available")
    x_np = np.random.default_rng(0).standard_normal((5, 4))
    backend.use("cupy")
    try:
        x = wb.tensor(x_np, requires_grad=True)
        assert x.device == "cuda"
        y = (x @ x.T).exp().sum()
        y.backward()
        grad = x.grad.numpy()
    finally:
        backend.use("numpy")
    xr = wb.tensor(x_np, requires_grad=True)
    (xr @ xr.T).exp().sum().backward()
    np.testing.assert_allclose(grad, xr.grad.numpy(), rtol=1e-10)
