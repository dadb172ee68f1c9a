"""Lock-step hand-offs between threads that run compiled kernels: release/acquire flags and
bounded spin waits (``whiteboard.jit`` kernels and intrinsics: Numba is imported when the first
kernel that uses them compiles, not by this module).

Why: a level-wise tree builder hands work to a second thread hundreds of times per fit, every
few hundred microseconds. Through the OS (``threading.Event``, a ``concurrent.futures`` queue)
each hand-off wakes a sleeping thread: 40-77 µs on a 2-vCPU virtual machine, measured, which is
about what splitting a level over two threads saves. A thread that instead *spins* on a flag in
nogil compiled code sees the other thread's store within a fraction of a microsecond
(0.4 µs round trip measured here; OpenMP runtimes wait the same way before they sleep).

The protocol is the classic one of message passing through shared memory:

* the writer fills the buffers, then ``store_release(flag, i, seq)``: every write before the
  release is visible to a thread that reads ``seq`` with an acquire;
* the reader ``load_acquire(flag, i)`` until it sees ``seq``, then reads the buffers.

Both are single LLVM atomic instructions (``store atomic ... release`` / ``load atomic ...
acquire``): plain moves on x86, ``stlr``/``ldar`` on ARM. A plain NumPy store would not do: the
compiler may keep a plain load out of the spin loop, and a weakly ordered CPU may show the flag
before the data. Waits are bounded (``spins`` iterations with the CPU's spin-wait hint, ``pause``
on x86): the caller decides what to do when a wait runs out (look whether the other thread is
still alive, wait again).

Flags are int64 entries of a NumPy array; give each writer its own 64-byte line (8 entries) so
that two threads' flags do not share a cache line.
"""

from __future__ import annotations

import platform

from . import jit

__all__ = ["LINE", "load_acquire", "store_release", "spin_until", "post", "wait_all"]

LINE = 8                 # int64 entries per 64-byte cache line

# the CPU's spin-wait hint as an LLVM intrinsic: x86 ``pause``, ARM ``yield`` (hint #1)
_MACHINE = platform.machine().lower()
_HINT = ("x86" if _MACHINE in ("x86_64", "amd64", "i386", "i686")
         else "arm" if _MACHINE in ("aarch64", "arm64") else None)


def _flag_pointer(context, builder, sig, args):
    from numba.core import cgutils

    arr_t = sig.args[0]
    arr = context.make_array(arr_t)(context, builder, args[0])
    return cgutils.get_item_pointer(context, builder, arr_t, arr, [args[1]])


def _check_flag(arr, idx):
    from numba import types
    from numba.core.errors import TypingError

    if not (isinstance(arr, types.Array) and arr.dtype == types.int64 and arr.ndim == 1):
        raise TypingError("flags must be a 1-d int64 array")
    if not isinstance(idx, types.Integer):
        raise TypingError("the flag index must be an integer")


@jit.intrinsic
def load_acquire():
    """``flags[i]``, read with acquire order: later reads see what the releasing thread wrote
    before its store. ``load_acquire(flags, i)`` in a kernel."""
    from numba import types
    from numba.extending import intrinsic

    @intrinsic
    def load_acquire(typingctx, arr, idx):
        _check_flag(arr, idx)

        def codegen(context, builder, sig, args):
            ptr = _flag_pointer(context, builder, sig, args)
            return builder.load_atomic(ptr, ordering="acquire", align=8)

        return types.int64(arr, idx), codegen

    return load_acquire


@jit.intrinsic
def store_release():
    """``flags[i] = value`` with release order: everything written before it is visible to a
    thread that reads ``value`` with :func:`load_acquire`. ``store_release(flags, i, value)``
    in a kernel."""
    from numba import types
    from numba.core.errors import TypingError
    from numba.extending import intrinsic

    @intrinsic
    def store_release(typingctx, arr, idx, value):
        _check_flag(arr, idx)
        if not isinstance(value, types.Integer):
            raise TypingError("the flag value must be an integer")

        def codegen(context, builder, sig, args):
            ptr = _flag_pointer(context, builder, sig, args)
            val = context.cast(builder, args[2], sig.args[2], types.int64)
            builder.store_atomic(val, ptr, ordering="release", align=8)
            return context.get_dummy_value()

        return types.void(arr, idx, value), codegen

    return store_release


@jit.intrinsic
def spin_hint():
    """The CPU's spin-wait hint (``pause`` / ``yield``; nothing elsewhere): ``spin_hint()``."""
    from llvmlite import ir
    from numba import types
    from numba.core import cgutils
    from numba.extending import intrinsic

    @intrinsic
    def spin_hint(typingctx):
        def codegen(context, builder, sig, args):
            if _HINT == "x86":
                fn = cgutils.get_or_insert_function(
                    builder.module, ir.FunctionType(ir.VoidType(), []), "llvm.x86.sse2.pause")
                builder.call(fn, [])
            elif _HINT == "arm":
                i32 = ir.IntType(32)
                fn = cgutils.get_or_insert_function(
                    builder.module, ir.FunctionType(ir.VoidType(), [i32]), "llvm.aarch64.hint")
                builder.call(fn, [ir.Constant(i32, 1)])
            return context.get_dummy_value()

        return types.void(), codegen

    return spin_hint


@jit.shared
def spin_until(flags, i, value, spins):
    """Wait until ``flags[i] >= value`` (acquire), at most ``spins`` checks; whether it came.
    (Kernels only: the flags need the atomic load.)"""
    for _ in range(spins):
        if load_acquire(flags, i) >= value:
            return True
        spin_hint()
    return False


@jit.kernel
def post(flags, i, value):
    """``flags[i] = value`` with release order, from Python (the GIL is released first)."""
    store_release(flags, i, value)


@jit.kernel
def wait_all(flags, first, count, value, spins):
    """Wait until ``flags[first + k·LINE] >= value`` for k < ``count``, at most ``spins``
    checks each; whether all came."""
    for k in range(count):
        if not spin_until(flags, first + k * LINE, value, spins):
            return False
    return True
