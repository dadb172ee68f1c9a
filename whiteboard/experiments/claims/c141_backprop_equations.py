"""C141: the four back-propagation equations compute the exact gradient.

For a sigmoid MLP z^l = W^l a^{l−1} + b^l, a^l = σ(z^l), cost C = ½‖a^L − y‖² summed over the
batch (Nielsen, ch. 2):

    (BP1) δ^L = ∇_a C ⊙ σ′(z^L) = (a^L − y) ⊙ σ′(z^L)
    (BP2) δ^l = ((W^{l+1})ᵀ δ^{l+1}) ⊙ σ′(z^l)
    (BP3) ∂C/∂b^l = δ^l
    (BP4) ∂C/∂W^l = δ^l (a^{l−1})ᵀ

implemented here by hand in NumPy (batched: rows are examples, gradients summed over rows) and
compared with the library's autograd (``nn.functional.sigmoid``, tensor matmul) and with
central finite differences (h = 1e-6) on every parameter, in float64.
"""

import numpy as np

from ... import tensor
from ...nn import functional as F
from ..registry import REFUTED, experiment, verdict

SIZES = (8, 16, 12, 10, 4)          # input, three hidden layers, output: a 4-layer MLP


def _sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def _forward(Ws, bs, X):
    a, zs, acts = X, [], [X]
    for W, b in zip(Ws, bs):
        z = a @ W.T + b
        a = _sig(z)
        zs.append(z)
        acts.append(a)
    return zs, acts


def _cost(Ws, bs, X, Y):
    return 0.5 * float(((_forward(Ws, bs, X)[1][-1] - Y) ** 2).sum())


def _backprop(Ws, bs, X, Y):
    """The four equations, batched; returns the gradients of W^l and b^l."""
    zs, acts = _forward(Ws, bs, X)
    L = len(Ws)
    dW, db = [None] * L, [None] * L
    s = _sig(zs[-1])
    delta = (acts[-1] - Y) * s * (1 - s)                       # BP1
    for layer in range(L - 1, -1, -1):
        dW[layer] = delta.T @ acts[layer]                      # BP4
        db[layer] = delta.sum(0)                               # BP3
        if layer:
            s = _sig(zs[layer - 1])
            delta = (delta @ Ws[layer]) * s * (1 - s)          # BP2
    return dW, db


def _autograd(Ws, bs, X, Y):
    Wt = [tensor(W, requires_grad=True) for W in Ws]
    bt = [tensor(b, requires_grad=True) for b in bs]
    a = tensor(X)
    for W, b in zip(Wt, bt):
        a = F.sigmoid(a @ W.T + b)
    d = a - tensor(Y)
    ((d * d).sum() * 0.5).backward()
    return [W.grad.numpy() for W in Wt], [b.grad.numpy() for b in bt]


def _finite_differences(Ws, bs, X, Y, h=1e-6):
    out = []
    for P in list(Ws) + list(bs):
        g = np.empty_like(P)
        for idx in np.ndindex(P.shape):
            old = P[idx]
            P[idx] = old + h
            fp = _cost(Ws, bs, X, Y)
            P[idx] = old - h
            fm = _cost(Ws, bs, X, Y)
            P[idx] = old
            g[idx] = (fp - fm) / (2 * h)
        out.append(g)
    return out[: len(Ws)], out[len(Ws):]


def _rel(a, b):
    a, b = np.concatenate([x.ravel() for x in a]), np.concatenate([x.ravel() for x in b])
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-300))


@experiment("C141", section="H", title="The four backprop equations give the exact gradient",
            expected="reproduce",
            claim="Back-propagation's four equations (δ^L = ∇_aC ⊙ σ′(z^L), "
                  "δ^l = (W^{l+1})ᵀδ^{l+1} ⊙ σ′(z^l), ∂C/∂b = δ, ∂C/∂W = δ a^{l−1}ᵀ) "
                  "compute the exact gradient.",
            design="Random 4-layer sigmoid MLP 8-16-12-10-4 with quadratic cost on a batch of "
                   "32 (16 quick) random examples, float64: the hand-written equations against "
                   "the library's autograd and central finite differences (h = 1e-6) on all "
                   "parameters; maximum relative error.",
            code=["whiteboard.nn.functional:sigmoid", "whiteboard.autograd:Tensor"],
            tests=["tests/autograd/test_ops.py", "tests/nn/test_activation.py"])
def c141(seed, quick):
    rng = np.random.default_rng(seed)
    n = 16 if quick else 32
    Ws = [rng.normal(0, 1 / np.sqrt(i), size=(o, i)) for i, o in zip(SIZES[:-1], SIZES[1:])]
    bs = [rng.normal(0, 0.5, size=o) for o in SIZES[1:]]
    X = rng.normal(size=(n, SIZES[0]))
    Y = rng.uniform(size=(n, SIZES[-1]))
    bp = _backprop(Ws, bs, X, Y)
    ag = _autograd(Ws, bs, X, Y)
    fd = _finite_differences(Ws, bs, X, Y)
    per_layer = [float(np.linalg.norm(g)) for g in bp[0]]
    return {"n": n, "bp_vs_autograd": _rel(bp[0] + bp[1], ag[0] + ag[1]),
            "bp_vs_fd": _rel(bp[0] + bp[1], fd[0] + fd[1]),
            "n_params": int(sum(W.size + b.size for W, b in zip(Ws, bs))),
            "grad_norm_per_layer": per_layer}


@c141.decide
def _(trials):
    ag = max(t["bp_vs_autograd"] for t in trials)
    fd = max(t["bp_vs_fd"] for t in trials)
    return verdict(ag < 1e-12 and fd < 1e-7,
                   f"max relative error: equations vs autograd {ag:.1e}, vs finite differences "
                   f"{fd:.1e} ({trials[0]['n_params']} parameters)", otherwise=REFUTED)


@c141.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.6))
    layers = np.arange(1, len(t["grad_norm_per_layer"]) + 1)
    ax.bar(layers, t["grad_norm_per_layer"])
    ax.set_xticks(layers)
    ax.set_xlabel("layer l")
    ax.set_ylabel("‖∂C/∂W^l‖ (back-propagation)")
    ax.set_title(f"Equations = autograd to {t['bp_vs_autograd']:.0e}, FD to {t['bp_vs_fd']:.0e}")
    fig.tight_layout()
    return [fig]
