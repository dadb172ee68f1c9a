"""``Optimizer``: the base class of every first-order optimiser, with PyTorch's interface.

An optimiser holds ``param_groups`` — a list of dicts, each with its ``'params'`` (a list of
tensors) and its own hyper-parameters (``lr``, ``momentum`` ...; missing ones are filled from
``defaults``) — and per-parameter ``state`` (momentum buffers, moment estimates, step counters).
``step()`` reads each parameter's ``.grad`` and updates ``.data`` in place without recording a
graph; ``zero_grad()`` clears the gradients before the next backward pass::

    opt = optim.SGD([{"params": model.body.parameters()},
                     {"params": model.head.parameters(), "lr": 1e-2}], lr=1e-3, momentum=0.9)
    for x, y in loader:
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

``state_dict()`` uses PyTorch's layout: ``{'state': {index: {name: array or number}},
'param_groups': [{hyper-parameters..., 'params': [indices]}]}`` with parameters numbered in
group order, so that it can be written with ``wb.save`` and restored into a fresh optimiser over
the same parameters (``load_state_dict``) to continue training exactly where it stopped.
"""

from __future__ import annotations

import copy

import numpy as np

from .. import backend
from ..autograd import Tensor, enable_grad, no_grad

__all__ = ["Optimizer", "required"]


class _Required:
    def __repr__(self):
        return "<required parameter>"


required = _Required()


class Optimizer:
    """Base class: subclasses define ``defaults`` and implement ``_update_group(group)``.

    Parameters
    ----------
    params : iterable of Tensors, or of dicts
        The tensors to optimise, or parameter groups ``{'params': [...], 'lr': ...}``.
    defaults : dict
        Hyper-parameters used by groups that do not set them.
    """

    def __init__(self, params, defaults):
        self.defaults = dict(defaults)
        self.state = {}
        self.param_groups = []
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {type(params).__name__}"
            )
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # ------------------------------------------------------------------ groups
    def add_param_group(self, param_group):
        """Add a group of parameters with its own hyper-parameters (e.g. when unfreezing layers)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, got {type(param_group).__name__}")
        group = dict(param_group)
        params = group.get("params")
        if params is None:
            raise ValueError("param_group must have a 'params' entry")
        params = [params] if isinstance(params, Tensor) else list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, got {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError("can't optimize a non-leaf Tensor")
        if len({id(p) for p in params}) != len(params):
            raise ValueError("optimizer parameter group contains a parameter more than once")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        group["params"] = params
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError(
                    f"parameter group didn't specify a value of required optimization parameter "
                    f"{name}"
                )
            group.setdefault(name, default)
        self._validate_group(group)
        self.param_groups.append(group)

    def _validate_group(self, group):
        """Raise ``ValueError`` for out-of-range hyper-parameters (overridden by subclasses)."""
        if group["lr"] < 0:
            raise ValueError(f"Invalid learning rate: {group['lr']}")

    # ------------------------------------------------------------------ gradients
    def zero_grad(self, set_to_none=True):
        """Clear every parameter's gradient: ``None`` (default) or an array of zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad.data[...] = 0

    # ------------------------------------------------------------------ stepping
    def step(self, closure=None):
        """One update of every parameter that has a gradient.

        ``closure`` (optional) re-evaluates the model and returns the loss; it runs with
        gradients enabled before the update and its loss is returned.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                self._update_group(group)
        return loss

    def _update_group(self, group):
        raise NotImplementedError(f"{type(self).__name__} must implement _update_group(group)")

    @staticmethod
    def _grad(p, maximize=False):
        """The gradient array of ``p`` (negated for ``maximize``), or None."""
        if p.grad is None:
            return None
        g = p.grad.data if isinstance(p.grad, Tensor) else p.grad
        if g.shape != p.data.shape:
            raise ValueError(
                f"gradient shape {tuple(g.shape)} does not match parameter shape {p.shape}"
            )
        return -g if maximize else g

    # ------------------------------------------------------------------ (de)serialisation
    def state_dict(self):
        """``{'state': {index: {...}}, 'param_groups': [{..., 'params': [indices]}]}``.

        Parameters are numbered 0, 1, ... across the groups in order; state arrays are returned
        by reference (as PyTorch); ``load_state_dict`` copies them.
        """
        index, groups, start = {}, [], 0
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            ids = list(range(start, start + len(group["params"])))
            index.update({id(p): i for p, i in zip(group["params"], ids)})
            packed["params"] = ids
            start += len(ids)
            groups.append(packed)
        state = {index[id(p)]: s for p, s in self._state_items()}
        return {"state": state, "param_groups": groups}

    def _state_items(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p in self.state:
                    yield p, self.state[p]

    def load_state_dict(self, state_dict):
        """Restore hyper-parameters and per-parameter state saved by :meth:`state_dict`.

        The optimiser must have been built over the same parameters, grouped the same way. State
        arrays are copied and cast to each parameter's dtype and device (``step`` counters stay
        numbers).
        """
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"loaded state dict has {len(saved_groups)} parameter groups, the optimizer has "
                f"{len(self.param_groups)}"
            )
        for k, (own, saved) in enumerate(zip(self.param_groups, saved_groups)):
            if len(own["params"]) != len(saved["params"]):
                raise ValueError(
                    f"loaded state dict contains a parameter group {k} of size "
                    f"{len(saved['params'])} that doesn't match the size of the optimizer's "
                    f"group ({len(own['params'])})"
                )
        by_index = {
            i: p for own, saved in zip(self.param_groups, saved_groups)
            for i, p in zip(saved["params"], own["params"])
        }
        self.state = {}
        for key, values in state_dict["state"].items():
            p = by_index[int(key)]
            self.state[p] = {name: self._restore(p, name, v) for name, v in values.items()}
        new_groups = []
        for own, saved in zip(self.param_groups, saved_groups):
            group = {k: copy.deepcopy(v) for k, v in saved.items() if k != "params"}
            group["params"] = own["params"]
            new_groups.append(group)
        self.param_groups = new_groups

    @staticmethod
    def _restore(p, name, value):
        if isinstance(value, Tensor):
            value = value.data
        if isinstance(value, np.generic):
            return value.item()
        if hasattr(value, "shape") and not isinstance(value, (int, float)):
            if value.ndim == 0 and name in ("step", "mu_product"):
                return float(value)
            module = p.xp
            dtype = p.dtype if np.dtype(value.dtype).kind == "f" else value.dtype
            return module.asarray(backend.to_numpy(value) if module is np else value,
                                  dtype=dtype).copy()
        return copy.deepcopy(value)

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for key in sorted(k for k in group if k != "params"):
                lines.append(f"    {key}: {group[key]}")
        lines.append(")")
        return "\n".join(lines)


def _lerp(start, end, weight):
    """``start + weight (end − start)``, evaluated as PyTorch's ``lerp`` (two forms, same value)."""
    if abs(weight) < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1 - weight)
