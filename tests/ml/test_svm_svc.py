"""SVC against scikit-learn's (LIBSVM): support vectors, dual coefficients, intercepts, decision
values and predictions.

The solver replicates LIBSVM's iterates (WSS2, shrinking order, single-precision kernel cache),
so with the same kernel, C, gamma and tol the results agree to rounding: decision values are
compared with atol 1e-6 (the brief asks for 1e-3), dual coefficients and intercepts with
atol 1e-6, support vectors exactly.
"""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn import svm as sk_svm
from sklearn.base import clone
from sklearn.datasets import make_blobs, make_classification
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from tests.oracles.sklearn_oracle import load, run_check_estimator
from whiteboard.ml.base import NotFittedError
from whiteboard.ml.svm import SVC

ATOL = 1e-6


def _sk(**kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sk_svm.SVC(**kw)


def _fit_both(X, y, **kw):
    ours = SVC(**kw).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = _sk(**kw).fit(X, y)
    return ours, theirs


def _assert_same_model(ours, theirs, X, atol=ATOL):
    np.testing.assert_array_equal(ours.support_, theirs.support_)
    np.testing.assert_array_equal(ours.n_support_, theirs.n_support_)
    np.testing.assert_allclose(ours.support_vectors_, theirs.support_vectors_)
    np.testing.assert_allclose(ours.dual_coef_, theirs.dual_coef_, atol=atol)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, atol=atol)
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), atol=atol)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))
    assert ours.score(X, theirs.predict(X)) == 1.0


def _two_d(separable, seed=0):
    rng = np.random.default_rng(seed)
    gap = 4.0 if separable else 1.0
    X = np.vstack([rng.normal(size=(40, 2)) + [gap, 0], rng.normal(size=(40, 2)) - [gap, 0]])
    y = np.repeat([0, 1], 40)
    return X, y


@pytest.mark.parametrize("separable", [True, False])
@pytest.mark.parametrize("kernel", ["linear", "rbf"])
@pytest.mark.parametrize("C", [0.1, 1.0, 100.0])
def test_two_d_support_vectors(separable, kernel, C, jit_path):
    X, y = _two_d(separable)
    ours, theirs = _fit_both(X, y, kernel=kernel, C=C)
    _assert_same_model(ours, theirs, X)


def test_separable_hard_margin_kkt():
    """Large C on separable data: every SV sits on the margin, y f(x) = 1, and others ≥ 1."""
    X, y = _two_d(True)
    m = SVC(kernel="linear", C=1e6, tol=1e-8).fit(X, y)
    yy = np.where(y == 1, 1.0, -1.0)
    margin = yy * m.decision_function(X)
    np.testing.assert_allclose(margin[m.support_], 1.0, atol=1e-5)
    assert margin.min() > 1 - 1e-5
    # w = Σ α y x and Σ α y = 0
    assert abs(m.dual_coef_.sum()) < 1e-8
    np.testing.assert_allclose(m.coef_, m.dual_coef_ @ m.support_vectors_)


@pytest.mark.parametrize("kernel", ["linear", "poly", "rbf", "sigmoid"])
@pytest.mark.parametrize("shrinking", [True, False])
def test_breast_cancer_each_kernel(kernel, shrinking, jit_path):
    X, y = load("breast_cancer", scale=True)
    ours, theirs = _fit_both(X, y, kernel=kernel, shrinking=shrinking)
    _assert_same_model(ours, theirs, X)
    assert ours.n_iter_[0] == theirs.n_iter_[0]
    assert ours.score(X, y) == theirs.score(X, y)


@pytest.mark.parametrize(
    "params",
    [{"kernel": "poly", "degree": 2, "gamma": 0.1, "coef0": 1.0, "C": 3.0},
     {"kernel": "poly", "degree": 4, "gamma": "auto", "coef0": 0.5},
     {"kernel": "rbf", "gamma": 0.05, "C": 10.0, "tol": 1e-5},
     {"kernel": "sigmoid", "gamma": 0.01, "coef0": -0.5, "C": 0.5},
     {"kernel": "rbf", "gamma": "auto", "C": 0.3}],
)
def test_breast_cancer_kernel_parameters(params, jit_path):
    X, y = load("breast_cancer", scale=True)
    ours, theirs = _fit_both(X, y, **params)
    _assert_same_model(ours, theirs, X)


@pytest.mark.parametrize("name", ["iris", "wine"])
@pytest.mark.parametrize("shape", ["ovo", "ovr"])
@pytest.mark.parametrize("kernel", ["rbf", "linear", "poly"])
def test_multiclass(name, shape, kernel, jit_path):
    X, y = load(name, scale=True)
    ours, theirs = _fit_both(X, y, kernel=kernel, decision_function_shape=shape)
    _assert_same_model(ours, theirs, X)
    n_classes = len(np.unique(y))
    expected = (len(X), n_classes if shape == "ovr" else n_classes * (n_classes - 1) // 2)
    assert ours.decision_function(X).shape == expected
    assert ours.score(X, y) == theirs.score(X, y)


def test_multiclass_break_ties_and_digits_subset(jit_path):
    X, y = load("digits")
    X, y = X[:400] / 16.0, y[:400]
    for break_ties in (False, True):
        ours, theirs = _fit_both(X, y, break_ties=break_ties, C=0.5)
        _assert_same_model(ours, theirs, X)


def test_string_labels_and_order():
    X, y = load("iris", scale=True)
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    ours = SVC().fit(X, names)
    ref = SVC().fit(X, y)
    assert ours.classes_.tolist() == ["setosa", "versicolor", "virginica"]
    labels = np.array(["setosa", "versicolor", "virginica"])
    np.testing.assert_array_equal(ours.predict(X), labels[ref.predict(X)])
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X))


@pytest.mark.parametrize("class_weight", [{0: 5.0, 1: 0.5}, "balanced", {1: 3.0}])
def test_class_weight(class_weight, jit_path):
    X, y = make_classification(300, 6, weights=[0.8, 0.2], random_state=1)
    ours, theirs = _fit_both(X, y, class_weight=class_weight)
    _assert_same_model(ours, theirs, X)
    np.testing.assert_allclose(ours.class_weight_, theirs.class_weight_)


def test_class_weight_multiclass(jit_path):
    X, y = load("wine", scale=True)
    ours, theirs = _fit_both(X, y, class_weight={0: 0.3, 2: 4.0}, C=0.7)
    _assert_same_model(ours, theirs, X)


def test_sample_weight(jit_path):
    X, y = make_classification(200, 5, random_state=3)
    w = np.random.default_rng(0).uniform(0.2, 3.0, size=len(y))
    ours = SVC().fit(X, y, sample_weight=w)
    theirs = _sk().fit(X, y, sample_weight=w)
    _assert_same_model(ours, theirs, X)


def test_callable_kernel(jit_path):
    X, y = load("breast_cancer", scale=True)

    def kern(A, B):
        return (A @ B.T + 1.0) ** 2

    ours, theirs = _fit_both(X, y, kernel=kern, C=0.1)
    np.testing.assert_array_equal(ours.support_, theirs.support_)
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), atol=ATOL)


def test_small_cache_same_result(jit_path):
    """A cache too small for the Gram matrix (LRU rows) gives the same model as a large one."""
    X, y = make_classification(600, 8, random_state=0)
    small = SVC(cache_size=0.01).fit(X, y)
    big = SVC(cache_size=500).fit(X, y)
    np.testing.assert_array_equal(small.support_, big.support_)
    np.testing.assert_allclose(small.dual_coef_, big.dual_coef_)


@given(
    n=st.integers(8, 60),
    d=st.integers(1, 5),
    seed=st.integers(0, 10_000),
    C=st.sampled_from([0.05, 1.0, 20.0]),
    kernel=st.sampled_from(["linear", "rbf", "poly"]),
    k=st.integers(2, 4),
)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_problems(n, d, seed, C, kernel, k, jit_path):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = rng.integers(0, k, size=n)
    if np.unique(y).size < 2:
        y[0], y[1] = 0, 1
    ours, theirs = _fit_both(X, y, kernel=kernel, C=C)
    _assert_same_model(ours, theirs, X, atol=1e-5)


def test_kkt_at_solution(jit_path):
    """The returned α satisfy the KKT conditions of the module docstring to within tol."""
    X, y = make_blobs(200, 2, centers=2, cluster_std=2.5, random_state=0)
    C, tol = 2.0, 1e-6
    m = SVC(kernel="rbf", gamma=0.5, C=C, tol=tol).fit(X, y)
    yy = np.where(y == 1, 1.0, -1.0)
    f = m.decision_function(X)
    alpha = np.zeros(len(y))
    alpha[m.support_] = np.abs(m.dual_coef_[0])
    viol = yy * f
    free = (alpha > 1e-8) & (alpha < C - 1e-8)
    assert np.all(viol[alpha <= 1e-8] >= 1 - 1e-4)
    np.testing.assert_allclose(viol[free], 1.0, atol=1e-4)
    assert np.all(viol[alpha >= C - 1e-8] <= 1 + 1e-4)
    assert abs((alpha * yy).sum()) < 1e-8


def test_max_iter_warns(jit_path):
    X, y = load("breast_cancer", scale=True)
    with pytest.warns(UserWarning, match="max_iter=5"):
        ours = SVC(max_iter=5).fit(X, y)
    theirs = _sk(max_iter=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs.fit(X, y)
    assert ours.fit_status_ == 1
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), atol=ATOL)


def test_sklearn_meta_estimators():
    X, y = load("iris")
    pipe = make_pipeline(StandardScaler(), SVC())
    scores = cross_val_score(pipe, X, y, cv=3)
    ref = cross_val_score(make_pipeline(StandardScaler(), _sk()), X, y, cv=3)
    np.testing.assert_allclose(scores, ref)
    gs = GridSearchCV(SVC(), {"C": [0.1, 1.0, 10.0], "gamma": ["scale", 0.1]}, cv=3).fit(X, y)
    gs_ref = GridSearchCV(_sk(), {"C": [0.1, 1.0, 10.0], "gamma": ["scale", 0.1]}, cv=3).fit(X, y)
    assert gs.best_params_ == gs_ref.best_params_
    c = clone(SVC(C=3.0, kernel="poly"))
    assert c.get_params()["C"] == 3.0 and c.kernel == "poly"


# --- probability -----------------------------------------------------------------------------

def test_sigmoid_train_matches_sklearn_platt():
    from sklearn.calibration import _sigmoid_calibration

    from whiteboard.ml.svm.smo import sigmoid_train

    rng = np.random.default_rng(0)
    for n in (20, 200, 1000):
        f = rng.normal(size=n) * 2
        y = (f + rng.normal(size=n) > 0).astype(int)
        A, B = sigmoid_train(f, y)
        a, b = _sigmoid_calibration(f, y)
        np.testing.assert_allclose([A, B], [a, b], rtol=1e-4, atol=1e-5)


def test_pairwise_coupling_solves_its_qp():
    from whiteboard.ml.svm.smo import pairwise_coupling

    rng = np.random.default_rng(1)
    k = 4
    r = np.zeros((50, k, k))
    iu = np.triu_indices(k, 1)
    vals = rng.uniform(0.05, 0.95, size=(50, len(iu[0])))
    r[:, iu[0], iu[1]] = vals
    r[:, iu[1], iu[0]] = 1 - vals
    p = pairwise_coupling(r)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    # optimality: Q p = (pᵀQp) 1 for the QP min pᵀQp, Σp = 1
    rt = np.swapaxes(r, 1, 2)
    Q = -rt * r
    Q[:, np.arange(k), np.arange(k)] = (rt**2).sum(axis=2) - np.diagonal(rt, 0, 1, 2) ** 2
    Qp = np.einsum("nij,nj->ni", Q, p)
    np.testing.assert_allclose(Qp, np.broadcast_to((p * Qp).sum(axis=1, keepdims=True), Qp.shape),
                               atol=1e-10)
    # consistent pairwise probabilities are recovered exactly
    true = rng.dirichlet(np.ones(k), size=50)
    rc = true[:, :, None] / (true[:, :, None] + true[:, None, :])
    np.testing.assert_allclose(pairwise_coupling(rc), true, atol=1e-10)


@pytest.mark.parametrize("name", ["breast_cancer", "iris", "wine"])
def test_predict_proba_close_to_sklearn(name, jit_path):
    """Same recipe as LIBSVM but a different random fold split: probabilities agree loosely.

    Stated tolerance: mean absolute difference < 0.02, max < 0.15; the fitted sigmoids' A within
    25%; predicted argmax agrees on ≥ 97% of samples. Each row sums to one.
    """
    X, y = load(name, scale=True)
    ours = SVC(probability=True, random_state=0).fit(X, y)
    theirs = _sk(probability=True, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs.fit(X, y)
        pt = theirs.predict_proba(X)
    po = ours.predict_proba(X)
    np.testing.assert_allclose(po.sum(axis=1), 1.0)
    assert np.abs(po - pt).mean() < 0.02
    assert np.abs(po - pt).max() < 0.15
    np.testing.assert_allclose(ours.probA_, theirs._probA, rtol=0.25)
    assert (po.argmax(1) == pt.argmax(1)).mean() >= 0.97
    np.testing.assert_allclose(np.exp(ours.predict_log_proba(X)), po)
    # the decision function is unchanged by probability=True
    np.testing.assert_allclose(ours.decision_function(X), SVC().fit(X, y).decision_function(X))


def test_predict_proba_reproducible_with_random_state():
    X, y = load("iris", scale=True)
    a = SVC(probability=True, random_state=3).fit(X, y).predict_proba(X)
    b = SVC(probability=True, random_state=3).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)


def test_predict_proba_unavailable_without_probability():
    X, y = load("iris", scale=True)
    m = SVC().fit(X, y)
    assert not hasattr(m, "predict_proba")
    with pytest.raises(AttributeError, match="probability=False"):
        m.predict_proba(X)


# --- errors ----------------------------------------------------------------------------------

def test_bad_input():
    X, y = load("iris", scale=True)
    bad = X.copy()
    bad[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        SVC().fit(bad, y)
    bad[3, 1] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        SVC().fit(bad, y)
    with pytest.raises(NotFittedError, match="not fitted"):
        SVC().predict(X)
    m = SVC().fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but SVC is expecting 4"):
        m.predict(X[:, :3])
    with pytest.raises(ValueError, match="X has 3 features, but SVC is expecting 4"):
        m.decision_function(X[:, :3])
    with pytest.raises(ValueError, match="only one class"):
        SVC().fit(X, np.zeros(len(X)))
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        SVC().fit(X, np.linspace(0, 1, len(X)))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        SVC().fit(X, y[:-1])


@pytest.mark.parametrize(
    "params, match",
    [({"kernel": "gauss"}, "'kernel' parameter of SVC must be one of"),
     ({"C": 0}, "'C' parameter must be a float > 0, got 0"),
     ({"C": -1.0}, "'C' parameter must be a float > 0"),
     ({"gamma": -0.1}, "gamma must be 'scale', 'auto' or a float >= 0, got -0.1"),
     ({"gamma": "wide"}, "either 'scale' or 'auto'. Got 'wide'"),
     ({"tol": 0}, "'tol' parameter"),
     ({"max_iter": 0}, "'max_iter' parameter"),
     ({"decision_function_shape": "ova"}, "'decision_function_shape'"),
     ({"class_weight": "even"}, "'class_weight'"),
     ({"class_weight": {7: 2.0}}, "not in class")],
)
def test_invalid_params(params, match):
    X, y = load("iris", scale=True)
    with pytest.raises(ValueError, match=match):
        SVC(**params).fit(X, y)


def test_params_stored_unchanged():
    m = SVC(C="x", kernel="nope", gamma=-5)
    assert (m.C, m.kernel, m.gamma) == ("x", "nope", -5)


EXPECTED_FAILED = {
    "check_estimators_unfitted": (
        "whiteboard.ml.base.NotFittedError is raised but is not a subclass of "
        "sklearn.exceptions.NotFittedError (sklearn is not a runtime dependency); "
        "test_bad_input checks it"
    ),
    "check_supervised_y_2d": (
        "a DataConversionWarning is emitted, but it is whiteboard's own class and the oracle "
        "adapter silences every warning before the check records them; "
        "test_column_vector_y_warns checks it"
    ),
    "check_sample_weight_equivalence_on_dense_data": (
        "listed by scikit-learn for its own SVC: gamma='scale' depends on the sample "
        "distribution and the solution is only tol-accurate"
    ),
}


def test_column_vector_y_warns():
    from whiteboard.validation import DataConversionWarning

    X, y = load("iris", scale=True)
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        m = SVC().fit(X, y[:, None])
    np.testing.assert_array_equal(m.predict(X), SVC().fit(X, y).predict(X))


@pytest.mark.parametrize(
    "params", [{}, {"probability": True, "random_state": 0}, {"kernel": "precomputed"}]
)
def test_check_estimator(params):
    run_check_estimator(SVC(**params), expected_failed_checks=EXPECTED_FAILED)


# --- the notes' claims -----------------------------------------------------------------------

def test_only_support_vectors_matter():
    """Notes 002: the SVM depends only on points near the boundary — refitting on the support
    vectors alone gives the same decision function (fixed gamma: 'scale' would see new data)."""
    X, y = _two_d(False, seed=4)
    full = SVC(kernel="rbf", gamma=0.5, C=1.0, tol=1e-8).fit(X, y)
    sv_only = SVC(kernel="rbf", gamma=0.5, C=1.0, tol=1e-8).fit(X[full.support_],
                                                                 y[full.support_])
    np.testing.assert_allclose(sv_only.decision_function(X), full.decision_function(X),
                               atol=1e-6)


@pytest.mark.parametrize("C", [0.1, 1.0])
def test_strong_duality_soft_margin(C):
    """E71/E74: at the optimum, primal ½‖w‖² + CΣ[1 - y f(x)]₊ equals the dual
    Σα - ½ΣΣ αᵢαⱼyᵢyⱼxᵢᵀxⱼ (strong duality; KKT sufficient and necessary under Slater)."""
    X, y = load("breast_cancer", scale=True)
    m = SVC(kernel="linear", C=C, tol=1e-8).fit(X, y)
    yy = np.where(y == 1, 1.0, -1.0)
    w = m.coef_[0]
    primal = 0.5 * w @ w + C * np.maximum(0.0, 1 - yy * m.decision_function(X)).sum()
    a_y = m.dual_coef_[0]
    dual = np.abs(a_y).sum() - 0.5 * a_y @ (m.support_vectors_ @ m.support_vectors_.T) @ a_y
    # rel 1e-4, not tighter: the solver optimises with the float32 kernel cache (as LIBSVM)
    assert primal == pytest.approx(dual, rel=1e-4)


def test_feature_scaling_changes_linear_svm():
    """E75: a (regularised) linear SVM is not invariant to rescaling features — and neither is
    L2-regularised logistic regression (the notes claim LR is unaffected)."""
    from sklearn.linear_model import LogisticRegression

    X, y = load("breast_cancer", scale=True)
    Xs = X.copy()
    Xs[:, :10] *= 1e-3
    from whiteboard.ml.svm import LinearSVC

    a = LinearSVC().fit(X, y)
    b = LinearSVC().fit(Xs, y)
    # an equivariant model would give b.coef_ = a.coef_ / scale and identical decisions
    assert np.abs(a.decision_function(X) - b.decision_function(Xs)).max() > 0.1
    assert (a.predict(X) != b.predict(Xs)).any()
    lr_a = LogisticRegression(C=1.0, max_iter=5000).fit(X, y).decision_function(X)
    lr_b = LogisticRegression(C=1.0, max_iter=5000).fit(Xs, y).decision_function(Xs)
    assert np.abs(lr_a - lr_b).max() > 0.1


def test_precomputed_kernel(jit_path):
    X, y = load("wine", scale=True)
    train, test = np.arange(0, 178, 2), np.arange(1, 178, 2)
    K_train = X[train] @ X[train].T
    K_test = X[test] @ X[train].T
    ours = SVC(kernel="precomputed", C=0.5).fit(K_train, y[train])
    theirs = _sk(kernel="precomputed", C=0.5).fit(K_train, y[train])
    np.testing.assert_array_equal(ours.support_, theirs.support_)
    np.testing.assert_allclose(ours.dual_coef_, theirs.dual_coef_, atol=ATOL)
    np.testing.assert_allclose(ours.decision_function(K_test), theirs.decision_function(K_test),
                               atol=ATOL)
    # the same model as the linear kernel on the raw features
    lin = SVC(kernel="linear", C=0.5).fit(X[train], y[train])
    np.testing.assert_allclose(ours.decision_function(K_test), lin.decision_function(X[test]),
                               atol=1e-8)
    assert ours.support_vectors_.shape == (0, 0)
    # scikit-learn's cross-validation slices both axes of a pairwise X
    K = X @ X.T
    np.testing.assert_allclose(cross_val_score(SVC(kernel="precomputed"), K, y, cv=3),
                               cross_val_score(_sk(kernel="precomputed"), K, y, cv=3))
    with pytest.raises(ValueError, match="must be a square matrix. Input is a 89x13 matrix"):
        SVC(kernel="precomputed").fit(X[train], y[train])
    with pytest.raises(ValueError, match="X has 13 features, but SVC is expecting 89"):
        ours.predict(X[test])


def test_everything_shrunk_many_classes(jit_path):
    """Tiny one-vs-one problems where shrinking empties the active set (LIBSVM then rebuilds
    the gradient and stops): same iterations and model as scikit-learn."""
    rng = np.random.RandomState(0)
    X = 3 * rng.uniform(size=(20, 3))
    K = X @ X.T
    y = K[:, 0].astype(int)
    ours, theirs = _fit_both(K, y, kernel="precomputed")
    np.testing.assert_array_equal(ours.n_iter_, theirs.n_iter_)
    _assert_same_model(ours, theirs, K)
