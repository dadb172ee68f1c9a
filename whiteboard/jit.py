"""Optional compiled kernels (Numba) beside the NumPy code, for the loops NumPy cannot batch.

Most of whiteboard is a handful of whole-array NumPy calls per step, and that is as fast as the
libraries it is measured against. A few algorithms are sequential at their core and take thousands
of tiny steps: one SMO iteration of an SVM touches two variables and then decides the next pair,
one histogram of a boosted tree is a scatter-add over a node's rows. Written in NumPy, each step
pays the fixed cost of ~15 library calls (a microsecond or two each), whatever the size of the data.

For those loops, and only those, a kernel written as plain Python loops is compiled by Numba when
Numba is installed (``pip install whiteboard[fast]``). Every kernel has a NumPy twin that computes
the same numbers, the tests run both, and the library works without Numba.

    import whiteboard as wb
    wb.jit.enabled()            # True when Numba is importable and not switched off
    with wb.jit.disabled():     # the pure-NumPy path, e.g. to compare the two
        ...

``WHITEBOARD_JIT=0`` in the environment switches the kernels off for the whole process.

Kernels are compiled with ``nogil=True`` (so threads of the caller run them in parallel, as they do
NumPy's large calls) and ``cache=True`` (the machine code is kept beside the source, so a later
process pays no compile time). Numba is imported the first time a kernel runs, never at
``import whiteboard``.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import threading

from ._flag import Flag

__all__ = ["available", "enabled", "enable", "flags", "disabled", "kernel", "shared", "intrinsic"]

_switch = Flag(os.environ.get("WHITEBOARD_JIT", "1").strip().lower() not in ("0", "false", "no"))
_available: list[bool] = []


def available() -> bool:
    """Whether Numba can be imported on this machine (checked once, without importing it)."""
    if not _available:
        _available.append(importlib.util.find_spec("numba") is not None)
    return _available[0]


def enabled() -> bool:
    """Whether the compiled kernels run: Numba is available and they are not switched off."""
    return _switch.on and available()


def enable(flag: bool = True) -> None:
    """Switch the compiled kernels on (the default where Numba is installed) or off."""
    _switch.set(flag)


def flags(enabled: bool = True):
    """Run the block with the kernels switched on or off (as ``torch.backends.cudnn.flags``).

    The previous setting is restored afterwards, also when the block raises.
    """
    return _switch.flags(enabled)


def disabled():
    """Run the block on the pure-NumPy path: ``with wb.jit.disabled(): ...``."""
    return flags(enabled=False)


class _BuiltOnce:
    """Holds a Numba object that is built on first use, once, whatever the threads asking."""

    def __init__(self):
        self._built = None
        self._lock = threading.Lock()

    def _once(self, build):
        if self._built is None:
            with self._lock:
                if self._built is None:
                    self._built = build()
        return self._built


class _Kernel(_BuiltOnce):
    """A Python function compiled by Numba on its first call (thread-safe), then called directly."""

    def __init__(self, fn, options):
        super().__init__()
        self.py_func = fn
        self._options = options
        self.__name__ = fn.__name__
        self.__qualname__ = getattr(fn, "__qualname__", fn.__name__)
        self.__doc__ = fn.__doc__
        self.__module__ = fn.__module__

    def compiled(self):
        return self._once(self._compile)

    def _compile(self):
        if not available():
            raise RuntimeError(
                f"kernel {self.__qualname__!r} needs Numba, which is not installed; "
                "install it (pip install whiteboard[fast]) or call the NumPy path")
        import numba

        return numba.njit(**self._options)(self.py_func)

    def __call__(self, *args):
        return self.compiled()(*args)

    @property
    def _numba_type_(self):
        # a kernel that calls this kernel sees its compiled dispatcher
        return self.compiled()._numba_type_

    def __repr__(self):
        return f"<whiteboard.jit kernel {self.__qualname__}>"


def kernel(fn=None, **options):
    """Make a loop-style function a compiled kernel: ``@kernel`` or ``@kernel(fastmath=True)``.

    Options go to ``numba.njit``; the defaults are ``nogil=True, cache=True``. The undecorated
    function stays reachable as ``.py_func`` (plain Python, slow, handy to step through).
    Callers choose between a kernel and its NumPy twin with :func:`enabled`.
    """
    opts = {"nogil": True, "cache": True, **options}
    if fn is None:
        return lambda f: _Kernel(f, opts)
    return _Kernel(fn, opts)


class _Shared(_BuiltOnce):
    """A helper both paths call: plain Python from Python, compiled and inlined inside a kernel."""

    def __init__(self, fn):
        super().__init__()
        self.py_func = fn
        functools.update_wrapper(self, fn)

    def __call__(self, *args):
        return self.py_func(*args)

    @property
    def _numba_type_(self):
        # Numba's typeof asks an object for this attribute: a kernel that calls the helper
        # sees the compiled dispatcher (inline="always"), Python callers never build one.
        def build():
            import numba

            return numba.njit(inline="always", cache=True)(self.py_func)

        return self._once(build)._numba_type_


def shared(fn):
    """Make a small scalar function callable from both paths without writing it twice.

    The NumPy path calls it as the plain Python function; a :func:`kernel` that calls it gets it
    compiled and inlined. Use it for the step both twins share (the clipped two-variable update of
    SMO, a cache's bookkeeping), so the two paths cannot drift apart.
    """
    return _Shared(fn)


class _Intrinsic(_BuiltOnce):
    """A Numba intrinsic built on first use inside a kernel (see :func:`intrinsic`)."""

    def __init__(self, make):
        super().__init__()
        self._make = make
        functools.update_wrapper(self, make)

    def __call__(self, *args):
        raise TypeError(f"{self.__name__} is a Numba intrinsic: call it from a jit.kernel")

    @property
    def _numba_type_(self):
        built = self._once(self._make)
        from numba.core.registry import cpu_target

        ctx = cpu_target.typing_context
        ctx.refresh()                 # the intrinsic registered itself when it was built
        return ctx.resolve_value_type(built)


def intrinsic(make):
    """A Numba intrinsic (``numba.extending.intrinsic``: typing and LLVM code of an operation
    the language lacks, e.g. an atomic load) that kernels call, without importing Numba here.

    ``make()`` imports Numba, defines the intrinsic and returns it; it runs once, when the
    first kernel that calls the intrinsic compiles (a kernel loaded from the cache never
    needs it). Intrinsics have no Python meaning: only kernels call them.
    """
    return _Intrinsic(make)
