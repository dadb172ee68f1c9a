"""C165: the kernel SVM's dual cost grows with the number of samples, not the dimension.

The dual has one variable per sample; SMO works on the n × n kernel matrix, so its cost grows
like n² (kernel entries) to n³, while the dimension d enters only through the kernel evaluations
K(xᵢ, xⱼ), O(d) each (one GEMM), a small share of the time.
"""

import time

import numpy as np

from ...ml import SVC
from ..registry import experiment, verdict


def _fit_time(n, d, seed, repeats=2):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (X[:, 0] + 0.5 * rng.normal(size=n) > 0).astype(int)
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        SVC(kernel="rbf", C=1.0).fit(X, y)
        best = min(best, time.perf_counter() - t0)
    return float(best)


@experiment("C165", section="J", title="The dual's cost depends on n, not on d",
            expected="reproduce",
            claim="The kernel SVM dual's cost depends on the number of samples, not the dimension.",
            design="Benchmark only: RBF SVC fit time (best of 2) on Gaussian data with a noisy "
                   "linear label, n ∈ {250, 500, 1000, 2000} at d = 10 and d ∈ {10, 40, 160, 640} "
                   "at n = 500 (quick: the first three of each); the scaling exponents "
                   "log(time ratio) / log(size ratio) in n and in d.",
            code=["whiteboard.ml.svm:SVC"], tests=["tests/ml/test_svm_svc.py"])
def c165(seed, quick):
    ns = [250, 500, 1000] if quick else [250, 500, 1000, 2000]
    ds = [10, 40, 160] if quick else [10, 40, 160, 640]
    return {"ns": ns, "ds": ds,
            "time_vs_n": [_fit_time(n, 10, seed) for n in ns],
            "time_vs_d": [_fit_time(500, d, seed) for d in ds]}


@c165.decide
def _(trials):
    t = trials[0]
    gn = t["time_vs_n"][-1] / t["time_vs_n"][0]
    gd = t["time_vs_d"][-1] / t["time_vs_d"][0]
    fn, fd = t["ns"][-1] / t["ns"][0], t["ds"][-1] / t["ds"][0]
    en, ed = np.log(gn) / np.log(fn), np.log(gd) / np.log(fd)
    return verdict(en > 2 * ed, f"time ∝ n^{en:.2f} (×{gn:.1f} for {fn:.0f}× samples) vs "
                                f"d^{ed:.2f} (×{gd:.1f} for {fd:.0f}× dimensions)")


@c165.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.5), sharey=True)
    axes[0].loglog(t["ns"], t["time_vs_n"], "o-")
    axes[0].set_xlabel("number of samples n (d = 10)")
    axes[0].set_ylabel("SVC fit time (s)")
    axes[1].loglog(t["ds"], t["time_vs_d"], "s-")
    axes[1].set_xlabel("dimension d (n = 500)")
    axes[1].set_ylabel("SVC fit time (s)")
    fig.suptitle("Dual SVM cost: samples, not dimensions")
    fig.tight_layout()
    return [fig]
