"""C101: with a sigmoid output, the MSE gradient first grows then shrinks as the error grows.

For a = σ(z), target y = 1:

    MSE  L = ½(a − 1)²           ∂L/∂z = (a − 1)·σ′(z) = −(1 − a)² a
    CE   L = −log a              ∂L/∂z = a − 1

|∂L/∂z| of MSE is (1 − a)²a, maximal at a = 1/3 (z = −ln 2, value 4/27 ≈ 0.148) and vanishing
as z → −∞ (the output saturates on the wrong side: the larger the error, the smaller the
update), whereas CE's |a − 1| grows monotonically to 1. Gradients are taken by the library's
autograd through ``F.sigmoid``, ``F.mse_loss`` and ``F.binary_cross_entropy_with_logits``.
"""

import numpy as np

from ... import tensor
from ...nn import functional as F
from ..registry import REFUTED, experiment, verdict

CHECK_Z = (0.0, -2.0, -8.0)


def _grads(z):
    zt = tensor(z, requires_grad=True)
    (0.5 * F.mse_loss(F.sigmoid(zt), tensor(np.ones_like(z)), reduction="sum")).backward()
    g_mse = np.abs(zt.grad.numpy())
    zc = tensor(z, requires_grad=True)
    F.binary_cross_entropy_with_logits(zc, tensor(np.ones_like(z)), reduction="sum").backward()
    return g_mse, np.abs(zc.grad.numpy())


@experiment("C101", section="G", title="MSE + sigmoid: the gradient grows then shrinks with error",
            expected="reproduce",
            claim="For MSE with a sigmoid output the gradient first grows and then shrinks as the "
                  "error grows; cross-entropy's gradient keeps growing.",
            design="Target 1, z on a float64 grid [−10, 10]: |∂L/∂z| of ½(σ(z) − 1)² and of "
                   "BCE-with-logits by the library's autograd; the MSE maximum's location and "
                   "value against −ln 2 and 4/27; values at z = 0, −2, −8; CE monotone.",
            code=["whiteboard.nn.functional:mse_loss", "whiteboard.nn.functional:sigmoid",
                  "whiteboard.nn.functional:binary_cross_entropy_with_logits"],
            tests=["tests/nn/test_loss.py"])
def c101(seed, quick):
    z = np.linspace(-10.0, 10.0, 20001)
    g_mse, g_ce = _grads(z)
    i = int(np.argmax(g_mse))
    at_mse, at_ce = _grads(np.array(CHECK_Z))
    step = 50
    return {"z": z[::step].tolist(), "mse": g_mse[::step].tolist(), "ce": g_ce[::step].tolist(),
            "mse_argmax": float(z[i]), "mse_max": float(g_mse[i]),
            "at": {"z": list(CHECK_Z), "mse": at_mse.tolist(), "ce": at_ce.tolist()},
            "ce_monotone": bool(np.all(np.diff(g_ce) <= 0))}


@c101.decide
def _(trials):
    t = trials[0]
    peak_ok = abs(t["mse_argmax"] + np.log(2)) < 2e-3 and abs(t["mse_max"] - 4 / 27) < 1e-6
    m, c = t["at"]["mse"], t["at"]["ce"]
    shrinks = m[0] > m[1] > m[2] and m[2] < 1e-3
    return verdict(peak_ok and shrinks and t["ce_monotone"],
                   f"|∂L/∂z| MSE {m[0]:.4f} / {m[1]:.4f} / {m[2]:.1e} at z = 0 / −2 / −8 "
                   f"(peak {t['mse_max']:.4f} at z = {t['mse_argmax']:.3f}); CE {c[0]:.2f} / "
                   f"{c[1]:.2f} / {c[2]:.4f}", otherwise=REFUTED)


@c101.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.6))
    ax.plot(t["z"], t["mse"], label="MSE: (1 − σ)²σ")
    ax.plot(t["z"], t["ce"], label="CE: 1 − σ")
    ax.axvline(-np.log(2), color="k", ls=":", lw=0.8)
    ax.set_xlabel("logit z (target 1; error grows to the left)")
    ax.set_ylabel("|∂L/∂z|")
    ax.set_title("Sigmoid output: MSE's gradient vanishes when wrong")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
