"""C7, C11: what the L2 penalty does to the solution and to the update.

C7  With two columns of correlation 0.999, XᵀX has eigenvalues ≈ n(1 ± 0.999), so
    cond(XᵀX) ≈ 2000, and the OLS coefficients swing wildly between bootstrap resamples; the ridge
    system XᵀX + λI has cond (λ_max + λ)/(λ_min + λ), and its coefficients are stable.
C11 Gradient descent on L + (λ/2)‖w‖² is  w ← w − η(∇L + λw) = (1 − ηλ)w − η∇L:  a constant
    shrink factor per step (weight decay). For Adam the two differ: L2 added to the gradient is
    rescaled by the adaptive denominator, decoupled decay (AdamW) is not.
"""

import numpy as np

from ... import nn, optim, tensor
from ...ml.linear_model import LinearRegression, Ridge
from ..registry import REFUTED, experiment, verdict
from ..stats import fmt_mean_sd

LAMS = (0.0, 0.01, 0.1, 1.0, 10.0, 100.0)


@experiment("C7", section="A", title="L2 improves conditioning and stabilises the solution",
            expected="reproduce",
            claim="L2 improves the conditioning of X^T X and stabilises the solution.",
            design="n = 100, two standardised columns with correlation 0.999 (+ noise target "
                   "x1 + x2): cond(X^T X + lambda I) vs lambda; sd of the coefficients over 200 "
                   "bootstrap resamples (quick 50), the library's LinearRegression vs Ridge "
                   "(alpha 10).",
            code=["whiteboard.ml.linear_model:Ridge",
                  "whiteboard.ml.linear_model:LinearRegression"],
            tests=["tests/ml/test_linear_regression.py"])
def c7(seed, quick):
    rng = np.random.default_rng(seed)
    n = 100
    z = rng.normal(size=n)
    x2 = 0.999 * z + np.sqrt(1 - 0.999 ** 2) * rng.normal(size=n)
    X = np.column_stack([z, x2])
    X = (X - X.mean(0)) / X.std(0)
    y = X.sum(1) + rng.normal(0, 1.0, n)
    G = X.T @ X
    conds = [float(np.linalg.cond(G + lam * np.eye(2))) for lam in LAMS]
    ols, rid = [], []
    for _ in range(50 if quick else 200):
        idx = rng.integers(0, n, n)
        ols.append(LinearRegression().fit(X[idx], y[idx]).coef_.tolist())
        rid.append(Ridge(alpha=10.0).fit(X[idx], y[idx]).coef_.tolist())
    return {"lams": list(LAMS), "cond": conds, "corr": float(np.corrcoef(X.T)[0, 1]),
            "sd_ols": np.std(ols, 0).tolist(), "sd_ridge": np.std(rid, 0).tolist(),
            "ols": ols, "ridge": rid}


@c7.decide
def _(trials):
    t = trials[0]
    ratio = min(a / b for a, b in zip(t["sd_ols"], t["sd_ridge"]))
    c0, c10 = t["cond"][0], t["cond"][LAMS.index(10.0)]
    return verdict(c0 > 10 * c10 and ratio > 10,
                   f"cond {c0:.0f} -> {c10:.1f} at lambda 10; coefficient sd over bootstraps "
                   f"shrinks {ratio:.0f}x (OLS {fmt_mean_sd(t['sd_ols'])} vs ridge "
                   f"{fmt_mean_sd(t['sd_ridge'])})")


@c7.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(1, 2, figsize=(8.5, 3.5))
    ax[0].semilogy([max(v, 1e-3) for v in t["lams"]], t["cond"], "o-")
    ax[0].set_xscale("log")
    ax[0].set_xlabel("lambda (0 shown at 1e-3)")
    ax[0].set_ylabel("cond(X^T X + lambda I)")
    ax[0].set_title(f"corr(x1, x2) = {t['corr']:.3f}")
    o, r = np.array(t["ols"]), np.array(t["ridge"])
    ax[1].scatter(o[:, 0], o[:, 1], s=6, label="OLS")
    ax[1].scatter(r[:, 0], r[:, 1], s=6, label="ridge, alpha 10")
    ax[1].set_xlabel("w1")
    ax[1].set_ylabel("w2")
    ax[1].set_title("Bootstrap coefficients")
    ax[1].legend(fontsize=8)
    fig.tight_layout()
    return [fig]


def _run(opt_cls, X, y, steps, manual=None, **kw):
    """Iterates of full-batch training of a linear least-squares model."""
    w = nn.Parameter(tensor(np.zeros(X.shape[1])))
    opt = opt_cls([w], **kw)
    Xt, yt = tensor(X), tensor(y)
    path = []
    for _ in range(steps):
        opt.zero_grad()
        r = Xt @ w - yt
        loss = (r * r).mean() / 2
        if manual is not None:  # add (λ/2)‖w‖² to the loss explicitly
            loss = loss + (w * w).sum() * (manual / 2)
        loss.backward()
        opt.step()
        path.append(w.data.copy())
    return np.array(path)


@experiment("C11", section="A", title="Weight decay = constant shrink per step (for SGD)",
            expected="reproduce",
            claim="Weight decay = shrinking every weight by a constant factor at each step.",
            design="Full-batch least squares, float64: the library's SGD on L + (lambda/2)||w||^2 "
                   "vs SGD(weight_decay=lambda) vs the hand update w <- (1 - eta lambda) w - eta "
                   "grad L; side check: Adam with L2 in the gradient vs AdamW (decoupled).",
            code=["whiteboard.optim:SGD", "whiteboard.optim:Adam", "whiteboard.optim:AdamW"],
            tests=["tests/optim/test_optimizers.py"])
def c11(seed, quick):
    rng = np.random.default_rng(seed)
    X, lam, eta, steps = rng.normal(size=(50, 5)), 0.1, 0.05, 100 if quick else 300
    y = X @ rng.normal(size=5) + rng.normal(0, 0.1, 50)
    explicit = _run(optim.SGD, X, y, steps, manual=lam, lr=eta)
    decay = _run(optim.SGD, X, y, steps, lr=eta, weight_decay=lam)
    w, hand = np.zeros(5), []
    for _ in range(steps):
        w = (1 - eta * lam) * w - eta * X.T @ (X @ w - y) / len(y)
        hand.append(w.copy())
    adam_l2 = _run(optim.Adam, X, y, steps, lr=0.01, weight_decay=lam)
    adamw = _run(optim.AdamW, X, y, steps, lr=0.01, weight_decay=lam)
    return {"explicit_vs_decay": float(np.abs(explicit - decay).max()),
            "decay_vs_hand": float(np.abs(decay - np.array(hand)).max()),
            "adam_l2_vs_adamw": float(np.abs(adam_l2[-1] - adamw[-1]).max()),
            "norm_path": np.linalg.norm(decay, axis=1).tolist(),
            "norm_adam_l2": np.linalg.norm(adam_l2, axis=1).tolist(),
            "norm_adamw": np.linalg.norm(adamw, axis=1).tolist()}


@c11.decide
def _(trials):
    t = trials[0]
    e = max(t["explicit_vs_decay"], t["decay_vs_hand"])
    return verdict(e < 1e-12 and t["adam_l2_vs_adamw"] > 1e-3,
                   f"max |iterate difference| L2-in-loss vs weight_decay vs (1 - eta*lambda) "
                   f"shrink {e:.1e}; Adam+L2 vs AdamW differ by {t['adam_l2_vs_adamw']:.3f}",
                   otherwise=REFUTED)


@c11.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot(t["norm_path"], label="SGD, weight decay = L2")
    ax.plot(t["norm_adam_l2"], label="Adam + L2 in gradient")
    ax.plot(t["norm_adamw"], label="AdamW (decoupled)")
    ax.set_xlabel("step")
    ax.set_ylabel("||w||")
    ax.set_title("Weight decay vs L2 penalty")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
