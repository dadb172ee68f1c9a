"""Adadelta: Adagrad without a global learning rate, using running averages."""

from __future__ import annotations

from .optimizer import Optimizer

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """Adadelta (Zeiler 2012) — ``torch.optim.Adadelta``.

    Two exponential moving averages, of squared gradients and of squared *updates*::

        g_t ← g_t + λ θ_{t−1}
        E[g²]_t  = ρ E[g²]_{t−1} + (1 − ρ) g_t²
        Δθ_t     = √(E[Δθ²]_{t−1} + ε) / √(E[g²]_t + ε) · g_t     (= RMS[Δθ]_{t−1}/RMS[g]_t · g_t)
        E[Δθ²]_t = ρ E[Δθ²]_{t−1} + (1 − ρ) Δθ_t²
        θ_t      = θ_{t−1} − lr · Δθ_t

    The numerator is the RMS of past parameter *updates* (units match θ), not of gradients: the
    notes' "second form" with √(E[g²]_{t−1}+ε) in the numerator is ≈ 1 and diverges (ERRATA E50;
    their first form with η is RMSprop; E101). PyTorch adds an ``lr`` multiplier (default 1.0).

    Defaults (PyTorch): lr 1.0, rho 0.9 (paper 0.95), eps 1e-6, weight_decay 0.
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, *, maximize=False):
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize)
        super().__init__(params, defaults)

    def _validate_group(self, group):
        super()._validate_group(group)
        if not 0.0 <= group["rho"] <= 1.0:
            raise ValueError(f"Invalid rho value: {group['rho']}")
        if group["eps"] < 0 or group["weight_decay"] < 0:
            raise ValueError(f"Invalid eps/weight_decay: {group['eps']}, {group['weight_decay']}")

    def _update_group(self, group):
        lr, rho, eps, wd = group["lr"], group["rho"], group["eps"], group["weight_decay"]
        for p in group["params"]:
            g = self._grad(p, group["maximize"])
            if g is None:
                continue
            xp = p.xp
            state = self.state.setdefault(p, {})
            if not state:
                state.update(step=0.0, square_avg=xp.zeros_like(p.data),
                             acc_delta=xp.zeros_like(p.data))
            state["step"] += 1
            if wd != 0:
                g = g + wd * p.data
            sq, acc = state["square_avg"], state["acc_delta"]
            sq *= rho
            sq += (1 - rho) * (g * g)
            delta = xp.sqrt(acc + eps) / xp.sqrt(sq + eps) * g
            acc *= rho
            acc += (1 - rho) * (delta * delta)
            p.data -= lr * delta
