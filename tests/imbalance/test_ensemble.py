"""EasyEnsemble against imbalanced-learn; BalanceCascade against the paper and imbalanced-ensemble.

The members are whiteboard.ml's own AdaBoostClassifier / DecisionTreeClassifier (the learners
``estimator=None`` resolves to). Against imbalanced-learn both sides get the same whiteboard
AdaBoost, so only the ensembles differ.
"""

import json
import pathlib
import warnings
from collections import Counter

import numpy as np
import pytest
from imblearn.ensemble import EasyEnsembleClassifier as ImbEasyEnsemble
from sklearn.base import clone
from sklearn.metrics import balanced_accuracy_score, roc_auc_score

from tests.imbalance._reference_data import SKLEARN_ONLY_CLASSES, dataset, fingerprint
from tests.oracles.sklearn_oracle import run_check_estimator
from whiteboard.imbalance import BalanceCascadeClassifier, EasyEnsembleClassifier
from whiteboard.imbalance.ensemble import ensemble_score
from whiteboard.ml.ensemble import AdaBoostClassifier
from whiteboard.ml.tree import DecisionTreeClassifier

REFERENCE = json.loads(
    (pathlib.Path(__file__).parent / "data" / "imbens_reference.json").read_text()
)
NAMES = sorted(REFERENCE["datasets"])


# ---------------------------------------------------------------- EasyEnsemble


@pytest.mark.parametrize("name", NAMES)
def test_easy_ensemble_scores_match_imblearn(name):
    """Different random subsets, same algorithm: test AUC within 0.03, balanced acc. within 0.04.

    Both ensembles use whiteboard's AdaBoost. Margins re-checked after the switch from
    scikit-learn's members: largest differences 0.015 (AUC) and 0.015 (balanced accuracy), on
    w97_s2, the same as with scikit-learn's AdaBoost on both sides; the margins stay.
    """
    X, y, X_test, y_test = dataset(**REFERENCE["datasets"][name]["spec"])
    ada = AdaBoostClassifier(n_estimators=10)
    ours = EasyEnsembleClassifier(10, ada, random_state=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ImbEasyEnsemble(10, estimator=ada, random_state=0).fit(X, y)
    auc = [roc_auc_score(y_test, m.predict_proba(X_test)[:, 1]) for m in (ours, ref)]
    bacc = [balanced_accuracy_score(y_test, m.predict(X_test)) for m in (ours, ref)]
    assert abs(auc[0] - auc[1]) < 0.03, auc
    assert abs(bacc[0] - bacc[1]) < 0.04, bacc
    n_min = np.bincount(y).min()
    for rows in ours.estimators_samples_:
        assert Counter(y[rows].tolist()) == {0: n_min, 1: n_min}
        assert len(np.unique(rows)) == len(rows)  # without replacement by default


def test_easy_ensemble_members_and_average():
    X, y, X_test, _ = dataset(n_samples=900, weights=[0.8, 0.15, 0.05], random_state=3)
    model = EasyEnsembleClassifier(4, DecisionTreeClassifier(max_depth=3), replacement=True,
                                   sampling_strategy="not minority", random_state=1).fit(X, y)
    n_min = np.bincount(y).min()
    probas = []
    for est, rows in zip(model.estimators_, model.estimators_samples_):
        assert Counter(y[rows].tolist()) == {0: n_min, 1: n_min, 2: n_min}
        refit = clone(est).fit(X[rows], y[rows])
        np.testing.assert_array_equal(refit.predict(X_test), est.predict(X_test))
        probas.append(est.predict_proba(X_test))
    np.testing.assert_allclose(model.predict_proba(X_test), np.mean(probas, axis=0))
    np.testing.assert_array_equal(model.predict(X_test),
                                  np.argmax(np.mean(probas, axis=0), axis=1))
    twin = EasyEnsembleClassifier(4, DecisionTreeClassifier(max_depth=3), replacement=True,
                                  sampling_strategy="not minority", random_state=1, n_jobs=2)
    np.testing.assert_allclose(twin.fit(X, y).predict_proba(X_test),
                               model.predict_proba(X_test))


def test_easy_ensemble_string_labels_and_errors():
    X, y, _, _ = dataset(n_samples=300, weights=[0.8, 0.2], random_state=0)
    labels = np.array(["neg", "pos"])[y]
    model = EasyEnsembleClassifier(3, DecisionTreeClassifier(max_depth=2), random_state=0)
    assert set(model.fit(X, labels).predict(X).tolist()) <= {"neg", "pos"}
    with pytest.raises(ValueError, match="n_estimators must be a positive integer, got 0"):
        EasyEnsembleClassifier(0, DecisionTreeClassifier()).fit(X, y)
    with pytest.raises(ValueError, match="sampling_strategy as a string must be one of"):
        EasyEnsembleClassifier(2, DecisionTreeClassifier(), sampling_strategy="most").fit(X, y)
    with pytest.raises(ValueError, match="Input X in EasyEnsembleClassifier contains NaN"):
        EasyEnsembleClassifier(2, DecisionTreeClassifier()).fit(np.where(X > 2, np.nan, X), y)


def test_easy_ensemble_check_estimator():
    run_check_estimator(EasyEnsembleClassifier(3, DecisionTreeClassifier(max_depth=2),
                                               random_state=0), SKLEARN_ONLY_CLASSES)


# ---------------------------------------------------------------- BalanceCascade


@pytest.mark.parametrize("T", [5, 10])
@pytest.mark.parametrize("name", NAMES)
def test_balance_cascade_pools_equal_imbalanced_ensemble(name, T):
    """The pool schedule equals the oracle's exactly; test AUC within 0.03 (see the reference).

    imbalanced-ensemble with T − 1 estimators has the paper's keep ratio f for T rounds; its pool
    after its round i is our pool before round i + 1.

    The reference AUCs were recorded with scikit-learn's AdaBoost (SAMME, 20 rounds) as the
    oracle's members; ours now use whiteboard's (SAMME, 20 rounds). Re-checked: the largest
    |ΔAUC| is 0.024 (w97_s2, T = 5), identical to 4 decimals to the value with scikit-learn's
    members, so the 0.03 margin (which covers the by-design differences in which samples are
    dropped and how members vote) is unchanged.
    """
    ref = REFERENCE["datasets"][name]
    X, y, X_test, y_test = dataset(**ref["spec"])
    np.testing.assert_allclose(fingerprint(X)[0], ref["fingerprint"][0], rtol=1e-12)
    oracle = ref["balance_cascade"][str(T)]
    model = BalanceCascadeClassifier(AdaBoostClassifier(n_estimators=20), n_estimators=T,
                                     random_state=0).fit(X, y)
    assert len(model.estimators_) == T == oracle["n_members"] + 1
    assert model.pool_sizes_[0] == ref["n_majority"]
    assert model.pool_sizes_[1:].tolist() == oracle["kept_pool_sizes"]
    assert model.pool_sizes_[-1] == ref["n_minority"]
    auc = roc_auc_score(y_test, model.decision_function(X_test))
    assert abs(auc - oracle["test_auc"]) < 0.03, (auc, oracle["test_auc"])


@pytest.mark.parametrize("T", [2, 4, 7])
def test_balance_cascade_follows_the_paper(T):
    """Replay Algorithm 2: balanced subsets from the pool, threshold at FPR f, removal, H(x)."""
    X, y, X_test, _ = dataset(n_samples=1500, weights=[0.9, 0.1], random_state=7)
    model = BalanceCascadeClassifier(AdaBoostClassifier(n_estimators=10), n_estimators=T,
                                     random_state=3).fit(X, y)
    P, N = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    f = (len(P) / len(N)) ** (1 / (T - 1))
    np.testing.assert_allclose(model.false_positive_rate_, f)
    assert model.minority_class_ == 1
    pool = N
    total = np.zeros(len(X_test))
    for i, (est, rows, theta) in enumerate(
            zip(model.estimators_, model.estimators_samples_, model.thresholds_), start=1):
        assert len(pool) == model.pool_sizes_[i - 1]
        subset = np.setdiff1d(rows, P)
        assert np.isin(P, rows).all() and len(subset) == len(P)
        assert np.isin(subset, pool).all()
        score = sum(a * np.where(m.predict(X[pool]) == 1, 1.0, -1.0)
                    for a, m in zip(est.estimator_weights_, est.estimators_))
        np.testing.assert_allclose(score, ensemble_score(est, X[pool], 1))
        n_keep = int(len(N) * f ** i + 1e-5)
        if i < T:
            n_keep = max(n_keep, len(P))  # the next round still needs |P| majority samples
        # H_i's false-positive rate on its pool is n_keep / |pool_i| ≈ f: the n_keep highest
        # scores are kept (the false positives), θ_i is the highest score among the others
        kept_next = np.argsort(-score, kind="stable")[:n_keep]
        removed = np.setdiff1d(np.arange(len(pool)), kept_next)
        assert theta == score[removed].max()
        assert np.all(score[kept_next] >= theta)
        assert (score > theta).sum() <= n_keep
        np.testing.assert_allclose(n_keep / len(pool), f, rtol=0.05 if i < T else 1.0)
        if i < T:
            pool = np.sort(pool[kept_next])
        total += ensemble_score(est, X_test, 1) - theta
    np.testing.assert_allclose(model.decision_function(X_test), total, rtol=1e-10, atol=1e-10)
    np.testing.assert_array_equal(model.predict(X_test), (total > 0).astype(int))


def test_balance_cascade_adaboost_members_with_any_labels():
    """F_i votes by label, not by whiteboard AdaBoost's internal codes 0..K−1 of the weak learners.

    Labels {1, 2} (minority 2: a code/label clash) and strings must give the same cascade as
    {0, 1}; with the minority as classes_[0] the decision function changes sign.
    """
    X, y, X_test, _ = dataset(n_samples=900, weights=[0.88, 0.12], random_state=5)

    def fit(labels):
        return BalanceCascadeClassifier(AdaBoostClassifier(n_estimators=8), n_estimators=4,
                                        random_state=2).fit(X, labels)

    base = fit(y)
    assert base.thresholds_.min() < 0  # a real cascade: thresholds below the sign point
    for labels, minority, sign in [(y + 1, 2, 1.0), (np.where(y == 1, "rare", "common"), "rare",
                                                     1.0), (np.where(y == 1, "a", "b"), "a", -1.0)]:
        model = fit(labels)
        assert model.minority_class_ == minority
        np.testing.assert_array_equal(model.pool_sizes_, base.pool_sizes_)
        np.testing.assert_allclose(model.thresholds_, base.thresholds_, rtol=1e-12)
        np.testing.assert_allclose(model.decision_function(X_test),
                                   sign * base.decision_function(X_test), rtol=1e-12)
        np.testing.assert_array_equal(model.predict(X_test) == minority,
                                      base.predict(X_test) == 1)
        member = model.estimators_[0]
        replay = sum(a * np.where(member.classes_[m.predict(X_test)] == minority, 1.0, -1.0)
                     for a, m in zip(member.estimator_weights_, member.estimators_))
        np.testing.assert_allclose(ensemble_score(member, X_test, minority), replay)


def test_balance_cascade_degenerate_cases_and_labels():
    X, y, _, _ = dataset(n_samples=400, weights=[0.85, 0.15], random_state=1)
    one = BalanceCascadeClassifier(DecisionTreeClassifier(max_depth=2), n_estimators=1,
                                   random_state=0).fit(X, y)
    assert one.thresholds_.tolist() == [0.0] and one.pool_sizes_.tolist() == [(y == 0).sum()]
    labels = np.where(y == 1, "rare", "common")  # minority is classes_[1] here...
    model = BalanceCascadeClassifier(DecisionTreeClassifier(max_depth=2), n_estimators=3,
                                     random_state=0).fit(X, labels)
    assert model.minority_class_ == "rare"
    flipped = np.where(y == 1, "a_rare", "b_common")  # ...and classes_[0] here
    twin = BalanceCascadeClassifier(DecisionTreeClassifier(max_depth=2), n_estimators=3,
                                    random_state=0).fit(X, flipped)
    assert twin.minority_class_ == "a_rare"
    np.testing.assert_allclose(twin.decision_function(X), -model.decision_function(X))
    np.testing.assert_array_equal(twin.predict(X) == "a_rare", model.predict(X) == "rare")
    with pytest.raises(ValueError, match="Only binary classification is supported"):
        BalanceCascadeClassifier(DecisionTreeClassifier()).fit(X, np.arange(len(y)) % 3)


def test_balance_cascade_check_estimator():
    run_check_estimator(BalanceCascadeClassifier(DecisionTreeClassifier(max_depth=2),
                                                 n_estimators=3, random_state=0),
                        SKLEARN_ONLY_CLASSES)
