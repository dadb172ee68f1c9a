"""C116, C118: Adagrad's effective learning rate decays towards 0; RMSprop / Adadelta fix it.

    Adagrad   G_t = G_{t−1} + g_t²,             Δθ = −η g_t / (√G_t + ε)
    RMSprop   v_t = αv_{t−1} + (1 − α)g_t²,     Δθ = −η g_t / (√v_t + ε)
    Adadelta  Δθ = −√(E[Δθ²] + ε)/√(E[g²] + ε) · g_t

Adagrad's accumulator only grows, so its per-parameter rate η/√G_t decays like 1/√t when the
gradient scale is steady — eventually too small to make progress. RMSprop and Adadelta replace
the sum by an exponential moving average, so their effective rate tracks the recent gradient
scale and need not decrease. All optimisers are the library's; the effective rate is read from
the optimiser state (Adagrad ``sum``, RMSprop ``square_avg``) and the actual step |Δθ| is
measured for all.
"""

import numpy as np

from ... import nn, tensor
from ...optim import Adadelta, Adagrad, Adam, RMSprop
from ._common_claims_eh import digits_split, mlp
from ..registry import experiment, verdict

OPTS = {"Adagrad": lambda p: Adagrad(p, lr=0.01), "RMSprop": lambda p: RMSprop(p, lr=0.001),
        "Adadelta": lambda p: Adadelta(p, lr=1.0), "Adam": lambda p: Adam(p, lr=0.001)}


def _effective(opt, name):
    vals = []
    for st in opt.state.values():
        if name == "Adagrad":
            vals.append(0.01 / (np.sqrt(st["sum"]) + 1e-10))
        elif name == "RMSprop":
            vals.append(0.001 / (np.sqrt(st["square_avg"]) + 1e-8))
    return float(np.median(np.concatenate([v.ravel() for v in vals]))) if vals else None


def _train(name, seed, epochs):
    Xtr, _, ytr, _ = digits_split(seed)
    model = mlp((64, 64, 10), nn.ReLU, seed=seed)
    params = list(model.parameters())
    opt = OPTS[name](params)
    lossf = nn.CrossEntropyLoss()
    rng = np.random.default_rng(seed)
    eff, steps, losses = [], [], []
    for _ in range(epochs):
        order = rng.permutation(len(ytr))
        moved, ep_loss = [], []
        for i in range(0, len(ytr), 64):
            b = order[i:i + 64]
            opt.zero_grad()
            loss = lossf(model(tensor(Xtr[b])), tensor(ytr[b]))
            loss.backward()
            before = np.concatenate([p.numpy().ravel() for p in params])
            opt.step()
            after = np.concatenate([p.numpy().ravel() for p in params])
            moved.append(float(np.mean(np.abs(after - before))))
            ep_loss.append(float(loss.item()))
        eff.append(_effective(opt, name))
        steps.append(float(np.mean(moved)))
        losses.append(float(np.mean(ep_loss)))
    return {"effective_lr": eff, "step": steps, "loss": losses}


@experiment("C116", section="H", title="Adagrad's effective learning rate decays towards 0",
            expected="reproduce",
            claim="Adagrad's effective learning rate decays towards 0, so training slows down or "
                  "stalls too early.",
            design="MLP 64-64-10 (ReLU) on digits, batch 64, 40 epochs (8 quick): median "
                   "η/√G_t of Adagrad (lr 0.01) per epoch and its log–log slope against the "
                   "epoch (−0.5 for 1/√t); mean |Δθ| per step; training loss against RMSprop "
                   "(lr 1e-3), Adadelta (lr 1) and Adam (lr 1e-3).",
            code=["whiteboard.optim:Adagrad", "whiteboard.optim:RMSprop",
                  "whiteboard.optim:Adadelta", "whiteboard.optim:Adam"],
            tests=["tests/optim/test_optimizers.py"])
def c116(seed, quick):
    epochs = 8 if quick else 40
    runs = {n: _train(n, seed, epochs) for n in OPTS}
    e = np.asarray(runs["Adagrad"]["effective_lr"])
    t = np.arange(1, e.size + 1)
    slope = float(np.polyfit(np.log(t[1:]), np.log(e[1:]), 1)[0])
    return {"runs": runs, "adagrad_slope": slope, "epochs": epochs}


@c116.decide
def _(trials):
    t = trials[0]
    e = t["runs"]["Adagrad"]["effective_lr"]
    decays = all(b < a for a, b in zip(e[:-1], e[1:])) and -0.8 < t["adagrad_slope"] < -0.2
    final = {n: r["loss"][-1] for n, r in t["runs"].items()}
    stalls = final["Adagrad"] > min(final["RMSprop"], final["Adam"])
    return verdict(decays and stalls,
                   f"Adagrad η/√G: {e[0]:.2e} → {e[-1]:.2e} (log–log slope "
                   f"{t['adagrad_slope']:.2f}, −0.5 for 1/√t); final training loss after "
                   f"{t['epochs']} epochs: " + ", ".join(f"{n} {v:.3f}" for n, v in final.items()))


def _figure(t):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
    for n, r in t["runs"].items():
        ep = np.arange(1, len(r["step"]) + 1)
        axes[0].loglog(ep, r["step"], "o-", ms=3, label=n)
        axes[1].semilogy(ep, r["loss"], label=n)
    axes[0].set_xlabel("epoch")
    axes[0].set_ylabel("mean |Δθ| per step")
    axes[0].set_title("actual step size")
    axes[1].set_xlabel("epoch")
    axes[1].set_ylabel("training loss")
    axes[1].set_title("MLP on digits")
    for ax in axes:
        ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


@c116.plot
def _(trials):
    return _figure(trials[0])


@experiment("C118", section="H", title="RMSprop and Adadelta fix Adagrad's vanishing step",
            expected="reproduce",
            claim="RMSprop and Adadelta fix Adagrad's vanishing learning rate.",
            design="The C116 runs: is RMSprop's median η/√v_t monotonically decreasing (Adagrad's "
                   "is by construction)? Ratio of the last to the first epoch's mean |Δθ| for "
                   "Adagrad, RMSprop and Adadelta; final training losses.",
            code=["whiteboard.optim:RMSprop", "whiteboard.optim:Adadelta"],
            tests=["tests/optim/test_optimizers.py"])
def c118(seed, quick):
    return c116.run(seed, quick)


@c118.decide
def _(trials):
    t = trials[0]
    r = t["runs"]
    e = r["RMSprop"]["effective_lr"]
    not_monotone = any(b > a for a, b in zip(e[:-1], e[1:]))
    ratio = {n: r[n]["step"][-1] / r[n]["step"][0] for n in ("Adagrad", "RMSprop", "Adadelta")}
    keeps = ratio["RMSprop"] > ratio["Adagrad"] and ratio["Adadelta"] > ratio["Adagrad"]
    lower = min(r["RMSprop"]["loss"][-1], r["Adadelta"]["loss"][-1]) < r["Adagrad"]["loss"][-1]
    return verdict(not_monotone and keeps and lower,
                   f"RMSprop's η/√v {'rises at times' if not_monotone else 'only decreases'}; "
                   f"last/first step size: Adagrad {ratio['Adagrad']:.2f}, RMSprop "
                   f"{ratio['RMSprop']:.2f}, Adadelta {ratio['Adadelta']:.2f}; final loss "
                   f"Adagrad {r['Adagrad']['loss'][-1]:.3f}, RMSprop "
                   f"{r['RMSprop']['loss'][-1]:.3f}, Adadelta {r['Adadelta']['loss'][-1]:.3f}")


@c118.plot
def _(trials):
    return _figure(trials[0])
