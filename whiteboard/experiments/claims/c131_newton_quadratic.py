"""C131: Newton's method solves a convex quadratic in one step whatever its conditioning.

For f(x) = ½xᵀAx − bᵀx with A symmetric positive definite, ∇f = Ax − b and ∇²f = A, so the
Newton step from any x₀ is

    x₁ = x₀ − A⁻¹(Ax₀ − b) = A⁻¹b = x*,

independent of the condition number κ = λ_max/λ_min. Steepest descent contracts the error by
about (κ − 1)/(κ + 1) per step, so it needs O(κ log(1/ε)) iterations: the count grows linearly
in κ. Both are the library's ``optim.newton`` and ``optim.gradient_descent`` (Armijo
backtracking), stopped at ‖∇f‖_∞ ≤ 1e-8.
"""

import numpy as np

from ...optim import gradient_descent, newton
from ..registry import REFUTED, experiment, verdict

KAPPAS = (10, 100, 1000)


def _quadratic(kappa, d, rng):
    Q = np.linalg.qr(rng.normal(size=(d, d)))[0]
    A = (Q * np.geomspace(1.0, kappa, d)) @ Q.T
    A = 0.5 * (A + A.T)
    return A, rng.normal(size=d)


@experiment("C131", section="H", title="Newton needs one step on a quadratic, GD ∝ κ",
            expected="reproduce",
            claim="Newton's method adapts to curvature (no step size to tune): on a quadratic it "
                  "needs one step regardless of the conditioning, while gradient descent's "
                  "iteration count grows with the condition number.",
            design="Random SPD quadratics, d = 20, eigenvalues geometric in [1, κ], "
                   "κ ∈ {10, 100, 1000}, from x₀ = 0: iterations of the library's Newton and "
                   "Armijo gradient descent to ‖∇f‖_∞ ≤ 1e-8; linear fit of GD iterations "
                   "against κ (log–log slope ≈ 1).",
            code=["whiteboard.optim.minimize:newton",
                  "whiteboard.optim.minimize:gradient_descent"],
            tests=["tests/optim/test_minimize.py"])
def c131(seed, quick):
    rng = np.random.default_rng(seed)
    d = 20
    rows = []
    for kappa in KAPPAS:
        A, b = _quadratic(kappa, d, rng)
        x_star = np.linalg.solve(A, b)

        def fg(x, A=A, b=b):
            return 0.5 * x @ A @ x - b @ x, A @ x - b

        gd = gradient_descent(fg, np.zeros(d), gtol=1e-8, max_iter=200 * kappa)
        nt = newton(fg, np.zeros(d), lambda x, A=A: A, gtol=1e-8)
        rows.append({"kappa": kappa, "gd_iters": int(gd.nit), "gd_success": bool(gd.success),
                     "newton_iters": int(nt.nit),
                     "newton_err": float(np.linalg.norm(nt.x - x_star) / np.linalg.norm(x_star))})
    k = np.log([r["kappa"] for r in rows])
    slope = float(np.polyfit(k, np.log([r["gd_iters"] for r in rows]), 1)[0])
    return {"rows": rows, "gd_loglog_slope": slope}


@c131.decide
def _(trials):
    rows = trials[0]["rows"]
    slope = trials[0]["gd_loglog_slope"]
    newton_one = all(r["newton_iters"] == 1 and r["newton_err"] < 1e-10 for r in rows)
    gd_grows = all(r["gd_success"] for r in rows) and 0.7 <= slope <= 1.3
    return verdict(newton_one and gd_grows,
                   f"Newton iterations {[r['newton_iters'] for r in rows]} for κ = "
                   f"{[r['kappa'] for r in rows]}; GD {[r['gd_iters'] for r in rows]} "
                   f"(log–log slope {slope:.2f})", otherwise=REFUTED)


@c131.plot
def _(trials):
    import matplotlib.pyplot as plt

    rows = trials[0]["rows"]
    k = [r["kappa"] for r in rows]
    fig, ax = plt.subplots(figsize=(5, 3.6))
    ax.loglog(k, [r["gd_iters"] for r in rows], "o-", label="gradient descent")
    ax.loglog(k, [r["newton_iters"] for r in rows], "s-", label="Newton")
    ax.set_xlabel("condition number κ")
    ax.set_ylabel("iterations to ‖∇f‖∞ ≤ 1e-8")
    ax.set_title("Quadratic: Newton 1 step, GD ∝ κ")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
