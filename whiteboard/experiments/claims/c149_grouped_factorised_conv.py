"""C149, C150: ResNeXt's split-transform-merge is a grouped convolution; factorised kernels.

C149. A ResNeXt block with cardinality C sums C branches, branch i = 1x1 (Cin→d) → 3x3 (d→d) →
1x1 (d→Cout). Stacking the branches' first 1x1 convs gives one 1x1 conv Cin→C·d; the C 3x3 convs,
each seeing only its own d channels, are one 3x3 conv with ``groups=C``; and Σ_i W3_i · z_i is one
1x1 conv on the concatenation [z_1; …; z_C]. Parameters (no bias): Cin·Cd + 9·d·Cd + Cd·Cout; for
ResNeXt-50 32x4d (256, C=32, d=4) that is 70,144 against ResNet's 1x1-3x3-1x1 bottleneck 256-64-64-
256 with 69,632.

C150. A 5x5 kernel (25 weights per channel pair) equals two stacked 3x3 kernels in receptive field
with 18 weights (−28 %); n x n → 1 x n then n x 1 keeps the n x n field with 2n weights (6 vs 9 for
3x3, −33 %; 14 vs 49 for 7x7). Without a non-linearity in between, (1 x n) ∘ (n x 1) is the
outer-product kernel u vᵀ, i.e. exactly the rank-1 kernels: the best fit to a kernel K leaves a
Frobenius residual √(σ₂² + … + σₙ²) (Eckart–Young).
"""

import numpy as np

from ... import backend, nn, no_grad, tensor
from ...nn.functional import conv2d
from ...optim import Adam
from ..registry import REFUTED, experiment, verdict


def _resnext_branches(x, w1, w2, w3, card):
    """Σ_i conv1x1(conv3x3(conv1x1(x, w1_i), w2_i), w3_i), one branch at a time."""
    d = w2.shape[0] // card
    total = None
    for i in range(card):
        sl = slice(i * d, (i + 1) * d)
        z = conv2d(x, tensor(w1[sl]))
        z = conv2d(z, tensor(w2[sl]), padding=1)
        out = conv2d(z, tensor(w3[:, sl]))
        total = out if total is None else total + out
    return total.numpy()


def _params(*convs):
    return int(sum(p.data.size for c in convs for p in c.parameters()))


@experiment("C149", section="I", title="ResNeXt's split-transform-merge equals a grouped conv",
            expected="reproduce",
            claim="ResNeXt's split-transform-merge equals a grouped convolution; cardinality adds "
                  "capacity at equal parameters.",
            design="Random float64 input and weights; the sum of C explicit branches "
                   "(1x1 → 3x3 → 1x1) against 1x1 → Conv2d(groups=C) → 1x1; parameter count of the "
                   "ResNeXt 32x4d bottleneck against the ResNet 256-64-64-256 bottleneck.",
            code=["whiteboard.nn:Conv2d", "whiteboard.nn.functional:conv2d"],
            tests=["tests/nn/test_conv.py"])
def c149(seed, quick):
    rng = np.random.default_rng(seed)
    configs = [(16, 4, 2, 16), (64, 8, 4, 32)] if quick else [(16, 4, 2, 16), (64, 8, 4, 32),
                                                               (256, 32, 4, 256)]
    rows = []
    for cin, card, d, cout in configs:
        x = rng.normal(size=(2, cin, 6, 6))
        w1 = rng.normal(size=(card * d, cin, 1, 1)) / np.sqrt(cin)
        w2 = rng.normal(size=(card * d, d, 3, 3)) / 3.0
        w3 = rng.normal(size=(cout, card * d, 1, 1)) / np.sqrt(card * d)
        ref = _resnext_branches(tensor(x), w1, w2, w3, card)
        with no_grad():
            grouped = conv2d(conv2d(conv2d(tensor(x), tensor(w1)), tensor(w2), padding=1,
                                    groups=card), tensor(w3)).numpy()
        rows.append({"cin": cin, "cardinality": card, "d": d, "cout": cout,
                     "max_abs_diff": float(np.abs(grouped - ref).max()),
                     "scale": float(np.abs(ref).max())})
    backend.manual_seed(seed)
    resnext = [nn.Conv2d(256, 128, 1, bias=False), nn.Conv2d(128, 128, 3, padding=1, groups=32,
                                                              bias=False),
               nn.Conv2d(128, 256, 1, bias=False)]
    resnet = [nn.Conv2d(256, 64, 1, bias=False), nn.Conv2d(64, 64, 3, padding=1, bias=False),
              nn.Conv2d(64, 256, 1, bias=False)]
    return {"rows": rows, "params_resnext_32x4d": _params(*resnext),
            "params_resnet_bottleneck": _params(*resnet)}


@c149.decide
def _(trials):
    rows = [r for t in trials for r in t["rows"]]
    rel = max(r["max_abs_diff"] / r["scale"] for r in rows)
    a, b = trials[0]["params_resnext_32x4d"], trials[0]["params_resnet_bottleneck"]
    return verdict(rel <= 1e-12 and abs(a - b) / b < 0.02,
                   f"max relative |branches − grouped| = {rel:.1e}; parameters 32x4d {a:,} vs "
                   f"ResNet bottleneck {b:,} ({100 * (a - b) / b:+.1f} %)", otherwise=REFUTED)


@c149.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.5))
    rows = t["rows"]
    axes[0].bar([f"C={r['cardinality']}, d={r['d']}" for r in rows],
                [max(r["max_abs_diff"], 1e-18) for r in rows])
    axes[0].set_yscale("log")
    axes[0].set_xlabel("configuration (cardinality C, width d)")
    axes[0].set_ylabel("max |Σ branches − grouped conv|")
    axes[0].set_title("Split-transform-merge = grouped conv")
    axes[1].bar(["ResNeXt 32x4d", "ResNet 64-d"],
                [t["params_resnext_32x4d"], t["params_resnet_bottleneck"]])
    axes[1].set_xlabel("bottleneck block")
    axes[1].set_ylabel("parameters of the bottleneck")
    axes[1].set_title("Equal parameter budget")
    fig.tight_layout()
    return [fig]


def _empirical_rf(convs, size=15):
    """Side of the input region that the centre output unit depends on (non-zero gradient)."""
    x = tensor(np.ones((1, 1, size, size)), requires_grad=True)
    h = x
    for c in convs:
        h = c(h)
    c0, c1 = h.shape[2] // 2, h.shape[3] // 2
    h[0, 0, c0, c1].backward()
    g = np.abs(x.grad.numpy()[0, 0]) > 0
    rows, cols = np.where(g.any(1))[0], np.where(g.any(0))[0]
    return [int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1)]


def _fit_rank1(K, seed, steps):
    """Fit (1x3) ∘ (3x1) convs to the 3x3 conv K on random images with Adam; effective kernel."""
    rng = np.random.default_rng(seed)
    backend.manual_seed(seed)
    v = nn.Conv2d(1, 1, (3, 1), bias=False).double()
    h = nn.Conv2d(1, 1, (1, 3), bias=False).double()
    opt = Adam(list(v.parameters()) + list(h.parameters()), lr=0.05)
    x = rng.normal(size=(8, 1, 12, 12))
    target = conv2d(tensor(x), tensor(K[None, None])).numpy()
    for step in range(steps):
        if step == steps // 2:
            for g in opt.param_groups:
                g["lr"] = 0.005
        opt.zero_grad()
        loss = ((h(v(tensor(x))) - tensor(target)) ** 2).mean()
        loss.backward()
        opt.step()
    delta = np.zeros((1, 1, 5, 5))
    delta[0, 0, 2, 2] = 1.0
    with no_grad():
        # cross-correlation of a delta gives the flipped kernel; flip it back
        eff = h(v(tensor(delta))).numpy()[0, 0, ::-1, ::-1]
    return eff


@experiment("C150", section="I", title="Kernel factorisation: fewer weights, same receptive field",
            expected="reproduce",
            claim="Factorisation: 5x5 → two 3x3 (−28 %), n x n → 1 x n then n x 1 (−33 % for "
                  "3x3, 14 vs 49 for 7x7), same receptive field.",
            design="Parameter counts of nn.Conv2d stacks (C channels, no bias); receptive field "
                   "measured as the support of ∂y_centre/∂x by autograd; (1x3)∘(3x1) fitted with "
                   "Adam to random 3x3 kernels, the residual against Eckart–Young √(σ₂²+σ₃²).",
            code=["whiteboard.nn:Conv2d", "whiteboard.optim:Adam"],
            tests=["tests/nn/test_conv.py", "tests/optim/test_optimizers.py"])
def c150(seed, quick):
    backend.manual_seed(seed)
    C = 8
    full5 = [nn.Conv2d(C, C, 5, bias=False)]
    two3 = [nn.Conv2d(C, C, 3, bias=False), nn.Conv2d(C, C, 3, bias=False)]
    rows = []
    for n in (3, 5, 7):
        full = [nn.Conv2d(C, C, n, bias=False)]
        fact = [nn.Conv2d(C, C, (1, n), bias=False), nn.Conv2d(C, C, (n, 1), bias=False)]
        rows.append({"n": n, "params_full": _params(*full), "params_factorised": _params(*fact),
                     "rf_full": _empirical_rf([nn.Conv2d(1, 1, n).double()]),
                     "rf_factorised": _empirical_rf([nn.Conv2d(1, 1, (1, n)).double(),
                                                     nn.Conv2d(1, 1, (n, 1)).double()])})
    rf5 = _empirical_rf([nn.Conv2d(1, 1, 5).double()])
    rf33 = _empirical_rf([nn.Conv2d(1, 1, 3).double(), nn.Conv2d(1, 1, 3).double()])
    rng = np.random.default_rng(seed)
    fits = []
    for k in range(2 if quick else 4):
        K = rng.normal(size=(3, 3))
        s = np.linalg.svd(K, compute_uv=False)
        eff = _fit_rank1(K, seed + k, 600 if quick else 1500)
        fits.append({"residual": float(np.linalg.norm(eff - K)),
                     "eckart_young": float(np.sqrt(s[1] ** 2 + s[2] ** 2)),
                     "rank_of_fit": int(np.linalg.matrix_rank(eff, tol=1e-8))})
    return {"C": C, "params_5x5": _params(*full5), "params_two_3x3": _params(*two3),
            "rf_5x5": rf5, "rf_two_3x3": rf33, "rows": rows, "fits": fits}


@c150.decide
def _(trials):
    t = trials[0]
    save5 = 1 - t["params_two_3x3"] / t["params_5x5"]
    saves = {r["n"]: 1 - r["params_factorised"] / r["params_full"] for r in t["rows"]}
    rf_ok = t["rf_5x5"] == t["rf_two_3x3"] and all(r["rf_full"] == r["rf_factorised"]
                                                   for r in t["rows"])
    fit_gap = max(abs(f["residual"] - f["eckart_young"]) / f["eckart_young"]
                  for tr in trials for f in tr["fits"])
    holds = (abs(save5 - 0.28) < 0.005 and abs(saves[3] - 1 / 3) < 1e-9
             and abs(saves[7] - (1 - 14 / 49)) < 1e-9 and rf_ok and fit_gap < 0.01)
    return verdict(holds, f"5x5→2×3x3 saves {100 * save5:.0f} %, 3x3→1x3+3x1 {100 * saves[3]:.0f}"
                          f" %, 7x7 {t['rows'][2]['params_factorised'] // t['C'] ** 2} vs 49; "
                          f"receptive fields equal: {rf_ok}; rank-1 fit residual within "
                          f"{100 * fit_gap:.2f} % of √(σ₂²+σ₃²)", otherwise=REFUTED)


@c150.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.5))
    ns = [r["n"] for r in t["rows"]]
    x = np.arange(len(ns))
    axes[0].bar(x - 0.2, [r["params_full"] for r in t["rows"]], 0.4, label="n x n")
    axes[0].bar(x + 0.2, [r["params_factorised"] for r in t["rows"]], 0.4, label="1xn + nx1")
    axes[0].set_xticks(x, [f"n={n}" for n in ns])
    axes[0].set_xlabel("kernel size n")
    axes[0].set_ylabel(f"parameters (C={t['C']} → {t['C']})")
    axes[0].set_title("Asymmetric factorisation")
    axes[0].legend(fontsize=8)
    f = t["fits"]
    axes[1].scatter([q["eckart_young"] for q in f], [q["residual"] for q in f])
    lim = [0, max(q["eckart_young"] for q in f) * 1.1]
    axes[1].plot(lim, lim, "k--", lw=0.8)
    axes[1].set_xlabel("√(σ₂² + σ₃²) of the 3x3 kernel")
    axes[1].set_ylabel("residual of the fitted 1x3∘3x1")
    axes[1].set_title("Factorised = rank-1 kernels")
    fig.tight_layout()
    return [fig]
