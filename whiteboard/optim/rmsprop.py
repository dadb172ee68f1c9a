"""RMSprop: divide the gradient by a running RMS of recent gradients."""

from __future__ import annotations

from .optimizer import Optimizer, _lerp

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop (Hinton, lecture 6e) — ``torch.optim.RMSprop``, incl. centred and momentum forms.

    ::

        g_t ← g_t + λ θ_{t−1}
        v_t = α v_{t−1} + (1 − α) g_t²
        centred:  ḡ_t = α ḡ_{t−1} + (1 − α) g_t,   ṽ_t = v_t − ḡ_t²   (a variance estimate)
        else:     ṽ_t = v_t
        momentum μ > 0:  b_t = μ b_{t−1} + g_t / (√ṽ_t + ε);   θ_t = θ_{t−1} − lr·b_t
        else:            θ_t = θ_{t−1} − lr · g_t / (√ṽ_t + ε)

    The moving average (instead of Adagrad's growing sum) keeps the step from decaying to zero.
    ε is outside the root (as PyTorch).

    Defaults (PyTorch): lr 1e-2, alpha 0.99 (Hinton/Ruder suggest 0.9), eps 1e-8,
    weight_decay 0, momentum 0, centered False.
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, *, maximize=False):
        defaults = dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                        momentum=momentum, centered=centered, maximize=maximize)
        super().__init__(params, defaults)

    def _validate_group(self, group):
        super()._validate_group(group)
        for name in ("alpha", "eps", "weight_decay", "momentum"):
            if group[name] < 0:
                raise ValueError(f"Invalid {name} value: {group[name]}")

    def _update_group(self, group):
        lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
        wd, mu = group["weight_decay"], group["momentum"]
        for p in group["params"]:
            g = self._grad(p, group["maximize"])
            if g is None:
                continue
            xp = p.xp
            state = self.state.setdefault(p, {})
            if not state:
                state["step"] = 0.0
                state["square_avg"] = xp.zeros_like(p.data)
                if mu > 0:
                    state["momentum_buffer"] = xp.zeros_like(p.data)
                if group["centered"]:
                    state["grad_avg"] = xp.zeros_like(p.data)
            state["step"] += 1
            if wd != 0:
                g = g + wd * p.data
            sq = state["square_avg"]
            sq *= alpha
            sq += (1 - alpha) * (g * g)
            if group["centered"]:
                ga = _lerp(state["grad_avg"], g, 1 - alpha)
                state["grad_avg"][...] = ga
                avg = xp.sqrt(sq - ga * ga) + eps
            else:
                avg = xp.sqrt(sq) + eps
            if mu > 0:
                buf = state["momentum_buffer"]
                buf *= mu
                buf += g / avg
                p.data -= lr * buf
            else:
                p.data -= lr * (g / avg)
