"""C85: Leaky ReLU, PReLU, RReLU and ELU have no consistent ranking; the best depends on the task.

The same MLP (two hidden layers of 64) with each of ReLU, LeakyReLU(0.01), PReLU(0.25), RReLU and
ELU is trained on three problems — digits (pixels / 16, 10 classes), breast_cancer (standardised
on the training split, 2 classes) and make_moons (n = 600, noise 0.3, 2 classes) — with one
seed per trial shared by all five activations (paired design). Evidence: per problem the
activations ranked by mean test accuracy, and a paired sign-flip test of the best against the
runner-up (``stats.exceeds_noise``: one-sided at 5 %). A consistent ranking would be the same
activation best on every problem and ahead of the runner-up beyond seed noise on each; the claim
reproduces when that fails (the winner changes or is not separable from the runner-up).
"""

import numpy as np

from ._common_claims_eh import accuracy, mlp, train_classifier
from ._common_claims_ef import LEAKY_FAMILY, digits_unit_scale
from ..registry import experiment, verdict
from ..stats import exceeds_noise, fmt_mean_sd, paired_test

PROBLEMS = ("digits", "breast_cancer", "moons")
ACTS = tuple(LEAKY_FAMILY)


def _problem(name):
    from ...data.datasets import load_breast_cancer, make_moons, train_test_split

    if name == "digits":
        return digits_unit_scale()
    if name == "breast_cancer":
        X, y = load_breast_cancer()
    else:
        X, y = make_moons(n_samples=600, noise=0.3, random_state=0)
    X = np.asarray(X, dtype=np.float64)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    mu, sd = Xtr.mean(0), Xtr.std(0)
    return (Xtr - mu) / sd, (Xte - mu) / sd, np.asarray(ytr), np.asarray(yte)


@experiment("C85", section="E", title="No consistent ranking of the ReLU variants",
            expected="reproduce",
            claim="Leaky ReLU, PReLU, RReLU and ELU have no consistent ranking; which is best "
                  "depends on the problem.",
            design="MLP in-64-64-out, SGD lr 0.05 momentum 0.9, batch 32, 6 epochs (2 quick) on "
                   "digits / breast_cancer / make_moons(600, noise 0.3) with ReLU, LeakyReLU, "
                   "PReLU, RReLU, ELU, 6 seeds (paired): rank by mean test accuracy per problem, "
                   "paired test best vs runner-up.",
            code=["whiteboard.nn:LeakyReLU", "whiteboard.nn:PReLU", "whiteboard.nn:RReLU",
                  "whiteboard.nn:ELU", "whiteboard.nn:ReLU"],
            tests=["tests/nn/test_activation.py"], seeds=6)
def c85(seed, quick):
    epochs = 2 if quick else 6
    acc = {}
    for prob in PROBLEMS:
        Xtr, Xte, ytr, yte = _problem(prob)
        sizes = (Xtr.shape[1], 64, 64, int(ytr.max()) + 1)
        acc[prob] = {}
        for name, act in LEAKY_FAMILY.items():
            model = mlp(sizes, act, seed=seed)
            train_classifier(model, Xtr, ytr, epochs=epochs, lr=0.05, momentum=0.9, seed=seed)
            acc[prob][name] = accuracy(model, Xte, yte)
    return {"acc": acc}


def _ranking(trials, prob):
    vals = {a: [t["acc"][prob][a] for t in trials] for a in ACTS}
    order = sorted(ACTS, key=lambda a: -np.mean(vals[a]))
    return order, vals


@c85.decide
def _(trials):
    winners, separated, parts = [], [], []
    for prob in PROBLEMS:
        order, vals = _ranking(trials, prob)
        best, second = order[0], order[1]
        p = paired_test(vals[best], vals[second])["p"] if len(trials) > 1 else 1.0
        winners.append(best)
        separated.append(len(trials) > 1 and exceeds_noise(vals[best], vals[second]))
        parts.append(f"{prob}: " + " > ".join(f"{a} {fmt_mean_sd(vals[a])}" for a in order[:3])
                     + f" (best vs 2nd p = {p:.3f})")
    consistent = len(set(winners)) == 1 and all(separated)
    if len(trials) < 2:
        return verdict(False, "one seed: no seed noise to separate the ranks; " + "; ".join(parts))
    return verdict(not consistent,
                   f"best per problem {', '.join(winners)}; separated from the runner-up beyond "
                   f"seed noise on {sum(separated)}/{len(PROBLEMS)}; " + "; ".join(parts))


@c85.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(PROBLEMS), figsize=(4 * len(PROBLEMS), 3.4))
    for ax, prob in zip(axes, PROBLEMS):
        _, vals = _ranking(trials, prob)
        m = [np.mean(vals[a]) for a in ACTS]
        s = [np.std(vals[a], ddof=1) if len(trials) > 1 else 0.0 for a in ACTS]
        ax.bar(np.arange(len(ACTS)), m, yerr=s, capsize=3, color="C0")
        ax.set_ylim(min(m) - 3 * max(max(s), 0.005), min(1.0, max(m) + 3 * max(max(s), 0.005)))
        ax.set_xticks(np.arange(len(ACTS)))
        ax.set_xticklabels(ACTS, rotation=20, fontsize=8)
        ax.set_xlabel("activation")
        ax.set_title(prob, fontsize=9)
    axes[0].set_ylabel("test accuracy (mean ± sd over seeds)")
    fig.tight_layout()
    return [fig]
