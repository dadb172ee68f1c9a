"""C13, C14: early stopping and overtraining with noisy labels.

An over-parameterised MLP trained long enough memorises every training label, the flipped ones
included (C14): its accuracy on the *flipped* training labels climbs towards 100 % while the
validation accuracy, after an early peak, falls. Stopping at the validation peak (patience 10)
gives a better test accuracy than the last epoch (C13).
"""

import numpy as np

from ... import backend, nn, optim, tensor
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd
from ._common_claims_ad import accuracy, digits_split


def _run(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed)
    rng = np.random.default_rng(seed)
    idx = rng.permutation(len(ytr))
    tr, va = idx[:300], idx[300:600]
    X, y = Xtr[tr], ytr[tr].copy()
    flip = rng.random(len(y)) < 0.2
    y[flip] = (y[flip] + rng.integers(1, 10, flip.sum())) % 10  # a different, wrong label
    backend.manual_seed(seed)
    w = 256
    net = nn.Sequential(nn.Linear(64, w), nn.ReLU(), nn.Linear(w, w), nn.ReLU(),
                        nn.Linear(w, 10)).double()
    opt = optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    lossf = nn.CrossEntropyLoss()
    val, test, flipped_fit, clean_fit = [], [], [], []
    epochs = 80 if quick else 200
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for i in range(0, len(y), 32):
            b = order[i:i + 32]
            opt.zero_grad()
            lossf(net(tensor(X[b])), tensor(y[b])).backward()
            opt.step()
        val.append(accuracy(net, Xtr[va], ytr[va]))
        test.append(accuracy(net, Xte, yte))
        flipped_fit.append(accuracy(net, X[flip], y[flip]))
        clean_fit.append(accuracy(net, X[~flip], y[~flip]))
    # early stopping with patience 10 on the validation accuracy
    best, best_e, stop = -1.0, 0, epochs - 1
    for e, v in enumerate(val):
        if v > best:
            best, best_e = v, e
        elif e - best_e >= 10:
            stop = e
            break
    return {"val": val, "test": test, "flipped_fit": flipped_fit, "clean_fit": clean_fit,
            "best_epoch": best_e + 1, "stop_epoch": stop + 1, "test_at_best": test[best_e],
            "test_final": test[-1], "n_flipped": int(flip.sum())}


@experiment("C13", section="A", title="Early stopping on a validation set prevents overfitting",
            expected="reproduce", seeds=3,
            claim="Early stopping on a validation set prevents overfitting.",
            design="MLP 64-256-256-10 on 300 digits with 20% of the labels flipped, SGD momentum "
                   "0.9 lr 0.05, 200 epochs (quick 80); validation accuracy per epoch on 300 "
                   "clean held-out digits; early stopping with patience 10; test accuracy at the "
                   "best-validation epoch vs the final epoch, 3 seeds.",
            code=["whiteboard.optim:SGD", "whiteboard.nn:Linear"],
            tests=["tests/optim/test_optimizers.py"])
def c13(seed, quick):
    return _run(seed, quick)


@c13.decide
def _(trials):
    gain = [t["test_at_best"] - t["test_final"] for t in trials]
    peak_drop = [max(t["val"]) - t["val"][-1] for t in trials]
    return verdict(min(gain) > 0.01 and min(peak_drop) > 0.01,
                   f"test accuracy at the early-stopping epoch minus final: {fmt_mean_sd(gain)}; "
                   f"validation peak minus final {fmt_mean_sd(peak_drop)} (best epoch "
                   f"{trials[0]['best_epoch']}, stop {trials[0]['stop_epoch']})")


def _curves(trials, title):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5.5, 3.5))
    ep = range(1, len(t["val"]) + 1)
    ax.plot(ep, t["val"], label="validation (clean)")
    ax.plot(ep, t["flipped_fit"], label="train, flipped labels")
    ax.plot(ep, t["clean_fit"], label="train, clean labels")
    ax.axvline(t["best_epoch"], color="k", ls="--", lw=0.8, label="early-stopping epoch")
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy")
    ax.set_title(title)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return [fig]


@c13.plot
def _(trials):
    return _curves(trials, "300 digits, 20% label noise")


@experiment("C14", section="A", title="Overtraining fits the noise", expected="reproduce",
            seeds=3,
            claim="Training for too many iterations ('overtraining') fits the noise.",
            design="The C13 run: accuracy on the flipped training labels (memorised noise) and "
                   "validation accuracy, at the validation peak and at the last epoch, 3 seeds.",
            code=["whiteboard.optim:SGD", "whiteboard.nn:Linear"],
            tests=["tests/optim/test_optimizers.py"])
def c14(seed, quick):
    return _run(seed, quick)


@c14.decide
def _(trials):
    at_best = [t["flipped_fit"][t["best_epoch"] - 1] for t in trials]
    final = [t["flipped_fit"][-1] for t in trials]
    val_drop = [max(t["val"]) - t["val"][-1] for t in trials]
    rise = float(np.mean([f - b for f, b in zip(final, at_best)]))
    return verdict(min(final) > 0.8 and rise > 0.2 and min(val_drop) > 0.0,
                   f"fit of the flipped labels: {fmt_mean_sd(at_best)} at the validation peak -> "
                   f"{fmt_mean_sd(final)} at the end; validation falls by {fmt_mean_sd(val_drop)}")


@c14.plot
def _(trials):
    return _curves(trials, "Memorising flipped labels")
