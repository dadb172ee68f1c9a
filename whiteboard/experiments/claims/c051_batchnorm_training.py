"""C51, C52, C53: what BatchNorm does to training deep MLPs on digits (library nn + optim).

C51 BN speeds up convergence and tolerates larger learning rates: MLP 64-(128)×6-10, He init,
    SGD lr ∈ {0.01, 0.1, 1.0}, ±BN: epochs to 95 % training accuracy; lr 1.0 diverges without BN.
C52 BN makes saturating sigmoid nets trainable: 8 sigmoid layers, Xavier init, SGD lr 0.5.
C53 BN makes training insensitive to the init scale: 6 ReLU layers with std = s·He.
"""

import math

import numpy as np

from ... import backend, nn, optim, tensor
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd
from ._common_claims_ad import accuracy, digits_split


def _deep_mlp(depth, width, bn, act="relu", init_scale=1.0, seed=0):
    backend.manual_seed(seed)
    layers, fan = [], 64
    for _ in range(depth):
        lin = nn.Linear(fan, width)
        if act == "relu":
            nn.init.normal_(lin.weight, 0.0, init_scale * math.sqrt(2.0 / fan))
        else:
            nn.init.xavier_normal_(lin.weight)
        nn.init.zeros_(lin.bias)
        layers.append(lin)
        if bn:
            layers.append(nn.BatchNorm1d(width))
        layers.append(nn.ReLU() if act == "relu" else nn.Sigmoid())
        fan = width
    layers.append(nn.Linear(fan, 10))
    return nn.Sequential(*layers).double()


def _fit(model, Xtr, ytr, *, epochs, lr, seed, batch_size=32, Xte=None, yte=None):
    """Plain SGD; returns per-epoch training accuracy (NaN-safe: a diverged net scores 0)."""
    rng = np.random.default_rng(seed)
    opt = optim.SGD(model.parameters(), lr=lr)
    lossf = nn.CrossEntropyLoss()
    curve = []
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            model.train()
            order = rng.permutation(len(ytr))
            for i in range(0, len(ytr), batch_size):
                b = order[i:i + batch_size]
                opt.zero_grad()
                loss = lossf(model(tensor(Xtr[b])), tensor(ytr[b]))
                if not np.isfinite(loss.item()):
                    return curve + [0.0] * (epochs - len(curve)), True
                loss.backward()
                opt.step()
            curve.append(accuracy(model, Xtr, ytr))
    return curve, False


def _epochs_to(curve, level=0.95):
    hit = [i + 1 for i, a in enumerate(curve) if a >= level]
    return hit[0] if hit else None


LRS = (0.01, 0.1, 1.0)


@experiment("C51", section="C", title="BN speeds up training and allows larger learning rates",
            expected="reproduce", seeds=3,
            claim="BN speeds up convergence and allows larger learning rates.",
            design="MLP 64-(128)x6-10 on digits, He init, plain SGD (batch 32) with lr in {0.01, "
                   "0.1, 1.0} for 10 epochs (quick: 64-(64)x6-10, 4 epochs), with and without "
                   "BatchNorm1d, 3 seeds: epochs to 95% training accuracy and divergence.",
            code=["whiteboard.nn:BatchNorm1d", "whiteboard.optim:SGD"],
            tests=["tests/nn/test_normalization.py"])
def c51(seed, quick):
    Xtr, _, ytr, _ = digits_split(seed)
    width, epochs = (64, 4) if quick else (128, 10)
    out = {}
    for bn in (False, True):
        for lr in LRS:
            net = _deep_mlp(6, width, bn, seed=seed)
            curve, diverged = _fit(net, Xtr, ytr, epochs=epochs, lr=lr, seed=seed)
            out[f"{'bn' if bn else 'plain'}_{lr}"] = {"curve": curve, "diverged": diverged,
                                                      "final": curve[-1]}
    return {"lrs": list(LRS), "epochs": epochs, "runs": out}


@c51.decide
def _(trials):
    def e(t, k):
        v = _epochs_to(t["runs"][k]["curve"])
        return t["epochs"] + 1 if v is None else v

    bn_e = [e(t, "bn_0.1") for t in trials]
    pl_e = [e(t, "plain_0.1") for t in trials]
    bn_hi = [t["runs"]["bn_1.0"]["final"] for t in trials]
    pl_hi = [t["runs"]["plain_1.0"]["final"] for t in trials]
    faster = np.mean(bn_e) < np.mean(pl_e) or np.mean(
        [t["runs"]["bn_0.01"]["final"] - t["runs"]["plain_0.01"]["final"] for t in trials]) > 0.05
    large_lr = min(bn_hi) > 0.8 and max(pl_hi) < 0.5  # BN still trains where plain SGD fails
    return verdict(faster and large_lr,
                   f"epochs to 95% train acc at lr 0.1: BN {fmt_mean_sd(bn_e, 1)} vs plain "
                   f"{fmt_mean_sd(pl_e, 1)}; lr 1.0 final train acc BN {fmt_mean_sd(bn_hi)} vs "
                   f"plain {fmt_mean_sd(pl_hi)} (never reached = epochs + 1)")


@c51.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(1, 3, figsize=(10, 3.2), sharey=True)
    for a, lr in zip(ax, LRS):
        for kind in ("plain", "bn"):
            a.plot(range(1, t["epochs"] + 1), t["runs"][f"{kind}_{lr}"]["curve"], "o-",
                   label="with BN" if kind == "bn" else "without BN")
        a.set_title(f"lr = {lr}")
        a.set_xlabel("epoch")
    ax[0].set_ylabel("training accuracy")
    ax[0].legend(fontsize=8)
    fig.tight_layout()
    return [fig]


def _grad_ratio(net, X, y):
    lins = [m for m in net.modules() if isinstance(m, nn.Linear)]
    net.train()
    for p in net.parameters():
        p.grad = None
    nn.CrossEntropyLoss()(net(tensor(X)), tensor(y)).backward()
    return float(np.linalg.norm(lins[0].weight.grad.numpy()) /
                 np.linalg.norm(lins[-2].weight.grad.numpy()))


@experiment("C52", section="C", title="BN makes saturating sigmoid nets trainable",
            expected="reproduce", seeds=5,
            claim="BN makes saturating activations (sigmoid, tanh) usable and counters vanishing "
                  "gradients.",
            design="8 sigmoid layers of width 128, Xavier init, plain SGD lr 0.5, 10 epochs "
                   "(quick the same: 2 s), with and without BatchNorm1d, 5 seeds: mean test "
                   "accuracy (CLAIMS.md's levels: <= 30 % without, > 90 % with BN) and the "
                   "first-/last-hidden-layer weight-gradient norm ratio at init.",
            code=["whiteboard.nn:BatchNorm1d", "whiteboard.nn:Sigmoid"],
            tests=["tests/nn/test_normalization.py"])
def c52(seed, quick):
    # quick = full: the full run takes ~2 s, and 4 epochs at width 64 leave the BN net half-trained
    Xtr, Xte, ytr, yte = digits_split(seed)
    width, epochs = 128, 10
    out = {}
    for bn in (False, True):
        net = _deep_mlp(8, width, bn, act="sigmoid", seed=seed)
        ratio = _grad_ratio(net, Xtr[:256], ytr[:256])
        _fit(net, Xtr, ytr, epochs=epochs, lr=0.5, seed=seed)
        out["bn" if bn else "plain"] = {"test": accuracy(net, Xte, yte), "grad_ratio": ratio}
    return out


@c52.decide
def _(trials):
    p = [t["plain"]["test"] for t in trials]
    b = [t["bn"]["test"] for t in trials]
    rp = float(np.exp(np.mean([np.log(t["plain"]["grad_ratio"]) for t in trials])))
    rb = float(np.exp(np.mean([np.log(t["bn"]["grad_ratio"]) for t in trials])))
    return verdict(np.mean(p) <= 0.3 and np.mean(b) > 0.9,
                   f"test accuracy: sigmoid x8 {fmt_mean_sd(p)} vs with BN {fmt_mean_sd(b)} "
                   f"(n = {len(trials)} seeds; levels <= 0.3 and > 0.9); first/last layer "
                   f"gradient norm at init (geometric mean) {rp:.2g} vs {rb:.2g}")


@c52.plot
def _(trials):
    from ._common_claims_ad import bar_figure

    return [bar_figure(["without BN", "with BN"],
                       [np.mean([t["plain"]["test"] for t in trials]),
                        np.mean([t["bn"]["test"] for t in trials])],
                       "mean test accuracy", "8-layer sigmoid MLP, SGD lr 0.5")]


SCALES = (0.1, 0.3, 1.0, 3.0, 10.0)


@experiment("C53", section="C", title="With BN the net is insensitive to the init scale",
            expected="reproduce", seeds=3,
            claim="With BN the network is much less sensitive to initialisation.",
            design="6-layer ReLU MLP (width 128), init std = s x He with s in {0.1, 0.3, 1, 3, "
                   "10}, plain SGD lr 0.05, 6 epochs (quick the same: 3 s), with and without "
                   "BatchNorm1d, 3 seeds: mean final test accuracy vs s.",
            code=["whiteboard.nn:BatchNorm1d", "whiteboard.nn.init:normal_"],
            tests=["tests/nn/test_normalization.py", "tests/nn/test_init.py"])
def c53(seed, quick):
    # quick = full: the full run takes ~3 s, and 3 epochs at width 64 leave the BN nets at
    # large init scales half-trained
    Xtr, Xte, ytr, yte = digits_split(seed)
    width, epochs = 128, 6
    out = {"plain": [], "bn": []}
    for bn in (False, True):
        for s in SCALES:
            net = _deep_mlp(6, width, bn, init_scale=s, seed=seed)
            _, diverged = _fit(net, Xtr, ytr, epochs=epochs, lr=0.05, seed=seed)
            with np.errstate(all="ignore"):
                acc = 0.0 if diverged else accuracy(net, Xte, yte)
            out["bn" if bn else "plain"].append(acc)
    return {"scales": list(SCALES), **out}


def _mean_curves(trials):
    return {k: np.mean([t[k] for t in trials], axis=0).tolist() for k in ("plain", "bn")}


@c53.decide
def _(trials):
    t = _mean_curves(trials)
    spread_bn = max(t["bn"]) - min(t["bn"])
    spread_pl = max(t["plain"]) - min(t["plain"])
    # "much less sensitive": at most half the spread, and a clearly better worst case
    return verdict(spread_bn < spread_pl / 2 and min(t["bn"]) > min(t["plain"]) + 0.2,
                   f"test accuracy range over init scales 0.1..10: with BN "
                   f"{min(t['bn']):.3f}-{max(t['bn']):.3f}, without {min(t['plain']):.3f}-"
                   f"{max(t['plain']):.3f} (means over {len(trials)} seeds)")


@c53.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = dict(_mean_curves(trials), scales=trials[0]["scales"])
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.semilogx(t["scales"], t["plain"], "o-", label="without BN")
    ax.semilogx(t["scales"], t["bn"], "s-", label="with BN")
    ax.set_xlabel("init std / He std")
    ax.set_ylabel("mean test accuracy")
    ax.set_title("Sensitivity to initialisation, 6 ReLU layers")
    ax.legend()
    fig.tight_layout()
    return [fig]
