"""Training: the ``Trainer`` loop, callbacks and history."""

from .callbacks import Callback, EarlyStopping, ModelCheckpoint, ProgressBar
from .history import History
from .trainer import (
    NonFiniteError, NonFiniteGradientError, NonFiniteLossError, Trainer, accuracy,
)
