"""Winograd (whiteboard/nn/_conv_winograd.py; F(4x4, 3x3) on the phase path, F(2x2, 3x3) on the
dense plane path): conv2d through it equals torch in chunks of any size, and each transform's
adjoint is exact."""

import numpy as np
import pytest

import whiteboard as wb
from whiteboard import nn
from whiteboard.nn import _conv_winograd, _im2col
from tests.nn.conv_cases import F32, F64, arrays
from tests.oracles.torch_oracle import check


# 3x3, stride 1, no dilation, groups 1 runs through Winograd in chunks of samples:
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


PHASES = [_conv_winograd.WinogradF23, _conv_winograd.WinogradF43]


@pytest.mark.parametrize("h,w,pads", [(7, 9, (0, 0, 0, 0)), (6, 5, (1, 1, 1, 1)),
                                      (5, 8, (2, 0, 1, 3)), (3, 3, (0, 0, 0, 0))])
@pytest.mark.parametrize("phases", PHASES, ids=["F23", "F43"])
def test_each_transform_has_its_exact_adjoint(h, w, pads, phases, jit_path):
    """⟨T a, b⟩ = ⟨a, T* b⟩ (float64, 1e-12) for the weight, input and output transforms of both
    phase implementations: the backward pass is built from these adjoints, so each must be
    exact on its own."""
    rng = np.random.default_rng(0)
    geo = _geometry(h, w, pads)
    wino = phases(geo)
    n, c, o = 2, 3, 4
    wt = rng.standard_normal((o, c, 3, 3))
    du = rng.standard_normal((wino.xi, o, c))
    np.testing.assert_allclose((wino.weight(wt) * du).sum(),
                               (wt * wino.weight_adjoint(du, wt.shape)).sum(), rtol=1e-12)
    x = rng.standard_normal((n, c, h, w))
    dv = rng.standard_normal((wino.xi, c, n * wino.run))
    dx = np.empty_like(x)
    lhs = (wino.input(x) * dv).sum()
    wino.input_adjoint(dv.copy(), c, dx)
    np.testing.assert_allclose(lhs, (x * dx).sum(), rtol=1e-12)
    # the output transform crops what lies past the output: the crop's gradient is zero
    m = rng.standard_normal((wino.xi, o, n * wino.run))
    g = rng.standard_normal((n, o) + geo.out_hw)
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
    """T_in·x and Mᵀ·T_outᵀ equal the phase layouts' input and output transforms (float64), for
    F(2x2, 3x3) (NumPy phases, one junk tile per tile row) and F(4x4, 3x3) (tiles ordered
    (tile row, sample, tile column)): two implementations of the same maps check each other."""
    rng = np.random.default_rng(3)
    for h, w, pads in [(4, 4, (1, 1, 1, 1)), (5, 6, (2, 0, 1, 3)), (3, 3, (0, 0, 0, 0)),
                       (9, 7, (1, 1, 0, 2))]:
        geo = _geometry(h, w, pads)
        oh, ow = geo.out_hw
        x = rng.standard_normal((2, 3, h, w))
        for phases in PHASES:
            wino = phases(geo)
            p2, th, tw = wino.xi, wino.th, wino.tw
            tin, tout, tiles = _conv_winograd._plane_matrices(
                (geo.in_hw, geo.pads, geo.out_hw), "<f8", wino.f.tile)
            dense = (tin @ x.reshape(6, h * w).T).reshape(p2, th, tw, 2, 3)
            m = rng.standard_normal((p2, 3, 2, th, tw))     # (ξ, O, sample, i, j)
            if phases is _conv_winograd.WinogradF23:        # columns (sample, i, j + junk)
                v = wino.input(x).reshape(p2, 3, 2, th, tw + 1)[..., :tw]
                np.testing.assert_allclose(dense.transpose(0, 4, 3, 1, 2), v,
                                           rtol=1e-12, atol=1e-12)
                cols = np.concatenate([m, np.zeros((p2, 3, 2, th, 1))], axis=-1)
            else:                                           # columns (i, sample, j)
                v = wino.input(x).reshape(p2, 3, th, 2, tw)
                np.testing.assert_allclose(dense.transpose(0, 4, 1, 3, 2), v,
                                           rtol=1e-12, atol=1e-12)
                cols = m.transpose(0, 1, 3, 2, 4)
            out = np.empty((2, 3, oh, ow))
            wino.output(np.ascontiguousarray(cols).reshape(p2, 3, -1), out)
            mt = m.transpose(0, 3, 4, 2, 1).reshape(p2 * tiles, 6)
            np.testing.assert_allclose((mt.T @ tout.T).reshape(2, 3, oh, ow), out,
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
    """The jit kernels of F(4x4, 3x3) (_conv_winograd_jit.py) add in their NumPy twin's order:
    the output and every gradient are equal, not merely close (phase path; the dense plane path
    has no kernel). The twin is forced here; the NumPy path itself takes F(2x2, 3x3)."""
    if not wb.jit.available():
        pytest.skip("Numba is not installed")
    monkeypatch.setattr(_conv_winograd, "CHUNK_BYTES", chunk_bytes)
    monkeypatch.setattr(_conv_winograd, "DENSE_PLANE_MAX", 0)
    x, w, b = arrays(*cfg, dtype=dtype)
    with wb.jit.flags(enabled=False), monkeypatch.context() as mp:
        mp.setattr(_conv_winograd, "phase_transforms",
                   lambda geo, xp, dtype: _conv_winograd.WinogradF43(geo))
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


@pytest.mark.parametrize("f", [_conv_winograd.F23, _conv_winograd.F43], ids=["F23", "F43"])
def test_transform_matrices_compute_the_1d_correlation(f):
    """Aᵀ[(G w) ⊙ (Bᵀ d)] is the correlation of d with w (float64, 1e-13 relative) for the
    matrices of F(2, 3) and F(4, 3): the identity everything else rests on."""
    rng = np.random.default_rng(11)
    for _ in range(20):
        d, w = rng.standard_normal(f.patch), rng.standard_normal(3)
        want = np.array([d[i:i + 3] @ w for i in range(f.tile)])
        np.testing.assert_allclose(f.at @ ((f.g @ w) * (f.bt @ d)), want, rtol=1e-13,
                                   atol=1e-13)


def test_shared_1d_maps_are_the_f43_matrices():
    """The addition-only maps both paths call (bt_1d, b_1d, at_1d, a_1d) are Bᵀ, B, Aᵀ and A of
    F(4, 3) exactly (integers in float64: every sum is exact)."""
    from whiteboard.nn import _conv_winograd_jit as kernels

    f = _conv_winograd.F43
    rng = np.random.default_rng(12)
    six, four = rng.integers(-50, 50, (6, 100)).astype(float), rng.integers(-50, 50, (4, 100))
    four = four.astype(float)
    np.testing.assert_array_equal(np.array(kernels.bt_1d(*six)), f.bt @ six)
    np.testing.assert_array_equal(np.array(kernels.b_1d(*six)), f.bt.T @ six)
    np.testing.assert_array_equal(np.array(kernels.at_1d(*six)), f.at @ six)
    np.testing.assert_array_equal(np.array(kernels.a_1d(*four)), f.at.T @ four)


def test_winograd_switch_routes_conv2d_and_restores(monkeypatch):
    """wb.nn.winograd.flags(enabled=False) sends a Winograd-shaped conv2d to im2col + GEMM; the
    previous setting comes back on exit, also after an exception; non-bools are refused."""
    from whiteboard.nn import conv

    calls = []
    real = conv.conv2d_winograd
    monkeypatch.setattr(conv, "conv2d_winograd", lambda *a: calls.append(1) or real(*a))
    x = wb.tensor(np.random.default_rng(0).standard_normal((2, 3, 9, 9)))
    w = wb.tensor(np.random.default_rng(1).standard_normal((4, 3, 3, 3)))
    with nn.winograd.flags(enabled=False):
        off = nn.functional.conv2d(x, w, padding=1).numpy()
    assert calls == [] and nn.winograd.enabled()
    on = nn.functional.conv2d(x, w, padding=1).numpy()
    assert calls == [1]
    np.testing.assert_allclose(on, off, rtol=1e-12, atol=1e-12)
    with pytest.raises(RuntimeError), nn.winograd.flags(enabled=False):
        raise RuntimeError("inside")
    assert nn.winograd.enabled()
    with pytest.raises(TypeError, match="enabled must be a bool"):
        with nn.winograd.flags(enabled=0):
            pass
    with pytest.raises(TypeError, match="flag must be a bool"):
        nn.winograd.enable("no")


def test_without_winograd_the_gradient_outside_the_receptive_field_is_exactly_zero():
    """Two 3x3 convs (4 channels, float64): with Winograd off the input gradient of the centre
    unit is non-zero on exactly its 5x5 receptive field and exactly 0 elsewhere, as torch's."""
    import torch

    rng = np.random.default_rng(4)
    ws = [np.abs(rng.standard_normal((4, 4, 3, 3))) + 0.1 for _ in range(2)]
    x0 = 1 + rng.random((1, 4, 15, 15))

    def support(lib, grad_of):
        x = lib.tensor(x0, requires_grad=True)
        y = x
        for w in ws:
            y = lib.nn.functional.conv2d(y, lib.tensor(w), padding=1)
        y[0, :, 7, 7].sum().backward()
        return np.abs(grad_of(x)).sum(axis=(0, 1)) > 0

    with nn.winograd.flags(enabled=False):
        got = support(wb, lambda x: x.grad.numpy())
    want = support(torch, lambda x: x.grad.numpy())
    expected = np.zeros((15, 15), bool)
    expected[5:10, 5:10] = True
    np.testing.assert_array_equal(want, expected)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("groups", [1, 4], ids=["winograd", "depthwise"])
def test_float16_conv2d_runs_on_the_numpy_path_and_equals_torch(groups, jit_path):
    """float16 reaches no compiled kernel (Numba has no float16 arithmetic: it used to raise
    NotImplementedError from inside Numba); output and gradients stay float16 and equal
    torch's float64 result to float16 precision (2e-3 of the largest value)."""
    import torch

    rng = np.random.default_rng(9)
    x, w = rng.standard_normal((2, 4, 9, 9)), rng.standard_normal((4, 4 // groups, 3, 3))
    g = rng.standard_normal((2, 4, 9, 9))
    tx, tw = (wb.tensor(a.astype(np.float16), requires_grad=True) for a in (x, w))
    y = nn.functional.conv2d(tx, tw, padding=1, groups=groups)
    y.backward(wb.tensor(g.astype(np.float16)))
    rx, rw = (torch.tensor(a, requires_grad=True) for a in (x, w))
    ry = torch.nn.functional.conv2d(rx, rw, padding=1, groups=groups)
    ry.backward(torch.tensor(g))
    for got, want in ((y, ry), (tx.grad, rx.grad), (tw.grad, rw.grad)):
        assert got.dtype == np.float16
        want = want.detach().numpy()
        np.testing.assert_allclose(got.numpy().astype(np.float64), want,
                                   atol=2e-3 * np.abs(want).max(), rtol=0)


def test_f43_weight_transform_is_g_w_gt(jit_path):
    """WinogradF43.weight (kernel or twin: the 1-D map g_1d) equals G w Gᵀ computed with the
    matrices, and weight_adjoint equals Gᵀ dU G (float64, 1e-13 relative)."""
    rng = np.random.default_rng(13)
    f = _conv_winograd.F43
    wino = _conv_winograd.WinogradF43(_geometry(6, 6, (1, 1, 1, 1)))
    w = rng.standard_normal((5, 3, 3, 3))
    want = np.einsum("ap,ocpq,bq->aboc", f.g, w, f.g).reshape(36, 5, 3)
    np.testing.assert_allclose(wino.weight(w), want, rtol=1e-13, atol=1e-13)
    du = rng.standard_normal((36, 5, 3))
    want = np.einsum("ap,aboc,bq->ocpq", f.g, du.reshape(6, 6, 5, 3), f.g)
    np.testing.assert_allclose(wino.weight_adjoint(du, w.shape), want, rtol=1e-13, atol=1e-13)
