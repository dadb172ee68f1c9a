"""LSTM with ``proj_size`` (LSTMP) against torch.nn.LSTM(proj_size=...): outputs, h_n / c_n and
the gradients of the input, both initial states and every parameter (weight_hr included)."""

import numpy as np
import pytest
import torch

import whiteboard as wb
from whiteboard import nn
from whiteboard.testing import gradcheck

from .test_rnn import _compare

pytestmark = pytest.mark.filterwarnings("ignore:LSTM with projections:UserWarning")

GRID = [  # (layers, bidirectional, batch_first, bias, T, B, with initial states)
    (1, False, False, True, 5, 3, False), (2, False, False, True, 4, 2, True),
    (1, True, False, True, 4, 3, True), (2, True, True, True, 3, 2, False),
    (3, True, False, False, 2, 1, True), (1, False, True, False, 1, 4, True),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("layers,bidir,batch_first,bias,T,B,states", GRID, ids=str)
def test_lstm_proj_matches_torch(layers, bidir, batch_first, bias, T, B, states, dtype):
    H, P, In = 6, 3, 4
    kw = dict(num_layers=layers, bidirectional=bidir, batch_first=batch_first, bias=bias,
              proj_size=P)
    wm = nn.LSTM(In, H, dtype=dtype, **kw)
    tm = torch.nn.LSTM(In, H, **kw).to(getattr(torch, np.dtype(dtype).name))
    rng = np.random.default_rng(layers * 10 + T)
    x = rng.standard_normal((B, T, In) if batch_first else (T, B, In)).astype(dtype)
    D = 2 if bidir else 1
    st = [rng.standard_normal((D * layers, B, P)).astype(dtype),
          rng.standard_normal((D * layers, B, H)).astype(dtype)] if states else []
    _compare(wm, tm, x, st, dtype)


def test_lstm_proj_shapes_and_names():
    m = nn.LSTM(5, 8, num_layers=2, bidirectional=True, proj_size=3)
    t = torch.nn.LSTM(5, 8, num_layers=2, bidirectional=True, proj_size=3)
    assert [(n, p.shape) for n, p in m.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in t.named_parameters()]
    out, (h, c) = m(wb.randn(4, 2, 5))
    assert out.shape == (4, 2, 6) and h.shape == (4, 2, 3) and c.shape == (4, 2, 8)
    out, (h, c) = m(wb.randn(4, 5))  # unbatched
    assert out.shape == (4, 6) and h.shape == (4, 3) and c.shape == (4, 8)
    assert "proj_size=3" in repr(m)


def test_lstm_proj_gradcheck():
    """Finite differences through the projection (input and both initial states)."""
    m = nn.LSTM(3, 4, proj_size=2, bidirectional=True, dtype=np.float64)
    rng = np.random.default_rng(0)
    x = wb.tensor(rng.standard_normal((3, 2, 3)), requires_grad=True)
    h0 = wb.tensor(rng.standard_normal((2, 2, 2)), requires_grad=True)
    c0 = wb.tensor(rng.standard_normal((2, 2, 4)), requires_grad=True)
    assert gradcheck(lambda v, h, c: m(v, (h, c))[0], (x, h0, c0))


def test_lstm_proj_errors():
    with pytest.raises(ValueError, match="proj_size .*smaller than hidden_size"):
        nn.LSTM(3, 4, proj_size=4)
    with pytest.raises(ValueError, match="only supported for LSTM"):
        nn.rnn.RNNBase("GRU", 3, 4, proj_size=2)
    with pytest.raises(ValueError, match="proj_size must be a non-negative integer"):
        nn.LSTM(3, 4, proj_size=-1)
    m = nn.LSTM(3, 4, proj_size=2)
    with pytest.raises(ValueError, match=r"h_0 of shape \(1, 2, 2\)"):
        m(wb.randn(5, 2, 3), (wb.randn(1, 2, 4), wb.randn(1, 2, 4)))
    with pytest.raises(ValueError, match=r"c_0 of shape \(1, 2, 4\)"):
        m(wb.randn(5, 2, 3), (wb.randn(1, 2, 2), wb.randn(1, 2, 2)))
