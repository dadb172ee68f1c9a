"""Decision trees (CART / ID3 / C4.5 / regression) and the shared tree core.

``DecisionTreeClassifier``, ``DecisionTreeRegressor`` and ``export_text`` are the
scikit-learn-style interface; ``Tree``, ``TreeBuilder`` and the criteria (``Criterion``,
``Gini``, ``Entropy``, ``GainRatio``, ``SquaredError``) are the core that the ensembles and
boosters build on (see ``_tree.py``'s docstring for how to plug in a criterion).
"""

from ._classes import DecisionTreeClassifier, DecisionTreeRegressor
from ._export import export_text
from ._tree import Criterion, Entropy, GainRatio, Gini, SquaredError, Tree, TreeBuilder

__all__ = [
    "Criterion",
    "DecisionTreeClassifier",
    "DecisionTreeRegressor",
    "Entropy",
    "GainRatio",
    "Gini",
    "SquaredError",
    "Tree",
    "TreeBuilder",
    "export_text",
]
