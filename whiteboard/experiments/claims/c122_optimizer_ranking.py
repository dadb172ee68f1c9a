"""C122: does Adam beat the other adaptive methods (and RMSprop as gradients get sparse)?

Adam is RMSprop's per-coordinate scaling η/(√v̂ + ε) applied to a bias-corrected momentum m̂;
Adagrad accumulates Σg² instead of averaging it; Adadelta rescales by the RMS of past updates.
Which one trains fastest depends on the problem and on the learning rate each is given, so the
comparison tunes every optimiser's lr on a 5-point grid (by final training loss) and ranks them on
a dense problem (MLP on digits) and a sparse one (logistic regression on rare binary features,
C117's data). The note's claim is that Adam comes first; E52 says no optimiser wins uniformly.
"""

import numpy as np

from ... import backend, nn
from ...optim import SGD, Adadelta, Adagrad, Adam, RMSprop
from ..registry import experiment, verdict
from ._common_claims_ad import accuracy, digits_split
from ._common_claims_eh import mlp
from ._common_claims_gh import full_loss, train_steps
from .c117_adagrad_sparse import D, _problem

OPTIMISERS = {
    "SGD": (lambda p, lr: SGD(p, lr=lr), (0.03, 0.1, 0.3, 1.0, 3.0)),
    "momentum": (lambda p, lr: SGD(p, lr=lr, momentum=0.9), (0.003, 0.01, 0.03, 0.1, 0.3)),
    "Adagrad": (lambda p, lr: Adagrad(p, lr=lr), (0.01, 0.03, 0.1, 0.3, 1.0)),
    "RMSprop": (lambda p, lr: RMSprop(p, lr=lr), (3e-4, 1e-3, 3e-3, 1e-2, 3e-2)),
    "Adadelta": (lambda p, lr: Adadelta(p, lr=lr), (0.3, 1.0, 3.0, 10.0, 30.0)),
    "Adam": (lambda p, lr: Adam(p, lr=lr), (3e-4, 1e-3, 3e-3, 1e-2, 3e-2)),
}


def _digits(seed, quick):
    Xtr, Xte, ytr, yte = digits_split()
    steps = 80 if quick else 200
    rows = {}
    for name, (make, grid) in OPTIMISERS.items():
        best = None
        for lr in grid:
            model = mlp((64, 64, 10), seed=seed)
            train_steps(model, Xtr, ytr, lambda p, lr=lr, make=make: make(p, lr), steps=steps,
                        batch_size=32, seed=seed)
            r = (full_loss(model, Xtr, ytr), accuracy(model, Xte, yte), lr)
            if best is None or r[0] < best[0]:
                best = r
        rows[name] = {"train_loss": best[0], "test_acc": best[1], "lr": best[2]}
    return rows


def _sparse(seed, quick):
    X, y, Xv, yv, _, _ = _problem(seed, 1000 if quick else 2000)
    steps = 100 if quick else 400
    rows = {}
    for name, (make, grid) in OPTIMISERS.items():
        best = None
        for lr in grid:
            backend.manual_seed(seed)
            model = nn.Linear(D, 2, bias=False, dtype=np.float64)
            nn.init.zeros_(model.weight)
            train_steps(model, X, y, lambda p, lr=lr, make=make: make(p, lr), steps=steps,
                        batch_size=10, seed=seed)
            r = (full_loss(model, X, y), accuracy(model, Xv, yv), lr)
            if best is None or r[0] < best[0]:
                best = r
        rows[name] = {"train_loss": best[0], "test_acc": best[1], "lr": best[2]}
    return rows


@experiment("C122", section="H", title="Is Adam the best optimiser? A tuned ranking",
            expected="contested", errata=["E52"],
            claim="Adam beats the other adaptive methods in practice, and beats RMSprop as "
                  "gradients get sparse.",
            design="SGD, momentum 0.9, Adagrad, RMSprop, Adadelta, Adam (library), each with the "
                   "lr of a 5-point half-decade grid that gives the lowest final training loss; "
                   "MLP 64-64-10 on digits (200 steps of batch 32, quick 80) and sparse-feature "
                   "logistic regression (C117's data, 400 steps of batch 10, quick 100); 5 "
                   "seeds. Evidence: mean training loss and test accuracy per optimiser.",
            code=["whiteboard.optim:Adam", "whiteboard.optim:RMSprop", "whiteboard.optim:Adagrad",
                  "whiteboard.optim:Adadelta", "whiteboard.optim:SGD"],
            tests=["tests/optim/test_optimizers.py"], seeds=5)
def c122(seed, quick):
    return {"digits": _digits(seed, quick), "sparse": _sparse(seed, quick)}


def _means(trials, prob, key):
    return {k: float(np.mean([t[prob][k][key] for t in trials])) for k in OPTIMISERS}


@c122.decide
def _(trials):
    wins, parts = [], []
    for prob in ("digits", "sparse"):
        loss = _means(trials, prob, "train_loss")
        acc = _means(trials, prob, "test_acc")
        best_loss = min(loss, key=loss.get)
        best_acc = max(acc, key=acc.get)
        beats_rms = loss["Adam"] < loss["RMSprop"]
        wins.append(best_loss == "Adam" and best_acc == "Adam" and beats_rms)
        parts.append(f"{prob}: lowest loss {best_loss} {loss[best_loss]:.4f} (Adam "
                     f"{loss['Adam']:.4f}, RMSprop {loss['RMSprop']:.4f}), best accuracy "
                     f"{best_acc} {acc[best_acc]:.3f} (Adam {acc['Adam']:.3f})")
    return verdict(all(wins), "; ".join(parts) + f" — mean of {len(trials)} seeds, tuned lr")


@c122.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9.5, 3.8))
    names = list(OPTIMISERS)
    for ax, prob in zip(axes, ("digits", "sparse")):
        vals = [[t[prob][k]["train_loss"] for t in trials] for k in names]
        ax.bar(range(len(names)), [np.mean(v) for v in vals],
               yerr=[np.std(v) for v in vals], capsize=3,
               color=["C3" if k == "Adam" else "C0" for k in names])
        ax.set_xticks(range(len(names)), names, rotation=30, fontsize=8)
        ax.set_yscale("log")
        ax.set_xlabel("optimiser (best lr of 5)")
        ax.set_ylabel("final training loss")
        ax.set_title("MLP on digits" if prob == "digits" else "Sparse logistic regression")
    fig.tight_layout()
    return [fig]
