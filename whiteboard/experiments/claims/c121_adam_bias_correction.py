"""C121: Adam = RMSprop's second moment + momentum's first moment + bias correction.

    m_t = β₁m_{t−1} + (1 − β₁)g_t,  v_t = β₂v_{t−1} + (1 − β₂)g_t²,  m̂ = m_t/(1 − β₁ᵗ),
    v̂ = v_t/(1 − β₂ᵗ),  θ_t = θ_{t−1} − lr·m̂/(√v̂ + ε)

Because m₀ = v₀ = 0, the raw moments are biased towards 0 early on. At t = 1, m₁ = 0.1g and
v₁ = 0.001g², so without correction the step is lr·0.1g/(√0.001|g|) = √10·lr·sign(g)
≈ 3.16·lr·sign(g), while with correction it is lr·sign(g) (E103/E51). The library's
``optim.Adam`` is compared step for step with ``torch.optim.Adam`` on an MLP for digits; the
uncorrected first step is the formula above applied to the same gradient.
"""

import numpy as np

from ... import nn, tensor
from ...optim import Adam
from ._common_claims_eh import digits_split, mlp
from ..registry import REFUTED, experiment, verdict


@experiment("C121", section="H", title="Adam's bias correction matters in the first steps",
            expected="reproduce", errata=["E51", "E103"],
            claim="Adam = RMSprop + momentum + bias correction; the bias correction matters in "
                  "the first steps.",
            design="MLP 64-32-10 on 256 digits, float64, lr 1e-3: the library's Adam vs "
                   "torch.optim.Adam from the same weights for 50 steps (20 quick), maximum "
                   "parameter difference; first-step size |Δθ|/lr with the library (corrected) "
                   "and by the uncorrected formula on the same gradient.",
            code=["whiteboard.optim:Adam"], tests=["tests/optim/test_optimizers.py"])
def c121(seed, quick):
    import torch

    Xtr, _, ytr, _ = digits_split(seed, n_train=256)
    model = mlp((64, 32, 10), nn.ReLU, seed=seed)
    params = list(model.parameters())
    tparams = [torch.tensor(p.numpy().copy(), requires_grad=True) for p in params]
    opt, topt = Adam(params, lr=1e-3), torch.optim.Adam(tparams, lr=1e-3)
    lossf = nn.CrossEntropyLoss()
    X, y = torch.tensor(Xtr), torch.tensor(ytr)
    diffs, first = [], None
    for step in range(20 if quick else 50):
        opt.zero_grad()
        lossf(model(tensor(Xtr)), tensor(ytr)).backward()
        before = [p.numpy().copy() for p in params]
        grads = [p.grad.numpy().copy() for p in params]
        opt.step()
        topt.zero_grad()
        h = torch.relu(X @ tparams[0].T + tparams[1])
        torch.nn.functional.cross_entropy(h @ tparams[2].T + tparams[3], y).backward()
        topt.step()
        diffs.append(max(float(np.abs(p.numpy() - q.detach().numpy()).max())
                         for p, q in zip(params, tparams)))
        if step == 0:
            g = np.concatenate([x.ravel() for x in grads])
            d = np.concatenate([(p.numpy() - b).ravel() for p, b in zip(params, before)])
            nz = np.abs(g) > 1e-6
            corrected = float(np.median(np.abs(d[nz])) / 1e-3)
            raw = 1e-3 * (0.1 * g[nz]) / (np.sqrt(0.001 * g[nz] ** 2) + 1e-8)
            first = {"corrected": corrected, "uncorrected": float(np.median(np.abs(raw)) / 1e-3)}
    return {"vs_torch": diffs, "first_step": first}


@c121.decide
def _(trials):
    t = trials[0]
    err = max(t["vs_torch"])
    c, u = t["first_step"]["corrected"], t["first_step"]["uncorrected"]
    holds = err < 1e-10 and abs(c - 1) < 1e-3 and abs(u / c - np.sqrt(10)) < 1e-2
    return verdict(holds, f"max |θ − θ_torch| over {len(t['vs_torch'])} steps {err:.1e}; first "
                          f"step |Δθ|/lr = {c:.4f} corrected vs {u:.3f} uncorrected (ratio "
                          f"{u / c:.3f}, √10 = 3.162)", otherwise=REFUTED)


@c121.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.4))
    axes[0].semilogy(np.maximum(t["vs_torch"], 1e-18), "o-", ms=3)
    axes[0].set_xlabel("Adam step")
    axes[0].set_ylabel("max |θ − θ_torch|")
    axes[0].set_title("library Adam vs torch")
    axes[1].bar([0, 1], [t["first_step"]["corrected"], t["first_step"]["uncorrected"]])
    axes[1].set_xticks([0, 1])
    axes[1].set_xticklabels(["bias-corrected", "uncorrected"])
    axes[1].set_xlabel("first Adam step")
    axes[1].set_ylabel("|Δθ| / lr (median)")
    axes[1].set_title("first step ×√10 without correction")
    fig.tight_layout()
    return [fig]
