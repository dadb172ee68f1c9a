"""Second-order (Newton) split criterion and histogram split finding for the shared tree core.

This module plugs into ``_tree.py`` through its two extension points (see that module's
docstring): a ``Criterion`` whose per-sample statistics are gradients and hessians, and a
histogram builder that grows the same ``Tree`` node arrays from binned features.

Second-order criterion (XGBoost, Chen & Guestrin 2016)
-----------------------------------------------------
Boosting round ``m`` adds a tree ``f`` to the current scores ``F``. A second-order Taylor
expansion of the loss around ``F`` gives, with ``g_i = dl/dF``, ``h_i = d2l/dF2`` and a tree with
leaves ``j`` of weights ``w_j`` (regularised by ``gamma T + lambda/2 sum_j w_j^2``)::

    Obj(f) ~= sum_j [ G_j w_j + 1/2 (H_j + lambda) w_j^2 ] + gamma T,   G_j = sum_{i in j} g_i

minimised at the leaf weight ``w_j* = -G_j / (H_j + lambda)`` with value
``-1/2 sum_j G_j^2 / (H_j + lambda) + gamma T``. Splitting a node into L and R therefore lowers
the objective by the gain::

    gain = 1/2 [ G_L^2/(H_L+lambda) + G_R^2/(H_R+lambda) - G^2/(H+lambda) ] - gamma

(``reg_alpha`` replaces every ``G`` by the soft-threshold ``sign(G) max(|G| - alpha, 0)``).
``min_child_weight`` bounds ``H`` of each child from below. For squared error ``g = F - y``,
``h = 1``: with ``lambda = 0`` the proxy ``G_L^2/H_L + G_R^2/H_R`` is exactly the variance
reduction proxy of ``SquaredError`` and ``-G/H`` the mean residual, so one round is a CART
regression tree fitted to the residuals -- the same tree, different statistics. First-order GBDT
(Friedman) fits that residual tree and then re-estimates the leaves (a line search, or one
Newton step for log-loss); the second-order booster builds the Newton step into the split
criterion itself.

Histogram split finding (LightGBM / XGBoost ``tree_method='hist'``)
------------------------------------------------------------------
Each feature is cut once into at most ``max_bin`` quantile bins (``BinMapper``; distinct values
get their own bin when there are few of them), a missing value (NaN) gets the extra bin
``n_bins``. A node's histogram holds ``sum g`` and ``sum h`` per (feature, bin): one
``np.bincount`` over ``node * F * B + feature * B + code`` builds the histograms of every node
of a tree level at once. Histogram subtraction: only the smaller child's histogram is built, the
larger one is ``parent - smaller``. Candidate splits are bin boundaries: a cumulative sum over
bins gives ``G_L, H_L`` for "code <= b", and NaNs are tried in both children (missing-left:
``G_L + G_nan``; missing-right: ``G_L``); the better direction is learnt per node as
``missing_go_to_left`` (sparsity-aware split finding). Where a node saw no NaN, NaN goes to the
child of larger hessian. The tree is grown depth-wise (XGBoost's default ``grow_policy``), every
level scored in one vectorised pass, and pruned bottom-up afterwards: a split whose gain is below
``gamma`` is removed when both children are leaves (XGBoost's pruner).
"""

from __future__ import annotations

import math

import numpy as np

from ._tree import TREE_LEAF, TREE_UNDEFINED, Criterion, Tree, TreeBuilder

__all__ = ["BinMapper", "HistTree", "HistTreeBuilder", "SecondOrder", "exact_second_order_tree",
           "prune_by_gain"]


class SecondOrder(Criterion):
    """Newton criterion: per-sample statistics ``S = [w, w g, w h]``.

    ``sample_stats(y, w)`` takes ``y`` of shape ``(n, 2)`` = (gradient, hessian). ``proxy`` reads
    the search columns ``(G, H)``; ``node_value = -T(G)/(H + lambda)``; the node "impurity" is
    ``-1/2 T(G)^2/(H+lambda) / w`` so that the tree core's impurity decrease
    ``w_t i(t) - w_L i(L) - w_R i(R)`` is exactly the gain (before gamma), and
    ``feature_importances_`` is the normalised total gain.
    """

    search_columns = (1, 2)
    weight_column = 2
    stop_when_pure = False           # the "impurity" is a negative structure score

    def __init__(self, reg_lambda=1.0, reg_alpha=0.0):
        self.reg_lambda = float(reg_lambda)
        self.reg_alpha = float(reg_alpha)

    def _soft(self, G):
        if self.reg_alpha == 0.0:
            return G
        return np.sign(G) * np.maximum(np.abs(G) - self.reg_alpha, 0.0)

    def score(self, G, H):
        """Structure score ``T(G)^2 / (H + lambda)`` (0 where the denominator is 0)."""
        G = self._soft(G)
        den = H + self.reg_lambda
        with np.errstate(invalid="ignore", divide="ignore"):
            out = G * G / den
        if self.reg_lambda <= 0.0:
            out[~(den > 0)] = 0.0
        return out

    def sample_stats(self, y, w):
        y = np.asarray(y, dtype=np.float64).reshape(len(w), 2)
        return np.column_stack([w, w * y[:, 0], w * y[:, 1]])

    def node_impurity(self, T):
        with np.errstate(invalid="ignore", divide="ignore"):
            return -0.5 * self.score(T[:, 1], T[:, 2]) / T[:, 0]

    def proxy(self, L, R):
        return self.score(L[:, 0], L[:, 1]) + self.score(R[:, 0], R[:, 1])

    def node_value(self, T):
        G = self._soft(T[:, 1])
        den = T[:, 2] + self.reg_lambda
        with np.errstate(invalid="ignore", divide="ignore"):
            v = np.where(den > 0, -G / np.where(den > 0, den, 1.0), 0.0)
        return v[:, None, None]


class BinMapper:
    """Quantile binning of each feature into at most ``max_bin`` bins (plus one NaN bin).

    A feature with at most ``max_bin`` distinct values gets one bin per value, the edges being
    the midpoints of consecutive values (so thresholds equal the exact splitter's); otherwise
    the edges lie at the ``k / max_bin`` quantiles (k = 1 .. max_bin - 1) of the feature's values,
    halfway between the quantile value and the next distinct value. Bin ``b``
    holds ``edges[b-1] < x <= edges[b]``, so ``x <= edges[b]`` iff ``code <= b``. Values are
    binned as float32, as ``Tree.apply`` compares them. NaN gets the code ``missing_bin`` =
    ``max(n_bins_)``, one past the last bin of every feature.
    """

    def __init__(self, max_bin=256):
        self.max_bin = int(max_bin)

    def fit(self, X):
        X = np.asarray(X, dtype=np.float32)
        self.edges_ = []
        for j in range(X.shape[1]):
            col = X[:, j]
            col = np.unique(col[~np.isnan(col)]).astype(np.float64)
            if len(col) <= self.max_bin:
                mids = col[:-1] / 2.0 + col[1:] / 2.0
                mids = np.where(mids == col[1:], col[:-1], mids)
            else:
                vals = np.quantile(X[:, j][~np.isnan(X[:, j])].astype(np.float64),
                                   np.arange(1, self.max_bin) / self.max_bin,
                                   method="lower")
                vals = np.unique(vals)
                hi = col[np.minimum(np.searchsorted(col, vals, side="right"), len(col) - 1)]
                mids = vals / 2.0 + hi / 2.0
                mids = np.unique(np.where(mids == hi, vals, mids))
                mids = mids[mids < col[-1]]
            self.edges_.append(mids)
        self.n_bins_ = np.array([len(e) + 1 for e in self.edges_], dtype=np.intp)
        self.has_missing_ = np.isnan(X).any(axis=0)
        self.missing_bin = int(self.n_bins_.max())
        return self

    def transform(self, X):
        """Codes of shape (n_samples, n_features): uint8 if ``max_bin < 256``, else uint16."""
        X = np.asarray(X, dtype=np.float32)
        dtype = np.uint8 if self.missing_bin < 256 else np.uint16
        codes = np.empty(X.shape, dtype=dtype)
        for j, e in enumerate(self.edges_):
            col = X[:, j]
            c = np.searchsorted(e, col.astype(np.float64), side="left")
            c[np.isnan(col)] = self.missing_bin
            codes[:, j] = c
        return codes


class HistTree(Tree):
    """``Tree`` with a learnt default direction for missing values (``missing_go_to_left``) and
    the bin of each split (``bin_threshold``: ``code <= bin`` goes left)."""

    def _set_missing(self, missing_go_to_left, bin_threshold):
        self.missing_go_to_left = np.asarray(missing_go_to_left, dtype=bool)
        self.bin_threshold = np.asarray(bin_threshold, dtype=np.intp)
        return self

    def apply(self, X):
        """Leaf reached by each row: ``x <= threshold`` goes left, NaN to the default side."""
        X = np.asarray(X, dtype=np.float32)
        node = np.zeros(X.shape[0], dtype=np.intp)
        active = np.flatnonzero(self.children_left[node] != TREE_LEAF)
        while active.size:
            nd = node[active]
            x = X[active, self.feature[nd]]
            go_left = np.where(np.isnan(x), self.missing_go_to_left[nd], x <= self.threshold[nd])
            node[active] = np.where(go_left, self.children_left[nd], self.children_right[nd])
            active = active[self.children_left[node[active]] != TREE_LEAF]
        return node

    def apply_binned(self, codes, missing_bin):
        """``apply`` on the ``BinMapper`` codes of the training data (no float comparisons)."""
        node = np.zeros(codes.shape[0], dtype=np.intp)
        active = np.flatnonzero(self.children_left[node] != TREE_LEAF)
        while active.size:
            nd = node[active]
            c = codes[active, self.feature[nd]]
            go_left = np.where(c == missing_bin, self.missing_go_to_left[nd],
                               c <= self.bin_threshold[nd])
            node[active] = np.where(go_left, self.children_left[nd], self.children_right[nd])
            active = active[self.children_left[node[active]] != TREE_LEAF]
        return node

    def decision_path(self, X):
        """Boolean (n_samples, node_count): the nodes on each row's path (NaN-aware)."""
        X = np.asarray(X, dtype=np.float32)
        n = X.shape[0]
        out = np.zeros((n, self.node_count), dtype=bool)
        node = np.zeros(n, dtype=np.intp)
        out[np.arange(n), node] = True
        active = np.flatnonzero(self.children_left[node] != TREE_LEAF)
        while active.size:
            nd = node[active]
            x = X[active, self.feature[nd]]
            go_left = np.where(np.isnan(x), self.missing_go_to_left[nd], x <= self.threshold[nd])
            node[active] = np.where(go_left, self.children_left[nd], self.children_right[nd])
            out[active, node[active]] = True
            active = active[self.children_left[node[active]] != TREE_LEAF]
        return out


class HistTreeBuilder:
    """Grow a ``HistTree`` from binned features and gradient statistics, depth-wise.

    ``build(codes, g, h, rows, features)``: ``codes`` (n, F) from ``BinMapper.transform``,
    ``g``/``h`` (n,) weighted gradients and hessians, ``rows`` the in-bag sample ids,
    ``features`` the candidate feature ids (``colsample_bytree``). Returns the tree and the
    leaf (node id) reached by every row of ``rows``.
    """

    def __init__(self, criterion, bin_mapper, max_depth=6, min_child_weight=1.0, gamma=0.0):
        self.criterion = criterion
        self.bins = bin_mapper
        self.max_depth = max_depth
        self.min_child_weight = float(min_child_weight)
        self.gamma = float(gamma)

    def _histograms(self, codes_off, pos, slot, n_slots, gh, key):
        """Histograms (n_slots, F, B) of the rows whose node ``pos`` maps to a slot, as one
        complex array ``G + iH`` (``gh = g + ih`` per row): one unbuffered ``np.add.at`` over
        ``slot * F * B + feature * B + code``. Complex so that one pass accumulates both
        statistics and the cumulative sums of the split search and the parent - child
        subtraction run once; the real and imaginary parts are added independently, in row
        order, so each equals its own ``np.bincount``."""
        F, B = self._F, self._B
        size = n_slots * F * B
        if n_slots == 1 and slot[0] == 0 and len(pos) == codes_off.shape[0]:
            idx = codes_off
            ghs = gh
        else:
            s = slot[pos]
            sel = np.flatnonzero(s >= 0)
            idx = np.take(codes_off, sel, axis=0, out=self._work("idx", (len(sel), F), np.intp))
            idx += (s[sel] * (F * B))[:, None]
            ghs = gh[sel]
        wts = self._work("wts", idx.shape, np.complex128)
        np.copyto(wts, ghs[:, None])
        Z = self._work(key, (size,), np.complex128)
        Z.fill(0.0)
        np.add.at(Z, idx.ravel(), wts.ravel())
        return Z.reshape(n_slots, F, B)

    def _scores(self, CL, G, H, out="sc"):
        """``score(G_L, H_L) + score(G_R, H_R)`` over (m, F, B-1) from the cumulative
        histograms ``CL = G_L + i H_L``, ``-inf`` where a child's hessian is below
        ``min_child_weight`` or the bin does not exist."""
        crit = self.criterion
        shape = CL.shape
        gl = self._work(out, shape)
        hl = self._work("hl", shape)
        np.copyto(gl, CL.real)
        np.copyto(hl, CL.imag)
        gr = np.subtract(G[:, None, None], gl, out=self._work("gr", shape))
        hr = np.subtract(H[:, None, None], hl, out=self._work("hr", shape))
        mcw = max(self.min_child_weight, 1e-300)
        bad = np.less(hl, mcw, out=self._work("bad", shape, bool))
        bad |= np.less(hr, mcw, out=self._work("bad2", shape, bool))
        bad |= self._invalid[None]
        if crit.reg_alpha == 0.0 and crit.reg_lambda > 0.0:
            lam = crit.reg_lambda
            gl *= gl
            hl += lam
            gl /= hl
            gr *= gr
            hr += lam
            gr /= hr
            gl += gr
            sc = gl
        else:
            sc = crit.score(gl, hl) + crit.score(gr, hr)
        np.copyto(sc, -np.inf, where=bad)
        return sc

    def _work(self, key, shape, dtype=np.float64):
        """A reused scratch array of ``shape`` (fresh large arrays cost a page fault per 4 KiB;
        the builder grows many trees of the same sizes)."""
        size = math.prod(shape)
        buf = self._ws.get(key)
        if buf is None or buf.size < size or buf.dtype != dtype:
            buf = self._ws[key] = np.empty(size, dtype=dtype)
        return buf[:size].reshape(shape)

    def _best_splits(self, Zh):
        """Best split of each node from its histograms ``G + iH`` (m, F, B): gain (-inf: none),
        feature slot, bin, NaN-goes-left flag, and the left child's (G, H)."""
        crit = self.criterion
        B = self._B
        m = Zh.shape[0]
        r = np.arange(m)
        Zm = Zh[:, :, B - 1]
        CL = np.cumsum(Zh[:, :, :B - 1], axis=2)
        Gm, Hm = Zm.real, Zm.imag
        tot = CL[:, 0, -1] + Zm[:, 0]
        G, H = tot.real.copy(), tot.imag.copy()
        scores = [self._scores(CL, G, H).reshape(m, -1)]
        if self._any_missing:
            CLm = CL + Zm[:, :, None]
            scores.append(self._scores(CLm, G, H, "sc_nan").reshape(m, -1))
        flat = np.concatenate(scores, axis=1) if len(scores) > 1 else scores[0]
        arg = np.argmax(flat, axis=1)
        top = flat[r, arg]
        d, rest = np.divmod(arg, CL.shape[1] * CL.shape[2])
        f, b = np.divmod(rest, CL.shape[2])
        gain = np.where(np.isfinite(top), 0.5 * (top - crit.score(G, H)), -np.inf)
        cl = CL[r, f, b]
        gl, hl = cl.real, cl.imag
        has_missing = Hm[r, f] > 0
        # a node that saw no NaN on this feature sends NaN to the child of larger hessian
        miss_left = np.where(has_missing, d == 1, hl >= H - hl)
        gl = np.where(miss_left, gl + Gm[r, f], gl)
        hl = np.where(miss_left, hl + Hm[r, f], hl)
        return gain, f, b, miss_left, gl, hl, G, H

    def build(self, codes, g, h, w, rows, features):
        crit = self.criterion
        F = len(features)
        B = self.bins.missing_bin + 1
        self._F, self._B = F, B
        if not hasattr(self, "_ws"):
            self._ws = {}
        self._n_bins = self.bins.n_bins_[features]
        self._invalid = np.arange(B - 1)[None, :] >= self._n_bins[:, None] - 1      # (F, B-1)
        full = F == codes.shape[1] and len(rows) == codes.shape[0]
        if full:
            sub = codes
            if getattr(self, "_cached_codes", None) is not codes:
                self._cached_codes = codes
                self._cached_off = codes.astype(np.intp) + (np.arange(F) * B)[None, :]
            codes_off = self._cached_off
        else:
            sub = codes[np.ix_(rows, features)]
            codes_off = sub.astype(np.intp) + (np.arange(F) * B)[None, :]
        self._any_missing = bool(self.bins.has_missing_[features].any())
        gr, hr, wr = g[rows], h[rows], w[rows]
        n = len(rows)
        unit_weight = bool(wr.min() == 1.0 == wr.max())     # then weight sums are counts
        row_ids = np.arange(n)
        row_offsets = row_ids * sub.shape[1]
        every_row_moves = True          # while every node of every level so far has split
        feature, thr, bthr, mleft, gains = [], [], [], [], []
        left, right, totals, counts = [], [], [], []

        def new_node(T, c):
            feature.append(TREE_UNDEFINED)
            thr.append(float(TREE_UNDEFINED))
            bthr.append(-1)
            mleft.append(False)
            gains.append(0.0)
            left.append(TREE_LEAF)
            right.append(TREE_LEAF)
            totals.append(T)
            counts.append(c)
            return len(feature) - 1

        pos = np.zeros(n, dtype=np.intp)          # node id of every row
        new_node(np.array([wr.sum(), gr.sum(), hr.sum()]), n)
        frontier = np.array([0])
        gh = gr + 1j * hr
        Zh = self._histograms(codes_off, pos, np.zeros(1, dtype=np.intp), 1, gh, "zh1")
        for d in range(self.max_depth):
            gain, f, b, ml, gl, hl, G, H = self._best_splits(Zh)
            split = gain > 0.0
            if not split.any():
                break
            sp = frontier[split]
            fs, bs, mls = f[split], b[split], ml[split]
            gl, hl, G, H = gl[split], hl[split], G[split], H[split]
            k = np.full(len(feature), -1, dtype=np.intp)
            k[sp] = np.arange(len(sp))
            k = k[pos]
            every_row_moves = every_row_moves and len(sp) == len(frontier)
            if every_row_moves:
                act, ka = row_ids, k
                c = sub.ravel()[row_offsets + fs[ka]]
            else:
                act = np.flatnonzero(k >= 0)
                ka = k[act]
                c = sub.ravel()[act * sub.shape[1] + fs[ka]]
            go_left = c <= bs[ka]
            if self._any_missing:
                go_left = np.where(c == B - 1, mls[ka], go_left)
            ln = np.bincount(ka, weights=go_left, minlength=len(sp))
            lw = ln if unit_weight else np.bincount(ka, weights=wr[act] * go_left,
                                                    minlength=len(sp))
            ln = ln.astype(np.intp)
            tn = np.array([counts[i] for i in sp.tolist()], dtype=np.intp)
            tw = np.array([totals[i][0] for i in sp.tolist()])
            child = np.empty((len(sp), 2), dtype=np.intp)
            for j, nid in enumerate(sp.tolist()):
                fj = int(features[fs[j]])
                feature[nid] = fj
                thr[nid] = float(self.bins.edges_[fj][bs[j]])
                bthr[nid] = int(bs[j])
                mleft[nid] = bool(mls[j])
                gains[nid] = float(gain[split][j])
                child[j, 0] = new_node(np.array([lw[j], gl[j], hl[j]]), int(ln[j]))
                child[j, 1] = new_node(np.array([tw[j] - lw[j], G[j] - gl[j], H[j] - hl[j]]),
                                       int(tn[j] - ln[j]))
                left[nid], right[nid] = child[j]
            pos[act] = child.ravel()[2 * ka + ~go_left]
            if d + 1 >= self.max_depth:
                break
            # histogram subtraction: build the smaller child, the larger is parent - smaller
            small_left = ln <= tn - ln
            small = np.where(small_left, child[:, 0], child[:, 1])
            large = np.where(small_left, child[:, 1], child[:, 0])
            slot = np.full(len(feature), -1, dtype=np.intp)
            slot[small] = np.arange(len(sp))
            Zs = self._histograms(codes_off, pos, slot, len(sp), gh, "zs")
            frontier = np.concatenate([small, large])
            # two buffers taking turns: this level's histograms are read while the next's
            # are written
            nxt = self._work(f"zh{d % 2}", (2 * len(sp),) + Zs.shape[1:], np.complex128)
            nxt[:len(sp)] = Zs
            np.subtract(Zh[split], Zs, out=nxt[len(sp):])
            Zh = nxt
        tree, new_id = self._finish(feature, thr, bthr, mleft, gains, left, right, totals,
                                    counts, crit)
        return tree, new_id[pos]

    def _finish(self, feature, thr, bthr, mleft, gains, left, right, totals, counts, crit):
        feature = np.array(feature, dtype=np.intp)
        left = np.array(left, dtype=np.intp)
        right = np.array(right, dtype=np.intp)
        gains = np.array(gains)
        n = len(feature)
        parent = np.full(n, -1, dtype=np.intp)
        internal = np.flatnonzero(left != TREE_LEAF)
        parent[left[internal]] = internal
        parent[right[internal]] = internal
        if self.gamma > 0:
            # XGBoost's pruner, bottom-up (children have larger ids than their parent): remove
            # a split of gain < gamma whose children are both leaves
            for i in internal[::-1]:
                if (left[left[i]] == TREE_LEAF and left[right[i]] == TREE_LEAF
                        and gains[i] < self.gamma):
                    left[i] = right[i] = TREE_LEAF
                    feature[i] = TREE_UNDEFINED
        keep = np.zeros(n, dtype=bool)
        stack = [0]
        order = []
        while stack:
            i = stack.pop()
            keep[i] = True
            order.append(i)
            if left[i] != TREE_LEAF:
                stack.append(right[i])
                stack.append(left[i])
        order = np.array(order, dtype=np.intp)
        new_id = np.full(n, -1, dtype=np.intp)
        new_id[order] = np.arange(len(order))
        # rows that ended in a pruned subtree belong to its kept ancestor
        mapped = np.arange(n)
        while not keep[mapped].all():
            mapped = np.where(keep[mapped], mapped, parent[mapped])
        T = np.array(totals)[order]
        is_leaf = left[order] == TREE_LEAF
        new_left = np.where(is_leaf, TREE_LEAF, new_id[np.maximum(left[order], 0)])
        new_right = np.where(is_leaf, TREE_LEAF, new_id[np.maximum(right[order], 0)])
        thr = np.where(is_leaf, float(TREE_UNDEFINED), np.array(thr)[order])
        tree = HistTree(self.bins.n_bins_.size, [1])
        tree._set_nodes(new_left, new_right, np.where(is_leaf, TREE_UNDEFINED, feature[order]),
                        thr, crit.node_value(T), crit.node_impurity(T), np.array(counts)[order],
                        T[:, 0])
        tree._set_missing(np.array(mleft)[order], np.where(is_leaf, -1, np.array(bthr)[order]))
        return tree, new_id[mapped]


class _SecondOrderTreeBuilder(TreeBuilder):
    """The exact builder with a node-size rule on the hessian: the second-order "impurity" is
    negative (a structure score), so the "pure node" test of CART does not apply."""

    def _leaf_by_size(self, n, w, depth, impurity):
        return (depth >= self.max_depth) | (n < 2)


def prune_by_gain(tree, gamma):
    """XGBoost's pruner on any fitted ``Tree`` grown with ``SecondOrder``: bottom-up, a split
    whose gain ``w_t i(t) - w_L i(L) - w_R i(R)`` is below ``gamma`` and whose children are
    both leaves becomes a leaf. Returns a new ``Tree`` (pre-order ids; leaf values kept)."""
    left, right = tree.children_left.copy(), tree.children_right.copy()
    wi = tree.weighted_n_node_samples * tree.impurity
    internal = np.flatnonzero(left != TREE_LEAF)
    for i in internal[::-1]:                    # children have larger pre-order ids
        if (left[left[i]] == TREE_LEAF and left[right[i]] == TREE_LEAF
                and wi[i] - wi[left[i]] - wi[right[i]] < gamma):
            left[i] = right[i] = TREE_LEAF
    order, stack = [], [0]
    while stack:
        i = stack.pop()
        order.append(i)
        if left[i] != TREE_LEAF:
            stack.extend((right[i], left[i]))
    order = np.array(order, dtype=np.intp)
    new_id = np.full(tree.node_count, TREE_LEAF, dtype=np.intp)
    new_id[order] = np.arange(len(order))
    leaf = left[order] == TREE_LEAF
    out = type(tree)(tree.n_features, tree.n_classes, tree.n_outputs)
    out._set_nodes(np.where(leaf, TREE_LEAF, new_id[np.maximum(left[order], 0)]),
                   np.where(leaf, TREE_LEAF, new_id[np.maximum(right[order], 0)]),
                   np.where(leaf, TREE_UNDEFINED, tree.feature[order]),
                   np.where(leaf, float(TREE_UNDEFINED), tree.threshold[order]),
                   tree.value[order], tree.impurity[order], tree.n_node_samples[order],
                   tree.weighted_n_node_samples[order])
    return out


def exact_second_order_tree(X, g, h, w, reg_lambda=1.0, reg_alpha=0.0, max_depth=6,
                            min_child_weight=1.0, gamma=0.0, random_state=None):
    """The exact (pre-sorted) ``TreeBuilder`` of ``_tree.py`` with the second-order criterion:
    every midpoint between distinct values is a candidate (XGBoost's ``tree_method='exact'``).
    ``g``, ``h`` are per-sample (unweighted) gradients and hessians, ``w`` the weights."""
    crit = SecondOrder(reg_lambda, reg_alpha)
    builder = _SecondOrderTreeBuilder(
        crit, max_depth=max_depth, min_samples_split=2, min_samples_leaf=1,
        min_weight_leaf=min_child_weight, max_features=X.shape[1], max_leaf_nodes=None,
        min_impurity_decrease=0.0, random_state=random_state)
    tree = builder.build(np.asarray(X, dtype=np.float32), np.column_stack([g, h]), w, [1])
    return prune_by_gain(tree, gamma) if gamma > 0 else tree
