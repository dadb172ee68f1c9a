"""C156: published architecture sizes, counted from the library's model definitions.

ResNet-50 = stem conv + 16 bottlenecks × 3 convs = 49 main-path convolutions, + 4 projection
(1x1 downsample) convolutions = 53 Conv2d, + 1 Linear (50 weight layers on the main path).
ResNet-152 = 1 + 50 × 3 + 1 = 152 weight layers on the main path. GoogLeNet's depth is
3 stem convolutions + 9 Inception modules × 2 (the deepest branch: 1x1 reduce → 3x3/5x5) + 1
classifier = 22 weight layers. Inception-v3's strided stem/reduction layers take 299 → 149 →
147 → 147 → 73 → 73 → 71 → 35 → 17 → 8, the 8x8 map before global pooling.
"""

from ... import models, nn
from ...inspect import receptive_field
from ..registry import REFUTED, experiment, verdict


def _convs(module):
    return [n for n, m in module.named_modules() if isinstance(m, nn.Conv2d)]


def _branch_depth(module):
    """Weight layers on the deepest branch of an Inception module."""
    return max(len(_convs(b)) for _, b in module.named_children())


@experiment("C156", section="I", title="Published architecture sizes", expected="reproduce",
            claim="ResNet-50 has 49 main-path convolutions + FC (53 convolutions with the "
                  "projections), GoogLeNet 22 weight layers, ResNet 152 layers, Inception-v3 "
                  "takes 299x299 inputs to an 8x8 map.",
            design="Count Conv2d/Linear modules of models.resnet50 / resnet152 (projection convs "
                   "are the 'downsample' ones) and the deepest weight-layer path of "
                   "models.googlenet (stem + deepest branch per Inception module + fc); "
                   "Inception-v3's strided layers through inspect.receptive_field(input_size=299).",
            code=["whiteboard.models.resnet:resnet50", "whiteboard.models.resnet:resnet152",
                  "whiteboard.models.googlenet:googlenet",
                  "whiteboard.inspect.receptive_field:receptive_field"],
            tests=["tests/models/test_architectures.py", "tests/inspect/test_arithmetic_rf.py"])
def c156(seed, quick):
    out = {}
    names = ("resnet50",) if quick else ("resnet50", "resnet152")
    for name in names:
        m = getattr(models.resnet, name)()
        convs = _convs(m)
        proj = [c for c in convs if "downsample" in c]
        out[name] = {"conv": len(convs), "projection": len(proj),
                     "main_path_conv": len(convs) - len(proj),
                     "linear": sum(isinstance(x, nn.Linear) for x in m.modules())}
    g = models.googlenet.googlenet()
    inception = [c for n, c in g.named_children() if n.startswith("inception")]
    stem = len(_convs(g.stem))
    out["googlenet"] = {"stem_conv": stem, "inception_modules": len(inception),
                        "depth": stem + sum(_branch_depth(c) for c in inception) + 1}
    v3 = [(3, 2, 0), (3, 1, 0), (3, 1, 1), (3, 2, 0), (1, 1, 0), (3, 1, 0), (3, 2, 0),
          (3, 2, 0), (3, 2, 0)]
    out["inception_v3_sizes"] = [int(f.output_size) for f in
                                 receptive_field(v3, input_size=299)]
    return out


@c156.decide
def _(trials):
    t = trials[0]
    r50 = t["resnet50"]
    ok = (r50["main_path_conv"] == 49 and r50["conv"] == 53 and r50["linear"] == 1
          and t["googlenet"]["depth"] == 22 and t["inception_v3_sizes"][-1] == 8)
    s = (f"ResNet-50: {r50['main_path_conv']} main-path + {r50['projection']} projection convs + "
         f"{r50['linear']} FC; GoogLeNet depth {t['googlenet']['depth']}; Inception-v3 299 → "
         f"{t['inception_v3_sizes'][-1]}x{t['inception_v3_sizes'][-1]}")
    if "resnet152" in t:
        r = t["resnet152"]
        ok = ok and r["main_path_conv"] + r["linear"] == 152
        s += f"; ResNet-152: {r['main_path_conv'] + r['linear']} main-path weight layers"
    return verdict(ok, s, otherwise=REFUTED)


@c156.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, axes = plt.subplots(1, 2, figsize=(8, 3.5))
    labels, vals = [], []
    for name in ("resnet50", "resnet152"):
        if name in t:
            labels.append(name)
            vals.append(t[name]["main_path_conv"] + t[name]["linear"])
    labels.append("googlenet")
    vals.append(t["googlenet"]["depth"])
    bars = axes[0].bar(labels, vals)
    axes[0].bar_label(bars)
    axes[0].set_xlabel("model")
    axes[0].set_ylabel("weight layers on the main path")
    axes[0].set_title("Depth from the model definitions")
    sizes = [299] + t["inception_v3_sizes"]
    axes[1].plot(range(len(sizes)), sizes, "o-")
    axes[1].set_xlabel("strided/valid layer of the Inception-v3 stem")
    axes[1].set_ylabel("spatial size")
    axes[1].set_title("299 → 8")
    fig.tight_layout()
    return [fig]
