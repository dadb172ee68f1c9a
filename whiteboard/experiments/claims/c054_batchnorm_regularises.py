"""C54: BN has a regularising effect and can replace dropout.

The mini-batch statistics make each sample's normalised activation depend on the other samples
of its batch, x̂ = (x − μ_B) / sqrt(σ²_B + ε): a noise that, like dropout's mask, is absent at test
time (running statistics). Measured on an over-parameterised MLP trained on 300 digits: the
train–test gap and the test accuracy of {none, BN, dropout 0.5, BN + dropout}, paired over seeds.
"""

import numpy as np

from ... import backend
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd, paired_test
from ._common_claims_ad import accuracy, digits_split, mlp, seeds_or_single, train_classifier

VARIANTS = {"none": {}, "bn": {"bn": True}, "dropout": {"p": 0.5},
            "bn+dropout": {"bn": True, "p": 0.5}}


@experiment("C54", section="C", title="BatchNorm regularises and can replace dropout",
            expected="contested", seeds=5,
            claim="BN has a regularising effect and can replace dropout.",
            design="MLP 64-512-512-10 (quick 64-256-256-10) on 300 training digits, SGD momentum "
                   "0.9, lr 0.01, batch 32, 60 epochs (quick 30): {none, BN, dropout 0.5, BN + "
                   "dropout}, 5 seeds. BN regularises if its train-test gap is below the plain "
                   "net's beyond seed noise; it replaces dropout if its test accuracy is not "
                   "below dropout's by more than one sd of the paired difference.",
            code=["whiteboard.nn:BatchNorm1d", "whiteboard.nn:Dropout"],
            tests=["tests/nn/test_normalization.py", "tests/nn/test_dropout.py"])
def c54(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed, n_train=300)
    w = 256 if quick else 512
    out = {}
    for name, kw in VARIANTS.items():
        backend.manual_seed(seed)
        net = mlp([64, w, w, 10], **kw)
        train_classifier(net, Xtr, ytr, epochs=30 if quick else 60, lr=0.01, seed=seed)
        tr, te = accuracy(net, Xtr, ytr), accuracy(net, Xte, yte)
        out[name] = {"train": tr, "test": te, "gap": tr - te}
    return out


@c54.decide
def _(trials):
    col = {k: [t[k] for t in trials] for k in VARIANTS}
    gap = {k: [r["gap"] for r in v] for k, v in col.items()}
    te = {k: [r["test"] for r in v] for k, v in col.items()}
    regularises = seeds_or_single(gap["none"], gap["bn"])
    d = np.subtract(te["bn"], te["dropout"])
    slack = float(np.std(d, ddof=1)) if len(d) > 1 else 0.005
    replaces = float(np.mean(d)) >= -slack
    p = paired_test(gap["none"], gap["bn"])["p"] if len(trials) > 1 else float("nan")
    return verdict(regularises and replaces,
                   f"train-test gap none {fmt_mean_sd(gap['none'])}, BN {fmt_mean_sd(gap['bn'])} "
                   f"(paired p = {p:.3f}); test accuracy none {fmt_mean_sd(te['none'])}, BN "
                   f"{fmt_mean_sd(te['bn'])}, dropout {fmt_mean_sd(te['dropout'])}, BN+dropout "
                   f"{fmt_mean_sd(te['bn+dropout'])}; BN - dropout = {np.mean(d):+.3f} "
                   f"(slack {slack:.3f}, n = {len(trials)})")


@c54.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.5))
    for i, k in enumerate(VARIANTS):
        ax.scatter([i - 0.1] * len(trials), [t[k]["test"] for t in trials], color="C0")
        ax.scatter([i + 0.1] * len(trials), [t[k]["gap"] for t in trials], color="C1")
    ax.scatter([], [], color="C0", label="test accuracy")
    ax.scatter([], [], color="C1", label="train - test gap")
    ax.set_xticks(range(len(VARIANTS)))
    ax.set_xticklabels(list(VARIANTS))
    ax.set_ylabel("accuracy / gap")
    ax.set_title("300 digits, MLP 2x512: per seed")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
