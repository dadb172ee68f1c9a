"""C123, C124: escaping saddle points and poor local minima.

C123. f(x, y) = x² − y² + y⁴/4 has a saddle at (0, 0) and minima at (0, ±√2). From
(1, 10⁻⁶), gradient descent multiplies y by (1 + 2η) per step, so with η = 0.01 it needs
≈ ln(10⁶)/ln(1.02) ≈ 700 steps to leave; momentum compounds the growth, noise kicks y off
10⁻⁶ at once, and RMSprop/Adam divide the tiny gradient by its own running scale, taking
steps of ≈ η whatever its size.

C124 (E44 of the errata). f(x) = x⁴ − 2x² + 0.3x has a local minimum near x = 0.96 and the global
one near x = −1.04. Full-batch GD with a small step from x₀ ∈ [0.3, 2] stays in the basin it
starts in (never the global minimum); momentum can carry the iterate over the barrier and
gradient noise can kick it across. All optimisers are the library's (``optim.SGD``,
``RMSprop``, ``Adam``) on ``nn.Parameter``; the noise is added to ``.grad`` before ``step``.
"""

import numpy as np

from ... import nn, tensor
from ...optim import SGD, Adam, RMSprop
from ..registry import experiment, verdict

LR = 0.01


def _optimizer(name, params):
    if name in ("GD", "noisy GD"):
        return SGD(params, lr=LR)
    if name == "momentum":
        return SGD(params, lr=LR, momentum=0.9)
    if name == "RMSprop":
        return RMSprop(params, lr=LR)
    return Adam(params, lr=LR)


def _saddle_escape(name, seed, steps=3000, noise=0.01):
    rng = np.random.default_rng(seed)
    w = nn.Parameter(tensor(np.array([1.0, 1e-6])))
    opt = _optimizer(name, [w])
    for t in range(steps):
        if abs(w.data[1]) > 1:
            return t
        opt.zero_grad()
        x, y = w[0], w[1]
        (x * x - y * y + y ** 4 / 4).backward()
        if name == "noisy GD":
            w.grad.data += rng.normal(0, noise, 2)
        opt.step()
    return None


SADDLE_METHODS = ("GD", "momentum", "noisy GD", "RMSprop", "Adam")


@experiment("C123", section="H", title="Momentum, noise and adaptive steps escape saddles faster",
            expected="reproduce",
            claim="Plain (stochastic) gradient descent can get stuck near saddle points; "
                  "momentum, gradient noise and adaptive methods escape faster.",
            design="f = x² − y² + y⁴/4 from (1, 1e-6), lr 0.01: steps until |y| > 1 for the "
                   "library's SGD, SGD momentum 0.9, SGD with N(0, 0.01²) gradient noise, "
                   "RMSprop and Adam (noisy GD over 5 seeds).",
            code=["whiteboard.optim:SGD", "whiteboard.optim:RMSprop", "whiteboard.optim:Adam"],
            tests=["tests/optim/test_optimizers.py"], seeds=5)
def c123(seed, quick):
    return {m: _saddle_escape(m, seed) for m in SADDLE_METHODS}


@c123.decide
def _(trials):
    gd = trials[0]["GD"]
    others = {m: [t[m] for t in trials] for m in SADDLE_METHODS if m != "GD"}
    # faster beyond seed noise: mean + 2 sd of the escape time below GD's (deterministic) one
    faster = gd is not None and all(None not in vs and np.mean(vs) + 2 * np.std(vs) < gd
                                    for vs in others.values())
    return verdict(faster, f"steps to |y| > 1: GD {gd}, " + ", ".join(
        f"{m} {np.mean(v):.0f} ± {np.std(v):.0f}" if None not in v else f"{m} never"
        for m, v in others.items()))


@c123.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    vals = [np.mean([t[m] if t[m] is not None else 3000 for t in trials]) for m in SADDLE_METHODS]
    ax.bar(range(len(vals)), vals)
    ax.set_xticks(range(len(vals)))
    ax.set_xticklabels(SADDLE_METHODS, fontsize=8)
    ax.set_xlabel("optimiser (lr 0.01)")
    ax.set_ylabel("steps to leave the saddle (|y| > 1)")
    ax.set_title("f = x² − y² + y⁴/4 from (1, 1e-6)")
    fig.tight_layout()
    return [fig]


MINIMA_METHODS = ("GD", "momentum", "noisy GD")


def _minima(name, seed, steps, noise=10.0):
    rng = np.random.default_rng(seed)
    x0 = np.linspace(0.3, 2.0, 200)
    w = nn.Parameter(tensor(x0.copy()))
    opt = SGD([w], lr=LR, momentum=0.9) if name == "momentum" else SGD([w], lr=LR)
    for t in range(steps):
        opt.zero_grad()
        (w ** 4 - 2 * w * w + 0.3 * w).sum().backward()
        if name == "noisy GD":
            # noise annealed to 0 over the first half, then plain GD settles in a basin
            w.grad.data += rng.normal(0, noise * max(0.0, 1 - 2 * t / steps), x0.size)
        opt.step()
    return float(np.mean(w.data < 0)), w.data.tolist()


@experiment("C124", section="H", title="Noise and momentum can leave poor local minima; GD cannot",
            expected="reproduce", errata=["E44"],
            claim="Gradient noise and momentum can escape poor local minima; full-batch gradient "
                  "descent cannot.",
            design="f = x⁴ − 2x² + 0.3x, 200 starts evenly in [0.3, 2] (the local basin and "
                   "beyond), lr 0.01, 2,000 steps: fraction ending at the global minimum "
                   "(x < 0) for the library's SGD, SGD momentum 0.9 and SGD with N(0, 10²) "
                   "gradient noise annealed to 0.",
            code=["whiteboard.optim:SGD"], tests=["tests/optim/test_optimizers.py"])
def c124(seed, quick):
    out = {}
    for m in MINIMA_METHODS:
        frac, final = _minima(m, seed, 1000 if quick else 2000)
        out[m] = {"global_fraction": frac, "final": final}
    return out


@c124.decide
def _(trials):
    f = {m: trials[0][m]["global_fraction"] for m in MINIMA_METHODS}
    return verdict(f["GD"] == 0 and f["momentum"] > 0 and f["noisy GD"] > 0,
                   "fraction of 200 starts ending in the global minimum: " + ", ".join(
                       f"{m} {f[m]:.0%}" for m in MINIMA_METHODS))


@c124.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    x0 = np.linspace(0.3, 2.0, 200)
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
    g = np.linspace(-1.8, 2.1, 300)
    axes[0].plot(g, g ** 4 - 2 * g ** 2 + 0.3 * g, "k")
    axes[0].set_xlabel("x")
    axes[0].set_ylabel("f(x) = x⁴ − 2x² + 0.3x")
    axes[0].set_title("two basins")
    for m in MINIMA_METHODS:
        axes[1].plot(x0, t[m]["final"], ".", ms=3, label=m)
    axes[1].set_xlabel("start x₀")
    axes[1].set_ylabel("final x")
    axes[1].set_title("where each start ends")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    return [fig]
