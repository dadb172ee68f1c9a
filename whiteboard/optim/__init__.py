"""Optimisers. ``minimize``: full-batch minimisers (gradient descent, Newton, BFGS, L-BFGS, CG)."""

from .minimize import (
    METHODS,
    OptimizeResult,
    backtracking_line_search,
    bfgs,
    conjugate_gradient,
    gradient_descent,
    lbfgs,
    line_search_wolfe,
    minimize,
    newton,
)

__all__ = [
    "METHODS", "OptimizeResult", "backtracking_line_search", "bfgs", "conjugate_gradient",
    "gradient_descent", "lbfgs", "line_search_wolfe", "minimize", "newton",
]
