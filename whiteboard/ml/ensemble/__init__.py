"""Ensembles on the shared tree core, each family in its own module.

How they differ (the notes' recurring question), with the same tree underneath:
- Bagging / random forest: independent deep trees on bootstrap samples (a random forest also
  draws the features at each split); averaging lowers the variance.
- AdaBoost: shallow trees fitted in sequence on re-weighted samples (exponential loss); the
  weights of misclassified samples grow.
- Gradient boosting (GBDT): each tree fits the negative gradient of the loss (first order) at the
  current prediction; shrinkage scales every step. Boosting lowers the bias.
- Voting: different, independently fitted models combined by a weighted vote or average.
- XGBoost-style boosting: each tree is grown with gradient *and* hessian (second order): leaf
  weight −G/(H+λ), split gain ½[G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)] − γ, on histogram bins.
"""

from ._bagging import BaggingClassifier, BaggingRegressor
from ._gbdt_lr import GBDTLogisticRegression
from ._forest import RandomForestClassifier, RandomForestRegressor
from ._gradient_boosting import GradientBoostingClassifier, GradientBoostingRegressor
from ._voting import VotingClassifier, VotingRegressor
from ._weight_boosting import AdaBoostClassifier, AdaBoostRegressor
from ._xgboost import XGBoostClassifier, XGBoostRegressor

__all__ = [
    "AdaBoostClassifier",
    "AdaBoostRegressor",
    "BaggingClassifier",
    "BaggingRegressor",
    "GBDTLogisticRegression",
    "GradientBoostingClassifier",
    "GradientBoostingRegressor",
    "RandomForestClassifier",
    "RandomForestRegressor",
    "VotingClassifier",
    "VotingRegressor",
    "XGBoostClassifier",
    "XGBoostRegressor",
]
