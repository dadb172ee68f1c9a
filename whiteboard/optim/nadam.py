"""NAdam: Adam with Nesterov momentum (Dozat 2016), with PyTorch's momentum-decay schedule."""

from __future__ import annotations

from .optimizer import Optimizer, _lerp

__all__ = ["NAdam"]


class NAdam(Optimizer):
    """NAdam — ``torch.optim.NAdam``.

    A momentum schedule ``μ_t = β₁ (1 − ½·0.96^{t·ψ})`` (ψ = ``momentum_decay``, default 4e-3)
    warms the momentum up; the update mixes the current gradient and the first moment
    Nesterov-style::

        g_t ← g_t + λ θ_{t−1}                        (or θ ← θ(1 − lr·λ) if decoupled)
        m_t = β₁ m_{t−1} + (1 − β₁) g_t,   v_t = β₂ v_{t−1} + (1 − β₂) g_t²
        Π_t = Π_{t−1} μ_t  (Π_0 = 1),      d_t = √(v_t / (1 − β₂ᵗ)) + ε
        θ_t = θ_{t−1} − lr (1 − μ_t)/(1 − Π_t) · g_t/d_t − lr μ_{t+1}/(1 − Π_t μ_{t+1}) · m_t/d_t

    ``mu_product`` Π_t is kept as a Python float (float64). PyTorch keeps it in a tensor of the
    default dtype — float32 unless ``torch.set_default_dtype(torch.float64)``: compare in float64.

    Defaults (PyTorch): lr 2e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0,
    momentum_decay 4e-3.
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, maximize=False):
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                        momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize)
        super().__init__(params, defaults)

    def _validate_group(self, group):
        super()._validate_group(group)
        b1, b2 = group["betas"]
        if not 0.0 <= b1 < 1.0 or not 0.0 <= b2 < 1.0:
            raise ValueError(f"Invalid beta parameters: {group['betas']} (each must be in [0, 1))")
        if group["momentum_decay"] < 0 or group["eps"] < 0 or group["weight_decay"] < 0:
            raise ValueError("Invalid momentum_decay/eps/weight_decay: must be non-negative")

    def _update_group(self, group):
        lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
        psi = group["momentum_decay"]
        for p in group["params"]:
            g = self._grad(p, group["maximize"])
            if g is None:
                continue
            xp = p.xp
            state = self.state.setdefault(p, {})
            if not state:
                state.update(step=0.0, mu_product=1.0, exp_avg=xp.zeros_like(p.data),
                             exp_avg_sq=xp.zeros_like(p.data))
            state["step"] += 1
            step = state["step"]
            bc2 = 1 - b2 ** step
            if wd != 0:
                if group["decoupled_weight_decay"]:
                    p.data *= 1 - lr * wd
                else:
                    g = g + wd * p.data
            mu = b1 * (1.0 - 0.5 * 0.96 ** (step * psi))
            mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * psi))
            state["mu_product"] *= mu
            mu_product = state["mu_product"]
            state["exp_avg"][...] = _lerp(state["exp_avg"], g, 1 - b1)
            v = state["exp_avg_sq"]
            v *= b2
            v += (1 - b2) * (g * g)
            denom = xp.sqrt(v / bc2) + eps
            p.data += (-lr * (1.0 - mu) / (1.0 - mu_product)) * (g / denom)
            p.data += (-lr * mu_next / (1.0 - mu_product * mu_next)) * (state["exp_avg"] / denom)
