"""``estimator=None`` resolves lazily, inside ``fit``, to whiteboard.ml's own learners.

EasyEnsemble and BalanceCascade default to ``whiteboard.ml.ensemble.AdaBoostClassifier()``,
AdaCost to ``whiteboard.ml.tree.DecisionTreeClassifier(max_depth=1)``. A default fit must equal
the fit with that learner passed explicitly, and the default EasyEnsemble must score like
imbalanced-learn's default one (scikit-learn's AdaBoost) on the shared data.
"""

import sys
import warnings

import numpy as np
import pytest
from imblearn.ensemble import EasyEnsembleClassifier as ImbEasyEnsemble
from sklearn.metrics import balanced_accuracy_score, roc_auc_score

from tests.imbalance._reference_data import SKLEARN_ONLY_CLASSES, dataset
from tests.oracles.sklearn_oracle import run_check_estimator
from whiteboard.imbalance import AdaCostClassifier, BalanceCascadeClassifier, EasyEnsembleClassifier
from whiteboard.ml.ensemble import AdaBoostClassifier
from whiteboard.ml.tree import DecisionTreeClassifier


def test_defaults_resolve_to_whiteboard_learners_inside_fit():
    X, y, _, _ = dataset(n_samples=300, weights=[0.85, 0.15], random_state=0)
    easy = EasyEnsembleClassifier(2, random_state=0)
    assert easy.estimator is None  # nothing resolved at construction
    easy.fit(X, y)
    assert easy.estimator is None  # nor stored back into the hyper-parameter
    cascade = BalanceCascadeClassifier(n_estimators=2, random_state=0).fit(X, y)
    for member in easy.estimators_ + cascade.estimators_:
        assert type(member) is AdaBoostClassifier
        assert member.n_estimators == 50 and member.estimator is None
        assert all(type(s) is DecisionTreeClassifier and s.max_depth == 1
                   for s in member.estimators_)
        assert len(member.estimator_weights_) >= len(member.estimators_) > 0
    cost = AdaCostClassifier(n_estimators=3, random_state=0).fit(X, y)
    assert cost.estimator is None
    assert all(type(e) is DecisionTreeClassifier and e.max_depth == 1 for e in cost.estimators_)


def test_default_fit_equals_explicit_whiteboard_learner():
    """Same random_state: the default and the explicit learner give the same model."""
    X, y, X_test, _ = dataset(n_samples=900, weights=[0.9, 0.1], random_state=6)
    labels = np.where(y == 1, "rare", "common")
    pairs = [
        (EasyEnsembleClassifier(4, random_state=1),
         EasyEnsembleClassifier(4, AdaBoostClassifier(), random_state=1), "predict_proba"),
        (BalanceCascadeClassifier(n_estimators=4, random_state=1),
         BalanceCascadeClassifier(AdaBoostClassifier(), n_estimators=4, random_state=1),
         "decision_function"),
        (AdaCostClassifier(n_estimators=20, random_state=1),
         AdaCostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=20, random_state=1),
         "decision_function"),
    ]
    for default, explicit, method in pairs:
        a = getattr(default.fit(X, labels), method)(X_test)
        b = getattr(explicit.fit(X, labels), method)(X_test)
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
        np.testing.assert_array_equal(default.predict(X_test), explicit.predict(X_test))
        assert set(default.predict(X_test).tolist()) == {"common", "rare"}


@pytest.mark.parametrize("weights, seed", [([0.9, 0.1], 0), ([0.95, 0.05], 1)])
def test_default_easy_ensemble_scores_like_imblearn_default(weights, seed):
    """Defaults on both sides (ours: whiteboard's AdaBoost, theirs: scikit-learn's), different
    random subsets: test AUC within 0.03, balanced accuracy within 0.04 (the margins of
    test_ensemble.py's EasyEnsemble comparison)."""
    X, y, X_test, y_test = dataset(n_samples=2400, weights=weights, random_state=seed)
    ours = EasyEnsembleClassifier(5, random_state=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = ImbEasyEnsemble(5, random_state=0).fit(X, y)
    auc = [roc_auc_score(y_test, m.predict_proba(X_test)[:, 1]) for m in (ours, ref)]
    bacc = [balanced_accuracy_score(y_test, m.predict(X_test)) for m in (ours, ref)]
    assert abs(auc[0] - auc[1]) < 0.03, auc
    assert abs(bacc[0] - bacc[1]) < 0.04, bacc


@pytest.mark.slow
@pytest.mark.parametrize("model", [BalanceCascadeClassifier(n_estimators=2, random_state=0),
                                   EasyEnsembleClassifier(2, random_state=0)],
                         ids=lambda m: type(m).__name__)
def test_defaults_pass_check_estimator(model):
    """With whiteboard's 50-round AdaBoost members (AdaCost's default stump: see
    test_cost_sensitive). Slow (4–6 s of CPU each); the default suite runs scikit-learn's checks
    with explicit whiteboard trees in test_ensemble.py."""
    run_check_estimator(model, SKLEARN_ONLY_CLASSES)


def test_missing_default_names_the_module(monkeypatch):
    monkeypatch.setitem(sys.modules, "whiteboard.ml.tree", None)
    X, y, _, _ = dataset(n_samples=200, weights=[0.8, 0.2], random_state=0)
    with pytest.raises(ImportError, match="estimator=None uses whiteboard.ml.tree"):
        AdaCostClassifier().fit(X, y)
