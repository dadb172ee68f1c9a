"""LinearDiscriminantAnalysis, GaussianNB, MultinomialNB, k-NN against scikit-learn."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn import discriminant_analysis as sda
from sklearn import naive_bayes as snb
from sklearn import neighbors as snn
from sklearn.model_selection import GridSearchCV, cross_val_score

from tests.oracles.sklearn_oracle import load, run_check_estimator
from whiteboard.ml.base import NotFittedError
from whiteboard.ml.discriminant_analysis import LinearDiscriminantAnalysis
from whiteboard.ml.naive_bayes import GaussianNB, MultinomialNB
from whiteboard.ml.neighbors import KNeighborsClassifier, KNeighborsRegressor

DATASETS = ["iris", "wine", "breast_cancer", "digits"]

UNFITTED = ("whiteboard.ml.base.NotFittedError (shared base, numpy-only) is not a subclass of "
            "sklearn.exceptions.NotFittedError; test_bad_input checks predict before fit")
Y_2D = ("asks for sklearn's DataConversionWarning when y has shape (n, 1); whiteboard cannot "
        "import it at runtime and ravels such y silently")


def generated_classes(n=240, d=5, k=4, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=2.0, size=(k, d))
    y = rng.integers(0, k, n)
    return centres[y] + rng.standard_normal((n, d)) @ rng.normal(size=(d, d)) * 0.7, y


def same_subspace(A, B):
    """Largest principal-angle sine between the column spaces of A and B."""
    Qa, _ = np.linalg.qr(A)
    Qb, _ = np.linalg.qr(B)
    s = np.linalg.svd(Qa.T @ Qb, compute_uv=False)
    return float(np.sqrt(max(0.0, 1.0 - s.min() ** 2)))


@pytest.mark.parametrize("name", DATASETS + ["generated"])
@pytest.mark.parametrize("kw", [{"solver": "svd"}, {"solver": "lsqr"},
                                {"solver": "lsqr", "shrinkage": 0.3},
                                {"solver": "eigen", "shrinkage": 0.1},
                                {"solver": "lsqr", "shrinkage": "auto"},
                                {"solver": "eigen", "shrinkage": "auto"},
                                {"solver": "svd", "priors": "uniform"}],
                         ids=["svd", "lsqr", "lsqr-shrunk", "eigen-shrunk", "lsqr-ledoit-wolf",
                              "eigen-ledoit-wolf", "svd-priors"])
def test_lda_equals_sklearn(name, kw):
    X, y = generated_classes() if name == "generated" else load(name)
    kw = dict(kw)
    if kw.get("priors") == "uniform":
        kw["priors"] = np.full(len(np.unique(y)), 1.0 / len(np.unique(y)))
    ours = LinearDiscriminantAnalysis(**kw).fit(X, y)
    ref = sda.LinearDiscriminantAnalysis(**kw).fit(X, y)
    scale = max(1.0, np.abs(ref.coef_).max())
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-8 * scale, rtol=0)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-8 * scale, rtol=0)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-8)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    if kw["solver"] != "lsqr" and not (name == "digits" and kw["solver"] == "eigen"):
        T, R = ours.transform(X), ref.transform(X)
        assert T.shape == R.shape == (len(X), min(len(np.unique(y)) - 1, X.shape[1]))
        assert same_subspace(T, R) < 1e-7
        np.testing.assert_allclose(ours.explained_variance_ratio_,
                                   ref.explained_variance_ratio_, atol=1e-10)


@pytest.mark.parametrize("n_components", [1, 2])
def test_lda_transform_dimensions_and_fisher_property(n_components):
    X, y = load("wine")
    ours = LinearDiscriminantAnalysis(n_components=n_components).fit(X, y)
    ref = sda.LinearDiscriminantAnalysis(n_components=n_components).fit(X, y)
    T = ours.transform(X)
    assert T.shape == (len(X), n_components)
    assert same_subspace(T, ref.transform(X)) < 1e-7
    # the svd solver's projection whitens the within-class scatter: pooled covariance ∝ I
    within = sum(np.cov(T[y == k], rowvar=False, bias=True).reshape(n_components, -1) *
                 np.mean(y == k) for k in np.unique(y))
    np.testing.assert_allclose(within, within[0, 0] * np.eye(n_components), atol=1e-10)
    with pytest.raises(ValueError, match="n_components cannot be larger"):
        LinearDiscriminantAnalysis(n_components=3).fit(X, y)


@pytest.mark.parametrize("name", DATASETS + ["generated"])
@pytest.mark.parametrize("var_smoothing", [1e-9, 1e-3])
@pytest.mark.parametrize("weighted", [False, True])
def test_gaussian_nb_equals_sklearn(name, var_smoothing, weighted):
    X, y = generated_classes() if name == "generated" else load(name)
    sw = np.random.default_rng(0).uniform(0.5, 2.0, len(y)) if weighted else None
    ours = GaussianNB(var_smoothing=var_smoothing).fit(X, y, sample_weight=sw)
    ref = snb.GaussianNB(var_smoothing=var_smoothing).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-8)
    np.testing.assert_allclose(ours.theta_, ref.theta_, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.var_, ref.var_, rtol=1e-10)
    assert ours.epsilon_ == pytest.approx(ref.epsilon_, rel=1e-12)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def test_gaussian_nb_priors():
    X, y = load("iris")
    priors = [0.5, 0.3, 0.2]
    ours = GaussianNB(priors=priors).fit(X, y)
    ref = snb.GaussianNB(priors=priors).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-8)
    with pytest.raises(ValueError, match="sum of the priors should be 1"):
        GaussianNB(priors=[0.5, 0.5, 0.5]).fit(X, y)


@pytest.mark.parametrize("name", ["iris", "wine", "digits"])
@pytest.mark.parametrize("kw", [{"alpha": 1.0}, {"alpha": 0.01}, {"fit_prior": False},
                                {"class_prior": "given"}])
def test_multinomial_nb_equals_sklearn(name, kw):
    X, y = load(name)
    kw = dict(kw)
    if kw.get("class_prior") == "given":
        kw["class_prior"] = np.linspace(1, 2, len(np.unique(y))) / np.linspace(
            1, 2, len(np.unique(y))).sum()
    sw = np.random.default_rng(1).uniform(0.5, 2.0, len(y))
    ours = MultinomialNB(**kw).fit(X, y, sample_weight=sw)
    ref = snb.MultinomialNB(**kw).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(ours.feature_log_prob_, ref.feature_log_prob_, rtol=1e-12)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-8)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


@pytest.mark.parametrize("name", DATASETS + ["generated"])
@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("k", [1, 4, 7])
def test_knn_equals_sklearn(name, weights, k):
    X, y = generated_classes() if name == "generated" else load(name)
    Xtr, ytr, Xte = X[::2], y[::2], X[1::2]
    ours = KNeighborsClassifier(k, weights=weights).fit(Xtr, ytr)
    ref = snn.KNeighborsClassifier(k, weights=weights, algorithm="brute").fit(Xtr, ytr)
    np.testing.assert_array_equal(ours.predict(Xte), ref.predict(Xte))
    np.testing.assert_allclose(ours.predict_proba(Xte), ref.predict_proba(Xte), atol=1e-12)
    reg = KNeighborsRegressor(k, weights=weights).fit(Xtr, ytr * 1.5 + 0.1)
    sreg = snn.KNeighborsRegressor(k, weights=weights, algorithm="brute").fit(Xtr, ytr * 1.5 + 0.1)
    np.testing.assert_allclose(reg.predict(Xte), sreg.predict(Xte), atol=1e-12)


def test_knn_edge_cases_ties_duplicates_and_multioutput():
    X = np.array([[0.0], [1.0], [1.0], [2.0], [3.0]])
    y = np.array(["a", "b", "b", "c", "c"])
    Q = np.array([[1.0], [1.5], [2.5]])
    for w in ("uniform", "distance"):
        ours = KNeighborsClassifier(2, weights=w).fit(X, y)
        ref = snn.KNeighborsClassifier(2, weights=w, algorithm="brute").fit(X, y)
        np.testing.assert_array_equal(ours.predict(Q), ref.predict(Q))
        np.testing.assert_allclose(ours.predict_proba(Q), ref.predict_proba(Q))
    Y = np.column_stack([np.arange(5.0), np.arange(5.0) ** 2])
    for w in ("uniform", "distance", lambda d: np.exp(-d)):
        ours = KNeighborsRegressor(3, weights=w).fit(X, Y)
        ref = snn.KNeighborsRegressor(3, weights=w, algorithm="brute").fit(X, Y)
        np.testing.assert_allclose(ours.predict(Q), ref.predict(Q), atol=1e-12)
    dist, ind = KNeighborsRegressor(2).fit(X, Y).kneighbors()
    rdist, rind = snn.NearestNeighbors(n_neighbors=2, algorithm="brute").fit(X).kneighbors()
    np.testing.assert_array_equal(ind, rind)
    np.testing.assert_allclose(dist, rdist)


@pytest.mark.parametrize("est", [LinearDiscriminantAnalysis(),
                                 LinearDiscriminantAnalysis(solver="eigen", shrinkage="auto"),
                                 GaussianNB(), MultinomialNB(),
                                 KNeighborsClassifier(), KNeighborsRegressor()],
                         ids=repr)
def test_check_estimator(est):
    expected = {"check_estimators_unfitted": UNFITTED}
    if not isinstance(est, KNeighborsRegressor):
        expected["check_supervised_y_2d"] = Y_2D
    run_check_estimator(est, expected_failed_checks=expected)


@pytest.mark.parametrize("cls", [LinearDiscriminantAnalysis, GaussianNB, MultinomialNB,
                                 KNeighborsClassifier])
def test_bad_input(cls):
    X, y = load("iris")
    with pytest.raises(NotFittedError, match="not fitted yet"):
        cls().predict(X)
    with pytest.raises(ValueError, match="only one class"):
        cls().fit(X, np.zeros(len(X)))
    bad = X.copy()
    bad[2, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        cls().fit(bad, y)
    bad[2, 2] = -np.inf
    with pytest.raises(ValueError, match="infinity"):
        cls().fit(bad, y)
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    m = cls().fit(X, labels)
    assert list(m.classes_) == ["setosa", "versicolor", "virginica"]
    assert m.score(X, labels) > 0.9
    with pytest.raises(ValueError, match="X has 3 features"):
        m.predict(X[:, :3])


def test_specific_errors():
    X, y = load("iris")
    with pytest.raises(ValueError, match="Negative values in data passed to MultinomialNB"):
        MultinomialNB().fit(X - 5, y)
    with pytest.raises(ValueError, match="only the Euclidean metric"):
        KNeighborsClassifier(metric="manhattan").fit(X, y)
    with pytest.raises(ValueError, match="n_neighbors <= n_samples_fit"):
        KNeighborsClassifier(200).fit(X, y)
    with pytest.raises(ValueError, match="shrinkage is not supported by the 'svd' solver"):
        LinearDiscriminantAnalysis(shrinkage=0.1).fit(X, y)
    with pytest.raises(NotImplementedError, match="lsqr"):
        LinearDiscriminantAnalysis(solver="lsqr").fit(X, y).transform(X)


def test_meta_estimators():
    X, y = load("iris")
    gs = GridSearchCV(KNeighborsClassifier(), {"n_neighbors": [1, 5, 15]}, cv=5).fit(X, y)
    ref = GridSearchCV(snn.KNeighborsClassifier(), {"n_neighbors": [1, 5, 15]}, cv=5).fit(X, y)
    assert gs.best_params_ == ref.best_params_
    np.testing.assert_allclose(cross_val_score(GaussianNB(), X, y, cv=5),
                               cross_val_score(snb.GaussianNB(), X, y, cv=5))


@given(n=st.integers(4, 40), d=st.integers(1, 6), k=st.integers(2, 4), nn=st.integers(1, 4),
       seed=st.integers(0, 10_000), integer_grid=st.booleans())
def test_random_shapes_nb_knn_equal_sklearn(n, d, k, nn, seed, integer_grid):
    """Random shapes; integer grids create many exact distance ties for k-NN."""
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 3, (n, d)).astype(float) if integer_grid else rng.normal(size=(n, d))
    y = np.arange(n) % k
    rng.shuffle(y)
    Q = rng.integers(0, 3, (7, d)).astype(float) if integer_grid else rng.normal(size=(7, d))
    if not integer_grid:
        # (on the grid a class often has zero variance: σ² = ε ≈ 1e-9, log-likelihoods ~1e9,
        # and any two summation orders differ by ~1e-7 in the posterior)
        ours = GaussianNB().fit(X, y)
        ref = snb.GaussianNB().fit(X, y)
        np.testing.assert_allclose(ours.predict_proba(Q), ref.predict_proba(Q), atol=1e-8)
    nn = min(nn, n)
    for w in ("uniform", "distance"):
        a = KNeighborsClassifier(nn, weights=w).fit(X, y)
        b = snn.KNeighborsClassifier(nn, weights=w, algorithm="brute").fit(X, y)
        np.testing.assert_allclose(a.predict_proba(Q), b.predict_proba(Q), atol=1e-12)
        np.testing.assert_array_equal(a.predict(Q), b.predict(Q))
        r = KNeighborsRegressor(nn, weights=w).fit(X, y * 0.5)
        s = snn.KNeighborsRegressor(nn, weights=w, algorithm="brute").fit(X, y * 0.5)
        np.testing.assert_allclose(r.predict(Q), s.predict(Q), atol=1e-12)


@pytest.mark.parametrize("name", ["iris", "wine", "digits"])
@pytest.mark.parametrize("cls, sk_cls", [(GaussianNB, snb.GaussianNB),
                                         (MultinomialNB, snb.MultinomialNB)])
def test_partial_fit_equals_sklearn_batch_for_batch(name, cls, sk_cls):
    X, y = load(name)
    labels = np.array([f"c{k}" for k in range(10)], dtype=object)[y]
    sw = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    order = np.random.default_rng(1).permutation(len(y))
    ours, ref = cls(), sk_cls()
    for part in np.array_split(order, 4):
        ours.partial_fit(X[part], labels[part], classes=np.unique(labels), sample_weight=sw[part])
        ref.partial_fit(X[part], labels[part], classes=np.unique(labels), sample_weight=sw[part])
        np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-8)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    full = cls().fit(X, labels, sample_weight=sw)
    if cls is MultinomialNB:
        np.testing.assert_allclose(full.feature_log_prob_, ours.feature_log_prob_, rtol=1e-12)
    else:  # means merge exactly; variances differ from one fit by the ε bookkeeping
        np.testing.assert_allclose(full.theta_, ours.theta_, rtol=1e-12, atol=1e-12)
        eps = max(full.epsilon_, ours.epsilon_)
        np.testing.assert_allclose(full.var_, ours.var_, rtol=0, atol=2 * eps)
    with pytest.raises(ValueError, match="classes must be passed"):
        cls().partial_fit(X, labels)
    with pytest.raises(ValueError, match="do not exist in the initial classes"):
        ours.partial_fit(X[:3], np.array(["zz", "c0", "c0"], dtype=object))
    with pytest.raises(ValueError, match="X has 3 features"):
        ours.partial_fit(X[:3, :3], labels[:3])
