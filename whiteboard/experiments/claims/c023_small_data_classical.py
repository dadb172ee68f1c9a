"""C23: with very little data, deep learning has no advantage over classical methods.

Learning curves on digits at n_train ∈ {30, 100, 300} (random stratification-free subsets of the
70 % training split, the same per seed for every method): an MLP 64-128-128-10 (library nn,
Adam, 80 epochs) against a random forest (100 trees), an RBF-SVM (C = 10,
γ = 'scale') and 1-nearest-neighbour (library ml). The claim holds if at n = 30 the best
classical method is at least as accurate as the MLP over seeds (not below it beyond seed noise).
"""

import numpy as np

from ... import backend
from ..registry import REFUTED, experiment, verdict
from ..stats import exceeds_noise, fmt_mean_sd
from ._common_claims_ad import accuracy, digits_split, mlp, train_classifier

SIZES = (30, 100, 300)
CLASSICAL = ("random forest", "RBF-SVM", "1-NN")


def _classical(name, seed):
    from ...ml.ensemble import RandomForestClassifier
    from ...ml.neighbors import KNeighborsClassifier
    from ...ml.svm import SVC

    if name == "random forest":
        return RandomForestClassifier(n_estimators=100, random_state=seed)
    if name == "RBF-SVM":
        return SVC(C=10.0, kernel="rbf", gamma="scale")
    return KNeighborsClassifier(n_neighbors=1)


@experiment("C23", section="A", title="With very little data, classical methods match deep nets",
            expected="reproduce", seeds=10,
            claim="With very little data deep learning has no advantage over classical methods.",
            design="Digits, n_train in {30, 100, 300} (quick {30, 100}): MLP 64-128-128-10 (Adam "
                   "lr 1e-3, batch 32, 80 epochs, quick 60) vs random forest (100 trees), "
                   "RBF-SVM (C=10) and 1-NN from whiteboard.ml, 10 seeds: accuracy table; holds "
                   "if the best classical method is not below the MLP at n = 30 beyond seed noise.",
            code=["whiteboard.ml.ensemble:RandomForestClassifier", "whiteboard.ml.svm:SVC",
                  "whiteboard.ml.neighbors:KNeighborsClassifier", "whiteboard.nn:Linear"],
            tests=["tests/ml/test_svm_svc.py", "tests/ml/test_lda_nb_knn.py"])
def c23(seed, quick):
    out = {"sizes": list(SIZES[:2] if quick else SIZES)}
    for n in out["sizes"]:
        Xtr, Xte, ytr, yte = digits_split(seed, n_train=n)
        row = {}
        backend.manual_seed(seed)
        net = mlp([64, 128, 128, 10])
        train_classifier(net, Xtr, ytr, epochs=60 if quick else 80, lr=1e-3, seed=seed,
                         optimizer="adam")
        row["MLP"] = accuracy(net, Xte, yte)
        for name in CLASSICAL:
            model = _classical(name, seed).fit(Xtr, ytr)
            row[name] = float(np.mean(model.predict(Xte) == yte))
        out[f"n{n}"] = row
    return out


@c23.decide
def _(trials):
    mlp_acc = [t["n30"]["MLP"] for t in trials]
    best = max(CLASSICAL, key=lambda k: np.mean([t["n30"][k] for t in trials]))
    cl = [t["n30"][best] for t in trials]
    mlp_wins = exceeds_noise(mlp_acc, cl) if len(trials) > 1 else mlp_acc[0] > cl[0] + 0.02
    table = "; ".join(f"n={n}: MLP {np.mean([t[f'n{n}']['MLP'] for t in trials]):.3f}, " +
                      ", ".join(f"{k} {np.mean([t[f'n{n}'][k] for t in trials]):.3f}"
                                for k in CLASSICAL) for n in trials[0]["sizes"])
    return verdict(not mlp_wins,
                   f"at n = 30 best classical ({best}) {fmt_mean_sd(cl)} vs MLP "
                   f"{fmt_mean_sd(mlp_acc)} (n = {len(trials)} seeds); {table}",
                   otherwise=REFUTED)


@c23.plot
def _(trials):
    import matplotlib.pyplot as plt

    sizes = trials[0]["sizes"]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for k in ("MLP",) + CLASSICAL:
        ax.plot(sizes, [np.mean([t[f"n{n}"][k] for t in trials]) for n in sizes], "o-", label=k)
    ax.set_xscale("log")
    ax.set_xlabel("training digits")
    ax.set_ylabel("mean test accuracy")
    ax.set_title("Small-data learning curves")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
