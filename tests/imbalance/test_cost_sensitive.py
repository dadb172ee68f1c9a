"""Class/sample weights equal scikit-learn's; AdaCost follows Fan et al.'s update exactly."""

import itertools
import json
import pathlib

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.metrics import balanced_accuracy_score, recall_score, roc_auc_score
from sklearn.utils.class_weight import compute_class_weight as sk_class_weight
from sklearn.utils.class_weight import compute_sample_weight as sk_sample_weight

from tests.imbalance._reference_data import SKLEARN_ONLY_CLASSES, dataset, fingerprint
from tests.oracles.sklearn_oracle import run_check_estimator
from whiteboard.imbalance import AdaCostClassifier, compute_class_weight, compute_sample_weight
from whiteboard.imbalance.cost_sensitive import adacost_beta
from whiteboard.ml.tree import DecisionTreeClassifier

REFERENCE = json.loads(
    (pathlib.Path(__file__).parent / "data" / "imbens_reference.json").read_text()
)

labels = st.lists(st.sampled_from([0, 1, 2, 5]), min_size=1, max_size=60)


@given(y=labels, data=st.data())
def test_class_weight_equals_sklearn(y, data):
    y = np.array(y)
    classes = np.unique(y)
    sw = np.array(data.draw(st.lists(st.floats(0.1, 5.0), min_size=len(y), max_size=len(y))))
    for cw in (None, {}, "balanced"):
        np.testing.assert_allclose(
            compute_class_weight(cw, classes=classes, y=y),
            sk_class_weight(cw, classes=classes, y=y), rtol=1e-14)
    np.testing.assert_allclose(
        compute_class_weight("balanced", classes=classes, y=y, sample_weight=sw),
        sk_class_weight("balanced", classes=classes, y=y, sample_weight=sw), rtol=1e-13)
    partial = {int(c): float(i + 2) for i, c in enumerate(classes) if data.draw(st.booleans())}
    np.testing.assert_allclose(
        compute_class_weight(partial, classes=classes, y=y),
        sk_class_weight(partial, classes=classes, y=y))
    for cw in (None, "balanced", partial):
        np.testing.assert_allclose(compute_sample_weight(cw, y), sk_sample_weight(cw, y),
                                   rtol=1e-14)


def test_string_labels_multi_output_and_indices_equal_sklearn():
    y = np.array(["cat", "dog", "dog", "eel", "dog", "cat", "eel", "eel", "eel"])
    classes = np.unique(y)
    np.testing.assert_allclose(compute_class_weight("balanced", classes=classes, y=y),
                               sk_class_weight("balanced", classes=classes, y=y))
    cw = {"cat": 3.0, "dog": 0.5, "eel": 1.0}
    np.testing.assert_allclose(compute_sample_weight(cw, y), sk_sample_weight(cw, y))
    Y = np.column_stack([np.arange(9) % 2, np.arange(9) % 3])
    np.testing.assert_allclose(compute_sample_weight("balanced", Y),
                               sk_sample_weight("balanced", Y))
    lists = [{0: 2.0, 1: 1.0}, {0: 1.0, 1: 3.0, 2: 0.5}]
    np.testing.assert_allclose(compute_sample_weight(lists, Y), sk_sample_weight(lists, Y))
    idx = np.array([0, 1, 1, 3, 4, 4])
    np.testing.assert_allclose(compute_sample_weight("balanced", y, indices=idx),
                               sk_sample_weight("balanced", y, indices=idx))


def test_class_weight_errors():
    y = np.array([0, 0, 1])
    with pytest.raises(ValueError, match=r"classes should include all valid labels.*\[1\]"):
        compute_class_weight("balanced", classes=np.array([0]), y=y)
    with pytest.raises(ValueError, match=r"classes should have valid labels that are in y.*\[2\]"):
        compute_class_weight("balanced", classes=np.array([0, 1, 2]), y=y)
    with pytest.raises(ValueError, match=r"The classes, \[1\], are not in class_weight"):
        compute_class_weight({0: 1.0, 7: 2.0}, classes=np.array([0, 1]), y=y)
    with pytest.raises(ValueError, match="class_weight must be 'balanced', a dict or None"):
        compute_class_weight("balance", classes=np.array([0, 1]), y=y)
    with pytest.raises(ValueError, match="only valid class_weight for subsampling"):
        compute_sample_weight({0: 1.0}, y, indices=[0, 1])
    with pytest.raises(ValueError, match="For multi-output, class_weight should be a list"):
        compute_sample_weight({0: 1.0}, np.zeros((3, 2)))


# ---------------------------------------------------------------- AdaCost


def test_beta_is_fan_et_al():
    c = np.array([0.0, 0.25, 1.0])
    np.testing.assert_allclose(adacost_beta(np.ones(3, bool), c), [0.5, 0.375, 0.0])
    np.testing.assert_allclose(adacost_beta(np.zeros(3, bool), c), [0.5, 0.625, 1.0])


@pytest.mark.parametrize("cost", [None, {0: 0.1, 1: 0.6}, {0: 0.3, 1: 0.3}])
def test_adacost_replays_the_papers_update(cost):
    """Replay D_t, u, r_t, α_t from the fitted stumps; each stump was fitted on that D_t.

    The stumps are whiteboard's DecisionTreeClassifier(max_depth=1): with the random_state
    AdaCost gave it, refitting a clone on the replayed D_t must give the same split.
    """
    X, y, _, _ = dataset(n_samples=900, weights=[0.9, 0.1], random_state=4)
    model = AdaCostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=15, cost=cost,
                              learning_rate=0.7, random_state=0).fit(X, y)
    counts = np.bincount(y)
    expected_cost = (0.25 * counts.min() / counts if cost is None
                     else np.array([cost[0], cost[1]]))
    np.testing.assert_allclose(model.cost_, expected_cost)
    c = expected_cost[y]
    sign = 2.0 * y - 1
    D = c / c.sum()
    for t, stump in enumerate(model.estimators_):
        assert type(stump) is DecisionTreeClassifier and stump.max_depth == 1
        assert stump.get_depth() == 1 and isinstance(stump.random_state, int)
        refit = clone(stump).fit(X, y, sample_weight=D)
        np.testing.assert_array_equal(refit.tree_.feature, stump.tree_.feature)
        np.testing.assert_array_equal(refit.tree_.threshold, stump.tree_.threshold)
        np.testing.assert_allclose(refit.tree_.value, stump.tree_.value, rtol=1e-12)
        np.testing.assert_array_equal(refit.predict(X), stump.predict(X))
        h = 2.0 * stump.predict(X) - 1
        correct = sign * h > 0
        beta = np.where(correct, 0.5 - 0.5 * c, 0.5 + 0.5 * c)
        u = sign * h * beta
        r = D @ u
        alpha = 0.7 * 0.5 * np.log((1 + r) / (1 - r))
        np.testing.assert_allclose(model.estimator_edges_[t], r, rtol=1e-10)
        np.testing.assert_allclose(model.estimator_weights_[t], alpha, rtol=1e-10)
        factor = np.exp(-alpha * u)
        # costly samples: raised more when wrong, lowered less when right (the notes' claim)
        hi, lo = c == c.max(), c == c.min()
        if c.max() > c.min() and (correct & hi).any() and (correct & lo).any():
            assert factor[correct & hi].min() > factor[correct & lo].max()
        if c.max() > c.min() and (~correct & hi).any() and (~correct & lo).any():
            assert factor[~correct & hi].min() > factor[~correct & lo].max()
        D = D * factor
        D /= D.sum()
    f = sum(a * (2.0 * s.predict(X) - 1) for a, s in
            zip(model.estimator_weights_, model.estimators_))
    np.testing.assert_allclose(model.decision_function(X), f, rtol=1e-12)
    np.testing.assert_array_equal(model.predict(X), (f > 0).astype(int))
    np.testing.assert_allclose(model.predict_proba(X)[:, 1], 1 / (1 + np.exp(-2 * f)))


@pytest.mark.parametrize("name", sorted(REFERENCE["datasets"]))
def test_adacost_against_imbalanced_ensemble(name):
    """Same data as the oracle; by design only sizes, factor order and scores are comparable.

    imbalanced-ensemble's AdaCost multiplies SAMME's exponent of misclassified samples by the
    cost-matrix entry (correct samples keep factor 1); Fan et al. also scale the correct ones by
    β₊ and put β into α (see make_imbens_reference.py). Its AUC is higher here by up to 0.06;
    ours has the higher balanced accuracy and minority recall on all three data sets. The oracle
    was recorded with scikit-learn's stumps; re-checked with whiteboard's stumps here: ΔAUC
    −0.046 to −0.056, Δ balanced accuracy +0.03 to +0.13, Δ recall +0.24 to +0.42 — the same
    values as with scikit-learn's stumps, so the margins are unchanged.
    """
    ref = REFERENCE["datasets"][name]
    X, y, X_test, y_test = dataset(**ref["spec"])
    np.testing.assert_allclose(fingerprint(X)[0], ref["fingerprint"][0], rtol=1e-12)
    model = AdaCostClassifier(DecisionTreeClassifier(max_depth=1), n_estimators=50,
                              random_state=0).fit(X, y)
    oracle = ref["adacost"]
    assert len(model.estimators_) == oracle["n_members"] == 50
    pred = model.predict(X_test)
    assert roc_auc_score(y_test, model.decision_function(X_test)) >= oracle["test_auc"] - 0.07
    assert balanced_accuracy_score(y_test, pred) >= oracle["test_balanced_accuracy"]
    assert recall_score(y_test, pred) >= oracle["test_minority_recall"]
    order = ["wrong_minority", "wrong_majority", "correct_minority", "correct_majority"]
    oracle_factors = [oracle["first_round_factors"][k] for k in order]
    present = [v for v in oracle_factors if v is not None]
    assert present == sorted(present, reverse=True)  # the oracle's order: wrong > correct = 1
    sign = 2.0 * y - 1
    h = 2.0 * model.estimators_[0].predict(X) - 1
    c = model.cost_[y]
    u = sign * h * adacost_beta(sign * h > 0, c)
    ours = np.exp(-model.estimator_weights_[0] * u)
    masks = [(sign * h < 0) & (y == 1), (sign * h < 0) & (y == 0),
             (sign * h > 0) & (y == 1), (sign * h > 0) & (y == 0)]
    ours_present = [ours[m][0] for m in masks if m.any()]
    # ours: the same order, and strict also among correct samples (costly ones lose less)
    assert all(a > b for a, b in itertools.pairwise(ours_present))


def test_adacost_errors():
    X, y, _, _ = dataset(n_samples=300, weights=[0.8, 0.2], random_state=0)
    stump = DecisionTreeClassifier(max_depth=1)
    with pytest.raises(ValueError,
                       match="Only binary classification is supported by AdaCostClassifier"):
        AdaCostClassifier(stump).fit(X, np.arange(len(y)) % 3)
    with pytest.raises(ValueError, match=r"cost values must lie in \[0, 1\]"):
        AdaCostClassifier(stump, cost={0: 0.5, 1: 2.0}).fit(X, y)
    with pytest.raises(ValueError, match=r"cost must give a cost for every class; missing \[1\]"):
        AdaCostClassifier(stump, cost={0: 0.5}).fit(X, y)
    with pytest.raises(ValueError, match="first weak learner has edge r = .* <= 0"):
        AdaCostClassifier(stump, cost={0: 1.0, 1: 1.0}).fit(X, y)
    with pytest.raises(ValueError, match="n_estimators must be a positive integer"):
        AdaCostClassifier(stump, n_estimators=0).fit(X, y)
    with pytest.raises(ValueError, match="Input X in AdaCostClassifier contains NaN"):
        AdaCostClassifier(stump).fit(np.where(X > 2, np.nan, X), y)
    with pytest.raises(ValueError, match=r"inconsistent numbers of samples: \[200, 199\]"):
        AdaCostClassifier(stump).fit(X, y[:-1])


def test_adacost_check_estimator():
    """scikit-learn's checks, with whiteboard's depth-2 tree as the weak learner.

    Not a stump: check_fit_idempotent and check_n_features_in fit on pure-noise labels, where no
    stump reaches the cost-weighted accuracy (1 + c) / 2 that Fan et al.'s β needs for an edge
    r > 0, so fit raises by design (see test_adacost_errors; scikit-learn's stump fails the same
    two checks). A depth-2 tree fits the noise enough for r > 0; every other check also passes
    with a stump.
    """
    run_check_estimator(AdaCostClassifier(DecisionTreeClassifier(max_depth=2), n_estimators=5,
                                          random_state=0), SKLEARN_ONLY_CLASSES)
