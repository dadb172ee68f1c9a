"""Compiled kernels (``whiteboard.jit``) of the level-wise histogram tree builder.

The NumPy twins are ``FeatureBlock.level`` (``_hist_block.py``), the routing step of
``HistTreeBuilder.build`` and ``HistTreeBuilder._merge`` (``_second_order.py``). The kernels do
the same floating-point operations in the same order as their twins, so the two paths grow the
same trees bit for bit:

* ``block_level``: for one block of features and one tree level, the histograms of the smaller
  children (``Z[s, j, code] += g + ih`` over the rows in row order, as the unbuffered
  ``np.add.at`` of the twin), the larger children as ``parent - smaller``, then per (node,
  feature) the left cumulative sums ``C_b = sum_{b' <= b} Z_b'`` bin by bin and the split score
  for each direction of the NaN bin (0: NaN right, ``C_b``; 1: NaN left, ``C_b + Z_nan``)::

      score_b = T(G_L)^2/(H_L + lambda) + T(G - G_L)^2/(H - H_L + lambda)
      T(x) = sign(x) max(|x| - alpha, 0)          (the identity when alpha = 0)

  ``-inf`` where ``min(H_L, H - H_L) < min_child_weight`` or the bin does not exist; with
  ``lambda <= 0`` a term whose denominator is not positive counts 0. The best bin is the first
  maximum (``np.argmax``'s rule). The node totals ``G + iH`` are feature ``j0``'s cumulative
  sum at the last real bin plus its NaN bin, as in the twin.
  One pass over the rows and one over the histograms, no temporaries: the twin's ~30 NumPy
  calls per level become one call that holds no GIL, so the feature-block threads run it in
  parallel.
* ``route_rows``: every row of a splitting node moves to its left or right child
  (``code <= bin``, NaN to the learnt side), and the children's row counts and weight sums
  are accumulated in row order (as ``np.bincount``).
* ``merge_bests``: the blocks' bests merged into each node's split (``HistTreeBuilder._merge``:
  ~25 small NumPy calls a level, 40-60 µs, become one call).
"""

from __future__ import annotations

import math

from ... import jit


@jit.kernel
def block_level(codes, gh, pos, node_slot, ns, has_parent, Zp, split, Z, invalid,
                lam, alpha, mcw, j0, n_dirs, out_v, out_b, out_c, Zm, G, H):
    """Histograms and best bins of one feature block for one level (see the module docstring).

    ``codes`` (n, W) the block's bin codes (the scored ``Fb`` features first, then feature 0's
    column when the block carries it for the totals), ``gh`` (n,) ``g + ih``,
    ``pos`` (n,) node of each row, ``node_slot`` (nodes,) the slot of a smaller child or -1,
    ``ns`` the number of smaller children; with ``has_parent`` the larger child of slot ``s``
    is ``Zp[split[s]] - Z[s]`` (slot ``ns + s``). ``Z`` (m, W, B) is filled; ``invalid``
    (Fb, B-1). Outputs ``out_v``/``out_b``/``out_c`` (2, m, Fb), ``Zm`` (m, Fb), ``G``/``H`` (m,).
    """
    m, W, B = Z.shape
    Fb = invalid.shape[0]

    def score(cx, Gt, Ht, j, b):
        """The split score of left sums ``cx``, -inf where a child is too light."""
        gl, hl = cx.real, cx.imag
        hr = Ht - hl
        if min(hl, hr) < mcw or invalid[j, b]:
            return -math.inf
        gr = Gt - gl
        if alpha != 0.0:
            gl = math.copysign(max(abs(gl) - alpha, 0.0), gl) if gl != 0.0 else 0.0
            gr = math.copysign(max(abs(gr) - alpha, 0.0), gr) if gr != 0.0 else 0.0
        den_l = hl + lam
        den_r = hr + lam
        sl = gl * gl / den_l
        sr = gr * gr / den_r
        if lam <= 0.0:
            if not den_l > 0.0:
                sl = 0.0
            if not den_r > 0.0:
                sr = 0.0
        return sl + sr

    Z[:ns] = 0.0
    for i in range(pos.shape[0]):
        s = node_slot[pos[i]]
        if s < 0:
            continue
        z = gh[i]
        Zs = Z[s]
        ci = codes[i]
        for j in range(W):
            Zs[j, ci[j]] += z
    if has_parent:
        for s in range(ns):
            Z[ns + s] = Zp[split[s]] - Z[s]
    for t in range(m):
        c = Z[t, j0, 0]
        for b in range(1, B - 1):
            c += Z[t, j0, b]
        tot = c + Z[t, j0, B - 1]
        Gt, Ht = tot.real, tot.imag
        G[t] = Gt
        H[t] = Ht
        for j in range(Fb):
            zm = Z[t, j, B - 1]
            Zm[t, j] = zm
            c = Z[t, j, 0]
            v0 = score(c, Gt, Ht, j, 0)
            b0, c0 = 0, c
            if n_dirs > 1:
                v1 = score(c + zm, Gt, Ht, j, 0)
                b1, c1 = 0, c
            for b in range(1, B - 1):
                z = Z[t, j, b]
                if z == 0.0:
                    continue            # same sums, same score: not a strictly better bin
                c += z
                v = score(c, Gt, Ht, j, b)
                if v > v0:
                    v0, b0, c0 = v, b, c
                if n_dirs > 1:
                    v = score(c + zm, Gt, Ht, j, b)
                    if v > v1:
                        v1, b1, c1 = v, b, c
            out_v[0, t, j], out_b[0, t, j], out_c[0, t, j] = v0, b0, c0
            if n_dirs > 1:
                out_v[1, t, j], out_b[1, t, j], out_c[1, t, j] = v1, b1, c1


@jit.kernel
def route_rows(codes, pos, node_k, fs, bs, mls, left_ids, w, missing_bin, any_missing,
               weighted, ln, lw):
    """Move the rows of the splitting nodes to their children (see the module docstring).

    ``node_k`` (nodes,) the split index of a node or -1, per split ``k``: ``fs`` column of
    ``codes``, ``bs`` bin, ``mls`` NaN-goes-left, ``left_ids`` left child id (the right one is
    ``+ 1``). Adds each split's left row count to ``ln`` and, when ``weighted``, its left weight
    ``w`` to ``lw``; updates ``pos`` in place.
    """
    for i in range(pos.shape[0]):
        k = node_k[pos[i]]
        if k < 0:
            continue
        c = codes[i, fs[k]]
        go_left = c <= bs[k]
        if any_missing and c == missing_bin:
            go_left = mls[k]
        # arithmetic, not a branch: the side of a row is a coin flip to the branch predictor
        left = 1.0 if go_left else 0.0
        ln[k] += left
        if weighted:
            lw[k] += w[i] * left
        pos[i] = left_ids[k] + 1 - int(left)


@jit.kernel(error_model="numpy")
def merge_bests(vals, bins, cls, zms, G, H, lam, alpha, gain, f_out, b_out, ml_out, gl_out,
                hl_out):
    """``HistTreeBuilder._merge`` of the blocks' bests (tuples, in feature order, of ``vals``
    (D, m, Fb) scores, ``bins``, ``cls`` (left sums), ``zms`` (m, Fb) NaN bins): per node the
    first maximum in (direction, feature, bin) order (``np.argmax``'s rule, NaN first), its
    gain ``0.5 (top - T(G)^2/(H + lambda))`` (``-inf`` where none is finite), feature, bin,
    NaN side and the left child's sums with the NaN bin where it goes left -- the NumPy
    twin's arithmetic in its order (IEEE division: ``error_model="numpy"``)."""
    D, m = vals[0].shape[0], vals[0].shape[1]
    for t in range(m):
        top = vals[0][0, t, 0]
        bd, bk, bj, bf = 0, 0, 0, 0
        for d in range(D):
            off = 0
            for k in range(len(vals)):
                v = vals[k]
                for j in range(v.shape[2]):
                    x = v[d, t, j]
                    if top != top:
                        break                        # a NaN is argmax's first maximum
                    if x > top or x != x:
                        top, bd, bk, bj, bf = x, d, k, j, off + j
                off += v.shape[2]
        g, den = G[t], H[t] + lam
        if alpha != 0.0:
            sg = 1.0 if g > 0.0 else (-1.0 if g < 0.0 else (0.0 if g == 0.0 else g))
            a = abs(g) - alpha
            g = sg * (a if a > 0.0 else 0.0)
        s = g * g / den
        if lam <= 0.0 and not den > 0.0:
            s = 0.0
        gain[t] = 0.5 * (top - s) if math.isfinite(top) else -math.inf
        f_out[t] = bf
        b_out[t] = bins[bk][bd, t, bj]
        cl = cls[bk][bd, t, bj]
        gl, hl = cl.real, cl.imag
        zm = zms[bk][t, bj]
        left = bd == 1 if zm.imag > 0 else hl >= H[t] - hl
        ml_out[t] = left
        gl_out[t] = gl + zm.real if left else gl
        hl_out[t] = hl + zm.imag if left else hl
