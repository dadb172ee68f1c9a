"""C188, C190, C192: stratified splits, the geometry of SMOTE, and cost-sensitive weights.

C188. A random 80/20 split of n samples with n₁ minority ones puts a hypergeometric number of
them in the test set (mean 0.2·n₁, often 0 or 1 when n₁ is small); a stratified split puts
round(0.2·n₁) there every time.

C190. SMOTE's sample s = x + u(x̂ − x), u ~ U(0, 1), x̂ among x's k nearest minority neighbours,
lies on that segment; drawn between minority points that straddle the majority class it lands in
majority territory, which Borderline-SMOTE (interpolating only from "danger" points) changes.

C192. With class weights {0: 1, 1: c}, the weighted log-loss's minimiser estimates
p_c(x) = c·p/(c·p + 1 − p), and p_c ≥ ½ ⇔ p ≥ 1/(1 + c): re-weighting ≈ moving the threshold of
the unweighted model to the Bayes-risk threshold 1/(1 + c) (exact in the well-specified limit).
"""

import numpy as np

from ... import metrics
from ...data.datasets import train_test_split
from ...imbalance import SMOTE, BorderlineSMOTE
from ...ml import LogisticRegression
from ...metrics.pairwise import kneighbors
from ..registry import REFUTED, experiment, verdict


def _imbalanced(n, minority, seed, sep=1.0):
    rng = np.random.default_rng(seed)
    y = np.zeros(n, int)
    y[rng.choice(n, minority, replace=False)] = 1
    X = rng.normal(size=(n, 2)) + sep * y[:, None]
    return X, y


@experiment("C188", section="L", title="Stratified splits keep rare classes in the test set",
            expected="reproduce",
            claim="With rare classes, validation/test sets may not represent them; stratified "
                  "splits fix this.",
            design="1,000 samples at 99:1 (10 minority, Gaussian classes 2 sd apart); 1,000 random "
                   "vs stratified 80/20 splits (train_test_split with/without stratify; 200 in "
                   "quick mode): minority count in the test set; minority recall of a "
                   "LogisticRegression across 100 splits.",
            code=["whiteboard.data.datasets:train_test_split",
                  "whiteboard.ml.linear_model:LogisticRegression"],
            tests=["tests/data/test_data.py"])
def c188(seed, quick):
    X, y = _imbalanced(1000, 10, seed, sep=2.0)
    n_splits = 200 if quick else 1000
    out = {}
    for name, strat in (("random", None), ("stratified", y)):
        counts, recalls = [], []
        for s in range(n_splits):
            Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=seed * 10_000
                                                  + s, stratify=strat)
            counts.append(int(yte.sum()))
            if s < (30 if quick else 100) and ytr.sum() > 0 and yte.sum() > 0:
                m = LogisticRegression(class_weight="balanced").fit(Xtr, ytr)
                recalls.append(float(metrics.recall_score(yte, m.predict(Xte))))
        out[name] = {"counts": counts, "share_below_2": float(np.mean(np.asarray(counts) < 2)),
                     "recall_sd": float(np.std(recalls, ddof=1)),
                     "recall_mean": float(np.mean(recalls))}
    return out


@c188.decide
def _(trials):
    r, s = trials[0]["random"], trials[0]["stratified"]
    holds = r["share_below_2"] > 0.2 and s["share_below_2"] == 0.0
    return verdict(holds, f"test sets with < 2 minority samples: random {r['share_below_2']:.1%}, "
                          f"stratified {s['share_below_2']:.1%}; sd of minority recall "
                          f"{r['recall_sd']:.3f} vs {s['recall_sd']:.3f} (reported, not decided "
                          f"on: 2 test positives keep it coarse)")


@c188.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    bins = np.arange(-0.5, 8.5)
    for name in ("random", "stratified"):
        ax.hist(t[name]["counts"], bins=bins, alpha=0.6, label=name)
    ax.set_xlabel("minority samples in the 20 % test set (of 10)")
    ax.set_ylabel("number of splits")
    ax.set_title("Random vs stratified splits, 99:1")
    ax.legend()
    fig.tight_layout()
    return [fig]


def _segment_check(X_min, synth, k):
    """For each synthetic point: smallest distance to a segment x → x̂ (x̂ among x's k minority
    neighbours), the u of that segment, whether u ∈ [0, 1]."""
    _, nb = kneighbors(X_min, n_neighbors=k)          # (m, k), self excluded
    a = X_min[:, None, :]                             # (m, 1, d)
    b = X_min[nb]                                     # (m, k, d)
    ab = b - a
    rel = synth[:, None, None, :] - a[None]           # (s, m, 1, d)
    u = np.einsum("smkd,mkd->smk", rel, ab) / np.einsum("mkd,mkd->mk", ab, ab)[None]
    u_c = np.clip(u, 0.0, 1.0)
    resid = np.linalg.norm(rel - u_c[..., None] * ab[None], axis=-1)   # (s, m, k)
    flat = resid.reshape(len(synth), -1)
    best = flat.argmin(1)
    return flat[np.arange(len(synth)), best], u.reshape(len(synth), -1)[np.arange(len(synth)),
                                                                        best]


def _majority_share(X, y, synth, k=5):
    _, nb = kneighbors(X, k, Y=synth)
    return float(np.mean((y[nb] == 0).sum(1) > k / 2))


@experiment("C190", section="L", title="SMOTE interpolates on segments; Borderline-SMOTE",
            expected="reproduce",
            claim="SMOTE samples lie on segments between a minority point and one of its k "
                  "minority neighbours; it can over-generalise into the majority region, which "
                  "Borderline-SMOTE reduces.",
            design="Overlapping 2-D blobs (400 majority, 40 minority): every SMOTE sample "
                   "(k = 5) checked to lie on a segment to one of its k minority neighbours "
                   "(residual, u); the share of synthetic points whose 5 nearest original "
                   "neighbours are mostly majority, SMOTE vs Borderline-SMOTE-1; sample counts "
                   "against imbalanced-learn.",
            code=["whiteboard.imbalance:SMOTE", "whiteboard.imbalance:BorderlineSMOTE"],
            tests=["tests/imbalance/test_smote.py"])
def c190(seed, quick):
    from imblearn.over_sampling import SMOTE as ImbSMOTE  # oracle (counts)
    from imblearn.over_sampling import BorderlineSMOTE as ImbBorder

    rng = np.random.default_rng(seed)
    X = np.r_[rng.normal(0.0, 1.0, (400, 2)), rng.normal(1.5, 1.0, (40, 2))]
    y = np.r_[np.zeros(400, int), np.ones(40, int)]
    n = len(y)
    Xs, ys = SMOTE(k_neighbors=5, random_state=seed).fit_resample(X, y)
    synth = Xs[n:]
    resid, u = _segment_check(X[y == 1], synth, 5)
    Xb, yb = BorderlineSMOTE(k_neighbors=5, random_state=seed).fit_resample(X, y)
    imb_s = ImbSMOTE(k_neighbors=5, random_state=seed).fit_resample(X, y)[1]
    imb_b = ImbBorder(k_neighbors=5, random_state=seed).fit_resample(X, y)[1]
    return {"n_synthetic": int(len(synth)), "max_residual": float(resid.max()),
            "u_min": float(u.min()), "u_max": float(u.max()),
            "majority_share_smote": _majority_share(X, y, synth),
            "majority_share_borderline": _majority_share(X, y, Xb[n:]),
            "counts_match_imblearn": bool(np.array_equal(np.bincount(ys), np.bincount(imb_s))
                                          and np.array_equal(np.bincount(yb), np.bincount(imb_b))),
            "X": X.tolist(), "y": y.tolist(), "smote": synth[:200].tolist(),
            "borderline": Xb[n:][:200].tolist()}


@c190.decide
def _(trials):
    t = trials[0]
    geom = t["max_residual"] < 1e-12 and -1e-12 <= t["u_min"] and t["u_max"] <= 1 + 1e-12
    if not geom or not t["counts_match_imblearn"]:
        return verdict(False, f"segment residual {t['max_residual']:.1e}, u ∈ [{t['u_min']:.3f}, "
                              f"{t['u_max']:.3f}], counts match imblearn: "
                              f"{t['counts_match_imblearn']}", otherwise=REFUTED)
    s, b = t["majority_share_smote"], t["majority_share_borderline"]
    return verdict(s > b, f"all {t['n_synthetic']} SMOTE points on segments (residual "
                          f"{t['max_residual']:.1e}, u ∈ [{t['u_min']:.2f}, {t['u_max']:.2f}]); "
                          f"share in majority territory: SMOTE {s:.1%} vs Borderline {b:.1%}")


@c190.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    X, y = np.asarray(t["X"]), np.asarray(t["y"])
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.8), sharex=True, sharey=True)
    for ax, key, name in ((axes[0], "smote", "SMOTE"), (axes[1], "borderline", "Borderline-SMOTE")):
        ax.scatter(X[y == 0, 0], X[y == 0, 1], s=5, c="lightgray", label="majority")
        ax.scatter(X[y == 1, 0], X[y == 1, 1], s=12, c="tab:red", label="minority")
        S = np.asarray(t[key])
        ax.scatter(S[:, 0], S[:, 1], s=6, c="tab:blue", marker="x", label="synthetic")
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        ax.set_title(name)
    axes[0].set_ylabel("x₂")
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    return [fig]


@experiment("C192", section="L", title="Class weights ≈ moving the decision threshold",
            expected="reproduce",
            claim="Cost-sensitive learning: re-weighting classes ≈ moving the decision threshold "
                  "(Bayes risk).",
            design="2-D Gaussian classes at 9:1 (n = 4,000, test half): LogisticRegression with "
                   "class_weight {0: 1, 1: c} vs the unweighted model thresholded at 1/(1 + c), "
                   "c ∈ {1, 2, 5, 10, 20}; agreement of the decisions and minority recall.",
            code=["whiteboard.ml.linear_model:LogisticRegression",
                  "whiteboard.metrics:recall_score"],
            tests=["tests/ml/test_logistic.py"])
def c192(seed, quick):
    X, y = _imbalanced(4000, 400, seed, sep=1.5)
    Xtr, Xte, ytr, yte = X[:2000], X[2000:], y[:2000], y[2000:]
    base = LogisticRegression(C=1e4).fit(Xtr, ytr)
    p = base.predict_proba(Xte)[:, 1]
    rows = []
    for c in (1, 2, 5, 10, 20):
        w = LogisticRegression(C=1e4, class_weight={0: 1.0, 1: float(c)}).fit(Xtr, ytr)
        dw = w.predict(Xte)
        dt = (p >= 1.0 / (1.0 + c)).astype(int)
        rows.append({"c": c, "agreement": float(np.mean(dw == dt)),
                     "recall_weighted": float(metrics.recall_score(yte, dw)),
                     "recall_threshold": float(metrics.recall_score(yte, dt))})
    return {"rows": rows}


@c192.decide
def _(trials):
    rows = trials[0]["rows"]
    agree = min(r["agreement"] for r in rows)
    rec = [r["recall_weighted"] for r in rows]
    holds = agree >= 0.95 and all(b >= a for a, b in zip(rec, rec[1:])) and rec[-1] > rec[0]
    return verdict(holds, f"min agreement weighted vs thresholded = {agree:.3f}; minority recall "
                          f"{rec[0]:.2f} → {rec[-1]:.2f} as c goes 1 → {rows[-1]['c']}")


@c192.plot
def _(trials):
    import matplotlib.pyplot as plt

    rows = trials[0]["rows"]
    cs = [r["c"] for r in rows]
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    ax.plot(cs, [r["recall_weighted"] for r in rows], "o-", label="class weight c")
    ax.plot(cs, [r["recall_threshold"] for r in rows], "s--", label="threshold 1/(1+c)")
    ax.plot(cs, [r["agreement"] for r in rows], "k:", label="decision agreement")
    ax.set_xscale("log")
    ax.set_xlabel("cost ratio c")
    ax.set_ylabel("minority recall / agreement")
    ax.set_title("Re-weighting ≈ moving the threshold")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
