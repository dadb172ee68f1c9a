"""Does augmentation make a LeNet-sized training step wait? One epoch of LeNet-5 (32x32 grey,
batch 128, SGD) on 2,048 random images, round-robin over three loaders in one process:

* ``none``: the plain DataLoader (the step alone);
* ``inline``: ``AugmentedLoader(num_workers=0)`` — RandomAffine(10°, translate 0.1, scale
  0.9–1.1, bilinear) + RandomErasing, computed between steps;
* ``worker``: the same pipeline with ``num_workers=1`` (one spawned process, prefetch 2).

    PYTHONPATH=$PWD python -m benchmarks.bench_augment_loader [--repeats 5]

1 BLAS thread in the main process and in the worker. Medians of ``--repeats`` epochs (the
workers' start-up is excluded: one warm-up epoch first).
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
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    x = rng.random((2048, 1, 32, 32), dtype=np.float32)
    y = rng.integers(0, 10, 2048)
    base = DataLoader(TensorDataset(x, y), batch_size=128, shuffle=True)
    pipe = A.Compose([A.RandomAffine(10, translate=(0.1, 0.1), scale=(0.9, 1.1),
                                     interpolation="bilinear"), A.RandomErasing()])
    loaders = {"none": base, "inline": A.AugmentedLoader(base, pipe),
               "worker": A.AugmentedLoader(base, pipe, num_workers=1)}
    model = wb.models.get("lenet5", num_classes=10, in_channels=1)
    opt = optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()

    def epoch(loader):
        t0 = time.perf_counter()
        for xb, yb in loader:
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()
        return time.perf_counter() - t0

    times = {k: [] for k in loaders}
    with threadpool_limits(1):
        for ld in loaders.values():
            epoch(ld)                                    # warm-up (and worker start-up)
        for _ in range(args.repeats):
            for k, ld in loaders.items():
                times[k].append(epoch(ld))
    loaders["worker"].close()
    med = {k: float(np.median(v)) for k, v in times.items()}
    print(f"LeNet-5 epoch, 16 steps of batch 128, 1 thread, {args.repeats} round-robin repeats")
    print("| loader | median epoch (s) | vs no augmentation |")
    print("|---|---|---|")
    for k in loaders:
        print(f"| {k} | {med[k]:.3f} | {med[k] / med['none']:.2f} |")


if __name__ == "__main__":
    main()
