"""Boosting training time and peak memory: whiteboard against scikit-learn, XGBoost, LightGBM.

Run: ``PYTHONPATH=$PWD python -m benchmarks.bench_boosting [--large] [--repeats R]``; 1 vs 2
threads of whiteboard's booster alone: ``--thread-scan 20000,80000,320000 --repeats 5``.

Data: ``make_classification(n, 20, random_state=0)``, n = 20,000 (and 200,000 with
``--large``, histogram boosters only). Two groups, each round-robin in one process:

* GBDT, 100 stages, depth 3, learning_rate 0.1: whiteboard ``GradientBoostingClassifier``
  against scikit-learn's ``GradientBoostingClassifier`` (same algorithm, exact splits) and
  ``HistGradientBoostingClassifier`` (max_depth=3, max_leaf_nodes=None, no early stopping).
* Second-order histogram boosting, 100 rounds, depth 6, eta 0.3, lambda 1, max_bin 256:
  whiteboard ``XGBoostClassifier`` against XGBoost (``tree_method='hist'``) and LightGBM
  (``num_leaves=64, max_depth=6, min_child_samples=1, min_data_in_bin=1``).

Threads: every fit runs under ``threadpool_limits(t)`` with ``n_jobs=t`` for XGBoost,
LightGBM and whiteboard's ``XGBoostClassifier``, t = 1 and 2 for the histogram group; the GBDT
group runs at t = 1 only (whiteboard and scikit-learn's exact GradientBoosting are
single-threaded; HistGB with 2 threads is in the histogram rows' spirit but not needed for
the goal). Times are medians of the
repeats (wall and ``process_time``: the CPU seconds of all the process's threads, which move
less with the load of a shared machine), ratios are whiteboard / other; the 1-minute load
average is printed with every row. Peak memory: growth of the resident set during one fit
(sampled every 2 ms from /proc/self/statm) in a fresh spawned process per contender, one
thread (tracemalloc would miss the C++ allocations of XGBoost and LightGBM).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import warnings

import lightgbm as lgb
import numpy as np

from benchmarks._rss import in_spawned_process, peak_rss_growth_mb
import xgboost as xgb
from sklearn import ensemble as ske
from sklearn.datasets import make_classification
from threadpoolctl import threadpool_limits

from whiteboard import jit
from whiteboard.ml.ensemble import GradientBoostingClassifier, XGBoostClassifier


def _gbdt(name, threads):
    if name == "whiteboard GBDT":
        return GradientBoostingClassifier(n_estimators=100, max_depth=3, learning_rate=0.1)
    if name == "sklearn GradientBoosting":
        return ske.GradientBoostingClassifier(n_estimators=100, max_depth=3, learning_rate=0.1,
                                              random_state=0)
    return ske.HistGradientBoostingClassifier(max_iter=100, max_depth=3, max_leaf_nodes=None,
                                              learning_rate=0.1, early_stopping=False)


def _hist(name, threads):
    kw = dict(n_estimators=100, learning_rate=0.3, reg_lambda=1.0, max_bin=256)
    if name.startswith("whiteboard XGBoost-style"):
        return XGBoostClassifier(max_depth=6, n_jobs=threads, **kw)
    if name == "xgboost hist":
        return xgb.XGBClassifier(max_depth=6, tree_method="hist", n_jobs=threads, **kw)
    return lgb.LGBMClassifier(max_depth=6, num_leaves=64, min_child_samples=1,
                              min_data_in_bin=1, min_child_weight=1.0, n_jobs=threads,
                              verbose=-1, **kw)


NUMPY_PATH = "whiteboard XGBoost-style, NumPy path"    # the same booster, kernels off


def _fit(name, est, X, y):
    """Fit, on the pure-NumPy path for the ``NUMPY_PATH`` contender."""
    with jit.flags(enabled=jit.enabled() and name != NUMPY_PATH):
        return est.fit(X, y)


GROUPS = {
    "gbdt": (_gbdt, ["whiteboard GBDT", "sklearn GradientBoosting", "sklearn HistGB"]),
    "hist": (_hist, ["whiteboard XGBoost-style", NUMPY_PATH, "xgboost hist", "lightgbm"]),
}


def _data(n):
    return make_classification(n, 20, random_state=0)



def _peak_child(group, name, n, queue):
    warnings.simplefilter("ignore")
    make = GROUPS[group][0]
    X, y = _data(n)
    make(name, 1).set_params(**({"n_estimators": 2} if "HistGB" not in name
                                else {"max_iter": 2})).fit(X[:500], y[:500])    # warm-up
    with threadpool_limits(1):
        queue.put(peak_rss_growth_mb(lambda: _fit(name, make(name, 1), X, y)))


def peak_memory_mb(group, name, n):
    return in_spawned_process(_peak_child, group, name, n)


def time_group(group, n, threads, repeats):
    make, names = GROUPS[group]
    X, y = _data(n)
    times = {name: [] for name in names}
    cpu = {name: [] for name in names}
    acc = {}
    with threadpool_limits(threads), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(repeats):
            for name in names:                       # round-robin
                est = make(name, threads)
                t0, c0 = time.perf_counter(), time.process_time()
                _fit(name, est, X, y)
                times[name].append(time.perf_counter() - t0)
                cpu[name].append(time.process_time() - c0)
                acc[name] = est.score(X, y)
    return ({name: statistics.median(v) for name, v in times.items()},
            {name: statistics.median(v) for name, v in cpu.items()}, acc)


def thread_scan(sizes, repeats):
    """whiteboard's booster alone, n_jobs 1 and 2 alternating in this process (BLAS at 1
    thread): median wall and CPU seconds per size, and the 2-thread / 1-thread wall ratio."""
    print("| n | 1 thread wall / CPU (s) | 2 threads wall / CPU (s) | 2 / 1 wall | "
          "2 / 1 CPU | load (1 min) |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        X, y = _data(n)
        wall, cpu = {1: [], 2: []}, {1: [], 2: []}
        with threadpool_limits(1):
            for _ in range(repeats):
                for t in (1, 2):
                    est = _hist("whiteboard XGBoost-style", t)
                    t0, c0 = time.perf_counter(), time.process_time()
                    est.fit(X, y)
                    wall[t].append(time.perf_counter() - t0)
                    cpu[t].append(time.process_time() - c0)
        w1, w2 = statistics.median(wall[1]), statistics.median(wall[2])
        c1, c2 = statistics.median(cpu[1]), statistics.median(cpu[2])
        print(f"| {n:,} | {w1:.3f} / {c1:.3f} | {w2:.3f} / {c2:.3f} | {w2 / w1:.2f} | "
              f"{c2 / c1:.2f} | {os.getloadavg()[0]:.1f} |", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--large", action="store_true", help="also 200,000 x 20 (hist only)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-memory", action="store_true")
    parser.add_argument("--hist-only", action="store_true", help="skip the GBDT group")
    parser.add_argument("--thread-scan", metavar="SIZES",
                        help="only whiteboard's booster, 1 vs 2 threads at these n, e.g. "
                             "20000,80000,320000 (medians of --repeats)")
    args = parser.parse_args()
    if args.thread_scan:
        _hist("whiteboard XGBoost-style", 2).set_params(n_estimators=2).fit(*_data(2_000))
        thread_scan([int(v) for v in args.thread_scan.split(",")], args.repeats)
        return
    print(f"# boosting benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"{platform.machine()}, numpy {np.__version__}, xgboost {xgb.__version__}, "
          f"lightgbm {lgb.__version__}")
    Xw, yw = _data(2_000)
    t0 = time.perf_counter()
    _hist("whiteboard XGBoost-style", 1).set_params(n_estimators=2).fit(Xw, yw)
    print(f"# first fit of the process (loads the cached kernels, or compiles them on a new "
          f"machine): {time.perf_counter() - t0:.2f} s, jit {'on' if jit.enabled() else 'off'}")
    runs = [("gbdt", 20_000, max(1, args.repeats - 2)), ("hist", 20_000, args.repeats)]
    if args.hist_only:
        runs = runs[1:]
    if args.large:
        runs.append(("hist", 200_000, 1))
    print("| group | n | threads | contender | fit time (s) | ratio wb/other | CPU (s) |"
          " CPU ratio | train acc | peak RSS growth (MB, 1 thread) | load (1 min) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for group, n, repeats in runs:
        names = GROUPS[group][1]
        mem = {} if args.no_memory else {name: peak_memory_mb(group, name, n)
                                         for name in names}
        for threads in ((1,) if group == "gbdt" else (1, 2)):
            med, cpu, acc = time_group(group, n, threads, repeats)
            load = os.getloadavg()[0]
            wb, wbc = med[names[0]], cpu[names[0]]
            for name in names:
                ratio = "" if name == names[0] else f"{wb / med[name]:.2f}"
                cratio = "" if name == names[0] else f"{wbc / cpu[name]:.2f}"
                m = f"{mem[name]:.0f}" if name in mem else "-"
                print(f"| {group} | {n} | {threads} | {name} | {med[name]:.3f} | {ratio} | "
                      f"{cpu[name]:.3f} | {cratio} | {acc[name]:.4f} | {m} | {load:.1f} |",
                      flush=True)


if __name__ == "__main__":
    main()
