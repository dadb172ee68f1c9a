"""C196: the learning rate is the hyper-parameter that matters most; tune it first.

A random search over MLPs on digits — learning rate log-uniform in [1e-4, 1], width log-uniform
in [32, 512], depth 1–4, weight decay log-uniform in [1e-6, 1e-2], dropout uniform in [0, 0.5] —
each trained for 3 epochs of SGD (momentum 0.9, batch 64) and scored by validation accuracy.
Each hyper-parameter's importance is the share of the variance of the validation accuracy
explained by it alone, a first-order functional ANOVA estimated by binned means:

    R²_h = 1 − Σ_b Σ_{i∈b} (a_i − ā_b)² / Σ_i (a_i − ā)²

with the configurations grouped into 4 quantile bins of h (depth: its 4 values). Under random
search the hyper-parameters are independent, so each R²_h estimates Var(E[a | h]) / Var(a).
The claim reproduces when the learning rate's share, averaged over the 5 searches (seeds), is the
largest and it is the largest in a majority of the searches.
"""

import numpy as np

from ... import backend, nn
from ...autograd import no_grad, tensor
from ...optim import SGD
from ..registry import experiment, verdict
from ._common_claims_in import digits_split

HPARAMS = ("lr", "width", "depth", "weight_decay", "dropout")
N_BINS = 4


def _sample(rng):
    return {"lr": float(10 ** rng.uniform(-4, 0)),
            "width": int(round(2 ** rng.uniform(5, 9))),
            "depth": int(rng.integers(1, 5)),
            "weight_decay": float(10 ** rng.uniform(-6, -2)),
            "dropout": float(rng.uniform(0, 0.5))}


def _mlp(width, depth, dropout):
    layers, d = [], 64
    for _ in range(depth):
        layers += [nn.Linear(d, width), nn.ReLU(), nn.Dropout(dropout)]
        d = width
    layers.append(nn.Linear(d, 10))
    return nn.Sequential(*layers)


def _val_accuracy(cfg, Xtr, ytr, Xva, yva, epochs, seed):
    backend.manual_seed(seed)
    model = _mlp(cfg["width"], cfg["depth"], cfg["dropout"])
    opt = SGD(model.parameters(), lr=cfg["lr"], momentum=0.9, weight_decay=cfg["weight_decay"])
    rng = np.random.default_rng(seed)
    model.train()
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            order = rng.permutation(len(ytr))
            for start in range(0, len(ytr), 64):
                idx = order[start:start + 64]
                opt.zero_grad()
                nn.functional.cross_entropy(model(tensor(Xtr[idx])), tensor(ytr[idx])).backward()
                opt.step()
        model.eval()
        with no_grad():
            logits = model(tensor(Xva)).numpy()
    if not np.all(np.isfinite(logits)):        # diverged: no better than a constant guess
        return float(np.mean(yva == np.bincount(ytr).argmax()))
    return float(np.mean(logits.argmax(1) == yva))


def variance_explained(values, scores, n_bins=N_BINS):
    """Binned-means R² of ``scores`` on ``values`` (quantile bins; ≤ n_bins distinct values
    are their own bins)."""
    v, a = np.asarray(values, dtype=np.float64), np.asarray(scores, dtype=np.float64)
    levels = np.unique(v)
    if levels.size <= n_bins:
        groups = np.searchsorted(levels, v)
    else:
        edges = np.quantile(v, np.linspace(0, 1, n_bins + 1)[1:-1])
        groups = np.searchsorted(edges, v, side="right")
    total = np.sum((a - a.mean()) ** 2)
    if total == 0:
        return 0.0
    within = sum(np.sum((a[groups == g] - a[groups == g].mean()) ** 2) for g in np.unique(groups))
    return float(1 - within / total)


@experiment("C196", section="M", title="Random search: the learning rate explains most variance",
            expected="reproduce", seeds=5,
            claim="The learning rate is the hyper-parameter that matters most; tune it first.",
            design="Digits (pixels / 16) 70/30 split, validation accuracy of MLPs from a random "
                   "search: lr log-uniform 1e-4…1, width 32…512, depth 1–4, weight decay "
                   "1e-6…1e-2, dropout 0…0.5; SGD momentum 0.9, batch 64, 3 epochs; 60 "
                   "configurations (quick: 24 on 600 training digits, 2 epochs). Share of the "
                   "accuracy variance explained by each hyper-parameter alone (binned means, 4 "
                   "quantile bins); 5 searches; reproduced when lr's mean share is the largest "
                   "and lr is the largest in a majority of the searches.",
            code=["whiteboard.nn:Linear", "whiteboard.nn:Dropout", "whiteboard.optim:SGD",
                  "whiteboard.experiments.claims.c196_learning_rate_matters:variance_explained"],
            tests=["tests/nn/test_linear.py", "tests/optim/test_optimizers.py"])
def c196(seed, quick):
    Xtr, Xva, ytr, yva = digits_split(seed)
    if quick:
        Xtr, ytr = Xtr[:600], ytr[:600]
    Xtr, Xva = Xtr.astype(np.float32), Xva.astype(np.float32)
    rng = np.random.default_rng(seed)
    configs = [_sample(rng) for _ in range(24 if quick else 60)]
    epochs = 2 if quick else 3
    for i, cfg in enumerate(configs):
        cfg["val_accuracy"] = _val_accuracy(cfg, Xtr, ytr, Xva, yva, epochs, seed * 1000 + i)
    acc = [c["val_accuracy"] for c in configs]
    shares = {h: variance_explained([c[h] for c in configs], acc) for h in HPARAMS}
    return {"configs": configs, "shares": shares}


@c196.decide
def _(trials):
    tops = [max(t["shares"], key=t["shares"].get) for t in trials]
    mean = {h: float(np.mean([t["shares"][h] for t in trials])) for h in HPARAMS}
    ranked = ", ".join(f"{h} {mean[h]:.2f}" for h in sorted(mean, key=mean.get, reverse=True))
    best = [max(c["val_accuracy"] for c in t["configs"]) for t in trials]
    holds = max(mean, key=mean.get) == "lr" and 2 * tops.count("lr") > len(tops)
    return verdict(holds,
                   f"share of validation-accuracy variance explained (mean over {len(trials)} "
                   f"searches): {ranked}; largest per search: {', '.join(tops)}; best accuracy "
                   f"{np.mean(best):.3f}")


@c196.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.8))
    shares = np.array([[t["shares"][h] for h in HPARAMS] for t in trials])
    a.bar(HPARAMS, shares.mean(0), yerr=shares.std(0) if len(trials) > 1 else None, capsize=3,
          color=["C3"] + ["C7"] * (len(HPARAMS) - 1))
    a.set_ylabel("share of accuracy variance (binned R²)")
    a.set_xlabel("hyper-parameter")
    a.set_title(f"Random search, {len(trials)} × {len(trials[0]['configs'])} MLPs")
    for t in trials:
        cs = t["configs"]
        b.scatter([c["lr"] for c in cs], [c["val_accuracy"] for c in cs], s=14)
    b.set_xscale("log")
    b.set_xlabel("learning rate")
    b.set_ylabel("validation accuracy")
    b.set_title("each point one configuration")
    fig.tight_layout()
    return [fig]
