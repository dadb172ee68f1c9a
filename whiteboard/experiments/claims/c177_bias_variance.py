"""C177, C179: bagging lowers variance, boosting lowers bias; AdaBoost and label noise.

C177. Over training sets D drawn from the same distribution, at a test point x with true
f(x): E_D[(ŷ_D(x) − f(x))²] = (E_D ŷ_D(x) − f(x))² + Var_D ŷ_D(x) (bias² + variance; + σ² for
noisy targets). Averaging B bootstrap trees keeps the bias of one tree and divides the part of
its variance that is not shared between trees; boosting stumps adds terms fitted to the residuals,
lowering the bias of the single stump.

C179. AdaBoost multiplies the weight of a misclassified point by e^{α} every round; a flipped
label is misclassified by most good learners, so its weight keeps growing and the later learners
chase the noise. A random forest's bootstrap averages are not re-weighted.
"""

import numpy as np

from ...ml import (
    AdaBoostClassifier, BaggingRegressor, DecisionTreeClassifier, DecisionTreeRegressor,
    GradientBoostingRegressor, RandomForestClassifier,
)
from ..registry import experiment, verdict


def _models(quick, seed):
    return {
        "deep tree": lambda: DecisionTreeRegressor(random_state=seed),
        "bagged deep trees": lambda: BaggingRegressor(DecisionTreeRegressor(),
                                                      n_estimators=20 if quick else 50,
                                                      random_state=seed),
        "stump": lambda: DecisionTreeRegressor(max_depth=1, random_state=seed),
        "boosted stumps": lambda: GradientBoostingRegressor(n_estimators=100 if quick else 200,
                                                            max_depth=1, learning_rate=0.1,
                                                            random_state=seed),
    }


@experiment("C177", section="K", title="Bagging lowers variance; boosting lowers bias",
            expected="reproduce",
            claim="Bagging lowers variance; boosting lowers bias.",
            design="make_friedman1(n = 200, noise 1): 40 independent training sets (8 quick), "
                   "1,000 fixed test points with the noiseless f: bias², variance and test MSE of "
                   "a deep tree, 50 bagged deep trees (BaggingRegressor), a stump and 200 "
                   "boosted stumps (GradientBoostingRegressor, lr 0.1).",
            code=["whiteboard.ml.ensemble:BaggingRegressor",
                  "whiteboard.ml.ensemble:GradientBoostingRegressor",
                  "whiteboard.ml.tree:DecisionTreeRegressor"],
            tests=["tests/ml/ensemble/test_bagging.py",
                   "tests/ml/ensemble/test_gradient_boosting.py"])
def c177(seed, quick):
    from sklearn.datasets import make_friedman1  # data generator only

    Xt, ft = make_friedman1(1000, noise=0.0, random_state=10_000 + seed)
    sets = 8 if quick else 40
    preds = {name: [] for name in _models(quick, seed)}
    for s in range(sets):
        X, y = make_friedman1(200, noise=1.0, random_state=seed * 1000 + s)
        for name, make in _models(quick, seed + s).items():
            preds[name].append(make().fit(X, y).predict(Xt))
    out = {}
    for name, P in preds.items():
        P = np.asarray(P)
        mean = P.mean(0)
        out[name] = {"bias2": float(np.mean((mean - ft) ** 2)),
                     "variance": float(np.mean(P.var(0, ddof=1))),
                     "mse": float(np.mean((P - ft) ** 2))}
    return {"sets": sets, "models": out}


@c177.decide
def _(trials):
    m = trials[0]["models"]
    tree, bag = m["deep tree"], m["bagged deep trees"]
    stump, boost = m["stump"], m["boosted stumps"]
    holds = (bag["variance"] < 0.7 * tree["variance"] and bag["bias2"] < 1.5 * tree["bias2"]
             and boost["bias2"] < 0.7 * stump["bias2"])
    return verdict(holds, f"variance deep tree {tree['variance']:.2f} → bagged "
                          f"{bag['variance']:.2f} (bias² {tree['bias2']:.2f} → "
                          f"{bag['bias2']:.2f}); bias² stump "
                          f"{stump['bias2']:.2f} → boosted {boost['bias2']:.2f} (variance "
                          f"{stump['variance']:.2f} → {boost['variance']:.2f})")


@c177.plot
def _(trials):
    import matplotlib.pyplot as plt

    m = trials[0]["models"]
    names = list(m)
    fig, ax = plt.subplots(figsize=(6, 3.6))
    b = [m[n]["bias2"] for n in names]
    v = [m[n]["variance"] for n in names]
    ax.bar(names, b, label="bias²")
    ax.bar(names, v, bottom=b, label="variance")
    ax.set_xlabel("model")
    ax.set_ylabel("test error decomposition")
    ax.set_title(f"make_friedman1, {trials[0]['sets']} training sets")
    ax.tick_params(axis="x", labelsize=8)
    ax.legend()
    fig.tight_layout()
    return [fig]


@experiment("C179", section="K", title="AdaBoost is sensitive to label noise", expected="reproduce",
            claim="AdaBoost is sensitive to label noise and outliers.",
            design="make_hastie_10_2 (n = 2,000, half test) with 0 / 10 / 20 % of the training "
                   "labels flipped: AdaBoost (stumps, 200 rounds; 100 quick) vs RandomForest "
                   "(100 trees; 30 quick); rise of the test error and AdaBoost's share of total "
                   "sample weight on the flipped points after boosting.",
            code=["whiteboard.ml.ensemble:AdaBoostClassifier",
                  "whiteboard.ml.ensemble:RandomForestClassifier"],
            tests=["tests/ml/ensemble/test_weight_boosting.py", "tests/ml/ensemble/test_forest.py"])
def c179(seed, quick):
    from sklearn.datasets import make_hastie_10_2  # data generator only

    X, y = make_hastie_10_2(2000, random_state=seed)
    y = (y > 0).astype(int)
    Xtr, ytr, Xte, yte = X[:1000], y[:1000], X[1000:], y[1000:]
    rng = np.random.default_rng(seed)
    rows = []
    for rate in (0.0, 0.1, 0.2):
        yn = ytr.copy()
        flipped = rng.choice(1000, int(rate * 1000), replace=False)
        yn[flipped] = 1 - yn[flipped]
        ada = AdaBoostClassifier(DecisionTreeClassifier(max_depth=1),
                                 n_estimators=100 if quick else 200, random_state=seed).fit(Xtr, yn)
        rf = RandomForestClassifier(n_estimators=30 if quick else 100,
                                    random_state=seed).fit(Xtr, yn)
        # AdaBoost's sample weights after the last round: w ∝ exp(−Σ α_t [h_t(x) = y] ...) rebuilt
        F = np.zeros(1000)
        for est, a in zip(ada.estimators_, ada.estimator_weights_):
            F += a * (np.asarray(est.predict(Xtr)) != yn)
        w = np.exp(F - F.max())
        share = float(w[flipped].sum() / w.sum()) if len(flipped) else 0.0
        rows.append({"rate": rate, "ada_error": float(np.mean(ada.predict(Xte) != yte)),
                     "rf_error": float(np.mean(rf.predict(Xte) != yte)),
                     "weight_share_flipped": share})
    return {"rows": rows}


@c179.decide
def _(trials):
    r = trials[0]["rows"]
    d_ada = r[-1]["ada_error"] - r[0]["ada_error"]
    d_rf = r[-1]["rf_error"] - r[0]["rf_error"]
    share = r[-1]["weight_share_flipped"]
    return verdict(d_ada > d_rf and share > r[-1]["rate"],
                   f"test error rise at 20 % noise: AdaBoost {d_ada:+.3f} vs forest {d_rf:+.3f}; "
                   f"weight share on the 20 % flipped points {share:.2f}")


@c179.plot
def _(trials):
    import matplotlib.pyplot as plt

    r = trials[0]["rows"]
    rates = [100 * x["rate"] for x in r]
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.5))
    axes[0].plot(rates, [x["ada_error"] for x in r], "o-", label="AdaBoost")
    axes[0].plot(rates, [x["rf_error"] for x in r], "s-", label="random forest")
    axes[0].set_xlabel("flipped training labels (%)")
    axes[0].set_ylabel("test error")
    axes[0].legend()
    axes[1].bar([f"{x:.0f} %" for x in rates], [x["weight_share_flipped"] for x in r])
    axes[1].plot([0, 1, 2], [x["rate"] for x in r], "k--", label="share of points")
    axes[1].set_xlabel("flipped training labels")
    axes[1].set_ylabel("AdaBoost weight on flipped points")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    return [fig]
