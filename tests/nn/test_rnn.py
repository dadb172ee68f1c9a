"""RNN / LSTM / GRU and their cells against torch.nn with the parameters copied over: outputs,
final states and the gradients of the input, the initial states and every parameter."""

import numpy as np
import pytest
import torch

import whiteboard as wb
from whiteboard import nn
from whiteboard.testing import gradcheck

torch.set_num_threads(1)

TOL = {np.float64: dict(rtol=1e-10, atol=1e-10), np.float32: dict(rtol=1e-5, atol=1e-5)}
LAYERS = {"RNN": (nn.RNN, torch.nn.RNN), "RNN_relu": (nn.RNN, torch.nn.RNN),
          "LSTM": (nn.LSTM, torch.nn.LSTM), "GRU": (nn.GRU, torch.nn.GRU)}
CELLS = {"RNNCell": (nn.RNNCell, torch.nn.RNNCell), "RNNCell_relu": (nn.RNNCell, torch.nn.RNNCell),
         "LSTMCell": (nn.LSTMCell, torch.nn.LSTMCell), "GRUCell": (nn.GRUCell, torch.nn.GRUCell)}


def _flat(out):
    if isinstance(out, (tuple, list)):
        return [o for item in out for o in _flat(item)]
    return [out]


def _copy_params(wm, tm):
    wnames = dict(wm.named_parameters())
    tnames = dict(tm.named_parameters())
    assert list(wnames) == list(tnames)
    for name, p in tnames.items():
        assert wnames[name].shape == tuple(p.shape), name
        with torch.no_grad():
            p.copy_(torch.from_numpy(wnames[name].numpy().astype(p.detach().numpy().dtype)))


def _compare(wm, tm, x, states, dtype):
    """Run both modules on x (and the initial states), compare outputs, then back-propagate the
    same random cotangents and compare the gradients of x, the states and every parameter."""
    tol = TOL[dtype]
    _copy_params(wm, tm)
    wx = wb.tensor(x, requires_grad=True)
    tx = torch.from_numpy(x.copy()).requires_grad_(True)
    ws = [wb.tensor(s, requires_grad=True) for s in states]
    ts = [torch.from_numpy(s.copy()).requires_grad_(True) for s in states]
    wh = None if not states else (ws[0] if len(ws) == 1 else tuple(ws))
    th = None if not states else (ts[0] if len(ts) == 1 else tuple(ts))
    wout, tout = _flat(wm(wx, wh)), _flat(tm(tx, th))
    assert len(wout) == len(tout)
    rng = np.random.default_rng(7)
    wloss, tloss = 0, 0
    for w, t in zip(wout, tout):
        assert w.shape == tuple(t.shape) and w.dtype == np.dtype(dtype)
        np.testing.assert_allclose(w.numpy(), t.detach().numpy(), **tol)
        cot = rng.standard_normal(w.shape).astype(dtype)
        wloss = wloss + (w * wb.tensor(cot)).sum()
        tloss = tloss + (t * torch.from_numpy(cot)).sum()
    wloss.backward()
    tloss.backward()
    np.testing.assert_allclose(wx.grad.numpy(), tx.grad.numpy(), **tol)
    for w, t in zip(ws, ts):
        np.testing.assert_allclose(w.grad.numpy(), t.grad.numpy(), **tol)
    tp = dict(tm.named_parameters())
    for name, p in wm.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), tp[name].grad.numpy(), err_msg=name, **tol)


def _make(kind, table, dtype, *args, **kw):
    wcls, tcls = table[kind]
    if kind.endswith("relu"):
        kw["nonlinearity"] = "relu"
    wm = wcls(*args, dtype=dtype, **kw)
    tm = tcls(*args, **kw).to(getattr(torch, np.dtype(dtype).name))
    return wm, tm


GRID = [  # (layers, bidirectional, batch_first, bias, T, B)
    (1, False, False, True, 5, 3), (2, False, False, True, 4, 2), (1, True, False, True, 4, 3),
    (2, True, True, True, 3, 2), (1, False, True, False, 4, 2), (3, True, False, False, 2, 1),
    (1, False, False, True, 1, 1), (2, True, True, True, 1, 4), (1, True, True, False, 6, 1),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kind", list(LAYERS))
@pytest.mark.parametrize("layers,bidir,batch_first,bias,T,B", GRID)
@pytest.mark.parametrize("with_state", [False, True])
def test_layer_matches_torch(kind, layers, bidir, batch_first, bias, T, B, with_state, dtype):
    n_in, H = 3, 4
    wm, tm = _make(kind, LAYERS, dtype, n_in, H, num_layers=layers, bias=bias,
                   batch_first=batch_first, bidirectional=bidir)
    rng = np.random.default_rng(T * 10 + B)
    x = rng.standard_normal((B, T, n_in) if batch_first else (T, B, n_in)).astype(dtype)
    D = 2 if bidir else 1
    n_states = 2 if kind == "LSTM" else 1
    states = [rng.standard_normal((D * layers, B, H)).astype(dtype)
              for _ in range(n_states)] if with_state else []
    _compare(wm, tm, x, states, dtype)


@pytest.mark.parametrize("kind", list(LAYERS))
@pytest.mark.parametrize("with_state", [False, True])
def test_unbatched_layer_matches_torch(kind, with_state):
    wm, tm = _make(kind, LAYERS, np.float64, 3, 2, num_layers=2, bidirectional=True)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((5, 3))
    states = [rng.standard_normal((4, 2)) for _ in range(2 if kind == "LSTM" else 1)]
    _compare(wm, tm, x, states if with_state else [], np.float64)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kind", list(CELLS))
@pytest.mark.parametrize("shape", [(3, 5), (1, 5), (5,)])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("with_state", [False, True])
def test_cell_matches_torch(kind, shape, bias, with_state, dtype):
    wm, tm = _make(kind, CELLS, dtype, 5, 4, bias=bias)
    rng = np.random.default_rng(2)
    x = rng.standard_normal(shape).astype(dtype)
    sshape = shape[:-1] + (4,)
    states = [rng.standard_normal(sshape).astype(dtype)
              for _ in range(2 if kind == "LSTMCell" else 1)]
    _compare(wm, tm, x, states if with_state else [], dtype)


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_gradcheck_through_time(kind):
    cls = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}[kind]
    m = cls(2, 3, num_layers=2, bidirectional=True, dtype=np.float64)
    rng = np.random.default_rng(3)
    x = wb.tensor(rng.standard_normal((4, 2, 2)), requires_grad=True)
    h0 = wb.tensor(rng.standard_normal((4, 2, 3)), requires_grad=True)
    c0 = wb.tensor(rng.standard_normal((4, 2, 3)), requires_grad=True)

    def f(x, h0, c0):
        out = m(x, (h0, c0)) if kind == "LSTM" else m(x, h0)
        return wb.cat([o.reshape(-1) for o in _flat(out)])

    assert gradcheck(f, (x, h0, c0))


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_parameter_gradients_by_finite_differences(kind):
    cls = {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}[kind]
    m = cls(2, 3, num_layers=2, bidirectional=True, dtype=np.float64)
    x = wb.tensor(np.random.default_rng(4).standard_normal((3, 2, 2)))
    cot = np.random.default_rng(5).standard_normal((3, 2, 6))

    def loss():
        return float((m(x)[0].numpy() * cot).sum())

    m.zero_grad()
    (m(x)[0] * wb.tensor(cot)).sum().backward()
    eps = 1e-6
    for name, p in m.named_parameters():
        flat = p.data.reshape(-1)
        num = np.empty(flat.size)
        for j in range(flat.size):
            old = flat[j]
            flat[j] = old + eps
            up = loss()
            flat[j] = old - eps
            num[j] = (up - loss()) / (2 * eps)
            flat[j] = old
        np.testing.assert_allclose(p.grad.numpy().reshape(-1), num, rtol=1e-6, atol=1e-8,
                                   err_msg=name)


def test_parameter_names_shapes_and_init_match_torch():
    wm = nn.LSTM(10, 20, num_layers=2, bidirectional=True)
    tm = torch.nn.LSTM(10, 20, num_layers=2, bidirectional=True)
    assert [(n, p.shape) for n, p in wm.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in tm.named_parameters()]
    k = 1 / np.sqrt(20)
    for _, p in wm.named_parameters():
        assert p.dtype == np.float32 and np.abs(p.numpy()).max() <= k
    w = wm.weight_hh_l0.numpy()
    assert abs(w.var() / (k ** 2 / 3) - 1) < 0.1


def test_dropout_between_layers_only_in_training():
    m = nn.GRU(3, 4, num_layers=3, dropout=0.5, dtype=np.float64)
    x = wb.tensor(np.random.default_rng(0).standard_normal((5, 2, 3)))
    m.eval()
    a, b = m(x)[0].numpy(), m(x)[0].numpy()
    np.testing.assert_array_equal(a, b)
    m.train()
    wb.manual_seed(0)
    c = m(x)[0].numpy()
    wb.manual_seed(1)
    d = m(x)[0].numpy()
    assert not np.allclose(c, a) and not np.allclose(c, d)
    one = nn.GRU(3, 4, num_layers=1, dropout=0.5, dtype=np.float64)
    np.testing.assert_array_equal(one(x)[0].numpy(), one.eval()(x)[0].numpy())


def test_errors_name_the_layer_and_shapes():
    m = nn.LSTM(3, 4, num_layers=2)
    with pytest.raises(ValueError,
                       match=r"LSTM expected input_size 3, got 5 \(input shape \(2, 1, 5\)\)"):
        m(wb.zeros(2, 1, 5))
    with pytest.raises(ValueError,
                       match=r"LSTM: expected h_0 of shape \(2, 1, 4\), got \(1, 1, 4\)"):
        m(wb.zeros(2, 1, 3), (wb.zeros(1, 1, 4), wb.zeros(2, 1, 4)))
    with pytest.raises(ValueError, match="GRU: expected a 2-D"):
        nn.GRU(3, 4)(wb.zeros(3))
    with pytest.raises(ValueError, match=r"GRUCell expected input_size 3, got 2"):
        nn.GRUCell(3, 4)(wb.zeros(5, 2))
    with pytest.raises(ValueError, match=r"RNNCell: expected hx of shape \(5, 4\), got \(4,\)"):
        nn.RNNCell(3, 4)(wb.zeros(5, 3), wb.zeros(4))
    with pytest.raises(TypeError, match="GRU: hx dtype float64 does not match"):
        nn.GRU(3, 4)(wb.zeros(2, 1, 3), wb.zeros(1, 1, 4, dtype=wb.float64))
    with pytest.raises(TypeError, match="LSTMCell: c_0 dtype float64"):
        nn.LSTMCell(3, 4)(wb.zeros(2, 3), (wb.zeros(2, 4), wb.zeros(2, 4, dtype=wb.float64)))
    with pytest.raises(ValueError, match="nonlinearity"):
        nn.RNN(3, 4, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="hidden_size"):
        nn.RNN(3, 0)


@pytest.mark.parametrize("kind", list(LAYERS))
def test_saturated_gates_stay_finite_and_match_torch(kind):
    wm, tm = _make(kind, LAYERS, np.float64, 3, 4)
    for p in wm.parameters():
        p.data *= 200  # pre-activations of order 1e3: σ and tanh saturate, exp would overflow
    x = np.random.default_rng(6).standard_normal((4, 2, 3)) * 10
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        _compare(wm, tm, x, [], np.float64)


def test_state_dict_round_trip_and_torch_load():
    wm = nn.GRU(3, 4, num_layers=2, bidirectional=True, dtype=np.float64)
    tm = torch.nn.GRU(3, 4, num_layers=2, bidirectional=True).double()
    tm.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in wm.state_dict().items()})
    x = np.random.default_rng(8).standard_normal((5, 2, 3))
    np.testing.assert_allclose(wm(wb.tensor(x))[0].numpy(),
                               tm(torch.from_numpy(x))[0].detach().numpy(), rtol=1e-12)


def test_frozen_parameters_and_input_without_grad():
    m = nn.LSTM(3, 4, bidirectional=True, dtype=np.float64)
    m.weight_ih_l0.requires_grad_(False)
    h0 = wb.tensor(np.ones((2, 2, 4)), requires_grad=True)
    out, _ = m(wb.tensor(np.ones((3, 2, 3))), (h0, wb.zeros(2, 2, 4, dtype=wb.float64)))
    out.sum().backward()
    assert m.weight_ih_l0.grad is None and m.weight_hh_l0.grad is not None
    assert h0.grad.shape == (2, 2, 4) and np.all(np.isfinite(h0.grad.numpy()))
