"""One block of features of the level-wise histogram tree builder (``_second_order.py``).

The builder splits the candidate features into contiguous blocks, one per thread; every tree
level, each block builds the histograms of its features for the nodes of the level and finds,
for every (node, feature), the best bin. The heavy NumPy calls used here (``np.add.at``,
``take``, element-wise ufuncs) release the GIL, so the blocks of a level run in parallel; the
results do not depend on how the features are split, because every number is computed by the
same operations in the same order whatever the blocks (the per-block bests are merged with
the first-occurrence rule of a single ``argmax``).

Layout: a block of ``Fb`` features keeps, per level of ``m`` nodes, the histograms as one
complex array ``Z`` of shape ``(m, W, B)`` (``G + iH``; ``W = Fb``, or ``Fb + 1`` when the
block carries feature 0, whose sums over the bins are the node totals ``G``, ``H`` the split
scores use -- the one-block builder's totals, so that the scores do not depend on the
blocks): the row of local feature ``j`` with bin code ``c`` in node slot ``s`` adds ``g + ih``
to ``Z.flat[s * W * B + j * B + c]``. ``j * B + c`` is fixed for the fit (``pre``), so a
level costs one gather and one add per (row, feature) before the scatter-add, all features at
once (a few large NumPy calls: each call hands the GIL over, which costs a wake-up of the
other thread). The cumulative sums over bins run along the last, contiguous axis.
"""

from __future__ import annotations

import math

import numpy as np

from ._hist_kernels import block_level

_NO_SPLIT = np.zeros(0, dtype=np.intp)


class FeatureBlock:
    """Histograms and best bins of the candidate features ``f0 .. f1-1`` of a tree.

    ``codes`` (n, F) uint8/uint16 bin codes of the tree's rows (the block keeps a copy of
    its columns when it is not the only one), ``B`` the
    number of bins (the last one, ``B - 1``, holds NaN), ``invalid`` (F, B-1) bins past a
    feature's last one, ``criterion`` the ``SecondOrder`` criterion, ``min_child_weight``.
    """

    def __init__(self, codes, f0, f1, B, invalid, criterion, min_child_weight, any_missing):
        self.f0, self.f1 = f0, f1
        Fb = f1 - f0
        # the node totals (G, H) are feature 0's histogram sums, as the one-block builder
        # computes them: a block without feature 0 carries it as an extra, unscored column
        cols = list(range(f0, f1)) + ([0] if f0 > 0 else [])
        W = len(cols)
        self.Fb, self.W, self.B = Fb, W, B
        self.j0 = 0 if f0 == 0 else W - 1
        # the block's own (n, W) codes: a thread then streams only the bytes of its features
        # (the tree's codes themselves only when they are these columns in this order: a
        # block of features 1..F-1 plus the carried feature 0 is as wide, but reordered)
        whole = cols == list(range(codes.shape[1]))
        self.codes = codes if whole else np.ascontiguousarray(codes[:, cols])
        self._pre = None
        self.invalid = np.ascontiguousarray(invalid[f0:f1])
        self.crit = criterion
        self.mcw = max(float(min_child_weight), 1e-300)
        self.any_missing = any_missing
        self._ws = {}

    @property
    def pre(self):
        """(n, W) int32 ``j * B + code`` of the NumPy path (half the memory of intp;
        B * W < 2**31), built on its first use: the kernel reads the codes themselves."""
        if self._pre is None:
            pre = self.codes.astype(np.int32)
            pre += (np.arange(self.W, dtype=np.int32) * self.B)[None, :]
            self._pre = pre
        return self._pre

    def work(self, key, shape, dtype=np.float64):
        """A reused scratch array (fresh large arrays cost a page fault per 4 KiB, and the
        builder grows many trees of the same sizes)."""
        size = math.prod(shape)
        buf = self._ws.get(key)
        if buf is None or buf.size < size or buf.dtype != dtype:
            buf = self._ws[key] = np.empty(size, dtype=dtype)
        return buf[:size].reshape(shape)

    # -- one level --------------------------------------------------------------------------

    def histograms(self, gh, sel, slot, n_slots, Z):
        """``(n_slots, W, B)`` histograms ``G + iH`` into ``Z`` (flat, at least that large) of
        rows ``sel`` (all rows when None, then in slot 0) whose node slot is ``slot`` (per
        selected row). Unbuffered ``np.add.at``: the additions into a bin come in row order,
        as one ``np.bincount`` per statistic would do them."""
        B, W = self.B, self.W
        Z = Z[:n_slots * B * W]
        Z.fill(0.0)
        if sel is None:
            for j in range(W):
                np.add.at(Z, self.pre[:, j].astype(np.intp), gh)
        else:
            # (rows, W) indices and weights in one scatter-add: few calls, few GIL hand-overs
            soff = np.multiply(slot, B * W, out=self.work("soff", slot.shape, np.intp))
            idx = np.add(np.take(self.pre, sel, axis=0), soff[:, None],
                         out=self.work("idx", (len(sel), W), np.intp))
            wts = self.work("wts", idx.shape, np.complex128)
            np.copyto(wts, gh[:, None])
            np.add.at(Z, idx.ravel(), wts.ravel())
        return Z.reshape(n_slots, W, B)

    def level(self, job):
        """Histograms of a level and the best bin of every (node, feature).

        ``job``: ``gh`` complex statistics of the selected rows, ``sel``/``slot`` (None at the
        root) the rows of the smaller children and their slots, ``ns`` the number of smaller
        children, ``parent`` the key of the parent level's histograms and ``split`` the
        parent slots that split (None: all), ``key`` where to keep this level's histograms.
        Returns per direction (0: NaN right, 1: NaN left) the best score and bin of each
        (node, feature) ``(D, m, Fb)``, the left cumulative sums there, the NaN bins
        ``(m, Fb)`` and the nodes' totals ``G``, ``H`` (feature 0's sums over its bins)."""
        if job.get("jit"):
            return self.level_jit(job)
        B, Fb, W = self.B, self.Fb, self.W
        ns, key = job["ns"], job["key"]
        if job["sel"] is None:
            Z = self.histograms(job["gh"], None, None, 1, self.work(key, (B * W,), np.complex128))
        else:
            # the smaller children first, built in place; the larger are parent - smaller
            Z = self.work(key, (2 * ns, W, B), np.complex128)
            Zs = self.histograms(job["gh"], job["sel"], job["slot"], ns, Z.reshape(-1))
            Zp = self._ws[job["parent"]][:job["m_parent"] * B * W].reshape(-1, W, B)
            if job["split"] is None:
                np.subtract(Zp, Zs, out=Z[ns:])
            else:
                np.subtract(Zp[job["split"]], Zs, out=Z[ns:])
        m = Z.shape[0]
        CLw = self.cumsum(Z, m)
        tot = CLw[:, self.j0, B - 2] + Z[:, self.j0, B - 1]
        G, H = tot.real.copy(), tot.imag.copy()
        CL = CLw[:, :Fb]
        Zm = Z[:, :Fb, B - 1]
        out_v = self.work("out_v", (2, m, Fb))
        out_b = self.work("out_b", (2, m, Fb), np.intp)
        out_c = self.work("out_c", (2, m, Fb), np.complex128)
        dirs = [CL]
        if self.any_missing:
            dirs.append(np.add(CL, Zm[:, :, None], out=self.work("clm", CL.shape, np.complex128)))
        mi, fi = np.arange(m)[:, None], np.arange(Fb)[None, :]
        for d, C in enumerate(dirs):
            sc = self.scores(C, G, H)
            b = np.argmax(sc, axis=2)
            out_b[d] = b
            out_v[d] = sc[mi, fi, b]
            out_c[d] = CL[mi, fi, b]
        D = len(dirs)
        return out_v[:D], out_b[:D], out_c[:D], Zm.copy(), G, H

    def level_jit(self, job):
        """``level`` by the compiled kernel ``block_level``: the same numbers, from ``gh`` of
        every row, the rows' nodes ``pos`` and the smaller children's ``node_slot``."""
        B, Fb, W = self.B, self.Fb, self.W
        ns, key = job["ns"], job["key"]
        parent = job.get("parent")
        m = ns if parent is None else 2 * ns
        Z = self.work(key, (m, W, B), np.complex128)
        if parent is None:
            Zp, split = Z, _NO_SPLIT
        else:
            Zp = self._ws[parent][:job["m_parent"] * B * W].reshape(-1, W, B)
            split = job["split"]
        D = 2 if self.any_missing else 1
        out_v = self.work("out_v", (2, m, Fb))
        out_b = self.work("out_b", (2, m, Fb), np.intp)
        out_c = self.work("out_c", (2, m, Fb), np.complex128)
        Zm = np.empty((m, Fb), dtype=np.complex128)
        G, H = np.empty(m), np.empty(m)
        crit = self.crit
        block_level(self.codes, job["gh"], job["pos"], job["node_slot"], ns,
                    parent is not None, Zp, split, Z, self.invalid, crit.reg_lambda,
                    crit.reg_alpha, self.mcw, self.j0, D, out_v, out_b, out_c, Zm, G, H)
        return out_v[:D], out_b[:D], out_c[:D], Zm, G, H

    def cumsum(self, Z, m):
        """Left cumulative sums ``C[:, b] = sum_{b' <= b} Z[:, b']`` over the B-1 real bins,
        shape (m, B-1, W), summed bin by bin in order."""
        CL = self.work("cl", (m, self.W, self.B - 1), np.complex128)
        return np.cumsum(Z[:, :, :self.B - 1], axis=2, out=CL)

    def scores(self, C, G, H):
        """``score(G_L, H_L) + score(G_R, H_R)`` over (m, B-1, Fb) from the left cumulative
        sums ``C = G_L + i H_L``; ``-inf`` where a child's hessian is below
        ``min_child_weight`` or the bin does not exist."""
        crit = self.crit
        shape = C.shape
        Gb, Hb = G[:, None, None], H[:, None, None]
        hr = np.subtract(Hb, C.imag, out=self.work("hr", shape))
        bad = self.work("bad", shape, bool)
        tmp = np.minimum(C.imag, hr, out=self.work("tmp", shape))
        np.less(tmp, self.mcw, out=bad)
        bad |= self.invalid[None]
        if crit.reg_alpha == 0.0 and crit.reg_lambda > 0.0:
            lam = crit.reg_lambda
            gl = np.multiply(C.real, C.real, out=self.work("sc", shape))
            hl = np.add(C.imag, lam, out=self.work("hl", shape))
            gl /= hl
            gr = np.subtract(Gb, C.real, out=tmp)
            gr *= gr
            hr += lam
            gr /= hr
            gl += gr
            sc = gl
        else:
            gl = np.copy(C.real)
            gr = Gb - gl
            sc = crit.score(gl, np.copy(C.imag)) + crit.score(gr, hr)
        np.copyto(sc, -np.inf, where=bad)
        return sc
