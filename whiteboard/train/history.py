"""``History``: per-epoch training and validation curves, plotted with one call."""

from __future__ import annotations

__all__ = ["History"]


class History:
    """Per-epoch logs: ``history["loss"]``, ``history["val_accuracy"]`` ... (lists by epoch)."""

    def __init__(self):
        self.records = []

    def append(self, logs):
        self.records.append(dict(logs))

    def __len__(self):
        return len(self.records)

    def keys(self):
        keys = []
        for r in self.records:
            keys.extend(k for k in r if k not in keys)
        return keys

    def __getitem__(self, key):
        if key not in self.keys():
            raise KeyError(f"history has no {key!r}; it has {self.keys()}")
        return [r.get(key, float("nan")) for r in self.records]

    def __repr__(self):
        return f"History(epochs={len(self)}, keys={self.keys()})"

    def to_dict(self):
        return {"records": [dict(r) for r in self.records]}

    @classmethod
    def from_dict(cls, state):
        h = cls()
        h.records = [dict(r) for r in state["records"]]
        return h

    def plot(self, keys=None, path=None, ax=None):
        """Plot curves by epoch (losses on one axis); save to ``path`` if given.

        Needs matplotlib (``pip install whiteboard[plot]``). Returns the matplotlib Axes.
        """
        try:
            import matplotlib

            if path is not None and ax is None:
                matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError as exc:
            raise ImportError(
                "History.plot needs matplotlib: pip install whiteboard[plot]"
            ) from exc
        keys = [k for k in self.keys() if k != "lr"] if keys is None else list(keys)
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 4))
        epochs = range(1, len(self) + 1)
        for key in keys:
            ax.plot(epochs, self[key], marker="o", markersize=3, label=key)
        ax.set_xlabel("epoch")
        ax.legend()
        ax.grid(alpha=0.3)
        if path is not None:
            ax.figure.tight_layout()
            ax.figure.savefig(path, dpi=120)
        return ax
