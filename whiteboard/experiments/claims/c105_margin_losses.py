"""C105: classification losses as functions of the margin m = y·f(x), y ∈ {−1, +1}.

    0-1          1[m ≤ 0]                  (not convex, zero gradient almost everywhere)
    hinge        max(0, 1 − m)             (SVM)
    logistic     log₂(1 + e^{−m})          (log loss in bits, so that it equals 1 at m = 0)
    exponential  e^{−m}                    (AdaBoost)
    squared      (1 − m)²                  (least squares on ±1 labels)

Each convex surrogate is ≥ 1 wherever m ≤ 0 and ≥ 0 elsewhere, so it upper-bounds the 0-1 loss
pointwise. The values come from the library's ``hinge_loss``, ``exponential_loss``,
``binary_cross_entropy_with_logits`` (log loss, divided by ln 2) and ``mse_loss`` evaluated at
f = m, y = 1, and ``zero_one_loss`` on sign predictions.
"""

import numpy as np

from ... import tensor
from ...nn import functional as F
from ..registry import REFUTED, experiment, verdict


def _losses(m):
    ones = tensor(np.ones_like(m))
    mt = tensor(m)
    return {
        "0-1": np.array([F.zero_one_loss(np.array([1]), np.array([1 if v > 0 else -1]))
                         for v in m]),
        "hinge": F.hinge_loss(mt, ones, reduction="none").numpy(),
        "logistic (bits)": F.binary_cross_entropy_with_logits(mt, ones, reduction="none")
        .numpy() / np.log(2),
        "exponential": F.exponential_loss(mt, ones, reduction="none").numpy(),
        "squared": F.mse_loss(mt, ones, reduction="none").numpy(),
    }


@experiment("C105", section="G", title="Margin losses: the convex surrogates upper-bound 0-1",
            expected="reproduce",
            claim="The 0-1, hinge, log, exponential and squared losses as functions of the "
                  "margin: the convex ones upper-bound the 0-1 loss.",
            design="Margin grid m ∈ [−3, 3] (1,201 points): the library's losses at f = m, y = 1 "
                   "against their closed forms; minimum over the grid of surrogate − 0-1 "
                   "(≥ 0 means an upper bound); convexity by second differences.",
            code=["whiteboard.nn.functional:hinge_loss",
                  "whiteboard.nn.functional:exponential_loss",
                  "whiteboard.nn.functional:binary_cross_entropy_with_logits",
                  "whiteboard.nn.functional:mse_loss", "whiteboard.nn.functional:zero_one_loss"],
            tests=["tests/nn/test_loss.py"])
def c105(seed, quick):
    m = np.linspace(-3.0, 3.0, 1201)
    L = _losses(m)
    closed = {"0-1": (m <= 0).astype(float), "hinge": np.maximum(0, 1 - m),
              "logistic (bits)": np.log2(1 + np.exp(-m)), "exponential": np.exp(-m),
              "squared": (1 - m) ** 2}
    rows = []
    for name, v in L.items():
        rows.append({"name": name, "vs_formula": float(np.abs(v - closed[name]).max()),
                     "min_minus_01": float((v - L["0-1"]).min()),
                     "min_second_diff": float(np.diff(v, 2).min())})
    return {"m": m[::4].tolist(), "curves": {k: v[::4].tolist() for k, v in L.items()},
            "rows": rows}


@c105.decide
def _(trials):
    rows = {r["name"]: r for r in trials[0]["rows"]}
    sur = [n for n in rows if n != "0-1"]
    formula = max(r["vs_formula"] for r in rows.values())
    bound = min(rows[n]["min_minus_01"] for n in sur)
    convex = min(rows[n]["min_second_diff"] for n in sur)
    return verdict(formula < 1e-12 and bound >= 0 and convex >= -1e-12,
                   f"min over m of surrogate − 0-1 = {bound:.3g} (hinge, log₂, exp, squared); "
                   f"min second difference {convex:.1e}; |library − formula| {formula:.1e}",
                   otherwise=REFUTED)


@c105.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(5.2, 3.8))
    for name, v in t["curves"].items():
        ax.plot(t["m"], v, label=name, lw=2 if name == "0-1" else 1.2)
    ax.set_ylim(0, 4)
    ax.set_xlabel("margin m = y·f(x)")
    ax.set_ylabel("loss")
    ax.set_title("Convex surrogates bound the 0-1 loss")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
