"""C62: inverted dropout keeps the expected activation; nothing is dropped at test time.

y = x·m/(1 − p), m ~ Bernoulli(1 − p):  E[y] = x,  Var[y] = x²·p/(1 − p);  eval: y = x.
(p is the drop probability as in PyTorch; ERRATA E32/E33 for the note's test-time factor.)
"""

import numpy as np

from ... import backend, nn, no_grad, tensor
from ...nn.functional import dropout
from ..registry import REFUTED, experiment, verdict

PS = (0.2, 0.5, 0.8)


@experiment("C62", section="D", title="Inverted dropout keeps the expectation",
            expected="reproduce", errata=["E32", "E33"],
            claim="(Inverted) dropout keeps the expected activation; nothing is dropped at test "
                  "time.",
            design="10^6 draws of dropout on a fixed value x for p in {0.2, 0.5, 0.8}: sample mean "
                   "and variance vs x and x^2 p/(1-p) (within 5 standard errors), torch's "
                   "F.dropout statistics on the same input, kept entries exactly x/(1-p), the "
                   "gradient = mask/(1-p), eval mode = identity.",
            code=["whiteboard.nn.functional:dropout", "whiteboard.nn:Dropout"],
            tests=["tests/nn/test_dropout.py"])
def c62(seed, quick):
    import torch

    backend.manual_seed(seed)
    torch.manual_seed(seed)
    n = 200_000 if quick else 1_000_000
    x = 1.7
    rows = []
    for p in PS:
        xt = tensor(np.full(n, x), requires_grad=True)
        y = dropout(xt, p, training=True)
        y.sum().backward()
        yv, gv = y.numpy(), xt.grad.numpy()
        kept = yv != 0
        ty = torch.nn.functional.dropout(torch.full((n,), x, dtype=torch.float64), p).numpy()
        var_th = x * x * p / (1 - p)
        # standard errors of the sample mean and variance of the two-point distribution (the
        # variance's leading term vanishes at p = 0.5, leaving an O(1/n) term)
        se_mean = np.sqrt(var_th / n)
        fourth = (1 - p) * (x / (1 - p) - x) ** 4 + p * x ** 4
        se_var = np.sqrt(max(fourth - var_th ** 2, 0.0) / n) + 10 * var_th / n  # O(1/n) bias term
        rows.append({"p": p, "mean": float(yv.mean()), "var": float(yv.var()), "var_theory":
                     var_th, "z_mean": float(abs(yv.mean() - x) / se_mean),
                     "z_var": float(abs(yv.var() - var_th) / se_var),
                     "torch_mean": float(ty.mean()), "torch_var": float(ty.var()),
                     "kept_value_err": float(np.abs(yv[kept] - x / (1 - p)).max()),
                     "grad_err": float(np.abs(gv - kept / (1 - p)).max()),
                     "keep_rate": float(kept.mean())})
    d = nn.Dropout(0.5)
    d.eval()
    with no_grad():
        z = np.random.default_rng(seed).normal(size=1000)
        eval_err = float(np.abs(d(tensor(z)).numpy() - z).max())
    return {"x": x, "rows": rows, "eval_err": eval_err}


@c62.decide
def _(trials):
    rows = [r for t in trials for r in t["rows"]]
    z = max(max(r["z_mean"], r["z_var"]) for r in rows)
    exact = max(max(r["kept_value_err"], r["grad_err"]) for r in rows)
    ev = max(t["eval_err"] for t in trials)
    return verdict(z < 5 and exact < 1e-12 and ev == 0.0,
                   f"mean and variance within {z:.1f} standard errors of x and x^2 p/(1-p); kept "
                   f"= x/(1-p) to {exact:.0e}; eval max |y - x| {ev:.0e}", otherwise=REFUTED)


@c62.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    ps = [r["p"] for r in t["rows"]]
    fig, ax = plt.subplots(1, 2, figsize=(8, 3.3))
    ax[0].plot(ps, [r["mean"] for r in t["rows"]], "o-", label="library")
    ax[0].plot(ps, [r["torch_mean"] for r in t["rows"]], "x--", label="torch")
    ax[0].axhline(t["x"], color="k", lw=0.8)
    ax[0].set_xlabel("drop probability p")
    ax[0].set_ylabel("sample mean of dropout(x)")
    ax[0].legend()
    ax[1].plot(ps, [r["var"] for r in t["rows"]], "o-", label="library")
    ax[1].plot(ps, [r["var_theory"] for r in t["rows"]], "k--", label="x^2 p/(1-p)")
    ax[1].set_xlabel("drop probability p")
    ax[1].set_ylabel("sample variance")
    ax[1].legend()
    fig.suptitle(f"Inverted dropout on x = {t['x']}")
    fig.tight_layout()
    return [fig]
