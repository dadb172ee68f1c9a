"""The tree core as the next engineer will use it: a second-order (XGBoost-style) criterion
plugged into ``TreeBuilder`` following the recipe of ``_tree.py``'s module docstring."""

import numpy as np
import pytest
from sklearn import datasets

from whiteboard.ml.tree import DecisionTreeRegressor, TreeBuilder
from whiteboard.ml.tree._tree import Criterion


class SecondOrder(Criterion):
    """S = [w, g, h]; proxy G_L^2/(H_L+lam) + G_R^2/(H_R+lam); leaf -G/(H+lam)."""

    search_columns = (0, 1, 2)
    stop_when_pure = False

    def __init__(self, lam):
        self.lam = lam

    def sample_stats(self, gh, w):
        return np.column_stack([w, w * gh[:, 0], w * gh[:, 1]])

    def node_impurity(self, T):
        return -T[:, 1] ** 2 / ((T[:, 2] + self.lam) * T[:, 0])

    def proxy(self, L, R):
        return L[:, 1] ** 2 / (L[:, 2] + self.lam) + R[:, 1] ** 2 / (R[:, 2] + self.lam)

    def node_value(self, T):
        return (-T[:, 1] / (T[:, 2] + self.lam))[:, None, None]


def _grow(X, gh, lam, **kw):
    params = {"max_depth": 4, "min_samples_split": 2, "min_samples_leaf": 1,
              "min_weight_leaf": 0.0, "max_features": X.shape[1], "max_leaf_nodes": None,
              "min_impurity_decrease": 0.0}
    params.update(kw)
    builder = TreeBuilder(SecondOrder(lam), random_state=np.random.default_rng(0), **params)
    return builder.build(X.astype(np.float32), gh, np.ones(len(X)), [1])


@pytest.mark.parametrize("kw", [{}, {"max_leaf_nodes": 9}])
def test_second_order_with_unit_hessian_is_the_squared_error_tree(kw):
    """Squared loss at prediction 0: g = -y, h = 1, lambda = 0. The gain orders splits as the
    variance reduction, and -G/H is the leaf mean: the same tree as DecisionTreeRegressor."""
    X, y = datasets.make_friedman1(600, random_state=0)
    tree = _grow(X, np.column_stack([-y, np.ones_like(y)]), 0.0, **kw)
    ref = DecisionTreeRegressor(max_depth=4, random_state=0, **kw).fit(X, y).tree_
    np.testing.assert_array_equal(tree.feature, ref.feature)
    np.testing.assert_array_equal(tree.threshold, ref.threshold)
    np.testing.assert_allclose(tree.value, ref.value, rtol=1e-10)


def test_second_order_leaf_values_and_gain():
    """lambda = 2: every leaf holds -G/(H + lambda) of its samples, and the builder's
    improvement w_t i(t) - w_L i(L) - w_R i(R) of the root is twice the XGBoost gain."""
    X, y = datasets.make_friedman1(500, random_state=1)
    p = np.full_like(y, y.mean())
    g, h = p - y, np.full_like(y, 1.0) + 0.5 * (np.arange(len(y)) % 3)
    lam = 2.0
    tree = _grow(X, np.column_stack([g, h]), lam, max_depth=3)
    leaves = tree.apply(X)
    G = np.bincount(leaves, weights=g, minlength=tree.node_count)
    H = np.bincount(leaves, weights=h, minlength=tree.node_count)
    used = np.unique(leaves)
    np.testing.assert_allclose(tree.value[used, 0, 0], -G[used] / (H[used] + lam), rtol=1e-10)
    left = X[:, tree.feature[0]].astype(np.float32) <= tree.threshold[0]
    GL, HL, GR, HR = g[left].sum(), h[left].sum(), g[~left].sum(), h[~left].sum()
    gain = 0.5 * (GL ** 2 / (HL + lam) + GR ** 2 / (HR + lam)
                  - (GL + GR) ** 2 / (HL + HR + lam))
    w = tree.weighted_n_node_samples
    left_child, right_child = tree.children_left[0], tree.children_right[0]
    improvement = (w[0] * tree.impurity[0] - w[left_child] * tree.impurity[left_child]
                   - w[right_child] * tree.impurity[right_child])
    np.testing.assert_allclose(improvement, 2 * gain, rtol=1e-10)
    # and it is the best root split: no other (feature, threshold) has a larger gain
    for j in range(X.shape[1]):
        xs = np.sort(np.unique(X[:, j].astype(np.float32)))
        for t in (xs[:-1] / 2 + xs[1:] / 2)[::7]:
            m = X[:, j].astype(np.float32) <= t
            gj = 0.5 * (g[m].sum() ** 2 / (h[m].sum() + lam)
                        + g[~m].sum() ** 2 / (h[~m].sum() + lam)
                        - g.sum() ** 2 / (h.sum() + lam))
            assert gj <= gain + 1e-9
