"""C125: a too-large learning rate makes the loss blow up within a few batches; start around
0.01–0.001.

SGD's update θ ← θ − η∇L is stable on a locally quadratic loss only while η < 2/λ_max (λ_max the
largest Hessian eigenvalue): beyond it the component along the top eigenvector is multiplied by
|1 − ηλ_max| > 1 each step and the loss grows geometrically, so it blows up within a handful of
batches. Adam's step is ≈ η per coordinate whatever the gradient's scale, so its usable range sits
at a different η altogether. The sweep trains the same MLP on digits with the library's SGD and
Adam over η ∈ {1e-4, 3e-4, …, 10} and records (a) the first batch whose loss exceeds twice the
initial loss ln 10 (or is not finite), and (b) the final test accuracy; the note's starting range
is judged by how close the best η in [1e-3, 1e-2] comes to each optimiser's best η.
"""

import numpy as np

from ...optim import SGD, Adam
from ..registry import experiment, verdict
from ._common_claims_ad import accuracy, digits_split
from ._common_claims_eh import mlp
from ._common_claims_gh import full_loss, train_steps

LRS = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0, 10.0)
OPTIMISERS = {"SGD": lambda p, lr: SGD(p, lr=lr), "Adam": lambda p, lr: Adam(p, lr=lr)}
BLOWUP_WITHIN = 20          # "a few batches"
START = (1e-3, 1e-2)        # the note's starting range
TOLERANCE = 0.02            # accuracy within 2 points of the best counts as a good start


def _first_blowup(batch_loss, threshold):
    bad = [i for i, v in enumerate(batch_loss) if not np.isfinite(v) or v > threshold]
    return bad[0] if bad else None


@experiment("C125", section="H", title="Too large a learning rate blows up; where to start",
            expected="contested",
            claim="A too-large learning rate makes the loss blow up within a few batches; start "
                  "around 0.01–0.001.",
            design="MLP 64-64-10 on standardised digits (70/30), batch 32, 600 updates (quick "
                   "200) of the library's SGD and Adam for η ∈ {1e-4 … 10} (half-decades), 5 "
                   "seeds. Evidence: first batch with loss > 2·ln 10 (blow-up), loss at batch 20, "
                   "final test accuracy per η; best η per optimiser vs the 0.001–0.01 range.",
            code=["whiteboard.optim:SGD", "whiteboard.optim:Adam",
                  "whiteboard.nn:CrossEntropyLoss"],
            tests=["tests/optim/test_optimizers.py"], seeds=5)
def c125(seed, quick):
    Xtr, Xte, ytr, yte = digits_split()
    steps = 200 if quick else 600
    threshold = 2 * float(np.log(10))
    out = {"lrs": list(LRS), "threshold": threshold, "steps": steps}
    for name, make in OPTIMISERS.items():
        rows = []
        for lr in LRS:
            model = mlp((64, 64, 10), seed=seed)
            r = train_steps(model, Xtr, ytr, lambda p, lr=lr, make=make: make(p, lr),
                            steps=steps, batch_size=32, seed=seed)
            bl = r["batch_loss"]
            diverged = not np.isfinite(bl[-1])
            rows.append({"lr": lr, "blowup_step": _first_blowup(bl, threshold),
                         "loss_at_20": bl[BLOWUP_WITHIN - 1],
                         "curve": bl[:60],
                         "final_loss": float("inf") if diverged else full_loss(model, Xtr, ytr),
                         "test_acc": 0.1 if diverged else accuracy(model, Xte, yte)})
        out[name] = rows
    return out


def _mean_acc(trials, name):
    return np.array([[row["test_acc"] for row in t[name]] for t in trials]).mean(0)


@c125.decide
def _(trials):
    lrs = np.array(trials[0]["lrs"])
    in_start = (lrs >= START[0]) & (lrs <= START[1])
    ok, parts = [], []
    for name in OPTIMISERS:
        acc = _mean_acc(trials, name)
        blow = [t[name][-1]["blowup_step"] for t in trials]
        fast_blowup = all(b is not None and b < BLOWUP_WITHIN for b in blow)
        best = int(np.argmax(acc))
        best_blows = any(t[name][best]["blowup_step"] is not None for t in trials)
        start_acc = float(acc[in_start].max())
        start_ok = start_acc >= acc[best] - TOLERANCE
        ok.append(fast_blowup and not best_blows and start_ok)
        worst = max((b for b in blow if b is not None), default="never")
        parts.append(f"{name}: η = {lrs[-1]:g} blows up after {worst} updates (worst seed), "
                     f"best η {lrs[best]:g} (test acc {acc[best]:.3f}), best in 0.001–0.01 "
                     f"{start_acc:.3f}")
    return verdict(all(ok), "; ".join(parts) + f" — mean of {len(trials)} seeds")


@c125.plot
def _(trials):
    import matplotlib.pyplot as plt

    lrs = trials[0]["lrs"]
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.8))
    for name in OPTIMISERS:
        axes[0].plot(lrs, _mean_acc(trials, name), "o-", label=name)
        loss20 = np.array([[row["loss_at_20"] for row in t[name]] for t in trials])
        loss20 = np.where(np.isfinite(loss20), np.minimum(loss20, 1e6), 1e6)
        axes[1].plot(lrs, loss20.mean(0), "o-", label=name)
    axes[0].axvspan(*START, color="0.9", label="note: 0.001–0.01")
    axes[0].set_ylabel("final test accuracy")
    axes[0].set_title(f"Digits MLP after {trials[0]['steps']} updates")
    axes[1].axhline(np.log(10), color="k", ls=":", lw=0.8, label="initial loss ln 10")
    axes[1].set_yscale("log")
    axes[1].set_ylabel("mini-batch loss at batch 20 (1e6 = diverged)")
    axes[1].set_title("Blow-up within 20 batches")
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xlabel("learning rate η")
        ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
