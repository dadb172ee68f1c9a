"""Does augmentation make a LeNet-sized training step wait? One epoch of LeNet-5 (32x32 grey,
batch 128, SGD) on 2,048 random images, round-robin over three loaders in one process:

* ``none``: the plain DataLoader (the step alone);
* ``inline``: ``AugmentedLoader(num_workers=0)`` — RandomAffine(10°, translate 0.1, scale
  0.9–1.1, bilinear) + RandomErasing, computed between steps;
* ``worker``: the same pipeline with ``num_workers=1`` (one spawned process, prefetch 2).

    PYTHONPATH=$PWD python -m benchmarks.bench_augment_loader [--repeats 5] [--colour]

``--colour``: RGB 32x32 images (LeNet-5 with 3 input channels) and ColorJitter(0.4, 0.4, 0.4,
hue 0.1) between the affine warp and the erasing, so the colour ops (the hue shift included) are
on the path.

1 BLAS thread in the main process and in the worker. Medians of ``--repeats`` epochs (the
workers' start-up is excluded: one warm-up epoch first), in wall time and in the main process's
CPU time (``time.process_time``: a worker's CPU is not in it; on a loaded machine the wall time
also counts the waits for a core).
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

import whiteboard as wb  # noqa: E402
import whiteboard.augment as A  # noqa: E402
from whiteboard import nn, optim  # noqa: E402
from whiteboard.data import DataLoader, TensorDataset  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--colour", action="store_true",
                    help="RGB images and ColorJitter (with hue) in the pipeline")
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    channels = 3 if args.colour else 1
    x = rng.random((2048, channels, 32, 32), dtype=np.float32)
    y = rng.integers(0, 10, 2048)
    base = DataLoader(TensorDataset(x, y), batch_size=128, shuffle=True)
    colour = [A.ColorJitter(0.4, 0.4, 0.4, 0.1)] if args.colour else []
    pipe = A.Compose([A.RandomAffine(10, translate=(0.1, 0.1), scale=(0.9, 1.1),
                                     interpolation="bilinear"), *colour, A.RandomErasing()])
    loaders = {"none": base, "inline": A.AugmentedLoader(base, pipe),
               "worker": A.AugmentedLoader(base, pipe, num_workers=1)}
    model = wb.models.get("lenet5", num_classes=10, in_channels=channels)
    opt = optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()

    def epoch(loader):
        t0, c0 = time.perf_counter(), time.process_time()
        for xb, yb in loader:
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()
        return time.perf_counter() - t0, time.process_time() - c0

    times = {k: [] for k in loaders}
    load = os.getloadavg()
    with threadpool_limits(1):
        for ld in loaders.values():
            epoch(ld)                                    # warm-up (and worker start-up)
        for _ in range(args.repeats):
            for k, ld in loaders.items():
                times[k].append(epoch(ld))
    loaders["worker"].close()
    med = {k: np.median(np.array(v), axis=0) for k, v in times.items()}
    kind = "RGB 32x32, ColorJitter with hue" if args.colour else "grey 32x32"
    print(f"LeNet-5 epoch ({kind}), 16 steps of batch 128, 1 thread, {args.repeats} round-robin "
          f"repeats; load average {load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    print("| loader | median epoch wall (s) | vs no augmentation | main-process CPU (s) | vs no "
          "augmentation |")
    print("|---|---|---|---|---|")
    for k in loaders:
        (w, c), (w0, c0) = med[k], med["none"]
        print(f"| {k} | {w:.3f} | {w / w0:.2f} | {c:.3f} | {c / c0:.2f} |")


if __name__ == "__main__":
    main()
