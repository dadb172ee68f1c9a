"""SMOTE (and Borderline-SMOTE) on 100,000 x 20: whiteboard against imbalanced-learn.

    PYTHONPATH=$PWD /work/main/.venv/bin/python -m benchmarks.bench_imbalance [--repeats 3]

Same data for both (make_classification, float64), contenders run round-robin in one process,
median wall time of the repeats, BLAS/OpenMP threads limited with threadpoolctl (1, then 2).
Peak memory is tracemalloc's peak of Python/NumPy allocations during one call.
"""

from __future__ import annotations

import argparse
import platform
import time
import tracemalloc
import warnings

import numpy as np
from imblearn.over_sampling import SMOTE as ImbSMOTE
from imblearn.over_sampling import BorderlineSMOTE as ImbBorderlineSMOTE
from sklearn.datasets import make_classification
from threadpoolctl import threadpool_limits

from whiteboard.imbalance import SMOTE, BorderlineSMOTE

WORKLOADS = {
    "SMOTE, minority 10%": (
        [0.9, 0.1], lambda: SMOTE(random_state=0), lambda: ImbSMOTE(random_state=0)),
    "Borderline-SMOTE-1, minority 5%": (
        [0.95, 0.05], lambda: BorderlineSMOTE(random_state=0),
        lambda: ImbBorderlineSMOTE(random_state=0)),
}


def _time(make, X, y):
    sampler = make()
    start = time.perf_counter()
    X_res, _ = sampler.fit_resample(X, y)
    return time.perf_counter() - start, X_res.shape[0]


def _peak(make, X, y):
    tracemalloc.start()
    make().fit_resample(X, y)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main(repeats=3, threads=(1, 2), n_samples=100_000, n_features=20):
    warnings.simplefilter("ignore")
    rows = []
    for name, (weights, ours, theirs) in WORKLOADS.items():
        X, y = make_classification(n_samples=n_samples, n_features=n_features,
                                   n_informative=10, weights=weights, random_state=0)
        for n_threads in threads:
            with threadpool_limits(n_threads):
                times = {"whiteboard": [], "imbalanced-learn": []}
                sizes = {}
                for _ in range(repeats):
                    for label, make in (("whiteboard", ours), ("imbalanced-learn", theirs)):
                        t, size = _time(make, X, y)
                        times[label].append(t)
                        sizes[label] = size
                assert sizes["whiteboard"] == sizes["imbalanced-learn"], sizes
                mem = {label: _peak(make, X, y) for label, make in
                       (("whiteboard", ours), ("imbalanced-learn", theirs))}
            med = {k: float(np.median(v)) for k, v in times.items()}
            rows.append((name, n_threads, med["whiteboard"], med["imbalanced-learn"],
                         med["whiteboard"] / med["imbalanced-learn"], mem["whiteboard"],
                         mem["imbalanced-learn"], sizes["whiteboard"]))
    header = ("| workload (100,000 x 20) | threads | whiteboard s | imbalanced-learn s | ratio "
              "wb/imb | wb peak MiB | imb peak MiB | rows out |")
    print(f"{platform.processor() or platform.machine()}, numpy {np.__version__}, "
          f"median of {repeats}")
    print(header)
    print("|" + "---|" * 8)
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]:.3f} | {r[3]:.3f} | {r[4]:.2f} | {r[5]:.0f} | "
              f"{r[6]:.0f} | {r[7]} |")
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    main(repeats=args.repeats)
