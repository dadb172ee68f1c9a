"""C146: DenseNet reuses features by concatenation and is parameter-efficient.

A dense block of L layers with growth rate k maps C₀ channels to C₀ + L·k: layer l reads all
C₀ + (l−1)·k earlier channels (feature reuse) and adds only k new ones, so each layer stays
narrow. "Parameter-efficient" means: at equal (or fewer) parameters it reaches at least the
accuracy of a ResNet. Tested at two matched sizes on 8×8 digits (DenseNet-BC, 2 blocks of 4
layers, bottleneck 2k; ResNet-like: stem + 3 basic blocks, widths w and 2w).
"""

import numpy as np

from ... import backend, nn, tensor
from ...autograd import no_grad
from ..registry import NOT_REPRODUCED, experiment, verdict
from ..stats import fmt_mean_sd, paired_test
from ._common_claims_in import digits_images, n_params, predict, train_classifier

# (DenseNet growth rate, ResNet width) pairs with near-equal parameter counts
PAIRS = ((6, 8), (12, 16))


def small_densenet(growth):
    """DenseNet-BC for 1×8×8 inputs: 3×3 stem of 16 channels, blocks (4, 4), bottleneck 2k."""
    from ...models.densenet import DenseNet

    return DenseNet((4, 4), growth_rate=growth, num_init_features=16, bn_size=2, num_classes=10,
                    in_channels=1, small_input=True)


def small_resnet(width):
    """ResNet-like CNN for 1×8×8 inputs: 3×3 stem, BasicBlock(w), BasicBlock(w→2w, stride 2),
    BasicBlock(2w), global average pooling, linear head."""
    from ...models.resnet import BasicBlock

    return nn.Sequential(nn.Conv2d(1, width, 3, padding=1, bias=False), nn.BatchNorm2d(width),
                         nn.ReLU(), BasicBlock(width, width),
                         BasicBlock(width, 2 * width, stride=2), BasicBlock(2 * width, 2 * width),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2 * width, 10))


@experiment("C146", section="I", title="DenseNet is parameter-efficient (feature reuse)",
            expected="contested", seeds=5,
            claim="DenseNet reuses features by concatenation and is parameter-efficient.",
            design="Small DenseNet-BC (blocks 4+4, growth 6 / 12, stem 16) vs a ResNet-like CNN "
                   "(3 basic blocks, width 8 / 16) at near-equal parameters (~10k and ~35k) on "
                   "8×8 digits, Adam lr 3e-3, 5 epochs (quick: 3, ~10k pair only), 5 seeds; "
                   "channel count C₀ + L·k checked; the paired accuracy difference at matched "
                   "size decides.",
            code=["whiteboard.models.densenet:DenseNet", "whiteboard.models.densenet:DenseBlock",
                  "whiteboard.models.resnet:BasicBlock", "whiteboard.optim:Adam"],
            tests=["tests/models/test_architectures.py",
                   "tests/models/test_small_configs_train.py"])
def c146(seed, quick):
    Xtr, Xte, ytr, yte = digits_images(seed)
    epochs = 3 if quick else 5
    rows = []
    for growth, width in (PAIRS[:1] if quick else PAIRS):  # quick: the small pair (20 s budget)
        row = {"growth": growth, "width": width}
        for name, build, size in (("dense", small_densenet, growth),
                                  ("resnet", small_resnet, width)):
            backend.manual_seed(seed)
            m = build(size)
            train_classifier(m, Xtr, ytr, epochs, lr=3e-3, seed=seed)
            row[f"{name}_params"] = n_params(m)
            row[f"{name}_test_acc"] = float(np.mean(predict(m, Xte) == yte))
        block = small_densenet(growth).features[1]
        with no_grad():
            out = block(tensor(Xtr[:2].repeat(16, axis=1)))
        row["block_channels"] = int(out.shape[1])
        row["block_channels_formula"] = 16 + 4 * growth
        rows.append(row)
    return {"rows": rows}


@c146.decide
def _(trials):
    rows0 = trials[0]["rows"]
    channels_ok = all(r["block_channels"] == r["block_channels_formula"]
                      for t in trials for r in t["rows"])
    fewer = all(r["dense_params"] <= 1.1 * r["resnet_params"] for r in rows0)
    d = [np.mean([r["dense_test_acc"] for r in t["rows"]]) for t in trials]
    res = [np.mean([r["resnet_test_acc"] for r in t["rows"]]) for t in trials]
    p = paired_test(d, res)
    better = p["mean"] > 0 and (len(trials) < 5 or p["p"] < 0.1)
    sizes = ", ".join(f"{r['dense_params']:,} vs {r['resnet_params']:,}" for r in rows0)
    return verdict(channels_ok and fewer and better,
                   f"test accuracy at matched size (params dense vs resnet: {sizes}): DenseNet "
                   f"{fmt_mean_sd(d)} vs ResNet {fmt_mean_sd(res)} (paired difference "
                   f"{p['mean']:+.4f}, p = {p['p']:.3f}); block width C₀ + L·k "
                   f"{'holds' if channels_ok else 'FAILS'}",
                   otherwise=NOT_REPRODUCED)


@c146.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    for name, lab in (("dense", "DenseNet-BC"), ("resnet", "ResNet-like")):
        params = [r[f"{name}_params"] for r in trials[0]["rows"]]
        acc = np.array([[r[f"{name}_test_acc"] for r in t["rows"]] for t in trials])
        ax.errorbar(params, acc.mean(0), yerr=acc.std(0), marker="o", capsize=3, label=lab)
    ax.set_xscale("log")
    ax.set_xlabel("parameters")
    ax.set_ylabel("test accuracy")
    ax.set_title("Accuracy vs parameters (digits 8×8)")
    ax.legend()
    fig.tight_layout()
    return [fig]
