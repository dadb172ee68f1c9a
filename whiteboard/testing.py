"""Numerical gradient checking by central differences.

For a function ``f`` of tensors and a random cotangent ``v`` of the output's shape, the scalar
``φ(x) = ⟨v, f(x)⟩`` has gradient ``Jᵀv`` — exactly what ``backward(v)`` computes. Each input
element is perturbed by ``±eps`` and ``(φ(x + eps·e_i) − φ(x − eps·e_i)) / (2 eps)`` (error
``O(eps²)``) is compared with the analytic entry. Inputs are converted to float64 first: in float32
the rounding error of the difference quotient swamps the truncation error.
"""

from __future__ import annotations

import numpy as np

from . import backend
from .autograd import Tensor, no_grad

__all__ = ["gradcheck", "GradcheckError", "numerical_grad"]


class GradcheckError(AssertionError):
    """The analytic and numerical gradients disagree."""


def _outputs(fn, inputs):
    out = fn(*inputs)
    return out if isinstance(out, (tuple, list)) else (out,)


def _phi(fn, inputs, cotangents):
    with no_grad():
        outs = _outputs(fn, inputs)
    return sum(float((o.data * v).sum()) for o, v in zip(outs, cotangents))


def numerical_grad(fn, inputs, cotangents, eps=1e-6):
    """Central-difference gradients of ``⟨v, fn(inputs)⟩`` for every input that requires grad."""
    grads = []
    for x in inputs:
        if not (isinstance(x, Tensor) and x.requires_grad):
            grads.append(None)
            continue
        g = np.zeros(x.shape)
        flat = x.data.reshape(-1)
        for i in range(flat.size):
            orig = flat[i].item()
            flat[i] = orig + eps
            plus = _phi(fn, inputs, cotangents)
            flat[i] = orig - eps
            minus = _phi(fn, inputs, cotangents)
            flat[i] = orig
            g.reshape(-1)[i] = (plus - minus) / (2 * eps)
        grads.append(g)
    return grads


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, seed=0, raise_exception=True):
    """Check ``fn``'s backward pass against central differences (in float64).

    Parameters
    ----------
    fn : callable
        Takes the inputs (Tensors and other arguments) and returns a Tensor or a tuple of them.
    inputs : sequence
        Tensors with ``requires_grad=True`` are checked; other items are passed through.
    eps, atol, rtol : float
        Step of the difference quotient and the tolerance ``|a - n| <= atol + rtol |n|``.

    Returns True, or raises :class:`GradcheckError` naming the input and the worst element
    (returns False instead when ``raise_exception=False``).
    """
    if isinstance(inputs, Tensor):
        inputs = (inputs,)
    inputs = [
        Tensor(backend.to_numpy(x.data).astype(np.float64), requires_grad=x.requires_grad)
        if isinstance(x, Tensor) and x.dtype.kind == "f" else x
        for x in inputs
    ]
    if not any(isinstance(x, Tensor) and x.requires_grad for x in inputs):
        raise ValueError("gradcheck: no input has requires_grad=True")
    outs = _outputs(fn, inputs)
    rng = np.random.default_rng(seed)
    cotangents = [rng.standard_normal(o.shape) for o in outs]
    total = sum((o * Tensor(v)).sum() for o, v in zip(outs, cotangents) if o.requires_grad)
    if not isinstance(total, Tensor):
        raise GradcheckError("gradcheck: no output requires grad")
    total.backward()
    numeric = numerical_grad(fn, inputs, cotangents, eps)
    for k, (x, num) in enumerate(zip(inputs, numeric)):
        if num is None:
            continue
        ana = np.zeros(x.shape) if x.grad is None else backend.to_numpy(x.grad.data)
        err = np.abs(ana - num) - (atol + rtol * np.abs(num))
        if (err > 0).any():
            i = np.unravel_index(np.argmax(err), err.shape) if err.ndim else ()
            msg = (
                f"gradcheck: gradient of input {k} (shape {x.shape}) differs at index {i}: "
                f"analytic {ana[i]!r}, numerical {num[i]!r}"
            )
            if raise_exception:
                raise GradcheckError(msg)
            return False
    return True
