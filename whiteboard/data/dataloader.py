"""``DataLoader``: mini-batches over a dataset.

The batch size is the choice between the notes' three gradient-descent flavours: ``batch_size=1``
is stochastic gradient descent, ``batch_size=len(dataset)`` is (full) batch gradient descent, and
anything between is mini-batch gradient descent. Shuffling draws a permutation from the library's
generator at the start of each epoch, so ``wb.manual_seed`` (and a checkpoint's RNG state) fixes
the order.
"""

from __future__ import annotations

import numpy as np

from .. import backend
from ..autograd import Tensor
from .dataset import TensorDataset

__all__ = ["DataLoader", "default_collate"]


def default_collate(samples):
    """Stack a list of samples (tuples of arrays/scalars) into a tuple of batch Tensors."""
    columns = list(zip(*samples))
    return tuple(Tensor(np.stack([np.asarray(v) for v in col])) for col in columns)


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
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"batch_size should be a positive integer, got {batch_size!r}")
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.collate_fn = collate_fn

    def __len__(self):
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        order = backend.get_rng().permutation(n) if self.shuffle else np.arange(n)
        batched = self.collate_fn is None and isinstance(self.dataset, TensorDataset)
        for b in range(len(self)):
            idx = order[b * self.batch_size:(b + 1) * self.batch_size]
            if batched:
                yield tuple(Tensor(col) for col in self.dataset[idx])
            else:
                collate = self.collate_fn or default_collate
                yield collate([self.dataset[int(i)] for i in idx])
