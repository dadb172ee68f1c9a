"""Running a pipeline per batch during training: ``AugmentedLoader`` wraps a ``DataLoader``.

``AugmentedLoader(loader, transform, batch_transform=None)`` yields ``(transform(x), y, ...)`` for
every batch of ``loader``; ``transform`` sees the whole NCHW batch (parameters drawn per sample,
vectorised), ``batch_transform`` (``Mixup`` / ``CutMix``) gets ``(x, y)`` and returns them mixed.
Length, ``state_dict`` and ``load_state_dict`` are the wrapped loader's, so the ``Trainer`` and
its checkpoints see an ordinary loader. Evaluation loaders are left unwrapped.
"""

from __future__ import annotations

from ..autograd import Tensor

__all__ = ["AugmentedLoader"]


class AugmentedLoader:
    """Apply ``transform`` to the first column of every batch (and ``batch_transform`` to the
    first two); ``columns`` picks other image columns."""

    def __init__(self, loader, transform=None, batch_transform=None, columns=(0,)):
        if transform is None and batch_transform is None:
            raise ValueError("AugmentedLoader needs a transform or a batch_transform")
        for name, t in (("transform", transform), ("batch_transform", batch_transform)):
            if t is not None and not callable(t):
                raise ValueError(f"{name} should be callable, got {t!r}")
        self.loader, self.transform, self.batch_transform = loader, transform, batch_transform
        self.columns = tuple(columns)

    def __len__(self):
        return len(self.loader)

    def __getattr__(self, name):  # dataset, batch_size, state_dict, ... of the wrapped loader
        if name == "loader":
            raise AttributeError(name)
        return getattr(self.loader, name)

    def __iter__(self):
        for batch in self.loader:
            batch = list(batch)
            if self.transform is not None:
                for c in self.columns:
                    x = batch[c]
                    out = self.transform(x.data if isinstance(x, Tensor) else x)
                    batch[c] = Tensor(out) if isinstance(x, Tensor) else out
            if self.batch_transform is not None:
                x, y = batch[0], batch[1]
                xm, ym = self.batch_transform(x.data if isinstance(x, Tensor) else x,
                                              y.data if isinstance(y, Tensor) else y)
                batch[0] = Tensor(xm) if isinstance(x, Tensor) else xm
                batch[1] = Tensor(ym) if isinstance(y, Tensor) else ym
            yield tuple(batch)
