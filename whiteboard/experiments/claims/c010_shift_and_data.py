"""C10, C15: generalisation under covariate shift, and more data against overfitting.

C10 A net trained on standardised digits sees test inputs x′ = 1.5x + 0.2 (pixel units). Scaling
    the shifted test set with the *training* mean/std (the correct deployment rule) keeps the
    shift: accuracy drops. Standardising by the test batch's own statistics happens to undo this
    particular affine shift.
C15 For a fixed MLP the train–test gap shrinks as n grows; at n = 100, doubling the data helps
    test accuracy more than adding L2 (weight decay) or dropout.
"""

import numpy as np

from ... import backend, nn
from ...data.datasets import load_digits, train_test_split
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd
from ._common_claims_ad import accuracy, digits_split, train_classifier


def _mlp(p=0.0):
    layers = [nn.Linear(64, 256), nn.ReLU()] + ([nn.Dropout(p)] if p else []) + [
        nn.Linear(256, 10)]
    return nn.Sequential(*layers).double()


@experiment("C10", section="A", title="Covariate shift hurts generalisation",
            expected="reproduce",
            claim="A shift between training and test distributions hurts generalisation; inputs "
                  "must be normalised with training statistics.",
            design="MLP 64-256-10 trained on digits standardised by the training mean/std; test "
                   "on clean digits and on digits with intensities x1.5 + 0.2, the latter scaled "
                   "by the training statistics and, alternatively, by the test set's own "
                   "per-feature statistics.",
            code=["whiteboard.nn:Linear", "whiteboard.optim:SGD"],
            tests=["tests/nn/test_linear.py"])
def c10(seed, quick):
    X, y = load_digits()
    X = np.asarray(X, dtype=np.float64)
    Xtr, Xte, ytr, yte = train_test_split(X, np.asarray(y), test_size=0.3, random_state=0,
                                          stratify=y)
    mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-8
    backend.manual_seed(seed)
    net = _mlp()
    train_classifier(net, (Xtr - mu) / sd, ytr, epochs=5 if quick else 15, lr=0.01, seed=seed)
    shifted = 1.5 * Xte + 0.2
    own_mu, own_sd = shifted.mean(0), shifted.std(0) + 1e-8
    return {"clean": accuracy(net, (Xte - mu) / sd, yte),
            "shift_train_stats": accuracy(net, (shifted - mu) / sd, yte),
            "shift_own_stats": accuracy(net, (shifted - own_mu) / own_sd, yte)}


@c10.decide
def _(trials):
    t = trials[0]
    drop = t["clean"] - t["shift_train_stats"]
    return verdict(drop > 0.05, f"test accuracy clean {t['clean']:.3f}, shifted (training "
                                f"statistics) {t['shift_train_stats']:.3f} (drop {drop:.3f}), "
                                f"shifted re-standardised by its own statistics "
                                f"{t['shift_own_stats']:.3f}")


@c10.plot
def _(trials):
    from ._common_claims_ad import bar_figure

    t = trials[0]
    return [bar_figure(["clean", "shifted, train stats", "shifted, own stats"],
                       [t["clean"], t["shift_train_stats"], t["shift_own_stats"]],
                       "test accuracy", "Covariate shift x -> 1.5x + 0.2")]


NS = (50, 100, 200, 400, 800, 1257)


@experiment("C15", section="A", title="More data is the most effective cure for overfitting",
            expected="reproduce", seeds=3,
            claim="More training data is the most effective cure for overfitting.",
            design="MLP 64-256-10, SGD momentum 0.9 lr 0.01, 600 steps of batch 32 whatever n, "
                   "n_train in {50, ..., 1257} digits: train-test gap vs n; at n = 100 the test "
                   "accuracy gain from doubling n vs from weight decay 1e-3 or dropout 0.5; 3 "
                   "seeds (quick: fewer sizes, 200 steps).",
            code=["whiteboard.nn:Dropout", "whiteboard.optim:SGD"],
            tests=["tests/nn/test_dropout.py", "tests/optim/test_optimizers.py"])
def c15(seed, quick):
    from ... import optim, tensor

    ns = (50, 100, 200, 1257) if quick else NS
    steps = 200 if quick else 600

    def fit(n, p=0.0, wd=0.0):
        Xtr, Xte, ytr, yte = digits_split(seed, n_train=n)
        backend.manual_seed(seed)
        net = _mlp(p)
        opt = optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=wd)
        lossf = nn.CrossEntropyLoss()
        rng = np.random.default_rng(seed)
        for _ in range(steps):
            b = rng.integers(0, len(ytr), 32)
            opt.zero_grad()
            lossf(net(tensor(Xtr[b])), tensor(ytr[b])).backward()
            opt.step()
        return accuracy(net, Xtr, ytr), accuracy(net, Xte, yte)

    rows = []
    for n in ns:
        tr, te = fit(n)
        rows.append({"n": n, "train": tr, "test": te, "gap": tr - te})
    _, te_l2 = fit(100, wd=1e-3)
    _, te_do = fit(100, p=0.5)
    return {"rows": rows, "test_100_l2": te_l2, "test_100_dropout": te_do}


@c15.decide
def _(trials):
    def at(t, n):
        return next(r for r in t["rows"] if r["n"] == n)

    gap_small = [at(t, 50)["gap"] for t in trials]
    gap_large = [at(t, 1257)["gap"] for t in trials]
    base = [at(t, 100)["test"] for t in trials]
    dbl = [at(t, 200)["test"] - b for t, b in zip(trials, base)]
    l2 = [t["test_100_l2"] - b for t, b in zip(trials, base)]
    do = [t["test_100_dropout"] - b for t, b in zip(trials, base)]
    holds = (np.mean(gap_large) < np.mean(gap_small) / 2
             and np.mean(dbl) > max(np.mean(l2), np.mean(do)))
    return verdict(holds, f"train-test gap n=50 {fmt_mean_sd(gap_small)} -> n=1257 "
                          f"{fmt_mean_sd(gap_large)}; at n=100 test-accuracy gain: doubling n "
                          f"{fmt_mean_sd(dbl)}, weight decay {fmt_mean_sd(l2)}, dropout "
                          f"{fmt_mean_sd(do)}")


@c15.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.5))
    ns = [r["n"] for r in trials[0]["rows"]]
    for k in ("train", "test"):
        ax.semilogx(ns, np.mean([[r[k] for r in t["rows"]] for t in trials], 0), "o-", label=k)
    ax.set_xlabel("training set size n")
    ax.set_ylabel("accuracy (mean over seeds)")
    ax.set_title("MLP 64-256-10 on digits")
    ax.legend()
    fig.tight_layout()
    return [fig]
