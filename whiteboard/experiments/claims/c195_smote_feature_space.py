"""C195: SMOTE can also be applied in a learned feature space.

Digits with the class "1" cut to 10 training images (the other classes keep their ~125). SMOTE
(k = 5) brings class 1 up to the median class count, in three spaces, each followed by the same
logistic regression:

* raw pixels (64-d);
* PCA-20 features (PCA fitted on the imbalanced training set);
* learned features: the 64 ReLU units of a 64-64-10 MLP trained (Adam, cross-entropy) on the
  imbalanced training set, SMOTE and the classifier on its hidden activations.

In every space the same classifier without SMOTE is the baseline. Evidence: test recall of
class 1 (precision and macro-F1 reported), 5 seeds, paired test. Reproduced when SMOTE raises
the class-1 recall beyond seed noise (paired p < 0.1, n ≥ 5) in both feature spaces (PCA and
learned), i.e. interpolating in a feature space works as an over-sampler there.
"""

import numpy as np

from ... import backend, nn
from ...autograd import no_grad, tensor
from ...imbalance import SMOTE
from ...ml.decomposition import PCA
from ...ml.linear_model import LogisticRegression
from ..registry import experiment, verdict
from ..stats import exceeds_noise, fmt_mean_sd
from ._common_claims_in import digits_split, standardise, train_classifier

MINORITY = 1
N_MINORITY = 10
SPACES = ("pixels", "pca20", "hidden")


def _imbalanced(seed):
    Xtr, Xte, ytr, yte = digits_split(seed)
    rng = np.random.default_rng(seed)
    ones = np.flatnonzero(ytr == MINORITY)
    keep = np.concatenate([np.flatnonzero(ytr != MINORITY),
                           rng.choice(ones, N_MINORITY, replace=False)])
    return Xtr[keep], ytr[keep], Xte, yte


def _scores(Ztr, ytr, Zte, yte, seed, smote):
    Ztr, Zte = standardise(Ztr, Zte)
    if smote:
        target = int(np.median(np.bincount(ytr)))
        Ztr, ytr = SMOTE(sampling_strategy={MINORITY: target}, k_neighbors=5,
                         random_state=seed).fit_resample(Ztr, ytr)
    pred = LogisticRegression(C=1.0, max_iter=1000).fit(Ztr, ytr).predict(Zte)
    tp = np.sum((pred == MINORITY) & (yte == MINORITY))
    f1 = []
    for c in range(10):
        t, p = yte == c, pred == c
        f1.append(2 * np.sum(t & p) / max(1, t.sum() + p.sum()))
    return {"recall": float(tp / np.sum(yte == MINORITY)),
            "precision": float(tp / max(1, np.sum(pred == MINORITY))),
            "macro_f1": float(np.mean(f1))}


def _hidden_features(Xtr, ytr, Xte, seed, epochs):
    backend.manual_seed(seed)
    net = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    train_classifier(net, Xtr.astype(np.float32), ytr, epochs, lr=1e-2, seed=seed)
    encoder = nn.Sequential(*list(net)[:2])
    with no_grad():
        return [encoder(tensor(A.astype(np.float32))).numpy().astype(np.float64)
                for A in (Xtr, Xte)]


@experiment("C195", section="L", title="SMOTE in pixel, PCA and learned feature space",
            expected="contested", seeds=5,
            claim="SMOTE can also be applied in a learned feature space.",
            design="Digits 70/30 split, class 1 cut to 10 training images; SMOTE (k = 5) to the "
                   "median class count on raw pixels, on PCA-20 features and on the 64 hidden "
                   "ReLU units of an MLP trained on the imbalanced set (Adam lr 0.01, 30 epochs; "
                   "quick 10), each followed by logistic regression, vs the same without SMOTE. "
                   "Class-1 test recall, 5 seeds, paired test; reproduced when SMOTE raises it "
                   "beyond seed noise in both feature spaces.",
            code=["whiteboard.imbalance:SMOTE", "whiteboard.ml.decomposition:PCA",
                  "whiteboard.ml.linear_model:LogisticRegression", "whiteboard.nn:Linear"],
            tests=["tests/imbalance/test_smote.py", "tests/ml/decomposition/test_pca.py"])
def c195(seed, quick):
    Xtr, ytr, Xte, yte = _imbalanced(seed)
    pca = PCA(n_components=20).fit(Xtr)
    spaces = {"pixels": (Xtr, Xte), "pca20": (pca.transform(Xtr), pca.transform(Xte)),
              "hidden": tuple(_hidden_features(Xtr, ytr, Xte, seed, 10 if quick else 30))}
    return {name: {"plain": _scores(Ztr, ytr, Zte, yte, seed, False),
                   "smote": _scores(Ztr, ytr, Zte, yte, seed, True)}
            for name, (Ztr, Zte) in spaces.items()}


@c195.decide
def _(trials):
    parts, gains = [], {}
    for s in SPACES:
        plain = [t[s]["plain"]["recall"] for t in trials]
        sm = [t[s]["smote"]["recall"] for t in trials]
        gains[s] = len(trials) >= 5 and exceeds_noise(sm, plain)
        parts.append(f"{s} {fmt_mean_sd(plain, 2)} → {fmt_mean_sd(sm, 2)} (precision "
                     f"{np.mean([t[s]['smote']['precision'] for t in trials]):.2f})")
    return verdict(gains["pca20"] and gains["hidden"],
                   f"class-1 test recall with {N_MINORITY} training 1s, without → with SMOTE: "
                   + "; ".join(parts) + "; beyond seed noise: "
                   + ", ".join(f"{s} {g}" for s, g in gains.items()) + f"; n = {len(trials)}")


@c195.plot
def _(trials):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    x = np.arange(len(SPACES))
    for j, (key, colour) in enumerate((("plain", "C7"), ("smote", "C0"))):
        v = np.array([[t[s][key]["recall"] for s in SPACES] for t in trials])
        ax.bar(x + (j - 0.5) * 0.38, v.mean(0), 0.38, yerr=v.std(0), capsize=3, color=colour,
               label="with SMOTE" if key == "smote" else "no resampling")
    ax.set_xticks(x, ["raw pixels", "PCA-20", "MLP hidden layer"])
    ax.set_ylabel(f"test recall of class {MINORITY}")
    ax.set_xlabel("space SMOTE and the classifier work in")
    ax.set_title(f"Digits, {N_MINORITY} training 1s, {len(trials)} seeds")
    ax.set_ylim(0, 1.05)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return [fig]
