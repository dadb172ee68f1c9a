"""C8, C9, C16, C17, C18: capacity, regularisation and over-/underfitting with the library's
classical models.

C8  Ridge on degree-12 polynomial features of 20 noisy points of sin(2πx), 200 resampled training
    sets: as λ grows, variance ↓ and bias² ↑ (E[(f̂ − f)²] = bias² + variance), test MSE U-shaped.
C9  Polynomial degree 1…15 on 20 points: train MSE ↓ monotonically, test MSE U-shaped; at degree
    15 the best ridge λ cuts the test MSE far below λ ≈ 0.
C16 An unrestricted CART tree fits its training set perfectly and overfits; limiting max_depth
    (or cost-complexity pruning) raises test accuracy.
C17 Underfitting on make_circles: a linear logistic regression is at chance; adding degree-2
    features or reducing a too-strong penalty fixes it.
C18 Bagging 50 deep trees lowers the variance of predictions across resampled training sets and
    raises test accuracy over one tree.
"""

import numpy as np

from ...data.datasets import make_circles, make_moons, train_test_split
from ...ml.ensemble import BaggingClassifier
from ...ml.linear_model import LinearRegression, LogisticRegression, Ridge
from ...ml.preprocessing import PolynomialFeatures
from ...ml.tree import DecisionTreeClassifier
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd

LAMS = (1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0)


def _sin_data(rng, n):
    x = rng.uniform(0, 1, n)
    return x, np.sin(2 * np.pi * x) + rng.normal(0, 0.3, n)


def _poly(x, degree):
    return PolynomialFeatures(degree, include_bias=False).fit_transform(
        (np.asarray(x)[:, None] - 0.5) * 2)


@experiment("C8", section="A", title="Larger lambda trades variance for bias",
            expected="reproduce",
            claim="Increasing lambda trades variance for bias (lambda = 0: low bias, high "
                  "variance).",
            design="Degree-12 polynomial ridge (library PolynomialFeatures + Ridge) on 20 noisy "
                   "points of sin(2 pi x), 200 resampled training sets (quick 60); bias^2, "
                   "variance and test MSE on a fixed grid vs lambda.",
            code=["whiteboard.ml.linear_model:Ridge",
                  "whiteboard.ml.preprocessing:PolynomialFeatures"],
            tests=["tests/ml/test_linear_regression.py"])
def c8(seed, quick):
    rng = np.random.default_rng(seed)
    xg = np.linspace(0.02, 0.98, 100)
    f = np.sin(2 * np.pi * xg)
    Pg = _poly(xg, 12)
    preds = np.zeros((len(LAMS), 60 if quick else 200, len(xg)))
    for r in range(preds.shape[1]):
        x, y = _sin_data(rng, 20)
        P = _poly(x, 12)
        for i, lam in enumerate(LAMS):
            preds[i, r] = Ridge(alpha=lam).fit(P, y).predict(Pg)
    bias2 = ((preds.mean(1) - f) ** 2).mean(1)
    var = preds.var(1).mean(1)
    return {"lams": list(LAMS), "bias2": bias2.tolist(), "variance": var.tolist(),
            "test_mse": (bias2 + var + 0.09).tolist()}


@c8.decide
def _(trials):
    t = trials[0]
    v, b, m = t["variance"], t["bias2"], t["test_mse"]
    best = int(np.argmin(m))
    # at lambda -> 0 the estimated bias^2 is swamped by the huge variance of the mean over a
    # finite number of fits, so the bias rise is measured from its minimum
    lo = int(np.argmin(b))
    holds = v[0] > 10 * v[-1] and b[-1] > 10 * b[lo] and 0 < best < len(m) - 1
    return verdict(holds, f"variance {v[0]:.3g} -> {v[-1]:.3g} from lambda 1e-8 to 100, bias^2 "
                          f"{b[lo]:.3g} (lambda {t['lams'][lo]:g}) -> {b[-1]:.3g}; test MSE "
                          f"minimal at lambda {t['lams'][best]:g} ({m[best]:.3f})")


@c8.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for k, label in (("bias2", "bias^2"), ("variance", "variance"), ("test_mse", "test MSE")):
        ax.loglog(t["lams"], t[k], "o-", label=label)
    ax.set_xlabel("ridge lambda")
    ax.set_ylabel("error")
    ax.set_title("Bias-variance trade-off, degree 12")
    ax.legend()
    fig.tight_layout()
    return [fig]


@experiment("C9", section="A", title="Excess capacity overfits; regularising fixes it",
            expected="reproduce",
            claim="Overfitting comes from excess capacity / too few or noisy samples; lowering "
                  "capacity or regularising reduces it.",
            design="Polynomial degrees 1..15 on 20 noisy points of sin(2 pi x), averaged over 50 "
                   "training draws (quick 20): train and test MSE (library LinearRegression, "
                   "nearly unpenalised); then degree 15 with the best ridge lambda.",
            code=["whiteboard.ml.linear_model:LinearRegression",
                  "whiteboard.ml.linear_model:Ridge"],
            tests=["tests/ml/test_linear_regression.py"])
def c9(seed, quick):
    rng = np.random.default_rng(seed)
    xt, yt = _sin_data(rng, 500)
    degrees = list(range(1, 16))
    reps = 20 if quick else 50
    tr, te, ridge = np.zeros((reps, 15)), np.zeros((reps, 15)), np.zeros((reps, len(LAMS)))
    for r in range(reps):
        x, y = _sin_data(rng, 20)
        for j, d in enumerate(degrees):
            P, Pt = _poly(x, d), _poly(xt, d)
            m = LinearRegression().fit(P, y)
            tr[r, j] = np.mean((m.predict(P) - y) ** 2)
            te[r, j] = np.mean((m.predict(Pt) - yt) ** 2)
        P, Pt = _poly(x, 15), _poly(xt, 15)
        for i, lam in enumerate(LAMS):
            ridge[r, i] = np.mean((Ridge(alpha=lam).fit(P, y).predict(Pt) - yt) ** 2)
    # medians: unregularised degree-15 fits blow up on some draws
    return {"degrees": degrees, "train": np.median(tr, 0).tolist(),
            "test": np.median(te, 0).tolist(), "ridge15": np.median(ridge, 0).tolist(),
            "lams": list(LAMS)}


@c9.decide
def _(trials):
    t = trials[0]
    te, tr = t["test"], t["train"]
    best = int(np.argmin(te))
    ridge_best = min(t["ridge15"])
    holds = (tr[-1] < tr[0] and te[-1] > 3 * te[best] and 0 < best < 14
             and ridge_best < te[-1] / 3)
    return verdict(holds, f"median test MSE: best degree {t['degrees'][best]} {te[best]:.3f}, "
                          f"degree 15 {te[-1]:.3g} (train {tr[-1]:.3g}); degree 15 with the best "
                          f"ridge lambda {ridge_best:.3f}")


@c9.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.semilogy(t["degrees"], t["train"], "o-", label="train")
    ax.semilogy(t["degrees"], t["test"], "s-", label="test")
    ax.axhline(min(t["ridge15"]), color="C2", ls="--", label="degree 15, best ridge")
    ax.set_xlabel("polynomial degree")
    ax.set_ylabel("median MSE")
    ax.set_title("Capacity and overfitting (20 points)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


DEPTHS = (1, 2, 3, 4, 5, 6, 8, 10, None)


@experiment("C16", section="A", title="An unrestricted tree overfits; depth limits fix it",
            expected="reproduce", seeds=5,
            claim="An unrestricted decision tree fits the training set perfectly and overfits; "
                  "depth limits / pruning fix it.",
            design="The library's CART on make_moons(n=400, noise=0.3), 50/50 split: train and "
                   "test accuracy vs max_depth (None = unrestricted), 5 seeds.",
            code=["whiteboard.ml.tree:DecisionTreeClassifier"],
            tests=["tests/ml/tree"])
def c16(seed, quick):
    X, y = make_moons(400, noise=0.3, random_state=seed)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.5, random_state=seed)
    rows = []
    for d in DEPTHS:
        m = DecisionTreeClassifier(max_depth=d, random_state=seed).fit(Xtr, ytr)
        rows.append({"depth": d, "train": float(np.mean(m.predict(Xtr) == ytr)),
                     "test": float(np.mean(m.predict(Xte) == yte))})
    return {"rows": rows}


@c16.decide
def _(trials):
    full_train = [t["rows"][-1]["train"] for t in trials]
    full_test = [t["rows"][-1]["test"] for t in trials]
    mean_test = np.mean([[r["test"] for r in t["rows"]] for t in trials], 0)
    best = int(np.argmax(mean_test[:-1]))
    gain = [t["rows"][best]["test"] - t["rows"][-1]["test"] for t in trials]
    from ..stats import paired_test

    p = paired_test(gain, [0.0] * len(gain))["p"] if len(gain) > 1 else 0.0
    holds = min(full_train) == 1.0 and np.mean(gain) > 0 and p < 0.1
    return verdict(holds, f"unrestricted tree: train {fmt_mean_sd(full_train)}, test "
                          f"{fmt_mean_sd(full_test)}; max_depth {DEPTHS[best]}: test "
                          f"{mean_test[best]:.3f} (gain {fmt_mean_sd(gain)}, p = {p:.3f})")


@c16.plot
def _(trials):
    import matplotlib.pyplot as plt

    labels = [str(d) for d in DEPTHS]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for k in ("train", "test"):
        ax.plot(labels, np.mean([[r[k] for r in t["rows"]] for t in trials], 0), "o-", label=k)
    ax.set_xlabel("max_depth (None = unrestricted)")
    ax.set_ylabel("accuracy (mean over seeds)")
    ax.set_title("CART on make_moons(noise=0.3)")
    ax.legend()
    fig.tight_layout()
    return [fig]


@experiment("C17", section="A", title="Underfitting is fixed by features or less penalty",
            expected="reproduce", errata=["E78"],
            claim="Underfitting is fixed by adding (polynomial) features, adding capacity, or "
                  "reducing regularisation.",
            design="The library's LogisticRegression on make_circles(n=400, noise=0.1, factor="
                   "0.5): raw features vs + degree-2 features (C = 1), training accuracy; "
                   "degree-2 features with a crushing penalty C = 1e-4 vs C = 100, training "
                   "log-loss (accuracy is scale-free, so a tiny but correctly signed weight "
                   "vector still classifies: the penalty's underfit shows in the loss).",
            code=["whiteboard.ml.linear_model:LogisticRegression",
                  "whiteboard.ml.preprocessing:PolynomialFeatures"],
            tests=["tests/ml/test_logistic.py"])
def c17(seed, quick):
    X, y = make_circles(400, noise=0.1, factor=0.5, random_state=seed)
    P = PolynomialFeatures(2, include_bias=False).fit_transform(X)

    def fit(Z, C):
        m = LogisticRegression(C=C, max_iter=1000).fit(Z, y)
        prob = np.clip(m.predict_proba(Z)[:, 1], 1e-12, 1 - 1e-12)
        loss = -np.mean(y * np.log(prob) + (1 - y) * np.log(1 - prob))
        return float(np.mean(m.predict(Z) == y)), float(loss)

    (a_raw, l_raw), (a_poly, l_poly) = fit(X, 1.0), fit(P, 1.0)
    (a_s, l_s), (a_w, l_w) = fit(P, 1e-4), fit(P, 100.0)
    return {"raw": a_raw, "poly": a_poly, "poly_strong_penalty": a_s, "poly_weak_penalty": a_w,
            "loss_raw": l_raw, "loss_poly": l_poly, "loss_strong": l_s, "loss_weak": l_w}


@c17.decide
def _(trials):
    t = trials[0]
    holds = (t["raw"] < 0.7 and t["poly"] > 0.95 and t["loss_strong"] > 0.6
             and t["loss_weak"] < 0.2)
    return verdict(holds, f"training accuracy: linear {t['raw']:.2f} -> + degree 2 "
                          f"{t['poly']:.2f}; training log-loss with C = 1e-4 "
                          f"{t['loss_strong']:.3f} (accuracy {t['poly_strong_penalty']:.2f}) -> "
                          f"C = 100 {t['loss_weak']:.3f}")


@c17.plot
def _(trials):
    from ._common_claims_ad import bar_figure

    t = trials[0]
    return [bar_figure(["acc linear", "acc + x^2 terms", "loss x^2, C=1e-4", "loss x^2, C=100"],
                       [t["raw"], t["poly"], t["loss_strong"], t["loss_weak"]],
                       "training accuracy / log-loss", "Curing underfitting (circles)")]


@experiment("C18", section="A", title="Bagging averages out trees' variance",
            expected="reproduce",
            claim="Ensembles (bagging) reduce overfitting by averaging out individual models' "
                  "quirks.",
            design="make_moons(noise=0.3): 30 resampled training sets of 200 (quick 10); one deep "
                   "CART vs 50 bagged deep trees (library BaggingClassifier): mean test accuracy "
                   "and the variance of the predicted class-1 indicator / probability across "
                   "training sets on a fixed test set.",
            code=["whiteboard.ml.ensemble:BaggingClassifier",
                  "whiteboard.ml.tree:DecisionTreeClassifier"],
            tests=["tests/ml/ensemble/test_bagging.py"])
def c18(seed, quick):
    Xte, yte = make_moons(500, noise=0.3, random_state=10_000 + seed)
    reps = 10 if quick else 30
    tree_pred, bag_pred, tree_acc, bag_acc = [], [], [], []
    for r in range(reps):
        X, y = make_moons(200, noise=0.3, random_state=seed * 1000 + r)
        t = DecisionTreeClassifier(random_state=r).fit(X, y)
        b = BaggingClassifier(DecisionTreeClassifier(), n_estimators=20 if quick else 50,
                              random_state=r).fit(X, y)
        tree_pred.append(t.predict(Xte))
        bag_pred.append(b.predict_proba(Xte)[:, 1])
        tree_acc.append(float(np.mean(t.predict(Xte) == yte)))
        bag_acc.append(float(np.mean(b.predict(Xte) == yte)))
    return {"tree_acc": tree_acc, "bag_acc": bag_acc,
            "tree_var": float(np.var(tree_pred, 0).mean()),
            "bag_var": float(np.var(bag_pred, 0).mean())}


@c18.decide
def _(trials):
    from ..stats import exceeds_noise

    t = trials[0]
    better = exceeds_noise(t["bag_acc"], t["tree_acc"])
    return verdict(better and t["bag_var"] < t["tree_var"] / 2,
                   f"test accuracy tree {fmt_mean_sd(t['tree_acc'])} vs bagging "
                   f"{fmt_mean_sd(t['bag_acc'])}; prediction variance across training sets "
                   f"{t['tree_var']:.3f} vs {t['bag_var']:.3f}")


@c18.plot
def _(trials):
    from ._common_claims_ad import bar_figure

    t = trials[0]
    return [bar_figure(["tree acc", "bagging acc", "tree pred var", "bagging pred var"],
                       [np.mean(t["tree_acc"]), np.mean(t["bag_acc"]), t["tree_var"],
                        t["bag_var"]], "value", "One deep tree vs 50 bagged trees")]
