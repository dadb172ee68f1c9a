"""C164: the kernel rule of thumb — linear when features ≈ samples, RBF when features are few.

With d ≳ n the data are (nearly) linearly separable already, so the RBF kernel's extra capacity
only adds variance; with d small and n moderate the Bayes boundary is usually non-linear and the
RBF kernel k(x, x′) = exp(−γ‖x − x′‖²) can follow it while a linear one cannot.
"""

import numpy as np

from ...data.datasets import load_iris, make_moons, train_test_split
from ...ml import SVC
from ..registry import experiment, verdict
from ._common_claims_in import standardise


def _acc(X, y, kernel, seed, splits):
    accs = []
    for s in range(splits):
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=seed * 100 + s,
                                              stratify=y)
        Xtr, Xte = standardise(Xtr, Xte)
        m = SVC(kernel=kernel, C=1.0).fit(Xtr, ytr)
        accs.append(float(np.mean(m.predict(Xte) == yte)))
    return float(np.mean(accs))


@experiment("C164", section="J", title="Kernel choice: linear when d ≈ n, RBF when d is small",
            expected="contested",
            claim="Kernel choice rule of thumb: a linear kernel when the number of features is "
                  "about the number of samples, an RBF kernel when features are few and samples "
                  "moderate.",
            design="SVC(C = 1) with linear and RBF (gamma='scale') kernels, standardised, mean "
                   "test accuracy over 70/30 splits: make_classification(n = 500, d = 500, 20 "
                   "informative; sklearn's generator) vs iris and make_moons(noise 0.2, "
                   "n ∈ {50, 200, 1000}).",
            code=["whiteboard.ml.svm:SVC"], tests=["tests/ml/test_svm_svc.py"])
def c164(seed, quick):
    from sklearn.datasets import make_classification  # data generator only

    splits = 2 if quick else 5
    n_hd = 300 if quick else 500
    X, y = make_classification(n_samples=n_hd, n_features=n_hd, n_informative=20,
                               random_state=seed)
    out = {"high_dim": {k: _acc(X, y, k, seed, splits) for k in ("linear", "rbf")}}
    Xi, yi = load_iris()
    out["iris"] = {k: _acc(np.asarray(Xi, float), np.asarray(yi), k, seed, splits)
                   for k in ("linear", "rbf")}
    out["moons"] = {}
    for n in (50, 200, 1000):
        Xm, ym = make_moons(n, noise=0.2, random_state=seed)
        out["moons"][str(n)] = {k: _acc(Xm, ym, k, seed, splits) for k in ("linear", "rbf")}
    return out


@c164.decide
def _(trials):
    t = trials[0]
    hd = t["high_dim"]
    mo = t["moons"]
    rbf_wins_moons = all(v["rbf"] > v["linear"] for n, v in mo.items() if n != "50")
    holds = hd["linear"] >= hd["rbf"] and rbf_wins_moons
    return verdict(holds, f"d = n: linear {hd['linear']:.3f} vs RBF {hd['rbf']:.3f}; moons "
                          + ", ".join(f"n={n}: linear {v['linear']:.3f} / RBF {v['rbf']:.3f}"
                                      for n, v in mo.items())
                          + f"; iris linear {t['iris']['linear']:.3f} / RBF {t['iris']['rbf']:.3f}")


@c164.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    names = ["d = n (500×500)", "iris"] + [f"moons n={n}" for n in t["moons"]]
    rows = [t["high_dim"], t["iris"]] + list(t["moons"].values())
    x = np.arange(len(rows))
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.bar(x - 0.2, [r["linear"] for r in rows], 0.4, label="linear")
    ax.bar(x + 0.2, [r["rbf"] for r in rows], 0.4, label="RBF")
    ax.set_xticks(x, names, fontsize=7)
    ax.set_ylim(0.4, 1.02)
    ax.set_xlabel("data set")
    ax.set_ylabel("mean test accuracy")
    ax.set_title("Linear vs RBF kernel by data shape")
    ax.legend()
    fig.tight_layout()
    return [fig]
