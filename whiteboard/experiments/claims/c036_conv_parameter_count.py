"""C36: a convolution has (C_in/G · K_h · K_w + 1) · C_out parameters — the bias included
(ERRATA E20: note 001's F·F·D·K omits it).

Whole networks are sums of such terms plus Linear (in + 1)·out and BatchNorm 2·C; the library's
models, built from their definitions, reproduce the published torchvision counts exactly.
"""

import numpy as np

from ... import models, nn
from ...inspect import conv_params, count_parameters, linear_params
from ..registry import REFUTED, experiment, verdict

# torchvision's published counts; the library's AlexNet and GoogLeNet follow the papers (conv
# biases, no BN, 5x5 branch), not torchvision's variants, so only the formula decides for them
PUBLISHED = {"resnet18": 11_689_512, "resnet50": 25_557_032, "resnext50_32x4d": 25_028_904,
             "densenet121": 7_978_856, "vgg16": 138_357_544, "googlenet": None, "alexnet": None}
QUICK = ("resnet18", "densenet121", "googlenet")


def _formula(model):
    """Σ over leaf layers of the closed-form parameter counts."""
    total = 0
    for m in model.modules():
        kind = type(m).__name__
        if kind == "Conv2d":
            total += conv_params(m.in_channels, m.out_channels, m.kernel_size, m.groups,
                                 m.bias is not None)
        elif kind == "Linear":
            total += linear_params(m.in_features, m.out_features, m.bias is not None)
        elif kind.startswith("BatchNorm") and m.affine:
            total += 2 * m.num_features
    return total


@experiment("C36", section="B", title="Conv parameters = (Cin*Kh*Kw/G + 1)*Cout",
            expected="reproduce", errata=["E20"],
            claim="Conv parameters = (Cin*Hk*Wk + 1)*Cout (note 001's F*F*D*K omits the bias).",
            design="Random Conv2d layers (with groups, with/without bias): counted parameters vs "
                   "the formula and vs the bias-less F*F*D*K; whole networks built from their "
                   "definitions: counted vs the layer-wise formula vs torchvision's published "
                   "counts.",
            code=["whiteboard.inspect:conv_params", "whiteboard.inspect:count_parameters",
                  "whiteboard.models:get"],
            tests=["tests/inspect/test_arithmetic_rf.py"])
def c36(seed, quick):
    rng = np.random.default_rng(seed)
    layers = []
    for _ in range(30 if quick else 200):
        g = int(rng.choice([1, 2, 4]))
        cin, cout = g * int(rng.integers(1, 9)), g * int(rng.integers(1, 9))
        k = (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
        bias = bool(rng.integers(0, 2))
        conv = nn.Conv2d(cin, cout, k, groups=g, bias=bias)
        layers.append({"counted": count_parameters(conv),
                       "formula": (cin // g * k[0] * k[1] + int(bias)) * cout,
                       "note_001": k[0] * k[1] * cin * cout})
    nets = {}
    for name in (QUICK if quick else PUBLISHED):
        kw = {"aux_logits": False} if name == "googlenet" else {}
        m = models.get(name, **kw)
        nets[name] = {"counted": count_parameters(m), "formula": _formula(m),
                      "published": PUBLISHED[name]}
    return {"layers": layers, "nets": nets}


@c36.decide
def _(trials):
    layers = [r for t in trials for r in t["layers"]]
    ok_layers = sum(r["counted"] == r["formula"] for r in layers)
    nets = trials[0]["nets"]
    ok_nets = [n for n, r in nets.items() if r["counted"] == r["formula"]
               and r["published"] in (None, r["counted"])]
    off = sum(r["note_001"] != r["counted"] for r in layers)
    exact = ", ".join(f"{n} {nets[n]['counted']:,}" for n in ok_nets) or "none"
    return verdict(ok_layers == len(layers) and len(ok_nets) == len(nets),
                   f"formula = count in {ok_layers}/{len(layers)} random layers; networks exact: "
                   f"{exact}; F*F*D*K "
                   f"wrong in {off}/{len(layers)}", otherwise=REFUTED)


@c36.plot
def _(trials):
    from ._common_claims_ad import scatter_figure

    layers = trials[0]["layers"]
    return [scatter_figure([("(Cin/G*Kh*Kw + 1)*Cout", [r["formula"] for r in layers],
                             [r["counted"] for r in layers]),
                            ("F*F*D*K (note 001)", [r["note_001"] for r in layers],
                             [r["counted"] for r in layers])],
                           "formula", "counted parameters", "Conv parameter count")]
