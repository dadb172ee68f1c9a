"""C26: 1×1 "bottleneck" reductions make Inception cheap.

GoogLeNet inception(3a) on a 192×28×28 input: the 3×3 branch maps 192 → 128 and the 5×5 branch
192 → 32. Direct, their weights are 3·3·192·128 = 221,184 and 5·5·192·32 = 153,600; with the
1×1 reductions to 96 and 16 channels first they are 192·96 + 9·96·128 = 129,024 and
192·16 + 25·16·32 = 15,872. Every weight is used at each of the 28·28 = 784 output positions,
so MACs = 784 × weights.
"""

from ...inspect import summary
from ...models.googlenet import Inception
from ..registry import REFUTED, experiment, verdict
from ._common_claims_ad import bar_figure


def _branch_counts(block):
    """(weights without biases, MACs) for the 3x3 and 5x5 branches of an Inception block."""
    s = summary(block, (192, 28, 28))
    out = {"b3": [0, 0], "b5": [0, 0]}
    for row in s.rows:
        key = "b3" if row.name.startswith("branch2") else "b5" if row.name.startswith(
            "branch3") else None
        if key and row.type == "Conv2d":
            out[key][0] += row.params - row.output_shape[0]  # drop the bias
            out[key][1] += row.macs
    return out


@experiment("C26", section="B", title="1x1 reductions make Inception cheap",
            expected="reproduce",
            claim="1x1 'bottleneck' reductions make Inception cheap.",
            design="GoogLeNet inception(3a) (input 192x28x28) built with the library's Inception "
                   "block, once with the 1x1 reduce layers and once with the reduce width equal "
                   "to the input (the 1x1 then replaced by the direct conv count); weights and "
                   "MACs of the 3x3 and 5x5 branches from the summary hooks.",
            code=["whiteboard.models.googlenet:Inception", "whiteboard.inspect:summary"],
            tests=["tests/inspect/test_arithmetic_rf.py"])
def c26(seed, quick):
    reduced = _branch_counts(Inception(192, 64, 96, 128, 16, 32, 32))
    # "without reduction": the 3x3/5x5 convs read all 192 channels; the block's 1x1 of width
    # 192 is then removed from the count (it is not part of the direct design)
    full = _branch_counts(Inception(192, 64, 192, 128, 192, 32, 32))
    direct = {k: [full[k][0] - 192 * 192, full[k][1] - 192 * 192 * 784] for k in full}
    return {"reduced": reduced, "direct": direct, "positions": 28 * 28}


@c26.decide
def _(trials):
    t = trials[0]
    r, d = t["reduced"], t["direct"]
    macs_ok = all(v[1] == v[0] * t["positions"] for v in list(r.values()) + list(d.values()))
    holds = r["b3"][0] < d["b3"][0] and r["b5"][0] < d["b5"][0] / 5 and macs_ok
    return verdict(holds, f"5x5 branch {d['b5'][0]:,} -> {r['b5'][0]:,} weights, 3x3 branch "
                          f"{d['b3'][0]:,} -> {r['b3'][0]:,}; MACs = 784 x weights: {macs_ok}",
                   otherwise=REFUTED)


@c26.plot
def _(trials):
    t = trials[0]
    return [bar_figure(["3x3 direct", "3x3 reduced", "5x5 direct", "5x5 reduced"],
                       [t["direct"]["b3"][0], t["reduced"]["b3"][0], t["direct"]["b5"][0],
                        t["reduced"]["b5"][0]], "weights (log)",
                       "inception(3a): effect of 1x1 reductions", log=True)]
