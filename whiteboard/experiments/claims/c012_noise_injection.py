"""C12: input noise is an L2 penalty; weight noise (for a linear model) is not (ERRATA E11).

For squared loss, with fresh ε ~ N(0, σ²I) added to the inputs,
    E‖y − (X + E)w‖² = ‖y − Xw‖² + nσ²‖w‖²        → ridge with α = nσ²,
while noise δ ~ N(0, σ²I) on the weights gives
    E‖y − X(w + δ)‖² = ‖y − Xw‖² + σ² tr(XᵀX)      → a constant: the OLS solution.
Trained by gradient descent with fresh noise at every step (iterates averaged over the second
half), on standardised diabetes.
"""

import numpy as np

from ... import nn, optim, tensor
from ...ml.linear_model import LinearRegression, Ridge
from ..registry import experiment, verdict

SIGMA = 0.3


def _noisy_gd(X, y, where, steps, rng):
    w = nn.Parameter(tensor(np.zeros(X.shape[1])))
    opt = optim.SGD([w], lr=0.2)
    yt, avg, cnt = tensor(y), np.zeros(X.shape[1]), 0
    for s in range(steps):
        opt.zero_grad()
        if where == "input":
            pred = tensor(X + rng.normal(0, SIGMA, X.shape)) @ w
        else:
            pred = tensor(X) @ (w + tensor(rng.normal(0, SIGMA, X.shape[1])))
        r = pred - yt
        ((r * r).mean() / 2).backward()
        opt.step()
        if s >= steps // 2:
            avg += w.data
            cnt += 1
    return avg / cnt


@experiment("C12", section="A", title="Input noise acts as L2; weight noise does not",
            expected="contested", errata=["E11"],
            claim="Adding noise is a regulariser: input noise is equivalent to an L2 penalty "
                  "(the note says weight noise).",
            design="Linear regression on standardised diabetes by gradient descent (library SGD, "
                   "autograd) with fresh Gaussian noise sigma = 0.3 on the inputs or on the "
                   "weights at every step, iterates averaged; vs the library's Ridge with alpha "
                   "= n sigma^2 and LinearRegression; Monte-Carlo excess loss vs sigma^2 ||w||^2 "
                   "and sigma^2 E||x||^2.",
            code=["whiteboard.optim:SGD", "whiteboard.ml.linear_model:Ridge",
                  "whiteboard.ml.linear_model:LinearRegression"],
            tests=["tests/ml/test_linear_regression.py", "tests/optim/test_optimizers.py"])
def c12(seed, quick):
    from sklearn.datasets import load_diabetes  # data only

    rng = np.random.default_rng(seed)
    X, y = load_diabetes(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    y = (y - y.mean()) / y.std()
    n = len(y)
    steps = 3000 if quick else 12000
    w_in = _noisy_gd(X, y, "input", steps, rng)
    w_wt = _noisy_gd(X, y, "weight", steps, rng)
    w_ridge = Ridge(alpha=n * SIGMA ** 2, fit_intercept=False).fit(X, y).coef_
    w_ols = LinearRegression(fit_intercept=False).fit(X, y).coef_
    # Monte-Carlo excess loss per sample at w_ols
    draws = 200 if quick else 1000
    base = np.mean((X @ w_ols - y) ** 2)
    mc_in = np.mean([np.mean(((X + rng.normal(0, SIGMA, X.shape)) @ w_ols - y) ** 2)
                     for _ in range(draws)]) - base
    mc_wt = np.mean([np.mean((X @ (w_ols + rng.normal(0, SIGMA, X.shape[1])) - y) ** 2)
                     for _ in range(draws)]) - base
    return {"in_vs_ridge": float(np.linalg.norm(w_in - w_ridge) / np.linalg.norm(w_ridge)),
            "in_vs_ols": float(np.linalg.norm(w_in - w_ols) / np.linalg.norm(w_ols)),
            "wt_vs_ols": float(np.linalg.norm(w_wt - w_ols) / np.linalg.norm(w_ols)),
            "wt_vs_ridge": float(np.linalg.norm(w_wt - w_ridge) / np.linalg.norm(w_ridge)),
            "mc_input": float(mc_in), "theory_input": float(SIGMA ** 2 * w_ols @ w_ols),
            "mc_weight": float(mc_wt), "theory_weight": float(SIGMA ** 2 * np.mean(
                (X ** 2).sum(1))),
            "w_input": w_in.tolist(), "w_ridge": w_ridge.tolist(), "w_weight": w_wt.tolist(),
            "w_ols": w_ols.tolist()}


@c12.decide
def _(trials):
    t = trials[0]
    holds = (t["in_vs_ridge"] < 0.05 and t["in_vs_ridge"] < t["in_vs_ols"] / 3
             and t["wt_vs_ols"] < 0.1 and t["wt_vs_ols"] < t["wt_vs_ridge"] / 2)
    return verdict(holds, f"input-noise GD vs ridge(n sigma^2) {t['in_vs_ridge']:.3f} (vs OLS "
                          f"{t['in_vs_ols']:.3f}); weight-noise GD vs OLS {t['wt_vs_ols']:.3f} "
                          f"(vs ridge {t['wt_vs_ridge']:.3f}); MC excess loss {t['mc_input']:.3f}"
                          f" vs sigma^2||w||^2 {t['theory_input']:.3f}, {t['mc_weight']:.3f} vs "
                          f"sigma^2 E||x||^2 {t['theory_weight']:.3f}")


@c12.plot
def _(trials):
    from ._common_claims_ad import scatter_figure

    t = trials[0]
    return [scatter_figure([("input noise vs ridge", t["w_ridge"], t["w_input"]),
                            ("weight noise vs OLS", t["w_ols"], t["w_weight"])],
                           "closed-form coefficient", "noisy-GD coefficient",
                           "Noise injection on diabetes")]
