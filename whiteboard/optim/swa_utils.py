"""Weight averaging (``torch.optim.swa_utils``): SWA, EMA and re-estimating BatchNorm statistics.

Stochastic Weight Averaging (Izmailov et al. 2018) keeps the running mean of the weights visited
by SGD late in training, ``w_swa ← w_swa + (w − w_swa) / (n + 1)`` after the n-th average, i.e.
the equal-weight average of the snapshots; the average lies in a flatter region of the loss than
the individual iterates. An exponential moving average (EMA, Polyak averaging with decay β),
``w_ema ← β w_ema + (1 − β) w``, weighs recent snapshots more.

``AveragedModel(model)`` holds a deep copy of ``model`` (``.module``) and a buffer
``n_averaged``; ``update_parameters(model)`` copies the weights on the first call and averages
afterwards with ``avg_fn(averaged, current, n_averaged)`` (default: SWA) or the in-place
``multi_avg_fn(averaged_list, current_list, n_averaged)``. With ``use_buffers=False`` (default)
buffers such as BatchNorm's running statistics are copied from ``model`` each time; with
``use_buffers=True`` they are averaged too (integer buffers as torch does: the average is
computed in floating point and truncated toward zero on the way back).

Averaged weights make the running statistics of BatchNorm stale (they were measured with other
weights): ``update_bn(loader, model)`` resets them and recomputes them as the cumulative average
(``momentum=None``) over one pass of ``loader`` in training mode, then restores the momenta and
the model's mode.

``SWALR`` is the learning-rate schedule of the averaging phase: it anneals each group's rate from
its current value to ``swa_lr`` over ``anneal_epochs`` steps and then holds it. With
``α(t) = t`` (``'linear'``) or ``α(t) = (1 − cos πt)/2`` (``'cos'``) and ``t = min(1, s/E)`` at
step ``s``, the rate is ``lr_s = α(t)·swa_lr + (1 − α(t))·lr₀``; like PyTorch it is computed
recursively, recovering ``lr₀ = (lr_{s−1} − α(t_{s−1})·swa_lr)/(1 − α(t_{s−1}))`` from the
rate of the previous step, so it composes with a rate changed from outside.
"""

from __future__ import annotations

import copy
import math

import numpy as np

from ..autograd import Tensor, no_grad
from ..nn.module import Module
from ..nn.normalization import _BatchNorm
from .lr_scheduler import LRScheduler, _per_group

__all__ = ["AveragedModel", "SWALR", "update_bn", "get_ema_avg_fn", "get_swa_avg_fn",
           "get_ema_multi_avg_fn", "get_swa_multi_avg_fn"]


def get_ema_avg_fn(decay=0.999):
    """``avg_fn`` for an exponential moving average: ``decay·averaged + (1 − decay)·current``."""
    def ema_update(ema_param, current_param, num_averaged):
        return decay * ema_param + (1 - decay) * current_param
    return ema_update


def get_swa_avg_fn():
    """``avg_fn`` for the equal-weight running mean: ``averaged + (current − averaged)/(n + 1)``."""
    def swa_update(averaged_param, current_param, num_averaged):
        return averaged_param + (current_param - averaged_param) / (num_averaged + 1)
    return swa_update


def get_ema_multi_avg_fn(decay=0.999):
    """In-place EMA over lists of arrays (``multi_avg_fn``)."""
    def ema_update(ema_params, current_params, num_averaged):
        for e, c in zip(ema_params, current_params):
            _assign(e, decay * _value(e) + (1 - decay) * _value(c))
    return ema_update


def get_swa_multi_avg_fn():
    """In-place SWA running mean over lists of arrays (``multi_avg_fn``)."""
    def swa_update(averaged_params, current_params, num_averaged):
        n = _value(num_averaged)
        for a, c in zip(averaged_params, current_params):
            _assign(a, _value(a) + (_value(c) - _value(a)) / (n + 1))
    return swa_update


def _value(x):
    return x.data if isinstance(x, Tensor) else x


def _assign(target, value):
    """Write ``value`` into the tensor ``target`` keeping its dtype (ints truncate, as copy_)."""
    value = np.asarray(value)
    if target.data.dtype.kind in "iub" and value.dtype.kind == "f":
        value = np.trunc(value)
    target.data = value.astype(target.data.dtype, copy=False).reshape(target.data.shape).copy()


class AveragedModel(Module):
    """Running SWA / EMA average of ``model``'s parameters (and buffers with ``use_buffers``).

    ``forward`` calls the averaged copy. ``avg_fn(averaged, current, n_averaged)`` returns the new
    average of one tensor (arrays in, array out); ``multi_avg_fn(averaged_list, current_list,
    n_averaged)`` updates lists in place. Neither given: SWA.
    """

    def __init__(self, model, device=None, avg_fn=None, multi_avg_fn=None, use_buffers=False):
        super().__init__()
        if avg_fn is not None and multi_avg_fn is not None:
            raise ValueError("AveragedModel: only one of avg_fn and multi_avg_fn should be "
                             "provided")
        if not isinstance(model, Module):
            raise TypeError(f"AveragedModel: model must be an nn.Module, got "
                            f"{type(model).__name__}")
        self.module = copy.deepcopy(model)
        if device is not None:
            self.module.to(device=device)
        self.register_buffer("n_averaged", Tensor(np.array(0, dtype=np.int64)))
        self.avg_fn = avg_fn
        self.multi_avg_fn = multi_avg_fn
        self.use_buffers = use_buffers

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def _tensors(self, module):
        params = list(module.parameters())
        return params + list(module.buffers()) if self.use_buffers else params

    def update_parameters(self, model):
        """Fold ``model``'s current weights into the average (copy them on the first call)."""
        mine, theirs = self._tensors(self.module), self._tensors(model)
        if len(mine) != len(theirs) or any(a.shape != b.shape for a, b in zip(mine, theirs)):
            raise ValueError("AveragedModel.update_parameters: model's parameters do not match "
                             "the averaged copy (different architecture?)")
        n = int(self.n_averaged.data)
        with no_grad():
            if n == 0:
                for a, c in zip(mine, theirs):
                    _assign(a, c.data)
            elif self.multi_avg_fn is not None:
                self.multi_avg_fn(mine, [c.data for c in theirs], self.n_averaged.data)
            else:
                fn = self.avg_fn if self.avg_fn is not None else get_swa_avg_fn()
                for a, c in zip(mine, theirs):
                    if self.avg_fn is None and a.data.dtype.kind in "iub":
                        # torch's default path: float division, truncated back into the int
                        new = a.data + (c.data - a.data) / (n + 1)
                    else:
                        new = fn(a.data, c.data, self.n_averaged.data)
                    _assign(a, _value(new))
            if not self.use_buffers:  # keep the buffers in sync with the source model
                for b, c in zip(self.module.buffers(), model.buffers()):
                    _assign(b, c.data)
        self.n_averaged.data = np.array(n + 1, dtype=np.int64)


def update_bn(loader, model, device=None):
    """Recompute every BatchNorm's running statistics with one pass over ``loader``.

    Each batch is the input itself or a list/tuple whose first entry is the input. The running
    means and variances become cumulative averages over the batches (``momentum=None``); models
    without BatchNorm are left untouched.
    """
    momenta = {}
    for module in model.modules():
        if isinstance(module, _BatchNorm):
            module.reset_running_stats()
            momenta[module] = module.momentum
    if not momenta:
        return
    was_training = model.training
    model.train()
    for module in momenta:
        module.momentum = None
    try:
        with no_grad():
            for batch in loader:
                if isinstance(batch, (list, tuple)):
                    batch = batch[0]
                if device is not None and isinstance(batch, Tensor):
                    batch = batch.to(device=device)
                model(batch)
    finally:
        for module, momentum in momenta.items():
            module.momentum = momentum
        model.train(was_training)


class SWALR(LRScheduler):
    """Anneal each parameter group's learning rate to ``swa_lr`` in ``anneal_epochs`` steps, then
    hold it (``torch.optim.swa_utils.SWALR``; ``anneal_strategy`` ``'cos'`` or ``'linear'``).

    ``swa_lr`` is one rate or one per parameter group; ``anneal_epochs=0`` switches to ``swa_lr``
    at the first step.
    """

    def __init__(self, optimizer, swa_lr, anneal_epochs=10, anneal_strategy="cos", last_epoch=-1):
        for rate, group in zip(_per_group("swa_lr", optimizer, swa_lr), optimizer.param_groups):
            group["swa_lr"] = rate
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"anneal_strategy must be 'cos' or 'linear', got {anneal_strategy!r}")
        if isinstance(anneal_epochs, bool) or not isinstance(anneal_epochs, int) \
                or anneal_epochs < 0:
            raise ValueError(f"anneal_epochs must be a non-negative integer, got {anneal_epochs!r}")
        self.anneal_strategy = anneal_strategy
        self.anneal_epochs = anneal_epochs
        super().__init__(optimizer, last_epoch)

    def _alpha(self, t):
        return t if self.anneal_strategy == "linear" else (1 - math.cos(math.pi * t)) / 2

    def get_lr(self):
        step = self._step_count - 1
        if self.anneal_epochs == 0:
            step = max(1, step)
        span = max(1, self.anneal_epochs)
        prev_alpha = self._alpha(max(0.0, min(1.0, (step - 1) / span)))
        alpha = self._alpha(max(0.0, min(1.0, step / span)))
        rates = []
        for group in self.optimizer.param_groups:
            lr, swa_lr = group["lr"], group["swa_lr"]
            start = swa_lr if prev_alpha == 1 else (lr - prev_alpha * swa_lr) / (1 - prev_alpha)
            rates.append(swa_lr * alpha + start * (1 - alpha))
        return rates
