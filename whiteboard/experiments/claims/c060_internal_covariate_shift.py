"""C60: "BN works by reducing internal covariate shift" (contested; Santurkar et al. 2018).

A 6-layer MLP 64-(64)×5-10 on digits, He-normal init, plain SGD (batch 64, the same batches for
all), in three variants: no BN; BatchNorm1d before each ReLU; and Santurkar's "noisy BN", BN
followed by a random per-unit affine shift redrawn every step, which puts covariate shift back in.
At lr 0.05 (all three train) and every step t, on the step's batch:

(a) the moments of the inputs of layer 4 (the 4th Linear): per-unit batch mean μ_t and sd σ_t;
    their wander over training is ``drift = (mean_units sd_t(μ_t) + mean_units sd_t(σ_t)) /
    mean σ``, how much the distribution that layer 4 sees moves around;
(b) Santurkar's gradient ICS: G = ∂L/∂W₄ at the current parameters, G′ = ∂L/∂W₄ after layers
    1–3 (and their BN) take their SGD step with layer 4 and above unchanged;
    ``ICS = ‖G − G′‖ / ‖G‖`` (and cos(G, G′)).

The same three are also trained at lr 1.0, where BN's benefit shows (plain SGD diverges there).
Verdict: reproduced if BN works (trains at lr 1.0 where plain SGD diverges or does worse), lowers
gradient ICS beyond seed noise, and putting the shift back (noisy BN) hurts training (final loss
> 1.25× BN's, beyond noise); refuted if noisy BN — with more moment drift than no BN — trains as
well as BN (Santurkar's finding); otherwise not reproduced at this scale.
"""

import numpy as np

from ... import backend, nn, tensor
from ..registry import NOT_REPRODUCED, REFUTED, experiment, verdict
from ..stats import exceeds_noise, fmt_mean_sd
from ._common_claims_ad import accuracy, digits_split

WIDTH, DEPTH, LR, LR_LARGE, BATCH = 64, 6, 0.05, 1.0, 64
VARIANTS = ("plain", "bn", "noisy_bn")
LABELS = {"plain": "no BN", "bn": "BN", "noisy_bn": "BN + shift noise"}


class _ShiftNoise(nn.Module):
    """Santurkar's "noisy BN": in training, ``y = s_t ⊙ x + m_t`` with per-unit s_t ~ U(0.5, 1.5)
    and m_t ~ N(0, 0.5²), redrawn at every step (:meth:`resample`); the identity in eval."""

    def __init__(self, width, rng):
        super().__init__()
        self.width, self.rng = width, rng
        self.resample()

    def resample(self):
        self.scale = self.rng.uniform(0.5, 1.5, self.width)
        self.shift = self.rng.normal(0.0, 0.5, self.width)

    def forward(self, x):
        return x * tensor(self.scale) + tensor(self.shift) if self.training else x


def _blocks(variant, seed):
    blocks, fan_in = [], 64
    noise_rng = np.random.default_rng(seed + 1000)
    for _ in range(DEPTH - 1):
        norm = [] if variant == "plain" else [nn.BatchNorm1d(WIDTH)]
        if variant == "noisy_bn":
            norm.append(_ShiftNoise(WIDTH, noise_rng))
        layers = [nn.Linear(fan_in, WIDTH)] + norm + [nn.ReLU()]
        blocks.append(nn.Sequential(*layers))
        fan_in = WIDTH
    blocks.append(nn.Sequential(nn.Linear(WIDTH, 10)))
    net = nn.Sequential(*blocks).double()
    for m in net.modules():
        if isinstance(m, nn.Linear):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return net


def _loss(net, x, y, lossf):
    h, inputs4 = x, None
    for i, block in enumerate(net):
        if i == 3:
            inputs4 = h.numpy().copy()
        h = block(h)
    return lossf(h, y), inputs4


def _train(variant, seed, epochs, Xtr, ytr, lr=LR, measure=True):
    """SGD training; with ``measure`` also (a) and (b) at every step. Stops at a non-finite
    loss (``diverged``)."""
    from ... import optim

    backend.manual_seed(seed)
    net = _blocks(variant, seed)
    noises = [m for m in net.modules() if isinstance(m, _ShiftNoise)]
    lower = [p for block in list(net)[:3] for p in block.parameters()]
    w4 = list(net)[3][0].weight
    opt = optim.SGD(net.parameters(), lr=lr)
    lossf = nn.CrossEntropyLoss()
    rng = np.random.default_rng(seed)
    ics, cos, mus, sds, losses = [], [], [], [], []
    net.train()
    for _ in range(epochs):
        order = rng.permutation(len(ytr))
        for i in range(0, len(ytr) - BATCH + 1, BATCH):
            b = order[i:i + BATCH]
            x, y = tensor(Xtr[b]), tensor(ytr[b])
            for m in noises:
                m.resample()
            opt.zero_grad()
            with np.errstate(all="ignore"):
                loss, a4 = _loss(net, x, y, lossf)
                loss.backward()
            losses.append(float(loss.item()))
            if not np.isfinite(losses[-1]):
                return net, {"diverged": True, "final_loss": None}
            if measure:
                mus.append(a4.mean(0).tolist())
                sds.append(a4.std(0).tolist())
                g = np.array(opt._grad(w4))
                saved = [p.data.copy() for p in lower]
                for p in lower:
                    p.data = p.data - lr * opt._grad(p)
                opt.zero_grad()
                _loss(net, x, y, lossf)[0].backward()
                g2 = np.array(opt._grad(w4))
                ics.append(float(np.linalg.norm(g - g2) / (np.linalg.norm(g) + 1e-300)))
                cos.append(float((g * g2).sum() /
                                 (np.linalg.norm(g) * np.linalg.norm(g2) + 1e-300)))
                for p, d in zip(lower, saved):
                    p.data = d
                opt.zero_grad()
                _loss(net, x, y, lossf)[0].backward()
            opt.step()
    rec = {"diverged": False, "final_loss": float(np.mean(losses[-len(losses) // 10:]))}
    if measure:
        mus, sds = np.array(mus), np.array(sds)
        rec.update(ics=ics, cos=cos, loss=losses, mean_curve=mus.mean(1).tolist(),
                   sd_curve=sds.mean(1).tolist(), ics_mean=float(np.mean(ics)),
                   cos_mean=float(np.mean(cos)),
                   moment_drift=float((mus.std(0).mean() + sds.std(0).mean()) /
                                      (sds.mean() + 1e-300)))
    return net, rec


@experiment("C60", section="C", title="Does BN reduce internal covariate shift?",
            expected="contested", seeds=5,
            claim="BN works by reducing internal covariate shift.",
            design="6-layer MLP 64-(64)x5-10 on digits: no BN, BN, and BN followed by random "
                   "per-step shift noise (Santurkar's noisy BN); He init, plain SGD lr 0.05, batch "
                   "64, 6 epochs (quick 2), 5 seeds; per step (a) the drift of the moments of "
                   "layer-4 inputs, (b) Santurkar's ICS ||G - G'||/||G|| (layer-4 gradient "
                   "before/after updating layers 1-3), and the training loss.",
            code=["whiteboard.nn:BatchNorm1d", "whiteboard.optim:SGD"],
            tests=["tests/nn/test_normalization.py"])
def c60(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed)
    out = {}
    epochs = 2 if quick else 6
    for variant in VARIANTS:
        net, rec = _train(variant, seed, epochs, Xtr, ytr)
        rec["test"] = accuracy(net, Xte, yte)
        out[variant] = rec
        out[f"{variant}_lr{LR_LARGE:g}"] = _train(variant, seed, epochs, Xtr, ytr, lr=LR_LARGE,
                                                  measure=False)[1]
    return out


def _large(trials, variant):
    """Final training losses at LR_LARGE (inf where the run diverged)."""
    return [np.inf if t[f"{variant}_lr{LR_LARGE:g}"]["diverged"]
            else t[f"{variant}_lr{LR_LARGE:g}"]["final_loss"] for t in trials]


@c60.decide
def _(trials):
    ics = {k: [t[k]["ics_mean"] for t in trials] for k in VARIANTS}
    loss = {k: [t[k]["final_loss"] for t in trials] for k in VARIANTS}
    big = {k: _large(trials, k) for k in VARIANTS}
    drift = {k: float(np.mean([t[k]["moment_drift"] for t in trials])) for k in VARIANTS}
    cos = {k: float(np.mean([t[k]["cos_mean"] for t in trials])) for k in VARIANTS}
    multi = len(trials) > 1
    bn_lower_ics = exceeds_noise(ics["plain"], ics["bn"]) if multi else \
        ics["bn"][0] < 0.9 * ics["plain"][0]
    trains = {k: bool(np.all(np.asarray(big[k]) < 0.5)) for k in VARIANTS}
    # BN works: it trains at the large step where plain SGD diverges or does clearly worse
    bn_works = trains["bn"] and (not trains["plain"] or (
        exceeds_noise(big["plain"], big["bn"]) if multi else big["plain"][0] > big["bn"][0]))
    ratio = float(np.mean(big["noisy_bn"]) / np.mean(big["bn"]))
    noise_hurts = ratio > 1.25 and (exceeds_noise(big["noisy_bn"], big["bn"]) if multi
                                    else True)
    noisy_shifted = drift["noisy_bn"] > drift["plain"]
    text = (f"no BN / BN / noisy BN: gradient ICS ||G-G'||/||G|| "
            f"{np.mean(ics['plain']):.3f} / {np.mean(ics['bn']):.3f} / "
            f"{np.mean(ics['noisy_bn']):.3f} (cos {cos['plain']:.3f} / {cos['bn']:.3f} / "
            f"{cos['noisy_bn']:.3f}); layer-4 input moment drift {drift['plain']:.3f} / "
            f"{drift['bn']:.3f} / {drift['noisy_bn']:.3f}; final training loss at lr {LR:g} "
            f"{fmt_mean_sd(loss['plain'])} / {fmt_mean_sd(loss['bn'])} / "
            f"{fmt_mean_sd(loss['noisy_bn'])}; at lr {LR_LARGE:g} " +
            " / ".join("diverged" if not np.all(np.isfinite(big[k])) else f"{np.mean(big[k]):.3f}"
                       for k in VARIANTS) +
            f" (noisy/BN {ratio:.2f}, n = {len(trials)} seeds)")
    if bn_works and noisy_shifted and trains["noisy_bn"] and not noise_hurts:
        return verdict(False, text, otherwise=REFUTED)
    return verdict(bn_works and bn_lower_ics and noise_hurts, text, otherwise=NOT_REPRODUCED)


@c60.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.3))
    k = 10
    smooth = lambda v: np.convolve(v, np.ones(k) / k, mode="valid")  # noqa: E731
    for i, (key, label) in enumerate(LABELS.items()):
        c = f"C{i}"
        axes[0].plot(t[key]["mean_curve"], color=c, label=f"{label}: mean", lw=0.8)
        axes[0].plot(t[key]["sd_curve"], "--", color=c, label=f"{label}: sd", lw=0.8)
        axes[1].plot(smooth(t[key]["ics"]), color=c, label=label)
        axes[2].plot(smooth(t[key]["loss"]), color=c, label=label)
    axes[0].set_ylabel("layer-4 input moment (unit average)")
    axes[1].set_ylabel("||G - G'|| / ||G|| (moving avg)")
    axes[1].set_yscale("log")
    axes[2].set_ylabel("training loss (moving avg)")
    axes[2].set_yscale("log")
    for ax, title in zip(axes, ("(a) moments of layer-4 inputs", "(b) gradient ICS (Santurkar)",
                                "training loss")):
        ax.set_xlabel("SGD step")
        ax.set_title(title, fontsize=9)
        ax.legend(fontsize=7)
    fig.suptitle("Internal covariate shift with and without BN (seed 0)")
    fig.tight_layout()
    return [fig]
