"""Augmentation pipelines: ``wb.augment`` on a whole batch (per-sample parameters, vectorised)
against the same pipeline as a per-sample loop (one CHW image per call, as a dataset transform
would run it) and against the same operations written with PyTorch tensor ops, 1 thread.

    PYTHONPATH=$PWD python -m benchmarks.bench_augment [--batch 256] [--repeats 5]
        [--pipelines crop+jitter+hue crop+jitter rotation]

Workloads (float32 RGB 224x224, values in [0, 1]):

* ``crop+jitter+hue``: RandomHorizontalFlip → RandomResizedCrop(224) (bilinear) → ColorJitter
  (brightness, contrast, saturation 0.4, hue 0.1) → Normalize(ImageNet mean, std). Torch:
  ``torch.flip`` under a per-sample mask, the crop boxes (drawn by whiteboard's ``get_params``)
  resampled by ``F.affine_grid`` + ``F.grid_sample`` (``align_corners=False``), the three blends
  with per-sample factors, the hue shift per sample by torchvision's definition written with
  tensor ops (RGB → HSV, ``H ← (H + h) mod 1``, HSV → RGB, the sector's value picked by
  ``torch.gather``), then the normalisation.
* ``crop+jitter``: the same with hue 0 (no HSV op on either side).
* ``rotation``: RandomRotation(30, bilinear). Torch: ``F.affine_grid`` + ``F.grid_sample``.

The contenders run round-robin in one process (same machine load); the table gives medians and
bests of ``--repeats`` rounds of wall time (``time.perf_counter``) and the median CPU time of the
process (``time.process_time``; on a loaded machine the wall time also counts the waits for a
core), and the peak extra memory of whiteboard's batched call (tracemalloc; torch's allocator is
invisible to it).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc

import numpy as np
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

import whiteboard as wb
import whiteboard.augment as A

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def wb_pipelines():
    def crop_jitter(hue):
        return A.Compose([A.RandomHorizontalFlip(), A.RandomResizedCrop(224),
                          A.ColorJitter(0.4, 0.4, 0.4, hue), A.Normalize(MEAN, STD)])

    return {"crop+jitter+hue": crop_jitter(0.1), "crop+jitter": crop_jitter(0),
            "rotation": A.RandomRotation(30, interpolation="bilinear")}


def _gray(x):
    return (0.2989 * x[:, 0] + 0.587 * x[:, 1] + 0.114 * x[:, 2]).unsqueeze(1)


def _blend(a, b, f):
    return (f * a + (1 - f) * b).clamp_(0, 1)


def _hue(x, shift):
    """torchvision's adjust_hue with one shift per sample: RGB → HSV (colorsys's formulas),
    ``H ← (H + shift) mod 1``, HSV → RGB by the sector table."""
    r, g, b = x.unbind(1)
    maxc, minc = x.amax(dim=1), x.amin(dim=1)
    delta = maxc - minc
    grey = delta == 0
    s = torch.where(maxc == 0, torch.zeros(()), delta / torch.where(maxc == 0, 1.0, maxc))
    d = torch.where(grey, 1.0, delta)
    h = torch.where(maxc == r, (g - b) / d,
                    torch.where(maxc == g, 2 + (b - r) / d, 4 + (r - g) / d))
    h = torch.where(grey, 0.0, h / 6 % 1)
    h = (h + shift[:, None, None]) % 1
    h6 = h * 6
    i = torch.floor(h6)
    f = h6 - i
    i = (i.long() % 6).unsqueeze(1)
    v = maxc
    p, q, t = v * (1 - s), v * (1 - s * f), v * (1 - s * (1 - f))
    table = ((v, q, p, p, t, v), (t, v, v, q, p, p), (p, p, t, v, v, q))
    return torch.cat([torch.gather(torch.stack(c, 1), 1, i) for c in table], 1)


def torch_crop_jitter(x, rng, hue=0.0):
    n, _, H, W = x.shape
    flip = torch.from_numpy(rng.random(n) < 0.5)[:, None, None, None]
    x = torch.where(flip, x.flip(-1), x)
    top, left, h, w = (torch.from_numpy(np.asarray(v, dtype=np.float32))
                       for v in A.RandomResizedCrop(224).get_params(n, H, W, rng))
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0], theta[:, 0, 2] = w / W, (2 * left + w) / W - 1
    theta[:, 1, 1], theta[:, 1, 2] = h / H, (2 * top + h) / H - 1
    grid = F.affine_grid(theta, (n, 3, 224, 224), align_corners=False)
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    fb, fc, fs = (torch.from_numpy(rng.uniform(0.6, 1.4, n).astype(np.float32))[:, None, None,
                                                                               None]
                  for _ in range(3))
    x = _blend(x, torch.zeros(()), fb)
    x = _blend(x, _gray(x).mean(dim=(1, 2, 3), keepdim=True), fc)
    x = _blend(x, _gray(x), fs)
    if hue:
        x = _hue(x, torch.from_numpy(rng.uniform(-hue, hue, n).astype(np.float32)))
    mean, std = torch.tensor(MEAN)[None, :, None, None], torch.tensor(STD)[None, :, None, None]
    return (x - mean) / std


def torch_rotation(x, rng):
    n = x.shape[0]
    a = torch.from_numpy(np.deg2rad(rng.uniform(-30, 30, n)).astype(np.float32))
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0], theta[:, 0, 1] = torch.cos(a), -torch.sin(a)
    theta[:, 1, 0], theta[:, 1, 1] = torch.sin(a), torch.cos(a)
    grid = F.affine_grid(theta, x.shape, align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


TORCH = {"crop+jitter+hue": lambda x, rng: torch_crop_jitter(x, rng, hue=0.1),
         "crop+jitter": torch_crop_jitter, "rotation": torch_rotation}


def contenders(name, x):
    pipe = wb_pipelines()[name]
    xt = torch.from_numpy(x)
    rng = np.random.default_rng(0)
    return {"whiteboard batch": lambda: pipe(x),
            "whiteboard per-sample loop": lambda: np.stack([pipe(img) for img in x]),
            "torch": lambda: TORCH[name](xt, rng)}


def run(name, x, repeats):
    steps = contenders(name, x)
    wall = {k: [] for k in steps}
    cpu = {k: [] for k in steps}
    with threadpool_limits(1):
        torch.set_num_threads(1)
        for step in steps.values():
            step()
        for _ in range(repeats):
            for k, step in steps.items():
                start, start_cpu = time.perf_counter(), time.process_time()
                step()
                cpu[k].append(time.process_time() - start_cpu)
                wall[k].append(time.perf_counter() - start)
        tracemalloc.start()
        steps["whiteboard batch"]()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return ({k: float(np.median(t)) for k, t in wall.items()},
            {k: float(np.min(t)) for k, t in wall.items()},
            {k: float(np.median(t)) for k, t in cpu.items()}, peak)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pipelines", nargs="+", choices=list(wb_pipelines()),
                        default=list(wb_pipelines()))
    args = parser.parse_args()
    wb.manual_seed(0)
    x = np.random.default_rng(0).random((args.batch, 3, 224, 224), dtype=np.float32)
    print(f"batch {x.shape} float32 ({x.nbytes / 2**20:.0f} MB); numpy {np.__version__}, torch "
          f"{torch.__version__}, {platform.machine()}; 1 thread, {args.repeats} round-robin "
          f"repeats; load average {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print("| pipeline | whiteboard batch median / best (s) | per-sample loop median (s) | torch "
          "median / best (s) | CPU s: batch / loop / torch | batch / torch (wall, CPU) | "
          "loop / batch (wall, CPU) | whiteboard batch peak extra memory (MB) |")
    print("|---|---|---|---|---|---|---|---|")
    for name in args.pipelines:
        med, best, cpu, peak = run(name, x, args.repeats)
        b, lp, t = med["whiteboard batch"], med["whiteboard per-sample loop"], med["torch"]
        cb, cl, ct = (cpu[k] for k in ("whiteboard batch", "whiteboard per-sample loop",
                                       "torch"))
        print(f"| {name} | {b:.3f} / {best['whiteboard batch']:.3f} | {lp:.3f} | {t:.3f} / "
              f"{best['torch']:.3f} | {cb:.3f} / {cl:.3f} / {ct:.3f} | {b / t:.2f}, "
              f"{cb / ct:.2f} | {lp / b:.2f}, {cl / cb:.2f} | {peak / 2**20:.0f} |", flush=True)
    print(f"load average at the end {' '.join(f'{v:.1f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
