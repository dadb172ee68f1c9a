"""whiteboard: machine learning and deep learning derived on the whiteboard, proven in code.

    import whiteboard as wb
    x = wb.randn(3, 4, requires_grad=True)
    (x @ x.T).sum().backward()
    x.grad
"""

import numpy as np

from . import backend, jit
from .autograd import Function, Tensor, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .autograd.creation import (
    arange, as_tensor, empty, eye, from_numpy, full, full_like, linspace, ones, ones_like, rand,
    rand_like, randint, randn, randn_like, tensor, zeros, zeros_like,
)
from .autograd.ops import (
    abs, add, amax, amin, argmax, argmin, broadcast_to, cat, chunk, clamp, clip, concatenate,
    cumsum, div, exp, expand, flatten, log, logsumexp, masked_fill, matmul, max, maximum, mean,
    min, minimum, mul, neg, pad, permute, pow, prod, relu, reshape, sigmoid, sign, split, sqrt,
    squeeze, stack, std, sub, sum, tanh, transpose, unsqueeze, var, where,
)
from .backend import (
    get_default_dtype, get_rng_state, manual_seed, set_default_dtype, set_rng_state,
)

__version__ = "0.1.0"

float16 = np.dtype(np.float16)
float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
int32 = np.dtype(np.int32)
int64 = np.dtype(np.int64)
bool_ = np.dtype(np.bool_)
float = float32  # noqa: A001  (PyTorch's alias)
double = float64
long = int64

from . import nn  # noqa: E402
from .serialization import ModelFileError, load, save  # noqa: E402
from . import data, optim  # noqa: E402

_SUBPACKAGES = ("ml", "metrics", "imbalance", "models", "inspect", "train", "testing",
                "experiments", "augment", "topics")


def __getattr__(name):
    """Import the heavier subpackages on first use (``wb.models``, ``wb.ml`` ...)."""
    if name in _SUBPACKAGES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'whiteboard' has no attribute {name!r}")
