"""C114, C115: momentum accelerates along consistent directions; Nesterov overshoots less.

On f(x, y) = ½(x² + 100y²) (κ = 100, L = 100) from (1, 1) with η = 1/L:

    GD         θ ← θ − η∇f                          rate 1 − 1/κ along x (slow)
    momentum   v ← βv + ∇f,  θ ← θ − ηv             (PyTorch's form, β = 0.9)
    Nesterov   v ← βv + ∇f(θ),  θ ← θ − η(∇f + βv)  (PyTorch's nesterov=True)

Along the flat x direction consecutive gradients agree, so momentum's velocity accumulates to
≈ 1/(1 − β) = 10 times the step; along the steep y direction they alternate and cancel. Heavy-ball
momentum with β = 0.9 is under-damped on x and overshoots the minimum; Nesterov's look-ahead
gradient adds damping (the βη∇²f v term) and overshoots less. All three are the library's
``optim.SGD`` on an ``nn.Parameter``.
"""

import numpy as np

from ... import nn, tensor
from ...optim import SGD
from ..registry import experiment, verdict

H = np.array([1.0, 100.0])
METHODS = {"GD": {}, "momentum": {"momentum": 0.9}, "Nesterov": {"momentum": 0.9,
                                                                  "nesterov": True}}


def _run(kwargs, steps):
    w = nn.Parameter(tensor(np.array([1.0, 1.0])))
    opt = SGD([w], lr=1.0 / H.max(), **kwargs)
    hx = tensor(H)
    path = [w.data.copy()]
    for _ in range(steps):
        opt.zero_grad()
        (0.5 * (hx * w * w).sum()).backward()
        opt.step()
        path.append(w.data.copy())
    return np.array(path)


@experiment("C114", section="H", title="Momentum accelerates along consistent directions",
            expected="reproduce",
            claim="Momentum accelerates along directions of consistent gradient and damps "
                  "oscillation across steep directions.",
            design="f = ½(x² + 100y²) from (1, 1), η = 1/L = 0.01, 3,000 steps of the library's "
                   "SGD without momentum, with momentum 0.9 and with Nesterov: iterations until "
                   "‖θ‖ < 1e-6.",
            code=["whiteboard.optim:SGD"], tests=["tests/optim/test_optimizers.py"])
def c114(seed, quick):
    out = {}
    for name, kw in METHODS.items():
        p = _run(kw, 3000)
        r = np.linalg.norm(p, axis=1)
        below = np.flatnonzero(r < 1e-6)
        x = p[:, 0]
        out[name] = {"iters": int(below[0]) if below.size else None,
                     "path": p[:200].tolist(), "norm": r[::10].tolist(),
                     "x_sign_changes": int(np.sum(np.diff(np.sign(x[np.abs(x) > 1e-12])) != 0)),
                     "x_overshoot": float(max(0.0, -x.min()))}
    return out


@c114.decide
def _(trials):
    t = trials[0]
    it = {n: t[n]["iters"] for n in METHODS}
    holds = (it["GD"] is not None and it["momentum"] is not None
             and it["momentum"] < 0.5 * it["GD"])
    return verdict(holds, f"iterations to ‖θ‖ < 1e-6: GD {it['GD']}, momentum {it['momentum']}, "
                          f"Nesterov {it['Nesterov']}")


def _paths_figure(t, title):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    g = np.linspace(-1.2, 1.2, 81)
    Xg, Yg = np.meshgrid(g, g)
    axes[0].contour(Xg, Yg, 0.5 * (Xg ** 2 + 100 * Yg ** 2), levels=20, linewidths=0.4,
                    colors="grey")
    for n in METHODS:
        p = np.asarray(t[n]["path"])
        axes[0].plot(p[:, 0], p[:, 1], lw=0.9, label=n)
        axes[1].semilogy(np.arange(len(t[n]["norm"])) * 10, np.maximum(t[n]["norm"], 1e-17),
                         label=n)
    axes[0].set_xlabel("x (flat, curvature 1)")
    axes[0].set_ylabel("y (steep, curvature 100)")
    axes[0].set_title(title)
    axes[0].legend(fontsize=8)
    axes[1].set_xlabel("step")
    axes[1].set_ylabel("‖θ_t‖")
    axes[1].set_title("distance to the minimum")
    fig.tight_layout()
    return [fig]


@c114.plot
def _(trials):
    return _paths_figure(trials[0], "first 200 steps")


@experiment("C115", section="H", title="Nesterov's look-ahead overshoots less than momentum",
            expected="reproduce",
            claim="Nesterov's look-ahead gradient reduces overshoot compared with classical "
                  "momentum.",
            design="The C114 runs (f = ½(x² + 100y²), η = 0.01, β = 0.9): sign changes and the "
                   "largest overshoot past 0 of the flat coordinate x, momentum vs Nesterov.",
            code=["whiteboard.optim:SGD"], tests=["tests/optim/test_optimizers.py"])
def c115(seed, quick):
    return c114.run(seed, quick)


@c115.decide
def _(trials):
    t = trials[0]
    m, n = t["momentum"], t["Nesterov"]
    holds = n["x_overshoot"] < m["x_overshoot"] and n["x_sign_changes"] <= m["x_sign_changes"]
    return verdict(holds, f"overshoot of x: momentum {m['x_overshoot']:.3f} "
                          f"({m['x_sign_changes']} sign changes), Nesterov "
                          f"{n['x_overshoot']:.3f} ({n['x_sign_changes']})")


@c115.plot
def _(trials):
    return _paths_figure(trials[0], "momentum vs Nesterov overshoot")
