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
- Conv2d (dense, 16→32, 3x3): borderline — about 1.8–2.0x in CPU time at one thread (it was
  2.5–2.6x with im2col + GEMM, then 2.0–2.07x). Five whole-table runs on a quiet machine (load
  average 0.6): 1.83, 1.93, 1.98, 1.97, 2.03 (the table above); paired runs of the latest changes
  under load (base and new code in alternating processes, 21 repeats each): base 2.04 / 2.04 /
  2.03, new 1.92 / 1.99 / 2.10. The goal is met on most runs, not all; a reliable ≤ 1.8x was not
  reached.
  What changed: a dense 3x3, stride-1, undilated, ungrouped convolution now uses Winograd
  F(2x2, 3x3) (nn/_conv_winograd.py): 16 batched products U_ξ·V_ξ over 2x2 output tiles instead
  of one im2col GEMM, 2.25x fewer multiplications (three products of ≈ 110 MFLOP instead of
  248), the backward pass as the exact adjoint (dU = dM·Vᵀ, dV = Uᵀ·dM). Profile now (CPU ms per
  step, hot-cache micro-timings of the pieces): the products ≈ 4.0–4.7 (≈ 80–90 GFLOP/s, close to
  the AVX2 peak of one core, whatever the operand order or transposition), the tile transforms
  ≈ 3.5–4 (input 0.9, output 0.8, output adjoint 0.8, input adjoint 1.0); the other ≈ 2 ms of a
  ≈ 9.5 ms step sit in no single piece (in the step the pieces are not cache-hot: V is written
  out and read back, x, dY and dX stream through) and in autograd. Three things were needed for
  the transforms to be cheap: (1) a "phase" layout — the padded plane split by row/column
  parity and flattened, with one junk tile per tile row, so that every 4x4 patch entry is one
  contiguous run; the first version used strided 4x4 patch views and NumPy's 14-element inner
  loops made the step 25 ms;
  (2) running over chunks of 4 samples (2 MiB temporaries): whole-batch temporaries made glibc
  hand memory back to the kernel and re-fault it, 6,400 minor page faults (25 MB) per step at
  ≈ 2 µs each — the page faults, not the arithmetic, were half the step; (3) keeping the input
  transform V for the weight gradient inside the output's allocation (as separate arrays it again
  caused page faults; recomputing it instead cost ≈ 1 ms). Peak memory fell from 27.7 to 16 MiB.
  Later small gains: the input adjoint adds the overlapping patch rows in one pass each instead
  of zero-fill + add (1.6 → 1.0 ms hot); the bias is added to M[1, 1] (the Winograd entry that
  reaches all four outputs of a tile with weight 1) instead of a pass over the output, and its
  gradient is read off dM[1, 1] instead of a strided reduction over dY.
  Measured without gain: chunk sizes 1–3 MiB (within noise; 0.5 MiB and 8 MiB slower); the output
  transform as a (4 x 16) GEMM and the input transform as a (16 x 16) GEMM (same time as the
  additions); fusing the output transform's last stage into the strided interleaving copy (3x
  slower: NumPy's strided inner loops of 14 elements dominate); splitting column parity first
  with long strided runs (slower); the weight-gradient product as V·dMᵀ or with Vᵀ copied.
  Measured without gain: GEMM layouts for the im2col path with the big dimension N·OH·OW as M
  (30% slower under OpenBLAS's Haswell kernels), the input gradient as one GEMM Wᵀ·dY plus col2im
  versus 9 per-offset GEMMs versus 3 per-kernel-row GEMMs (all within 3%, 7.2–7.5 ms).
  What would close the rest: OpenBLAS's AVX-512 kernels (see above; not selectable from the
  library at run time), or F(4x4, 3x3) (2.25 → 4x fewer multiplications, more transform work).
  Other geometries (strided, dilated, grouped, other kernel sizes) still use im2col + GEMM,
  about 2.5x PyTorch.
- Depthwise Conv2d (groups = channels): about 1.75–2.1x (it was 2.2–2.5x before these changes,
  3.5–3.8x before that; noisy — PyTorch's own time varies most here). Quiet-machine runs: 2.01,
  1.84, 2.04, 2.11, 2.08 (the table); paired runs (as above): base 2.34 / 2.24 / 2.43, new 2.06 /
  1.75 / 1.94. The forward pass is a batched matmul of the (C, m, 9) weights with the windows (N,
  C, 9, OH·cols_w), copied contiguous a few samples at a time (matmul ~2x faster than the einsum
  it replaced on the same copy; both are ~10x slower on the strided window view); the stride-1
  weight gradient is one batched dot product per kernel offset between dY and the flat padded
  input shifted by off_k (no window copy: 1.6 → 0.9 ms); the stride-1 input gradient is a
  correlation of the zero-extended output gradient with the flipped kernel in the flat wide-row
  layout (one more batched matmul; its flipped-kernel operand must be copied contiguous — with
  negative strides matmul leaves BLAS and was 6x slower). Nine multiply + add passes on the flat
  layout were slower (2.5 vs 1.5 ms for the forward pass). Chunks of samples (512 KiB of output
  each; 128 KiB since round 2, below) again avoid page faults. The step time is bimodal from
  process to process (≈ 5.5 ms or ≈
  12.5 ms, base code alike): in some processes glibc returns the freed output-sized arrays to the
  kernel each step (3,775 minor page faults per step); a single-process table can land in either
  mode.
- Round 2 (2026-12-07, 1 thread, CPU-time medians of 9 round-robin repeats, `PYTHONPATH=$PWD
  python -m benchmarks.bench_nn --repeats 9 --threads 1 --no-write`, base = commit 2e7d65c and
  new code alternated old/new/old/new; load average 7.8–8.2 on the 2 cores, so every absolute
  figure, PyTorch's included, is ~2x the quiet-machine one and the ratios are the figures to read):
  - Depthwise: base 2.24 / 2.29, new 1.89 / 1.82 (whiteboard 14.2 / 15.7 → 11.5 / 11.6 ms;
    torch 6.1–6.9 ms). Goal ≤ 1.3x: missed. What changed: chunks of 1<<17 bytes of output
    (one 32-channel 28x28 sample) so that the 9-window copy (9x the chunk) stays in L2 — the
    forward pass alone went 4.5 → 3.1 ms at 4 → 1 samples per chunk (8 samples: 10 ms); the
    padded input is kept from the forward pass (no re-pad in backward; peak 14.5 → 17.6 MiB);
    the backward pass zero-extends dY once for the whole batch and that one buffer serves the
    input gradient (its windows, per chunk) and the weight gradient (its dY run; in chunks of 4
    samples: 1.2 ms against 1.6 per sample and 2.6 for the whole batch at once). Tried and
    dropped: nine fused multiply-add passes over views of the flat padded buffer (5.2 ms for
    the forward pass against 3.1–4.0 for copy + matmul: a (C, 1) broadcast operand keeps
    NumPy's ufunc off its fast loop, 0.54 ns per multiply-add against 0.34 for a scalar),
    per-channel scalar passes (5.8 ms), a materialised broadcast weight (3.8–4.0 ms). The
    window copies are still ~2 ms of the ~5.5 ms quiet-machine step; what would close the gap
    is a kernel that fuses the 9 taps (not expressible as one NumPy call without the copy).
  - ConvTranspose2d 4x4 s2 (its forward pass is the strided conv input gradient): base 1.80 /
    1.82, new 1.68 / 1.56. Goal ≤ 1.3x: missed. Where the 3.6 ms of the old function went
    (timed section by section, 25 repeats): 16 per-offset GEMMs 1.96 ms, 16 phase-split
    additions 1.50, the final phase interleave + crop copy 0.64, set-up 0.26 — the
    interleave copy was not the culprit. Now every stride phase is one product over stacked
    shifted copies of dY (offset (a + i·SH, b + j·SW) of phase (a, b) reads dY shifted by
    i·Cw + j; offsets past the kernel get zero weights), and all phases share ONE GEMM per
    group, (SH·SW·C/G, I·J·O/G) @ D: no additions at all; the function went 3.61 → 2.34 ms
    (paired, 31 repeats). One GEMM per phase (4 GEMMs with K = 128) was no faster (3.8 ms:
    2.7 ms in GEMMs that each re-read the 3.7 MB D). The rest of the step is the backward
    pass: a stride-2 im2col (strided window copy, ~1.5 ms) + GEMM for dX and the weight GEMM.
- Round 3 (2026-12-07 13:20 UTC, issue 18; 1 thread, CPU-time medians of 25 round-robin
  repeats of base = commit f985d51 and the new code in ONE process beside torch, four
  processes; load average 15.8-16.1 on the 2 cores, so absolute figures are ~2x quiet ones):
  - Depthwise: CPU ratio base 1.97 / 1.89 / 1.97 → new 1.77 / 1.70 / 1.76 in the three
    processes where nothing page-faulted (whiteboard 7.04-7.17 → 6.27-6.45 ms, torch
    3.57-3.77); in the fourth, base and torch faulted (1,832 and 1,273 minor faults per step)
    and the ratio went 1.47 → 0.92. Peak 17.6 → 13.6 MiB; the new path never faulted in any
    run. Goal ≤ 1.3x: still missed when torch does not fault. What changed: with stride 1 (no
    pad beyond the kernel's reach) a new layout, "rows of taps" over unpadded rows: each
    channel's samples are blocks of H + (KH−1)·DH rows of width W (image rows, then zero rows
    that are also the next sample's top padding); kernel offset (p, q) splits into a column
    part — KW shifted copies Q of the block, with the wrap-around columns zeroed (that is the
    horizontal padding) — and a row part: R = W (m·KH x KW) @ Q, then y = Σ_p R_p shifted by
    p·DH·W (KH − 1 additions, the last one written straight into y). KW copies instead of the
    KH·KW-fold window copy, and the NCHW ↔ block copies move whole H·W planes. dX is the same
    correlation of dY with the flipped kernel, dW one product E @ Sᵀ of dY's shifted copies E
    with the input's KH row-shifted copies S. Blocks are 3 channels x 32 samples (2 MiB of
    buffers, allocated once per pass and reused: fresh block-sized temporaries page-faulted,
    and smaller blocks cost more in per-call overhead than they gained in cache: 1/2 MiB
    1.3-1.5x slower). Profile now (load ~15): forward 3.0 ms against torch's 1.4, backward
    3.7 against 2.9; per pass the block products ≈ 1.4 (shifted copies 0.30, column zeroing
    0.09, products 0.42, additions 0.55 — two passes over the strided NCHW result were 0.76),
    the NCHW → block copy 0.45-0.5, and the step's wb.tensor copy of x 0.28. Base profile
    (hot, load ~5): forward 1.68, dX 1.77, dW 1.15, pad 0.22, dY extension 0.22, bias 0.14.
    What is left: every pass is memory-bound NumPy work (copies, a K=3 product, additions);
    torch fuses the taps. Tried: a padded channel-major layout with the same taps (first
    version; equal to base when nothing faulted), dW as one batched matrix-vector product
    per offset row (1.26 ms against 0.6 for E @ Sᵀ).
  - ConvTranspose2d 4x4 s2: CPU ratio base 1.41 / 1.37 / 1.45 / 1.43 → new 1.29 / 1.27 /
    1.33 / 1.30 (whiteboard 7.68-8.00 → 7.09-7.30 ms, torch 5.49-5.62); peak 10.9 → 6.0 MiB.
    Goal ≤ 1.3x: met in two of four processes, borderline. What changed: a strided,
    undilated, ungrouped transposed convolution runs by output phases (sub-pixel) in its own
    code (conv_transpose._SubPixel): phases = W_all @ D over the stacked shifted copies D of
    x, and the backward pass is its adjoint — dY split by phase (dP, one copy), dD = W_allᵀ @
    dP then dx = Σ_ij dD_ij shifted back (three additions of long runs), dW_all = D @ dPᵀ —
    three dense products and no stride-2 im2col (the base backward's strided window copy was
    1.08 ms, and its weight GEMM X @ colsᵀ ran at 59 GFLOP/s against 83 for the transposed
    order). Everything runs over chunks of 8 samples with buffers allocated once and zeroed
    once (the phase layout is the same for every chunk), D rebuilt per chunk in the backward
    pass instead of kept: the first version (whole-batch D kept) page-faulted 1,458-1,671 times
    per step and lost 1.6-1.8 → 1.2-1.4 to this one in the same processes. Profile now (load
    ~11): the three GEMMs 1.35 + 1.30 + 1.48 ms of ≈ 5.4, D build 0.35, phase split 0.24,
    interleave 0.20, shifted additions 0.21. What is left: the GEMMs (OpenBLAS Haswell kernels,
    80-100 GFLOP/s, on phase planes 15x15 for 14x14 outputs: 15% junk).
- Two threads: whiteboard's Winograd and depthwise paths do not use the second core (their
  per-chunk products are too small for OpenBLAS to split), so on a quiet machine PyTorch scales
  and whiteboard does not (the 2-thread Conv2d ratio is ~3x in wall time); under contention the
  old whole-batch GEMM collapsed instead (110–850 ms per step in two paired runs against
  15–19 ms now).- Round 3 (issue 18, 2026-12-07 13:00-13:15 UTC, branch `perfconv`, 1 thread
  (OMP/OPENBLAS_NUM_THREADS=1 + threadpoolctl), base = f985d51 and new code round-robin with
  torch in one process, CPU-time medians (wall beside), load average 11-16 on the 2 cores: every
  absolute figure, torch's included, is inflated; read the ratios):
  - Conv2d 16→32 on LeNet's 4x4 planes, (64,16,4,4), fwd+bwd (a case of its own in CASES
    since this round; the table above predates it), 101 repeats: base 2.30 / 2.84 ms
    (ratio CPU 2.15 / 2.33, wall 4.8 / 8.7), new 1.10 / 1.16 ms (ratio CPU 1.03 / 0.95, wall 1.04
    / 0.96; torch 1.07 / 1.22 ms). Cause: on small planes the phase layout's runs are a tile row
    long (2-3 elements), so the transforms ran in NumPy's per-run overhead (the input transform's
    _bt alone 0.29 ms per call). Now a plane with H·W <= 36 (DENSE_PLANE_MAX) runs each transform
    as ONE GEMM with its whole-plane matrix: V = T_in·Xᵀ (T_in: (16·tiles, H·W), zero padding
    folded in), M_ξ = V_ξ·U_ξᵀ, Y = Mᵀ·T_outᵀ (T_out: (OH·OW, 16·tiles), the odd-size crop folded
    in); every operand is a plain or transposed matrix, so there are no copies and no junk tiles;
    the backward pass is the adjoint. Its transform GEMMs cost ~(H·W)² per plane, so the rule is
    by plane size (dense vs phase, ms, 64x16→32: 4x4 0.73 / 2.59, 5x5 1.57 / 3.70, 6x6 1.76 /
    4.31, 7x7 6.11 / 5.16, 8x8 6.43 / 5.80; 32x64→64 on 6x6: 8.3 / 10.4). Then the weight
    transform U = G w Gᵀ and its adjoint: each was a three-operand einsum that loops naively
    (~0.1 ms per call, two per step); now one product of the (O·C, 9) kernels with G ⊗ G
    (1.52 → 1.13 ms for this case).
  - Conv2d 16→32 on (32,16,28,28) (the goal row, ≤ 1.1x), 21 repeats, two runs: base 11.83 /
    12.29 ms (ratio CPU 1.28 / 1.31), new 11.45 / 11.91 ms (ratio CPU 1.24 / 1.27; torch 9.22 /
    9.38 ms). Goal missed. Where the time goes (hot micro-timings per 4-sample chunk, 8 chunks
    per step): the 3 batched products 134-152 µs each (91-103 GFLOP/s: the OpenBLAS Haswell
    sgemm ceiling here, whatever the operand order or transposition; one batched einsum for
    dU: 10 GFLOP/s) ≈ 3.5 ms per step; the transforms input 166, output 137, output adjoint
    127, input adjoint 190 µs ≈ 5 ms per step, at ≈ 0.36 ns per element per NumPy pass (33 GB/s,
    the L2 bandwidth; each pass is one add/subtract over a whole tile array); no page faults
    (0.05 minor faults per step), autograd ≈ 0 (the step through Conv2d 11.8 ms against
    calling the Winograd function and its backward closure directly 12.1 ms). F(4x4, 3x3)
    was analysed, not built: it cuts the products 1.78x (≈ 3.5 → 2.0 ms) but each 1-D stage
    of its 6x6 transforms needs ≈ 19 passes for 6 outputs (scalar multiplies by 4, 5, 2 are
    passes of their own in NumPy) against 4 for F(2x2)'s 4, ≈ 50 instead of 24 element-passes
    per input element for the input transform and likewise for the others: ≈ +4-5 ms of
    transforms for -1.5 ms of products. As GEMMs with the 36x36 Kronecker matrix on gathered
    patches its input transform alone is 162 flops per pixel (≈ 65 MFLOP, 0.7-0.8 ms) plus a
    2.25x gather copy, no cheaper than now. Small further cuts, not made: both output-side
    stages as two (L, 16)·(16, 2) GEMMs that also interleave the columns (measured 95 µs
    against 137 for the output transform per chunk, ≈ 0.15 ms per step), dropping the
    sign-flip passes of the input adjoint (estimated: ≈ 6 of its 46 element-passes, ≈ 0.2 ms);
    together ≈ 3%, not enough for 1.1x. What would reach it: a kernel that fuses the
    transforms with the products (one pass over each tile, no intermediate arrays), i.e.
    compiled code.
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
            "  s, _ = b.CASES[i][1](); t = time.perf_counter(); s(); first = time.perf_counter() - t\n"
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
