"""C38–C41: receptive fields, analytic and measured.

Recurrence (kernel k, stride s, dilation d; r₀ = 1, j₀ = 1):

    r_{l+1} = r_l + d·(k − 1)·j_l,     j_{l+1} = j_l · s

The empirical RF of a unit is the support of ∂y_centre/∂x (weights and inputs positive, so no
gradient cancels; max pools are measured through an average pool of the same geometry, since
max pool's gradient reaches one pixel per window only).

C38 the worked example [[11,4,0],[3,2,0],[5,1,2],[3,2,0],[3,1,1]]: 11, 19, 51, 67, 99.
C39 1×1 convs, ReLU, BN, dropout, residual adds keep the RF; GAP / FC see the whole input.
C40 a multi-branch block has the RF of its largest branch (Inception: 5).
C41 three 3×3 convs have the RF of one 7×7 with 27C² instead of 49C² weights and three
    non-linearities instead of one.
"""

from ... import nn
from ...inspect import receptive_field
from ...models.googlenet import Inception
from ..registry import REFUTED, experiment, verdict
from ._common_claims_ad import bar_figure, gradient_support

EXAMPLE = [(11, 4, 0), (3, 2, 0), (5, 1, 2), (3, 2, 0), (3, 1, 1)]
POOLS = (1, 3)  # indices of the example's pooling layers
SIZE = 227


def _example_layers(c=1):
    layers = []
    for i, (k, s, p) in enumerate(EXAMPLE):
        if i in POOLS:
            layers.append(nn.AvgPool2d(k, s, p))
        else:
            layers += [nn.Conv2d(c, c, k, stride=s, padding=p), nn.ReLU()]
    return layers


class _Residual(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 1)

    def forward(self, x):
        return x + self.conv(x)


@experiment("C38", section="B", title="Receptive-field recurrence: 11, 19, 51, 67, 99",
            expected="reproduce",
            claim="The receptive-field recurrence r_{l+1} = r_l + (k - 1)*s_l, s_{l+1} = s_l*s "
                  "gives 11, 19, 51, 67, 99 for the worked example.",
            design="The note's five layers on a 227x227 input: the library's analytic "
                   "receptive_field vs the measured support of the centre unit's input gradient "
                   "after each layer.",
            code=["whiteboard.inspect:receptive_field"],
            tests=["tests/inspect/test_arithmetic_rf.py"])
def c38(seed, quick):
    analytic = receptive_field(EXAMPLE, SIZE)
    layers, measured = _example_layers(), []
    built = []
    for layer in layers:
        built.append(layer)
        if isinstance(layer, nn.Conv2d):
            continue
        measured.append(gradient_support(nn.Sequential(*built).double(), (1, SIZE, SIZE))[0])
    return {"analytic": [f.rf for f in analytic], "jumps": [f.jump for f in analytic],
            "measured": measured, "note": [11, 19, 51, 67, 99]}


@c38.decide
def _(trials):
    t = trials[0]
    holds = t["analytic"] == t["measured"] == t["note"]
    return verdict(holds, f"analytic {t['analytic']}, measured {t['measured']} (note "
                          f"{t['note']}); jumps {[int(j) for j in t['jumps']]}",
                   otherwise=REFUTED)


@c38.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    x = range(1, len(t["analytic"]) + 1)
    ax.plot(x, t["analytic"], "o-", label="recurrence")
    ax.plot(x, t["measured"], "x--", label="gradient support")
    ax.set_xlabel("layer")
    ax.set_ylabel("receptive field (px)")
    ax.set_title("Worked example RF")
    ax.legend()
    fig.tight_layout()
    return [fig]


@experiment("C39", section="B", title="Pointwise ops keep the RF; GAP/FC see everything",
            expected="reproduce",
            claim="1x1 stride-1 conv, ReLU, BN, dropout and residual adds leave the RF "
                  "unchanged; FC / global average pooling see the whole image.",
            design="Append each op to the C38 stack (2 channels, 131x131 input) and re-measure "
                   "the support of the centre unit's input gradient; for GAP and FC the "
                   "support of the output's gradient.",
            code=["whiteboard.inspect:receptive_field", "whiteboard.nn:GlobalAvgPool2d"],
            tests=["tests/inspect/test_arithmetic_rf.py"])
def c39(seed, quick):
    size = 131
    base = _example_layers(2)
    tails = {"none": [], "conv1x1": [nn.Conv2d(2, 2, 1)], "relu": [nn.ReLU()],
             "batchnorm": [nn.BatchNorm2d(2)], "dropout": [nn.Dropout(0.5)],
             "residual": [_Residual(2)]}
    out = {}
    for name, tail in tails.items():
        out[name] = gradient_support(nn.Sequential(*base, *tail).double(), (2, size, size))[0]
    for name, tail in (("gap", [nn.AdaptiveAvgPool2d(1), nn.Flatten()]),
                       ("fc", [nn.Flatten(), nn.Linear(2 * 7 * 7, 3)])):
        out[name] = gradient_support(nn.Sequential(*base, *tail).double(), (2, size, size))[0]
    return {"rf": out, "input": size}


@c39.decide
def _(trials):
    rf, size = trials[0]["rf"], trials[0]["input"]
    same = [k for k in ("conv1x1", "relu", "batchnorm", "dropout", "residual")
            if rf[k] == rf["none"]]
    whole = rf["gap"] == rf["fc"] == size
    return verdict(len(same) == 5 and whole,
                   f"RF {rf['none']} unchanged after {len(same)}/5 pointwise ops; GAP {rf['gap']}, "
                   f"FC {rf['fc']} of {size} px", otherwise=REFUTED)


@c39.plot
def _(trials):
    rf = trials[0]["rf"]
    return [bar_figure(list(rf), list(rf.values()), "measured RF (px)",
                       "RF after appending each op")]


@experiment("C40", section="B", title="A multi-branch block has its largest branch's RF",
            expected="reproduce",
            claim="For multi-branch blocks the RF is that of the largest branch.",
            design="The library's Inception block (1x1, 3x3, 5x5 and pool branches) on a 21x21 "
                   "input: measured RF of the block and of each branch alone.",
            code=["whiteboard.models.googlenet:Inception"],
            tests=["tests/inspect/test_arithmetic_rf.py"])
def c40(seed, quick):
    block = Inception(2, 2, 2, 2, 2, 2, 2).double()
    out = {"block": gradient_support(block, (2, 21, 21))[0]}
    for name in ("branch1", "branch2", "branch3"):
        out[name] = gradient_support(getattr(block, name), (2, 21, 21))[0]
    # the pool branch: max pool routes gradient to one pixel, so measure its 3x3 window with an
    # average pool of the same geometry
    out["branch4_avg"] = gradient_support(nn.Sequential(nn.AvgPool2d(3, 1, 1),
                                                        nn.Conv2d(2, 2, 1)).double(),
                                          (2, 21, 21))[0]
    return {"rf": out}


@c40.decide
def _(trials):
    rf = trials[0]["rf"]
    largest = max(v for k, v in rf.items() if k != "block")
    return verdict(rf["block"] == largest == 5,
                   f"block RF {rf['block']} = largest branch {largest} (branches "
                   f"{rf['branch1']}/{rf['branch2']}/{rf['branch3']}/{rf['branch4_avg']})",
                   otherwise=REFUTED)


@c40.plot
def _(trials):
    rf = trials[0]["rf"]
    return [bar_figure(list(rf), list(rf.values()), "measured RF (px)",
                       "Inception block: RF per branch")]


@experiment("C41", section="B", title="Three 3x3 convs = one 7x7 RF with fewer weights",
            expected="reproduce",
            claim="Three stacked 3x3 convs have the RF of one 7x7 with fewer parameters (27C^2 vs "
                  "49C^2) and more non-linearity.",
            design="Measured RF of conv3-ReLU x3 vs conv7-ReLU; weight counts at C = 64 (no bias); "
                   "number of non-linearities. The accuracy comparison of the design is not run "
                   "here.",
            code=["whiteboard.nn:Conv2d", "whiteboard.inspect:conv_params"],
            tests=["tests/inspect/test_arithmetic_rf.py"])
def c41(seed, quick):
    from ...inspect import conv_params

    def stack(k, n, c):
        layers = []
        for _ in range(n):
            layers += [nn.Conv2d(c, c, k, padding=k // 2), nn.ReLU()]
        return nn.Sequential(*layers).double()

    s3, s7 = stack(3, 3, 2), stack(7, 1, 2)
    return {"rf3": gradient_support(s3, (2, 21, 21))[0],
            "rf7": gradient_support(s7, (2, 21, 21))[0],
            "w3": 3 * conv_params(64, 64, 3, bias=False), "w7": conv_params(64, 64, 7, bias=False),
            "relu3": sum(isinstance(m, nn.ReLU) for m in s3.modules()),
            "relu7": sum(isinstance(m, nn.ReLU) for m in s7.modules())}


@c41.decide
def _(trials):
    t = trials[0]
    holds = t["rf3"] == t["rf7"] == 7 and t["w3"] < t["w7"] and t["relu3"] > t["relu7"]
    return verdict(holds, f"RF {t['rf3']} vs {t['rf7']}; weights at C=64 {t['w3']:,} vs "
                          f"{t['w7']:,}; non-linearities {t['relu3']} vs {t['relu7']}",
                   otherwise=REFUTED)


@c41.plot
def _(trials):
    t = trials[0]
    return [bar_figure(["3x(3x3) weights", "7x7 weights"], [t["w3"], t["w7"]],
                       "weights at C = 64", f"Same RF ({t['rf3']} px), fewer weights")]
