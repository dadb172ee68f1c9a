"""Peak resident memory of one call, for the benchmarks' memory columns.

tracemalloc sees only Python's allocator; the peers (scikit-learn's Cython buffers, LightGBM,
LIBSVM) allocate in C/C++, so the benchmarks read the resident set size instead: a thread
samples /proc/self/statm every 2 ms while the call runs, in a fresh (spawned) process per
contender so that earlier allocations do not hide the peak."""

from __future__ import annotations

import resource
import threading
import time


def rss_mb():
    """Resident set size of this process in MiB (Linux: /proc/self/statm)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def peak_rss_growth_mb(call, interval=0.002):
    """Run ``call()`` and return the peak RSS during it minus the RSS just before (MiB, >= 0)."""
    base = rss_mb()
    peak = [base]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], rss_mb())
            time.sleep(interval)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        call()
    finally:
        done.set()
        sampler.join()
    return max(peak[0], rss_mb()) - base


def in_spawned_process(target, *args):
    """``target(*args, queue)`` in a fresh spawned process; returns what it put on the queue."""
    import multiprocessing as mp
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    value = queue.get()
    proc.join()
    return value
