"""Support vector machines: kernel SVC/SVR trained by SMO (WSS2), and LinearSVC (dual CD)."""

from whiteboard.ml.svm.classes import SVC, SVR
from whiteboard.ml.svm.kernels import (
    linear_kernel,
    pairwise_kernel,
    polynomial_kernel,
    rbf_kernel,
    sigmoid_kernel,
)
from whiteboard.ml.svm.linear import LinearSVC
from whiteboard.ml.svm.smo import smo_solve

__all__ = [
    "SVC",
    "SVR",
    "LinearSVC",
    "linear_kernel",
    "pairwise_kernel",
    "polynomial_kernel",
    "rbf_kernel",
    "sigmoid_kernel",
    "smo_solve",
]
