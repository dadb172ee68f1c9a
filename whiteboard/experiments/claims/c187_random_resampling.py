"""C187: random oversampling duplicates minority points (a flexible model memorises them);
random undersampling discards majority information (a noisier, weaker model).

ROS draws minority samples with replacement until the classes balance: no new information, only
copies, so an unpruned tree isolates each copy in a pure leaf — minority recall ≈ 1 on the
training set, much lower on test data. RUS keeps |S_min| of the |S_maj| majority samples: the
fitted model sees a fraction |S_min|/|S_maj| of the majority class, so its estimate is noisier
and, as the imbalance grows, worse than using all the data with class weights
sᵢ = n / (K · n_{yᵢ}) (the same balance in expectation, without discarding anything).
"""

import numpy as np

from ... import metrics
from ...imbalance import SMOTE, RandomOverSampler, RandomUnderSampler
from ...ml import DecisionTreeClassifier, LogisticRegression
from ..registry import experiment, verdict
from ..stats import fmt_mean_sd, paired_test
from ._common_claims_in import standardise

SAMPLERS = ("none", "ROS", "RUS", "SMOTE")
RATIOS = (0.2, 0.1, 0.05, 0.02, 0.01)


def _make(n, minority, seed, flip_y=0.02):
    from sklearn.datasets import make_classification  # data generator only

    return make_classification(n_samples=n, n_features=10, n_informative=5,
                               weights=[1 - minority, minority], flip_y=flip_y,
                               random_state=seed)


def _split(X, y, seed):
    from ...data.datasets import train_test_split

    return train_test_split(X, y, test_size=0.3, random_state=seed, stratify=y)


def _resample(name, X, y, seed):
    if name == "none":
        return X, y
    cls = {"ROS": RandomOverSampler, "RUS": RandomUnderSampler, "SMOTE": SMOTE}[name]
    return cls(random_state=seed).fit_resample(X, y)


def _trees(seed, n, min_samples_leaf):
    X, y = _make(n, 0.05, seed)
    Xtr, Xte, ytr, yte = _split(X, y, seed)
    out = {}
    for name in SAMPLERS:
        Xr, yr = _resample(name, Xtr, ytr, seed)
        tree = DecisionTreeClassifier(min_samples_leaf=min_samples_leaf,
                                      random_state=seed).fit(Xr, yr)
        out[name] = {"train_recall": float(metrics.recall_score(ytr, tree.predict(Xtr))),
                     "test_recall": float(metrics.recall_score(yte, tree.predict(Xte))),
                     "test_precision": float(metrics.precision_score(yte, tree.predict(Xte),
                                                                     zero_division=0)),
                     "test_auc": float(metrics.roc_auc_score(yte, tree.predict_proba(Xte)[:, 1])),
                     "n_leaves": int(tree.get_n_leaves())}
    return out


def _lr(seed, n, rep):
    out = {"RUS": [], "class_weight": [], "none": []}
    for r in RATIOS:
        X, y = _make(n, r, 1000 + 10 * seed + rep)
        Xtr, Xte, ytr, yte = _split(X, y, seed)
        Xtr, Xte = standardise(Xtr, Xte)
        Xr, yr = RandomUnderSampler(random_state=seed).fit_resample(Xtr, ytr)
        for name, (A, b, cw) in {"RUS": (Xr, yr, None), "class_weight": (Xtr, ytr, "balanced"),
                                 "none": (Xtr, ytr, None)}.items():
            m = LogisticRegression(C=1.0, class_weight=cw, max_iter=1000).fit(A, b)
            out[name].append(float(metrics.roc_auc_score(yte, m.predict_proba(Xte)[:, 1])))
    return out


@experiment("C187", section="L", title="ROS overfits copies, RUS discards information",
            expected="reproduce", seeds=5,
            claim="Random oversampling duplicates minority points and overfits; random "
                  "undersampling throws away information.",
            design="make_classification(n = 2,000, 10 features, 95:5, flip_y 0.02), 70/30 "
                   "stratified: an unpruned tree with no resampling, ROS, RUS and SMOTE — "
                   "minority recall on train vs test, test AUC (also with min_samples_leaf = 10); "
                   "LogisticRegression with RUS vs class_weight='balanced' as the minority share "
                   "falls 20 % → 1 %: test AUC; "
                   "8 data draws per seed (4 in quick mode) × 5 seeds, paired test.",
            code=["whiteboard.imbalance:RandomOverSampler",
                  "whiteboard.imbalance:RandomUnderSampler", "whiteboard.imbalance:SMOTE",
                  "whiteboard.ml:DecisionTreeClassifier",
                  "whiteboard.ml:LogisticRegression"],
            tests=["tests/imbalance/test_random_samplers.py", "tests/imbalance/test_smote.py"])
def c187(seed, quick):
    n = 2000
    reps = 4 if quick else 8
    lr = [_lr(seed, n, r) for r in range(reps)]
    return {"n": n, "ratios": list(RATIOS), "trees": _trees(seed, n, 1),
            "trees_leaf10": _trees(seed, n, 10),
            "lr": {k: np.mean([d[k] for d in lr], 0).tolist() for k in lr[0]},
            "lr_replicates": lr}


@c187.decide
def _(trials):
    def rec(key, s):
        return (np.array([t[key][s]["train_recall"] for t in trials]),
                np.array([t[key][s]["test_recall"] for t in trials]))

    tr, te = rec("trees_leaf10", "ROS")
    tr0, te0 = rec("trees_leaf10", "none")
    tr_full, te_full = rec("trees", "ROS")
    gap, gap0 = tr - te, tr0 - te0
    ros_overfits = tr.mean() > 0.95 and (gap - gap0).mean() > 0.2
    # every (seed, replicate) data draw is a pair; mean AUC over the three rarest settings
    reps = [d for t in trials for d in t["lr_replicates"]]
    rus = np.array([np.mean(d["RUS"][-3:]) for d in reps])
    cw = np.array([np.mean(d["class_weight"][-3:]) for d in reps])
    rus20 = np.array([d["RUS"][0] for d in reps])
    cw20 = np.array([d["class_weight"][0] for d in reps])
    p = paired_test(cw, rus)
    rus_loses = p["mean"] > 0 and p["p"] < 0.1
    pv = f"= {p['p']:.3g}" if p["p"] > 0 else "< 5e-05"
    return verdict(ros_overfits and rus_loses,
                   f"tree (min_samples_leaf = 10) + ROS minority recall train {fmt_mean_sd(tr)} vs "
                   f"test {fmt_mean_sd(te)} (no resampling: train {fmt_mean_sd(tr0)}, test "
                   f"{fmt_mean_sd(te0)}; unpruned + ROS test {fmt_mean_sd(te_full)}); LR AUC at "
                   f"5/2/1 % minority: RUS {fmt_mean_sd(rus)} vs class weights {fmt_mean_sd(cw)} "
                   f"(paired Δ {p['mean']:+.3f}, p {pv}, n = {p['n']}); at 20 %: Δ "
                   f"{np.mean(cw20 - rus20):+.3f}")


@c187.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    x = np.arange(len(SAMPLERS))
    for off, key, lab in ((-0.2, "train_recall", "train"), (0.2, "test_recall", "test")):
        v = np.array([[t["trees_leaf10"][s][key] for s in SAMPLERS] for t in trials])
        axes[0].bar(x + off, v.mean(0), 0.4, yerr=v.std(0), capsize=3, label=lab)
    axes[0].set_xticks(x, SAMPLERS)
    axes[0].set_xlabel("resampling before a tree (min_samples_leaf = 10)")
    axes[0].set_ylabel("minority recall")
    axes[0].set_title("ROS: memorised copies (train ≫ test)")
    axes[0].legend()
    ratios = trials[0]["ratios"]
    for key, lab in (("RUS", "RUS"), ("class_weight", "class weights"), ("none", "unweighted")):
        v = np.array([t["lr"][key] for t in trials])
        axes[1].errorbar(ratios, v.mean(0), yerr=v.std(0), marker="o", capsize=3, label=lab)
    axes[1].set_xscale("log")
    axes[1].invert_xaxis()
    axes[1].set_xlabel("minority share of the data")
    axes[1].set_ylabel("LR test AUC (mean ± sd)")
    axes[1].set_title("RUS discards majority information")
    axes[1].legend()
    fig.tight_layout()
    return [fig]
