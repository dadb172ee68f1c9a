"""Tree ensembles on the shared tree core: gradient boosting (first order) and the
XGBoost-style second-order histogram booster."""

from ._xgboost import XGBoostClassifier, XGBoostRegressor
from ._gradient_boosting import GradientBoostingClassifier, GradientBoostingRegressor
