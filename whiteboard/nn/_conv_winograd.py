"""Winograd minimal filtering for the dense 3x3, stride-1, undilated, one-group conv2d
(:func:`whiteboard.nn.conv2d` dispatches here), with its backward pass as the exact adjoint of the
forward transforms. Three implementations of the same scheme:

- F(4x4, 3x3) with compiled transforms (:class:`WinogradF43`, kernels and the 1-D maps in
  ``_conv_winograd_jit.py``; its NumPy twin gives the same numbers bit for bit), where
  ``whiteboard.jit`` runs;
- F(2x2, 3x3) over a "phase" layout in NumPy (:class:`WinogradF23`) otherwise;
- F(2x2, 3x3) with one GEMM per transform and the whole-plane transform matrix, for small planes
  on both paths (:func:`_conv2d_winograd_dense`).

``whiteboard.nn.winograd.flags(enabled=False)`` switches all of them off (im2col + GEMM).
Tests: ``tests/nn/test_conv_winograd.py``.
"""

import dataclasses
import functools

import numpy as np

from .. import backend, jit
from ..autograd import Tensor
from . import _conv_winograd_jit as kernels
from . import winograd as _switch

# A dense 3x3 convolution with stride 1 and no dilation (the common case) uses Winograd's
# minimal filtering F(m x m, 3x3) instead of im2col + GEMM (Lavin & Gray, 2016). The output is
# cut into m x m tiles; tile t reads the (m + 2) x (m + 2) input patch d_t (stride m, overlapping
# by 2) and
#
#     Y_t = Aᵀ [ (G w Gᵀ) ⊙ (Bᵀ d_t B) ] A
#
# The matrices come from polynomial interpolation (Toom-Cook): a 1-D output tile of m values of
# the correlation of d with w is read off the product of two polynomials evaluated at m + 1
# points and infinity — G w and Bᵀ d evaluate, the element-wise product multiplies, Aᵀ
# interpolates. F(2, 3) uses the points 0, ±1; F(4, 3) the points 0, ±1, ±2:
#
#   F(2, 3)   Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]]
#             G  = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]]
#             Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]]
#   F(4, 3)   Bᵀ = [[4, 0, −5, 0, 1, 0], [0, −4, −4, 1, 1, 0], [0, 4, −4, −1, 1, 0],
#                   [0, −2, −1, 2, 1, 0], [0, 2, −1, −2, 1, 0], [0, 4, 0, −5, 0, 1]]
#             G  = [[¼, 0, 0], [−⅙, −⅙, −⅙], [−⅙, ⅙, −⅙], [1/24, 1/12, ⅙], [1/24, −1/12, ⅙],
#                   [0, 0, 1]]
#             Aᵀ = [[1, 1, 1, 1, 1, 0], [0, 1, −1, 2, −2, 0], [0, 1, 1, 4, 4, 0],
#                   [0, 1, −1, 8, −8, 1]]
#
# (1-D check for F(2, 3): y0 = m1 + m2 + m3 = d0·w0 + d1·w1 + d2·w2 with m1 = (d0 − d2)·w0,
# m2 = (d1 + d2)(w0 + w1 + w2)/2, m3 = (d2 − d1)(w0 − w1 + w2)/2, m4 = (d1 − d3)·w2 and
# y1 = m2 − m3 − m4.) Summed over input channels, the element-wise product becomes, for each of
# the (m + 2)² tile positions ξ, one matrix product over all tiles of the batch:
#
#     M_ξ = U_ξ @ V_ξ      U_ξ = (G w Gᵀ)_ξ: (O, C)     V_ξ = (Bᵀ d B)_ξ: (C, N·tiles)
#
# (m + 2)² multiplications per m² outputs instead of 9·m²: F(2, 3) needs 16 per 4 outputs
# (2.25x fewer than the direct sum), F(4, 3) 36 per 16 (4x fewer), and F(4, 3)'s V and M hold
# 36/16 values per output pixel instead of 16/4, so the transforms, which are bound by memory,
# move 1.8x fewer bytes too. The backward pass is the exact adjoint of these linear maps: with
# dM = A dY Aᵀ (the output transform's adjoint),
#
#     dU_ξ = dM_ξ @ V_ξᵀ   →  dw = Gᵀ dU G           dV_ξ = U_ξᵀ @ dM_ξ  →  dx = Σ_t B dV_t Bᵀ
#
# (the last scatter-adds the overlapping patches back). An output size that is not a multiple of
# m gets one more tile row/column, read from extra zero padding and cropped.
#
# Rounding: F(2, 3)'s transforms only add, subtract and halve. F(4, 3)'s larger coefficients
# (Bᵀ up to 5, Aᵀ up to 8, G's sixths) amplify the rounding of the element-wise products: on a
# random (4, 16, 28, 28) → 32 float32 layer the largest error relative to the largest output is
# 4.2e-6 for F(4, 3), 2.3e-7 for F(2, 3), 5.5e-7 for im2col + GEMM and 5.6e-7 for torch (against
# float64); in float64 F(4, 3) is within ~6e-15. That is the price every fast convolution
# library pays for the larger tile (cuDNN, oneDNN and NNPACK offer F(4, 3) or F(6, 3)). And
# where the exact result is 0 by cancellation (an input gradient outside the receptive field)
# F(4, 3) can leave rounding noise instead (measured: 6e-31 beside entries of 36-400 on two
# stacked float64 layers; F(2, 3) gave exact zeros there): ``whiteboard.nn.winograd`` switches
# Winograd off where exact zeros matter.


@dataclasses.dataclass(frozen=True, eq=False)
class Transforms:
    """The three matrices of F(tile x tile, 3x3)."""

    tile: int
    at: np.ndarray                                  # (tile, tile + 2)
    g: np.ndarray                                   # (tile + 2, 3)
    bt: np.ndarray                                  # (tile + 2, tile + 2)

    @property
    def patch(self):
        return self.tile + 2

    def gg(self, dtype):
        """(patch², 9) in ``dtype``: U[(α, β)] = Σ G[α, p]·G[β, q]·w[p, q] (built once per
        dtype: np.kron costs ~9 µs, twice per conv2d step)."""
        return _kron_gg(self.tile, np.dtype(dtype).str)

    @property
    def ones(self):
        """The position ξ = (1, 1) of M: column 1 of Aᵀ is all ones, so M[1, 1] reaches every
        output of its tile with weight 1 (a bias is added there, and dM[1, 1] sums the tile's
        output gradient)."""
        return self.patch + 1


@functools.lru_cache(maxsize=8)
def _kron_gg(tile, dtype):
    g = TRANSFORMS[tile].g
    gg = np.kron(g, g).astype(dtype)
    gg.setflags(write=False)                # shared by every call
    return gg


F23 = Transforms(
    2, at=np.array([[1.0, 1.0, 1.0, 0.0], [0.0, 1.0, -1.0, -1.0]]),
    g=np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.0, 0.0, 1.0]]),
    bt=np.array([[1.0, 0.0, -1.0, 0.0], [0.0, 1.0, 1.0, 0.0], [0.0, -1.0, 1.0, 0.0],
                 [0.0, 1.0, 0.0, -1.0]]))
F43 = Transforms(
    4, at=np.array([[1.0, 1.0, 1.0, 1.0, 1.0, 0.0], [0.0, 1.0, -1.0, 2.0, -2.0, 0.0],
                    [0.0, 1.0, 1.0, 4.0, 4.0, 0.0], [0.0, 1.0, -1.0, 8.0, -8.0, 1.0]]),
    g=np.array([[1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6],
                [1 / 24, 1 / 12, 1 / 6], [1 / 24, -1 / 12, 1 / 6], [0, 0, 1]]),
    bt=np.array([[4.0, 0.0, -5.0, 0.0, 1.0, 0.0], [0.0, -4.0, -4.0, 1.0, 1.0, 0.0],
                 [0.0, 4.0, -4.0, -1.0, 1.0, 0.0], [0.0, -2.0, -1.0, 2.0, 1.0, 0.0],
                 [0.0, 2.0, -1.0, -2.0, 1.0, 0.0], [0.0, 4.0, 0.0, -5.0, 0.0, 1.0]]))
TRANSFORMS = {2: F23, 4: F43}


def geometry_fits(w, geo, groups):
    """Winograd F(m x m, 3x3) computes this convolution: dense (groups 1) 3x3, stride 1, no
    dilation."""
    return (groups == 1 and tuple(w.shape[2:]) == (3, 3) and geo.stride == (1, 1)
            and geo.dilation == (1, 1))


def applies(w, geo, groups):
    """Whether conv2d takes the Winograd path: it is switched on (``whiteboard.nn.winograd``),
    the geometry fits and there are >= 2 input channels. With one input channel each product
    U_ξ·V_ξ is an outer product (inner dimension C = 1), so the saving in multiplications is
    worth less than the transforms cost over the O output channels: forward + backward
    measured 2.8-3.1x slower than im2col + GEMM for 1→16 and 1→32 on 8x8 and 28x28 planes
    (F(2x2, 3x3), docs/benchmarks/nn.md)."""
    return _switch.enabled() and geometry_fits(w, geo, groups) and w.shape[1] >= 2


def weight_transform(w, f):
    """U = G w Gᵀ as (patch², O, C) for the F(2x2) paths (``WinogradF43.weight`` has its own
    pass): one product of (G ⊗ G) with the (O·C, 9) kernels transposed, which comes out in U's
    layout (a three-operand einsum here loops naively and cost ~0.1 ms per call)."""
    xp = backend.get_array_module(w)
    o, c = w.shape[:2]
    gg = xp.asarray(f.gg(w.dtype))
    return (gg @ w.reshape(o * c, 9).T).reshape(len(gg), o, c)


def weight_transform_adjoint(du, shape, f):
    """dw = Gᵀ dU G from dU (patch², O, C): dU's (O·C, patch²) rows times (G ⊗ G)."""
    xp = backend.get_array_module(du)
    gg = xp.asarray(f.gg(du.dtype))
    return (du.reshape(len(gg), -1).T @ gg).reshape(shape)


class WinogradF43:
    """Shapes and transforms of F(4x4, 3x3) for one geometry: the path with compiled kernels
    (whiteboard.jit on NumPy arrays), and its NumPy twin.

    Layout of V, M, dM, dV for a chunk of n samples: (36, channels, n·th·tw), ξ = (α, β) at row
    ``6α + β``, the tiles ordered (tile row i, sample s, tile column j): column
    K = (i·n + s)·tw + j (the products U_ξ·V_ξ do not care about the order of the columns). The
    zero-padded input planes of a channel are held as 24 planes P[r, b] of (th + 1, n, tw),
    P[r, b][I, s, j] = padded pixel (4I + r, 4(j + b // 4) + b % 4) of sample s (r < 4, b < 6:
    the planes for b = 4, 5 are those for b = 0, 1 one tile to the right), so that entry (a, b)
    of every patch is one contiguous run — P[a mod 4, b] flattened, from index (a // 4)·n·tw —
    and every transform is a handful of whole-array operations (NumPy twin) or loops over all
    of a channel's tiles that the compiler vectorises (kernels), with the same expressions in
    the same order (the 1-D maps of ``_conv_winograd_jit``).
    """

    f = F43
    xi = F43.patch ** 2

    def __init__(self, geo):
        self.geo = geo
        oh, ow = geo.out_hw
        self.th, self.tw = -(-oh // 4), -(-ow // 4)
        self.run = self.th * self.tw                   # tiles per (channel, sample)

    def weight(self, w):
        """U = G w Gᵀ as (36, O, C): G over the kernel columns, then its rows (``g_1d``; one
        pass over the O·C kernels, where (G ⊗ G)·w as a GEMM has an inner dimension of 9 and ran
        at ~10 GMAC/s: 0.47 ms for 128x128 channels)."""
        xp = backend.get_array_module(w)
        o, c = w.shape[:2]
        w9 = xp.ascontiguousarray(w.reshape(o * c, 9).T)          # row 3p + q: tap (p, q)
        k = _g_constants(w.dtype)
        u = xp.empty((36, o * c), dtype=w.dtype)
        if _compiled(xp, w.dtype):
            kernels.winograd_weight(w9, k, u)
            return u.reshape(36, o, c)
        t = [kernels.g_1d(*w9[3 * p:3 * p + 3], k) for p in range(3)]       # t[p][β]
        for beta in range(6):
            for alpha, val in enumerate(kernels.g_1d(*(t[p][beta] for p in range(3)), k)):
                u[6 * alpha + beta] = val
        return u.reshape(36, o, c)

    def weight_adjoint(self, du, shape):
        """dw = Gᵀ dU G from dU (36, O, C): Gᵀ over α, then over β (``gt_1d``)."""
        xp = backend.get_array_module(du)
        du = du.reshape(36, -1)
        k = _g_constants(du.dtype)
        dwt = xp.empty((9, du.shape[1]), dtype=du.dtype)           # row 3q + p: tap (p, q)
        if _compiled(xp, du.dtype):
            kernels.winograd_weight_adjoint(du, k, dwt)
        else:
            s = [kernels.gt_1d(*du[beta::6], k) for beta in range(6)]      # s[β][p]
            for p in range(3):
                for q, val in enumerate(kernels.gt_1d(*(s[beta][p] for beta in range(6)), k)):
                    dwt[3 * q + p] = val
        o, c = shape[:2]
        return xp.ascontiguousarray(dwt.reshape(3, 3, o, c).transpose(2, 3, 1, 0))

    def input(self, x, out=None):
        """V = Bᵀ d B over every tile, as (36, C, N·run) (written into ``out`` if given):
        Bᵀ over the patch columns b (for each row a), then over the rows a."""
        xp = backend.get_array_module(x)
        n, c, h, w = x.shape
        th, tw, run = self.th, self.tw, self.run
        top, left = self.geo.pads[0], self.geo.pads[2]
        v = xp.empty((self.xi, c, n * run), dtype=x.dtype) if out is None else out
        if _compiled(xp, x.dtype):
            kernels.winograd_input(x, top, left, th, tw, v)
            return v
        pad = xp.zeros((c, n, th + 1, 4, tw + 1, 4), dtype=x.dtype)
        pad.reshape(c, n, 4 * th + 4, 4 * tw + 4)[:, :, top:top + h, left:left + w] = (
            x.transpose(1, 0, 2, 3))
        pl = xp.empty((4, 6, c, th + 1, n, tw), dtype=x.dtype)      # P[r, b]
        for b in range(6):
            pl[:, b] = pad[:, :, :, :, b // 4:b // 4 + tw, b % 4].transpose(3, 0, 2, 1, 4)
        del pad
        pl = pl.reshape(4, 6, c, (th + 1) * n * tw)
        nt = n * tw
        sc = [kernels.bt_1d(*pl[a % 4, :, :, (a // 4) * nt:(a // 4) * nt + n * run])
              for a in range(6)]                          # Bᵀ over b: sc[a][β], (C, n·run)
        del pl
        v6 = v.reshape(6, 6, c, n * run)
        for beta in range(6):
            for alpha, val in enumerate(kernels.bt_1d(*(sc[a][beta] for a in range(6)))):
                v6[alpha, beta] = val
        return v

    def input_adjoint(self, dv, c, dx):
        """dx (N, C, H, W), written into ``dx``, from dV (36, C, N·run): the input transform's
        steps backwards — B over α, B over β, the patch rows a >= 4 added into the next tile
        row's planes, the planes put back into the padded plane (b >= 4 one tile right)."""
        xp = backend.get_array_module(dv)
        n, h, w = dx.shape[0], dx.shape[2], dx.shape[3]
        th, tw = self.th, self.tw
        top, left = self.geo.pads[0], self.geo.pads[2]
        if _compiled(xp, dv.dtype):
            kernels.winograd_input_adjoint(dv.reshape(self.xi, c, n * self.run), top, left,
                                           th, tw, dx)
            return
        dv6 = dv.reshape(6, 6, c, th, n, tw)
        e = [kernels.b_1d(*dv6[:, beta]) for beta in range(6)]        # B over α: e[β][a]
        f = [kernels.b_1d(*(e[beta][a] for beta in range(6))) for a in range(6)]  # f[a][b]
        del e
        pl = xp.zeros((4, 6, c, th + 1, n, tw), dtype=dv.dtype)
        for b in range(6):
            for ra in range(4):
                pl[ra, b, :, :th] = f[ra][b]
            for ra in range(2):
                pl[ra, b, :, 1:] += f[ra + 4][b]
        del f
        pad = xp.zeros((c, n, th + 1, 4, tw + 1, 4), dtype=dv.dtype)
        for ra in range(4):
            for rb in range(4):
                pad[:, :, :, ra, :tw, rb] = pl[ra, rb].transpose(0, 2, 1, 3)
            for rb in range(2):
                pad[:, :, :, ra, 1:, rb] += pl[ra, rb + 4].transpose(0, 2, 1, 3)
        pad = pad.reshape(c, n, 4 * th + 4, 4 * tw + 4)
        dx[...] = pad[:, :, top:top + h, left:left + w].transpose(1, 0, 2, 3)

    def output(self, m, out, bias=None):
        """Y = Aᵀ (M + bias at M[1, 1]) A from M (36, O, N·run) (M[1, 1] is overwritten),
        written into ``out`` (N, O, OH, OW): Aᵀ over α, then over β."""
        n, o, oh, ow = out.shape
        th, tw = self.th, self.tw
        xp = backend.get_array_module(m)
        if _compiled(xp, m.dtype):
            has_bias = bias is not None
            kernels.winograd_output(m.reshape(self.xi, o, n * self.run),
                                    bias if has_bias else m[0, :1, 0], has_bias, th, tw, out)
            return
        if bias is not None:
            m[self.f.ones] += bias[:, None]
        t = [kernels.at_1d(*(m[6 * alpha + beta] for alpha in range(6)))   # t[β][r]
             for beta in range(6)]
        exact = (oh, ow) == (4 * th, 4 * tw)
        full = out if exact else xp.empty((n, o, 4 * th, 4 * tw), dtype=out.dtype)
        out6 = full.reshape(n, o, th, 4, tw, 4)
        for r in range(4):
            for u, y in enumerate(kernels.at_1d(*(t[beta][r] for beta in range(6)))):
                out6[:, :, :, r, :, u] = y.reshape(o, th, n, tw).transpose(2, 0, 1, 3)
        if not exact:
            out[...] = full[:, :, :oh, :ow]

    def output_adjoint(self, g):
        """dM = A dY Aᵀ as (36, O, N·run) from the output gradient dY (N, O, OH, OW): A over
        the columns, then over the rows."""
        xp = backend.get_array_module(g)
        n, o, oh, ow = g.shape
        th, tw = self.th, self.tw
        dm = xp.empty((self.xi, o, n * self.run), dtype=g.dtype)
        if _compiled(xp, g.dtype):
            kernels.winograd_output_adjoint(g, th, tw, dm)
            return dm
        if (oh, ow) != (4 * th, 4 * tw):
            full = xp.zeros((n, o, 4 * th, 4 * tw), dtype=g.dtype)
            full[:, :, :oh, :ow] = g
            g = full
        g6 = g.reshape(n, o, th, 4, tw, 4)
        e = [kernels.a_1d(*(g6[:, :, :, r, :, u].transpose(1, 2, 0, 3) for u in range(4)))
             for r in range(4)]                                      # e[r][β]: (O, th, n, tw)
        d6 = dm.reshape(6, 6, o, th, n, tw)
        for beta in range(6):
            for alpha, val in enumerate(kernels.a_1d(*(e[r][beta] for r in range(4)))):
                d6[alpha, beta] = val
        return dm


class WinogradF23:
    """Shapes and transforms of F(2x2, 3x3) for one geometry: the NumPy path of the phase
    layout (whiteboard.jit switched off or Numba absent, and CuPy arrays).

    F(2x2)'s transforms are a few whole-array additions each, where F(4x4)'s 6-point maps need
    ~20 passes each over whole arrays in NumPy (measured: the F(4x4) NumPy twin takes
    forward + backward 2.2x torch's time on the benchmark layer against 1.1-1.2x for this path),
    so without compiled kernels the smaller tile is the faster one.

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

    f = F23
    xi = F23.patch ** 2

    def weight(self, w):
        return weight_transform(w, self.f)

    def weight_adjoint(self, du, shape):
        return weight_transform_adjoint(du, shape, self.f)

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

    def output(self, m, out, bias=None):
        """Y = Aᵀ (M + bias at M[1, 1]) A from M (16, O, N·run) (overwritten), written into
        ``out`` (N, O, OH, OW). M[1, 1] reaches all four outputs of a tile with weight 1."""
        n, o, oh, ow = out.shape
        th, tw = self.th, self.tw
        xp = backend.get_array_module(m)
        if (oh, ow) != (2 * th, 2 * tw):
            full = xp.empty((n, o, 2 * th, 2 * tw), dtype=out.dtype)
            self.output(m, full, bias)
            out[...] = full[:, :, :oh, :ow]
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


@functools.lru_cache(maxsize=8)
def _g_constants(dtype):
    """(¼, ⅙, 1/12, 1/24) in ``dtype``: the entries of F(4, 3)'s G, for ``g_1d``/``gt_1d``."""
    k = np.array([1 / 4, 1 / 6, 1 / 12, 1 / 24], dtype=dtype)
    k.setflags(write=False)
    return k


def _compiled(xp, dtype):
    """Whether the transforms run as compiled kernels (``whiteboard.jit``): NumPy arrays of
    float32 or float64 (Numba has no float16 arithmetic)."""
    return xp is np and jit.enabled() and np.dtype(dtype) in _KERNEL_DTYPES


_KERNEL_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def phase_transforms(geo, xp=np, dtype=np.float32):
    """The phase-path transforms for one geometry: F(4x4, 3x3) where its compiled kernels run,
    F(2x2, 3x3) on the NumPy path (see ``WinogradF23``)."""
    return WinogradF43(geo) if _compiled(xp, dtype) else WinogradF23(geo)


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
# short as a tile row (2-3 elements for a 4x4 output), so the NumPy transforms spend their time in
# NumPy's per-run overhead (a 64x16x4x4 → 32-channel layer: 2.3 ms forward + backward, against
# 1.1 ms through im2col + GEMM and 0.73-0.76 ms through this path). Here each transform is one
# GEMM with its whole-plane matrix: for F(m x m, 3x3) with patch p = m + 2, the input transform
# of one (sample, channel) plane is the linear map
#
#     T_in = (Bᵀ-rows of tile rows) ⊗ (Bᵀ-rows of tile columns): (p²·tiles, H·W)
#
# (row ((α, β), (i, j)) of T_in holds Bᵀ[α, a]·Bᵀ[β, b] at the input pixel (m·i + a − top,
# m·j + b − left); the zero padding is simply absent), and the output transform is
# T_out: (OH·OW, p²·tiles), holding Aᵀ[r, α]·Aᵀ[s, β] at output pixel (m·i + r, m·j + s), the
# crop included. For the whole batch:
#
#     V = T_in · Xᵀ: (p²·tiles, N·C)       M_ξ = V_ξ · U_ξᵀ: (tiles·N, O)      Y = Mᵀ · T_outᵀ
#
# with X = x as (N·C, H·W) and Y = y as (N·O, OH·OW): no copies between the products (every
# operand is a plain or transposed matrix). The backward pass is the adjoint,
# dM = T_outᵀ · dYᵀ, dUᵀ_ξ = V_ξᵀ · dM_ξ, dV_ξ = dM_ξ · U_ξ, dX = dVᵀ · T_in. T_in and T_out
# are dense, so their GEMMs cost p²·tiles·H·W multiplications per plane, ~(H·W)²: worth it
# only while the plane is small (DENSE_PLANE_MAX, measured in docs/benchmarks/nn.md). The path
# runs F(2, 3) (DENSE_TILE), as measured there; F(4, 3) on these planes is untried.
DENSE_PLANE_MAX = 36
DENSE_TILE = 2


@functools.lru_cache(maxsize=64)
def _plane_matrices(geo_key, dtype, tile=DENSE_TILE):
    """(T_in, T_out, tiles) of the dense plane path of F(tile x tile, 3x3) for one geometry."""
    (h, w), (top, _, left, _), (oh, ow) = geo_key
    f = TRANSFORMS[tile]
    p = f.patch
    th, tw = -(-oh // tile), -(-ow // tile)

    def t_in(size, lo, tiles):                     # (p, tiles, size): Bᵀ row k of tile t
        t = np.zeros((p, tiles, size))
        for j in range(tiles):
            for b in range(p):
                if 0 <= tile * j + b - lo < size:
                    t[:, j, tile * j + b - lo] = f.bt[:, b]
        return t

    def t_out(size, tiles):                        # (size, p, tiles): Aᵀ[r] of tile t's row r
        t = np.zeros((size, p, tiles))
        for i in range(tiles):
            for r in range(min(tile, size - tile * i)):
                t[tile * i + r, :, i] = f.at[r]
        return t

    tin = np.einsum("aip,bjq->abijpq", t_in(h, top, th), t_in(w, left, tw))
    tout = np.einsum("raI,sbJ->rsabIJ", t_out(oh, th), t_out(ow, tw))
    tiles = th * tw
    return (tin.reshape(p * p * tiles, h * w).astype(dtype),
            tout.reshape(oh * ow, p * p * tiles).astype(dtype), tiles)


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
    f = TRANSFORMS[DENSE_TILE]
    tin, tout, tiles = _plane_matrices((geo.in_hw, geo.pads, geo.out_hw), x.dtype.str,
                                       DENSE_TILE)
    tin, tout = xp.asarray(tin), xp.asarray(tout)
    xi = f.patch ** 2
    u = weight_transform(weight.data, f)                           # (xi, O, C)
    v = tin @ x.data.reshape(n * c, h * w).T                       # (xi·tiles, N·C)
    v3 = v.reshape(xi, tiles * n, c)
    m = v3 @ u.transpose(0, 2, 1)                                  # (xi, tiles·N, O)
    if bias is not None:            # M[1, 1] reaches every output of a tile with weight 1
        m[f.ones] += bias.data
    y = (m.reshape(xi * tiles, n * o).T @ tout.T).reshape(n, o, oh, ow)

    def backward(grad):
        gx = gw = gb = None
        dm = (tout.T @ grad.reshape(n * o, oh * ow).T).reshape(xi, tiles * n, o)
        if bias is not None and bias.requires_grad:
            gb = dm[f.ones].sum(axis=0)
        if weight.requires_grad:
            du = dm.transpose(0, 2, 1) @ v3                            # (xi, O, C)
            gw = weight_transform_adjoint(du, weight.shape, f)
        if x.requires_grad:
            dv = dm @ u                                                # (xi, tiles·N, C)
            gx = (dv.reshape(xi * tiles, n * c).T @ tin).reshape(x.shape)
        return (gx, gw) if bias is None else (gx, gw, gb)

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(y, parents, backward, "Conv2d")


# Samples per Winograd chunk: the transforms and products run over a few samples at a time so
# that their temporaries stay in cache (and small enough to be reused by the allocator rather than
# mapped afresh, which costs a page fault per 4 KiB on every step).
CHUNK_BYTES = 1 << 21


def conv2d_winograd(x, weight, bias, geo):
    """conv2d through Winograd (see above), with its adjoint backward pass: F(2x2, 3x3) on
    small planes (dense plane path), F(4x4, 3x3) otherwise.

    Runs over chunks of samples. Each chunk's input transform V is kept for the weight
    gradient, in the same allocation as the output: kept as separate arrays they made the
    allocator map fresh pages on every step, and those page faults cost more than the
    transform."""
    if dense_plane(geo):
        return _conv2d_winograd_dense(x, weight, bias, geo)
    xp = x.xp
    wino = phase_transforms(geo, xp, x.dtype)
    n = x.shape[0]
    o, c = weight.shape[:2]
    step = max(1, CHUNK_BYTES // (wino.xi * max(o, c) * wino.run * x.data.itemsize))
    u = wino.weight(weight.data)                                   # (ξ, O, C)
    oh, ow = geo.out_hw
    size = n * o * oh * ow
    keep = weight.requires_grad
    store = xp.empty(size + (wino.xi * c * n * wino.run if keep else 0), dtype=x.dtype)
    y = store[:size].reshape(n, o, oh, ow)
    saved = []
    for lo in range(0, n, step):
        cnt = min(step, n - lo)
        v = None
        if keep:
            start = size + wino.xi * c * lo * wino.run
            v = store[start:start + wino.xi * c * cnt * wino.run].reshape(wino.xi, c,
                                                                          cnt * wino.run)
            saved.append(v)
        m = u @ wino.input(x.data[lo:lo + step], v)
        wino.output(m, y[lo:lo + step], None if bias is None else bias.data)

    def backward(g):
        gx = gw = gb = None
        if x.requires_grad:
            gx = xp.empty(x.shape, dtype=x.dtype)
        du = None
        want_gb = bias is not None and bias.requires_grad
        if want_gb and gx is None and du is None:
            gb, want_gb = g.sum(axis=(0, 2, 3)), False
        elif want_gb:
            gb = xp.zeros(bias.shape, dtype=bias.dtype)
        for k, lo in enumerate(range(0, n, step)):
            dm = wino.output_adjoint(g[lo:lo + step])              # (ξ, O, chunk tiles)
            if want_gb:                 # dM[1, 1] = the sum of the tile's dY (cropped ones 0)
                gb += dm[wino.f.ones].sum(axis=1)
            if weight.requires_grad:
                part = dm @ saved[k].transpose(0, 2, 1)                # (ξ, O, C)
                du = part if du is None else xp.add(du, part, out=du)
            if gx is not None:
                wino.input_adjoint(u.transpose(0, 2, 1) @ dm, c, gx[lo:lo + step])
        if du is not None:
            gw = wino.weight_adjoint(du, weight.shape)
        return (gx, gw) if bias is None else (gx, gw, gb)

    parents = (x, weight) if bias is None else (x, weight, bias)
    return Tensor._make(y, parents, backward, "Conv2d")
