"""C22: sparse interactions and weight sharing generalise better than a dense net on scarce data.

300 training digits (a random subset of the 70 % split, the same for both nets in a seed),
upsampled to 16×16 and standardised by one global mean and sd (``digits16_split``) — not per
pixel, because per-pixel z-scoring gives every position its own scale and breaks the stationarity
that weight sharing relies on. A small CNN (conv8-pool-conv16-pool-linear, 3,818
parameters) against an MLP 256-128-10 (34,186 parameters, 9× more), both SGD momentum 0.9,
lr 0.01, batch 32, 30 epochs. Both fit the 300 digits perfectly, so the train–test gap is
1 − test accuracy and the claim is decided by the paired test accuracy at n = 300; n = 100 is
reported beside it.
"""

import numpy as np

from ... import backend, nn
from ..registry import NOT_REPRODUCED, REFUTED, experiment, verdict
from ..stats import exceeds_noise, fmt_mean_sd, paired_test
from ._common_claims_ad import accuracy, digits16_split, train_classifier

SIZES = (100, 300)


def _cnn():
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(256, 10)).double()


def _mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(256, 128), nn.ReLU(),
                         nn.Linear(128, 10)).double()


@experiment("C22", section="A", title="Weight sharing generalises better on scarce data",
            expected="reproduce", seeds=10,
            claim="Sparse interactions and weight sharing improve generalisation (less "
                  "overfitting) compared with a dense network when data are scarce.",
            design="300 (and 100) training digits upsampled to 16x16, globally standardised: "
                   "CNN conv8-pool-conv16-pool-linear (3,818 parameters) vs MLP 256-128-10 "
                   "(34,186), SGD momentum 0.9 lr 0.01, 30 epochs (quick 15), 10 seeds: paired "
                   "test accuracy and train-test gap at n = 300.",
            code=["whiteboard.nn:Conv2d", "whiteboard.nn:Linear", "whiteboard.nn:MaxPool2d"],
            tests=["tests/nn/test_conv.py", "tests/nn/test_linear.py"])
def c22(seed, quick):
    out = {"sizes": list(SIZES)}
    for n in SIZES:
        Itr, Ite, ytr, yte = digits16_split(seed, n)
        row = {}
        for name, make in (("cnn", _cnn), ("mlp", _mlp)):
            backend.manual_seed(seed)
            net = make()
            train_classifier(net, Itr, ytr, epochs=15 if quick else 30, lr=0.01, seed=seed)
            row[name] = {"train": accuracy(net, Itr, ytr), "test": accuracy(net, Ite, yte),
                         "params": int(sum(p.data.size for p in net.parameters()))}
        out[f"n{n}"] = row
    return out


@c22.decide
def _(trials):
    cnn = [t["n300"]["cnn"]["test"] for t in trials]
    mlp = [t["n300"]["mlp"]["test"] for t in trials]
    gap = {k: [t["n300"][k]["train"] - t["n300"][k]["test"] for t in trials]
           for k in ("cnn", "mlp")}
    multi = len(trials) > 1
    better = exceeds_noise(cnn, mlp) if multi else cnn[0] > mlp[0] + 0.01
    worse = exceeds_noise(mlp, cnn) if multi else mlp[0] > cnn[0] + 0.01
    d = paired_test(cnn, mlp) if multi else {"mean": cnn[0] - mlp[0], "p": float("nan")}
    r = trials[0]["n300"]
    n100 = {k: np.mean([t["n100"][k]["test"] for t in trials]) for k in ("cnn", "mlp")}
    return verdict(better,
                   f"n = 300: test accuracy CNN ({r['cnn']['params']:,} parameters) "
                   f"{fmt_mean_sd(cnn)} vs MLP ({r['mlp']['params']:,}) {fmt_mean_sd(mlp)} "
                   f"(paired difference {d['mean']:+.3f}, p = {d['p']:.3f}, n = {len(trials)}); "
                   f"train-test gap CNN {np.mean(gap['cnn']):.3f}, MLP {np.mean(gap['mlp']):.3f}; "
                   f"n = 100: CNN {n100['cnn']:.3f}, MLP {n100['mlp']:.3f}",
                   otherwise=REFUTED if worse else NOT_REPRODUCED)


@c22.plot
def _(trials):
    import matplotlib.pyplot as plt

    sizes = trials[0]["sizes"]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for k, label in (("cnn", "CNN (weight sharing)"), ("mlp", "MLP (dense)")):
        m = [np.mean([t[f"n{n}"][k]["test"] for t in trials]) for n in sizes]
        s = [np.std([t[f"n{n}"][k]["test"] for t in trials]) for n in sizes]
        ax.errorbar(sizes, m, yerr=s, marker="o", capsize=3, label=label)
    ax.set_xlabel("training digits (16x16)")
    ax.set_ylabel("test accuracy (mean ± sd over seeds)")
    ax.set_title("Scarce data: CNN vs MLP")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
