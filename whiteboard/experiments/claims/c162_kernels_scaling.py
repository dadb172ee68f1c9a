"""C162, C166, C167: polynomial-kernel numerics, feature scaling for SVM vs LR, and the SVR tube.

C162. k(x, x′) = (γ x·x′ + r)^d: entries with |γ x·x′ + r| > 1 grow like a^d and those below 1
vanish like a^d, so max|K| / min|K| and the condition number of K explode with d.

C166. An RBF SVM measures ‖x − x′‖, dominated by the largest-scale features, so scaling matters.
Unpenalised LR is scale-equivariant (rescaling feature j by s rescales w_j by 1/s, same
predictions); an L2 penalty ½‖w‖² is not, so regularised LR also changes (E75).

C167. SVR minimises ½‖w‖² + C Σ max(0, |yᵢ − f(xᵢ)| − ε): a point strictly inside the ε-tube has
zero loss and zero dual coefficient, so deleting it leaves f unchanged (E76).
"""

import numpy as np

from ...ml import SVC, SVR, LogisticRegression
from ...ml.svm.kernels import polynomial_kernel
from ..registry import REFUTED, experiment, verdict
from ._common_claims_in import digits_split, standardise


@experiment("C162", section="J", title="High-degree polynomial kernels blow up or vanish",
            expected="reproduce",
            claim="High-degree polynomial kernels blow up or vanish numerically.",
            design="200 standardised digits; polynomial kernel (γ = 1/64, coef0 = 0 and 1) for "
                   "d = 1…20: max |K|, min |K| over non-zero entries and the condition number "
                   "of K.",
            code=["whiteboard.ml.svm.kernels:polynomial_kernel"],
            tests=["tests/ml/test_svm_kernels.py"])
def c162(seed, quick):
    Xtr, _, _, _ = digits_split(seed)
    X = standardise(Xtr)[0][:200]
    out = {}
    for r in (0.0, 1.0):
        rows = []
        for d in range(1, 21):
            K = polynomial_kernel(X, X, 1.0 / 64, d, r)
            a = np.abs(K[K != 0])
            with np.errstate(over="ignore"):
                cond = float(np.linalg.cond(K))
            rows.append({"d": d, "max": float(a.max()), "min": float(a.min()),
                         "cond": cond if np.isfinite(cond) else 1e300})
        out[f"coef0={r:g}"] = rows
    return out


@c162.decide
def _(trials):
    rows = trials[0]["coef0=1"]
    r0 = trials[0]["coef0=0"]
    grow = rows[-1]["max"] / rows[0]["max"]
    shrink = r0[-1]["min"] / r0[0]["min"]
    cond = rows[-1]["cond"] / rows[0]["cond"]
    return verdict(grow > 1e6 and shrink < 1e-6 and cond > 1e6,
                   f"d = 1 → 20: max |K| ×{grow:.1e} (coef0 1), min |K| ×{shrink:.1e} (coef0 0), "
                   f"condition number ×{cond:.1e}")


@c162.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    for name, rows in trials[0].items():
        d = [r["d"] for r in rows]
        ax.semilogy(d, [r["max"] for r in rows], "-", label=f"max |K|, {name}")
        ax.semilogy(d, [r["min"] for r in rows], "--", label=f"min |K|, {name}")
    ax.semilogy(d, [r["cond"] for r in trials[0]["coef0=1"]], "k:", label="cond(K), coef0=1")
    ax.set_xlabel("polynomial degree d")
    ax.set_ylabel("magnitude")
    ax.set_title("Polynomial kernels over/underflow")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return [fig]


@experiment("C166", section="J", title="SVMs need feature scaling; regularised LR does too",
            expected="refute", errata=("E75",),
            claim="SVMs need feature scaling; logistic regression does not.",
            design="Breast_cancer (70/30), raw vs standardised vs standardised with 10 features "
                   "shrunk ×1e-3: RBF SVC, LR with C = 1e6 (weak penalty) and C = 1; test accuracy"
                   " and the prediction change of LR between standardised and shrunk inputs.",
            code=["whiteboard.ml.svm:SVC", "whiteboard.ml.linear_model:LogisticRegression"],
            tests=["tests/ml/test_svm_svc.py", "tests/ml/test_logistic.py"])
def c166(seed, quick):
    from ...data.datasets import load_breast_cancer, train_test_split

    X, y = load_breast_cancer()
    Xtr, Xte, ytr, yte = train_test_split(np.asarray(X, float), np.asarray(y), test_size=0.3,
                                          random_state=seed, stratify=y)
    Str, Ste = standardise(Xtr, Xte)
    shrink = np.ones(X.shape[1])
    shrink[:10] = 1e-3
    variants = {"raw": (Xtr, Xte), "standardised": (Str, Ste),
                "shrunk": (Str * shrink, Ste * shrink)}
    out = {}
    for name, (a, b) in variants.items():
        svc = SVC(kernel="rbf", gamma=1.0 / a.shape[1] / a.var()).fit(a, ytr)
        out[name] = {"svc": float(np.mean(svc.predict(b) == yte))}
        for C in (1e6, 1.0):
            lr = LogisticRegression(C=C, max_iter=5000, tol=1e-10).fit(a, ytr)
            out[name][f"lr_C{C:g}"] = float(np.mean(lr.predict(b) == yte))
            out[name][f"proba_C{C:g}"] = lr.predict_proba(b)[:, 1].tolist()
    dp = {C: float(np.abs(np.subtract(out["standardised"][f"proba_C{C}"],
                                      out["shrunk"][f"proba_C{C}"])).max()) for C in ("1e+06", "1")}
    for name in out:
        for C in ("1e+06", "1"):
            out[name].pop(f"proba_C{C}")
    return {"acc": out, "max_dproba_weak": dp["1e+06"], "max_dproba_C1": dp["1"]}


@c166.decide
def _(trials):
    a = trials[0]["acc"]
    svm_gap = a["standardised"]["svc"] - a["raw"]["svc"]
    weak, c1 = trials[0]["max_dproba_weak"], trials[0]["max_dproba_C1"]
    # the note's "LR does not [need scaling]" holds only if regularised LR is unaffected too
    lr_unaffected = c1 < 1e-3
    return verdict(svm_gap > 0.02 and lr_unaffected,
                   f"RBF-SVC accuracy raw {a['raw']['svc']:.3f} → standardised "
                   f"{a['standardised']['svc']:.3f}; LR max |Δp| under rescaling: C = 1e6 "
                   f"{weak:.1e}, C = 1 {c1:.3f} (accuracy {a['standardised']['lr_C1']:.3f} → "
                   f"{a['shrunk']['lr_C1']:.3f})", otherwise=REFUTED)


@c166.plot
def _(trials):
    import matplotlib.pyplot as plt

    a = trials[0]["acc"]
    fig, ax = plt.subplots(figsize=(5.5, 3.5))
    models = ["svc", "lr_C1e+06", "lr_C1"]
    x = np.arange(len(models))
    for i, name in enumerate(a):
        ax.bar(x + 0.27 * (i - 1), [a[name][m] for m in models], 0.27, label=name)
    ax.set_xticks(x, ["RBF SVC", "LR C=1e6", "LR C=1"])
    ax.set_ylim(0.5, 1.0)
    ax.set_xlabel("model")
    ax.set_ylabel("test accuracy")
    ax.set_title("Feature scaling: SVM and regularised LR")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


@experiment("C167", section="J", title="SVR depends only on points on or outside the ε-tube",
            expected="reproduce", errata=("E76",),
            claim="SVR's fit depends only on the points on or outside the ε-tube.",
            design="1-D sin(x) + noise (200 points), RBF SVR (γ = 1 fixed: gamma='scale' "
                   "would change with the data) with ε ∈ {0.05, 0.1, 0.2, 0.4} "
                   "(tol 1e-8): refit after deleting every point with |residual| < ε − 1e-6; "
                   "max change of the fitted function on a grid; support vectors vs ε.",
            code=["whiteboard.ml.svm:SVR"], tests=["tests/ml/test_svm_svr.py"])
def c167(seed, quick):
    rng = np.random.default_rng(seed)
    X = np.sort(rng.uniform(-3, 3, 200))[:, None]
    y = np.sin(X[:, 0]) + rng.normal(0, 0.15, 200)
    grid = np.linspace(-3, 3, 300)[:, None]
    rows = []
    for eps in (0.05, 0.1, 0.2, 0.4):
        m = SVR(C=1.0, epsilon=eps, gamma=1.0, tol=1e-8).fit(X, y)
        outside = np.abs(y - m.predict(X)) >= eps - 1e-6
        m2 = SVR(C=1.0, epsilon=eps, gamma=1.0, tol=1e-8).fit(X[outside], y[outside])
        rows.append({"epsilon": eps, "n_support": int(len(m.support_)),
                     "n_kept": int(outside.sum()),
                     "max_change": float(np.abs(m.predict(grid) - m2.predict(grid)).max()),
                     "fit": m.predict(grid).tolist()})
    return {"rows": rows, "X": X[:, 0].tolist(), "y": y.tolist(), "grid": grid[:, 0].tolist()}


@c167.decide
def _(trials):
    rows = trials[0]["rows"]
    change = max(r["max_change"] for r in rows)
    sv = [r["n_support"] for r in rows]
    return verdict(change <= 1e-5 and all(a >= b for a, b in zip(sv, sv[1:])),
                   f"max |f − f(refit without in-tube points)| = {change:.1e}; support vectors "
                   f"{' → '.join(map(str, sv))} as ε grows", otherwise=REFUTED)


@c167.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.scatter(t["X"], t["y"], s=5, c="gray")
    for r in t["rows"][::2]:
        g, f = np.asarray(t["grid"]), np.asarray(r["fit"])
        ax.plot(g, f, label=f"ε = {r['epsilon']} ({r['n_support']} SVs)")
        ax.fill_between(g, f - r["epsilon"], f + r["epsilon"], alpha=0.15)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title("SVR and its ε-tube")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
