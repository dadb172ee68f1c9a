"""Receptive fields: for a list of layers, and for any model from its module graph.

For layer ``l`` with kernel ``k_l``, stride ``s_l``, padding ``p_l`` and dilation ``d_l`` (effective
kernel ``k' = d_l·(k_l − 1) + 1``), the receptive field ``r`` of one output unit on the input, the
jump ``j`` (distance on the input between adjacent units, the cumulative stride) and the centre
``c`` of the first unit's field obey the recurrence (the notes' ``r_{l+1} = r_l + (k−1)·s_l``)::

    r_l = r_{l−1} + (k'_l − 1) · j_{l−1}
    j_l = j_{l−1} · s_l
    c_l = c_{l−1} + ((k'_l − 1)/2 − p_l) · j_{l−1}

starting from ``r_0 = 1, j_0 = 1, c_0 = 0.5`` (pixel centres at half-integers). The notes' worked
example — AlexNet-like layers (11,4,0) (3,2,0) (5,1,2) (3,2,0) (3,1,1) — gives 11, 19, 51, 67, 99.
Three stacked 3x3 convolutions (stride 1) see 7x7, like one 7x7 layer, with 27C² instead of 49C²
weights and three non-linearities.

For a model, :func:`model_receptive_field` runs one forward pass and follows the tensors: the
input has ``(r, j, c) = (1, 1, 0.5)``; every convolution or pooling module maps its input's
``(r, j, c)`` by the recurrence; a tensor produced by any other operation (an addition of a
residual branch, a concatenation of Inception branches, an activation) takes the largest field
among the tensors it was computed from (the largest path through the branches). Adaptive and
global pooling, and linear layers after a flatten, see the whole input.
"""

from __future__ import annotations

import numbers

from dataclasses import dataclass

import numpy as np

from ..autograd import Tensor

__all__ = ["LayerField", "receptive_field", "model_receptive_field", "parse_layers"]


@dataclass
class LayerField:
    """Receptive field after one layer: size ``rf``, cumulative stride ``jump``, centre ``start``
    of the first output unit's field (input pixel coordinates), and the output size if known."""

    name: str
    kernel: int
    stride: int
    padding: int
    dilation: int
    rf: float
    jump: float
    start: float
    output_size: int | None = None


def _step(rf, jump, start, kernel, stride, padding, dilation):
    span = dilation * (kernel - 1) + 1
    return (rf + (span - 1) * jump, jump * stride, start + ((span - 1) / 2 - padding) * jump)


def receptive_field(layers, input_size=None):
    """Receptive field after each of ``layers`` = [(kernel, stride, padding[, dilation]), ...].

    Returns a list of :class:`LayerField`. With ``input_size``, the output size of each layer is
    filled in too.
    """
    rf, jump, start, size = 1, 1, 0.5, input_size
    out = []
    for i, layer in enumerate(layers):
        if len(layer) not in (3, 4):
            raise ValueError(
                f"layer {i}: expected (kernel, stride, padding[, dilation]), got {tuple(layer)}"
            )
        if any(isinstance(v, bool) or not isinstance(v, numbers.Integral) for v in layer):
            raise TypeError(f"layer {i}: kernel, stride, padding and dilation must be ints, got "
                            f"{tuple(layer)}")
        kernel, stride, padding = (int(v) for v in layer[:3])
        dilation = int(layer[3]) if len(layer) == 4 else 1
        if kernel < 1 or stride < 1 or padding < 0 or dilation < 1:
            raise ValueError(f"layer {i}: invalid (kernel, stride, padding, dilation) {layer}")
        rf, jump, start = _step(rf, jump, start, kernel, stride, padding, dilation)
        if size is not None:
            from .arithmetic import conv_output_size

            size = conv_output_size(size, kernel, stride, padding, dilation)
        out.append(LayerField(f"layer{i + 1}", kernel, stride, padding, dilation, rf, jump,
                              start, size))
    return out


def parse_layers(text):
    """Parse ``"11,4,0 3,2,0 5,1,2"`` (kernel,stride,padding[,dilation] per layer)."""
    layers = []
    for token in text.replace(";", " ").split():
        parts = token.split(",")
        if len(parts) not in (3, 4):
            raise ValueError(
                f"layer {token!r}: expected kernel,stride,padding[,dilation] separated by commas"
            )
        layers.append(tuple(int(p) for p in parts))
    if not layers:
        raise ValueError("no layers given")
    return layers


def _first(v):
    return v[0] if isinstance(v, (tuple, list)) else v


def _module_geometry(module):
    """(kernel, stride, padding, dilation) of a windowed module, or "global", or None."""
    kind = type(module).__name__
    if kind in ("Conv2d", "Conv1d", "MaxPool2d", "AvgPool2d", "MaxPool1d", "AvgPool1d"):
        kernel = _first(module.kernel_size)
        stride = _first(module.stride) if module.stride is not None else kernel
        padding = _first(getattr(module, "padding", 0))
        if padding == "same":
            padding = _first(getattr(module, "dilation", 1)) * (kernel - 1) // 2
        elif padding == "valid":
            padding = 0
        return kernel, stride, padding, _first(getattr(module, "dilation", 1))
    if kind.startswith("Adaptive") or kind in ("GlobalAvgPool2d", "SpatialPyramidPooling",
                                               "Linear"):
        return "global"
    return None


def model_receptive_field(model, input_shape):
    """Receptive field of every module's output of ``model`` for an input of ``input_shape``.

    ``input_shape`` is (C, H, W) (a batch of one is used). Returns a list of
    :class:`LayerField`-like records (kernel/stride/padding of the module when it has them), in
    execution order, for the modules without children; ``rf`` is along the height axis.
    """
    # grad is recorded so that the graph links tensors across operations outside modules
    x = Tensor(np.zeros((1,) + tuple(input_shape), dtype=np.float32), requires_grad=True)
    fields = {id(x): (1.0, 1.0, 0.5)}
    full = float(input_shape[-2] if len(input_shape) >= 2 else input_shape[-1])

    def resolve(t):
        """Field of tensor ``t``: annotated, or the largest among its graph parents."""
        stack = [(t, False)]
        while stack:
            node, expanded = stack.pop()
            if id(node) in fields:
                continue
            parents = [] if node._node is None else node._node.parents
            if expanded:
                known = [fields[id(p)] for p in parents if fields.get(id(p)) is not None]
                fields[id(node)] = max(known) if known else None
            else:
                stack.append((node, True))
                stack.extend((p, False) for p in parents if id(p) not in fields)
        return fields[id(t)]

    records = []

    def hook(module, inputs, output):
        if not isinstance(output, Tensor) or not inputs or not isinstance(inputs[0], Tensor):
            return
        field = resolve(inputs[0])
        if field is None:
            return
        geometry = _module_geometry(module)
        rf, jump, start = field
        kernel = stride = padding = dilation = None
        if geometry == "global":
            rf, start = full, full / 2
        elif geometry is not None:
            kernel, stride, padding, dilation = geometry
            rf, jump, start = _step(rf, jump, start, kernel, stride, padding, dilation)
        fields[id(output)] = (rf, jump, start)
        records.append(LayerField(names[id(module)], kernel, stride, padding, dilation, rf, jump,
                                  start, output.shape[-1] if output.ndim >= 3 else None))

    names = {id(m): n or type(m).__name__ for n, m in model.named_modules()}
    leaves = [m for m in model.modules() if not list(m.children())]
    handles = [m.register_forward_hook(hook) for m in leaves]
    was_training = model.training
    model.eval()
    try:
        model(x)
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
    return records

