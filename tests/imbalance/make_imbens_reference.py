"""Generate ``tests/imbalance/data/imbens_reference.json`` from imbalanced-ensemble (run once).

imbalanced-ensemble pins an older scikit-learn, so it lives in a throwaway virtual environment,
never in the project's:

    python3 -m venv /tmp/imbens && /tmp/imbens/bin/pip install imbalanced-ensemble
    /tmp/imbens/bin/python tests/imbalance/make_imbens_reference.py

(recorded with imbalanced-ensemble 0.2.3, scikit-learn 1.6.0, numpy 2.4.6). What is recorded, per
data set, and why (``test_ensemble.py`` and ``test_adacost.py`` compare against it):

BalanceCascade — imbalanced-ensemble keeps a fraction r = (|P|/|N|)^(1/n_estimators) of the
majority pool per round and, before round i (0-based), cuts the pool to
int(|N| r^(i+1) + 1e-5) samples. The paper's f = (|P|/|N|)^(1/(T−1)) is r for
n_estimators = T − 1, so a run with T − 1 estimators has the paper's pool schedule for T rounds;
the kept pool sizes are recorded from the oracle's sampler as it runs. It differs from the paper
by design in which samples it drops (lowest averaged predict_proba error of the members so far,
random in round 0, instead of the samples the current member classifies correctly at FPR f) and
in the final vote (averaged probabilities instead of sgn(Σ F_i − θ_i)), so only the threshold-free
test ROC AUC is compared, within a margin.

AdaCost — imbalanced-ensemble's AdaCostClassifier is SAMME with the cost-matrix entry C[pred,
true] multiplied into the exponent of misclassified samples only (correct samples keep factor 1;
α is SAMME's). Fan et al.'s update (implemented by whiteboard) also scales the factor of correct
samples by β₊ and puts β into α. So per-sample factors cannot agree; recorded: the ensemble size,
the first round's factors by group (to compare their order), and test ROC AUC / balanced
accuracy / minority recall (compared within a margin).
"""

from __future__ import annotations

import json
import pathlib
import sys
import warnings

import imbens
import numpy as np
from imbens.ensemble import AdaCostClassifier, BalanceCascadeClassifier
from imbens.sampler._under_sampling._prototype_selection import (
    _balance_cascade_under_sampler as bcus,
)
from sklearn.ensemble import AdaBoostClassifier
from sklearn.metrics import balanced_accuracy_score, recall_score, roc_auc_score
from sklearn.tree import DecisionTreeClassifier

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2]))
from tests.imbalance._reference_data import DATASETS, dataset, fingerprint

OUT = pathlib.Path(__file__).parent / "data" / "imbens_reference.json"

def balance_cascade_pools(X, y, n_estimators):
    """Majority pool sizes kept after each of imbalanced-ensemble's sampler calls."""
    kept = []
    original = bcus.BalanceCascadeUnderSampler._fit_resample

    def recording(self, X_, y_, **kwargs):
        out = original(self, X_, y_, **kwargs)
        dropped = out[-1]
        kept.append(int(((~dropped) & (y_ == 0)).sum()))
        return out

    bcus.BalanceCascadeUnderSampler._fit_resample = recording
    try:
        model = BalanceCascadeClassifier(
            estimator=AdaBoostClassifier(n_estimators=20, algorithm="SAMME"),
            n_estimators=n_estimators, random_state=0,
        ).fit(X, y)
    finally:
        bcus.BalanceCascadeUnderSampler._fit_resample = original
    return model, kept


def adacost_first_round_factors(model, X, y):
    """Weight-update factor per group after round 1 (correct/wrong × minority/majority)."""
    stump = model.estimators_[0]
    pred = stump.predict(X)
    alpha = model.estimator_weights_[0]
    cost = np.asarray(model.cost_matrix_)
    factor = np.where(pred != y, np.exp(alpha * cost[pred, y]), 1.0)
    groups = {}
    for name, mask in {
        "correct_minority": (pred == y) & (y == 1), "correct_majority": (pred == y) & (y == 0),
        "wrong_minority": (pred != y) & (y == 1), "wrong_majority": (pred != y) & (y == 0),
    }.items():
        groups[name] = float(factor[mask][0]) if mask.any() else None
    return groups


def main():
    warnings.simplefilter("ignore")
    out = {"imbalanced_ensemble": imbens.__version__, "datasets": {}}
    for name, spec in DATASETS.items():
        X, y, X_test, y_test = dataset(**spec)
        entry = {"spec": spec, "fingerprint": fingerprint(X), "balance_cascade": {},
                 "n_majority": int((y == 0).sum()), "n_minority": int((y == 1).sum())}
        for T in (5, 10):
            model, kept = balance_cascade_pools(X, y, n_estimators=T - 1)
            auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
            entry["balance_cascade"][str(T)] = {
                "oracle_n_estimators": T - 1, "kept_pool_sizes": kept,
                "n_members": len(model.estimators_), "test_auc": float(auc),
            }
        ada = AdaCostClassifier(
            estimator=DecisionTreeClassifier(max_depth=1), n_estimators=50, algorithm="SAMME",
            random_state=0,
        ).fit(X, y)
        pred = ada.predict(X_test)
        entry["adacost"] = {
            "n_members": len(ada.estimators_),
            "test_auc": float(roc_auc_score(y_test, ada.predict_proba(X_test)[:, 1])),
            "test_balanced_accuracy": float(balanced_accuracy_score(y_test, pred)),
            "test_minority_recall": float(recall_score(y_test, pred)),
            "first_round_factors": adacost_first_round_factors(ada, X, y),
        }
        out["datasets"][name] = entry
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
