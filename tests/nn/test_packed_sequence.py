"""``nn.utils.rnn`` (PackedSequence, pack/pad) against torch.nn.utils.rnn, and RNN / LSTM / GRU
on packed input against torch with the parameters copied over: packed outputs, h_n / c_n and the
gradients of the input, the initial states and every parameter (float64 to 1e-10, float32 to
1e-5)."""

import numpy as np
import pytest
import torch
import torch.nn.utils.rnn as trnn

import whiteboard as wb
from whiteboard import nn
from whiteboard.nn.utils import rnn as wrnn
from whiteboard.testing import gradcheck

from .test_rnn import TOL, _copy_params

torch.set_num_threads(1)
pytestmark = pytest.mark.filterwarnings("ignore:LSTM with projections:UserWarning")


def _both_lengths(lengths, kind):
    """The same lengths for whiteboard and torch in the requested container."""
    if kind == "tensor":
        return wb.tensor(np.asarray(lengths, dtype=np.int64)), torch.tensor(lengths)
    if kind == "numpy":
        return np.asarray(lengths), torch.tensor(lengths)
    return list(lengths), list(lengths)


def _same_packed(w, t):
    np.testing.assert_array_equal(w.batch_sizes.numpy(), t.batch_sizes.numpy())
    for wi, ti in ((w.sorted_indices, t.sorted_indices), (w.unsorted_indices, t.unsorted_indices)):
        assert (wi is None) == (ti is None)
        if wi is not None:
            np.testing.assert_array_equal(wi.numpy(), ti.numpy())
    np.testing.assert_array_equal(w.data.numpy(), t.data.detach().numpy())


PACK_CASES = [  # (lengths, batch_first, enforce_sorted, lengths kind)
    ([4, 3, 1], False, True, "list"), ([5, 5, 2, 1], True, True, "tensor"),
    ([2, 5, 1, 4], False, False, "numpy"), ([3, 1, 6, 2, 5], True, False, "tensor"),
    ([1], False, True, "list"), ([2, 3], True, False, "list"),
]


@pytest.mark.parametrize("lengths,batch_first,enforce_sorted,kind", PACK_CASES, ids=str)
def test_pack_and_pad_match_torch(lengths, batch_first, enforce_sorted, kind):
    rng = np.random.default_rng(len(lengths))
    T, B = max(lengths) + 1, len(lengths)
    x = rng.standard_normal((B, T, 2, 3) if batch_first else (T, B, 2, 3))
    wl, tl = _both_lengths(lengths, kind)
    wx = wb.tensor(x, requires_grad=True)
    tx = torch.tensor(x, requires_grad=True)
    wp = wrnn.pack_padded_sequence(wx, wl, batch_first=batch_first, enforce_sorted=enforce_sorted)
    tp = trnn.pack_padded_sequence(tx, tl, batch_first=batch_first, enforce_sorted=enforce_sorted)
    assert isinstance(wp, wrnn.PackedSequence) and isinstance(wp, tuple)
    _same_packed(wp, tp)
    for total in (None, T + 2):
        wpad, wlen = wrnn.pad_packed_sequence(wp, batch_first=batch_first, padding_value=-7.0,
                                              total_length=total)
        tpad, tlen = trnn.pad_packed_sequence(tp, batch_first=batch_first, padding_value=-7.0,
                                              total_length=total)
        np.testing.assert_array_equal(wpad.numpy(), tpad.detach().numpy())
        np.testing.assert_array_equal(wlen.numpy(), tlen.numpy())
        assert wlen.dtype == np.int64
    # gradients through pack then pad: the cotangent at the real positions, zero at the padding
    cot = rng.standard_normal(wpad.shape)
    (wpad * wb.tensor(cot)).sum().backward()
    (tpad * torch.tensor(cot)).sum().backward()
    np.testing.assert_array_equal(wx.grad.numpy(), tx.grad.numpy())


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_pad_sequence_and_pack_sequence_match_torch(batch_first, padding_side):
    rng = np.random.default_rng(3)
    seqs = [rng.standard_normal((n, 3)) for n in (2, 5, 1, 4)]
    ws = [wb.tensor(s, requires_grad=True) for s in seqs]
    ts = [torch.tensor(s, requires_grad=True) for s in seqs]
    wpad = wrnn.pad_sequence(ws, batch_first=batch_first, padding_value=0.5,
                             padding_side=padding_side)
    tpad = trnn.pad_sequence(ts, batch_first=batch_first, padding_value=0.5,
                             padding_side=padding_side)
    np.testing.assert_array_equal(wpad.numpy(), tpad.detach().numpy())
    cot = rng.standard_normal(wpad.shape)
    (wpad * wb.tensor(cot)).sum().backward()
    (tpad * torch.tensor(cot)).sum().backward()
    for w, t in zip(ws, ts):
        np.testing.assert_array_equal(w.grad.numpy(), t.grad.numpy())
    _same_packed(wrnn.pack_sequence(ws, enforce_sorted=False),
                 trnn.pack_sequence(ts, enforce_sorted=False))
    ordered = sorted(seqs, key=len, reverse=True)
    _same_packed(wrnn.pack_sequence([wb.tensor(s) for s in ordered]),
                 trnn.pack_sequence([torch.tensor(s) for s in ordered]))
    back = wrnn.unpack_sequence(wrnn.pack_sequence(ws, enforce_sorted=False))
    for w, s in zip(back, seqs):
        np.testing.assert_array_equal(w.numpy(), s)


def test_pack_errors_name_the_problem():
    x = wb.randn(4, 3, 2)
    with pytest.raises(ValueError, match="decreasing order.*enforce_sorted=False"):
        wrnn.pack_padded_sequence(x, [2, 4, 1])
    with pytest.raises(ValueError, match="greater than 0"):
        wrnn.pack_padded_sequence(x, [4, 2, 0])
    with pytest.raises(ValueError, match="exceed the input's sequence length 4"):
        wrnn.pack_padded_sequence(x, [5, 2, 1])
    with pytest.raises(ValueError, match="exceed the input's sequence length 3"):
        wrnn.pack_padded_sequence(x, [4, 2, 1, 1], batch_first=True)  # (B=4, T=3)
    with pytest.raises(ValueError, match="len\\(lengths\\) equal to the batch size 3"):
        wrnn.pack_padded_sequence(x, [4, 2])
    with pytest.raises(ValueError, match="lengths must be 1-D"):
        wrnn.pack_padded_sequence(x, [[4, 2, 1]])
    with pytest.raises(TypeError, match="lengths must be integers"):
        wrnn.pack_padded_sequence(x, [4, 2.5, 1])
    with pytest.raises(ValueError, match="at least 2-D"):
        wrnn.pack_padded_sequence(wb.randn(4), [4])
    packed = wrnn.pack_padded_sequence(x, [4, 2, 1])
    with pytest.raises(ValueError, match="total_length must be at least.*longest sequence \\(4\\)"):
        wrnn.pad_packed_sequence(packed, total_length=3)
    with pytest.raises(TypeError, match="expected a PackedSequence"):
        wrnn.pad_packed_sequence(x)
    with pytest.raises(ValueError, match="sequence 1 has shape"):
        wrnn.pad_sequence([wb.randn(3, 2), wb.randn(2, 3)])
    with pytest.raises(ValueError, match="padding_side"):
        wrnn.pad_sequence([wb.randn(3, 2)], padding_side="top")
    with pytest.raises(ValueError, match="decreasing order"):
        wrnn.pack_sequence([wb.randn(1, 2), wb.randn(3, 2)])
    lstm = nn.LSTM(3, 4)  # the packed data's feature size is checked against input_size
    with pytest.raises(ValueError, match="expected input_size 3, got 2"):
        lstm(packed)


LAYERS = {"RNN": (nn.RNN, torch.nn.RNN, {}), "RNN_relu": (nn.RNN, torch.nn.RNN,
                                                           {"nonlinearity": "relu"}),
          "LSTM": (nn.LSTM, torch.nn.LSTM, {}), "GRU": (nn.GRU, torch.nn.GRU, {}),
          "LSTMP": (nn.LSTM, torch.nn.LSTM, {"proj_size": 2})}
GRID = [  # (layers, bidirectional, batch_first, enforce_sorted, lengths, initial states, kind)
    (1, False, False, True, [5, 3, 3, 1], False, "list"),
    (2, True, False, False, [2, 5, 1, 4], True, "tensor"),
    (2, False, True, False, [3, 1, 4], True, "numpy"),
    (1, True, True, True, [4, 4, 2], False, "tensor"),
    (3, True, False, False, [1, 3], True, "list"),
    (1, False, False, True, [1], True, "list"),
]


def _run_packed(wm, tm, x, lengths, kind, batch_first, enforce_sorted, states, dtype):
    tol = TOL[dtype]
    _copy_params(wm, tm)
    wl, tl = _both_lengths(lengths, kind)
    wx = wb.tensor(x, requires_grad=True)
    tx = torch.from_numpy(x.copy()).requires_grad_(True)
    wp = wrnn.pack_padded_sequence(wx, wl, batch_first=batch_first, enforce_sorted=enforce_sorted)
    tp = trnn.pack_padded_sequence(tx, tl, batch_first=batch_first, enforce_sorted=enforce_sorted)
    ws = [wb.tensor(s, requires_grad=True) for s in states]
    ts = [torch.from_numpy(s.copy()).requires_grad_(True) for s in states]
    wh = None if not states else (ws[0] if len(ws) == 1 else tuple(ws))
    th = None if not states else (ts[0] if len(ts) == 1 else tuple(ts))
    wout, wstate = wm(wp, wh)
    tout, tstate = tm(tp, th)
    assert isinstance(wout, wrnn.PackedSequence)
    np.testing.assert_array_equal(wout.batch_sizes.numpy(), tout.batch_sizes.numpy())
    wlist = [wout.data] + (list(wstate) if isinstance(wstate, tuple) else [wstate])
    tlist = [tout.data] + (list(tstate) if isinstance(tstate, tuple) else [tstate])
    rng = np.random.default_rng(11)
    wloss, tloss = 0, 0
    for w, t in zip(wlist, tlist):
        assert w.shape == tuple(t.shape) and w.dtype == np.dtype(dtype)
        np.testing.assert_allclose(w.numpy(), t.detach().numpy(), **tol)
        cot = rng.standard_normal(w.shape).astype(dtype)
        wloss = wloss + (w * wb.tensor(cot)).sum()
        tloss = tloss + (t * torch.from_numpy(cot)).sum()
    # the padded output too (the usual next step), in the original batch order
    wpad, _ = wrnn.pad_packed_sequence(wout, batch_first=batch_first)
    tpad, _ = trnn.pad_packed_sequence(tout, batch_first=batch_first)
    np.testing.assert_allclose(wpad.numpy(), tpad.detach().numpy(), **tol)
    wloss.backward()
    tloss.backward()
    np.testing.assert_allclose(wx.grad.numpy(), tx.grad.numpy(), **tol)
    for w, t in zip(ws, ts):
        np.testing.assert_allclose(w.grad.numpy(), t.grad.numpy(), **tol)
    tparams = dict(tm.named_parameters())
    for name, p in wm.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), tparams[name].grad.numpy(), err_msg=name,
                                   **tol)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("layers,bidir,batch_first,enforce_sorted,lengths,states,kind", GRID,
                         ids=str)
@pytest.mark.parametrize("layer", list(LAYERS))
def test_packed_recurrent_layers_match_torch(layer, layers, bidir, batch_first, enforce_sorted,
                                             lengths, states, kind, dtype):
    wcls, tcls, extra = LAYERS[layer]
    In, H = 3, 4
    kw = dict(num_layers=layers, bidirectional=bidir, batch_first=batch_first, **extra)
    wm = wcls(In, H, dtype=dtype, **kw)
    tm = tcls(In, H, **kw).to(getattr(torch, np.dtype(dtype).name))
    rng = np.random.default_rng(layers * 7 + len(lengths))
    B, T = len(lengths), max(lengths) + 1  # one step of pure padding at the end
    x = rng.standard_normal((B, T, In) if batch_first else (T, B, In)).astype(dtype)
    D, P = (2 if bidir else 1), extra.get("proj_size") or H
    st = []
    if states:
        st = [rng.standard_normal((D * layers, B, P)).astype(dtype)]
        if wcls is nn.LSTM:
            st.append(rng.standard_normal((D * layers, B, H)).astype(dtype))
    _run_packed(wm, tm, x, lengths, kind, batch_first, enforce_sorted, st, dtype)


def test_packed_equals_running_each_sequence_alone():
    """The defining property, without torch: h_n of a packed batch is each sequence's h_n when it
    is run on its own, unpadded; the packed output is its output."""
    m = nn.GRU(3, 5, num_layers=2, bidirectional=True, dtype=np.float64)
    rng = np.random.default_rng(5)
    seqs = [rng.standard_normal((n, 3)) for n in (3, 6, 1, 4)]
    out, h_n = m(wrnn.pack_sequence([wb.tensor(s) for s in seqs], enforce_sorted=False))
    padded, lengths = wrnn.pad_packed_sequence(out, batch_first=True)
    for b, s in enumerate(seqs):
        alone_out, alone_h = m(wb.tensor(s[:, None, :]))
        np.testing.assert_allclose(h_n.numpy()[:, b], alone_h.numpy()[:, 0], rtol=1e-12,
                                   atol=1e-12)
        np.testing.assert_allclose(padded.numpy()[b, :len(s)], alone_out.numpy()[:, 0],
                                   rtol=1e-12, atol=1e-12)
        assert int(lengths.numpy()[b]) == len(s)
        assert not padded.numpy()[b, len(s):].any()


def test_packed_lstm_gradcheck():
    """Finite differences through a packed, unsorted, bidirectional LSTM (input and states)."""
    m = nn.LSTM(2, 3, bidirectional=True, dtype=np.float64)
    rng = np.random.default_rng(0)
    x = wb.tensor(rng.standard_normal((4, 3, 2)), requires_grad=True)
    h0 = wb.tensor(rng.standard_normal((2, 3, 3)), requires_grad=True)
    c0 = wb.tensor(rng.standard_normal((2, 3, 3)), requires_grad=True)

    def f(v, h, c):
        out, (hn, cn) = m(wrnn.pack_padded_sequence(v, [2, 4, 1], enforce_sorted=False), (h, c))
        return wb.cat([out.data.reshape(-1), hn.reshape(-1), cn.reshape(-1)])

    assert gradcheck(f, (x, h0, c0))
