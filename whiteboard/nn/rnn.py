"""Recurrent layers: ``RNN`` (tanh / relu), ``LSTM``, ``GRU`` and their one-step cells.

Math (one time step, x_t ∈ R^I, h_{t-1} ∈ R^H, σ the logistic sigmoid, ⊙ element-wise)::

    RNN    h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)           act = tanh or relu

    LSTM   [i, f, g, o] = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh       (gate order i, f, g, o)
           i, f, o = σ(i), σ(f), σ(o);   g = tanh(g)
           c_t = f ⊙ c_{t-1} + i ⊙ g
           h_t = o ⊙ tanh(c_t)

    GRU    [r, z, n]_x = W_ih x_t + b_ih,   [r, z, n]_h = W_hh h_{t-1} + b_hh   (order r, z, n)
           r = σ(r_x + r_h),   z = σ(z_x + z_h)
           n = tanh(n_x + r ⊙ n_h)          — the reset gate multiplies W_hn h + b_hn, as in
                                              PyTorch and cuDNN (the original paper applies r to
                                              h before the matrix product)
           h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}

Backprop through time, for one layer and direction, is one fused op (``_Recurrence``): the input
projection X W_ihᵀ + b_ih of all T steps is one GEMM before the loop; the loop runs only the
(B, H) × (H, G·H) recurrent products; the backward walks the steps in reverse carrying dL/dh
(and dL/dc for the LSTM), collects the pre-activation gradients D (T, B, G·H) and then forms
dL/dX = D_x W_ih,  dL/dW_ih = Σ_t D_x,tᵀ x_t,  dL/dW_hh = Σ_t D_h,tᵀ h_{t-1}  as GEMMs over all
steps at once. For the LSTM (the RNN) D_x = D_h; for the GRU they differ only in the n block,
D_h,n = D_x,n ⊙ r.

Parameters follow PyTorch's layout and names: ``weight_ih_l{k}{_reverse}`` (G·H, I or D·H),
``weight_hh_l{k}{_reverse}`` (G·H, H), ``bias_ih_l{k}…``, ``bias_hh_l{k}…`` (G·H,), G = 1, 4, 3
for RNN, LSTM, GRU; every parameter is drawn from U(−1/√H, 1/√H). An LSTM with ``proj_size``
P adds ``weight_hr_l{k}{_reverse}`` (P, H) and its ``weight_hh`` is (4H, P) (see ``LSTM``).

Shapes (L layers, D = 2 if bidirectional else 1)::

    input   (T, B, I), or (B, T, I) with batch_first, or unbatched (T, I)
    h0, c0  (D·L, B, H), or unbatched (D·L, H); zeros when omitted
    output  (T, B, D·H) — the last layer's h_t, forward and reverse halves concatenated
    h_n     (D·L, B, H) — every layer's and direction's final state (the reverse direction's
            final state is the one at t = 0)

A ``PackedSequence`` input (``nn.utils.rnn.pack_padded_sequence``) gives a PackedSequence
output with the same ``batch_sizes`` and indices; ``h_0``/``c_0`` and ``h_n``/``c_n`` are in the
original batch order, and ``h_n`` is each sequence's state after its own last real step (for the
reverse direction: after its step 0, the reverse pass starting at the sequence's last step). The
recurrence runs on the sorted batch, where the sequences still running at step t are the first
``batch_sizes[t]`` rows: each step is one (n_t, H) × (H, G·H) product over those rows, and the
finished rows keep their state (so their gradient passes straight through).
"""

from __future__ import annotations

import math

import numpy as np

from .. import backend
from ..autograd import Function, Tensor
from ..autograd.ops import _as_tensor, cat, stack
from . import init
from .dropout import dropout
from .module import Module
from .parameter import Parameter
from .utils.rnn import (PackedSequence, _check_packed, _host, _pack_time_major,
                        _unpack_time_major)

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _sigmoid(xp, v):
    # σ(v) = (1 + tanh(v/2)) / 2: one transcendental call, and no overflow for any v.
    return 0.5 + 0.5 * xp.tanh(0.5 * v)


def _checked_input(name, input, unbatched_ndim, input_size, dtype):
    """``input`` as a Tensor of rank ``unbatched_ndim`` or one more (batched), with
    ``input_size`` features and the parameters' ``dtype``; errors name the layer and shape."""
    x = _as_tensor(input)
    if x.ndim not in (unbatched_ndim, unbatched_ndim + 1):
        raise ValueError(f"{name}: expected a {unbatched_ndim}-D (unbatched) or "
                         f"{unbatched_ndim + 1}-D input, got shape {x.shape}")
    if x.shape[-1] != input_size:
        raise ValueError(f"{name} expected input_size {input_size}, got {x.shape[-1]} "
                         f"(input shape {x.shape})")
    if x.dtype != dtype:
        raise TypeError(f"{name}: input dtype {x.dtype} does not match the parameters' "
                        f"dtype {dtype}")
    return x


class _Recurrence(Function):
    """One layer, one direction, all T steps, with its hand-written backward through time.

    Returns (T, B, H) — the hidden states — or, for the LSTM, (T, B, 2H) = [h_t, c_t], so that
    c_n is a slice of the result and the graph needs only one node.
    """

    @staticmethod
    def forward(ctx, x, h0, c0, w_ih, w_hh, b_ih, b_hh, mode, reverse, w_hr=None,
                batch_sizes=None):
        xp = backend.get_array_module(x)
        if reverse:
            x = x[::-1]
        T, B, _ = x.shape
        # Packed input: at step t only the first n_t = batch_sizes[t] rows run (a prefix, as the
        # batch is sorted by length); the others keep their state (h, c frozen), so the last
        # step of every sequence is also its state at t = T − 1 (forward) or t = 0 (reverse).
        if batch_sizes is None:
            steps = [B] * T
        else:
            steps = [int(n) for n in (batch_sizes[::-1] if reverse else batch_sizes)]
        empty = xp.empty if batch_sizes is None else xp.zeros
        H = w_hh.shape[0] // _GATES[mode]  # cell size
        P = w_hh.shape[1]  # hidden-state size: H, or proj_size with a projection
        xg = x @ w_ih.T
        if b_ih is not None:
            xg = xg + b_ih
        hs = xp.empty((T + 1, B, P), dtype=x.dtype)
        hs[0] = h0
        w_hh_t = w_hh.T
        if mode == "LSTM":
            cs = xp.empty((T + 1, B, H), dtype=x.dtype)
            cs[0] = c0
            acts = empty((T, B, 4 * H), dtype=x.dtype)
            half = xp.full(4 * H, 0.5, dtype=x.dtype)
            half[2 * H:3 * H] = 1
            shift = half.copy()
            shift[2 * H:3 * H] = 0
            tanh_c = empty((T, B, H), dtype=x.dtype)
            ms = empty((T, B, H), dtype=x.dtype) if w_hr is not None else None
            w_hr_t = w_hr.T if w_hr is not None else None
        elif mode == "GRU":
            acts = empty((T, B, 3 * H), dtype=x.dtype)
            hn = empty((T, B, H), dtype=x.dtype)
        for t in range(T):
            k = steps[t]  # active rows
            hg = hs[t, :k] @ w_hh_t
            if b_hh is not None:
                hg = hg + b_hh
            if mode == "RNN_TANH":
                hs[t + 1, :k] = xp.tanh(xg[t, :k] + hg)
            elif mode == "RNN_RELU":
                hs[t + 1, :k] = xp.maximum(xg[t, :k] + hg, 0)
            elif mode == "LSTM":
                # all four gates in one tanh: σ(v) = (1 + tanh(v/2)) / 2 for i, f, o; tanh for g
                a = xg[t, :k] + hg
                a *= half
                xp.tanh(a, out=a)
                a *= half
                a += shift
                acts[t, :k] = a
                cs[t + 1, :k] = a[:, H:2 * H] * cs[t, :k] + a[:, :H] * a[:, 2 * H:3 * H]
                tanh_c[t, :k] = xp.tanh(cs[t + 1, :k])
                if w_hr is None:
                    hs[t + 1, :k] = a[:, 3 * H:] * tanh_c[t, :k]
                else:  # h_t = W_hr (o ⊙ tanh(c_t))
                    ms[t, :k] = a[:, 3 * H:] * tanh_c[t, :k]
                    hs[t + 1, :k] = ms[t, :k] @ w_hr_t
                if k < B:
                    cs[t + 1, k:] = cs[t, k:]
            else:
                rz = _sigmoid(xp, xg[t, :k, :2 * H] + hg[:, :2 * H])
                hn[t, :k] = hg[:, 2 * H:]
                n = xp.tanh(xg[t, :k, 2 * H:] + rz[:, :H] * hn[t, :k])
                acts[t, :k, :2 * H] = rz
                acts[t, :k, 2 * H:] = n
                z = rz[:, H:]
                hs[t + 1, :k] = (1 - z) * n + z * hs[t, :k]
            if k < B:
                hs[t + 1, k:] = hs[t, k:]
        ctx.mode, ctx.reverse, ctx.H, ctx.P = mode, reverse, H, P
        ctx.steps = steps
        ctx.has_bias = b_ih is not None
        ctx.save_for_backward(x, hs, w_ih, w_hh)
        if mode == "LSTM":
            ctx.extra = (cs, acts, tanh_c, ms, w_hr)
            out = xp.concatenate([hs[1:], cs[1:]], axis=2)
        elif mode == "GRU":
            ctx.extra = (acts, hn)
            out = hs[1:]
        else:
            out = hs[1:]
        return out[::-1].copy() if reverse else out

    @staticmethod
    def backward(ctx, grad):
        x, hs, w_ih, w_hh = ctx.saved_tensors
        mode, H, P = ctx.mode, ctx.H, ctx.P
        xp = backend.get_array_module(grad)
        if ctx.reverse:
            grad = grad[::-1]
        T, B, _ = x.shape
        G = _GATES[mode]
        dx_gates = xp.empty((T, B, G * H), dtype=x.dtype)
        dh_gates = dx_gates if mode != "GRU" else xp.empty_like(dx_gates)
        dh = xp.zeros((B, P), dtype=x.dtype)
        w_hr = None
        if mode == "LSTM":
            cs, acts, tanh_c, ms, w_hr = ctx.extra
            dhs = xp.empty((T, B, P), dtype=x.dtype) if w_hr is not None else None
            dc = xp.zeros((B, H), dtype=x.dtype)
            # The step-independent factors of the gate gradients, for all T steps at once:
            # dL/d(pre-activation) = dc ⊙ [g σ'(i), c_{t-1} σ'(f), i tanh'(g)], dh ⊙ tanh(c) σ'(o)
            i, f, g, o = (acts[..., k * H:(k + 1) * H] for k in range(4))
            factor = xp.concatenate([g * i * (1 - i), cs[:-1] * f * (1 - f), i * (1 - g * g),
                                     tanh_c * o * (1 - o)], axis=2).reshape(T, B, 4, H)
            dh_to_dc = o * (1 - tanh_c * tanh_c)
            d4 = dx_gates.reshape(T, B, 4, H)
        elif mode == "GRU":
            acts, hn = ctx.extra
        steps = ctx.steps
        for t in range(T - 1, -1, -1):
            # rows k: are past their sequence's end at this step (packed input): their state was
            # copied forward, so dL/dh and dL/dc pass through unchanged and their gates get 0
            k = steps[t]
            dh = dh + grad[t, :, :P]
            if k < B:
                dx_gates[t, k:] = 0
                if mode == "GRU":
                    dh_gates[t, k:] = 0
            dhk = dh[:k]
            if mode == "RNN_TANH":
                dx_gates[t, :k] = dhk * (1 - hs[t + 1, :k] ** 2)
            elif mode == "RNN_RELU":
                dx_gates[t, :k] = dhk * (hs[t + 1, :k] > 0)
            elif mode == "LSTM":
                dm = dhk
                if w_hr is not None:  # back through the projection: dL/dm = dL/dh W_hr
                    dhs[t] = dh
                    if k < B:
                        dhs[t, k:] = 0
                    dm = dhk @ w_hr
                dc = dc + grad[t, :, P:]
                dc[:k] += dm * dh_to_dc[t, :k]
                xp.multiply(dc[:k, None, :], factor[t, :k, :3], out=d4[t, :k, :3])
                xp.multiply(dm, factor[t, :k, 3], out=d4[t, :k, 3])
                dc[:k] *= f[t, :k]
            else:
                a = acts[t, :k]
                r, z, n = a[:, :H], a[:, H:2 * H], a[:, 2 * H:]
                dn = dhk * (1 - z) * (1 - n ** 2)
                dr = dn * hn[t, :k] * r * (1 - r)
                dz = dhk * (hs[t, :k] - n) * z * (1 - z)
                dx_gates[t, :k, :H] = dr
                dx_gates[t, :k, H:2 * H] = dz
                dx_gates[t, :k, 2 * H:] = dn
                dh_gates[t, :k, :2 * H] = dx_gates[t, :k, :2 * H]
                dh_gates[t, :k, 2 * H:] = dn * r
                dh_direct = dhk * z
            if k == B:
                dh = dh_gates[t] @ w_hh
                if mode == "GRU":
                    dh = dh + dh_direct
            else:
                dh = dh.copy()
                dh[:k] = dh_gates[t, :k] @ w_hh
                if mode == "GRU":
                    dh[:k] += dh_direct
        flat_x = dx_gates.reshape(T * B, G * H)
        flat_h = dh_gates.reshape(T * B, G * H)
        need = ctx.needs_input_grad
        dx = dx_gates @ w_ih if need[0] else None
        dw_ih = flat_x.T @ x.reshape(T * B, -1) if need[3] else None
        dw_hh = flat_h.T @ hs[:-1].reshape(T * B, P) if need[4] else None
        db_ih = backend.accurate_sum(flat_x, axis=0) if ctx.has_bias and need[5] else None
        db_hh = backend.accurate_sum(flat_h, axis=0) if ctx.has_bias and need[6] else None
        if ctx.reverse and dx is not None:
            dx = dx[::-1].copy()
        dc0 = dc if mode == "LSTM" else None
        grads = (dx, dh, dc0, dw_ih, dw_hh, db_ih, db_hh, None, None)
        # (batch_sizes is a keyword argument, which Function.apply does not count)
        if w_hr is None:
            return grads
        dw_hr = dhs.reshape(T * B, P).T @ ms.reshape(T * B, H) if need[9] else None
        return grads + (dw_hr,)


def _recurrence(x, h0, c0, w_ih, w_hh, b_ih, b_hh, mode, reverse, w_hr=None, batch_sizes=None):
    if w_hr is None:
        return _Recurrence.apply(x, h0, c0, w_ih, w_hh, b_ih, b_hh, mode, reverse,
                                 batch_sizes=batch_sizes)
    return _Recurrence.apply(x, h0, c0, w_ih, w_hh, b_ih, b_hh, mode, reverse, w_hr,
                             batch_sizes=batch_sizes)


def _host_indices(indices):
    return None if indices is None else _host(indices).astype(np.int64)


def _dtype_of(dtype):
    return backend.get_default_dtype() if dtype is None else np.dtype(dtype)


class RNNBase(Module):
    """Shared machinery of ``RNN``, ``LSTM`` and ``GRU`` (``torch.nn.RNNBase``)."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        name = type(self).__name__
        for arg, value in (("input_size", input_size), ("hidden_size", hidden_size),
                           ("num_layers", num_layers)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"{name}: {arg} must be a positive integer, got {value!r}")
        if not 0.0 <= float(dropout) <= 1.0:
            raise ValueError(f"{name}: dropout must be in [0, 1], got {dropout!r}")
        if not isinstance(proj_size, (int, np.integer)) or isinstance(proj_size, bool) \
                or proj_size < 0:
            raise ValueError(f"{name}: proj_size must be a non-negative integer, got "
                             f"{proj_size!r}")
        if proj_size and mode != "LSTM":
            raise ValueError(f"{name}: proj_size is only supported for LSTM, not RNN or GRU")
        if proj_size >= hidden_size:
            raise ValueError(f"{name}: proj_size ({proj_size}) has to be smaller than "
                             f"hidden_size ({hidden_size})")
        self.proj_size = int(proj_size)
        self.mode = mode
        self.input_size = int(input_size)
        self.hidden_size = int(hidden_size)
        self.num_layers = int(num_layers)
        self.bias = bool(bias)
        self.batch_first = bool(batch_first)
        self.dropout = float(dropout)
        self.bidirectional = bool(bidirectional)
        dtype = _dtype_of(dtype)
        gate = _GATES[mode] * self.hidden_size
        D = 2 if self.bidirectional else 1
        real_hidden = self.proj_size or self.hidden_size
        self._flat_weights_names = []
        for layer in range(self.num_layers):
            layer_in = self.input_size if layer == 0 else D * real_hidden
            for direction in range(D):
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                shapes = [("weight_ih", (gate, layer_in)), ("weight_hh", (gate, real_hidden))]
                if self.bias:
                    shapes += [("bias_ih", (gate,)), ("bias_hh", (gate,))]
                if self.proj_size:
                    shapes.append(("weight_hr", (self.proj_size, self.hidden_size)))
                for base, shape in shapes:
                    setattr(self, base + suffix, Parameter(Tensor(np.zeros(shape), dtype=dtype)))
                    self._flat_weights_names.append(base + suffix)
        self.reset_parameters()
        if device is not None:
            self.to(device=device)

    def reset_parameters(self):
        """PyTorch's default: every weight and bias ~ U(−1/√hidden_size, 1/√hidden_size)."""
        k = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            init.uniform_(p, -k, k)

    def _layer_params(self, layer, direction):
        suffix = f"_l{layer}" + ("_reverse" if direction else "")
        get = lambda base: getattr(self, base + suffix) if self.bias or "weight" in base else None  # noqa: E731
        w_hr = getattr(self, "weight_hr" + suffix) if self.proj_size else None
        return (get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh"), w_hr)

    def _check_state(self, state, what, expected, x_shape):
        if state.shape != expected:
            raise ValueError(
                f"{type(self).__name__}: expected {what} of shape {expected}, got {state.shape} "
                f"(input shape {x_shape})"
            )
        if state.dtype != self.weight_ih_l0.dtype:
            raise TypeError(f"{type(self).__name__}: {what} dtype {state.dtype} does not match "
                            f"the parameters' dtype {self.weight_ih_l0.dtype}")

    def forward(self, input, hx=None):
        name = type(self).__name__
        packed = isinstance(input, PackedSequence)
        batch_sizes = None
        if packed:
            batch_sizes = _check_packed(input, name)
            x = _as_tensor(input.data)
            if x.ndim != 2:
                raise ValueError(f"{name}: a PackedSequence's data must be 2-D (Σ lengths, "
                                 f"input_size), got shape {x.shape}")
            x = _checked_input(name, x, 1, self.input_size, self.weight_ih_l0.dtype)
            seq = _unpack_time_major(x, batch_sizes)  # (T, B, I), sorted by length
            batched = True
            sorted_idx = _host_indices(input.sorted_indices)
            unsorted_idx = _host_indices(input.unsorted_indices)
        else:
            x = _checked_input(name, input, 2, self.input_size, self.weight_ih_l0.dtype)
            batched = x.ndim == 3
            seq = x if not batched else (x.transpose(0, 1) if self.batch_first else x)
            if not batched:
                seq = seq.unsqueeze(1)
        B, H = seq.shape[1], self.hidden_size
        P = self.proj_size or H  # size of h (the projection's output with proj_size)
        D = 2 if self.bidirectional else 1
        expected = (D * self.num_layers, B, P) if batched else (D * self.num_layers, P)
        expected_c = (D * self.num_layers, B, H) if batched else (D * self.num_layers, H)
        is_lstm = self.mode == "LSTM"
        if hx is None:
            xp = backend.get_array_module(x.data)
            h0 = xp.zeros((D * self.num_layers, B, P), dtype=x.dtype)
            c0 = xp.zeros((D * self.num_layers, B, H), dtype=x.dtype)
        else:
            if is_lstm:
                if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                    raise TypeError(f"{name}: hx must be a tuple (h_0, c_0)")
                h0, c0 = _as_tensor(hx[0]), _as_tensor(hx[1])
                self._check_state(h0, "h_0", expected, x.shape)
                self._check_state(c0, "c_0", expected_c, x.shape)
            else:
                h0, c0 = _as_tensor(hx), None
                self._check_state(h0, "hx", expected, x.shape)
            if not batched:
                h0 = h0.unsqueeze(1)
                c0 = c0.unsqueeze(1) if c0 is not None else None
            if packed and sorted_idx is not None:  # hx is in the original batch order
                h0 = h0[:, sorted_idx]
                c0 = c0[:, sorted_idx] if c0 is not None else None
        h_n, c_n = [], []
        layer_input = seq
        for layer in range(self.num_layers):
            outs = []
            for direction in range(D):
                k = layer * D + direction
                w_ih, w_hh, b_ih, b_hh, w_hr = self._layer_params(layer, direction)
                out = _recurrence(layer_input, h0[k], None if c0 is None else c0[k], w_ih, w_hh,
                                  b_ih, b_hh, self.mode, bool(direction), w_hr, batch_sizes)
                last = 0 if direction else -1
                if is_lstm:
                    h_n.append(out[last, :, :P])
                    c_n.append(out[last, :, P:])
                    out = out[:, :, :P]
                else:
                    h_n.append(out[last])
                outs.append(out)
            layer_input = outs[0] if D == 1 else cat(outs, dim=2)
            if self.dropout and self.training and layer < self.num_layers - 1:
                layer_input = dropout(layer_input, self.dropout, training=True)
        output = layer_input
        h_n = stack(h_n, dim=0)
        c_n = stack(c_n, dim=0) if is_lstm else None
        if packed:
            output = PackedSequence(_pack_time_major(output, batch_sizes), input.batch_sizes,
                                    input.sorted_indices, input.unsorted_indices)
            if unsorted_idx is not None:  # back to the original batch order
                h_n = h_n[:, unsorted_idx]
                c_n = c_n[:, unsorted_idx] if is_lstm else None
        elif not batched:
            output = output.squeeze(1)
            h_n = h_n.squeeze(1)
            c_n = c_n.squeeze(1) if is_lstm else None
        elif self.batch_first:
            output = output.transpose(0, 1)
        return (output, (h_n, c_n)) if is_lstm else (output, h_n)

    def extra_repr(self):
        s = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if not self.bias:
            s += ", bias=False"
        if self.batch_first:
            s += ", batch_first=True"
        if self.dropout:
            s += f", dropout={self.dropout}"
        if self.bidirectional:
            s += ", bidirectional=True"
        if self.proj_size:
            s += f", proj_size={self.proj_size}"
        return s


class RNN(RNNBase):
    """Elman RNN ``h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)`` (``torch.nn.RNN``).

    ``nonlinearity`` is ``'tanh'`` (default) or ``'relu'``. Returns ``(output, h_n)``; see the
    module docstring for the shapes and parameter names.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, device=None, dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size,
                         hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def extra_repr(self):
        s = super().extra_repr()
        return s + (", nonlinearity='relu'" if self.nonlinearity == "relu" else "")


class LSTM(RNNBase):
    """Long short-term memory (``torch.nn.LSTM``, gate order i, f, g, o).

    Returns ``(output, (h_n, c_n))``; ``hx`` is ``(h_0, c_0)``.

    ``proj_size = P > 0`` (Sak et al. 2014, LSTMP): the hidden state is projected,
    ``h_t = W_hr (o_t ⊙ tanh(c_t))`` with ``weight_hr_l{k}`` (P, H); then ``weight_hh`` is (4H, P),
    the layers above take D·P inputs, ``output`` is (T, B, D·P), ``h_0``/``h_n`` are (D·L, B, P)
    while ``c_0``/``c_n`` stay (D·L, B, H).
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, proj_size, device=device, dtype=dtype)


class GRU(RNNBase):
    """Gated recurrent unit (``torch.nn.GRU``, gate order r, z, n;
    n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))). Returns ``(output, h_n)``."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, device=None, dtype=None):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, device=device, dtype=dtype)


class RNNCellBase(Module):
    """One time step of a recurrent layer (``torch.nn.RNNCellBase``): parameters ``weight_ih``
    (G·H, I), ``weight_hh`` (G·H, H), ``bias_ih``, ``bias_hh`` (G·H,), all ~ U(±1/√H)."""

    def __init__(self, mode, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__()
        name = type(self).__name__
        for arg, value in (("input_size", input_size), ("hidden_size", hidden_size)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"{name}: {arg} must be a positive integer, got {value!r}")
        self.mode = mode
        self.input_size, self.hidden_size, self.bias = int(input_size), int(hidden_size), bias
        dtype = _dtype_of(dtype)
        gate = _GATES[mode] * self.hidden_size
        self.weight_ih = Parameter(Tensor(np.zeros((gate, self.input_size)), dtype=dtype))
        self.weight_hh = Parameter(Tensor(np.zeros((gate, self.hidden_size)), dtype=dtype))
        if bias:
            self.bias_ih = Parameter(Tensor(np.zeros(gate), dtype=dtype))
            self.bias_hh = Parameter(Tensor(np.zeros(gate), dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()
        if device is not None:
            self.to(device=device)

    def reset_parameters(self):
        """PyTorch's default: every weight and bias ~ U(−1/√hidden_size, 1/√hidden_size)."""
        k = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            init.uniform_(p, -k, k)

    def _step(self, input, hx):
        name = type(self).__name__
        x = _checked_input(name, input, 1, self.input_size, self.weight_ih.dtype)
        batched = x.ndim == 2
        x2 = x if batched else x.unsqueeze(0)
        B, H = x2.shape[0], self.hidden_size
        expected = (B, H) if batched else (H,)
        states = []
        for s, what in zip(hx if isinstance(hx, tuple) else (hx,),
                           ("h_0", "c_0") if self.mode == "LSTM" else ("hx",)):
            if s is None:
                states.append(backend.get_array_module(x.data).zeros((B, H), dtype=x.dtype))
                continue
            s = _as_tensor(s)
            if s.shape != expected:
                raise ValueError(f"{name}: expected {what} of shape {expected}, got {s.shape} "
                                 f"(input shape {x.shape})")
            if s.dtype != self.weight_ih.dtype:
                raise TypeError(f"{name}: {what} dtype {s.dtype} does not match the "
                                f"parameters' dtype {self.weight_ih.dtype}")
            states.append(s if batched else s.unsqueeze(0))
        h0 = states[0]
        c0 = states[1] if self.mode == "LSTM" else None
        out = _recurrence(x2.unsqueeze(0), h0, c0, self.weight_ih, self.weight_hh, self.bias_ih,
                          self.bias_hh, self.mode, False)[0]
        if self.mode == "LSTM":
            h, c = out[:, :H], out[:, H:]
            return (h, c) if batched else (h.squeeze(0), c.squeeze(0))
        return out if batched else out.squeeze(0)

    def extra_repr(self):
        return f"{self.input_size}, {self.hidden_size}" + ("" if self.bias else ", bias=False")


class RNNCell(RNNCellBase):
    """``h' = act(W_ih x + b_ih + W_hh h + b_hh)`` (``torch.nn.RNNCell``); input (B, I) or (I,),
    hx (B, H) or (H,), zeros when omitted."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: nonlinearity must be 'tanh' or 'relu', got "
                             f"{nonlinearity!r}")
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size,
                         hidden_size, bias, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        return self._step(input, hx)


class LSTMCell(RNNCellBase):
    """One LSTM step (``torch.nn.LSTMCell``): ``hx`` = (h, c) or None; returns (h', c')."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, bias, device, dtype)

    def forward(self, input, hx=None):
        if hx is not None and (not isinstance(hx, (tuple, list)) or len(hx) != 2):
            raise TypeError("LSTMCell: hx must be a tuple (h_0, c_0)")
        return self._step(input, (None, None) if hx is None else tuple(hx))


class GRUCell(RNNCellBase):
    """One GRU step (``torch.nn.GRUCell``); returns h'."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__("GRU", input_size, hidden_size, bias, device, dtype)

    def forward(self, input, hx=None):
        return self._step(input, hx)
