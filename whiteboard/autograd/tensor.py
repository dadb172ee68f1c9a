"""The ``Tensor``: an array plus the graph that produced it, and reverse-mode differentiation.

Back-propagation is the chain rule applied to the graph in reverse topological order (the notes'
"BP = total differential + chain rule"). For a node ``y = f(x_1, ..., x_k)`` with upstream
gradient ``g = dL/dy``, the node's backward function returns ``dL/dx_i = g · ∂f/∂x_i`` for each
input; a tensor used by several nodes receives the *sum* of their contributions (the total
differential). The engine therefore

1. collects every node reachable from the output (iteratively, so a 10,000-op chain is fine),
2. orders them so that a node is processed only after everything that consumes it,
3. walks that order once, calling each node's backward and accumulating into its inputs.

Leaf tensors with ``requires_grad=True`` keep their gradient in ``.grad`` (accumulated across
``backward`` calls, as PyTorch does); intermediate gradients are dropped unless ``retain_grad()``
was called. The graph is freed after ``backward`` unless ``retain_graph=True``.
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import backend
from .grad_mode import is_grad_enabled

__all__ = ["Tensor", "Node"]


class Node:
    """One recorded operation: its inputs and the function mapping ``dL/dout`` to ``dL/dinputs``."""

    __slots__ = ("name", "parents", "backward")

    def __init__(self, name, parents, backward):
        self.name = name
        self.parents = parents
        self.backward = backward

    def __repr__(self):
        return f"<{self.name}Backward>"


def _infer_dtype(data):
    """PyTorch's rule: Python floats become the default dtype, arrays keep theirs."""
    if isinstance(data, (bool, np.bool_)):
        return np.dtype(bool)
    if isinstance(data, numbers.Integral):
        return np.dtype(np.int64)
    if isinstance(data, numbers.Real):
        return backend.get_default_dtype()
    if isinstance(data, (list, tuple)):
        arr = np.asarray(data)
        if arr.dtype.kind == "f":
            return backend.get_default_dtype()
        if arr.dtype.kind in "iu":
            return np.dtype(np.int64)
        return arr.dtype
    return None


class Tensor:
    """A multi-dimensional array that can record operations for automatic differentiation.

    Parameters
    ----------
    data : array_like
        NumPy/CuPy array, nested lists or a scalar. Arrays keep their dtype; Python floats take
        the default dtype (float32 unless changed with ``wb.set_default_dtype``).
    requires_grad : bool
        Record operations on this tensor so that ``backward`` can fill ``.grad``. Only floating
        tensors can require gradients.
    dtype : dtype, optional
        Convert the data to this dtype.
    """

    __array_ufunc__ = None  # make ``ndarray op Tensor`` call Tensor's reflected operator

    def __init__(self, data, requires_grad=False, dtype=None):
        if isinstance(data, Tensor):
            data = data.data
        if dtype is None:
            dtype = _infer_dtype(data)
        module = backend.get_array_module(data) if hasattr(data, "shape") else backend.xp()
        self.data = module.asarray(data, dtype=dtype)
        self.grad = None
        self._node = None
        self._retains_grad = False
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    # ------------------------------------------------------------------ graph construction
    @classmethod
    def _make(cls, data, parents, backward, name):
        """The result of an op: a graph node when grad is enabled and an input requires grad."""
        out = cls.__new__(cls)
        out.data = data
        out.grad = None
        out._retains_grad = False
        out._node = None
        out.requires_grad = False
        if is_grad_enabled() and any(p.requires_grad for p in parents):
            out.requires_grad = True
            out._node = Node(name, parents, backward)
        return out

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` in place (only on leaves and floating dtypes); returns self."""
        if requires_grad and self.data.dtype.kind not in "fc":
            raise TypeError(
                f"only floating point tensors can require gradients, got dtype {self.data.dtype}"
            )
        if not requires_grad and self._node is not None:
            raise RuntimeError(
                "requires_grad can only be turned off on a leaf tensor; use detach() instead"
            )
        self.requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self):
        """True for tensors created by the user rather than by a recorded operation."""
        return self._node is None

    @property
    def grad_fn(self):
        """The node that produced this tensor (``None`` for leaves)."""
        return self._node

    def retain_grad(self):
        """Keep ``.grad`` on this non-leaf tensor after ``backward``."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on a tensor that has requires_grad=False")
        self._retains_grad = True
        return self

    def detach(self):
        """A new tensor sharing the data, cut from the graph."""
        return Tensor._wrap(self.data)

    @classmethod
    def _wrap(cls, data):
        out = cls.__new__(cls)
        out.data = data
        out.grad = None
        out._node = None
        out._retains_grad = False
        out.requires_grad = False
        return out

    def zero_grad(self):
        """Forget the accumulated gradient (``.grad = None``)."""
        self.grad = None

    # ------------------------------------------------------------------ backward
    def backward(self, gradient=None, retain_graph=False):
        """Accumulate ``d self / d leaf`` (times ``gradient``) into ``.grad`` of every leaf.

        ``gradient`` is required unless this tensor holds a single element; it is the vector in
        the vector-Jacobian product and must have this tensor's shape.
        """
        if not self.requires_grad:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn"
            )
        xp = self.xp
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError(
                    "grad can be implicitly created only for scalar outputs; this tensor has "
                    f"shape {self.shape}: pass `gradient` of that shape to backward()"
                )
            seed = xp.ones_like(self.data)
        else:
            seed = gradient.data if isinstance(gradient, Tensor) else xp.asarray(gradient)
            if seed.shape != self.data.shape:
                raise ValueError(
                    f"backward: gradient has shape {tuple(seed.shape)} but the tensor has shape "
                    f"{self.shape}"
                )
            seed = seed.astype(self.data.dtype, copy=False)

        order = self._topological_order()
        grads = {id(self): seed}
        for tensor in order:
            grad = grads.pop(id(tensor), None)
            if grad is None:
                continue
            node = tensor._node
            if node is None or tensor._retains_grad:
                tensor._accumulate(grad)
            if node is None:
                continue
            if node.backward is None:
                raise RuntimeError(
                    "Trying to backward through the graph a second time (or directly access "
                    "saved tensors after they have already been freed). Specify "
                    "retain_graph=True if you need to backward through the graph a second time."
                )
            parent_grads = node.backward(grad)
            for parent, pgrad in zip(node.parents, parent_grads):
                if pgrad is None or not parent.requires_grad:
                    continue
                key = id(parent)
                grads[key] = grads[key] + pgrad if key in grads else pgrad
            if not retain_graph:
                node.backward = None

    def _accumulate(self, grad):
        grad = grad.astype(self.data.dtype, copy=False)
        if self.grad is None:
            self.grad = Tensor._wrap(grad.copy())
        else:
            self.grad = Tensor._wrap(self.grad.data + grad)

    def _topological_order(self):
        """Nodes reachable from self, each before all of its inputs (iterative DFS)."""
        order, visited = [], set()
        stack = [(self, False)]
        while stack:
            tensor, expanded = stack.pop()
            if expanded:
                order.append(tensor)
                continue
            if id(tensor) in visited:
                continue
            visited.add(id(tensor))
            stack.append((tensor, True))
            if tensor._node is not None:
                for parent in tensor._node.parents:
                    if parent.requires_grad and id(parent) not in visited:
                        stack.append((parent, False))
        order.reverse()
        return order

    # ------------------------------------------------------------------ array facts
    @property
    def xp(self):
        """The array module (``numpy`` or ``cupy``) holding this tensor's data."""
        return backend.get_array_module(self.data)

    @property
    def shape(self):
        return tuple(self.data.shape)

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def device(self):
        return "cpu" if self.xp is np else "cuda"

    def dim(self):
        return self.data.ndim

    def size(self, dim=None):
        return self.shape if dim is None else self.shape[dim]

    def numel(self):
        return int(self.data.size)

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    def numpy(self):
        """The data as a host NumPy array (shares memory on the CPU)."""
        return backend.to_numpy(self.data)

    def __array__(self, dtype=None, copy=None):
        arr = self.numpy()
        return arr if dtype is None else arr.astype(dtype)

    def item(self):
        if self.data.size != 1:
            raise ValueError(
                f"a Tensor with {self.data.size} elements cannot be converted to a Python scalar"
            )
        return self.data.reshape(()).item()

    def tolist(self):
        return self.numpy().tolist()

    def __repr__(self):
        body = np.array2string(self.numpy(), separator=", ", prefix="tensor(")
        extra = ""
        if self.data.dtype != backend.get_default_dtype() and self.data.dtype.kind == "f":
            extra += f", dtype={self.data.dtype}"
        if self._node is not None:
            extra += f", grad_fn={self._node!r}"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"tensor({body}{extra})"

    def __bool__(self):
        if self.data.size != 1:
            raise RuntimeError(
                f"Boolean value of Tensor with {self.data.size} elements is ambiguous"
            )
        return bool(self.data.reshape(()))

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self.data.dtype.kind not in "iu" or self.data.size != 1:
            raise TypeError("only integer tensors of a single element can be used as an index")
        return int(self.item())

    __hash__ = object.__hash__

    # ------------------------------------------------------------------ conversions
    def to(self, dtype=None, device=None):
        """A copy with another dtype (and/or on another device: 'cpu' or 'cuda')."""
        out = self
        if device is not None and device != self.device:
            module = np if device == "cpu" else backend._import_cupy()
            data = backend.to_numpy(self.data) if device == "cpu" else module.asarray(self.data)
            out = Tensor._wrap(data)
            out.requires_grad = self.requires_grad and self.is_leaf
        if dtype is not None:
            out = ops.cast(out, dtype)
        return out

    def float(self):
        return self.to(np.float32)

    def double(self):
        return self.to(np.float64)

    def long(self):
        return self.to(np.int64)

    def int(self):
        return self.to(np.int32)

    def bool(self):
        return self.to(np.bool_)

    def type_as(self, other):
        return self.to(other.dtype)

    def clone(self):
        return ops.clone(self)

    def cpu(self):
        return self.to(device="cpu")

    def cuda(self):
        return self.to(device="cuda")

    # ------------------------------------------------------------------ operators
    def __add__(self, other):
        return ops.add(self, other)

    def __radd__(self, other):
        return ops.add(other, self)

    def __sub__(self, other):
        return ops.sub(self, other)

    def __rsub__(self, other):
        return ops.sub(other, self)

    def __mul__(self, other):
        return ops.mul(self, other)

    def __rmul__(self, other):
        return ops.mul(other, self)

    def __truediv__(self, other):
        return ops.div(self, other)

    def __rtruediv__(self, other):
        return ops.div(other, self)

    def __pow__(self, other):
        return ops.pow(self, other)

    def __rpow__(self, other):
        return ops.pow(other, self)

    def __matmul__(self, other):
        return ops.matmul(self, other)

    def __rmatmul__(self, other):
        return ops.matmul(other, self)

    def __neg__(self):
        return ops.neg(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return ops.abs(self)

    def __getitem__(self, index):
        return ops.getitem(self, index)

    def __setitem__(self, index, value):
        if self.requires_grad and is_grad_enabled():
            raise RuntimeError(
                "in-place assignment to a tensor that requires grad; wrap it in wb.no_grad() or "
                "build the result out of place (e.g. with wb.where)"
            )
        index = ops._index_arrays(index)
        self.data[index] = value.data if isinstance(value, Tensor) else value

    def __eq__(self, other):
        return ops.compare(self, other, "equal")

    def __ne__(self, other):
        return ops.compare(self, other, "not_equal")

    def __lt__(self, other):
        return ops.compare(self, other, "less")

    def __le__(self, other):
        return ops.compare(self, other, "less_equal")

    def __gt__(self, other):
        return ops.compare(self, other, "greater")

    def __ge__(self, other):
        return ops.compare(self, other, "greater_equal")

    def __invert__(self):
        return Tensor._wrap(~self.data)

    def __and__(self, other):
        return Tensor._wrap(self.data & ops._data(other))

    def __or__(self, other):
        return Tensor._wrap(self.data | ops._data(other))

    # ------------------------------------------------------------------ methods (see ops)
    def exp(self):
        return ops.exp(self)

    def log(self):
        return ops.log(self)

    def sqrt(self):
        return ops.sqrt(self)

    def abs(self):
        return ops.abs(self)

    def tanh(self):
        return ops.tanh(self)

    def sigmoid(self):
        return ops.sigmoid(self)

    def relu(self):
        return ops.relu(self)

    def sign(self):
        return ops.sign(self)

    def clamp(self, min=None, max=None):
        return ops.clamp(self, min, max)

    clip = clamp

    def maximum(self, other):
        return ops.maximum(self, other)

    def minimum(self, other):
        return ops.minimum(self, other)

    def sum(self, dim=None, keepdim=False):
        return ops.sum(self, dim, keepdim)

    def mean(self, dim=None, keepdim=False):
        return ops.mean(self, dim, keepdim)

    def prod(self, dim=None, keepdim=False):
        return ops.prod(self, dim, keepdim)

    def cumsum(self, dim):
        return ops.cumsum(self, dim)

    def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return ops.var(self, dim, unbiased, keepdim, correction=correction)

    def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
        return ops.std(self, dim, unbiased, keepdim, correction=correction)

    def max(self, dim=None, keepdim=False):
        return ops.max(self, dim, keepdim)

    def min(self, dim=None, keepdim=False):
        return ops.min(self, dim, keepdim)

    def amax(self, dim=None, keepdim=False):
        return ops.amax(self, dim, keepdim)

    def amin(self, dim=None, keepdim=False):
        return ops.amin(self, dim, keepdim)

    def logsumexp(self, dim, keepdim=False):
        return ops.logsumexp(self, dim, keepdim)

    def argmax(self, dim=None, keepdim=False):
        return ops.argmax(self, dim, keepdim)

    def argmin(self, dim=None, keepdim=False):
        return ops.argmin(self, dim, keepdim)

    def reshape(self, *shape):
        return ops.reshape(self, *shape)

    def view(self, *shape):
        return ops.reshape(self, *shape)

    def flatten(self, start_dim=0, end_dim=-1):
        return ops.flatten(self, start_dim, end_dim)

    def transpose(self, dim0, dim1):
        return ops.transpose(self, dim0, dim1)

    def permute(self, *dims):
        return ops.permute(self, *dims)

    @property
    def T(self):
        return ops.permute(self, *reversed(range(self.ndim)))

    @property
    def mT(self):
        return ops.transpose(self, -2, -1)

    def squeeze(self, dim=None):
        return ops.squeeze(self, dim)

    def unsqueeze(self, dim):
        return ops.unsqueeze(self, dim)

    def expand(self, *sizes):
        return ops.expand(self, *sizes)

    def expand_as(self, other):
        return ops.broadcast_to(self, other.shape)

    def broadcast_to(self, shape):
        return ops.broadcast_to(self, shape)

    def split(self, split_size_or_sections, dim=0):
        return ops.split(self, split_size_or_sections, dim)

    def chunk(self, chunks, dim=0):
        return ops.chunk(self, chunks, dim)

    def masked_fill(self, mask, value):
        return ops.masked_fill(self, mask, value)

    def matmul(self, other):
        return ops.matmul(self, other)

    def pow(self, exponent):
        return ops.pow(self, exponent)


from . import ops  # noqa: E402  (ops needs Tensor defined first)
