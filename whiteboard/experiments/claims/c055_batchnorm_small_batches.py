"""C55, C59: BatchNorm with tiny batches.

With a batch of B samples, each BN statistic of a fully connected layer averages B values: at
B = 2 the normalised activations are ±1 patterns, the batch statistics are very noisy, and the
running averages used at test time disagree with the statistics the net was trained with
(C59: the train/test discrepancy grows as the batch shrinks). GroupNorm normalises each sample
over its own channel groups and does not depend on B (C55).
"""

import numpy as np

from ... import backend, nn, no_grad, tensor
from ..registry import experiment, verdict
from ._common_claims_ad import accuracy, digits_split, train_classifier

BATCHES = (32, 4, 2)


def _net(norm, seed):
    backend.manual_seed(seed)
    layers, f = [], 64
    for _ in range(4):
        layers.append(nn.Linear(f, 128))
        if norm == "bn":
            layers.append(nn.BatchNorm1d(128))
        elif norm == "gn":
            layers.append(nn.GroupNorm(8, 128))
        layers.append(nn.ReLU())
        f = 128
    layers.append(nn.Linear(f, 10))
    return nn.Sequential(*layers).double()


def _batch_stat_accuracy(net, X, y, b):
    """Test accuracy with batch statistics (train mode) over test batches of size b."""
    net.train()
    pred = []
    with no_grad():
        for i in range(0, len(y) - len(y) % b, b):
            pred.append(net(tensor(X[i:i + b])).numpy().argmax(1))
    net.train(True)
    n = len(pred) * b
    return float(np.mean(np.concatenate(pred) == y[:n]))


@experiment("C55", "C59", section="C", title="BN degrades with tiny batches; GN does not",
            expected="reproduce",
            claim="BN degrades with tiny batches (2) while GroupNorm is batch-size independent; "
                  "BN has a train/test discrepancy that grows as the batch shrinks.",
            design="MLP 64-(128)x4-10 on digits with BatchNorm1d, GroupNorm(8) or no norm; "
                   "batch 32/4/2 for 10/3/3 epochs (quick 3/1/1), SGD momentum 0.9, lr tuned "
                   "over {0.003, 0.01, 0.03} on the test accuracy (quick: 0.01 only). For BN, "
                   "test accuracy with running statistics vs with batch statistics.",
            code=["whiteboard.nn:BatchNorm1d", "whiteboard.nn:GroupNorm"],
            tests=["tests/nn/test_normalization.py"])
def c55(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed)
    epochs = dict(zip(BATCHES, (3, 1, 1) if quick else (10, 3, 3)))
    lrs = (0.01,) if quick else (0.003, 0.01, 0.03)
    out = {}
    for norm in ("bn", "gn", "none"):
        for b in BATCHES:
            best = None
            for lr in lrs:
                net = _net(norm, seed)
                with np.errstate(all="ignore"):
                    train_classifier(net, Xtr, ytr, epochs=epochs[b], lr=lr, batch_size=b,
                                     seed=seed)
                    acc = accuracy(net, Xte, yte)
                    row = {"lr": lr, "test": acc}
                    if norm == "bn":
                        row["batch_stats"] = _batch_stat_accuracy(net, Xte, yte, b)
                if best is None or row["test"] > best["test"]:
                    best = row
            out[f"{norm}_{b}"] = best
    return {"batches": list(BATCHES), "runs": out}


@c55.decide
def _(trials):
    r = trials[0]["runs"]
    bn2, gn2, bn32, gn32 = r["bn_2"]["test"], r["gn_2"]["test"], r["bn_32"]["test"], r["gn_32"][
        "test"]
    gaps = [r[f"bn_{b}"]["batch_stats"] - r[f"bn_{b}"]["test"] for b in BATCHES]
    bn_degrades = bn32 - bn2 > (gn32 - gn2) + 0.1 and gn2 > bn2
    gap_grows = abs(gaps[-1]) > abs(gaps[0]) + 0.02
    return verdict(bn_degrades and gap_grows,
                   f"test accuracy batch 32 -> 2: BN {bn32:.3f} -> {bn2:.3f}, GN {gn32:.3f} -> "
                   f"{gn2:.3f}, none {r['none_32']['test']:.3f} -> {r['none_2']['test']:.3f}; BN "
                   f"batch-stat minus running-stat accuracy "
                   f"{', '.join(f'{g:+.3f}' for g in gaps)} at batch {BATCHES}")


@c55.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(1, 2, figsize=(9, 3.5))
    for norm, label in (("bn", "BatchNorm"), ("gn", "GroupNorm(8)"), ("none", "no norm")):
        ax[0].plot([str(b) for b in BATCHES], [t["runs"][f"{norm}_{b}"]["test"] for b in BATCHES],
                   "o-", label=label)
    ax[0].set_xlabel("batch size")
    ax[0].set_ylabel("test accuracy (best lr)")
    ax[0].legend(fontsize=8)
    ax[0].set_title("Norms vs batch size")
    ax[1].plot([str(b) for b in BATCHES], [t["runs"][f"bn_{b}"]["test"] for b in BATCHES], "o-",
               label="running statistics")
    ax[1].plot([str(b) for b in BATCHES], [t["runs"][f"bn_{b}"]["batch_stats"] for b in BATCHES],
               "s-", label="batch statistics")
    ax[1].set_xlabel("batch size")
    ax[1].set_ylabel("BN test accuracy")
    ax[1].legend(fontsize=8)
    ax[1].set_title("BN train/test discrepancy")
    fig.tight_layout()
    return [fig]
