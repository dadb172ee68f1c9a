"""Trees and forests: whiteboard against scikit-learn, same data, same threads.

Run: ``PYTHONPATH=$PWD python -m benchmarks.bench_tree [--quick]``. Contenders run round-robin
in one process (median of repeats); BLAS/OpenMP pools are limited with threadpoolctl; peak
memory is the tracemalloc peak of one extra fit (NumPy allocations; scikit-learn's Cython
buffers allocated with malloc are not all seen by tracemalloc, so its figure is a lower bound).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import tracemalloc

import numpy as np
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier as SkForest
from sklearn.tree import DecisionTreeClassifier as SkTree
from threadpoolctl import threadpool_limits

from whiteboard.ml.ensemble import RandomForestClassifier
from whiteboard.ml.tree import DecisionTreeClassifier


def _time(make, X, y, repeats):
    """Wall and CPU seconds (``time.process_time``: all threads of the process) per fit."""
    times, cpus = [], []
    for _ in range(repeats):
        est = make()
        t0, c0 = time.perf_counter(), time.process_time()
        est.fit(X, y)
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return times, cpus, est


def _peak_mb(make, X, y):
    tracemalloc.start()
    make().fit(X, y)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def run(cases, repeats):
    rows = []
    for title, n, f, ours, theirs, threads in cases:
        X, y = make_classification(n, f, n_informative=10, random_state=0)
        with threadpool_limits(threads):
            t_ours, t_theirs, c_ours, c_theirs = [], [], [], []
            for _ in range(repeats):          # round-robin: noise hits both alike
                a, ca, est_a = _time(ours, X, y, 1)
                b, cb, est_b = _time(theirs, X, y, 1)
                t_ours += a
                t_theirs += b
                c_ours += ca
                c_theirs += cb
            acc = (est_a.score(X, y), est_b.score(X, y))
            mem = (_peak_mb(ours, X, y), _peak_mb(theirs, X, y))
        mo, mt = statistics.median(t_ours), statistics.median(t_theirs)
        co, ct = statistics.median(c_ours), statistics.median(c_theirs)
        load = os.getloadavg()[0]
        rows.append((title, f"{n:,} x {f}", threads, mo, mt, mo / mt, co, ct, co / ct, mem[0],
                     mem[1], *acc, load))
        print(f"{title:<34} {n:>8,} x {f:<3} thr={threads}  whiteboard {mo:7.3f}s  "
              f"sklearn {mt:7.3f}s  ratio {mo / mt:5.2f}  CPU {co:7.3f}s / {ct:7.3f}s = "
              f"{co / ct:5.2f}  peak MB {mem[0]:7.1f} / {mem[1]:7.1f}  "
              f"train acc {acc[0]:.4f} / {acc[1]:.4f}  load {load:.1f}", flush=True)
    return rows


def markdown(rows):
    head = ("| workload | data | threads | whiteboard (s) | scikit-learn (s) | ratio | "
            "CPU whiteboard (s) | CPU sklearn (s) | CPU ratio | "
            "peak MB whiteboard | peak MB sklearn (tracemalloc) | train acc wb / sk | load |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    return head + "".join(
        f"| {t} | {d} | {th} | {a:.3f} | {b:.3f} | {r:.2f} | {ca:.3f} | {cb:.3f} | {cr:.2f} | "
        f"{ma:.1f} | {mb:.1f} | {aa:.4f} / {ab:.4f} | {ld:.1f} |\n"
        for t, d, th, a, b, r, ca, cb, cr, ma, mb, aa, ab, ld in rows)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="one repeat, no 200k tree")
    parser.add_argument("--only", choices=["tree", "forest"], default=None)
    parser.add_argument("--trees", type=lambda s: [int(t) for t in s.split(",")],
                        default=[50], help="forest sizes, e.g. 50,100 (issue 18: 50)")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    tree_cases = [
        ("DecisionTreeClassifier depth 8", 20_000, 20,
         lambda: DecisionTreeClassifier(max_depth=8, random_state=0),
         lambda: SkTree(max_depth=8, random_state=0), 1),
    ]
    if not args.quick:
        tree_cases.append(("DecisionTreeClassifier depth 8", 200_000, 20,
                           lambda: DecisionTreeClassifier(max_depth=8, random_state=0),
                           lambda: SkTree(max_depth=8, random_state=0), 1))
    forest_cases = [
        (f"RandomForest {b} trees depth 8 n_jobs={j}", 20_000, 20,
         lambda j=j, b=b: RandomForestClassifier(b, max_depth=8, n_jobs=j, random_state=0),
         lambda j=j, b=b: SkForest(b, max_depth=8, n_jobs=j, random_state=0), j)
        for b in args.trees for j in (1, 2)
    ]
    cases = {"tree": tree_cases, "forest": forest_cases}.get(args.only, tree_cases + forest_cases)
    print(f"{platform.processor() or platform.machine()}, numpy {np.__version__}, "
          f"median of {repeats}", flush=True)
    rows = run(cases, repeats)
    print()
    print(markdown(rows))


if __name__ == "__main__":
    main()
