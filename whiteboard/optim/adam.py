"""Adam (bias-corrected adaptive moments), AMSGrad, and AdamW (decoupled weight decay)."""

from __future__ import annotations

import math

from .optimizer import Optimizer, _lerp

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) — ``torch.optim.Adam``, with AMSGrad and optional decoupled decay.

    ::

        g_t ← g_t + λ θ_{t−1}                   (L2 / coupled weight decay)
        m_t = β₁ m_{t−1} + (1 − β₁) g_t          (first moment)
        v_t = β₂ v_{t−1} + (1 − β₂) g_t²         (second moment: the gradient *squared*)
        m̂_t = m_t / (1 − β₁ᵗ),  v̂_t = v_t / (1 − β₂ᵗ)   (bias correction: m_0 = v_0 = 0)
        amsgrad: v̂_t ← max(v̂max_{t−1}, v_t) / (1 − β₂ᵗ)
        θ_t = θ_{t−1} − lr · m̂_t / (√v̂_t + ε)

    ERRATA E103/E51 (note 003): v uses g_t² (not g_t), the update uses m̂_t (not g_t), ε = 1e-8
    (``10e-8`` is 1e-7), and bias correction is required — without it the first step is
    ``lr·0.1g/(√0.001|g|) ≈ 3.16·lr·sign(g)`` instead of ``lr·sign(g)``. "Adam beats other adaptive
    methods" (E52) is an overclaim: adaptive methods can generalise worse than SGD+momentum.

    ``decoupled_weight_decay=True`` turns Adam into AdamW (see :class:`AdamW`).

    Defaults (PyTorch): lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, amsgrad False.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, maximize=False, decoupled_weight_decay=False):
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad, maximize=maximize,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def _validate_group(self, group):
        super()._validate_group(group)
        b1, b2 = group["betas"]
        if not 0.0 <= b1 < 1.0 or not 0.0 <= b2 < 1.0:
            raise ValueError(f"Invalid beta parameters: {group['betas']} (each must be in [0, 1))")
        if group["eps"] < 0 or group["weight_decay"] < 0:
            raise ValueError(f"Invalid eps/weight_decay: {group['eps']}, {group['weight_decay']}")

    def _update_group(self, group):
        lr, (b1, b2), eps, wd = group["lr"], group["betas"], group["eps"], group["weight_decay"]
        for p in group["params"]:
            g = self._grad(p, group["maximize"])
            if g is None:
                continue
            xp = p.xp
            state = self.state.setdefault(p, {})
            if not state:
                state.update(step=0.0, exp_avg=xp.zeros_like(p.data),
                             exp_avg_sq=xp.zeros_like(p.data))
                if group["amsgrad"]:
                    state["max_exp_avg_sq"] = xp.zeros_like(p.data)
            state["step"] += 1
            step = state["step"]
            if wd != 0:
                if group["decoupled_weight_decay"]:
                    p.data *= 1 - lr * wd
                else:
                    g = g + wd * p.data
            state["exp_avg"][...] = _lerp(state["exp_avg"], g, 1 - b1)
            v = state["exp_avg_sq"]
            v *= b2
            v += (1 - b2) * (g * g)
            step_size = lr / (1 - b1 ** step)
            bc2_sqrt = math.sqrt(1 - b2 ** step)
            if group["amsgrad"]:
                vmax = state["max_exp_avg_sq"]
                xp.maximum(vmax, v, out=vmax)
                denom = xp.sqrt(vmax) / bc2_sqrt + eps
            else:
                denom = xp.sqrt(v) / bc2_sqrt + eps
            p.data += -step_size * (state["exp_avg"] / denom)


class AdamW(Adam):
    """AdamW (Loshchilov & Hutter 2019): Adam with *decoupled* weight decay — ``torch.optim.AdamW``.

    The decay shrinks the weights directly, ``θ ← θ (1 − lr·λ)``, before the Adam step, instead
    of adding ``λθ`` to the gradient. With Adam, coupled L2 decay is divided by ``√v̂`` like the
    gradient, so weights with large gradients are barely regularised; decoupling restores a
    uniform decay rate. Default ``weight_decay`` 1e-2 (other defaults as Adam).
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad, maximize=maximize, decoupled_weight_decay=True)
