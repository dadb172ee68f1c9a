"""Differentiable operations, each with its hand-written backward pass.

Every op computes its output on arrays and returns it with a closure ``backward(g)`` that maps the
upstream gradient ``g = dL/dout`` (an array of the output's shape) to one gradient per input (or
``None`` for inputs that need none). Broadcasting in the forward pass is undone in the backward by
:func:`unbroadcast`: an input of shape ``(3, 1)`` broadcast to ``(5, 3, 4)`` receives ``g`` summed
over the new leading axis and over the stretched axis.

Names, argument names and semantics follow PyTorch (``dim``, ``keepdim``, ``torch.cat`` ...).
"""

from __future__ import annotations

import builtins
import numbers
from collections import namedtuple
import warnings

import numpy as np

from .. import backend
from .tensor import Tensor

__all__ = [
    "add", "sub", "mul", "div", "pow", "neg", "matmul", "exp", "log", "sqrt", "abs", "tanh",
    "sigmoid", "relu", "sign", "clamp", "clip", "maximum", "minimum", "where", "masked_fill",
    "sum", "mean", "prod", "cumsum", "var", "std", "max", "min", "amax", "amin", "logsumexp",
    "argmax", "argmin",
    "reshape", "flatten", "transpose", "permute", "squeeze", "unsqueeze", "expand",
    "broadcast_to", "getitem", "cat", "concatenate", "stack", "split", "chunk", "pad", "cast",
    "clone", "compare", "unbroadcast",
]

MaxResult = namedtuple("MaxResult", ["values", "indices"])


# ---------------------------------------------------------------------- helpers
def _data(x):
    return x.data if isinstance(x, Tensor) else x


def _as_tensor(x, like=None):
    """Wrap scalars and arrays; Python scalars take ``like``'s floating dtype (as PyTorch)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (numbers.Number, np.bool_)) and like is not None:
        dtype = like.dtype
        if isinstance(x, numbers.Real) and not isinstance(x, numbers.Integral):
            if dtype.kind not in "fc":
                dtype = backend.get_default_dtype()
        elif isinstance(x, bool) and dtype.kind == "b":
            dtype = np.dtype(bool)
        return Tensor._wrap(like.xp.asarray(x, dtype=dtype))
    return Tensor(x)


def _pair(a, b):
    a_is, b_is = isinstance(a, Tensor), isinstance(b, Tensor)
    if a_is and not b_is:
        b = _as_tensor(b, a)
    elif b_is and not a_is:
        a = _as_tensor(a, b)
    elif not a_is and not b_is:
        a, b = Tensor(a), Tensor(b)
    return a, b


def _broadcast_check(a, b, op):
    try:
        return np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(
            f"{op}: shapes {a.shape} and {b.shape} cannot be broadcast together"
        ) from None


def unbroadcast(grad, shape):
    """Sum ``grad`` down to ``shape``: the adjoint of broadcasting ``shape`` to ``grad.shape``."""
    shape = tuple(shape)
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra:
        grad = backend.accurate_sum(grad, axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = backend.accurate_sum(grad, axis=stretched, keepdims=True)
    return grad.reshape(shape)


def _dims(dim, ndim):
    """Normalise ``dim`` (None, int or sequence) to a sorted tuple of non-negative axes."""
    if dim is None:
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    out = []
    for d in dims:
        if not -builtins.max(ndim, 1) <= d < builtins.max(ndim, 1):
            raise IndexError(
                f"dimension out of range (expected to be in range of "
                f"[{-builtins.max(ndim, 1)}, {builtins.max(ndim, 1) - 1}], but got {d})"
            )
        out.append(d % builtins.max(ndim, 1) if ndim else 0)
    if ndim == 0:
        return ()  # a 0-d tensor accepts dim 0 / -1 (as PyTorch) and has no axis to reduce
    return tuple(sorted(set(out)))


def _keep(grad, shape, dims, keepdim):
    """Re-insert reduced axes so that ``grad`` broadcasts against the input of shape ``shape``."""
    if keepdim or not shape:
        return grad
    return grad.reshape(tuple(1 if i in dims else n for i, n in enumerate(shape)))


def _unary(x, value, derivative, name):
    """An elementwise op whose backward is ``g * derivative()`` (computed lazily)."""
    x = _as_tensor(x)
    return Tensor._make(value, (x,), lambda g: (g * derivative(),), name)


# ---------------------------------------------------------------------- arithmetic
def add(a, b):
    """``a + b`` with broadcasting; each input receives ``g`` summed to its shape."""
    a, b = _pair(a, b)
    _broadcast_check(a, b, "add")
    return Tensor._make(
        a.data + b.data, (a, b),
        lambda g: (unbroadcast(g, a.shape), unbroadcast(g, b.shape)), "Add",
    )


def sub(a, b):
    """``a - b``; gradients ``g`` and ``-g``."""
    a, b = _pair(a, b)
    _broadcast_check(a, b, "sub")
    return Tensor._make(
        a.data - b.data, (a, b),
        lambda g: (unbroadcast(g, a.shape), unbroadcast(-g, b.shape)), "Sub",
    )


def mul(a, b):
    """``a * b``; gradients ``g·b`` and ``g·a``."""
    a, b = _pair(a, b)
    _broadcast_check(a, b, "mul")
    return Tensor._make(
        a.data * b.data, (a, b),
        lambda g: (unbroadcast(g * b.data, a.shape), unbroadcast(g * a.data, b.shape)), "Mul",
    )


def div(a, b):
    """``a / b`` (true division); gradients ``g/b`` and ``-g·a/b²``."""
    a, b = _pair(a, b)
    _broadcast_check(a, b, "div")
    out = a.data / b.data
    return Tensor._make(
        out, (a, b),
        lambda g: (unbroadcast(g / b.data, a.shape), unbroadcast(-g * out / b.data, b.shape)),
        "Div",
    )


def pow(a, b):
    """``a ** b``; gradients ``g·b·a^(b-1)`` and ``g·a^b·log a`` (0 where a = 0 and b ≥ 0)."""
    a, b = _pair(a, b)
    _broadcast_check(a, b, "pow")
    out = a.data ** b.data

    def backward(g):
        xp = backend.get_array_module(g)
        ga = gb = None
        if a.requires_grad:
            with np.errstate(divide="ignore", invalid="ignore"):
                ga = xp.where(b.data == 0, 0, g * b.data * a.data ** (b.data - 1))
            ga = unbroadcast(ga, a.shape)
        if b.requires_grad:
            with np.errstate(divide="ignore", invalid="ignore"):
                gb = g * out * xp.log(a.data)
            gb = xp.where((a.data == 0) & (b.data >= 0), 0, gb)
            gb = unbroadcast(gb, b.shape)
        return ga, gb

    return Tensor._make(out, (a, b), backward, "Pow")


def neg(x):
    """``-x``."""
    x = _as_tensor(x)
    return Tensor._make(-x.data, (x,), lambda g: (-g,), "Neg")


def matmul(a, b):
    """Matrix product with NumPy/PyTorch semantics (1-D operands, batched broadcasting).

    For ``C = A B``: ``dL/dA = G Bᵀ`` and ``dL/dB = Aᵀ G``. A 1-D left operand is treated as a
    row ``(1, n)`` and a 1-D right operand as a column ``(n, 1)``; batch axes that were broadcast
    are summed back.
    """
    a, b = _pair(a, b)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(
            f"matmul: both arguments need at least 1 dimension, got shapes {a.shape} and {b.shape}"
        )
    inner_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if a.shape[-1] != inner_b:
        raise ValueError(
            f"matmul: shapes {a.shape} and {b.shape} cannot be multiplied "
            f"({a.shape[-1]} != {inner_b})"
        )
    a2 = a.data[None, :] if a.ndim == 1 else a.data
    b2 = b.data[:, None] if b.ndim == 1 else b.data
    try:
        batch = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2])
    except ValueError:
        raise ValueError(
            f"matmul: batch dimensions of {a.shape} and {b.shape} cannot be broadcast"
        ) from None

    def backward(g):
        g2 = g.reshape(batch + (a2.shape[-2], b2.shape[-1]))
        ga = gb = None
        if a.requires_grad:
            ga = unbroadcast(g2 @ b2.swapaxes(-1, -2), a2.shape).reshape(a.shape)
        if b.requires_grad:
            gb = unbroadcast(a2.swapaxes(-1, -2) @ g2, b2.shape).reshape(b.shape)
        return ga, gb

    return Tensor._make(a.data @ b.data, (a, b), backward, "MatMul")


# ---------------------------------------------------------------------- elementwise functions
def exp(x):
    """``e^x``; derivative ``e^x``."""
    x = _as_tensor(x)
    out = x.xp.exp(x.data)
    return _unary(x, out, lambda: out, "Exp")


def log(x):
    """Natural logarithm; derivative ``1/x``."""
    x = _as_tensor(x)
    return _unary(x, x.xp.log(x.data), lambda: 1 / x.data, "Log")


def sqrt(x):
    """Square root; derivative ``1/(2√x)``."""
    x = _as_tensor(x)
    out = x.xp.sqrt(x.data)
    return _unary(x, out, lambda: 0.5 / out, "Sqrt")


def abs(x):
    """``|x|``; derivative ``sign(x)`` (0 at 0, as PyTorch)."""
    x = _as_tensor(x)
    return _unary(x, x.xp.abs(x.data), lambda: x.xp.sign(x.data), "Abs")


def tanh(x):
    """Hyperbolic tangent; derivative ``1 - tanh²``."""
    x = _as_tensor(x)
    out = x.xp.tanh(x.data)
    return _unary(x, out, lambda: 1 - out * out, "Tanh")


def sigmoid(x):
    """Logistic ``σ(x) = 1/(1+e^{-x})``, computed without overflow; derivative ``σ(1-σ)``."""
    x = _as_tensor(x)
    xp = x.xp
    ez = xp.exp(-xp.abs(x.data))
    out = xp.where(x.data >= 0, 1 / (1 + ez), ez / (1 + ez)).astype(x.dtype, copy=False)
    return _unary(x, out, lambda: out * (1 - out), "Sigmoid")


def relu(x):
    """``max(x, 0)``; derivative 1 for x > 0, else 0."""
    x = _as_tensor(x)
    mask = x.data > 0
    return _unary(x, x.data * mask, lambda: mask, "Relu")


def sign(x):
    """Sign of x (gradient zero everywhere)."""
    x = _as_tensor(x)
    return _unary(x, x.xp.sign(x.data), lambda: x.xp.zeros_like(x.data), "Sign")


def clamp(x, min=None, max=None):
    """Clip to ``[min, max]``; the gradient passes where ``min ≤ x ≤ max`` (bounds inclusive)."""
    x = _as_tensor(x)
    if min is None and max is None:
        raise ValueError("clamp: at least one of min and max must not be None")
    lo, hi = _data(min), _data(max)
    out, keep = x.data, x.xp.ones(x.shape, dtype=bool)
    if lo is not None:
        out = x.xp.maximum(out, lo).astype(x.dtype, copy=False)
        keep &= x.data >= lo
    if hi is not None:
        out = x.xp.minimum(out, hi).astype(x.dtype, copy=False)
        keep &= x.data <= hi
    return _unary(x, out, lambda: keep, "Clamp")


clip = clamp


def _extremum(a, b, pick, name):
    a, b = _pair(a, b)
    _broadcast_check(a, b, name)
    out = pick(a.data, b.data)

    def backward(g):
        # ties split the gradient in half, as PyTorch does
        wa = (a.data > b.data if pick is np.maximum else a.data < b.data) + 0.5 * (a.data == b.data)
        return unbroadcast(g * wa, a.shape), unbroadcast(g * (1 - wa), b.shape)

    return Tensor._make(out, (a, b), backward, name)


def maximum(a, b):
    """Elementwise maximum; the larger input gets the gradient (halved on ties)."""
    return _extremum(a, b, np.maximum, "Maximum")


def minimum(a, b):
    """Elementwise minimum; the smaller input gets the gradient (halved on ties)."""
    return _extremum(a, b, np.minimum, "Minimum")


def where(condition, x, y):
    """``x`` where ``condition`` else ``y``; each branch receives ``g`` where it was chosen."""
    cond = _data(condition)
    x, y = _pair(x, y)
    xp = x.xp
    out = xp.where(cond, x.data, y.data)
    return Tensor._make(
        out, (x, y),
        lambda g: (unbroadcast(xp.where(cond, g, 0), x.shape),
                   unbroadcast(xp.where(cond, 0, g), y.shape)),
        "Where",
    )


def masked_fill(x, mask, value):
    """``x`` with ``value`` where ``mask`` is true (no gradient flows to the filled entries)."""
    x = _as_tensor(x)
    return where(mask, _as_tensor(value, x), x)


def cast(x, dtype):
    """Convert to ``dtype``; the gradient is cast back to the input's dtype."""
    x = _as_tensor(x)
    dtype = np.dtype(dtype)
    if dtype == x.dtype:
        return x
    out = Tensor._make(x.data.astype(dtype), (x,), lambda g: (g.astype(x.dtype),), "Cast")
    if dtype.kind not in "fc":
        return out.detach()
    return out


def clone(x):
    """A copy that stays in the graph (gradient passes unchanged)."""
    x = _as_tensor(x)
    return Tensor._make(x.data.copy(), (x,), lambda g: (g,), "Clone")


def compare(a, b, name):
    """Elementwise comparison (``equal``, ``less`` ...): a boolean tensor outside the graph."""
    a, b = _pair(a, b)
    _broadcast_check(a, b, name)
    return Tensor._wrap(getattr(a.xp, name)(a.data, b.data))


# ---------------------------------------------------------------------- reductions
def sum(x, dim=None, keepdim=False):
    """Sum over ``dim`` (all axes when None); each element receives ``g``."""
    x = _as_tensor(x)
    dims = _dims(dim, x.ndim)
    out = backend.accurate_sum(x.data, axis=dims, keepdims=keepdim)
    if x.dtype.kind == "b":
        out = out.astype(np.int64)
    xp = x.xp
    return Tensor._make(
        out, (x,), lambda g: (xp.broadcast_to(_keep(g, x.shape, dims, keepdim), x.shape),), "Sum"
    )


def _mean_data(data, dims, keepdims, count):
    """``data.mean(dims)`` summed as :func:`backend.accurate_sum` does (NaN for zero elements)."""
    if count == 0:
        return data.mean(axis=dims, keepdims=keepdims)  # NumPy's nan (and warning), as torch
    total = backend.accurate_sum(data, axis=dims, keepdims=keepdims)
    return (total / data.dtype.type(count)).astype(data.dtype, copy=False)


def mean(x, dim=None, keepdim=False):
    """Mean over ``dim``; each element receives ``g / n``."""
    x = _as_tensor(x)
    if x.dtype.kind not in "fc":
        raise TypeError(f"mean: input dtype should be floating point, got {x.dtype}")
    dims = _dims(dim, x.ndim)
    count = int(np.prod([x.shape[d] for d in dims])) if x.ndim else 1
    out = _mean_data(x.data, dims, keepdim, count)
    xp = x.xp
    return Tensor._make(
        out, (x,),
        lambda g: (xp.broadcast_to(_keep(g, x.shape, dims, keepdim) / count, x.shape),), "Mean",
    )


def _exclusive_cumprod(a, axis, reverse=False):
    """``∏_{j<i} a_j`` along ``axis`` (``∏_{j>i}`` when ``reverse``); 1 at the first position."""
    xp = backend.get_array_module(a)
    if a.shape[axis] == 0:
        return xp.ones_like(a)
    if reverse:
        return xp.flip(_exclusive_cumprod(xp.flip(a, axis), axis), axis)
    shifted = xp.concatenate(
        [xp.ones_like(xp.take(a, [0], axis=axis)), xp.take(a, range(a.shape[axis] - 1), axis=axis)],
        axis=axis,
    )
    return xp.cumprod(shifted, axis=axis)


def prod(x, dim=None, keepdim=False):
    """Product of all elements, or along one axis ``dim`` (PyTorch's ``prod``).

    Backward: ``∂(∏_j x_j)/∂x_i = ∏_{j≠i} x_j``, computed as the product of the exclusive prefix
    and suffix products ``∏_{j<i} x_j · ∏_{j>i} x_j`` — never as ``out / x_i``, which is 0/0 where
    ``x_i = 0``. So a single zero receives the product of the others and every other element 0,
    as in torch. An empty product is 1 (and has an empty gradient).
    """
    x = _as_tensor(x)
    if isinstance(dim, (tuple, list)):
        raise TypeError(f"prod(): argument 'dim' must be one int, got {dim!r}")
    if dim is None or x.ndim == 0:
        if dim is not None:
            _dims(dim, 0)  # only 0 and -1 are valid for a 0-d tensor
        a, axis, keep = x.data.reshape(-1), 0, False
    else:
        (axis,) = _dims(dim, x.ndim)
        a, keep = x.data, keepdim
    out = a.prod(axis=axis, keepdims=keep)
    if x.dtype.kind == "b":
        out = out.astype(np.int64)
    xp = x.xp

    def backward(g):
        g = g if keep else xp.expand_dims(g, axis)
        others = _exclusive_cumprod(a, axis) * _exclusive_cumprod(a, axis, reverse=True)
        return ((g * others).reshape(x.shape),)

    return Tensor._make(out, (x,), backward, "Prod")


def cumsum(x, dim):
    """Running sum along ``dim`` (PyTorch's ``cumsum``); backward: the reversed running sum of g."""
    x = _as_tensor(x)
    if x.ndim == 0:
        _dims(dim, 0)  # only 0 and -1 are valid for a 0-d tensor
        return Tensor._make(x.data.copy(), (x,), lambda g: (g,), "CumSum")
    (axis,) = _dims(dim, x.ndim)
    xp = x.xp
    out = xp.cumsum(x.data, axis=axis)
    if x.dtype.kind == "b":
        out = out.astype(np.int64)
    return Tensor._make(
        out, (x,), lambda g: (xp.flip(xp.cumsum(xp.flip(g, axis), axis=axis), axis),), "CumSum"
    )


def _correction(unbiased, correction):
    if unbiased is not None and correction is not None:
        raise ValueError("var/std: pass either unbiased or correction, not both")
    if correction is not None:
        return correction
    return 1 if unbiased is None or unbiased else 0


def var(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance ``Σ(x - x̄)² / (n - correction)`` (correction 1 by default, as PyTorch).

    Backward: ``dL/dx_i = g · 2 (x_i - x̄) / (n - correction)`` (the x̄ term cancels because
    ``Σ (x_i - x̄) = 0``).

    When ``correction >= n`` there are no degrees of freedom left: like PyTorch the divisor is
    clamped to ``max(0, n - correction)`` and a warning is issued, so the result is ``inf`` (or
    ``nan`` for a constant input) — never a negative variance or ``-0.0``.
    """
    x = _as_tensor(x)
    dims = _dims(dim, x.ndim)
    ddof = _correction(unbiased, correction)
    count = int(np.prod([x.shape[d] for d in dims])) if x.ndim else 1
    dof = builtins.max(0, count - ddof)
    if dof == 0:
        warnings.warn("var(): degrees of freedom is <= 0. Correction should be strictly less "
                      f"than the number of reduced elements ({count}), got {ddof}",
                      RuntimeWarning, stacklevel=2)
    centered = x.data - _mean_data(x.data, dims, True, count)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = backend.accurate_sum(centered * centered, axis=dims, keepdims=keepdim) / x.xp.asarray(
            dof, dtype=x.dtype)

    def backward(g):
        with np.errstate(divide="ignore", invalid="ignore"):
            return (_keep(g, x.shape, dims, keepdim) * 2 * centered / x.xp.asarray(
                dof, dtype=x.dtype),)

    return Tensor._make(out, (x,), backward, "Var")


def std(x, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation ``√var``."""
    return sqrt(var(x, dim, unbiased, keepdim, correction=correction))


def _check_reducible(x, dim, dims, name):
    """An extreme of nothing is undefined: torch's errors for an empty input or reduced axis.

    Without ``dim`` an empty tensor is refused (RuntimeError); with ``dim`` only a reduced axis of
    size zero is (IndexError) — reducing a non-empty axis of an empty tensor gives an empty result.
    """
    if dim is None and x.data.size == 0:
        raise RuntimeError(f"{name.lower()}(): Expected reduction dim to be specified for "
                           f"input.numel() == 0. Specify the reduction dim with the 'dim' "
                           f"argument (input shape {x.shape}).")
    for axis in dims if x.ndim else ():
        if x.shape[axis] == 0:
            raise IndexError(f"{name.lower()}(): Expected reduction dim {axis} to have non-zero "
                             f"size (input shape {x.shape})")


def _extreme_all(x, dim, keepdim, reducer, name):
    """max/min over axes with the gradient shared evenly among tied extremes (as torch.amax)."""
    x = _as_tensor(x)
    dims = _dims(dim, x.ndim)
    _check_reducible(x, dim, dims, name)
    out = reducer(x.data, axis=dims, keepdims=keepdim)

    def backward(g):
        mask = x.data == _keep(out, x.shape, dims, keepdim)
        share = mask / mask.sum(axis=dims, keepdims=True)
        return (_keep(g, x.shape, dims, keepdim) * share,)

    return Tensor._make(out, (x,), backward, name)


def _extreme_dim(x, dim, keepdim, arg, name):
    """max/min along one axis returning (values, indices); the gradient goes to the index."""
    x = _as_tensor(x)
    if x.ndim == 0:
        _dims(dim, 0)  # only 0 and -1 are valid for a 0-d tensor
        values, indices = _extreme_dim(reshape(x, 1), 0, False, arg, name)
        return MaxResult(values, indices)
    (axis,) = _dims(dim, x.ndim)
    if x.shape[axis] == 0:
        raise IndexError(f"{name.lower()}(): Expected reduction dim {axis} to have non-zero "
                         f"size (input shape {x.shape})")
    xp = x.xp
    idx = xp.expand_dims(arg(x.data, axis=axis), axis)
    values = xp.take_along_axis(x.data, idx, axis=axis)

    def backward(g):
        grad = xp.zeros(x.shape, dtype=g.dtype)
        xp.put_along_axis(grad, idx, _keep(g, x.shape, (axis,), keepdim), axis=axis)
        return (grad,)

    if not keepdim:
        values = values.squeeze(axis)
    values = Tensor._make(values, (x,), backward, name)
    indices = idx if keepdim else idx.squeeze(axis)
    return MaxResult(values, Tensor._wrap(indices.astype(np.int64)))


def max(x, dim=None, keepdim=False):
    """Maximum of all elements, or ``(values, indices)`` along ``dim`` (PyTorch's ``max``)."""
    if dim is None:
        return _extreme_all(x, None, False, lambda d, **k: d.max(**k), "Max")
    return _extreme_dim(x, dim, keepdim, lambda d, axis: d.argmax(axis=axis), "Max")


def min(x, dim=None, keepdim=False):
    """Minimum of all elements, or ``(values, indices)`` along ``dim``."""
    if dim is None:
        return _extreme_all(x, None, False, lambda d, **k: d.min(**k), "Min")
    return _extreme_dim(x, dim, keepdim, lambda d, axis: d.argmin(axis=axis), "Min")


def amax(x, dim=None, keepdim=False):
    """Maximum over one or several axes (ties share the gradient evenly)."""
    return _extreme_all(x, dim, keepdim, lambda d, **k: d.max(**k), "Amax")


def amin(x, dim=None, keepdim=False):
    """Minimum over one or several axes (ties share the gradient evenly)."""
    return _extreme_all(x, dim, keepdim, lambda d, **k: d.min(**k), "Amin")


def logsumexp(x, dim, keepdim=False):
    """``log Σ exp(x)`` computed as ``m + log Σ exp(x - m)`` with ``m = max x`` (no overflow).

    Backward: ``g · softmax(x)`` along ``dim``.
    """
    x = _as_tensor(x)
    dims = _dims(dim, x.ndim)
    xp = x.xp
    m = x.data.max(axis=dims, keepdims=True, initial=-np.inf)  # empty axis: log Σ ∅ = −inf
    m = xp.where(xp.isfinite(m), m, 0)
    e = xp.exp(x.data - m)
    s = e.sum(axis=dims, keepdims=True)
    with np.errstate(divide="ignore"):
        out = xp.log(s) + m
    result = out if keepdim else out.squeeze(axis=dims)
    return Tensor._make(
        result, (x,), lambda g: (_keep(g, x.shape, dims, keepdim) * (e / s),), "LogSumExp"
    )


def _arg_extreme(x, dim, keepdim, name):
    x = _as_tensor(x)
    if dim is None:
        if x.data.size == 0:
            raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                             f"input.numel() == 0 (input shape {x.shape}).")
        return Tensor._wrap(x.xp.asarray(getattr(x.data, name)(), dtype=np.int64))
    if x.ndim == 0:
        _dims(dim, 0)  # only 0 and -1 are valid for a 0-d tensor
        return Tensor._wrap(x.xp.asarray(0, dtype=np.int64))
    (axis,) = _dims(dim, x.ndim)
    if x.shape[axis] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size "
                         f"(input shape {x.shape})")
    return Tensor._wrap(getattr(x.data, name)(axis=axis, keepdims=keepdim).astype(np.int64))


def argmax(x, dim=None, keepdim=False):
    """Index of the maximum (flattened when ``dim`` is None); not differentiable."""
    return _arg_extreme(x, dim, keepdim, "argmax")


def argmin(x, dim=None, keepdim=False):
    """Index of the minimum (flattened when ``dim`` is None); not differentiable."""
    return _arg_extreme(x, dim, keepdim, "argmin")


# ---------------------------------------------------------------------- shape
def _shape_args(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def reshape(x, *shape):
    """Same data in a new shape (one ``-1`` allowed); the gradient is reshaped back."""
    x = _as_tensor(x)
    shape = _shape_args(shape)
    try:
        out = x.data.reshape(shape)
    except ValueError:
        raise ValueError(
            f"reshape: shape {shape} is invalid for input of shape {x.shape} "
            f"({x.numel()} elements)"
        ) from None
    return Tensor._make(out, (x,), lambda g: (g.reshape(x.shape),), "Reshape")


view = reshape


def flatten(x, start_dim=0, end_dim=-1):
    """Merge axes ``start_dim..end_dim`` into one."""
    x = _as_tensor(x)
    if x.ndim == 0:
        return reshape(x, 1)
    start, end = start_dim % x.ndim, end_dim % x.ndim
    if start > end:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    return reshape(x, x.shape[:start] + (-1,) + x.shape[end + 1:])


def permute(x, *dims):
    """Reorder axes; the gradient is permuted back with the inverse permutation."""
    x = _as_tensor(x)
    dims = _shape_args(dims)
    if len(dims) != x.ndim or sorted(d % builtins.max(x.ndim, 1) for d in dims) != list(
        range(x.ndim)
    ):
        raise ValueError(f"permute: dims {dims} are not a permutation of {x.ndim} axes")
    dims = tuple(d % x.ndim for d in dims)
    inverse = tuple(np.argsort(dims))
    return Tensor._make(
        x.data.transpose(dims), (x,), lambda g: (g.transpose(inverse),), "Permute"
    )


def transpose(x, dim0, dim1):
    """Swap two axes."""
    x = _as_tensor(x)
    if x.ndim < 2 and dim0 in (0, -1) and dim1 in (0, -1):
        return x
    dims = list(range(x.ndim))
    d0, d1 = _dims(dim0, x.ndim)[0], _dims(dim1, x.ndim)[0]
    dims[d0], dims[d1] = dims[d1], dims[d0]
    return permute(x, *dims)


def squeeze(x, dim=None):
    """Remove size-1 axes (all of them, or those in ``dim`` that have size 1)."""
    x = _as_tensor(x)
    dims = _dims(dim, x.ndim) if x.ndim else ()
    shape = tuple(n for i, n in enumerate(x.shape) if not (i in dims and n == 1))
    return reshape(x, shape)


def unsqueeze(x, dim):
    """Insert a size-1 axis at ``dim`` (``-1`` appends)."""
    x = _as_tensor(x)
    if not -x.ndim - 1 <= dim <= x.ndim:
        raise IndexError(
            f"unsqueeze: dim {dim} out of range for a tensor with {x.ndim} dimensions"
        )
    dim = dim % (x.ndim + 1)
    return reshape(x, x.shape[:dim] + (1,) + x.shape[dim:])


def broadcast_to(x, shape):
    """Broadcast to ``shape`` (a view); the gradient is summed back (see :func:`unbroadcast`)."""
    x = _as_tensor(x)
    shape = tuple(shape)
    try:
        out = x.xp.broadcast_to(x.data, shape)
    except ValueError:
        raise ValueError(f"broadcast_to: shape {x.shape} cannot be broadcast to {shape}") from None
    return Tensor._make(out, (x,), lambda g: (unbroadcast(g, x.shape),), "Expand")


def expand(x, *sizes):
    """PyTorch's ``expand``: broadcast, with ``-1`` meaning "keep this size"."""
    x = _as_tensor(x)
    sizes = _shape_args(sizes)
    lead = len(sizes) - x.ndim
    if lead < 0:
        raise ValueError(f"expand: {len(sizes)} sizes given for a tensor of shape {x.shape}")
    shape = tuple(
        x.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(sizes)
    )
    return broadcast_to(x, shape)


def _index_arrays(index):
    """Turn Tensors and lists inside an index into arrays."""
    if isinstance(index, tuple):
        return tuple(_index_arrays(i) for i in index)
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, list):
        return np.asarray(index)
    return index


def _is_advanced(index):
    parts = index if isinstance(index, tuple) else (index,)
    return any(hasattr(p, "shape") and p.ndim > 0 or isinstance(p, np.ndarray) for p in parts)


def getitem(x, index):
    """Basic and integer-array indexing.

    Backward: a zero array of the input's shape receives ``g`` at the indexed positions; integer
    arrays may repeat a position, so those gradients are scatter-added (``np.add.at``).
    """
    x = _as_tensor(x)
    index = _index_arrays(index)
    out = x.data[index]
    advanced = _is_advanced(index)

    def backward(g):
        grad = x.xp.zeros(x.shape, dtype=g.dtype)
        if advanced:
            backend.scatter_add(grad, index, g)
        else:
            grad[index] = g
        return (grad,)

    return Tensor._make(out, (x,), backward, "Index")


def cat(tensors, dim=0):
    """Concatenate along ``dim``; each input receives its slice of ``g``."""
    tensors = [_as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("cat: expected a non-empty sequence of tensors")
    ndim = tensors[0].ndim
    axis = _dims(dim, ndim)[0]
    for t in tensors[1:]:
        if t.ndim != ndim or any(
            a != b for i, (a, b) in enumerate(zip(t.shape, tensors[0].shape)) if i != axis
        ):
            raise ValueError(
                f"cat: shapes {tensors[0].shape} and {t.shape} differ outside dimension {axis}"
            )
    xp = tensors[0].xp
    out = xp.concatenate([t.data for t in tensors], axis=axis)
    bounds = np.cumsum([t.shape[axis] for t in tensors])[:-1]
    return Tensor._make(
        out, tuple(tensors), lambda g: tuple(xp.split(g, bounds, axis=axis)), "Cat"
    )


concatenate = cat


def stack(tensors, dim=0):
    """Stack equally shaped tensors along a new axis ``dim``."""
    tensors = [_as_tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("stack: expected a non-empty sequence of tensors")
    for t in tensors[1:]:
        if t.shape != tensors[0].shape:
            raise ValueError(
                f"stack: all tensors must have the same shape, got {tensors[0].shape} and "
                f"{t.shape}"
            )
    return cat([unsqueeze(t, dim) for t in tensors], dim)


def split(x, split_size_or_sections, dim=0):
    """Split along ``dim`` into chunks of a given size (int) or of the listed sizes."""
    x = _as_tensor(x)
    axis = _dims(dim, x.ndim)[0]
    n = x.shape[axis]
    if isinstance(split_size_or_sections, (int, np.integer)):
        step = int(split_size_or_sections)
        if step <= 0 and n > 0:
            raise ValueError(f"split: split_size must be positive, got {step}")
        sizes = [builtins.min(step, n - i) for i in range(0, n, step)] if n else [0]
    else:
        sizes = list(split_size_or_sections)
        if builtins.sum(sizes) != n:
            raise ValueError(
                f"split: sizes {sizes} sum to {builtins.sum(sizes)} but dimension {axis} has "
                f"size {n}"
            )
    pieces, start = [], 0
    for size in sizes:
        index = (slice(None),) * axis + (slice(start, start + size),)
        pieces.append(getitem(x, index))
        start += size
    return tuple(pieces)


def chunk(x, chunks, dim=0):
    """Split into ``chunks`` pieces of size ``ceil(n / chunks)`` (the last may be smaller)."""
    x = _as_tensor(x)
    n = x.shape[_dims(dim, x.ndim)[0]]
    return split(x, builtins.max(1, -(-n // chunks)), dim)


def pad(x, pad, mode="constant", value=0.0):
    """Constant padding with PyTorch's ``F.pad`` convention.

    ``pad = (left_last, right_last, left_second_last, right_second_last, ...)`` pads the last
    axes first; negative amounts crop. The gradient is the corresponding slice of ``g`` (zero
    where the input was cropped away).
    """
    x = _as_tensor(x)
    if mode != "constant":
        raise ValueError(f"pad: only mode='constant' is supported, got {mode!r}")
    if len(pad) % 2 or len(pad) // 2 > x.ndim:
        raise ValueError(
            f"pad: expected an even number of pad values for at most {x.ndim} dimensions, "
            f"got {tuple(pad)}"
        )
    widths = [(0, 0)] * x.ndim
    for i in range(len(pad) // 2):
        widths[x.ndim - 1 - i] = (int(pad[2 * i]), int(pad[2 * i + 1]))
    grow = [(builtins.max(lo, 0), builtins.max(hi, 0)) for lo, hi in widths]
    crop = tuple(
        slice(builtins.max(-lo, 0), n + glo + ghi - builtins.max(-hi, 0))
        for (lo, hi), (glo, ghi), n in zip(widths, grow, x.shape)
    )
    for (lo, hi), n in zip(widths, x.shape):
        if n + lo + hi < 0:
            raise ValueError(f"pad: padding {tuple(pad)} makes a dimension of size {n} negative")
    xp = x.xp
    out = xp.pad(x.data, grow, mode="constant", constant_values=value)[crop]

    def backward(g):
        full = xp.zeros(tuple(n + lo + hi for (lo, hi), n in zip(grow, x.shape)), dtype=g.dtype)
        full[crop] = g
        inner = tuple(slice(lo, lo + n) for (lo, _), n in zip(grow, x.shape))
        return (full[inner],)

    return Tensor._make(out, (x,), backward, "Pad")
