"""Forward + backward time of whiteboard's nn layers next to PyTorch (CPU, same threads).

    PYTHONPATH=$PWD python -m benchmarks.bench_nn [--repeats 15] [--threads 1 2] [--no-write]

Each case is ``(name, make)`` where ``make()`` returns ``(wb_step, torch_step)``: two
zero-argument callables that run one forward and one backward pass on the same data and weights
(float32). To add a layer (BatchNorm2d, ...), append a case to ``CASES``. Contenders run
round-robin in one process; the table gives medians over the repeats of wall time and of process
CPU time (the CPU is shared with other jobs, so wall time includes waiting for a core; with one
thread CPU time is the fairer figure) and the ratio whiteboard / torch. Peak memory is the
traced NumPy allocation of one whiteboard step (tracemalloc). Writes docs/benchmarks/nn.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import pathlib
import platform
import time
import tracemalloc

import numpy as np
import torch
from threadpoolctl import threadpool_limits

import whiteboard as wb


def _module_step(lib, module, x, grad):
    """One forward + backward of ``module`` on a fresh leaf ``x`` (gradients reset first)."""
    for p in module.parameters():
        p.grad = None
    xt = lib.tensor(x, requires_grad=True) if lib is wb else torch.from_numpy(x).requires_grad_()
    out = module(xt)
    out.backward(grad if lib is wb else torch.from_numpy(grad))


def _pair(make_module, shape, seed=0):
    """Build the layer in both libraries with the same weights, and an input and a cotangent."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(np.float32)
    tm, wm = make_module(torch), make_module(wb)
    wm.load_state_dict({k: v.detach().numpy() for k, v in tm.state_dict().items()})
    with torch.no_grad():
        out_shape = tuple(tm(torch.from_numpy(x)).shape)
    grad = rng.standard_normal(out_shape).astype(np.float32)
    return (lambda: _module_step(wb, wm, x, grad)), (lambda: _module_step(torch, tm, x, grad))


CASES = [
    ("Conv2d 16→32, 3x3, pad 1, (32,16,28,28)",
     lambda: _pair(lambda lib: lib.nn.Conv2d(16, 32, 3, padding=1), (32, 16, 28, 28))),
    ("MaxPool2d 2x2, (32,32,28,28)",
     lambda: _pair(lambda lib: lib.nn.MaxPool2d(2), (32, 32, 28, 28))),
    ("Depthwise Conv2d 32, 3x3, groups=32, (32,32,28,28)",
     lambda: _pair(lambda lib: lib.nn.Conv2d(32, 32, 3, padding=1, groups=32),
                   (32, 32, 28, 28))),
    ("AvgPool2d 3x3 s2 pad 1, (32,32,28,28)",
     lambda: _pair(lambda lib: lib.nn.AvgPool2d(3, stride=2, padding=1), (32, 32, 28, 28))),
    ("ConvTranspose2d 32→16, 4x4, s2 pad 1, (32,32,14,14)",
     lambda: _pair(lambda lib: lib.nn.ConvTranspose2d(32, 16, 4, stride=2, padding=1),
                   (32, 32, 14, 14))),
]


def _time(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w0, time.process_time() - c0


def run_case(name, make, threads, repeats):
    wb_step, torch_step = make()
    torch.set_num_threads(threads)
    with threadpool_limits(threads):
        wb_step(), torch_step()  # warm-up
        times = {"wb": [], "torch": []}
        for _ in range(repeats):
            for key, fn in (("wb", wb_step), ("torch", torch_step)):
                times[key].append(_time(fn))
    tracemalloc.start()
    wb_step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    med = {k: np.median(np.array(v), axis=0) * 1e3 for k, v in times.items()}
    return dict(name=name, threads=threads, wb_wall=med["wb"][0], torch_wall=med["torch"][0],
                wb_cpu=med["wb"][1], torch_cpu=med["torch"][1], peak_mib=peak / 2**20)


def format_table(rows):
    head = ("| case | threads | whiteboard wall ms | torch wall ms | ratio wall | "
            "whiteboard CPU ms | torch CPU ms | ratio CPU | wb peak MiB |")
    lines = [head, "|" + "---|" * 9]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['threads']} | {r['wb_wall']:.2f} | {r['torch_wall']:.2f} | "
            f"{r['wb_wall'] / r['torch_wall']:.2f} | {r['wb_cpu']:.2f} | {r['torch_cpu']:.2f} | "
            f"{r['wb_cpu'] / r['torch_cpu']:.2f} | {r['peak_mib']:.1f} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    rows = [run_case(name, make, t, args.repeats) for t in args.threads for name, make in CASES]
    table = format_table(rows)
    print(table)
    if args.no_write:
        return
    doc = pathlib.Path(__file__).resolve().parent.parent / "docs" / "benchmarks" / "nn.md"
    doc.parent.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    doc.write_text(
        "# nn layers: forward + backward vs PyTorch (CPU)\n\n"
        f"Generated {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC by "
        "`PYTHONPATH=$PWD python -m benchmarks.bench_nn` on "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores shared with "
        f"other jobs (1-minute load average {load:.1f} at the end of the run), NumPy "
        f"{np.__version__}, torch {torch.__version__}, float32, median of {args.repeats} "
        "round-robin repeats.\n\n" + table + "\n"
    )


if __name__ == "__main__":
    main()
