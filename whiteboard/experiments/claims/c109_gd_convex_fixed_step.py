"""C109, C138: full-batch gradient descent with a fixed step on a convex quadratic.

For f(θ) = ‖Xθ − y‖² / (2n) the Hessian is H = XᵀX / n with eigenvalues μ = λ_min ≤ … ≤ λ_max = L.
Fixed-step GD, θ_{t+1} = θ_t − η∇f(θ_t), gives

    θ_{t+1} − θ* = (I − ηH)(θ_t − θ*)     ⇒   ‖θ_t − θ*‖ ≤ max_i |1 − ηλ_i|^t ‖θ_0 − θ*‖,

which shrinks iff η < 2/L (diverges along the top eigenvector for η > 2/L), and for η ≤ 1/L the
loss never increases (descent lemma: f(θ_{t+1}) ≤ f(θ_t) − η(1 − ηL/2)‖∇f‖²). The convergence
is linear at rate max(|1 − ημ|, |1 − ηL|) without any step decay (E54: only the *stochastic*
gradient's noise needs a decaying step). GD is the library's ``optim.SGD`` on the full batch,
its gradient from autograd.
"""

import numpy as np

from ... import nn, tensor
from ...optim import SGD
from ..registry import REFUTED, experiment, verdict

FACTORS = (0.5, 1.0, 1.9, 2.1)


def _gd(X, y, lr, steps, theta_star):
    """Full-batch GD with the library's SGD; returns ‖θ_t − θ*‖ and f(θ_t) for t = 0 … steps."""
    w = nn.Parameter(tensor(np.zeros(X.shape[1])))
    opt = SGD([w], lr=lr)
    Xt, yt, n = tensor(X), tensor(y), X.shape[0]
    dist, loss = [], []
    for _ in range(steps + 1):
        opt.zero_grad()
        with np.errstate(over="ignore", invalid="ignore"):
            r = Xt @ w - yt
            f = (r * r).sum() / (2 * n)
        dist.append(float(np.linalg.norm(w.data - theta_star)))
        loss.append(float(f.item()))
        if not np.isfinite(loss[-1]) or loss[-1] > 1e60:
            break
        with np.errstate(over="ignore", invalid="ignore"):
            f.backward()
            opt.step()
    return dist, loss


def _diabetes():
    from sklearn.datasets import load_diabetes  # data only

    X, y = load_diabetes(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    X = np.hstack([np.ones((X.shape[0], 1)), X])
    return X, (y - y.mean()) / y.std()


@experiment("C109", section="H", title="GD reaches the least-squares optimum for η < 2/L",
            expected="reproduce",
            claim="On a convex least-squares problem gradient descent reaches the global optimum "
                  "for a small enough step (η < 2/L); for η ≤ 1/L the loss never increases.",
            design="Diabetes (standardised, with intercept); full-batch GD (optim.SGD) from 0 "
                   "with η ∈ {0.5, 1, 1.9, 2.1}/L, L = λ_max(XᵀX/n); ‖θ_t − θ*‖ against the "
                   "lstsq solution; monotone loss asserted for η ≤ 1/L.",
            code=["whiteboard.optim:SGD", "whiteboard.nn:Parameter"],
            tests=["tests/optim/test_sgd.py"])
def c109(seed, quick):
    X, y = _diabetes()
    n = X.shape[0]
    eig = np.linalg.eigvalsh(X.T @ X / n)
    L = float(eig[-1])
    theta_star = np.linalg.lstsq(X, y, rcond=None)[0]
    steps = 1500 if quick else 4000
    runs = []
    for fct in FACTORS:
        dist, loss = _gd(X, y, fct / L, steps, theta_star)
        runs.append({"factor": fct, "dist": dist[:: max(1, len(dist) // 200)],
                     "final_dist": dist[-1], "initial_dist": dist[0],
                     "loss_increases": int(np.sum(np.diff(loss) > 1e-15 * np.abs(loss[:-1])))})
    return {"L": L, "kappa": float(eig[-1] / eig[0]), "steps": steps, "runs": runs}


@c109.decide
def _(trials):
    runs = {r["factor"]: r for r in trials[0]["runs"]}
    ratio = {f: r["final_dist"] / r["initial_dist"] for f, r in runs.items()}
    below = all(ratio[f] < 0.5 for f in (0.5, 1.0, 1.9))
    above = ratio[2.1] > 1e3
    monotone = runs[0.5]["loss_increases"] == 0 and runs[1.0]["loss_increases"] == 0
    return verdict(below and above and monotone,
                   f"‖θ_T − θ*‖/‖θ_0 − θ*‖ = {ratio[1.0]:.1e} (1/L), {ratio[1.9]:.1e} (1.9/L), "
                   f"{ratio[2.1]:.1e} (2.1/L); loss increases at η ≤ 1/L: "
                   f"{runs[0.5]['loss_increases'] + runs[1.0]['loss_increases']}",
                   otherwise=REFUTED)


@c109.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.8))
    for r in t["runs"]:
        d = np.asarray(r["dist"])
        steps = np.linspace(0, len(d) - 1, len(d)) * max(1, (t["steps"] + 1) // 200)
        ax.semilogy(steps[: len(d)], d, label=f"η = {r['factor']}/L")
    ax.set_xlabel("GD step t")
    ax.set_ylabel("‖θ_t − θ*‖")
    ax.set_ylim(top=1e6)
    ax.set_title(f"Diabetes least squares (κ = {t['kappa']:.0f})")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


@experiment("C138", section="H", title="Deterministic GD with a fixed step converges without decay",
            expected="reproduce", errata=["E54"],
            claim="Deterministic gradient descent with a fixed small step converges (linearly) "
                  "without any learning-rate decay; only stochastic gradient descent needs decay.",
            design="Strongly convex least squares (n = 200, d = 10, κ ≈ 10, noise so the optimum "
                   "has non-zero residual); fixed η = 1/L full-batch GD (optim.SGD) vs batch-1 "
                   "SGD with its own stable fixed step 0.5/max‖x_i‖²; distance to θ* after "
                   "the same number of epochs "
                   "and the fitted linear rate against max|1 − ηλ_i|.",
            code=["whiteboard.optim:SGD"],
            tests=["tests/optim/test_sgd.py"])
def c138(seed, quick):
    rng = np.random.default_rng(seed)
    n, d = 200, 10
    U = np.linalg.qr(rng.normal(size=(n, d)))[0]
    s = np.sqrt(np.linspace(1.0, 10.0, d) * n)
    X = U * s                                   # XᵀX/n has eigenvalues 1 … 10
    y = X @ rng.normal(size=d) + rng.normal(size=n)
    eig = np.linalg.eigvalsh(X.T @ X / n)
    L = float(eig[-1])
    theta_star = np.linalg.lstsq(X, y, rcond=None)[0]
    steps = 300 if quick else 600
    dist, _ = _gd(X, y, 1.0 / L, steps, theta_star)
    # SGD, batch 1, same fixed step, same number of epochs (the noise ball)
    epochs = 10 if quick else 30
    lr_sgd = 0.5 / float((X ** 2).sum(1).max())   # stable for every single-example step
    w = nn.Parameter(tensor(np.zeros(d)))
    opt = SGD([w], lr=lr_sgd)
    sgd_dist = []
    Xt = X
    for _ in range(epochs):
        for i in rng.permutation(n):
            opt.zero_grad()
            r = tensor(Xt[i]) @ w - float(y[i])
            ((r * r) / 2).backward()
            opt.step()
        sgd_dist.append(float(np.linalg.norm(w.data - theta_star)))
    dd = np.asarray(dist)
    ok = dd > 1e-13
    t_fit = np.arange(dd.size)[ok][5:]
    rate = float(np.exp(np.polyfit(t_fit, np.log(dd[ok][5:]), 1)[0])) if t_fit.size > 2 else 0.0
    theory = float(max(abs(1 - eig / L)))
    return {"gd_dist": dist[:: max(1, len(dist) // 200)], "gd_final": dist[-1],
            "gd_initial": dist[0], "steps": steps, "rate": rate, "theory_rate": theory,
            "sgd_dist": sgd_dist, "sgd_epochs": epochs, "sgd_lr_times_L": lr_sgd * L}


@c138.decide
def _(trials):
    gd = max(t["gd_final"] / t["gd_initial"] for t in trials)
    sgd = min(t["sgd_dist"][-1] / t["gd_initial"] for t in trials)
    rate_err = max(abs(t["rate"] - t["theory_rate"]) for t in trials)
    return verdict(gd <= 1e-12 and sgd > 1e3 * gd and rate_err < 0.02,
                   f"fixed-η GD: ‖θ_T − θ*‖/‖θ_0 − θ*‖ = {gd:.1e} (rate "
                   f"{trials[0]['rate']:.3f} vs theory {trials[0]['theory_rate']:.3f}); "
                   f"batch-1 SGD (fixed η) plateaus at {sgd:.1e}",
                   otherwise=REFUTED)


@c138.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.8))
    g = np.asarray(t["gd_dist"])
    ax.semilogy(np.arange(g.size) * max(1, (t["steps"] + 1) // 200), g, label="GD, fixed η = 1/L")
    ax.axhline(t["sgd_dist"][-1], color="r", ls="--",
               label=f"SGD batch 1, fixed η, after {t['sgd_epochs']} epochs")
    ax.set_xlabel("GD step t")
    ax.set_ylabel("‖θ_t − θ*‖")
    ax.set_title("Fixed step: GD converges, SGD stalls")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
