"""C151: auxiliary classifiers add gradient signal to middle layers and regularise.

GoogLeNet attaches small classifiers to intermediate layers and trains on
L = L_main + w · L_aux (w = 0.3), dropping them at test time. Then
∂L/∂θ_early = ∂L_main/∂θ_early + w · ∂L_aux/∂θ_early: the second term passes through only the
layers below the auxiliary head, so it is not attenuated by the upper half of the network. Whether
it also *regularises* (better test accuracy) is the contested half (Szegedy et al. 2015 report a
small effect; the v3 paper says the heads mostly act as regularisers late in training).
"""

import numpy as np

from ... import backend, nn, tensor
from ..registry import NOT_REPRODUCED, experiment, verdict
from ..stats import exceeds_noise, fmt_mean_sd, paired_test
from ._common_claims_in import digits_split

AUX_WEIGHT = 0.3


class AuxNet(nn.Module):
    """A plain ReLU MLP of ``depth`` Linear layers with an auxiliary linear head after layer
    ``aux_at``; ``forward`` returns ``(main_logits, aux_logits)``."""

    def __init__(self, d_in=64, width=32, depth=12, aux_at=6, n_out=10):
        super().__init__()
        self.lower = nn.Sequential(*[m for i in range(aux_at)
                                     for m in (nn.Linear(d_in if i == 0 else width, width),
                                               nn.ReLU())])
        self.upper = nn.Sequential(*[m for _ in range(depth - aux_at - 1)
                                     for m in (nn.Linear(width, width), nn.ReLU())],
                                   nn.Linear(width, n_out))
        self.aux = nn.Linear(width, n_out)

    def forward(self, x):
        h = self.lower(x)
        return self.upper(h), self.aux(h)


def _loss(model, X, y, aux):
    main, side = model(tensor(X))
    loss = nn.functional.cross_entropy(main, tensor(y))
    if aux:
        loss = loss + AUX_WEIGHT * nn.functional.cross_entropy(side, tensor(y))
    return loss


def _train(model, X, y, aux, epochs, seed, lr=1e-3, batch_size=64):
    # Adam: plain SGD does not move a 12-layer net at this init within the budget, in either arm
    from ...optim import Adam

    rng = np.random.default_rng(seed)
    opt = Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch_size):
            idx = order[start:start + batch_size]
            opt.zero_grad()
            _loss(model, X[idx], y[idx], aux).backward()
            opt.step()
    model.eval()


@experiment("C151", section="I", title="Auxiliary classifiers: gradient to middle layers, accuracy",
            expected="contested", seeds=5,
            claim="Auxiliary classifiers add gradient signal to middle layers and regularise.",
            design="12-layer plain ReLU MLP (width 32, PyTorch's default init) on digits with an "
                   "auxiliary linear head after layer 6 (loss weight 0.3) vs none: first-layer "
                   "gradient norm at init (decides the signal half), test accuracy after Adam "
                   "(lr 1e-3, 40 epochs; quick 15) from the same init (decides the "
                   "regularisation half), 5 seeds paired.",
            code=["whiteboard.experiments.claims.c151_auxiliary_classifiers:AuxNet",
                  "whiteboard.models.googlenet:GoogLeNet", "whiteboard.nn:CrossEntropyLoss"],
            tests=["tests/models/test_architectures.py", "tests/nn/test_loss.py"])
def c151(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed)
    Xtr, Xte = Xtr.astype(np.float32), Xte.astype(np.float32)
    epochs = 15 if quick else 40
    out = {}
    for name, aux in (("none", False), ("aux", True)):
        backend.manual_seed(seed)
        m = AuxNet()
        m.zero_grad()
        _loss(m, Xtr, ytr, aux).backward()
        out[f"{name}_grad_first"] = float(np.linalg.norm(m.lower[0].weight.grad.numpy()))
        out[f"{name}_grad_last"] = float(np.linalg.norm(m.upper[-1].weight.grad.numpy()))
        _train(m, Xtr, ytr, aux, epochs, seed)
        main, _ = m(tensor(Xtr))
        out[f"{name}_train_acc"] = float(np.mean(main.numpy().argmax(1) == ytr))
        main, _ = m(tensor(Xte))
        out[f"{name}_test_acc"] = float(np.mean(main.numpy().argmax(1) == yte))
    return out


@c151.decide
def _(trials):
    ratio = [t["aux_grad_first"] / t["none_grad_first"] for t in trials]
    aux = [t["aux_test_acc"] for t in trials]
    none = [t["none_test_acc"] for t in trials]
    p = paired_test(aux, none)
    signal = all(r > 2.0 for r in ratio)
    regularises = exceeds_noise(aux, none) if len(trials) >= 5 else p["mean"] > 0
    return verdict(signal and regularises,
                   f"first-layer gradient norm at init with / without the auxiliary head: "
                   f"{fmt_mean_sd(ratio, 2)}× (signal half {'holds' if signal else 'fails'}: "
                   f"> 2× in every seed); test accuracy aux {fmt_mean_sd(aux, 4)} vs none "
                   f"{fmt_mean_sd(none, 4)} (paired {p['mean']:+.4f}, p = {p['p']:.3f}; "
                   f"regularisation half {'holds' if regularises else 'fails'}); training "
                   f"accuracy aux {fmt_mean_sd([t['aux_train_acc'] for t in trials])} vs none "
                   f"{fmt_mean_sd([t['none_train_acc'] for t in trials])}",
                   otherwise=NOT_REPRODUCED)


@c151.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(8, 3.5))
    g = np.array([[t["none_grad_first"], t["aux_grad_first"]] for t in trials])
    axes[0].bar(["no auxiliary", "auxiliary (w = 0.3)"], g.mean(0), yerr=g.std(0), capsize=3,
                color=["grey", "tab:orange"])
    axes[0].set_yscale("log")
    axes[0].set_ylabel("‖∂L/∂W₁‖ at init")
    axes[0].set_title("Gradient reaching layer 1")
    for t in trials:
        axes[1].plot([0, 1], [t["none_test_acc"], t["aux_test_acc"]], "o-", color="tab:blue",
                     alpha=0.5)
    axes[1].set_xticks([0, 1], ["no auxiliary", "auxiliary"])
    axes[1].set_ylabel("test accuracy (main head)")
    axes[1].set_title("Paired seeds")
    fig.tight_layout()
    return [fig]
