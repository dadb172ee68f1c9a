"""C148: squeeze-and-excitation improves accuracy at a small parameter cost.

SE block (Hu et al. 2018): squeeze z_c = mean_{h,w} x_{c,h,w}; excite s = σ(W₂ relu(W₁ z)) with
W₁ ∈ R^{C/r × C}, W₂ ∈ R^{C × C/r}; output x_c · s_c. Its cost is 2C²/r + C/r + C parameters per
block (a small share of a 3×3 conv's 9C²), and every gate s_c lies in (0, 1). "Small cost" is
taken as under 15 % more parameters (SE-ResNet-50 adds about 10 %: 28.1 M vs 25.6 M); in a CNN
this small the dense head dominates less, so the share is higher than in ResNet-50.
"""

import numpy as np

from ... import backend, nn, tensor
from ...autograd import no_grad
from ..registry import NOT_REPRODUCED, experiment, verdict
from ..stats import exceeds_noise, fmt_mean_sd, paired_test
from ._common_claims_in import digits_images, n_params, predict, train_classifier


def se_cnn(se, channels=16, reduction=4):
    """Conv(1→c)-BN-ReLU-[SE]-MaxPool-Conv(c→2c)-BN-ReLU-[SE]-MaxPool-Linear for 1×8×8."""
    from ...models.resnet import SqueezeExcitation

    def stage(cin, cout):
        layers = [nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU()]
        if se:
            layers.append(SqueezeExcitation(cout, reduction))
        return layers + [nn.MaxPool2d(2)]

    return nn.Sequential(*stage(1, channels), *stage(channels, 2 * channels), nn.Flatten(),
                         nn.Linear(2 * channels * 4, 10))


def _gates(model, X):
    """Every SE gate value σ(·) of ``model`` on ``X`` (captured by re-running each SE block)."""
    from ...models.resnet import SqueezeExcitation

    gates = []
    with no_grad():
        h = tensor(X)
        for layer in model:
            if isinstance(layer, SqueezeExcitation):
                s = layer.pool(h).numpy().reshape(h.shape[0], -1)
                s = layer.gate(layer.fc2(layer.relu(layer.fc1(tensor(s))))).numpy()
                gates.append(s.ravel())
            h = layer(h)
    return np.concatenate(gates)


@experiment("C148", section="I", title="Squeeze-and-excitation: accuracy gain vs parameter cost",
            expected="contested", seeds=10,
            claim="Squeeze-and-excitation improves accuracy at small parameter cost.",
            design="Small CNN (16/32 channels, BN) with vs without an SE block (r = 4) after each "
                   "conv on 8×8 digits, Adam lr 3e-3, 6 epochs (quick 3), 10 seeds paired; "
                   "parameter increase (%), test-accuracy difference (paired test), gates in "
                   "(0, 1).",
            code=["whiteboard.models.resnet:SqueezeExcitation", "whiteboard.nn:AdaptiveAvgPool2d",
                  "whiteboard.nn:Sigmoid"],
            tests=["tests/models/test_architectures.py", "tests/nn/test_pooling.py"])
def c148(seed, quick):
    Xtr, Xte, ytr, yte = digits_images(seed)
    epochs = 3 if quick else 6
    out = {}
    for name, se in (("plain", False), ("se", True)):
        backend.manual_seed(seed)
        m = se_cnn(se)
        train_classifier(m, Xtr, ytr, epochs, lr=3e-3, seed=seed)
        m.eval()
        out[f"{name}_params"] = n_params(m)
        out[f"{name}_test_acc"] = float(np.mean(predict(m, Xte) == yte))
        if se:
            g = _gates(m, Xte)
            out["gate_min"], out["gate_max"] = float(g.min()), float(g.max())
            out["gate_sd"] = float(g.std())
    return out


@c148.decide
def _(trials):
    t0 = trials[0]
    cost = 100.0 * (t0["se_params"] - t0["plain_params"]) / t0["plain_params"]
    se = [t["se_test_acc"] for t in trials]
    plain = [t["plain_test_acc"] for t in trials]
    p = paired_test(se, plain)
    # σ maps into (0, 1); in float32 a saturated gate rounds to exactly 1.0, hence the closed test
    gates_ok = all(0.0 <= t["gate_min"] and t["gate_max"] <= 1.0 for t in trials)
    gain = exceeds_noise(se, plain) if len(trials) >= 5 else p["mean"] > 0
    return verdict(gates_ok and cost < 15.0 and gain,
                   f"parameters +{cost:.1f} % ({t0['plain_params']:,} → {t0['se_params']:,}); "
                   f"test accuracy SE {fmt_mean_sd(se, 4)} vs plain {fmt_mean_sd(plain, 4)} "
                   f"(paired difference {p['mean']:+.4f} ± {p['sd']:.4f}, p = {p['p']:.3f}, "
                   f"{len(trials)} seeds); gates in [{min(t['gate_min'] for t in trials):.3f}, "
                   f"{max(t['gate_max'] for t in trials):.3f}]",
                   otherwise=NOT_REPRODUCED)


@c148.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(8, 3.5))
    se = np.array([t["se_test_acc"] for t in trials])
    plain = np.array([t["plain_test_acc"] for t in trials])
    for a, b in zip(plain, se):
        axes[0].plot([0, 1], [a, b], "o-", color="tab:blue", alpha=0.5)
    axes[0].set_xticks([0, 1], ["plain CNN", "CNN + SE (r = 4)"])
    axes[0].set_ylabel("test accuracy")
    axes[0].set_title("Paired seeds")
    t0 = trials[0]
    axes[1].bar(["plain", "SE"], [t0["plain_params"], t0["se_params"]],
                color=["grey", "tab:orange"])
    axes[1].set_ylabel("parameters")
    axes[1].set_title("Parameter cost")
    fig.tight_layout()
    return [fig]
