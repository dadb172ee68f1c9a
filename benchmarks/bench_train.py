"""One training epoch on digits: whiteboard against the same model in PyTorch (CPU).

    PYTHONPATH=$PWD python -m benchmarks.bench_train [--repeats 5] [--threads 1 2]

Workloads (issue 4): the MLP 64-128-10 with Adam, batch 32; the small LeNet-style CNN
(``models.get("lenet")``: conv 16 3x3 – max pool – conv 32 3x3 – FC 512-120-84-10) with SGD
(momentum 0.9), batch 64, on digits as 1x8x8 images. Same initial weights, same batches in the
same order, so both libraries do identical work; the contenders alternate round-robin in one
process so they see the same machine load. Reported: median and best seconds per epoch and the
ratio whiteboard / torch, for each thread count.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np
import torch
from threadpoolctl import threadpool_limits

import whiteboard as wb
from whiteboard import data, models, nn, optim


def torch_mlp():
    return torch.nn.Sequential(torch.nn.Linear(64, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))


def torch_lenet():
    return torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.Flatten(),
        torch.nn.Linear(512, 120), torch.nn.ReLU(), torch.nn.Linear(120, 84), torch.nn.ReLU(),
        torch.nn.Linear(84, 10))


def copy_weights(wb_model, torch_model):
    """Give the torch model whiteboard's initial weights (same parameter order)."""
    with torch.no_grad():
        for p_wb, p_t in zip(wb_model.parameters(), torch_model.parameters()):
            p_t.copy_(torch.from_numpy(p_wb.numpy()))


def make_case(name):
    X, y = data.load_digits(as_images=(name == "lenet"))
    X = X.astype(np.float32)
    if name == "mlp":
        X = (X - X.mean(0)) / (X.std(0) + 1e-8)
    batch = 32 if name == "mlp" else 64
    order = np.random.default_rng(0).permutation(len(X))
    batches = [(X[order[i:i + batch]], y[order[i:i + batch]]) for i in range(0, len(X), batch)]
    wb.manual_seed(0)
    model = models.get(name)
    tmodel = torch_mlp() if name == "mlp" else torch_lenet()
    copy_weights(model, tmodel)
    if name == "mlp":
        opt = optim.Adam(model.parameters(), lr=1e-3)
        topt = torch.optim.Adam(tmodel.parameters(), lr=1e-3)
    else:
        opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
        topt = torch.optim.SGD(tmodel.parameters(), lr=0.05, momentum=0.9)
    loss_fn, tloss_fn = nn.CrossEntropyLoss(), torch.nn.CrossEntropyLoss()
    wb_batches = [(wb.tensor(xb), wb.tensor(yb)) for xb, yb in batches]
    th_batches = [(torch.from_numpy(xb), torch.from_numpy(yb)) for xb, yb in batches]

    def wb_epoch():
        for xb, yb in wb_batches:
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()

    def torch_epoch():
        for xb, yb in th_batches:
            topt.zero_grad()
            tloss_fn(tmodel(xb), yb).backward()
            topt.step()

    return wb_epoch, torch_epoch


def run(repeats, threads):
    rows = []
    for name in ("mlp", "lenet"):
        for n in threads:
            torch.set_num_threads(n)
            with threadpool_limits(n):
                wb_epoch, torch_epoch = make_case(name)
                wb_epoch(), torch_epoch()  # warm-up
                times = {"whiteboard": [], "torch": []}
                for _ in range(repeats):
                    for label, fn in (("whiteboard", wb_epoch), ("torch", torch_epoch)):
                        t0 = time.perf_counter()
                        fn()
                        times[label].append(time.perf_counter() - t0)
            med = {k: float(np.median(v)) for k, v in times.items()}
            best = {k: float(np.min(v)) for k, v in times.items()}
            rows.append((name, n, med["whiteboard"], med["torch"],
                         med["whiteboard"] / med["torch"], best["whiteboard"] / best["torch"]))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)
    rows = run(args.repeats, args.threads)
    print(f"# one epoch on digits ({platform.processor() or platform.machine()}, "
          f"median of {args.repeats})")
    print("| model | threads | whiteboard s | torch s | ratio (median) | ratio (best) |")
    print("|---|---|---|---|---|---|")
    for name, n, w, t, r, rb in rows:
        print(f"| {name} | {n} | {w:.3f} | {t:.3f} | {r:.2f} | {rb:.2f} |")


if __name__ == "__main__":
    main()
