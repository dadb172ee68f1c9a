"""C117: Adagrad suits sparse features — rare features get bigger steps.

Adagrad divides each coordinate's step by the root of its accumulated squared gradients,

    G_t,j = Σ_{s≤t} g_s,j²,      θ_j ← θ_j − η g_t,j / (√G_t,j + ε),

and a binary feature that is rarely on has a gradient that is zero on most updates, so G_j stays
small and its effective step η/√G_j stays large; SGD gives every coordinate the same η, so rare
features' weights barely move in the few updates that touch them. The experiment is a logistic
regression whose 100 binary features fire with geometrically decaying probability, every feature
informative, and compares the loss and the error of the rare features' coefficients.
"""

import numpy as np

from ... import backend, nn
from ...optim import SGD, Adagrad
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd
from ._common_claims_ad import seeds_or_single
from ._common_claims_gh import full_loss, train_steps

D = 100
RARE = slice(20, 50)


def _problem(seed, n):
    """Training and validation sets (n each) of the sparse logistic model, true weights, p."""
    rng = np.random.default_rng(seed)
    p = 0.5 * 0.93 ** np.arange(D)                    # 0.5 … 3e-4
    w = rng.normal(0.0, 2.0, D)
    X = (rng.random((2 * n, D)) < p).astype(np.float64)
    y = (rng.random(2 * n) < 1 / (1 + np.exp(-X @ w))).astype(np.int64)
    return X[:n], y[:n], X[n:], y[n:], w, p


def _optimum(X, y, lam=1e-4):
    """The minimiser of mean logistic loss + λ‖β‖²/2 (full-batch L-BFGS, gtol 1e-10)."""
    from ...optim import lbfgs

    def fg(b):
        z = X @ b
        return (float(np.mean(np.logaddexp(0.0, z) - y * z) + lam / 2 * b @ b),
                X.T @ (1 / (1 + np.exp(-z)) - y) / len(y) + lam * b)

    return lbfgs(fg, np.zeros(X.shape[1]), gtol=1e-10, max_iter=2000).x


def _fit(X, y, Xv, yv, make_opt, steps, seed):
    backend.manual_seed(seed)
    model = nn.Linear(D, 2, bias=False, dtype=np.float64)
    nn.init.zeros_(model.weight)
    train_steps(model, X, y, make_opt, steps=steps, batch_size=10, seed=seed)
    W = model.weight.data
    return full_loss(model, Xv, yv), full_loss(model, X, y), W[1] - W[0]


@experiment("C117", section="H", title="Adagrad suits sparse features", expected="reproduce",
            claim="Adagrad suits sparse features (bigger steps for rare features).",
            design="Logistic regression (2-logit Linear, no bias), n = 2000, 100 binary features "
                   "firing with probability 0.5·0.93^j, weights N(0, 2²), labels drawn from the "
                   "model (and as many validation examples). SGD vs Adagrad, batch 10, 5 epochs "
                   "(quick 2), each with the best lr of {0.03, 0.1, 0.3, 1} by validation loss; "
                   "8 seeds. Validation loss and RMS distance of the rare features' (20 ≤ j < "
                   "50, 26–234 active examples) log-odds coefficients to the optimum (L-BFGS, "
                   "λ = 1e-4), and to the true weights.",
            code=["whiteboard.optim:Adagrad", "whiteboard.optim:SGD"],
            tests=["tests/optim/test_optimizers.py"], seeds=8)
def c117(seed, quick):
    n = 2000
    X, y, Xv, yv, w, p = _problem(seed, n)
    steps = (2 if quick else 5) * (n // 10)
    grid = (0.03, 0.1, 0.3, 1.0)
    w_opt = _optimum(X, y)
    out = {"p_rare_mean": float(p[RARE].mean()), "grid": list(grid)}
    for name, cls in (("SGD", SGD), ("Adagrad", Adagrad)):
        runs = [(lr,) + _fit(X, y, Xv, yv, lambda q, lr=lr, cls=cls: cls(q, lr=lr), steps, seed)
                for lr in grid]
        lr, val, loss, coef = min(runs, key=lambda r: r[1])
        out[name] = {"lr": lr, "val_loss": val, "loss": loss, "val_losses": [r[1] for r in runs],
                     "rare_rmse": float(np.sqrt(np.mean((coef[RARE] - w[RARE]) ** 2))),
                     "rare_to_optimum": float(np.sqrt(np.mean((coef[RARE] - w_opt[RARE]) ** 2))),
                     "rare_abs_coef": float(np.mean(np.abs(coef[RARE]))),
                     "dist_to_optimum": np.abs(coef - w_opt).tolist(),
                     "coef_err": np.abs(coef - w).tolist()}
    out["true_rare_abs"] = float(np.mean(np.abs(w[RARE])))
    return out


@c117.decide
def _(trials):
    ls = [t["SGD"]["val_loss"] for t in trials]
    la = [t["Adagrad"]["val_loss"] for t in trials]
    os_ = [t["SGD"]["rare_to_optimum"] for t in trials]
    oa = [t["Adagrad"]["rare_to_optimum"] for t in trials]
    es = [t["SGD"]["rare_rmse"] for t in trials]
    ea = [t["Adagrad"]["rare_rmse"] for t in trials]
    holds = seeds_or_single(ls, la) and seeds_or_single(os_, oa)
    return verdict(holds, f"validation loss SGD {fmt_mean_sd(ls)} vs Adagrad {fmt_mean_sd(la)}; "
                          f"rare coefficients' RMS distance to the optimum SGD "
                          f"{fmt_mean_sd(os_, 2)} vs Adagrad {fmt_mean_sd(oa, 2)} (to the true "
                          f"weights, which few examples identify: SGD {fmt_mean_sd(es, 2)} vs "
                          f"Adagrad {fmt_mean_sd(ea, 2)}); {len(trials)} seeds, best lr each")


@c117.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.4, 3.8))
    for name in ("SGD", "Adagrad"):
        e = np.mean([t[name]["dist_to_optimum"] for t in trials], axis=0)
        ax.plot(np.arange(D), e, label=f"{name} (best lr)")
    ax.axvline(RARE.start, color="grey", ls=":", label="rare features →")
    ax.set_xlabel("feature j (firing probability 0.5·0.93^j)")
    ax.set_ylabel("|coefficient − optimum| (mean over seeds)")
    ax.set_yscale("log")
    ax.set_title("Sparse logistic regression: distance to the optimum")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
