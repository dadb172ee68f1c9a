"""Compiled twins (``whiteboard.jit`` kernels) of the four Winograd F(2x2, 3x3) transforms of
:class:`whiteboard.nn._conv_winograd.Winograd`: input, output (+ bias), output adjoint, input
adjoint. Each is one pass over its tiles with a few scalars of scratch, where the NumPy twin makes
8-12 whole-array passes (each an add or a subtract over every tile) through L2. The products
U_ξ·V_ξ stay in BLAS; the layouts in and out are the NumPy twin's ("phases" with one junk tile per
tile row, see ``Winograd``), and every value is computed with the same additions in the same
order, so both paths give the same numbers (junk tiles aside, whose values are never read).

With d the 4x4 patch of tile (i, j) (padded pixels (2i + a, 2j + b)) and the 1-D maps

    Bᵀ: (d0 − d2, d1 + d2, d2 − d1, d1 − d3)       B: (e0, e1 − e2 + e3, e2 + e1 − e0, −e3)
    Aᵀ: (m0 + m1 + m2, m1 − m2 − m3)                A: (g0, g1 + g0, g0 − g1, −g1)

the kernels compute V = Bᵀ d B (rows first), Y = Aᵀ M A (rows first), dM = A dY Aᵀ (columns
first) and dx = Σ_t B dV_t Bᵀ (columns first, overlapping patches added as they come).
Tests: ``tests/nn/test_conv_winograd.py`` (both paths, against torch and each other).
"""

import numpy as np

from .. import jit


@jit.kernel
def winograd_input(x, top, left, th, tw, v):
    """V[(α, β), c, s·run + i·(tw + 1) + j] = (Bᵀ d B)[α, β] for every tile (i, j < tw) of
    x (n, C, H, W) zero-padded by (top, left); the junk tile j = tw gets 0. v: (16, C, n·run)."""
    n, c_in, h, w = x.shape
    run = th * (tw + 1)
    wp = 2 * tw + 2
    rows = np.zeros((4, wp), dtype=v.dtype)        # the patch rows 2i..2i+3, padded columns
    t = np.empty((4, wp), dtype=v.dtype)           # Bᵀ over those rows, per padded column
    for s in range(n):
        for c in range(c_in):
            for i in range(th):
                for a in range(4):
                    r = 2 * i + a - top
                    for q in range(wp):
                        col = q - left
                        if 0 <= r < h and 0 <= col < w:
                            rows[a, q] = x[s, c, r, col]
                        else:
                            rows[a, q] = 0.0
                for q in range(wp):
                    t[0, q] = rows[0, q] - rows[2, q]
                    t[1, q] = rows[1, q] + rows[2, q]
                    t[2, q] = rows[2, q] - rows[1, q]
                    t[3, q] = rows[1, q] - rows[3, q]
                base = s * run + i * (tw + 1)
                for alpha in range(4):
                    for j in range(tw):
                        q = 2 * j
                        v[4 * alpha, c, base + j] = t[alpha, q] - t[alpha, q + 2]
                        v[4 * alpha + 1, c, base + j] = t[alpha, q + 1] + t[alpha, q + 2]
                        v[4 * alpha + 2, c, base + j] = t[alpha, q + 2] - t[alpha, q + 1]
                        v[4 * alpha + 3, c, base + j] = t[alpha, q + 1] - t[alpha, q + 3]
                    for beta in range(4):
                        v[4 * alpha + beta, c, base + tw] = 0.0


@jit.kernel
def winograd_output(m, bias, has_bias, th, tw, out):
    """out[s, o, 2i + r, 2j + u] = (Aᵀ M A)[r, u] of tile (i, j) from M (16, O, n·run) (not
    modified), the bias added to M[1, 1] first (as the NumPy twin). out: (n, O, 2·th, 2·tw)."""
    n, o_out = out.shape[0], out.shape[1]
    run = th * (tw + 1)
    for s in range(n):
        for o in range(o_out):
            for i in range(th):
                base = s * run + i * (tw + 1)
                for j in range(tw):
                    k = base + j
                    m5 = m[5, o, k]
                    if has_bias:
                        m5 = m5 + bias[o]
                    # rows: t[r][β] = Aᵀ[r] · M[:, β]
                    t00 = (m[0, o, k] + m[4, o, k]) + m[8, o, k]
                    t01 = (m[1, o, k] + m5) + m[9, o, k]
                    t02 = (m[2, o, k] + m[6, o, k]) + m[10, o, k]
                    t03 = (m[3, o, k] + m[7, o, k]) + m[11, o, k]
                    t10 = (m[4, o, k] - m[8, o, k]) - m[12, o, k]
                    t11 = (m5 - m[9, o, k]) - m[13, o, k]
                    t12 = (m[6, o, k] - m[10, o, k]) - m[14, o, k]
                    t13 = (m[7, o, k] - m[11, o, k]) - m[15, o, k]
                    out[s, o, 2 * i, 2 * j] = (t00 + t01) + t02
                    out[s, o, 2 * i, 2 * j + 1] = (t01 - t02) - t03
                    out[s, o, 2 * i + 1, 2 * j] = (t10 + t11) + t12
                    out[s, o, 2 * i + 1, 2 * j + 1] = (t11 - t12) - t13


@jit.kernel
def winograd_output_adjoint(g, th, tw, dm):
    """dM = A dY Aᵀ (16, O, n·run) from dY (n, O, OH, OW); entries of dY past OH, OW (the crop
    of an odd size) and the junk tiles read as 0."""
    n, o_out, oh, ow = g.shape
    run = th * (tw + 1)
    zero = np.zeros(1, dtype=dm.dtype)[0]         # typed: float32 stays float32
    for s in range(n):
        for o in range(o_out):
            for i in range(th):
                base = s * run + i * (tw + 1)
                for j in range(tw + 1):
                    k = base + j
                    y0, x0 = 2 * i, 2 * j
                    g00 = g[s, o, y0, x0] if y0 < oh and x0 < ow else zero
                    g01 = g[s, o, y0, x0 + 1] if y0 < oh and x0 + 1 < ow else zero
                    g10 = g[s, o, y0 + 1, x0] if y0 + 1 < oh and x0 < ow else zero
                    g11 = g[s, o, y0 + 1, x0 + 1] if y0 + 1 < oh and x0 + 1 < ow else zero
                    # columns (β) of rows α = 0, 1: (g0, g1 + g0, g0 − g1, −g1)
                    e01, e02, e03 = g01 + g00, g00 - g01, -g01
                    e11, e12, e13 = g11 + g10, g10 - g11, -g11
                    # rows (α) of every column
                    dm[0, o, k] = g00
                    dm[1, o, k] = e01
                    dm[2, o, k] = e02
                    dm[3, o, k] = e03
                    dm[4, o, k] = g10 + g00
                    dm[5, o, k] = e11 + e01
                    dm[6, o, k] = e12 + e02
                    dm[7, o, k] = e13 + e03
                    dm[8, o, k] = g00 - g10
                    dm[9, o, k] = e01 - e11
                    dm[10, o, k] = e02 - e12
                    dm[11, o, k] = e03 - e13
                    dm[12, o, k] = -g10
                    dm[13, o, k] = -e11
                    dm[14, o, k] = -e12
                    dm[15, o, k] = -e13


@jit.kernel
def winograd_input_adjoint(dv, top, left, th, tw, dx):
    """dx (n, C, H, W) = the sum over tiles of B dV_t Bᵀ placed at the tile's padded patch,
    cropped to the input, from dV (16, C, n·run) (not modified; junk tiles skipped)."""
    n, c_in, h, w = dx.shape
    run = th * (tw + 1)
    wp = 2 * tw + 2
    cols = np.empty((4, wp), dtype=dx.dtype)   # rows α of a tile row, column-transformed, added
    prev = np.zeros((2, wp), dtype=dx.dtype)   # rows a = 2, 3 of the tile row above
    zero = np.zeros(1, dtype=dx.dtype)[0]
    for s in range(n):
        for c in range(c_in):
            for i in range(th + 1):
                if i < th:
                    cols[:, :] = 0.0
                    base = s * run + i * (tw + 1)
                    for alpha in range(4):
                        for j in range(tw):
                            k = base + j
                            d0 = dv[4 * alpha, c, k]
                            d1 = dv[4 * alpha + 1, c, k]
                            d2 = dv[4 * alpha + 2, c, k]
                            d3 = dv[4 * alpha + 3, c, k]
                            q = 2 * j
                            cols[alpha, q] += d0
                            cols[alpha, q + 1] += (d1 - d2) + d3
                            cols[alpha, q + 2] += (d2 + d1) - d0
                            cols[alpha, q + 3] += -d3
                for a in range(2):                 # padded rows 2i, 2i + 1
                    r = 2 * i + a - top
                    for q in range(wp):
                        if i < th:
                            e0, e1, e2, e3 = cols[0, q], cols[1, q], cols[2, q], cols[3, q]
                            val = (e0 if a == 0 else (e1 - e2) + e3)
                            val = val + prev[a, q] if i > 0 else val
                            nxt = (e2 + e1) - e0 if a == 0 else -e3
                        else:
                            val = prev[a, q]
                            nxt = zero
                        col = q - left
                        if 0 <= r < h and 0 <= col < w:
                            dx[s, c, r, col] = val
                        prev[a, q] = nxt
