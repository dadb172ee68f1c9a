"""SVC (RBF) training time: whiteboard's SMO against scikit-learn's LIBSVM.

Run: ``PYTHONPATH=$PWD python -m benchmarks.bench_svm [--quick]``

Data: ``make_classification(n, 20, random_state=0)`` for n = 2,000 and 10,000; both libraries
use C=1, gamma='scale', tol=1e-3, shrinking, cache_size=200 MB. Contenders run round-robin in
one process under ``threadpoolctl.threadpool_limits(t)`` for t = 1 and 2; the table gives the
median of the repeats and the ratio whiteboard / scikit-learn. Peak memory is the growth of the
resident set size during one fit (sampled every 2 ms from /proc/self/statm), measured in a fresh
spawned process per contender (tracemalloc would miss LIBSVM's C++ allocations). Both fits are checked to give the same
support vectors and the number of SMO iterations is reported.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import resource
import statistics
import threading
import time

import numpy as np
from sklearn.datasets import make_classification
from sklearn.svm import SVC as SkSVC
from threadpoolctl import threadpool_limits

from whiteboard.ml.svm import SVC

CONTENDERS = {"whiteboard": SVC, "sklearn": SkSVC}


def _data(n):
    return make_classification(n, 20, random_state=0)


def _rss_mb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def _peak_child(name, n, queue):
    X, y = _data(n)
    CONTENDERS[name]().fit(X[:50], y[:50])  # warm imports and first-call allocations
    peak = [0.0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _rss_mb())
            time.sleep(0.002)

    with threadpool_limits(1):
        base = _rss_mb()
        sampler = threading.Thread(target=sample)
        sampler.start()
        CONTENDERS[name]().fit(X, y)
        done.set()
        sampler.join()
    queue.put(max(peak[0], _rss_mb()) - base)


def peak_memory_mb(name, n):
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_peak_child, args=(name, n, queue))
    proc.start()
    out = queue.get()
    proc.join()
    return out


def bench(sizes, threads, repeats):
    rows = []
    for n in sizes:
        X, y = _data(n)
        ref = SkSVC().fit(X, y)
        ours = SVC().fit(X, y)
        same = np.array_equal(ref.support_, ours.support_)
        for t in threads:
            times = {k: [] for k in CONTENDERS}
            with threadpool_limits(t):
                for _ in range(repeats):
                    for name, cls in CONTENDERS.items():
                        start = time.perf_counter()
                        cls().fit(X, y)
                        times[name].append(time.perf_counter() - start)
            med = {k: statistics.median(v) for k, v in times.items()}
            rows.append({
                "n": n, "threads": t, "wb": med["whiteboard"], "sk": med["sklearn"],
                "ratio": med["whiteboard"] / med["sklearn"], "n_sv": len(ours.support_),
                "iters": int(ours.n_iter_[0]), "same_sv": same,
            })
            print(rows[-1], flush=True)
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="2,000 samples only, 1 repeat")
    args = parser.parse_args()
    sizes = [2000] if args.quick else [2000, 10000]
    repeats = 1 if args.quick else 3
    rows = bench(sizes, [1, 2], repeats)
    mem = {(name, n): peak_memory_mb(name, n) for n in sizes for name in CONTENDERS}
    print(f"\n{platform.processor() or platform.machine()}, {time.strftime('%Y-%m-%d')}, "
          f"median of {repeats}")
    print("| n × d | threads | whiteboard (s) | scikit-learn (s) | ratio | SMO iterations | "
          "n_SV | same SVs |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['n']} × 20 | {r['threads']} | {r['wb']:.3f} | {r['sk']:.3f} | "
              f"{r['ratio']:.2f} | {r['iters']} | {r['n_sv']} | {r['same_sv']} |")
    print("\n| n × d | whiteboard peak RSS growth during fit (MB) | scikit-learn peak RSS growth during fit (MB) |")
    print("|---|---|---|")
    for n in sizes:
        print(f"| {n} × 20 | {mem[('whiteboard', n)]:.1f} | {mem[('sklearn', n)]:.1f} |")


if __name__ == "__main__":
    main()
