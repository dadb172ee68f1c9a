"""im2col + GEMM (whiteboard/nn/_im2col.py, whiteboard/nn/_conv_gemm.py): window views copy
nothing, col2im is the adjoint of im2col, the wide-row layout equals the plain windows."""

import numpy as np
import pytest

from whiteboard.nn import _conv_gemm, _im2col


def test_windows_is_a_view_and_1x1_im2col_copies_nothing():
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 7))
    win = _im2col.windows(x, (3, 2), (2, 1), (1, 2), (2, 5))
    assert np.shares_memory(win, x) and not win.flags.writeable
    assert win[1, 2, 2, 1, 1, 3] == x[1, 2, 1 * 2 + 2 * 1, 3 * 1 + 1 * 2]
    assert np.shares_memory(_im2col.im2col(x, (1, 1), (1, 1), (1, 1), (6, 7)), x)


def test_col2im_is_the_adjoint_of_im2col():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 3, 9, 8))
    args = ((3, 2), (2, 3), (2, 1), (3, 3))
    cols = _im2col.im2col(x, *args)
    u = rng.standard_normal(cols.shape)
    back = _im2col.col2im(u, x.shape, args[1], args[2])
    np.testing.assert_allclose((cols * u).sum(), (x * back).sum(), rtol=1e-12)


@pytest.mark.parametrize("args", [
    ((9, 8), (1, 1, 1, 1), (3, 3), (1, 1), (1, 1)),
    ((9, 8), (0, 1, 2, 1), (3, 2), (2, 1), (2, 3)),   # vertical stride and dilations
    ((7, 11), (1, 0, 0, 2), (2, 2), (3, 1), (1, 2)),
])
def test_wide_row_layout_equals_the_plain_windows(args):
    """With horizontal stride 1 the columns span the padded width; their real part equals the
    ordinary im2col, and the layout's col2im is still the adjoint of its im2col."""
    in_hw, pads, kernel, stride, dilation = args
    out_hw = tuple(_im2col.conv_out_size(n, k, s, p, d) for n, k, s, p, d in
                   zip(in_hw, kernel, stride, (pads[0] + pads[1], pads[2] + pads[3]), dilation))
    geo = _im2col.Geometry(in_hw, pads, kernel, stride, dilation, out_hw)
    assert geo.wide and geo.cols_w == in_hw[1] + pads[2] + pads[3]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3) + in_hw)
    cols = geo.im2col(x)
    plain = _im2col.im2col(_im2col.pad2d(x, pads), kernel, stride, dilation, out_hw)
    np.testing.assert_array_equal(cols[..., :out_hw[1]], plain)
    u = rng.standard_normal(cols.shape)
    np.testing.assert_allclose((cols * u).sum(), (x * geo.col2im(u)).sum(), rtol=1e-12)
    strided = _im2col.Geometry(in_hw, pads, kernel, (1, 2), dilation, out_hw)
    assert not strided.wide


@pytest.mark.parametrize("cfg", [
    (2, 4, 7, 6, 6, 3, 3, 2, (1, 1), (1, 1), (1, 1, 1, 1)),
    (3, 3, 9, 8, 6, 3, 2, 3, (2, 1), (1, 2), (0, 0, 2, 2)),
    (1, 2, 5, 5, 4, 2, 2, 1, (2, 2), (1, 1), (1, 0, 0, 1)),
])
def test_gemm_products_are_adjoint(cfg):
    """conv_forward, conv_input_grad and conv_weight_grad are the map and its two adjoints:
    ⟨W ⋆ x, g⟩ = ⟨x, dX(g)⟩ = ⟨W, dW(g)⟩ (float64, 1e-12), for grouped and strided cases."""
    n, c, h, w, o, kh, kw, groups, stride, dilation, pads = cfg
    out_hw = tuple(_im2col.conv_out_size(size, k, s, p, d) for size, k, s, p, d in
                   zip((h, w), (kh, kw), stride, (pads[0] + pads[1], pads[2] + pads[3]),
                       dilation))
    geo = _im2col.Geometry((h, w), pads, (kh, kw), stride, dilation, out_hw)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, c, h, w))
    wt = rng.standard_normal((o, c // groups, kh, kw))
    g = rng.standard_normal((n, o) + out_hw)
    y, cols = _conv_gemm.conv_forward(x, wt, geo, groups, keep_cols=True)
    gp = _conv_gemm.prepare_grad(g, wt, geo, groups)
    lhs = (y * g).sum()
    np.testing.assert_allclose(lhs, (x * _conv_gemm.conv_input_grad(gp, wt, geo, groups)).sum(),
                               rtol=1e-12)
    gw = _conv_gemm.conv_weight_grad(gp, cols, geo, groups, wt.shape)
    np.testing.assert_allclose(lhs, (wt * gw).sum(), rtol=1e-12)
