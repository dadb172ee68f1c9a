"""C140: in large networks the local minima have similar loss (bigger nets avoid bad optima).

The same data and the same deterministic optimiser (full-batch Adam) are run from many random
initialisations, so the spread of the final training loss measures only how different the minima
reached from different starts are. Narrow networks land in minima of visibly different quality;
as the width grows the spread (sd and max − min over inits) should shrink. Caveat reported beside
the verdict: wide networks drive the training loss towards 0, so their absolute spread shrinks
with the loss itself; the relative spread sd/mean is shown too.
"""

import numpy as np

from ...optim import Adam
from ..registry import experiment, verdict
from ._common_claims_ad import digits_split
from ._common_claims_eh import mlp
from ._common_claims_gh import full_loss, train_steps

WIDTHS = (4, 16, 64, 256)
N_TRAIN = 500


@experiment("C140", section="H", title="Spread of final losses over inits vs width",
            expected="contested",
            claim="In large networks local minima have similar loss: bigger networks avoid bad "
                  "local optima.",
            design="MLP 64-w-10, w ∈ {4, 16, 64, 256}, on 500 training digits, full-batch Adam "
                   "(η = 0.01) for 400 updates (quick 150) from 20 random inits (quick 5) per "
                   "width. Evidence: sd and range of the final training loss per width.",
            code=["whiteboard.optim:Adam", "whiteboard.nn:Linear"],
            tests=["tests/optim/test_optimizers.py"])
def c140(seed, quick):
    Xtr, _, ytr, _ = digits_split(seed=seed, n_train=N_TRAIN)
    steps, inits = (150, 5) if quick else (400, 20)
    out = {"widths": list(WIDTHS), "steps": steps}
    for w in WIDTHS:
        finals = []
        for i in range(inits):
            model = mlp((64, w, 10), seed=1000 * seed + i)
            train_steps(model, Xtr, ytr, lambda p: Adam(p, lr=0.01), steps=steps,
                        batch_size=N_TRAIN, seed=seed)
            finals.append(full_loss(model, Xtr, ytr))
        out[str(w)] = finals
    return out


@c140.decide
def _(trials):
    t = trials[0]
    stats = {w: (float(np.std(t[str(w)], ddof=1)), float(np.ptp(t[str(w)])),
                 float(np.mean(t[str(w)]))) for w in t["widths"]}
    sds = [stats[w][0] for w in t["widths"]]
    shrinking = all(b <= a for a, b in zip(sds, sds[1:])) and sds[-1] < sds[0] / 3
    text = "; ".join(f"w = {w}: mean {m:.2e}, sd {s:.2e}, range {r:.2e}, sd/mean {s / m:.2f}"
                     for w, (s, r, m) in stats.items())
    return verdict(shrinking, f"final training loss over {len(t[str(t['widths'][0])])} inits — "
                              + text)


@c140.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5.4, 3.8))
    for i, w in enumerate(t["widths"]):
        v = np.asarray(t[str(w)])
        ax.scatter(np.full(v.size, i) + np.linspace(-0.15, 0.15, v.size), np.maximum(v, 1e-12),
                   s=12)
    ax.set_xticks(range(len(t["widths"])), [str(w) for w in t["widths"]])
    ax.set_yscale("log")
    ax.set_xlabel("hidden width w")
    ax.set_ylabel("final training loss (one dot per init)")
    ax.set_title(f"MLP 64-w-10 on {N_TRAIN} digits, {t['steps']} full-batch Adam steps")
    fig.tight_layout()
    return [fig]
