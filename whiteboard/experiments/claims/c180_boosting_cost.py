"""C180, C193: AdaBoost's test error after the training error reaches zero; AdaCost's update.

C180. AdaBoost keeps raising the normalised margins yᵢ F(xᵢ) / Σ_t α_t after every training
point is classified correctly, and the generalisation bound of Schapire et al. (1998) depends on
the margin distribution, not on the number of rounds — so the test error often keeps falling
(contested: with noisy data it can also overfit).

C193. AdaCost (Fan et al. 1999) updates D_{t+1}(i) ∝ D_t(i) exp(−α_t yᵢ h_t(xᵢ) β(·, cᵢ)) with
β₋(c) = 0.5c + 0.5 for a mistake (multiplier exp(α β₋) grows with the cost c) and
β₊(c) = −0.5c + 0.5 for a correct prediction (multiplier exp(−α β₊) → 1 as c → 1): costly
misclassified samples gain weight faster, costly correct ones lose it more slowly.
"""

import numpy as np

from ... import metrics
from ...imbalance import AdaCostClassifier
from ...imbalance.cost_sensitive import adacost_beta
from ...ml import AdaBoostClassifier, DecisionTreeClassifier
from ..registry import REFUTED, experiment, verdict


@experiment("C180", section="K", title="AdaBoost's test error after zero training error",
            expected="contested",
            claim="AdaBoost seldom overfits: the test error keeps falling after the training "
                  "error reaches 0.",
            design="Breast_cancer (70/30 stratified), depth-2 trees, 1,000 rounds (300 quick): the "
                   "round at which the training error first reaches 0, the test error then and at "
                   "the end, and the normalised training margins at both rounds.",
            code=["whiteboard.ml.ensemble:AdaBoostClassifier"],
            tests=["tests/ml/ensemble/test_weight_boosting.py"])
def c180(seed, quick):
    from ...data.datasets import load_breast_cancer, train_test_split

    X, y = load_breast_cancer()
    Xtr, Xte, ytr, yte = train_test_split(np.asarray(X, float), np.asarray(y), test_size=0.3,
                                          random_state=seed, stratify=y)
    rounds = 300 if quick else 1000
    m = AdaBoostClassifier(DecisionTreeClassifier(max_depth=2), n_estimators=rounds,
                           random_state=seed).fit(Xtr, ytr)
    train_err = [float(np.mean(p != ytr)) for p in m.staged_predict(Xtr)]
    test_err = [float(np.mean(p != yte)) for p in m.staged_predict(Xte)]
    zero = next((i for i, e in enumerate(train_err) if e == 0.0), None)
    sgn = 2 * ytr - 1
    alphas = np.asarray(m.estimator_weights_[:len(m.estimators_)])
    H = np.stack([2 * np.asarray(e.predict(Xtr)) - 1 for e in m.estimators_])
    cum = np.cumsum(alphas[:, None] * H, axis=0) / np.cumsum(alphas)[:, None]
    margins = sgn[None] * cum
    at_zero = margins[zero] if zero is not None else margins[-1]
    return {"rounds": len(test_err), "zero_round": None if zero is None else zero + 1,
            "train_error": train_err, "test_error": test_err,
            "test_error_at_zero": test_err[zero] if zero is not None else None,
            "test_error_final": test_err[-1],
            "min_margin_at_zero": float(at_zero.min()),
            "min_margin_final": float(margins[-1].min()),
            "margins_at_zero": np.sort(at_zero).tolist(),
            "margins_final": np.sort(margins[-1]).tolist()}


@c180.decide
def _(trials):
    t = trials[0]
    if t["zero_round"] is None:
        return verdict(False, f"training error never reached 0 in {t['rounds']} rounds "
                              f"(final {t['train_error'][-1]:.3f})")
    a, b = t["test_error_at_zero"], t["test_error_final"]
    return verdict(b < a and t["min_margin_final"] > t["min_margin_at_zero"],
                   f"training error 0 at round {t['zero_round']}; test error then {a:.3f}, after "
                   f"{t['rounds']} rounds {b:.3f}; minimum margin {t['min_margin_at_zero']:.3f} → "
                   f"{t['min_margin_final']:.3f}")


@c180.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.5))
    r = np.arange(1, t["rounds"] + 1)
    axes[0].plot(r, t["train_error"], label="train")
    axes[0].plot(r, t["test_error"], label="test")
    if t["zero_round"]:
        axes[0].axvline(t["zero_round"], color="k", ls=":", label="train error = 0")
    axes[0].set_xscale("log")
    axes[0].set_xlabel("boosting rounds")
    axes[0].set_ylabel("error")
    axes[0].legend(fontsize=8)
    for key, name in (("margins_at_zero", "at zero training error"), ("margins_final", "final")):
        m = np.asarray(t[key])
        axes[1].plot(m, np.arange(1, len(m) + 1) / len(m), label=name)
    axes[1].set_xlabel("normalised margin y F(x) / Σα")
    axes[1].set_ylabel("cumulative share of training points")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    return [fig]


@experiment("C193", section="L", title="AdaCost's cost-adjusted weight update",
            expected="reproduce", seeds=5,
            claim="AdaCost raises the weight of costly misclassified samples more and lowers that "
                  "of costly correct ones less.",
            design="The update multipliers exp(−α·(±1)·β(c)) from imbalance.cost_sensitive."
                   "adacost_beta for c ∈ [0, 1] (monotone in c, asserted); make_classification "
                   "90:10 (n = 2,000) with cost 5:1 (c = 0.5 minority, 0.1 majority; "
                   "c near 1 leaves no edge, Ting 2000): AdaCost vs "
                   "AdaBoost (stumps, 100 rounds), minority recall and total cost 5·FN + FP, 5 "
                   "seeds.",
            code=["whiteboard.imbalance:AdaCostClassifier",
                  "whiteboard.imbalance.cost_sensitive:adacost_beta"],
            tests=["tests/imbalance/test_cost_sensitive.py"])
def c193(seed, quick):
    from sklearn.datasets import make_classification  # data generator only

    from ...data.datasets import train_test_split

    c = np.linspace(0, 1, 21)
    alpha = 0.5
    up = np.exp(alpha * adacost_beta(np.zeros(21, bool), c))      # misclassified
    down = np.exp(-alpha * adacost_beta(np.ones(21, bool), c))    # correct
    X, y = make_classification(2000, n_features=10, n_informative=4, weights=[0.9, 0.1],
                               flip_y=0.02, class_sep=0.7, random_state=seed)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)
    rounds = 50 if quick else 100
    ada = AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=rounds,
                             random_state=seed).fit(Xtr, ytr)
    cost = AdaCostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=rounds,
                             cost={0: 0.1, 1: 0.5}, random_state=seed).fit(Xtr, ytr)
    out = {"c": c.tolist(), "up": up.tolist(), "down": down.tolist()}
    for name, m in (("adaboost", ada), ("adacost", cost)):
        cm = metrics.confusion_matrix(yte, m.predict(Xte))
        out[name] = {"recall": float(cm[1, 1] / cm[1].sum()),
                     "total_cost": float(5 * cm[1, 0] + cm[0, 1])}
    return out


@c193.decide
def _(trials):
    t = trials[0]
    up, down = np.asarray(t["up"]), np.asarray(t["down"])
    prop = bool(np.all(np.diff(up) > 0) and np.all(np.diff(down) > 0) and down[-1] == 1.0)
    if not prop:
        return verdict(False, "AdaCost's multipliers are not monotone in the cost",
                       otherwise=REFUTED)
    rec = [(tr["adacost"]["recall"], tr["adaboost"]["recall"]) for tr in trials]
    cst = [(tr["adacost"]["total_cost"], tr["adaboost"]["total_cost"]) for tr in trials]
    r_c, r_a = np.mean([a for a, _ in rec]), np.mean([b for _, b in rec])
    c_c, c_a = np.mean([a for a, _ in cst]), np.mean([b for _, b in cst])
    return verdict(r_c > r_a and c_c < c_a,
                   f"multipliers monotone in c (mistake ×{up[0]:.2f} → ×{up[-1]:.2f}, correct "
                   f"×{down[0]:.2f} → ×{down[-1]:.2f}); minority recall AdaCost {r_c:.3f} vs "
                   f"AdaBoost {r_a:.3f}; total cost {c_c:.0f} vs {c_a:.0f}")


@c193.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    ax.plot(t["c"], t["up"], label="misclassified: exp(α β₋(c))")
    ax.plot(t["c"], t["down"], label="correct: exp(−α β₊(c))")
    ax.axhline(1, color="k", lw=0.8)
    ax.set_xlabel("misclassification cost c")
    ax.set_ylabel("weight multiplier (α = 0.5)")
    ax.set_title("AdaCost's update")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
