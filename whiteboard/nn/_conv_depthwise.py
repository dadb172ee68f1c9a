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


# Samples per depthwise chunk (bytes of one chunk's output). The window copy is KH·KW times
# that, so a chunk of about one 32-channel 28x28 sample keeps it in L2 (1<<19 ran 1.4x slower).
CHUNK_BYTES = 1 << 17


def conv2d_depthwise(x, weight, bias, geo, groups):
    """A depthwise conv2d (see depthwise_forward) run over chunks of samples, so that the
    window copies stay cache-resident. The padded input is kept for the backward pass; with
    stride 1 (wide rows) the output gradient is zero-extended once and that buffer serves both
    the input gradient (its windows, per chunk) and the weight gradient (a run of it)."""
    xp = x.xp
    n = x.shape[0]
    o = weight.shape[0]
    oh, ow = geo.out_hw
    step = max(1, CHUNK_BYTES // (o * oh * geo.cols_w * x.data.itemsize))
    x_pad = geo.padded(x.data)
    y = xp.empty((n, o, oh, ow), dtype=x.dtype)
    for lo in range(0, n, step):
        y[lo:lo + step] = depthwise_forward_padded(x_pad[lo:lo + step], weight.data, geo)
    if bias is not None:
        y += bias.data[:, None, None]
    fused = geo.wide and geo.stride == (1, 1)

    def backward(g):
        gx = gw = gb = None
        if bias is not None and bias.requires_grad:
            gb = g.sum(axis=(0, 2, 3))
        if x.requires_grad:
            gx = xp.empty(x.shape, dtype=x.dtype)
        if weight.requires_grad:
            gw = xp.zeros(weight.shape, dtype=weight.dtype)
        if fused:
            # one zero-extended dY for the whole batch: its windows (per chunk) give the input
            # gradient, and its dY run the weight gradient (no copy)
            ext, g_wide = _extended(g, geo, groups, o // groups, wide=False)
            for lo in range(0, n, step):
                if gx is not None:
                    gx[lo:lo + step] = _input_grad_from_ext(ext[lo:lo + step], weight.data, geo)
            # the dot products copy nothing, so their chunks can be larger (4 samples here:
            # 1.2 ms against 1.6 ms per sample and 2.6 ms for the whole batch at once)
            for lo in range(0, n, 4 * step) if gw is not None else ():
                gw += depthwise_weight_grad(g_wide[lo:lo + 4 * step], x_pad[lo:lo + 4 * step],
                                            geo, weight.shape)
        else:
            for lo in range(0, n, step):
                gc = geo.widen(g[lo:lo + step])
                if gx is not None:
                    gx[lo:lo + step] = depthwise_input_grad(gc, weight.data, geo, groups)
                if gw is not None:
                    gw += depthwise_weight_grad(gc, x_pad[lo:lo + step], geo, weight.shape)
        return (gx, gw) if bias is None else (gx, gw, gb)

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(y, parents, backward, "Conv2d")
