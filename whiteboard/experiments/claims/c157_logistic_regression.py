"""C157, C158, C175: logistic regression's decision rule, its solvers, and IRLS = Newton.

p = σ(wᵀx + b) and σ(z) ≥ ½ ⇔ z ≥ 0, so "predict 1 iff p ≥ 1 − p" is the linear rule wᵀx + b ≥ 0
(C157). The penalised log-loss ½‖w‖² + C Σᵢ ℓᵢ is strictly convex, so GD, SGD, Newton and
L-BFGS all head to the one minimiser that scikit-learn finds (C158; SGD with a decaying step only
to within its gradient noise).

As a GLM with the logit link, the Newton step on the log-likelihood is a weighted least-squares
fit (IRLS, C175):

    W = diag(pᵢ(1 − pᵢ)),   z = Xβ + W⁻¹(y − p),   β ← (XᵀWX)⁻¹ XᵀW z,

which equals β + (XᵀWX)⁻¹ Xᵀ(y − p), the Newton step with Hessian XᵀWX and gradient Xᵀ(y − p).
"""

import warnings

import numpy as np

from ...ml import LogisticRegression
from ..registry import REFUTED, experiment, verdict


def _breast_cancer():
    from ...data.datasets import load_breast_cancer, train_test_split

    X, y = load_breast_cancer()
    X = np.asarray(X, dtype=np.float64)
    return train_test_split(X, np.asarray(y), test_size=0.3, random_state=0, stratify=y)


def _std(Xtr, Xte):
    mu, sd = Xtr.mean(0), Xtr.std(0)
    return (Xtr - mu) / sd, (Xte - mu) / sd


@experiment("C157", section="J", title="LR predicts 1 iff wᵀx + b ≥ 0", expected="reproduce",
            claim="Logistic regression predicts 1 iff p ≥ 1 − p, i.e. wᵀx + b ≥ 0.",
            design="LogisticRegression on standardised breast_cancer (70/30); predict() against "
                   "predict_proba ≥ ½ and against the sign of wᵀx + b on the test set.",
            code=["whiteboard.ml.linear_model:LogisticRegression"],
            tests=["tests/ml/test_logistic.py"])
def c157(seed, quick):
    Xtr, Xte, ytr, _ = _breast_cancer()
    Xtr, Xte = _std(Xtr, Xte)
    m = LogisticRegression(C=1.0).fit(Xtr, ytr)
    p = m.predict_proba(Xte)[:, 1]
    z = Xte @ m.coef_[0] + m.intercept_[0]
    pred = m.predict(Xte)
    return {"n_test": int(len(pred)),
            "disagree_proba": int(np.sum(pred != (p >= 1 - p).astype(int))),
            "disagree_linear": int(np.sum(pred != (z >= 0).astype(int))),
            "z": z.tolist(), "p": p.tolist()}


@c157.decide
def _(trials):
    t = trials[0]
    d1, d2 = t["disagree_proba"], t["disagree_linear"]
    return verdict(d1 == 0 and d2 == 0,
                   f"predict() vs [p ≥ 1 − p]: {d1}/{t['n_test']} differ; vs [wᵀx + b ≥ 0]: "
                   f"{d2}/{t['n_test']} differ", otherwise=REFUTED)


@c157.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    z = np.asarray(t["z"])
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    order = np.argsort(z)
    ax.plot(z[order], np.asarray(t["p"])[order], ".", ms=4)
    ax.axvline(0, color="k", lw=0.8)
    ax.axhline(0.5, color="k", lw=0.8, ls="--")
    ax.set_xlabel("wᵀx + b (test set)")
    ax.set_ylabel("p = σ(wᵀx + b)")
    ax.set_title("p ≥ ½ exactly where wᵀx + b ≥ 0")
    fig.tight_layout()
    return [fig]


SOLVERS = {"lbfgs": dict(tol=1e-10, max_iter=1000), "newton": dict(tol=1e-10),
           "gd": dict(tol=1e-10, max_iter=20000),
           "sgd": dict(batch_size=32, learning_rate=2.0, power_t=0.5)}


@experiment("C158", section="J", title="LR by GD / SGD / Newton reaches scikit-learn's solution",
            expected="reproduce",
            claim="Logistic regression trained by GD, SGD or Newton reaches scikit-learn's "
                  "solution.",
            design="Standardised breast_cancer (70/30), C = 1: the library's LogisticRegression "
                   "with solver lbfgs / newton / gd / sgd (mini-batch 32, step 2/√epoch, 200 or "
                   "1000 epochs) against sklearn LogisticRegression(newton-cg, "
                   "tol 1e-12); max |Δcoef| and test accuracy.",
            code=["whiteboard.ml.linear_model:LogisticRegression"],
            tests=["tests/ml/test_logistic.py"])
def c158(seed, quick):
    from sklearn.linear_model import LogisticRegression as SkLR  # oracle

    Xtr, Xte, ytr, yte = _breast_cancer()
    Xtr, Xte = _std(Xtr, Xte)
    ref = SkLR(C=1.0, solver="newton-cg", tol=1e-12, max_iter=10_000).fit(Xtr, ytr)
    w_ref = np.r_[ref.coef_[0], ref.intercept_]
    rows = []
    for name, kw in SOLVERS.items():
        kw = dict(kw)
        if name == "sgd":
            kw["max_iter"] = 200 if quick else 1000
            kw["random_state"] = seed
        m = LogisticRegression(C=1.0, solver=name, **kw).fit(Xtr, ytr)
        w = np.r_[m.coef_[0], m.intercept_]
        rows.append({"solver": name, "max_abs_dcoef": float(np.abs(w - w_ref).max()),
                     "rel_dcoef": float(np.linalg.norm(w - w_ref) / np.linalg.norm(w_ref)),
                     "acc": float(np.mean(m.predict(Xte) == yte)),
                     "n_iter": int(m.n_iter_[0])})
    return {"rows": rows, "acc_sklearn": float(np.mean(ref.predict(Xte) == yte)),
            "coef_sklearn": w_ref.tolist()}


@c158.decide
def _(trials):
    rows = {r["solver"]: r for r in trials[0]["rows"]}
    exact = max(rows[s]["max_abs_dcoef"] for s in ("lbfgs", "newton", "gd"))
    sgd = float(np.mean([{r["solver"]: r for r in t["rows"]}["sgd"]["rel_dcoef"] for t in trials]))
    acc_gap = max(abs(r["acc"] - trials[0]["acc_sklearn"]) for r in rows.values())
    return verdict(exact <= 1e-4 and sgd <= 0.05 and acc_gap <= 0.006,
                   f"max |Δcoef| GD/Newton/L-BFGS = {exact:.1e}; SGD ‖Δw‖/‖w‖ = {sgd:.3f}; "
                   f"max test-accuracy gap {acc_gap:.3f}")


@c158.plot
def _(trials):
    import matplotlib.pyplot as plt

    rows = trials[0]["rows"]
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    ax.bar([r["solver"] for r in rows], [max(r["max_abs_dcoef"], 1e-16) for r in rows])
    ax.set_yscale("log")
    ax.axhline(1e-4, color="k", ls="--", lw=0.8, label="1e-4")
    ax.set_xlabel("solver")
    ax.set_ylabel("max |coef − sklearn coef|")
    ax.set_title("Same convex optimum")
    ax.legend()
    fig.tight_layout()
    return [fig]


def _irls(X, y, iters):
    """IRLS for unpenalised logistic regression (X has an intercept column)."""
    beta = np.zeros(X.shape[1])
    path = []
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(X @ beta)))
        w = p * (1 - p)
        z = X @ beta + (y - p) / w
        beta = np.linalg.solve(X.T @ (w[:, None] * X), X.T @ (w * z))
        path.append(beta.copy())
    return beta, path


@experiment("C175", section="J", title="LR is a GLM; IRLS = Newton", expected="reproduce",
            claim="Logistic regression is a GLM (sigmoid = inverse logit link); fitting by IRLS "
                  "equals Newton's method.",
            design="Breast_cancer, 4 standardised features (well conditioned without a penalty): "
                   "an explicit IRLS loop against the library's newton solver (penalty=None) and "
                   "sklearn LogisticRegression(C=inf, newton-cg) as the oracle.",
            code=["whiteboard.ml.linear_model:LogisticRegression"],
            tests=["tests/ml/test_logistic.py"])
def c175(seed, quick):
    from sklearn.linear_model import LogisticRegression as SkLR  # oracle

    Xtr, _, ytr, _ = _breast_cancer()
    Xtr = _std(Xtr, Xtr)[0][:, [0, 1, 4, 8]]
    beta, path = _irls(np.c_[Xtr, np.ones(len(Xtr))], ytr.astype(np.float64), 25)
    m = LogisticRegression(penalty=None, solver="newton", tol=1e-12).fit(Xtr, ytr)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = SkLR(C=np.inf, solver="newton-cg", tol=1e-12, max_iter=10_000).fit(Xtr, ytr)
    newton = np.r_[m.coef_[0], m.intercept_]
    sk = np.r_[ref.coef_[0], ref.intercept_]
    return {"irls_vs_newton": float(np.abs(beta - newton).max()),
            "irls_vs_sklearn": float(np.abs(beta - sk).max()),
            "step_sizes": [float(np.abs(a - b).max()) for a, b in zip(path[1:], path[:-1])],
            "beta": beta.tolist()}


@c175.decide
def _(trials):
    t = trials[0]
    a, b = t["irls_vs_newton"], t["irls_vs_sklearn"]
    return verdict(a <= 1e-8 and b <= 1e-6,
                   f"max |IRLS − Newton| = {a:.1e}, max |IRLS − sklearn| = {b:.1e}",
                   otherwise=REFUTED)


@c175.plot
def _(trials):
    import matplotlib.pyplot as plt

    s = np.maximum(trials[0]["step_sizes"], 1e-17)
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    ax.semilogy(np.arange(2, len(s) + 2), s, "o-", ms=3)
    ax.set_xlabel("IRLS iteration")
    ax.set_ylabel("max |β_t − β_{t−1}|")
    ax.set_title("IRLS converges quadratically (Newton)")
    fig.tight_layout()
    return [fig]
