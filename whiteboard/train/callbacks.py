"""Callbacks that hook into :class:`~whiteboard.train.Trainer`: progress bar, early stopping,
checkpoints.

A callback overrides any of ``on_fit_start``, ``on_epoch_start``, ``on_batch_end``,
``on_epoch_end`` and ``on_fit_end``; each receives the trainer (and the epoch's logs: ``loss``,
``val_loss``, metrics, ``lr``). Setting ``trainer.stop_training = True`` ends training after the
current epoch.
"""

from __future__ import annotations

import copy
import math
import os
import sys
import time

import numpy as np

__all__ = ["Callback", "EarlyStopping", "ModelCheckpoint", "ProgressBar"]


class Callback:
    """Base class: every hook does nothing."""

    def on_fit_start(self, trainer):
        pass

    def on_epoch_start(self, trainer, epoch):
        pass

    def on_batch_end(self, trainer, step, loss):
        pass

    def on_epoch_end(self, trainer, epoch, logs):
        pass

    def on_fit_end(self, trainer):
        pass

    def state_dict(self):
        """What the callback has learned during the run (saved in checkpoints); {} by default."""
        return {}

    def load_state_dict(self, state):
        """Restore :meth:`state_dict` after ``on_fit_start`` of a resumed run."""


def _improved(mode, value, best, min_delta):
    if best is None:
        return True
    return value < best - min_delta if mode == "min" else value > best + min_delta


def _resolve_mode(mode, monitor):
    if mode not in ("auto", "min", "max"):
        raise ValueError(f"mode must be 'auto', 'min' or 'max', got {mode!r}")
    if mode != "auto":
        return mode
    return "min" if "loss" in monitor or "error" in monitor else "max"


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by ``min_delta`` for ``patience`` epochs.

    Early stopping is regularisation by limiting training time (notes 002/003): the validation
    error typically falls and then rises as the model starts to fit noise; stopping at its minimum
    (and, with ``restore_best_weights``, going back to the weights of that epoch) keeps the model
    that generalised best.
    """

    def __init__(self, monitor="val_loss", patience=5, min_delta=0.0, mode="auto",
                 restore_best_weights=False):
        if patience < 0:
            raise ValueError(f"EarlyStopping: patience must be >= 0, got {patience}")
        self.monitor = monitor
        self.patience = patience
        self.min_delta = abs(min_delta)
        self.mode = _resolve_mode(mode, monitor)
        self.restore_best_weights = restore_best_weights

    def on_fit_start(self, trainer):
        self.best = None
        self.best_epoch = None
        self.wait = 0
        self.stopped_epoch = None
        self._best_state = None

    def on_epoch_end(self, trainer, epoch, logs):
        if self.monitor not in logs:
            raise KeyError(
                f"EarlyStopping monitors {self.monitor!r}, but the epoch logs only have "
                f"{sorted(logs)} (pass val_loader to fit for 'val_*' keys)"
            )
        value = logs[self.monitor]
        if _improved(self.mode, value, self.best, self.min_delta):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best_weights:
                self._best_state = copy.deepcopy(
                    {k: v.numpy().copy() for k, v in trainer.model.state_dict().items()}
                )
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.stopped_epoch = epoch
                trainer.stop_training = True

    def on_fit_end(self, trainer):
        if self.restore_best_weights and self._best_state is not None:
            trainer.model.load_state_dict(self._best_state)

    def state_dict(self):
        """The counters (and best weights) so that a resumed run stops at the same epoch."""
        return {"best": self.best, "best_epoch": self.best_epoch, "wait": self.wait,
                "stopped_epoch": self.stopped_epoch, "best_state": self._best_state}

    def load_state_dict(self, state):
        self.best, self.best_epoch = state["best"], state["best_epoch"]
        self.wait, self.stopped_epoch = int(state["wait"]), state["stopped_epoch"]
        self._best_state = state["best_state"]


class ModelCheckpoint(Callback):
    """Save the full training state (model, optimiser, scheduler, RNG, epoch, history).

    ``path`` may contain ``{epoch}`` (1-based) and ``{step}`` (global step). With
    ``save_best_only`` a file is written only when ``monitor`` improves. Files are written
    atomically (``wb.save``), so an interrupted write (even ``kill -9``) never corrupts the
    previous checkpoint; ``Trainer.resume(path)`` continues bit for bit.

    ``every_n_train_steps`` (PyTorch Lightning's name) saves after every N-th optimisation step,
    mid-epoch included: the checkpoint then also holds the loader's order and position and the
    epoch's running sums, so the resumed run finishes the epoch exactly as the uninterrupted one.
    ``every_n_epochs`` defaults to 1, or to 0 (no epoch-end saves) when ``every_n_train_steps``
    is given.
    """

    def __init__(self, path, monitor="val_loss", save_best_only=False, mode="auto",
                 every_n_epochs=None, every_n_train_steps=None):
        for name, value in (("every_n_epochs", every_n_epochs),
                            ("every_n_train_steps", every_n_train_steps)):
            if value is not None and (not isinstance(value, (int, np.integer)) or value < 0):
                raise ValueError(f"ModelCheckpoint: {name} must be an int >= 0, got {value!r}")
        if save_best_only and every_n_train_steps:
            raise ValueError(
                "ModelCheckpoint: save_best_only compares epoch logs; it cannot be combined "
                "with every_n_train_steps"
            )
        self.path = os.fspath(path)
        self.monitor = monitor
        self.save_best_only = save_best_only
        self.mode = _resolve_mode(mode, monitor)
        if every_n_epochs is None:
            every_n_epochs = 0 if every_n_train_steps else 1
        self.every_n_epochs = every_n_epochs
        self.every_n_train_steps = every_n_train_steps or 0
        self.best = None
        self.saved = []

    def on_batch_end(self, trainer, step, loss):
        n = self.every_n_train_steps
        if n and trainer.global_step % n == 0:
            path = self.path.format(epoch=trainer.epoch + 1, step=trainer.global_step)
            trainer.save_checkpoint(path)
            self.saved.append(path)

    def on_epoch_end(self, trainer, epoch, logs):
        if not self.every_n_epochs or (epoch + 1) % self.every_n_epochs:
            return
        if self.save_best_only:
            value = logs.get(self.monitor)
            if value is None:
                raise KeyError(
                    f"ModelCheckpoint monitors {self.monitor!r}, logs have {sorted(logs)}"
                )
            if not _improved(self.mode, value, self.best, 0.0):
                return
            self.best = value
        path = self.path.format(epoch=epoch + 1, step=trainer.global_step)
        trainer.save_checkpoint(path)
        self.saved.append(path)


class ProgressBar(Callback):
    """A one-line text progress bar per epoch (written to ``stream``, stderr by default)."""

    def __init__(self, stream=None, width=24):
        self.stream = stream or sys.stderr
        self.width = width

    def on_epoch_start(self, trainer, epoch):
        self.epoch = epoch
        self.start = time.perf_counter()
        self.total = trainer.steps_per_epoch
        self.running = 0.0

    def on_batch_end(self, trainer, step, loss):
        self.running += loss
        done = step + 1
        interactive = getattr(self.stream, "isatty", lambda: False)()
        if interactive and self.total and (done == self.total
                                           or done % max(1, self.total // 20) == 0):
            filled = int(self.width * done / self.total)
            bar = "#" * filled + "." * (self.width - filled)
            self.stream.write(
                f"\repoch {self.epoch + 1:>3} [{bar}] {done}/{self.total} "
                f"loss {self.running / done:.4f}"
            )
            self.stream.flush()

    def on_epoch_end(self, trainer, epoch, logs):
        shown = "  ".join(
            f"{k} {v:.4f}" for k, v in logs.items() if k != "loss" and np.isscalar(v)
            and not math.isnan(v)
        )
        elapsed = time.perf_counter() - self.start
        self.stream.write(
            f"\repoch {epoch + 1:>3} loss {logs['loss']:.4f}  {shown}  ({elapsed:.1f}s)\n"
        )
        self.stream.flush()
