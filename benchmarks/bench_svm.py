"""SVC (RBF) training time: whiteboard's SMO (both paths) against scikit-learn's LIBSVM.

Run: ``PYTHONPATH=$PWD OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python -m benchmarks.bench_svm
[--quick] [--threads 1 2] [--baseline PATH] [--no-memory]``

Cases: ``make_classification(n, 20, random_state=0)`` for n = 2,000 and 10,000 (two classes),
and a three-class one-vs-one case, ``make_classification(3000, 20, n_informative=5,
n_classes=3, random_state=0)``. Both libraries use C=1, gamma='scale', tol=1e-3, shrinking,
cache_size=200 MB. Contenders run round-robin in one process under
``threadpoolctl.threadpool_limits(t)``; the table gives the median wall time and the median CPU
time (``time.process_time``, steadier than wall time on a shared machine) of the repeats, and
the ratios whiteboard / scikit-learn, with the load average at the start and end of the case.
``--baseline PATH`` adds a second copy of whiteboard (e.g. a ``git worktree`` of the base
commit) as a further contender in the same round-robin, for before/after figures.

whiteboard runs twice: with its compiled SMO loop (``whiteboard.jit``, Numba; the default
where Numba is installed) and on the pure-NumPy path (``jit.disabled()``); both fit the same
model. The compiled loop is warm (``cache=True`` keeps the machine code between processes); its
one-time compile is timed separately, in a fresh process with an empty Numba cache. Prediction
(``decision_function`` on the training set) is timed beside the fit.

Peak memory is the growth of the resident set size during one fit (sampled every 2 ms from
/proc/self/statm), measured in a fresh spawned process per contender (tracemalloc would miss
LIBSVM's C++ allocations). Both fits are checked to give the same support vectors, and the
number of SMO iterations (summed over the one-vs-one pairs) is reported.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import statistics
import sys
import time

import numpy as np

from benchmarks._rss import in_spawned_process, peak_rss_growth_mb
from sklearn.datasets import make_classification
from sklearn.svm import SVC as SkSVC
from threadpoolctl import threadpool_limits

from whiteboard import jit
from whiteboard.ml.svm import SVC


class NumPySVC(SVC):
    """whiteboard's SVC fitted and evaluated on the pure-NumPy path."""

    def fit(self, X, y, sample_weight=None):
        with jit.disabled():
            return super().fit(X, y, sample_weight)


CONTENDERS = {"whiteboard": SVC, "whiteboard NumPy": NumPySVC, "sklearn": SkSVC}
CASES = {"2000x20": (2000, 2), "10000x20": (10000, 2), "3000x20 3-class": (3000, 3)}


def _data(case):
    n, k = CASES[case]
    if k == 2:
        return make_classification(n, 20, random_state=0)
    return make_classification(n, 20, n_informative=5, n_classes=k, random_state=0)


def _load_baseline(path):
    """The ``SVC`` class of another whiteboard checkout, imported beside this one."""
    saved = {k: v for k, v in sys.modules.items()
             if k == "whiteboard" or k.startswith("whiteboard.")}
    for k in saved:
        del sys.modules[k]
    sys.path.insert(0, os.path.abspath(path))
    try:
        cls = importlib.import_module("whiteboard.ml.svm").SVC
    finally:
        sys.path.pop(0)
        for k in [k for k in sys.modules if k == "whiteboard" or k.startswith("whiteboard.")]:
            del sys.modules[k]
        sys.modules.update(saved)
    return cls



def _peak_child(name, case, queue):
    X, y = _data(case)
    CONTENDERS[name]().fit(X[:50], y[:50])  # warm imports and first-call allocations
    with threadpool_limits(1):
        queue.put(peak_rss_growth_mb(lambda: CONTENDERS[name]().fit(X, y)))


def peak_memory_mb(name, case):
    return in_spawned_process(_peak_child, name, case)


def compile_seconds():
    """Wall time of the first fit in a fresh process with an empty Numba cache, minus a warm fit."""
    import subprocess
    import tempfile

    code = ("import time; from sklearn.datasets import make_classification; "
            "from whiteboard.ml.svm import SVC; "
            "X, y = make_classification(200, 20, random_state=0); "
            "t = time.perf_counter(); SVC().fit(X, y); a = time.perf_counter() - t; "
            "t = time.perf_counter(); SVC().fit(X, y); print(a - (time.perf_counter() - t))")
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                             text=True, check=True)
    return float(out.stdout.strip())


def bench(cases, threads, repeats, contenders):
    rows = []
    for case in cases:
        X, y = _data(case)
        ref = SkSVC().fit(X, y)
        ours = SVC().fit(X, y)
        same = np.array_equal(ref.support_, ours.support_)
        for t in threads:
            wall = {k: [] for k in contenders}
            cpu = {k: [] for k in contenders}
            pred = {k: [] for k in contenders}
            load0 = os.getloadavg()[0]
            with threadpool_limits(t):
                for cls in contenders.values():
                    cls().fit(X[:200], y[:200])
                for _ in range(repeats):
                    for name, cls in contenders.items():
                        w, c = time.perf_counter(), time.process_time()
                        model = cls().fit(X, y)
                        cpu[name].append(time.process_time() - c)
                        wall[name].append(time.perf_counter() - w)
                        c = time.process_time()
                        model.decision_function(X)
                        pred[name].append(time.process_time() - c)
            row = {"case": case, "threads": t, "load": (load0, os.getloadavg()[0]),
                   "iters": int(np.sum(ours.n_iter_)), "n_sv": len(ours.support_),
                   "same_sv": same}
            for name in contenders:
                row[name] = (statistics.median(wall[name]), statistics.median(cpu[name]))
                row[name + " predict"] = statistics.median(pred[name])
            rows.append(row)
            print(row, flush=True)
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="2,000 samples only, 3 repeats")
    parser.add_argument("--threads", type=int, nargs="+", default=[1])
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--baseline", help="path of another whiteboard checkout to time beside")
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args()
    cases = ["2000x20"] if args.quick else list(CASES)
    repeats = args.repeats or (3 if args.quick else 7)
    contenders = dict(CONTENDERS)
    if args.baseline:
        contenders["baseline"] = _load_baseline(args.baseline)
    rows = bench(cases, args.threads, repeats, contenders)
    print(f"\n{platform.processor() or platform.machine()}, {time.strftime('%Y-%m-%d %H:%M')}, "
          f"median of {repeats}, load average at start/end of each case")
    others = [k for k in contenders if k != "sklearn"]
    head = "".join(f" {k} wall / CPU (s) | ratio wall (CPU) |" for k in others)
    print(f"| case | threads | load | scikit-learn wall / CPU (s) |{head} SMO iterations | n_SV "
          "| same SVs |")
    print("|---|---|---|---|" + "---|---|" * len(others) + "---|---|---|")
    for r in rows:
        sw, sc = r["sklearn"]
        cells = [r["case"], str(r["threads"]), f"{r['load'][0]:.1f}-{r['load'][1]:.1f}",
                 f"{sw:.3f} / {sc:.3f}"]
        for k in others:
            w, c = r[k]
            cells += [f"{w:.3f} / {c:.3f}", f"{w / sw:.2f} ({c / sc:.2f})"]
        cells += [str(r["iters"]), str(r["n_sv"]), "yes" if r["same_sv"] else "no"]
        print("| " + " | ".join(cells) + " |")
    print("\n| case | decision_function on the training set, CPU (ms): "
          + " | ".join(contenders) + " |")
    print("|---|" + "---|" * len(contenders))
    for r in rows:
        print(f"| {r['case']} | "
              + " | ".join(f"{1e3 * r[k + ' predict']:.1f}" for k in contenders) + " |")
    if jit.available():
        print(f"\nfirst-call compile of the SMO kernels (empty Numba cache): "
              f"{compile_seconds():.2f} s wall")
    if args.no_memory:
        return
    mem = {(name, c): peak_memory_mb(name, c) for c in cases for name in CONTENDERS}
    print("\n| case | peak RSS growth during fit (MB): " + " | ".join(CONTENDERS) + " |")
    print("|---|" + "---|" * len(CONTENDERS))
    for c in cases:
        print(f"| {c} | " + " | ".join(f"{mem[(k, c)]:.1f}" for k in CONTENDERS) + " |")


if __name__ == "__main__":
    main()
