"""C113: mini-batch matrix operations cost little more than single examples.

A dense layer on a batch is one matrix product Z = XW with X ∈ ℝ^{B×d}, W ∈ ℝ^{d×m}. For B = 1
it is a matrix-vector product: each of the d·m weights is read from memory for 2 flops, so it is
memory-bound. For B > 1 the BLAS kernel keeps blocks of W in cache and reuses every weight B
times, so the time grows far slower than B until the arithmetic units saturate:

    time(B) ≈ t_read(W) + B · t_flops(2dm)       → per example: t_read/B + t_flops

Benchmark only, on one BLAS thread: (a) the raw GEMM ``X @ W`` (float32, d = m = 512) the
library's Linear runs on, and (b) one forward + backward of the library's ``nn.Linear(512, 512)``
with a sum loss (its Python/autograd overhead is per call, so it also amortises over B); median
time per batch and per example for B = 1 … 256. "Little more" is read as: a batch of 32 costs
under 8× one example (i.e. ≥ 4× cheaper per example), for both (a) and (b).

Measured (one run, shared 2-core CPU): the library Linear costs 582 µs at B = 1 and 704 µs at
B = 32 (1.2×: its per-call Python/autograd overhead dominates), but the raw GEMM costs 14.7 µs vs
156 µs (10.6×, only 3× cheaper per example); a side check at d = 2048 gave 621 µs vs 12.3 ms
(20×). On one BLAS thread a 512×512 float32 W (1 MiB) stays in cache, so the single-example
GEMV is not memory-bound and one core's arithmetic saturates after a few examples: the large
batching gains of practice come from many threads / a GPU and from per-call overheads, not from
the matrix product on one core.
"""

import time

import numpy as np

from ... import backend, nn, tensor
from ..registry import experiment, verdict
from .c108_large_softmax import _one_thread

D = 512


def _median(fn, reps):
    fn()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return float(np.median(ts))


def _rows(seed, batches, reps):
    backend.manual_seed(seed)
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(D, D)).astype(np.float32)
    layer = nn.Linear(D, D, dtype=np.float32)
    rows = []
    for B in batches:
        X = rng.normal(size=(B, D)).astype(np.float32)
        x = tensor(X)

        def step(x=x):
            layer.zero_grad()
            layer(x).sum().backward()

        g, s = _median(lambda X=X: X @ W, reps), _median(step, reps)
        rows.append({"batch": B, "gemm_s": g, "layer_s": s, "gemm_per_example_s": g / B,
                     "layer_per_example_s": s / B})
    return rows


@experiment("C113", section="H", title="Mini-batch matrix products cost little more than one "
            "example", expected="reproduce",
            claim="Mini-batch matrix operations cost little more than single examples.",
            design="Benchmark, one BLAS thread: median time of X @ W (float32, 512×512) and of "
                   "forward + backward of the library's Linear(512, 512) for batch sizes 1, 2, 4, "
                   "…, 256 (up to 64 in quick). Evidence: time per batch at B = 32 vs B = 1, and "
                   "time per example vs B.",
            code=["whiteboard.nn:Linear"], tests=["tests/nn/test_linear.py"])
def c113(seed, quick):
    batches = tuple(2 ** k for k in range(7 if quick else 9))
    with _one_thread():
        rows = _rows(seed, batches, 20 if quick else 50)
    by = {r["batch"]: r for r in rows}
    return {"rows": rows, "d": D,
            "gemm_ratio_32": by[32]["gemm_s"] / by[1]["gemm_s"],
            "layer_ratio_32": by[32]["layer_s"] / by[1]["layer_s"]}


@c113.decide
def _(trials):
    t = trials[0]
    g, s = t["gemm_ratio_32"], t["layer_ratio_32"]
    return verdict(g < 8 and s < 8,
                   f"time of a batch of 32 / a single example: GEMM {g:.1f}×, library Linear "
                   f"forward + backward {s:.1f}× (32× would be no saving); per example "
                   f"{32 / g:.0f}× and {32 / s:.0f}× cheaper in the batch")


@c113.plot
def _(trials):
    import matplotlib.pyplot as plt

    rows = trials[0]["rows"]
    B = [r["batch"] for r in rows]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
    for key, label in (("gemm", "X @ W (GEMM)"), ("layer", "Linear forward + backward")):
        axes[0].loglog(B, [r[f"{key}_s"] * 1e6 for r in rows], "o-", label=label)
        axes[1].loglog(B, [r[f"{key}_per_example_s"] * 1e6 for r in rows], "o-", label=label)
    axes[0].set_ylabel("time per batch (µs)")
    axes[1].set_ylabel("time per example (µs)")
    for ax in axes:
        ax.set_xlabel("batch size B")
        ax.legend(fontsize=8)
    fig.suptitle("d = 512 dense layer, float32, one thread")
    fig.tight_layout()
    return [fig]
