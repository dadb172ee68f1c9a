"""Sliding windows shared by convolution and pooling: im2col, col2im and argument checks.

A 2-D sliding window over an (already padded) ``(N, C, H, W)`` array with kernel ``(KH, KW)``,
stride ``(SH, SW)`` and dilation ``(DH, DW)`` visits, for output pixel ``(i, j)`` and kernel offset
``(p, q)``, the input pixel ``(i·SH + p·DH, j·SW + q·DW)``. :func:`windows` exposes all of them as
one strided *view* of shape ``(N, C, KH, KW, OH, OW)`` — no data is copied: only the strides
change (``as_strided``). :func:`im2col` makes that view contiguous (the "im2col" matrix: for each
sample, ``(C·KH·KW, OH·OW)``), which is a copy unless the view already is contiguous (a 1x1 kernel
with stride 1). :func:`col2im` is its adjoint: it sums every column entry back onto the input pixel
it was read from, looping only over the ``KH·KW`` kernel offsets (each offset is one strided slice
of the input, so overlapping windows accumulate correctly).

Wide rows (stride 1 along the width). When the horizontal stride is 1, the windows of one kernel
offset ``(p, q)`` read, in the flattened padded plane of width ``Wp``, the elements
``off + i·SH·Wp + j`` with ``off = p·DH·Wp + q·DW``. Letting ``j`` run over the whole padded width
``Wp`` instead of ``OW`` turns every row of windows into one long contiguous run of the input, so
the im2col copy and the col2im accumulation stream memory instead of hopping in runs of ``OW``
elements. The ``Wp − OW`` extra "columns" straddle two image rows and are junk: the forward pass
drops them and the backward pass gives them a zero gradient, so they cost only
``Wp/OW − 1`` extra GEMM work (7% for 28x28 with padding 1). :class:`Geometry` decides which
layout to use.

Output size along one axis (floor division, as PyTorch; the notes' ``(W - F + 2P)/S + 1`` lacks the
floor and the dilation — see ERRATA E18)::

    out = floor((H + 2P - D·(K - 1) - 1) / S) + 1
"""

from __future__ import annotations

import numbers

import numpy as np

from .. import backend

__all__ = ["expand", "conv_out_size", "windows", "im2col", "col2im", "offset_slices", "pad2d",
           "check_input_ndim", "Geometry"]


def expand(value, n, name, layer, minimum=1, allow_zero=False):
    """An int or a sequence of ``n`` ints (one int is repeated), validated, as a tuple."""
    # exact-type fast paths first: the ABC checks below cost ~1 µs per element, paid by
    # every convolution and pooling call on its module's already-expanded tuples
    if type(value) is int:
        values = (value,) * n
    elif type(value) is tuple and len(value) == n and all(type(v) is int for v in value):
        values = value
    elif isinstance(value, numbers.Integral) and not isinstance(value, bool):
        values = (int(value),) * n
    elif isinstance(value, (tuple, list)) and all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in value
    ) and len(value) in (1, n):
        values = tuple(int(v) for v in value) * (n if len(value) == 1 else 1)
    else:
        raise TypeError(
            f"{layer}: {name} must be an int or a tuple of {n} ints, got {value!r}"
        )
    low = 0 if allow_zero else minimum
    if any(v < low for v in values):
        raise ValueError(
            f"{layer}: {name} must be {'non-negative' if low == 0 else f'>= {low}'}, "
            f"got {value!r}"
        )
    return values


def check_input_ndim(x, spatial, layer):
    """Accept ``(N, C, *spatial)`` or the unbatched ``(C, *spatial)``; return whether batched."""
    if x.ndim == spatial + 2:
        return True
    if x.ndim == spatial + 1:
        return False
    dims = {1: "L", 2: "H, W"}.get(spatial, "D, H, W")
    raise ValueError(
        f"{layer} expected a {spatial + 1}-D (C, {dims}) or {spatial + 2}-D (N, C, {dims}) "
        f"input, got a {x.ndim}-D input of shape {tuple(x.shape)}"
    )


def conv_out_size(size, kernel, stride, pad_total, dilation):
    """``floor((size + pad_total - dilation·(kernel - 1) - 1) / stride) + 1``."""
    return (size + pad_total - dilation * (kernel - 1) - 1) // stride + 1


def pad2d(x, pads, value=0.0):
    """Pad the last two axes by ``pads = (top, bottom, left, right)`` (no copy when all zero)."""
    top, bottom, left, right = pads
    if not (top or bottom or left or right):
        return x
    xp = backend.get_array_module(x)
    n, c, h, w = x.shape
    out = xp.full((n, c, h + top + bottom, w + left + right), value, dtype=x.dtype)
    out[:, :, top:top + h, left:left + w] = x
    return out


def windows(x, kernel, stride, dilation, out_hw):
    """All sliding windows of ``x`` (N, C, H, W) as a read-only view (N, C, KH, KW, OH, OW)."""
    xp = backend.get_array_module(x)
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = kernel, stride, dilation, out_hw
    s_n, s_c, s_h, s_w = x.strides
    shape = (x.shape[0], x.shape[1], kh, kw, oh, ow)
    strides = (s_n, s_c, s_h * dh, s_w * dw, s_h * sh, s_w * sw)
    if xp is np:
        return np.lib.stride_tricks.as_strided(x, shape, strides, writeable=False)
    return xp.lib.stride_tricks.as_strided(x, shape, strides)  # pragma: no cover - GPU only


def im2col(x, kernel, stride, dilation, out_hw):
    """The windows of :func:`windows` as a contiguous array (a copy only when needed)."""
    xp = backend.get_array_module(x)
    return xp.ascontiguousarray(windows(x, kernel, stride, dilation, out_hw))


def offset_slices(kernel, stride, dilation, out_hw):
    """For each kernel offset ``(p, q)``: the strided slice of the input that it reads.

    Offset ``(p, q)`` of every window together reads rows ``p·DH, p·DH + SH, ...`` (``OH`` of
    them) and the analogous columns: one basic slice, hence a view.
    """
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = kernel, stride, dilation, out_hw
    return [
        (p, q, (slice(None), slice(None),
                slice(p * dh, p * dh + sh * (oh - 1) + 1, sh),
                slice(q * dw, q * dw + sw * (ow - 1) + 1, sw)))
        for p in range(kh) for q in range(kw)
    ]


def col2im(cols, shape, stride, dilation):
    """Adjoint of :func:`im2col`: scatter-add ``cols`` (N, C, KH, KW, OH, OW) onto ``shape``.

    Loops over the ``KH·KW`` kernel offsets only; each adds an ``(N, C, OH, OW)`` block to a
    strided slice, so pixels covered by several windows receive the sum of their contributions.
    """
    xp = backend.get_array_module(cols)
    kh, kw, oh, ow = cols.shape[2:]
    out = xp.zeros(shape, dtype=cols.dtype)
    for p, q, index in offset_slices((kh, kw), stride, dilation, (oh, ow)):
        out[index] += cols[:, :, p, q]
    return out


def _as_strided(x, shape, strides, writeable):
    xp = backend.get_array_module(x)
    if xp is np:
        return np.lib.stride_tricks.as_strided(x, shape, strides, writeable=writeable)
    return xp.lib.stride_tricks.as_strided(x, shape, strides)  # pragma: no cover - GPU only


class Geometry:
    """Where the windows of one 2-D convolution lie, and how they are laid out in memory.

    ``in_hw``: the unpadded input size; ``pads``: (top, bottom, left, right); ``out_hw``: the
    output size (given explicitly so that a transposed convolution can ask for fewer rows than
    fit). ``wide`` selects the wide-row layout (see the module docstring) when the horizontal
    stride is 1 and the junk columns add at most half the work.
    """

    def __init__(self, in_hw, pads, kernel, stride, dilation, out_hw):
        self.in_hw, self.pads, self.kernel = tuple(in_hw), tuple(pads), tuple(kernel)
        self.stride, self.dilation, self.out_hw = tuple(stride), tuple(dilation), tuple(out_hw)
        top, bottom, left, right = self.pads
        self.padded_hw = (self.in_hw[0] + top + bottom, self.in_hw[1] + left + right)
        self.wide = self.stride[1] == 1 and 2 * self.padded_hw[1] <= 3 * self.out_hw[1]
        # room for the last offset's last (strided) run of wide rows past the plane's end
        hp, wp = self.padded_hw
        last = ((self.kernel[0] - 1) * self.dilation[0] * wp + (self.kernel[1] - 1)
                * self.dilation[1] + self.out_hw[0] * self.stride[0] * wp)
        self.tail = max(0, last - hp * wp)
        self.cols_w = self.padded_hw[1] if self.wide else self.out_hw[1]

    def padded(self, x):
        """The zero-padded input in this layout: (N, C, Hp, Wp), or wide: (N, C, Hp·Wp + tail)."""
        if not self.wide:
            return pad2d(x, self.pads)
        buf = self.zeros(x.shape[:2], x.dtype, backend.get_array_module(x))
        top, _, left, _ = self.pads
        h, w = self.in_hw
        self._plane(buf, 0, *self.padded_hw)[:, :, top:top + h, left:left + w] = x
        return buf

    def zeros(self, lead, dtype, xp):
        """A zero padded-input buffer for ``lead = (N, C)``."""
        hp, wp = self.padded_hw
        shape = (hp * wp + self.tail,) if self.wide else (hp, wp)
        return xp.zeros(tuple(lead) + shape, dtype=dtype)

    def unpad(self, buf):
        """The (N, C, H, W) input region of a padded buffer (a view)."""
        top, _, left, _ = self.pads
        h, w = self.in_hw
        plane = self._plane(buf, 0, *self.padded_hw) if self.wide else buf
        return plane[:, :, top:top + h, left:left + w]

    def offset_views(self, buf):
        """For each kernel offset (row-major), the (N, C, OH, cols_w) view of a padded buffer
        that it reads: a strided slice, or in the wide layout a run of whole padded rows."""
        if not self.wide:
            return [buf[index] for _, _, index in
                    offset_slices(self.kernel, self.stride, self.dilation, self.out_hw)]
        (kh, kw), (sh, _), (dh, dw) = self.kernel, self.stride, self.dilation
        wp, oh = self.padded_hw[1], self.out_hw[0]
        return [self._plane(buf, p * dh * wp + q * dw, oh, wp, sh)
                for p in range(kh) for q in range(kw)]

    def windows(self, buf):
        """All windows of a padded buffer (from :meth:`padded`) as a read-only view
        ``(N, C, KH, KW, OH, cols_w)`` — no copy."""
        if not self.wide:
            return windows(buf, self.kernel, self.stride, self.dilation, self.out_hw)
        n, c = buf.shape[:2]
        wp = self.padded_hw[1]
        e = buf.itemsize
        s_n, s_c = buf.strides[:2]
        (kh, kw), (sh, _), (dh, dw), (oh, _) = self.kernel, self.stride, self.dilation, self.out_hw
        return _as_strided(buf, (n, c, kh, kw, oh, wp),
                           (s_n, s_c, dh * wp * e, dw * e, sh * wp * e, e), writeable=False)

    def im2col(self, x, batch_inner=False):
        """Columns ``(A, B, KH, KW, OH, cols_w)`` of ``x`` (A, B, H, W), usually (N, C, H, W):
        the windows made contiguous (a copy unless they already are, as for a 1x1 kernel with
        stride 1). With ``batch_inner`` the copy is ordered ``(A, KH, KW, B, OH, cols_w)`` — for
        ``x`` passed channel-major as ``(C, N, H, W)`` that is the GEMM operand
        ``(C·KH·KW, N·OH·cols_w)``."""
        xp = backend.get_array_module(x)
        win = self.windows(self.padded(x))
        return xp.ascontiguousarray(win.transpose(0, 2, 3, 1, 4, 5) if batch_inner else win)

    def widen(self, g):
        """An output-shaped array ``g`` (N, O, OH, OW) in the column layout (zero junk columns)."""
        if self.cols_w == self.out_hw[1]:
            return g
        xp = backend.get_array_module(g)
        out = xp.zeros(g.shape[:3] + (self.cols_w,), dtype=g.dtype)
        out[..., :self.out_hw[1]] = g
        return out

    def widen_t(self, g):
        """``g`` (N, O, OH, OW) as a contiguous channel-major ``(O, N, OH, cols_w)`` (one pass)."""
        xp = backend.get_array_module(g)
        n, o, oh, ow = g.shape
        out = (xp.empty if self.cols_w == ow else xp.zeros)((o, n, oh, self.cols_w),
                                                           dtype=g.dtype)
        out[..., :ow] = g.transpose(1, 0, 2, 3)
        return out

    def narrow(self, y):
        """The real output columns of a column-layout result."""
        return y[..., :self.out_hw[1]] if self.cols_w != self.out_hw[1] else y

    def col2im(self, dcols):
        """Adjoint of :meth:`im2col`: the gradient with respect to the unpadded input."""
        xp = backend.get_array_module(dcols)
        n, c, kh, kw = dcols.shape[:4]
        buf = self.zeros((n, c), dcols.dtype, xp)
        for k, view in enumerate(self.offset_views(buf)):
            view += dcols[:, :, k // kw, k % kw]
        return self.unpad(buf)

    @staticmethod
    def _plane(flat, offset, rows, width, row_step=1):
        """The (N, C, rows, width) view of ``flat`` whose row ``i`` starts at
        ``offset + i·row_step·width``: a slice of the last axis split into rows (splitting an
        axis never copies, and unlike an ``as_strided`` view NumPy can see that it does not
        overlap itself, so in-place updates are not buffered)."""
        n, c = flat.shape[:2]
        run = flat[:, :, offset:offset + rows * row_step * width]
        return run.reshape(n, c, rows, row_step * width)[..., :width]
