"""C108 (corrected, E68): a 10⁴–10⁵-way softmax is expensive — the cost is first of all time and
memory, not over-fitting.

The output layer of a K-way classifier on d features holds W ∈ ℝ^{d×K}; for a batch of B
examples the forward pass computes Z = XW (2BdK flops), the softmax normalises every row over K
classes (O(BK)), and the backward pass computes ∂W = Xᵀ(P − Y) and ∂X = (P − Y)Wᵀ (4BdK):

    time ∝ B·d·K,    memory = d·K (weights) + d·K (their gradient) + B·K (logits, P) per batch

so both grow linearly in K. Benchmark only: one forward + backward of the library's Linear +
cross_entropy, d = 128, B = 64, float32, timed as a median over repeats on one BLAS thread, and
the peak of the Python-traced allocations (tracemalloc sees NumPy buffers) of one step.

Measured (one run): ≈ 1 ms at K = 10³ but ≈ 4 µs per class from K = 3·10³ on (15 ms at 3·10³,
420 ms at 10⁵ per batch of 64, 123 MiB traced peak): below ~10³ classes the 128×K float32 weight
matrix (512 KiB) still fits in the CPU cache, so the slope is fitted where it no longer does
(K ≥ 3·10³).
"""

import time
import tracemalloc

import numpy as np

from ... import backend, nn, tensor
from ...nn import functional as F
from ..registry import experiment, verdict

D, B = 128, 64


def _one_thread():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        import contextlib

        return contextlib.nullcontext()
    return threadpool_limits(1)


def _step(layer, x, y):
    layer.zero_grad()
    F.cross_entropy(layer(x), y).backward()


def _measure(K, seed, reps):
    backend.manual_seed(seed)
    rng = np.random.default_rng(seed)
    layer = nn.Linear(D, K, dtype=np.float32)
    x = tensor(rng.normal(size=(B, D)).astype(np.float32))
    y = tensor(rng.integers(0, K, B))
    _step(layer, x, y)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        _step(layer, x, y)
        times.append(time.perf_counter() - t0)
    layer.zero_grad()
    tracemalloc.start()
    _step(layer, x, y)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"K": K, "median_s": float(np.median(times)), "peak_bytes": int(peak),
            "param_bytes": int(D * K * 4 + K * 4)}


def _slope(xs, ys):
    return float(np.polyfit(np.log(xs), np.log(ys), 1)[0])


@experiment("C108", section="G", title="A 10⁴–10⁵-way softmax costs time and memory ∝ K",
            expected="reproduce", errata=["E68"],
            claim="A 10⁴–10⁵-way softmax is expensive (time and memory grow linearly in the "
                  "number of classes K).",
            design="Benchmark: one forward + backward of Linear(128, K) + cross_entropy on a batch "
                   "of 64 (float32, one BLAS thread), K ∈ {10, 10², 10³, 3·10³, 10⁴, 3·10⁴, "
                   "10⁵} (10⁵ not in quick): median time over repeats and tracemalloc peak of one "
                   "step. Evidence: log-log slopes of time and memory vs K over K ≥ 3·10³ (≈ 1 = "
                   "linear).",
            code=["whiteboard.nn:Linear", "whiteboard.nn.functional:cross_entropy"],
            tests=["tests/nn/test_loss.py", "tests/nn/test_linear.py"])
def c108(seed, quick):
    Ks = (10, 100, 1000, 3000, 10000, 30000) + (() if quick else (100000,))
    with _one_thread():
        rows = [_measure(K, seed, 5 if quick or K < 10 ** 5 else 3) for K in Ks]
    big = [r for r in rows if r["K"] >= 3000]
    return {"rows": rows, "d": D, "batch": B,
            "time_slope": _slope([r["K"] for r in big], [r["median_s"] for r in big]),
            "memory_slope": _slope([r["K"] for r in big], [r["peak_bytes"] for r in big])}


@c108.decide
def _(trials):
    t = trials[0]
    lo, hi = t["rows"][0], t["rows"][-1]
    holds = 0.7 <= t["time_slope"] <= 1.3 and 0.85 <= t["memory_slope"] <= 1.15
    return verdict(holds, f"log-log slope vs K (K ≥ 3·10³): time {t['time_slope']:.2f}, memory "
                          f"{t['memory_slope']:.2f}; K = {lo['K']:,}: {lo['median_s'] * 1e3:.2f} "
                          f"ms, {lo['peak_bytes'] / 2 ** 20:.2f} MiB; K = {hi['K']:,}: "
                          f"{hi['median_s'] * 1e3:.1f} ms, {hi['peak_bytes'] / 2 ** 20:.1f} MiB "
                          f"per batch of {t['batch']}")


@c108.plot
def _(trials):
    import matplotlib.pyplot as plt

    rows = trials[0]["rows"]
    K = [r["K"] for r in rows]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
    axes[0].loglog(K, [r["median_s"] * 1e3 for r in rows], "o-")
    axes[0].set_ylabel("forward + backward per batch (ms)")
    axes[1].loglog(K, [r["peak_bytes"] / 2 ** 20 for r in rows], "o-", label="traced peak")
    axes[1].loglog(K, [r["param_bytes"] / 2 ** 20 for r in rows], "--", label="weights d·K")
    axes[1].set_ylabel("memory (MiB)")
    axes[1].legend(fontsize=8)
    for ax in axes:
        ax.set_xlabel("number of classes K")
    fig.suptitle("K-way softmax output layer, d = 128, batch 64, one thread")
    fig.tight_layout()
    return [fig]
