"""C103: logistic regression — the Bernoulli NLL is the BCE, its gradient is Xᵀ(σ(Xw) − y)/n, and
gradient descent reaches the maximum-likelihood estimate.

    p(y | x) = σ(z)^y (1 − σ(z))^(1−y),  z = wᵀx
    −(1/n) Σ log p(yᵢ | xᵢ) = −(1/n) Σ [yᵢ log σ(zᵢ) + (1 − yᵢ) log(1 − σ(zᵢ))] = BCE
    ∇ = Xᵀ(σ(Xw) − y)/n,   H = Xᵀ diag(σ(1 − σ)) X / n

Standardised breast_cancer with an intercept is in fact *linearly separable* (checked: the LP
(2yᵢ − 1) xᵢᵀw ≥ 1 is feasible, and an unpenalised sklearn lbfgs fit reaches 100 % training
accuracy with ‖w‖ ≈ 2·10⁵ and still growing), so the unpenalised MLE does not exist. A small L2
term (λ = 1e-2, the same in sklearn as C = 1/(nλ)) makes the optimum finite and unique; GD (step
1/L with L = λ_max(XᵀX)/(4n) + λ), Newton and the library's
``whiteboard.ml.linear_model.LogisticRegression`` (solver='newton') must all reach sklearn's lbfgs
coefficients.
"""

import numpy as np

from ... import tensor
from ...nn import functional as F
from ...ml.linear_model import LogisticRegression
from ._common_claims_eh import breast_cancer_logreg
from ..registry import REFUTED, experiment, verdict

LAM = 1e-2


def _data():
    from ...data.datasets import load_breast_cancer

    X, y = load_breast_cancer()
    X = np.asarray(X, dtype=np.float64)
    X = np.hstack([np.ones((len(X), 1)), (X - X.mean(0)) / X.std(0)])
    return X, np.asarray(y, dtype=np.float64)


@experiment("C103", section="G",
            title="Logistic regression: BCE = Bernoulli NLL, GD reaches the MLE",
            expected="reproduce",
            claim="Logistic regression: the NLL of the Bernoulli model is the BCE, its gradient is "
                  "Xᵀ(σ(Xw) − y)/n, and GD reaches the MLE.",
            design="Standardised breast_cancer with an intercept: the Bernoulli NLL written out vs "
                   "the library's BCE-with-logits at random w; the formula gradient vs central "
                   "differences; GD (step 1/L) and Newton vs sklearn LogisticRegression (lbfgs, "
                   "C = 1/(nλ), λ = 1e-2 on every coefficient incl. the intercept column: the "
                   "data are linearly separable, so penalty=None has no finite optimum), and "
                   "the library's LogisticRegression fitted the same way.",
            code=["whiteboard.nn.functional:binary_cross_entropy_with_logits",
                  "whiteboard.ml.linear_model:LogisticRegression"],
            tests=["tests/nn/test_loss.py", "tests/ml/test_logistic.py"])
def c103(seed, quick):
    from sklearn.linear_model import LogisticRegression as SkLR

    X, y = _data()
    n, d = X.shape
    fg, hess, w0 = breast_cancer_logreg(LAM)
    rng = np.random.default_rng(seed)
    w = rng.normal(0, 0.3, d)
    z = X @ w
    p = 1 / (1 + np.exp(-z))
    nll = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    bce = float(F.binary_cross_entropy_with_logits(tensor(z), tensor(y)).item())
    g = X.T @ (1 / (1 + np.exp(-z)) - y) / n
    h = 1e-6
    E = np.eye(d) * h
    fd = np.array([(np.mean(np.logaddexp(0, X @ (w + e)) - y * (X @ (w + e)))
                    - np.mean(np.logaddexp(0, X @ (w - e)) - y * (X @ (w - e)))) / (2 * h)
                   for e in E])
    L = np.linalg.eigvalsh(X.T @ X).max() / (4 * n) + LAM
    wg = w0.copy()
    steps = 2000 if quick else 10000
    for _ in range(steps):
        wg -= fg(wg)[1] / L
    wn = w0.copy()
    for _ in range(30):
        wn -= np.linalg.solve(hess(wn), fg(wn)[1])
    sk = SkLR(C=1 / (n * LAM), fit_intercept=False, tol=1e-12, max_iter=10000).fit(X, y)
    ws = sk.coef_.ravel()
    wb = LogisticRegression(C=1 / (n * LAM), fit_intercept=False, solver="newton", tol=1e-10,
                            max_iter=100).fit(X, y).coef_.ravel()
    return {"nll": nll, "bce": bce, "nll_vs_bce": abs(nll - bce),
            "grad_fd_err": float(np.max(np.abs(g - fd))),
            "gd_vs_sklearn": float(np.max(np.abs(wg - ws))),
            "newton_vs_sklearn": float(np.max(np.abs(wn - ws))), "gd_steps": steps,
            "library_vs_sklearn": float(np.max(np.abs(wb - ws))),
            "coef_sklearn": ws.tolist(), "coef_gd": wg.tolist(), "coef_newton": wn.tolist()}


@c103.decide
def _(trials):
    t = trials[0]
    holds = (t["nll_vs_bce"] < 1e-10 and t["grad_fd_err"] < 1e-6 and t["gd_vs_sklearn"] < 1e-3
             and t["newton_vs_sklearn"] < 1e-5 and t["library_vs_sklearn"] < 1e-5)
    return verdict(holds, f"|NLL − BCE| {t['nll_vs_bce']:.1e}, gradient vs finite differences "
                          f"{t['grad_fd_err']:.1e}, max |w − w_sklearn|: Newton "
                          f"{t['newton_vs_sklearn']:.1e}, LogisticRegression "
                          f"{t['library_vs_sklearn']:.1e}, GD ({t['gd_steps']} steps) "
                          f"{t['gd_vs_sklearn']:.1e}", otherwise=REFUTED)


@c103.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(4.5, 4))
    ax.scatter(t["coef_sklearn"], t["coef_gd"], s=10, label="GD")
    ax.scatter(t["coef_sklearn"], t["coef_newton"], s=10, marker="x", label="Newton")
    lim = ax.get_xlim()
    ax.plot(lim, lim, "k--", lw=0.8)
    ax.set_xlabel("sklearn coefficient")
    ax.set_ylabel("whiteboard coefficient")
    ax.set_title("logistic regression MLE (breast_cancer)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
