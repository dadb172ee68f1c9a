"""A process-wide on/off setting with a ``torch.backends``-style ``flags`` context: the switch
behind ``whiteboard.jit`` (compiled kernels) and ``whiteboard.nn.winograd`` (Winograd conv2d)."""

from __future__ import annotations

import contextlib


class Flag:
    """One boolean setting: ``on`` to read it, ``set`` to change it, ``flags`` for a block."""

    def __init__(self, on: bool):
        self.on = on

    def set(self, flag: bool) -> None:
        if not isinstance(flag, bool):
            raise TypeError(f"flag must be a bool, got {type(flag).__name__}")
        self.on = flag

    @contextlib.contextmanager
    def flags(self, enabled: bool = True):
        """Run the block with the setting ``enabled``; the previous one is restored afterwards,
        also when the block raises."""
        if not isinstance(enabled, bool):
            raise TypeError(f"enabled must be a bool, got {type(enabled).__name__}")
        before = self.on
        self.on = enabled
        try:
            yield
        finally:
            self.on = before
