"""C104: smooth L1 is robust to outliers (unlike L2) and converges smoothly near 0 (unlike L1).

For residual r and β > 0 (Fast R-CNN's smooth L1 / PyTorch's ``smooth_l1_loss``):

    L2:        r²                          ∂/∂r = 2r           (outliers dominate)
    L1:        |r|                         ∂/∂r = sign(r)      (no decay near 0: fixed-step GD
                                                                 keeps oscillating)
    smooth L1: r²/(2β) if |r| < β,  |r| − β/2 otherwise
                                           ∂/∂r = clip(r/β, −1, 1)   (bounded, → 0 at 0)

Full-batch GD with a fixed step on a linear regression with 10 % gross outliers: the library's
``F.mse_loss``, ``F.l1_loss`` and ``F.smooth_l1_loss`` through autograd and ``optim.SGD``.
"""

import numpy as np

from ... import nn, tensor
from ...nn import functional as F
from ...optim import SGD
from ..registry import experiment, verdict

LOSSES = {"L2": F.mse_loss, "L1": F.l1_loss,
          "smooth L1 (β = 1)": lambda a, b: F.smooth_l1_loss(a, b, beta=1.0)}


@experiment("C104", section="G", title="Smooth L1: robust like L1, smooth near 0 like L2",
            expected="reproduce",
            claim="Smooth L1 is robust to outliers (compared with L2) and converges more smoothly "
                  "than L1 near 0.",
            design="y = Xw + N(0, 0.1²), n = 200, d = 5, 10 % of y shifted by +30; full-batch GD "
                   "(optim.SGD, lr 0.05, 1,500 steps, 600 quick) on L2, L1 and smooth L1 "
                   "(β = 1): ‖ŵ − w_true‖, sd of the loss over the last 100 steps, and the "
                   "largest per-example |∂ℓ/∂r| of smooth L1.",
            code=["whiteboard.nn.functional:smooth_l1_loss", "whiteboard.nn.functional:l1_loss",
                  "whiteboard.nn.functional:mse_loss", "whiteboard.optim:SGD"],
            tests=["tests/nn/test_loss.py"], seeds=3)
def c104(seed, quick):
    rng = np.random.default_rng(seed)
    n, d = 200, 5
    X = rng.normal(size=(n, d))
    w_true = rng.normal(size=d)
    y = X @ w_true + 0.1 * rng.normal(size=n)
    y[rng.choice(n, n // 10, replace=False)] += 30.0
    steps = 600 if quick else 1500
    out = {}
    for name, loss_fn in LOSSES.items():
        w = nn.Parameter(tensor(np.zeros(d)))
        opt = SGD([w], lr=0.05)
        losses = []
        for _ in range(steps):
            opt.zero_grad()
            loss = loss_fn(tensor(X) @ w, tensor(y))
            loss.backward()
            opt.step()
            losses.append(float(loss.item()))
        out[name] = {"w_err": float(np.linalg.norm(w.data - w_true)),
                     "tail_sd": float(np.std(losses[-100:])),
                     "losses": losses[::5]}
    r = tensor(np.linspace(-50, 50, 1001), requires_grad=True)
    F.smooth_l1_loss(r, tensor(np.zeros(1001)), beta=1.0, reduction="sum").backward()
    out["smooth_max_grad"] = float(np.abs(r.grad.numpy()).max())
    return out


@c104.decide
def _(trials):
    m = {k: {q: float(np.mean([t[k][q] for t in trials])) for q in ("w_err", "tail_sd")}
         for k in LOSSES}
    s = "smooth L1 (β = 1)"
    robust = m[s]["w_err"] < 0.2 * m["L2"]["w_err"]
    smooth = m[s]["tail_sd"] < 0.1 * m["L1"]["tail_sd"]
    bounded = max(t["smooth_max_grad"] for t in trials) <= 1.0
    return verdict(robust and smooth and bounded,
                   f"‖ŵ − w‖: L2 {m['L2']['w_err']:.2f}, L1 {m['L1']['w_err']:.3f}, smooth L1 "
                   f"{m[s]['w_err']:.3f}; sd of the loss over the last 100 steps: L1 "
                   f"{m['L1']['tail_sd']:.1e}, smooth L1 {m[s]['tail_sd']:.1e}; max |∂ℓ/∂r| "
                   f"{max(t['smooth_max_grad'] for t in trials):.2f}")


@c104.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5.2, 3.7))
    for k in LOSSES:
        v = np.asarray(t[k]["losses"])
        ax.semilogy(np.arange(v.size) * 5, np.abs(v - v.min()) + 1e-12, label=k)
    ax.set_xlabel("GD step")
    ax.set_ylabel("loss − its minimum over the run")
    ax.set_title("10 % outliers: L1 oscillates, smooth L1 settles")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
