"""Feature maps of any layer, captured with forward hooks.

``feature_maps(model, x, layers)`` registers ``register_forward_hook`` on each named layer
(``model.named_modules()`` names such as ``"features.3"``), runs one forward pass without a graph
(in batches of ``batch_size``), removes the hooks again and returns ``{name: array}`` — the
layer's output for every input (concatenated over batches). The model's train/eval mode is left
as it is, so call ``model.eval()`` first for BatchNorm/Dropout inference behaviour.
"""

from __future__ import annotations

import numpy as np

from ..autograd import Tensor, no_grad, tensor

__all__ = ["feature_maps", "layer_activations"]


def _resolve(model, layer):
    if isinstance(layer, str):
        modules = dict(model.named_modules())
        if layer not in modules:
            names = [n for n in modules if n]
            raise KeyError(f"layer {layer!r} is not a submodule of {type(model).__name__}; "
                           f"named modules are {names[:20]}{' ...' if len(names) > 20 else ''}")
        return layer, modules[layer]
    for name, module in model.named_modules():
        if module is layer:
            return name, module
    raise KeyError(f"layer {type(layer).__name__} is not a submodule of {type(model).__name__}")


def feature_maps(model, x, layers, batch_size=512):
    """``{layer name: output array}`` of ``layers`` (names or modules) for the inputs ``x``.

    ``x``: an array or Tensor whose first axis is the batch. The outputs keep the layer's shape,
    e.g. (N, C, H, W) for a convolution and (N, F) for a linear layer.
    """
    if isinstance(layers, (str,)) or not isinstance(layers, (list, tuple)):
        layers = [layers]
    data = x.numpy() if isinstance(x, Tensor) else np.asarray(x)
    if data.ndim < 1 or data.shape[0] == 0:
        raise ValueError(f"feature_maps: x must have a non-empty batch axis, got shape "
                         f"{data.shape}")
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    resolved = [_resolve(model, layer) for layer in layers]
    store = {name: [] for name, _ in resolved}
    handles = []
    for name, module in resolved:
        def hook(mod, inputs, output, name=name):
            out = output.numpy() if isinstance(output, Tensor) else np.asarray(output)
            store[name].append(np.array(out, copy=True))
        handles.append(module.register_forward_hook(hook))
    try:
        with no_grad():
            for start in range(0, data.shape[0], batch_size):
                model(tensor(data[start:start + batch_size]))
    finally:
        for h in handles:
            h.remove()
    return {name: np.concatenate(chunks, axis=0) for name, chunks in store.items()}


def layer_activations(model, x, layer, reduce="mean", batch_size=512):
    """One layer's activations as a matrix (N, features).

    A 2-D output is returned as is; a (N, C, H, W) output is reduced over space per channel
    (``reduce`` = 'mean' or 'max') or flattened (``reduce`` = 'flatten').
    """
    if reduce not in ("mean", "max", "flatten"):
        raise ValueError(f"reduce must be 'mean', 'max' or 'flatten', got {reduce!r}")
    a = next(iter(feature_maps(model, x, [layer], batch_size).values()))
    if a.ndim <= 2:
        return a.reshape(a.shape[0], -1)
    if reduce == "flatten":
        return a.reshape(a.shape[0], -1)
    flat = a.reshape(a.shape[0], a.shape[1], -1)
    return flat.mean(-1) if reduce == "mean" else flat.max(-1)
