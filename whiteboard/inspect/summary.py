"""``summary(model, input_shape)``: a per-layer table of output shapes, parameters and MACs.

One forward pass (batch of one, evaluation mode, no graph) with a hook on every module that has
no children records each layer's output shape, its own parameters and, for convolutions and
linear layers, its multiply-accumulates per sample (see :mod:`.arithmetic`):

    Conv2d:          MACs = C_out · H_out · W_out · (C_in / groups) · kh · kw
    ConvTranspose2d: MACs = C_in · H_in · W_in · (C_out / groups) · kh · kw
    Linear:          MACs = in · out · (rows per sample)

Convention, printed with the table: MACs of convolution and linear layers only (normalisation,
activations, pooling and additions are not counted, as in the ResNet paper and torchvision's
figures); FLOPs = 2 × MACs. The notes use both conventions under the name FLOPs (ERRATA E14/E21).
"""

from __future__ import annotations

import numbers

from dataclasses import dataclass, field

import numpy as np

from ..autograd import Tensor, no_grad

__all__ = ["summary", "Summary", "LayerRow", "count_parameters", "layer_macs"]

CONVENTION = ("MACs: multiply-accumulates of Conv and Linear layers per sample; "
              "FLOPs = 2 x MACs")


@dataclass
class LayerRow:
    name: str
    type: str
    output_shape: tuple
    params: int
    trainable: int
    macs: int

    @property
    def flops(self):
        return 2 * self.macs


@dataclass
class Summary:
    """The table (``rows``) and totals; ``str(summary)`` renders it."""

    rows: list = field(default_factory=list)
    input_shape: tuple = ()
    total_params: int = 0
    trainable_params: int = 0
    total_macs: int = 0

    @property
    def total_flops(self):
        return 2 * self.total_macs

    def to_dict(self):
        return {
            "input_shape": list(self.input_shape),
            "rows": [dict(name=r.name, type=r.type, output_shape=list(r.output_shape),
                          params=r.params, trainable=r.trainable, macs=r.macs, flops=r.flops)
                     for r in self.rows],
            "total_params": self.total_params,
            "trainable_params": self.trainable_params,
            "total_macs": self.total_macs,
            "total_flops": self.total_flops,
        }

    def __str__(self):
        header = ("layer", "type", "output shape", "params", "MACs", "FLOPs")
        body = [(r.name, r.type, "x".join(map(str, r.output_shape)), f"{r.params:,}",
                 f"{r.macs:,}", f"{r.flops:,}") for r in self.rows]
        widths = [max(len(str(row[i])) for row in [header] + body) for i in range(len(header))]
        right = {3, 4, 5}

        def fmt(row):
            return "  ".join(str(v).rjust(w) if i in right else str(v).ljust(w)
                             for i, (v, w) in enumerate(zip(row, widths)))

        rule = "-" * len(fmt(header))
        lines = [fmt(header), rule] + [fmt(row) for row in body] + [rule]
        lines += [
            f"input shape: {'x'.join(map(str, self.input_shape))} (batch of 1)",
            f"total parameters: {self.total_params:,} "
            f"(trainable {self.trainable_params:,})",
            f"total MACs: {self.total_macs:,} ({self.total_macs / 1e9:.3f} G)   "
            f"FLOPs: {self.total_flops:,} ({self.total_flops / 1e9:.3f} G)",
            f"convention: {CONVENTION}",
        ]
        return "\n".join(lines)


def count_parameters(model, trainable_only=False):
    """Number of parameter elements (shared parameters once)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


def layer_macs(module, inputs, output):
    """MACs of one call of ``module`` for one sample (0 for layers that are not counted)."""
    kind = type(module).__name__
    if kind in ("Conv2d", "Conv1d"):
        weight = module.weight
        per_output = int(np.prod(weight.shape[1:]))  # (C_in/groups)·kh·kw
        spatial = int(np.prod(output.shape[2:]))
        return output.shape[1] * spatial * per_output
    if kind == "ConvTranspose2d":
        weight = module.weight  # (C_in, C_out/groups, kh, kw)
        x = inputs[0]
        return int(np.prod(x.shape[1:])) * int(np.prod(weight.shape[1:]))
    if kind == "Linear":
        rows = int(np.prod(output.shape[1:-1])) if output.ndim > 2 else 1
        return module.in_features * module.out_features * rows
    return 0


def _check_input_shape(input_shape):
    """A tuple/list of positive ints (one int for feature vectors), without the batch axis."""
    if isinstance(input_shape, numbers.Integral) and not isinstance(input_shape, bool):
        input_shape = (input_shape,)
    if not isinstance(input_shape, (tuple, list)):
        raise TypeError(f"summary: input_shape must be a tuple of ints such as (1, 32, 32), got "
                        f"{input_shape!r} ({type(input_shape).__name__})")
    for v in input_shape:
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 1:
            raise ValueError(f"summary: input_shape must hold positive ints, got {input_shape!r}")
    return tuple(int(v) for v in input_shape)


def summary(model, input_shape, print_table=False):
    """Build the per-layer table for an input of ``input_shape`` = (C, H, W) or (features,)."""
    input_shape = _check_input_shape(input_shape)
    rows = []
    names = {id(m): n for n, m in model.named_modules()}

    def hook(module, inputs, output):
        out = output[0] if isinstance(output, (tuple, list)) else output
        own = list(module.parameters(recurse=False))
        rows.append(LayerRow(
            name=names.get(id(module), type(module).__name__),
            type=type(module).__name__,
            output_shape=tuple(out.shape[1:]) if isinstance(out, Tensor) else (),
            params=sum(p.numel() for p in own),
            trainable=sum(p.numel() for p in own if p.requires_grad),
            macs=layer_macs(module, inputs, out) if isinstance(out, Tensor) else 0,
        ))

    leaves = [m for m in model.modules() if not list(m.children())]
    handles = [m.register_forward_hook(hook) for m in leaves]
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            model(Tensor(np.zeros((1,) + input_shape, dtype=np.float32)))
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
    result = Summary(rows, input_shape, count_parameters(model),
                     count_parameters(model, trainable_only=True), sum(r.macs for r in rows))
    if print_table:
        print(result)
    return result
