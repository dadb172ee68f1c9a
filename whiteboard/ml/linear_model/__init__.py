"""Linear models: least squares, ridge, lasso / elastic net, logistic regression, perceptron."""

from ._coordinate_descent import ElasticNet, Lasso, enet_coordinate_descent
from ._least_squares import LinearRegression, Ridge, nnls
from ._logistic import LogisticRegression
from ._perceptron import Perceptron

__all__ = ["ElasticNet", "Lasso", "LinearRegression", "LogisticRegression", "Perceptron", "Ridge",
           "enet_coordinate_descent", "nnls"]
