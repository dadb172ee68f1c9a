"""C132, C134: what the Hessian does in Newton's method.

C132 (E53 of the errata). Newton's step is p = −H⁻¹∇f; the step shrinks near a minimiser because
∇f → 0, not because H⁻¹ does. H⁻¹ tends to ∇²f(x*)⁻¹ (a constant) — or grows without bound
where the minimiser is degenerate: for f = x⁴, H = 12x² and Newton gives x_{k+1} = 2x_k/3, so
H⁻¹ = 1/(12x_k²) grows by 9/4 per step. On logistic regression from w = 0, σ′ shrinks as the fit
sharpens, so H = Xᵀdiag(p(1 − p))X/n + λI decreases and ‖H⁻¹‖ grows to its limit.

C134. On f(x, y) = x² − y² (a saddle, H = diag(2, −2) indefinite) the pure Newton step
x − H⁻¹∇f = 0 lands on the saddle from any start in one step; gradient descent moves away along
y (the descent direction); the library's ``optim.newton`` flips the negative eigenvalue
(B = Q|Λ|Qᵀ) so its direction descends and it also leaves the saddle.
"""

import numpy as np

from ...optim import gradient_descent, newton
from ._common_claims_eh import breast_cancer_logreg as _breast_cancer_logreg
from ..registry import REFUTED, experiment, verdict


def _newton_trace(fg, hess, x0, steps):
    xs = [np.array(x0, dtype=np.float64)]
    newton(fg, x0, hess, gtol=0.0, max_iter=steps, callback=lambda x: xs.append(x.copy()))
    inv = [float(np.linalg.norm(np.linalg.inv(np.atleast_2d(hess(x))), 2)) for x in xs]
    step = [float(np.linalg.norm(b - a)) for a, b in zip(xs[:-1], xs[1:])]
    return inv, step


@experiment("C132", section="H", title="The inverse Hessian shrinks during Newton's iterations",
            expected="refute", errata=["E53"],
            claim="The inverse Hessian shrinks during Newton's iterations (which is why the steps "
                  "get smaller).",
            design="‖H⁻¹‖₂ and the step length along the library's Newton on f = x⁴ from x = 1 "
                   "(6 steps) and on L2-regularised logistic regression (λ = 1e-2, breast_cancer, "
                   "from w = 0, 8 steps).",
            code=["whiteboard.optim.minimize:newton"],
            tests=["tests/optim/test_minimize.py"])
def c132(seed, quick):
    quartic = _newton_trace(lambda x: (float(x[0] ** 4), 4 * x ** 3),
                            lambda x: np.array([[12 * x[0] ** 2]]), np.array([1.0]), 6)
    logit = _newton_trace(*_breast_cancer_logreg(), 8)
    return {"x4": {"inv_hess": quartic[0], "step": quartic[1]},
            "logistic": {"inv_hess": logit[0], "step": logit[1]}}


@c132.decide
def _(trials):
    t = trials[0]
    g4 = t["x4"]["inv_hess"][-1] / t["x4"]["inv_hess"][0]
    gl = t["logistic"]["inv_hess"][-1] / t["logistic"]["inv_hess"][0]
    steps_shrink = t["logistic"]["step"][-1] < 1e-3 * t["logistic"]["step"][0]
    # the note holds only if ‖H⁻¹‖ decreases along the iterations
    return verdict(g4 < 0.5 and gl < 0.5,
                   f"‖H⁻¹‖ final/initial: x⁴ {t['x4']['inv_hess'][0]:.3f} → "
                   f"{t['x4']['inv_hess'][-1]:.2f} (×{g4:.0f}), logistic ×{gl:.2f}, while the "
                   f"logistic step shrinks {'×1e-3 and more' if steps_shrink else 'little'}",
                   otherwise=REFUTED)


@c132.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.5))
    for ax, key, title in zip(axes, ("x4", "logistic"), ("f = x⁴", "logistic regression")):
        ax.semilogy(t[key]["inv_hess"], "o-", label="‖H⁻¹‖₂")
        ax.semilogy(range(1, len(t[key]["step"]) + 1), np.maximum(t[key]["step"], 1e-17),
                    "s--", label="‖x_{k+1} − x_k‖")
        ax.set_xlabel("Newton iteration k")
        ax.set_ylabel("value")
        ax.set_title(title)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


def _saddle(v):
    x, y = v
    return float(x * x - y * y), np.array([2 * x, -2 * y])


def _saddle_hess(v):
    return np.diag([2.0, -2.0])


@experiment("C134", section="H", title="Newton needs a positive-definite Hessian",
            expected="reproduce",
            claim="Newton's method needs a positive-definite Hessian: otherwise it can be "
                  "attracted to a saddle point.",
            design="f = x² − y² from 20 random starts in [−2, 2]²: distance to the saddle after "
                   "one pure Newton step x − H⁻¹∇f; |y| after 50 steps of gradient descent "
                   "(library, Armijo) and of the library's safeguarded Newton (10 iterations).",
            code=["whiteboard.optim.minimize:newton",
                  "whiteboard.optim.minimize:gradient_descent"],
            tests=["tests/optim/test_minimize.py"])
def c134(seed, quick):
    rng = np.random.default_rng(seed)
    starts = rng.uniform(-2, 2, size=(20, 2))
    H = _saddle_hess(None)
    pure = [float(np.linalg.norm(s - np.linalg.solve(H, _saddle(s)[1]))) for s in starts]
    gd, safe = [], []
    for s in starts:
        with np.errstate(all="ignore"):
            gd.append(float(abs(gradient_descent(_saddle, s, max_iter=50, gtol=0.0).x[1])))
            safe.append(float(abs(newton(_saddle, s, _saddle_hess, max_iter=10,
                                         gtol=0.0).x[1])))
    return {"starts": starts.tolist(), "pure_newton_dist": pure, "gd_abs_y": gd,
            "safe_newton_abs_y": safe}


@c134.decide
def _(trials):
    t = trials[0]
    pure = max(t["pure_newton_dist"])
    gd = min(t["gd_abs_y"])
    safe = min(t["safe_newton_abs_y"])
    start = min(abs(s[1]) for s in t["starts"])
    return verdict(pure < 1e-12 and gd > 10 * start and safe > 10 * start,
                   f"pure Newton lands on the saddle: max distance {pure:.0e} after one step; "
                   f"min |y| after GD {gd:.2g}, after safeguarded Newton {safe:.2g} (start ≥ "
                   f"{start:.2g})", otherwise=REFUTED)


@c134.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    s = np.asarray(t["starts"])
    fig, ax = plt.subplots(figsize=(4.6, 4))
    g = np.linspace(-2.2, 2.2, 101)
    Xg, Yg = np.meshgrid(g, g)
    ax.contour(Xg, Yg, Xg ** 2 - Yg ** 2, levels=15, cmap="coolwarm", linewidths=0.6)
    for p in s:
        ax.annotate("", xy=(0, 0), xytext=p, arrowprops={"arrowstyle": "->", "lw": 0.6})
    ax.scatter(s[:, 0], s[:, 1], s=10, label="starts → pure Newton step")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title("f = x² − y²: Newton jumps to the saddle")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return [fig]
