"""``Trainer``: the training loop, written once.

One step is the whole of back-propagation training::

    optimizer.zero_grad()          # gradients accumulate, so clear last step's
    loss = loss_fn(model(x), y)    # forward pass builds the graph
    loss.backward()                # reverse pass fills p.grad for every parameter
    optimizer.step()               # p <- update(p, p.grad)

around which the trainer adds what every real run needs: evaluation on a validation set each epoch,
metrics, a learning-rate schedule (stepped per batch or per epoch; ``ReduceLROnPlateau``-style
schedulers receive the monitored value), callbacks (progress bar, early stopping, checkpoints),
detection of a non-finite loss (training stops and names the step), and checkpoints holding
model, optimiser, scheduler, RNG state, epoch and history, so that training 10 epochs in one go
and 5 + resume + 5 give the same weights to the last bit.
"""

from __future__ import annotations

import inspect
import math

import numpy as np

from .. import backend
from ..autograd import Tensor, no_grad
from ..serialization import load, save
from .callbacks import Callback, ProgressBar
from .history import History

__all__ = ["Trainer", "NonFiniteLossError", "accuracy"]


class NonFiniteLossError(FloatingPointError):
    """The loss became NaN or infinite; the message names the epoch and step."""


def accuracy(output, target):
    """Fraction of rows whose arg-max class equals the integer target."""
    pred = np.asarray(output.data).argmax(axis=1)
    return float((pred == np.asarray(target.data)).mean())


_BUILTIN_METRICS = {"accuracy": accuracy}


class Trainer:
    """Fit a ``Module`` with a loss, an optimiser and (optionally) a scheduler and callbacks.

    Parameters
    ----------
    model : nn.Module
    loss_fn : callable
        ``loss_fn(output, target) -> scalar Tensor`` (e.g. ``nn.CrossEntropyLoss()``).
    optimizer : optim.Optimizer
    scheduler : optional
        A learning-rate scheduler; ``scheduler_interval`` is ``"epoch"`` (default) or ``"step"``.
        A scheduler whose ``step`` takes ``metrics`` (ReduceLROnPlateau) gets ``monitor``'s value.
    metrics : list or dict
        Names of built-in metrics (``"accuracy"``) or ``{name: fn(output, target) -> float}``.
    callbacks : list of Callback
    progress : bool
        Show a progress bar (a ``ProgressBar`` callback).
    monitor : str
        The log key passed to plateau schedulers (default ``"val_loss"``, else ``"loss"``).
    """

    def __init__(self, model, loss_fn, optimizer, scheduler=None, scheduler_interval="epoch",
                 metrics=(), callbacks=(), progress=True, monitor="val_loss"):
        if scheduler_interval not in ("epoch", "step"):
            raise ValueError(
                f"scheduler_interval must be 'epoch' or 'step', got {scheduler_interval!r}"
            )
        self.model = model
        self.loss_fn = loss_fn
        self.optimizer = optimizer
        self.scheduler = scheduler
        self.scheduler_interval = scheduler_interval
        if isinstance(metrics, dict):
            self.metrics = dict(metrics)
        else:
            unknown = [m for m in metrics if m not in _BUILTIN_METRICS]
            if unknown:
                raise ValueError(
                    f"unknown metric(s) {unknown}; built in: {sorted(_BUILTIN_METRICS)} "
                    "(pass a dict name -> fn(output, target) for others)"
                )
            self.metrics = {m: _BUILTIN_METRICS[m] for m in metrics}
        self.callbacks = list(callbacks)
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"callbacks must be Callback instances, got {type(cb).__name__}")
        if progress:
            self.callbacks.append(ProgressBar())
        self.monitor = monitor
        self.history = History()
        self.epoch = 0
        self.global_step = 0
        self.stop_training = False
        self.steps_per_epoch = 0

    # ------------------------------------------------------------------ loop
    def fit(self, train_loader, epochs, val_loader=None):
        """Train until ``epochs`` epochs in total have run (a resumed trainer continues)."""
        self.stop_training = False
        for cb in self.callbacks:
            cb.on_fit_start(self)
        while self.epoch < epochs and not self.stop_training:
            logs = self._train_epoch(train_loader)
            if val_loader is not None:
                logs.update({f"val_{k}": v for k, v in self.evaluate(val_loader).items()})
            logs["lr"] = self.optimizer.param_groups[0]["lr"]
            if self.scheduler is not None and self.scheduler_interval == "epoch":
                self._step_scheduler(logs)
            self.history.append(logs)
            for cb in self.callbacks:
                cb.on_epoch_end(self, self.epoch, logs)
            self.epoch += 1
        for cb in self.callbacks:
            cb.on_fit_end(self)
        return self.history

    def _train_epoch(self, loader):
        self.model.train()
        self.steps_per_epoch = len(loader)
        for cb in self.callbacks:
            cb.on_epoch_start(self, self.epoch)
        total, count = 0.0, 0
        sums = dict.fromkeys(self.metrics, 0.0)
        for step, (x, y) in enumerate(loader):
            self.optimizer.zero_grad()
            output = self.model(x)
            loss = self.loss_fn(output, y)
            value = float(loss.item())
            if not math.isfinite(value):
                raise NonFiniteLossError(
                    f"loss is {value} at epoch {self.epoch + 1}, step {step + 1} "
                    f"(global step {self.global_step + 1}); lower the learning rate or check "
                    "the data"
                )
            loss.backward()
            self.optimizer.step()
            if self.scheduler is not None and self.scheduler_interval == "step":
                self.scheduler.step()
            n = len(y)
            total += value * n
            count += n
            for name, fn in self.metrics.items():
                sums[name] += fn(output, y) * n
            self.global_step += 1
            for cb in self.callbacks:
                cb.on_batch_end(self, step, value)
        logs = {"loss": total / max(count, 1)}
        logs.update({name: s / max(count, 1) for name, s in sums.items()})
        return logs

    def _step_scheduler(self, logs):
        params = inspect.signature(self.scheduler.step).parameters
        if "metrics" in params:
            key = self.monitor if self.monitor in logs else "loss"
            self.scheduler.step(logs[key])
        else:
            self.scheduler.step()

    @no_grad()
    def evaluate(self, loader):
        """Mean loss and metrics over ``loader`` in evaluation mode (no graph)."""
        was_training = self.model.training
        self.model.eval()
        total, count = 0.0, 0
        sums = dict.fromkeys(self.metrics, 0.0)
        for x, y in loader:
            output = self.model(x)
            n = len(y)
            total += float(self.loss_fn(output, y).item()) * n
            count += n
            for name, fn in self.metrics.items():
                sums[name] += fn(output, y) * n
        self.model.train(was_training)
        out = {"loss": total / max(count, 1)}
        out.update({name: s / max(count, 1) for name, s in sums.items()})
        return out

    @no_grad()
    def predict(self, x, batch_size=256):
        """Model outputs for an array or Tensor ``x``, in evaluation mode, batch by batch."""
        data = x.data if isinstance(x, Tensor) else np.asarray(x)
        was_training = self.model.training
        self.model.eval()
        outs = [self.model(Tensor(data[i:i + batch_size])).numpy()
                for i in range(0, len(data), batch_size)]
        self.model.train(was_training)
        return np.concatenate(outs)

    # ------------------------------------------------------------------ checkpoints
    def state_dict(self):
        """Everything needed to continue training exactly: model, optimiser, scheduler, RNG."""
        return {
            "model": dict(self.model.state_dict()),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": None if self.scheduler is None else self.scheduler.state_dict(),
            "rng": backend.get_rng_state(),
            "epoch": len(self.history),  # completed epochs (also inside on_epoch_end)
            "global_step": self.global_step,
            "history": self.history.to_dict(),
        }

    def load_state_dict(self, state):
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        if self.scheduler is not None and state.get("scheduler") is not None:
            self.scheduler.load_state_dict(state["scheduler"])
        backend.set_rng_state(state["rng"])
        self.epoch = state["epoch"]
        self.global_step = state["global_step"]
        self.history = History.from_dict(state["history"])

    def save_checkpoint(self, path):
        """Write :meth:`state_dict` atomically to ``path`` (``.npz``, no pickle)."""
        save(self.state_dict(), path)

    def resume(self, path):
        """Load a checkpoint written by :meth:`save_checkpoint`; ``fit`` then continues."""
        self.load_state_dict(load(path))
        return self
