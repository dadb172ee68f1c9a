"""C50: at test time BatchNorm uses running (population) statistics, so a sample's eval output no
longer depends on the rest of its batch.

Training updates running ← (1 − m)·running + m·batch statistic (m = 0.1; variance unbiased,
σ²_B·M/(M − 1), ERRATA E9/E31); momentum=None is the cumulative average over all batches, which
converges to the population moments: for N(3, 2²) data, running_mean → 3 and running_var → 4.
"""

import numpy as np

from ... import nn, no_grad, tensor
from ..registry import REFUTED, experiment, verdict


@experiment("C50", section="C", title="BN uses running statistics at test time",
            expected="reproduce", errata=["E9", "E31"],
            claim="At test time BN uses running (population) statistics; test outputs no longer "
                  "depend on the batch.",
            design="Batches of 32 x 4 features drawn from N(3, 2^2) through BatchNorm1d in "
                   "training mode (momentum=None, cumulative, and the default 0.1 EMA, compared "
                   "with torch on the same batches); then one fixed sample put in two different "
                   "batches, in eval and in train mode.",
            code=["whiteboard.nn:BatchNorm1d"], tests=["tests/nn/test_normalization.py"])
def c50(seed, quick):
    import torch

    rng = np.random.default_rng(seed)
    n_batches = 100 if quick else 500
    cum = nn.BatchNorm1d(4, momentum=None, dtype=np.float64)
    ema = nn.BatchNorm1d(4, dtype=np.float64)
    tema = torch.nn.BatchNorm1d(4, dtype=torch.float64)
    with no_grad():
        for _ in range(n_batches):
            xb = rng.normal(3.0, 2.0, size=(32, 4))
            cum(tensor(xb))
            ema(tensor(xb))
            tema(torch.from_numpy(xb))
    sample = rng.normal(3.0, 2.0, size=(1, 4))
    b1 = np.vstack([sample, rng.normal(3, 2, (15, 4))])
    b2 = np.vstack([sample, rng.normal(-5, 0.5, (15, 4))])
    out = {}
    for mode in ("eval", "train"):
        cum.train(mode == "train")
        with no_grad():
            y1, y2 = cum(tensor(b1)).numpy()[0], cum(tensor(b2)).numpy()[0]
        out[f"{mode}_diff"] = float(np.abs(y1 - y2).max())
    return {"n_batches": n_batches, "running_mean": cum.running_mean.numpy().tolist(),
            "running_var": cum.running_var.numpy().tolist(),
            "ema_vs_torch": float(max(np.abs(ema.running_mean.numpy() - tema.running_mean.numpy())
                                      .max(), np.abs(ema.running_var.numpy() -
                                                     tema.running_var.numpy()).max())),
            **out}


@c50.decide
def _(trials):
    t = trials[0]
    dm = max(abs(v - 3) for v in t["running_mean"])
    dv = max(abs(v - 4) for v in t["running_var"])
    # tolerances: 4 sd of the cumulative mean / variance estimates over n·32 samples
    n = t["n_batches"] * 32
    tol_m, tol_v = 4 * 2 / np.sqrt(n), 4 * 4 * np.sqrt(2 / n)
    holds = (dm < tol_m and dv < tol_v and t["eval_diff"] == 0.0 and t["train_diff"] > 1e-3
             and t["ema_vs_torch"] < 1e-12)
    return verdict(holds, f"running mean within {dm:.3f} of 3, var within {dv:.3f} of 4; same "
                          f"sample in two batches: eval diff {t['eval_diff']:.1e}, train diff "
                          f"{t['train_diff']:.2f}; EMA vs torch {t['ema_vs_torch']:.1e}",
                   otherwise=REFUTED)


@c50.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.bar(np.arange(4) - 0.2, t["running_mean"], 0.4, label="running_mean")
    ax.bar(np.arange(4) + 0.2, t["running_var"], 0.4, label="running_var")
    ax.axhline(3, color="C0", ls="--", lw=0.8)
    ax.axhline(4, color="C1", ls="--", lw=0.8)
    ax.set_xlabel("feature")
    ax.set_ylabel("running statistic")
    ax.set_title(f"BN running stats after {t['n_batches']} batches of N(3, 4)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
