"""Fixed costs of the classical learners (issue 18): whiteboard vs scikit-learn, 1 thread.

Run: PYTHONPATH=$PWD python -m benchmarks.bench_fixed_costs [--repeats N] [--only NAME ...]

Workloads (the issue's rows, the same data and settings for both libraries)
- kmeans-array: KMeans k=8 on 200,000 x 20 well-separated blobs, init = one point of each
  blob (n_init=1), default tol: converges in 2 iterations, so the per-fit costs (validation,
  centring, norms, tolerance, final inertia) dominate.
- kmeans-default: the same data with the default init (k-means++, n_init='auto').
- adaboost: AdaBoostClassifier, 50 stumps, make_classification 20,000 x 20.
- gbdt: GradientBoostingClassifier, 100 stages of depth 3, the same data.
- lasso-path: Lasso on 1,000 x 200 (20 true non-zeros), 30 alphas from alpha_max down to
  alpha_max / 1000 (log-spaced), one estimator refitted with warm_start=True at each alpha.

Contenders run round-robin in one process (whiteboard, scikit-learn, whiteboard, ...) under
threadpool_limits(1); each cell is the median of ``--repeats`` runs (default 5). The check
column states that both libraries found the same model.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans as SkKMeans
from sklearn.datasets import make_classification
from sklearn.ensemble import AdaBoostClassifier as SkAda
from sklearn.ensemble import GradientBoostingClassifier as SkGB
from sklearn.linear_model import Lasso as SkLasso
from threadpoolctl import threadpool_limits

from whiteboard.ml.cluster import KMeans as WbKMeans
from whiteboard.ml.ensemble import AdaBoostClassifier as WbAda
from whiteboard.ml.ensemble import GradientBoostingClassifier as WbGB
from whiteboard.ml.linear_model import Lasso as WbLasso


def _kmeans_data():
    rng = np.random.default_rng(0)
    n, d, k = 200_000, 20, 8
    centres = rng.normal(scale=10.0, size=(k, d))
    blob = rng.integers(0, k, n)
    X = centres[blob] + rng.normal(size=(n, d))
    init = X[[np.flatnonzero(blob == j)[0] for j in range(k)]]
    return X, init


def _lasso_path(cls, X, y, alphas):
    est = cls(alpha=alphas[0], warm_start=True)
    coefs = []
    for a in alphas:
        est.set_params(alpha=a).fit(X, y)
        coefs.append(est.coef_.copy())
    return np.array(coefs)


def workloads():
    X, init = _kmeans_data()
    Xc, yc = make_classification(20_000, 20, n_informative=10, random_state=0)
    same_km = lambda a, b: (f"n_iter {a.n_iter_}/{b.n_iter_}, inertia rel. diff "  # noqa: E731
                            f"{abs(a.inertia_ - b.inertia_) / b.inertia_:.0e}")
    rng = np.random.default_rng(0)
    Xl = rng.normal(size=(1000, 200))
    wl = np.zeros(200)
    wl[:20] = 3 * rng.normal(size=20)
    yl = Xl @ wl + rng.normal(size=1000)
    alphas = np.abs(Xl.T @ (yl - yl.mean())).max() / 1000 * np.logspace(0, -3, 30)
    return {
        "kmeans-array": ("KMeans k=8, 200,000x20, init array, n_init=1",
                         lambda: WbKMeans(8, init=init, n_init=1).fit(X),
                         lambda: SkKMeans(8, init=init, n_init=1).fit(X), same_km),
        "kmeans-default": ("KMeans k=8, 200,000x20, default k-means++ init",
                           lambda: WbKMeans(8, random_state=0).fit(X),
                           lambda: SkKMeans(8, random_state=0).fit(X), same_km),
        "adaboost": ("AdaBoost 50 stumps, 20,000x20",
                     lambda: WbAda(n_estimators=50, random_state=0).fit(Xc, yc),
                     lambda: SkAda(n_estimators=50, random_state=0).fit(Xc, yc),
                     lambda a, b: "alphas equal: " + str(np.allclose(
                         a.estimator_weights_, b.estimator_weights_, rtol=1e-10))),
        "gbdt": ("GradientBoosting exact 100 x depth 3, 20,000x20",
                 lambda: WbGB(n_estimators=100, max_depth=3, random_state=0).fit(Xc, yc),
                 lambda: SkGB(n_estimators=100, max_depth=3, random_state=0).fit(Xc, yc),
                 lambda a, b: "train loss equal: " + str(np.allclose(
                     a.train_score_, b.train_score_, rtol=1e-8))),
        "lasso-path": ("Lasso path, 30 alphas, warm starts, 1,000x200",
                       lambda: _lasso_path(WbLasso, Xl, yl, alphas),
                       lambda: _lasso_path(SkLasso, Xl, yl, alphas),
                       lambda a, b: f"max |coef diff| {np.abs(a - b).max():.1e} (tol 1e-4)"),
    }


def main(repeats=5, only=None):
    rows = []
    with threadpool_limits(1):
        for key, (name, wb, sk, check) in workloads().items():
            if only and key not in only:
                continue
            times = {"wb": [], "sk": []}
            out = {}
            for _ in range(repeats):
                for who, fn in (("wb", wb), ("sk", sk)):
                    t = time.perf_counter()
                    out[who] = fn()
                    times[who].append(time.perf_counter() - t)
            med = {who: float(np.median(v)) for who, v in times.items()}
            rows.append((name, med, check(out["wb"], out["sk"])))
            print(f"{name}: {med['wb']:.3f} s / {med['sk']:.3f} s = "
                  f"{med['wb'] / med['sk']:.2f}", flush=True)
    lines = [
        (f"date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: "
         f"{platform.machine()}, {os.cpu_count()} cores shared with other jobs, load average "
         f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end; 1 thread; "
         f"numpy {np.__version__}, scikit-learn {sklearn.__version__}; median of {repeats}"),
        "",
        "| workload | whiteboard (s) | scikit-learn (s) | ratio wb/sk | check |",
        "|---|---|---|---|---|",
    ]
    for name, med, check in rows:
        lines.append(f"| {name} | {med['wb']:.3f} | {med['sk']:.3f} | "
                     f"{med['wb'] / med['sk']:.2f} | {check} |")
    print("\n".join(lines))
    return lines


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="workload keys (default: all)")
    args = parser.parse_args()
    main(args.repeats, args.only)
