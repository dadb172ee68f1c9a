"""Compiled kernels (``whiteboard.jit``) of the level-wise histogram tree builder.

The NumPy twins are ``FeatureBlock.level`` (``_hist_block.py``) and the routing step of
``HistTreeBuilder.build`` (``_second_order.py``). Both kernels do the same floating-point
operations in the same order as their twins, so the two paths grow the same trees bit for bit:

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
