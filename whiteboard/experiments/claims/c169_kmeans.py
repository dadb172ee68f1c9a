"""C169, C170: Lloyd's k-means never increases the WCSS, stops, and depends on its start;
k-means++ seeding against random seeding.

J(labels, centres) = Σᵢ ‖xᵢ − c_{labelᵢ}‖². The assignment step minimises J over labels for fixed
centres, the update step (means) over centres for fixed labels, so J never increases; there are
finitely many labelings, so Lloyd's algorithm reaches a fixed point — a partial optimum that
depends on the initial centres (C169). k-means++ draws each next centre with probability
∝ D(x)², which is O(log K)-competitive in expectation (Arthur & Vassilvitskii 2007) (C170).
"""

import numpy as np

from ...data.datasets import load_digits, make_blobs
from ...ml.cluster._kmeans import _inertia, kmeans_plusplus, lloyd
from ..registry import REFUTED, experiment, verdict
from ..stats import paired_test


def _datasets(seed):
    Xb, _ = make_blobs(n_samples=500, centers=5, cluster_std=2.5, random_state=seed)
    Xd, _ = load_digits()
    return {"blobs": (np.asarray(Xb, dtype=np.float64), 5),
            "digits": (np.asarray(Xd, dtype=np.float64), 10)}


def _run(X, centers0):
    w = np.ones(X.shape[0])
    traj = []

    def record(i, centers, labels):
        traj.append(_inertia(X, w, centers, labels))

    labels, inertia, _, n_iter = lloyd(X, w, centers0, max_iter=300, tol=0.0, callback=record)
    return traj, inertia, n_iter


@experiment("C169", section="J", title="k-means: WCSS never increases, stops, init-dependent",
            expected="reproduce",
            claim="k-means never increases the WCSS, stops in finitely many iterations, and lands "
                  "in init-dependent local optima.",
            design="Lloyd's algorithm (the library's lloyd) from 100 random initial centres (20 in "
                   "quick mode) on overlapping make_blobs (k = 5, sd 2.5) and digits (k = 10); the "
                   "WCSS after every update step, iterations to the fixed point, distinct final "
                   "WCSS values.",
            code=["whiteboard.ml.cluster._kmeans:lloyd", "whiteboard.ml.cluster:KMeans"],
            tests=["tests/ml/cluster/test_kmeans.py"])
def c169(seed, quick):
    rng = np.random.default_rng(seed)
    out = {}
    for name, (X, k) in _datasets(seed).items():
        increases, iters, finals, trajs = 0, [], [], []
        for _ in range(20 if quick else 100):
            c0 = X[rng.choice(X.shape[0], k, replace=False)]
            traj, inertia, n_iter = _run(X, c0)
            d = np.diff(traj)
            increases += int(np.any(d > 1e-9 * traj[0]))
            iters.append(n_iter)
            finals.append(inertia)
            if len(trajs) < 10:
                trajs.append(traj)
        out[name] = {"runs": len(finals), "runs_with_increase": increases,
                     "max_iter": int(max(iters)), "iters": iters,
                     "distinct_final": int(len(np.unique(np.round(finals, 3)))),
                     "finals": finals, "trajectories": trajs}
    return out


@c169.decide
def _(trials):
    t = trials[0]
    inc = sum(v["runs_with_increase"] for v in t.values())
    runs = sum(v["runs"] for v in t.values())
    distinct = {k: v["distinct_final"] for k, v in t.items()}
    holds = inc == 0 and all(v["max_iter"] < 300 for v in t.values()) and min(distinct.values()) > 1
    return verdict(holds, f"WCSS increased in {inc}/{runs} runs; max iterations "
                          f"{max(v['max_iter'] for v in t.values())}; distinct final WCSS "
                          + ", ".join(f"{k} {n}" for k, n in distinct.items()), otherwise=REFUTED)


@c169.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.5))
    for ax, (name, v) in zip(axes, t.items()):
        for tr in v["trajectories"]:
            ax.plot(np.arange(1, len(tr) + 1), tr, lw=0.8)
        ax.set_xlabel("Lloyd iteration")
        ax.set_ylabel("WCSS")
        ax.set_title(f"{name}: {v['distinct_final']} distinct optima / {v['runs']} inits")
    fig.tight_layout()
    return [fig]


@experiment("C170", section="J", title="k-means++ beats random initialisation",
            expected="reproduce",
            claim="k-means++ initialisation is better than random initialisation.",
            design="Digits (k = 10) and make_blobs (k = 5): Lloyd from k random samples vs from "
                   "k-means++ seeds, same seeds paired, 100 runs (40 quick); mean/min WCSS and "
                   "iterations with a paired sign-flip test; sklearn KMeans(n_init=1) as oracle "
                   "for the mean WCSS.",
            code=["whiteboard.ml.cluster._kmeans:kmeans_plusplus",
                  "whiteboard.ml.cluster._kmeans:lloyd"],
            tests=["tests/ml/cluster/test_kmeans.py"])
def c170(seed, quick):
    from sklearn.cluster import KMeans as SkKMeans  # oracle

    n_runs = 40 if quick else 100
    out = {}
    for name, (X, k) in _datasets(seed).items():
        rand, pp, it_r, it_p, sk_r, sk_p = [], [], [], [], [], []
        for r in range(n_runs):
            rng = np.random.default_rng(seed * 1000 + r)
            _, inertia, n = _run(X, X[rng.choice(X.shape[0], k, replace=False)])
            rand.append(inertia)
            it_r.append(n)
            c0, _ = kmeans_plusplus(X, k, random_state=seed * 1000 + r)
            _, inertia, n = _run(X, c0)
            pp.append(inertia)
            it_p.append(n)
            if r < 10:
                for init, dst in (("random", sk_r), ("k-means++", sk_p)):
                    sk = SkKMeans(k, init=init, n_init=1, random_state=r, tol=0.0).fit(X)
                    dst.append(float(sk.inertia_))
        test = paired_test(rand, pp)
        out[name] = {"random": rand, "kmeanspp": pp, "iters_random": it_r, "iters_kmeanspp": it_p,
                     "sklearn_random_mean": float(np.mean(sk_r)),
                     "sklearn_kmeanspp_mean": float(np.mean(sk_p)),
                     "paired_mean": test["mean"], "paired_p": test["p"]}
    return out


@c170.decide
def _(trials):
    t = trials[0]
    parts, better = [], 0
    for name, v in t.items():
        better += v["paired_mean"] > 0 and v["paired_p"] < 0.1
        parts.append(f"{name}: random {np.mean(v['random']):,.0f} vs k-means++ "
                     f"{np.mean(v['kmeanspp']):,.0f} (p = {v['paired_p']:.3g}), iterations "
                     f"{np.mean(v['iters_random']):.1f} vs {np.mean(v['iters_kmeanspp']):.1f}")
    return verdict(better == len(t), "; ".join(parts))


@c170.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.5))
    for ax, (name, v) in zip(axes, t.items()):
        ax.boxplot([v["random"], v["kmeanspp"]])
        ax.set_xticks([1, 2], ["random", "k-means++"])
        ax.set_xlabel("initialisation")
        ax.set_ylabel("final WCSS")
        ax.set_title(f"{name}")
    fig.tight_layout()
    return [fig]
