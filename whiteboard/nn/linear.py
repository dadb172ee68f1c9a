"""Fully connected (affine) layer: ``linear`` and ``Linear``.

Math (one sample x ∈ R^in, weight W ∈ R^{out×in}, bias b ∈ R^out)::

    y = W x + b                      (batched: Y = X Wᵀ + b, X of shape (*, in))

Backward, for the upstream gradient G = dL/dY of shape (*, out), with X and G flattened to
(M, in) and (M, out) over the leading axes::

    dL/dX = G W          (*, in)
    dL/dW = Gᵀ X         (out, in)     — a sum of outer products over the M rows
    dL/db = Σ_rows G     (out,)

Initialisation (PyTorch's default): ``W ~ U(-1/√in, 1/√in)`` — this is
``kaiming_uniform_(W, a=√5)``, whose gain √(2/(1+5)) = √(1/3) times √(3/in) gives 1/√in — and
``b ~ U(-1/√in, 1/√in)``. It is *not* He initialisation (the notes' 001/003 "He" code has a stray
0.001 factor, see ERRATA E36; PyTorch's default is neither He nor that).
"""

from __future__ import annotations

import math

import numpy as np

from .. import backend
from ..autograd import Tensor
from ..autograd.ops import _as_tensor
from . import init
from ..validation import check_same_float_dtype, check_size
from .module import Module
from .parameter import Parameter

__all__ = ["linear", "Linear"]


def _check_features(x, weight, who):
    if x.ndim == 0:
        raise ValueError(f"{who} expected an input with at least 1 dimension, got a scalar")
    if weight.ndim != 2:
        raise ValueError(f"{who}: weight must be 2-D (out_features, in_features), got shape "
                         f"{weight.shape}")
    if x.shape[-1] != weight.shape[1]:
        raise ValueError(
            f"{who} expected {weight.shape[1]} input features, got {x.shape[-1]} "
            f"(input shape {x.shape})"
        )


def linear(input, weight, bias=None):
    """Affine map ``y = x Wᵀ + b`` over the last axis (``torch.nn.functional.linear``).

    Shapes: input (*, in), weight (out, in), bias (out,) or None → output (*, out). The backward
    is fused (one node): dX = G W, dW = Gᵀ X, db = Σ G (see the module docstring).
    """
    x, w = _as_tensor(input), _as_tensor(weight)
    b = None if bias is None else _as_tensor(bias)
    _check_features(x, w, "linear")
    check_same_float_dtype("linear", input=x, weight=w, bias=b)
    if b is not None and b.shape not in ((w.shape[0],), ()):
        raise ValueError(
            f"linear: bias must have shape ({w.shape[0]},) to match weight {w.shape}, got "
            f"{b.shape}"
        )
    out = x.data @ w.data.T
    if b is not None:
        out = out + b.data
    in_features = w.shape[1]

    def backward(g):
        g2 = g.reshape(-1, g.shape[-1]) if g.ndim else g.reshape(1, 1)
        gx = gw = gb = None
        if x.requires_grad:
            gx = (g2 @ w.data).reshape(x.shape)
        if w.requires_grad:
            gw = g2.T @ x.data.reshape(-1, in_features)
        if b is not None and b.requires_grad:
            gb = backend.accurate_sum(g2, axis=0).reshape(b.shape)
        return (gx, gw) if b is None else (gx, gw, gb)

    parents = (x, w) if b is None else (x, w, b)
    return Tensor._make(out, parents, backward, "Linear")


class Linear(Module):
    """Fully connected layer ``y = x Wᵀ + b`` (``torch.nn.Linear``).

    Parameters
    ----------
    in_features, out_features : int
        Sizes of the last axis of the input and of the output.
    bias : bool
        Learn an additive bias (default True).
    dtype : dtype, optional
        Dtype of the parameters (the default float dtype otherwise).

    Attributes: ``weight`` (out_features, in_features) and ``bias`` (out_features,), both drawn
    from ``U(-1/√in_features, 1/√in_features)`` as in PyTorch.

    Shapes: input (*, in_features) → output (*, out_features).
    """

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        self.in_features = check_size(in_features, "in_features", type(self).__name__)
        self.out_features = check_size(out_features, "out_features", type(self).__name__)
        dtype = backend.get_default_dtype() if dtype is None else np.dtype(dtype)
        self.weight = Parameter(Tensor(np.zeros((out_features, in_features)), dtype=dtype))
        if bias:
            self.bias = Parameter(Tensor(np.zeros(out_features), dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()
        if device is not None:
            self.to(device=device)

    def reset_parameters(self):
        """PyTorch's default: ``kaiming_uniform_(W, a=√5)`` = U(±1/√fan_in), bias U(±1/√fan_in)."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.in_features
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input):
        x = _as_tensor(input)
        _check_features(x, self.weight, "Linear")
        check_same_float_dtype("Linear", input=x, weight=self.weight, bias=self.bias)
        return linear(x, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")
