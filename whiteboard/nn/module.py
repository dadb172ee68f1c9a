"""``Module``: the base class of every layer and model, as in PyTorch.

Assigning a :class:`Parameter` or a ``Module`` to an attribute registers it, so that
``parameters()`` finds every learnable tensor of a model however deeply it is nested, ``train()`` /
``eval()`` reach every layer (dropout and batch norm behave differently in the two modes), and
``state_dict()`` names every parameter and buffer by its dotted path (``"layer1.0.conv1.weight"``).
Buffers (``register_buffer``) are state that is saved but not learned, such as batch norm's
running mean.
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple

import numpy as np

from ..autograd import Tensor, no_grad
from .parameter import Parameter

__all__ = ["Module", "RemovableHandle"]

IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])

_CALL_DEPTH = [0]  # how many Module calls are executing (to find the outermost one)


class RemovableHandle:
    """Returned by ``register_forward_hook``; ``remove()`` unregisters the hook."""

    _next_id = 0

    def __init__(self, hooks):
        self.hooks = hooks
        self.id = RemovableHandle._next_id
        RemovableHandle._next_id += 1

    def remove(self):
        self.hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class Module:
    """Base class for layers and models: subclass, build children in ``__init__``, write
    ``forward``, and call the module like a function."""

    training: bool

    def __init__(self):
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())
        object.__setattr__(self, "training", True)

    # ------------------------------------------------------------------ registration
    def __setattr__(self, name, value):
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"cannot assign {name!r} before Module.__init__() call in "
                f"{type(self).__name__}.__init__"
            )
        params, buffers, modules = self._parameters, self._buffers, self._modules
        if isinstance(value, Parameter):
            self._forget(name)
            params[name] = value
        elif isinstance(value, Module):
            self._forget(name)
            modules[name] = value
        elif name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign {type(value).__name__} as parameter {name!r} "
                    "(nn.Parameter or None expected)"
                )
            params[name] = None
        elif name in modules:
            if value is not None:
                raise TypeError(f"cannot assign {type(value).__name__} as child module {name!r}")
            modules[name] = None
        elif name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign {type(value).__name__} as buffer {name!r}")
            buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name):
        self.__dict__.pop(name, None)
        for store in (self._parameters, self._buffers, self._modules):
            store.pop(name, None)

    def __getattr__(self, name):
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            if store in d and name in d[store]:
                return d[store][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        for store in ("_parameters", "_buffers", "_modules"):
            if name in self.__dict__[store]:
                del self.__dict__[store][name]
                return
        object.__delattr__(self, name)

    def register_parameter(self, name, param):
        """Register ``param`` (a Parameter or None) under ``name``."""
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign {type(param).__name__} as parameter {name!r}")
        self._forget(name)
        self._parameters[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        """Register a non-learned tensor (saved in ``state_dict`` unless not persistent)."""
        if tensor is not None and not isinstance(tensor, Tensor):
            tensor = Tensor(tensor)
        self._forget(name)
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent.discard(name)
        else:
            self._non_persistent.add(name)

    def add_module(self, name, module):
        """Register a child module under ``name``."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._forget(name)
        self._modules[name] = module

    register_module = add_module

    def get_submodule(self, target):
        """The module at the dotted path ``target`` (``""`` is self)."""
        module = self
        for part in target.split(".") if target else []:
            if part not in module._modules:
                raise AttributeError(f"{type(module).__name__} has no submodule {part!r}")
            module = module._modules[part]
        return module

    # ------------------------------------------------------------------ calling
    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must implement forward()")

    def __call__(self, *args, **kwargs):
        for hook in list(self._forward_pre_hooks.values()):
            result = hook(self, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
        _CALL_DEPTH[0] += 1
        try:
            out = self.forward(*args, **kwargs)
        except ValueError as exc:
            raise self._locate(exc) from None
        finally:
            _CALL_DEPTH[0] -= 1
        for hook in list(self._forward_hooks.values()):
            result = hook(self, args, out)
            if result is not None:
                out = result
        return out

    def _locate(self, exc):
        """Name the innermost layer that rejected its input, e.g. ``features.12 (MaxPool2d)``.

        The innermost module marks the error on its way out; the outermost call (the model the
        user called) knows every layer's path and prefixes it to the message.
        """
        if getattr(exc, "_wb_module", None) is None:
            exc._wb_module = self
        if _CALL_DEPTH[0] > 1 or exc._wb_module is self or getattr(exc, "_wb_located", False):
            return exc
        for name, module in self.named_modules():
            if module is exc._wb_module:
                located = ValueError(f"{name} ({type(module).__name__}): {exc}")
                located._wb_module, located._wb_located = exc._wb_module, True
                return located
        return exc

    def register_forward_hook(self, hook):
        """Call ``hook(module, inputs, output)`` after every forward; returns a handle."""
        handle = RemovableHandle(self._forward_hooks)
        self._forward_hooks[handle.id] = hook
        return handle

    def register_forward_pre_hook(self, hook):
        """Call ``hook(module, inputs)`` before every forward; returns a handle."""
        handle = RemovableHandle(self._forward_pre_hooks)
        self._forward_pre_hooks[handle.id] = hook
        return handle

    # ------------------------------------------------------------------ traversal
    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """``(path, module)`` for self and every descendant, depth first."""
        memo = set() if memo is None else memo
        if remove_duplicate and id(self) in memo:
            return
        memo.add(id(self))
        yield prefix, self
        for name, child in self._modules.items():
            if child is None:
                continue
            path = f"{prefix}.{name}" if prefix else name
            yield from child.named_modules(memo, path, remove_duplicate)

    def modules(self):
        for _, m in self.named_modules():
            yield m

    def named_children(self):
        seen = set()
        for name, child in self._modules.items():
            if child is not None and id(child) not in seen:
                seen.add(id(child))
                yield name, child

    def children(self):
        for _, child in self.named_children():
            yield child

    def _named_members(self, store, prefix="", recurse=True):
        seen = set()
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for path, module in modules:
            for name, value in module.__dict__[store].items():
                if value is None or id(value) in seen:
                    continue
                seen.add(id(value))
                yield (f"{path}.{name}" if path else name), value

    def named_parameters(self, prefix="", recurse=True):
        """``(path, parameter)`` for every parameter (shared parameters once)."""
        yield from self._named_members("_parameters", prefix, recurse)

    def parameters(self, recurse=True):
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix="", recurse=True):
        yield from self._named_members("_buffers", prefix, recurse)

    def buffers(self, recurse=True):
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    # ------------------------------------------------------------------ modes and grads
    def train(self, mode=True):
        """Set training mode (``mode=False`` is evaluation) on self and every descendant."""
        if not isinstance(mode, bool):
            raise ValueError(f"training mode is expected to be boolean, got {mode!r}")
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self):
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        """Reset the gradient of every parameter (to None, or to zeros)."""
        for p in self.parameters():
            if set_to_none or p.grad is None:
                p.grad = None
            else:
                p.grad = Tensor._wrap(p.xp.zeros_like(p.data))

    def apply(self, fn):
        """Call ``fn`` on every descendant and then on self (e.g. custom initialisation)."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def to(self, dtype=None, device=None):
        """Convert every parameter and floating buffer in place to ``dtype`` / ``device``."""
        for module in self.modules():
            for store in ("_parameters", "_buffers"):
                for value in module.__dict__[store].values():
                    if value is None:
                        continue
                    floating = value.dtype.kind == "f"
                    converted = value.detach().to(dtype=dtype if floating else None, device=device)
                    value.data = converted.data
                    if value.grad is not None:
                        value.grad = value.grad.to(dtype=dtype if floating else None,
                                                   device=device)
        return self

    def float(self):
        return self.to(np.float32)

    def double(self):
        return self.to(np.float64)

    # ------------------------------------------------------------------ state
    def state_dict(self, prefix="", keep_vars=False):
        """Ordered ``{path: tensor}`` of every parameter and persistent buffer."""
        out = OrderedDict()
        for path, module in self.named_modules(prefix=prefix.rstrip("."), remove_duplicate=False):
            for name, p in module._parameters.items():
                if p is not None:
                    out[f"{path}.{name}" if path else name] = p if keep_vars else p.detach()
            for name, b in module._buffers.items():
                if b is not None and name not in module._non_persistent:
                    out[f"{path}.{name}" if path else name] = b if keep_vars else b.detach()
        return out

    def load_state_dict(self, state_dict, strict=True):
        """Copy tensors from ``state_dict`` into the parameters and buffers, in place.

        A key whose shape differs is always an error naming the key and both shapes; with
        ``strict`` (default), so are missing and unexpected keys. Returns
        ``(missing_keys, unexpected_keys)``.
        """
        own = self.state_dict(keep_vars=True)
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        for key, target in own.items():
            if key not in state_dict:
                continue
            value = state_dict[key]
            data = value.data if isinstance(value, Tensor) else np.asarray(value)
            if tuple(data.shape) != target.shape:
                raise ValueError(
                    f"size mismatch for {key}: copying a param with shape {tuple(data.shape)} "
                    f"from checkpoint, the shape in current model is {target.shape}."
                )
        if strict and (missing or unexpected):
            parts = []
            if missing:
                parts.append(f"Missing key(s) in state_dict: {', '.join(map(repr, missing))}.")
            if unexpected:
                parts.append(
                    f"Unexpected key(s) in state_dict: {', '.join(map(repr, unexpected))}."
                )
            raise KeyError(
                f"Error(s) in loading state_dict for {type(self).__name__}: " + " ".join(parts)
            )
        with no_grad():
            for key, target in own.items():
                if key in state_dict:
                    value = state_dict[key]
                    data = value.data if isinstance(value, Tensor) else np.asarray(value)
                    target.data = target.xp.asarray(data, dtype=target.dtype).copy()
        return IncompatibleKeys(missing, unexpected)

    # ------------------------------------------------------------------ printing
    def extra_repr(self):
        """The layer's own settings, shown inside its ``repr``."""
        return ""

    def __repr__(self):
        lines = []
        extra = self.extra_repr()
        if extra:
            lines.extend(extra.split("\n"))
        for name, child in self._modules.items():
            child_repr = repr(child).replace("\n", "\n  ")
            lines.append(f"({name}): {child_repr}")
        if not lines:
            return f"{type(self).__name__}()"
        if len(lines) == 1 and not self._modules:
            return f"{type(self).__name__}({lines[0]})"
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._buffers)
                      | set(self._modules))
