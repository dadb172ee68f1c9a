"""Reasoning about networks: convolution arithmetic, model summaries (parameters, MACs, FLOPs),
receptive fields, and visualisation (feature maps via hooks, filter grids, occlusion maps,
maximally activating inputs, t-SNE of a layer)."""

from .arithmetic import (
    conv_macs, conv_output_size, conv_params, conv_transpose_output_size, linear_macs,
    linear_params, pool_output_size,
)
from .receptive_field import LayerField, model_receptive_field, parse_layers, receptive_field
from .summary import LayerRow, Summary, count_parameters, layer_macs, summary
from .activation_max import top_k_activating, top_k_from_activations
from .embedding import embed_layer
from .feature_maps import feature_maps, layer_activations
from .filters import filter_grid, total_variation
from .occlusion import occlusion_map
