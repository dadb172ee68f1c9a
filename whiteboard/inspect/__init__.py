"""Reasoning about networks: convolution arithmetic, model summaries (parameters, MACs, FLOPs)
and receptive fields."""

from .arithmetic import (
    conv_macs, conv_output_size, conv_params, conv_transpose_output_size, linear_macs,
    linear_params, pool_output_size,
)
from .receptive_field import LayerField, model_receptive_field, parse_layers, receptive_field
from .summary import LayerRow, Summary, count_parameters, layer_macs, summary
