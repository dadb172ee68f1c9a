"""``Parameter``: a leaf tensor that a ``Module`` registers as learnable."""

from __future__ import annotations

from ..autograd import Tensor

__all__ = ["Parameter"]


class Parameter(Tensor):
    """A tensor that requires grad by default and is registered when assigned to a Module."""

    def __init__(self, data=None, requires_grad=True):
        if data is None:
            data = Tensor([])
        super().__init__(data.data if isinstance(data, Tensor) else data,
                         requires_grad=requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()
