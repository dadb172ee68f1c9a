"""C37: per-layer cost of a convolution, with the convention stated (ERRATA E14, E21).

    MACs(conv) = C_out · H_out · W_out · (C_in/G) · K_h · K_w        (multiply-accumulates)
    FLOPs      = 2 · MACs   (a multiply and an add; + C_out·H·W for the bias in note 000)

Note 001's "FLOPs" F·F·D·K·H′·W′ counts MACs. Totals (MACs): ResNet-18 1.814 G, ResNet-50 (v1.5)
4.089 G, VGG-16 15.47 G at 224×224.
"""

from ... import models
from ...inspect import conv_macs, linear_macs, summary
from ..registry import REFUTED, experiment, verdict

PUBLISHED_GMACS = {"resnet18": 1.814, "resnet50": 4.089, "vgg16": 15.47}


def _formula_macs(model, s):
    mods = dict(model.named_modules())
    total = 0
    for row in s.rows:
        m = mods.get(row.name)
        if row.type == "Conv2d":
            total += conv_macs(m.in_channels, m.out_channels, m.kernel_size,
                               tuple(row.output_shape[1:]), m.groups)
        elif row.type == "Linear":
            total += linear_macs(m.in_features, m.out_features)
    return total


@experiment("C37", section="B", title="Conv MACs formula; FLOPs = 2 x MACs",
            expected="reproduce", errata=["E14", "E21"],
            claim="FLOPs = 2*(Cin*Hk*Wk + 1)*Cout*H*W (000) / F*F*D*K*H'*W' (001) - two "
                  "conventions.",
            design="Networks built from their definitions, one forward at 224x224: per-layer "
                   "MACs from forward hooks (summary) vs the closed-form MACs; totals vs the "
                   "published GMACs; MAC and 2xMAC columns.",
            code=["whiteboard.inspect:summary", "whiteboard.inspect:conv_macs"],
            tests=["tests/inspect/test_arithmetic_rf.py"])
def c37(seed, quick):
    rows = {}
    for name in (("resnet18",) if quick else ("resnet18", "resnet50", "vgg16")):
        m = models.get(name)
        s = summary(m, (3, 224, 224))
        rows[name] = {"hook_macs": int(s.total_macs), "formula_macs": _formula_macs(m, s),
                      "flops": int(s.total_flops), "published_gmacs": PUBLISHED_GMACS[name]}
    return {"nets": rows}


@c37.decide
def _(trials):
    nets = trials[0]["nets"]
    exact = all(r["hook_macs"] == r["formula_macs"] and r["flops"] == 2 * r["hook_macs"]
                for r in nets.values())
    close = all(abs(r["hook_macs"] / 1e9 - r["published_gmacs"]) < 0.01 * r["published_gmacs"]
                for r in nets.values())
    text = "; ".join(f"{n} {r['hook_macs'] / 1e9:.3f} GMACs ({r['flops'] / 1e9:.3f} GFLOPs, "
                     f"published {r['published_gmacs']})" for n, r in nets.items())
    return verdict(exact and close, f"hooks = formula: {exact}; {text}", otherwise=REFUTED)


@c37.plot
def _(trials):
    from ._common_claims_ad import bar_figure

    nets = trials[0]["nets"]
    labels = [f"{n} {k}" for n in nets for k in ("MACs", "FLOPs")]
    vals = [nets[n][k] / 1e9 for n in nets for k in ("hook_macs", "flops")]
    return [bar_figure(labels, vals, "G operations", "MACs vs FLOPs (= 2 MACs), 224x224")]
