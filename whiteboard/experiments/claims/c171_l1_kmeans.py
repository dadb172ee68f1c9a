"""C171: swapping k-means' squared Euclidean distance for L1 while keeping mean updates breaks the
convergence argument.

Lloyd's argument: with J(labels, centres) = Σᵢ d(xᵢ, c_{labelᵢ}), the assignment step minimises J
over the labels and the update step minimises J over the centres, so J never increases and, with
finitely many labelings, the iteration reaches a fixed point. For d = ‖·‖² the minimiser over a
centre is the cluster mean; for d = ‖·‖₁ it is the coordinate-wise median (k-medians). L1
assignment followed by *mean* updates keeps the first half of the argument but not the second: the
mean does not minimise Σ‖x − c‖₁, so J_L1 can rise after an update, and nothing rules out a cycle
of labelings.
"""

import numpy as np

from ...data.datasets import load_digits, make_blobs
from ...ml.cluster._k_medoids import pairwise_distances
from ...ml.cluster._kmeans import _inertia, lloyd
from ..registry import experiment, verdict


def l1_lloyd(X, centers, update, max_iter=100):
    """L1 assignment alternated with ``update`` ('mean' or 'median') centres.

    Returns the L1 objective after every assignment and every update (interleaved) and the
    status: 'converged' (labels repeat at once: a fixed point), 'cycle' (a labeling seen earlier,
    not the previous one, comes back) or 'max_iter'.
    """
    C = np.array(centers, dtype=np.float64)
    seen, objs = {}, []
    rows = np.arange(X.shape[0])
    for it in range(max_iter):
        D = pairwise_distances(X, C, "manhattan")
        lab = D.argmin(1)
        objs.append(float(D[rows, lab].sum()))
        key = lab.tobytes()
        if key in seen:
            return objs, "converged" if seen[key] == it - 1 else "cycle"
        seen[key] = it
        for j in range(C.shape[0]):  # k small: one vectorised mean/median per cluster
            m = lab == j
            if m.any():
                C[j] = X[m].mean(0) if update == "mean" else np.median(X[m], 0)
        objs.append(float(np.abs(X - C[lab]).sum()))
    return objs, "max_iter"


def _datasets(seed, quick):
    rng = np.random.default_rng(seed)
    Xb, _ = make_blobs(n_samples=500, centers=5, cluster_std=2.5, random_state=seed)
    Xb = np.asarray(Xb, dtype=np.float64)
    out = {"blobs": (Xb, 5),
           # heavy-tailed noise: means and medians of a cluster differ most
           "t_blobs": (Xb + rng.standard_t(1.5, size=Xb.shape), 5)}
    if not quick:
        Xd, _ = load_digits()
        out["digits"] = (np.asarray(Xd, dtype=np.float64)[:600], 10)
    return out


def _rises(objs):
    d = np.diff(objs)
    return bool(np.any(d > 1e-9 * max(objs[0], 1.0)))


@experiment("C171", section="J", title="L1 assignment with mean updates loses k-means' descent",
            expected="reproduce",
            claim="Replacing k-means' squared Euclidean distance by another distance while keeping "
                  "the mean update may stop k-means from converging.",
            design="From the same random initial centres: L1 assignment + mean update, L1 "
                   "assignment + coordinate-wise median update (k-medians), and the library's "
                   "squared-Euclidean Lloyd. The objective of each (J_L1, J_L1, WCSS) after every "
                   "step; runs where it rises, runs ending in a labeling cycle or without a fixed "
                   "point. make_blobs (k = 5, sd 2.5), the same with t(1.5) noise, and (full) 600 "
                   "digits (k = 10).",
            code=["whiteboard.experiments.claims.c171_l1_kmeans:l1_lloyd",
                  "whiteboard.ml.cluster._kmeans:lloyd",
                  "whiteboard.ml.cluster._k_medoids:pairwise_distances"],
            tests=["tests/ml/cluster/test_kmeans.py", "tests/experiments/test_claims_jl.py"])
def c171(seed, quick):
    rng = np.random.default_rng(seed)
    runs = 20 if quick else 100
    out = {}
    for name, (X, k) in _datasets(seed, quick).items():
        n_runs = runs if name != "digits" else 20
        res = {v: {"rises": 0, "cycle": 0, "max_iter": 0, "iters": []}
               for v in ("l1_mean", "l1_median", "sq_mean")}
        example = None
        w = np.ones(X.shape[0])
        for _ in range(n_runs):
            c0 = X[rng.choice(X.shape[0], k, replace=False)]
            for v, upd in (("l1_mean", "mean"), ("l1_median", "median")):
                objs, status = l1_lloyd(X, c0, upd)
                r = res[v]
                r["rises"] += _rises(objs)
                r["cycle"] += status == "cycle"
                r["max_iter"] += status == "max_iter"
                r["iters"].append(len(objs) // 2)
                if v == "l1_mean" and example is None and _rises(objs):
                    example = {"l1_mean": objs, "l1_median": l1_lloyd(X, c0, "median")[0]}
            traj = []
            lloyd(X, w, c0, max_iter=300, tol=0.0,
                  callback=lambda i, c, lab, traj=traj, X=X, w=w: traj.append(
                      _inertia(X, w, c, lab)))
            res["sq_mean"]["rises"] += _rises(traj)
            res["sq_mean"]["iters"].append(len(traj))
        out[name] = {"runs": n_runs, **res, "example": example}
    return out


@c171.decide
def _(trials):
    t = trials[0]
    runs = sum(v["runs"] for v in t.values())
    tot = {v: sum(d[v]["rises"] for d in t.values()) for v in ("l1_mean", "l1_median", "sq_mean")}
    cycles = sum(d["l1_mean"]["cycle"] + d["l1_mean"]["max_iter"] for d in t.values())
    holds = (tot["l1_mean"] + cycles) > 0 and tot["l1_median"] == 0 and tot["sq_mean"] == 0
    return verdict(holds, f"objective rose in {tot['l1_mean']}/{runs} runs of L1 + mean "
                          f"({cycles} cycles / no fixed point) vs {tot['l1_median']} for "
                          f"k-medians and {tot['sq_mean']} for squared-Euclidean k-means")


@c171.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    names = list(t)
    x = np.arange(len(names))
    for i, (v, lab) in enumerate((("l1_mean", "L1 + mean"), ("l1_median", "L1 + median"),
                                  ("sq_mean", "squared L2 + mean"))):
        bars = axes[0].bar(x + (i - 1) * 0.27, [t[n][v]["rises"] / t[n]["runs"] for n in names],
                           0.27, label=lab)
        axes[0].bar_label(bars, fmt="%.2f", fontsize=7)
    axes[0].set_xticks(x, names)
    axes[0].set_xlabel("data set")
    axes[0].set_ylabel("fraction of runs whose objective rises")
    axes[0].set_title("Monotone descent lost with L1 + mean")
    axes[0].legend(fontsize=8)
    ex = next((t[n]["example"] for n in names if t[n]["example"]), None)
    if ex is not None:
        for v, lab, mk in (("l1_mean", "L1 + mean", "o"), ("l1_median", "L1 + median", "s")):
            objs = np.asarray(ex[v])
            upd = objs[1::2] - objs[0:-1:2][:len(objs[1::2])]  # change made by each update step
            axes[1].plot(np.arange(1, len(upd) + 1), upd, marker=mk, label=lab)
        axes[1].axhline(0.0, color="k", lw=0.8)
        axes[1].set_yscale("symlog", linthresh=1e-2)
        axes[1].legend()
    axes[1].set_xlabel("iteration")
    axes[1].set_ylabel("ΔJ_L1 made by the update step")
    axes[1].set_title("One run (ΔJ > 0: the update raised J)")
    fig.tight_layout()
    return [fig]
