"""GaussianNoise: train vs eval, noise moments with a fixed seed, bad std."""

import numpy as np
import pytest

import whiteboard as wb


def test_gaussian_noise_properties():
    x = wb.tensor(np.zeros((200, 500)), requires_grad=True)
    layer = wb.nn.GaussianNoise(0.5)
    wb.manual_seed(0)
    y = layer(x)
    # 1e5 draws: the mean's sd is 0.5/316 ≈ 0.0016, the variance's relative sd ≈ 0.45 %
    assert abs(y.data.mean()) < 0.01
    assert abs(y.data.var() / 0.25 - 1) < 0.02
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, np.ones_like(x.data))
    layer.eval()
    assert np.array_equal(layer(x).data, x.data)
    assert np.array_equal(wb.nn.GaussianNoise(0.0)(x).data, x.data)
    with pytest.raises(ValueError, match="std"):
        wb.nn.GaussianNoise(-1.0)
