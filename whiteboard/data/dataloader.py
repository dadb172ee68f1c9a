"""``DataLoader``: mini-batches over a dataset.

The batch size is the choice between the notes' three gradient-descent flavours: ``batch_size=1``
is stochastic gradient descent, ``batch_size=len(dataset)`` is (full) batch gradient descent, and
anything between is mini-batch gradient descent. Shuffling draws a permutation from the library's
generator at the start of each epoch, so ``wb.manual_seed`` (and a checkpoint's RNG state) fixes
the order. ``state_dict()`` holds the current pass's order and the number of batches already
yielded; after ``load_state_dict`` the next iteration continues that pass where it stopped (no new
permutation is drawn), which is what a mid-epoch checkpoint needs to resume bit for bit.
"""

from __future__ import annotations

import numpy as np

from .. import backend
from ..autograd import Tensor
from .dataset import TensorDataset

__all__ = ["DataLoader", "default_collate"]


def default_collate(samples):
    """Stack a list of samples into a batch, as PyTorch's ``default_collate``.

    Samples that are tuples/lists give a tuple with one batch Tensor per position; dicts give a
    dict with one per key; anything else (arrays, Tensors, Python numbers) is stacked into one
    Tensor — Python ints become int64, floats float64, bools bool, as in PyTorch.
    """
    first = samples[0]
    if isinstance(first, dict):
        return {key: default_collate([s[key] for s in samples]) for key in first}
    if isinstance(first, (tuple, list)):
        lengths = {len(s) for s in samples}
        if len(lengths) > 1:
            raise ValueError(f"default_collate: each sample must have the same number of "
                             f"elements, got lengths {sorted(lengths)}")
        return tuple(default_collate(list(col)) for col in zip(*samples))
    return Tensor(np.stack([v.data if isinstance(v, Tensor) else np.asarray(v)
                            for v in samples]))


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size`` (Tensors, one per dataset column).

    Parameters
    ----------
    dataset : Dataset
    batch_size : int, default 1
    shuffle : bool, default False
        Reshuffle at the start of every epoch.
    drop_last : bool, default False
        Drop the last incomplete batch.
    collate_fn : callable, optional
        Turns a list of samples into a batch (datasets that accept index arrays, such as
        ``TensorDataset``, are batched with one indexing operation instead).
    """

    def __init__(self, dataset, batch_size=1, shuffle=False, drop_last=False, collate_fn=None):
        if (isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer))
                or batch_size < 1):
            raise ValueError("batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size!r}")
        if not (hasattr(dataset, "__len__") and hasattr(dataset, "__getitem__")):
            raise TypeError("DataLoader: dataset must support len() and indexing (a Dataset, "
                            f"a list ...), got {type(dataset).__name__}")
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.collate_fn = collate_fn
        self._order = None  # order of the pass in progress
        self._next = 0  # batches of that pass already yielded
        self._pending = None  # a loaded state for the next __iter__

    def __len__(self):
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def state_dict(self):
        """``{"order": indices of the pass in progress (or None), "next_batch": int}``."""
        if self._pending is not None:
            return dict(self._pending)
        return {"order": None if self._order is None else self._order.copy(),
                "next_batch": self._next}

    def load_state_dict(self, state):
        """Make the next iteration continue a pass: same order, from ``next_batch``."""
        order = state["order"]
        if order is not None:
            order = np.asarray(order)
            if order.shape != (len(self.dataset),):
                raise ValueError(
                    f"DataLoader.load_state_dict: the saved order has shape {order.shape}, the "
                    f"dataset has {len(self.dataset)} samples"
                )
        self._pending = {"order": order, "next_batch": int(state["next_batch"])}

    def __iter__(self):
        n = len(self.dataset)
        start = 0
        if self._pending is not None and self._pending["order"] is not None:
            order, start = self._pending["order"], self._pending["next_batch"]
        else:
            order = backend.get_rng().permutation(n) if self.shuffle else np.arange(n)
        self._pending = None
        self._order, self._next = order, start
        batched = self.collate_fn is None and isinstance(self.dataset, TensorDataset)
        for b in range(start, len(self)):
            idx = order[b * self.batch_size:(b + 1) * self.batch_size]
            self._next = b + 1
            if batched:
                yield tuple(Tensor(col) for col in self.dataset[idx])
            else:
                collate = self.collate_fn or default_collate
                yield collate([self.dataset[int(i)] for i in idx])
