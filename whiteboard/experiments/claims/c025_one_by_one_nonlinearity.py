"""C25: a 1×1 convolution followed by ReLU adds non-linearity.

A single 1×1 conv is a per-pixel affine map of the channels, so with a sigmoid it can only draw
one straight line in channel space; the per-pixel target XOR(c₁ > 0, c₂ > 0) needs two (a linear
classifier gets at most 3 of the 4 quadrants right: ≤ 0.75). 1×1 → ReLU → 1×1 is a per-pixel
MLP and can represent XOR.
"""

import numpy as np

from ... import backend, nn, optim, tensor
from ..registry import experiment, verdict


def _train(model, x, y, steps, lr=0.03):
    opt = optim.Adam(model.parameters(), lr=lr)
    lossf = nn.BCEWithLogitsLoss()
    xt, yt = tensor(x), tensor(y)
    for _ in range(steps):
        opt.zero_grad()
        loss = lossf(model(xt), yt)
        loss.backward()
        opt.step()
    pred = model(xt).numpy() > 0
    return float(np.mean(pred == (y > 0.5)))


@experiment("C25", section="B", title="1x1 conv + ReLU adds non-linearity", expected="reproduce",
            claim="A 1x1 conv followed by ReLU adds non-linearity.",
            design="Per-pixel target XOR(c1 > 0, c2 > 0) on random 2-channel 8x8 maps (16 "
                   "maps): one 1x1 conv + sigmoid vs 1x1 (8 channels) -> ReLU -> 1x1, trained "
                   "with Adam on BCE; pixel accuracy.",
            code=["whiteboard.nn:Conv2d", "whiteboard.nn:ReLU"], tests=["tests/nn/test_conv.py"])
def c25(seed, quick):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(16, 2, 8, 8))
    y = ((x[:, :1] > 0) ^ (x[:, 1:] > 0)).astype(np.float64)
    backend.manual_seed(seed)
    steps = 300 if quick else 800
    linear = nn.Conv2d(2, 1, 1).double()
    mlp = nn.Sequential(nn.Conv2d(2, 8, 1), nn.ReLU(), nn.Conv2d(8, 1, 1)).double()
    return {"linear": _train(linear, x, y, steps), "relu": _train(mlp, x, y, steps)}


@c25.decide
def _(trials):
    t = trials[0]
    return verdict(t["linear"] <= 0.76 and t["relu"] >= 0.98,
                   f"pixel accuracy: 1x1 conv {t['linear']:.3f}, 1x1 -> ReLU -> 1x1 "
                   f"{t['relu']:.3f}")


@c25.plot
def _(trials):
    from ._common_claims_ad import bar_figure

    t = trials[0]
    return [bar_figure(["1x1 conv + sigmoid", "1x1 -> ReLU -> 1x1"], [t["linear"], t["relu"]],
                       "pixel accuracy (XOR of channel signs)", "Non-linearity from 1x1 + ReLU")]
