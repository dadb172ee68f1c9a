"""``export_text``: a tree's rules as indented text, in scikit-learn's exact format."""

from __future__ import annotations

import numpy as np

from ..base import ClassifierMixin, check_is_fitted
from ._tree import TREE_LEAF, TREE_UNDEFINED

__all__ = ["export_text"]


def _subtree_depth(tree, node):
    """Depth of the subtree rooted at ``node``, counting nodes (a leaf has depth 1)."""
    depth, frontier = 0, [node]
    while frontier:
        depth += 1
        frontier = [c for k in frontier if tree.children_left[k] != TREE_LEAF
                    for c in (tree.children_left[k], tree.children_right[k])]
    return depth


def export_text(decision_tree, *, feature_names=None, class_names=None, max_depth=10,
                spacing=3, decimals=2, show_weights=False):
    """Text report of the rules of a fitted tree, e.g.::

        |--- petal width (cm) <= 0.80
        |   |--- class: 0
        |--- petal width (cm) >  0.80
        ...

    Branches deeper than ``max_depth`` are replaced by "truncated branch of depth d". A
    classifier's leaves show the class (and, with ``show_weights``, the weighted class counts);
    a regressor's the value.
    """
    check_is_fitted(decision_tree, "tree_")
    tree = decision_tree.tree_
    is_clf = isinstance(decision_tree, ClassifierMixin)
    if is_clf:
        if class_names is None:
            class_names = decision_tree.classes_
        elif len(class_names) != len(decision_tree.classes_):
            raise ValueError(
                "When `class_names` is an array, it should contain as many items as "
                f"`decision_tree.classes_`. Got {len(class_names)} while the tree was fitted "
                f"with {len(decision_tree.classes_)} classes.")
    if feature_names is not None and len(feature_names) != tree.n_features:
        raise ValueError(f"feature_names must contain {tree.n_features} elements, got "
                         f"{len(feature_names)}")
    if not isinstance(spacing, (int, np.integer)) or spacing <= 0:
        raise ValueError(f"spacing must be > 0, given {spacing}")
    if not isinstance(decimals, (int, np.integer)) or decimals < 0:
        raise ValueError(f"decimals must be >= 0, given {decimals}")
    if max_depth < 0:
        raise ValueError(f"max_depth bust be >= 0, given {max_depth}")

    def name(node):
        f = tree.feature[node]
        if feature_names is not None:
            return None if f == TREE_UNDEFINED else feature_names[f]
        return f"feature_{f}"

    lines = []

    def leaf(node, indent):
        value = tree.value[node][0]
        if is_clf:
            text = " class: " + str(class_names[int(np.argmax(value))])
            if show_weights:
                w = tree.weighted_n_node_samples[node]
                counts = "[" + ", ".join(f"{v * w:.{decimals}f}" for v in value) + "]"
                text = f" weights: {counts}{text}"
            lines.append(f"{indent}{text}")
        else:
            text = "[" + ", ".join(f"{v:.{decimals}f}" for v in value) + "]"
            lines.append(f"{indent} value: {text}")

    stack = [(0, 1, None)]
    while stack:
        node, depth, line = stack.pop()
        if line is not None:
            lines.append(line)
            continue
        indent = ("|" + " " * spacing) * depth
        indent = indent[:-spacing] + "-" * spacing
        if depth <= max_depth + 1:
            if tree.feature[node] != TREE_UNDEFINED:
                thr = f"{tree.threshold[node]:.{decimals}f}"
                stack.append((tree.children_right[node], depth + 1, None))
                stack.append((None, None, f"{indent} {name(node)} >  {thr}"))
                stack.append((tree.children_left[node], depth + 1, None))
                stack.append((None, None, f"{indent} {name(node)} <= {thr}"))
            else:
                leaf(node, indent)
        else:
            d = _subtree_depth(tree, node)
            if d == 1:
                leaf(node, indent)
            else:
                lines.append(f"{indent} truncated branch of depth {d}")
    return "".join(line + "\n" for line in lines)
