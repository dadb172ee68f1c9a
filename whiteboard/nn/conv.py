"""Convolution: ``conv2d`` / ``Conv2d``, ``conv1d`` / ``Conv1d`` and the transposed convolution
``conv_transpose2d`` / ``ConvTranspose2d``, as one matrix product over sliding windows.

The math (cross-correlation, as every deep-learning library computes it)
-----------------------------------------------------------------------
For input ``x`` of shape ``(N, C, H, W)``, weight ``w`` of shape ``(O, C/G, KH, KW)``, stride
``S``, zero padding ``P``, dilation ``D`` and ``G`` groups::

    y[n, o, i, j] = b[o] + Σ_{c ∈ group(o)} Σ_{p, q} w[o, c, p, q]
                                                 · x_pad[n, c, i·S + p·D, j·S + q·D]

    OH = floor((H + 2P − D·(KH − 1) − 1) / S) + 1        (likewise OW)

The floor matters (the notes' ``(W − F + 2P)/S + 1`` has none: 224, F=7, P=3, S=2 is 112, not
112.5 — ERRATA E18). Dilation (空洞卷积) spaces the kernel taps ``D`` pixels apart, so a ``K``-tap
kernel covers ``D·(K−1)+1`` pixels with the same ``K²`` weights: a larger receptive field without
pooling. Groups split the channels into ``G`` independent convolutions (``G = C`` with ``O = m·C``
is the depthwise convolution); a 1x1 kernel mixes channels only (the notes' "1x1 conv":
cross-channel combination and channel reduction/expansion). Parameters: ``O·(C/G)·KH·KW + O``
with bias (the notes' ``F·F·D·K`` omits the bias — ERRATA E20).

im2col + GEMM
-------------
The windows ``x_pad[n, c, i·S + p·D, j·S + q·D]`` form a strided view of shape
``(N, C, KH, KW, OH, OW)`` (``_im2col.windows``). Copied channel-major it is, per group, one
``(C/G·KH·KW, N·OH·OW)`` matrix, and the convolution is one matrix product per group over the
whole batch::

    Y[g] = W[g] @ X_col[g]      W[g]: (O/G, C/G·KH·KW)       Y[g]: (O/G, N·OH·OW)

(reordered to NCHW by the copy that adds the bias). The backward pass is two more products and
the adjoint of im2col::

    dW[g]     = dY[g] @ X_col[g]ᵀ
    dX_col[g] = W[g]ᵀ @ dY[g]            dX = col2im(dX_col)   (then the padding cropped)

``col2im`` adds every column back onto the pixel it was read from, looping over the ``KH·KW``
kernel offsets only (never over pixels or samples). The code fuses the last two steps per offset:
``dX_pad[slice(p, q)] += W[:, :, p, q]ᵀ @ dY`` — the same sum, without writing and re-reading the
``KH·KW``-times-larger ``dX_col`` (that traffic was 40% of the backward pass).

Memory layout: when the horizontal stride is 1 the columns use "wide rows" (``_im2col.Geometry``):
each window row spans the full padded width, so the im2col copy and the col2im additions move
long contiguous runs; the few junk columns this adds are dropped from the output and receive a
zero gradient. A depthwise convolution (``C/G = 1``) skips the GEMM altogether: its "matrix" is a
single row per channel, so the forward pass is one batched product over the windows (copied
contiguous, a few samples at a time); with stride 1 the weight gradient is one batched dot product
per kernel offset over shifted runs of the padded input, and the input gradient the correlation of
the zero-extended output gradient with the flipped kernel (one batched product again).

The common dense case — a 3x3 kernel, stride 1, no dilation, one group — uses Winograd's
F(2x2, 3x3) instead (see the section below ``_depthwise_weight_grad``): 2.25x fewer
multiplications, with the backward pass as the exact adjoint of the forward transforms.

Speed (benchmarks/bench_nn.py, docs/benchmarks/nn.md): on the benchmark machine the 3x3 layer
runs at about 1.9–2x PyTorch's oneDNN direct convolution (AVX-512) in CPU time at one thread;
the im2col + GEMM path is about 2.5x, roughly PyTorch's own im2col + GEMM path.

Transposed convolution (转置卷积)
--------------------------------
The notes: "the transposed convolution does, in the forward and backward pass, the opposite of
the convolution" — precisely: it is the adjoint (transpose) of the linear map ``x ↦ conv2d(x, w)``.
Writing the convolution as a matrix ``y = C_w x``, the transposed convolution is ``z = C_wᵀ u``.
So its forward pass is exactly ``conv2d``'s input-gradient computation (``W ᵀ @ cols`` then
col2im), and its input gradient is exactly ``conv2d``'s forward pass (im2col then ``W @ cols``);
the code below reuses the same three functions for both. It is not an inverse ("deconvolution" is
a misnomer, as the notes say): ``C_wᵀ C_w ≠ I``. Output size::

    H_out = (H − 1)·S − 2P + D·(KH − 1) + output_padding + 1

``output_padding`` (smaller than the stride or the dilation) chooses among the input sizes that a
strided convolution maps to the same output size. Its weight has shape ``(C_in, C_out/G, KH, KW)``
— the weight of the convolution it is the transpose of.
"""

from __future__ import annotations

import math

import numpy as np

from .. import backend
from ..autograd import Tensor
from ..autograd.ops import _as_tensor, squeeze, unsqueeze
from . import init
from . import _im2col
from ._im2col import Geometry, check_input_ndim, conv_out_size, expand
from .module import Module
from .parameter import Parameter

__all__ = [
    "conv2d", "conv1d", "conv_transpose2d", "Conv2d", "Conv1d", "ConvTranspose2d",
]

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


# ---------------------------------------------------------------------- array kernels
def _depthwise(w, groups):
    """One input channel per output channel (``C/G == 1``), where a GEMM has nothing to share."""
    return w.shape[1] == 1 and groups > 1


def _prepare_grad(g, w, geo, groups):
    """An output-shaped array (N, O, OH, OW) in the layout the backward products read: for a
    depthwise convolution ``geo.widen``; otherwise channel-major ``(O, N, OH, cols_w)``."""
    return geo.widen(g) if _depthwise(w, groups) else geo.widen_t(g)


# The dense products run channel-major: the columns are (C·KH·KW, N·OH·cols_w) and the output
# gradient (O, N·OH·cols_w), so each product is ONE GEMM per group over the whole batch (not N
# small ones — which matters for BLAS threading), and the NCHW output is restored by the copy that
# adds the bias anyway.
def _conv_forward(x, w, geo, groups, keep_cols):
    """``y = W @ im2col(x)`` per group; returns ``y`` (N, O, OH, OW) (possibly a strided view)
    and what the weight gradient needs (the columns, or for a depthwise convolution the padded
    input)."""
    if _depthwise(w, groups):
        return _depthwise_forward(x, w, geo)
    n = x.shape[0]
    o, cg, kh, kw = w.shape
    oh, cw = geo.out_hw[0], geo.cols_w
    cols = geo.im2col(x.transpose(1, 0, 2, 3), batch_inner=True)   # (C, KH, KW, N, OH, cw)
    cols_g = cols.reshape(groups, cg * kh * kw, n * oh * cw)
    w_g = w.reshape(groups, o // groups, cg * kh * kw)
    y = (w_g @ cols_g).reshape(o, n, oh, cw).transpose(1, 0, 2, 3)
    return geo.narrow(y), (cols if keep_cols else None)


def _conv_input_grad(gt, w, geo, groups):
    """``col2im(Wᵀ @ dY)``: the gradient with respect to the (unpadded) input, from the output
    gradient prepared by :func:`_prepare_grad`.

    Computed one kernel offset at a time, ``W[:, :, p, q]ᵀ @ dY`` added onto the input pixels
    that offset read, so the ``KH·KW``-times-larger column matrix is never materialised (it would
    be written once and read once: the dominant memory traffic of the backward pass).
    """
    if _depthwise(w, groups):
        return _depthwise_input_grad(gt, w, geo, groups)
    xp = backend.get_array_module(gt)
    o, n, oh, cw = gt.shape
    _, cg, kh, kw = w.shape
    gt_g = gt.reshape(groups, o // groups, n * oh * cw)
    w_t = xp.ascontiguousarray(
        w.reshape(groups, o // groups, cg, kh * kw).transpose(3, 0, 2, 1))
    buf = geo.zeros((groups * cg, n), gt.dtype, xp)
    tmp = xp.empty((groups, cg, n * oh * cw), dtype=gt.dtype)
    for k, view in enumerate(geo.offset_views(buf)):
        xp.matmul(w_t[k], gt_g, out=tmp)
        view += tmp.reshape(groups * cg, n, oh, cw)
    return geo.unpad(buf).transpose(1, 0, 2, 3)


def _conv_weight_grad(gt, saved, geo, groups, w_shape):
    """``dY @ X_colᵀ`` per group (one GEMM over the whole batch), shaped like the weight."""
    if w_shape[1] == 1 and groups > 1:
        return _depthwise_weight_grad(gt, saved, geo, w_shape)
    o = gt.shape[0]
    gt_g = gt.reshape(groups, o // groups, -1)
    cols_g = saved.reshape(groups, -1, gt_g.shape[-1])
    return (gt_g @ cols_g.swapaxes(-1, -2)).reshape(w_shape)


# A depthwise convolution (G = C, weight (m·C, 1, KH, KW)) has a 1 x KH·KW "matrix" per channel,
# so there is no GEMM to speak of. The forward pass is one batched product over the windows
# y[n, c, m] = Σ_pq w[c, m, p, q]·win[n, c, p, q] (matmul of (C, m, KH·KW) with the windows
# (N, C, KH·KW, OH·cols_w)), the windows copied contiguous first (the caller passes a few samples
# at a time, so the copy stays small): both einsum and matmul are ~10x slower on the strided
# window view, and matmul is ~2x faster than einsum on the copy. The weight gradient with stride 1
# is, per kernel offset, a dot product of dY with the flat padded input shifted by off_k (one
# batched matmul per offset, no copy); other strides use one einsum Σ_n,h,w dY·win. The input
# gradient with stride 1 is, in the flat wide-row layout, Σ_k w_k·shift(dY, off_k) — a
# correlation of the zero-extended dY with the flipped kernel, one more batched product over
# windows; other strides add w[:, p, q]·dY onto each offset view of the padded input.
def _depthwise_forward(x, w, geo):
    xp = backend.get_array_module(x)
    x_pad = geo.padded(x)
    n, c = x.shape[:2]
    k = w.shape[2] * w.shape[3]
    win = xp.ascontiguousarray(geo.windows(x_pad))              # (N, C, KH, KW, OH, cols_w)
    y = xp.matmul(w.reshape(c, w.shape[0] // c, k), win.reshape(n, c, k, -1))
    return geo.narrow(y.reshape((n, -1) + win.shape[4:])), x_pad


def _depthwise_input_grad(gy, w, geo, groups):
    xp = backend.get_array_module(gy)
    n, c = gy.shape[0], groups
    m = w.shape[0] // c
    (kh, kw), (dh, dw) = w.shape[2:], geo.dilation
    if geo.wide and geo.stride == (1, 1):
        # The padded-input gradient, flattened per plane, is Σ_k w_k·shift(dY, off_k) with
        # off_k = p·DH·Wp + q·DW: a correlation of the zero-extended dY with the flipped
        # kernel, i.e. a window view of dY itself (junk columns of dY are zero).
        hp, wp = geo.padded_hw
        reach = (kh - 1) * dh * wp + (kw - 1) * dw
        ext = xp.zeros((n, c, m, hp * wp + reach), dtype=gy.dtype)
        ext[..., reach:reach + gy.shape[2] * wp] = gy.reshape(n, c, m, -1)
        view = _im2col._as_strided(
            ext, (n, c, m, kh, kw, hp * wp),
            ext.strides[:3] + (dh * wp * ext.itemsize, dw * ext.itemsize, ext.itemsize),
            writeable=False)
        w_flip = xp.ascontiguousarray(        # BLAS needs positive strides (else ~6x slower)
            w.reshape(c, m, kh, kw)[:, :, ::-1, ::-1]).reshape(c, 1, m * kh * kw)
        plane = xp.matmul(w_flip, xp.ascontiguousarray(view).reshape(n, c, m * kh * kw, -1))
        top, _, left, _ = geo.pads
        h, w_in = geo.in_hw
        return plane.reshape(n, c, hp, wp)[:, :, top:top + h, left:left + w_in]
    w_r = w.reshape(c, m, -1)
    gy_r = gy.reshape((n, c, m) + gy.shape[2:])
    buf = geo.zeros((n, c), gy.dtype, xp)
    tmp = xp.empty((n, c) + gy.shape[2:], dtype=gy.dtype)
    for k, view in enumerate(geo.offset_views(buf)):
        if m == 1:
            xp.multiply(gy_r[:, :, 0], w_r[:, 0, k, None, None], out=tmp)
        else:
            tmp[...] = xp.einsum("ncmhw,cm->nchw", gy_r, w_r[:, :, k])
        view += tmp
    return geo.unpad(buf)


def _depthwise_weight_grad(gy, x_pad, geo, w_shape):
    xp = backend.get_array_module(gy)
    n, c = gy.shape[0], x_pad.shape[1]
    if geo.wide and geo.stride == (1, 1):
        # Kernel offset k reads the flat padded plane from off_k on, so dw[c, m, k] is a dot
        # product of two contiguous runs per (sample, channel): one batched matmul per offset
        # (no window copy; junk columns of dY are zero).
        (kh, kw), (dh, dw) = w_shape[2:], geo.dilation
        wp, size = geo.padded_hw[1], gy.shape[2] * gy.shape[3]
        gy_r = gy.reshape(n, c, -1, size)
        dots = xp.empty((kh * kw, n, c, gy_r.shape[2], 1), dtype=gy.dtype)
        for k in range(kh * kw):
            off = (k // kw) * dh * wp + (k % kw) * dw
            xp.matmul(gy_r, x_pad[:, :, off:off + size, None], out=dots[k])
        return dots.sum(axis=1)[..., 0].transpose(1, 2, 0).reshape(w_shape)
    gy_r = gy.reshape((n, c, -1) + gy.shape[2:])
    gw = xp.einsum("ncmhw,ncpqhw->cmpq", gy_r, xp.ascontiguousarray(geo.windows(x_pad)))
    return gw.reshape(w_shape)


# ---------------------------------------------------------------------- Winograd F(2x2, 3x3)
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
_WINO_G = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.0, 0.0, 1.0]])


def _winograd_ok(w, geo, groups):
    return (groups == 1 and tuple(w.shape[2:]) == (3, 3) and geo.stride == (1, 1)
            and geo.dilation == (1, 1))


class _Winograd:
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

    def weight(self, w):
        """U = G w Gᵀ as (16, O, C)."""
        xp = backend.get_array_module(w)
        g = xp.asarray(_WINO_G, dtype=w.dtype)
        o, c = w.shape[:2]
        return xp.einsum("ap,ocpq,bq->aboc", g, w, g).reshape(16, o, c)

    def weight_adjoint(self, du, shape):
        """dw = Gᵀ dU G from dU (16, O, C)."""
        xp = backend.get_array_module(du)
        g = xp.asarray(_WINO_G, dtype=du.dtype)
        o, c = shape[:2]
        return xp.einsum("ap,aboc,bq->ocpq", g, du.reshape(4, 4, o, c), g)

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

    def output(self, m, out):
        """Y = Aᵀ M A from M (16, O, N·run) (overwritten), written into ``out``
        (N, O, 2·th, 2·tw)."""
        n, o, th, tw = out.shape[0], out.shape[1], self.th, self.tw
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


# ---------------------------------------------------------------------- padding modes
def _mode_index(size, lo, hi, mode):
    i = np.arange(-lo, size + hi)
    if mode == "reflect":
        i = np.abs(i)
        return np.where(i >= size, 2 * (size - 1) - i, i)
    if mode == "replicate":
        return np.clip(i, 0, size - 1)
    return i % size


def _mode_pad(x, pads, mode, layer):
    """Reflect / replicate / circular padding of the last two axes, with its backward.

    Each padded axis is a gather ``x[..., idx]``; its adjoint sums the gradient back through the
    one-hot selection matrix ``S`` (``dx = Sₕᵀ · g · S_w``), so edge pixels that were copied
    several times receive the sum of their copies' gradients.
    """
    top, bottom, left, right = pads
    h, w = x.shape[-2:]
    for size, lo, hi, axis in ((h, top, bottom, "height"), (w, left, right, "width")):
        limit = size if mode == "circular" else size - 1
        if mode != "replicate" and max(lo, hi) > limit:
            raise ValueError(
                f"{layer}: padding ({lo}, {hi}) along the {axis} must be at most {limit} for "
                f"padding_mode={mode!r}, got input shape {x.shape}"
            )
    xp = x.xp
    ih = xp.asarray(_mode_index(h, top, bottom, mode))
    iw = xp.asarray(_mode_index(w, left, right, mode))
    out = x.data.take(ih, axis=-2).take(iw, axis=-1)

    def backward(g):
        sel_h = (ih[:, None] == xp.arange(h)[None, :]).astype(g.dtype)
        sel_w = (iw[:, None] == xp.arange(w)[None, :]).astype(g.dtype)
        return (sel_h.T @ g @ sel_w,)

    return Tensor._make(out, (x,), backward, "Pad")


# ---------------------------------------------------------------------- validation
def _check_float(layer, **tensors):
    dtypes = {name: t.dtype for name, t in tensors.items() if t is not None}
    for name, dtype in dtypes.items():
        if dtype.kind != "f":
            raise TypeError(f"{layer}: {name} must be a floating tensor, got dtype {dtype}")
    if len(set(dtypes.values())) > 1:
        listing = ", ".join(f"{k} {v}" for k, v in dtypes.items())
        raise TypeError(f"{layer}: input, weight and bias must have the same dtype, got {listing}")


def _conv_padding(padding, kernel, stride, dilation, layer):
    """``(top, bottom, left, right)`` from an int, a tuple, ``'same'`` or ``'valid'``."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError(
                    f"{layer}: padding='same' is not supported for strided convolutions "
                    f"(stride={stride})"
                )
            totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
            # an odd total puts the extra row/column at the bottom/right, as PyTorch
            return (totals[0] // 2, totals[0] - totals[0] // 2,
                    totals[1] // 2, totals[1] - totals[1] // 2)
        raise ValueError(
            f"{layer}: invalid padding string {padding!r}, should be one of 'valid' or 'same'"
        )
    ph, pw = expand(padding, 2, "padding", layer, allow_zero=True)
    return (ph, ph, pw, pw)


def _check_conv(x, weight, bias, groups, layer, transposed=False):
    if weight.ndim != 4:
        layout = "(C_in, C_out/groups, KH, KW)" if transposed else "(C_out, C_in/groups, KH, KW)"
        raise ValueError(f"{layer}: weight must be 4-D {layout}, got shape {weight.shape}")
    if not isinstance(groups, (int, np.integer)) or isinstance(groups, bool) or groups < 1:
        raise ValueError(f"{layer}: groups must be a positive integer, got {groups!r}")
    c = x.shape[1]
    if transposed:
        expected = weight.shape[0]
        if expected % groups:
            raise ValueError(
                f"{layer}: groups={groups} does not divide the weight's {expected} input channels "
                f"(weight shape {weight.shape})"
            )
        out_channels = weight.shape[1] * groups
    else:
        expected = weight.shape[1] * groups
        out_channels = weight.shape[0]
        if out_channels % groups:
            raise ValueError(
                f"{layer}: groups={groups} does not divide the {out_channels} output channels "
                f"(weight shape {weight.shape})"
            )
    if c != expected:
        raise ValueError(
            f"{layer} expected {expected} input channels, got {c} (input shape {x.shape}, "
            f"weight shape {weight.shape}, groups={groups})"
        )
    if bias is not None and bias.shape != (out_channels,):
        raise ValueError(
            f"{layer}: bias must have shape ({out_channels},), got {bias.shape}"
        )


def _check_kernel_fits(h, w, pads, kernel, dilation, x_shape, layer):
    hp, wp = h + pads[0] + pads[1], w + pads[2] + pads[3]
    eh, ew = (d * (k - 1) + 1 for k, d in zip(kernel, dilation))
    if eh > hp or ew > wp:
        raise ValueError(
            f"{layer}: kernel size {kernel} (dilated extent {eh}x{ew}) is larger than the padded "
            f"input {hp}x{wp} (input shape {x_shape}, padding {pads})"
        )


# ---------------------------------------------------------------------- functional ops
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D convolution (cross-correlation) over ``(N, C, H, W)`` or unbatched ``(C, H, W)``.

    ``weight``: ``(O, C/groups, KH, KW)``; ``bias``: ``(O,)`` or None. ``padding``: int, pair,
    ``'valid'`` (0) or ``'same'`` (output size = input size; stride 1 only; an odd total padding
    puts the extra row/column at the bottom/right, as PyTorch). Returns ``(N, O, OH, OW)`` with
    ``OH = floor((H + 2P − D·(KH − 1) − 1)/S) + 1``. See the module docstring for the math and the
    backward pass.
    """
    return _conv2d(input, weight, bias, stride, padding, dilation, groups, "conv2d")


def _conv2d(x, weight, bias, stride, padding, dilation, groups, layer, padding_mode="zeros"):
    x, weight = _as_tensor(x), _as_tensor(weight)
    bias = None if bias is None else _as_tensor(bias)
    if not check_input_ndim(x, 2, layer):
        out = _conv2d(unsqueeze(x, 0), weight, bias, stride, padding, dilation, groups, layer,
                      padding_mode)
        return squeeze(out, 0)
    _check_float(layer, input=x, weight=weight, bias=bias)
    _check_conv(x, weight, bias, groups, layer)
    stride = expand(stride, 2, "stride", layer)
    dilation = expand(dilation, 2, "dilation", layer)
    kernel = weight.shape[2:]
    pads = _conv_padding(padding, kernel, stride, dilation, layer)
    n, _, h, w = x.shape
    _check_kernel_fits(h, w, pads, kernel, dilation, x.shape, layer)
    if padding_mode != "zeros" and any(pads):
        x = _mode_pad(x, pads, padding_mode, layer)
        pads, h, w = (0, 0, 0, 0), x.shape[2], x.shape[3]
    oh = conv_out_size(h, kernel[0], stride[0], pads[0] + pads[1], dilation[0])
    ow = conv_out_size(w, kernel[1], stride[1], pads[2] + pads[3], dilation[1])

    geo = Geometry((h, w), pads, kernel, stride, dilation, (oh, ow))
    if _winograd_ok(weight.data, geo, groups):
        return _conv2d_winograd(x, weight, bias, geo)
    if _depthwise(weight.data, groups):
        return _conv2d_depthwise(x, weight, bias, geo, groups)
    y, saved = _conv_forward(x.data, weight.data, geo, groups, keep_cols=weight.requires_grad)
    # one pass either way: the bias add or the copy makes the output contiguous
    y = y + bias.data[:, None, None] if bias is not None else x.xp.ascontiguousarray(y)

    def backward(g):
        gx = gw = gb = None
        if bias is not None and bias.requires_grad:
            gb = g.sum(axis=(0, 2, 3))
        g = _prepare_grad(g, weight.data, geo, groups)  # once, for both products below
        if x.requires_grad:
            gx = _conv_input_grad(g, weight.data, geo, groups)
        if weight.requires_grad:
            gw = _conv_weight_grad(g, saved, geo, groups, weight.shape)
        return (gx, gw) if bias is None else (gx, gw, gb)

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(y, parents, backward, "Conv2d")


# Samples per Winograd chunk: the transforms and products run over a few samples at a time so
# that their temporaries stay in cache (and small enough to be reused by the allocator rather than
# mapped afresh, which costs a page fault per 4 KiB on every step).
_WINO_CHUNK_BYTES = 1 << 21


def _conv2d_winograd(x, weight, bias, geo):
    """conv2d through Winograd F(2x2, 3x3) (see above), with its adjoint backward pass.

    Runs over chunks of samples. Each chunk's input transform V is kept for the weight
    gradient, in the same allocation as the output: kept as separate arrays (6.6 MiB for the
    benchmark layer) they made the allocator map fresh pages on every step, and those page faults
    cost more than recomputing V."""
    xp = x.xp
    wino = _Winograd(geo)
    n = x.shape[0]
    o, c = weight.shape[:2]
    step = max(1, _WINO_CHUNK_BYTES // (16 * max(o, c) * wino.run * x.data.itemsize))
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
        if bias is not None:            # M[1, 1] reaches all four outputs of a tile with weight 1
            m[5] += bias.data[:, None]
        wino.output(m, full[lo:lo + step])
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


# Samples per depthwise chunk (bytes of one chunk's output), for the same reasons as Winograd's.
_DEPTHWISE_CHUNK_BYTES = 1 << 19


def _conv2d_depthwise(x, weight, bias, geo, groups):
    """A depthwise conv2d (see _depthwise_forward) run over chunks of samples, so that the
    per-offset passes work on cache-resident arrays; the backward pass re-pads each chunk."""
    xp = x.xp
    n = x.shape[0]
    o = weight.shape[0]
    oh, ow = geo.out_hw
    step = max(1, _DEPTHWISE_CHUNK_BYTES // (o * oh * geo.cols_w * x.data.itemsize))
    y = xp.empty((n, o, oh, ow), dtype=x.dtype)
    for lo in range(0, n, step):
        y[lo:lo + step] = _depthwise_forward(x.data[lo:lo + step], weight.data, geo)[0]
    if bias is not None:
        y += bias.data[:, None, None]

    def backward(g):
        gx = gw = gb = None
        if bias is not None and bias.requires_grad:
            gb = g.sum(axis=(0, 2, 3))
        if x.requires_grad:
            gx = xp.empty(x.shape, dtype=x.dtype)
        if weight.requires_grad:
            gw = xp.zeros(weight.shape, dtype=weight.dtype)
        for lo in range(0, n, step):
            gc = geo.widen(g[lo:lo + step])
            if gx is not None:
                gx[lo:lo + step] = _depthwise_input_grad(gc, weight.data, geo, groups)
            if gw is not None:
                gw += _depthwise_weight_grad(gc, geo.padded(x.data[lo:lo + step]), geo,
                                             weight.shape)
        return (gx, gw) if bias is None else (gx, gw, gb)

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(y, parents, backward, "Conv2d")


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D convolution over ``(N, C, L)`` or ``(C, L)``: conv2d on a height-1 image.

    ``weight``: ``(O, C/groups, K)``. ``L_out = floor((L + 2P − D·(K − 1) − 1)/S) + 1``.
    """
    return _conv1d(input, weight, bias, stride, padding, dilation, groups, "conv1d")


def _conv1d(x, weight, bias, stride, padding, dilation, groups, layer, padding_mode="zeros"):
    x, weight = _as_tensor(x), _as_tensor(weight)
    batched = check_input_ndim(x, 1, layer)
    if weight.ndim != 3:
        raise ValueError(f"{layer}: weight must be 3-D (C_out, C_in/groups, K), got shape "
                         f"{weight.shape}")
    if not isinstance(padding, str):
        padding = (0,) + expand(padding, 1, "padding", layer, allow_zero=True)
    stride = (1,) + expand(stride, 1, "stride", layer)
    dilation = (1,) + expand(dilation, 1, "dilation", layer)
    x4 = unsqueeze(x, -2)
    if not batched:
        x4 = unsqueeze(x4, 0)
    out = _conv2d(x4, unsqueeze(weight, 2), bias, stride, padding, dilation, groups, layer,
                  padding_mode)
    out = squeeze(out, 2)
    return out if batched else squeeze(out, 0)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """Transposed convolution (转置卷积): the adjoint of :func:`conv2d` with the same weight.

    ``weight``: ``(C_in, C_out/groups, KH, KW)``. Output ``(N, C_out, H_out, W_out)`` with
    ``H_out = (H − 1)·S − 2P + D·(KH − 1) + output_padding + 1``. The forward pass is conv2d's
    input-gradient computation (``col2im(Wᵀ @ x)``), the input gradient is conv2d's forward pass
    (``W @ im2col(dY)``) — see the module docstring. Note PyTorch's argument order: ``groups``
    comes before ``dilation``.
    """
    return _conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups,
                             dilation, "conv_transpose2d")


def _conv_transpose2d(x, weight, bias, stride, padding, output_padding, groups, dilation, layer):
    x, weight = _as_tensor(x), _as_tensor(weight)
    bias = None if bias is None else _as_tensor(bias)
    if not check_input_ndim(x, 2, layer):
        out = _conv_transpose2d(unsqueeze(x, 0), weight, bias, stride, padding, output_padding,
                                groups, dilation, layer)
        return squeeze(out, 0)
    _check_float(layer, input=x, weight=weight, bias=bias)
    _check_conv(x, weight, bias, groups, layer, transposed=True)
    stride = expand(stride, 2, "stride", layer)
    dilation = expand(dilation, 2, "dilation", layer)
    if isinstance(padding, str):
        raise ValueError(f"{layer}: padding must be an int or a pair of ints, got {padding!r}")
    pad = expand(padding, 2, "padding", layer, allow_zero=True)
    out_pad = expand(output_padding, 2, "output_padding", layer, allow_zero=True)
    for op, s, d in zip(out_pad, stride, dilation):
        if op >= s and op >= d:
            raise ValueError(
                f"{layer}: output_padding must be smaller than either stride or dilation, got "
                f"output_padding={out_pad}, stride={stride}, dilation={dilation}"
            )
    n, _, h, w = x.shape
    kernel = weight.shape[2:]
    full = tuple((size - 1) * s + d * (k - 1) + 1 + op
                 for size, s, d, k, op in zip((h, w), stride, dilation, kernel, out_pad))
    out_hw = tuple(f - 2 * p for f, p in zip(full, pad))
    if min(out_hw) < 1:
        raise ValueError(
            f"{layer}: output size {out_hw} is too small (input shape {x.shape}, kernel "
            f"{kernel}, stride {stride}, padding {pad}, dilation {dilation})"
        )
    # the convolution whose adjoint this is: input out_hw, padding pad, output (h, w)
    geo = Geometry(out_hw, (pad[0], pad[0], pad[1], pad[1]), kernel, stride, dilation, (h, w))
    x_prepared = _prepare_grad(x.data, weight.data, geo, groups)
    y = _conv_input_grad(x_prepared, weight.data, geo, groups)
    y = y + bias.data[:, None, None] if bias is not None else x.xp.ascontiguousarray(y)

    def backward(g):
        gx = gw = gb = None
        if x.requires_grad or weight.requires_grad:
            gx, saved = _conv_forward(g, weight.data, geo, groups,
                                      keep_cols=weight.requires_grad)
            if weight.requires_grad:
                gw = _conv_weight_grad(x_prepared, saved, geo, groups, weight.shape)
            if not x.requires_grad:
                gx = None
        if bias is not None and bias.requires_grad:
            gb = g.sum(axis=(0, 2, 3))
        return (gx, gw) if bias is None else (gx, gw, gb)

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(y, parents, backward, "ConvTranspose2d")


# ---------------------------------------------------------------------- modules
class _ConvNd(Module):
    """Shared parameter set-up: PyTorch's default initialisation.

    ``weight ~ kaiming_uniform_(a=√5)``, i.e. ``U(−1/√fan_in, 1/√fan_in)`` with
    ``fan_in = weight.shape[1]·KH·KW``, and ``bias ~ U(−1/√fan_in, 1/√fan_in)`` with the same
    ``fan_in`` (for the transposed convolution ``weight.shape[1] = C_out/groups``, PyTorch's
    convention).
    """

    _name = "Conv"
    _spatial = 2

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation, groups,
                 bias, padding_mode, transposed, output_padding=0, dtype=None):
        super().__init__()
        name, n = self._name, self._spatial
        for arg, value in (("in_channels", in_channels), ("out_channels", out_channels)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name}: {arg} must be a positive integer, got {value!r}")
        if not isinstance(groups, (int, np.integer)) or isinstance(groups, bool) or groups < 1:
            raise ValueError(f"{name}: groups must be a positive integer, got {groups!r}")
        if in_channels % groups:
            raise ValueError(f"{name}: in_channels={in_channels} must be divisible by "
                             f"groups={groups}")
        if out_channels % groups:
            raise ValueError(f"{name}: out_channels={out_channels} must be divisible by "
                             f"groups={groups}")
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"{name}: padding_mode must be one of {_PADDING_MODES}, got "
                             f"{padding_mode!r}")
        kernel = expand(kernel_size, n, "kernel_size", name)
        stride_t = expand(stride, n, "stride", name)
        dilation_t = expand(dilation, n, "dilation", name)
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(f"{name}: invalid padding string {padding!r}, should be one of "
                                 "'valid' or 'same'")
            if padding == "same" and any(s != 1 for s in stride_t):
                raise ValueError(f"{name}: padding='same' is not supported for strided "
                                 f"convolutions (stride={stride_t})")
            padding_t = padding
        else:
            padding_t = expand(padding, n, "padding", name, allow_zero=True)
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding = kernel, stride_t, padding_t
        self.dilation, self.groups, self.padding_mode = dilation_t, groups, padding_mode
        self.transposed = transposed
        self.output_padding = expand(output_padding, n, "output_padding", name, allow_zero=True)
        dtype = backend.get_default_dtype() if dtype is None else np.dtype(dtype)
        shape = ((in_channels, out_channels // groups) if transposed
                 else (out_channels, in_channels // groups)) + kernel
        self.weight = Parameter(Tensor(np.empty(shape, dtype=dtype)))
        self.bias = Parameter(Tensor(np.empty(out_channels, dtype=dtype))) if bias else None
        if not bias:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in, _ = init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
            init.uniform_(self.bias, -bound, bound)

    def _check_channels(self, x):
        if x.ndim in (self._spatial + 1, self._spatial + 2):
            c = x.shape[0] if x.ndim == self._spatial + 1 else x.shape[1]
            if c != self.in_channels:
                raise ValueError(
                    f"{self._name} expected {self.in_channels} input channels, got {c} "
                    f"(input shape {tuple(x.shape)})"
                )

    def extra_repr(self):
        n = self._spatial
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, " \
            f"stride={self.stride}"
        if self.padding != (0,) * n:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            s += f", dilation={self.dilation}"
        if self.output_padding != (0,) * n:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode!r}"
        return s


class Conv2d(_ConvNd):
    """2-D convolution layer (see :func:`conv2d` and the module docstring).

    ``Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1,
    bias=True, padding_mode='zeros', device=None, dtype=None)`` — PyTorch's signature.
    ``padding_mode`` ``'reflect'``/``'replicate'``/``'circular'`` pads the input with that rule
    before a zero-padding-free convolution. Weight ``(out, in/groups, KH, KW)``.
    """

    _name = "Conv2d"

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups,
                         bias, padding_mode, False, dtype=dtype)

    def forward(self, input):
        self._check_channels(input)
        return _conv2d(input, self.weight, self.bias, self.stride, self.padding, self.dilation,
                       self.groups, "Conv2d", self.padding_mode)


class Conv1d(_ConvNd):
    """1-D convolution layer over ``(N, C, L)``: weight ``(out, in/groups, K)``."""

    _name = "Conv1d"
    _spatial = 1

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups,
                         bias, padding_mode, False, dtype=dtype)

    def forward(self, input):
        self._check_channels(input)
        return _conv1d(input, self.weight, self.bias, self.stride, self.padding, self.dilation,
                       self.groups, "Conv1d", self.padding_mode)


class ConvTranspose2d(_ConvNd):
    """Transposed 2-D convolution (转置卷积): the adjoint of Conv2d (see :func:`conv_transpose2d`).

    ``ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0,
    output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros', device=None,
    dtype=None)``; weight ``(in, out/groups, KH, KW)``. ``forward(input, output_size=None)``:
    ``output_size`` picks ``output_padding`` so that the output has that height and width.
    """

    _name = "ConvTranspose2d"

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros",
                 device=None, dtype=None):
        if padding_mode != "zeros":
            raise ValueError(f"ConvTranspose2d: only padding_mode='zeros' is supported, got "
                             f"{padding_mode!r}")
        if isinstance(padding, str):
            raise ValueError(f"ConvTranspose2d: padding must be an int or a pair of ints, got "
                             f"{padding!r}")
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups,
                         bias, padding_mode, True, output_padding=output_padding, dtype=dtype)

    def _output_padding(self, x, output_size):
        if output_size is None:
            return self.output_padding
        size = tuple(int(s) for s in output_size)[-2:]
        if len(size) != 2:
            raise ValueError(f"ConvTranspose2d: output_size must have 2 or 4 entries, got "
                             f"{output_size!r}")
        extra = []
        for i, want in enumerate(size):
            smallest = ((x.shape[-2 + i] - 1) * self.stride[i] - 2 * self.padding[i]
                        + self.dilation[i] * (self.kernel_size[i] - 1) + 1)
            if not smallest <= want < smallest + self.stride[i]:
                raise ValueError(
                    f"ConvTranspose2d: requested output size {size} is not reachable from input "
                    f"shape {tuple(x.shape)}: height/width must lie in "
                    f"[{smallest}, {smallest + self.stride[i] - 1}] along axis {i}"
                )
            extra.append(want - smallest)
        return tuple(extra)

    def forward(self, input, output_size=None):
        self._check_channels(input)
        return _conv_transpose2d(input, self.weight, self.bias, self.stride, self.padding,
                                 self._output_padding(input, output_size), self.groups,
                                 self.dilation, "ConvTranspose2d")
