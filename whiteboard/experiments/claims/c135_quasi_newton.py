"""C135: quasi-Newton methods (BFGS, L-BFGS) converge superlinearly using gradients only.

BFGS keeps H_k ≈ (∇²f)⁻¹ from gradient differences (secant condition H_{k+1}y_k = s_k) and
steps x_{k+1} = x_k − α_k H_k∇f_k. Under the Dennis–Moré condition
‖(H_k⁻¹ − ∇²f(x*))s_k‖/‖s_k‖ → 0 the convergence is superlinear,

    ‖x_{k+1} − x*‖ / ‖x_k − x*‖ → 0,

whereas gradient descent's ratio tends to a constant (≈ (κ − 1)/(κ + 1)). L-BFGS keeps only m
pairs: in theory linear, in practice close to BFGS. The library's ``optim.bfgs`` / ``optim.lbfgs``
are run against ``scipy.optimize.minimize`` (BFGS, L-BFGS-B) — the oracle for iteration counts
and minimisers — on L2-regularised logistic regression (breast_cancer) and Rosenbrock.
"""

import numpy as np

from ...optim import bfgs, gradient_descent, lbfgs, newton
from ..registry import experiment, verdict

LAM = 1e-2


def _problems():
    from scipy.optimize import rosen, rosen_der, rosen_hess

    from ...data.datasets import load_breast_cancer

    X, y = load_breast_cancer()
    X = np.asarray(X, dtype=np.float64)
    X = np.hstack([np.ones((len(X), 1)), (X - X.mean(0)) / X.std(0)])
    y = np.asarray(y, dtype=np.float64)

    def logreg(w):
        z = X @ w
        p = 1.0 / (1.0 + np.exp(-z))
        return (float(np.mean(np.logaddexp(0.0, z) - y * z) + LAM / 2 * w @ w),
                X.T @ (p - y) / len(y) + LAM * w)

    def logreg_hess(w):
        p = 1.0 / (1.0 + np.exp(-X @ w))
        return (X.T * (p * (1 - p))) @ X / len(y) + LAM * np.eye(w.size)

    return {"logistic (breast_cancer, λ = 1e-2)": (logreg, logreg_hess, np.zeros(X.shape[1])),
            "Rosenbrock": (lambda x: (rosen(x), rosen_der(x)), rosen_hess, np.array([-1.2, 1.0]))}


def _trace(fn, fg, x0, x_star, gtol, max_iter):
    xs = [x0]
    r = fn(fg, x0, gtol=gtol, max_iter=max_iter, callback=lambda x: xs.append(x.copy()))
    err = [float(np.linalg.norm(x - x_star)) for x in xs]
    return r, err


@experiment("C135", section="H", title="BFGS / L-BFGS converge superlinearly with gradients only",
            expected="reproduce",
            claim="Quasi-Newton methods (BFGS, L-BFGS) reach superlinear convergence using "
                  "gradients only.",
            design="L2-regularised logistic regression (λ = 1e-2) on standardised breast_cancer "
                   "and Rosenbrock from (−1.2, 1): the library's BFGS, L-BFGS and Armijo GD to "
                   "‖∇f‖∞ ≤ 1e-10 against scipy's BFGS / L-BFGS-B (iterations, minimiser); error "
                   "ratio ‖x_{k+1} − x*‖/‖x_k − x*‖ at the end (x* from Newton).",
            code=["whiteboard.optim.minimize:bfgs", "whiteboard.optim.minimize:lbfgs",
                  "whiteboard.optim.minimize:gradient_descent"],
            tests=["tests/optim/test_minimize.py"])
def c135(seed, quick):
    from scipy.optimize import minimize as scipy_minimize

    gtol = 1e-10
    out = []
    for name, (fg, hess, x0) in _problems().items():
        x_star = newton(fg, x0, hess, gtol=1e-14, max_iter=200).x
        row = {"problem": name}
        for method, fn, sp in (("BFGS", bfgs, "BFGS"), ("L-BFGS", lbfgs, "L-BFGS-B"),
                               ("GD", gradient_descent, None)):
            r, err = _trace(fn, fg, x0, x_star, gtol, 2000 if quick else 20000)
            ratios = [b / a for a, b in zip(err[:-1], err[1:]) if a > 1e-13]
            rec = {"nit": int(r.nit), "success": bool(r.success), "err": err,
                   "final_ratio": float(min(ratios[-3:])) if ratios else 0.0}
            if sp is not None:
                opts = {"gtol": gtol, "maxiter": 20000}
                if sp == "L-BFGS-B":
                    opts["ftol"] = 1e-15
                s = scipy_minimize(fg, x0, jac=True, method=sp, options=opts)
                rec.update(scipy_nit=int(s.nit), vs_scipy=float(np.abs(r.x - s.x).max()))
            row[method] = rec
        out.append(row)
    return {"rows": out, "gtol": gtol}


@c135.decide
def _(trials):
    rows = trials[0]["rows"]
    qn = [(r["problem"], m, r[m]) for r in rows for m in ("BFGS", "L-BFGS")]
    same_min = max(q["vs_scipy"] for _, _, q in qn)
    nit_dev = max(abs(q["nit"] - q["scipy_nit"]) / q["scipy_nit"] for _, _, q in qn)
    rosen = next(r for r in rows if r["problem"] == "Rosenbrock")
    superlinear = max(rosen[m]["final_ratio"] for m in ("BFGS", "L-BFGS"))
    gd = rosen["GD"]
    gd_linear = gd["final_ratio"] > 0.5 or not gd["success"]
    logit = rows[0]
    holds = (same_min < 1e-6 and nit_dev <= 0.2 and superlinear < 0.05 and gd_linear
             and all(q["success"] for _, _, q in qn))
    return verdict(holds,
                   f"Rosenbrock error ratio at the end: BFGS {rosen['BFGS']['final_ratio']:.1e}, "
                   f"L-BFGS {rosen['L-BFGS']['final_ratio']:.1e} vs GD {gd['final_ratio']:.3f} "
                   f"({gd['nit']} its); iterations within {nit_dev:.0%} of scipy, minimiser "
                   f"{same_min:.0e}; logistic (d = 31) end ratio BFGS "
                   f"{logit['BFGS']['final_ratio']:.2f}, "
                   f"L-BFGS {logit['L-BFGS']['final_ratio']:.2f}")


@c135.plot
def _(trials):
    import matplotlib.pyplot as plt

    rows = trials[0]["rows"]
    fig, axes = plt.subplots(1, len(rows), figsize=(9, 3.6))
    for ax, r in zip(axes, rows):
        for m in ("BFGS", "L-BFGS", "GD"):
            e = np.maximum(np.asarray(r[m]["err"]), 1e-17)
            ax.semilogy(e[:300], label=f"{m} ({r[m]['nit']} its)")
        ax.set_xlabel("iteration k")
        ax.set_ylabel("‖x_k − x*‖")
        ax.set_title(r["problem"], fontsize=9)
        ax.legend(fontsize=7)
    fig.tight_layout()
    return [fig]
