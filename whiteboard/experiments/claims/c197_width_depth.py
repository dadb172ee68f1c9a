"""C197: widening a network lowers the training loss without adding training difficulty but
overfits more; deepening adds capacity but makes training harder (vanishing gradients).

Width and depth are swept separately on 300 training digits (plain ReLU MLPs, the library's
default PyTorch-style initialisation, no BN, no residuals, the same SGD budget for every net).
Three parts, each decided in every seed:

* wider fits: the widest net's final training loss is below the narrowest's;
* wider overfits more: its train–test loss gap is larger;
* deeper is harder: the deepest net's training loss after the budget is > 2× the best depth's,
  and its first-layer gradient norm at initialisation is < 1/10 of the 1-hidden-layer net's.

A classical reading of the bias–variance trade-off predicts the second part; over-parameterised
nets are known to generalise better as they widen (Neyshabur et al. 2015; Belkin et al. 2019), so
when the gap shrinks with width in every seed the claim is refuted for that part.
"""

import numpy as np

from ... import backend, nn
from ...autograd import tensor
from ..registry import NOT_REPRODUCED, REFUTED, experiment, verdict
from ._common_claims_in import digits_split, eval_loss, train_sgd

N_TRAIN = 300


def mlp(width, depth):
    """64 → ``depth`` hidden ReLU layers of ``width`` → 10 (the sweep's nets; C198 reuses them)."""
    layers, d = [], 64
    for _ in range(depth):
        layers += [nn.Linear(d, width), nn.ReLU()]
        d = width
    layers.append(nn.Linear(d, 10))
    return nn.Sequential(*layers)


def _first_layer_grad(model, X, y):
    model.zero_grad()
    nn.functional.cross_entropy(model(tensor(X)), tensor(y)).backward()
    return float(np.linalg.norm(model[0].weight.grad.data))


@experiment("C197", section="M", title="Width fits and overfits; depth is harder to train",
            expected="reproduce", seeds=3,
            claim="Widening a network lowers training loss without adding training difficulty "
                  "but overfits more; deepening adds non-linearity (capacity grows fast) but "
                  "makes training harder (vanishing gradients, dead units).",
            design="300 training digits (pixels / 16), plain ReLU MLPs with the default init, "
                   "SGD momentum 0.9 lr 0.05, batch 64, 30 epochs (quick 15): widths 8–1024 at "
                   "2 hidden layers (quick 8/128/1024), depths 1–12 at width 64 (quick 1/2/8); "
                   "final training loss, train–test loss gap, first-layer gradient norm at "
                   "initialisation; 3 seeds, each part decided in every seed.",
            code=["whiteboard.nn:Linear", "whiteboard.nn:ReLU", "whiteboard.optim:SGD"],
            tests=["tests/nn/test_linear.py", "tests/optim/test_optimizers.py"])
def c197(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed)
    Xtr, ytr = Xtr[:N_TRAIN].astype(np.float32), ytr[:N_TRAIN]
    Xte = Xte.astype(np.float32)
    epochs = 15 if quick else 30
    widths = (8, 128, 1024) if quick else (8, 32, 128, 512, 1024)
    depths = (1, 2, 8) if quick else (1, 2, 4, 8, 12)
    width_rows, depth_rows = [], []
    for w in widths:
        backend.manual_seed(seed)
        m = train_sgd(mlp(w, 2), Xtr, ytr, epochs, seed=seed)
        tr, te = eval_loss(m, Xtr, ytr), eval_loss(m, Xte, yte)
        width_rows.append({"width": w, "train_loss": tr, "test_loss": te, "gap": te - tr})
    for d in depths:
        backend.manual_seed(seed)
        m = mlp(64, d)
        g0 = _first_layer_grad(m, Xtr, ytr)
        train_sgd(m, Xtr, ytr, epochs, seed=seed)
        depth_rows.append({"depth": d, "train_loss": eval_loss(m, Xtr, ytr), "grad0": g0})
    return {"width": width_rows, "depth": depth_rows}


@c197.decide
def _(trials):
    fits = all(t["width"][-1]["train_loss"] < t["width"][0]["train_loss"] for t in trials)
    gaps = [(t["width"][0]["gap"], t["width"][-1]["gap"]) for t in trials]
    overfits = all(wide > narrow for narrow, wide in gaps)
    gap_shrinks = all(wide < narrow for narrow, wide in gaps)
    harder = all(t["depth"][-1]["train_loss"] > 2 * min(r["train_loss"] for r in t["depth"])
                 and t["depth"][-1]["grad0"] < 0.1 * t["depth"][0]["grad0"] for t in trials)
    t0 = trials[0]
    w, d = t0["width"], t0["depth"]
    msg = (f"width {w[0]['width']} → {w[-1]['width']}: training loss {w[0]['train_loss']:.3f} → "
           f"{w[-1]['train_loss']:.3f}, train–test gap "
           + ", ".join(f"{a:.3f} → {b:.3f}" for a, b in gaps)
           + f" (per seed); depth {d[0]['depth']} → {d[-1]['depth']}: training loss "
           f"{d[0]['train_loss']:.3f} → {d[-1]['train_loss']:.3f}, first-layer gradient "
           f"{d[0]['grad0']:.2e} → {d[-1]['grad0']:.2e} (seed 0); wider fits: {fits}, wider "
           f"overfits more: {overfits}, deeper harder: {harder}; n = {len(trials)}")
    otherwise = REFUTED if fits and harder and gap_shrinks else NOT_REPRODUCED
    return verdict(fits and overfits and harder, msg, otherwise=otherwise)


@c197.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    ws = [r["width"] for r in trials[0]["width"]]
    for key, lab in (("train_loss", "training loss"), ("gap", "test − training loss")):
        v = np.array([[r[key] for r in t["width"]] for t in trials])
        axes[0].errorbar(ws, v.mean(0), yerr=v.std(0), marker="o", capsize=3, label=lab)
    axes[0].set_xscale("log")
    axes[0].set_xlabel("width (2 hidden layers)")
    axes[0].set_ylabel("cross-entropy")
    axes[0].legend()
    ds = [r["depth"] for r in trials[0]["depth"]]
    v = np.array([[r["train_loss"] for r in t["depth"]] for t in trials])
    axes[1].errorbar(ds, v.mean(0), yerr=v.std(0), marker="o", capsize=3, color="C3",
                     label="training loss")
    axes[1].set_xlabel("hidden layers (width 64)")
    axes[1].set_ylabel("training loss after the budget")
    ax2 = axes[1].twinx()
    g = np.array([[r["grad0"] for r in t["depth"]] for t in trials])
    ax2.semilogy(ds, np.maximum(g.mean(0), 1e-12), "k--", marker="s", label="first-layer grad")
    ax2.set_ylabel("first-layer gradient norm at init")
    axes[1].legend(loc="upper left", fontsize=8)
    fig.suptitle(f"{N_TRAIN} training digits, {len(trials)} seeds")
    fig.tight_layout()
    return [fig]
