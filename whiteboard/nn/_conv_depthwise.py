"""Depthwise convolution kernels (``groups = C``, weight ``(m·C, 1, KH, KW)``), used by
:func:`whiteboard.nn.conv2d` when every output channel reads one input channel.

A GEMM has nothing to share here: each channel's "matrix" is a single ``1 x KH·KW`` row. So the
forward pass is one batched product over the windows (copied contiguous, a few samples at a time);
with stride 1 the weight gradient is one batched dot product per kernel offset over shifted runs of
the padded input, and the input gradient the correlation of the zero-extended output gradient with
the flipped kernel (one batched product again). Strides other than 1 use einsum over the window
view. Tests: ``tests/nn/test_conv_depthwise.py``.
"""

from .. import backend
from ..autograd import Tensor
from . import _im2col


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


def _taps(src, w_rows, kernel, dilation, wp, length, work):
    """The correlation of flat signals ``src`` (B, I, L) with per-channel kernels
    ``w_rows`` (B, O·KH, I·KW) (row o·KH + p, column i·KW + q holds w[o, i, p, q]):
    ``out[b, o, t] = Σ_ipq w[o, i, p, q]·src[b, i, t + p·DH·Wp + q·DW]`` for t < ``length``.
    Returns ``out`` (B, O, length) and the shifted copies Q (B, I·KW, length + (KH−1)·DH·Wp),
    both carved out of the flat buffer ``work`` (reused from chunk to chunk: fresh
    chunk-sized arrays can cost a page fault per 4 KiB when glibc hands them back each time)."""
    xp = backend.get_array_module(src)
    (kh, kw), (dh, dw) = kernel, dilation
    b, i = src.shape[:2]
    row = dh * wp
    span = length + (kh - 1) * row
    rows = w_rows.shape[1]
    sizes = (b * i * kw * span, b * rows * span, b * (rows // kh) * length)
    q = work[:sizes[0]].reshape(b, i, kw, span)
    r = work[sizes[0]:sizes[0] + sizes[1]].reshape(b, rows, span)
    out = work[sizes[0] + sizes[1]:sum(sizes)].reshape(b, rows // kh, length)
    for k in range(kw):
        q[:, :, k] = src[:, :, k * dw:k * dw + span]
    q = q.reshape(b, i * kw, span)
    xp.matmul(w_rows, q, out=r)
    r = r.reshape(b, -1, kh, span)
    if kh == 1:
        out[...] = r[:, :, 0, :length]
    else:
        xp.add(r[:, :, 0, :length], r[:, :, 1, row:row + length], out=out)
    for p in range(2, kh):
        out += r[:, :, p, p * row:p * row + length]
    return out, q


def _work(chunks, plane, reach, rows, cols, xp, dtype):
    """One flat buffer big enough for :func:`_taps` on the largest of ``chunks``."""
    b = max(c1 - c0 for c0, c1, _, _ in chunks)
    length = max(n1 - n0 for _, _, n0, n1 in chunks) * plane
    span = length + reach
    return xp.empty(b * (cols * span + rows * span + rows * length), dtype=dtype)


def _chunks(c, n, plane, per_channel):
    """(channel, sample) blocks of about CHUNK_BYTES of shifted copies each."""
    per_sample = per_channel * plane
    ns = max(1, min(n, CHUNK_BYTES // max(1, per_sample)))
    cb = max(1, min(c, CHUNK_BYTES // max(1, per_sample * ns)))
    return [(c0, min(c, c0 + cb), n0, min(n, n0 + ns))
            for c0 in range(0, c, cb) for n0 in range(0, n, ns)]


def _stride1(x, weight, bias, geo, groups):
    """conv2d_depthwise for stride 1: rows of taps over channel-major flat signals (above), one
    block of channels x samples at a time. Each block's signals live in small zeroed buffers
    reused from block to block (the padding lands on the same entries every time, so its zeros
    persist); the backward pass rebuilds the block's padded input rather than keeping a
    whole-batch copy."""
    xp = x.xp
    n, c, h, w_in = x.shape
    o, _, kh, kw = weight.shape
    m = o // c
    (dh, dw), (oh, ow) = geo.dilation, geo.out_hw
    hp, wp = geo.padded_hw
    top, _, left, _ = geo.pads
    plane, row = hp * wp, dh * wp
    reach = (kh - 1) * row + (kw - 1) * dw
    itemsize = x.data.itemsize
    chunks = _chunks(c, n, plane, (kw + m * kh + m * kw + kh) * itemsize // 2)
    cb, ns = chunks[0][1] - chunks[0][0], chunks[0][3] - chunks[0][2]

    def signal(buf, c0, c1, n0, n1):
        """The block's padded input, flat per channel: (c1 − c0, 1, (n1 − n0)·P + reach)."""
        length = (n1 - n0) * plane
        buf[:c1 - c0, 0, :length].reshape(c1 - c0, n1 - n0, hp, wp)[
            :, :, top:top + h, left:left + w_in] = x.data[n0:n1, c0:c1].transpose(1, 0, 2, 3)
        if n1 - n0 < ns:   # the reach past a short block: the next sample's stale entries
            buf[:c1 - c0, 0, length:length + reach] = 0
        return buf[:c1 - c0, :, :length + reach]

    w_rows = weight.data.reshape(c, m * kh, kw)
    y = xp.empty((n, o, oh, ow), dtype=x.dtype)
    b_out = None if bias is None else bias.data.reshape(1, o, 1, 1)
    s_buf = xp.zeros((cb, 1, ns * plane + reach), dtype=x.dtype)
    work = _work(chunks, plane, (kh - 1) * row, m * kh, kw, xp, x.dtype)
    for c0, c1, n0, n1 in chunks:
        out, _ = _taps(signal(s_buf, c0, c1, n0, n1), w_rows[c0:c1], (kh, kw), (dh, dw), wp,
                       (n1 - n0) * plane, work)
        res = out.reshape(c1 - c0, m, n1 - n0, hp, wp)[..., :oh, :ow].transpose(2, 0, 1, 3, 4)
        dst = y[n0:n1, c0 * m:c1 * m].reshape(n1 - n0, c1 - c0, m, oh, ow)
        if b_out is None:
            dst[...] = res
        else:
            xp.add(res, b_out[:, c0 * m:c1 * m].reshape(1, c1 - c0, m, 1, 1), out=dst)
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
            acc = xp.zeros((c, kh, m * kw, 1), dtype=weight.dtype)
            s_buf = xp.zeros((cb, 1, ns * plane + reach), dtype=x.dtype)
        # the block's dY zero-extended in front by the kernel's reach: (cb, m, reach + ns·P)
        g_buf = xp.zeros((cb, m, reach + ns * plane), dtype=g.dtype)
        work = _work(chunks, plane, (kh - 1) * row, kh, m * kw, xp, g.dtype)
        g5 = g.reshape(n, c, m, oh, ow)
        for c0, c1, n0, n1 in chunks:
            length = (n1 - n0) * plane
            g_buf[:c1 - c0, :, reach:reach + length].reshape(c1 - c0, m, n1 - n0, hp, wp)[
                ..., :oh, :ow] = g5[n0:n1, c0:c1].transpose(1, 2, 0, 3, 4)
            out, e = _taps(g_buf[:c1 - c0, :, :length + reach], w_flip[c0:c1], (kh, kw),
                           (dh, dw), wp, length, work)
            if gx is not None:
                gx[n0:n1, c0:c1] = out.reshape(c1 - c0, n1 - n0, hp, wp)[
                    :, :, top:top + h, left:left + w_in].transpose(1, 0, 2, 3)
            if weight.requires_grad:
                # E's column v is the block's padded position v − (KH−1)·DH·Wp + (KW−1−q')·DW;
                # its non-zero columns lie in [lo, lo + length)
                lo = (kh - 1) * row
                sig = signal(s_buf, c0, c1, n0, n1)
                s_rows = _im2col._as_strided(sig, (c1 - c0, kh, length, 1),
                                             (sig.strides[0], row * itemsize, itemsize,
                                              itemsize), writeable=False)
                acc[c0:c1] += xp.matmul(e[:, None, :, lo:lo + length], s_rows)
        if weight.requires_grad:
            gw = acc[..., 0].reshape(c, kh, m, kw)[..., ::-1].transpose(0, 2, 1, 3).reshape(
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
    the backward pass."""
    if geo.wide and geo.stride == (1, 1):
        return _stride1(x, weight, bias, geo, groups)
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
