"""Gradient clipping against exploding gradients: by global norm and by value (PyTorch's rules)."""

from __future__ import annotations

import math

import numpy as np

from ..autograd import Tensor

__all__ = ["clip_grad_norm_", "clip_grad_value_", "get_total_norm"]


def _grads(parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def get_total_norm(tensors, norm_type=2.0):
    """The p-norm of all tensors taken together, ``(Σ_k ‖t_k‖_p^p)^{1/p}`` (``max |t|`` for inf)."""
    norm_type = float(norm_type)
    if norm_type <= 0 and not math.isinf(norm_type):
        raise ValueError(f"norm_type must be positive or inf, got {norm_type}")
    tensors = [t.data if isinstance(t, Tensor) else t for t in tensors]
    if not tensors:
        return Tensor(np.asarray(0.0, dtype=np.float32))
    xp = Tensor(tensors[0]).xp
    dtype = tensors[0].dtype
    if norm_type == math.inf:
        norms = [xp.abs(t).max() if t.size else xp.asarray(0.0, dtype=dtype) for t in tensors]
        total = xp.max(xp.stack([xp.asarray(n) for n in norms]))
    elif norm_type == -math.inf:
        raise ValueError("norm_type must be positive or inf, got -inf")
    else:
        norms = [(xp.abs(t) ** norm_type).sum() ** (1.0 / norm_type) if norm_type != 2.0
                 else xp.sqrt((t * t).sum()) for t in tensors]
        stacked = xp.stack([xp.asarray(n) for n in norms])
        total = xp.sqrt((stacked * stacked).sum()) if norm_type == 2.0 else \
            (stacked ** norm_type).sum() ** (1.0 / norm_type)
    return Tensor(xp.asarray(total, dtype=dtype))


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """Rescale all gradients together so that their joint norm is at most ``max_norm``; in place.

    ``total = ‖(g_1, ..., g_k)‖_p`` over every parameter's gradient (``p = inf``: the largest
    absolute entry), ``c = min(1, max_norm / (total + 1e-6))`` and every ``g ← c·g``. Scaling the
    whole gradient (instead of clipping entries) keeps its direction, so a step on an exploding
    "cliff" is shortened but still points downhill. Returns ``total`` (before clipping) as a
    0-d tensor; ``error_if_nonfinite`` raises if it is nan or inf.
    """
    grads = _grads(parameters)
    total = get_total_norm(grads, norm_type)
    if not grads:
        return total
    value = float(total.item())
    if error_if_nonfinite and not math.isfinite(value):
        raise RuntimeError(
            f"The total norm of order {float(norm_type)} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped. To disable this error and scale the gradients "
            "by the non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    xp, dtype = total.xp, total.dtype
    coef = xp.minimum(xp.asarray(max_norm, dtype=dtype) / (total.data + dtype.type(1e-6)),
                      dtype.type(1.0))
    for g in grads:
        g.data *= coef
    return total


def clip_grad_value_(parameters, clip_value):
    """Clip every gradient entry to ``[−clip_value, clip_value]`` in place (changes direction)."""
    clip_value = float(clip_value)
    for g in _grads(parameters):
        xp = Tensor(g.data).xp
        xp.clip(g.data, -clip_value, clip_value, out=g.data)
