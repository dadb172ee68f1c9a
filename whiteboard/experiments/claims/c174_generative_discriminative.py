"""C174: a generative model learns P(x, y) = P(y) P(x | y); a discriminative one learns only
P(y | x). Extension: Ng & Jordan (2002) — naive Bayes reaches its (higher) asymptotic error with
fewer samples than logistic regression.

Gaussian naive Bayes stores P(y = c) = π_c and P(x | y = c) = Π_j N(x_j; θ_cj, σ²_cj), so it can
*sample* x ~ P(x | y = c) and score the marginal log p(x) = log Σ_c π_c P(x | c). Logistic
regression stores only w, b with P(y | x) = softmax(Wx + b): it has no parameters for P(x), so
it can neither sample inputs nor tell a plausible input from an implausible one (its confidence
max_c P(c | x) is not a density).
"""

import numpy as np

from ...data.datasets import load_breast_cancer
from ...metrics import roc_auc_score
from ...ml import GaussianNB, LogisticRegression
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd
from ._common_claims_in import digits_split, standardise

SIZES = (6, 10, 14, 20, 40, 80, 150, 250, 400)


def _logsumexp(a, axis):
    m = a.max(axis, keepdims=True)
    return (m + np.log(np.exp(a - m).sum(axis, keepdims=True))).squeeze(axis)


def _sampling(seed, n_per_class):
    rng = np.random.default_rng(seed)
    Xtr, Xte, ytr, yte = digits_split(seed)
    nb = GaussianNB(var_smoothing=1e-2).fit(Xtr, ytr)
    judge = LogisticRegression(C=1.0, max_iter=500).fit(Xtr, ytr)  # trained on real digits only
    ys = np.repeat(nb.classes_, n_per_class)
    idx = np.searchsorted(nb.classes_, ys)
    samples = np.clip(nb.theta_[idx] + np.sqrt(nb.var_[idx]) * rng.standard_normal(
        (len(ys), Xtr.shape[1])), 0.0, 1.0)
    sample_acc = float(np.mean(judge.predict(samples) == ys))
    # real test digits vs the same digits with their pixels shuffled (same marginal histogram)
    shuffled = rng.permuted(Xte, axis=1)
    both = np.vstack([Xte, shuffled])
    is_real = np.r_[np.ones(len(Xte)), np.zeros(len(Xte))]
    log_px = _logsumexp(nb.predict_joint_log_proba(both), 1)
    conf = judge.predict_proba(both).max(1)
    return {"sample_acc": sample_acc, "auc_nb_log_px": float(roc_auc_score(is_real, log_px)),
            "auc_lr_confidence": float(roc_auc_score(is_real, conf)),
            "nb_test_acc": float(np.mean(nb.predict(Xte) == yte)),
            "means": nb.theta_.tolist(), "examples": samples[::n_per_class].tolist()}


def _curves(seed, splits):
    X, y = load_breast_cancer()
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    err = {"nb": np.zeros((splits, len(SIZES))), "lr": np.zeros((splits, len(SIZES)))}
    frac0 = np.mean(y == 0)
    for s in range(splits):
        rng = np.random.default_rng(1000 * seed + s)
        perm = rng.permutation(len(y))
        pool, te = perm[:400], perm[400:]
        p0, p1 = pool[y[pool] == 0], pool[y[pool] == 1]
        for j, n in enumerate(SIZES):
            n0 = max(1, int(round(n * frac0)))
            tr = np.r_[p0[:n0], p1[:n - n0]]  # nested, class proportions kept
            Xtr, Xte = standardise(X[tr], X[te])
            for name, m in (("nb", GaussianNB()), ("lr", LogisticRegression(C=1.0,
                                                                              max_iter=1000))):
                err[name][s, j] = np.mean(m.fit(Xtr, y[tr]).predict(Xte) != y[te])
    return {k: v.mean(0).tolist() for k, v in err.items()}


@experiment("C174", section="J", title="Generative NB models P(x, y); LR only P(y | x)",
            expected="reproduce", seeds=5,
            claim="Generative models learn the joint P(x, y) (and can sample inputs); "
                  "discriminative ones learn only P(y | x). Extension (Ng & Jordan 2002): naive "
                  "Bayes beats logistic regression at small n, LR wins asymptotically.",
            design="Digits in [0, 1]: GaussianNB samples x ~ P(x | y = c), judged by an LR fitted "
                   "on real digits; AUC of NB's log p(x) vs LR's confidence at telling real test "
                   "digits from pixel-shuffled ones. Breast_cancer learning curves (n = 6 … 400, "
                   "stratified nested subsets, 169 held-out points, standardised, LR C = 1), "
                   "5 seeds × 10 splits (3 in quick mode).",
            code=["whiteboard.ml.naive_bayes:GaussianNB",
                  "whiteboard.ml.linear_model:LogisticRegression",
                  "whiteboard.metrics:roc_auc_score"],
            tests=["tests/ml/test_lda_nb_knn.py", "tests/ml/test_logistic.py"])
def c174(seed, quick):
    return {"sampling": _sampling(seed, 10 if quick else 50), "sizes": list(SIZES),
            "curves": _curves(seed, 3 if quick else 10)}


def _summary(trials):
    nb = np.array([t["curves"]["nb"] for t in trials])
    lr = np.array([t["curves"]["lr"] for t in trials])
    return nb, lr


@c174.decide
def _(trials):
    acc = [t["sampling"]["sample_acc"] for t in trials]
    auc_nb = [t["sampling"]["auc_nb_log_px"] for t in trials]
    auc_lr = [t["sampling"]["auc_lr_confidence"] for t in trials]
    holds = min(acc) > 0.5 and min(auc_nb) > 0.9 and np.mean(auc_nb) > np.mean(auc_lr) + 0.1
    nb, lr = _summary(trials)
    sizes = trials[0]["sizes"]
    small = int(np.sum(nb.mean(0)[:3] < lr.mean(0)[:3]))
    crossover = "seen" if small > 0 and lr[:, -1].mean() < nb[:, -1].mean() else "not seen"
    ext = (f"extension (Ng & Jordan) {crossover}: error at n = {sizes[0]} NB "
           f"{fmt_mean_sd(nb[:, 0])} vs LR {fmt_mean_sd(lr[:, 0])}, NB better at {small}/3 "
           f"smallest n, at n = {sizes[-1]} NB {nb[:, -1].mean():.3f} vs LR "
           f"{lr[:, -1].mean():.3f}")
    return verdict(holds, f"NB samples recognised as their class by a real-data LR: "
                          f"{np.mean(acc):.2f} (chance 0.10); real vs shuffled digits AUC: NB "
                          f"log p(x) {np.mean(auc_nb):.3f}, LR confidence {np.mean(auc_lr):.3f}; "
                          + ext)


@c174.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    fig1, axes = plt.subplots(2, 10, figsize=(10, 2.4))
    for c in range(10):
        axes[0, c].imshow(np.reshape(t["sampling"]["means"][c], (8, 8)), cmap="gray_r")
        axes[1, c].imshow(np.reshape(t["sampling"]["examples"][c], (8, 8)), cmap="gray_r")
        for a in axes[:, c]:
            a.set_xticks([])
            a.set_yticks([])
        axes[0, c].set_title(str(c), fontsize=8)
    axes[0, 0].set_ylabel("θ_c", fontsize=8)
    axes[1, 0].set_ylabel("sample", fontsize=8)
    fig1.suptitle("Gaussian NB: class means and samples x ~ P(x | y)")
    nb, lr = _summary(trials)
    sizes = t["sizes"]
    fig2, ax = plt.subplots(figsize=(5.5, 3.5))
    for arr, lab in ((nb, "Gaussian NB"), (lr, "logistic regression")):
        ax.errorbar(sizes, arr.mean(0), yerr=arr.std(0), marker="o", capsize=3, label=lab)
    ax.set_xscale("log")
    ax.set_xlabel("training samples n")
    ax.set_ylabel("test error")
    ax.set_title("Breast cancer learning curves (mean ± sd over seeds)")
    ax.legend()
    fig2.tight_layout()
    return [fig1, fig2]
