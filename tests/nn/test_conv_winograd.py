"""Winograd F(2x2, 3x3) (whiteboard/nn/_conv_winograd.py): conv2d through it equals torch in
chunks of any size, and each transform's adjoint is exact."""

import numpy as np
import pytest

import whiteboard as wb
from whiteboard import nn
from whiteboard.nn import _conv_winograd, _im2col
from tests.nn.conv_cases import F32, F64, arrays
from tests.oracles.torch_oracle import check


# 3x3, stride 1, no dilation, groups 1 runs through Winograd F(2x2, 3x3) in chunks of samples:
# odd and even output sizes (an extra tile row/column), asymmetric padding, 'same', and a chunk
# size of one sample so that several chunks are stitched together.
WINOGRAD_GRID = [
    (5, 3, 7, 9, 4, 3, 3, {}),
    (4, 2, 8, 8, 5, 3, 3, dict(padding=1)),
    (3, 4, 5, 6, 3, 3, 3, dict(padding=(2, 0))),
    (3, 2, 6, 7, 2, 3, 3, dict(padding="same")),
    (2, 1, 3, 3, 1, 3, 3, {}),                                    # a single output pixel
    (2, 3, 4, 5, 2, 3, 3, dict(padding=3)),                       # padding wider than the kernel
]


@pytest.mark.parametrize("cfg", WINOGRAD_GRID, ids=lambda c: f"{c[:7]}-{c[7]}")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("chunk_bytes", [1, 1 << 21])
def test_conv2d_winograd_chunks(cfg, dtype, chunk_bytes, monkeypatch, jit_path):
    monkeypatch.setattr(_conv_winograd, "CHUNK_BYTES", chunk_bytes)
    x, w, b = arrays(*cfg, dtype=dtype)
    kwargs = cfg[-1]
    tol = F64 if dtype == np.float64 else F32
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, **kwargs), x, w, b, **tol)
    check(lambda lib, x, w: lib.nn.functional.conv2d(x, w, **kwargs), x, w, **tol)
    for needs in ([True, False], [False, True]):                  # one gradient only
        check(lambda lib, x, w: lib.nn.functional.conv2d(x, w, **kwargs), x, w, **tol,
              requires_grad=needs)


def _geometry(h, w, pads):
    oh, ow = h + pads[0] + pads[1] - 2, w + pads[2] + pads[3] - 2
    return _im2col.Geometry((h, w), pads, (3, 3), (1, 1), (1, 1), (oh, ow))


@pytest.mark.parametrize("h,w,pads", [(7, 9, (0, 0, 0, 0)), (6, 5, (1, 1, 1, 1)),
                                      (5, 8, (2, 0, 1, 3)), (3, 3, (0, 0, 0, 0))])
def test_each_transform_has_its_exact_adjoint(h, w, pads, jit_path):
    """⟨T a, b⟩ = ⟨a, T* b⟩ (float64, 1e-12) for the weight, input and output transforms: the
    backward pass is built from these adjoints, so each must be exact on its own."""
    rng = np.random.default_rng(0)
    geo = _geometry(h, w, pads)
    wino = _conv_winograd.Winograd(geo)
    n, c, o = 2, 3, 4
    wt = rng.standard_normal((o, c, 3, 3))
    du = rng.standard_normal((16, o, c))
    np.testing.assert_allclose((wino.weight(wt) * du).sum(),
                               (wt * wino.weight_adjoint(du, wt.shape)).sum(), rtol=1e-12)
    x = rng.standard_normal((n, c, h, w))
    dv = rng.standard_normal((16, c, n * wino.run))
    dx = np.empty_like(x)
    lhs = (wino.input(x) * dv).sum()
    wino.input_adjoint(dv.copy(), c, dx)
    np.testing.assert_allclose(lhs, (x * dx).sum(), rtol=1e-12)
    # the output transform reads only real tiles: junk tiles (one per tile row) get zero adjoint
    m = rng.standard_normal((16, o, n * wino.run))
    g = rng.standard_normal((n, o, 2 * wino.th, 2 * wino.tw))
    out = np.empty_like(g)
    dm = wino.output_adjoint(g)
    wino.output(m.copy(), out)
    np.testing.assert_allclose((out * g).sum(), (m * dm).sum(), rtol=1e-12)


def test_conv2d_dispatches_to_winograd_exactly_for_dense_3x3_stride_1(monkeypatch):
    from whiteboard.nn import conv

    calls = []
    real = conv.conv2d_winograd
    monkeypatch.setattr(conv, "conv2d_winograd", lambda *a: calls.append(1) or real(*a))
    x = wb.tensor(np.random.default_rng(1).standard_normal((1, 2, 6, 6)))
    cases = [((3, 2, 3, 3), {}, 1), ((3, 2, 3, 3), dict(padding=1), 1),
             ((3, 2, 3, 3), dict(stride=2), 0), ((3, 2, 3, 3), dict(dilation=2), 0),
             ((4, 1, 3, 3), dict(groups=2), 0), ((3, 2, 3, 2), {}, 0), ((3, 2, 1, 1), {}, 0)]
    for shape, kwargs, expected in cases:
        calls.clear()
        nn.functional.conv2d(x, wb.tensor(np.ones(shape)), **kwargs)
        assert len(calls) == expected, (shape, kwargs)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_single_input_channel_goes_to_im2col_and_winograd_still_equals_torch(dtype, monkeypatch):
    """C_in = 1 takes im2col + GEMM (faster there); Winograd forced on it still equals torch."""
    from whiteboard.nn import conv

    calls = []
    real = conv.conv2d_winograd
    monkeypatch.setattr(conv, "conv2d_winograd", lambda *a: calls.append(1) or real(*a))
    x = wb.tensor(np.random.default_rng(2).standard_normal((2, 1, 6, 6)))
    nn.functional.conv2d(x, wb.tensor(np.ones((3, 1, 3, 3))), padding=1)
    assert not calls
    monkeypatch.setattr(conv, "winograd_applies", _conv_winograd.geometry_fits)
    tol = F64 if dtype == np.float64 else F32
    for cfg in [(3, 1, 7, 9, 4, 3, 3, dict(padding=1)), (2, 1, 3, 3, 1, 3, 3, {})]:
        x, w, b = arrays(*cfg, dtype=dtype)
        check(lambda lib, x, w, b, kw=cfg[-1]: lib.nn.functional.conv2d(x, w, b, **kw),
              x, w, b, **tol)
    assert calls


@pytest.mark.parametrize("cfg", WINOGRAD_GRID, ids=lambda c: f"{c[:7]}-{c[7]}")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("dense_max", [0, 10**6])
def test_conv2d_winograd_dense_plane_and_phase_paths_equal_torch(cfg, dtype, dense_max,
                                                                 monkeypatch, jit_path):
    """Both transform implementations (whole-plane GEMMs for small planes, the phase layout
    otherwise) on every geometry of the grid, with and without bias, one gradient at a time."""
    monkeypatch.setattr(_conv_winograd, "DENSE_PLANE_MAX", dense_max)
    calls = []
    real = _conv_winograd._conv2d_winograd_dense
    monkeypatch.setattr(_conv_winograd, "_conv2d_winograd_dense",
                        lambda *a: calls.append(1) or real(*a))
    x, w, b = arrays(*cfg, dtype=dtype)
    kwargs = cfg[-1]
    tol = F64 if dtype == np.float64 else F32
    check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, **kwargs), x, w, b, **tol)
    for needs in ([True, False, False], [False, True, False], [False, False, True]):
        check(lambda lib, x, w, b: lib.nn.functional.conv2d(x, w, b, **kwargs), x, w, b,
              **tol, requires_grad=needs)
    assert bool(calls) == (bool(dense_max) and cfg[1] >= 2)    # C_in = 1 goes to im2col


def test_dense_plane_matrices_are_the_phase_transforms(jit_path):
    """T_in·x and Mᵀ·T_outᵀ equal the phase layout's input and output transforms (float64)."""
    rng = np.random.default_rng(3)
    for h, w, pads in [(4, 4, (1, 1, 1, 1)), (5, 6, (2, 0, 1, 3)), (3, 3, (0, 0, 0, 0))]:
        geo = _geometry(h, w, pads)
        wino = _conv_winograd.Winograd(geo)
        tin, tout, tiles = _conv_winograd._plane_matrices((geo.in_hw, geo.pads, geo.out_hw),
                                                          "<f8")
        x = rng.standard_normal((2, 3, h, w))
        v = wino.input(x).reshape(16, 3, 2, wino.th, wino.tw + 1)[..., :wino.tw]
        dense = (tin @ x.reshape(6, h * w).T).reshape(16, wino.th, wino.tw, 2, 3)
        np.testing.assert_allclose(dense.transpose(0, 4, 3, 1, 2), v, rtol=1e-12, atol=1e-12)
        m = rng.standard_normal((16, 3, 2, wino.th, wino.tw + 1))
        out = np.empty((2, 3, 2 * wino.th, 2 * wino.tw))
        wino.output(m.copy().reshape(16, 3, -1), out)
        mt = m[..., :wino.tw].transpose(0, 3, 4, 2, 1).reshape(16 * tiles, 6)
        oh, ow = geo.out_hw
        np.testing.assert_allclose((mt.T @ tout.T).reshape(2, 3, oh, ow), out[:, :, :oh, :ow],
                                   rtol=1e-12, atol=1e-12)


def _step(x, w, b, kwargs, seed=5):
    """Forward and the three gradients of one conv2d, as NumPy arrays."""
    tx, tw, tb = (wb.tensor(a, requires_grad=True) for a in (x, w, b))
    y = nn.functional.conv2d(tx, tw, tb, **kwargs)
    g = np.random.default_rng(seed).standard_normal(y.shape).astype(x.dtype)
    y.backward(wb.tensor(g))
    return y.numpy(), tx.grad.numpy(), tw.grad.numpy(), tb.grad.numpy()


@pytest.mark.parametrize("cfg", WINOGRAD_GRID + [(3, 16, 28, 28, 8, 3, 3, dict(padding=1))],
                         ids=lambda c: f"{c[:7]}-{c[7]}")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("chunk_bytes", [1, 1 << 21])
def test_compiled_transforms_give_the_numpy_path_bit_for_bit(cfg, dtype, chunk_bytes,
                                                             monkeypatch):
    """The jit kernels (_conv_winograd_jit.py) add in the NumPy twin's order: the output and
    every gradient are equal, not merely close (phase path; the dense plane path has no kernel)."""
    if not wb.jit.available():
        pytest.skip("Numba is not installed")
    monkeypatch.setattr(_conv_winograd, "CHUNK_BYTES", chunk_bytes)
    monkeypatch.setattr(_conv_winograd, "DENSE_PLANE_MAX", 0)
    x, w, b = arrays(*cfg, dtype=dtype)
    with wb.jit.flags(enabled=False):
        want = _step(x, w, b, cfg[-1])
    from whiteboard.nn import _conv_winograd_jit as kernels

    calls = []
    for name in ("winograd_input", "winograd_output", "winograd_output_adjoint",
                 "winograd_input_adjoint"):
        real = getattr(kernels, name)
        monkeypatch.setattr(kernels, name, lambda *a, f=real, n=name: calls.append(n) or f(*a))
    with wb.jit.flags(enabled=True):
        got = _step(x, w, b, cfg[-1])
    assert len(set(calls)) == (4 if cfg[1] >= 2 else 0)          # C_in = 1 goes to im2col
    for name, a, e in zip(("y", "dx", "dw", "db"), got, want):
        np.testing.assert_array_equal(a, e, err_msg=name)
