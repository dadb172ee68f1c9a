"""C184, C185, C186: the confusion matrix and its rates, AUC as a ranking probability, and why
accuracy misleads under imbalance.

C184. With positives P = TP + FN and predicted positives TP + FP:
precision = TP/(TP + FP), recall = TP/(TP + FN), F1 = 2PR/(P + R), specificity = TN/(TN + FP).
scikit-learn's (and the library's) layout is rows = true class, columns = predicted class, so
the binary matrix is [[TN, FP], [FN, TP]] (E107: the notes draw it with TP top-left).

C185. AUC = ∫ TPR d(FPR) = P(s⁺ > s⁻) + ½ P(s⁺ = s⁻) for a random positive and negative
(Mann–Whitney U / (n⁺ n⁻)); the trapezoid rule on the ROC steps gives ties exactly ½.

C186. The constant majority classifier on 99:1 data has accuracy 0.99 but recall 0, F1 0,
G-mean √(recall · specificity) = 0 and AUC 0.5.
"""

import numpy as np

from ... import metrics
from ..registry import REFUTED, experiment, verdict


@experiment("C184", section="L", title="The confusion matrix and its rates", expected="reproduce",
            errata=("E107",),
            claim="The confusion matrix and the rates derived from it (precision, recall, F1).",
            design="Random binary and 4-class labels/predictions (n = 500, 20 seeds): the "
                   "library's confusion_matrix, precision, recall and F1 against sklearn, and "
                   "against the formulas from TP/FP/FN/TN read off the [[TN, FP], [FN, TP]] "
                   "layout.",
            code=["whiteboard.metrics:confusion_matrix", "whiteboard.metrics:precision_score",
                  "whiteboard.metrics:recall_score", "whiteboard.metrics:f1_score"],
            tests=["tests/metrics/test_classification.py"])
def c184(seed, quick):
    from sklearn import metrics as sk  # oracle

    rng = np.random.default_rng(seed)
    cm_mismatch, rate_gap, formula_gap, example = 0, 0.0, 0.0, None
    for _ in range(20):
        y = rng.integers(0, 2, 500)
        p = np.where(rng.random(500) < 0.7, y, 1 - y)
        cm = metrics.confusion_matrix(y, p)
        cm_mismatch += int(not np.array_equal(cm, sk.confusion_matrix(y, p)))
        (tn, fp), (fn, tp) = cm
        ours = [metrics.precision_score(y, p), metrics.recall_score(y, p), metrics.f1_score(y, p)]
        ref = [sk.precision_score(y, p), sk.recall_score(y, p), sk.f1_score(y, p)]
        prec, rec = tp / (tp + fp), tp / (tp + fn)
        formula = [prec, rec, 2 * prec * rec / (prec + rec)]
        rate_gap = max(rate_gap, float(np.max(np.abs(np.subtract(ours, ref)))))
        formula_gap = max(formula_gap, float(np.max(np.abs(np.subtract(ours, formula)))))
        y4, p4 = rng.integers(0, 4, 500), rng.integers(0, 4, 500)
        cm_mismatch += int(not np.array_equal(metrics.confusion_matrix(y4, p4),
                                              sk.confusion_matrix(y4, p4)))
        for avg in ("macro", "micro", "weighted"):
            rate_gap = max(rate_gap, abs(metrics.f1_score(y4, p4, average=avg)
                                         - sk.f1_score(y4, p4, average=avg)))
        if example is None:
            example = {"cm": cm.tolist(), "precision": ours[0], "recall": ours[1], "f1": ours[2]}
    return {"matrices": 40, "cm_mismatch": cm_mismatch, "rate_gap_sklearn": float(rate_gap),
            "rate_gap_formula": float(formula_gap), "example": example}


@c184.decide
def _(trials):
    t = trials[0]
    return verdict(t["cm_mismatch"] == 0 and t["rate_gap_sklearn"] <= 1e-15
                   and t["rate_gap_formula"] <= 1e-15,
                   f"confusion matrices differing from sklearn: {t['cm_mismatch']}/{t['matrices']};"
                   f" max |rate − sklearn| = {t['rate_gap_sklearn']:.1e}; max |rate − formula| = "
                   f"{t['rate_gap_formula']:.1e}", otherwise=REFUTED)


@c184.plot
def _(trials):
    import matplotlib.pyplot as plt

    ex = trials[0]["example"]
    cm = np.asarray(ex["cm"])
    fig, ax = plt.subplots(figsize=(4, 3.6))
    ax.imshow(cm, cmap="Blues")
    names = [["TN", "FP"], ["FN", "TP"]]
    for i in range(2):
        for j in range(2):
            ax.text(j, i, f"{names[i][j]}\n{cm[i, j]}", ha="center", va="center")
    ax.set_xticks([0, 1], ["pred 0", "pred 1"])
    ax.set_yticks([0, 1], ["true 0", "true 1"])
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(f"P {ex['precision']:.3f}  R {ex['recall']:.3f}  F1 {ex['f1']:.3f}")
    fig.tight_layout()
    return [fig]


@experiment("C185", section="L", title="AUC = P(random positive outranks random negative)",
            expected="reproduce",
            claim="ROC/AUC: AUC is the probability that a random positive outranks a random "
                  "negative.",
            design="Scores with many ties (rounded to 1 decimal) and continuous scores for 300 "
                   "samples, 20 draws: the pairwise count (ties ½), the trapezoid area under the "
                   "library's roc_curve, the library's roc_auc_score and sklearn's.",
            code=["whiteboard.metrics:roc_auc_score", "whiteboard.metrics:roc_curve",
                  "whiteboard.metrics:auc"],
            tests=["tests/metrics/test_ranking.py"])
def c185(seed, quick):
    from sklearn.metrics import roc_auc_score as sk_auc  # oracle

    rng = np.random.default_rng(seed)
    gaps, example = [], None
    for r in range(20):
        y = rng.integers(0, 2, 300)
        s = rng.normal(size=300) + 0.8 * y
        if r % 2 == 0:
            s = np.round(s, 1)
        pos, neg = s[y == 1], s[y == 0]
        pair = float(np.mean(pos[:, None] > neg[None, :])
                     + 0.5 * np.mean(pos[:, None] == neg[None, :]))
        fpr, tpr, _ = metrics.roc_curve(y, s)
        trap = float(metrics.auc(fpr, tpr))
        lib = float(metrics.roc_auc_score(y, s))
        ref = float(sk_auc(y, s))
        gaps.append(max(abs(pair - trap), abs(pair - lib), abs(pair - ref)))
        if example is None:
            example = {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "auc": lib, "pairwise": pair}
    return {"max_gap": float(max(gaps)), "draws": 20, "example": example}


@c185.decide
def _(trials):
    g = max(t["max_gap"] for t in trials)
    return verdict(g <= 1e-12, f"max |pairwise − trapezoid − roc_auc_score − sklearn| = {g:.1e} "
                               f"over {trials[0]['draws']} draws (half with ties)",
                   otherwise=REFUTED)


@c185.plot
def _(trials):
    import matplotlib.pyplot as plt

    ex = trials[0]["example"]
    fig, ax = plt.subplots(figsize=(4, 4))
    ax.plot(ex["fpr"], ex["tpr"], drawstyle="default")
    ax.fill_between(ex["fpr"], ex["tpr"], alpha=0.2)
    ax.plot([0, 1], [0, 1], "k--", lw=0.8)
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.set_title(f"AUC {ex['auc']:.4f} = pairwise {ex['pairwise']:.4f}")
    fig.tight_layout()
    return [fig]


@experiment("C186", section="L", title="Under imbalance accuracy misleads", expected="reproduce",
            claim="Under class imbalance accuracy misleads; use F1, G-mean or ROC/AUC.",
            design="10,000 labels at 99:1; the always-majority classifier (constant score): "
                   "accuracy, minority recall, F1, G-mean and AUC from the library's metrics.",
            code=["whiteboard.metrics:accuracy_score", "whiteboard.metrics:f1_score",
                  "whiteboard.metrics:geometric_mean_score", "whiteboard.metrics:roc_auc_score"],
            tests=["tests/metrics/test_classification.py", "tests/metrics/test_ranking.py"])
def c186(seed, quick):
    rng = np.random.default_rng(seed)
    y = np.zeros(10_000, int)
    y[rng.choice(10_000, 100, replace=False)] = 1
    p = np.zeros_like(y)
    return {"accuracy": float(metrics.accuracy_score(y, p)),
            "recall": float(metrics.recall_score(y, p, zero_division=0)),
            "f1": float(metrics.f1_score(y, p, zero_division=0)),
            "g_mean": float(metrics.geometric_mean_score(y, p, average="binary")),
            "auc": float(metrics.roc_auc_score(y, np.zeros(len(y))))}


@c186.decide
def _(trials):
    t = trials[0]
    holds = t["accuracy"] >= 0.99 and t["recall"] == 0 and t["f1"] == 0 and t["g_mean"] == 0 \
        and abs(t["auc"] - 0.5) < 1e-12
    return verdict(holds, f"always-majority: accuracy {t['accuracy']:.2f}, recall "
                          f"{t['recall']:.0f}, F1 {t['f1']:.0f}, G-mean {t['g_mean']:.0f}, "
                          f"AUC {t['auc']:.2f}",
                   otherwise=REFUTED)


@c186.plot
def _(trials):
    import matplotlib.pyplot as plt

    t = trials[0]
    names = ["accuracy", "recall", "f1", "g_mean", "auc"]
    fig, ax = plt.subplots(figsize=(4.5, 3.5))
    bars = ax.bar(["accuracy", "recall", "F1", "G-mean", "AUC"], [t[n] for n in names])
    ax.bar_label(bars, fmt="%.2f")
    ax.set_ylim(0, 1.1)
    ax.set_xlabel("metric")
    ax.set_ylabel("score of the always-majority classifier")
    ax.set_title("99:1 data: accuracy misleads")
    fig.tight_layout()
    return [fig]
