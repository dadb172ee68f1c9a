"""C119: RMSprop damps oscillations and tolerates a larger learning rate than plain SGD.

On f = ½(x² + κy²) GD multiplies the high-curvature coordinate by (1 − ηκ) per step: it
oscillates (sign flips) for η > 1/κ and diverges for η > 2/κ. RMSprop keeps
v ← αv + (1 − α)g², θ ← θ − η g/(√v + ε), so each coordinate's step is ≈ η·g/rms(g): bounded by
≈ η/√(1 − α) whatever the curvature, which removes the 2/κ limit (the iterate ends in a band of
width ∝ η instead of blowing up). The experiment measures the largest learning rate that does not
diverge in 200 steps, on that quadratic (κ = 100) and on an MLP on digits, and counts the sign
flips of y at a common learning rate.
"""

import numpy as np

from ... import nn, tensor
from ...optim import SGD, RMSprop
from ..registry import experiment, verdict
from ._common_claims_ad import digits_split
from ._common_claims_eh import mlp
from ._common_claims_gh import full_loss, train_steps

KAPPA = 100.0
GRID = [float(v) for v in 10.0 ** np.arange(-3.0, 1.01, 0.25)]
OPTS = {"SGD": SGD, "RMSprop": RMSprop}


def _quadratic(cls, lr, steps=200):
    w = nn.Parameter(tensor(np.array([1.0, 1.0])))
    opt = cls([w], lr=lr)
    path = [w.data.copy()]
    for _ in range(steps):
        opt.zero_grad()
        (0.5 * (w[0] * w[0] + KAPPA * w[1] * w[1])).backward()
        opt.step()
        path.append(w.data.copy())
        if not np.all(np.isfinite(w.data)) or np.abs(w.data).max() > 1e6:
            break
    return np.asarray(path)


def _f(p):
    return 0.5 * (p[0] ** 2 + KAPPA * p[1] ** 2)


def _max_stable(stable):
    ok = [lr for lr, s in zip(GRID, stable) if s]
    return max(ok) if ok else 0.0


@experiment("C119", section="H", title="RMSprop tolerates a larger learning rate than SGD",
            expected="reproduce",
            claim="RMSprop damps oscillations and tolerates a larger learning rate than plain SGD.",
            design="f = ½(x² + 100y²) from (1, 1) and an MLP 64-64-10 on digits (batch 64), SGD "
                   "(no momentum) vs RMSprop (α = 0.99), lr on a quarter-decade grid 1e-3 … 10; "
                   "stable = finite and below the starting loss after 200 steps (MLP: 150, "
                   "quick 40). Evidence: largest stable lr of each, and sign flips of y in 200 "
                   "steps at lr = 0.018 (just under SGD's 2/κ limit).",
            code=["whiteboard.optim:RMSprop", "whiteboard.optim:SGD"],
            tests=["tests/optim/test_optimizers.py"])
def c119(seed, quick):
    out = {"grid": GRID, "quadratic": {}, "mlp": {}}
    for name, cls in OPTS.items():
        stable = []
        for lr in GRID:
            p = _quadratic(cls, lr)
            stable.append(bool(len(p) == 201 and _f(p[-1]) < _f(p[0])))
        path = _quadratic(cls, 0.018)
        y = path[:, 1]
        out["quadratic"][name] = {"stable": stable, "max_stable_lr": _max_stable(stable),
                                  "sign_flips": int(np.sum(np.sign(y[1:]) != np.sign(y[:-1]))),
                                  "final_f": float(_f(path[-1])),
                                  "path": path[:80].tolist()}
    Xtr, _, ytr, _ = digits_split()
    steps = 40 if quick else 150
    for name, cls in OPTS.items():
        stable = []
        for lr in GRID:
            model = mlp((64, 64, 10), seed=seed)
            start = full_loss(model, Xtr, ytr)
            train_steps(model, Xtr, ytr, lambda q, lr=lr, cls=cls: cls(q, lr=lr), steps=steps,
                        batch_size=64, seed=seed)
            stable.append(bool(full_loss(model, Xtr, ytr) < start))
        out["mlp"][name] = {"stable": stable, "max_stable_lr": _max_stable(stable)}
    return out


@c119.decide
def _(trials):
    t = trials[0]
    q, m = t["quadratic"], t["mlp"]
    rq = q["RMSprop"]["max_stable_lr"] / max(q["SGD"]["max_stable_lr"], 1e-12)
    rm = m["RMSprop"]["max_stable_lr"] / max(m["SGD"]["max_stable_lr"], 1e-12)
    flips = (q["SGD"]["sign_flips"], q["RMSprop"]["sign_flips"])
    holds = rq > 1 and rm > 1 and flips[1] < flips[0]
    return verdict(holds, f"largest stable lr RMSprop/SGD: quadratic "
                          f"{q['RMSprop']['max_stable_lr']:.3g}/{q['SGD']['max_stable_lr']:.3g} "
                          f"(×{rq:.0f}), digits MLP "
                          f"{m['RMSprop']['max_stable_lr']:.3g}/{m['SGD']['max_stable_lr']:.3g} "
                          f"(×{rm:.2g}); sign flips of y at lr 0.018 SGD {flips[0]} vs RMSprop "
                          f"{flips[1]}")


@c119.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.8))
    xs = np.linspace(-1.1, 1.1, 200)
    X, Y = np.meshgrid(xs, xs)
    a1.contour(X, Y, 0.5 * (X ** 2 + KAPPA * Y ** 2), levels=15, colors="0.8", linewidths=0.6)
    for name, r in t["quadratic"].items():
        p = np.asarray(r["path"])
        a1.plot(p[:, 0], p[:, 1], ".-", ms=3, lw=0.8, label=f"{name} lr 0.018")
    a1.set_xlabel("x (curvature 1)")
    a1.set_ylabel("y (curvature 100)")
    a1.set_title("f = ½(x² + 100y²)")
    a1.legend(fontsize=8)
    for k, (prob, mk) in enumerate((("quadratic", "o"), ("mlp", "s"))):
        for name, r in t[prob].items():
            a2.semilogx(t["grid"], np.asarray(r["stable"], float) + 0.04 * k
                        + (0.02 if name == "RMSprop" else 0), mk + "-", ms=4,
                        label=f"{name}, {prob}")
    a2.set_xlabel("learning rate")
    a2.set_ylabel("stable (1) / diverged (0)")
    a2.set_title("Stability vs learning rate")
    a2.legend(fontsize=7)
    fig.tight_layout()
    return [fig]
