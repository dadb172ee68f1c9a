"""Weight initialisation (``nn.init``), with PyTorch's names, fan rules and gains.

Why it matters (notes 001/003): with all-zero weights every unit of a layer computes the same
function and receives the same gradient, so the units never become different (symmetry is never
broken). Random weights must also have the right scale: for ``y = Σ_i w_i x_i`` over ``fan_in``
inputs, ``Var(y) = fan_in · Var(w) · Var(x)``, so keeping the variance of activations constant
through depth needs ``Var(w) = 1/fan_in`` (LeCun). Glorot & Bengio (Xavier) average the forward and
backward conditions: ``Var(w) = 2/(fan_in + fan_out)``; for ReLU, which zeroes half of its inputs,
He et al. (Kaiming) double it: ``Var(w) = 2/fan_in``. A uniform ``U(-b, b)`` has variance ``b²/3``,
hence the bounds ``b = gain·√(6/(fan_in+fan_out))`` and ``b = gain·√(3/fan)``.

For a convolution weight of shape ``(out, in/groups, kh, kw)``: ``fan_in = in/groups · kh · kw``
and ``fan_out = out · kh · kw`` (PyTorch's convention).

Every initialiser modifies ``tensor.data`` in place (no graph), draws from the library's generator
(``wb.manual_seed``) and returns the tensor.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .. import backend

__all__ = [
    "calculate_gain", "zeros_", "ones_", "constant_", "normal_", "uniform_", "eye_",
    "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
    "lecun_uniform_", "lecun_normal_", "trunc_normal_", "orthogonal_", "sparse_",
]


def calculate_gain(nonlinearity, param=None):
    """The recommended gain for a nonlinearity (PyTorch's table).

    linear/conv/sigmoid: 1; tanh: 5/3; relu: √2; leaky_relu: √(2/(1+slope²)) (slope 0.01 by
    default); selu: 3/4.
    """
    linear = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
              "conv_transpose3d", "sigmoid")
    if nonlinearity in linear:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor):
    if tensor.ndim < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions "
            f"(shape {tensor.shape})"
        )
    receptive = int(np.prod(tensor.shape[2:])) if tensor.ndim > 2 else 1
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _fan(tensor, mode):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _fill(tensor, values):
    tensor.data = backend.asarray(values, dtype=tensor.dtype, module=tensor.xp)
    return tensor


def zeros_(tensor):
    """Fill with 0 (breaks nothing for biases; for weights it keeps every unit identical)."""
    return _fill(tensor, np.zeros(tensor.shape))


def ones_(tensor):
    return _fill(tensor, np.ones(tensor.shape))


def constant_(tensor, val):
    return _fill(tensor, np.full(tensor.shape, val))


def eye_(tensor):
    """The identity matrix (2-D tensors)."""
    if tensor.ndim != 2:
        raise ValueError(f"Only tensors with 2 dimensions are supported, got shape {tensor.shape}")
    return _fill(tensor, np.eye(*tensor.shape))


def _sample_dtype(tensor):
    # draw float32 tensors in float32: half the time and memory for large layers
    return np.float32 if tensor.dtype == np.float32 else np.float64


def uniform_(tensor, a=0.0, b=1.0):
    """Samples from ``U(a, b)``."""
    u = backend.get_rng().random(tensor.shape, dtype=_sample_dtype(tensor))
    return _fill(tensor, a + (b - a) * u)


def normal_(tensor, mean=0.0, std=1.0):
    """Samples from ``N(mean, std²)``."""
    z = backend.get_rng().standard_normal(tensor.shape, dtype=_sample_dtype(tensor))
    return _fill(tensor, mean + std * z)


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0):
    """``N(mean, std²)`` truncated to ``[a, b]`` (rejection resampling of the outliers)."""
    rng = backend.get_rng()
    values = rng.normal(mean, std, size=tensor.shape)
    bad = (values < a) | (values > b)
    while bad.any():
        values[bad] = rng.normal(mean, std, size=int(bad.sum()))
        bad = (values < a) | (values > b)
    return _fill(tensor, values)


def xavier_uniform_(tensor, gain=1.0):
    """Glorot uniform: ``U(-b, b)``, ``b = gain·√(6/(fan_in + fan_out))``."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound)


def xavier_normal_(tensor, gain=1.0):
    """Glorot normal: ``N(0, σ²)``, ``σ = gain·√(2/(fan_in + fan_out))``."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)))


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    """He uniform: ``U(-b, b)``, ``b = gain·√(3/fan)`` with ``gain = calculate_gain(nl, a)``.

    PyTorch's default for Linear and Conv weights is ``a=√5``, which gives ``b = 1/√fan_in``.
    """
    if 0 in tuple(tensor.shape):
        warnings.warn("Initializing zero-element tensors is a no-op", UserWarning, stacklevel=2)
        return tensor
    gain = calculate_gain(nonlinearity, a)
    bound = gain * math.sqrt(3.0 / _fan(tensor, mode))
    return uniform_(tensor, -bound, bound)


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu"):
    """He normal: ``N(0, σ²)``, ``σ = gain/√fan``."""
    if 0 in tuple(tensor.shape):
        warnings.warn("Initializing zero-element tensors is a no-op", UserWarning, stacklevel=2)
        return tensor
    gain = calculate_gain(nonlinearity, a)
    return normal_(tensor, 0.0, gain / math.sqrt(_fan(tensor, mode)))


def lecun_uniform_(tensor):
    """LeCun uniform: ``U(-b, b)``, ``b = √(3/fan_in)`` (variance ``1/fan_in``)."""
    bound = math.sqrt(3.0 / _fan(tensor, "fan_in"))
    return uniform_(tensor, -bound, bound)


def lecun_normal_(tensor):
    """LeCun normal: ``N(0, 1/fan_in)``."""
    return normal_(tensor, 0.0, 1.0 / math.sqrt(_fan(tensor, "fan_in")))


def orthogonal_(tensor, gain=1.0):
    """A (semi-)orthogonal matrix from the QR decomposition of a Gaussian matrix (Saxe et al.).

    The tensor is viewed as ``(rows, cols)`` with ``rows = shape[0]``; the sign of R's diagonal
    is folded into Q so the result is uniformly distributed.
    """
    if tensor.ndim < 2:
        raise ValueError(
            f"Only tensors with 2 or more dimensions are supported, got shape {tensor.shape}"
        )
    rows = tensor.shape[0]
    cols = int(np.prod(tensor.shape[1:]))
    flat = backend.get_rng().standard_normal((rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _fill(tensor, gain * q.reshape(tensor.shape))


def sparse_(tensor, sparsity, std=0.01):
    """Martens' sparse initialisation: ``N(0, std²)`` with a fraction ``sparsity`` of each
    column set to zero (2-D tensors)."""
    if tensor.ndim != 2:
        raise ValueError(f"Only tensors with 2 dimensions are supported, got shape {tensor.shape}")
    rows, cols = tensor.shape
    num_zeros = int(math.ceil(sparsity * rows))
    rng = backend.get_rng()
    values = rng.normal(0.0, std, size=(rows, cols))
    zero_rows = np.argsort(rng.random((rows, cols)), axis=0)[:num_zeros]
    values[zero_rows, np.arange(cols)[None, :]] = 0.0
    return _fill(tensor, values)
