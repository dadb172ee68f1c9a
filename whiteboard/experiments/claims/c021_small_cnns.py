"""C21, C34, C43: small CNNs on digits (library nn: Conv2d, MaxPool2d, AdaptiveAvgPool2d).

C21 A CNN exploits local pixel correlation: a fixed random pixel permutation (applied to every
    image) destroys locality and costs the CNN accuracy, while an MLP — invariant to a fixed
    permutation of its inputs up to relabelling its first-layer weights — does not care.
C34 A 2×2 pooling before the last conv and the FC head divides that conv's MACs and the FC
    layer's weights by 4, and pooling itself has no parameters.
C43 Replacing the flatten + FC head by global average pooling + a linear layer removes most
    head parameters at little or no accuracy cost.
"""

import numpy as np

from ... import backend, nn
from ...inspect import summary
from ..registry import REFUTED, experiment, verdict
from ..stats import fmt_mean_sd, paired_test
from ._common_claims_ad import accuracy, bar_figure, digits_split, train_classifier


def _cnn(head="fc", c1=16, c2=32):
    feats = [nn.Conv2d(1, c1, 3, padding=1), nn.ReLU(), nn.Conv2d(c1, c2, 3, padding=1),
             nn.ReLU(), nn.MaxPool2d(2)]
    if head == "fc":
        tail = [nn.Flatten(), nn.Linear(c2 * 16, 10)]
    else:
        tail = [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c2, 10)]
    return nn.Sequential(*feats, *tail).double()


def _images(X):
    return X.reshape(-1, 1, 8, 8)


@experiment("C21", section="A", title="Destroying locality hurts a CNN, not an MLP",
            expected="reproduce",
            claim="CNNs work on images/speech/text because of local correlation; destroying "
                  "locality removes their edge (an MLP doesn't care).",
            design="One fixed random pixel permutation applied to all digits (8x8); a small CNN "
                   "(conv16-conv32-pool-FC) and an MLP 64-256-10 trained on original and "
                   "permuted images (SGD momentum 0.9, lr 0.01, 6 epochs, quick 2): test "
                   "accuracy.",
            code=["whiteboard.nn:Conv2d", "whiteboard.nn:MaxPool2d"],
            tests=["tests/nn/test_conv.py"])
def c21(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed)
    perm = np.random.default_rng(seed + 123).permutation(64)
    epochs = 2 if quick else 6
    out = {}
    for name, (a, b) in (("orig", (Xtr, Xte)), ("perm", (Xtr[:, perm], Xte[:, perm]))):
        backend.manual_seed(seed)
        cnn = _cnn()
        train_classifier(cnn, _images(a), ytr, epochs=epochs, lr=0.01, seed=seed)
        out[f"cnn_{name}"] = accuracy(cnn, _images(b), yte)
        backend.manual_seed(seed)
        mlp = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10)).double()
        train_classifier(mlp, a, ytr, epochs=epochs, lr=0.01, seed=seed)
        out[f"mlp_{name}"] = accuracy(mlp, b, yte)
    return out


@c21.decide
def _(trials):
    t = trials[0]
    cnn_drop = t["cnn_orig"] - t["cnn_perm"]
    mlp_drop = t["mlp_orig"] - t["mlp_perm"]
    return verdict(cnn_drop > 0.03 and abs(mlp_drop) < 0.02 and cnn_drop > mlp_drop + 0.02,
                   f"permuting pixels: CNN {t['cnn_orig']:.3f} -> {t['cnn_perm']:.3f}, MLP "
                   f"{t['mlp_orig']:.3f} -> {t['mlp_perm']:.3f}")


@c21.plot
def _(trials):
    t = trials[0]
    keys = ("cnn_orig", "cnn_perm", "mlp_orig", "mlp_perm")
    return [bar_figure(["CNN original", "CNN permuted", "MLP original", "MLP permuted"],
                       [t[k] for k in keys], "test accuracy", "Locality: CNN vs MLP")]


def _cnn16(pool):
    layers = [nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # 16x16 -> 8x8
              nn.Conv2d(16, 32, 3, padding=1), nn.ReLU()]
    if pool:
        layers.append(nn.MaxPool2d(2))                                       # 8x8 -> 4x4
    layers += [nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.Flatten(),
               nn.Linear(32 * (16 if pool else 64), 10)]
    return nn.Sequential(*layers)


@experiment("C34", section="B", title="Pooling cuts later layers' cost and the FC size",
            expected="reproduce",
            claim="Pooling (down-sampling) cuts the cost of later layers and the size of a "
                  "following FC layer, while having no parameters itself.",
            design="Small CNN for 16x16 digits with and without a 2x2 max-pool before the last "
                   "conv and the FC head: per-layer MACs and parameters from the summary hooks.",
            code=["whiteboard.nn:MaxPool2d", "whiteboard.inspect:summary"],
            tests=["tests/inspect/test_arithmetic_rf.py", "tests/nn/test_pooling.py"])
def c34(seed, quick):
    out = {}
    for pool in (False, True):
        s = summary(_cnn16(pool), (1, 16, 16))
        convs = [r for r in s.rows if r.type == "Conv2d"]
        fc = [r for r in s.rows if r.type == "Linear"][0]
        pools = [r for r in s.rows if r.type == "MaxPool2d"]
        out["pool" if pool else "nopool"] = {
            "last_conv_macs": convs[-1].macs, "fc_params": fc.params,
            "fc_weights": fc.params - 10, "pool_params": sum(r.params for r in pools),
            "total_macs": s.total_macs}
    return out


@c34.decide
def _(trials):
    a, b = trials[0]["nopool"], trials[0]["pool"]
    holds = (a["last_conv_macs"] == 4 * b["last_conv_macs"] and a["fc_weights"] == 4 * b[
        "fc_weights"] and b["pool_params"] == 0)
    return verdict(holds, f"last conv MACs {a['last_conv_macs']:,} -> {b['last_conv_macs']:,}; FC "
                          f"weights {a['fc_weights']:,} -> {b['fc_weights']:,}; pooling "
                          f"parameters {b['pool_params']}", otherwise=REFUTED)


@c34.plot
def _(trials):
    a, b = trials[0]["nopool"], trials[0]["pool"]
    return [bar_figure(["last conv MACs", "+pool", "FC weights", "+pool"],
                       [a["last_conv_macs"], b["last_conv_macs"], a["fc_weights"],
                        b["fc_weights"]], "count (log)", "Effect of a 2x2 pool", log=True)]


@experiment("C43", section="B", title="A GAP head removes most parameters at little cost",
            expected="contested", seeds=5,
            claim="Replacing the FC head by global average pooling removes most parameters with "
                  "little or no accuracy loss.",
            design="Small CNN on 8x8 digits (conv16-conv32-pool) with a flatten + FC head vs "
                   "GAP + linear, SGD momentum 0.9 lr 0.01, 6 epochs (quick 2), 5 seeds: head "
                   "parameters and test accuracy, paired.",
            code=["whiteboard.nn:AdaptiveAvgPool2d", "whiteboard.nn:Conv2d"],
            tests=["tests/nn/test_pooling.py"])
def c43(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed)
    out = {}
    for head in ("fc", "gap"):
        backend.manual_seed(seed)
        net = _cnn(head)
        train_classifier(net, _images(Xtr), ytr, epochs=2 if quick else 6, lr=0.01, seed=seed)
        lin = [m for m in net.modules() if isinstance(m, nn.Linear)][-1]
        out[head] = {"test": accuracy(net, _images(Xte), yte),
                     "head_params": int(lin.weight.data.size + lin.bias.data.size),
                     "params": int(sum(p.data.size for p in net.parameters()))}
    return out


@c43.decide
def _(trials):
    fc = [t["fc"]["test"] for t in trials]
    gap = [t["gap"]["test"] for t in trials]
    d = paired_test(gap, fc) if len(trials) > 1 else {"mean": gap[0] - fc[0], "p": float("nan")}
    hp = (trials[0]["fc"]["head_params"], trials[0]["gap"]["head_params"])
    return verdict(hp[1] < hp[0] / 5 and d["mean"] > -0.01,
                   f"head parameters {hp[0]:,} -> {hp[1]:,}; test accuracy FC {fmt_mean_sd(fc)} vs "
                   f"GAP {fmt_mean_sd(gap)} (mean difference {d['mean']:+.3f}, p = {d['p']:.3f})")


@c43.plot
def _(trials):
    return [bar_figure(["FC head", "GAP head"],
                       [np.mean([t["fc"]["test"] for t in trials]),
                        np.mean([t["gap"]["test"] for t in trials])],
                       "mean test accuracy", "Flatten+FC vs global average pooling")]
