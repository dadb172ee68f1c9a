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
def block_level(codes, cols, gh, pos, node_slot, ns, has_parent, Zp, split, Z, invalid,
                lam, alpha, mcw, j0, n_dirs, out_v, out_b, out_c, Zm, G, H):
    """Histograms and best bins of one feature block for one level (see the module docstring).

    ``codes`` (n, F) bin codes, ``cols`` (W,) the block's columns (the scored ``Fb`` first,
    then feature 0's column when the block carries it for the totals), ``gh`` (n,) ``g + ih``,
    ``pos`` (n,) node of each row, ``node_slot`` (nodes,) the slot of a smaller child or -1,
    ``ns`` the number of smaller children; with ``has_parent`` the larger child of slot ``s``
    is ``Zp[split[s]] - Z[s]`` (slot ``ns + s``). ``Z`` (m, W, B) is filled; ``invalid``
    (Fb, B-1). Outputs ``out_v``/``out_b``/``out_c`` (2, m, Fb), ``Zm`` (m, Fb), ``G``/``H`` (m,).
    """
    m, W, B = Z.shape
    Fb = invalid.shape[0]
    for s in range(ns):
        for j in range(W):
            for b in range(B):
                Z[s, j, b] = 0.0
    for i in range(pos.shape[0]):
        s = node_slot[pos[i]]
        if s < 0:
            continue
        z = gh[i]
        for j in range(W):
            Z[s, j, codes[i, cols[j]]] += z
    if has_parent:
        for s in range(ns):
            p = split[s]
            for j in range(W):
                for b in range(B):
                    Z[ns + s, j, b] = Zp[p, j, b] - Z[s, j, b]
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
            for d in range(n_dirs):
                out_v[d, t, j] = -math.inf
                out_b[d, t, j] = -1
            for b in range(B - 1):
                if b > 0:
                    c += Z[t, j, b]
                for d in range(n_dirs):
                    cx = c if d == 0 else c + zm
                    gl, hl = cx.real, cx.imag
                    hr = Ht - hl
                    if min(hl, hr) < mcw or invalid[j, b]:
                        v = -math.inf
                    else:
                        gr = Gt - gl
                        if alpha != 0.0:
                            gl = math.copysign(1.0, gl) * max(abs(gl) - alpha, 0.0) if gl != 0.0 \
                                else 0.0
                            gr = math.copysign(1.0, gr) * max(abs(gr) - alpha, 0.0) if gr != 0.0 \
                                else 0.0
                        den_l = hl + lam
                        den_r = hr + lam
                        sl = gl * gl / den_l
                        sr = gr * gr / den_r
                        if lam <= 0.0:
                            if not den_l > 0.0:
                                sl = 0.0
                            if not den_r > 0.0:
                                sr = 0.0
                        v = sl + sr
                    if out_b[d, t, j] < 0 or v > out_v[d, t, j]:
                        out_v[d, t, j] = v
                        out_b[d, t, j] = b
                        out_c[d, t, j] = c


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
        if go_left:
            ln[k] += 1.0
            if weighted:
                lw[k] += w[i]
            pos[i] = left_ids[k]
        else:
            pos[i] = left_ids[k] + 1
