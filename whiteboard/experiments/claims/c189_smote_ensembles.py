"""C189, C191: SMOTE raises minority recall; EasyEnsemble / BalanceCascade vs one undersampled
model.

C189. Oversampling the minority class moves a learner's decision boundary towards the majority
class (the minority region grows), so minority recall rises and precision usually falls.

C191. Random undersampling (RUS) keeps |S_min| of the |S_maj| majority samples, discarding
information; EasyEnsemble trains T members on T independent balanced subsets and averages them;
BalanceCascade removes the majority samples the current ensemble already classifies correctly,
shrinking the pool by f = (|S_min| / |S_maj|)^{1/(T−1)} per round (Liu, Wu & Zhou 2009).
"""

import numpy as np

from ... import metrics
from ...imbalance import (
    SMOTE, BalanceCascadeClassifier, EasyEnsembleClassifier, RandomUnderSampler, make_pipeline,
)
from ...ml import AdaBoostClassifier, DecisionTreeClassifier, KNeighborsClassifier, \
    LogisticRegression
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd, paired_test


def _make(n, weights, seed, flip_y=0.01, class_sep=0.8):
    from sklearn.datasets import make_classification  # data generator only

    return make_classification(n_samples=n, n_features=10, n_informative=5, weights=weights,
                               flip_y=flip_y, class_sep=class_sep, random_state=seed)


def _split(X, y, seed):
    from ...data.datasets import train_test_split

    return train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)


@experiment("C189", section="L", title="SMOTE improves minority-class recall",
            expected="reproduce", seeds=5,
            claim="SMOTE improves minority-class recall.",
            design="make_classification 95:5 (n = 2,000, 10 features) and breast_cancer with "
                   "malignant subsampled to 10 % of benign; LogisticRegression and 5-NN with and "
                   "without SMOTE (k = 5) in an imbalance Pipeline; minority recall, precision, "
                   "F1, AUC; 5 seeds, paired test on recall.",
            code=["whiteboard.imbalance:SMOTE", "whiteboard.imbalance:make_pipeline"],
            tests=["tests/imbalance/test_smote.py", "tests/imbalance/test_pipeline.py"])
def c189(seed, quick):
    from ...data.datasets import load_breast_cancer

    rng = np.random.default_rng(seed)
    Xs, ys = _make(2000, [0.95, 0.05], seed)
    Xb, yb = load_breast_cancer()
    Xb, yb = np.asarray(Xb, float), 1 - np.asarray(yb)          # malignant = 1 (minority)
    mal = np.where(yb == 1)[0]
    keep = np.r_[np.where(yb == 0)[0], rng.choice(mal, int(0.1 * (yb == 0).sum()),
                                                  replace=False)]
    Xb, yb = Xb[keep], yb[keep]
    Xb = (Xb - Xb.mean(0)) / Xb.std(0)
    out = {}
    for dname, (X, y) in {"synthetic_95_5": (Xs, ys), "breast_cancer_10pct": (Xb, yb)}.items():
        Xtr, Xte, ytr, yte = _split(X, y, seed)
        for mname, make in {"lr": lambda: LogisticRegression(),
                            "knn": lambda: KNeighborsClassifier(5)}.items():
            for smote in (False, True):
                model = make_pipeline(SMOTE(k_neighbors=5, random_state=seed), make()) if smote \
                    else make()
                model.fit(Xtr, ytr)
                p = model.predict(Xte)
                s = model.predict_proba(Xte)[:, 1]
                out[f"{dname}/{mname}/{'smote' if smote else 'none'}"] = {
                    "recall": float(metrics.recall_score(yte, p)),
                    "precision": float(metrics.precision_score(yte, p, zero_division=0)),
                    "f1": float(metrics.f1_score(yte, p, zero_division=0)),
                    "auc": float(metrics.roc_auc_score(yte, s))}
    return out


@c189.decide
def _(trials):
    keys = sorted({k.rsplit("/", 1)[0] for k in trials[0]})
    wins, parts = 0, []
    for k in keys:
        a = [t[f"{k}/smote"]["recall"] for t in trials]
        b = [t[f"{k}/none"]["recall"] for t in trials]
        r = paired_test(a, b)
        up = r["mean"] > 0 and (len(trials) == 1 or r["p"] < 0.1)
        wins += up
        parts.append(f"{k}: {fmt_mean_sd(b, 2)} → {fmt_mean_sd(a, 2)}")
    return verdict(wins == len(keys), f"minority recall without → with SMOTE ({wins}/{len(keys)} "
                                      f"up): " + "; ".join(parts))


@c189.plot
def _(trials):
    import matplotlib.pyplot as plt

    keys = sorted({k.rsplit("/", 1)[0] for k in trials[0]})
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    x = np.arange(len(keys))
    for ax, metric in zip(axes, ("recall", "precision")):
        for i, v in enumerate(("none", "smote")):
            vals = [np.mean([t[f"{k}/{v}"][metric] for t in trials]) for k in keys]
            ax.bar(x + 0.4 * i - 0.2, vals, 0.4, label="no resampling" if v == "none" else "SMOTE")
        ax.set_xticks(x, [k.replace("/", "\n") for k in keys], fontsize=7)
        ax.set_xlabel("data set / classifier")
        ax.set_ylabel(f"minority {metric}")
        ax.set_ylim(0, 1)
        ax.legend(fontsize=8)
    axes[0].set_title("SMOTE raises recall")
    axes[1].set_title("... and lowers precision")
    fig.tight_layout()
    return [fig]


def _gmean(y, p):
    return float(metrics.geometric_mean_score(y, p, average="binary"))


@experiment("C191", section="L", title="EasyEnsemble / BalanceCascade vs one undersampled model",
            expected="contested", seeds=5,
            claim="EasyEnsemble and BalanceCascade beat a single undersampled model while using "
                  "the majority data.",
            design="make_classification 97:3 (n = 5,000; 2,000 quick), 70/30: RUS + AdaBoost "
                   "(stumps, 10 rounds) vs EasyEnsemble (T = 10) vs BalanceCascade (T = 10) with "
                   "the same members; AUC and G-mean over 5 seeds (paired test); BalanceCascade's "
                   "majority pool sizes against f = (|S_min|/|S_maj|)^{1/(T−1)}.",
            code=["whiteboard.imbalance:EasyEnsembleClassifier",
                  "whiteboard.imbalance:BalanceCascadeClassifier",
                  "whiteboard.imbalance:RandomUnderSampler"],
            tests=["tests/imbalance/test_ensemble.py"])
def c191(seed, quick):
    X, y = _make(2000 if quick else 5000, [0.97, 0.03], seed, flip_y=0.0, class_sep=1.0)
    Xtr, Xte, ytr, yte = _split(X, y, seed)

    def member():
        return AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=10)

    models = {"rus": make_pipeline(RandomUnderSampler(random_state=seed), member()),
              "easy": EasyEnsembleClassifier(10, member(), random_state=seed),
              "cascade": BalanceCascadeClassifier(member(), 10, random_state=seed)}
    out = {}
    for name, m in models.items():
        m.fit(Xtr, ytr)
        score = m.predict_proba(Xte)[:, 1] if hasattr(m, "predict_proba") else \
            m.decision_function(Xte)
        out[name] = {"auc": float(metrics.roc_auc_score(yte, score)),
                     "g_mean": _gmean(yte, m.predict(Xte))}
    casc = models["cascade"]
    n_min, n_maj = int(ytr.sum()), int((ytr == 0).sum())
    f = (n_min / n_maj) ** (1 / 9)
    out["pool_sizes"] = [int(v) for v in casc.pool_sizes_]
    out["pool_expected"] = [float(n_maj * f ** i) for i in range(10)]
    return out


@c191.decide
def _(trials):
    rus = [t["rus"]["auc"] for t in trials]
    parts, wins = [], 0
    for name in ("easy", "cascade"):
        a = [t[name]["auc"] for t in trials]
        r = paired_test(a, rus)
        wins += r["mean"] > 0 and (len(trials) == 1 or r["p"] < 0.1)
        parts.append(f"{name} AUC {fmt_mean_sd(a)} (Δ {r['mean']:+.3f}, p = {r['p']:.2f})")
    pool = max(abs(p - e) / e for t in trials
               for p, e in zip(t["pool_sizes"], t["pool_expected"]))
    return verdict(wins == 2 and pool < 0.05,
                   f"RUS AUC {fmt_mean_sd(rus)}; " + "; ".join(parts)
                   + f"; pool sizes within {100 * pool:.1f} % of |S_maj|·f^i")


@c191.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.5))
    names = ["rus", "easy", "cascade"]
    axes[0].boxplot([[t[n]["auc"] for t in trials] for n in names])
    axes[0].set_xticks([1, 2, 3], ["RUS + AdaBoost", "EasyEnsemble", "BalanceCascade"],
                       fontsize=8)
    axes[0].set_xlabel("method")
    axes[0].set_ylabel("test AUC")
    axes[0].set_title("97:3 data")
    t = trials[0]
    axes[1].plot(t["pool_sizes"], "o-", label="BalanceCascade pool")
    axes[1].plot(t["pool_expected"], "k--", label="|S_maj|·f^i")
    axes[1].set_xlabel("round i")
    axes[1].set_ylabel("majority samples left")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    return [fig]
