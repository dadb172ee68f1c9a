"""Depthwise convolution kernels (``groups = C``, weight ``(m·C, 1, KH, KW)``), used by
:func:`whiteboard.nn.conv2d` when every output channel reads one input channel.

A GEMM has nothing to share here: each channel's "matrix" is a single ``1 x KH·KW`` row. With
stride 1 (the common case) :func:`conv2d_depthwise` splits every kernel offset into its column
part and its row part over channel-major flat signals ("rows of taps", see ``_taps``): KW shifted
copies, one small BLAS product per block of channels, KH − 1 shifted additions — forward, input
gradient (the same correlation of the zero-extended output gradient with the flipped kernel) and
weight gradient (batched dot products of the same shifted copies with the input). Other strides,
and the depthwise products that :mod:`._conv_gemm` calls for a depthwise transposed convolution,
use one batched product over the windows (copied contiguous, a few samples at a time); there,
with stride 1, the weight gradient is one batched dot product per kernel offset over shifted runs
of the padded input, and the input gradient one more batched product over the windows of the
zero-extended output gradient. Tests: ``tests/nn/test_conv_depthwise.py``.
"""

import numpy as np

from .. import backend, jit
from ..autograd import Tensor
from . import _conv_depthwise_jit, _im2col


def is_depthwise(w, groups):
    """One input channel per output channel (``C/G == 1``), where a GEMM has nothing to share."""
    return w.shape[1] == 1 and groups > 1


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
def depthwise_forward(x, w, geo):
    x_pad = geo.padded(x)
    return depthwise_forward_padded(x_pad, w, geo), x_pad


def depthwise_forward_padded(x_pad, w, geo):
    """The forward pass on an already padded input (from ``geo.padded``)."""
    xp = backend.get_array_module(x_pad)
    n, c = x_pad.shape[:2]
    k = w.shape[2] * w.shape[3]
    win = xp.ascontiguousarray(geo.windows(x_pad))              # (N, C, KH, KW, OH, cols_w)
    y = xp.matmul(w.reshape(c, w.shape[0] // c, k), win.reshape(n, c, k, -1))
    return geo.narrow(y.reshape((n, -1) + win.shape[4:]))


def depthwise_input_grad(gy, w, geo, groups):
    xp = backend.get_array_module(gy)
    n, c = gy.shape[0], groups
    m = w.shape[0] // c
    if geo.wide and geo.stride == (1, 1):
        ext, _ = _extended(gy, geo, c, m, wide=True)
        return _input_grad_from_ext(ext, w, geo)
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


def _extended(gy, geo, c, m, wide):
    """The output gradient zero-extended in front by the kernel's reach, flat per plane:
    ``ext`` (N, C, m, Hp·Wp + reach), and the run of it that is ``dY`` in the wide-row layout
    (N, C·m, OH, Wp), junk columns zero. ``gy`` is (N, C·m, OH, OW), or already wide if ``wide``
    (one pass either way: the caller need not widen first)."""
    xp = backend.get_array_module(gy)
    n = gy.shape[0]
    (kh, kw), (dh, dw) = geo.kernel, geo.dilation
    hp, wp = geo.padded_hw
    oh, ow = geo.out_hw
    reach = (kh - 1) * dh * wp + (kw - 1) * dw
    ext = xp.zeros((n, c, m, hp * wp + reach), dtype=gy.dtype)
    run = ext[..., reach:reach + oh * wp].reshape(n, c * m, oh, wp)
    if wide:
        run[...] = gy
    else:
        run[..., :ow] = gy
    return ext, run


def _input_grad_from_ext(ext, w, geo):
    """The padded-input gradient, flattened per plane, is Σ_k w_k·shift(dY, off_k) with
    off_k = p·DH·Wp + q·DW: a correlation of the zero-extended dY with the flipped kernel,
    i.e. a window view of ``ext`` (one batched product over the copied windows)."""
    xp = backend.get_array_module(ext)
    n, c, m = ext.shape[:3]
    (kh, kw), (dh, dw) = geo.kernel, geo.dilation
    hp, wp = geo.padded_hw
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


def depthwise_weight_grad(gy, x_pad, geo, w_shape):
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


# Stride 1, channel-major ("rows of taps"). Each channel's padded planes of the whole batch are
# laid end to end as one flat signal s (C, N·Hp·Wp + tail), so kernel offset (p, q) reads s
# shifted by off = p·DH·Wp + q·DW and the convolution is y[t] = Σ_pq w[p, q]·s[t + off] (junk at
# the padded columns/rows, dropped). Split the offset into its column part and its row part:
#     Q[q, v] = s[v + q·DW]              (KW shifted copies: contiguous slices, a cheap memcpy)
#     R = W @ Q                          (W: (m·KH, KW) per channel, one BLAS product)
#     y[t] = Σ_p R[p, t + p·DH·Wp]       (KH − 1 additions of shifted contiguous runs)
# — KW copies instead of the KH·KW-fold window copy, and no overlapping view for BLAS to refuse.
# The input gradient is the same correlation of the zero-extended dY with the flipped kernel
# (the adjoint), and the weight gradient reads the same shifted copies of dY:
#     dW[p, KW−1−q'] = Σ_v E[q', v]·s[v − (KH−1−p)·DH·Wp]        (E: dY's shifted copies)
# one batched matrix–vector product per chunk. Chunks are blocks of channels x samples whose
# copies stay in L2 (bytes of shifted copies + products per chunk: 2 MiB, one channel of the
# whole 32x28x28 batch; 1, 1/2 and 4 MiB were slower).
CHUNK_BYTES = 1 << 21


def _taps(src, w_rows, kernel, dilation, wp, length, work, dst=None, crop=None, bias=None,
          shift=None):
    """The correlation of flat signals ``src`` (B, I, L) with per-channel kernels
    ``w_rows`` (B, O·KH, I·KW) (row o·KH + p, column i·KW + q holds w[o, i, p, q]):
    ``out[b, o, t] = Σ_ipq w[o, i, p, q]·src[b, i, t + p·DH·Wp + q·DW]`` (+ ``bias[b, o]``) for
    t < ``length``, added straight into ``dst`` = ``out.reshape(shape)[index]`` with
    ``crop = (shape, index)`` (the caller's view of its NCHW result, so that the result is
    written by the additions themselves, with no copy); skipped without ``dst``.
    Returns the shifted copies Q (B, I·KW, length + (KH−1)·DH·Wp), carved with the products
    out of the flat buffer ``work`` (reused from chunk to chunk: fresh chunk-sized arrays can
    cost a page fault per 4 KiB when glibc hands them back each time).
    With ``shift`` the rows are unpadded (width ``wp`` = the image width) and column offset q
    reads image column j + q·DW − ``shift``: the columns where that leaves the image (and the
    flat shift wraps into the next row) are zeroed in Q."""
    xp = backend.get_array_module(src)
    (kh, kw), (dh, dw) = kernel, dilation
    b, i = src.shape[:2]
    row = dh * wp
    span = length + (kh - 1) * row
    rows = w_rows.shape[1]
    q = work[:b * i * kw * span].reshape(b, i, kw, span)
    for k in range(kw):
        q[:, :, k] = src[:, :, k * dw:k * dw + span]
    if shift is not None:
        grid = q.reshape(b, i, kw, span // wp, wp)
        for k in range(kw):
            off = k * dw - shift
            for j in list(range(min(wp, -off))) + list(range(max(0, wp - off), wp)):
                grid[:, :, k, :, j] = 0
    q = q.reshape(b, i * kw, span)
    if dst is None:
        return q
    r = work[q.size:q.size + b * rows * span].reshape(b, rows, span)
    xp.matmul(w_rows, q, out=r)
    r = r.reshape(b, -1, kh, span)
    if bias is not None:
        r[:, :, 0] += bias[:, :, None]
    shape, index = crop
    runs = [r[:, :, p, p * row:p * row + length] for p in range(kh)]
    if kh > 2:
        # all but the last row summed in cache, so that dst is written once (0.76 → 0.55 ms
        # for the 3x3 case: two passes over the strided NCHW result were the costliest part)
        acc = work[q.size + r.size:q.size + r.size + b * (rows // kh) * length].reshape(
            b, rows // kh, length)
        xp.add(runs[0], runs[1], out=acc)
        for run in runs[2:-1]:
            acc += run
        runs = [acc, runs[-1]]
    if kh == 1:
        dst[...] = runs[0].reshape(shape)[index]
    else:
        xp.add(runs[0].reshape(shape)[index], runs[1].reshape(shape)[index], out=dst)
    return q


def _work(chunks, plane, reach, rows, cols, xp, dtype):
    """One flat buffer big enough for :func:`_taps` on the largest of ``chunks``."""
    b = max(c1 - c0 for c0, c1, _, _ in chunks)
    span = max(n1 - n0 for _, _, n0, n1 in chunks) * plane + reach
    return xp.empty(b * (cols + 2 * rows) * span, dtype=dtype)


def _chunks(c, n, plane, per_channel):
    """(channel, sample) blocks of about CHUNK_BYTES of shifted copies each."""
    per_sample = per_channel * plane
    ns = max(1, min(n, CHUNK_BYTES // max(1, per_sample)))
    cb = max(1, min(c, CHUNK_BYTES // max(1, per_sample * ns)))
    return [(c0, min(c, c0 + cb), n0, min(n, n0 + ns))
            for c0 in range(0, c, cb) for n0 in range(0, n, ns)]


def _stride1(x, weight, bias, geo):
    """conv2d_depthwise for stride 1 when no padding exceeds the kernel's reach (the output is
    at most as wide as the input): rows of taps over UNPADDED rows. Each sample is a block of
    H + (KH−1)·DH rows of width W, the image's rows first and zero rows after (which also serve
    as the next sample's top padding), so the copies between NCHW and this layout move whole
    H·W planes (for a same-size output); the horizontal padding is the zeroed wrap-around
    columns of the shifted copies (``_taps(shift=...)``), and output columns past OW are junk.
    The same layout of x serves the forward pass and the weight gradient; dY gets its own blocks
    (rows of width W, zero beyond OW) with (KH−1)·DH − top zero rows above it, for the flipped
    kernel's correlation."""
    xp = x.xp
    n, c, h, w_in = x.shape
    o, _, kh, kw = weight.shape
    m = o // c
    (dh, dw), (oh, ow) = geo.dilation, geo.out_hw
    top, _, left, _ = geo.pads
    g_left = (kw - 1) * dw - left                  # dY's column offset in the adjoint
    reach = (kh - 1) * dh
    hb, row = h + reach, dh * w_in
    plane = hb * w_in
    margin = reach * w_in + left                   # zeros before the first block of x
    itemsize = x.data.itemsize
    chunks = _chunks(c, n, plane, (kw + m * kh + m * kw + kh) * itemsize // 2)
    cb, ns = chunks[0][1] - chunks[0][0], chunks[0][3] - chunks[0][2]
    tail = reach * w_in + (kw - 1) * dw + 1

    def signal(buf, c0, c1, n0, n1):
        """x[n0:n1, c0:c1] in the block layout: (c1 − c0, 1, margin + (n1 − n0)·plane + ...)."""
        buf[:c1 - c0, 0, margin:margin + (n1 - n0) * plane].reshape(
            c1 - c0, n1 - n0, plane)[:, :, :h * w_in] = x.data[n0:n1, c0:c1].reshape(
                n1 - n0, c1 - c0, h * w_in).transpose(1, 0, 2)
        return buf[:c1 - c0]

    w_rows = weight.data.reshape(c, m * kh, kw)
    y = xp.empty((n, o, oh, ow), dtype=x.dtype)
    b_m = None if bias is None else bias.data.reshape(c, m)
    s_buf = xp.zeros((cb, 1, margin + ns * plane + tail), dtype=x.dtype)
    work = _work(chunks, plane, reach * w_in, m * kh, kw, xp, x.dtype)
    start = (reach - top) * w_in
    for c0, c1, n0, n1 in chunks:
        cb_, ns_ = c1 - c0, n1 - n0
        sig = signal(s_buf, c0, c1, n0, n1)
        _taps(sig[:, :, start:], w_rows[c0:c1], (kh, kw), (dh, dw), w_in, ns_ * plane, work,
              dst=y[n0:n1, c0 * m:c1 * m].reshape(ns_, cb_, m, oh, ow).transpose(1, 2, 0, 3, 4),
              crop=((cb_, m, ns_, hb, w_in), (Ellipsis, slice(oh), slice(ow))),
              bias=None if b_m is None else b_m[c0:c1], shift=left)
    del s_buf, work

    def backward(g):
        gx = gw = gb = None
        if bias is not None and bias.requires_grad:
            gb = g.sum(axis=(0, 2, 3))
        if not (x.requires_grad or weight.requires_grad):
            return (gx, gw) if bias is None else (gx, gw, gb)
        w_flip = xp.ascontiguousarray(
            weight.data.reshape(c, m, kh, kw)[:, :, ::-1, ::-1].transpose(0, 2, 1, 3)
        ).reshape(c, kh, m * kw)
        if x.requires_grad:
            gx = xp.empty(x.shape, dtype=x.dtype)
        if weight.requires_grad:
            acc = xp.zeros((c, m * kw, kh), dtype=weight.dtype)
            s_buf = xp.zeros((cb, 1, margin + ns * plane + tail), dtype=x.dtype)
            rows_buf = xp.empty((cb, kh, ns * plane), dtype=x.dtype)
        g_top = reach - top
        g_buf = xp.zeros((cb, m, g_left + ns * plane + tail), dtype=g.dtype)
        work = _work(chunks, plane, reach * w_in, kh, m * kw, xp, g.dtype)
        g5 = g.reshape(n, c, m, oh, ow)
        for c0, c1, n0, n1 in chunks:
            length = (n1 - n0) * plane
            g_buf[:c1 - c0, :, g_left:g_left + length].reshape(c1 - c0, m, n1 - n0, hb, w_in)[
                ..., g_top:g_top + oh, :ow] = g5[n0:n1, c0:c1].transpose(1, 2, 0, 3, 4)
            cb_, ns_ = c1 - c0, n1 - n0
            e = _taps(g_buf[:cb_], w_flip[c0:c1], (kh, kw), (dh, dw), w_in, length, work,
                      dst=None if gx is None else gx[n0:n1, c0:c1].reshape(
                          ns_, cb_, h * w_in).transpose(1, 0, 2)[:, None],
                      crop=((cb_, 1, ns_, plane), (Ellipsis, slice(h * w_in))),
                      shift=g_left)
            if weight.requires_grad:
                # dW[p, KW−1−q'] = Σ_v E[q', v]·x at block position v − (KH−1−p)·DH rows,
                # i.e. the x buffer from left + p·DH·W on
                sig = signal(s_buf, c0, c1, n0, n1)
                s_rows = rows_buf[:c1 - c0, :, :length]
                for p in range(kh):
                    s_rows[:, p] = sig[:, 0, left + p * row:left + p * row + length]
                acc[c0:c1] += xp.matmul(e[:, :, :length], s_rows.transpose(0, 2, 1))
        if weight.requires_grad:
            gw = acc.reshape(c, m, kw, kh)[:, :, ::-1].transpose(0, 1, 3, 2).reshape(
                weight.shape)
        if not x.requires_grad:
            gx = None
        return (gx, gw) if bias is None else (gx, gw, gb)

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(y, parents, backward, "Conv2d")


def conv2d_depthwise(x, weight, bias, geo, groups):
    """A depthwise conv2d. Stride 1 (wide rows): rows of taps over channel-major signals (see
    ``_stride1``). Otherwise the forward pass of :func:`depthwise_forward_padded` over chunks
    of samples (so that the window copies stay cache-resident), and the padded input kept for
    the backward pass. With the compiled kernels on (:mod:`whiteboard.jit`), NumPy arrays take
    the direct loops of :mod:`._conv_depthwise_jit` instead, for every stride and padding
    (float32 and float64: Numba has no float16 arithmetic)."""
    if jit.enabled() and x.xp is np and x.dtype in (np.float32, np.float64):
        return _compiled(x, weight, bias, geo)
    (kh, kw), (dh, dw) = geo.kernel, geo.dilation
    top, bottom, left, right = geo.pads
    if (geo.stride == (1, 1) and left + right <= (kw - 1) * dw
            and max(top, bottom) <= (kh - 1) * dh):
        return _stride1(x, weight, bias, geo)
    xp = x.xp
    n = x.shape[0]
    o = weight.shape[0]
    oh, ow = geo.out_hw
    step = max(1, (CHUNK_BYTES >> 4) // (o * oh * geo.cols_w * x.data.itemsize))
    x_pad = geo.padded(x.data)
    y = xp.empty((n, o, oh, ow), dtype=x.dtype)
    for lo in range(0, n, step):
        y[lo:lo + step] = depthwise_forward_padded(x_pad[lo:lo + step], weight.data, geo)
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
                gx[lo:lo + step] = depthwise_input_grad(gc, weight.data, geo, groups)
            if gw is not None:
                gw += depthwise_weight_grad(gc, x_pad[lo:lo + step], geo, weight.shape)
        return (gx, gw) if bias is None else (gx, gw, gb)

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(y, parents, backward, "Conv2d")


def _compiled(x, weight, bias, geo):
    """conv2d_depthwise through the compiled kernels; the backward pass reads x (stride 1: the
    padded planes that the forward pass made, kept if the weight needs its gradient)."""
    y, saved = _conv_depthwise_jit.forward(x.data, weight.data,
                                           None if bias is None else bias.data, geo,
                                           keep=weight.requires_grad)

    def backward(g):
        gx, gw, gb = _conv_depthwise_jit.backward(
            saved, weight.data, g, geo, x.shape, x.requires_grad, weight.requires_grad,
            bias is not None and bias.requires_grad)
        return (gx, gw) if bias is None else (gx, gw, gb)

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(y, parents, backward, "Conv2d")
