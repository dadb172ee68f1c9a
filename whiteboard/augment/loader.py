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
import sys
import weakref
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import shared_memory

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
            self._ring = _Ring()
            self._finalizer = weakref.finalize(self, _shutdown, self._pool, self._ring)
        ring = self._ring
        base = int(backend.get_rng().integers(2**63))
        pending = collections.deque()
        depth = self.num_workers * self.prefetch_factor

        def take():
            i, slot, fut = pending.popleft()
            try:
                out = fut.result()
            except Exception as exc:
                ring.release(slot)
                raise RuntimeError(f"AugmentedLoader: the worker failed on batch {i} "
                                   f"({type(exc).__name__}: {exc})") from exc
            return ring.hand_out(out, slot)

        try:
            for i, batch in enumerate(self.loader):
                slot, layout = ring.put(batch)
                pending.append((i, slot, self._pool.submit(_augment_in_worker, slot.name,
                                                           slot.size, layout, [base, i])))
                if len(pending) >= depth:
                    yield take()
            while pending:
                yield take()
        finally:  # early break / exception / garbage collection: no worker still writes a slot
            for _, _, fut in pending:
                fut.cancel()
            for _, slot, fut in pending:
                if not fut.cancelled():
                    try:
                        fut.result()
                    except BaseException:  # noqa: S110 - the batch is dropped anyway
                        pass
                ring.release(slot)
            pending.clear()

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


def _shutdown(pool, ring):
    pool.shutdown(wait=True, cancel_futures=True)
    ring.unlink()


_ALIGN = 64


def _aligned(n):
    return -(-n // _ALIGN) * _ALIGN


class _Ring:
    """Shared-memory slots, one per batch in flight: the main process writes a batch's arrays
    into a free slot, the worker reads them there and writes its output back in place after
    them (only names, offsets, shapes and dtypes cross the pipe). A slot too small for a batch
    is replaced by a larger one; :meth:`unlink` removes every segment.

    The batch handed to the caller is a set of views of its slot, not a copy: every view is
    sliced from one uint8 array over the slot (``owner``; NumPy's base collapsing stops there,
    since its own base is the mmap, not an array), so while any array that reads the slot is
    alive (the batch, a Tensor around it, a slice of it) ``owner``'s reference count is above
    the ring's own. A held slot goes back to the free list only once that count has dropped (checked
    before every :meth:`put`), so a slot is never overwritten under a live array. At most
    ``max_held`` slots are held at once; past that (a caller keeping many batches, e.g.
    ``list(loader)``) batches are copied out and their slot freed at once."""

    def __init__(self, max_held=4):
        self.free, self.all, self.held, self.max_held = [], {}, [], int(max_held)

    def put(self, batch):
        self._reclaim()
        _reap()
        arrays = [(isinstance(b, Tensor), b.data if isinstance(b, Tensor) else b) for b in batch]
        need = sum(_aligned(a.nbytes) for _, a in arrays if isinstance(a, np.ndarray))
        size = _aligned(max(3 * need, _ALIGN))          # inputs + room for the outputs
        slot = self.free.pop() if self.free else None
        if slot is not None and slot.size < size:
            self._drop(slot)
            slot = None
        if slot is None:
            slot = shared_memory.SharedMemory(create=True, size=size)
            self.all[slot.name] = slot
        layout, off = [], 0
        for was_tensor, a in arrays:
            if isinstance(a, np.ndarray) and a.dtype.hasobject is False:
                view = np.ndarray(a.shape, a.dtype, buffer=slot.buf, offset=off)
                view[...] = a
                del view
                layout.append((was_tensor, ("shm", off, a.shape, a.dtype.str)))
                off += _aligned(a.nbytes)
            else:
                layout.append((was_tensor, ("obj", a)))
        return slot, layout

    def hand_out(self, raw, slot):
        """The worker's output ``raw`` as a batch: views of ``slot`` (held until no array reads
        them), or copies when ``max_held`` slots are already held."""
        self._reclaim()
        if len(self.held) >= self.max_held:
            out = _unpack(raw, np.ndarray((slot.size,), np.uint8, buffer=slot.buf), copy=True)
            self.release(slot)
            return out
        owner = np.ndarray((slot.size,), np.uint8, buffer=slot.buf)
        out = _unpack(raw, owner, copy=False)
        self.held.append([slot, owner])
        return out

    def _reclaim(self):
        keep = []
        for rec in self.held:
            # references to ``owner``: ``rec`` and getrefcount's argument; any more are arrays
            # (or their views) still reading the slot
            if sys.getrefcount(rec[1]) > 2:
                keep.append(rec)
            else:
                self.release(rec[0])
        self.held = keep

    def release(self, slot):
        if slot.name in self.all and slot not in self.free:
            self.free.append(slot)

    def _drop(self, slot):
        del self.all[slot.name]
        slot.unlink()
        slot.close()

    def unlink(self):
        """Remove every segment's name; a slot still read by a live batch stays mapped (its
        arrays hold no buffer export, so closing it would unmap memory under them) until that
        batch dies (:func:`_reap`)."""
        self._reclaim()
        for rec in self.held:
            del self.all[rec[0].name]
            try:
                rec[0].unlink()
            except FileNotFoundError:
                pass
            _ORPHANS.append(tuple(rec))
        self.held = []
        rec = None  # no local reference left to the last owner
        for slot in list(self.all.values()):
            try:
                self._drop(slot)
            except (BufferError, FileNotFoundError):  # already gone
                pass
        self.free.clear()
        _reap()


_ORPHANS = []  # (SharedMemory, owner) of a closed loader whose batch is still alive


def _reap():
    """Close the orphaned slots that no array reads any more."""
    keep = []
    for rec in _ORPHANS:
        if sys.getrefcount(rec[1]) > 2:
            keep.append(rec)
        else:
            rec[0].close()
    _ORPHANS[:] = keep


_WORKER = {}
_ATTACHED = collections.OrderedDict()


def _init_worker(transform, batch_transform, columns):
    _WORKER.update(transform=transform, batch_transform=batch_transform, columns=columns)


def _attach(name):
    shm = _ATTACHED.pop(name, None) or shared_memory.SharedMemory(name=name)
    _ATTACHED[name] = shm
    while len(_ATTACHED) > 64:                        # slots replaced by larger ones
        _ATTACHED.popitem(last=False)[1].close()
    return shm


def _augment_in_worker(name, size, layout, seed):
    """One batch in a worker with the batch's own generator: inputs are read from the shared
    slot, outputs written back into it after the inputs (pickled only if they do not fit)."""
    shm = _attach(name)
    buf = shm.buf
    batch, end = [], 0
    for _, (kind, *rest) in layout:
        if kind == "shm":
            off, shape, dtype = rest
            a = np.ndarray(shape, np.dtype(dtype), buffer=buf, offset=off)  # read in place
            end = max(end, off + _aligned(a.nbytes))
        else:
            a = rest[0]
        batch.append(a)
    backend.manual_seed(np.random.SeedSequence(seed))
    out = _augment(batch, _WORKER["transform"], _WORKER["batch_transform"], _WORKER["columns"])
    res = []
    for (was_tensor, lay), a, a_in in zip(layout, out, batch):
        if a is a_in and lay[0] == "shm":           # a column left as it came: already there
            res.append((was_tensor, lay))
        elif (isinstance(a, np.ndarray) and not a.dtype.hasobject
                and end + _aligned(a.nbytes) <= size):
            np.ndarray(a.shape, a.dtype, buffer=buf, offset=end)[...] = a
            res.append((was_tensor, ("shm", end, a.shape, a.dtype.str)))
            end += _aligned(a.nbytes)
        else:
            res.append((was_tensor, ("obj", a)))
    del buf
    return res


def _unpack(raw, owner, copy):
    """The batch from the worker's layout ``raw``: arrays sliced from ``owner`` (a uint8 array
    over the slot), copied out when ``copy``."""
    out = []
    for was_tensor, (kind, *rest) in raw:
        if kind == "shm":
            off, shape, dtype = rest
            dt = np.dtype(dtype)
            n = int(np.prod(shape, dtype=np.int64)) * dt.itemsize
            a = owner[off:off + n].view(dt).reshape(shape)
            if copy:
                a = a.copy()
        else:
            a = rest[0]
        out.append(Tensor(a) if was_tensor else a)
    return tuple(out)
