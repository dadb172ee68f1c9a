"""C88: Maxout generalises ReLU / Leaky ReLU, has no dead units and doubles the parameters (k = 2).

A maxout unit h(x) = max_j (w_jᵀx + b_j) over k linear pieces. With k = 2:

    pieces (w, b) and (0, 0)      → max(wᵀx + b, 0) = ReLU(wᵀx + b)
    pieces (w, b) and (αw, αb)    → Leaky ReLU with slope α (0 < α < 1)

It costs k times the parameters of a Linear layer of the same width. Its gradient always flows
through the winning piece (∂h/∂(w_j*ᵀx) = 1), so a unit cannot die the way a ReLU does (a ReLU
unit with wᵀx + b < 0 on all data gets no gradient at all). Everything is the library's
``nn.Maxout`` (a Linear of width k·out followed by ``F.maxout`` over groups of k).
"""

import numpy as np

from ... import backend, nn, no_grad, tensor
from ._common_claims_eh import accuracy, digits_split, train_classifier
from ..registry import REFUTED, experiment, verdict


def _maxout_as(m, slope):
    """Set the second piece of each unit to ``slope`` × the first (0 → ReLU, α → Leaky ReLU)."""
    W, b = m.linear.weight.data, m.linear.bias.data
    W[1::2] = slope * W[0::2]
    b[1::2] = slope * b[0::2]


def _dead_fraction(model, X, y):
    """Fraction of hidden maxout units whose output gets zero gradient on every example."""
    hidden = model[0](tensor(X))
    hidden.retain_grad()
    nn.CrossEntropyLoss(reduction="sum")(model[1](hidden), tensor(y)).backward()
    g = np.abs(hidden.grad.numpy())
    return float(np.mean(g.max(0) == 0))


@experiment("C88", section="E", title="Maxout generalises ReLU, has no dead units, ×k parameters",
            expected="reproduce",
            claim="Maxout generalises ReLU and Leaky ReLU, has no dead units, and doubles the "
                  "parameters (k = 2).",
            design="Maxout(64, 32, k = 2) with one piece zero vs ReLU(Linear) and with the second "
                   "piece 0.1× the first vs LeakyReLU(0.1), on digits (exact equality); parameter "
                   "count vs Linear(64, 32); a Maxout(64, 32, 2) → Linear(32, 10) net trained "
                   "with SGD lr 0.5 (5 epochs, 2 quick): fraction of hidden units with zero "
                   "gradient on all training data.",
            code=["whiteboard.nn:Maxout", "whiteboard.nn.functional:maxout"],
            tests=["tests/nn/test_activation.py"])
def c88(seed, quick):
    backend.manual_seed(seed)
    Xtr, Xte, ytr, yte = digits_split(seed)
    m = nn.Maxout(64, 32, 2, dtype=np.float64)
    lin = nn.Linear(64, 32, dtype=np.float64)
    with no_grad():
        lin.weight.data[...] = m.linear.weight.data[0::2]
        lin.bias.data[...] = m.linear.bias.data[0::2]
        _maxout_as(m, 0.0)
        relu_err = float(np.abs(m(tensor(Xtr)).numpy()
                                - nn.ReLU()(lin(tensor(Xtr))).numpy()).max())
        _maxout_as(m, 0.1)
        leaky_err = float(np.abs(m(tensor(Xtr)).numpy()
                                 - nn.LeakyReLU(0.1)(lin(tensor(Xtr))).numpy()).max())
    n_maxout = sum(p.numpy().size for p in m.parameters())
    n_linear = sum(p.numpy().size for p in lin.parameters())
    backend.manual_seed(seed)
    net = nn.Sequential(nn.Maxout(64, 32, 2, dtype=np.float64), nn.Linear(32, 10,
                                                                          dtype=np.float64))
    train_classifier(net, Xtr, ytr, epochs=2 if quick else 5, lr=0.5, momentum=0.0, seed=seed)
    return {"relu_err": relu_err, "leaky_err": leaky_err, "params_maxout": n_maxout,
            "params_linear": n_linear, "dead_fraction": _dead_fraction(net, Xtr, ytr),
            "test_acc": accuracy(net, Xte, yte)}


@c88.decide
def _(trials):
    t = trials[0]
    ratio = t["params_maxout"] / t["params_linear"]
    holds = t["relu_err"] == 0.0 and t["leaky_err"] < 1e-12 and ratio == 2 \
        and t["dead_fraction"] == 0.0
    return verdict(holds, f"maxout − ReLU {t['relu_err']:.0e}, − LeakyReLU {t['leaky_err']:.0e}; "
                          f"parameters ×{ratio:g}; dead units after lr-0.5 training "
                          f"{t['dead_fraction']:.0%} (test accuracy {t['test_acc']:.2f})",
                   otherwise=REFUTED)


@c88.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(4.5, 3.4))
    ax.bar([0, 1], [t["params_linear"], t["params_maxout"]])
    ax.set_xticks([0, 1])
    ax.set_xticklabels(["Linear(64, 32)", "Maxout(64, 32, k=2)"])
    ax.set_xlabel("layer")
    ax.set_ylabel("parameters")
    ax.set_title(f"Maxout: ×2 parameters, {t['dead_fraction']:.0%} dead units")
    fig.tight_layout()
    return [fig]
