"""Forward + backward time of whiteboard's nn layers next to PyTorch (CPU, same threads).

    PYTHONPATH=$PWD python -m benchmarks.bench_nn [--repeats 15] [--threads 1 2] [--no-write]
    PYTHONPATH=$PWD python -m benchmarks.bench_nn --profile 0     # where case 0's time goes
    PYTHONPATH=$PWD python -m benchmarks.bench_nn --paths 0 6     # jit and NumPy paths vs torch

Each case is ``(name, make)`` where ``make()`` returns ``(wb_step, torch_step)``: two
zero-argument callables that run one forward and one backward pass on the same data and weights
(float32). To add a layer (BatchNorm2d, ...), append a case to ``CASES``. Contenders run
round-robin in one process; the table gives medians over the repeats of wall time and of process
CPU time (the CPU is shared with other jobs, so wall time includes waiting for a core; with one
thread CPU time is the fairer figure) and the ratio whiteboard / torch. Peak memory is the
traced NumPy allocation of one whiteboard step (tracemalloc). Writes the header and table of
docs/benchmarks/nn.md and keeps its hand-written notes.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import os
import pathlib
import platform
import pstats
import time
import tracemalloc
import warnings

import numpy as np
import torch
from threadpoolctl import threadpool_info, threadpool_limits

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


def _without_onednn(make):
    """The same case with PyTorch's oneDNN kernels switched off (its own im2col + GEMM path)."""
    def wrapped():
        wb_step, torch_step = make()

        def torch_plain():
            with torch.backends.mkldnn.flags(enabled=False):
                torch_step()

        return wb_step, torch_plain

    return wrapped


def _numpy_path(make):
    """The same case with whiteboard's compiled kernels switched off (``wb.jit.disabled``)."""
    def wrapped():
        wb_step, torch_step = make()

        def wb_numpy():
            with wb.jit.disabled():
                wb_step()

        return wb_numpy, torch_step

    return wrapped


CASES = [
    ("Conv2d 16→32, 3x3, pad 1, (32,16,28,28)",
     lambda: _pair(lambda lib: lib.nn.Conv2d(16, 32, 3, padding=1), (32, 16, 28, 28))),
    ("Conv2d 16→32 as above, torch with oneDNN off",
     _without_onednn(lambda: _pair(lambda lib: lib.nn.Conv2d(16, 32, 3, padding=1),
                                   (32, 16, 28, 28)))),
    ("Conv2d 16→32, 3x3, pad 1, (64,16,4,4) (LeNet's second conv)",
     lambda: _pair(lambda lib: lib.nn.Conv2d(16, 32, 3, padding=1), (64, 16, 4, 4))),
    ("MaxPool2d 2x2, (32,32,28,28)",
     lambda: _pair(lambda lib: lib.nn.MaxPool2d(2), (32, 32, 28, 28))),
    ("Depthwise Conv2d 32, 3x3, groups=32, (32,32,28,28)",
     lambda: _pair(lambda lib: lib.nn.Conv2d(32, 32, 3, padding=1, groups=32),
                   (32, 32, 28, 28))),
    ("Depthwise Conv2d as above, whiteboard's NumPy path (jit off)",
     _numpy_path(lambda: _pair(lambda lib: lib.nn.Conv2d(32, 32, 3, padding=1, groups=32),
                               (32, 32, 28, 28)))),
    ("AvgPool2d 3x3 s2 pad 1, (32,32,28,28)",
     lambda: _pair(lambda lib: lib.nn.AvgPool2d(3, stride=2, padding=1), (32, 32, 28, 28))),
    ("ConvTranspose2d 32→16, 4x4, s2 pad 1, (32,32,14,14)",
     lambda: _pair(lambda lib: lib.nn.ConvTranspose2d(32, 16, 4, stride=2, padding=1),
                   (32, 32, 14, 14))),
]


# The hand-written part of docs/benchmarks/nn.md (profiles, what was tried) starts at this line;
# a run rewrites the header and the table above it and keeps everything from here on.
NOTES_START = "Reading the table"


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


def profile_case(index, steps=30):
    """CPU-time profile (1 thread) of the whiteboard step of ``CASES[index]``."""
    name, make = CASES[index]
    wb_step, _ = make()
    with threadpool_limits(1):
        wb_step()
        profiler = cProfile.Profile(timer=time.process_time)
        profiler.enable()
        for _ in range(steps):
            wb_step()
        profiler.disable()
    print(f"{name}: cumulative CPU time over {steps} steps")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(12)


warnings.filterwarnings("ignore", message="TF32 acceleration on top of oneDNN")


def compare_paths(indices, repeats):
    """Both whiteboard paths (the ``whiteboard.jit`` kernels and ``wb.jit.disabled()``) against
    torch, round-robin in one process at 1 thread; CPU and wall medians, ratios, the traced peak
    of one step per path, and the first call's compile time (kernels compiled into an empty
    Numba cache in a fresh process: first step minus a warm step)."""
    import subprocess
    import sys
    import tempfile

    rows = []
    torch.set_num_threads(1)
    for index in indices:
        name, make = CASES[index]
        wb_step, torch_step = make()

        def numpy_step(step=wb_step):
            with wb.jit.disabled():
                step()

        steps = {"jit": wb_step, "numpy": numpy_step, "torch": torch_step}
        with threadpool_limits(1):
            for fn in steps.values():
                fn()
            times = {k: [] for k in steps}
            for _ in range(repeats):
                for key, fn in steps.items():
                    times[key].append(_time(fn))
            peak = {}
            for key in ("jit", "numpy"):
                tracemalloc.start()
                steps[key]()
                peak[key] = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
        med = {k: np.median(np.array(v), axis=0) * 1e3 for k, v in times.items()}
        rows.append((name, med, peak))
    code = ("import time, benchmarks.bench_nn as b, threadpoolctl\n"
            "with threadpoolctl.threadpool_limits(1):\n"
            f" for i in {list(indices)}:\n"
            "  s, _ = b.CASES[i][1](); t = time.perf_counter(); s()\n"
            "  first = time.perf_counter() - t\n"
            "  t = time.perf_counter(); s(); print(first - (time.perf_counter() - t))\n")
    with tempfile.TemporaryDirectory() as cache:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             env={**os.environ, "NUMBA_CACHE_DIR": cache}, check=True).stdout
    compile_s = [float(v) for v in out.split()]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"1 thread, {repeats} round-robin repeats, 1-minute load {load:.1f} at the end")
    print("| case | jit CPU ms | NumPy CPU ms | torch CPU ms | ratio CPU jit / NumPy | "
          "jit wall ms | NumPy wall ms | torch wall ms | ratio wall jit / NumPy | "
          "peak MiB jit / NumPy | first-call compile s |")
    print("|" + "---|" * 11)
    for (name, med, peak), first in zip(rows, compile_s):
        j, n, t = med["jit"], med["numpy"], med["torch"]
        print(f"| {name} | {j[1]:.2f} | {n[1]:.2f} | {t[1]:.2f} | {j[1] / t[1]:.2f} / "
              f"{n[1] / t[1]:.2f} | {j[0]:.2f} | {n[0]:.2f} | {t[0]:.2f} | {j[0] / t[0]:.2f} / "
              f"{n[0] / t[0]:.2f} | {peak['jit']:.1f} / {peak['numpy']:.1f} | {first:.1f} |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--profile", type=int, metavar="CASE",
                        help="profile the whiteboard step of CASES[CASE] instead")
    parser.add_argument("--paths", type=int, nargs="+", metavar="CASE",
                        help="compare the jit and NumPy paths of CASES[CASE] with torch instead")
    args = parser.parse_args(argv)
    if args.paths is not None:
        compare_paths(args.paths, args.repeats)
        return
    if args.profile is not None:
        profile_case(args.profile)
        return
    rows = [run_case(name, make, t, args.repeats) for t in args.threads for name, make in CASES]
    table = format_table(rows)
    print(table)
    if args.no_write:
        return
    doc = pathlib.Path(__file__).resolve().parent.parent / "docs" / "benchmarks" / "nn.md"
    doc.parent.mkdir(parents=True, exist_ok=True)
    old = doc.read_text() if doc.exists() else ""
    notes = old[old.index(NOTES_START):] if NOTES_START in old else NOTES_START + "\n"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    blas = ", ".join(f"{i['internal_api']} {i.get('architecture', '')}".strip()
                     for i in threadpool_info() if i["user_api"] == "blas")
    doc.write_text(
        "# nn layers: forward + backward vs PyTorch (CPU)\n\n"
        f"Generated {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC by "
        "`PYTHONPATH=$PWD python -m benchmarks.bench_nn` on "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores shared with "
        f"other jobs (1-minute load average {load:.1f} at the end of the run), NumPy "
        f"{np.__version__} ({blas}), torch {torch.__version__}, float32, median of {args.repeats} "
        "round-robin repeats.\n\n" + table + "\n\n" + notes
    )


if __name__ == "__main__":
    main()
