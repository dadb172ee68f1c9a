"""Normalisation layers: batch, layer, instance and group normalisation, and AlexNet's local
response normalisation — functional ops with fused backward passes, and their modules.

All four "standardising" norms compute, over some set S of positions,

    μ = (1/M) Σ_S x,   σ² = (1/M) Σ_S (x − μ)²  (biased),   x̂ = (x − μ)/√(σ² + ε),
    y = γ x̂ + β

and differ only in S (shapes N×C×H×W; the notes' counts of statistics are right, ERRATA E57):

    BatchNorm     S = (N, H, W) per channel            → C means and variances (not one)
    LayerNorm     S = the trailing normalized_shape    → one per sample (N)
    InstanceNorm  S = (H, W) per sample and channel    → N·C
    GroupNorm     S = (C/G, H, W) per sample and group → N·G

so GroupNorm with G = 1 normalises like LayerNorm over (C, H, W) and with G = C like
InstanceNorm; the affine parameters differ (GN/IN: per channel, LN: elementwise).

Backward, derived once for every S (M = |S|, g = dL/dy, ĝ = γ g = dL/dx̂, means over S)::

    dL/dβ = Σ g,    dL/dγ = Σ g x̂                         (sums over everything γ is shared by)
    dL/dx = (1/σ) (ĝ − mean(ĝ) − x̂ · mean(ĝ x̂))

Derivation (the staged backward of note 002, collapsed): x̂ depends on x directly and through μ
and σ². With xμ = x − μ and ivar = 1/σ:
    dL/dσ² = Σ ĝ xμ · (−½)(σ²+ε)^{-3/2} = −(1/(2σ³)) Σ ĝ xμ
    dL/dμ  = −(1/σ) Σ ĝ + dL/dσ² · (−2/M) Σ xμ = −(1/σ) Σ ĝ        (Σ xμ = 0)
    dL/dx  = ĝ/σ + dL/dσ² · 2xμ/M + dL/dμ / M
           = (1/σ)[ĝ − mean(ĝ) − (xμ/σ) · (1/M) Σ ĝ xμ/σ]
           = (1/σ)[ĝ − mean(ĝ) − x̂ · mean(ĝ x̂)].
For BatchNorm γ is constant over S, so this is the notes' closed form
dx = (γ/σ)·(g − mean(g) − x̂·mean(g·x̂)). In eval mode (running statistics) μ and σ are
constants and dL/dx = γ g / √(running_var + ε).

What the notes get wrong (ERRATA): Var is the *variance* (not the standard deviation) and ε
belongs under the root (E28); BN standardises the first two moments, it does not make
activations Gaussian (E30); running statistics have one entry per channel — shape (C,),
broadcast as 1×C×1×1 — not per sample (E104a); the running variance uses the *unbiased* batch
variance σ²·M/(M−1) while normalisation uses the biased one (E9); PyTorch's momentum weighs the
*new* batch: running = (1 − m)·running + m·batch with m = 0.1 (the notes' 0.9 is the weight of
the old value, E104e); frameworks use this moving average, not the full-training-set moments
(E31). The notes' GroupNorm snippet is broken (hard-coded 16, no reshape back; E37).
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from .. import backend
from ..autograd import Tensor
from ..autograd.ops import _as_tensor
from ..validation import check_same_float_dtype, check_size
from .module import Module
from .parameter import Parameter


# Sums of products run through einsum, whose inner loop adds naively: in float32 its error grows
# with the length summed. Long runs are cut into chunks of _CHUNK terms (a few ulps each) whose
# partial sums add in float64 (issue 12's float32 audit, tests/autograd/test_float32_accumulation).
_CHUNK = 8192


def _dot_last(a, b):
    """``Σ_l a[..., l]·b[..., l]`` (einsum), float32 error kept from growing with the length."""
    xp = backend.get_array_module(a)
    length = a.shape[-1]
    if a.dtype == np.float64 or length <= _CHUNK:
        return xp.einsum("...l,...l->...", a, b)
    total = xp.zeros(a.shape[:-1], dtype=np.float64)
    for start in range(0, length, _CHUNK):
        part = slice(start, start + _CHUNK)
        total += xp.einsum("...l,...l->...", a[..., part], b[..., part])
    return total.astype(a.dtype)


def _dot_rows(a, b):
    """``Σ_i a[i, f]·b[i, f]`` for 2-D ``a``, ``b``, accurate over many rows like ``_dot_last``."""
    xp = backend.get_array_module(a)
    rows = a.shape[0]
    if a.dtype == np.float64 or rows <= _CHUNK:
        return xp.einsum("if,if->f", a, b)
    total = xp.zeros(a.shape[1:], dtype=np.float64)
    for start in range(0, rows, _CHUNK):
        total += xp.einsum("if,if->f", a[start:start + _CHUNK], b[start:start + _CHUNK])
    return total.astype(a.dtype)

__all__ = [
    "batch_norm", "layer_norm", "group_norm", "instance_norm", "local_response_norm",
    "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "LayerNorm", "GroupNorm", "InstanceNorm1d",
    "InstanceNorm2d", "InstanceNorm3d", "LocalResponseNorm",
]


def _opt(t):
    return None if t is None else _as_tensor(t)


def _shape_str(shape):
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def _check_param(p, n, name, who):
    if p is not None and p.shape != (n,):
        raise ValueError(f"{who}: {name} must have shape ({n},), got {p.shape}")


def _affine_parameters(module, affine, bias, shape, dtype):
    """Register γ = 1 (``weight``) and β = 0 (``bias``) of ``shape``, or None."""
    if affine:
        module.weight = Parameter(Tensor(np.ones(shape), dtype=dtype))
    else:
        module.register_parameter("weight", None)
    if affine and bias:
        module.bias = Parameter(Tensor(np.zeros(shape), dtype=dtype))
    else:
        module.register_parameter("bias", None)


def _reset_affine(module):
    if module.weight is not None:
        module.weight.data = module.weight.xp.ones_like(module.weight.data)
    if module.bias is not None:
        module.bias.data = module.bias.xp.zeros_like(module.bias.data)


# ---------------------------------------------------------------------- batch norm
def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Batch normalisation over every axis but the channel axis 1 (``F.batch_norm``).

    Shapes: input (N, C, *) — (N, C), (N, C, L), (N, C, H, W) ...; running_mean, running_var,
    weight (γ), bias (β): (C,) or None.

    Training (``training=True``): normalise with the batch mean and *biased* variance over
    M = N·∏spatial values per channel; if running statistics are given they are updated in
    place: running_mean ← (1−m)·running_mean + m·μ_B and running_var ← (1−m)·running_var +
    m·σ²_B·M/(M−1) (unbiased). Eval: normalise with the running statistics.

    One fused graph node. Backward in training, per channel with M values, σ = √(σ²_B + ε),
    xμ = x − μ_B, x̂ = xμ/σ and g = dL/dy (the staged derivation of note 002, collapsed)::

        dL/dβ  = Σ g                 dL/dγ = Σ g x̂            dL/dx̂ = γ g
        dL/dσ² = Σ γg·xμ · (−½)(σ²_B + ε)^{−3/2} = −(γ/(2σ³)) Σ g xμ
        dL/dμ  = −(γ/σ) Σ g + dL/dσ² · (−2/M) Σ xμ = −(γ/σ) Σ g            (Σ xμ = 0)
        dL/dx  = γg/σ + dL/dσ² · 2xμ/M + dL/dμ / M
               = (γ/σ) (g − mean(g) − x̂ · mean(g x̂))

    computed as three in-place passes from two per-channel sums (Σg, Σg·xμ). In eval μ and σ
    are constants (running statistics): dL/dx = γ g / √(running_var + ε).
    """
    x, w, b = _as_tensor(input), _opt(weight), _opt(bias)
    if x.ndim < 2:
        raise ValueError(f"batch_norm expected an input of shape (N, C, *), got {x.shape}")
    n, c = x.shape[0], x.shape[1]
    for name, p in (("weight", w), ("bias", b), ("running_mean", running_mean),
                    ("running_var", running_var)):
        _check_param(p, c, name, f"batch_norm (input shape {x.shape})")
        if name.startswith("running") and p is not None and not isinstance(p, Tensor):
            raise TypeError(f"batch_norm: {name} must be a Tensor (it is updated in place), "
                            f"got {type(p).__name__}")
    check_same_float_dtype("batch_norm", input=x, weight=w, bias=b, running_mean=running_mean,
                           running_var=running_var)
    xp = x.xp
    if x.data.size == 0:
        # An empty batch (N = 0, or a zero-sized spatial axis): nothing to normalise and no
        # statistics to update. PyTorch returns an empty result and leaves the running
        # statistics untouched; the gradients of γ and β are zero.
        present = tuple(t for t in (x, w, b) if t is not None)
        return Tensor._make(xp.empty_like(x.data), present,
                            lambda g: tuple(xp.zeros_like(t.data) for t in present), "BatchNorm")
    x3 = x.data.reshape(n, c, -1)
    m = x3.shape[0] * x3.shape[2]
    if training:
        if m <= 1:
            raise ValueError(
                "Expected more than 1 value per channel when training, got input size "
                f"{_shape_str(x.shape)}"
            )
        mean = backend.accurate_sum(x3.sum(axis=2), axis=0) / m
        centered = x3 - mean[:, None]
        var = backend.accurate_sum(_dot_last(centered, centered), axis=0) / m
        if running_mean is not None:
            running_mean.data = ((1 - momentum) * running_mean.data
                                 + momentum * mean).astype(running_mean.dtype, copy=False)
        if running_var is not None:
            running_var.data = ((1 - momentum) * running_var.data
                                + momentum * var * (m / (m - 1))).astype(running_var.dtype,
                                                                         copy=False)
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: running_mean and running_var are required when "
                             "training=False")
        mean, var = running_mean.data.astype(x.dtype), running_var.data.astype(x.dtype)
        centered = x3 - mean[:, None]
    invstd = (1 / xp.sqrt(var + eps)).astype(x.dtype, copy=False)
    gamma = w.data if w is not None else xp.ones(c, dtype=x.dtype)
    scale = gamma * invstd
    out = centered * scale[:, None]
    if b is not None:
        out += b.data[:, None]
    out = out.reshape(x.shape)

    def backward(g):
        g3 = g.reshape(n, c, -1)
        sum_g = backend.accurate_sum(g3.sum(axis=2), axis=0)
        sum_gx = backend.accurate_sum(_dot_last(g3, centered), axis=0) * invstd  # Σ g·x̂
        gx = gw = gb = None
        if x.requires_grad:
            if training:
                gx = g3 * scale[:, None]
                gx -= centered * (scale * invstd * sum_gx / m)[:, None]
                gx -= (scale * sum_g / m)[:, None]
            else:
                gx = g3 * scale[:, None]
            gx = gx.reshape(x.shape)
        if w is not None and w.requires_grad:
            gw = sum_gx.astype(w.dtype, copy=False)
        if b is not None and b.requires_grad:
            gb = sum_g.astype(b.dtype, copy=False)
        return (gx, gw, gb)

    parents = (x, w if w is not None else Tensor._wrap(gamma), b if b is not None
               else Tensor._wrap(xp.zeros(c, dtype=x.dtype)))
    return Tensor._make(out, parents, backward, "BatchNorm")


class _BatchNorm(Module):
    _dims = ()

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, device=None, dtype=None, *, bias=True):
        super().__init__()
        self.num_features = check_size(num_features, "num_features", type(self).__name__)
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        dtype = backend.get_default_dtype() if dtype is None else np.dtype(dtype)
        _affine_parameters(self, affine, bias, (num_features,), dtype)
        if track_running_stats:
            self.register_buffer("running_mean", Tensor(np.zeros(num_features), dtype=dtype))
            self.register_buffer("running_var", Tensor(np.ones(num_features), dtype=dtype))
            self.register_buffer("num_batches_tracked", Tensor(np.array(0, dtype=np.int64)))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        if device is not None:
            self.to(device=device)

    def reset_running_stats(self):
        if self.track_running_stats:
            self.running_mean.data = self.running_mean.xp.zeros_like(self.running_mean.data)
            self.running_var.data = self.running_var.xp.ones_like(self.running_var.data)
            self.num_batches_tracked.data = self.num_batches_tracked.xp.zeros_like(
                self.num_batches_tracked.data)

    def reset_parameters(self):
        self.reset_running_stats()
        _reset_affine(self)

    def _check_input(self, x):
        name = type(self).__name__
        if x.ndim not in self._dims:
            dims = " or ".join(f"{d}D" for d in self._dims)
            raise ValueError(f"{name}: expected {dims} input (got {x.ndim}D input of shape "
                             f"{x.shape})")
        if x.shape[1] != self.num_features:
            raise ValueError(f"{name} expected {self.num_features} channels, got {x.shape[1]} "
                             f"(input shape {x.shape})")

    def forward(self, input):
        x = _as_tensor(input)
        self._check_input(x)
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.data = self.num_batches_tracked.data + 1
            if self.momentum is None:  # cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked.data)
        use_batch = self.training or (self.running_mean is None and self.running_var is None)
        track = not self.training or self.track_running_stats
        return batch_norm(x, self.running_mean if track else None,
                          self.running_var if track else None, self.weight, self.bias,
                          use_batch, factor, self.eps)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) input (``torch.nn.BatchNorm1d``).

    Parameters: num_features C, eps 1e-5, momentum 0.1 (None: cumulative average, i.e. the
    factor 1/num_batches_tracked), affine (γ = 1, β = 0 of shape (C,); keyword ``bias=False``
    drops β), track_running_stats (running_mean 0, running_var 1, num_batches_tracked 0).
    Training uses batch statistics and updates the running ones; eval uses the running ones
    (see :func:`batch_norm`).
    """

    _dims = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) input over (N, H, W) per channel; statistics of shape
    (C,), broadcast as 1×C×1×1 (see :class:`BatchNorm1d` and :func:`batch_norm`)."""

    _dims = (4,)


class BatchNorm3d(_BatchNorm):
    """Batch normalisation of (N, C, D, H, W) input (see :class:`BatchNorm1d`)."""

    _dims = (5,)


# ---------------------------------------------------------------------- shared fused op
def _normalize_rows(x, rows, eps, weight, bias, name):
    """Standardise the last axis of ``x.reshape(rows)``, then ``x̂·γ + β`` with γ, β of the
    shape of x's trailing axes (LayerNorm). Few full-size temporaries (in-place updates,
    ``einsum`` for the sums of products): allocation costs as much as arithmetic here."""
    xp = x.xp
    xr = x.data.reshape(rows)
    length = xr.shape[-1]
    mean = xr.mean(axis=-1, keepdims=True)
    xhat = xr - mean
    var = _dot_last(xhat, xhat)[..., None] / length
    invstd = (1 / xp.sqrt(var + eps)).astype(x.dtype, copy=False)
    xhat *= invstd
    xhat = xhat.reshape(x.shape)
    ref = weight if weight is not None else bias
    param_shape = None if ref is None else ref.shape
    param_rows = None if ref is None else (-1, ref.numel())
    w_b = None if weight is None else weight.data.reshape(param_shape)
    out = xhat.copy() if w_b is None else xhat * w_b
    if bias is not None:
        out += bias.data.reshape(param_shape)

    def backward(g):
        gx = gw = gb = None
        if x.requires_grad:
            ghat = (g.copy() if w_b is None else g * w_b).reshape(rows)
            xhat_r = xhat.reshape(rows)
            mean_g = ghat.mean(axis=-1, keepdims=True)
            mean_gx = _dot_last(ghat, xhat_r)[..., None] / length
            ghat -= mean_g
            ghat -= xhat_r * mean_gx
            ghat *= invstd
            gx = ghat.reshape(x.shape)
        if weight is not None and weight.requires_grad:
            gw = _dot_rows(g.reshape(param_rows), xhat.reshape(param_rows))
            gw = gw.reshape(weight.shape)
        if bias is not None and bias.requires_grad:
            gb = backend.accurate_sum(g.reshape(param_rows), axis=0).reshape(bias.shape)
        return gx, gw, gb

    return Tensor._make(out, _parents(x, weight, bias), backward, name)


def _parents(x, weight, bias):
    dummy = Tensor._wrap(x.xp.zeros(0, dtype=x.dtype))
    return (x, weight if weight is not None else dummy, bias if bias is not None else dummy)


def _normalize_groups(x, num_groups, eps, weight, bias, name):
    """Group-wise standardisation with per-channel γ, β (GroupNorm; InstanceNorm is G = C).

    x is viewed as (N, C, L); group k holds channels [k·C/G, (k+1)·C/G) and M = (C/G)·L values
    per sample. Forward y = (x − μ)·A + β with A[n, c] = γ_c/σ[n, k(c)]. The backward needs two
    sums per (n, c), S_g = Σ_l g and S_gx̂ = Σ_l g·x̂, and is then one multiply-add per element
    (ĝ = γ g, means over the group)::

        dL/dγ_c = Σ_n S_gx̂,   dL/dβ_c = Σ_n S_g
        m1 = mean(ĝ) = (1/M) Σ_{c∈k} γ_c S_g,   m2 = mean(ĝ x̂) = (1/M) Σ_{c∈k} γ_c S_gx̂
        dx = (1/σ)(ĝ − m1 − x̂ m2) = A·g − (m2/σ²)·(x − μ) − m1/σ

    (x − μ) is kept rather than folded into x·A + B: with |μ| ≫ σ the folded form loses
    float32 precision. Returns (output, mean, biased variance), the statistics of shape (N, G).
    """
    xp = x.xp
    n, c = x.shape[0], x.shape[1]
    if x.data.size == 0:  # nothing to normalise (an empty batch, no channels or no positions)
        empty = xp.zeros((n, num_groups), dtype=x.dtype)
        parents = _parents(x, weight, bias)
        return (Tensor._make(xp.empty_like(x.data), parents,
                             lambda g: tuple(xp.zeros_like(p.data) for p in parents), name),
                empty, empty)
    per_group = c // num_groups
    count = x.data.size // (n * num_groups) if n else 1
    xg = x.data.reshape(n, num_groups, -1)
    mean = xg.mean(axis=2)
    centered = xg - mean[:, :, None]
    var = _dot_last(centered, centered) / count
    invstd = (1 / xp.sqrt(var + eps)).astype(x.dtype, copy=False)
    centered = centered.reshape(n, c, -1)
    inv_c = xp.repeat(invstd, per_group, axis=1)
    gamma = weight.data if weight is not None else xp.ones(c, dtype=x.dtype)
    scale = inv_c * gamma
    out = centered * scale[:, :, None]
    if bias is not None:
        out += bias.data[None, :, None]
    out = out.reshape(x.shape)

    def backward(g):
        g3 = g.reshape(n, c, -1)
        sum_g = g3.sum(axis=2)
        sum_gxhat = _dot_last(g3, centered) * inv_c
        gx = gw = gb = None
        if x.requires_grad:
            m1 = (gamma * sum_g).reshape(n, num_groups, per_group).sum(axis=2) / count
            m2 = (gamma * sum_gxhat).reshape(n, num_groups, per_group).sum(axis=2) / count
            gx = g3 * scale[:, :, None]
            gx -= centered * xp.repeat(m2 * invstd * invstd, per_group, axis=1)[:, :, None]
            gx -= xp.repeat(m1 * invstd, per_group, axis=1)[:, :, None]
            gx = gx.reshape(x.shape)
        if weight is not None and weight.requires_grad:
            gw = backend.accurate_sum(sum_gxhat, axis=0)
        if bias is not None and bias.requires_grad:
            gb = backend.accurate_sum(sum_g, axis=0)
        return gx, gw, gb

    return Tensor._make(out, _parents(x, weight, bias), backward, name), mean, var


# ---------------------------------------------------------------------- layer norm
def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Layer normalisation over the trailing ``normalized_shape`` axes (``F.layer_norm``).

    Each sample (every leading index) is standardised over its last len(normalized_shape) axes;
    weight and bias (elementwise γ, β) have shape ``normalized_shape``. Fused backward, see the
    module docstring.
    """
    x, w, b = _as_tensor(input), _opt(weight), _opt(bias)
    shape = ((normalized_shape,) if isinstance(normalized_shape, numbers.Integral)
             else tuple(normalized_shape))
    k = len(shape)
    if k == 0 or x.ndim < k or tuple(x.shape[-k:]) != shape:
        raise ValueError(
            f"layer_norm: given normalized_shape={list(shape)}, expected input with shape "
            f"[*, {', '.join(map(str, shape))}], but got input of size {list(x.shape)}"
        )
    for name, p in (("weight", w), ("bias", b)):
        if p is not None and p.shape != shape:
            raise ValueError(f"layer_norm: {name} must have shape {shape}, got {p.shape}")
    check_same_float_dtype("layer_norm", input=x, weight=w, bias=b)
    lead = int(np.prod(x.shape[:-k])) if x.ndim > k else 1
    return _normalize_rows(x, (lead, -1), eps, w, b, "LayerNorm")


class LayerNorm(Module):
    """Layer normalisation (Ba et al. 2016) over the trailing ``normalized_shape`` axes.

    Parameters: normalized_shape (int or tuple), eps 1e-5, elementwise_affine (γ = 1 of shape
    normalized_shape), bias (β = 0; needs elementwise_affine). Statistics come from each sample
    alone, so training and eval behave identically and batch size 1 is fine.
    """

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True,
                 device=None, dtype=None):
        super().__init__()
        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(check_size(n, "normalized_shape", "LayerNorm")
                                      for n in normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        dtype = backend.get_default_dtype() if dtype is None else np.dtype(dtype)
        _affine_parameters(self, elementwise_affine, bias, self.normalized_shape, dtype)
        if device is not None:
            self.to(device=device)

    def reset_parameters(self):
        _reset_affine(self)

    def forward(self, input):
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}")


# ---------------------------------------------------------------------- group norm
def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Group normalisation (Wu & He 2018): channels split into ``num_groups`` groups, each
    sample standardised over (C/G, *spatial) per group; γ, β per channel, shape (C,).

    This is the correct version of note 001's snippet (ERRATA E37): reshape (N, G, C/G, H, W),
    statistics over all but (N, G), reshape back to (N, C, H, W), then γ·x̂ + β.
    """
    x, w, b = _as_tensor(input), _opt(weight), _opt(bias)
    if x.ndim < 2:
        raise ValueError(f"group_norm expected an input of shape (N, C, *), got {x.shape}")
    c = x.shape[1]
    if num_groups <= 0 or c % num_groups:
        raise ValueError(
            f"group_norm: num_groups={num_groups} must divide the number of channels {c} "
            f"(input shape {x.shape})"
        )
    for name, p in (("weight", w), ("bias", b)):
        _check_param(p, c, name, "group_norm")
    check_same_float_dtype("group_norm", input=x, weight=w, bias=b)
    out, _, _ = _normalize_groups(x, num_groups, eps, w, b, "GroupNorm")
    return out


class GroupNorm(Module):
    """Group normalisation: ``num_groups`` groups of ``num_channels / num_groups`` channels.

    G = 1 normalises like LayerNorm over (C, H, W), G = C like InstanceNorm (with per-channel
    γ, β in both cases). Independent of the batch size. γ = 1, β = 0 of shape (C,) when affine.
    """

    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True, device=None,
                 dtype=None, *, bias=True):
        super().__init__()
        check_size(num_groups, "num_groups", "GroupNorm", minimum=1)
        check_size(num_channels, "num_channels", "GroupNorm")
        if num_channels % num_groups:
            raise ValueError(
                f"GroupNorm: num_channels ({num_channels}) must be divisible by num_groups "
                f"({num_groups})"
            )
        self.num_groups, self.num_channels = num_groups, num_channels
        self.eps, self.affine = eps, affine
        dtype = backend.get_default_dtype() if dtype is None else np.dtype(dtype)
        _affine_parameters(self, affine, bias, (num_channels,), dtype)
        if device is not None:
            self.to(device=device)

    def forward(self, input):
        x = _as_tensor(input)
        if x.ndim < 2 or x.shape[1] != self.num_channels:
            raise ValueError(f"GroupNorm expected {self.num_channels} channels, got "
                             f"{x.shape[1] if x.ndim >= 2 else None} (input shape {x.shape})")
        return group_norm(x, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")

    def reset_parameters(self):
        _reset_affine(self)


# ---------------------------------------------------------------------- instance norm
def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-5):
    """Instance normalisation (Ulyanov et al. 2016): each (sample, channel) map standardised
    over its spatial axes; γ, β per channel.

    With ``use_input_stats`` and running statistics given, they are updated as PyTorch does:
    running ← (1−m)·running + m·(mean over the batch of the per-instance statistics), the
    variance unbiased over the L spatial positions (×L/(L−1)). Without ``use_input_stats`` the
    running statistics normalise (as batch norm in eval).
    """
    x, w, b = _as_tensor(input), _opt(weight), _opt(bias)
    if x.ndim < 3:
        raise ValueError(f"instance_norm expected an input of shape (N, C, *spatial), got "
                         f"{x.shape}")
    n, c = x.shape[0], x.shape[1]
    if not use_input_stats:
        return batch_norm(x, running_mean, running_var, w, b, False, momentum, eps)
    length = int(np.prod(x.shape[2:]))
    if length <= 1:
        raise ValueError(
            "Expected more than 1 spatial element when training, got input size "
            f"{_shape_str(x.shape)}"
        )
    for name, p in (("weight", w), ("bias", b), ("running_mean", running_mean),
                    ("running_var", running_var)):
        _check_param(p, c, name, f"instance_norm (input shape {x.shape})")
    check_same_float_dtype("instance_norm", input=x, weight=w, bias=b,
                           running_mean=running_mean, running_var=running_var)
    out, mean, var = _normalize_groups(x, c, eps, w, b, "InstanceNorm")
    if running_mean is not None:
        batch_mean = mean.reshape(n, c).mean(axis=0)
        running_mean.data = ((1 - momentum) * running_mean.data
                             + momentum * batch_mean).astype(running_mean.dtype, copy=False)
    if running_var is not None:
        batch_var = var.reshape(n, c).mean(axis=0) * (length / (length - 1))
        running_var.data = ((1 - momentum) * running_var.data
                            + momentum * batch_var).astype(running_var.dtype, copy=False)
    return out


class _InstanceNorm(_BatchNorm):
    _spatial = 0

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=False,
                 track_running_stats=False, device=None, dtype=None, *, bias=True):
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device, dtype,
                         bias=bias)

    def forward(self, input):
        x = _as_tensor(input)
        name = type(self).__name__
        if x.ndim not in (self._spatial + 1, self._spatial + 2):
            raise ValueError(
                f"{name}: expected {self._spatial + 1}D (unbatched) or {self._spatial + 2}D "
                f"(batched) input (got {x.ndim}D input of shape {x.shape})"
            )
        unbatched = x.ndim == self._spatial + 1
        if unbatched:
            x = x.unsqueeze(0)
        if x.shape[1] != self.num_features:
            message = (f"{name} expected {self.num_features} channels, got {x.shape[1]} "
                       f"(input shape {tuple(input.shape)})")
            if self.affine or self.track_running_stats:
                raise ValueError(message)
            warnings.warn(message + "; the statistics do not depend on num_features",
                          stacklevel=2)
        use_input_stats = self.training or not self.track_running_stats
        out = instance_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                            use_input_stats, 0.0 if self.momentum is None else self.momentum,
                            self.eps)
        return out.squeeze(0) if unbatched else out


class InstanceNorm1d(_InstanceNorm):
    """Instance normalisation of (N, C, L) or unbatched (C, L) input; affine=False and
    track_running_stats=False by default (as PyTorch)."""

    _spatial = 1


class InstanceNorm2d(_InstanceNorm):
    """Instance normalisation of (N, C, H, W) or unbatched (C, H, W) input: each map
    standardised over (H, W). affine=False and track_running_stats=False by default (as
    PyTorch); with track_running_stats, eval uses the running statistics (momentum=None leaves
    them unchanged: PyTorch passes a factor of 0, not a cumulative average)."""

    _spatial = 2


class InstanceNorm3d(_InstanceNorm):
    """Instance normalisation of (N, C, D, H, W) or unbatched (C, D, H, W) input."""

    _spatial = 3


# ---------------------------------------------------------------------- local response norm
def _window_sum(a, before, after):
    """s[:, c] = Σ_{j=c−before}^{c+after} a[:, j] along axis 1 (zeros outside), as
    ``before + after + 1`` shifted adds."""
    xp = backend.get_array_module(a)
    c = a.shape[1]
    pad = [(0, 0)] * a.ndim
    pad[1] = (before, after)
    padded = xp.pad(a, pad)
    out = padded[:, 0:c].copy()
    for j in range(1, before + after + 1):
        out += padded[:, j:j + c]
    return out


def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """Local response normalisation across channels (AlexNet), PyTorch's formula::

        b_c = a_c / (k + (α/n) Σ_{j=c−⌊n/2⌋}^{c+⌊(n−1)/2⌋} a_j²)^β        n = size

    PyTorch (and Caffe) divide α by n; the AlexNet paper's b = a/(k + α Σ a²)^β with k = 2,
    n = 5, α = 1e-4, β = 0.75 is ``local_response_norm(x, 5, alpha=5e-4, beta=0.75, k=2)``
    (ERRATA E25; VGG found LRN does not help). Input (N, C, *) with at least 3 dimensions.

    Fused backward, with d_c = k + (α/n) S_c::

        dL/da_j = g_j d_j^{−β} − (2αβ/n) a_j Σ_{c : j ∈ window(c)} g_c a_c d_c^{−β−1}
    """
    x = _as_tensor(input)
    if x.ndim < 3:
        raise ValueError(f"local_response_norm: expected 3D or higher dimensionality input "
                         f"(got {x.ndim} dimensions, shape {x.shape})")
    if size < 1:
        raise ValueError(f"local_response_norm: size must be a positive integer, got {size}")
    before, after = size // 2, (size - 1) // 2
    d = k + (alpha / size) * _window_sum(x.data * x.data, before, after)
    d_pow = d ** -beta
    out = (x.data * d_pow).astype(x.dtype, copy=False)

    def backward(g):
        t = g * out / d  # g_c a_c d_c^{−β−1}
        back = _window_sum(t, after, before)
        return ((g * d_pow - (2 * alpha * beta / size) * x.data * back).astype(x.dtype,
                                                                              copy=False),)

    return Tensor._make(out, (x,), backward, "LocalResponseNorm")


class LocalResponseNorm(Module):
    """Local response normalisation over ``size`` neighbouring channels (see
    :func:`local_response_norm`; PyTorch's defaults alpha=1e-4, beta=0.75, k=1)."""

    def __init__(self, size, alpha=1e-4, beta=0.75, k=1.0):
        super().__init__()
        self.size = check_size(size, "size", "LocalResponseNorm", minimum=1)
        self.alpha, self.beta, self.k = alpha, beta, k

    def forward(self, input):
        return local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self):
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"

