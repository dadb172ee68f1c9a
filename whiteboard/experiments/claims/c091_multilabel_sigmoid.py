"""C91: softmax for mutually exclusive classes, independent sigmoids (+ BCE) for multi-label.

Softmax couples the outputs (Σ_k p_k = 1), so it models one label per example; a multi-label
target y ∈ {0, 1}ᴷ needs K independent Bernoulli outputs p_k = σ(z_k) trained with binary
cross-entropy, decoded by p_k > 0.5. A softmax trained on the normalised label vector can only
be decoded by guessing how many labels to keep (here: the top-k, k = the median label count of
the training set). Both heads sit on the same linear layer of the library, trained with Adam.
"""

import numpy as np

from ... import nn, tensor
from ...nn import functional as F
from ...optim import Adam
from ..registry import experiment, verdict


def _fit(head, X, Y, seed, epochs):
    from ... import backend

    backend.manual_seed(seed)
    lin = nn.Linear(X.shape[1], Y.shape[1], dtype=np.float64)
    opt = Adam(lin.parameters(), lr=0.05)
    Xt, Yt = tensor(X), tensor(Y)
    target = tensor(Y / np.maximum(Y.sum(1, keepdims=True), 1))
    for _ in range(epochs):
        opt.zero_grad()
        z = lin(Xt)
        if head == "sigmoid + BCE":
            loss = F.binary_cross_entropy_with_logits(z, Yt)
        else:
            loss = -(target * F.log_softmax(z, dim=1)).sum() / X.shape[0]
        loss.backward()
        opt.step()
    return lin


def _decode(head, z, k):
    """Sigmoid: p_k > 0.5. Softmax: the top ``k`` classes (k fixed from the training set)."""
    if head == "sigmoid + BCE":
        return (z > 0).astype(int)
    pred = np.zeros(z.shape, dtype=int)
    np.put_along_axis(pred, np.argsort(-z, axis=1)[:, :k], 1, axis=1)
    return pred


@experiment("C91", section="E", title="Independent sigmoids + BCE for multi-label, not softmax",
            expected="reproduce",
            claim="Use softmax for mutually exclusive classes and independent sigmoids with BCE "
                  "for multi-label problems.",
            design="make_multilabel_classification(n = 1000, 20 features, 5 classes), 70/30: "
                   "linear layer + sigmoid/BCE (threshold 0.5) vs softmax/CE on the normalised "
                   "label vector (top-k decoding, k = median training label count), Adam lr 0.05, "
                   "300 full-batch "
                   "steps (150 quick), 3 seeds: Hamming loss and subset accuracy on the test set.",
            code=["whiteboard.nn.functional:binary_cross_entropy_with_logits",
                  "whiteboard.nn.functional:log_softmax"],
            tests=["tests/nn/test_loss.py"], seeds=3)
def c91(seed, quick):
    from sklearn.datasets import make_multilabel_classification  # data only

    X, Y = make_multilabel_classification(n_samples=1000, n_features=20, n_classes=5,
                                          random_state=seed)
    X = (X - X.mean(0)) / X.std(0)
    ntr = 700
    out = {}
    for head in ("sigmoid + BCE", "softmax + CE"):
        lin = _fit(head, X[:ntr], Y[:ntr], seed, 150 if quick else 300)
        z = lin(tensor(X[ntr:])).numpy()
        pred = _decode(head, z, int(np.round(np.median(Y[:ntr].sum(1)))))
        out[head] = {"hamming": float(np.mean(pred != Y[ntr:])),
                     "subset_acc": float(np.mean(np.all(pred == Y[ntr:], axis=1)))}
    return out


@c91.decide
def _(trials):
    heads = ("sigmoid + BCE", "softmax + CE")
    h = {k: float(np.mean([t[k]["hamming"] for t in trials])) for k in heads}
    s = {k: float(np.mean([t[k]["subset_acc"] for t in trials])) for k in heads}
    better = all(t[heads[0]]["hamming"] < t[heads[1]]["hamming"] for t in trials)
    return verdict(better and s[heads[0]] > s[heads[1]],
                   f"Hamming loss sigmoid {h[heads[0]]:.3f} vs softmax {h[heads[1]]:.3f}; subset "
                   f"accuracy {s[heads[0]]:.3f} vs {s[heads[1]]:.3f} (mean of {len(trials)} "
                   f"seeds)")


@c91.plot
def _(trials):
    import matplotlib.pyplot as plt

    heads = ("sigmoid + BCE", "softmax + CE")
    fig, ax = plt.subplots(figsize=(4.8, 3.4))
    x = np.arange(2)
    for i, key in enumerate(("hamming", "subset_acc")):
        ax.bar(x + 0.38 * i, [np.mean([t[h][key] for t in trials]) for h in heads], 0.38,
               label=key.replace("_", " "))
    ax.set_xticks(x + 0.19)
    ax.set_xticklabels(heads)
    ax.set_xlabel("output head")
    ax.set_ylabel("test metric")
    ax.set_title("Multi-label: independent sigmoids win")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]
