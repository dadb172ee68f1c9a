"""Forward + backward time of whiteboard's nn layers next to PyTorch (CPU, same threads).

    PYTHONPATH=$PWD python -m benchmarks.bench_nn [--repeats 15] [--threads 1 2] [--no-write]
    PYTHONPATH=$PWD python -m benchmarks.bench_nn --profile 0     # where case 0's time goes

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


CASES = [
    ("Conv2d 16→32, 3x3, pad 1, (32,16,28,28)",
     lambda: _pair(lambda lib: lib.nn.Conv2d(16, 32, 3, padding=1), (32, 16, 28, 28))),
    ("Conv2d 16→32 as above, torch with oneDNN off",
     _without_onednn(lambda: _pair(lambda lib: lib.nn.Conv2d(16, 32, 3, padding=1),
                                   (32, 16, 28, 28)))),
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


NOTES = """\
Reading the table
- Wall time on this machine includes waiting for a core (it is shared: the load average is in
  the header); CPU time (process time) is the fairer single-thread figure. With 2 threads, CPU
  time also counts worker threads spinning while they wait, and the second core is rarely free,
  so the 2-thread rows say little about either library. Expect ±30% between runs.
- NumPy's bundled OpenBLAS selects its Haswell (AVX2) kernels on this AMD EPYC although the CPU
  has AVX-512 (threadpoolctl reports `architecture: Haswell`); PyTorch's oneDNN uses AVX-512.
  `OPENBLAS_CORETYPE=SkylakeX` makes OpenBLAS use its AVX-512 kernels: in two paired runs the
  Conv2d ratio (CPU) went from 2.48/2.55 to 2.10/2.16.

Goals: Conv2d within 2x of PyTorch, pooling within 3x.
- Pooling: met with room to spare; MaxPool2d is about twice as fast as PyTorch's. It keeps one
  running maximum (np.maximum) and an arithmetic arg-max update (arg += take·(k − arg)) per kernel
  offset over strided views; the first version used np.copyto(where=) / np.where, which are ~10x
  slower than plain ufuncs, and was 2.3x slower than PyTorch.
- Conv2d (dense, 16→32, 3x3): missed, 2.5x in CPU time (2.1x with the AVX-512 kernels above).
  Profile (`--profile 0`), CPU ms per forward+backward step: input gradient ≈ 4.5 (9 per-offset
  GEMMs Wₖᵀ·dY with K = 32 plus the strided additions), weight gradient ≈ 3.2 (one GEMM
  dY·colsᵀ), forward ≈ 3.9 (im2col copy ≈ 0.6, GEMM ≈ 3, the NCHW/bias copy ≈ 0.3), autograd and
  gradient copies ≈ 0.5. Each product is 248 MFLOP and OpenBLAS runs it at ≈ 80 GFLOP/s, so the
  three GEMMs alone take ≈ 9 ms against PyTorch's ≈ 4–5 ms for the whole step: the GEMM
  dominates, not the im2col copy or the col2im scatter. oneDNN's direct convolution uses wider
  vectors and never materialises the column matrix. Against PyTorch's own im2col + GEMM path
  (oneDNN switched off, second row) whiteboard is on par (ratio 0.9–1.0).
  What helped: fusing col2im with the input-gradient GEMM per kernel offset (the 14 MB dX_col is
  never written or re-read: 24 → 15 ms at the time), channel-major columns so that each product is
  one GEMM over the whole batch instead of 32 small ones, and the wide-row layout for stride-1
  widths (long contiguous runs in im2col/col2im). Tried without gain: a per-offset forward GEMM
  (K = C = 16 is too small) and a per-offset weight-gradient GEMM.
- Depthwise Conv2d (groups = channels): about 3.7x. There is no GEMM to speak of (one weight row
  per channel); forward and input gradient are 9 multiply-adds of (32,32,28,30) views each (two
  NumPy passes per offset, memory bound), the weight gradient 9 einsums; PyTorch does one
  vectorised pass. An einsum over the window view was ~30% faster in the forward pass but copies
  the windows internally (+16 MiB peak), so the copy-free loop was kept.
"""


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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--profile", type=int, metavar="CASE",
                        help="profile the whiteboard step of CASES[CASE] instead")
    args = parser.parse_args(argv)
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
        "round-robin repeats.\n\n" + table + "\n\n" + NOTES
    )


if __name__ == "__main__":
    main()
