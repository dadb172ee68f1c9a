"""C82: PReLU learns its negative slope.

PReLU(z) = max(0, z) + a·min(0, z) with a learnable a per channel (He et al. 2015, init 0.25).
Its gradient is ∂L/∂a_c = Σ_n (∂L/∂h_nc)·min(0, z_nc), so a moves wherever some unit of the channel
sees negative pre-activations; a fixed Leaky ReLU slope never moves. The experiment trains a
channel-wise PReLU MLP 64-64-64-10 on digits (pixels / 16) with the library's SGD (momentum 0.9,
no weight decay) from three initial slopes a₀ ∈ {0, 0.25, 0.5}, and a Leaky ReLU with the fixed
slope 0.25 as reference. Evidence: the mean |a − a₀| per layer (does it move?), the per-layer mean
of the learned a (He et al. saw larger a in the first layer), and the test accuracy against the
fixed slope.
"""

import numpy as np

from ... import backend, nn
from ._common_claims_eh import accuracy, train_classifier
from ._common_claims_ef import digits_unit_scale
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd

INITS = (0.0, 0.25, 0.5)
SIZES = (64, 64, 64, 10)
MOVED = 0.01  # mean |a − a₀| per layer that counts as "learned" (4 % of the init 0.25)


def _net(act, seed):
    """``Linear → act(width) → … → Linear`` in float64; ``act(width)`` builds the activation."""
    backend.manual_seed(seed)
    layers = []
    for i, (a, b) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        layers.append(nn.Linear(a, b, dtype=np.float64))
        if i < len(SIZES) - 2:
            layers.append(act(b))
    return nn.Sequential(*layers)


@experiment("C82", section="E", title="PReLU learns its negative slope", expected="reproduce",
            claim="PReLU learns its negative slope (a learnable parameter per channel).",
            design="Channel-wise PReLU MLP 64-64-64-10 on digits (pixels / 16), SGD lr 0.05 "
                   "momentum 0.9, batch 32, 10 epochs (4 quick), initial slope a₀ ∈ {0, 0.25, "
                   "0.5}, vs Leaky ReLU with fixed slope 0.25; 3 seeds: mean |a − a₀| and mean a "
                   "per layer, test accuracy.",
            code=["whiteboard.nn:PReLU", "whiteboard.nn:LeakyReLU", "whiteboard.optim:SGD"],
            tests=["tests/nn/test_activation.py"], seeds=3)
def c82(seed, quick):
    Xtr, Xte, ytr, yte = digits_unit_scale()
    epochs = 4 if quick else 10
    rows = []
    for a0 in INITS:
        model = _net(lambda w, a0=a0: nn.PReLU(num_parameters=w, init=a0, dtype=np.float64), seed)
        train_classifier(model, Xtr, ytr, epochs=epochs, lr=0.05, momentum=0.9, seed=seed)
        slopes = [m.weight.numpy().copy() for m in model if isinstance(m, nn.PReLU)]
        rows.append({"act": "PReLU", "a0": a0, "acc": accuracy(model, Xte, yte),
                     "mean_a": [float(s.mean()) for s in slopes],
                     "moved": [float(np.mean(np.abs(s - a0))) for s in slopes],
                     "slopes": [s.tolist() for s in slopes]})
    fixed = _net(lambda w: nn.LeakyReLU(0.25), seed)
    train_classifier(fixed, Xtr, ytr, epochs=epochs, lr=0.05, momentum=0.9, seed=seed)
    rows.append({"act": "LeakyReLU(0.25)", "a0": 0.25, "acc": accuracy(fixed, Xte, yte)})
    return {"rows": rows}


def _prelu(trials, a0=None):
    return [r for t in trials for r in t["rows"]
            if r["act"] == "PReLU" and (a0 is None or r["a0"] == a0)]


@c82.decide
def _(trials):
    moved = [min(r["moved"]) for r in _prelu(trials)]
    layer_means = np.mean([r["mean_a"] for r in _prelu(trials, 0.25)], axis=0)
    acc_p = [r["acc"] for r in _prelu(trials, 0.25)]
    acc_f = [r["acc"] for t in trials for r in t["rows"] if r["act"] != "PReLU"]
    learned = min(moved) > MOVED
    per_init = ", ".join(f"a₀ {a0}: mean a "
                         f"{fmt_mean_sd([np.mean(r['mean_a']) for r in _prelu(trials, a0)], 3)}"
                         for a0 in INITS)
    return verdict(learned,
                   f"smallest per-layer mean |a − a₀| over all nets {min(moved):.3f} "
                   f"(threshold {MOVED}); {per_init}; from 0.25 the layer means are "
                   f"{', '.join(f'{m:.3f}' for m in layer_means)} (input side first); test "
                   f"accuracy PReLU {fmt_mean_sd(acc_p)} vs fixed slope {fmt_mean_sd(acc_f)}")


@c82.plot
def _(trials):
    import matplotlib.pyplot as plt

    n_layers = len(SIZES) - 2
    fig, axes = plt.subplots(1, n_layers, figsize=(4 * n_layers, 3.4), sharey=True)
    bins = np.linspace(-0.5, 1.0, 46)
    for li, ax in enumerate(np.atleast_1d(axes)):
        for a0 in INITS:
            s = np.concatenate([r["slopes"][li] for r in _prelu(trials, a0)])
            ax.hist(s, bins=bins, alpha=0.5, label=f"a₀ = {a0}")
            ax.axvline(a0, color="k", lw=0.6, ls=":")
        ax.set_xlabel(f"learned slope a, hidden layer {li + 1}")
        ax.set_title(f"PReLU channels, layer {li + 1} (dotted: a₀)", fontsize=9)
    np.atleast_1d(axes)[0].set_ylabel("channels")
    np.atleast_1d(axes)[0].legend(fontsize=8)
    fig.tight_layout()
    return [fig]
