"""Winograd F(2x2, 3x3): the dense 3x3, stride-1, undilated, one-group conv2d
(:func:`whiteboard.nn.conv2d` dispatches here), with its backward pass as the exact adjoint of the
forward transforms. Two implementations of the same transforms: additions over a "phase" layout
of the padded plane (:class:`Winograd`), and, for small planes, one GEMM per transform with the
whole-plane transform matrix (:func:`_conv2d_winograd_dense`). Tests:
``tests/nn/test_conv_winograd.py``.
"""

import functools

import numpy as np

from .. import backend, jit
from ..autograd import Tensor
from . import _conv_winograd_jit as kernels

# A dense 3x3 convolution with stride 1 and no dilation (the common case) uses Winograd's
# minimal filtering F(2x2, 3x3) instead of im2col + GEMM (Lavin & Gray, 2016). The output is cut
# into 2x2 tiles; tile t reads the 4x4 input patch d_t (stride 2, overlapping by 2) and
#
#     Y_t = Aᵀ [ (G w Gᵀ) ⊙ (Bᵀ d_t B) ] A
#
#     Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]]
#     G  = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]]      Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]
#
# (1-D check: y0 = m1 + m2 + m3 = d0·w0 + d1·w1 + d2·w2 with m1 = (d0 − d2)·w0,
# m2 = (d1 + d2)(w0 + w1 + w2)/2, m3 = (d2 − d1)(w0 − w1 + w2)/2, m4 = (d1 − d3)·w2 and
# y1 = m2 − m3 − m4.) Summed over input channels, the element-wise product becomes, for each of
# the 16 tile positions ξ, one matrix product over all tiles of the batch:
#
#     M_ξ = U_ξ @ V_ξ      U_ξ = (G w Gᵀ)_ξ: (O, C)     V_ξ = (Bᵀ d B)_ξ: (C, N·tiles)
#
# 16 multiplications per 4 outputs instead of 36: the GEMM work drops 2.25x, at the price of the
# transforms (a few additions over whole arrays, memory bound). The backward pass is the exact
# adjoint of these linear maps: with dM = A dY Aᵀ (the output transform's adjoint),
#
#     dU_ξ = dM_ξ @ V_ξᵀ   →  dw = Gᵀ dU G           dV_ξ = U_ξᵀ @ dM_ξ  →  dx = Σ_t B dV_t Bᵀ
#
# (the last scatter-adds the overlapping 4x4 patches back). Rounding: the transforms only add,
# subtract and halve, so the results match the direct sum to a few units in the last place.
# An odd output size gets one more tile row/column, read from extra zero padding and cropped.
WINO_G = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.0, 0.0, 1.0]])
WINO_GG = np.kron(WINO_G, WINO_G)                  # (16, 9): U[(α, β)] = Σ G[α, p]·G[β, q]·w[p, q]
WINO_BT = np.array([[1.0, 0.0, -1.0, 0.0], [0.0, 1.0, 1.0, 0.0], [0.0, -1.0, 1.0, 0.0],
                    [0.0, 1.0, 0.0, -1.0]])
WINO_AT = np.array([[1.0, 1.0, 1.0, 0.0], [0.0, 1.0, -1.0, -1.0]])


def geometry_fits(w, geo, groups):
    """F(2x2, 3x3) computes this convolution: dense (groups 1) 3x3, stride 1, no dilation."""
    return (groups == 1 and tuple(w.shape[2:]) == (3, 3) and geo.stride == (1, 1)
            and geo.dilation == (1, 1))


def applies(w, geo, groups):
    """Whether conv2d takes the Winograd path: the geometry fits and there are >= 2 input
    channels. With one input channel each product U_ξ·V_ξ is an outer product (inner dimension
    C = 1), so the 2.25x saving in multiplications is worth less than the transforms cost over
    the O output channels: forward + backward measured 2.8-3.1x slower than im2col + GEMM for
    1→16 and 1→32 on 8x8 and 28x28 planes (docs/benchmarks/nn.md)."""
    return geometry_fits(w, geo, groups) and w.shape[1] >= 2


def weight_transform(w):
    """U = G w Gᵀ as (16, O, C): one product of the (O·C, 9) kernels with (G ⊗ G)ᵀ (a
    three-operand einsum here loops naively and cost ~0.1 ms per call)."""
    xp = backend.get_array_module(w)
    o, c = w.shape[:2]
    gg = xp.asarray(WINO_GG, dtype=w.dtype)
    return xp.ascontiguousarray((w.reshape(o * c, 9) @ gg.T).T).reshape(16, o, c)


def weight_transform_adjoint(du, shape):
    """dw = Gᵀ dU G from dU (16, O, C): dU's (O·C, 16) rows times (G ⊗ G)."""
    xp = backend.get_array_module(du)
    gg = xp.asarray(WINO_GG, dtype=du.dtype)
    return (du.reshape(16, -1).T @ gg).reshape(shape)


class Winograd:
    """Shapes and transforms of F(2x2, 3x3) for one geometry.

    Layout ("phases"): the zero-padded input plane (Hp, Wp) = (2·th + 2, 2·tw + 2) is split by
    row and column parity into four (th + 1, tw + 1) planes, flattened; tile (i, j) then reads
    its 4x4 patch entry (a, b) from phase (a mod 2, b mod 2) at flat index
    ``t + (a // 2)·(tw + 1) + b // 2`` with ``t = i·(tw + 1) + j``. Letting j run to tw (one junk
    tile per tile row, its output dropped and its gradient zero) makes each of the 16 patch
    entries one contiguous run per (channel, sample), so every transform is a handful of
    whole-array additions — strided 4x4 patch views would leave NumPy inner loops of tw elements.
    """

    def __init__(self, geo):
        self.geo = geo
        oh, ow = geo.out_hw
        self.th, self.tw = -(-oh // 2), -(-ow // 2)
        self.run = self.th * (self.tw + 1)                 # tiles per (channel, sample)
        self.plane = (self.th + 1) * (self.tw + 1)
        self.phase_ranges = self._phase_ranges()

    weight = staticmethod(weight_transform)
    weight_adjoint = staticmethod(weight_transform_adjoint)

    def _phase_ranges(self):
        """For each parity (ra, rb): the phase-plane slice and the input slice it holds, i.e.
        padded pixel (2I + ra, 2J + rb) = input pixel (2I + ra − top, 2J + rb − left)."""
        top, _, left, _ = self.geo.pads
        h, w = self.geo.in_hw
        spans = []
        for size, lo, tiles in ((h, top, self.th), (w, left, self.tw)):
            per = []
            for r in range(2):
                first = max(0, (lo - r + 1) // 2)              # first phase index inside
                start = 2 * first + r - lo
                count = min(len(range(start, size, 2)), tiles + 1 - first)
                per.append((slice(first, first + count),
                            slice(start, start + 2 * (count - 1) + 1, 2)))
            spans.append(per)
        return [(ra, rb, spans[0][ra][0], spans[1][rb][0], spans[0][ra][1], spans[1][rb][1])
                for ra in range(2) for rb in range(2)]

    def input(self, x, out=None):
        """V = Bᵀ d B over every tile, as (16, C, N·run) (written into ``out`` if given)."""
        xp = backend.get_array_module(x)
        n, c = x.shape[:2]
        th, tw, run = self.th, self.tw, self.run
        if _compiled(xp):
            v = xp.empty((16, c, n * run), dtype=x.dtype) if out is None else out
            kernels.winograd_input(x, self.geo.pads[0], self.geo.pads[2], th, tw, v)
            return v
        ph = xp.zeros((2, 2, c, n, self.plane + 1), dtype=x.dtype)
        ph6 = ph[..., :self.plane].reshape(2, 2, c, n, th + 1, tw + 1)
        xc = x.transpose(1, 0, 2, 3)
        for ra, rb, pi, pj, xi, xj in self.phase_ranges:
            ph6[ra, rb, :, :, pi, pj] = xc[:, :, xi, xj]
        rows = [ph[a % 2, :, :, :, (a // 2) * (tw + 1):(a // 2) * (tw + 1) + run + 1]
                for a in range(4)]                                   # (2, C, N, run + 1)
        s = xp.empty((4, 2, c, n, run + 1), dtype=x.dtype)
        _bt(rows, s, xp)
        del ph, ph6, rows
        cols = [s[:, b % 2, :, :, b // 2:b // 2 + run] for b in range(4)]   # (4, C, N, run)
        v = (xp.empty((4, 4, c, n, run), dtype=x.dtype) if out is None
             else out.reshape(4, 4, c, n, run))
        _bt(cols, v.transpose(1, 0, 2, 3, 4), xp)
        return v.reshape(16, c, n * run)

    def input_adjoint(self, dv, c, dx):
        """dx (N, C, H, W), written into ``dx``, from dV (16, C, N·run): each patch's B dV Bᵀ
        added back (dV is overwritten)."""
        xp = backend.get_array_module(dv)
        n, th, tw, run = dx.shape[0], self.th, self.tw, self.run
        if _compiled(xp):
            kernels.winograd_input_adjoint(dv.reshape(16, c, n * run), self.geo.pads[0],
                                           self.geo.pads[2], th, tw, dx)
            return
        dv = dv.reshape(4, 4, c, n, run)
        _b_inplace(dv.transpose(1, 0, 2, 3, 4))                       # now (α, b, ...)
        ds = xp.empty((4, 2, c, n, run + 1), dtype=dv.dtype)           # (α, b mod 2, ...)
        for rb in range(2):                    # ds[.., k] = dv[rb][k] + dv[rb + 2][k − 1]
            _overlap_add(dv[:, rb], dv[:, rb + 2], 1, ds[:, rb], xp)
        del dv
        _b_inplace(ds)                                                 # now (a, b mod 2, ...)
        dph = xp.empty((2, 2, c, n, self.plane + 1), dtype=ds.dtype)
        for ra in range(2):                    # rows a = ra and ra + 2 (shifted by tw + 1)
            _overlap_add(ds[ra], ds[ra + 2], tw + 1, dph[ra], xp)
        del ds
        dph6 = dph[..., :self.plane].reshape(2, 2, c, n, th + 1, tw + 1)
        dxc = dx.transpose(1, 0, 2, 3)
        for ra, rb, pi, pj, xi, xj in self.phase_ranges:
            dxc[:, :, xi, xj] = dph6[ra, rb, :, :, pi, pj]

    def output(self, m, out, bias=None):
        """Y = Aᵀ (M + bias at M[1, 1]) A from M (16, O, N·run) (overwritten), written into
        ``out`` (N, O, 2·th, 2·tw). M[1, 1] reaches all four outputs of a tile with weight 1."""
        n, o, th, tw = out.shape[0], out.shape[1], self.th, self.tw
        xp = backend.get_array_module(m)
        if _compiled(xp):
            has_bias = bias is not None
            kernels.winograd_output(m.reshape(16, o, n * self.run),
                                    bias if has_bias else m[0, :1, 0], has_bias, th, tw, out)
            return
        if bias is not None:
            m[5] += bias[:, None]
        m = m.reshape(4, 4, o, n, self.run)
        _at_inplace(m)                                                 # m[i] for i < 2
        _at_inplace(m[:2].transpose(1, 0, 2, 3, 4))                    # m[i, j] for i, j < 2
        y6 = m.reshape(4, 4, o, n, th, tw + 1)
        out6 = out.reshape(n, o, th, 2, tw, 2)
        for i in range(2):
            for j in range(2):
                out6[:, :, :, i, :, j] = y6[i, j, :, :, :, :tw].transpose(1, 0, 2, 3)

    def output_adjoint(self, g):
        """dM = A dY Aᵀ as (16, O, N·run) from the output gradient dY (N, O, OH, OW)."""
        xp = backend.get_array_module(g)
        n, o, oh, ow = g.shape
        th, tw, run = self.th, self.tw, self.run
        if _compiled(xp):
            dm = xp.empty((16, o, n * run), dtype=g.dtype)
            kernels.winograd_output_adjoint(g, th, tw, dm)
            return dm
        if (oh, ow) != (2 * th, 2 * tw):
            full = xp.zeros((n, o, 2 * th, 2 * tw), dtype=g.dtype)
            full[:, :, :oh, :ow] = g
            g = full
        g6 = g.reshape(n, o, th, 2, tw, 2)
        dm = xp.empty((4, 4, o, n, run), dtype=g.dtype)                # (α, β, ...)
        d6 = dm.reshape(4, 4, o, n, th, tw + 1)
        for i in range(2):
            for j in range(2):
                d6[i, j, :, :, :, :tw] = g6[:, :, :, i, :, j].transpose(1, 0, 2, 3)
        d6[:2, :2, :, :, :, tw] = 0
        _a_inplace(dm[:2].transpose(1, 0, 2, 3, 4))                    # over β, for α < 2
        _a_inplace(dm)                                                 # over α
        return dm.reshape(16, o, n * run)


def _compiled(xp):
    """Whether the transforms run as compiled kernels (``whiteboard.jit``; NumPy arrays only)."""
    return xp is np and jit.enabled()


def _bt(d, out, xp):
    """out[k] = Σ_a Bᵀ[k, a]·d[a]: (d0 − d2, d1 + d2, d2 − d1, d1 − d3)."""
    xp.subtract(d[0], d[2], out=out[0])
    xp.add(d[1], d[2], out=out[1])
    xp.subtract(d[2], d[1], out=out[2])
    xp.subtract(d[1], d[3], out=out[3])


def _overlap_add(a, b, shift, out, xp):
    """out[..., k] = a[..., k] + b[..., k − shift] along the last axis (terms outside an
    operand are zero), ``out`` being ``shift`` longer than ``a`` and ``b``: one pass, no zeroing."""
    size = a.shape[-1]
    out[..., :shift] = a[..., :shift]
    xp.add(a[..., shift:], b[..., :size - shift], out=out[..., shift:size])
    out[..., size:] = b[..., size - shift:]


def _b_inplace(d):
    """d[a] ← Σ_k Bᵀ[k, a]·d[k] along the first axis (the adjoint of _bt), in place:
    (d0, d1 − d2 + d3, d1 + d2 − d0, −d3)."""
    xp = backend.get_array_module(d)
    t = d[1] - d[2]
    d[2] += d[1]
    d[2] -= d[0]
    xp.add(t, d[3], out=d[1])
    xp.negative(d[3], out=d[3])


def _at_inplace(m):
    """m[i] ← Σ_k Aᵀ[i, k]·m[k] along the first axis for i < 2, in place:
    (m0 + m1 + m2, m1 − m2 − m3)."""
    m[0] += m[1]
    m[0] += m[2]
    m[1] -= m[2]
    m[1] -= m[3]


def _a_inplace(d):
    """d[k] ← Σ_i Aᵀ[i, k]·d[i] along the first axis (the adjoint of _at; d0, d1 in, all four
    out), in place: (d0, d0 + d1, d0 − d1, −d1)."""
    xp = backend.get_array_module(d)
    xp.subtract(d[0], d[1], out=d[2])
    xp.negative(d[1], out=d[3])
    d[1] += d[0]


# Small planes ("dense plane" path). With a few tiles per plane the phase layout's runs are as
# short as a tile row (2-3 elements for a 4x4 output), so the transforms above spend their time in
# NumPy's per-run overhead (a 64x16x4x4 → 32-channel layer: 2.3 ms forward + backward, against
# 1.1 ms through im2col + GEMM and 0.73-0.76 ms through this path). Here each transform is one
# GEMM with its whole-plane matrix: the input transform of one (sample, channel) plane is the
# linear map
#
#     T_in = (Bᵀ-rows of tile rows) ⊗ (Bᵀ-rows of tile columns): (16·tiles, H·W)
#
# (row ((α, β), (i, j)) of T_in holds Bᵀ[α, a]·Bᵀ[β, b] at the input pixel (2i + a − top,
# 2j + b − left); the zero padding is simply absent), and the output transform is
# T_out: (OH·OW, 16·tiles), holding Aᵀ[r, α]·Aᵀ[s, β] at output pixel (2i + r, 2j + s), the
# crop of an odd output included. For the whole batch:
#
#     V = T_in · Xᵀ: (16·tiles, N·C)       M_ξ = V_ξ · U_ξᵀ: (tiles·N, O)      Y = Mᵀ · T_outᵀ
#
# with X = x as (N·C, H·W) and Y = y as (N·O, OH·OW): no copies between the products (every
# operand is a plain or transposed matrix) and no junk tiles. The backward pass is the adjoint,
# dM = T_outᵀ · dYᵀ, dUᵀ_ξ = V_ξᵀ · dM_ξ, dV_ξ = dM_ξ · U_ξ, dX = dVᵀ · T_in. T_in and T_out
# are dense, so their GEMMs cost 16·tiles·H·W multiplications per plane, ~(H·W)²: worth it
# only while the plane is small (DENSE_PLANE_MAX, measured in docs/benchmarks/nn.md).
DENSE_PLANE_MAX = 36


@functools.lru_cache(maxsize=64)
def _plane_matrices(geo_key, dtype):
    """(T_in, T_out, tiles) of the dense plane path for one geometry (see above)."""
    (h, w), (top, _, left, _), (oh, ow) = geo_key
    th, tw = -(-oh // 2), -(-ow // 2)

    def t_in(size, lo, tiles):                     # (4, tiles, size): Bᵀ row k of tile t
        t = np.zeros((4, tiles, size))
        for j in range(tiles):
            for b in range(4):
                if 0 <= 2 * j + b - lo < size:
                    t[:, j, 2 * j + b - lo] = WINO_BT[:, b]
        return t

    def t_out(size, tiles):                        # (size, 4, tiles): Aᵀ[r] of tile t's row r
        t = np.zeros((size, 4, tiles))
        for i in range(tiles):
            for r in range(min(2, size - 2 * i)):
                t[2 * i + r, :, i] = WINO_AT[r]
        return t

    tin = np.einsum("aip,bjq->abijpq", t_in(h, top, th), t_in(w, left, tw))
    tout = np.einsum("raI,sbJ->rsabIJ", t_out(oh, th), t_out(ow, tw))
    tiles = th * tw
    return (tin.reshape(16 * tiles, h * w).astype(dtype),
            tout.reshape(oh * ow, 16 * tiles).astype(dtype), tiles)


def dense_plane(geo):
    """Whether conv2d_winograd takes the dense plane path (a small input plane)."""
    h, w = geo.in_hw
    return h * w <= DENSE_PLANE_MAX


def _conv2d_winograd_dense(x, weight, bias, geo):
    """conv2d_winograd on a small plane: every transform one GEMM (see above)."""
    xp = x.xp
    n, c, h, w = x.shape
    o = weight.shape[0]
    oh, ow = geo.out_hw
    tin, tout, tiles = _plane_matrices((geo.in_hw, geo.pads, geo.out_hw), x.dtype.str)
    tin, tout = xp.asarray(tin), xp.asarray(tout)
    u = weight_transform(weight.data)                              # (16, O, C)
    v = tin @ x.data.reshape(n * c, h * w).T                       # (16·tiles, N·C)
    v3 = v.reshape(16, tiles * n, c)
    m = v3 @ u.transpose(0, 2, 1)                                  # (16, tiles·N, O)
    if bias is not None:            # M[1, 1] reaches all four outputs of a tile with weight 1
        m[5] += bias.data
    y = (m.reshape(16 * tiles, n * o).T @ tout.T).reshape(n, o, oh, ow)

    def backward(grad):
        gx = gw = gb = None
        dm = (tout.T @ grad.reshape(n * o, oh * ow).T).reshape(16, tiles * n, o)
        if bias is not None and bias.requires_grad:
            gb = dm[5].sum(axis=0)
        if weight.requires_grad:
            du = dm.transpose(0, 2, 1) @ v3                            # (16, O, C)
            gw = weight_transform_adjoint(du, weight.shape)
        if x.requires_grad:
            dv = dm @ u                                                # (16, tiles·N, C)
            gx = (dv.reshape(16 * tiles, n * c).T @ tin).reshape(x.shape)
        return (gx, gw) if bias is None else (gx, gw, gb)

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(y, parents, backward, "Conv2d")


# Samples per Winograd chunk: the transforms and products run over a few samples at a time so
# that their temporaries stay in cache (and small enough to be reused by the allocator rather than
# mapped afresh, which costs a page fault per 4 KiB on every step).
CHUNK_BYTES = 1 << 21


def conv2d_winograd(x, weight, bias, geo):
    """conv2d through Winograd F(2x2, 3x3) (see above), with its adjoint backward pass.

    Runs over chunks of samples. Each chunk's input transform V is kept for the weight
    gradient, in the same allocation as the output: kept as separate arrays (6.6 MiB for the
    benchmark layer) they made the allocator map fresh pages on every step, and those page faults
    cost more than recomputing V."""
    if dense_plane(geo):
        return _conv2d_winograd_dense(x, weight, bias, geo)
    xp = x.xp
    wino = Winograd(geo)
    n = x.shape[0]
    o, c = weight.shape[:2]
    step = max(1, CHUNK_BYTES // (16 * max(o, c) * wino.run * x.data.itemsize))
    u = wino.weight(weight.data)                                   # (16, O, C)
    u_t = xp.ascontiguousarray(u.transpose(0, 2, 1))
    oh, ow = geo.out_hw
    size = n * o * 4 * wino.th * wino.tw
    keep = weight.requires_grad
    store = xp.empty(size + (16 * c * n * wino.run if keep else 0), dtype=x.dtype)
    full = store[:size].reshape(n, o, 2 * wino.th, 2 * wino.tw)
    saved = []
    for lo in range(0, n, step):
        cnt = min(step, n - lo)
        v = None
        if keep:
            start = size + 16 * c * lo * wino.run
            v = store[start:start + 16 * c * cnt * wino.run].reshape(16, c, cnt * wino.run)
            saved.append(v)
        m = u @ wino.input(x.data[lo:lo + step], v)
        wino.output(m, full[lo:lo + step], None if bias is None else bias.data)
    y = full if (oh, ow) == full.shape[2:] else xp.ascontiguousarray(full[:, :, :oh, :ow])

    def backward(g):
        gx = gw = gb = None
        if x.requires_grad:
            gx = xp.empty(x.shape, dtype=x.dtype)
        du = xp.zeros(u.shape, dtype=u.dtype) if weight.requires_grad else None
        want_gb = bias is not None and bias.requires_grad
        if want_gb and gx is None and du is None:
            gb, want_gb = g.sum(axis=(0, 2, 3)), False
        elif want_gb:
            gb = xp.zeros(bias.shape, dtype=bias.dtype)
        for k, lo in enumerate(range(0, n, step)):
            dm = wino.output_adjoint(g[lo:lo + step])              # (16, O, chunk tiles)
            if want_gb:                 # dM[1, 1] = the sum of the tile's four dY (junk tiles 0)
                gb += dm[5].sum(axis=1)
            if du is not None:
                du += dm @ saved[k].transpose(0, 2, 1)
            if gx is not None:
                wino.input_adjoint(u_t @ dm, c, gx[lo:lo + step])
        if du is not None:
            gw = wino.weight_adjoint(du, weight.shape)
        return (gx, gw) if bias is None else (gx, gw, gb)

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(y, parents, backward, "Conv2d")
