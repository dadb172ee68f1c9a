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
                   "DecisionTreeRegressor with the same settings; the share of test points "
                   "predicted differently (a threshold placed elsewhere in the same gap) is "
                   "reported, not decided on.",
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
    return {"rows": rows}


@c173.decide
def _(trials):
    rows = [r for t in trials for r in t["rows"]]
    g1 = max(r["leaf_mean_gap"] for r in rows)
    g2 = max(r["sklearn_gap"] for r in rows)
    return verdict(g1 <= 1e-9 and g2 <= 1e-9,
                   f"max |leaf value − mean of its training targets| = {g1:.1e}; max |prediction − "
                   f"sklearn| on the training set = {g2:.1e} (depths 2/4/6; test points "
                   f"predicted differently: {max(r['test_disagreement'] for r in rows):.1%})",
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
