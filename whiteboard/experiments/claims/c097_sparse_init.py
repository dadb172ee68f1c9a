"""C97: Sparse initialisation (few non-zero incoming weights per unit) also breaks symmetry and
trains.

Martens (2010): give every unit exactly k non-zero incoming weights, drawn N(0, σ²), the rest 0.
Two units of a layer then see different random subsets of the inputs, so their gradients differ
from the first step (symmetry is broken) although most weights start at 0 — unlike a zero (or
constant) init, where every hidden unit gets the same gradient and stays a copy of the others.
The experiment builds the sparse init with the library's ``init.sparse_`` (which zeros a fraction
of each column of a 2-D tensor, so it is applied to Wᵀ — columns = units — with sparsity
(fan_in − k)/fan_in, k = 10, σ = 1/√k so each pre-activation has about the input's variance),
and trains the tanh MLP 64-128-128-10 on digits (pixels / 16) with SGD (lr 0.05, momentum 0.9)
from sparse, Xavier-normal and zero weights (biases 0). Evidence: test accuracy (sparse ≈ Xavier
≫ zero) and the number of distinct first-layer units after training (rows of W₁ that differ by
more than 1e-12): 1 for zero init, the full width for the others.
"""

import numpy as np

from ... import nn, tensor
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd
from ._common_claims_eh import accuracy, mlp, train_classifier
from ._common_claims_ef import digits_unit_scale

SIZES = (64, 128, 128, 10)
K = 10
SCHEMES = ("sparse", "xavier", "zero")
CLOSE = 0.03   # sparse within 3 points of Xavier
FAR = 0.3      # and at least 30 points above zero init


def sparse_init(model, k=K):
    """Every Linear gets exactly ``k`` non-zero incoming weights per unit, N(0, 1/k); biases 0."""
    from ...nn import init

    for layer in model.modules():
        if isinstance(layer, nn.Linear):
            out_f, in_f = layer.weight.shape
            wt = tensor(np.zeros((in_f, out_f)))
            init.sparse_(wt, sparsity=(in_f - k) / in_f, std=1.0 / np.sqrt(k))
            layer.weight.data = np.ascontiguousarray(wt.numpy().T)
            init.zeros_(layer.bias)
    return model


def _init(model, scheme):
    from ...nn import init

    if scheme == "sparse":
        return sparse_init(model)
    for layer in model.modules():
        if isinstance(layer, nn.Linear):
            (init.xavier_normal_ if scheme == "xavier" else init.zeros_)(layer.weight)
            init.zeros_(layer.bias)
    return model


def distinct_units(weight, tol=1e-12):
    """Number of distinct rows of ``weight`` (units whose incoming weights differ by > tol)."""
    w = np.asarray(weight)
    d = np.abs(w[:, None, :] - w[None, :, :]).max(-1)
    seen, count = np.zeros(len(w), bool), 0
    for i in range(len(w)):      # greedy clustering over units (width ≤ a few hundred)
        if not seen[i]:
            seen |= d[i] <= tol
            count += 1
    return count


@experiment("C97", section="F", title="Sparse initialisation breaks symmetry and trains",
            expected="reproduce",
            claim="Sparse initialisation (few non-zero incoming weights per unit) also breaks "
                  "symmetry and trains.",
            design="tanh MLP 64-128-128-10 on digits (pixels / 16), SGD lr 0.05 momentum 0.9, "
                   "batch 32, 10 epochs (3 quick) from sparse init (10 non-zero N(0, 1/10) "
                   "incoming weights per unit, init.sparse_ on Wᵀ), Xavier normal, zero; 3 "
                   "seeds: test accuracy and distinct first-layer units.",
            code=["whiteboard.nn.init:sparse_", "whiteboard.nn.init:xavier_normal_",
                  "whiteboard.nn.init:zeros_"],
            tests=["tests/nn/test_init.py"], seeds=3)
def c97(seed, quick):
    Xtr, Xte, ytr, yte = digits_unit_scale()
    epochs = 3 if quick else 10
    out = {}
    for scheme in SCHEMES:
        model = _init(mlp(SIZES, nn.Tanh, seed=seed), scheme)
        first = [m for m in model.modules() if isinstance(m, nn.Linear)][0]
        nnz = int(np.count_nonzero(first.weight.numpy(), axis=1).max())
        train_classifier(model, Xtr, ytr, epochs=epochs, lr=0.05, momentum=0.9, seed=seed)
        out[scheme] = {"acc": accuracy(model, Xte, yte), "nnz_per_unit_at_init": nnz,
                       "distinct_units": distinct_units(first.weight.numpy())}
    return out


@c97.decide
def _(trials):
    acc = {s: [t[s]["acc"] for t in trials] for s in SCHEMES}
    distinct = {s: min(t[s]["distinct_units"] for t in trials) for s in SCHEMES}
    gap_x = float(np.mean(acc["xavier"]) - np.mean(acc["sparse"]))
    gap_z = float(np.mean(acc["sparse"]) - np.mean(acc["zero"]))
    nnz = max(t["sparse"]["nnz_per_unit_at_init"] for t in trials)
    holds = gap_x <= CLOSE and gap_z >= FAR and distinct["sparse"] == SIZES[1]
    return verdict(holds,
                   f"test accuracy sparse ({nnz} non-zero incoming weights per unit) "
                   f"{fmt_mean_sd(acc['sparse'])}, Xavier {fmt_mean_sd(acc['xavier'])}, zero "
                   f"{fmt_mean_sd(acc['zero'])} (Xavier − sparse {gap_x:+.3f}, needs ≤ {CLOSE}; "
                   f"sparse − zero {gap_z:+.3f}, needs ≥ {FAR}); distinct first-layer units "
                   f"after training: sparse {distinct['sparse']}, Xavier {distinct['xavier']}, "
                   f"zero {distinct['zero']} of {SIZES[1]}")


@c97.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(8, 3.4))
    x = np.arange(len(SCHEMES))
    for ax, key, label in ((axes[0], "acc", "test accuracy"),
                           (axes[1], "distinct_units", "distinct first-layer units")):
        vals = np.array([[t[s][key] for s in SCHEMES] for t in trials], float)
        ax.bar(x, vals.mean(0), yerr=vals.std(0, ddof=1) if len(trials) > 1 else None,
               capsize=4, color=["C0", "C1", "C3"])
        ax.set_xticks(x)
        ax.set_xticklabels(SCHEMES)
        ax.set_xlabel("weight initialisation")
        ax.set_ylabel(label)
    axes[1].set_yscale("log")
    fig.tight_layout()
    return [fig]
