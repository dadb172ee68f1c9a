"""The 1-D transforms of Winograd F(4x4, 3x3), written once for both paths, and the compiled
twins (``whiteboard.jit`` kernels) of the four 2-D transforms of
:class:`whiteboard.nn._conv_winograd.Winograd`: input, output (+ bias), output adjoint, input
adjoint.

The four 1-D maps (``bt_1d``, ``b_1d``, ``at_1d``, ``a_1d``) are :func:`whiteboard.jit.shared`
functions of plain values: the NumPy path calls them on whole arrays (one call transforms every
tile at once), the kernels call them on scalars, inlined, one tile at a time. Both paths therefore
evaluate the same expressions in the same order and give the same numbers bit for bit; the kernels
only replace the NumPy path's passes over whole arrays (each ~20 temporaries through memory) by
one pass over the tiles with a few scalars of scratch. The products U_ξ·V_ξ stay in BLAS.

The maps use additions and subtractions only: the integer coefficients of Bᵀ and Aᵀ (2, 4, 5, 8)
are built as x + x (exact doubling) and sums, so no float64 literal meets a float32 value
(Numba would widen the expression to float64) and no multiply can be fused into an FMA.
Tests: ``tests/nn/test_conv_winograd.py`` (both paths, against torch and each other).
"""

import numpy as np

from .. import jit


@jit.shared
def bt_1d(d0, d1, d2, d3, d4, d5):
    """Bᵀ d for a 6-vector (rows of Bᵀ = [[4, 0, −5, 0, 1, 0], [0, −4, −4, 1, 1, 0],
    [0, 4, −4, −1, 1, 0], [0, −2, −1, 2, 1, 0], [0, 2, −1, −2, 1, 0], [0, 4, 0, −5, 0, 1]])."""
    a = d4 - d2
    b = d3 - d1
    b2 = b + b                                      # 2(d3 − d1)
    f = d0 - d2
    f2 = f + f
    d1x2 = d1 + d1
    d2x2 = d2 + d2
    c = d4 - (d2x2 + d2x2)                          # d4 − 4d2
    e = d3 - (d1x2 + d1x2)                          # d3 − 4d1
    return ((f2 + f2) + a, c + e, c - e, a + b2, a - b2, (d5 - d3) - (b2 + b2))


@jit.shared
def b_1d(e0, e1, e2, e3, e4, e5):
    """B e (the adjoint of ``bt_1d``): the columns of Bᵀ against e,
    (4e0, −4e1 + 4e2 − 2e3 + 2e4 + 4e5, −5e0 − 4e1 − 4e2 − e3 − e4, e1 − e2 + 2e3 − 2e4 − 5e5,
    e0 + e1 + e2 + e3 + e4, e5)."""
    p = e2 - e1
    q = e4 - e3
    q2 = q + q
    pe = p + e5
    pe2 = pe + pe
    e5x2 = e5 + e5
    u = e0 + (e1 + e2)
    u2 = u + u
    t = e3 + e4
    e0x2 = e0 + e0
    return (e0x2 + e0x2, (pe2 + pe2) + q2, -((u2 + u2) + (e0 + t)),
            -((p + q2) + ((e5x2 + e5x2) + e5)), u + t, e5)


@jit.shared
def at_1d(m0, m1, m2, m3, m4, m5):
    """Aᵀ m for a 6-vector (rows of Aᵀ = [[1, 1, 1, 1, 1, 0], [0, 1, −1, 2, −2, 0],
    [0, 1, 1, 4, 4, 0], [0, 1, −1, 8, −8, 1]])."""
    s12 = m1 + m2
    d12 = m1 - m2
    s34 = m3 + m4
    d34 = m3 - m4
    d2 = d34 + d34
    d4 = d2 + d2
    s2 = s34 + s34
    return ((m0 + s12) + s34, d12 + d2, s12 + (s2 + s2), (d12 + (d4 + d4)) + m5)


@jit.shared
def a_1d(g0, g1, g2, g3):
    """A g (the adjoint of ``at_1d``): (g0, g0 + g1 + g2 + g3, g0 − g1 + g2 − g3,
    g0 + 2g1 + 4g2 + 8g3, g0 − 2g1 + 4g2 − 8g3, g3)."""
    se = g0 + g2
    so = g1 + g3
    g2x2 = g2 + g2
    e2 = g0 + (g2x2 + g2x2)                         # g0 + 4g2
    g3x2 = g3 + g3
    h = g1 + (g3x2 + g3x2)                          # g1 + 4g3
    o2 = h + h
    return (g0, se + so, se - so, e2 + o2, e2 - o2, g3)


@jit.shared
def g_1d(w0, w1, w2, k):
    """G w for a 3-vector (rows of G = [[¼, 0, 0], [−⅙, −⅙, −⅙], [−⅙, ⅙, −⅙],
    [1/24, 1/12, ⅙], [1/24, −1/12, ⅙], [0, 0, 1]]); ``k`` = (¼, ⅙, 1/12, 1/24) in the
    arrays' dtype, so that float32 stays float32."""
    s = w0 + w2
    w1x2 = w1 + w1
    w2x2 = w2 + w2
    e = w0 + (w2x2 + w2x2)                          # w0 + 4w2
    return (w0 * k[0], -((s + w1) * k[1]), -((s - w1) * k[1]), (e + w1x2) * k[3],
            (e - w1x2) * k[3], w2)


@jit.shared
def gt_1d(u0, u1, u2, u3, u4, u5, k):
    """Gᵀ u (the adjoint of ``g_1d``): (¼u0 − ⅙(u1 + u2) + (u3 + u4)/24,
    ⅙(u2 − u1) + (u3 − u4)/12, ⅙(u3 + u4 − u1 − u2) + u5)."""
    p = u1 + u2
    q = u3 + u4
    return ((u0 * k[0] - p * k[1]) + q * k[3], (u2 - u1) * k[1] + (u3 - u4) * k[2],
            (q - p) * k[1] + u5)


@jit.shared
def _store(a, first, step, j, k, vals):
    """a[first + step·i, j, k] = vals[i] for each value: a 1-D map's outputs into rows of a (one
    row each, so that the loop over k stays a vector loop)."""
    for i in range(len(vals)):
        a[first + step * i, j, k] = vals[i]


@jit.shared
def _store2(a, first, step, k, vals):
    """a[first + step·i, k] = vals[i] for each value (``_store`` for a 2-D a)."""
    for i in range(len(vals)):
        a[first + step * i, k] = vals[i]


@jit.kernel
def winograd_weight(w9, k, u):
    """U = G w Gᵀ (36, O·C) from the kernels w9 (9, O·C), row 3p + q = tap (p, q): G over the
    columns q (for each row p), then over the rows p, as the NumPy twin."""
    oc = w9.shape[1]
    t = np.empty((6, 3, oc), dtype=u.dtype)            # G over q: [β, p, ·]
    for p in range(3):
        for i in range(oc):
            _store(t, 0, 1, p, i, g_1d(w9[3 * p, i], w9[3 * p + 1, i], w9[3 * p + 2, i], k))
    for beta in range(6):
        for i in range(oc):
            _store2(u, beta, 6, i, g_1d(t[beta, 0, i], t[beta, 1, i], t[beta, 2, i], k))


@jit.kernel
def winograd_weight_adjoint(du, k, dwt):
    """dw = Gᵀ dU G from dU (36, O·C) into dwt (9, O·C), row 3q + p = tap (p, q) (transposed
    taps: each loop writes adjacent rows, see below): Gᵀ over α (for each β), then over β."""
    oc = du.shape[1]
    s = np.empty((3, 6, oc), dtype=dwt.dtype)          # Gᵀ over α: [p, β, ·]
    for beta in range(6):
        for i in range(oc):
            _store(s, 0, 1, beta, i, gt_1d(du[beta, i], du[6 + beta, i], du[12 + beta, i],
                                           du[18 + beta, i], du[24 + beta, i], du[30 + beta, i], k))
    for p in range(3):
        for i in range(oc):
            _store2(dwt, p, 3, i, gt_1d(s[p, 0, i], s[p, 1, i], s[p, 2, i], s[p, 3, i], s[p, 4, i],
                                        s[p, 5, i], k))


# The tile layout (that of the NumPy twin, see ``WinogradF43``): the tiles of a chunk of n samples
# are ordered (tile row i, sample s, tile column j), column K = (i·n + s)·tw + j, and the
# zero-padded planes of one channel are held as 24 "planes" P[r, b] of (th + 1, n, tw),
# P[r, b][I, s, j] = padded pixel (4I + r, 4(j + b // 4) + b % 4) of sample s, so that patch
# entry (a, b) of every tile is P[a mod 4, b] flattened, from index (a // 4)·n·tw. Every 1-D
# transform is then one loop over all n·th·tw tiles of a channel (441 for nine 28x28 samples),
# which the compiler vectorises; only the copies between the image layout (rows of pixels) and
# the tile layout go element by element, through a zero-padded row buffer so that they need no
# bounds tests.
#
# Two details keep those loops vectorised. A loop over one plane's 49 tiles would be shorter
# than its 16-lane x 4 unrolled vector body and run the scalar remainder; hence all n samples
# at once. And each loop writes its outputs to six rows of one array, so LLVM checks at run time
# that those rows do not overlap; it widens the check to every iteration of the enclosing loop,
# so the enclosing loop's index must select adjacent rows (t[r, β] for a loop over β writing
# r = 0..3) — were it to step through whole blocks of rows, the widened ranges would overlap,
# the check fail and the loop run scalar (measured 6-7x slower).


@jit.kernel
def winograd_input(x, top, left, th, tw, v):
    """V[(α, β), c, K] = (Bᵀ d B)[α, β] for every tile K = (i·n + s)·tw + j of x (n, C, H, W)
    zero-padded by (top, left), d the 6x6 patch at padded pixel (4i, 4j) of sample s: the planes
    P[r, b], Bᵀ over the patch columns b (for each row a), then over the rows a.
    v: (36, C, n·th·tw)."""
    n, c_in, h, w = x.shape
    nt = n * tw                                            # one tile row of every sample
    run = th * nt
    pl = np.zeros((4, 6, run + nt), dtype=v.dtype)         # padding entries stay zero
    rows = np.zeros((n, 4 * tw), dtype=v.dtype)            # padded columns < 4·tw of a row
    edge = np.zeros((n, 2), dtype=v.dtype)                 # and columns 4·tw, 4·tw + 1
    flat = rows.reshape(n * 4 * tw)                        # [4·(s·tw + j) + u]
    inner = min(w, 4 * tw - left)
    sc = np.empty((6, 6, run), dtype=v.dtype)              # Bᵀ over b: [β, a, K]
    for c in range(c_in):
        for r in range(h):
            for s in range(n):
                xr, dst = x[s, c, r], rows[s]
                for col in range(inner):
                    dst[left + col] = xr[col]
                for col in range(inner, w):
                    edge[s, left + col - 4 * tw] = xr[col]
            p = r + top
            ra, off = p & 3, (p >> 2) * nt
            for k in range(nt):
                pl[ra, 0, off + k] = flat[4 * k]
                pl[ra, 1, off + k] = flat[4 * k + 1]
                pl[ra, 2, off + k] = flat[4 * k + 2]
                pl[ra, 3, off + k] = flat[4 * k + 3]
            for k in range(nt - 1):                        # b = 4, 5: the next tile's 0, 1
                pl[ra, 4, off + k] = flat[4 * k + 4]
                pl[ra, 5, off + k] = flat[4 * k + 5]
            for s in range(n):                             # the last tile of each sample
                pl[ra, 4, off + s * tw + tw - 1] = edge[s, 0]
                pl[ra, 5, off + s * tw + tw - 1] = edge[s, 1]
        for a in range(4):                                 # patch rows 0-3: P[a, b]
            for k in range(run):
                _store(sc, 0, 1, a, k, bt_1d(pl[a, 0, k], pl[a, 1, k], pl[a, 2, k], pl[a, 3, k],
                                             pl[a, 4, k], pl[a, 5, k]))
        for a in range(4, 6):                              # rows 4, 5: P[a - 4, b], next row
            for k in range(run):
                q = k + nt
                _store(sc, 0, 1, a, k, bt_1d(pl[a - 4, 0, q], pl[a - 4, 1, q], pl[a - 4, 2, q],
                                             pl[a - 4, 3, q], pl[a - 4, 4, q], pl[a - 4, 5, q]))
        for beta in range(6):
            for k in range(run):
                _store(v, beta, 6, c, k, bt_1d(sc[beta, 0, k], sc[beta, 1, k], sc[beta, 2, k],
                                               sc[beta, 3, k], sc[beta, 4, k], sc[beta, 5, k]))


@jit.kernel
def winograd_output(m, bias, has_bias, th, tw, out):
    """out[s, o, 4i + r, 4j + u] = (Aᵀ M A)[r, u] of tile (i, s, j) from M (36, O, n·th·tw),
    the bias added to M[1, 1] first (in place, as the NumPy twin), Aᵀ over α first; entries past
    the output (the crop of a size that is not a multiple of 4) are not written.
    out: (n, O, OH, OW)."""
    n, o_out, oh, ow = out.shape
    nt = n * tw
    run = th * nt
    t = np.empty((4, 6, run), dtype=out.dtype)         # Aᵀ over α: [r, β, K]
    y = np.empty((4, 4, run), dtype=out.dtype)         # then over β: [u, r, K]
    rows = np.empty((n, 4 * tw), dtype=out.dtype)          # one output row of every sample
    flat = rows.reshape(n * 4 * tw)
    for o in range(o_out):
        if has_bias:
            for k in range(run):
                m[7, o, k] = m[7, o, k] + bias[o]
        for beta in range(6):
            for k in range(run):
                _store(t, 0, 1, beta, k, at_1d(m[beta, o, k], m[6 + beta, o, k], m[12 + beta, o, k],
                                               m[18 + beta, o, k], m[24 + beta, o, k],
                                               m[30 + beta, o, k]))
        for r in range(4):
            for k in range(run):
                _store(y, 0, 1, r, k, at_1d(t[r, 0, k], t[r, 1, k], t[r, 2, k], t[r, 3, k],
                                            t[r, 4, k], t[r, 5, k]))
        for p in range(oh):
            r, off = p & 3, (p >> 2) * nt
            for k in range(nt):
                flat[4 * k] = y[0, r, off + k]
                flat[4 * k + 1] = y[1, r, off + k]
                flat[4 * k + 2] = y[2, r, off + k]
                flat[4 * k + 3] = y[3, r, off + k]
            for s in range(n):
                src, dst = rows[s], out[s, o, p]
                for col in range(ow):
                    dst[col] = src[col]


@jit.kernel
def winograd_output_adjoint(g, th, tw, dm):
    """dM = A dY Aᵀ (36, O, n·th·tw) from dY (n, O, OH, OW), A over the columns first; entries
    of dY past OH, OW (the crop) read as 0."""
    n, o_out, oh, ow = g.shape
    nt = n * tw
    run = th * nt
    rows = np.zeros((4, th, n, 4 * tw), dtype=dm.dtype)    # dY rows 4i + r; crop stays 0
    e = np.empty((6, 4, run), dtype=dm.dtype)              # A over u: [β, r, K]
    for o in range(o_out):
        for p in range(oh):
            for s in range(n):
                src, dst = g[s, o, p], rows[p & 3, p >> 2, s]
                for col in range(ow):
                    dst[col] = src[col]
        for r in range(4):
            flat = rows[r].reshape(run * 4)                # [4K + u]: tile K's column u
            for k in range(run):
                _store(e, 0, 1, r, k, a_1d(flat[4 * k], flat[4 * k + 1], flat[4 * k + 2],
                                           flat[4 * k + 3]))
        for beta in range(6):
            for k in range(run):
                _store(dm, beta, 6, o, k, a_1d(e[beta, 0, k], e[beta, 1, k], e[beta, 2, k],
                                               e[beta, 3, k]))


@jit.kernel
def winograd_input_adjoint(dv, top, left, th, tw, dx):
    """dx (n, C, H, W) = the sum over tiles of B dV_t Bᵀ placed at the tile's padded patch,
    cropped to the input, from dV (36, C, n·th·tw) (not modified): the input transform's steps
    run backwards — B over α (for each β), B over β, the patch rows a >= 4 added into the next
    tile row's planes, the planes put back into padded rows (entries b >= 4 one tile right)."""
    n, c_in, h, w = dx.shape
    nt = n * tw
    run = th * nt
    e = np.empty((6, 6, run), dtype=dx.dtype)              # B over α: [a, β, K]
    f = np.empty((6, 6, run), dtype=dx.dtype)              # then over β: [b, a, K]
    pl = np.zeros((4, 6, run + nt), dtype=dx.dtype)        # the planes; last row of r >= 2: 0
    rows = np.empty((th + 1, n, 4 * tw), dtype=dx.dtype)  # padded rows 4I + r, columns < 4·tw
    flat = rows.reshape((run + nt) * 4)
    edge = np.empty((th + 1) * n * 2, dtype=dx.dtype)      # and columns 4·tw, 4·tw + 1
    inner = min(w, 4 * tw - left)
    for c in range(c_in):
        for beta in range(6):
            for k in range(run):
                _store(e, 0, 1, beta, k, b_1d(dv[beta, c, k], dv[6 + beta, c, k],
                                              dv[12 + beta, c, k], dv[18 + beta, c, k],
                                              dv[24 + beta, c, k], dv[30 + beta, c, k]))
        for a in range(6):
            for k in range(run):
                _store(f, 0, 1, a, k, b_1d(e[a, 0, k], e[a, 1, k], e[a, 2, k], e[a, 3, k],
                                           e[a, 4, k], e[a, 5, k]))
        for b in range(6):
            for ra in range(2):                # P[r, b] = f[b, r] + f[b, r + 4] one tile row down
                for k in range(nt):
                    pl[ra, b, k] = f[b, ra, k]
                for k in range(nt, run):
                    pl[ra, b, k] = f[b, ra, k] + f[b, ra + 4, k - nt]
                for k in range(run, run + nt):
                    pl[ra, b, k] = f[b, ra + 4, k - nt]
            for ra in range(2, 4):
                for k in range(run):
                    pl[ra, b, k] = f[b, ra, k]
        for ra in range(4):     # padded column 4J + b: P[r, b][J] + P[r, b + 4][J - 1] (b < 2)
            for b in range(4):
                flat[b] = pl[ra, b, 0]
            for k in range(1, run + nt):
                flat[4 * k] = pl[ra, 0, k] + pl[ra, 4, k - 1]
                flat[4 * k + 1] = pl[ra, 1, k] + pl[ra, 5, k - 1]
                flat[4 * k + 2] = pl[ra, 2, k]
                flat[4 * k + 3] = pl[ra, 3, k]
            for t in range((th + 1) * n):          # J = 0 has no left neighbour; J = tw: edge
                flat[4 * t * tw] = pl[ra, 0, t * tw]
                flat[4 * t * tw + 1] = pl[ra, 1, t * tw]
                edge[2 * t] = pl[ra, 4, t * tw + tw - 1]
                edge[2 * t + 1] = pl[ra, 5, t * tw + tw - 1]
            for i in range(th + 1):
                r = 4 * i + ra - top
                if r < 0 or r >= h:
                    continue
                for s in range(n):
                    src, dst = rows[i, s], dx[s, c, r]
                    for col in range(inner):
                        dst[col] = src[left + col]
                    for col in range(inner, w):
                        dx[s, c, r, col] = edge[2 * (i * n + s) + left + col - 4 * tw]
