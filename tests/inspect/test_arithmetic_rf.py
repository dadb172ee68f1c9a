"""Convolution arithmetic against PyTorch's layers; receptive fields against the notes' example."""

import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import whiteboard as wb
from whiteboard import nn
from whiteboard.inspect import (
    conv_macs, conv_output_size, conv_params, conv_transpose_output_size, model_receptive_field,
    parse_layers, pool_output_size, receptive_field, summary,
)


@given(size=st.integers(1, 40), k=st.integers(1, 7), s=st.integers(1, 4), p=st.integers(0, 3),
       d=st.integers(1, 3))
def test_conv_output_size_equals_torch(size, k, s, p, d):
    span = d * (k - 1) + 1
    x = torch.zeros(1, 1, size, size)
    if size + 2 * p < span:
        with pytest.raises(ValueError, match="does not fit"):
            conv_output_size(size, k, s, p, d)
        return
    out = torch.nn.functional.conv2d(x, torch.zeros(1, 1, k, k), stride=s, padding=p, dilation=d)
    assert conv_output_size(size, k, s, p, d) == out.shape[-1]


@given(size=st.integers(1, 40), k=st.integers(1, 5), s=st.integers(1, 4), ceil=st.booleans(),
       data=st.data())
def test_pool_output_size_equals_torch(size, k, s, ceil, data):
    p = data.draw(st.integers(0, k // 2))
    if size + 2 * p < k:
        return
    out = torch.nn.functional.max_pool2d(torch.zeros(1, 1, size, size), k, s, p, ceil_mode=ceil)
    assert pool_output_size(size, k, s, p, ceil_mode=ceil) == out.shape[-1]


@given(size=st.integers(1, 20), k=st.integers(1, 5), s=st.integers(1, 3), p=st.integers(0, 2),
       d=st.integers(1, 2), data=st.data())
def test_transposed_output_size_equals_torch(size, k, s, p, d, data):
    op = data.draw(st.integers(0, max(s, d) - 1))
    expected = (size - 1) * s - 2 * p + d * (k - 1) + op + 1
    if expected < 1:
        return
    out = torch.nn.functional.conv_transpose2d(torch.zeros(1, 1, size, size),
                                               torch.zeros(1, 1, k, k), stride=s, padding=p,
                                               output_padding=op, dilation=d)
    assert conv_transpose_output_size(size, k, s, p, op, d) == out.shape[-1]


@pytest.mark.parametrize("cin,cout,k,groups,bias", [(3, 64, 3, 1, True), (3, 64, 3, 1, False),
                                                    (32, 32, 3, 32, True),
                                                    (16, 8, (1, 5), 2, True)])
def test_conv_params_equal_torch(cin, cout, k, groups, bias):
    layer = torch.nn.Conv2d(cin, cout, k, groups=groups, bias=bias)
    assert conv_params(cin, cout, k, groups, bias) == sum(p.numel() for p in layer.parameters())


def test_errata_example_macs_and_flops():
    # ERRATA E14: 3 -> 64 channels, 3x3, 32x32 output
    assert conv_macs(3, 64, 3, 32) == 1_769_472


def test_seed_receptive_field_example():
    fields = receptive_field(parse_layers("11,4,0 3,2,0 5,1,2 3,2,0 3,1,1"), input_size=227)
    assert [f.rf for f in fields] == [11, 19, 51, 67, 99]
    assert [f.jump for f in fields] == [4, 8, 8, 16, 16]
    assert [f.output_size for f in fields] == [55, 27, 27, 13, 13]


def test_three_3x3_equal_one_7x7():
    assert receptive_field([(3, 1, 1)] * 3)[-1].rf == receptive_field([(7, 1, 3)])[-1].rf == 7
    assert receptive_field([(3, 1, 0, 2)])[-1].rf == 5  # dilation 2: a 3-tap kernel spans 5


def test_receptive_field_centre_matches_gradient_support():
    """The field's size and centre equal the support of d output / d input, measured by autograd."""
    layers = [(3, 2, 1), (5, 1, 2, 2), (2, 2, 0), (3, 1, 0)]
    model = nn.Sequential(*[
        nn.Conv2d(1, 1, k, s, p, dilation=(spec[3] if len(spec) == 4 else 1), bias=False)
        for spec in layers for k, s, p in [spec[:3]]
    ])
    for m in model:
        nn.init.ones_(m.weight)
    x = wb.zeros(1, 1, 64, 64, requires_grad=True)
    y = model(x)
    y[0, 0, 3, 3].backward()
    rows = np.flatnonzero(np.abs(x.grad.numpy()[0, 0]).sum(axis=1))
    last = receptive_field(layers)[-1]
    assert rows.max() - rows.min() + 1 == last.rf
    centre = last.start + 3 * last.jump  # unit 3's centre in pixel coordinates (+0.5)
    assert (rows.min() + rows.max() + 1) / 2 == pytest.approx(centre)


def test_model_graph_equals_layer_list_for_a_sequential_net():
    spec = parse_layers("11,4,0 3,2,0 5,1,2 3,2,0 3,1,1")
    model = nn.Sequential(nn.Conv2d(3, 4, 11, 4), nn.ReLU(), nn.Conv2d(4, 4, 3, 2),
                          nn.Conv2d(4, 4, 5, 1, 2), nn.Conv2d(4, 4, 3, 2), nn.ReLU(),
                          nn.Conv2d(4, 4, 3, 1, 1))
    convs = [r for r in model_receptive_field(model, (3, 227, 227)) if r.kernel is not None]
    assert [r.rf for r in convs] == [f.rf for f in receptive_field(spec)]
    assert [r.output_size for r in convs] == [55, 27, 27, 13, 13]


def test_model_graph_takes_the_largest_branch():
    class TwoBranch(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Conv2d(1, 2, 3, padding=1)
            self.b = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.Conv2d(2, 2, 3, padding=1))
            self.head = nn.Conv2d(4, 1, 3, padding=1)

        def forward(self, x):
            return self.head(wb.cat([self.a(x), self.b(x)], dim=1))

    records = model_receptive_field(TwoBranch(), (1, 16, 16))
    assert records[-1].name == "head" and records[-1].rf == 7  # 3x3 -> 3x3 -> head 3x3


def test_summary_macs_equal_closed_form():
    model = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
                          nn.Conv2d(16, 16, 3, padding=1, groups=4, bias=False),
                          nn.ConvTranspose2d(16, 8, 2, stride=2), nn.Flatten(),
                          nn.Linear(8 * 32 * 32, 10))
    s = summary(model, (3, 32, 32))
    assert [r.macs for r in s.rows] == [
        conv_macs(3, 16, 3, 16), 0, conv_macs(16, 16, 3, 16, groups=4),
        16 * 16 * 16 * 8 * 2 * 2, 0, 8 * 32 * 32 * 10,
    ]
    assert s.total_params == sum(p.numel() for p in model.parameters())
    tm = torch.nn.Sequential(torch.nn.Conv2d(3, 16, 3, 2, 1), torch.nn.ReLU(),
                             torch.nn.Conv2d(16, 16, 3, padding=1, groups=4, bias=False),
                             torch.nn.ConvTranspose2d(16, 8, 2, 2), torch.nn.Flatten(),
                             torch.nn.Linear(8 * 32 * 32, 10))
    assert s.total_params == sum(p.numel() for p in tm.parameters())
    assert [r.output_shape for r in s.rows] == [(16, 16, 16), (16, 16, 16), (16, 16, 16),
                                                (8, 32, 32), (8192,), (10,)]
    text = str(s)
    assert "FLOPs = 2 x MACs" in text and f"{s.total_macs:,}" in text
    assert s.to_dict()["total_flops"] == 2 * s.total_macs


def test_arithmetic_errors():
    with pytest.raises(ValueError, match="stride"):
        conv_output_size(10, 3, stride=0)
    with pytest.raises(ValueError, match="groups"):
        conv_params(3, 64, 3, groups=2)
    with pytest.raises(ValueError, match="kernel,stride,padding"):
        parse_layers("11,4")
