"""Running a pipeline per batch during training: ``AugmentedLoader`` wraps a ``DataLoader``.

``AugmentedLoader(loader, transform, batch_transform=None)`` yields ``(transform(x), y, ...)`` for
every batch of ``loader``; ``transform`` sees the whole NCHW batch (parameters drawn per sample,
vectorised), ``batch_transform`` (``Mixup`` / ``CutMix``) gets ``(x, y)`` and returns them mixed.
Length, ``state_dict`` and ``load_state_dict`` are the wrapped loader's, so the ``Trainer`` and
its checkpoints see an ordinary loader. Evaluation loaders are left unwrapped.

``num_workers=k > 0`` runs the transforms in ``k`` worker processes (as torch's
``DataLoader(num_workers=k)``), so a training step never waits for augmentation once the next
``k * prefetch_factor`` batches are in flight: the main process reads batch ``i`` from the wrapped
loader, a worker augments it while the step on batch ``i - 1`` runs, and batches come back in
order. Randomness stays reproducible and independent of ``k`` and of timing: at the start of an
epoch one number ``base`` is drawn from the library generator (so ``wb.manual_seed`` fixes it) and
batch ``i`` is augmented with the generator ``default_rng([base, i])`` — a different stream from
``num_workers=0`` (which draws from the library generator directly), exactly as in torch. Workers
start with ``spawn`` (safe with BLAS/OpenMP threads), import the library once, stay alive across
epochs and stop at :meth:`close` (or when the loader is garbage-collected); the transforms must
be picklable.
"""

from __future__ import annotations

import collections
import multiprocessing
import numbers
import weakref
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from .. import backend
from ..autograd import Tensor

__all__ = ["AugmentedLoader"]


class AugmentedLoader:
    """Apply ``transform`` to the first column of every batch (and ``batch_transform`` to the
    first two); ``columns`` picks other image columns."""

    def __init__(self, loader, transform=None, batch_transform=None, columns=(0,), *,
                 num_workers=0, prefetch_factor=2):
        if transform is None and batch_transform is None:
            raise ValueError("AugmentedLoader needs a transform or a batch_transform")
        for name, t in (("transform", transform), ("batch_transform", batch_transform)):
            if t is not None and not callable(t):
                raise ValueError(f"{name} should be callable, got {t!r}")
        for name, v, low in (("num_workers", num_workers, 0),
                             ("prefetch_factor", prefetch_factor, 1)):
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < low:
                raise ValueError(f"{name} should be an int >= {low}, got {v!r}")
        self.loader, self.transform, self.batch_transform = loader, transform, batch_transform
        self.columns = tuple(columns)
        self.num_workers, self.prefetch_factor = int(num_workers), int(prefetch_factor)
        self._pool = None

    def __len__(self):
        return len(self.loader)

    def __getattr__(self, name):  # dataset, batch_size, state_dict, ... of the wrapped loader
        if name == "loader":
            raise AttributeError(name)
        return getattr(self.loader, name)

    def __iter__(self):
        if self.num_workers:
            yield from self._iter_workers()
            return
        for batch in self.loader:
            yield _augment(batch, self.transform, self.batch_transform, self.columns)

    def _iter_workers(self):
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.num_workers,
                                             mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_init_worker,
                                             initargs=(self.transform, self.batch_transform,
                                                       self.columns))
            self._finalizer = weakref.finalize(self, self._pool.shutdown, cancel_futures=True)
        base = int(backend.get_rng().integers(2**63))
        pending = collections.deque()
        depth = self.num_workers * self.prefetch_factor
        try:
            for i, batch in enumerate(self.loader):
                raw = [(isinstance(b, Tensor), b.data if isinstance(b, Tensor) else b)
                       for b in batch]
                pending.append(self._pool.submit(_augment_in_worker, raw, [base, i]))
                if len(pending) >= depth:
                    yield _unpack(pending.popleft().result())
            while pending:
                yield _unpack(pending.popleft().result())
        finally:
            for fut in pending:
                fut.cancel()

    def close(self):
        """Stop the worker processes (a later iteration starts new ones)."""
        if self._pool is not None:
            self._finalizer()
            self._pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _augment(batch, transform, batch_transform, columns):
    """``transform`` on the image columns, then ``batch_transform`` on (x, y); Tensors stay
    Tensors."""
    batch = list(batch)
    if transform is not None:
        for c in columns:
            x = batch[c]
            out = transform(x.data if isinstance(x, Tensor) else x)
            batch[c] = Tensor(out) if isinstance(x, Tensor) else out
    if batch_transform is not None:
        x, y = batch[0], batch[1]
        xm, ym = batch_transform(x.data if isinstance(x, Tensor) else x,
                                 y.data if isinstance(y, Tensor) else y)
        batch[0] = Tensor(xm) if isinstance(x, Tensor) else xm
        batch[1] = Tensor(ym) if isinstance(y, Tensor) else ym
    return tuple(batch)


_WORKER = {}


def _init_worker(transform, batch_transform, columns):
    _WORKER.update(transform=transform, batch_transform=batch_transform, columns=columns)


def _augment_in_worker(raw, seed):
    """One batch in a worker with the batch's own generator; arrays travel, never Tensors."""
    backend.manual_seed(np.random.SeedSequence(seed))
    out = _augment([a for _, a in raw], _WORKER["transform"], _WORKER["batch_transform"],
                   _WORKER["columns"])
    return [(was_tensor, a) for (was_tensor, _), a in zip(raw, out)]


def _unpack(raw):
    return tuple(Tensor(a) if was_tensor else a for was_tensor, a in raw)
