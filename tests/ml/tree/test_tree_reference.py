"""The trees and forests grown before the memory work of issue 18 (commit 038198c), pinned.

The memory changes (row ids into the caller's arrays instead of copies of the kept rows, one
feature-major ``float32`` copy of ``X`` shared by a forest's trees, int32 orders) must not move a
single split: every fitted tree below is reduced to a SHA-256 digest of its node arrays
(structure, features, thresholds, values, impurities, sample counts and weights), and the
digests were computed by the base commit's code on this machine's NumPy. A change of one bit in
any node changes the digest. The cases cover both split finders (all features: partitioned
orders; few features per node: per-node sorting by labels and by packed keys), split-search
chunks, zero sample weights (bootstrap), best-first growth, the random splitter,
``min_samples_leaf`` / ``min_weight_fraction_leaf`` and both criteria families.
"""

import hashlib

import numpy as np
import pytest

from whiteboard.ml.ensemble import RandomForestClassifier, RandomForestRegressor
from whiteboard.ml.tree import DecisionTreeClassifier, DecisionTreeRegressor


def _data(n, f, seed, classes=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, f))
    X[:, 1] = np.round(X[:, 1], 1)                 # ties and repeated values
    X[:, 2] = rng.integers(0, 4, n)                # a few distinct values
    score = X[:, 0] + 0.5 * X[:, 3] - X[:, 4] ** 2 + 0.3 * rng.normal(size=n)
    y_clf = np.digitize(score, np.quantile(score, np.linspace(0, 1, classes + 1)[1:-1]))
    return X, y_clf, score


def _tree_digest(tree, h):
    for a in (tree.children_left, tree.children_right, tree.feature):
        h.update(np.ascontiguousarray(a, dtype=np.int64).tobytes())
    for a in (tree.threshold, tree.value, tree.impurity, tree.weighted_n_node_samples):
        h.update(np.ascontiguousarray(a, dtype=np.float64).tobytes())
    h.update(np.ascontiguousarray(tree.n_node_samples, dtype=np.int64).tobytes())


def digest(est):
    h = hashlib.sha256()
    for member in getattr(est, "estimators_", [est]):
        _tree_digest(member.tree_, h)
    return h.hexdigest()[:20]


def _weights(n, seed):
    w = np.random.default_rng(seed).integers(0, 3, n).astype(float)   # a third are zero
    return w


CASES = {
    "gini_all_features": lambda: (DecisionTreeClassifier(max_depth=10, random_state=0),
                                  _data(6000, 20, 0)[:2], None),
    "entropy_sqrt": lambda: (DecisionTreeClassifier(criterion="entropy", max_features="sqrt",
                                                    random_state=1),
                             _data(6000, 20, 1)[:2], None),
    "gini_weights_zero": lambda: (DecisionTreeClassifier(max_depth=8, random_state=2),
                                  _data(5000, 12, 2)[:2], _weights(5000, 2)),
    "gini_sqrt_weights_zero": lambda: (DecisionTreeClassifier(max_features=3, random_state=3),
                                       _data(5000, 12, 3)[:2], _weights(5000, 3)),
    "gain_ratio_leaf": lambda: (DecisionTreeClassifier(criterion="gain_ratio", max_depth=6,
                                                       min_samples_leaf=7, random_state=4),
                                _data(3000, 8, 4)[:2], None),
    "best_first": lambda: (DecisionTreeClassifier(max_leaf_nodes=40, random_state=5),
                           _data(4000, 10, 5)[:2], _weights(4000, 5)),
    "random_splitter": lambda: (DecisionTreeClassifier(splitter="random", max_depth=9,
                                                       random_state=6),
                                _data(4000, 10, 6)[:2], None),
    "regressor": lambda: (DecisionTreeRegressor(max_depth=9, min_weight_fraction_leaf=0.001,
                                                random_state=7),
                          _data(5000, 15, 7)[::2], None),
    "regressor_third": lambda: (DecisionTreeRegressor(max_features=0.3, random_state=8),
                                _data(5000, 15, 8)[::2], _weights(5000, 8)),
    "forest_clf": lambda: (RandomForestClassifier(6, max_depth=8, random_state=9),
                           _data(6000, 20, 9)[:2], None),
    "forest_clf_deep_weighted": lambda: (RandomForestClassifier(4,
                                                                class_weight="balanced_subsample",
                                                                random_state=10),
                                         _data(3000, 9, 10)[:2], _weights(3000, 10)),
    "forest_reg": lambda: (RandomForestRegressor(4, max_depth=7, max_features=0.4,
                                                 random_state=11),
                           _data(4000, 12, 11)[::2], None),
    "forest_reg_all_features_max_samples": lambda: (
        RandomForestRegressor(3, max_features=1.0, max_samples=0.5, max_depth=9,
                              random_state=12),
        _data(4000, 12, 12)[::2], None),
    # a single feature: the root is a segment alone in its chunk (scored in pieces when the
    # test below forces small pieces)
    "one_feature_binary": lambda: (DecisionTreeClassifier(max_depth=4, min_samples_leaf=4,
                                                          min_weight_fraction_leaf=0.01,
                                                          random_state=15),
                                   (_data(3000, 5, 15, classes=2)[0][:, :1],
                                    _data(3000, 5, 15, classes=2)[1]), _weights(3000, 15)),
    "one_feature_3class": lambda: (DecisionTreeClassifier(criterion="entropy", max_depth=4,
                                                          random_state=16),
                                   (_data(3000, 5, 16)[0][:, 3:4], _data(3000, 5, 16)[1]),
                                   None),
    "one_feature_regressor": lambda: (DecisionTreeRegressor(max_depth=4, random_state=17),
                                      (_data(3000, 5, 17)[0][:, 4:], _data(3000, 5, 17)[2]),
                                      None),
    # roots longer than the split search's chunk budget (~75k cuts): scored in pieces
    "long_root_binary": lambda: (DecisionTreeClassifier(max_depth=3, min_samples_leaf=3,
                                                        random_state=13),
                                 _data(90000, 5, 13, classes=2)[:2], None),
    "long_root_regressor": lambda: (DecisionTreeRegressor(max_depth=2, random_state=14),
                                    _data(160000, 5, 14)[::2], _weights(160000, 14)),
}

REFERENCE = {
    'best_first': '0fbcf3b5e15a98d869ad',
    'entropy_sqrt': '07446262570dbe2d9b88',
    'forest_clf': '6c449ec73e0306919f6a',
    'forest_clf_deep_weighted': 'b24559ac90be2269f9dd',
    'forest_reg': 'ed4abeb9f745d701c4fa',
    'forest_reg_all_features_max_samples': '44162351038be4a4fc08',
    'long_root_binary': 'd7e6af5c9bc349a7a4be',
    'long_root_regressor': 'd9ed0de277c796be6406',
    'gain_ratio_leaf': '3d36cb9432a92afd9ed0',
    'gini_all_features': '4e7e9193b5da04a60b44',
    'gini_sqrt_weights_zero': 'd767cbe828952f13f812',
    'gini_weights_zero': 'cec0783dca9286e47d0d',
    'one_feature_3class': '32dcf58bb26160bc6314',
    'one_feature_binary': '813d6b633a74cad352fc',
    'one_feature_regressor': '38616e13f9c61bf2efab',
    'random_splitter': '2c0dc2c2c87b94739f06',
    'regressor': '4f2819c38d396b21024d',
    'regressor_third': '02259fa1b59106c18e96',
}


def fit_case(name):
    est, (X, y), w = CASES[name]()
    return est.fit(X, y, sample_weight=w)


@pytest.mark.parametrize("name", sorted(CASES))
def test_tree_equals_the_pinned_reference(name):
    assert digest(fit_case(name)) == REFERENCE[name], (
        f"{name}: the fitted tree(s) changed since the pinned reference")


LONE_SEGMENTS = [(name, piece) for name in CASES if name.startswith("one_feature")
                 for piece in (1, 2, 257)]
LONE_SEGMENTS += [(name, piece) for name in CASES if name.startswith("long_root")
                  for piece in (997, 4099)]


@pytest.mark.parametrize("name, piece", LONE_SEGMENTS)
def test_long_segments_in_pieces_give_the_same_tree(name, piece, monkeypatch):
    """The split search scores a segment alone in its chunk and longer than the chunk budget
    (n > ~75k at the root) in pieces with carried cumulative sums; forcing pieces of ``piece``
    samples must leave every tree bit for bit the pinned one (computed in one pass)."""
    from whiteboard.ml.tree._tree import _SplitFinder
    monkeypatch.setattr(_SplitFinder, "long_segment", piece)
    assert digest(fit_case(name)) == REFERENCE[name]


if __name__ == "__main__":            # print the digests (to pin a new reference on purpose)
    for name in sorted(CASES):
        print(f"    {name!r}: {digest(fit_case(name))!r},")
