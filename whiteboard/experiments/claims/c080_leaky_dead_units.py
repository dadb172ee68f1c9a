"""C80: Leaky ReLU, PReLU, RReLU and ELU avoid dead units.

A hidden unit j gets ∂L/∂W[j, :] = Σ_n f′(z_nj)·(∂L/∂h_nj)·x_n. For ReLU f′(z) = 0 for z ≤ 0, so a
unit pushed negative on every training example by a large step gets exactly zero gradient and
never moves again ("dead"). The leaky variants have f′ > 0 everywhere:

    LeakyReLU  f′ = α = 0.01           (z < 0)
    PReLU      f′ = a (learned, 0.25 at init)
    RReLU      f′ = a ~ U(1/8, 1/3) in training, 11/48 in eval
    ELU        f′ = α eᶻ > 0

so a unit in the negative regime still gets gradient and can come back — in exact arithmetic.
In float64 ELU′ = α eᶻ is exactly 0 once z < −745 (eᶻ underflows), so an ELU net blown up by a
large step can saturate with units getting exactly zero gradient: the experiment reports that
rather than assuming it away (``median_max_z`` is the median over units of the largest
pre-activation on the training set). The experiment is C79's
setting (digits pixels / 16, plain SGD at a large learning rate) with the library's MLP and the
five activations; it counts the hidden units whose incoming weights and bias get exactly zero
full-batch gradient, the units with a negative pre-activation on every training example (the
"would-be dead" regime), and re-counts both after further training at lr 0.01 (recovery). Nets
whose parameters overflow to NaN (ELU at lr ≥ 0.5 does: e^z of huge inputs) are reported as
diverged and their units are not counted.
"""

import numpy as np

from ._common_claims_eh import accuracy, mlp, train_classifier
from ._common_claims_ef import (LEAKY_FAMILY, digits_unit_scale, hidden_pre_activations,
                                zero_grad_units)
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd

LRS = (0.3, 0.5, 1.0)
SIZES = (64, 128, 128, 128, 10)
LEAKY = ("LeakyReLU", "PReLU", "RReLU", "ELU")


def _unit_counts(model, Xtr, ytr):
    zero, width = zero_grad_units(model, Xtr, ytr)
    neg = sum(int(np.sum(np.all(z <= 0, axis=0))) for z in hidden_pre_activations(model, Xtr))
    return sum(zero) / sum(width), neg / sum(width)


def _median_z(model, Xtr):
    """Median over hidden units of the unit's largest pre-activation on the training set."""
    return float(np.median(np.concatenate([z.max(0) for z in hidden_pre_activations(model,
                                                                                     Xtr)])))


def _finite(model):
    return all(bool(np.isfinite(p.numpy()).all()) for p in model.parameters())


@experiment("C80", section="E", title="Leaky ReLU / PReLU / RReLU / ELU have no dead units",
            expected="reproduce",
            claim="Leaky ReLU, PReLU, RReLU and ELU avoid dead units.",
            design="MLP 64-128-128-128-10 on digits (pixels / 16), plain SGD, batch 32, 5 epochs "
                   "(2 quick) at lr ∈ {0.3, 0.5, 1}, ReLU vs LeakyReLU(0.01) / PReLU(0.25) / "
                   "RReLU / ELU, 3 seeds: share of hidden units with exactly zero full-batch "
                   "gradient, share negative on every training example, both again after 5 (2) "
                   "more epochs at lr 0.01; diverged (NaN) nets reported, not counted.",
            code=["whiteboard.nn:LeakyReLU", "whiteboard.nn:PReLU", "whiteboard.nn:RReLU",
                  "whiteboard.nn:ELU", "whiteboard.nn:ReLU", "whiteboard.optim:SGD"],
            tests=["tests/nn/test_activation.py"], seeds=3)
def c80(seed, quick):
    Xtr, Xte, ytr, yte = digits_unit_scale()
    epochs = 2 if quick else 5
    rows = []
    for name, act in LEAKY_FAMILY.items():
        for lr in LRS:
            model = mlp(SIZES, act, seed=seed)
            with np.errstate(all="ignore"):
                train_classifier(model, Xtr, ytr, epochs=epochs, lr=lr, momentum=0.0, seed=seed)
            row = {"act": name, "lr": lr, "finite": _finite(model)}
            if row["finite"]:
                row["zero_grad"], row["negative"] = _unit_counts(model, Xtr, ytr)
                row["median_max_z"] = _median_z(model, Xtr)
                with np.errstate(all="ignore"):
                    row["acc"] = accuracy(model, Xte, yte)
                    train_classifier(model, Xtr, ytr, epochs=epochs, lr=0.01, momentum=0.0,
                                     seed=seed + 1)
                row["finite_after"] = _finite(model)
                if row["finite_after"]:
                    row["zero_grad_after"], row["negative_after"] = _unit_counts(model, Xtr, ytr)
                    row["acc_after"] = accuracy(model, Xte, yte)
            rows.append(row)
    return {"rows": rows}


def _rows(trials, act):
    return [r for t in trials for r in t["rows"] if r["act"] == act and r["finite"]]


@c80.decide
def _(trials):
    relu = _rows(trials, "ReLU")
    relu_dead = max((r["zero_grad"] for r in relu), default=0.0)
    leaky_zero = {a: max((r["zero_grad"] for r in _rows(trials, a)), default=None) for a in LEAKY}
    counted = {a: len(_rows(trials, a)) for a in LEAKY}
    total = len(trials) * len(LRS)
    leaky_ok = all(v is not None and v == 0.0 for v in leaky_zero.values())
    before = [r["negative"] for a in LEAKY for r in _rows(trials, a) if r.get("finite_after")]
    after = [r["negative_after"] for a in LEAKY for r in _rows(trials, a) if r.get("finite_after")]
    relu_after = [r["zero_grad_after"] for r in relu if r.get("finite_after")]
    zeros = ", ".join(f"{a} {'diverged' if v is None else f'{v:.0%}'} ({counted[a]}/{total} "
                      f"finite)" for a, v in leaky_zero.items())
    recover = (f"; leaky units negative on all data {fmt_mean_sd(before, 3)} → "
               f"{fmt_mean_sd(after, 3)} after lr-0.01 training" if before else "")
    elu_z = [r["median_max_z"] for r in _rows(trials, "ELU") if r["zero_grad"] > 0]
    sat = (f"; saturated ELU nets' median unit max pre-activation {min(elu_z):.3g} (eᶻ = "
           f"{np.exp(min(elu_z)):.3g})" if elu_z else "")
    return verdict(relu_dead > 0.3 and leaky_ok,
                   f"hidden units with zero gradient: ReLU up to {relu_dead:.0%} "
                   f"(after lr-0.01 training up to {max(relu_after, default=0.0):.0%}); "
                   f"max over finite nets: {zeros}{recover}{sat}")


@c80.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharey=True)
    names = list(LEAKY_FAMILY)
    width = 0.8 / len(LRS)
    for k, lr in enumerate(LRS):
        for ax, key in zip(axes, ("zero_grad", "negative")):
            vals = []
            for a in names:
                v = [r[key] for t in trials for r in t["rows"]
                     if r["act"] == a and r["lr"] == lr and r["finite"]]
                vals.append(np.mean(v) if v else np.nan)
            ax.bar(np.arange(len(names)) + k * width, vals, width, label=f"lr {lr}")
    for ax, title in zip(axes, ("zero full-batch gradient", "negative on every example")):
        ax.set_xticks(np.arange(len(names)) + width)
        ax.set_xticklabels(names, rotation=20, fontsize=8)
        ax.set_xlabel("activation (missing bar: diverged)")
        ax.set_title(f"hidden units with {title}", fontsize=9)
    axes[0].set_ylabel("fraction of hidden units")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return [fig]
