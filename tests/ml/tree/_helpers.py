"""Comparing a whiteboard tree with a scikit-learn tree node by node."""

import numpy as np


def improvement(tree, node):
    """Weighted impurity decrease of ``node``'s split (un-normalised by the root weight)."""
    left, right = tree.children_left[node], tree.children_right[node]
    w = tree.weighted_n_node_samples
    return (w[node] * tree.impurity[node] - w[left] * tree.impurity[left]
            - w[right] * tree.impurity[right])


def compare_trees(ours, theirs, rtol=1e-12):
    """Walk both trees from the root. Where both split on the same (feature, threshold) the nodes
    must agree (samples, weights, impurity, value) and the walk goes on into the children. Where
    the splits differ, the two splits must be an exact tie (equal impurity decrease): the walk
    stops there. Returns (nodes compared, ties found)."""
    a, b = ours, theirs
    stack = [(0, 0)]
    compared = ties = 0
    while stack:
        i, j = stack.pop()
        compared += 1
        assert a.n_node_samples[i] == b.n_node_samples[j]
        np.testing.assert_allclose(a.weighted_n_node_samples[i], b.weighted_n_node_samples[j],
                                   rtol=rtol)
        np.testing.assert_allclose(a.impurity[i], b.impurity[j], rtol=1e-7,
                                   atol=1e-9 * a.impurity[0])
        np.testing.assert_allclose(a.value[i], b.value[j], rtol=1e-9, atol=1e-12)
        leaf_a, leaf_b = a.children_left[i] == -1, b.children_left[j] == -1
        if leaf_a != leaf_b and max(a.impurity[i], b.impurity[j]) < 1e-12:
            # A pure node: scikit-learn's child impurity comes from "parent - left" sums, whose
            # rounding residue (~1e-15 > machine epsilon) can make it split a pure node with a
            # zero improvement; whiteboard sums the child's own samples and gets exactly 0.
            continue
        assert leaf_a == leaf_b, f"node {i}: leaf in one tree only"
        if leaf_a:
            continue
        if a.feature[i] == b.feature[j] and a.threshold[i] == b.threshold[j]:
            stack.append((a.children_left[i], b.children_left[j]))
            stack.append((a.children_right[i], b.children_right[j]))
        else:
            ties += 1
            # rounding scale of the sums behind an impurity: w * (i + sum value^2)
            scale = a.weighted_n_node_samples[i] * (a.impurity[i] + np.sum(a.value[i] ** 2))
            assert abs(improvement(a, i) - improvement(b, j)) <= 1e-12 * scale, (
                f"node {i}: different splits ({a.feature[i]}, {a.threshold[i]}) vs "
                f"({b.feature[j]}, {b.threshold[j]}) with different improvements "
                f"{improvement(a, i)} vs {improvement(b, j)}")
    return compared, ties


def assert_trees_equal(ours, theirs):
    """Whole tree equal: structure, features, thresholds, values, impurities, counts."""
    a, b = ours, theirs
    assert a.node_count == b.node_count
    np.testing.assert_array_equal(a.children_left, b.children_left)
    np.testing.assert_array_equal(a.children_right, b.children_right)
    np.testing.assert_array_equal(a.feature, b.feature)
    np.testing.assert_array_equal(a.threshold, b.threshold)
    np.testing.assert_array_equal(a.n_node_samples, b.n_node_samples)
    np.testing.assert_allclose(a.weighted_n_node_samples, b.weighted_n_node_samples, rtol=1e-12)
    np.testing.assert_allclose(a.value, b.value, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(a.impurity, b.impurity, rtol=1e-7, atol=1e-9 * a.impurity[0])
