"""C44: the Inception module's parallel 1×1 / 3×3 / 5×5 branches adapt the network to object scale.

Digits are drawn at a random scale s ~ U(0.6, 1.4) (the 8×8 digit zoomed by 1.4·s, bilinear,
``scipy.ndimage.zoom``: 7 to 16 px) and centred on a 16×16 canvas, fresh scales for training and
test images. Two nets share a stem conv(1→8, 3×3)-ReLU-pool2 and a pool2-flatten-linear head:

- Inception: two ``whiteboard.models.googlenet.Inception`` modules (1×1; 1×1→3×3; 1×1→5×5;
  3×3 max pool→1×1; 20 channels out each), 4,896 parameters;
- single path: conv3×3(8→8)-ReLU-conv3×3(8→20)-ReLU, 5,334 parameters (as many or more).

Adam lr 3e-3, batch 32, 10 epochs (quick 4), 5 seeds. The claim holds if the Inception net is more
accurate beyond seed noise overall and its advantage is positive in both the smallest and the
largest scale bin (adapting to *different* scales, not only to one).
"""

import numpy as np

from ... import backend, nn, no_grad, tensor
from ..registry import NOT_REPRODUCED, REFUTED, experiment, verdict
from ..stats import exceeds_noise, fmt_mean_sd, paired_test
from ._common_claims_ad import accuracy, train_classifier

BINS = (0.6, 0.8667, 1.1333, 1.4)
BIN_NAMES = ("small (0.6-0.87)", "medium (0.87-1.13)", "large (1.13-1.4)")


def _scaled_digits(seed):
    from scipy import ndimage

    from ...data.datasets import load_digits, train_test_split

    X, y = load_digits()
    X = np.asarray(X, dtype=np.float64) / 16.0
    Xtr, Xte, ytr, yte = train_test_split(X, np.asarray(y), test_size=0.3, random_state=0,
                                          stratify=y)
    rng = np.random.default_rng(seed)

    def place(A):
        scales = rng.uniform(BINS[0], BINS[-1], len(A))
        out = np.zeros((len(A), 1, 16, 16))
        for i, (x, s) in enumerate(zip(A, scales)):
            z = np.clip(ndimage.zoom(x.reshape(8, 8), 1.4 * s, order=1), 0.0, None)[:16, :16]
            r, c = (16 - z.shape[0]) // 2, (16 - z.shape[1]) // 2
            out[i, 0, r:r + z.shape[0], c:c + z.shape[1]] = z
        return out, scales

    Itr, _ = place(Xtr)
    Ite, ste = place(Xte)
    mu, sd = Itr.mean(), Itr.std()
    return (Itr - mu) / sd, (Ite - mu) / sd, np.asarray(ytr), np.asarray(yte), ste


def _stem():
    return [nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]


def _head():
    return [nn.MaxPool2d(2), nn.Flatten(), nn.Linear(20 * 16, 10)]


def _inception():
    from ...models.googlenet import Inception

    return nn.Sequential(*_stem(), Inception(8, 4, 4, 8, 2, 4, 4), Inception(20, 4, 6, 8, 2, 4, 4),
                         *_head()).double()


def _single_path():
    return nn.Sequential(*_stem(), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(),
                         nn.Conv2d(8, 20, 3, padding=1), nn.ReLU(), *_head()).double()


@experiment("C44", section="B", title="Inception branches adapt to object scale",
            expected="contested", seeds=5,
            claim="The Inception module's parallel 1x1/3x3/5x5 branches make the network adapt "
                  "to objects of different scales.",
            design="Digits at random scales 0.6-1.4x centred on a 16x16 canvas; stem + two "
                   "Inception modules (4,896 parameters) vs stem + two 3x3 convs (5,334), Adam "
                   "lr 3e-3, 10 epochs (quick 4), 5 seeds: paired test accuracy overall and per "
                   "scale bin.",
            code=["whiteboard.models.googlenet:Inception", "whiteboard.nn:Conv2d"],
            tests=["tests/models/test_architectures.py"])
def c44(seed, quick):
    Itr, Ite, ytr, yte, scales = _scaled_digits(seed)
    bins = np.digitize(scales, BINS[1:-1])
    out = {}
    for name, make in (("inception", _inception), ("single", _single_path)):
        backend.manual_seed(seed)
        net = make()
        train_classifier(net, Itr, ytr, epochs=4 if quick else 10, lr=3e-3, seed=seed,
                         optimizer="adam")
        net.eval()
        with no_grad():
            correct = net(tensor(Ite)).numpy().argmax(1) == yte
        out[name] = {"test": float(correct.mean()), "train": accuracy(net, Itr, ytr),
                     "per_bin": [float(correct[bins == b].mean()) for b in range(3)],
                     "params": int(sum(p.data.size for p in net.parameters()))}
    return out


@c44.decide
def _(trials):
    a = [t["inception"]["test"] for t in trials]
    b = [t["single"]["test"] for t in trials]
    multi = len(trials) > 1
    better = exceeds_noise(a, b) if multi else a[0] > b[0] + 0.01
    worse = exceeds_noise(b, a) if multi else False
    d = paired_test(a, b) if multi else {"mean": a[0] - b[0], "p": float("nan")}
    diff_bins = [float(np.mean([t["inception"]["per_bin"][k] - t["single"]["per_bin"][k]
                                for t in trials])) for k in range(3)]
    p = (trials[0]["inception"]["params"], trials[0]["single"]["params"])
    return verdict(better and diff_bins[0] > 0 and diff_bins[2] > 0,
                   f"test accuracy Inception ({p[0]:,} parameters) {fmt_mean_sd(a)} vs single "
                   f"path ({p[1]:,}) {fmt_mean_sd(b)} (paired difference {d['mean']:+.3f}, "
                   f"p = {d['p']:.3f}, n = {len(trials)}); difference per scale bin small / "
                   f"medium / large {diff_bins[0]:+.3f} / {diff_bins[1]:+.3f} / "
                   f"{diff_bins[2]:+.3f}",
                   otherwise=REFUTED if worse else NOT_REPRODUCED)


@c44.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    w = 0.38
    for j, (k, label) in enumerate((("inception", "Inception (1x1/3x3/5x5)"),
                                    ("single", "single path 3x3"))):
        m = [np.mean([t[k]["per_bin"][b] for t in trials]) for b in range(3)]
        s = [np.std([t[k]["per_bin"][b] for t in trials]) for b in range(3)]
        ax.bar(np.arange(3) + (j - 0.5) * w, m, w, yerr=s, capsize=3, label=label)
    ax.set_xticks(range(3))
    ax.set_xticklabels(BIN_NAMES, fontsize=8)
    ax.set_xlabel("digit scale")
    ax.set_ylabel("test accuracy (mean ± sd)")
    ax.set_ylim(0.5, 1)
    ax.set_title("Multi-scale digits: Inception vs single path")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
