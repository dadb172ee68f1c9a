"""C112: batch size 1 is noisy and slow, full batch needs much more memory (and may generalise
worse), mini-batch is the compromise.

At a fixed budget of E epochs, batch size B gives E·n/B updates; the gradient estimate's variance
is ∝ 1/B, and the activations held for backward are B·Σ_l width_l numbers, so memory grows
linearly in B while wall time per epoch falls (fewer, larger matrix products). The learning rate is
scaled as η = η₁·√B (the variance-matching rule) so every batch size gets a sensible step.
"""

import time

import numpy as np

from ...optim import SGD
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd
from ._common_claims_ad import accuracy, digits_split
from ._common_claims_eh import mlp
from ._common_claims_gh import line_figure, train_steps

WIDTHS = (64, 64, 10)


@experiment("C112", section="H", title="Batch size: 1 is noisy and slow, full batch is costly",
            expected="contested",
            claim="batch_size = 1 is noisy and slow; full batch needs much more memory and may "
                  "converge fast but generalise worse; mini-batch is a good compromise.",
            design="MLP 64-64-10 (ReLU) on digits (70/30), SGD with lr 0.02·√B, batch B ∈ {1, "
                   "8, 64, 1258 (full)}, fixed budget of 10 epochs (quick 3), 3 seeds. Test "
                   "accuracy, sd/mean of the per-batch loss over the last epoch, wall time, "
                   "activation memory B·Σwidths·8 bytes (float64).",
            code=["whiteboard.optim:SGD", "whiteboard.nn:Linear"],
            tests=["tests/optim/test_optimizers.py"], seeds=3)
def c112(seed, quick):
    Xtr, Xte, ytr, yte = digits_split()
    n = len(ytr)
    epochs = 3 if quick else 10
    rows = {}
    for b in (1, 8, 64, n):
        model = mlp(WIDTHS, seed=seed)
        steps = epochs * (n // b)
        lr = 0.02 * np.sqrt(b)
        t0 = time.perf_counter()
        r = train_steps(model, Xtr, ytr, lambda p, lr=lr: SGD(p, lr=lr), steps=steps,
                        batch_size=b, seed=seed)
        sec = time.perf_counter() - t0
        last = np.asarray(r["batch_loss"][-(n // b):])
        rows[str(b)] = {"lr": float(lr), "updates": steps, "test_acc": accuracy(model, Xte, yte),
                        "train_acc": accuracy(model, Xtr, ytr),
                        "loss_cv_last_epoch": (float(last.std() / last.mean()) if len(last) > 1
                                               else 0.0),
                        "seconds": sec, "activation_bytes": int(b * sum(WIDTHS) * 8),
                        "curve": r["batch_loss"][:: max(1, steps // 300)]}
    return {"rows": rows, "epochs": epochs, "n": n}


@c112.decide
def _(trials):
    keys = list(trials[0]["rows"])
    acc = {k: [t["rows"][k]["test_acc"] for t in trials] for k in keys}
    m = {k: float(np.mean(v)) for k, v in acc.items()}
    sec = {k: float(np.mean([t["rows"][k]["seconds"] for t in trials])) for k in keys}
    sd = {k: float(np.mean([t["rows"][k]["loss_cv_last_epoch"] for t in trials])) for k in keys}
    b1, full = keys[0], keys[-1]
    mid = max(keys[1:-1], key=lambda k: m[k])
    compromise = m[mid] >= m[b1] - 0.01 and m[mid] > m[full]
    noisy_slow = sd[b1] > sd[mid] and sec[b1] > sec[mid]
    holds = compromise and noisy_slow
    return verdict(holds, "test acc " + ", ".join(f"B={k} {fmt_mean_sd(acc[k])}" for k in keys)
                   + f"; last-epoch loss sd/mean B=1 {sd[b1]:.3f} vs B={mid} {sd[mid]:.3f}; time "
                     f"B=1 {sec[b1]:.1f} s vs B={mid} {sec[mid]:.2f} s; memory B={full} is "
                     f"{int(full)}× B=1")


@c112.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    rows = t["rows"]
    f1 = line_figure({f"B={k}": r["curve"] for k, r in rows.items()}, "recorded batch (subsampled)",
                     "mini-batch loss", f"Digits MLP, {t['epochs']} epochs")
    f2, ax = plt.subplots(figsize=(5.2, 3.6))
    ks = list(rows)
    accs = [[tr["rows"][k]["test_acc"] for tr in trials] for k in ks]
    ax.errorbar(range(len(ks)), [np.mean(a) for a in accs], yerr=[np.std(a) for a in accs],
                marker="o", capsize=3)
    ax.set_xticks(range(len(ks)), [f"B={k}" for k in ks])
    ax.set_xlabel("batch size")
    ax.set_ylabel("test accuracy")
    ax2 = ax.twinx()
    ax2.semilogy(range(len(ks)), [np.mean([tr["rows"][k]["seconds"] for tr in trials])
                                  for k in ks], "s--", color="C3")
    ax2.set_ylabel("wall time (s)", color="C3")
    ax2.set_xlabel("batch size")
    ax.set_title("Accuracy and time at a fixed epoch budget")
    f2.tight_layout()
    return [f1, f2]
