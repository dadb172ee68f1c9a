"""KMeans (Lloyd) and roc_auc_score: whiteboard vs scikit-learn, same data, same threads.

Run: PYTHONPATH=$PWD python -m benchmarks.bench_metrics_cluster [--quick]

Workloads
- KMeans: k = 8, 200,000 × 20 Gaussian blobs, one init (the same initial centres array for
  both, n_init=1), max_iter=100, tol=0 (both stop at the same fixed point or after 100 steps;
  the iteration counts are printed and must agree).
- roc_auc_score: 1,000,000 scores with ties (rounded to 3 decimals), binary labels.
- TSNE (exact gradient, both): the first 1,000 digits, the same initial embedding, 300
  iterations (one thread only; not a stated goal, recorded for reference).

Contenders run round-robin in one process; each cell is the median of the repeats; threads are
limited with threadpoolctl (1, then 2). Peak memory: tracemalloc peak of one extra call (NumPy
reports its allocations to tracemalloc; scikit-learn's Cython buffers partly escape it).
"""

from __future__ import annotations

import argparse
import platform
import time
import tracemalloc

import numpy as np
import sklearn
from sklearn.cluster import KMeans as SkKMeans
from sklearn.datasets import load_digits
from sklearn.manifold import TSNE as SkTSNE
from sklearn.metrics import roc_auc_score as sk_roc_auc
from threadpoolctl import threadpool_limits

from whiteboard.metrics import roc_auc_score as wb_roc_auc
from whiteboard.ml.cluster import KMeans as WbKMeans
from whiteboard.ml.manifold import TSNE as WbTSNE


def _timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def _peak_mib(fn):
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def bench(contenders, repeats):
    times = {name: [] for name in contenders}
    outs = {}
    for _ in range(repeats):
        for name, fn in contenders.items():
            t, outs[name] = _timed(fn)
            times[name].append(t)
    return {name: float(np.median(v)) for name, v in times.items()}, outs


def main(quick=False):
    rng = np.random.default_rng(0)
    n, d, k = (50_000 if quick else 200_000), 20, 8
    centres = rng.normal(scale=4.0, size=(k, d))
    X = centres[rng.integers(0, k, n)] + rng.normal(size=(n, d))
    init = X[rng.choice(n, k, replace=False)]
    m = 200_000 if quick else 1_000_000
    y = rng.integers(0, 2, m)
    scores = np.round(rng.normal(size=m) + 0.5 * y, 3)
    digits = load_digits().data[: 300 if quick else 1000]
    emb0 = 1e-4 * rng.normal(size=(len(digits), 2))
    rows = []
    for threads in (1, 2):
        with threadpool_limits(threads):
            km = {
                "whiteboard": lambda: WbKMeans(k, init=init, n_init=1, max_iter=100,
                                               tol=0.0).fit(X),
                "scikit-learn": lambda: SkKMeans(k, init=init, n_init=1, max_iter=100,
                                                 tol=0.0).fit(X),
            }
            t, outs = bench(km, 3)
            iters = {name: est.n_iter_ for name, est in outs.items()}
            agree = np.allclose(outs["whiteboard"].inertia_, outs["scikit-learn"].inertia_,
                                rtol=1e-8)
            mem = {name: _peak_mib(fn) for name, fn in km.items()}
            rows.append((f"KMeans k=8, {n:,}x{d}, 1 init, max_iter 100", threads, t, mem,
                         (f"n_iter {iters['whiteboard']}/{iters['scikit-learn']}, inertia equal: "
                         f"{agree}")))
            auc = {"whiteboard": lambda: wb_roc_auc(y, scores),
                   "scikit-learn": lambda: sk_roc_auc(y, scores)}
            t, outs = bench(auc, 7)
            mem = {name: _peak_mib(fn) for name, fn in auc.items()}
            rows.append((f"roc_auc_score, {m:,} scores", threads, t, mem,
                         f"|diff| = {abs(outs['whiteboard'] - outs['scikit-learn']):.1e}"))
            if threads == 1:
                tsne = {"whiteboard": lambda: WbTSNE(init=emb0, max_iter=300).fit(digits),
                        "scikit-learn": lambda: SkTSNE(init=emb0, max_iter=300,
                                                       method="exact").fit(digits)}
                t, outs = bench(tsne, 3)
                mem = {name: _peak_mib(fn) for name, fn in tsne.items()}
                rows.append((f"TSNE exact, {len(digits):,} digits, 300 iterations", threads, t,
                             mem, (f"KL {outs['whiteboard'].kl_divergence_:.4f} / "
                             f"{outs['scikit-learn'].kl_divergence_:.4f}")))
    lines = [
        (f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: "
        f"{platform.machine()}, {platform.processor() or 'cpu'}, 2 cores shared with other "
        f"jobs (numbers are noisy); numpy {np.__version__}, scikit-learn {sklearn.__version__}"),
        "",
        ("| workload | threads | whiteboard (s) | scikit-learn (s) | ratio wb/sk | peak MiB wb | "
        "peak MiB sk | check |"),
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, threads, t, mem, check in rows:
        ratio = t["whiteboard"] / t["scikit-learn"]
        lines.append(f"| {name} | {threads} | {t['whiteboard']:.3f} | {t['scikit-learn']:.3f} | "
                     f"{ratio:.2f} | {mem['whiteboard']:.0f} | {mem['scikit-learn']:.0f} | "
                     f"{check} |")
    print("\n".join(lines))
    return lines


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller data (smoke run)")
    main(parser.parse_args().quick)
