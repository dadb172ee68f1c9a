"""C72, C73: the derivatives of sigmoid and tanh, through the library's autograd.

    σ(z) = 1 / (1 + e^{−z}),   σ′(z) = σ(z)(1 − σ(z)) ≤ 1/4, with equality only at z = 0
    tanh(z) = 2σ(2z) − 1,       tanh′(z) = 1 − tanh²(z) ∈ (0, 1], equal to 1 only at z = 0

σ′ is read from ``backward`` of ``nn.functional.sigmoid`` (not from the formula), so the
experiment checks the library's gradient as well as the bound.
"""

import numpy as np

from ... import tensor
from ...nn import functional as F
from ..registry import REFUTED, experiment, verdict


def _grad(fn, z):
    x = tensor(z, requires_grad=True)
    fn(x).sum().backward()
    return x.grad.numpy()


def _grid(quick):
    return np.linspace(-10.0, 10.0, 2001 if quick else 20001)


@experiment("C72", section="E", title="Sigmoid's derivative is at most 0.25, at z = 0",
            expected="reproduce",
            claim="The sigmoid's derivative σ′(z) = σ(z)(1 − σ(z)) is at most 0.25, reached at "
                  "z = 0 (not 0.5 as one note says), and it saturates for large |z|.",
            design="σ′ from the library's autograd on a float64 grid z ∈ [−10, 10] (step 0.01 "
                   "quick, 0.001 full); grid maximum and its location, σ′(±10), and agreement "
                   "with σ(1 − σ).",
            code=["whiteboard.nn.functional:sigmoid"],
            tests=["tests/nn/test_activation.py"])
def c72(seed, quick):
    z = _grid(quick)
    d = _grad(F.sigmoid, z)
    s = 1.0 / (1.0 + np.exp(-z))
    i = int(np.argmax(d))
    step = max(1, z.size // 400)
    return {"z": z[::step].tolist(), "dsig": d[::step].tolist(),
            "max": float(d[i]), "argmax": float(z[i]),
            "at_pm10": [float(d[0]), float(d[-1])],
            "formula_err": float(np.abs(d - s * (1 - s)).max())}


@c72.decide
def _(trials):
    t = trials[0]
    holds = (abs(t["max"] - 0.25) <= 1e-12 and abs(t["argmax"]) <= 1e-9
             and max(t["at_pm10"]) < 1e-4 and t["formula_err"] <= 1e-12)
    return verdict(holds, f"max σ′ = {t['max']:.6f} at z = {t['argmax']:+.3g}; "
                          f"σ′(±10) = {max(t['at_pm10']):.1e}; |autograd − σ(1−σ)| = "
                          f"{t['formula_err']:.1e}", otherwise=REFUTED)


@c72.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot(t["z"], t["dsig"], label="σ′(z) (autograd)")
    ax.axhline(0.25, color="k", ls="--", lw=0.8, label="0.25")
    ax.axhline(0.5, color="r", ls=":", lw=0.8, label="0.5 (note 004)")
    ax.set_xlabel("z")
    ax.set_ylabel("σ′(z)")
    ax.set_title("Sigmoid derivative ≤ 1/4")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


@experiment("C73", section="E", title="tanh′ = 1 − tanh², tanh = 2σ(2x) − 1, |tanh′| ≤ 1",
            expected="reproduce",
            claim="tanh′ = 1 − tanh², tanh(x) = 2σ(2x) − 1, and |tanh′| ≤ 1.",
            design="Float64 grid x ∈ [−10, 10]; library tanh and its autograd derivative against "
                   "1 − tanh² and 2σ(2x) − 1 (library sigmoid); maximum of tanh′.",
            code=["whiteboard.nn.functional:tanh", "whiteboard.nn.functional:sigmoid"],
            tests=["tests/nn/test_activation.py"])
def c73(seed, quick):
    x = _grid(quick)
    th = F.tanh(tensor(x)).numpy()
    d = _grad(F.tanh, x)
    sig2 = F.sigmoid(tensor(2 * x)).numpy()
    step = max(1, x.size // 400)
    return {"x": x[::step].tolist(), "dtanh": d[::step].tolist(),
            "deriv_err": float(np.abs(d - (1 - th ** 2)).max()),
            "sigmoid_err": float(np.abs(th - (2 * sig2 - 1)).max()),
            "max_dtanh": float(d.max()), "argmax": float(x[int(np.argmax(d))])}


@c73.decide
def _(trials):
    t = trials[0]
    holds = (t["deriv_err"] <= 1e-12 and t["sigmoid_err"] <= 1e-12
             and t["max_dtanh"] <= 1 + 1e-15)
    return verdict(holds, f"|tanh′ − (1 − tanh²)| = {t['deriv_err']:.1e}, "
                          f"|tanh − (2σ(2x) − 1)| = {t['sigmoid_err']:.1e}, max tanh′ = "
                          f"{t['max_dtanh']:.6f}", otherwise=REFUTED)


@c73.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    x = np.asarray(t["x"])
    s = 1 / (1 + np.exp(-x))
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot(x, t["dtanh"], label="tanh′ (autograd)")
    ax.plot(x, s * (1 - s), label="σ′", ls="--")
    ax.axhline(1.0, color="k", lw=0.6)
    ax.set_xlabel("x")
    ax.set_ylabel("derivative")
    ax.set_title("tanh′ peaks at 1, four times σ′")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
