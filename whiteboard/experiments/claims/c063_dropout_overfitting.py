"""C63, C64, C67, C69: dropout in training small MLPs on digits (library nn + optim).

C63 dropout (p = 0.5) on an over-parameterised MLP trained on 300 digits lowers the train–test
    gap and raises test accuracy (5 seeds, paired).
C64 on a small MLP 64-16-10 that does not overfit the full training set, dropout 0.5 lowers test
    accuracy.
C67 a net trained with dropout tolerates deleting hidden units at test time (kept units rescaled
    by 1/(1 − k)) better than one trained without.
C69 with p = 0.5 the per-batch training loss is noisy; the same weights evaluated without dropout
    give a lower, smoother loss curve.
"""

import numpy as np

from ... import backend, nn, no_grad, tensor
from ..registry import experiment, verdict
from ..stats import exceeds_noise, fmt_mean_sd, paired_test
from ._common_claims_ad import accuracy, digits_split, train_classifier


def _mlp(widths, p, p_in=0.0):
    layers = [nn.Dropout(p_in)] if p_in else []
    for a, b in zip(widths[:-2], widths[1:-1]):
        layers += [nn.Linear(a, b), nn.ReLU()] + ([nn.Dropout(p)] if p else [])
    layers.append(nn.Linear(widths[-2], widths[-1]))
    return nn.Sequential(*layers).double()


@experiment("C63", section="D", title="Dropout reduces overfitting", expected="reproduce",
            seeds=5,
            claim="Dropout reduces overfitting.",
            design="MLP 64-512-512-10 (quick: 64-256-256-10) on 300 training digits, SGD momentum "
                   "0.9, lr 0.01, 100 epochs (quick 40), p in {0, 0.5}, 5 seeds: train-test gap "
                   "and test accuracy, paired over seeds.",
            code=["whiteboard.nn:Dropout", "whiteboard.optim:SGD"],
            tests=["tests/nn/test_dropout.py"])
def c63(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed, n_train=300)
    w = 256 if quick else 512
    out = {}
    for p in (0.0, 0.5):
        backend.manual_seed(seed)
        net = _mlp([64, w, w, 10], p)
        train_classifier(net, Xtr, ytr, epochs=40 if quick else 100, lr=0.01, seed=seed)
        tr, te = accuracy(net, Xtr, ytr), accuracy(net, Xte, yte)
        out[f"p{p}"] = {"train": tr, "test": te, "gap": tr - te}
    return out


@c63.decide
def _(trials):
    gap0 = [t["p0.0"]["gap"] for t in trials]
    gap5 = [t["p0.5"]["gap"] for t in trials]
    te0 = [t["p0.0"]["test"] for t in trials]
    te5 = [t["p0.5"]["test"] for t in trials]
    smaller_gap = exceeds_noise(gap0, gap5) if len(trials) > 1 else gap0[0] > gap5[0]
    better = exceeds_noise(te5, te0) if len(trials) > 1 else te5[0] > te0[0]
    p = paired_test(te5, te0)["p"] if len(trials) > 1 else float("nan")
    return verdict(smaller_gap and better,
                   f"gap {fmt_mean_sd(gap0)} -> {fmt_mean_sd(gap5)}; test accuracy "
                   f"{fmt_mean_sd(te0)} -> {fmt_mean_sd(te5)} (paired p = {p:.3f}, "
                   f"n = {len(trials)})")


@c63.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    for i, key in enumerate(("p0.0", "p0.5")):
        ax.scatter([i - 0.1] * len(trials), [t[key]["test"] for t in trials], label=None,
                   color="C0")
        ax.scatter([i + 0.1] * len(trials), [t[key]["gap"] for t in trials], color="C1")
    ax.scatter([], [], color="C0", label="test accuracy")
    ax.scatter([], [], color="C1", label="train - test gap")
    ax.set_xticks([0, 1])
    ax.set_xticklabels(["no dropout", "dropout 0.5"])
    ax.set_ylabel("accuracy / gap")
    ax.set_title("300 digits, MLP: per seed")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


@experiment("C64", section="D", title="Dropout hurts a model that does not overfit",
            expected="reproduce", seeds=5,
            claim="Dropout should not be used when the model is not overfitting.",
            design="Small MLP 64-16-10 on the full digits training set (1,257), SGD momentum "
                   "0.9, lr 0.01, 30 epochs (quick 15), p in {0, 0.5}, 5 seeds: test accuracy "
                   "paired over seeds.",
            code=["whiteboard.nn:Dropout", "whiteboard.optim:SGD"],
            tests=["tests/nn/test_dropout.py"])
def c64(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed)
    out = {}
    for p in (0.0, 0.5):
        backend.manual_seed(seed)
        net = _mlp([64, 16, 10], p)
        train_classifier(net, Xtr, ytr, epochs=15 if quick else 30, lr=0.01, seed=seed)
        out[f"p{p}"] = {"train": accuracy(net, Xtr, ytr), "test": accuracy(net, Xte, yte)}
    return out


@c64.decide
def _(trials):
    te0 = [t["p0.0"]["test"] for t in trials]
    te5 = [t["p0.5"]["test"] for t in trials]
    gap0 = [t["p0.0"]["train"] - t["p0.0"]["test"] for t in trials]
    worse = exceeds_noise(te0, te5) if len(trials) > 1 else te0[0] > te5[0]
    return verdict(worse, f"test accuracy without {fmt_mean_sd(te0)} vs with dropout "
                          f"{fmt_mean_sd(te5)}; gap without dropout {fmt_mean_sd(gap0)}")


@c64.plot
def _(trials):
    from ._common_claims_ad import bar_figure

    return [bar_figure(["no dropout", "dropout 0.5"],
                       [np.mean([t["p0.0"]["test"] for t in trials]),
                        np.mean([t["p0.5"]["test"] for t in trials])],
                       "mean test accuracy", "MLP 64-16-10 on all digits")]


KS = (0.0, 0.2, 0.4, 0.6, 0.8)


def _delete_units(net, X, y, k, rng):
    """Accuracy with a random share k of each hidden layer's units deleted (rest rescaled)."""
    lins = [m for m in net.modules() if isinstance(m, nn.Linear)]
    saved = [m.weight.data.copy() for m in lins]
    for m in lins[1:]:  # the inputs of every layer after the first are hidden units
        keep = rng.random(m.in_features) >= k
        m.weight.data = m.weight.data * keep[None, :] / (1 - k)
    acc = accuracy(net, X, y)
    for m, w in zip(lins, saved):
        m.weight.data = w
    return acc


@experiment("C67", section="D", title="Dropout nets tolerate losing units", expected="reproduce",
            seeds=5,
            claim="Dropout prevents co-adaptation, so the network tolerates losing units.",
            design="MLP 64-256-256-10 trained on digits with and without dropout 0.5 (SGD, 20 "
                   "epochs, quick 10); delete k = 0..80% of the hidden units at test time "
                   "(kept rescaled, 5 random deletions each): accuracy vs k; decided at k = 60%.",
            code=["whiteboard.nn:Dropout"], tests=["tests/nn/test_dropout.py"])
def c67(seed, quick):
    Xtr, Xte, ytr, yte = digits_split(seed)
    rng = np.random.default_rng(seed)
    out = {}
    for p in (0.0, 0.5):
        backend.manual_seed(seed)
        net = _mlp([64, 256, 256, 10], p)
        train_classifier(net, Xtr, ytr, epochs=10 if quick else 20, lr=0.01, seed=seed)
        out[f"p{p}"] = [float(np.mean([_delete_units(net, Xte, yte, k, rng) for _ in range(5)]))
                        for k in KS]
    return {"k": list(KS), **out}


@c67.decide
def _(trials):
    i = KS.index(0.6)
    drop0 = [t["p0.0"][0] - t["p0.0"][i] for t in trials]
    drop5 = [t["p0.5"][0] - t["p0.5"][i] for t in trials]
    holds = exceeds_noise(drop0, drop5) if len(trials) > 1 else drop0[0] > drop5[0]
    return verdict(holds, f"accuracy lost when deleting 60% of hidden units: without dropout "
                          f"{fmt_mean_sd(drop0)}, with dropout {fmt_mean_sd(drop5)}")


@c67.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    for key, label in (("p0.0", "trained without dropout"), ("p0.5", "trained with p = 0.5")):
        ax.plot(KS, np.mean([t[key] for t in trials], 0), "o-", label=label)
    ax.set_xlabel("share of hidden units deleted at test time")
    ax.set_ylabel("test accuracy")
    ax.set_title("Robustness to losing units")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return [fig]


@experiment("C69", section="D", title="Dropout makes the training loss noisy",
            expected="reproduce",
            claim="Dropout makes the training loss noisy; switch it off to monitor the loss.",
            design="MLP 64-256-256-10 on digits, p = 0.5 vs 0, identical batches: sd of the "
                   "per-batch loss change within the last epoch, and for the dropout net the "
                   "same batches' loss evaluated with dropout off (lower and smoother).",
            code=["whiteboard.nn:Dropout"], tests=["tests/nn/test_dropout.py"])
def c69(seed, quick):
    from ... import optim

    Xtr, _, ytr, _ = digits_split(seed)
    lossf = nn.CrossEntropyLoss()
    out = {}
    for p in (0.0, 0.5):
        backend.manual_seed(seed)
        net = _mlp([64, 256, 256, 10], p)
        opt = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
        rng = np.random.default_rng(seed)
        train, clean = [], []
        for _ in range(4 if quick else 10):
            order = rng.permutation(len(ytr))
            train, clean = [], []
            for i in range(0, len(ytr) - 31, 32):
                b = order[i:i + 32]
                net.train()
                opt.zero_grad()
                loss = lossf(net(tensor(Xtr[b])), tensor(ytr[b]))
                loss.backward()
                train.append(float(loss.item()))
                net.eval()
                with no_grad():
                    clean.append(float(lossf(net(tensor(Xtr[b])), tensor(ytr[b])).item()))
                opt.step()
        out[f"p{p}"] = {"train": train, "clean": clean}
    return out


def _roughness(v):
    return float(np.std(np.diff(v)))


@c69.decide
def _(trials):
    t = trials[0]
    r0, r5 = _roughness(t["p0.0"]["train"]), _roughness(t["p0.5"]["train"])
    r5c = _roughness(t["p0.5"]["clean"])
    m5, m5c = np.mean(t["p0.5"]["train"]), np.mean(t["p0.5"]["clean"])
    holds = r5 > r0 and r5c < r5 and m5c < m5
    return verdict(holds, f"sd of batch-to-batch loss change: p=0.5 {r5:.3f} vs p=0 {r0:.3f}; "
                          f"same weights with dropout off {r5c:.3f}; mean loss {m5:.3f} -> "
                          f"{m5c:.3f}")


@c69.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(t["p0.5"]["train"], label="p = 0.5, dropout on", lw=0.9)
    ax.plot(t["p0.5"]["clean"], label="p = 0.5, same weights, dropout off", lw=0.9)
    ax.plot(t["p0.0"]["train"], label="p = 0", lw=0.9)
    ax.set_xlabel("batch in the last epoch")
    ax.set_ylabel("cross-entropy")
    ax.set_title("Per-batch training loss")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return [fig]
