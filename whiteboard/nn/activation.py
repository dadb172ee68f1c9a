"""Activation functions (functional ops and modules) with PyTorch's names and defaults.

Every op is elementwise with a hand-written derivative (one graph node), except softmax and
log-softmax, which normalise along ``dim`` and have a fused backward, and maxout, a max over
groups of units. All are numerically stable: no overflow, NaN or infinite gradient at |x| = 1000.

What the notes say, and the correct statements (see ``/work/shared/ERRATA.md``):

- sigmoid σ(x) = 1/(1+e^{-x}); σ'(x) = σ(x)(1−σ(x)) ≤ 1/4, attained at x = 0 — note 004's "never
  exceeds 0.5" is wrong (E105). A product of L such factors is ≤ 4^{-L}: saturating sigmoids make
  gradients *vanish*; saturation alone never makes them explode (large weights do, E67).
- tanh x = (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ) = 2σ(2x) − 1, tanh'(x) = 1 − tanh² x ≤ 1 (at x = 0). Note 002's
  (1 − e⁻ˣ)/(1 + e⁻ˣ) is tanh(x/2) (E65).
- ReLU max(0, x) is non-saturating for x > 0 (E34). A unit whose pre-activation is negative for
  every input gets zero gradient for every weight and never recovers ("dead ReLU"), e.g. after a
  large update pushes its bias far negative. PyTorch defines ReLU'(0) = 0.
- Leaky ReLU: slope α a small positive *real* (PyTorch 0.01), not an integer; its benefit over
  ReLU is *not* stable across tasks (E35).
- PReLU learns α (one shared or one per channel), initialised to 0.25 (He et al. 2015, E38).
- RReLU: α ~ U(lower, upper) per element in training, the fixed mean (lower+upper)/2 in eval
  (PyTorch lower=1/8, upper=1/3 → 0.2292; the paper's x/a with a ~ U(3, 8) is another
  parameterisation).
- ELU: x for x > 0, α(eˣ − 1) otherwise (α, not λ — λ is SELU's scale; E39).
- Mish(x) = x·tanh(softplus(x)) = x·tanh(ln(1 + eˣ)); note 002's x·tanh(ln(1 + e⁻ˣ)) is −Mish(−x)
  (E66).
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .. import backend
from ..autograd import Tensor, ops
from ..autograd.ops import _as_tensor, _dims, _unary
from .conv import Conv2d
from ..validation import check_same_float_dtype, check_size
from .linear import Linear
from .module import Module
from .parameter import Parameter

__all__ = [
    "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "rrelu", "elu", "relu6", "hardtanh",
    "softplus", "silu", "mish", "hardswish", "hardsigmoid", "gelu", "softmax", "log_softmax",
    "maxout", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "PReLU", "RReLU", "ELU", "ReLU6",
    "Hardtanh", "Softplus", "SiLU", "Swish", "Mish", "Hardswish", "Hardsigmoid", "GELU",
    "Softmax", "LogSoftmax", "Maxout", "MaxoutConv2d",
]


# ---------------------------------------------------------------------- helpers
def _sigmoid_array(xp, z):
    """σ(z) without overflow: e^{-|z|} never exceeds 1."""
    ez = xp.exp(-xp.abs(z))
    return xp.where(z >= 0, 1 / (1 + ez), ez / (1 + ez)).astype(z.dtype, copy=False)


def _softplus_array(xp, z):
    """ln(1 + e^z) = max(z, 0) + ln(1 + e^{-|z|}) (no overflow for large |z|)."""
    return xp.maximum(z, 0) + xp.log1p(xp.exp(-xp.abs(z)))


# ---------------------------------------------------------------------- functional ops
def sigmoid(input):
    """Logistic σ(x) = 1/(1+e^{-x}); σ' = σ(1−σ) ≤ 1/4 (not 0.5 as note 004 says)."""
    return ops.sigmoid(input)


def tanh(input):
    """tanh x = 2σ(2x) − 1; tanh' = 1 − tanh² ≤ 1."""
    return ops.tanh(input)


def relu(input, inplace=False):
    """max(0, x); derivative 1 for x > 0 and 0 for x ≤ 0 (PyTorch's ReLU'(0) = 0).

    Non-saturating for x > 0 (gradient exactly 1), but a unit whose pre-activation is ≤ 0 for
    every input receives zero gradient for all its weights and stays "dead".

    ``inplace`` is accepted for PyTorch compatibility; whiteboard always returns a new tensor
    (the autograd graph keeps the input), which gives the same values and gradients.
    """
    return ops.relu(input)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x for x > 0, ``negative_slope·x`` otherwise; derivative 1 or ``negative_slope``."""
    x = _as_tensor(input)
    pos = x.data > 0
    slope = x.xp.where(pos, 1, negative_slope).astype(x.dtype, copy=False)
    return _unary(x, x.data * slope, lambda: slope, "LeakyRelu")


def prelu(input, weight):
    """Parametric ReLU: x for x > 0, a_c·x otherwise, with a learnable slope per channel.

    ``weight`` has 1 element (shared) or C = input.shape[1] elements (one per channel; axis 1
    is the channel axis, as in PyTorch). Gradients: dL/dx = g (x > 0) or a·g; dL/da_c = Σ g·x
    over the positions of channel c where x ≤ 0.
    """
    x, a = _as_tensor(input), _as_tensor(weight)
    channels = x.shape[1] if x.ndim >= 2 else 1
    if a.numel() not in (1, channels):
        raise ValueError(
            f"prelu: weight has {a.numel()} elements but the input of shape {x.shape} has "
            f"{channels} channels (expected 1 or {channels})"
        )
    check_same_float_dtype("prelu", input=x, weight=a)
    xp = x.xp
    if a.numel() == 1 or x.ndim < 2:
        a_b = a.data.reshape(())
    else:
        a_b = a.data.reshape((1, channels) + (1,) * (x.ndim - 2))
    pos = x.data > 0
    out = xp.where(pos, x.data, a_b * x.data)

    def backward(g):
        gx = ga = None
        if x.requires_grad:
            gx = xp.where(pos, g, a_b * g)
        if a.requires_grad:
            contrib = xp.where(pos, 0, g * x.data)
            ga = ops.unbroadcast(contrib, a_b.shape).reshape(a.shape)
        return gx, ga

    return Tensor._make(out, (x, a), backward, "Prelu")


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomized leaky ReLU (Xu et al. 2015).

    Training: x for x > 0, r·x otherwise with r ~ U(lower, upper) drawn per element from the
    library's generator (``wb.manual_seed``); the gradient is 1 or the same r. Eval: a leaky ReLU
    with the mean slope (lower + upper)/2.
    """
    if not training:
        return leaky_relu(input, (lower + upper) / 2)
    x = _as_tensor(input)
    r = backend.get_rng().uniform(lower, upper, size=x.shape)
    r = backend.asarray(r, dtype=x.dtype, module=x.xp)
    slope = x.xp.where(x.data > 0, 1, r).astype(x.dtype, copy=False)
    return _unary(x, x.data * slope, lambda: slope, "Rrelu")


def elu(input, alpha=1.0, inplace=False):
    """Exponential linear unit: x for x > 0, α(eˣ − 1) otherwise (``expm1``, no cancellation).

    Derivative: 1 for x > 0, αeˣ otherwise (= output + α).
    """
    x = _as_tensor(input)
    xp = x.xp
    neg = xp.minimum(x.data, 0)
    pos = x.data > 0
    out = xp.where(pos, x.data, alpha * xp.expm1(neg)).astype(x.dtype, copy=False)
    return _unary(x, out, lambda: xp.where(pos, 1, alpha * xp.exp(neg)).astype(x.dtype), "Elu")


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """Clip to [min_val, max_val]; derivative 1 strictly inside, 0 outside and at the bounds
    (PyTorch's convention)."""
    x = _as_tensor(input)
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val ({min_val}) cannot be greater than max_val "
                         f"({max_val})")
    inside = (x.data > min_val) & (x.data < max_val)
    out = x.xp.clip(x.data, min_val, max_val).astype(x.dtype, copy=False)
    return _unary(x, out, lambda: inside, "Hardtanh")


def relu6(input, inplace=False):
    """min(max(0, x), 6) (MobileNet); derivative 1 on (0, 6), else 0."""
    return hardtanh(input, 0.0, 6.0)


def softplus(input, beta=1.0, threshold=20.0):
    """Smooth ReLU ``(1/β)·ln(1 + e^{βx})``, and x itself where βx > threshold (PyTorch).

    Computed as ``(max(βx, 0) + ln(1 + e^{-|βx|}))/β`` so no exponential overflows; derivative
    σ(βx) (1 above the threshold).
    """
    x = _as_tensor(input)
    xp = x.xp
    z = x.data * beta
    linear = z > threshold
    out = xp.where(linear, x.data, _softplus_array(xp, z) / beta).astype(x.dtype, copy=False)
    return _unary(
        x, out, lambda: xp.where(linear, 1, _sigmoid_array(xp, z)).astype(x.dtype), "Softplus"
    )


def silu(input, inplace=False):
    """SiLU / Swish (β = 1): x·σ(x); derivative σ(x)(1 + x(1 − σ(x)))."""
    x = _as_tensor(input)
    s = _sigmoid_array(x.xp, x.data)
    return _unary(x, x.data * s, lambda: s * (1 + x.data * (1 - s)), "Silu")


def mish(input, inplace=False):
    """Mish (Misra 2019): x·tanh(softplus(x)) = x·tanh(ln(1 + eˣ)).

    Derivative: tanh(sp) + x·σ(x)·(1 − tanh²(sp)) with sp = softplus(x). (Note 002 writes
    ln(1 + e⁻ˣ), which gives −Mish(−x); ERRATA E66.)
    """
    x = _as_tensor(input)
    xp = x.xp
    t = xp.tanh(_softplus_array(xp, x.data))
    return _unary(
        x, x.data * t, lambda: t + x.data * _sigmoid_array(xp, x.data) * (1 - t * t), "Mish"
    )


def hardswish(input, inplace=False):
    """x·relu6(x + 3)/6 (MobileNetV3); derivative 0 (x ≤ −3), x/3 + 1/2 (−3 < x < 3), 1 (x ≥ 3)."""
    x = _as_tensor(input)
    xp = x.xp
    out = (x.data * xp.clip(x.data + 3, 0, 6) / 6).astype(x.dtype, copy=False)
    slope = xp.where(x.data <= -3, 0, xp.where(x.data < 3, x.data / 3 + 0.5, 1))
    return _unary(x, out, lambda: slope.astype(x.dtype, copy=False), "Hardswish")


def hardsigmoid(input, inplace=False):
    """relu6(x + 3)/6, a piecewise-linear sigmoid; derivative 1/6 on (−3, 3), else 0."""
    x = _as_tensor(input)
    xp = x.xp
    out = (xp.clip(x.data + 3, 0, 6) / 6).astype(x.dtype, copy=False)
    slope = ((x.data > -3) & (x.data < 3)) / 6
    return _unary(x, out, lambda: slope.astype(x.dtype, copy=False), "Hardsigmoid")


def _normal_cdf(xp, x):
    """Φ(x) = ½(1 + erf(x/√2)) to ~1e-13 relative, from NumPy primitives (NumPy has no erf).

    For |z| < 2 (z = x/√2) the everywhere-convergent series of positive terms
    erf z = (2/√π) e^{−z²} Σ_n z (2z²)^n / (1·3·5···(2n+1)) (50 terms); for |z| ≥ 2 the
    continued fraction erfc z = e^{−z²}/√π · 1/(z + ½/(z + 1/(z + (3/2)/(z + ...)))) (40 levels),
    which keeps Φ's tiny left tail accurate instead of computing 1 − (nearly 1).
    """
    z = x.astype(np.float64) / math.sqrt(2.0)
    small = xp.clip(z, -2.0, 2.0)
    term, series = small.copy(), small.copy()
    for n in range(1, 50):
        term = term * (2 * small * small) / (2 * n + 1)
        series = series + term
    erf_small = 2 / math.sqrt(math.pi) * xp.exp(-small * small) * series
    big = xp.maximum(xp.abs(z), 2.0)
    frac = big.copy()
    for n in range(40, 0, -1):
        frac = big + (n / 2) / frac
    erfc_big = xp.exp(-big * big) / (math.sqrt(math.pi) * frac)
    cdf = xp.where(xp.abs(z) < 2, 0.5 * (1 + erf_small),
                   xp.where(z > 0, 1 - 0.5 * erfc_big, 0.5 * erfc_big))
    return cdf.astype(x.dtype, copy=False)


def gelu(input, approximate="none"):
    """Gaussian error linear unit (Hendrycks & Gimpel 2016): x·Φ(x), Φ the standard normal CDF.

    ``approximate="tanh"``: ½x(1 + tanh(√(2/π)(x + 0.044715x³))). Derivatives: Φ(x) + x·φ(x)
    (φ the normal density) and, for the tanh form with u = √(2/π)(x + 0.044715x³), t = tanh u,
    ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²).
    """
    x = _as_tensor(input)
    xp = x.xp
    if approximate == "none":
        cdf = _normal_cdf(xp, x.data)
        pdf = xp.exp(-0.5 * x.data * x.data) / math.sqrt(2 * math.pi)
        return _unary(x, x.data * cdf, lambda: cdf + x.data * pdf, "Gelu")
    if approximate == "tanh":
        k, c = math.sqrt(2 / math.pi), 0.044715
        t = xp.tanh(k * (x.data + c * x.data ** 3))
        return _unary(
            x, 0.5 * x.data * (1 + t),
            lambda: 0.5 * (1 + t) + 0.5 * x.data * (1 - t * t) * k * (1 + 3 * c * x.data ** 2),
            "Gelu",
        )
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def _softmax_dim(dim, ndim, who):
    if dim is None:
        warnings.warn(f"Implicit dimension choice for {who} has been deprecated. Change the "
                      "call to include dim=X as an argument.", stacklevel=3)
        dim = 0 if ndim in (0, 1, 3) else 1
    return (_dims(dim, ndim) or (0,))[0]  # a 0-d tensor accepts dim 0 / -1 only


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(x)_i = e^{x_i − m} / Σ_j e^{x_j − m} along ``dim`` (m = max, so no overflow).

    Fused backward: for y = softmax(x) the Jacobian is diag(y) − y yᵀ, so
    dL/dx = y ⊙ (g − Σ_j g_j y_j) — one pass, no n×n matrix.
    """
    x = _as_tensor(input)
    if dtype is not None:
        x = ops.cast(x, dtype)
    axis = _softmax_dim(dim, x.ndim, "softmax")
    xp = x.xp
    if x.ndim == 0:
        return _unary(x, xp.ones_like(x.data), lambda: xp.zeros_like(x.data), "Softmax")
    # initial=-inf: an empty input gives an empty output, as in PyTorch
    e = xp.exp(x.data - x.data.max(axis=axis, keepdims=True, initial=-np.inf))
    y = e / e.sum(axis=axis, keepdims=True)
    return Tensor._make(y, (x,), lambda g: (y * (g - (g * y).sum(axis=axis, keepdims=True)),),
                        "Softmax")


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log softmax(x) = x − logsumexp(x) along ``dim``, with the autograd ``logsumexp`` op
    (m + log Σ e^{x−m}, m the max, so nothing overflows).

    Never computes log(softmax): at x = (0, −1000) that would give log(0) = −inf, while
    x − lse gives −1000 exactly. The backward, through the two ops, is g − softmax(x)·Σ_j g_j.
    """
    x = _as_tensor(input)
    if dtype is not None:
        x = ops.cast(x, dtype)
    axis = _softmax_dim(dim, x.ndim, "log_softmax")
    if x.ndim == 0:
        return ops.sub(x, x)
    return ops.sub(x, ops.logsumexp(x, axis, keepdim=True))


def maxout(input, pool_size, dim=1):
    """Maxout (Goodfellow et al. 2013): the maximum over groups of ``pool_size`` units.

    ``dim`` (size C·k, k = pool_size) is split into C groups of k consecutive units and each
    group is reduced by its maximum: h_i = max_{j<k} z_{i·k+j}. Applied to a linear layer with
    C·k outputs this is Goodfellow's h_i(x) = max_j (xᵀW_{:,ij} + b_ij); applied to a conv
    layer's output (``dim=1``) it is the convolutional maxout. The gradient flows to the
    maximal unit of each group (the first one on ties, as ``torch.max(dim)``).
    """
    x = _as_tensor(input)
    if x.ndim == 0:
        raise ValueError("maxout: expected an input with at least 1 dimension, got a scalar")
    axis = _dims(dim, x.ndim)[0]
    size = x.shape[axis]
    if pool_size < 1 or size % pool_size:
        raise ValueError(
            f"maxout: dimension {dim} has size {size}, which pool_size={pool_size} does not "
            f"divide (input shape {x.shape})"
        )
    grouped = ops.reshape(x, x.shape[:axis] + (size // pool_size, pool_size) + x.shape[axis + 1:])
    return ops.max(grouped, dim=axis + 1).values


# ---------------------------------------------------------------------- modules
class _Inplace(Module):
    """An activation whose only argument is ``inplace`` (accepted, see :func:`relu`)."""

    _fn = None

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return type(self)._fn(input)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    """σ(x) = 1/(1 + e^{-x}) (see :func:`sigmoid`)."""

    def forward(self, input):
        return sigmoid(input)


class Tanh(Module):
    """tanh(x) (see :func:`tanh`)."""

    def forward(self, input):
        return tanh(input)


class ReLU(_Inplace):
    """max(0, x) (see :func:`relu`)."""

    _fn = staticmethod(relu)


class ReLU6(_Inplace):
    """min(max(0, x), 6) (see :func:`relu6`)."""

    _fn = staticmethod(relu6)


class SiLU(_Inplace):
    """x·σ(x), also called Swish (see :func:`silu`)."""

    _fn = staticmethod(silu)


Swish = SiLU


class Mish(_Inplace):
    """x·tanh(softplus(x)) (see :func:`mish`)."""

    _fn = staticmethod(mish)


class Hardswish(_Inplace):
    """x·relu6(x + 3)/6 (see :func:`hardswish`)."""

    _fn = staticmethod(hardswish)


class Hardsigmoid(_Inplace):
    """relu6(x + 3)/6 (see :func:`hardsigmoid`)."""

    _fn = staticmethod(hardsigmoid)


class LeakyReLU(Module):
    """x for x > 0, ``negative_slope·x`` otherwise (default 0.01)."""

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input):
        return leaky_relu(input, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class Hardtanh(Module):
    """Clip to [min_val, max_val] (default [−1, 1])."""

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False):
        super().__init__()
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, input):
        return hardtanh(input, self.min_val, self.max_val)

    def extra_repr(self):
        return f"min_val={self.min_val}, max_val={self.max_val}"


class PReLU(Module):
    """Parametric ReLU with a learnable slope: one shared (``num_parameters=1``) or one per
    channel (``num_parameters=C``), initialised to ``init`` = 0.25 (He et al. 2015)."""

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        super().__init__()
        self.num_parameters = check_size(num_parameters, "num_parameters", "PReLU", minimum=1)
        self.init = init
        dtype = backend.get_default_dtype() if dtype is None else np.dtype(dtype)
        self.weight = Parameter(Tensor(np.full(num_parameters, float(init)), dtype=dtype))

    def reset_parameters(self):
        self.weight.data = self.weight.xp.full(self.weight.shape, self.init,
                                               dtype=self.weight.dtype)

    def forward(self, input):
        return prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class RReLU(Module):
    """Randomized leaky ReLU: slope ~ U(lower, upper) per element in training, (lower+upper)/2
    in eval (see :func:`rrelu`)."""

    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input):
        return rrelu(input, self.lower, self.upper, self.training)

    def extra_repr(self):
        return f"lower={self.lower}, upper={self.upper}"


class ELU(Module):
    """x for x > 0, α(eˣ − 1) otherwise (α = 1 by default)."""

    def __init__(self, alpha=1.0, inplace=False):
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input):
        return elu(input, self.alpha)

    def extra_repr(self):
        return f"alpha={self.alpha}"


class Softplus(Module):
    """(1/β)·ln(1 + e^{βx}), linear above ``threshold`` (β = 1, threshold = 20)."""

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input):
        return softplus(input, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class GELU(Module):
    """x·Φ(x), exact (``approximate="none"``) or with the tanh approximation (see :func:`gelu`)."""

    def __init__(self, approximate="none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, input):
        return gelu(input, self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class Softmax(Module):
    """softmax along ``dim`` (see :func:`softmax`)."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return softmax(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """log-softmax along ``dim`` via log-sum-exp (see :func:`log_softmax`)."""

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return log_softmax(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class Maxout(Module):
    """Maxout unit over a linear layer: ``h_i(x) = max_{j<k} (x W_{ij}ᵀ + b_{ij})``.

    A ``Linear(in_features, out_features·pool_size)`` followed by :func:`maxout` over the last
    axis. With k ≥ 2 pieces it can represent ReLU (pieces w·x and 0), |x| (pieces x and −x) and
    any convex piecewise-linear function with k pieces. For the convolutional form see
    :class:`MaxoutConv2d`.

    Shapes: input (*, in_features) → output (*, out_features).
    """

    def __init__(self, in_features, out_features, pool_size, bias=True, device=None,
                 dtype=None):
        super().__init__()
        check_size(out_features, "out_features", "Maxout")
        check_size(pool_size, "pool_size", "Maxout", minimum=1)
        self.in_features, self.out_features, self.pool_size = (in_features, out_features,
                                                               pool_size)
        self.linear = Linear(in_features, out_features * pool_size, bias=bias, device=device,
                             dtype=dtype)

    def forward(self, input):
        return maxout(self.linear(input), self.pool_size, dim=-1)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"pool_size={self.pool_size}")


class MaxoutConv2d(Module):
    """Convolutional maxout: a ``Conv2d(in_channels, out_channels·pool_size, ...)`` whose output
    channels are grouped in consecutive runs of ``pool_size`` and reduced by their maximum,
    ``h[n, i, y, x] = max_{j<k} conv(x)[n, i·k + j, y, x]`` (Goodfellow et al. 2013, §3).

    Shapes: input (N, in_channels, H, W) → output (N, out_channels, H', W') with H', W' those of
    the convolution (see :class:`whiteboard.nn.Conv2d` for stride, padding, dilation).
    """

    def __init__(self, in_channels, out_channels, kernel_size, pool_size, stride=1, padding=0,
                 dilation=1, bias=True, device=None, dtype=None):
        super().__init__()
        check_size(out_channels, "out_channels", "MaxoutConv2d", minimum=1)
        check_size(pool_size, "pool_size", "MaxoutConv2d", minimum=1)
        self.in_channels, self.out_channels, self.pool_size = (in_channels, out_channels,
                                                               pool_size)
        self.conv = Conv2d(in_channels, out_channels * pool_size, kernel_size, stride=stride,
                           padding=padding, dilation=dilation, bias=bias, device=device,
                           dtype=dtype)

    def forward(self, input):
        return maxout(self.conv(input), self.pool_size, dim=1)

    def extra_repr(self):
        return (f"in_channels={self.in_channels}, out_channels={self.out_channels}, "
                f"pool_size={self.pool_size}")
