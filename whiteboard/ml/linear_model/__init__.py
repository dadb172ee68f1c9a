"""Linear models: least squares, ridge, lasso / elastic net, logistic regression, perceptron."""

from ._coordinate_descent import ElasticNet, Lasso, enet_coordinate_descent
from ._least_squares import LinearRegression, Ridge

__all__ = ["ElasticNet", "Lasso", "LinearRegression", "Ridge", "enet_coordinate_descent"]
