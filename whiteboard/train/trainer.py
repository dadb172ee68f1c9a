"""``Trainer``: the training loop, written once.

One step is the whole of back-propagation training::

    optimizer.zero_grad()          # gradients accumulate, so clear last step's
    loss = loss_fn(model(x), y)    # forward pass builds the graph
    loss.backward()                # reverse pass fills p.grad for every parameter
    optimizer.step()               # p <- update(p, p.grad)

around which the trainer adds what every real run needs: evaluation on a validation set each epoch,
metrics, a learning-rate schedule (stepped per batch or per epoch; ``ReduceLROnPlateau``-style
schedulers receive the monitored value), callbacks (progress bar, early stopping, checkpoints),
detection of a non-finite loss or gradient (the step and the parameter are named; training stops,
or with ``on_nonfinite="skip"`` the update is skipped and counted in the history as
``skipped_steps``), and checkpoints holding model, optimiser, scheduler, RNG state, epoch, history
and, mid-epoch, the loader's order and position and the epoch's running sums, so that training 10
epochs in one go and 5 (or 4.3) + ``kill -9`` + resume + the rest give the same weights to the
last bit.
"""

from __future__ import annotations

import inspect
import math

import numpy as np

from .. import backend
from ..autograd import Tensor, no_grad
from ..serialization import ModelFileError, load, save
from .callbacks import Callback, ProgressBar
from .history import History

__all__ = ["Trainer", "NonFiniteError", "NonFiniteLossError", "NonFiniteGradientError",
           "accuracy"]


class NonFiniteError(FloatingPointError):
    """A NaN or infinity appeared in training (base of the two errors below)."""


class NonFiniteLossError(NonFiniteError):
    """The loss became NaN or infinite; the message names the epoch and step."""


class NonFiniteGradientError(NonFiniteError):
    """A gradient holds NaN or inf; the message names the step and the parameter."""


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
    on_nonfinite : {"raise", "skip"}
        What a NaN/inf loss or gradient does: ``"raise"`` (default) stops with
        ``NonFiniteLossError`` / ``NonFiniteGradientError`` naming the step (and the parameter);
        ``"skip"`` leaves the weights and optimiser untouched for that batch (the batch still
        counts as a step, a per-step scheduler still steps, its loss is left out of the epoch
        mean) and the epoch's log gets ``skipped_steps``; ``trainer.skipped`` lists
        ``(global_step, reason)``. The gradient check costs one sum per parameter per step.
    """

    def __init__(self, model, loss_fn, optimizer, scheduler=None, scheduler_interval="epoch",
                 metrics=(), callbacks=(), progress=True, monitor="val_loss",
                 on_nonfinite="raise"):
        if scheduler_interval not in ("epoch", "step"):
            raise ValueError(
                f"scheduler_interval must be 'epoch' or 'step', got {scheduler_interval!r}"
            )
        if on_nonfinite not in ("raise", "skip"):
            raise ValueError(f"on_nonfinite must be 'raise' or 'skip', got {on_nonfinite!r}")
        self.on_nonfinite = on_nonfinite
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
        self.skipped = []
        self._train_loader = None
        self._partial = None  # running sums of the epoch in progress (for mid-epoch checkpoints)
        self._resume_partial = None  # the same, loaded from a mid-epoch checkpoint
        self._resume_loader = None
        self._resume_callbacks = None

    # ------------------------------------------------------------------ loop
    def fit(self, train_loader, epochs, val_loader=None):
        """Train until ``epochs`` epochs in total have run (a resumed trainer continues)."""
        self.stop_training = False
        self._train_loader = train_loader
        if self._resume_loader is not None:
            if not hasattr(train_loader, "load_state_dict"):
                raise TypeError(
                    "resuming a mid-epoch checkpoint needs a train_loader with load_state_dict "
                    f"(a whiteboard DataLoader), got {type(train_loader).__name__}"
                )
            train_loader.load_state_dict(self._resume_loader)
            self._resume_loader = None
        for cb in self.callbacks:
            cb.on_fit_start(self)
        if self._resume_callbacks is not None:
            self._load_callback_states(self._resume_callbacks)
            self._resume_callbacks = None
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

    def _nonfinite(self, error, message):
        if self.on_nonfinite == "raise":
            raise error(message)
        self.skipped.append((self.global_step + 1, message))
        self._partial["skipped"] += 1

    def _train_epoch(self, loader):
        self.model.train()
        self.steps_per_epoch = len(loader)
        for cb in self.callbacks:
            cb.on_epoch_start(self, self.epoch)
        if self._resume_partial is not None:
            self._partial, self._resume_partial = self._resume_partial, None
            first = self._partial["step"]
        else:
            self._partial = {"step": 0, "total": 0.0, "count": 0, "skipped": 0,
                             "sums": dict.fromkeys(self.metrics, 0.0)}
            first = 0
        part = self._partial
        for step, (x, y) in enumerate(loader, start=first):
            where = (f"epoch {self.epoch + 1}, step {step + 1} "
                     f"(global step {self.global_step + 1})")
            self.optimizer.zero_grad()
            output = self.model(x)
            loss = self.loss_fn(output, y)
            value = float(loss.item())
            ok = math.isfinite(value)
            if not ok:
                self._nonfinite(NonFiniteLossError,
                                f"loss is {value} at {where}; lower the learning rate or check "
                                "the data")
            else:
                loss.backward()
                bad = self._first_nonfinite_grad()
                if bad is not None:
                    ok = False
                    self._nonfinite(NonFiniteGradientError,
                                    f"gradient of {bad[0]!r} holds {bad[1]} at {where} (loss "
                                    f"{value}); lower the learning rate or clip gradients")
            if ok:
                self.optimizer.step()
            if self.scheduler is not None and self.scheduler_interval == "step":
                self.scheduler.step()
            if ok:
                n = len(y)
                part["total"] += value * n
                part["count"] += n
                for name, fn in self.metrics.items():
                    part["sums"][name] += fn(output, y) * n
            part["step"] = step + 1
            self.global_step += 1
            for cb in self.callbacks:
                cb.on_batch_end(self, step, value)
        count = max(part["count"], 1)
        logs = {"loss": part["total"] / count if part["count"] else float("nan")}
        logs.update({name: s / count for name, s in part["sums"].items()})
        if self.on_nonfinite == "skip":
            logs["skipped_steps"] = part["skipped"]
        self._partial = None
        return logs

    def _first_nonfinite_grad(self):
        """``(name, "nan"/"inf")`` of the first parameter whose gradient is not finite."""
        for name, p in self.model.named_parameters():
            g = p.grad
            if g is None:
                continue
            g = g.data if isinstance(g, Tensor) else g
            xp = backend.get_array_module(g)
            if not math.isfinite(float(xp.sum(g))):  # one reduction per parameter, then exact
                if bool(xp.isnan(g).any()):
                    return name, "nan"
                if not bool(xp.isfinite(g).all()):
                    return name, "inf"
        return None

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
        first = next(iter(self.model.parameters()), None)
        if first is not None and data.dtype.kind == "f":
            data = data.astype(first.dtype, copy=False)  # e.g. float64 arrays, float32 model
        was_training = self.model.training
        self.model.eval()
        outs = [self.model(Tensor(data[i:i + batch_size])).numpy()
                for i in range(0, len(data), batch_size)]
        self.model.train(was_training)
        return np.concatenate(outs)

    # ------------------------------------------------------------------ checkpoints
    def state_dict(self):
        """Everything needed to continue training exactly: model, optimiser, scheduler, RNG."""
        if self._partial is not None and not hasattr(self._train_loader, "state_dict"):
            raise TypeError(
                "a mid-epoch checkpoint needs the train_loader's position: "
                f"{type(self._train_loader).__name__} has no state_dict (use a whiteboard "
                "DataLoader, or checkpoint at epoch ends only)"
            )
        return {
            "model": dict(self.model.state_dict()),
            "optimizer": self.optimizer.state_dict(),
            "scheduler": None if self.scheduler is None else self.scheduler.state_dict(),
            "rng": backend.get_rng_state(),
            "epoch": len(self.history),  # completed epochs (also inside on_epoch_end)
            "global_step": self.global_step,
            "history": self.history.to_dict(),
            "skipped": [list(s) for s in self.skipped],
            # mid-epoch (written from on_batch_end): the epoch's sums and the loader position
            "partial": None if self._partial is None else {
                **self._partial, "sums": dict(self._partial["sums"])},
            "loader": None if self._partial is None else self._train_loader.state_dict(),
            # callback state (EarlyStopping's counters ...), by position and class name
            "callbacks": {f"{i}:{type(cb).__name__}": cb.state_dict()
                          for i, cb in enumerate(self.callbacks)},
        }

    def _load_callback_states(self, states):
        for i, cb in enumerate(self.callbacks):
            key = f"{i}:{type(cb).__name__}"
            if key in states:
                cb.load_state_dict(states[key])

    def load_state_dict(self, state):
        self.model.load_state_dict(state["model"])
        self.optimizer.load_state_dict(state["optimizer"])
        if self.scheduler is not None and state.get("scheduler") is not None:
            self.scheduler.load_state_dict(state["scheduler"])
        backend.set_rng_state(state["rng"])
        self.epoch = state["epoch"]
        self.global_step = state["global_step"]
        self.history = History.from_dict(state["history"])
        self.skipped = [tuple(s) for s in state.get("skipped", [])]
        partial = state.get("partial")
        self._resume_partial = None if partial is None else {
            **partial, "sums": dict(partial["sums"])}
        self._resume_loader = state.get("loader") if partial is not None else None
        self._resume_callbacks = state.get("callbacks")  # applied after on_fit_start

    def save_checkpoint(self, path):
        """Write :meth:`state_dict` atomically to ``path`` (``.npz``, no pickle)."""
        save(self.state_dict(), path)

    def resume(self, path):
        """Load a checkpoint written by :meth:`save_checkpoint`; ``fit`` then continues.

        A checkpoint written mid-epoch continues that epoch: same remaining batches in the same
        order, same running sums. A checkpoint of another architecture is refused by
        ``Module.load_state_dict`` with the mismatched key and both shapes.
        """
        state = load(path)
        missing = [k for k in ("model", "optimizer", "rng", "epoch", "global_step", "history")
                   if not isinstance(state, dict) or k not in state]
        if missing:
            raise ModelFileError(
                f"resume: {str(path)!r} is not a Trainer checkpoint (missing {missing})"
            )
        self.load_state_dict(state)
        return self
