"""Ensembles: bagging, random forests, AdaBoost (each family in its own module)."""

from ._bagging import BaggingClassifier, BaggingRegressor
from ._forest import RandomForestClassifier, RandomForestRegressor
from ._weight_boosting import AdaBoostClassifier, AdaBoostRegressor

__all__ = [
    "AdaBoostClassifier",
    "AdaBoostRegressor",
    "BaggingClassifier",
    "BaggingRegressor",
    "RandomForestClassifier",
    "RandomForestRegressor",
]
