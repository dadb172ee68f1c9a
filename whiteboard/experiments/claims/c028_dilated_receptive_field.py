"""C28: dilated convolutions enlarge the receptive field without pooling, without losing
resolution and without extra parameters.

A 3×3 kernel with dilation d spans d·(K − 1) + 1 = 2d + 1 pixels; with padding = d the output
size stays H. Stacking dilations 1, 2, 4 gives RF 1 + 2·(1 + 2 + 4) = 15 against 1 + 2·3 = 7
for three ordinary 3×3 convs — the same 3·(9C² + C) parameters.
"""

from ... import nn
from ...inspect import count_parameters, receptive_field
from ..registry import REFUTED, experiment, verdict
from ._common_claims_ad import bar_figure, gradient_support

H = 31


def _stack(dilations, c=2):
    layers = []
    for d in dilations:
        layers += [nn.Conv2d(c, c, 3, padding=d, dilation=d), nn.ReLU()]
    return nn.Sequential(*layers).double()


@experiment("C28", section="B", title="Dilation enlarges the receptive field for free",
            expected="reproduce",
            claim="Dilated convolution enlarges the receptive field without pooling, without "
                  "losing resolution and without extra parameters.",
            design="Three 3x3 convs with dilation 1, 2, 4 (padding = dilation) vs three plain "
                   "3x3 convs on 31x31 inputs: output size, empirical receptive field (support "
                   "of the centre unit's input gradient), analytic RF and parameter count.",
            code=["whiteboard.nn:Conv2d", "whiteboard.inspect:receptive_field"],
            tests=["tests/nn/test_conv.py", "tests/inspect/test_arithmetic_rf.py"])
def c28(seed, quick):
    out = {}
    for name, dil in (("dilated", (1, 2, 4)), ("plain", (1, 1, 1))):
        m = _stack(dil)
        rf_r, rf_c, hw = gradient_support(m, (2, H, H))
        analytic = receptive_field([(3, 1, d, d) for d in dil], H)[-1]
        out[name] = {"rf": rf_r, "rf_cols": rf_c, "out_hw": hw, "rf_analytic": analytic.rf,
                     "params": count_parameters(m)}
    out["input"] = H
    return out


@c28.decide
def _(trials):
    t = trials[0]
    d, p = t["dilated"], t["plain"]
    holds = (d["out_hw"] == [t["input"]] * 2 and d["rf"] == d["rf_analytic"] > p["rf"]
             and d["params"] == p["params"])
    return verdict(holds, f"RF {d['rf']} vs {p['rf']} undilated; output {d['out_hw'][0]} = input "
                          f"{t['input']}; params {d['params']} vs {p['params']}",
                   otherwise=REFUTED)


@c28.plot
def _(trials):
    t = trials[0]
    return [bar_figure(["RF dilated 1,2,4", "RF plain", "params dilated", "params plain"],
                       [t["dilated"]["rf"], t["plain"]["rf"], t["dilated"]["params"],
                        t["plain"]["params"]], "pixels / parameters",
                       "Three 3x3 convs, with and without dilation")]
