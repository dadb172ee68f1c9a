"""C159, C161, C163, C168: support vectors, kernels, the sigmoid kernel, multi-class SVMs.

C159. The SVM solution w = Σᵢ αᵢ yᵢ xᵢ has αᵢ = 0 for every point strictly outside the margin
(KKT), so deleting those points, or adding more of them, leaves (w, b) unchanged; the logistic
loss log(1 + e^{−y f(x)}) is positive for every point, so every point moves the LR solution.

C161. With k(x, x′) = (γ x·x′ + 1)² or exp(−γ‖x − x′‖²) the decision function is linear in a
feature space where circles/moons become separable.

C163. k(x, x′) = tanh(γ x·x′ + r) is not a Mercer kernel in general: its Gram matrix can have
negative eigenvalues (Lin & Lin 2003; E73).

C168. K classes by one-vs-rest (K binary problems) or one-vs-one (K(K−1)/2, majority vote).
"""

import numpy as np

from ...data.datasets import make_blobs, make_circles, make_moons, train_test_split
from ...ml import LinearSVC, LogisticRegression, SVC
from ...ml.svm.kernels import rbf_kernel, sigmoid_kernel
from ..registry import REFUTED, experiment, verdict
from ._common_claims_in import digits_split, standardise


def _wb(m):
    return np.r_[m.coef_[0], m.intercept_[0]]


@experiment("C159", section="J", title="The SVM depends only on its support vectors",
            expected="reproduce",
            claim="The SVM depends only on its support vectors; logistic regression depends on all "
                  "points.",
            design="Separable make_blobs (2 centres, 200 points): linear SVC (C = 1000, tol 1e-8) "
                   "refitted on its support vectors only and with 100 new points of the same "
                   "blobs lying outside the margin (y·f(x) > 1.5) added; Δ(w, b) against the "
                   "same edits for LogisticRegression (C = 1).",
            code=["whiteboard.ml.svm:SVC", "whiteboard.ml.linear_model:LogisticRegression"],
            tests=["tests/ml/test_svm_svc.py", "tests/ml/test_logistic.py"])
def c159(seed, quick):
    X, y = make_blobs(n_samples=200, centers=[[-2.5, 0], [2.5, 0.5]], cluster_std=0.8,
                      random_state=seed)
    svm = SVC(kernel="linear", C=1000.0, tol=1e-8).fit(X, y)
    sv = svm.support_
    svm_sv = SVC(kernel="linear", C=1000.0, tol=1e-8).fit(X[sv], y[sv])
    # new points from the same blobs, kept only if correctly classified outside the margin
    rng = np.random.default_rng(seed + 1000)
    cand = np.r_[rng.normal([-2.5, 0], 0.8, (200, 2)), rng.normal([2.5, 0.5], 0.8, (200, 2))]
    ycand = np.r_[np.zeros(200, int), np.ones(200, int)]
    keep = (2 * ycand - 1) * svm.decision_function(cand) > 1.5
    far, yfar = cand[keep][:100], ycand[keep][:100]
    Xa, ya = np.r_[X, far], np.r_[y, yfar]
    svm_far = SVC(kernel="linear", C=1000.0, tol=1e-8).fit(Xa, ya)
    lr = LogisticRegression(C=1.0, tol=1e-10).fit(X, y)
    lr_sv = LogisticRegression(C=1.0, tol=1e-10).fit(X[sv], y[sv])
    lr_far = LogisticRegression(C=1.0, tol=1e-10).fit(Xa, ya)
    ref = _wb(svm)
    return {"n": len(X), "n_support": int(len(sv)),
            "svm_delta_sv_only": float(np.abs(_wb(svm_sv) - ref).max()),
            "svm_delta_far": float(np.abs(_wb(svm_far) - ref).max()),
            "lr_delta_sv_only": float(np.abs(_wb(lr_sv) - _wb(lr)).max()),
            "lr_delta_far": float(np.abs(_wb(lr_far) - _wb(lr)).max()),
            "svm_wb": ref.tolist(), "lr_wb": _wb(lr).tolist(),
            "X": X.tolist(), "y": y.tolist(), "support": sv.tolist()}


@c159.decide
def _(trials):
    t = trials[0]
    svm = max(t["svm_delta_sv_only"], t["svm_delta_far"])
    lr = min(t["lr_delta_sv_only"], t["lr_delta_far"])
    return verdict(svm <= 1e-6 and lr > 1e-3,
                   f"SVM max |Δ(w, b)| = {svm:.1e} after deleting non-SVs / adding points "
                   f"outside the margin "
                   f"({t['n_support']} SVs of {t['n']}); LR min |Δ(w, b)| = {lr:.2e}",
                   otherwise=REFUTED)


@c159.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    X, y = np.asarray(t["X"]), np.asarray(t["y"])
    fig, ax = plt.subplots(figsize=(4.5, 4))
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", s=10)
    s = np.asarray(t["support"])
    ax.scatter(X[s, 0], X[s, 1], s=80, facecolors="none", edgecolors="k", label="support vectors")
    xs = np.linspace(X[:, 0].min(), X[:, 0].max(), 2)
    for wb, name, ls in ((t["svm_wb"], "SVM", "-"), (t["lr_wb"], "LR", "--")):
        ax.plot(xs, -(wb[0] * xs + wb[2]) / wb[1], "k", ls=ls, label=name)
    ax.set_ylim(X[:, 1].min() - 1, X[:, 1].max() + 1)
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title("The SVM is set by its support vectors")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


@experiment("C161", section="J", title="Kernels make non-linearly separable data separable",
            expected="reproduce",
            claim="Kernels make non-linearly separable data separable.",
            design="make_circles(noise 0.1, factor 0.4) and make_moons(noise 0.1), 400 points, "
                   "70/30: SVC with linear, polynomial (degree 2, coef0 1) and RBF kernels; test "
                   "accuracy.",
            code=["whiteboard.ml.svm:SVC"], tests=["tests/ml/test_svm_svc.py"])
def c161(seed, quick):
    out = {}
    for name, (X, y) in {"circles": make_circles(400, noise=0.1, factor=0.4, random_state=seed),
                         "moons": make_moons(400, noise=0.1, random_state=seed)}.items():
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)
        out[name] = {}
        for kname, kw in {"linear": dict(kernel="linear"),
                          "poly2": dict(kernel="poly", degree=2, coef0=1.0),
                          "rbf": dict(kernel="rbf")}.items():
            if name == "moons" and kname == "poly2":
                kw = dict(kernel="poly", degree=3, coef0=1.0)
            m = SVC(C=10.0, **kw).fit(Xtr, ytr)
            out[name][kname] = float(np.mean(m.predict(Xte) == yte))
    return out


@c161.decide
def _(trials):
    c, m = trials[0]["circles"], trials[0]["moons"]
    holds = c["linear"] < 0.75 and c["poly2"] >= 0.95 and c["rbf"] >= 0.95 and \
        m["rbf"] >= 0.95 and m["rbf"] - m["linear"] >= 0.05
    return verdict(holds, f"circles: linear {c['linear']:.2f}, poly-2 {c['poly2']:.2f}, RBF "
                          f"{c['rbf']:.2f}; moons: linear {m['linear']:.2f}, RBF {m['rbf']:.2f}")


@c161.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ks = ["linear", "poly2", "rbf"]
    x = np.arange(3)
    for i, name in enumerate(("circles", "moons")):
        ax.bar(x + 0.4 * i - 0.2, [t[name][k] for k in ks], 0.4, label=name)
    ax.set_xticks(x, ["linear", "polynomial", "RBF"])
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("kernel")
    ax.set_ylabel("test accuracy")
    ax.set_title("Kernels separate circles and moons")
    ax.legend()
    fig.tight_layout()
    return [fig]


@experiment("C163", section="J", title="The sigmoid kernel is not PSD in general",
            expected="reproduce", errata=("E73",),
            claim="The sigmoid kernel tanh(γ x·x′ + r) is not positive semi-definite in general.",
            design="30 standard-normal points in 5-D; Gram matrices of the library's sigmoid "
                   "kernel for γ ∈ {0.01, 0.1, 1}, r ∈ {−1, 0, 1} (checked against sklearn's "
                   "sigmoid_kernel) and of the RBF kernel as a PSD control; smallest eigenvalue.",
            code=["whiteboard.ml.svm.kernels:sigmoid_kernel",
                  "whiteboard.ml.svm.kernels:rbf_kernel"],
            tests=["tests/ml/test_svm_kernels.py"])
def c163(seed, quick):
    from sklearn.metrics.pairwise import sigmoid_kernel as sk_sigmoid  # oracle

    X = np.random.default_rng(seed).normal(size=(30, 5))
    rows, oracle = [], 0.0
    for g in (0.01, 0.1, 1.0):
        for r in (-1.0, 0.0, 1.0):
            K = sigmoid_kernel(X, X, g, r)
            oracle = max(oracle, float(np.abs(K - sk_sigmoid(X, X, gamma=g, coef0=r)).max()))
            rows.append({"gamma": g, "coef0": r, "min_eig": float(np.linalg.eigvalsh(K)[0])})
    rbf = float(np.linalg.eigvalsh(rbf_kernel(X, X, 0.2))[0])
    return {"rows": rows, "rbf_min_eig": rbf, "oracle_max_abs_diff": oracle}


@c163.decide
def _(trials):
    t = trials[0]
    neg = [r for r in t["rows"] if r["min_eig"] < -1e-8]
    worst = min(r["min_eig"] for r in t["rows"])
    return verdict(len(neg) > 0 and t["rbf_min_eig"] > -1e-10 and t["oracle_max_abs_diff"] < 1e-12,
                   f"{len(neg)}/{len(t['rows'])} sigmoid Gram matrices have a negative eigenvalue "
                   f"(min {worst:.2f}); RBF min eigenvalue {t['rbf_min_eig']:.1e}",
                   otherwise=REFUTED)


@c163.plot
def _(trials):
    import matplotlib.pyplot as plt

    rows = trials[0]["rows"]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.bar([f"γ={r['gamma']:g}\nr={r['coef0']:g}" for r in rows], [r["min_eig"] for r in rows])
    ax.axhline(0, color="k", lw=0.8)
    ax.axhline(trials[0]["rbf_min_eig"], color="g", ls="--", label="RBF (PSD)")
    ax.set_xlabel("sigmoid kernel parameters")
    ax.set_ylabel("smallest Gram eigenvalue")
    ax.set_title("The sigmoid kernel is not PSD")
    ax.tick_params(axis="x", labelsize=6)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


@experiment("C168", section="J", title="Multi-class SVM by one-vs-rest or one-vs-one",
            expected="reproduce",
            claim="A multi-class SVM is built from binary ones by one-vs-rest or one-vs-one.",
            design="Digits (standardised, 70/30): LinearSVC (one-vs-rest, K binary problems) and "
                   "linear SVC (one-vs-one, K(K−1)/2 problems, decision_function_shape='ovo'); "
                   "test accuracy and the number of binary classifiers.",
            code=["whiteboard.ml.svm:LinearSVC", "whiteboard.ml.svm:SVC"],
            tests=["tests/ml/test_svm_linear.py", "tests/ml/test_svm_svc.py"])
def c168(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(0)
    Xtr, Xte = standardise(Xtr, Xte)
    if quick:
        Xtr, ytr = Xtr[:600], ytr[:600]
    ovr = LinearSVC(C=0.05, max_iter=2000).fit(Xtr, ytr)
    ovo = SVC(kernel="linear", C=0.05, decision_function_shape="ovo").fit(Xtr, ytr)
    return {"acc_ovr": float(np.mean(ovr.predict(Xte) == yte)),
            "acc_ovo": float(np.mean(ovo.predict(Xte) == yte)),
            "n_ovr": int(ovr.coef_.shape[0]), "n_ovo": int(ovo.decision_function(Xte).shape[1]),
            "n_classes": 10}


@c168.decide
def _(trials):
    t = trials[0]
    k = t["n_classes"]
    holds = t["n_ovr"] == k and t["n_ovo"] == k * (k - 1) // 2 and min(t["acc_ovr"],
                                                                         t["acc_ovo"]) >= 0.9
    return verdict(holds, f"one-vs-rest {t['n_ovr']} classifiers, accuracy {t['acc_ovr']:.3f}; "
                          f"one-vs-one {t['n_ovo']} classifiers, accuracy {t['acc_ovo']:.3f}")


@c168.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    bars = ax.bar([f"one-vs-rest\n({t['n_ovr']} SVMs)", f"one-vs-one\n({t['n_ovo']} SVMs)"],
                  [t["acc_ovr"], t["acc_ovo"]])
    ax.bar_label(bars, fmt="%.3f")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("multi-class reduction")
    ax.set_ylabel("digits test accuracy")
    ax.set_title("Two multi-class reductions")
    fig.tight_layout()
    return [fig]
