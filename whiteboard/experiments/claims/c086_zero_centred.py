"""C86: sigmoid outputs are not zero-centred, so a neuron's weight gradients share one sign.

A unit z = wᵀa + b fed by sigmoid outputs a ∈ (0, 1)ᵈ has per-example gradient
∂L/∂w = (∂L/∂z)·a: every component has the sign of the scalar ∂L/∂z, so each update moves all
weights up or all down together (zig-zag towards a target with mixed signs). Centring the inputs
removes this constraint and also improves the conditioning of the Hessian (the mean direction no
longer dominates XᵀX), so gradient descent converges in fewer iterations.
"""

import numpy as np

from ... import nn, tensor
from ...optim import gradient_descent
from ._common_claims_eh import digits_split, mlp
from ..registry import experiment, verdict


def _logreg(X, y, lam=1e-3):
    def fg(w):
        z = X @ w[1:] + w[0]
        p = 1 / (1 + np.exp(-z))
        g = p - y
        return (float(np.mean(np.logaddexp(0, z) - y * z) + lam / 2 * w[1:] @ w[1:]),
                np.concatenate([[g.mean()], X.T @ g / len(y) + lam * w[1:]]))
    return fg


@experiment("C86", section="E", title="Sigmoid outputs are not zero-centred: one-sign gradients",
            expected="reproduce",
            claim="Sigmoid outputs are not zero-centred, so the gradients of a neuron's incoming "
                  "weights all share one sign (zig-zag updates); centred inputs converge faster.",
            design="(a) MLP 64-32(sigmoid)-10 at init on digits: fraction of per-example gradient "
                   "vectors of each output unit's weights whose components share one sign. "
                   "(b) L2-regularised logistic regression (digit 0 vs rest) on features in "
                   "[0, 1] (pixels/16) vs the same features mean-centred: Armijo GD iterations to "
                   "‖∇f‖∞ ≤ 1e-5.",
            code=["whiteboard.nn:Sigmoid", "whiteboard.optim.minimize:gradient_descent"],
            tests=["tests/nn/test_activation.py", "tests/optim/test_minimize.py"])
def c86(seed, quick):
    from ...data.datasets import load_digits

    Xtr, _, ytr, _ = digits_split(seed, n_train=300 if quick else None)
    model = mlp((64, 32, 10), nn.Sigmoid, seed=seed)
    a = model[1](model[0](tensor(Xtr)))
    a_np = a.numpy()
    z = model[2](a)
    z.retain_grad()
    nn.CrossEntropyLoss(reduction="sum")(z, tensor(ytr)).backward()
    delta = z.grad.numpy()                                   # (n, 10): ∂L_i/∂z_i
    per_example = delta[:, :, None] * a_np[:, None, :]       # (n, 10, 32): ∂L_i/∂W
    s = np.sign(per_example)
    one_sign = float(np.mean(np.all(s == s[..., :1], axis=-1)))
    X, y = load_digits()
    X = np.asarray(X, dtype=np.float64) / 16.0
    y = (np.asarray(y) == 0).astype(float)
    its = {}
    for name, F in (("[0, 1] features", X), ("centred features", X - X.mean(0))):
        r = gradient_descent(_logreg(F, y), np.zeros(65), gtol=1e-5, max_iter=20000)
        its[name] = {"iters": int(r.nit), "ok": bool(r.success)}
    return {"one_sign_fraction": one_sign, "n_vectors": int(delta.size), "logreg": its}


@c86.decide
def _(trials):
    t = trials[0]
    u, c = t["logreg"]["[0, 1] features"], t["logreg"]["centred features"]
    holds = t["one_sign_fraction"] == 1.0 and c["ok"] and c["iters"] < u["iters"]
    return verdict(holds, f"{t['one_sign_fraction']:.0%} of {t['n_vectors']} per-example weight "
                          f"gradients share one sign; GD iterations {u['iters']} ([0, 1]) vs "
                          f"{c['iters']} (centred)")


@c86.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    names = list(t["logreg"])
    fig, ax = plt.subplots(figsize=(4.6, 3.4))
    ax.bar(range(2), [t["logreg"][n]["iters"] for n in names])
    ax.set_xticks(range(2))
    ax.set_xticklabels(names)
    ax.set_xlabel("input features")
    ax.set_ylabel("GD iterations to ‖∇f‖∞ ≤ 1e-5")
    ax.set_title("Logistic regression: centring speeds up GD")
    fig.tight_layout()
    return [fig]
