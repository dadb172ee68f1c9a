"""Adagrad: per-coordinate learning rates from the accumulated squared gradients."""

from __future__ import annotations

from .optimizer import Optimizer

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad (Duchi et al. 2011) — ``torch.optim.Adagrad``.

    With ``G_t = G_{t−1} + g_t ⊙ g_t`` (element-wise sum of squared gradients so far; the notes'
    ``Gt = Gt-1 + Gii`` is garbled, ERRATA E49/E100)::

        g_t ← g_t + λ θ_{t−1}
        η_t = lr / (1 + (t − 1)·lr_decay)
        G_t = G_{t−1} + g_t²                  (G_0 = initial_accumulator_value)
        θ_t = θ_{t−1} − η_t · g_t / (√G_t + ε)

    ε sits outside the root (as PyTorch). Rarely-updated (sparse) coordinates keep a small G and
    therefore a large step — the property the notes attribute to NAG (ERRATA E48). Because G only
    grows, the effective step decays like 1/√t and can stall training (Adadelta and RMSprop fix
    this with a moving average).

    Defaults (PyTorch): lr 1e-2, lr_decay 0, weight_decay 0, initial_accumulator_value 0,
    eps 1e-10.
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, *, maximize=False):
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, maximize=maximize)
        super().__init__(params, defaults)

    def _init_state(self, p, group):
        xp = p.xp
        self.state[p] = {"step": 0.0, "sum": xp.full(p.shape, group["initial_accumulator_value"],
                                                      dtype=p.dtype)}

    def add_param_group(self, param_group):
        """Add a group; its accumulators are created at once (PyTorch's Adagrad does the same)."""
        super().add_param_group(param_group)
        group = self.param_groups[-1]
        for p in group["params"]:
            self._init_state(p, group)

    def _validate_group(self, group):
        super()._validate_group(group)
        for name in ("lr_decay", "weight_decay", "initial_accumulator_value", "eps"):
            if group[name] < 0:
                raise ValueError(f"Invalid {name} value: {group[name]}")

    def _update_group(self, group):
        lr, wd, eps = group["lr"], group["weight_decay"], group["eps"]
        for p in group["params"]:
            g = self._grad(p, group["maximize"])
            if g is None:
                continue
            state = self.state[p]
            state["step"] += 1
            if wd != 0:
                g = g + wd * p.data
            clr = lr / (1 + (state["step"] - 1) * group["lr_decay"])
            state["sum"] += g * g
            p.data -= clr * (g / (p.xp.sqrt(state["sum"]) + eps))
