"""Compiled depthwise convolution (``groups = C``, weight ``(m·C, 1, KH, KW)``): direct loops.

The NumPy path (:mod:`._conv_depthwise`) builds the sum over the KH·KW kernel taps out of whole-
array passes (shifted copies, small products, shifted additions); each pass streams the data
through memory once, so the layer is memory-bound. A direct loop reads each input row once per
tap from L1 and keeps the output row there, which is what NumPy cannot express. Output channel
o reads input channel c = o // m, and with T = top, L = left padding:

    forward   y[n, o, i, j]  = b[o] + Σ_pq w[o, p, q]·x[n, c, i·SH + p·DH − T, j·SW + q·DW − L]
    input     dx[n, c, h, v] = Σ_{o of c} Σ_{i,j,p,q: h = i·SH + p·DH − T, v = j·SW + q·DW − L}
                               w[o, p, q]·dy[n, o, i, j]
    weight    dw[o, p, q]    = Σ_n,i,j dy[n, o, i, j]·x[n, c, i·SH + p·DH − T, j·SW + q·DW − L]

Stride 1 (:func:`depthwise_forward_flat`, :func:`depthwise_backward_flat`): each plane is
copied once into a flat zero-padded plane with rows of width Wp, so that tap (p, q) is a shift
by p·DH·Wp + q·DW and each kernel row is one contiguous loop over the whole OH·Wp output (the
three taps of a row fused when KW = 3); junk columns are dropped when the rows are copied out.
Other strides (:func:`depthwise_forward`, :func:`depthwise_backward`): one loop per (output
row, tap) over the output columns whose input column lies inside the image (a table from
:func:`_runs`). The innermost loops (contiguous where SW = 1) are vectorised by LLVM without
reassociating any sum, except the stride-1 weight gradient: one dot product per (sample,
channel, tap) of dy with the shifted plane (:func:`_dot`, reassociated so that LLVM sums it in
SIMD lanes, accumulated over samples in float64); keeping one partial sum per output position
and tap instead (the strided path) cost a (O, KH·KW, OH·Wp) buffer streamed once per sample,
and the whole backward pass 2.0 -> 1.67 ms for (32,32,28,28), more where fresh pages are
expensive. Both gradients come from one pass
over dy. Kernels are compiled per dtype (float32, float64) and run on C-contiguous NumPy
arrays; the NumPy twin is :mod:`._conv_depthwise` (same oracle tests, same tolerances).
"""

import numpy as np

from .. import jit


def _runs(geo):
    """The tap runs of a strided convolution, one row per (i, p, q) whose run is not empty:
    (i, p, q, h, j0, j1, v0) — output row i, kernel tap (p, q), input row h = i·SH + p·DH − T,
    and the output columns j0 <= j < j1 whose input column v0 + (j − j0)·SW lies in the image
    (the taps that fall in the zero padding are left out)."""
    (oh, ow), (kh, kw), (sh, sw), (dh, dw) = geo.out_hw, geo.kernel, geo.stride, geo.dilation
    top, _, left, _ = geo.pads
    h_in, w_in = geo.in_hw
    i, p, q = (a.ravel() for a in np.meshgrid(np.arange(oh), np.arange(kh), np.arange(kw),
                                              indexing="ij"))
    h, off = i * sh + p * dh - top, q * dw - left
    j0 = np.maximum(0, (sw - 1 - off) // sw)                          # ceil(−off / SW)
    j1 = np.minimum(ow, (w_in - 1 - off) // sw + 1)
    keep = (h >= 0) & (h < h_in) & (j1 > j0)
    return np.ascontiguousarray(
        np.stack([i, p, q, h, j0, j1, j0 * sw + off], axis=1)[keep], dtype=np.int64)


@jit.kernel
def depthwise_forward(x, w, b, y, runs, sw):
    """``y`` (N, O, OH, OW) = the depthwise correlation of ``x`` (N, C, H, W) with ``w``
    (O, 1, KH, KW) plus ``b`` (O,), over the tap ``runs`` of :func:`_runs` (stride ``sw``
    between the input columns of a run)."""
    n_, o_ = y.shape[0], y.shape[1]
    m = o_ // x.shape[1]
    for n in range(n_):
        for o in range(o_):
            c = o // m
            y[n, o] = b[o]
            for r in range(runs.shape[0]):
                i, p, q, h, j0, j1, v0 = runs[r]
                wv = w[o, 0, p, q]
                ys = y[n, o, i, j0:j1]
                xs = x[n, c, h, v0:v0 + (j1 - j0 - 1) * sw + 1:sw]
                for j in range(j1 - j0):
                    ys[j] += wv * xs[j]


@jit.kernel
def depthwise_backward(x, w, gy, gx, acc, need_gx, need_gw, runs, sw):
    """From ``gy`` (N, O, OH, OW), over the tap ``runs`` of :func:`_runs`: ``gx`` (N, C, H, W)
    = the input gradient (if ``need_gx``; zeroed here) and ``acc`` (O, KH, KW, OW) += the
    weight gradient's partial sums per output column (if ``need_gw``; the caller sums the last
    axis)."""
    n_, o_ = gy.shape[0], gy.shape[1]
    m = o_ // x.shape[1]
    if need_gx:
        gx[...] = 0
    for n in range(n_):
        for o in range(o_):
            c = o // m
            for r in range(runs.shape[0]):
                i, p, q, h, j0, j1, v0 = runs[r]
                gs = gy[n, o, i, j0:j1]
                stop = v0 + (j1 - j0 - 1) * sw + 1
                if need_gx:
                    wv = w[o, 0, p, q]
                    dxs = gx[n, c, h, v0:stop:sw]
                    for j in range(j1 - j0):
                        dxs[j] += wv * gs[j]
                if need_gw:
                    a = acc[o, p, q, j0:j1]
                    xs = x[n, c, h, v0:stop:sw]
                    for j in range(j1 - j0):
                        a[j] += gs[j] * xs[j]


@jit.kernel
def depthwise_forward_flat(x, w, b, y, xpad, ywide, keep, wp, dh, dw, top, left):
    """Stride 1: ``y`` (N, O, OH, OW) as :func:`depthwise_forward`, over flat planes. Each input
    plane is copied zero-padded into ``xpad[n, c]`` (Hp·Wp + tail; if ``keep``, else into
    ``xpad[0, 0]``, reused), so that kernel tap (p, q) reads it shifted by
    off = p·DH·Wp + q·DW: ``ywide[t] = b + Σ_p (Σ_q w[p, q]·xpad[t + off])`` for t < OH·Wp
    (one long contiguous loop per kernel row, the three taps of a row fused when KW = 3, else
    one per tap; the columns j >= OW of each row are junk, dropped when ``ywide`` is copied
    out)."""
    n_, o_, oh, ow = y.shape
    c_, h_, w_ = x.shape[1], x.shape[2], x.shape[3]
    kh, kw = w.shape[2], w.shape[3]
    m = o_ // c_
    length = ywide.size
    for c in range(c_):
        for n in range(n_):
            plane = xpad[n, c] if keep else xpad[0, 0]
            plane[:top * wp + left] = 0            # zero the padding only (one write per cell)
            for r in range(h_):
                start = (r + top) * wp + left
                dst = plane[start:start + w_]
                x_row = x[n, c, r]
                for v in range(w_):
                    dst[v] = x_row[v]
                plane[start + w_:start + wp] = 0       # right padding, next row's left padding
            plane[(top + h_) * wp + left:] = 0         # the bottom rows and the tail
            for k in range(m):
                o = c * m + k
                bo = b[o]
                for t in range(length):
                    ywide[t] = bo
                for p in range(kh):
                    base = p * dh * wp
                    if kw == 3:
                        w0, w1, w2 = w[o, 0, p, 0], w[o, 0, p, 1], w[o, 0, p, 2]
                        s0 = plane[base:base + length]
                        s1 = plane[base + dw:base + dw + length]
                        s2 = plane[base + 2 * dw:base + 2 * dw + length]
                        for t in range(length):
                            ywide[t] += w0 * s0[t] + w1 * s1[t] + w2 * s2[t]
                        continue
                    for q in range(kw):
                        wv = w[o, 0, p, q]
                        src = plane[base + q * dw:base + q * dw + length]
                        for t in range(length):
                            ywide[t] += wv * src[t]
                for i in range(oh):
                    y_row = y[n, o, i]
                    src = ywide[i * wp:i * wp + ow]
                    for j in range(ow):
                        y_row[j] = src[j]


@jit.kernel(fastmath={"reassoc", "contract", "nsz"})
def _dot(a, b):
    """``Σ_t a[t]·b[t]`` in the arrays' dtype, the terms summed in any order (``reassoc``:
    LLVM vectorises the reduction into SIMD lanes; NaN and inf keep their meaning)."""
    s = a[0] * 0
    for t in range(a.shape[0]):
        s += a[t] * b[t]
    return s


@jit.kernel(fastmath={"reassoc", "contract", "nsz"})
def _total(a):
    """``Σ_t a[t]`` in the array's dtype, in any order (vectorised, as :func:`_dot`)."""
    s = a[0] * 0
    for t in range(a.shape[0]):
        s += a[t]
    return s


@jit.kernel
def depthwise_backward_flat(xpad, w, gy, gx, acc, gb, need_gx, need_gw, need_gb, gext, gxwide,
                            wp, dh, dw, top, left):
    """Stride 1, over the flat planes of :func:`depthwise_forward_flat` (``xpad`` as it kept
    them). ``gext`` holds dy's plane in rows of width Wp from ``reach`` = the largest tap
    offset on (junk columns and the margins zero), i.e. g[t] = gext[reach + t]; then
    ``gxwide[u] = Σ_pq w[p, q]·g[u + T·Wp − off]`` over the image's rows (the input gradient as
    a correlation of the zero-extended dy with the flipped kernel, cropped into ``gx``), and
    ``acc[o, p·KW + q] += Σ_t g[t]·xpad[t + off]`` (the weight gradient in float64, one
    vectorised dot product per sample and tap: :func:`_dot`), and with ``need_gb`` the bias
    gradient ``gb[o] += Σ_t g[t]`` (float64). The input gradient's taps of a kernel row are
    fused when KW = 3."""
    n_, o_, oh, ow = gy.shape
    m = o_ // gx.shape[1] if need_gx else o_ // xpad.shape[1]     # xpad is kept with need_gw
    kh, kw = w.shape[2], w.shape[3]
    h_, w_ = gx.shape[2], gx.shape[3]
    reach = (kh - 1) * dh * wp + (kw - 1) * dw
    length = oh * wp                   # dy's run in gext
    span = gxwide.size                 # H·Wp: the image's rows of the padded plane
    gext[:] = 0
    for c in range(o_ // m):
        for n in range(n_):
            if need_gx:
                gxwide[:] = 0
            for k in range(m):
                o = c * m + k
                for i in range(oh):
                    g_row = gy[n, o, i]
                    dst = gext[reach + i * wp:reach + i * wp + ow]
                    for j in range(ow):
                        dst[j] = g_row[j]
                g = gext[reach:reach + length]
                if need_gb:
                    gb[o] += _total(g)
                for p in range(kh):
                    base = p * dh * wp
                    if need_gx and kw == 3:
                        w0, w1, w2 = w[o, 0, p, 0], w[o, 0, p, 1], w[o, 0, p, 2]
                        start = reach + top * wp - base
                        s0 = gext[start:start + span]
                        s1 = gext[start - dw:start - dw + span]
                        s2 = gext[start - 2 * dw:start - 2 * dw + span]
                        for u in range(span):
                            gxwide[u] += w0 * s0[u] + w1 * s1[u] + w2 * s2[u]
                    elif need_gx:
                        for q in range(kw):
                            wv = w[o, 0, p, q]
                            start = reach + top * wp - base - q * dw
                            src = gext[start:start + span]
                            for u in range(span):
                                gxwide[u] += wv * src[u]
                    if need_gw:
                        for q in range(kw):
                            src = xpad[n, c, base + q * dw:base + q * dw + length]
                            acc[o, p * kw + q] += _dot(g, src)
            if need_gx:
                gx_plane = gx[n, c]
                for r in range(h_):
                    src = gxwide[r * wp + left:r * wp + left + w_]
                    gx_row = gx_plane[r]
                    for v in range(w_):
                        gx_row[v] = src[v]


def _flat_sizes(geo):
    """Stride 1: the padded row width Wp, the flat padded plane (Hp·Wp + tail), OH·Wp."""
    (kh, kw), (dh, dw), (oh, ow) = geo.kernel, geo.dilation, geo.out_hw
    hp, wp = oh + (kh - 1) * dh, ow + (kw - 1) * dw
    return wp, hp * wp + (kw - 1) * dw, oh * wp


def forward(x, w, b, geo, keep=False):
    """The forward pass on NumPy arrays: y (N, O, OH, OW), contiguous, and what
    :func:`backward` reads of x (with ``keep`` and stride 1: the padded flat planes)."""
    x = np.ascontiguousarray(x)
    w = np.ascontiguousarray(w)
    b = np.zeros(w.shape[0], dtype=x.dtype) if b is None else np.ascontiguousarray(b, x.dtype)
    y = np.empty((x.shape[0], w.shape[0]) + tuple(geo.out_hw), dtype=x.dtype)
    (dh, dw), (top, _, left, _) = geo.dilation, geo.pads
    if geo.stride != (1, 1):
        depthwise_forward(x, w, b, y, _runs(geo), geo.stride[1])
        return y, x
    wp, plane, length = _flat_sizes(geo)
    xpad = np.empty(x.shape[:2] + (plane,) if keep else (1, 1, plane), dtype=x.dtype)
    depthwise_forward_flat(x, w, b, y, xpad, np.empty(length, dtype=x.dtype), keep, wp, dh, dw,
                           top, left)
    return y, xpad


def backward(saved, w, gy, geo, x_shape, need_gx, need_gw, need_gb=False):
    """(gx, gw, gb), each None unless needed, from the output gradient ``gy`` and ``saved``,
    the second result of :func:`forward` (kept with ``keep=need_gw``). With stride 1 the bias
    gradient comes out of the same pass over dy."""
    if not (need_gx or need_gw):
        return None, None, (gy.sum(axis=(0, 2, 3)) if need_gb else None)
    w = np.ascontiguousarray(w)
    gy = np.ascontiguousarray(gy, dtype=saved.dtype)
    o, _, kh, kw = w.shape
    gx = np.empty(x_shape if need_gx else (0, 0, 0, 0), dtype=saved.dtype)
    if geo.stride != (1, 1):
        acc = np.zeros((o, kh, kw, gy.shape[3]) if need_gw else (0, 0, 0, 0), dtype=saved.dtype)
        depthwise_backward(saved, w, gy, gx, acc, need_gx, need_gw, _runs(geo), geo.stride[1])
        acc = acc.sum(axis=-1)
        gb = gy.sum(axis=(0, 2, 3)) if need_gb else None
    else:
        (dh, dw), (top, _, left, _) = geo.dilation, geo.pads
        wp, plane, length = _flat_sizes(geo)
        acc = np.zeros((o, kh * kw) if need_gw else (0, 0))
        gb = np.zeros(o if need_gb else 0)
        reach = (kh - 1) * dh * wp + (kw - 1) * dw
        depthwise_backward_flat(saved, w, gy, gx, acc, gb, need_gx, need_gw, need_gb,
                                np.empty(reach + plane, dtype=saved.dtype),
                                np.empty(x_shape[2] * wp, dtype=saved.dtype), wp, dh, dw, top,
                                left)
        gb = gb.astype(saved.dtype) if need_gb else None
    return (gx if need_gx else None,
            acc.astype(saved.dtype, copy=False).reshape(w.shape) if need_gw else None, gb)
