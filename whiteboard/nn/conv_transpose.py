"""Transposed convolution (转置卷积): ``conv_transpose2d`` / ``ConvTranspose2d``.

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

Tests: ``tests/nn/test_conv_transpose.py``.
"""

from .. import backend
from ..autograd import Tensor
from ..autograd.ops import _as_tensor, squeeze, unsqueeze
from ._conv_gemm import conv_forward, conv_input_grad, conv_weight_grad, prepare_grad
from ._im2col import Geometry, check_input_ndim, expand
from .conv import _check_conv, _check_float, _ConvNd

__all__ = ["conv_transpose2d", "ConvTranspose2d"]


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
    if groups == 1 and dilation == (1, 1) and stride != (1, 1):
        return _SubPixel(x.data, weight.data, geo).apply(x, weight, bias)
    x_prepared = prepare_grad(x.data, weight.data, geo, groups)
    y = conv_input_grad(x_prepared, weight.data, geo, groups)
    y = y + bias.data[:, None, None] if bias is not None else x.xp.ascontiguousarray(y)

    def backward(g):
        gx = gw = gb = None
        if x.requires_grad or weight.requires_grad:
            gx, saved = conv_forward(g, weight.data, geo, groups,
                                      keep_cols=weight.requires_grad)
            if weight.requires_grad:
                gw = conv_weight_grad(x_prepared, saved, geo, groups, weight.shape)
            if not x.requires_grad:
                gx = None
        if bias is not None and bias.requires_grad:
            gb = g.sum(axis=(0, 2, 3))
        return (gx, gw) if bias is None else (gx, gw, gb)

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(y, parents, backward, "ConvTranspose2d")


# Samples per chunk: about this many bytes of shifted copies D (a buffer reused over the chunks,
# so no step allocates, and page-faults in, whole-batch temporaries): 1 MiB.
CHUNK_BYTES = 1 << 20


class _SubPixel:
    """A strided, undilated, ungrouped transposed convolution by output phases (sub-pixel).

    Output pixel (a + r·S, b + u·S) of the padded output plane (phase (a, b), row r, column u)
    receives only the kernel offsets p = a + i·S, q = b + j·S, from input pixel (r − i, u − j):
    every phase is a stride-1 correlation of x with a (⌈KH/S⌉, ⌈KW/S⌉) sub-kernel. In the flat
    layout where the phase planes are rows of width Cw = ⌈Wp/S⌉, the shift (i, j) is i·Cw + j,
    so with D = the stacked shifted copies of x, (I·J·C_in, N·L) (I = ⌈KH/S⌉, J = ⌈KW/S⌉;
    offsets past the kernel get zero weights), all phases are ONE product::

        phases = W_all @ D                 W_all: (S·S·C_out, I·J·C_in)

    and one copy interleaves the phases into the output. The backward pass is its adjoint, three
    dense products and no strided im2col: the output gradient split by phase (dP, one copy),
    ``dD = W_allᵀ @ dP`` (then dx = Σ_ij shift_ij⁻¹(dD_ij), I·J − 1 additions of long runs)
    and ``dW_all = Σ_chunks (D @ dPᵀ)ᵀ``. Everything runs over chunks of samples (each sample's
    shifted reads stay inside its own run of L columns); D is rebuilt per chunk in the
    backward pass rather than kept for the whole batch.
    """

    def __init__(self, x, w, geo):
        xp = backend.get_array_module(x)
        self.xp, self.geo, self.x = xp, geo, x
        n, ci, h, w_in = x.shape
        co, (kh, kw), (sh, sw) = w.shape[1], geo.kernel, geo.stride
        hp, wp = geo.padded_hw
        self.rows, self.cols = -(-hp // sh), -(-wp // sw)
        self.ni, self.nj = -(-kh // sh), -(-kw // sw)
        self.size = self.rows * self.cols
        self.length = self.size + self.nj - 1
        w_pad = xp.zeros((ci, co, self.ni * sh, self.nj * sw), dtype=w.dtype)
        w_pad[:, :, :kh, :kw] = w
        # W_all[(a, b, co), (i, j, ci)] = w[ci, co, a + i·S, b + j·S]
        self.w_all = xp.ascontiguousarray(
            w_pad.reshape(ci, co, self.ni, sh, self.nj, sw).transpose(3, 5, 1, 2, 4, 0)
        ).reshape(sh * sw * co, self.ni * self.nj * ci)
        self.shape = (n, ci, h, w_in, co)
        self.step = max(1, min(n, CHUNK_BYTES // (self.w_all.shape[1] * self.length
                                                  * x.itemsize)))

    def _starts(self):
        """The flat shift i·Cw + j of each sub-kernel offset (i, j), row-major."""
        return [i * self.cols + j for i in range(self.ni) for j in range(self.nj)]

    def _chunks(self):
        n = self.shape[0]
        return [(lo, min(n, lo + self.step)) for lo in range(0, n, self.step)]

    def _buffer(self, rows, dtype):
        """A zeroed (rows, step, L) buffer: every chunk writes the same entries of it (the
        phase layout does not depend on the sample), so the zeros outside them persist."""
        return self.xp.zeros((rows, self.step, self.length), dtype=dtype)

    @staticmethod
    def _columns(buf, lo, hi):
        """The first hi − lo samples of a (rows, step, L) buffer as a (rows, (hi − lo)·L) view."""
        return buf[:, :hi - lo].reshape(buf.shape[0], -1)

    def _fill_d(self, buf, lo, hi):
        """D for samples lo:hi: x's rows placed at the shifts i·Cw + j (zeros elsewhere).

        Only the unshifted block is written row by row (rows of W_in elements); block k is
        then block 0 moved by its shift along the flat (C_in, n·L) rows, one long contiguous
        copy. Exact: what it moves in from the previous sample's run is that run's last
        ``shift`` entries, which are zeros (x ends at (H − 1)·Cw + W_in − 1 < L − max shift),
        and the first ``shift`` entries of the chunk stay as the zeroed buffer left them."""
        _, ci, h, w_in, _ = self.shape
        m = hi - lo
        x_t = self.x[lo:hi].transpose(1, 0, 2, 3)
        view = buf.reshape(self.ni * self.nj, ci, self.step, self.length)[:, :, :m]
        view[0, :, :, :h * self.cols].reshape(ci, m, h, self.cols)[..., :w_in] = x_t
        run = m * self.length
        flat = buf.reshape(self.ni * self.nj, ci, self.step * self.length)[:, :, :run]
        for k, start in enumerate(self._starts()[1:], 1):
            flat[k, :, start:] = flat[0, :, :run - start]
        return self._columns(buf, lo, hi)

    def _phase_slices(self):
        """For each phase (a, b): the output rows/columns it holds and where they start in the
        phase plane."""
        (sh, sw), (top, _, left, _), (hz, wz) = self.geo.stride, self.geo.pads, self.geo.in_hw
        for a in range(sh):
            y0 = (a - top) % sh
            r0, cnt_h = (y0 + top) // sh, len(range(y0, hz, sh))
            for b in range(sw):
                x0 = (b - left) % sw
                c0, cnt_w = (x0 + left) // sw, len(range(x0, wz, sw))
                yield a, b, (slice(y0, None, sh), slice(x0, None, sw)), \
                    (slice(r0, r0 + cnt_h), slice(c0, c0 + cnt_w))

    def _planes(self, flat, n):
        """(S·S·C_out, n·L) as (SH, SW, C_out, n, rows, cols) phase planes (a view)."""
        co = self.shape[4]
        sh, sw = self.geo.stride
        return flat.reshape(sh, sw, co, n, self.length)[..., :self.size].reshape(
            sh, sw, co, n, self.rows, self.cols)

    def apply(self, x, weight, bias):
        xp = self.xp
        n, ci, h, w_in, co = self.shape
        hz, wz = self.geo.in_hw
        y = xp.empty((n, co, hz, wz), dtype=x.dtype)
        b_row = None if bias is None else bias.data.reshape(1, co, 1, 1)
        d_buf = self._buffer(self.w_all.shape[1], x.dtype)
        p_buf = xp.empty((self.w_all.shape[0], self.step * self.length), dtype=x.dtype)
        for lo, hi in self._chunks():
            part = p_buf[:, :(hi - lo) * self.length]
            xp.matmul(self.w_all, self._fill_d(d_buf, lo, hi), out=part)
            planes = self._planes(part, hi - lo)
            for a, b, (ys, xs), (rs, cs) in self._phase_slices():
                y[lo:hi, :, ys, xs] = planes[a, b, :, :, rs, cs].transpose(1, 0, 2, 3)
            if b_row is not None:
                # one add over the chunk's contiguous output, not one per strided phase copy
                # (the same single rounding: y = phase + bias)
                y[lo:hi] += b_row
        del d_buf, p_buf

        def backward(g):
            gx = gw = gb = None
            if bias is not None and bias.requires_grad:
                gb = g.sum(axis=(0, 2, 3))
            if x.requires_grad or weight.requires_grad:
                gx, gw = self._backward(g, x.requires_grad, weight.requires_grad)
            return (gx, gw) if bias is None else (gx, gw, gb)

        parents = (x, weight) if bias is None else (x, weight, bias)
        return Tensor._make(y, parents, backward, "ConvTranspose2d")

    def _backward(self, g, need_x, need_w):
        """Per chunk: dP (the phase split of g), dx from ``W_allᵀ @ dP`` by shifted additions
        over the flat rows (the crop reads below ``span`` only: the shifts' reach stays inside
        each sample), and ``D @ dPᵀ`` summed into dW_all."""
        xp = self.xp
        n, ci, h, w_in, co = self.shape
        L = self.length
        sh, sw = self.geo.stride
        starts = self._starts()
        w_t = xp.ascontiguousarray(self.w_all.T)
        gx = xp.empty((n, ci, h, w_in), dtype=g.dtype) if need_x else None
        dw_all = xp.zeros(w_t.shape, dtype=g.dtype) if need_w else None
        p_buf = self._buffer(sh * sw * co, g.dtype)
        d_buf = self._buffer(w_t.shape[0], g.dtype) if need_w else None
        dd_buf = xp.empty((w_t.shape[0], self.step * L), dtype=g.dtype) if need_x else None
        acc = xp.empty((ci, self.step * L), dtype=g.dtype) if need_x else None
        for lo, hi in self._chunks():
            width = (hi - lo) * L
            planes = p_buf[:, :hi - lo, :self.size].reshape(sh, sw, co, hi - lo, self.rows,
                                                            self.cols)
            for a, b, (ys, xs), (rs, cs) in self._phase_slices():
                planes[a, b, :, :, rs, cs] = g[lo:hi, :, ys, xs].transpose(1, 0, 2, 3)
            dp = self._columns(p_buf, lo, hi)
            if need_w:
                dw_all += xp.matmul(self._fill_d(d_buf, lo, hi), dp.T)
            if need_x:
                dd = xp.matmul(w_t, dp, out=dd_buf[:, :width]).reshape(len(starts), ci, width)
                span = width - max(starts)
                run = acc[:, :span]
                run[...] = dd[0, :, :span]
                for k, start in enumerate(starts[1:], 1):
                    run += dd[k, :, start:start + span]
                gx[lo:hi] = acc[:, :width].reshape(ci, hi - lo, L)[:, :, :h * self.cols].reshape(
                    ci, hi - lo, h, self.cols)[..., :w_in].transpose(1, 0, 2, 3)
        gw = None if dw_all is None else self._weight_grad(dw_all.T, (ci, co) + self.geo.kernel)
        return gx, gw

    def _weight_grad(self, dw_all, w_shape):
        """w[ci, co, a + i·S, b + j·S] = dW_all[(a, b, co), (i, j, ci)], offsets past the
        kernel dropped."""
        ci, co, kh, kw = w_shape
        sh, sw = self.geo.stride
        full = dw_all.reshape(sh, sw, co, self.ni, self.nj, ci).transpose(5, 2, 3, 0, 4, 1)
        return full.reshape(ci, co, self.ni * sh, self.nj * sw)[:, :, :kh, :kw].copy()


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
