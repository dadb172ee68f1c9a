"""C102: the gradient of softmax cross-entropy at the logits is a − y.

    L(z) = −Σ_k y_k log a_k,  a = softmax(z)   ⇒   ∂L/∂z_j = a_j − y_j     (Σ_k y_k = 1)

(mean reduction divides by the batch size N). Checked on the library's ``cross_entropy``
backward and by central finite differences of its forward value.
"""

import numpy as np

from ... import tensor
from ...nn import functional as F
from ..registry import REFUTED, experiment, verdict


@experiment("C102", section="G", title="The cross-entropy gradient at the logits is a − y",
            expected="reproduce",
            claim="For softmax outputs a and one-hot targets y, the gradient of the "
                  "cross-entropy with respect to the logits is a − y.",
            design="Random float64 logits (N = 32, K = 10; a few scales up to 20); autograd of "
                   "nn.functional.cross_entropy (sum reduction) against softmax(z) − onehot(y) "
                   "and against central finite differences (h = 1e-6) of the forward loss.",
            code=["whiteboard.nn.functional:cross_entropy", "whiteboard.nn.functional:softmax"],
            tests=["tests/nn/test_loss.py"])
def c102(seed, quick):
    rng = np.random.default_rng(seed)
    n, k = (8, 5) if quick else (32, 10)
    rows = []
    for scale in (0.1, 1.0, 5.0, 20.0):
        z = rng.normal(scale=scale, size=(n, k))
        y = rng.integers(0, k, size=n)
        zt = tensor(z, requires_grad=True)
        F.cross_entropy(zt, tensor(y), reduction="sum").backward()
        g = zt.grad.numpy()
        a = np.exp(z - z.max(1, keepdims=True))
        a /= a.sum(1, keepdims=True)
        ref = a - np.eye(k)[y]
        # central differences of the library's forward loss, all entries at once (batched)
        h = 1e-6
        e = np.eye(n * k).reshape(n * k, n, k) * h
        zp, zm = (z[None] + e).reshape(-1, k), (z[None] - e).reshape(-1, k)
        yy = np.tile(y, n * k)
        lp = F.cross_entropy(tensor(zp), tensor(yy), reduction="none").numpy().reshape(n * k, n)
        lm = F.cross_entropy(tensor(zm), tensor(yy), reduction="none").numpy().reshape(n * k, n)
        fd = ((lp.sum(1) - lm.sum(1)) / (2 * h)).reshape(n, k)
        rows.append({"scale": scale, "autograd_vs_a_minus_y": float(np.abs(g - ref).max()),
                     "fd_vs_a_minus_y": float(np.abs(fd - ref).max()),
                     "g": g.ravel()[:50].tolist(), "ref": ref.ravel()[:50].tolist()})
    return {"rows": rows}


@c102.decide
def _(trials):
    rows = [r for t in trials for r in t["rows"]]
    ag = max(r["autograd_vs_a_minus_y"] for r in rows)
    fd = max(r["fd_vs_a_minus_y"] for r in rows)
    return verdict(ag <= 1e-12 and fd <= 1e-5,
                   f"max |autograd − (a − y)| = {ag:.1e}, max |finite diff − (a − y)| = {fd:.1e}",
                   otherwise=REFUTED)


@c102.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.5, 4))
    for r in trials[0]["rows"]:
        ax.scatter(r["ref"], r["g"], s=8, label=f"logit scale {r['scale']}")
    ax.plot([-1, 1], [-1, 1], "k--", lw=0.8)
    ax.set_xlabel("a − y")
    ax.set_ylabel("∂L/∂z (autograd)")
    ax.set_title("Cross-entropy gradient = a − y")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return [fig]
