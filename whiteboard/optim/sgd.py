"""Stochastic gradient descent with momentum, Nesterov momentum, weight decay (PyTorch's rules)."""

from __future__ import annotations

from .optimizer import Optimizer

__all__ = ["SGD"]


class SGD(Optimizer):
    """SGD, optionally with (Nesterov) momentum and L2 weight decay — ``torch.optim.SGD``.

    With gradient ``g_t`` (negated when ``maximize``), weight decay λ, momentum μ, dampening τ::

        g_t ← g_t + λ θ_{t−1}
        b_t = g_t                            (first step)
        b_t = μ b_{t−1} + (1 − τ) g_t        (later steps)
        d_t = g_t + μ b_t   if nesterov else   b_t
        θ_t = θ_{t−1} − lr · d_t

    Without momentum this is plain gradient descent ``θ ← θ − lr·∇J`` (mind the sign: the notes'
    ``θ − α(1/m)Σ(y − h)x`` ascends the loss, ERRATA E45; correct is ``θ − α(1/m)Σ(h − y)x``).
    Batch / stochastic / mini-batch GD differ only in how many samples the gradient averages — a
    data-loader choice.

    Momentum convention (ERRATA E102): the notes' ``v = γv + η∇J; θ −= v`` keeps the buffer in
    parameter units; PyTorch (and this class) keeps it in gradient units and multiplies by lr at
    the end. The two agree for a constant lr and differ under a schedule.

    Nesterov (ERRATA E42/E48: Nesterov momentum, not "Newton momentum"; the sparse-data sentence
    belongs to Adagrad): Sutskever's look-ahead form ``v = μv − lr ∇J(θ + μv); θ += v`` rewritten in
    terms of the look-ahead point, which is what PyTorch stores as the parameter.

    Defaults (PyTorch): lr 1e-3, momentum 0, dampening 0, weight_decay 0, nesterov False.
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False):
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov, maximize=maximize)
        super().__init__(params, defaults)

    def _validate_group(self, group):
        super()._validate_group(group)
        if group["momentum"] < 0:
            raise ValueError(f"Invalid momentum value: {group['momentum']}")
        if group["weight_decay"] < 0:
            raise ValueError(f"Invalid weight_decay value: {group['weight_decay']}")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")

    def _update_group(self, group):
        lr, mu, tau, wd = group["lr"], group["momentum"], group["dampening"], group["weight_decay"]
        for p in group["params"]:
            g = self._grad(p, group["maximize"])
            if g is None:
                continue
            if wd != 0:
                g = g + wd * p.data
            if mu != 0:
                state = self.state.setdefault(p, {})
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = g.copy()
                    state["momentum_buffer"] = buf
                else:
                    buf *= mu
                    buf += (1 - tau) * g
                g = g + mu * buf if group["nesterov"] else buf
            p.data -= lr * g
