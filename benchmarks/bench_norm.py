"""BatchNorm2d (and GroupNorm, LayerNorm) forward + backward: whiteboard against PyTorch (CPU),
1 and 2 threads.

    PYTHONPATH=$PWD python -m benchmarks.bench_norm [--repeats 30]

Workload: ``BatchNorm2d(32)`` in training mode on a float32 (32, 32, 28, 28) input (25,088 values
per channel): forward (batch statistics, running-statistics update) and backward (input, γ and β
gradients) under a fixed random cotangent; GroupNorm(8, 32) and LayerNorm((32, 28, 28)) on the
same input for comparison. The contenders run round-robin in one process so both
see the same machine load; the table gives the median and the best of ``--repeats`` rounds. Peak
memory is the extra memory allocated during one step (tracemalloc, which sees NumPy's
allocations; torch's allocator is invisible to it, so only whiteboard's is reported).
"""

from __future__ import annotations

import argparse
import platform
import time
import tracemalloc

import numpy as np
import torch
from threadpoolctl import threadpool_limits

import whiteboard as wb

SHAPE = (32, 32, 28, 28)


LAYERS = {
    "BatchNorm2d(32)": lambda lib: lib.nn.BatchNorm2d(SHAPE[1]),
    "GroupNorm(8, 32)": lambda lib: lib.nn.GroupNorm(8, SHAPE[1]),
    "LayerNorm((32, 28, 28))": lambda lib: lib.nn.LayerNorm(SHAPE[1:]),
}


def make_steps(layer):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(SHAPE).astype(np.float32)
    g = rng.standard_normal(SHAPE).astype(np.float32)
    wb_layer, torch_layer = LAYERS[layer](wb), LAYERS[layer](torch)
    wb_g, torch_g = wb.tensor(g), torch.from_numpy(g)

    def wb_step():
        xt = wb.Tensor(x, requires_grad=True)
        wb_layer(xt).backward(wb_g)
        return xt.grad

    def torch_step():
        xt = torch.from_numpy(x).requires_grad_(True)
        torch_layer(xt).backward(torch_g)
        return xt.grad

    return {"whiteboard": wb_step, "torch": torch_step}


def peak_bytes(step):
    step()
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def run(layer, threads, repeats):
    steps = make_steps(layer)
    times = {name: [] for name in steps}
    with threadpool_limits(threads):
        torch.set_num_threads(threads)
        for step in steps.values():  # warm-up
            step()
        for _ in range(repeats):
            for name, step in steps.items():
                start = time.perf_counter()
                step()
                times[name].append(time.perf_counter() - start)
        # whiteboard back to back, no torch step in between: glibc then returns the freed
        # full-size temporaries to the OS after every step and the next one page-faults them in
        times["alone"] = []
        for _ in range(repeats):
            start = time.perf_counter()
            steps["whiteboard"]()
            times["alone"].append(time.perf_counter() - start)
        peak = peak_bytes(steps["whiteboard"])
    return ({name: float(np.median(t)) for name, t in times.items()},
            {name: float(np.min(t)) for name, t in times.items()}, peak)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    print(f"training forward+backward, float32 input {SHAPE}; numpy {np.__version__}, torch "
          f"{torch.__version__}, {platform.machine()}; {args.repeats} round-robin repeats")
    print("| layer | threads | whiteboard median (ms) | torch median (ms) | ratio of medians | "
          "whiteboard best (ms) | torch best (ms) | ratio of bests | whiteboard alone median / "
          "best (ms) | whiteboard peak extra memory (MB) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for layer, threads in [(name, t) for name in LAYERS for t in (1, 2)]:
        med, best, peak = run(layer, threads, args.repeats)
        print(f"| {layer} | {threads} | {med['whiteboard'] * 1e3:.2f} | {med['torch'] * 1e3:.2f} | "
              f"{med['whiteboard'] / med['torch']:.2f} | {best['whiteboard'] * 1e3:.2f} | "
              f"{best['torch'] * 1e3:.2f} | {best['whiteboard'] / best['torch']:.2f} | "
              f"{med['alone'] * 1e3:.2f} / {best['alone'] * 1e3:.2f} | {peak / 2**20:.1f} |")


if __name__ == "__main__":
    main()
