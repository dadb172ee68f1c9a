"""``Function``: define a new differentiable op by its forward and backward on arrays.

    class Cube(wb.autograd.Function):
        @staticmethod
        def forward(ctx, x):              # x is an array
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, grad):          # grad = dL/dout, an array
            (x,) = ctx.saved_tensors
            return 3 * x ** 2 * grad      # one gradient per input (None for non-tensors)

    y = Cube.apply(t)                      # t a Tensor; y joins the graph

As in PyTorch, ``forward`` runs without recording a graph; unlike PyTorch it receives and returns
plain arrays, which keeps custom ops free of autograd bookkeeping.
"""

from __future__ import annotations

from .tensor import Tensor

__all__ = ["Function", "FunctionCtx"]


class FunctionCtx:
    """Scratch space shared by a ``Function``'s forward and backward."""

    def __init__(self):
        self.saved_tensors = ()
        self.needs_input_grad = ()

    def save_for_backward(self, *arrays):
        self.saved_tensors = arrays


class Function:
    """Base class for user-defined ops; subclass and implement ``forward`` and ``backward``."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("subclasses of Function implement forward(ctx, *args)")

    @staticmethod
    def backward(ctx, grad_output):
        raise NotImplementedError("subclasses of Function implement backward(ctx, grad)")

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = FunctionCtx()
        tensors = [a for a in args if isinstance(a, Tensor)]
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        arrays = [a.data if isinstance(a, Tensor) else a for a in args]
        out = cls.forward(ctx, *arrays, **kwargs)

        def backward(g):
            grads = cls.backward(ctx, g)
            grads = grads if isinstance(grads, tuple) else (grads,)
            if len(grads) != len(args):
                raise RuntimeError(
                    f"{cls.__name__}.backward returned {len(grads)} gradients for "
                    f"{len(args)} inputs"
                )
            return tuple(g for g, a in zip(grads, args) if isinstance(a, Tensor))

        return Tensor._make(out, tuple(tensors), backward, cls.__name__)
