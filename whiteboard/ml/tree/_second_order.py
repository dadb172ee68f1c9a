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

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ... import jit
from ._hist_block import FeatureBlock
from ._hist_kernels import merge_bests, route_rows
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
    ``max(n_bins_)``, one past the last bin of every feature. ``n_jobs`` threads learn the
    edges (a column each) and code the rows (a block each); the result does not depend on it.
    """

    def __init__(self, max_bin=256, n_jobs=1):
        self.max_bin = int(max_bin)
        self.n_jobs = int(n_jobs)

    def _map(self, fn, items):
        """``[fn(i) for i in items]``, on ``n_jobs`` threads when there are several: the
        sorts and binary searches of NumPy release the GIL, and every item's result is
        computed alone, so the output does not depend on the threads."""
        items = list(items)
        if self.n_jobs <= 1 or len(items) <= 1:
            return [fn(i) for i in items]
        with ThreadPoolExecutor(max_workers=min(self.n_jobs, len(items))) as pool:
            return list(pool.map(fn, items))

    def _column_edges(self, x):
        """The bin edges of one float32 column ``x`` (see the class docstring)."""
        q = np.arange(1, self.max_bin) / self.max_bin
        # one float32 sort per column gives both the distinct values (as ``np.unique``)
        # and the "lower" quantiles: ``sorted[floor((n - 1) q)]``, ``np.quantile``'s rule
        srt = np.sort(x)
        srt = srt[:len(srt) - np.count_nonzero(np.isnan(srt))]     # NaNs sort last
        first = np.empty(len(srt), dtype=bool)
        first[:1] = True
        np.not_equal(srt[1:], srt[:-1], out=first[1:])
        col = srt[first].astype(np.float64)
        if len(col) <= self.max_bin:
            mids = col[:-1] / 2.0 + col[1:] / 2.0
            return np.where(mids == col[1:], col[:-1], mids)
        vals = np.unique(srt[np.floor((len(srt) - 1) * q).astype(np.intp)].astype(np.float64))
        hi = col[np.minimum(np.searchsorted(col, vals, side="right"), len(col) - 1)]
        mids = vals / 2.0 + hi / 2.0
        mids = np.unique(np.where(mids == hi, vals, mids))
        return mids[mids < col[-1]]

    def fit(self, X):
        """Learn the edges of every column of ``X`` (n_samples, n_features), one column per
        thread with ``n_jobs`` > 1."""
        X = np.asarray(X, dtype=np.float32)
        self.edges_ = self._map(lambda j: self._column_edges(X[:, j]), range(X.shape[1]))
        self.n_bins_ = np.array([len(e) + 1 for e in self.edges_], dtype=np.intp)
        self.has_missing_ = np.isnan(X).any(axis=0)
        self.missing_bin = int(self.n_bins_.max())
        return self

    def transform(self, X):
        """Codes of shape (n_samples, n_features): uint8 when every code fits (``max_bin <
        256``, or 256 bins and no NaN in ``X``: the NaN code 256 never occurs), else uint16.
        With ``n_jobs`` > 1 each thread codes a block of rows (disjoint rows of the output,
        so the threads never write to the same cache lines but at the blocks' borders)."""
        X = np.asarray(X, dtype=np.float32)
        nan = np.isnan(X)
        top = self.missing_bin if nan.any() else self.missing_bin - 1     # the largest code
        dtype = np.uint8 if top < 256 else np.uint16
        codes = np.empty(X.shape, dtype=dtype)

        def code_rows(rows):
            for j, e in enumerate(self.edges_):
                c = np.searchsorted(e, X[rows, j].astype(np.float64), side="left")
                c[nan[rows, j]] = self.missing_bin
                codes[rows, j] = c

        n = X.shape[0]
        # at least 4096 rows a block: a block's searches then take far longer than its
        # hand-off to a thread (tens of microseconds)
        blocks = max(1, min(self.n_jobs, n // 4096))
        bounds = np.linspace(0, n, blocks + 1).astype(np.intp)
        self._map(code_rows, [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])])
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


class _Codes:
    """The bin codes of a tree's rows and features: row-major ``codes`` (n, F), read by the
    kernels, and the feature-major copy ``codes_t`` (F, n) that the NumPy routing gathers
    from, made on its first use."""

    def __init__(self, codes):
        self.codes = codes
        self._t = None

    @property
    def codes_t(self):
        if self._t is None:
            self._t = np.ascontiguousarray(self.codes.T)
        return self._t


class HistTreeBuilder:
    """Grow a ``HistTree`` from binned features and gradient statistics, depth-wise.

    ``build(codes, g, h, w, rows, features)``: ``codes`` (n, F) from ``BinMapper.transform``,
    ``g``/``h`` (n,) weighted gradients and hessians, ``rows`` the in-bag sample ids,
    ``features`` the candidate feature ids (``colsample_bytree``). Returns the tree and the
    leaf (node id) reached by every row of ``rows``.

    Level-wise: every level, the candidate features are cut into ``n_jobs`` contiguous
    blocks (``FeatureBlock``), each building its histograms and best bins on its own thread
    (the calling thread takes the first block); the main thread merges the bests, routes the
    rows (one gather of the split features' codes per level) and picks the smaller children,
    whose histograms the next level builds (the larger ones are parent - smaller). The tree
    is the same bit for bit whatever ``n_jobs``.

    Where ``whiteboard.jit`` is enabled, a block's level is one compiled kernel and so is the
    routing (``_hist_kernels.py``): the same additions in the same order, so the same tree
    bit for bit as the NumPy path, and the kernels release the GIL, so the blocks' threads
    run in parallel. There the blocks past the first run on ``_hist_team.LevelTeam``'s
    threads, which stay in compiled code for a whole tree and hand the levels over through
    spin-waited flags (a pool thread's wake-up per level cost about what the second thread
    saved); a fit whose workers keep missing their cores (a busy machine) finishes on one
    thread (``_hist_team.STRIKES``). The NumPy path hands each level to a
    ``ThreadPoolExecutor``.
    """

    def __init__(self, criterion, bin_mapper, max_depth=6, min_child_weight=1.0, gamma=0.0,
                 n_jobs=1):
        self.criterion = criterion
        self.bins = bin_mapper
        self.max_depth = max_depth
        self.min_child_weight = float(min_child_weight)
        self.gamma = float(gamma)
        self.n_jobs = int(n_jobs)
        self._pool = None
        self._level_team = None

    def close(self):
        """Stop the worker threads (``build`` starts them on first use)."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self._level_team is not None:
            self._level_team.close()
            self._level_team = None

    def _team(self, blocks, gh, pos, codes, w, missing_bin, any_missing):
        """The compiled path's worker threads (``_hist_team.LevelTeam``, one per block past the
        first), started on first use and set up for this tree (``LevelTeam.begin``)."""
        from ._hist_team import LevelTeam          # the compiled path only

        team = self._level_team
        if team is None or len(team.workers) != len(blocks) - 1:
            if team is not None:
                team.close()
            hint = min(2 ** max(0, self.max_depth - 1), len(pos), 256)
            team = self._level_team = LevelTeam(blocks, cap_m=hint)
        team.begin(blocks, gh, pos, codes, w, missing_bin, any_missing)
        return team

    def _blocks(self, codes, rows, features):
        """The ``FeatureBlock``s of this tree's rows and features (reused while ``codes``,
        rows and features are those of the previous tree)."""
        F = len(features)
        full = F == codes.shape[1] and len(rows) == codes.shape[0]
        cached = getattr(self, "_cached", None)
        if full and cached is not None and cached[0] is codes:
            return cached[1]
        B = self.bins.missing_bin + 1
        sub = np.ascontiguousarray(codes if full else codes[np.ix_(rows, features)])
        n_bins = self.bins.n_bins_[features]
        invalid = np.arange(B - 1)[None, :] >= n_bins[:, None] - 1            # (F, B-1)
        any_missing = bool(self.bins.has_missing_[features].any())
        nb = max(1, min(self.n_jobs, F))
        # equal histogram columns per block (the blocks past the first carry feature 0 too),
        # the first block, on the calling thread, takes the remainder: it then finishes last
        # and does not sleep waiting for the others
        other = max(1, (F - 1) // nb)
        bounds = [0] + [F - (nb - k) * other for k in range(1, nb)] + [F]
        blocks = [FeatureBlock(sub, a, b, B, invalid, self.criterion, self.min_child_weight,
                               any_missing) for a, b in zip(bounds[:-1], bounds[1:])]
        out = (_Codes(sub), blocks, any_missing)
        if full:
            self._cached = (codes, out)
        return out

    def _run(self, blocks, job):
        """``block.level(job)`` for every block, the first one on this thread, the others on
        the pool's threads (the NumPy path; the compiled path's blocks use ``_team``)."""
        if len(blocks) == 1:
            return [blocks[0].level(job)]
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=len(blocks) - 1)
        futures = [self._pool.submit(b.level, job) for b in blocks[1:]]
        first = blocks[0].level(job)
        return [first] + [f.result() for f in futures]

    def build(self, codes, g, h, w, rows, features):
        crit = self.criterion
        sub, blocks, any_missing = self._blocks(codes, rows, features)
        n, F = sub.codes.shape
        use_jit = jit.enabled()
        B = self.bins.missing_bin + 1
        edges = self._edges()
        if len(rows) == len(g):             # all rows (``rows`` are sorted distinct ids)
            gr, hr, wr = g, h, w
        else:
            gr, hr, wr = g[rows], h[rows], w[rows]
        unit_weight = bool(wr.min() == 1.0 == wr.max())     # then weight sums are counts
        gh = self._gh(n)
        gh.real, gh.imag = gr, hr
        row_ids = np.arange(n)
        # per node, appended level by level: totals (w, G, H), counts, and for split nodes
        # feature slot, bin, NaN-left flag, gain, children
        T = [np.array([[wr.sum(), gr.sum(), hr.sum()]])]
        cnt = [np.array([n])]
        sp_ids, sp_f, sp_b, sp_ml, sp_gain, sp_left = [], [], [], [], [], []
        n_nodes = 1
        frontier = np.array([0])
        Tf, cf = T[0], cnt[0]
        pos = np.zeros(n, dtype=np.intp)          # node id of every row
        every_row_moves = True
        if use_jit:
            job = dict(jit=True, gh=gh, pos=pos, node_slot=np.zeros(1, dtype=np.intp), ns=1,
                       key="z0")
        else:
            job = dict(gh=gh, sel=None, slot=None, ns=1, key="z0")
        team = None
        if use_jit and len(blocks) > 1:
            team = self._team(blocks, gh, pos, sub.codes, wr, B - 1, any_missing)
        try:
            for d in range(self.max_depth):
                results = self._run(blocks, job) if team is None else team.run(job)
                gain, f, b, ml, gl, hl, G, H = self._merge(results, any_missing)
                split = gain > 0.0
                if not split.any():
                    break
                all_split = bool(split.all())
                spos = np.flatnonzero(split)
                sp = frontier[spos]
                fs, bs, mls = f[spos], b[spos], ml[spos]
                gl, hl, G, H = gl[spos], hl[spos], G[spos], H[spos]
                ms = len(sp)
                tw, cp = Tf[spos, 0], cf[spos]
                k = np.full(n_nodes, -1, dtype=np.intp)
                k[sp] = np.arange(ms)
                left_ids = n_nodes + 2 * np.arange(ms)
                if team is not None and unit_weight:
                    ln = lw = team.route(k, fs, bs, mls, left_ids)  # counts: exact in parts
                elif use_jit:
                    ln, lw = np.zeros(ms), np.zeros(ms)
                    route_rows(sub.codes, pos, k, fs, bs, mls, left_ids, wr, B - 1, any_missing,
                               not unit_weight, ln, lw)
                    lw = ln if unit_weight else lw
                else:
                    k = k[pos]
                    every_row_moves = every_row_moves and all_split
                    if every_row_moves:
                        act, ka = row_ids, k
                        c = sub.codes_t.ravel()[fs[ka] * n + row_ids]
                    else:
                        act = np.flatnonzero(k >= 0)
                        ka = k[act]
                        c = sub.codes_t.ravel()[fs[ka] * n + act]
                    go_left = c <= bs[ka]
                    if any_missing:
                        go_left = np.where(c == B - 1, mls[ka], go_left)
                    ln = np.bincount(ka, weights=go_left, minlength=ms)
                    lw = ln if unit_weight else np.bincount(ka, weights=wr[act] * go_left,
                                                            minlength=ms)
                    pos[act] = left_ids[ka] + ~go_left
                ln = ln.astype(np.intp)
                Tc = np.empty((ms, 2, 3))
                Tc[:, 0] = np.column_stack([lw, gl, hl])
                Tc[:, 1] = np.column_stack([tw - lw, G - gl, H - hl])
                cc = np.column_stack([ln, cp - ln])
                T.append(Tc.reshape(-1, 3))
                cnt.append(cc.ravel())
                sp_ids.append(sp)
                sp_f.append(features[fs])
                sp_b.append(bs)
                sp_ml.append(mls)
                sp_gain.append(gain[spos])
                sp_left.append(left_ids)
                n_nodes += 2 * ms
                if d + 1 >= self.max_depth:
                    break
                # histogram subtraction: build the smaller child, the larger is parent - smaller
                small_right = ln > cp - ln
                small = left_ids + small_right
                large = left_ids + ~small_right
                frontier = np.concatenate([small, large])
                j = np.arange(ms)
                order = np.concatenate([2 * j + small_right, 2 * j + ~small_right])
                Tf = Tc.reshape(-1, 3)[order]
                cf = cc.ravel()[order]
                slot = np.full(n_nodes, -1, dtype=np.intp)
                slot[small] = j
                job = dict(ns=ms, key=f"z{(d + 1) % 2}", parent=f"z{d % 2}", m_parent=len(split),
                           split=None if all_split else spos)
                if use_jit:
                    job.update(jit=True, gh=gh, pos=pos, node_slot=slot,
                               split=j if all_split else spos)
                else:
                    s = slot[pos]
                    sel = np.flatnonzero(s >= 0)
                    job.update(gh=gh[sel], sel=sel, slot=s[sel])
        finally:
            if team is not None:
                team.end()          # the workers leave their kernels and sleep
        if team is not None and team.oversubscribed:
            # the workers kept missing their cores: finish the fit on one thread (one block,
            # the same trees); see _hist_team.STRIKES
            self.close()
            self.n_jobs, self._cached = 1, None
        T = np.concatenate(T)
        counts = np.concatenate(cnt)
        feature = np.full(n_nodes, TREE_UNDEFINED, dtype=np.intp)
        bthr = np.full(n_nodes, -1, dtype=np.intp)
        mleft = np.zeros(n_nodes, dtype=bool)
        gains = np.zeros(n_nodes)
        left = np.full(n_nodes, TREE_LEAF, dtype=np.intp)
        right = np.full(n_nodes, TREE_LEAF, dtype=np.intp)
        thr = np.full(n_nodes, float(TREE_UNDEFINED))
        if sp_ids:
            ids = np.concatenate(sp_ids)
            feature[ids] = np.concatenate(sp_f)
            bthr[ids] = np.concatenate(sp_b)
            mleft[ids] = np.concatenate(sp_ml)
            gains[ids] = np.concatenate(sp_gain)
            left[ids] = np.concatenate(sp_left)
            right[ids] = left[ids] + 1
            thr[ids] = edges[feature[ids], bthr[ids]]
        tree, new_id = self._finish(feature, thr, bthr, mleft, gains, left, right, T, counts,
                                    crit)
        return tree, new_id[pos]

    def _gh(self, n):
        """The (n,) complex statistics ``g + ih`` of a tree, in a buffer reused across trees."""
        buf = getattr(self, "_gh_buf", None)
        if buf is None or len(buf) < n:
            buf = self._gh_buf = np.empty(n, dtype=np.complex128)
        return buf[:n]

    def _edges(self):
        """The bin edges as one (n_features, max edges) array (``thr = edges[f, bin]``)."""
        if getattr(self, "_edges_of", None) is not self.bins:
            e = self.bins.edges_
            pad = np.full((len(e), max([len(x) for x in e] + [1])), np.nan)
            for j, x in enumerate(e):
                pad[j, :len(x)] = x
            self._edges_of, self._edges_pad = self.bins, pad
        return self._edges_pad

    def _merge(self, results, any_missing):
        """Best split of each node of the level from the blocks' bests: gain (-inf: none),
        feature slot, bin, NaN-goes-left flag, the left child's (G, H) and the node's. The
        first maximum in (direction, feature, bin) order wins, as one ``argmax`` over all.
        With ``whiteboard.jit`` on, one kernel (``merge_bests``) does the same arithmetic."""
        crit = self.criterion
        if jit.enabled():
            m = len(results[0][4])
            out = (np.empty(m), np.empty(m, dtype=np.intp), np.empty(m, dtype=np.intp),
                   np.empty(m, dtype=bool), np.empty(m), np.empty(m))
            merge_bests(tuple(r[0] for r in results), tuple(r[1] for r in results),
                        tuple(r[2] for r in results), tuple(r[3] for r in results),
                        results[0][4], results[0][5], crit.reg_lambda, crit.reg_alpha, *out)
            return out + (results[0][4], results[0][5])
        vals = np.concatenate([r[0] for r in results], axis=2)      # (D, m, F)
        bins = np.concatenate([r[1] for r in results], axis=2)
        cls = np.concatenate([r[2] for r in results], axis=2)
        Zm = np.concatenate([r[3] for r in results], axis=1)        # (m, F)
        D, m, F = vals.shape
        r = np.arange(m)
        arg = np.argmax(vals.transpose(1, 0, 2).reshape(m, D * F), axis=1)
        dd, f = np.divmod(arg, F)
        top = vals[dd, r, f]
        b = bins[dd, r, f]
        G, H = results[0][4], results[0][5]
        gain = np.where(np.isfinite(top), 0.5 * (top - crit.score(G, H)), -np.inf)
        cl = cls[dd, r, f]
        gl, hl = cl.real, cl.imag
        zm = Zm[r, f]
        Gm, Hm = zm.real, zm.imag
        has_missing = Hm > 0
        # a node that saw no NaN on this feature sends NaN to the child of larger hessian
        miss_left = np.where(has_missing, dd == 1, hl >= H - hl)
        gl = np.where(miss_left, gl + Gm, gl)
        hl = np.where(miss_left, hl + Hm, hl)
        return gain, f, b, miss_left, gl, hl, G, H

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
