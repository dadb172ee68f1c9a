"""``estimator=None`` resolves lazily, inside ``fit``, to whiteboard.ml's own learners.

whiteboard.ml.ensemble/tree are written on another branch; until they are merged these tests
install scikit-learn's classes under those module names, which checks the lazy lookup itself
(after the merge, drop the stand-ins and the tests use the real modules).
"""

import sys
import types

import numpy as np
import pytest
from sklearn.ensemble import AdaBoostClassifier
from sklearn.tree import DecisionTreeClassifier

from tests.imbalance._reference_data import dataset
from whiteboard.imbalance import AdaCostClassifier, BalanceCascadeClassifier, EasyEnsembleClassifier


@pytest.fixture
def stand_in_learners(monkeypatch):
    ensemble = types.ModuleType("whiteboard.ml.ensemble")
    ensemble.AdaBoostClassifier = AdaBoostClassifier
    tree = types.ModuleType("whiteboard.ml.tree")
    tree.DecisionTreeClassifier = DecisionTreeClassifier
    monkeypatch.setitem(sys.modules, "whiteboard.ml.ensemble", ensemble)
    monkeypatch.setitem(sys.modules, "whiteboard.ml.tree", tree)


def test_defaults_resolve_inside_fit(stand_in_learners):
    X, y, _, _ = dataset(n_samples=300, weights=[0.85, 0.15], random_state=0)
    easy = EasyEnsembleClassifier(2, random_state=0)
    assert easy.estimator is None  # nothing resolved at construction
    easy.fit(X, y)
    assert all(type(e) is AdaBoostClassifier for e in easy.estimators_)
    cascade = BalanceCascadeClassifier(n_estimators=2, random_state=0).fit(X, y)
    assert all(type(e) is AdaBoostClassifier for e in cascade.estimators_)
    cost = AdaCostClassifier(n_estimators=3, random_state=0).fit(X, y)
    assert all(type(e) is DecisionTreeClassifier and e.max_depth == 1 for e in cost.estimators_)
    assert cost.estimator is None and np.isfinite(cost.estimator_weights_).all()


def test_missing_default_names_the_module(monkeypatch):
    monkeypatch.setitem(sys.modules, "whiteboard.ml.tree", None)
    X, y, _, _ = dataset(n_samples=200, weights=[0.8, 0.2], random_state=0)
    with pytest.raises(ImportError, match="estimator=None uses whiteboard.ml.tree"):
        AdaCostClassifier().fit(X, y)
