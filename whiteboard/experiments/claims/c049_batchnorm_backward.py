"""C49: the step-by-step BatchNorm backward (the computation graph with two x − μ branches)
gives the exact gradient.

Forward graph of note 002 (per feature, M samples):  μ = mean x;  xμ = x − μ;  sq = xμ²;
var = mean sq;  sd = √(var + ε);  ivar = 1/sd;  x̂ = xμ·ivar;  y = γ x̂ + β.
Staged backward (comments fixed, ERRATA E55): dβ = Σ g; dγ = Σ g x̂; dx̂ = γ g;
divar = Σ dx̂·xμ;  dxμ₁ = dx̂·ivar;  dsd = −divar/sd²;  dvar = ½ dsd/√(var + ε);
dsq = dvar/M;  dxμ₂ = 2 xμ dsq;  dx₁ = dxμ₁ + dxμ₂;  dμ = −Σ dx₁;  dx₂ = dμ/M;  dx = dx₁ + dx₂.
The library's fused form is dx = (γ/σ)(g − mean g − x̂ mean(g x̂)). Oracles: torch autograd and
central finite differences, float64.
"""

import numpy as np

from ... import tensor
from ...nn.functional import batch_norm
from ..registry import REFUTED, experiment, verdict

EPS = 1e-5


def _staged(x, gamma, g):
    m = x.shape[0]
    mu = x.mean(0)
    xmu = x - mu
    sq = xmu ** 2
    var = sq.mean(0)
    sd = np.sqrt(var + EPS)
    ivar = 1.0 / sd
    xhat = xmu * ivar
    dbeta, dgamma = g.sum(0), (g * xhat).sum(0)
    dxhat = g * gamma
    divar = (dxhat * xmu).sum(0)
    dxmu1 = dxhat * ivar
    dsd = -divar / sd ** 2
    dvar = 0.5 * dsd / np.sqrt(var + EPS)
    dsq = np.ones_like(sq) * dvar / m
    dxmu2 = 2 * xmu * dsq
    dx1 = dxmu1 + dxmu2
    dmu = -dx1.sum(0)
    dx = dx1 + np.ones_like(x) * dmu / m
    return dx, dgamma, dbeta


def _fwd(x, gamma, beta):
    return batch_norm(tensor(x), None, None, tensor(gamma), tensor(beta), training=True,
                      eps=EPS).numpy()


@experiment("C49", section="C", title="The staged BatchNorm backward is exact",
            expected="reproduce", errata=["E55"],
            claim="The step-by-step BatchNorm backward (computation graph with the two x - mu "
                  "branches) gives the exact gradient.",
            design="Float64 (N, D) inputs: the note's staged backward (as a NumPy reference) and "
                   "the library's fused autograd batch_norm vs torch autograd; finite "
                   "differences on a few entries.",
            code=["whiteboard.nn.functional:batch_norm"], tests=["tests/nn/test_normalization.py"])
def c49(seed, quick):
    import torch

    rng = np.random.default_rng(seed)
    rows = []
    for n, d in ((4, 3), (16, 10), (64, 32)) if not quick else ((4, 3), (16, 10)):
        x = rng.normal(size=(n, d)) * 2 + 1
        gamma, beta, g = rng.normal(size=d), rng.normal(size=d), rng.normal(size=(n, d))
        xt, gt, bt = (tensor(a, requires_grad=True) for a in (x, gamma, beta))
        y = batch_norm(xt, None, None, gt, bt, training=True, eps=EPS)
        (y * tensor(g)).sum().backward()
        lib = (xt.grad.numpy(), gt.grad.numpy(), bt.grad.numpy())
        tx, tg, tb = (torch.tensor(a, requires_grad=True) for a in (x, gamma, beta))
        ty = torch.nn.functional.batch_norm(tx, None, None, tg, tb, training=True, eps=EPS)
        (ty * torch.from_numpy(g)).sum().backward()
        ref = (tx.grad.numpy(), tg.grad.numpy(), tb.grad.numpy())
        staged = _staged(x, gamma, g)
        fd = []
        for i, j in rng.integers(0, [n, d], size=(4, 2)):
            xp, xm = x.copy(), x.copy()
            xp[i, j] += 1e-6
            xm[i, j] -= 1e-6
            fd.append(abs(((_fwd(xp, gamma, beta) - _fwd(xm, gamma, beta)) * g).sum() / 2e-6
                          - ref[0][i, j]))
        rows.append({"shape": [n, d],
                     "staged_vs_torch": float(max(np.abs(a - b).max()
                                                  for a, b in zip(staged, ref))),
                     "fused_vs_torch": float(max(np.abs(a - b).max() for a, b in zip(lib, ref))),
                     "fd_vs_torch": float(max(fd))})
    return {"rows": rows}


@c49.decide
def _(trials):
    rows = [r for t in trials for r in t["rows"]]
    s = max(r["staged_vs_torch"] for r in rows)
    f = max(r["fused_vs_torch"] for r in rows)
    fd = max(r["fd_vs_torch"] for r in rows)
    return verdict(s < 1e-12 and f < 1e-12 and fd < 1e-6,
                   f"max |dx, dgamma, dbeta - torch|: staged {s:.1e}, fused {f:.1e}; finite "
                   f"differences {fd:.1e}", otherwise=REFUTED)


@c49.plot
def _(trials):
    from ._common_claims_ad import bar_figure

    rows = trials[0]["rows"]
    labels, vals = [], []
    for r in rows:
        for k in ("staged_vs_torch", "fused_vs_torch"):
            labels.append(f"{k.split('_')[0]} {r['shape'][0]}x{r['shape'][1]}")
            vals.append(max(r[k], 1e-18))
    return [bar_figure(labels, vals, "max |grad - torch| (log)", "BatchNorm backward",
                       log=True)]
