"""Gaussian noise injection as a regulariser, on activations or on weights, in training only.

``GaussianNoise``: ``y = x + ε``, ``ε ~ N(0, std²)``. Adding noise to inputs is, to first order,
Tikhonov (L2) regularisation (Bishop 1995). In eval mode, or with ``std = 0``, the layer is the
identity. ``dL/dx = g`` (the noise is a constant).

``weight_noise(module, name, std)``: every training forward uses ``w̃ = w + ε`` with fresh
``ε ~ N(0, std²)`` (An 1996; Graves 2011 uses it for RNNs). The gradient is the one of the loss at
the perturbed weights, ``∂L/∂w = ∂L/∂w̃`` (ε is a constant), and the optimiser updates the clean
``w``, so training minimises the expected loss ``E_ε L(w + ε) ≈ L(w) + (std²/2)·tr ∇²L(w)``: it
favours flat minima. For a *linear* model with squared error the extra term,
``std²·Σᵢ‖xᵢ‖²``, does not depend on ``w`` — weight noise then regularises nothing, which is
why the notes' "weight noise ≈ L2" is wrong (ERRATA E11; input noise is the L2 one). As
``torch.nn.utils.spectral_norm`` does, the clean weight is kept as the parameter ``<name>_orig``
and ``<name>`` is recomputed by a forward pre-hook; ``remove_weight_noise`` undoes it.

Noise is drawn from the library's generator, so ``wb.manual_seed`` makes it reproducible.
"""

from __future__ import annotations

from .. import backend
from ..autograd.ops import _as_tensor
from .module import Module
from .parameter import Parameter

__all__ = ["GaussianNoise", "weight_noise", "remove_weight_noise"]


class GaussianNoise(Module):
    """Additive Gaussian noise with standard deviation ``std`` in train mode; identity in eval."""

    def __init__(self, std=0.1):
        super().__init__()
        if not std >= 0:
            raise ValueError(f"GaussianNoise: std must be non-negative, got {std}")
        self.std = float(std)

    def forward(self, input):
        x = _as_tensor(input)
        if not self.training or self.std == 0.0:
            return x
        noise = backend.get_rng().standard_normal(x.shape) * self.std
        return x + backend.asarray(noise, dtype=x.dtype, module=x.xp)

    def extra_repr(self):
        return f"std={self.std}"


class _WeightNoise:
    """The forward pre-hook of ``weight_noise``: sets ``module.<name>`` from ``<name>_orig``."""

    def __init__(self, name, std):
        self.name, self.std = name, std

    def __call__(self, module, inputs):
        clean = getattr(module, self.name + "_orig")
        if module.training and self.std > 0:
            noise = backend.get_rng().standard_normal(clean.shape) * self.std
            weight = clean + backend.asarray(noise, dtype=clean.dtype, module=clean.xp)
        else:
            weight = clean
        object.__setattr__(module, self.name, weight)


def weight_noise(module, name="weight", std=0.01):
    """Perturb parameter ``name`` of ``module`` by fresh ``N(0, std²)`` noise at every training
    forward (identity in eval mode); returns ``module``. The clean parameter becomes
    ``<name>_orig`` (what the optimiser and ``state_dict`` see)."""
    if not isinstance(module, Module):
        raise TypeError(f"weight_noise: module must be an nn.Module, got {type(module).__name__}")
    if not std >= 0:
        raise ValueError(f"weight_noise: std must be non-negative, got {std}")
    if any(isinstance(h, _WeightNoise) and h.name == name
           for h in module._forward_pre_hooks.values()):
        raise RuntimeError(f"weight_noise: {type(module).__name__}.{name} already has weight "
                           "noise (remove_weight_noise first)")
    param = module._parameters.get(name)
    if not isinstance(param, Parameter):
        names = [k for k, v in module._parameters.items() if v is not None]
        raise ValueError(f"weight_noise: {type(module).__name__} has no parameter {name!r} "
                         f"(parameters: {names})")
    del module._parameters[name]
    module.register_parameter(name + "_orig", param)
    hook = _WeightNoise(name, float(std))
    object.__setattr__(module, name, param)
    module.register_forward_pre_hook(hook)
    return module


def remove_weight_noise(module, name="weight"):
    """Undo ``weight_noise``: ``<name>`` is the clean parameter again; returns ``module``."""
    for key, hook in list(module._forward_pre_hooks.items()):
        if isinstance(hook, _WeightNoise) and hook.name == name:
            del module._forward_pre_hooks[key]
            param = module._parameters.pop(name + "_orig")
            module.__dict__.pop(name, None)
            module.register_parameter(name, param)
            return module
    raise ValueError(f"remove_weight_noise: {type(module).__name__}.{name} has no weight noise")
