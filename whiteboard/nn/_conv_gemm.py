"""Convolution as one matrix product over sliding windows (im2col + GEMM), forward and backward;
the general path of :func:`whiteboard.nn.conv2d` and both directions of
:func:`whiteboard.nn.conv_transpose2d`. Tests: ``tests/nn/test_conv_im2col.py``.

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
"""

from .. import backend
from ._conv_depthwise import (
    depthwise_forward, depthwise_input_grad, depthwise_weight_grad, is_depthwise,
)


def prepare_grad(g, w, geo, groups):
    """An output-shaped array (N, O, OH, OW) in the layout the backward products read: for a
    depthwise convolution ``geo.widen``; otherwise channel-major ``(O, N, OH, cols_w)``."""
    return geo.widen(g) if is_depthwise(w, groups) else geo.widen_t(g)


# The dense products run channel-major: the columns are (C·KH·KW, N·OH·cols_w) and the output
# gradient (O, N·OH·cols_w), so each product is ONE GEMM per group over the whole batch (not N
# small ones — which matters for BLAS threading), and the NCHW output is restored by the copy that
# adds the bias anyway.
def conv_forward(x, w, geo, groups, keep_cols):
    """``y = W @ im2col(x)`` per group; returns ``y`` (N, O, OH, OW) (possibly a strided view)
    and what the weight gradient needs (the columns, or for a depthwise convolution the padded
    input)."""
    if is_depthwise(w, groups):
        return depthwise_forward(x, w, geo)
    n = x.shape[0]
    o, cg, kh, kw = w.shape
    oh, cw = geo.out_hw[0], geo.cols_w
    cols = geo.im2col(x.transpose(1, 0, 2, 3), batch_inner=True)   # (C, KH, KW, N, OH, cw)
    cols_g = cols.reshape(groups, cg * kh * kw, n * oh * cw)
    w_g = w.reshape(groups, o // groups, cg * kh * kw)
    y = (w_g @ cols_g).reshape(o, n, oh, cw).transpose(1, 0, 2, 3)
    return geo.narrow(y), (cols if keep_cols else None)


def conv_input_grad(gt, w, geo, groups):
    """``col2im(Wᵀ @ dY)``: the gradient with respect to the (unpadded) input, from the output
    gradient prepared by :func:`prepare_grad`.

    Computed one kernel offset at a time, ``W[:, :, p, q]ᵀ @ dY`` added onto the input pixels
    that offset read, so the ``KH·KW``-times-larger column matrix is never materialised (it would
    be written once and read once: the dominant memory traffic of the backward pass).
    """
    if is_depthwise(w, groups):
        return depthwise_input_grad(gt, w, geo, groups)
    xp = backend.get_array_module(gt)
    o, n, oh, cw = gt.shape
    _, cg, kh, kw = w.shape
    gt_g = gt.reshape(groups, o // groups, n * oh * cw)
    w_t = xp.ascontiguousarray(
        w.reshape(groups, o // groups, cg, kh * kw).transpose(3, 0, 2, 1))
    if not geo.wide and geo.dilation == (1, 1) and geo.stride != (1, 1):
        return _strided_input_grad(gt, w_t, geo, groups, cg, xp)
    buf = geo.zeros((groups * cg, n), gt.dtype, xp)
    tmp = xp.empty((groups, cg, n * oh * cw), dtype=gt.dtype)
    for k, view in enumerate(geo.offset_views(buf)):
        xp.matmul(w_t[k], gt_g, out=tmp)
        view += tmp.reshape(groups * cg, n, oh, cw)
    return geo.unpad(buf).transpose(1, 0, 2, 3)


# With stride S > 1 the offset views of the padded buffer are strided (step S) runs of OW
# elements, and NumPy's additions over such short strided inner loops cost more than the
# products. Split the padded plane by phase instead: pixel (r·SH + a, u·SW + b) lives in plane
# (a, b) at (r, u), an (R, Cw) = (⌈Hp/SH⌉, ⌈Wp/SW⌉) plane flattened. Kernel offset
# (p, q) = (a + i·SH, b + j·SW) writes phase (a, b) shifted by i·Cw + j, so with dY's rows widened
# to Cw (zero junk columns, which land on cells they do not change) a phase is
#     plane(a, b) = Σ_ij W[:, :, a + i·SH, b + j·SW]ᵀ · shift_ij(dY)
# — one GEMM for all phases (per group) over the stacked shifted copies D = [shift_ij(dY)]_ij
# (I·J·O/G rows, I = ⌈KH/SH⌉, J = ⌈KW/SW⌉; offsets past the kernel get zero weights), no
# additions at all
# (16 products + 16 strided additions became one GEMM with 4x the rows and 4x the depth for
# 4x4, stride 2: one GEMM per phase read D four times and was no faster).
# One copy then interleaves the phases back (and crops the padding).
def _strided_input_grad(gt, w_t, geo, groups, cg, xp):
    o, n, oh, ow = gt.shape
    og = o // groups
    (kh, kw), (sh, sw) = geo.kernel, geo.stride
    hp, wp = geo.padded_hw
    rows, cols = -(-hp // sh), -(-wp // sw)
    ni, nj = -(-kh // sh), -(-kw // sw)
    size = rows * cols
    length = size + (kw - 1) // sw
    run = oh * cols
    shifted = xp.zeros((groups, ni, nj, og, n, length), dtype=gt.dtype)
    gt_r = gt.reshape(groups, og, n, oh, ow)
    for i in range(ni):
        for j in range(nj):
            start = i * cols + j
            shifted[:, i, j, :, :, start:start + run].reshape(
                groups, og, n, oh, cols)[..., :ow] = gt_r
    d = shifted.reshape(groups, ni * nj * og, n * length)
    w_pad = xp.zeros((ni * sh, nj * sw, groups, cg, og), dtype=w_t.dtype)
    w_pad[:kh, :kw] = w_t.reshape(kh, kw, groups, cg, og)
    # all phases in one GEMM per group: (SH·SW·C/G, I·J·O/G) @ D reads D once
    w_all = xp.ascontiguousarray(
        w_pad.reshape(ni, sh, nj, sw, groups, cg, og).transpose(4, 1, 3, 5, 0, 2, 6))
    phases = xp.matmul(w_all.reshape(groups, sh * sw * cg, ni * nj * og), d)
    planes = phases.reshape(groups, sh, sw, cg, n, length)[..., :size].reshape(
        groups, sh, sw, cg, n, rows, cols).transpose(1, 2, 0, 3, 4, 5, 6).reshape(
        sh, sw, groups * cg, n, rows, cols)
    top, _, left, _ = geo.pads
    h, w_in = geo.in_hw
    out = xp.empty((n, groups * cg, h, w_in), dtype=gt.dtype)
    for a in range(sh):
        y0 = (a - top) % sh
        r0, cnt_h = (y0 + top) // sh, len(range(y0, h, sh))
        for b in range(sw):
            x0 = (b - left) % sw
            c0, cnt_w = (x0 + left) // sw, len(range(x0, w_in, sw))
            out[:, :, y0::sh, x0::sw] = planes[a, b, :, :, r0:r0 + cnt_h,
                                               c0:c0 + cnt_w].transpose(1, 0, 2, 3)
    return out


def conv_weight_grad(gt, saved, geo, groups, w_shape):
    """``dY @ X_colᵀ`` per group (one GEMM over the whole batch), shaped like the weight."""
    if w_shape[1] == 1 and groups > 1:  # depthwise
        return depthwise_weight_grad(gt, saved, geo, w_shape)
    o = gt.shape[0]
    gt_g = gt.reshape(groups, o // groups, -1)
    cols_g = saved.reshape(groups, -1, gt_g.shape[-1])
    return (gt_g @ cols_g.swapaxes(-1, -2)).reshape(w_shape)
