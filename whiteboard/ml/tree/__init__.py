"""Decision trees (CART / ID3 / C4.5 / regression) and the shared tree core."""

from ._classes import DecisionTreeClassifier, DecisionTreeRegressor
from ._export import export_text
from ._tree import Tree, TreeBuilder

__all__ = [
           "DecisionTreeClassifier",
           "DecisionTreeRegressor",
           "Tree",
           "TreeBuilder",
           "export_text",
]
