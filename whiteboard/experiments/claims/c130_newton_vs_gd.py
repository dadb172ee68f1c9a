"""C130: Newton's method converges much faster (quadratically) than gradient descent.

Near a minimiser with ∇²f(x*) ≻ 0 and a Lipschitz Hessian, Newton's step gives

    ‖x_{k+1} − x*‖ ≤ C ‖x_k − x*‖²           (the number of correct digits doubles),

whereas gradient descent converges linearly at best, ‖x_{k+1} − x*‖ ≈ ρ‖x_k − x*‖ with
ρ ≈ (κ − 1)/(κ + 1). Both are the library's ``optim.newton`` (exact Hessian, Armijo
backtracking) and ``optim.gradient_descent`` (Armijo), run to ‖∇f‖_∞ ≤ 1e-10.
"""

import numpy as np

from ...optim import gradient_descent, newton
from ._common_claims_eh import breast_cancer_logreg
from ..registry import experiment, verdict


def _problems():
    from scipy.optimize import rosen, rosen_der, rosen_hess

    fg, hess, w0 = breast_cancer_logreg(1e-2)
    return {"logistic (breast_cancer, λ = 1e-2)": (fg, hess, w0),
            "Rosenbrock": (lambda x: (rosen(x), rosen_der(x)), rosen_hess, np.array([-1.2, 1.0]))}


@experiment("C130", section="H", title="Newton converges quadratically, GD linearly",
            expected="reproduce",
            claim="Newton's method converges much faster (quadratically) than gradient descent.",
            design="L2-regularised logistic regression (λ = 1e-2) on standardised breast_cancer "
                   "and Rosenbrock from (−1.2, 1): iterations of the library's Newton and Armijo "
                   "GD to ‖∇f‖∞ ≤ 1e-10 (GD capped at 10⁴, 2,000 quick); log‖∇f‖ per iteration.",
            code=["whiteboard.optim.minimize:newton",
                  "whiteboard.optim.minimize:gradient_descent"],
            tests=["tests/optim/test_minimize.py"])
def c130(seed, quick):
    rows = []
    for name, (fg, hess, x0) in _problems().items():
        gn, gg = [], []
        nt = newton(fg, x0, hess, gtol=1e-10, max_iter=100,
                    callback=lambda x, gn=gn, fg=fg: gn.append(float(np.abs(fg(x)[1]).max())))
        gd = gradient_descent(fg, x0, gtol=1e-10, max_iter=2000 if quick else 10000,
                              callback=lambda x, gg=gg, fg=fg: gg.append(
                                  float(np.abs(fg(x)[1]).max())))
        stride = max(1, len(gg) // 300)
        rows.append({"problem": name, "newton_iters": int(nt.nit), "newton_ok": bool(nt.success),
                     "gd_iters": int(gd.nit), "gd_ok": bool(gd.success),
                     "newton_grad": gn, "gd_grad": gg[::stride], "gd_stride": stride})
    return {"rows": rows}


@c130.decide
def _(trials):
    rows = trials[0]["rows"]
    holds = all(r["newton_ok"] and r["newton_iters"] <= 30
                and (not r["gd_ok"] or r["gd_iters"] > 10 * r["newton_iters"]) for r in rows)
    return verdict(holds, "; ".join(
        f"{r['problem'].split(' ')[0]}: Newton {r['newton_iters']} its vs GD "
        f"{r['gd_iters']}{'' if r['gd_ok'] else ' (not converged)'}" for r in rows))


@c130.plot
def _(trials):
    import matplotlib.pyplot as plt

    rows = trials[0]["rows"]
    fig, axes = plt.subplots(1, len(rows), figsize=(9, 3.5))
    for ax, r in zip(axes, rows):
        ax.semilogy(range(1, len(r["newton_grad"]) + 1), np.maximum(r["newton_grad"], 1e-17),
                    "o-", ms=3, label="Newton")
        ax.semilogy(np.arange(1, len(r["gd_grad"]) + 1) * r["gd_stride"],
                    np.maximum(r["gd_grad"], 1e-17), label="GD")
        ax.set_xscale("log")
        ax.set_xlabel("iteration")
        ax.set_ylabel("‖∇f‖∞")
        ax.set_title(r["problem"], fontsize=9)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
