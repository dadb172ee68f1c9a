"""C30: "pooling is invariant to translation, scaling and rotation" (E16: only small translations).

A small CNN (conv8-ReLU-pool2-conv16-ReLU-pool2-linear) is trained on digits upsampled to 16×16.
For held-out images x and a transformed copy T(x) — a 1 or 2 px horizontal shift, a 15° or 30°
rotation, a 1.2× zoom (``scipy.ndimage``, centre crop back to 16×16) — the features of the trained
conv stack are compared by the cosine similarity of the features centred by their mean over the
images (ReLU features are non-negative, so raw cosines are high even between unrelated images):

    s(T) = mean_i  <f(x_i) − μ, f(T x_i) − μ> / (‖f(x_i) − μ‖ ‖f(T x_i) − μ‖)

for three read-outs of the same conv weights: no pooling (both pools removed), the net's local
2×2 max pools, and a global max over the final map. s = 1 is exact invariance. A 2 px shift is one
stride of the first pool, which is why global pooling is nearly invariant to it, and more so than
to a 1 px shift; rotations and zooms move pixels by different amounts in different places, so no
max over a window undoes them.
"""

import numpy as np

from ... import backend, nn, no_grad, tensor
from ..registry import NOT_REPRODUCED, REFUTED, experiment, verdict
from ._common_claims_ad import accuracy, digits16_split, train_classifier

TRANSFORMS = (("shift", 1), ("shift", 2), ("rotate", 15), ("rotate", 30), ("zoom", 1.2))
READOUTS = ("none", "local", "global")


def _key(kind, v):
    return f"{kind} {v:g}"


def _transform(X, kind, v):
    from scipy import ndimage

    bg = float(X.min())
    out = np.empty_like(X)
    for i, x in enumerate(X[:, 0]):
        if kind == "shift":
            out[i, 0] = ndimage.shift(x, (0, v), order=0, cval=bg)
        elif kind == "rotate":
            out[i, 0] = ndimage.rotate(x, v, reshape=False, order=1, cval=bg)
        else:
            z = ndimage.zoom(x, v, order=1)
            o = (z.shape[0] - x.shape[0]) // 2
            out[i, 0] = z[o:o + x.shape[0], o:o + x.shape[1]]
    return out


def _features(convs, X, readout):
    h = tensor(X)
    with no_grad():
        for m in convs:
            if readout == "none" and isinstance(m, nn.MaxPool2d):
                continue
            h = m(h)
    a = h.numpy()
    if readout == "global":
        a = a.max(axis=(2, 3))
    return a.reshape(len(X), -1)


def _centred_cosine(A, B, mu):
    A, B = A - mu, B - mu
    return float(np.mean((A * B).sum(1) / (np.linalg.norm(A, axis=1) *
                                           np.linalg.norm(B, axis=1) + 1e-300)))


@experiment("C30", section="B", title="Pooling is invariant to small shifts only",
            expected="refute", seeds=3, errata=["E16"],
            claim="Pooling is invariant to translation, scaling and rotation.",
            design="Small CNN trained on digits 16x16 (SGD momentum 0.9, lr 0.01, 8 epochs, "
                   "quick 4); centred cosine similarity of the conv features of held-out images "
                   "and their 1/2 px shift, 15/30 degree rotation and 1.2x zoom, read out with no "
                   "pooling, the net's 2x2 max pools, and a global max; 3 training seeds.",
            code=["whiteboard.nn:MaxPool2d", "whiteboard.nn:Conv2d"],
            tests=["tests/nn/test_pooling.py"])
def c30(seed, quick):
    Itr, Ite, ytr, yte = digits16_split(seed)
    backend.manual_seed(seed)
    convs = [nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
             nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
    net = nn.Sequential(*convs, nn.Flatten(), nn.Linear(256, 10)).double()
    train_classifier(net, Itr, ytr, epochs=4 if quick else 8, lr=0.01, seed=seed)
    X = Ite[:200 if quick else 540]
    out = {"test_accuracy": accuracy(net, Ite, yte), "n_images": len(X)}
    moved = {_key(k, v): _transform(X, k, v) for k, v in TRANSFORMS}
    for r in READOUTS:
        F = _features(convs, X, r)
        mu = F.mean(0)
        out[r] = {key: _centred_cosine(F, _features(convs, XT, r), mu)
                  for key, XT in moved.items()}
    return out


def _mean(trials, readout, key):
    return float(np.mean([t[readout][key] for t in trials]))


@c30.decide
def _(trials):
    g = {k: _mean(trials, "global", k) for k in trials[0]["global"]}
    loc = {k: _mean(trials, "local", k) for k in trials[0]["local"]}
    none = {k: _mean(trials, "none", k) for k in trials[0]["none"]}
    hard = ("rotate 30", "zoom 1.2")
    invariant_all = all(min(g[k], loc[k]) >= 0.9 for k in g)
    shift_only = g["shift 2"] >= 0.85 and all(g[k] < 0.9 and g["shift 2"] - g[k] > 0.1
                                               for k in hard)
    if invariant_all:
        return verdict(True, f"centred cosine with pooling >= 0.9 for every transform: {g}")
    return verdict(False,
                   "centred feature cosine, no pool / 2x2 pools / global max: " +
                   "; ".join(f"{k} {none[k]:.2f} / {loc[k]:.2f} / {g[k]:.2f}" for k in g) +
                   f" (n = {len(trials)} seeds)",
                   otherwise=REFUTED if shift_only else NOT_REPRODUCED)


@c30.plot
def _(trials):
    import matplotlib.pyplot as plt

    keys = list(trials[0]["none"])
    fig, ax = plt.subplots(figsize=(6, 3.6))
    w = 0.27
    for j, (r, label) in enumerate(zip(READOUTS, ("no pooling", "2x2 max pools",
                                                  "global max pool"))):
        ax.bar(np.arange(len(keys)) + (j - 1) * w, [_mean(trials, r, k) for k in keys], w,
               label=label)
    ax.set_xticks(range(len(keys)))
    ax.set_xticklabels(keys, fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("centred cosine similarity f(x) vs f(Tx)")
    ax.set_xlabel("transform T")
    ax.set_title("How invariant are pooled CNN features?")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return [fig]
