"""LSTM (and GRU, RNN) forward + backward through time: whiteboard against PyTorch (CPU), 1 thread.

    PYTHONPATH=$PWD python -m benchmarks.bench_rnn [--repeats 20]

Workload: a float32 sequence (T=50, B=32, I=64) through ``LSTM(64, 128)`` (also ``GRU`` and
``RNN`` with the same sizes, and a 2-layer bidirectional LSTM), then backward under a fixed
random cotangent on the output (gradients of the input and every parameter). Both libraries get
the same parameters. The contenders run round-robin in one process so both see the same machine
load; the table gives the median and the best of ``--repeats`` rounds and their ratios
(whiteboard / torch). Peak memory is whiteboard's extra allocation during one step
(tracemalloc; torch's allocator is invisible to it).
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

T, B, IN, H = 50, 32, 64, 128

LAYERS = {
    "LSTM(64, 128)": lambda lib: lib.nn.LSTM(IN, H),
    "GRU(64, 128)": lambda lib: lib.nn.GRU(IN, H),
    "RNN(64, 128)": lambda lib: lib.nn.RNN(IN, H),
    "LSTM(64, 128, num_layers=2, bidirectional)": lambda lib: lib.nn.LSTM(
        IN, H, num_layers=2, bidirectional=True),
}


def make_steps(layer):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((T, B, IN)).astype(np.float32)
    wb_layer, torch_layer = LAYERS[layer](wb), LAYERS[layer](torch)
    params = dict(wb_layer.named_parameters())
    with torch.no_grad():
        for name, p in torch_layer.named_parameters():
            p.copy_(torch.from_numpy(params[name].numpy()))
    out_features = torch_layer(torch.from_numpy(x))[0].shape[-1]
    g = rng.standard_normal((T, B, out_features)).astype(np.float32)
    wb_g, torch_g = wb.tensor(g), torch.from_numpy(g)

    def wb_step():
        xt = wb.Tensor(x, requires_grad=True)
        wb_layer(xt)[0].backward(wb_g)
        return xt.grad

    def torch_step():
        xt = torch.from_numpy(x).requires_grad_(True)
        torch_layer(xt)[0].backward(torch_g)
        return xt.grad

    return {"whiteboard": wb_step, "torch": torch_step}


def peak_bytes(step):
    step()
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def run(layer, repeats):
    steps = make_steps(layer)
    times = {name: [] for name in steps}
    with threadpool_limits(1):
        torch.set_num_threads(1)
        for step in steps.values():  # warm-up
            step()
        for _ in range(repeats):
            for name, step in steps.items():
                start = time.perf_counter()
                step()
                times[name].append(time.perf_counter() - start)
        peak = peak_bytes(steps["whiteboard"])
    return ({name: float(np.median(t)) for name, t in times.items()},
            {name: float(np.min(t)) for name, t in times.items()}, peak)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    print(f"forward+backward through time, float32 (T, B, I) = {(T, B, IN)}, hidden {H}; numpy "
          f"{np.__version__}, torch {torch.__version__}, {platform.machine()}; 1 thread, "
          f"{args.repeats} round-robin repeats")
    print("| layer | whiteboard median (ms) | torch median (ms) | ratio of medians | "
          "whiteboard best (ms) | torch best (ms) | ratio of bests | whiteboard peak extra "
          "memory (MB) |")
    print("|---|---|---|---|---|---|---|---|")
    for layer in LAYERS:
        med, best, peak = run(layer, args.repeats)
        print(f"| {layer} | {med['whiteboard'] * 1e3:.1f} | {med['torch'] * 1e3:.1f} | "
              f"{med['whiteboard'] / med['torch']:.2f} | {best['whiteboard'] * 1e3:.1f} | "
              f"{best['torch'] * 1e3:.1f} | {best['whiteboard'] / best['torch']:.2f} | "
              f"{peak / 2**20:.1f} |")


if __name__ == "__main__":
    main()
