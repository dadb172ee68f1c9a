"""C145: ResNet v2 (pre-activation, nothing after the addition) optimises more easily than v1.

v1 (post-activation) block: x_{l+1} = relu(x_l + BN(W₂ relu(BN(W₁ x_l)))) — the ReLU after the
addition sits on the shortcut, so the signal from x_L back to x_l passes L − l ReLUs and the
identity path is not clean. v2 (pre-activation) block:
x_{l+1} = x_l + W₂ relu(BN(W₁ relu(BN(x_l)))),
so x_L = x_l + Σ_{i≥l} F_i(x_i) and ∂L/∂x_l = ∂L/∂x_L · (1 + ∂/∂x_l Σ F_i): a pure identity term
reaches every block (He et al., *Identity Mappings in Deep Residual Networks*, 2016).

At small scale the MLP analogue of both blocks is trained at an equal budget and depth; the claim
is decided on the final *training* loss at the deepest depth (optimisation, not generalisation).
"""

import numpy as np

from ... import backend, nn
from ..registry import NOT_REPRODUCED, experiment, verdict
from ..stats import fmt_mean_sd, paired_test
from ._common_claims_in import digits_split, eval_loss, he_init, predict, train_sgd


class PostActBlock(nn.Module):
    """ResNet v1 block (MLP form): ``relu(x + BN(W₂ relu(BN(W₁ x))))``."""

    def __init__(self, width):
        super().__init__()
        self.branch = nn.Sequential(nn.Linear(width, width), nn.BatchNorm1d(width), nn.ReLU(),
                                    nn.Linear(width, width), nn.BatchNorm1d(width))

    def forward(self, x):
        return nn.functional.relu(x + self.branch(x))


class PreActBlock(nn.Module):
    """ResNet v2 block (MLP form): ``x + W₂ relu(BN(W₁ relu(BN(x))))`` — identity after the add."""

    def __init__(self, width):
        super().__init__()
        self.branch = nn.Sequential(nn.BatchNorm1d(width), nn.ReLU(), nn.Linear(width, width),
                                    nn.BatchNorm1d(width), nn.ReLU(), nn.Linear(width, width))

    def forward(self, x):
        return x + self.branch(x)


def residual_mlp(n_blocks, preact, width=64, d_in=64, n_out=10):
    """Stem Linear → ReLU, ``n_blocks`` v1/v2 blocks, (v2: final BN → ReLU), linear head."""
    block = PreActBlock if preact else PostActBlock
    tail = [nn.BatchNorm1d(width), nn.ReLU()] if preact else []
    blocks = [block(width) for _ in range(n_blocks)]
    return nn.Sequential(nn.Linear(d_in, width), nn.ReLU(), *blocks, *tail,
                         nn.Linear(width, n_out))


@experiment("C145", section="I", title="Pre-activation (ResNet v2) blocks optimise more easily",
            expected="contested", seeds=5,
            claim="ResNet v2 (pre-activation, identity after addition) optimises more easily.",
            design="Post-activation (v1: ReLU after the add) vs pre-activation (v2: BN-ReLU-Linear "
                   "twice, nothing after the add) residual MLPs of width 64 with 8/32/64 blocks "
                   "(quick: 8/32), He init, SGD momentum 0.9 lr 0.05, 5 epochs (quick 3) on "
                   "digits, equal budget; final training loss at the deepest depth decides, 5 "
                   "seeds, paired.",
            code=["whiteboard.experiments.claims.c145_preactivation:PreActBlock",
                  "whiteboard.experiments.claims.c145_preactivation:PostActBlock",
                  "whiteboard.models.resnet:PreActBasicBlock", "whiteboard.optim:SGD"],
            tests=["tests/models/test_architectures.py", "tests/nn/test_normalization.py"])
def c145(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed)
    depths = (8, 32) if quick else (8, 32, 64)
    epochs = 3 if quick else 5
    rows = []
    for n_blocks in depths:
        row = {"blocks": n_blocks, "layers": 2 * n_blocks + 2}
        for name, preact in (("v1", False), ("v2", True)):
            backend.manual_seed(seed)
            m = he_init(residual_mlp(n_blocks, preact))
            train_sgd(m, Xtr, ytr, epochs, seed=seed)
            row[f"{name}_train_loss"] = eval_loss(m, Xtr, ytr)
            row[f"{name}_test_acc"] = float(np.mean(predict(m, Xte.astype(np.float32)) == yte))
        rows.append(row)
    return {"rows": rows}


@c145.decide
def _(trials):
    deep = [t["rows"][-1] for t in trials]
    v1 = [r["v1_train_loss"] for r in deep]
    v2 = [r["v2_train_loss"] for r in deep]
    p = paired_test(v1, v2)
    # v2 must halve the training loss in every seed; with ≥ 5 seeds also beyond seed noise
    every = all(b < 0.5 * a for a, b in zip(v1, v2))
    noise_ok = len(trials) < 5 or (p["mean"] > 0 and p["p"] < 0.1)
    acc = {k: fmt_mean_sd([r[f"{k}_test_acc"] for r in deep]) for k in ("v1", "v2")}
    return verdict(every and noise_ok,
                   f"training loss at {deep[0]['layers']} layers: v1 {fmt_mean_sd(v1)} vs v2 "
                   f"{fmt_mean_sd(v2)} (v2 < v1/2 in {sum(b < 0.5 * a for a, b in zip(v1, v2))}/"
                   f"{len(v1)} seeds, paired p = {p['p']:.3f}); test accuracy v1 {acc['v1']}, "
                   f"v2 {acc['v2']}",
                   otherwise=NOT_REPRODUCED)


@c145.plot
def _(trials):
    import matplotlib.pyplot as plt

    layers = [r["layers"] for r in trials[0]["rows"]]
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.5))
    for name, lab in (("v1", "v1 post-activation"), ("v2", "v2 pre-activation")):
        for ax, key, ylab in ((axes[0], "train_loss", "final training loss"),
                              (axes[1], "test_acc", "test accuracy")):
            v = np.array([[r[f"{name}_{key}"] for r in t["rows"]] for t in trials])
            ax.errorbar(layers, v.mean(0), yerr=v.std(0), marker="o", label=lab, capsize=3)
            ax.set_xlabel("layers")
            ax.set_ylabel(ylab)
    axes[0].set_yscale("log")
    axes[0].set_title("Equal budget: training loss vs depth")
    axes[1].set_title("Test accuracy vs depth")
    axes[0].legend()
    fig.tight_layout()
    return [fig]
