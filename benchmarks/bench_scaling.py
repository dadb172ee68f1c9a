"""Scaling with n: whiteboard against its production peer at n = 20k, 80k, 320k (, 1.28M).

Run: ``PYTHONPATH=$PWD OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python -m benchmarks.bench_scaling
[--only tree,forest,kmeans,booster] [--sizes 20000,80000,320000,1280000] [--no-memory]``.

- Data: ``make_classification(n, 20, n_informative=10, random_state=0)`` (tree, forest,
  booster); for KMeans 8 Gaussian blobs in 20 dimensions (centres ``N(0, 4^2)``, unit noise)
  with one fixed array of initial centres shared by both contenders.
- Workloads (peer in brackets): DecisionTreeClassifier depth 8 (sklearn's);
  RandomForestClassifier 10 trees depth 8, n_jobs=1 (sklearn's; 10 trees, not 50, so that
  1.28M stays affordable; the 50-tree figure at 20k is in docs/benchmarks/tree.md);
  KMeans k=8, n_init=1, max_iter=100, tol=0 (sklearn lloyd: both stop at the same fixed
  point); the XGBoost-style hist booster 100 x depth 6, learning rate 0.3, 256 bins
  (LightGBM, num_leaves=64, max_depth=6, min_child_samples=1, as in bench_boosting.py);
  the booster runs its compiled kernels where Numba is installed, ``WHITEBOARD_JIT=0`` in
  the environment measures its pure-NumPy path (the header says which).
- Time: 1 thread (``threadpool_limits(1)``, ``n_jobs=1``); within each n the contenders run
  round-robin in one process; median of ``repeats(n)`` (3 up to 80k, 2 at 320k, 1 above).
  Wall and CPU (``time.process_time``) seconds and both ratios.
- Peak memory: one more fit per contender in a fresh (spawned) process that loads the data
  from an .npy file; the figure is the peak resident set size during the fit minus the RSS
  just before it (sampled every 2 ms from /proc/self/statm), so it counts C/C++ allocations
  (scikit-learn's Cython buffers, LightGBM) as well as NumPy's.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
import warnings

import numpy as np

from benchmarks._rss import in_spawned_process, peak_rss_growth_mb
from whiteboard import jit


def _kmeans_data(n):
    rng = np.random.default_rng(0)
    k, d = 8, 20
    centres = rng.normal(scale=4.0, size=(k, d))
    X = centres[rng.integers(0, k, n)] + rng.normal(size=(n, d))
    init = X[rng.choice(n, k, replace=False)]
    return X, init


def _class_data(n):
    from sklearn.datasets import make_classification
    return make_classification(n, 20, n_informative=10, random_state=0)


def make(workload, contender, extra):
    """A fresh estimator; ``extra`` holds the KMeans initial centres."""
    if workload == "tree":
        if contender == "whiteboard":
            from whiteboard.ml.tree import DecisionTreeClassifier
            return DecisionTreeClassifier(max_depth=8, random_state=0)
        from sklearn.tree import DecisionTreeClassifier
        return DecisionTreeClassifier(max_depth=8, random_state=0)
    if workload == "forest":
        if contender == "whiteboard":
            from whiteboard.ml.ensemble import RandomForestClassifier
        else:
            from sklearn.ensemble import RandomForestClassifier
        return RandomForestClassifier(10, max_depth=8, n_jobs=1, random_state=0)
    if workload == "kmeans":
        if contender == "whiteboard":
            from whiteboard.ml.cluster import KMeans
            return KMeans(8, init=extra, n_init=1, max_iter=100, tol=0.0)
        from sklearn.cluster import KMeans
        return KMeans(8, init=extra, n_init=1, max_iter=100, tol=0.0, algorithm="lloyd")
    kw = dict(n_estimators=100, learning_rate=0.3, reg_lambda=1.0, max_bin=256)
    if contender == "whiteboard":
        from whiteboard.ml.ensemble import XGBoostClassifier
        return XGBoostClassifier(max_depth=6, n_jobs=1, **kw)
    import lightgbm as lgb
    return lgb.LGBMClassifier(max_depth=6, num_leaves=64, min_child_samples=1,
                              min_data_in_bin=1, min_child_weight=1.0, n_jobs=1, verbose=-1,
                              **kw)


PEERS = {"tree": "scikit-learn", "forest": "scikit-learn", "kmeans": "scikit-learn lloyd",
         "booster": "LightGBM"}
TITLES = {"tree": "DecisionTreeClassifier depth 8",
          "forest": "RandomForestClassifier 10 x depth 8, n_jobs=1",
          "kmeans": "KMeans k=8, 1 init, max_iter 100, tol 0",
          "booster": "hist booster 100 x depth 6 (XGBoost-style)"}


def data(workload, n):
    """``(X, y, extra)``: y is None for KMeans, extra its initial centres."""
    if workload == "kmeans":
        X, init = _kmeans_data(n)
        return X, None, init
    X, y = _class_data(n)
    return X, y, None


def _fit(est, X, y):
    return est.fit(X) if y is None else est.fit(X, y)



def _peak_child(workload, contender, path, queue):
    from threadpoolctl import threadpool_limits
    warnings.simplefilter("ignore")
    blob = np.load(path, allow_pickle=False)
    X = blob["X"]
    y = blob["y"] if "y" in blob.files else None
    extra = blob["extra"] if "extra" in blob.files else None
    small = 500
    _fit(make(workload, contender, extra), X[:small], None if y is None else y[:small])
    with threadpool_limits(1):
        est = make(workload, contender, extra)
        queue.put(peak_rss_growth_mb(lambda: _fit(est, X, y)))


def peak_memory_mb(workload, contender, path):
    return in_spawned_process(_peak_child, workload, contender, path)


def repeats_for(n):
    return 3 if n <= 80_000 else 2 if n <= 320_000 else 1


def time_round_robin(workload, X, y, extra, repeats):
    """Median wall and CPU seconds of each contender, round-robin in this process."""
    from threadpoolctl import threadpool_limits
    names = ("whiteboard", "peer")
    wall = {k: [] for k in names}
    cpu = {k: [] for k in names}
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(repeats):
            for name in names:
                est = make(workload, name, extra)
                t0, c0 = time.perf_counter(), time.process_time()
                _fit(est, X, y)
                wall[name].append(time.perf_counter() - t0)
                cpu[name].append(time.process_time() - c0)
    return ({k: statistics.median(v) for k, v in wall.items()},
            {k: statistics.median(v) for k, v in cpu.items()})


def run(workloads, sizes, memory):
    rows = []
    tmp = tempfile.mkdtemp(prefix="bench_scaling_")
    for workload in workloads:
        for n in sizes:
            X, y, extra = data(workload, n)
            reps = repeats_for(n)
            load0 = os.getloadavg()[0]
            wall, cpu = time_round_robin(workload, X, y, extra, reps)
            mem = {"whiteboard": float("nan"), "peer": float("nan")}
            if memory:
                path = os.path.join(tmp, f"{workload}_{n}.npz")
                arrays = {"X": X}
                if y is not None:
                    arrays["y"] = y
                if extra is not None:
                    arrays["extra"] = extra
                np.savez(path, **arrays)
                mem = {k: peak_memory_mb(workload, k, path) for k in mem}
                os.remove(path)
            load1 = os.getloadavg()[0]
            row = (workload, n, reps, wall["whiteboard"], wall["peer"], cpu["whiteboard"],
                   cpu["peer"], mem["whiteboard"], mem["peer"], max(load0, load1))
            rows.append(row)
            print(f"{TITLES[workload]:<46} n={n:>9,} reps={reps}  wall {row[3]:8.3f} / "
                  f"{row[4]:8.3f} = {row[3] / row[4]:5.2f}  cpu {row[5]:8.3f} / {row[6]:8.3f} "
                  f"= {row[5] / row[6]:5.2f}  peak MB {row[7]:8.1f} / {row[8]:8.1f}  "
                  f"load {row[9]:.1f}", flush=True)
    return rows


def markdown(rows):
    out = []
    for workload in dict.fromkeys(r[0] for r in rows):
        out.append(f"\n{TITLES[workload]} vs {PEERS[workload]}, 20 features, 1 thread\n")
        out.append("| n | repeats | whiteboard wall (s) | peer wall (s) | wall ratio | "
                   "whiteboard CPU (s) | peer CPU (s) | CPU ratio | peak MB whiteboard | "
                   "peak MB peer | load (1 min) |")
        out.append("|---|---|---|---|---|---|---|---|---|---|---|")
        for w, n, reps, wa, wb, ca, cb, ma, mb, load in rows:
            if w == workload:
                out.append(f"| {n:,} | {reps} | {wa:.3f} | {wb:.3f} | {wa / wb:.2f} | "
                           f"{ca:.3f} | {cb:.3f} | {ca / cb:.2f} | {ma:.1f} | {mb:.1f} | "
                           f"{load:.1f} |")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="tree,forest,kmeans,booster")
    parser.add_argument("--sizes", default="20000,80000,320000,1280000")
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()
    workloads = [w for w in args.only.split(",") if w]
    unknown = set(workloads) - set(TITLES)
    if unknown:
        parser.error(f"--only: unknown workloads {sorted(unknown)}")
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"# scaling benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"{platform.machine()}, {os.cpu_count()} cores, numpy {np.__version__}, "
          f"1 thread, whiteboard.jit {'on' if jit.enabled() else 'off'}", flush=True)
    rows = run(workloads, sizes, not args.no_memory)
    print(markdown(rows))


if __name__ == "__main__":
    main()
