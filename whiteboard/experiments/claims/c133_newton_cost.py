"""C133: Newton's method is expensive — the Hessian takes O(d²) memory and its solve O(d³) time.

Per iteration on L2-regularised logistic regression with n = 2d samples and d features:

    Newton   form ∇²f = Xᵀ diag(p(1 − p)) X / n + λI  O(nd²);  Cholesky solve  O(d³);  8d² bytes
    L-BFGS   gradient O(nd);  two-loop recursion O(md);  2·m·d·8 bytes of stored pairs (m = 10)
    GD       gradient O(nd);  d·8 bytes

A benchmark, not a correctness check: the library's ``newton``, ``lbfgs`` and
``gradient_descent`` run 3 iterations each, the median of repeats over 3 is taken, BLAS limited
to one thread. The verdict reads the log-log slope of Newton's time per iteration between the two
largest d (≈ 3 once the O(d³) terms dominate) and Newton's cost relative to L-BFGS at the largest d.
"""

import time

import numpy as np

from ...optim.minimize import gradient_descent, lbfgs, newton
from ..registry import experiment, verdict

M = 10
LAM = 1e-2
METHODS = ("Newton", "L-BFGS", "GD")


def _problem(d, seed):
    rng = np.random.default_rng(seed)
    n = 2 * d
    X = rng.standard_normal((n, d)) / np.sqrt(d)
    y = (X @ rng.standard_normal(d) + 0.5 * rng.standard_normal(n) > 0).astype(np.float64)

    def fg(w):
        z = X @ w
        return (float(np.mean(np.logaddexp(0.0, z) - y * z) + LAM / 2 * w @ w),
                X.T @ (1 / (1 + np.exp(-z)) - y) / n + LAM * w)

    def hess(w):
        p = 1 / (1 + np.exp(-X @ w))
        return (X.T * (p * (1 - p))) @ X / n + LAM * np.eye(d)

    return fg, hess, np.zeros(d)


def _per_iteration(method, fg, hess, x0, repeats):
    run = {"Newton": lambda: newton(fg, x0, hess, gtol=0.0, max_iter=3),
           "L-BFGS": lambda: lbfgs(fg, x0, gtol=0.0, max_iter=3, m=M),
           "GD": lambda: gradient_descent(fg, x0, gtol=0.0, max_iter=3)}[method]
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        res = run()
        times.append((time.perf_counter() - t0) / max(int(res.nit), 1))
    return float(np.median(times))


@experiment("C133", section="H", title="The cost of Newton's method vs d",
            expected="reproduce",
            claim="Newton's method is expensive: the Hessian needs O(d²) memory and its solve "
                  "O(d³) time.",
            design="L2 logistic regression, n = 2d synthetic samples, d ∈ {10, 100, 500, 1000} "
                   "(quick {10, 100, 300}); time per iteration (median of 3 repeats of 3 "
                   "iterations, one BLAS thread) of the library's newton, lbfgs (m = 10) and "
                   "gradient_descent, and the bytes each keeps (8d², 16md, 8d). Evidence: "
                   "log-log slope of Newton's time vs d, Newton/L-BFGS time ratio at the "
                   "largest d.",
            code=["whiteboard.optim.minimize:newton", "whiteboard.optim.minimize:lbfgs",
                  "whiteboard.optim.minimize:gradient_descent"],
            tests=["tests/optim/test_minimize.py"])
def c133(seed, quick):
    dims = (10, 100, 300) if quick else (10, 100, 500, 1000)
    try:
        from threadpoolctl import threadpool_limits
        limit = threadpool_limits(1)
    except ImportError:
        limit = None
    try:
        rows = {m: [] for m in METHODS}
        for d in dims:
            fg, hess, x0 = _problem(d, seed)
            for m in METHODS:
                rows[m].append(_per_iteration(m, fg, hess, x0, 3))
    finally:
        if limit is not None:
            limit.unregister()
    memory = {"Newton": [8 * d * d for d in dims], "L-BFGS": [16 * M * d for d in dims],
              "GD": [8 * d for d in dims]}
    return {"dims": list(dims), "seconds": rows, "bytes": memory}


def _slope(t):
    d = np.asarray(t["dims"], dtype=np.float64)
    s = np.asarray(t["seconds"]["Newton"])
    return float(np.log(s[-1] / s[-2]) / np.log(d[-1] / d[-2]))


@c133.decide
def _(trials):
    t = trials[0]
    slope = _slope(t)
    ratio = t["seconds"]["Newton"][-1] / t["seconds"]["L-BFGS"][-1]
    d = t["dims"][-1]
    mem = t["bytes"]["Newton"][-1] / t["bytes"]["L-BFGS"][-1]
    return verdict(slope > 2.0 and ratio > 5,
                   f"Newton time per iteration ∝ d^{slope:.2f} between d = {t['dims'][-2]} and "
                   f"{d}; at d = {d} Newton {t['seconds']['Newton'][-1] * 1e3:.1f} ms vs L-BFGS "
                   f"{t['seconds']['L-BFGS'][-1] * 1e3:.2f} ms ({ratio:.0f}×), Hessian "
                   f"{t['bytes']['Newton'][-1] / 1e6:.1f} MB vs L-BFGS pairs "
                   f"{t['bytes']['L-BFGS'][-1] / 1e6:.2f} MB ({mem:.0f}×)")


@c133.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    for m in METHODS:
        axes[0].plot(t["dims"], t["seconds"][m], "o-", label=m)
        axes[1].plot(t["dims"], t["bytes"][m], "o-", label=m)
    d = np.asarray(t["dims"], dtype=np.float64)
    axes[0].plot(d, t["seconds"]["Newton"][-1] * (d / d[-1]) ** 3, "k:", lw=0.8, label="∝ d³")
    axes[0].set_ylabel("seconds per iteration (median)")
    axes[1].set_ylabel("bytes kept by the method")
    axes[0].set_title("Time per iteration, 1 BLAS thread")
    axes[1].set_title("Memory: Hessian 8d², L-BFGS 16md")
    for ax in axes:
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("dimension d")
        ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
