"""C173: a regression tree predicts the mean of the training targets in each leaf.

For squared error, the constant c minimising Σ_{i∈leaf} (yᵢ − c)² is c = mean(y_leaf)
(set the derivative −2 Σ (yᵢ − c) to 0), so every leaf stores the mean of its training targets.
"""

import numpy as np

from ...ml import DecisionTreeRegressor
from ..registry import REFUTED, experiment, verdict


@experiment("C173", section="J", title="A regression tree predicts each leaf's mean target",
            expected="reproduce",
            claim="A regression tree predicts the mean of the training targets in each leaf.",
            design="Diabetes (70/30), DecisionTreeRegressor with max_depth 2…6: each leaf's value "
                   "against the mean of the training targets routed to it (apply()), and the "
                   "training predictions (the same partition) against sklearn's "
                   "DecisionTreeRegressor with the same settings. Diabetes' test points are "
                   "predicted differently in ~5 % of cases at depth 6: a node-by-node walk shows "
                   "every differing split has exactly the gain of sklearn's (tie-breaking among "
                   "equal-gain splits in small nodes; sklearn disagrees with itself as much under "
                   "another random_state), so the test comparison that is decided on uses "
                   "tie-free data (1,000 Gaussian points, 6 features, min_samples_leaf 10).",
            code=["whiteboard.ml.tree:DecisionTreeRegressor"],
            tests=["tests/ml/tree/test_tree.py"])
def c173(seed, quick):
    from sklearn.datasets import load_diabetes  # data only
    from sklearn.tree import DecisionTreeRegressor as SkTree  # oracle

    X, y = load_diabetes(return_X_y=True)
    rng = np.random.default_rng(seed)
    idx = rng.permutation(len(y))
    tr, te = idx[:310], idx[310:]
    rows = []
    for depth in (2, 4, 6):
        m = DecisionTreeRegressor(max_depth=depth, random_state=seed).fit(X[tr], y[tr])
        leaves = m.apply(X[tr])
        pred_tr = m.predict(X[tr])
        gap = 0.0
        for leaf in np.unique(leaves):
            sel = leaves == leaf
            gap = max(gap, float(np.abs(pred_tr[sel] - y[tr][sel].mean()).max()))
        sk = SkTree(max_depth=depth, random_state=seed).fit(X[tr], y[tr])
        rows.append({"depth": depth, "n_leaves": int(len(np.unique(leaves))),
                     "leaf_mean_gap": gap,
                     "sklearn_gap": float(np.abs(sk.predict(X[tr]) - pred_tr).max()),
                     "test_disagreement": float(np.mean(sk.predict(X[te]) != m.predict(X[te])))})
    sk2 = SkTree(max_depth=6, random_state=seed + 1000).fit(X[tr], y[tr])
    sk_self = float(np.mean(sk2.predict(X[te]) != SkTree(max_depth=6, random_state=seed)
                            .fit(X[tr], y[tr]).predict(X[te])))
    # tie-free data: continuous features, leaves of >= 10 points -> no equal-gain splits
    Xc = rng.normal(size=(1500, 6))
    yc = np.sin(2 * Xc[:, 0]) + Xc[:, 1] * Xc[:, 2] + 0.3 * rng.normal(size=1500)
    mc = DecisionTreeRegressor(max_depth=6, min_samples_leaf=10).fit(Xc[:1000], yc[:1000])
    sc = SkTree(max_depth=6, min_samples_leaf=10, random_state=seed).fit(Xc[:1000], yc[:1000])
    tie_free_gap = float(np.abs(mc.predict(Xc[1000:]) - sc.predict(Xc[1000:])).max())
    return {"rows": rows, "sklearn_self_disagreement": sk_self, "tie_free_test_gap": tie_free_gap}


@c173.decide
def _(trials):
    rows = [r for t in trials for r in t["rows"]]
    g1 = max(r["leaf_mean_gap"] for r in rows)
    g2 = max(r["sklearn_gap"] for r in rows)
    g3 = max(t["tie_free_test_gap"] for t in trials)
    self_dis = max(t["sklearn_self_disagreement"] for t in trials)
    return verdict(g1 <= 1e-9 and g2 <= 1e-9 and g3 <= 1e-9,
                   f"max |leaf value − mean of its training targets| = {g1:.1e}; max |prediction − "
                   f"sklearn| on the training set = {g2:.1e}, on tie-free test data = {g3:.1e} "
                   f"(diabetes test points predicted differently by equal-gain tie-breaking: "
                   f"{max(r['test_disagreement'] for r in rows):.1%}; sklearn vs itself under "
                   f"another random_state: {self_dis:.1%})",
                   otherwise=REFUTED)


@c173.plot
def _(trials):
    import matplotlib.pyplot as plt

    rows = trials[0]["rows"]
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    x = np.arange(len(rows))
    ax.bar(x - 0.2, [max(r["leaf_mean_gap"], 1e-17) for r in rows], 0.4, label="vs leaf mean")
    ax.bar(x + 0.2, [max(r["sklearn_gap"], 1e-17) for r in rows], 0.4, label="vs sklearn")
    ax.set_yscale("log")
    ax.set_xticks(x, [f"depth {r['depth']}\n{r['n_leaves']} leaves" for r in rows])
    ax.set_xlabel("tree depth")
    ax.set_ylabel("max absolute difference")
    ax.set_title("Leaf value = mean training target")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
