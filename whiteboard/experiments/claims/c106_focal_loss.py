"""C106: focal loss helps under class imbalance by down-weighting easy examples.

Binary focal loss (Lin et al. 2017, RetinaNet) on a logit x with p = σ(x):

    p_t = p y + (1 − p)(1 − y),   α_t = α y + (1 − α)(1 − y)
    FL = −α_t (1 − p_t)^γ log p_t,   BCE = −log p_t        (γ = 2, α = 0.25)

The factor (1 − p_t)^γ is ≈ 0 for well-classified examples (p_t → 1) and ≈ 1 for hard ones, so
the many easy negatives of a 98/2 problem stop dominating the gradient. The mechanism is exact;
whether it *helps* a small model on tabular data (rather than a dense detector with 10⁵ anchors)
is the contested part: the same MLP is trained with BCE and with focal loss on
``make_classification(weights=[0.98, 0.02])`` over 5 seeds and compared by average precision and
minority recall at threshold 0.5 (paired over seeds).
"""

import numpy as np

from ... import tensor
from ...metrics import average_precision_score
from ...nn import functional as F
from ...optim import Adam
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd, paired_test
from ._common_claims_ad import seeds_or_single
from ._common_claims_eh import mlp

GAMMA, ALPHA = 2.0, 0.25


def _data(seed, n):
    from sklearn.datasets import make_classification
    from sklearn.model_selection import train_test_split

    X, y = make_classification(n_samples=n, n_features=20, n_informative=5, weights=[0.98, 0.02],
                               flip_y=0.0, class_sep=0.8, random_state=seed)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, stratify=y, random_state=seed)
    mu, sd = Xtr.mean(0), Xtr.std(0)
    return (Xtr - mu) / sd, (Xte - mu) / sd, ytr.astype(np.float64), yte.astype(np.float64)


def _loss(kind, z, y):
    if kind == "BCE":
        return F.binary_cross_entropy_with_logits(z, y)
    return F.sigmoid_focal_loss(z, y, alpha=ALPHA, gamma=GAMMA, reduction="mean")


def _train(kind, data, seed, epochs):
    Xtr, Xte, ytr, yte = data
    model = mlp((Xtr.shape[1], 32, 1), seed=seed)
    opt = Adam(model.parameters(), lr=1e-2)
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        order = rng.permutation(len(ytr))
        for i in range(0, len(ytr), 128):
            b = order[i:i + 128]
            opt.zero_grad()
            _loss(kind, model(tensor(Xtr[b]))[:, 0], tensor(ytr[b])).backward()
            opt.step()
    z = model(tensor(Xte)).detach().numpy()[:, 0]
    pos = yte == 1
    return {"ap": float(average_precision_score(yte, z)),
            "recall": float(np.mean(z[pos] > 0)),
            "precision": float(np.mean(yte[z > 0])) if np.any(z > 0) else 0.0,
            "mean_p_minority": float(np.mean(1 / (1 + np.exp(-z[pos]))))}


def _easy_hard_ratio():
    """FL/BCE per example for an easy (p_t = 0.95) and a hard (p_t = 0.2) negative and positive."""
    out = {}
    for name, pt in (("easy", 0.95), ("hard", 0.2)):
        for y in (0.0, 1.0):
            logit = np.log(pt / (1 - pt)) * (1 if y == 1 else -1)
            z, t = tensor(np.array([logit])), tensor(np.array([y]))
            fl = float(F.sigmoid_focal_loss(z, t, alpha=ALPHA, gamma=GAMMA).numpy()[0])
            bce = float(F.binary_cross_entropy_with_logits(z, t, reduction="none").numpy()[0])
            out[f"{name}_{'pos' if y else 'neg'}"] = fl / bce
    return out


@experiment("C106", section="G", title="Focal loss under a 98/2 class imbalance",
            expected="contested",
            claim="Focal loss helps under class imbalance by down-weighting easy examples.",
            design="make_classification(n = 5000 (2000 quick), 20 features, weights [0.98, 0.02]), "
                   "70/30 stratified split; MLP 20-32-1 (ReLU), Adam lr 1e-2, batch 128, 30 "
                   "epochs (15 quick), BCE vs sigmoid focal loss (γ = 2, α = 0.25), 5 seeds. "
                   "Evidence: test average precision and minority recall at p = 0.5 (paired over "
                   "seeds), and FL/BCE per example for easy (p_t = 0.95) vs hard (p_t = 0.2).",
            code=["whiteboard.nn.functional:sigmoid_focal_loss",
                  "whiteboard.nn.functional:binary_cross_entropy_with_logits",
                  "whiteboard.metrics:average_precision_score", "whiteboard.optim:Adam"],
            tests=["tests/nn/test_loss.py", "tests/metrics/test_ranking.py"], seeds=5)
def c106(seed, quick):
    n, epochs = (2000, 15) if quick else (5000, 30)
    data = _data(seed, n)
    res = {k: _train(k, data, seed, epochs) for k in ("BCE", "focal")}
    return {"BCE": res["BCE"], "focal": res["focal"], "ratio": _easy_hard_ratio(),
            "n": n, "epochs": epochs, "n_minority_test": int(data[3].sum())}


@c106.decide
def _(trials):
    ap = {k: [t[k]["ap"] for t in trials] for k in ("BCE", "focal")}
    rec = {k: [t[k]["recall"] for t in trials] for k in ("BCE", "focal")}
    r = trials[0]["ratio"]
    mechanism = r["easy_neg"] < 0.01 and r["hard_neg"] > 0.3 * (1 - ALPHA)
    ap_better = seeds_or_single(ap["focal"], ap["BCE"])
    ap_worse = seeds_or_single(ap["BCE"], ap["focal"])
    rec_better = seeds_or_single(rec["focal"], rec["BCE"])
    helps = ap_better or (rec_better and not ap_worse)
    d = paired_test(ap["focal"], ap["BCE"]) if len(trials) > 1 else \
        {"mean": ap["focal"][0] - ap["BCE"][0], "p": float("nan")}
    return verdict(mechanism and helps,
                   f"FL/BCE per example: easy negative {r['easy_neg']:.4f}, hard negative "
                   f"{r['hard_neg']:.3f}; test AP BCE {fmt_mean_sd(ap['BCE'])} vs focal "
                   f"{fmt_mean_sd(ap['focal'])} (difference {d['mean']:+.3f}, p = {d['p']:.3f}); "
                   f"minority recall at 0.5 BCE {fmt_mean_sd(rec['BCE'])} vs focal "
                   f"{fmt_mean_sd(rec['focal'])}")


@c106.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
    for ax, key, label in ((axes[0], "ap", "test average precision"),
                           (axes[1], "recall", "minority recall at p = 0.5")):
        a = [t["BCE"][key] for t in trials]
        b = [t["focal"][key] for t in trials]
        for i in range(len(trials)):
            ax.plot([0, 1], [a[i], b[i]], "o-", color="0.5", ms=4)
        ax.set_xticks([0, 1], ["BCE", "focal (γ=2, α=0.25)"])
        ax.set_ylabel(label)
        ax.set_xlim(-0.3, 1.3)
        ax.set_title(f"{label} per seed")
    fig.suptitle("98/2 imbalance, MLP 20-32-1")
    fig.tight_layout()
    return [fig]
