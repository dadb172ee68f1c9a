"""C178, C181, C182: AdaBoost boosts weak learners, negative coefficients, exponential loss.

Discrete AdaBoost (K = 2, labels y ∈ {−1, +1}) builds F_T(x) = Σ_t α_t h_t(x) stagewise. With
weights wᵢ ∝ exp(−yᵢ F_{t−1}(xᵢ)) and weighted error ε_t of h_t, the exponential loss along the
new direction, Σᵢ wᵢ exp(−α yᵢ h_t(xᵢ)) = (1 − ε) e^{−α} + ε e^{α} (normalised weights), is
minimised at

    α_t = ½ ln((1 − ε_t) / ε_t),

so AdaBoost is forward stagewise additive modelling of the exponential loss (C182; SAMME's
α = ln((1 − ε)/ε) + ln(K − 1) is 2α_t for K = 2). For ε > ½, α_t < 0 (α(0.7) = −0.424) and
−α·h = α·(−h): the worse-than-chance learner, inverted, still lowers the loss (C181). The
training error is at most Π_t 2√(ε_t(1 − ε_t)) < 1, so learners slightly better than chance
combine into a strong classifier (C178).
"""

import numpy as np

from ...ml import AdaBoostClassifier, DecisionTreeClassifier
from ..registry import REFUTED, experiment, verdict


def _hastie(n, seed):
    from sklearn.datasets import make_hastie_10_2  # data generator only

    X, y = make_hastie_10_2(n_samples=n, random_state=seed)
    return X, y.astype(int)


@experiment("C178", section="K", title="AdaBoost turns weak stumps into a strong classifier",
            expected="reproduce",
            claim="AdaBoost turns weak learners slightly better than chance into a strong "
                  "classifier.",
            design="make_hastie_10_2 (n = 2000, half train / half test), decision stumps, 400 "
                   "rounds (150 quick) of the library's AdaBoostClassifier; test error of one "
                   "stump and of the ensemble per round.",
            code=["whiteboard.ml.ensemble:AdaBoostClassifier",
                  "whiteboard.ml.tree:DecisionTreeClassifier"],
            tests=["tests/ml/ensemble/test_weight_boosting.py"])
def c178(seed, quick):
    X, y = _hastie(2000, seed)
    rounds = 150 if quick else 400
    m = AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=rounds,
                           random_state=seed).fit(X[:1000], y[:1000])
    test_err = [float(np.mean(p != y[1000:])) for p in m.staged_predict(X[1000:])]
    train_err = [float(np.mean(p != y[:1000])) for p in m.staged_predict(X[:1000])]
    stump = DecisionTreeClassifier(max_depth=1).fit(X[:1000], y[:1000])
    return {"rounds": rounds, "stump_test_error": float(np.mean(stump.predict(X[1000:])
                                                                != y[1000:])),
            "test_error": test_err, "train_error": train_err,
            "weighted_errors": [float(e) for e in m.estimator_errors_[:len(test_err)]]}


@c178.decide
def _(trials):
    t = trials[0]
    s, final = t["stump_test_error"], t["test_error"][-1]
    weak = float(np.median(t["weighted_errors"]))
    return verdict(s >= 0.4 and final <= s / 2,
                   f"one stump: test error {s:.3f}; AdaBoost after {t['rounds']} rounds: "
                   f"{final:.3f} (median weighted error of the stumps {weak:.3f})")


@c178.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    r = np.arange(1, len(t["test_error"]) + 1)
    ax.plot(r, t["test_error"], label="AdaBoost test")
    ax.plot(r, t["train_error"], label="AdaBoost train")
    ax.axhline(t["stump_test_error"], color="k", ls="--", label="single stump (test)")
    ax.set_xlabel("boosting rounds")
    ax.set_ylabel("error")
    ax.set_title("Boosting stumps on make_hastie_10_2")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


def _exp_loss(alpha, w, margin):
    return float(np.sum(w * np.exp(-alpha * margin)))


@experiment("C181", section="K", title="A worse-than-chance learner gets a negative coefficient",
            expected="reproduce",
            claim="A weak learner with error > 0.5 gets a negative coefficient and still helps.",
            design="α(ε) = ½ ln((1 − ε)/ε) at ε = 0.7; breast_cancer, a stump whose predictions "
                   "are inverted (error > 0.5): the exponential-loss line search gives α < 0 and "
                   "a loss below 1; −α·(inverted) equals +α·(original stump) on every sample.",
            code=["whiteboard.ml.tree:DecisionTreeClassifier"],
            tests=["tests/ml/tree/test_tree.py"])
def c181(seed, quick):
    from scipy.optimize import minimize_scalar

    from ...data.datasets import load_breast_cancer

    X, y01 = load_breast_cancer()
    y = 2 * np.asarray(y01) - 1
    stump = DecisionTreeClassifier(max_depth=1, random_state=seed).fit(X, y)
    h = -np.asarray(stump.predict(X))          # the inverted, worse-than-chance learner
    w = np.full(len(y), 1.0 / len(y))
    err = float(np.sum(w * (h != y)))
    alpha_formula = 0.5 * np.log((1 - err) / err)
    res = minimize_scalar(_exp_loss, args=(w, y * h), bounds=(-5, 5), method="bounded",
                          options={"xatol": 1e-12})
    f_neg = alpha_formula * h
    f_pos = (-alpha_formula) * np.asarray(stump.predict(X))
    return {"alpha_0_7": float(0.5 * np.log(0.3 / 0.7)), "err": err,
            "alpha_formula": float(alpha_formula), "alpha_line_search": float(res.x),
            "loss_at_alpha": _exp_loss(alpha_formula, w, y * h), "loss_at_zero": 1.0,
            "max_diff_flipped": float(np.abs(f_neg - f_pos).max())}


@c181.decide
def _(trials):
    t = trials[0]
    holds = (abs(t["alpha_0_7"] + 0.4236) < 1e-4 and t["err"] > 0.5 and t["alpha_formula"] < 0
             and abs(t["alpha_formula"] - t["alpha_line_search"]) < 1e-6
             and t["loss_at_alpha"] < 1.0 and t["max_diff_flipped"] == 0.0)
    return verdict(holds, f"α(0.7) = {t['alpha_0_7']:.3f}; inverted stump error {t['err']:.3f} → "
                          f"α = {t['alpha_formula']:.3f} (line search {t['alpha_line_search']:.3f})"
                          f", exponential loss {t['loss_at_alpha']:.3f} < 1", otherwise=REFUTED)


@c181.plot
def _(trials):
    import matplotlib.pyplot as plt

    eps = np.linspace(0.02, 0.98, 200)
    t = trials[0]
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    ax.plot(eps, 0.5 * np.log((1 - eps) / eps))
    ax.axhline(0, color="k", lw=0.8)
    ax.plot([0.7], [t["alpha_0_7"]], "ro", label=f"ε = 0.7: α = {t['alpha_0_7']:.3f}")
    ax.plot([t["err"]], [t["alpha_formula"]], "ks", label="inverted stump")
    ax.set_xlabel("weighted error ε")
    ax.set_ylabel("α = ½ ln((1 − ε)/ε)")
    ax.set_title("Worse than chance → negative α")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


@experiment("C182", section="K", title="AdaBoost = forward stagewise exponential-loss fitting",
            expected="reproduce",
            claim="AdaBoost minimises the exponential loss by forward stagewise additive "
                  "modelling.",
            design="Breast_cancer, stumps, 30 rounds (15 quick): for every round, the weights "
                   "∝ exp(−y F_{t−1}) rebuilt from the fitted ensemble, the line-search minimiser "
                   "of Σ wᵢ exp(−α yᵢ hₜ(xᵢ)) against the library's α_t/2 (SAMME, K = 2); "
                   "predictions and estimator weights against sklearn AdaBoostClassifier.",
            code=["whiteboard.ml.ensemble:AdaBoostClassifier"],
            tests=["tests/ml/ensemble/test_weight_boosting.py"])
def c182(seed, quick):
    from scipy.optimize import minimize_scalar
    from sklearn.ensemble import AdaBoostClassifier as SkAda  # oracle
    from sklearn.tree import DecisionTreeClassifier as SkTree

    from ...data.datasets import load_breast_cancer

    X, y01 = load_breast_cancer()
    y01 = np.asarray(y01)
    y = 2 * y01 - 1
    rounds = 15 if quick else 30
    m = AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=rounds,
                           random_state=seed).fit(X, y01)
    F = np.zeros(len(y))
    gaps = []
    for est, a_samme in zip(m.estimators_, m.estimator_weights_):
        h = 2 * np.asarray(est.predict(X)) - 1
        w = np.exp(-y * F)
        w /= w.sum()
        res = minimize_scalar(_exp_loss, args=(w, y * h), bounds=(-10, 10), method="bounded",
                              options={"xatol": 1e-12})
        gaps.append(abs(float(res.x) - a_samme / 2))
        F += a_samme / 2 * h
    sk = SkAda(SkTree(max_depth=1), n_estimators=rounds, random_state=seed).fit(X, y01)
    k = min(len(sk.estimator_weights_), len(m.estimator_weights_))
    return {"rounds": len(m.estimators_), "line_search_gaps": gaps,
            "max_weight_diff_sklearn": float(np.abs(sk.estimator_weights_[:k]
                                                    - m.estimator_weights_[:k]).max()),
            "prediction_disagreements": int(np.sum(sk.predict(X) != m.predict(X))),
            "alphas": [float(a) for a in m.estimator_weights_]}


@c182.decide
def _(trials):
    t = trials[0]
    gap = max(t["line_search_gaps"])
    holds = gap < 1e-6 and t["max_weight_diff_sklearn"] < 1e-8 and \
        t["prediction_disagreements"] == 0
    return verdict(holds, f"max |α_t − argmin_α Σ w exp(−α y h)| = {gap:.1e} over {t['rounds']} "
                          f"rounds; |α − sklearn α| ≤ {t['max_weight_diff_sklearn']:.1e}, "
                          f"{t['prediction_disagreements']} prediction differences",
                   otherwise=REFUTED)


@c182.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    ax.semilogy(np.arange(1, len(t["line_search_gaps"]) + 1),
                np.maximum(t["line_search_gaps"], 1e-16), "o-", ms=3)
    ax.set_xlabel("boosting round t")
    ax.set_ylabel("|α_t − exp-loss line-search minimiser|")
    ax.set_title("Each α_t is the exponential-loss line search")
    fig.tight_layout()
    return [fig]
