"""C83: RReLU samples its negative slope from U(l, u) in training and uses (l + u)/2 at test.

    training   f(x) = x (x ≥ 0),  a·x (x < 0),  a ~ U(l, u) drawn per element
    evaluation f(x) = x (x ≥ 0),  ((l + u)/2)·x (x < 0)

with PyTorch's defaults l = 1/8, u = 1/3, so the evaluation slope is 11/48 ≈ 0.2292. The slopes
are read off the library's ``F.rrelu`` as f(x)/x on negative inputs and tested for uniformity
with a Kolmogorov–Smirnov test (scipy); the evaluation output is compared with torch's.
"""

import numpy as np

from ... import backend, tensor
from ...nn import functional as F
from ..registry import REFUTED, experiment, verdict

LOWER, UPPER = 1.0 / 8, 1.0 / 3


@experiment("C83", section="E", title="RReLU: slope ~ U(1/8, 1/3) in training, 0.2292 at test",
            expected="reproduce",
            claim="RReLU samples the negative slope from U(l, u) during training and uses "
                  "(l + u)/2 at test time.",
            design="2·10⁵ (5·10⁴ quick) negative inputs through the library's F.rrelu "
                   "(training): slopes f(x)/x against U(1/8, 1/3) by a KS test, their range; "
                   "evaluation slope and agreement with torch.nn.functional.rrelu(training=False).",
            code=["whiteboard.nn.functional:rrelu", "whiteboard.nn:RReLU"],
            tests=["tests/nn/test_activation.py"])
def c83(seed, quick):
    import torch
    from scipy import stats

    backend.manual_seed(seed)
    n = 50_000 if quick else 200_000
    x = -np.random.default_rng(seed).uniform(0.1, 5.0, n)
    slopes = F.rrelu(tensor(x), LOWER, UPPER, training=True).numpy() / x
    ks = stats.kstest(slopes, "uniform", args=(LOWER, UPPER - LOWER))
    ev = F.rrelu(tensor(x), training=False).numpy()
    ev_t = torch.nn.functional.rrelu(torch.tensor(x), training=False).numpy()
    hist, edges = np.histogram(slopes, bins=30, range=(0.1, 0.36))
    return {"ks_stat": float(ks.statistic), "ks_p": float(ks.pvalue),
            "min": float(slopes.min()), "max": float(slopes.max()),
            "eval_slope": float(np.median(ev / x)), "eval_vs_torch": float(np.abs(ev - ev_t).max()),
            "hist": hist.tolist(), "edges": edges.tolist(), "n": n}


@c83.decide
def _(trials):
    t = trials[0]
    holds = (t["ks_p"] > 1e-3 and t["min"] >= LOWER - 1e-12 and t["max"] <= UPPER + 1e-12
             and abs(t["eval_slope"] - (LOWER + UPPER) / 2) < 1e-12 and t["eval_vs_torch"] < 1e-12)
    return verdict(holds, f"KS vs U(1/8, 1/3): D = {t['ks_stat']:.4f}, p = {t['ks_p']:.2f} "
                          f"(n = {t['n']}); range [{t['min']:.4f}, {t['max']:.4f}]; eval slope "
                          f"{t['eval_slope']:.4f} (= torch to {t['eval_vs_torch']:.0e})",
                   otherwise=REFUTED)


@c83.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    e = np.asarray(t["edges"])
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.bar(e[:-1], t["hist"], width=np.diff(e), align="edge", alpha=0.7, label="training slopes")
    ax.axvline(t["eval_slope"], color="r", label=f"eval slope {t['eval_slope']:.4f}")
    ax.set_xlabel("negative slope a = f(x)/x")
    ax.set_ylabel("count")
    ax.set_title("RReLU slopes ~ U(1/8, 1/3)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
