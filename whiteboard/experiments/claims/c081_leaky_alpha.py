"""C81: Leaky ReLU's α is hard to set and its performance is not stable.

LeakyReLU(z) = max(0, z) + α·min(0, z). The claim is that test accuracy depends on α enough to
matter. The experiment trains the same MLP 64-64-64-10 on digits (pixels / 16) with
α ∈ {0.001, 0.01, 0.1, 0.3} over several seeds (the seed fixes init and batch order, shared by
all α), and compares the between-α spread of test accuracy with the seed noise. The seed is a
block (one init serves all α), so the test is the randomised-block analysis of variance

    F = [n Σ_α (ā_α· − ā)² / (k − 1)] / [Σ_α Σ_s (a_αs − ā_α· − ā_·s + ā)² / ((k − 1)(n − 1))],

with the p-value from 2,000 seeded permutations of the α labels within each seed (NumPy only).
"Not stable" reproduces when the α effect exceeds seed noise (p < 0.05) and the best-to-worst gap
of mean accuracy is at least one point; otherwise α does not matter at this scale.
"""

import numpy as np

from ... import nn
from ._common_claims_eh import accuracy, mlp, train_classifier
from ._common_claims_ef import digits_unit_scale
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd

ALPHAS = (0.001, 0.01, 0.1, 0.3)
SIZES = (64, 64, 64, 10)
GAP = 0.01


def anova_f(table):
    """Randomised-block ANOVA F of a (k treatments, n blocks) table: the treatment mean square
    over the residual mean square once block (seed) means are removed (nan if the residual is 0)."""
    a = np.asarray(table, dtype=np.float64)
    k, n = a.shape
    grand = a.mean()
    rows, cols = a.mean(1), a.mean(0)
    between = n * np.sum((rows - grand) ** 2) / (k - 1)
    resid = np.sum((a - rows[:, None] - cols[None, :] + grand) ** 2) / ((k - 1) * (n - 1))
    return float(between / resid) if resid > 0 else float("nan")


def permutation_p(table, n_perm=2000):
    """Share of random relabellings of the treatments within each block with an F at least the
    observed one (the observed labelling counted once)."""
    a = np.asarray(table, dtype=np.float64)
    f0 = anova_f(a)
    rng = np.random.default_rng(0)
    idx = np.argsort(rng.random((n_perm,) + a.shape), axis=1)
    perms = np.take_along_axis(np.broadcast_to(a, idx.shape), idx, axis=1)
    count = sum(anova_f(p) >= f0 - 1e-12 * max(1.0, abs(f0)) for p in perms)
    return float((count + 1) / (n_perm + 1))


@experiment("C81", section="E", title="Leaky ReLU's α: is performance sensitive to it?",
            expected="contested",
            claim="Leaky ReLU's α is hard to set and its performance is not stable.",
            design="MLP 64-64-64-10 on digits (pixels / 16), SGD lr 0.05 momentum 0.9, batch 32, "
                   "6 epochs (2 quick), α ∈ {0.001, 0.01, 0.1, 0.3}, 5 seeds: test accuracy; "
                   "between-α vs seed-noise variance (randomised-block ANOVA, seed = block, "
                   "within-seed permutation p).",
            code=["whiteboard.nn:LeakyReLU", "whiteboard.optim:SGD"],
            tests=["tests/nn/test_activation.py"], seeds=5)
def c81(seed, quick):
    Xtr, Xte, ytr, yte = digits_unit_scale()
    epochs = 2 if quick else 6
    acc = {}
    for alpha in ALPHAS:
        model = mlp(SIZES, lambda alpha=alpha: nn.LeakyReLU(alpha), seed=seed)
        train_classifier(model, Xtr, ytr, epochs=epochs, lr=0.05, momentum=0.9, seed=seed)
        acc[str(alpha)] = accuracy(model, Xte, yte)
    return {"acc": acc}


def _table(trials):
    return np.array([[t["acc"][str(a)] for t in trials] for a in ALPHAS])


@c81.decide
def _(trials):
    table = _table(trials)
    means = table.mean(1)
    per_alpha = ", ".join(f"α {a}: {fmt_mean_sd(row)}" for a, row in zip(ALPHAS, table))
    gap = float(means.max() - means.min())
    if table.shape[1] < 2:
        return verdict(False, f"one seed: no seed noise to compare with; {per_alpha}")
    f = anova_f(table)
    p = permutation_p(table) if np.isfinite(f) else 1.0
    return verdict(p < 0.05 and gap >= GAP,
                   f"between-α gap of mean test accuracy {gap:.3f} (needs ≥ {GAP}), ANOVA "
                   f"F = {f:.2f}, permutation p = {p:.3f} over {table.shape[1]} seeds; "
                   f"{per_alpha}")


@c81.plot
def _(trials):
    import matplotlib.pyplot as plt

    table = _table(trials)
    fig, ax = plt.subplots(figsize=(5, 3.5))
    x = np.arange(len(ALPHAS))
    for s in range(table.shape[1]):
        ax.plot(x, table[:, s], "o-", color="0.7", lw=0.8, ms=3)
    ax.errorbar(x, table.mean(1), yerr=table.std(1, ddof=1) if table.shape[1] > 1 else None,
                fmt="s-", color="C0", capsize=4, label="mean ± sd over seeds")
    ax.set_xticks(x)
    ax.set_xticklabels([str(a) for a in ALPHAS])
    ax.set_xlabel("Leaky ReLU negative slope α")
    ax.set_ylabel("test accuracy (digits)")
    ax.set_title("grey: one seed across α", fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
