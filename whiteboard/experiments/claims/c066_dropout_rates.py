"""C66, C68: how much to drop (grids of dropout rates on 500 digits, library nn + optim).

C66 p = 0.5 for hidden units and 0.2 for inputs (keep 0.8) are near-optimal: a grid p_hidden ×
    p_input on an MLP 2×512; the rule holds if the cell (0.5, 0.2) is within the noise of the
    best cell, i.e. its test accuracy is at most one binomial standard error
    sqrt(a·(1 − a) / n_test) (≈ 0.009 at a ≈ 0.95, n_test = 540) below the best.
C68 layers with more units should drop more: an MLP 64-1024-64-10 with separate rates for the
    wide and the narrow hidden layer; the claim holds if the best cell of the seed-mean heat-map
    drops more in the wide layer than in the narrow one.
"""

import numpy as np

from ... import backend
from ..registry import experiment, verdict
from ._common_claims_ad import accuracy, digits_split, mlp, train_classifier


def _heatmap(trials, key):
    return np.mean([t[key] for t in trials], 0)


def _draw(grid, rows, cols, xlabel, ylabel, title, mark=None):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.2))
    im = ax.imshow(grid, aspect="auto", cmap="viridis")
    ax.set_xticks(range(len(cols)))
    ax.set_xticklabels([f"{c:g}" for c in cols], fontsize=8)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([f"{r:g}" for r in rows], fontsize=8)
    for i in range(len(rows)):
        for j in range(len(cols)):
            ax.text(j, i, f"{grid[i][j]:.3f}", ha="center", va="center", fontsize=6, color="w")
    if mark is not None:
        ax.scatter([mark[1]], [mark[0]], marker="s", s=300, facecolors="none", edgecolors="r")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    fig.colorbar(im, ax=ax, label="test accuracy")
    fig.tight_layout()
    return fig


@experiment("C66", section="D", title="p = 0.5 hidden, 0.2 input dropout is near-optimal",
            expected="contested",
            claim="p = 0.5 for hidden units and keep 0.8 for inputs are near-optimal.",
            design="MLP 64-512-512-10 (quick 64-256-256-10) on 500 training digits, SGD momentum "
                   "0.9, lr 0.01, 30 epochs (quick 20); grid p_hidden in {0, 0.1, ..., 0.8} "
                   "(quick {0, 0.2, 0.5, 0.8}) x p_input in {0, 0.2}: test-accuracy heat-map; "
                   "near-optimal if (0.5, 0.2) is within one binomial standard error of the best.",
            code=["whiteboard.nn:Dropout"], tests=["tests/nn/test_dropout.py"])
def c66(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed, n_train=500)
    hidden = (0.0, 0.2, 0.5, 0.8) if quick else tuple(np.round(np.arange(0, 0.81, 0.1), 1))
    inputs = (0.0, 0.2)
    w = 256 if quick else 512
    grid = []
    for ph in hidden:
        row = []
        for pi in inputs:
            backend.manual_seed(seed)
            net = mlp([64, w, w, 10], p=float(ph), p_in=pi)
            train_classifier(net, Xtr, ytr, epochs=20 if quick else 30, lr=0.01, seed=seed)
            row.append(accuracy(net, Xte, yte))
        grid.append(row)
    return {"p_hidden": [float(h) for h in hidden], "p_input": list(inputs), "test": grid,
            "n_test": int(len(yte))}


@c66.decide
def _(trials):
    t0 = trials[0]
    g = _heatmap(trials, "test")
    i, j = np.unravel_index(np.argmax(g), g.shape)
    best = float(g[i, j])
    rule = float(g[t0["p_hidden"].index(0.5), t0["p_input"].index(0.2)])
    se = float(np.sqrt(best * (1 - best) / t0["n_test"]))
    return verdict(best - rule <= se,
                   f"accuracy at (p_hidden 0.5, p_input 0.2) {rule:.3f} vs best {best:.3f} at "
                   f"(p_hidden {t0['p_hidden'][i]:g}, p_input {t0['p_input'][j]:g}); shortfall "
                   f"{best - rule:.3f} vs one standard error {se:.3f}; no-dropout cell "
                   f"{g[0, 0]:.3f}")


@c66.plot
def _(trials):
    t0 = trials[0]
    g = _heatmap(trials, "test")
    mark = (t0["p_hidden"].index(0.5), t0["p_input"].index(0.2))
    return [_draw(g.T, t0["p_input"], t0["p_hidden"], "hidden dropout p", "input dropout p",
                  "MLP 2x512 on 500 digits (red: the rule)", mark)]


@experiment("C68", section="D", title="Wider layers should drop more", expected="contested",
            seeds=3,
            claim="Layers with more units should use a lower keep probability (drop more).",
            design="MLP 64-1024-64-10 (quick 64-512-64-10) on 500 training digits, SGD momentum "
                   "0.9, lr 0.01, 15 epochs (quick 10); grid of drop rates for the wide layer x "
                   "the narrow layer in {0, 0.3, 0.6} (quick {0, 0.5}), 3 seeds: is the best cell "
                   "of the mean heat-map at a higher drop for the wide layer?",
            code=["whiteboard.nn:Dropout"], tests=["tests/nn/test_dropout.py"])
def c68(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed, n_train=500)
    rates = (0.0, 0.5) if quick else (0.0, 0.3, 0.6)
    wide = 512 if quick else 1024
    grid = []
    for pw in rates:
        row = []
        for pn in rates:
            backend.manual_seed(seed)
            net = mlp([64, wide, 64, 10], p=[pw, pn])
            train_classifier(net, Xtr, ytr, epochs=10 if quick else 15, lr=0.01, seed=seed)
            row.append(accuracy(net, Xte, yte))
        grid.append(row)
    return {"rates": list(rates), "test": grid, "wide": wide}


@c68.decide
def _(trials):
    rates = trials[0]["rates"]
    g = _heatmap(trials, "test")
    i, j = np.unravel_index(np.argmax(g), g.shape)
    wide_marg = g.mean(1)
    narrow_marg = g.mean(0)
    return verdict(rates[i] > rates[j],
                   f"best mean accuracy {g[i, j]:.3f} at wide-layer drop {rates[i]:g}, "
                   f"narrow-layer drop {rates[j]:g} (no dropout {g[0, 0]:.3f}); best marginal "
                   f"drop: wide {rates[int(np.argmax(wide_marg))]:g}, narrow "
                   f"{rates[int(np.argmax(narrow_marg))]:g} (n = {len(trials)})")


@c68.plot
def _(trials):
    rates = trials[0]["rates"]
    g = _heatmap(trials, "test")
    i, j = np.unravel_index(np.argmax(g), g.shape)
    return [_draw(g, rates, rates, "drop rate, narrow layer (64)",
                  f"drop rate, wide layer ({trials[0]['wide']})",
                  "Mean test accuracy (red: best)", (i, j))]
