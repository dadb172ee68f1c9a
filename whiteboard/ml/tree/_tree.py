"""The shared tree core: a node-array tree, pluggable split criteria, a vectorised splitter and
the depth-first / best-first builders. Every tree model of whiteboard (CART, ID3, C4.5, regression
trees, random forests, AdaBoost stumps, GBDT, XGBoost-style boosting) grows on this module.

Design (read this before adding a criterion or a splitter)
---------------------------------------------------------

``Tree`` -- the fitted structure, node arrays exactly like scikit-learn's ``tree_``::

    children_left[i], children_right[i]   child ids, -1 (TREE_LEAF) at a leaf
    feature[i], threshold[i]              split "x[feature] <= threshold" goes left; -2 at a leaf
    value[i]                              (n_outputs, n_values): class fractions or the leaf value
    impurity[i], n_node_samples[i], weighted_n_node_samples[i]

Node ids are scikit-learn's: depth-first pre-order (left child first) for the depth-first
builder, creation order for the best-first builder (``max_leaf_nodes``).

Per-sample statistics -- a criterion turns ``(y, sample_weight)`` into a matrix ``S`` of shape
``(n_samples, k)`` whose column 0 is the sample weight. Everything a split needs is a *sum* of
rows of ``S``: for Gini/entropy ``S = [w, w*1{y=0}, ..., w*1{y=K-1}]``; for squared error
``S = [w, w*y, w*y^2]``; for a second-order booster ``S = [w, g, h]`` (gradient and hessian
per sample).

Criterion -- a class with
    ``sample_stats(y, w) -> S``,
    ``node_impurity(T)`` for node totals ``T`` (rows of summed ``S``),
    ``proxy(L, R)``: a score that orders candidate splits exactly as the impurity decrease does
    (bigger is better), evaluated for a whole vector of candidates at once,
    ``children_impurity(L, R)``, ``node_value(T)`` (what a leaf predicts),
    ``search_columns``: the columns of ``S`` that ``proxy`` reads (so the splitter accumulates
    only those), and ``select(...)``: how a node picks among its features' best splits (first
    maximum of ``proxy`` by default; C4.5's gain-ratio rule overrides it).
A second-order criterion (XGBoost) is a few lines: ``S = [w, g, h]`` (``g, h`` already
multiplied by the sample weight), ``proxy(L, R) = G_L^2/(H_L+lambda) + G_R^2/(H_R+lambda)``
(the parent term is constant per node), ``node_value(T) = -G/(H+lambda)`` and
``node_impurity(T) = -G^2 / ((H+lambda) w)``: then the builder's improvement
``(w_t i(t) - w_L i(L) - w_R i(R)) / W`` is ``2 gain / W`` with
``gain = 1/2 [G_L^2/(H_L+lambda) + G_R^2/(H_R+lambda) - G^2/(H+lambda)]``, so gamma is
``min_impurity_decrease = 2 gamma / W``; ``min_child_weight`` is a lower bound on the ``H``
column (set ``weight_column = 2``; ``min_weight_leaf`` then applies to it). That impurity is
negative, so such a criterion sets ``stop_when_pure = False``. ``tests/ml/tree/test_tree_core.py``
holds this criterion, checked against the squared-error tree and the gain formula.

Split search -- vectorised over thresholds and over (node, feature) pairs. Samples are
pre-sorted once per feature (``idx``, shape ``(n_features, n_samples)``); a node owns the same
contiguous range ``[start, end)`` of every row of ``idx``, sorted by that feature. For a batch
of (node, feature) *segments* the splitter gathers the statistics in sorted order, takes one
``cumsum`` (left sums at every cut), subtracts the segment's offset, gets right sums as
``total - left``, masks invalid cuts (equal neighbouring values within 1e-7, ``min_samples_leaf``,
``min_weight_leaf``), scores all cuts with ``criterion.proxy`` and reduces per segment with
``maximum.reduceat``. No Python loop runs over samples or thresholds; the builders loop over
tree levels (depth-first) or expanded nodes (best-first) only. After a level is chosen, every
row of ``idx`` is stably partitioned (left block, then right block) inside each node's range
(boolean compression plus one column permutation shared by all rows), so the children stay
sorted without re-sorting. When a node draws at most half of the features (random forests),
``_SplitFinder`` switches to ``sort_per_node``: one array of node samples, and each drawn
(node, feature) segment is sorted on the fly by the sample's precomputed rank in that feature
(one ``np.sort`` of packed ``segment * n + rank`` keys per level); the scoring code is shared.

Histogram (binned) split finding plugs in at ``_SplitFinder.best_splits`` /
``_SplitFinder._score_chunk``: bin ``X`` into ``uint8`` codes once, and for each (node, feature)
segment replace "statistics in sorted order" by "statistics summed per bin"
(``np.bincount(segment_id * n_bins + code, weights=S[:, c])``, shape (segments, n_bins)); the
cumulative sum over bins, the masks (``min_samples_leaf`` on counts, ``weight_column`` on
``H``), ``criterion.proxy`` and the per-segment first-maximum reduction are the same steps,
candidates being bin edges instead of midpoints, and ``TreeBuilder`` (levels, best-first,
node arrays, ``Tree``) is reused unchanged: the builder talks to its finder only through
``best_splits``, ``segment_samples`` (a segment's samples in split order), ``partition`` and
``n`` / ``n_features``. Ensembles pass ``presorted`` (one argsort of ``X`` shared by all trees)
to ``TreeBuilder.build``.

Conventions copied from scikit-learn so that trees are equal node for node: ``X`` is cast to
float32 (thresholds are float64 midpoints of float32 values,
``x[p-1]/2 + x[p]/2``, falling back to ``x[p-1]`` if rounding reaches ``x[p]``), samples with
zero weight are dropped, values closer than ``FEATURE_THRESHOLD = 1e-7`` are one value, entropy
is in bits, a node with impurity <= machine epsilon is a leaf, and the reported impurity
improvement is ``w_t/w (i(t) - w_R/w_t i(R) - w_L/w_t i(L))``.
"""

from __future__ import annotations

import heapq

import numpy as np

__all__ = [
    "CRITERIA_CLF",
    "CRITERIA_REG",
    "TREE_LEAF",
    "TREE_UNDEFINED",
    "Criterion",
    "Entropy",
    "GainRatio",
    "Gini",
    "SquaredError",
    "Tree",
    "TreeBuilder",
    "cost_complexity_prune",
]

TREE_LEAF = -1
TREE_UNDEFINED = -2
FEATURE_THRESHOLD = 1e-7
EPSILON = np.finfo(np.float64).eps
_LN2 = np.log(2.0)
# Floats per chunk of the split search (positions x accumulated columns) and entries per block
# of the partition: bounds peak memory (1 << 19 also measured faster than 1 << 21: the chunk
# stays in cache).
_CHUNK = 1 << 19


def presort(XT, rows=None):
    """``argsort(XT, axis=1, kind="stable")`` as int32, one feature row at a time (the int64
    result of a whole-matrix argsort would be twice the size of the orders kept).

    ``rows``: sorted column ids; then each row holds the ids of those columns only, in the
    stable order of their values (``rows[argsort(XT[j, rows])]``)."""
    n = XT.shape[1] if rows is None else len(rows)
    order = np.empty((XT.shape[0], n), dtype=np.int32)
    for j in range(XT.shape[0]):
        if rows is None:
            order[j] = np.argsort(XT[j], kind="stable")
        else:
            order[j] = np.take(rows, np.argsort(np.take(XT[j], rows), kind="stable"))
    return order


def _restrict_presorted(presorted, keep):
    """The rows of a shared ``presorted`` (feature x sample ids) without the ids where ``keep``
    is False: the stable order of the kept samples, without sorting again (row by row, so the
    temporaries are one row long)."""
    n_kept = int(np.count_nonzero(keep))
    out = np.empty((presorted.shape[0], n_kept), dtype=np.int32)
    for j in range(presorted.shape[0]):
        row = presorted[j]
        np.compress(np.take(keep, row), row, out=out[j])
    return out


class Tree:
    """A fitted binary tree as parallel node arrays (scikit-learn's ``tree_`` layout).

    ``value`` has shape ``(node_count, n_outputs, n_values)``: class fractions for a classifier
    (weighted, summing to 1), the leaf prediction for a regressor (``n_values = 1``).
    """

    def __init__(self, n_features, n_classes, n_outputs=1):
        self.n_features = int(n_features)
        self.n_classes = np.asarray(n_classes, dtype=np.intp).reshape(-1)
        self.n_outputs = int(n_outputs)
        self.max_n_classes = int(self.n_classes.max())

    def _set_nodes(self, children_left, children_right, feature, threshold, value, impurity,
                   n_node_samples, weighted_n_node_samples):
        self.children_left = np.asarray(children_left, dtype=np.intp)
        self.children_right = np.asarray(children_right, dtype=np.intp)
        self.feature = np.asarray(feature, dtype=np.intp)
        self.threshold = np.asarray(threshold, dtype=np.float64)
        self.value = np.asarray(value, dtype=np.float64)
        self.impurity = np.asarray(impurity, dtype=np.float64)
        self.n_node_samples = np.asarray(n_node_samples, dtype=np.intp)
        self.weighted_n_node_samples = np.asarray(weighted_n_node_samples, dtype=np.float64)
        self.node_count = len(self.children_left)
        self.capacity = self.node_count
        self.max_depth = int(self.compute_node_depths().max())
        return self

    @property
    def n_leaves(self):
        return int(np.sum(self.children_left == TREE_LEAF))

    def compute_node_depths(self):
        """Depth of every node (root 0), shape ``(node_count,)``."""
        depth = np.zeros(self.node_count, dtype=np.intp)
        frontier = np.array([0])
        d = 0
        while frontier.size:
            depth[frontier] = d
            internal = frontier[self.children_left[frontier] != TREE_LEAF]
            frontier = np.concatenate([self.children_left[internal],
                                       self.children_right[internal]])
            d += 1
        return depth

    def apply(self, X):
        """Leaf id reached by each row of ``X`` (n_samples, n_features) -> (n_samples,).

        ``x[feature] <= threshold`` goes left, the comparison done on float32 ``x`` as in
        scikit-learn; the loop runs over tree levels, each level vectorised over samples. A
        leaf is its own child, so rows that reached one stay there and a level needs no
        compaction; rows are compacted only once most of them sit at leaves (deep trees).
        """
        X = np.ascontiguousarray(X, dtype=np.float32)
        n = X.shape[0]
        f = X.shape[1]
        leaf = self.children_left == TREE_LEAF
        own = np.arange(self.node_count)
        # child[2 i] left, child[2 i + 1] right child of node i (itself at a leaf)
        child = np.empty(2 * self.node_count, dtype=np.intp)
        child[0::2] = np.where(leaf, own, self.children_left)
        child[1::2] = np.where(leaf, own, self.children_right)
        feat = np.where(leaf, 0, self.feature)
        thr = self.threshold
        Xf = X.reshape(-1)
        out = np.zeros(n, dtype=np.intp)
        rows = None                                   # None: all rows
        node = out
        row_base = np.arange(n, dtype=np.intp) * f
        for _ in range(self.max_depth):
            x = np.take(Xf, row_base + np.take(feat, node))
            node = np.take(child, 2 * node + (x > np.take(thr, node)))
            at_leaf = np.take(leaf, node)
            n_leaf = int(np.count_nonzero(at_leaf))
            if n_leaf == len(node):
                break
            if 2 * n_leaf > len(node):
                if rows is None:
                    out = node.copy()
                    rows = np.flatnonzero(~at_leaf)
                else:
                    out[rows] = node
                    rows = np.compress(~at_leaf, rows)
                node = np.compress(~at_leaf, node)
                row_base = rows * f
        if rows is None:
            return node
        out[rows] = node
        return out

    def predict(self, X):
        """``value`` of the leaf each row reaches: (n_samples, n_outputs, n_values)."""
        return self.value[self.apply(X)]

    def decision_path(self, X):
        """Boolean indicator (n_samples, node_count): nodes on each sample's root-to-leaf path."""
        X = np.asarray(X, dtype=np.float32)
        n = X.shape[0]
        out = np.zeros((n, self.node_count), dtype=bool)
        node = np.zeros(n, dtype=np.intp)
        rows = np.arange(n)
        out[rows, node] = True
        active = np.flatnonzero(self.children_left[node] != TREE_LEAF)
        while active.size:
            nd = node[active]
            go_left = X[active, self.feature[nd]] <= self.threshold[nd]
            node[active] = np.where(go_left, self.children_left[nd], self.children_right[nd])
            out[active, node[active]] = True
            active = active[self.children_left[node[active]] != TREE_LEAF]
        return out

    def compute_feature_importances(self, normalize=True):
        """Mean decrease in impurity: sum over a feature's splits of
        ``w_t i(t) - w_L i(L) - w_R i(R)``, divided by the root weight (then by the total)."""
        internal = np.flatnonzero(self.children_left != TREE_LEAF)
        left = self.children_left[internal]
        right = self.children_right[internal]
        wi = self.weighted_n_node_samples * self.impurity
        decrease = wi[internal] - wi[left] - wi[right]
        imp = np.bincount(self.feature[internal], weights=decrease, minlength=self.n_features)
        imp = imp / self.weighted_n_node_samples[0]
        if normalize:
            total = imp.sum()
            if total > 0.0:
                imp = imp / total
        return imp


# --------------------------------------------------------------------------------------------
# Criteria
# --------------------------------------------------------------------------------------------


class Criterion:
    """Impurity of a node from its summed per-sample statistics (see the module docstring).

    All methods take ``(m, k)`` arrays of statistics (column 0 = weight) and work on all ``m``
    rows at once.
    """

    is_classification = False
    search_columns = None
    weight_column = 0
    # impurity >= 0 with 0 meaning "nothing to gain": such a node is a leaf. A criterion whose
    # impurity can be negative (the second-order one) sets this to False.
    stop_when_pure = True

    def sample_stats(self, y, w):
        raise NotImplementedError

    def node_impurity(self, T):
        raise NotImplementedError

    def children_impurity(self, L, R):
        return self.node_impurity(L), self.node_impurity(R)

    def proxy(self, L, R):
        """Score ordering the splits as the impurity decrease does: ``-w_L i(L) - w_R i(R)``."""
        il, ir = self.children_impurity(L, R)
        return -R[:, 0] * ir - L[:, 0] * il

    def node_value(self, T):
        raise NotImplementedError

    def select(self, proxy, left, totals, impurity):
        """Column of each row of ``proxy`` (nodes x candidate features, -inf where a feature has
        no valid split) that the node splits on: the first maximum. -1 where none is valid."""
        best = np.argmax(proxy, axis=1)
        ok = np.isfinite(proxy[np.arange(len(best)), best])
        return np.where(ok, best, -1)


class _ClassificationCriterion(Criterion):
    is_classification = True

    def __init__(self, n_classes):
        self.n_classes = int(n_classes)

    def sample_stats(self, y, w):
        S = np.zeros((len(y), self.n_classes + 1))
        S[:, 0] = w
        S[np.arange(len(y)), 1 + y] = w
        return S

    def node_value(self, T):
        w = T[:, :1]
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(w > 0, T[:, 1:] / np.where(w > 0, w, 1.0), 0.0)
        return frac[:, None, :]


class Gini(_ClassificationCriterion):
    """CART's Gini index ``1 - sum_c p_c^2`` with ``p_c`` the weighted class fraction."""

    def node_impurity(self, T):
        w = T[:, 0]
        sq = np.zeros(len(T))
        for c in range(1, T.shape[1]):
            sq += T[:, c] * T[:, c]
        with np.errstate(invalid="ignore", divide="ignore"):
            return 1.0 - sq / (w * w)

    def proxy(self, L, R):
        """``sum_c L_c^2 / w_L + sum_c R_c^2 / w_R``: equals ``-w_L i(L) - w_R i(R) - w_t``
        (``w_L + w_R = w_t`` fixed per node), so it orders the splits of a node as the impurity
        decrease does, with fewer passes (scikit-learn's ``proxy_impurity_improvement``)."""
        sql = L[:, 1] * L[:, 1]
        sqr = R[:, 1] * R[:, 1]
        for c in range(2, L.shape[1]):
            sql += L[:, c] * L[:, c]
            sqr += R[:, c] * R[:, c]
        with np.errstate(invalid="ignore", divide="ignore"):
            sql /= L[:, 0]
            sqr /= R[:, 0]
        sql += sqr
        return sql


class Entropy(_ClassificationCriterion):
    """ID3's information entropy ``-sum_c p_c log2 p_c`` (bits, as scikit-learn)."""

    def node_impurity(self, T):
        w = T[:, 0]
        ent = np.zeros(len(T))
        with np.errstate(invalid="ignore", divide="ignore"):
            for c in range(1, T.shape[1]):
                p = T[:, c] / w
                ent -= np.where(p > 0.0, p * (np.log(p) / _LN2), 0.0)
        return ent


class GainRatio(Entropy):
    """C4.5's gain ratio ``IG / SplitInfo``, ``SplitInfo = -sum_s (w_s/w) log2(w_s/w)``.

    As in Quinlan's C4.5 for a numeric attribute: each feature's threshold is the one of
    largest information gain; the node then chooses, among the features whose gain is at least
    the average gain of the features with a valid split, the one of largest gain ratio. (Ranking
    every threshold by gain ratio instead would favour cutting off a single sample, whose tiny
    SplitInfo inflates the ratio -- the reason for C4.5's average-gain rule.) The impurity is the
    entropy, so ``feature_importances_`` and pruning use information gain.
    """

    def select(self, proxy, left, totals, impurity):
        w = totals[:, 0][:, None]
        valid = np.isfinite(proxy)
        with np.errstate(invalid="ignore", divide="ignore"):
            gain = np.where(valid, impurity[:, None] + proxy / w, np.nan)
            mean_gain = np.nanmean(np.where(valid, gain, np.nan), axis=1, keepdims=True)
            pl = left[..., 0] / w
            pr = 1.0 - pl
            split_info = -(pl * np.log(pl) + pr * np.log(pr)) / _LN2
            ratio = np.where(valid & (gain >= mean_gain - 1e-12), gain / split_info, -np.inf)
        best = np.argmax(ratio, axis=1)
        ok = np.isfinite(ratio[np.arange(len(best)), best]) if len(best) else np.zeros(0, bool)
        return np.where(ok, best, -1)


class SquaredError(Criterion):
    """Variance reduction: ``i(t) = sum w y^2 / w - (sum w y / w)^2``; a leaf predicts the
    weighted mean of its targets (not the mean of all nodes on the path)."""

    search_columns = (0, 1)

    def sample_stats(self, y, w):
        return np.column_stack([w, w * y, w * y * y])

    def node_impurity(self, T):
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = T[:, 1] / T[:, 0]
            return T[:, 2] / T[:, 0] - mean * mean

    def proxy(self, L, R):
        with np.errstate(invalid="ignore", divide="ignore"):
            return L[:, 1] * L[:, 1] / L[:, 0] + R[:, 1] * R[:, 1] / R[:, 0]

    def node_value(self, T):
        with np.errstate(invalid="ignore", divide="ignore"):
            return (T[:, 1] / T[:, 0])[:, None, None]


CRITERIA_CLF = {"gini": Gini, "entropy": Entropy, "log_loss": Entropy, "gain_ratio": GainRatio}
CRITERIA_REG = {"squared_error": SquaredError}


# --------------------------------------------------------------------------------------------
# Split search
# --------------------------------------------------------------------------------------------


def _ranges(starts, lengths):
    """Concatenation of ``arange(s, s + l)`` for all pairs, and the segment id of each entry."""
    lengths = np.asarray(lengths, dtype=np.intp)
    total = int(lengths.sum())
    seg = np.repeat(np.arange(len(lengths)), lengths)
    offs = np.cumsum(lengths) - lengths
    # block repeats instead of gathers by ``seg``: same values, contiguous copies
    pos = np.repeat(np.asarray(starts, dtype=np.intp) - offs, lengths)
    pos += np.arange(total)
    return pos, seg, offs


class _SplitFinder:
    """Best split of many (node, feature) segments at once, over pre-sorted sample orders.

    ``long_segment``: a segment (alone in its chunk) longer than this many samples is scored in
    pieces of that many (None: the chunk budget, ``_CHUNK / (statistics + 4)``).

    Samples are named by their row id in the caller's arrays (``XT``'s columns, ``S``'s rows):
    ``rows`` (sorted int32 ids) are the samples of the tree when it does not use every row
    (zero weights: a bootstrap), so no copy of the kept rows of ``X`` is made; ``presorted``
    then holds only those ids (each feature's row of ``idx`` / ``order`` has ``n = len(rows)``
    entries). ``presorted_owned``: the finder may partition ``presorted`` in place.
    """

    long_segment = None

    def __init__(self, XT, S, criterion, min_samples_leaf, min_weight_leaf, splitter, rng,
                 presorted=None, sort_per_node=False, rows=None, presorted_owned=False):
        self.XT = XT                       # (n_features, n_ids) float32, rows contiguous
        self.n_features, self.n_ids = XT.shape
        self.n = self.n_ids if rows is None else len(rows)
        if presorted is None:
            presorted, presorted_owned = presort(XT), True
        self.sort_per_node = sort_per_node
        if sort_per_node:
            # Few candidate features per node (random forests): instead of keeping all
            # n_features orders partitioned, keep one array of node samples and sort only the
            # drawn (node, feature) segments, by the precomputed rank of each sample.
            self.order = np.ascontiguousarray(presorted, dtype=np.int32)
            self.order_flat = self.order.reshape(-1)
            self._rank_flat = None
            self.samples = (np.arange(self.n, dtype=np.int32) if rows is None
                            else np.array(rows, dtype=np.int32))
            self.idx = None
        else:
            self.idx = np.array(presorted, dtype=np.int32, order="C",
                                copy=None if presorted_owned else True)
            self.idx_flat = self.idx.reshape(-1)
        self.XT_flat = XT.reshape(-1)
        self.S = S
        cols = criterion.search_columns
        self.search_cols = None if cols is None else list(cols)
        cols = list(range(S.shape[1])) if cols is None else list(cols)
        self._kk = len(cols)
        # the search statistics paired as complex numbers: one cumulative sum runs two
        # independent addition chains (each part equals its own real cumsum, bit for bit);
        # an odd last statistic keeps a real row of its own
        half = self._kk // 2
        self._Spairs = np.empty((half, self.n_ids), dtype=np.complex128)
        for p in range(half):
            self._Spairs[p].real = S[:, cols[2 * p]]
            self._Spairs[p].imag = S[:, cols[2 * p + 1]]
        self._Slast = np.ascontiguousarray(S[:, cols[-1]]) if self._kk % 2 else None
        self.criterion = criterion
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_leaf = min_weight_leaf
        self.random_splitter = splitter == "random"
        self.rng = rng

    def segment_samples(self, start, lengths, feats):
        """Sample ids of (node range, feature) segments, each sorted by that feature (ties in
        the stable order of the full sort), concatenated; with the segment id of every entry
        and the segment offsets."""
        pos, seg, offs = _ranges(start, lengths)
        base = np.repeat(np.asarray(feats, dtype=np.int64) * self.n, lengths)
        # offsets of the features' rows: in ``idx`` / ``order`` (n entries each) and in
        # ``XT`` / the ranks (n_ids entries each)
        base_ids = base if self.n == self.n_ids else \
            np.repeat(np.asarray(feats, dtype=np.int64) * self.n_ids, lengths)
        if not self.sort_per_node:
            return self.idx_flat[base + pos], seg, offs, base_ids
        used = np.unique(feats)
        if len(lengths) < np.iinfo(np.uint16).max and len(used) * self.n <= 6 * len(pos):
            sid = self._segment_samples_by_label(start, lengths, feats, used)
        else:
            sid = self._segment_samples_by_key(lengths, base, base_ids, pos)
        return sid, seg, offs, base_ids

    def _segment_samples_by_label(self, start, lengths, feats, used):
        """Segments that cover most of the samples: walk the full sorted order of every drawn
        feature (``used``), label each entry with its (node, feature) segment (-1: not drawn
        there), keep the labelled ones and group them by segment with a stable (radix) sort of
        the uint16 labels, so every segment keeps its feature's sorted order. The segments'
        node ranges are equal or disjoint (the builder's nodes): a sample is in one node."""
        f = self.n_features
        node_start, node_of_seg = np.unique(start, return_inverse=True)
        n_nodes = len(node_start)
        node_lengths = np.zeros(n_nodes, dtype=np.intp)
        node_lengths[node_of_seg] = lengths
        # (n_nodes + 1) * feature + node of every sample in the ranges (node n_nodes: none)
        node_label = np.full(self.n_ids, n_nodes, dtype=np.int32)   # int32: half the cache
        npos, nseg_id, _ = _ranges(node_start, node_lengths)
        node_label[self.samples[npos]] = nseg_id
        none = np.iinfo(np.uint16).max
        table = np.full(f * (n_nodes + 1), none, dtype=np.uint16)
        table[feats * (n_nodes + 1) + node_of_seg] = np.arange(len(lengths))
        kept, segs = [], []
        rows = max(1, _CHUNK // self.n)           # feature rows per block: bounded temporaries
        for b0 in range(0, len(used), rows):
            u = used[b0:b0 + rows]
            entries = self.order[u[0]:u[-1] + 1] if u[-1] - u[0] == len(u) - 1 \
                else self.order[u]
            lab = np.take(node_label, entries)
            lab += (u * (n_nodes + 1)).astype(np.int32)[:, None]
            seg_id = np.take(table, lab).reshape(-1)
            # flatnonzero + take: much faster than boolean-mask indexing here
            keep = np.flatnonzero(seg_id != none)
            kept.append(np.take(entries.reshape(-1), keep))
            segs.append(np.take(seg_id, keep))
        kept = kept[0] if len(kept) == 1 else np.concatenate(kept)
        segs = segs[0] if len(segs) == 1 else np.concatenate(segs)
        return np.take(kept, np.argsort(segs, kind="stable"))

    def _segment_samples_by_key(self, lengths, base, base_ids, pos):
        """Few samples per drawn feature (deep, small nodes): sort the packed keys
        ``segment * n + rank`` of the segments' entries (``rank``: a sample's place among the
        tree's samples in that feature, stored by sample id, one feature row at a time)."""
        if self._rank_flat is None:
            rank = np.empty((self.n_features, self.n_ids),
                            dtype=np.int32 if self.n < 2**31 else np.int64)
            place = np.arange(self.n, dtype=rank.dtype)
            for j in range(self.n_features):
                rank[j, self.order[j]] = place
            self._rank_flat = rank.reshape(-1)
        dtype = np.int32 if len(lengths) * self.n < np.iinfo(np.int32).max else np.int64
        seg_base = np.repeat(np.arange(len(lengths), dtype=dtype) * self.n, lengths)
        key = self._rank_flat[base_ids + self.samples[pos]].astype(dtype, copy=True)
        key += seg_base
        key.sort()
        key -= seg_base
        return self.order_flat[base + key]

    def _segment_bounds(self, feat, start, end):
        """Smallest and largest value of each segment (its first and last sorted sample)."""
        lo = self.XT[feat, self.idx[feat, start]]
        hi = self.XT[feat, self.idx[feat, end - 1]]
        return lo.astype(np.float64), hi.astype(np.float64)

    def best_splits(self, start, end, totals, feats):
        """For segments (node range ``[start, end)``, feature ``feats``) with node totals
        ``totals`` (n_seg, k): best proxy, local cut index q (left = first q+1 sorted samples),
        left statistics (search columns) and threshold of every segment."""
        n_seg = len(feats)
        lengths = end - start
        kk = self._kk
        best_proxy = np.full(n_seg, -np.inf)
        best_q = np.zeros(n_seg, dtype=np.intp)
        best_left = np.zeros((n_seg, kk))
        thresholds = np.zeros(n_seg)
        self.last_constant = np.zeros(n_seg, dtype=bool)
        budget = max(_CHUNK // (kk + 4), 1)
        self._piece = self.long_segment or budget
        cum = np.cumsum(lengths)
        # sort_per_node: the sorted samples of every segment are kept (``last_sid``, segment
        # after segment) so that the chosen ones are not sorted again for the partition
        # sort_per_node: the segments' sorted samples are found for all segments at once (one
        # pass over the presorted orders, whatever the number of chunks) and kept
        # (``last_sid``) so that the chosen ones are not sorted again for the partition
        sid_all = None
        if self.sort_per_node:
            sid_all = self.segment_samples(start, lengths, feats)[0] if n_seg \
                else np.zeros(0, dtype=np.int32)
            self.last_sid = sid_all
        i0 = 0
        while i0 < n_seg:
            i1 = max(int(np.searchsorted(cum, cum[i0] - lengths[i0] + budget, "right")), i0 + 1)
            sl = slice(i0, i1)
            sid = None if sid_all is None else sid_all[cum[i0] - lengths[i0]:cum[i1 - 1]]
            self._score_chunk(start[sl], lengths[sl], totals[sl], feats[sl], best_proxy[sl],
                              best_q[sl], best_left[sl], thresholds[sl],
                              self.last_constant[sl], sid)
            i0 = i1
        return best_proxy, best_q, best_left, thresholds

    def _cumulative_stats(self, sid):
        """Cumulative sums of the search statistics over ``sid``, shape (kk, len(sid)), two
        statistics per complex cumsum."""
        kk = self._kk
        half = kk // 2
        C = np.empty((kk, len(sid)))
        if half:
            Cc = np.take(self._Spairs, sid, axis=1)
            np.cumsum(Cc, axis=1, out=Cc)
            C[0:2 * half:2] = Cc.real
            C[1:2 * half:2] = Cc.imag
        if kk % 2:
            np.cumsum(np.take(self._Slast, sid), out=C[kk - 1])
        return C

    def _score_chunk(self, start, lengths, totals, feats, out_proxy, out_q, out_left, out_thr,
                     out_const, sid=None):
        if len(lengths) == 1 and lengths[0] > self._piece and not self.random_splitter:
            self._score_long_segment(start, lengths, totals, feats, out_proxy, out_q, out_left,
                                     out_thr, out_const, sid)
            return
        if sid is None:
            sid, seg, offs, base_f = self.segment_samples(start, lengths, feats)
        else:
            seg = np.repeat(np.arange(len(lengths)), lengths)
            offs = np.cumsum(lengths) - lengths
            base_f = np.repeat(np.asarray(feats, dtype=np.int64) * self.n_ids, lengths)
        v = self.XT_flat[base_f + sid].astype(np.float64)
        C = self._cumulative_stats(sid)                       # (kk, M): left sums at every cut
        M = len(sid)
        last = offs + lengths - 1
        out_const[:] = v[last] <= v[offs] + FEATURE_THRESHOLD
        if self.random_splitter:
            valid = self._random_cuts(v, seg, offs, last)
        else:
            valid = np.empty(M, dtype=bool)
            np.greater(v[1:], v[:-1] + FEATURE_THRESHOLD, out=valid[:-1])
            valid[last] = False
        msl = self.min_samples_leaf
        if msl > 1:
            n_left = np.arange(1, M + 1) - offs[seg]
            valid &= (n_left >= msl) & (lengths[seg] - n_left >= msl)
        base = np.zeros((C.shape[0], len(offs)))
        nz = offs > 0
        base[:, nz] = C[:, offs[nz] - 1]
        C -= np.repeat(base, lengths, axis=1)                 # left sums, (kk, M)
        Tsearch = totals if self.search_cols is None else totals[:, self.search_cols]
        R = np.repeat(Tsearch.T, lengths, axis=1)
        R -= C                                                # right sums, (kk, M)
        if self.min_weight_leaf > 0:
            wc = self.criterion.weight_column
            wc = wc if self.search_cols is None else self.search_cols.index(wc)
            valid &= (C[wc] >= self.min_weight_leaf) & (R[wc] >= self.min_weight_leaf)
        with np.errstate(all="ignore"):
            proxy = self.criterion.proxy(C.T, R.T)
        proxy = np.where(valid & np.isfinite(proxy), proxy, -np.inf)
        seg_max = np.maximum.reduceat(proxy, offs)
        is_best = proxy == np.repeat(seg_max, lengths)
        cand = np.where(is_best, np.arange(M), M)
        first = np.minimum.reduceat(cand, offs)
        has = (first < M) & np.isfinite(seg_max)
        g = first[has]
        out_proxy[has] = seg_max[has]
        out_q[has] = g - offs[has]
        out_left[has] = C[:, g].T
        lo, hi = v[g], v[g + 1]
        thr = lo / 2.0 + hi / 2.0
        thr = np.where((thr == hi) | ~np.isfinite(thr), lo, thr)
        if self.random_splitter:
            thr = self._drawn[has]
        out_thr[has] = thr

    def _score_long_segment(self, start, lengths, totals, feats, out_proxy, out_q, out_left,
                            out_thr, out_const, sid=None):
        """``_score_chunk`` for one segment longer than the chunk budget (the root and the big
        nodes of a large ``n``), in pieces of ``budget`` cuts, so that its temporaries stay
        ``O(budget)`` instead of ``O(n)`` floats each.

        Same numbers as one pass: a piece's cumulative sums start from the last sum of the
        previous piece, prepended to the piece (``cumsum([c, x_a, x_a+1, ...])`` adds in the
        order of one sequential cumsum, so every left sum has the same bits), each piece reads
        one value past its end for the "distinct neighbours" test, and the first maximum of the
        proxy over all pieces is the first of the pieces' first maxima that is strictly
        largest."""
        n_all = int(lengths[0])
        feat = int(feats[0])
        if sid is None:
            sid = (self.segment_samples(start, lengths, feats)[0] if self.sort_per_node
                   else self.idx[feat, int(start[0]):int(start[0]) + n_all])
        xrow = self.XT[feat]
        kk, half, piece = self._kk, self._kk // 2, self._piece
        total = totals[0] if self.search_cols is None else totals[0, self.search_cols]
        out_const[0] = (np.float64(xrow[sid[n_all - 1]])
                        <= np.float64(xrow[sid[0]]) + FEATURE_THRESHOLD)
        msl = self.min_samples_leaf
        wc = self.criterion.weight_column
        wc = wc if self.search_cols is None else self.search_cols.index(wc)
        carry_c = carry_r = None
        best, best_q, best_left, best_lo, best_hi = -np.inf, -1, None, 0.0, 0.0
        for a in range(0, n_all, piece):
            b = min(a + piece, n_all)
            ids = sid[a:b]
            C = np.empty((kk, b - a))
            if half:
                Cc = np.empty((half, b - a + (a > 0)), dtype=np.complex128)
                Cc[:, int(a > 0):] = np.take(self._Spairs, ids, axis=1)
                if a > 0:
                    Cc[:, 0] = carry_c
                np.cumsum(Cc, axis=1, out=Cc)
                Cc = Cc[:, int(a > 0):]
                carry_c = Cc[:, -1].copy()
                C[0:2 * half:2] = Cc.real
                C[1:2 * half:2] = Cc.imag
            if kk % 2:
                r = np.take(self._Slast, ids)
                if a > 0:
                    r = np.concatenate([[carry_r], r])
                np.cumsum(r, out=r)
                C[kk - 1] = r[int(a > 0):]
                carry_r = r[-1]
            e = min(b + 1, n_all)
            v = np.take(xrow, sid[a:e]).astype(np.float64)
            valid = np.zeros(b - a, dtype=bool)
            np.greater(v[1:], v[:-1] + FEATURE_THRESHOLD, out=valid[:e - a - 1])
            if msl > 1:
                n_left = np.arange(a + 1, b + 1)
                valid &= (n_left >= msl) & (n_all - n_left >= msl)
            R = total[:, None] - C
            if self.min_weight_leaf > 0:
                valid &= (C[wc] >= self.min_weight_leaf) & (R[wc] >= self.min_weight_leaf)
            with np.errstate(all="ignore"):
                proxy = self.criterion.proxy(C.T, R.T)
            proxy = np.where(valid & np.isfinite(proxy), proxy, -np.inf)
            j = int(np.argmax(proxy))
            if proxy[j] > best:
                best, best_q, best_left = proxy[j], a + j, C[:, j].copy()
                best_lo, best_hi = v[j], v[j + 1]
        if np.isfinite(best):
            out_proxy[0] = best
            out_q[0] = best_q
            out_left[0] = best_left
            thr = best_lo / 2.0 + best_hi / 2.0
            out_thr[0] = best_lo if (thr == best_hi or not np.isfinite(thr)) else thr

    def _random_cuts(self, v, seg, offs, last):
        """Extremely randomised split: one threshold per segment drawn uniformly between the
        segment's smallest and largest value; the only valid cut is the last sample <= it."""
        lo, hi = v[offs], v[last]
        drawn = lo + self.rng.random(len(offs)) * (hi - lo)
        drawn = np.where(drawn == hi, lo, drawn)
        self._drawn = drawn
        below = v <= drawn[seg]
        n_below = np.add.reduceat(below.astype(np.intp), offs)
        valid = np.zeros(len(v), dtype=bool)
        ok = (hi > lo + FEATURE_THRESHOLD) & (n_below > 0) & (n_below < last - offs + 1)
        valid[(offs + n_below - 1)[ok]] = True
        return valid

    def partition(self, start, end, feat, n_left, sid=None):
        """Stable in-place partition of every feature's order inside each split node's range:
        the node's first ``n_left`` samples along ``feat`` go left (``sid``: the nodes'
        samples sorted along ``feat``, ``segment_samples``'s first output, if already known).

        A node sends the same set of samples left in every row of ``idx``, so after boolean
        compression every row holds the left blocks of all nodes, in node order, with identical
        block sizes; one column permutation shared by all rows interleaves them back as
        [left_0, right_0, left_1, right_1, ...]."""
        go_left = np.zeros(self.n_ids, dtype=bool)
        lengths = end - start
        if self.sort_per_node:
            if sid is None:
                sid = self.segment_samples(start, lengths, feat)[0]
            offs = np.cumsum(lengths) - lengths
            left_cols, _, _ = _ranges(offs, n_left)
            go_left[sid[left_cols]] = True
            P, _, _ = _ranges(start, lengths)
            sub = self.samples[P]
            lm = go_left[sub]
            right_cols, _, _ = _ranges(offs + n_left, lengths - n_left)
            out = np.empty_like(sub)
            # np.compress, not boolean-mask indexing: several times faster on random masks
            out[left_cols] = np.compress(lm, sub)
            out[right_cols] = np.compress(~lm, sub)
            self.samples[P] = out
            return go_left
        lpos, _, _ = _ranges(feat * self.n + start, n_left)
        go_left[self.idx_flat[lpos]] = True
        m = int(lengths.sum())
        contiguous = m == int(end.max() - start.min()) and np.all(start[1:] == end[:-1])
        cols = slice(int(start[0]), int(end[-1])) if contiguous else _ranges(start, lengths)[0]
        n_right = lengths - n_left
        offs = np.cumsum(lengths) - lengths
        left_cols, _, _ = _ranges(offs, n_left)
        right_cols, _, _ = _ranges(offs + n_left, n_right)
        # blocks of feature rows, so that the copies stay within _CHUNK entries
        rows = max(1, _CHUNK // max(m, 1))
        for r0 in range(0, self.n_features, rows):
            r1 = min(r0 + rows, self.n_features)
            sub = self.idx[r0:r1, cols]
            lm = go_left[sub].reshape(-1)
            flat = sub.reshape(-1)
            out = np.empty_like(sub)
            out[:, left_cols] = np.compress(lm, flat).reshape(r1 - r0, -1)
            out[:, right_cols] = np.compress(~lm, flat).reshape(r1 - r0, -1)
            self.idx[r0:r1, cols] = out
        return go_left


# --------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------


class _Nodes:
    """Growing node table (Python lists, converted to arrays once at the end)."""

    def __init__(self):
        self.parent, self.is_left, self.depth = [], [], []
        self.feature, self.threshold, self.impurity = [], [], []
        self.n_samples, self.totals = [], []
        self.left, self.right = [], []

    def add(self, parent, is_left, depth, impurity, n_samples, totals):
        i = len(self.parent)
        self.parent.append(parent)
        self.is_left.append(is_left)
        self.depth.append(depth)
        self.feature.append(TREE_UNDEFINED)
        self.threshold.append(float(TREE_UNDEFINED))
        self.impurity.append(float(impurity))
        self.n_samples.append(int(n_samples))
        self.totals.append(totals)
        self.left.append(TREE_LEAF)
        self.right.append(TREE_LEAF)
        if parent >= 0:
            if is_left:
                self.left[parent] = i
            else:
                self.right[parent] = i
        return i


class TreeBuilder:
    """Grow a ``Tree`` from ``(X, y, sample_weight)`` with a criterion.

    Depth-first semantics (scikit-learn's ``DepthFirstTreeBuilder``) computed level by level:
    every node of a level is searched in one vectorised pass (the split of a node depends only on
    its own samples, so the tree is the same), then node ids are renumbered to pre-order. With
    ``max_leaf_nodes`` the best-first builder expands, at each step, the open node with the
    largest impurity improvement.

    ``max_features``: number of features drawn (without replacement, per node) as candidates;
    if all drawn features are constant in the node, drawing continues until a non-constant one
    is found (scikit-learn's rule). The candidates are visited in a random order and the first
    best split wins, so, as in scikit-learn, ``random_state`` breaks exact ties between features
    even with ``max_features=None``.

    Arguments are already resolved (the estimators do that): ``criterion`` a ``Criterion``
    instance, ``max_depth`` an int (use a huge one for "unlimited"), ``min_samples_split`` and
    ``min_samples_leaf`` ints (sample counts), ``min_weight_leaf`` an absolute weight (on the
    criterion's ``weight_column``), ``max_features`` an int in ``[1, n_features]``,
    ``max_leaf_nodes`` None or an int >= 2, ``min_impurity_decrease`` a float,
    ``splitter`` 'best' or 'random', ``random_state`` a ``numpy.random.Generator``.
    ``build(X, y, sample_weight, n_classes)`` returns a ``Tree``; ``y`` is whatever the
    criterion's ``sample_stats`` takes (class indices, floats, or an (n, 2) gradient/hessian
    array), ``n_classes`` a list (``[1]`` for regression).
    """

    def __init__(self, criterion, max_depth, min_samples_split, min_samples_leaf,
                 min_weight_leaf, max_features, max_leaf_nodes, min_impurity_decrease,
                 splitter="best", random_state=None):
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_leaf = min_weight_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.splitter = splitter
        self.rng = random_state if random_state is not None else np.random.default_rng()

    def build(self, X, y, sample_weight, n_classes, presorted=None):
        """``X`` (n, f) float array, ``y`` (n,) class indices or floats, ``sample_weight`` (n,).

        ``presorted``: optional ``argsort(X.T, axis=1, kind="stable")`` of the full ``X``,
        shared by the trees of an ensemble; the samples of weight 0 are filtered out of it,
        which gives the stable sort of the rest without sorting again.

        Memory: the samples of weight 0 are not copied out; the finder names the kept ones by
        their row id in ``X``. ``X`` is read through one feature-major float32 array, which is
        ``X.T`` itself (no copy) when ``X`` is a Fortran-ordered float32 array, as the
        ensembles pass it to share one copy between their trees."""
        keep = sample_weight != 0
        rows = None
        owned = False
        if not keep.all():
            rows = np.flatnonzero(keep).astype(np.int32 if len(keep) < 2**31 else np.intp)
            if presorted is not None:
                presorted, owned = _restrict_presorted(np.asarray(presorted), keep), True
        n = len(y) if rows is None else len(rows)
        w_kept = sample_weight if rows is None else np.take(sample_weight, rows)
        self.total_weight = float(w_kept.sum())
        crit = self.criterion
        S = crit.sample_stats(y, sample_weight)
        XT = np.ascontiguousarray(X.T, dtype=np.float32)
        if presorted is None and rows is not None:
            presorted, owned = presort(XT, rows), True
        sort_per_node = self.max_features * 2 <= X.shape[1]
        self.finder = _SplitFinder(XT, S, crit, self.min_samples_leaf, self.min_weight_leaf,
                                   self.splitter, self.rng, presorted, sort_per_node, rows,
                                   owned)
        self.S = S
        nodes = _Nodes()
        T0 = (S if rows is None else np.take(S, rows, axis=0)).sum(axis=0, keepdims=True)
        nodes.add(-1, False, 0, crit.node_impurity(T0)[0], n, T0[0])
        self._ranges = {0: (0, n)}
        if self.max_leaf_nodes is None:
            self._grow_depth_first(nodes)
            order = self._preorder(nodes)
        else:
            self._grow_best_first(nodes)
            order = np.arange(len(nodes.parent))
        return self._to_tree(nodes, order, X.shape[1], n_classes)

    def _leaf_by_size(self, n, w, depth, impurity):
        return ((depth >= self.max_depth) | (n < self.min_samples_split)
                | (n < 2 * self.min_samples_leaf) | (w < 2 * self.min_weight_leaf)
                | ((impurity <= EPSILON) & self.criterion.stop_when_pure))

    def _candidate_features(self, start, end):
        """(node, feature) segments to search for nodes with ranges ``start``, ``end``."""
        f = self.finder.n_features
        m = len(start)
        k = self.max_features
        perm = np.argsort(self.rng.random((m, f)), axis=1)
        node = np.repeat(np.arange(m), f)
        if k >= f and self.splitter == "best":
            return node, perm.ravel()
        if self.finder.sort_per_node:
            # constant features are found after sorting (see _split_nodes)
            self._perm = perm
            return np.repeat(np.arange(m), k), perm[:, :k].ravel()
        lo, hi = self.finder._segment_bounds(perm.ravel(), np.repeat(start, f),
                                             np.repeat(end, f))
        const = (hi <= lo + FEATURE_THRESHOLD).reshape(m, f)
        rank = np.arange(f)[None, :]
        nonconst_in_k = (~const[:, :k]).any(axis=1)
        first_nc = np.argmax(~const, axis=1)
        limit = np.where(nonconst_in_k, k, first_nc + 1)
        chosen = (rank < limit[:, None]) & ~const
        return node[chosen.ravel()], perm.ravel()[chosen.ravel()]

    def _split_nodes(self, nodes, ids):
        """Search the best split of every node in ``ids``. Returns, per node, the chosen feature
        (-1: leaf), threshold, n_left and improvement."""
        crit = self.criterion
        m = len(ids)
        start = np.array([self._ranges[i][0] for i in ids], dtype=np.intp)
        end = np.array([self._ranges[i][1] for i in ids], dtype=np.intp)
        totals = np.array([nodes.totals[i] for i in ids])
        impurity = np.array([nodes.impurity[i] for i in ids])
        node_of, feat = self._candidate_features(start, end)
        feature = np.full(m, -1)
        thr = np.zeros(m)
        n_left = np.zeros(m, dtype=np.intp)
        self._chosen_sid = None
        if len(feat) == 0:
            return feature, thr, n_left
        proxy, q, left, seg_thr = self.finder.best_splits(start[node_of], end[node_of],
                                                          totals[node_of], feat)
        seg_len = (end - start)[node_of]
        sid_all = self.finder.last_sid if self.finder.sort_per_node else None
        n_drawn = len(feat)
        if self.finder.sort_per_node and self.max_features < self.finder.n_features:
            node_of, feat, proxy, q, left, seg_thr = self._draw_until_non_constant(
                start, end, totals, node_of, feat, proxy, q, left, seg_thr)
        counts = np.bincount(node_of, minlength=m)
        width = int(counts.max())
        slot = np.arange(len(node_of)) - (np.cumsum(counts) - counts)[node_of]
        P = np.full((m, width), -np.inf)
        P[node_of, slot] = proxy
        Lm = np.zeros((m, width, left.shape[1]))
        Lm[node_of, slot] = left
        choice = crit.select(P, Lm, totals, impurity)
        has = np.flatnonzero(choice >= 0)
        seg_index = np.full((m, width), -1)
        seg_index[node_of, slot] = np.arange(len(node_of))
        s = seg_index[has, choice[has]]
        feature[has] = feat[s]
        thr[has] = seg_thr[s]
        n_left[has] = q[s] + 1
        # the chosen segments' sorted samples (node order of ``has``), for _apply_splits
        self._chosen_sid = None
        if sid_all is not None and len(feat) == n_drawn:
            seg_off = np.cumsum(seg_len) - seg_len
            P, _, _ = _ranges(seg_off[s], seg_len[s])
            self._chosen_sid = sid_all[P]
        return feature, thr, n_left

    def _draw_until_non_constant(self, start, end, totals, node_of, feat, proxy, q, left,
                                 seg_thr):
        """scikit-learn's rule: if every drawn feature is constant in a node, keep drawing
        (in the node's random order) until a non-constant one is found. Segments are then
        regrouped by node, keeping the draw order (which breaks ties)."""
        m, f = self._perm.shape
        const = self.finder.last_constant
        all_const = np.ones(m, dtype=bool)
        np.logical_and.at(all_const, node_of, const)
        parts = [(node_of, feat, proxy, q, left, seg_thr)]
        pointer = self.max_features
        pending = np.flatnonzero(all_const)
        while pending.size and pointer < f:
            nf = self._perm[pending, pointer]
            out = self.finder.best_splits(start[pending], end[pending], totals[pending], nf)
            parts.append((pending, nf) + tuple(out))
            pending = pending[self.finder.last_constant]
            pointer += 1
        if len(parts) == 1:
            return node_of, feat, proxy, q, left, seg_thr
        cat = [np.concatenate([p[i] for p in parts]) for i in range(6)]
        order = np.argsort(cat[0], kind="stable")
        return tuple(c[order] for c in cat)

    def _apply_splits(self, nodes, ids, feature, thr, n_left, sid=None):
        """Partition the chosen nodes, compute children totals, impurities and the improvement;
        returns the ids of nodes actually split and their (left, right) child records.
        ``sid``: the nodes' samples sorted along ``feature``, if the search kept them."""
        crit = self.criterion
        ids = np.asarray(ids, dtype=np.intp)
        if len(ids) == 0:
            return ids, [], np.zeros(0)
        start = np.array([self._ranges[i][0] for i in ids], dtype=np.intp)
        end = np.array([self._ranges[i][1] for i in ids], dtype=np.intp)
        # children totals summed from their samples (not "parent - left"), so that a pure
        # child has exactly zero weight in the other classes and exactly zero impurity
        if sid is None:
            sid, _, offs, _ = self.finder.segment_samples(start, end - start, feature)
        else:
            offs = np.cumsum(end - start) - (end - start)
        lengths_all = end - start
        sums = np.add.reduceat(np.take(self.S, sid, axis=0),
                               np.column_stack([offs, offs + n_left]).ravel(), axis=0)
        L, R = sums[0::2], sums[1::2]
        T = np.array([nodes.totals[i] for i in ids])
        imp_l, imp_r = crit.children_impurity(L, R)
        imp = np.array([nodes.impurity[i] for i in ids])
        w = T[:, 0]
        wl, wr = L[:, 0], R[:, 0]
        improvement = (w / self.total_weight) * (imp - wr / w * imp_r - wl / w * imp_l)
        ok = improvement + EPSILON >= self.min_impurity_decrease
        ids, start, end, feature, thr, n_left = (a[ok] for a in
                                                 (ids, start, end, feature, thr, n_left))
        L, R, imp_l, imp_r, improvement = L[ok], R[ok], imp_l[ok], imp_r[ok], improvement[ok]
        # children at max_depth are leaves whose sample order is never read again: only
        # shallower nodes pay the partition (for a stump, none does)
        deeper = np.array([nodes.depth[i] + 1 < self.max_depth for i in ids], dtype=bool)
        if deeper.any():
            part_sid = None
            if self.finder.sort_per_node:
                sel = np.zeros(len(ok), dtype=bool)
                sel[np.flatnonzero(ok)[deeper]] = True
                part_sid = sid if sel.all() else sid[np.repeat(sel, lengths_all)]
            self.finder.partition(start[deeper], end[deeper], feature[deeper], n_left[deeper],
                                  part_sid)
        children = []
        for j, i in enumerate(ids):
            i = int(i)
            nodes.feature[i] = int(feature[j])
            nodes.threshold[i] = float(thr[j])
            d = nodes.depth[i] + 1
            a = nodes.add(i, True, d, imp_l[j], n_left[j], L[j])
            self._ranges[a] = (start[j], start[j] + n_left[j])
            b = nodes.add(i, False, d, imp_r[j], end[j] - start[j] - n_left[j], R[j])
            self._ranges[b] = (start[j] + n_left[j], end[j])
            children.append((a, b))
        return ids, children, improvement

    def _splittable(self, nodes, ids):
        n = np.array([nodes.n_samples[i] for i in ids])
        w = np.array([nodes.totals[i][self.criterion.weight_column] for i in ids])
        depth = np.array([nodes.depth[i] for i in ids])
        imp = np.array([nodes.impurity[i] for i in ids])
        return [i for i, leaf in zip(ids, self._leaf_by_size(n, w, depth, imp)) if not leaf]

    def _grow_depth_first(self, nodes):
        frontier = self._splittable(nodes, [0])
        while frontier:
            feature, thr, n_left = self._split_nodes(nodes, frontier)
            has = feature >= 0
            ids = np.asarray(frontier)[has]
            _, children, _ = self._apply_splits(nodes, ids, feature[has], thr[has], n_left[has],
                                                self._chosen_sid)
            frontier = self._splittable(nodes, [c for pair in children for c in pair])

    def _grow_best_first(self, nodes):
        """Best-first: expand the open node with the largest improvement, ``max_leaf_nodes - 1``
        times at most (scikit-learn's ``BestFirstTreeBuilder``; ties: first opened first)."""
        heap = []
        counter = 0

        def evaluate(ids):
            nonlocal counter
            ids = self._splittable(nodes, ids)
            if not ids:
                return
            feature, thr, n_left = self._split_nodes(nodes, ids)
            for j, i in enumerate(ids):
                if feature[j] < 0:
                    continue
                imp = self._improvement(nodes, i, feature[j], n_left[j])
                if imp + EPSILON >= self.min_impurity_decrease:
                    heapq.heappush(heap, (-imp, counter, i, feature[j], thr[j], n_left[j]))
                    counter += 1

        evaluate([0])
        budget = self.max_leaf_nodes - 1
        while heap and budget > 0:
            _, _, i, f, t, nl = heapq.heappop(heap)
            _, children, _ = self._apply_splits(nodes, [i], np.array([f]), np.array([t]),
                                                np.array([nl]))
            budget -= 1
            for pair in children:
                evaluate(list(pair))

    def _improvement(self, nodes, i, feature, n_left):
        s, e = self._ranges[i]
        sid, _, _, _ = self.finder.segment_samples(np.array([s]), np.array([e - s]),
                                                   np.array([feature]))
        sid = sid[:n_left]
        L = self.S[sid].sum(axis=0, keepdims=True)
        T = nodes.totals[i][None, :]
        R = T - L
        il, ir = self.criterion.children_impurity(L, R)
        w = T[0, 0]
        return float((w / self.total_weight)
                     * (nodes.impurity[i] - R[0, 0] / w * ir[0] - L[0, 0] / w * il[0]))

    @staticmethod
    def _preorder(nodes):
        order = []
        stack = [0]
        while stack:
            i = stack.pop()
            order.append(i)
            if nodes.left[i] != TREE_LEAF:
                stack.append(nodes.right[i])
                stack.append(nodes.left[i])
        return np.array(order, dtype=np.intp)

    def _to_tree(self, nodes, order, n_features, n_classes):
        new_id = np.empty(len(order), dtype=np.intp)
        new_id[order] = np.arange(len(order))
        left = np.array(nodes.left)[order]
        right = np.array(nodes.right)[order]
        left = np.where(left >= 0, new_id[np.maximum(left, 0)], TREE_LEAF)
        right = np.where(right >= 0, new_id[np.maximum(right, 0)], TREE_LEAF)
        totals = np.array(nodes.totals)[order]
        tree = Tree(n_features, n_classes)
        return tree._set_nodes(
            left, right, np.array(nodes.feature)[order], np.array(nodes.threshold)[order],
            self.criterion.node_value(totals), np.array(nodes.impurity)[order],
            np.array(nodes.n_samples)[order], totals[:, 0])


# --------------------------------------------------------------------------------------------
# Minimal cost-complexity pruning
# --------------------------------------------------------------------------------------------


def cost_complexity_prune(tree, ccp_alpha=None):
    """Weakest-link pruning (Breiman et al. 1984, ch. 3).

    ``R(t) = w_t/w * i(t)`` is a node's weighted impurity and ``R(T_t)`` the sum over the leaves
    of its branch. The effective alpha of an internal node is
    ``g(t) = (R(t) - R(T_t)) / (|leaves(T_t)| - 1)``; repeatedly the node of smallest ``g``
    (first id on ties) is collapsed into a leaf. With ``ccp_alpha=None`` the whole sequence is
    returned as ``(ccp_alphas, impurities)`` (impurity = total leaf ``R`` of each subtree,
    first entry the unpruned tree at alpha 0); otherwise pruning stops before the first
    ``g > ccp_alpha`` and the boolean "kept" mask of nodes is returned.
    """
    n = tree.node_count
    left, right = tree.children_left, tree.children_right
    parent = np.full(n, -1)
    internal = np.flatnonzero(left != TREE_LEAF)
    parent[left[internal]] = internal
    parent[right[internal]] = internal
    r_node = tree.weighted_n_node_samples * tree.impurity / tree.weighted_n_node_samples[0]
    is_leaf = left == TREE_LEAF
    n_leaves = is_leaf.astype(np.intp)
    r_branch = np.where(is_leaf, r_node, 0.0)
    # bottom-up sums: children have larger pre-order ids than their parent
    for i in internal[::-1]:
        n_leaves[i] = n_leaves[left[i]] + n_leaves[right[i]]
        r_branch[i] = r_branch[left[i]] + r_branch[right[i]]
    in_tree = np.ones(n, dtype=bool)
    candidate = ~is_leaf
    alphas, impurities = [0.0], [r_branch[0]]
    while candidate[0]:
        cand = np.flatnonzero(candidate)
        g = (r_node[cand] - r_branch[cand]) / (n_leaves[cand] - 1)
        j = int(np.argmin(g))
        alpha, node = float(g[j]), int(cand[j])
        if ccp_alpha is not None and alpha > ccp_alpha:
            break
        sub = [node]
        while sub:
            k = sub.pop()
            if k != node:
                in_tree[k] = False
            candidate[k] = False
            if left[k] != TREE_LEAF:
                sub.extend((left[k], right[k]))
        pruned = n_leaves[node] - 1
        diff = r_node[node] - r_branch[node]
        n_leaves[node] = 1
        r_branch[node] = r_node[node]
        k = parent[node]
        while k != -1:
            n_leaves[k] -= pruned
            r_branch[k] += diff
            k = parent[k]
        alphas.append(alpha)
        impurities.append(r_branch[0])
    if ccp_alpha is None:
        return np.array(alphas), np.array(impurities)
    return in_tree


def prune_tree(tree, ccp_alpha):
    """A new ``Tree``: ``tree`` pruned with ``ccp_alpha``, nodes renumbered in pre-order."""
    keep = cost_complexity_prune(tree, ccp_alpha)
    left = tree.children_left.copy()
    right = tree.children_right.copy()
    leafify = keep & ((left == TREE_LEAF) | ~keep[np.maximum(left, 0)])
    order = []
    stack = [0]
    while stack:
        i = stack.pop()
        order.append(i)
        if not leafify[i] and left[i] != TREE_LEAF:
            stack.append(right[i])
            stack.append(left[i])
    order = np.array(order, dtype=np.intp)
    new_id = np.full(tree.node_count, TREE_LEAF)
    new_id[order] = np.arange(len(order))
    is_leaf = leafify[order] | (left[order] == TREE_LEAF)
    new_left = np.where(is_leaf, TREE_LEAF, new_id[np.maximum(left[order], 0)])
    new_right = np.where(is_leaf, TREE_LEAF, new_id[np.maximum(right[order], 0)])
    out = Tree(tree.n_features, tree.n_classes, tree.n_outputs)
    return out._set_nodes(
        new_left, new_right, np.where(is_leaf, TREE_UNDEFINED, tree.feature[order]),
        np.where(is_leaf, float(TREE_UNDEFINED), tree.threshold[order]), tree.value[order],
        tree.impurity[order], tree.n_node_samples[order],
        tree.weighted_n_node_samples[order])
