"""C183: random forests, AdaBoost, GBDT and XGBoost build and combine trees differently —
measured on the same data.

* Bagging / RF: deep trees on bootstrap samples, averaged. For B trees of variance σ² and
  pairwise correlation ρ the average has variance ρσ² + (1 − ρ)σ²/B, so RF's random feature
  subset per split (``max_features``) lowers ρ and the variance, at roughly the bias of one
  deep tree.
* AdaBoost: stumps on re-weighted samples, w ← w · exp(α · 1[miss]) with
  α = log((1 − err)/err) (+ log(K − 1), SAMME), which makes the last learner's weighted error
  under the new weights exactly ½; a weighted vote.
* GBDT: shallow regression trees fitted to the negative gradient −∂l/∂F — for
  l = ½(y − F)² the residuals y − F — added with shrinkage: lowers bias.
* XGBoost: trees from the second-order expansion, leaf weight w_j = −G_j / (H_j + λ) and gain
  ½[G_L²/(H_L + λ) + G_R²/(H_R + λ) − G²/(H + λ)] − γ.
"""

import numpy as np

from ...ml import (
    AdaBoostClassifier, DecisionTreeRegressor, GradientBoostingRegressor, RandomForestRegressor,
    XGBoostRegressor,
)
from ..registry import experiment, verdict

MAX_FEATURES = (1.0, 0.6, 0.3, 0.1)


def _friedman(n, seed, noise=1.0):
    from sklearn.datasets import make_friedman1  # data generator only

    return make_friedman1(n_samples=n, noise=noise, random_state=seed)


def _models(seed, n_trees, n_rounds):
    out = {"tree_deep": DecisionTreeRegressor(random_state=seed),
           "tree_depth3": DecisionTreeRegressor(max_depth=3, random_state=seed)}
    for mf in MAX_FEATURES:
        out[f"rf_{mf}"] = RandomForestRegressor(n_estimators=n_trees, max_features=mf,
                                                random_state=seed)
    out["gbdt"] = GradientBoostingRegressor(n_estimators=n_rounds, learning_rate=0.1,
                                            max_depth=3, random_state=seed)
    out["xgboost"] = XGBoostRegressor(n_estimators=n_rounds, learning_rate=0.1, max_depth=3,
                                      random_state=seed)
    return out


def _bias_variance(seed, reps, n_trees, n_rounds):
    from sklearn.datasets import make_friedman1

    Xte, fte = make_friedman1(n_samples=300, noise=0.0, random_state=10_000 + seed)
    preds = {k: [] for k in _models(seed, 1, 1)}
    depth = {}
    for r in range(reps):
        X, y = _friedman(200, 100 * seed + r)
        for name, m in _models(seed + r, n_trees, n_rounds).items():
            m.fit(X, y)
            preds[name].append(m.predict(Xte))
            if r == 0 and name.startswith("rf_"):
                depth[name] = float(np.mean([t.get_depth() for t in m.estimators_]))
    out = {}
    for name, P in preds.items():
        P = np.array(P)
        out[name] = {"bias2": float(np.mean((P.mean(0) - fte) ** 2)),
                     "variance": float(np.mean(P.var(0))),
                     "mse": float(np.mean((P - fte) ** 2))}
    return out, depth


def _gbdt_residuals(seed):
    X, y = _friedman(200, seed)
    g = GradientBoostingRegressor(n_estimators=2, learning_rate=0.1, max_depth=3,
                                  random_state=seed).fit(X, y)
    t0, t1 = g.estimators_[0, 0], g.estimators_[1, 0]
    r0 = y - y.mean()  # negative gradient of ½(y − F)² at F₀ = ȳ
    F1 = y.mean() + 0.1 * t0.predict(X)
    r1 = y - F1
    dev = 0.0
    for t, r in ((t0, r0), (t1, r1)):
        leaf = t.apply(X)
        means = np.bincount(leaf, r, minlength=leaf.max() + 1) / np.maximum(
            np.bincount(leaf, minlength=leaf.max() + 1), 1)
        dev = max(dev, float(np.max(np.abs(t.predict(X) - means[leaf]))))
    return dev


def _xgb_leaves(seed, lam=2.0):
    import xgboost

    X, y = _friedman(200, seed)
    m = XGBoostRegressor(n_estimators=1, learning_rate=0.3, max_depth=3, reg_lambda=lam,
                         tree_method="exact", random_state=seed).fit(X, y)
    tree = m.estimators_[0][0]
    leaf = tree.apply(X)
    G = np.bincount(leaf, m.base_margin_.ravel()[0] - y)   # g = F₀ − y, h = 1
    H = np.bincount(leaf, minlength=len(G)).astype(float)
    used = H > 0
    w_formula = -G[used] / (H[used] + lam) * 0.3
    w_tree = np.array([tree.predict(X[leaf == j][:1])[0, 0, 0] for j in np.flatnonzero(used)])
    leaf_dev = float(np.max(np.abs(w_formula - w_tree)))
    kw = dict(n_estimators=30, learning_rate=0.1, max_depth=3, reg_lambda=lam)
    ours = XGBoostRegressor(tree_method="exact", **kw).fit(X, y).predict(X)
    ref = xgboost.XGBRegressor(tree_method="exact", base_score=float(y.mean()), **kw).fit(X, y)
    oracle_dev = float(np.max(np.abs(ours - ref.predict(X))) / np.std(y))
    return leaf_dev, oracle_dev


def _adaboost_weights(seed):
    X, y = _friedman(400, seed)
    yc = (y > np.median(y)).astype(int)
    ada = AdaBoostClassifier(n_estimators=20, random_state=seed).fit(X, yc)
    w = np.full(len(yc), 1.0 / len(yc))
    dev_half = dev_err = 0.0
    for est, alpha, err in zip(ada.estimators_, ada.estimator_weights_, ada.estimator_errors_):
        miss = est.predict(X) != yc
        dev_err = max(dev_err, abs(float(np.average(miss, weights=w)) - err))
        w = w * np.exp(alpha * miss)
        w /= w.sum()
        dev_half = max(dev_half, abs(float(w[miss].sum()) - 0.5))
    return dev_half, dev_err


@experiment("C183", section="K", title="RF, AdaBoost, GBDT and XGBoost build trees differently",
            expected="reproduce",
            claim="RF, AdaBoost, GBDT and XGBoost differ in how they build and combine trees: RF "
                  "averages decorrelated deep trees (variance ↓), AdaBoost re-weights samples, "
                  "GBDT fits negative gradients (residuals for MSE), XGBoost uses second-order "
                  "leaf weights and gains with λ/γ.",
            design="make_friedman1 (n = 200, noise 1), 12 training sets (4, with 20 trees / 40 "
                   "rounds, in quick mode): bias² "
                   "and variance on 300 noise-free test points of a deep tree, RF with "
                   "max_features ∈ {1.0 (bagging), 0.6, 0.3, 0.1}, a depth-3 tree, GBDT and "
                   "XGBoost (depth 3, 100 rounds, lr 0.1); GBDT's trees vs leaf means of the "
                   "residuals; XGBoost's leaves vs −G/(H + λ) and vs xgboost; AdaBoost's weights "
                   "recomputed from its learners.",
            code=["whiteboard.ml:RandomForestRegressor",
                  "whiteboard.ml:GradientBoostingRegressor", "whiteboard.ml:XGBoostRegressor",
                  "whiteboard.ml:AdaBoostClassifier"],
            tests=["tests/ml/ensemble/test_forest.py",
                   "tests/ml/ensemble/test_gradient_boosting.py",
                   "tests/ml/ensemble/test_xgboost.py",
                   "tests/ml/ensemble/test_weight_boosting.py"])
def c183(seed, quick):
    bv, depth = _bias_variance(seed, 4 if quick else 12, 20 if quick else 50,
                               40 if quick else 100)
    leaf_dev, oracle_dev = _xgb_leaves(seed)
    half, err = _adaboost_weights(seed)
    return {"bias_variance": bv, "rf_tree_depth": depth,
            "gbdt_residual_dev": _gbdt_residuals(seed),
            "xgb_leaf_dev": leaf_dev, "xgb_oracle_dev": oracle_dev,
            "ada_half_dev": half, "ada_err_dev": err}


@c183.decide
def _(trials):
    t = trials[0]
    bv = t["bias_variance"]
    var = {k: v["variance"] for k, v in bv.items()}
    b2 = {k: v["bias2"] for k, v in bv.items()}
    bag, best_rf = var["rf_1.0"], min(var[f"rf_{m}"] for m in MAX_FEATURES[1:3])
    checks = {
        "bagging ↓ variance": bag < 0.5 * var["tree_deep"],
        "feature subsampling ↓ variance": best_rf < bag,
        "boosting ↓ bias": b2["gbdt"] < 0.5 * b2["tree_depth3"]
                            and b2["xgboost"] < 0.5 * b2["tree_depth3"],
        "GBDT fits residuals": t["gbdt_residual_dev"] < 1e-9,
        "XGB leaf −G/(H+λ)": t["xgb_leaf_dev"] < 1e-9 and t["xgb_oracle_dev"] < 1e-4,
        "AdaBoost err ½": t["ada_half_dev"] < 1e-9 and t["ada_err_dev"] < 1e-9,
    }
    failed = [k for k, ok in checks.items() if not ok]
    return verdict(not failed,
                   f"variance: deep tree {var['tree_deep']:.2f}, bagging {bag:.2f}, RF "
                   + "/".join(f"{var[f'rf_{m}']:.2f}" for m in MAX_FEATURES[1:])
                   + f" (max_features {'/'.join(map(str, MAX_FEATURES[1:]))}); bias²: depth-3 "
                   f"tree {b2['tree_depth3']:.2f} → GBDT {b2['gbdt']:.2f}, XGBoost "
                   f"{b2['xgboost']:.2f}; GBDT leaf − residual mean {t['gbdt_residual_dev']:.1e}; "
                   f"XGB leaf − (−ηG/(H+λ)) {t['xgb_leaf_dev']:.1e}, vs xgboost "
                   f"{t['xgb_oracle_dev']:.1e}·sd(y); AdaBoost |err_next − ½| "
                   f"{t['ada_half_dev']:.1e}; mean RF tree depth "
                   + "/".join(f"{d:.1f}" for d in t["rf_tree_depth"].values()) + " vs boosting 3"
                   + (f"; failed: {', '.join(failed)}" if failed else ""))


@c183.plot
def _(trials):
    import matplotlib.pyplot as plt

    bv = trials[0]["bias_variance"]
    names = list(bv)
    x = np.arange(len(names))
    b2 = np.array([bv[k]["bias2"] for k in names])
    var = np.array([bv[k]["variance"] for k in names])
    fig, ax = plt.subplots(figsize=(8, 3.8))
    ax.bar(x, b2, 0.6, label="bias²")
    ax.bar(x, var, 0.6, bottom=b2, label="variance")
    labels = ["bagging" if n == "rf_1.0" else n.replace("rf_", "RF max_features=") for n in names]
    ax.set_xticks(x, labels, rotation=30, fontsize=8)
    ax.set_xlabel("model")
    ax.set_ylabel("test error vs f(x) (bias² + variance)")
    ax.set_title("Friedman #1: averaging lowers variance, boosting lowers bias")
    ax.legend()
    fig.tight_layout()
    return [fig]
