"""C120: Adadelta needs no learning rate — its update has the units of the parameters.

    E[g²]_t = ρE[g²]_{t−1} + (1 − ρ)g_t²
    Δθ_t = −(√(E[Δθ²]_{t−1} + ε) / √(E[g²]_t + ε)) · g_t
    E[Δθ²]_t = ρE[Δθ²]_{t−1} + (1 − ρ)Δθ_t²

Multiplying the objective by s multiplies g by s; the ratio g/√E[g²] does not change, so (where
ε ≪ E[g²]) the trajectory is the same for every s, whereas SGD's step η·g scales with s and needs
η re-tuned (too small: it stalls; too large: it diverges). The caveat: ε is not unit-free — the
first steps are ≈ √ε in size, so ε acts as an initial step scale. Both optimisers are the
library's ``optim.Adadelta`` (lr = 1) and ``optim.SGD``.
"""

import numpy as np

from ... import nn, tensor
from ...optim import SGD, Adadelta
from ..registry import experiment, verdict

SCALES = (1e-3, 1.0, 1e3)


def _run(make, A, b, s, steps):
    w = nn.Parameter(tensor(np.zeros(A.shape[1])))
    opt = make([w])
    At, bt = tensor(A), tensor(b)
    path = []
    with np.errstate(all="ignore"):
        for _ in range(steps):
            opt.zero_grad()
            r = At @ w - bt
            (s * (r * r).sum()).backward()
            opt.step()
            path.append(w.data.copy())
    return np.array(path)


@experiment("C120", section="H", title="Adadelta needs no learning rate (units match)",
            expected="reproduce",
            claim="Adadelta needs no learning rate: its update has the units of the parameters, "
                  "so it is invariant to the scale of the objective.",
            design="Least squares s·‖Ax − b‖², A 20×5 Gaussian, s ∈ {1e-3, 1, 1e3}, 2,000 steps "
                   "(800 quick): the library's Adadelta (lr = 1, ε = 1e-6) trajectories against "
                   "the s = 1 one; SGD with η = 1/L tuned at s = 1 reused for all s; Adadelta's "
                   "sensitivity to ε (1e-10) reported.",
            code=["whiteboard.optim:Adadelta", "whiteboard.optim:SGD"],
            tests=["tests/optim/test_optimizers.py"])
def c120(seed, quick):
    rng = np.random.default_rng(seed)
    A, b = rng.normal(size=(20, 5)), rng.normal(size=20)
    x_star = np.linalg.lstsq(A, b, rcond=None)[0]
    steps = 800 if quick else 2000
    L = 2 * float(np.linalg.eigvalsh(A.T @ A).max())
    ada = {s: _run(lambda p: Adadelta(p, lr=1.0), A, b, s, steps) for s in SCALES}
    sgd = {s: np.nan_to_num(_run(lambda p: SGD(p, lr=1.0 / L), A, b, s, steps), nan=1e150,
                            posinf=1e150, neginf=-1e150) for s in SCALES}
    small_eps = _run(lambda p: Adadelta(p, lr=1.0, eps=1e-10), A, b, 1.0, steps)
    scale = float(np.linalg.norm(x_star))

    def dist(p):
        d = float(np.linalg.norm(p[-1] - x_star) / scale)
        return d if np.isfinite(d) else 1e308

    return {"ada_dev": {str(s): float(np.abs(ada[s] - ada[1.0]).max() / scale) for s in SCALES},
            "ada_dist": {str(s): dist(ada[s]) for s in SCALES},
            "sgd_dist": {str(s): dist(sgd[s]) for s in SCALES},
            "ada_dist_eps_1e-10": dist(small_eps), "steps": steps,
            "curves": {f"Adadelta s={s:g}": np.linalg.norm(ada[s] - x_star, axis=1)[::10].tolist()
                       for s in SCALES} | {
                f"SGD s={s:g}": np.minimum(np.abs(sgd[s] - x_star).max(1), 1e6)[::10].tolist()
                for s in SCALES}}


@c120.decide
def _(trials):
    t = trials[0]
    dev = max(t["ada_dev"].values())
    sgd = t["sgd_dist"]
    sgd_retune = sgd["1000.0"] > 1 and sgd["0.001"] > 10 * max(sgd["1.0"], 1e-12)
    return verdict(dev < 0.1 and sgd_retune,
                   f"Adadelta trajectories for s = 1e-3 / 1e3 within {dev:.1e} (relative) of "
                   f"s = 1; SGD with η tuned at s = 1: relative distance {sgd['0.001']:.2f} "
                   f"(s = 1e-3, stalls), {sgd['1.0']:.0e} (s = 1), "
                   f"{'diverged' if sgd['1000.0'] > 1 else sgd['1000.0']} (s = 1e3); caveat: ε "
                   f"sets the step scale (distance {t['ada_dist']['1.0']:.2f} with ε = 1e-6, "
                   f"{t['ada_dist_eps_1e-10']:.2f} with ε = 1e-10)")


@c120.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5.8, 3.8))
    for name, c in t["curves"].items():
        ax.semilogy(np.arange(len(c)) * 10, np.maximum(c, 1e-17), label=name,
                    ls="-" if name.startswith("Ada") else "--")
    ax.set_ylim(1e-10, 1e6)
    ax.set_xlabel("step")
    ax.set_ylabel("‖θ_t − θ*‖")
    ax.set_title("Objective scaled by s: Adadelta unchanged, SGD not")
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return [fig]
