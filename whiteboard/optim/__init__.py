"""Optimisers, learning-rate schedules, gradient clipping (``torch.optim``'s interface) and
``minimize``: full-batch minimisers (gradient descent, Newton, BFGS, L-BFGS, CG)."""

from . import lr_scheduler, swa_utils
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .clip import clip_grad_norm_, clip_grad_value_, get_total_norm
from .linear_cg import cg
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
from .nadam import NAdam
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = [
    "METHODS", "OptimizeResult", "backtracking_line_search", "bfgs", "conjugate_gradient",
    "gradient_descent", "lbfgs", "line_search_wolfe", "minimize", "newton",
    "lr_scheduler", "swa_utils", "Optimizer", "SGD", "Adagrad", "Adadelta", "RMSprop", "Adam",
    "AdamW", "NAdam",
    "clip_grad_norm_", "clip_grad_value_", "get_total_norm", "cg",
]
