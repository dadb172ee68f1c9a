"""C172, C176: choosing K for k-means; no free lunch between kNN and logistic regression.

C172. The elbow: J(K) falls steeply until K reaches the true number of groups, then slowly; the
library's elbow_point takes the K maximising D(K)/D(K + 1), D(K) = J(K − 1) − J(K). The silhouette
s(i) = (b(i) − a(i)) / max(a(i), b(i)) (a: mean intra-cluster distance, b: to the nearest other
cluster), averaged, peaks at a well-separated K.

C176. Wolpert's no free lunch: averaged over all problems no learner wins, so rankings flip:
kNN (local, non-linear) beats LR on two moons; LR (global, linear) beats kNN on a linear problem in
many dimensions, where distances concentrate.
"""

import numpy as np

from ...data.datasets import make_blobs, make_moons, train_test_split
from ...ml import KNeighborsClassifier, LogisticRegression
from ...ml.cluster import choose_k
from ..registry import experiment, verdict


@experiment("C172", section="J", title="Elbow and silhouette choose K", expected="reproduce",
            claim="The elbow method and the silhouette coefficient choose K.",
            design="make_blobs with 4 centres (500 points, sd 1.0), K = 1…10 "
                   "(ml.cluster.choose_k: KMeans inertia and silhouette_score); chosen K by the "
                   "elbow and by the silhouette maximum, over 3 data seeds.",
            code=["whiteboard.ml.cluster:choose_k", "whiteboard.metrics:silhouette_score"],
            tests=["tests/ml/cluster/test_kmeans.py", "tests/metrics/test_silhouette.py"])
def c172(seed, quick):
    rows = []
    for s in range(1 if quick else 3):
        X, _ = make_blobs(n_samples=500, centers=4, cluster_std=1.0, random_state=seed * 10 + s)
        r = choose_k(X, k_max=10, random_state=0, n_init=3)
        rows.append({"inertias": r["inertias"].tolist(),
                     "silhouettes": [None if not np.isfinite(v) else float(v)
                                     for v in r["silhouettes"]],
                     "k_elbow": int(r["k_elbow"]), "k_silhouette": int(r["k_silhouette"])})
    return {"true_k": 4, "rows": rows}


@c172.decide
def _(trials):
    rows = [r for t in trials for r in t["rows"]]
    e = [r["k_elbow"] for r in rows]
    s = [r["k_silhouette"] for r in rows]
    return verdict(all(k == 4 for k in e + s), f"elbow chose K = {e}, silhouette K = {s} "
                                               f"(true 4)")


@c172.plot
def _(trials):
    import matplotlib.pyplot as plt

    r = trials[0]["rows"][0]
    ks = np.arange(1, len(r["inertias"]) + 1)
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot(ks, r["inertias"], "o-", label="WCSS")
    ax.set_xlabel("K")
    ax.set_ylabel("within-cluster sum of squares")
    ax2 = ax.twinx()
    sil = [np.nan if v is None else v for v in r["silhouettes"]]
    ax2.plot(ks, sil, "s--", color="tab:orange", label="silhouette")
    ax2.set_xlabel("K")
    ax2.set_ylabel("mean silhouette")
    ax.axvline(4, color="k", lw=0.8, ls=":")
    ax.set_title(f"elbow K = {r['k_elbow']}, silhouette K = {r['k_silhouette']}")
    fig.tight_layout()
    return [fig]


@experiment("C176", section="J", title="No free lunch: kNN vs LR rankings flip",
            expected="reproduce", seeds=5,
            claim="No free lunch: an algorithm that wins on some problems loses on others.",
            design="5 seeds: make_moons (noise 0.25, 400 points) and a linear problem in 100 "
                   "dimensions (y = [wᵀx > 0], 300 points, 5 % label noise), 70/30: 5-NN vs "
                   "LogisticRegression test accuracy.",
            code=["whiteboard.ml.neighbors:KNeighborsClassifier",
                  "whiteboard.ml.linear_model:LogisticRegression"],
            tests=["tests/ml/test_lda_nb_knn.py", "tests/ml/test_logistic.py"])
def c176(seed, quick):
    rng = np.random.default_rng(seed)
    Xm, ym = make_moons(400, noise=0.25, random_state=seed)
    Xl = rng.normal(size=(300, 100))
    yl = (Xl @ rng.normal(size=100) > 0).astype(int)
    flip = rng.random(300) < 0.05
    yl[flip] = 1 - yl[flip]
    out = {}
    for name, (X, y) in {"moons": (Xm, ym), "linear_100d": (Xl, yl)}.items():
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)
        out[name] = {"knn": float(np.mean(KNeighborsClassifier(5).fit(Xtr, ytr).predict(Xte)
                                          == yte)),
                     "lr": float(np.mean(LogisticRegression().fit(Xtr, ytr).predict(Xte)
                                         == yte))}
    return out


@c176.decide
def _(trials):
    m_k = np.mean([t["moons"]["knn"] for t in trials])
    m_l = np.mean([t["moons"]["lr"] for t in trials])
    l_k = np.mean([t["linear_100d"]["knn"] for t in trials])
    l_l = np.mean([t["linear_100d"]["lr"] for t in trials])
    return verdict(m_k > m_l + 0.02 and l_l > l_k + 0.02,
                   f"moons: kNN {m_k:.3f} vs LR {m_l:.3f}; linear 100-d: kNN {l_k:.3f} vs LR "
                   f"{l_l:.3f} (mean of {len(trials)} seeds)")


@c176.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    x = np.arange(2)
    for i, model in enumerate(("knn", "lr")):
        vals = [np.mean([t[p][model] for t in trials]) for p in ("moons", "linear_100d")]
        ax.bar(x + 0.4 * i - 0.2, vals, 0.4, label="5-NN" if model == "knn" else "LR")
    ax.set_xticks(x, ["two moons", "linear, 100-d"])
    ax.set_ylim(0.5, 1.0)
    ax.set_xlabel("problem")
    ax.set_ylabel("test accuracy")
    ax.set_title("The ranking flips")
    ax.legend()
    fig.tight_layout()
    return [fig]
