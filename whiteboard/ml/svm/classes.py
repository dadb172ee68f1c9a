"""Support vector machines: ``SVC`` and ``SVR`` (kernel, solved by SMO) and ``LinearSVC``.

Hard margin (separable data), primal::

    min_{w,b} ½‖w‖²   s.t.  yᵢ(wᵀφ(xᵢ) + b) ≥ 1,  i = 1..n

The geometric margin is 2/‖w‖, so minimising ½‖w‖² maximises it. (The notes write the objective
as ½|w|^q over "v, b"; the correct primal is the *squared Euclidean* norm ½‖w‖₂² over w and b —
ERRATA E71.)

Soft margin, primal (C > 0 trades margin for violations)::

    min_{w,b,ξ} ½‖w‖² + C Σᵢ ξᵢ   s.t.  yᵢ(wᵀφ(xᵢ) + b) ≥ 1 - ξᵢ,  ξᵢ ≥ 0

which is the same as minimising the regularised hinge loss Σᵢ [1 - yᵢ(wᵀφ(xᵢ) + b)]₊ + λ‖w‖²
with λ = 1/(2C) (the notes' hinge form is right).

Dual (Lagrange multipliers αᵢ for the margin constraints)::

    max_α Σᵢ αᵢ - ½ Σᵢⱼ αᵢαⱼ yᵢyⱼ K(xᵢ, xⱼ)   s.t.  Σᵢ αᵢyᵢ = 0,  0 ≤ αᵢ ≤ C

(hard margin: αᵢ ≥ 0 only). The dual has *box* constraints plus one equality, from
∂L/∂b = 0 — not "the constraints turned into equalities" as the notes say (ERRATA E74). The
primal variables are w and b: stationarity ∂L/∂w = 0 gives w = Σᵢ αᵢyᵢφ(xᵢ), so the data enter
only through inner products and the kernel trick applies; the dual's size is n (samples), not
the dimension of φ. For this convex problem the KKT conditions are *sufficient*; Slater's
condition holds (the constraints are affine), so they are also necessary and strong duality
holds (the notes have this backwards: ERRATA E74). KKT, per sample, with fᵢ = wᵀφ(xᵢ) + b:

    αᵢ = 0       ⇒  yᵢfᵢ ≥ 1   (outside the margin, not a support vector)
    0 < αᵢ < C   ⇒  yᵢfᵢ = 1   (on the margin: "free" support vector; fixes b)
    αᵢ = C       ⇒  yᵢfᵢ ≤ 1   (inside the margin or misclassified: bounded SV)

so only support vectors (αᵢ > 0) shape the decision function f(x) = Σᵢ αᵢyᵢK(xᵢ, x) + b.
The dual is solved by SMO with second-order working-set selection (``smo.py``).

ε-SVR (``SVR``; ERRATA E76: the notes say SVR minimises "the total deviation" — it does not):

    min ½‖w‖² + C Σᵢ (ξᵢ + ξᵢ*)  s.t.  yᵢ - f(xᵢ) ≤ ε + ξᵢ,  f(xᵢ) - yᵢ ≤ ε + ξᵢ*,  ξ, ξ* ≥ 0

i.e. the ε-insensitive loss max(0, |y - f(x)| - ε): points inside the tube cost nothing and have
α = α* = 0. Its dual in (α, α*) is the 2n-variable problem
    min ½(α - α*)ᵀK(α - α*) + ε Σ(α + α*) - yᵀ(α - α*),  Σ(α - α*) = 0,  0 ≤ α, α* ≤ C
solved by the same SMO; f(x) = Σᵢ (αᵢ - αᵢ*) K(xᵢ, x) + b.

Multi-class ``SVC`` is one-vs-one as LIBSVM: one binary SVM per pair of classes (k(k-1)/2),
prediction by voting (ties to the lower class). ``decision_function_shape='ovr'`` aggregates the
pairwise values into k scores as scikit-learn does: votes plus the sum of the pairwise decision
values scaled into (-1/3, 1/3), so the argmax equals the vote winner with ties broken by
confidence.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from whiteboard.ml.base import (
    BaseEstimator,
    ClassifierMixin,
    NotFittedError,
    RegressorMixin,
    check_is_fitted,
    check_n_features,
    check_random_state,
    check_sample_weight,
    encode_labels,
)
from whiteboard.validation import InvalidParameterError, check_array, check_X_y
from whiteboard.ml.svm.kernels import KERNELS, KernelMatrix, pairwise_kernel, resolve_gamma
from whiteboard.ml.svm.smo import pairwise_coupling, sigmoid_predict, sigmoid_train, smo_solve

__all__ = ["SVC", "SVR"]


class ConvergenceWarning(UserWarning):
    """The solver stopped at ``max_iter`` before meeting ``tol``."""


def _check_positive(name, value, strict=True, allow_minus_one=False):
    if allow_minus_one and isinstance(value, numbers.Integral) and value == -1:
        return
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(value)
    ok = ok and (value > 0 if strict else value >= 0)
    if not ok:
        bound = "> 0" if strict else ">= 0"
        extra = " or -1" if allow_minus_one else ""
        raise InvalidParameterError(
            f"The '{name}' parameter must be a float {bound}{extra}, got {value!r}")


class _BaseLibSVM(BaseEstimator):
    """Shared kernel-SVM machinery: parameter checks, kernel evaluation, SV bookkeeping."""

    def _validate_kernel_params(self):
        kernel = self.kernel
        if not callable(kernel) and kernel not in (*KERNELS, "precomputed"):
            raise InvalidParameterError(
                f"The 'kernel' parameter of {type(self).__name__} must be one of "
                f"{[*KERNELS, 'precomputed']} or a callable, got {kernel!r}"
            )
        _check_positive("C", self.C)
        _check_positive("tol", self.tol)
        _check_positive("cache_size", self.cache_size)
        if kernel == "poly":
            d = self.degree
            if isinstance(d, bool) or not isinstance(d, numbers.Real) or d < 0:
                raise InvalidParameterError(
                    f"The 'degree' parameter must be a number >= 0, got {d!r}")
        if not isinstance(self.coef0, numbers.Real):
            raise InvalidParameterError(
                f"The 'coef0' parameter must be a float, got {self.coef0!r}")
        mi = self.max_iter
        if isinstance(mi, bool) or not isinstance(mi, numbers.Integral) or (mi < 1 and mi != -1):
            raise InvalidParameterError(
                f"The 'max_iter' parameter must be an int >= 1 or -1, got {mi!r}")

    def _check_precomputed_fit(self, X):
        if self.kernel == "precomputed" and X.shape[0] != X.shape[1]:
            raise ValueError(
                "Precomputed matrix must be a square matrix. Input is a "
                f"{X.shape[0]}x{X.shape[1]} matrix."
            )

    def _kernel_matrix(self, X, keep, order=None):
        """The training ``KernelMatrix`` on samples ``keep`` (then rows ``order`` of those)."""
        idx = keep if order is None else keep[order]
        if self.kernel == "precomputed":
            K = X[np.ix_(idx, idx)]
            return KernelMatrix(K, self.kernel, None, None, None, self.cache_size, K=K)
        Xs = X[idx]
        if callable(self.kernel):
            K = pairwise_kernel(Xs, Xs, self.kernel)
            return KernelMatrix(Xs, self.kernel, None, None, None, self.cache_size, K=K)
        return KernelMatrix(Xs, self.kernel, self._gamma, self.degree, self.coef0,
                            self.cache_size)

    def _kernel_to_sv(self, X):
        """K(X, support_vectors_), shape (n_samples, n_SV)."""
        if self.kernel == "precomputed":
            return X[:, self.support_]
        return pairwise_kernel(X, self.support_vectors_, self.kernel, self._gamma,
                               self.degree, self.coef0)

    def _validate_for_predict(self, X):
        check_is_fitted(self, "support_")
        X = check_array(X, estimator=self)
        if self.kernel == "precomputed" and X.shape[1] != self.shape_fit_[0]:
            raise ValueError(
                f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                f"{self.n_features_in_} features as input (kernel='precomputed': X must be "
                f"K(test, train) with one column per training sample, {self.shape_fit_[0]})"
            )
        check_n_features(self, X)
        return X

    def _support_vectors(self, X, sv):
        return np.empty((0, 0)) if self.kernel == "precomputed" else X[sv]

    @property
    def coef_(self):
        """w = Σ dual_coefᵢ xᵢ (linear kernel only): shape (n_classes·(n_classes-1)/2, d)."""
        if getattr(self, "kernel", None) != "linear":
            raise AttributeError("coef_ is only available when using a linear kernel")
        check_is_fitted(self, "support_")
        return self.dual_coef_ @ self.support_vectors_

    def _update_sklearn_tags(self, tags):
        tags.input_tags.pairwise = self.kernel == "precomputed"
        return tags


class SVC(ClassifierMixin, _BaseLibSVM):
    """C-support vector classification (kernel SVM), trained by SMO as LIBSVM/scikit-learn.

    Parameters (scikit-learn's names and defaults): ``C`` (soft-margin penalty), ``kernel``
    ('linear', 'poly', 'rbf', 'sigmoid', a callable ``k(X, Y) -> (n, m)``, or 'precomputed':
    X is then the Gram matrix K(train, train) at fit and K(test, train) at predict, and
    ``support_vectors_`` is empty), ``degree``,
    ``gamma`` ('scale', 'auto' or float), ``coef0``, ``shrinking``, ``probability`` (Platt
    scaling), ``tol`` (stop when the maximal KKT violation < tol), ``cache_size`` (MB for the
    kernel rows), ``class_weight`` (dict or 'balanced': Cᵢ = C·weight[yᵢ]), ``max_iter``
    (-1: none), ``decision_function_shape`` ('ovr' or 'ovo'), ``break_ties``, ``random_state``
    (the probability cross-validation's shuffle).

    Kernel computation and caching (``kernels.KernelMatrix``): rows of the training Gram matrix
    are computed on demand, each in one vectorised pass (a GEMV-sized product; RBF as one GEMV
    on [x, ‖x‖², 1] that yields -γ‖xᵢ - x‖² directly, the norms computed once), and kept in an
    LRU cache of ``cache_size`` MB in single precision, as LIBSVM does; the full n×n matrix is
    never formed for the built-in kernels (SMO reads only the rows of the variables it selects,
    often a small fraction of n), while a callable kernel is evaluated once on all pairs. All
    one-vs-one sub-problems share one cache. Because the cache holds float32 values exactly
    like LIBSVM's and WSS2, the clipping and shrinking follow LIBSVM step by step, the fitted
    model equals scikit-learn's to rounding (same support vectors and iteration counts).

    Fitted attributes: ``classes_``, ``support_`` (indices, grouped by class, ascending within
    a class), ``support_vectors_`` (n_SV, d), ``n_support_`` (per class), ``dual_coef_``
    (n_classes-1, n_SV): yᵢαᵢ of each SV in each one-vs-one problem it takes part in, laid out
    as LIBSVM/scikit-learn), ``intercept_`` (one per pair), ``class_weight_``, ``n_iter_``,
    ``fit_status_``, ``shape_fit_``, ``n_features_in_``, and with ``probability=True``
    ``probA_``, ``probB_``. For two classes the signs follow scikit-learn: a positive decision
    value means ``classes_[1]``.

    ``probability=True``: for each pair of classes, LIBSVM's recipe — 5-fold cross-validation
    (the shuffle drawn from ``random_state``) gives out-of-fold decision values, to which
    Platt's sigmoid P = 1/(1 + exp(A f + B)) is fitted; at prediction the pairwise
    probabilities are coupled (Wu, Lin & Weng 2004). The shuffle uses NumPy's generator, not
    LIBSVM's, so probabilities match scikit-learn's only up to the fold split's effect.
    """

    def __init__(self, *, C=1.0, kernel="rbf", degree=3, gamma="scale", coef0=0.0,
                 shrinking=True, probability=False, tol=1e-3, cache_size=200,
                 class_weight=None, verbose=False, max_iter=-1, decision_function_shape="ovr",
                 break_ties=False, random_state=None):
        self.C = C
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.shrinking = shrinking
        self.probability = probability
        self.tol = tol
        self.cache_size = cache_size
        self.class_weight = class_weight
        self.verbose = verbose
        self.max_iter = max_iter
        self.decision_function_shape = decision_function_shape
        self.break_ties = break_ties
        self.random_state = random_state

    # --- fitting ---------------------------------------------------------------------------
    def _class_weights(self, y_enc, n_classes):
        cw = self.class_weight
        if cw is None:
            return np.ones(n_classes)
        if isinstance(cw, str):
            if cw != "balanced":
                raise InvalidParameterError(
                    f"The 'class_weight' parameter must be a dict, 'balanced' or None, got {cw!r}"
                )
            counts = np.bincount(y_enc, minlength=n_classes)
            return len(y_enc) / (n_classes * counts.astype(np.float64))
        if not isinstance(cw, dict):
            raise InvalidParameterError(
                f"The 'class_weight' parameter must be a dict, 'balanced' or None, got {cw!r}"
            )
        weights = np.ones(n_classes)
        lookup = {c: k for k, c in enumerate(self.classes_.tolist())}
        for label, w in cw.items():
            key = label.item() if isinstance(label, np.generic) else label
            if key not in lookup:
                raise ValueError(
                    f"The classes, {sorted(cw)!r}, are not in class, {self.classes_.tolist()!r}"
                )
            weights[lookup[key]] = w
        return weights

    def fit(self, X, y, sample_weight=None):
        """Train one SMO problem per pair of classes; X (n, d), y (n,) labels of any dtype."""
        self._validate_kernel_params()
        if self.decision_function_shape not in ("ovr", "ovo"):
            raise ValueError(
                "The 'decision_function_shape' parameter must be 'ovr' or 'ovo', got "
                f"{self.decision_function_shape!r}"
            )
        X, y = check_X_y(X, y, estimator=self)
        self._check_precomputed_fit(X)
        sw = check_sample_weight(sample_weight, X.shape[0])
        classes, y_enc = encode_labels(y, estimator=self)
        self.classes_ = classes
        n_classes = len(classes)
        self.class_weight_ = self._class_weights(y_enc, n_classes)
        self.n_features_in_ = X.shape[1]
        self.shape_fit_ = X.shape
        self._gamma = (0.0 if callable(self.kernel) or self.kernel == "precomputed"
                       else resolve_gamma(self.gamma, X))

        keep = np.flatnonzero(sw > 0)
        if keep.size == 0:
            raise ValueError("Invalid input - all samples have zero or negative weights.")
        yk, swk = y_enc[keep], sw[keep]
        if np.unique(yk).size < 2:
            raise ValueError(
                "Invalid input - all samples with positive weights belong to the same class."
            )
        rng = check_random_state(self.random_state)

        # the kernel cache indexes the samples grouped by class (LIBSVM's order), so that each
        # one-vs-one sub-problem is two contiguous blocks of every kernel row
        order = np.argsort(yk, kind="stable")
        kmat = self._kernel_matrix(X, keep, order)
        counts = np.bincount(yk, minlength=n_classes)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        weighted_C = float(self.C) * self.class_weight_
        nonzero = np.zeros(len(yk), dtype=bool)
        pair_alpha, rho, n_iter, probA, probB = [], [], [], [], []
        hit = False
        for a in range(n_classes):
            for b in range(a + 1, n_classes):
                sub_k = np.concatenate([np.arange(starts[a], starts[a] + counts[a]),
                                        np.arange(starts[b], starts[b] + counts[b])])
                sub = order[sub_k]
                ysub = np.concatenate([np.ones(counts[a]), -np.ones(counts[b])])
                if self.probability:
                    A, B = self._platt(kmat, sub_k, ysub, swk[sub], weighted_C[a],
                                       weighted_C[b], rng)
                    probA.append(A)
                    probB.append(B)
                Csub = swk[sub] * np.where(ysub > 0, weighted_C[a], weighted_C[b])
                res = smo_solve(kmat, sub_k, -np.ones(sub.size), ysub, Csub, self.tol,
                                self.shrinking, self.max_iter)
                hit |= res.hit_max_iter
                coef = res.alpha * ysub
                nonzero[sub[np.abs(coef) > 0]] = True
                pair_alpha.append((sub, coef))
                rho.append(res.rho)
                n_iter.append(res.n_iter)
        if hit:
            warnings.warn(
                f"Solver terminated early (max_iter={self.max_iter}). Consider pre-processing "
                "your data with StandardScaler or MinMaxScaler.", ConvergenceWarning,
                stacklevel=2,
            )
        self.fit_status_ = 1 if hit else 0

        # support vectors: grouped by class, ascending original index within a class
        sv_local = order[nonzero[order]]
        self.support_ = keep[sv_local].astype(np.int32)
        self.support_vectors_ = self._support_vectors(X, keep[sv_local])
        self.n_support_ = np.bincount(yk[sv_local], minlength=n_classes).astype(np.int32)
        position = np.full(len(yk), -1)
        position[sv_local] = np.arange(sv_local.size)
        dual = np.zeros((n_classes - 1, sv_local.size))
        p = 0
        for a in range(n_classes):
            for b in range(a + 1, n_classes):
                sub, coef = pair_alpha[p]
                in_a = yk[sub] == a
                pos = position[sub]
                ok = pos >= 0
                dual[b - 1, pos[ok & in_a]] = coef[ok & in_a]
                dual[a, pos[ok & ~in_a]] = coef[ok & ~in_a]
                p += 1
        intercept = -np.asarray(rho)
        self._intercept_ = intercept.copy()
        self._dual_coef_ = dual
        if n_classes == 2:
            intercept = -intercept
            dual = -dual
        self.intercept_ = intercept
        self.dual_coef_ = dual
        self.n_iter_ = np.asarray(n_iter, dtype=np.int32)
        if self.probability:
            self.probA_ = np.asarray(probA)
            self.probB_ = np.asarray(probB)
        return self

    def _platt(self, kmat, sub, ysub, sw, Cp, Cn, rng):
        """(A, B) of Platt's sigmoid from 5-fold out-of-fold decision values (LIBSVM's way)."""
        n = sub.size
        perm = rng.permutation(n)
        dec = np.empty(n)
        for fold in range(5):
            begin, end = fold * n // 5, (fold + 1) * n // 5
            test = perm[begin:end]
            train = np.concatenate([perm[:begin], perm[end:]])
            ytr = ysub[train]
            n_pos = int((ytr > 0).sum())
            n_neg = ytr.size - n_pos
            if n_pos == 0 and n_neg == 0:
                dec[test] = 0.0
            elif n_neg == 0:
                dec[test] = 1.0
            elif n_pos == 0:
                dec[test] = -1.0
            else:
                # LIBSVM re-groups the fold's data by sorted label: the -1 class first
                train = np.concatenate([train[ytr < 0], train[ytr > 0]])
                ytr = ysub[train]
                Ctr = sw[train] * np.where(ytr > 0, Cp, Cn)
                res = smo_solve(kmat, sub[train], -np.ones(train.size), ytr * -1.0,
                                Ctr, self.tol, self.shrinking, self.max_iter)
                keep = res.alpha > 0
                coef = (res.alpha * ytr)[keep]
                Kt = kmat.block(sub[test], sub[train][keep], single=False)
                dec[test] = Kt @ coef + res.rho
        return sigmoid_train(dec, ysub)

    # --- prediction ------------------------------------------------------------------------
    def _ovo_decision(self, X):
        """LIBSVM's pairwise decision values (positive: the first class of the pair)."""
        K = self._kernel_to_sv(X)
        n_classes = len(self.classes_)
        starts = np.concatenate([[0], np.cumsum(self.n_support_)])
        out = np.empty((X.shape[0], n_classes * (n_classes - 1) // 2))
        p = 0
        for a in range(n_classes):
            sa = slice(starts[a], starts[a + 1])
            for b in range(a + 1, n_classes):
                sb = slice(starts[b], starts[b + 1])
                out[:, p] = (K[:, sa] @ self._dual_coef_[b - 1, sa]
                             + K[:, sb] @ self._dual_coef_[a, sb] + self._intercept_[p])
                p += 1
        return out

    def decision_function(self, X):
        """Signed distances to the separating hyperplanes.

        Binary: shape (n,), positive for ``classes_[1]``. Multi-class: 'ovo' gives the
        k(k-1)/2 pairwise values (positive for the pair's first class); 'ovr' gives (n, k)
        scores votes + Σconf/(3(|Σconf| + 1)), scikit-learn's monotone aggregation.
        """
        X = self._validate_for_predict(X)
        dec = self._ovo_decision(X)
        n_classes = len(self.classes_)
        if n_classes == 2:
            return -dec[:, 0]
        if self.decision_function_shape == "ovr":
            return _ovr_decision(dec, n_classes)
        return dec

    def predict(self, X):
        """Class labels by one-vs-one voting (ties to the lower class index), shape (n,)."""
        X = self._validate_for_predict(X)
        if self.break_ties and self.decision_function_shape == "ovo":
            raise InvalidParameterError(
                "break_ties must be False when decision_function_shape is 'ovo'"
            )
        n_classes = len(self.classes_)
        dec = self._ovo_decision(X)
        if n_classes == 2:
            return self.classes_[(dec[:, 0] <= 0).astype(np.intp)]
        if self.break_ties:
            return self.classes_[np.argmax(_ovr_decision(dec, n_classes), axis=1)]
        return self.classes_[np.argmax(_votes(dec, n_classes), axis=1)]

    def _check_proba(self):
        if not self.probability:
            raise AttributeError("predict_proba is not available when probability=False")
        if hasattr(self, "support_") and not hasattr(self, "probA_"):
            raise NotFittedError("predict_proba is not available when fitted with "
                                 "probability=False")

    @property
    def predict_proba(self):
        """P(class | x) by pairwise Platt sigmoids and pairwise coupling: (n, k), rows sum to 1.

        Available only with ``probability=True`` (an AttributeError otherwise, as
        scikit-learn, so ``hasattr(svc, 'predict_proba')`` tells).
        """
        self._check_proba()
        return self._predict_proba

    @property
    def predict_log_proba(self):
        """log of ``predict_proba``."""
        self._check_proba()
        return self._predict_log_proba

    def _predict_proba(self, X):
        X = self._validate_for_predict(X)
        if not hasattr(self, "probA_"):
            raise NotFittedError("predict_proba needs a model fitted with probability=True")
        dec = self._ovo_decision(X)
        n_classes = len(self.classes_)
        pr = sigmoid_predict(dec, self.probA_[None, :], self.probB_[None, :])
        pr = np.clip(pr, 1e-7, 1 - 1e-7)
        r = np.zeros((X.shape[0], n_classes, n_classes))
        iu = np.triu_indices(n_classes, k=1)
        r[:, iu[0], iu[1]] = pr
        r[:, iu[1], iu[0]] = 1 - pr
        if n_classes == 2:
            return np.stack([pr[:, 0], 1 - pr[:, 0]], axis=1)
        return pairwise_coupling(r)

    def _predict_log_proba(self, X):
        return np.log(self._predict_proba(X))


def _votes(dec, n_classes):
    iu = np.triu_indices(n_classes, k=1)
    votes = np.zeros((dec.shape[0], n_classes))
    pos = dec > 0
    for p, (a, b) in enumerate(zip(*iu)):
        votes[:, a] += pos[:, p]
        votes[:, b] += ~pos[:, p]
    return votes


def _ovr_decision(dec, n_classes):
    """scikit-learn's one-vs-rest scores from one-vs-one values ``dec`` (n, k(k-1)/2)."""
    votes = np.zeros((dec.shape[0], n_classes))
    conf = np.zeros((dec.shape[0], n_classes))
    pred_b = dec < 0
    iu = np.triu_indices(n_classes, k=1)
    for p, (a, b) in enumerate(zip(*iu)):
        conf[:, a] += dec[:, p]
        conf[:, b] -= dec[:, p]
        votes[:, a] += ~pred_b[:, p]
        votes[:, b] += pred_b[:, p]
    return votes + conf / (3 * (np.abs(conf) + 1))


class SVR(RegressorMixin, _BaseLibSVM):
    """ε-support vector regression, trained by SMO on the 2n-variable dual (as LIBSVM).

    Variables (α, α*) ∈ [0, C]²ⁿ, linear term p = (ε - y, ε + y), signs (+1ⁿ, -1ⁿ), and
    Q = [[K, -K], [-K, K]] — read through the same kernel-row cache (each of the 2n variables
    maps to its sample's row). The fitted function is f(x) = Σᵢ (αᵢ - αᵢ*) K(xᵢ, x) + b.

    Fitted attributes: ``support_``, ``support_vectors_``, ``dual_coef_`` (1, n_SV) = α - α*,
    ``intercept_`` (1,) = b = -ρ, ``n_support_``, ``n_iter_``, ``fit_status_``,
    ``shape_fit_``, ``n_features_in_``. Kernels and ``kernel='precomputed'`` as for ``SVC``.
    """

    def __init__(self, *, kernel="rbf", degree=3, gamma="scale", coef0=0.0, tol=1e-3, C=1.0,
                 epsilon=0.1, shrinking=True, cache_size=200, verbose=False, max_iter=-1):
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.tol = tol
        self.C = C
        self.epsilon = epsilon
        self.shrinking = shrinking
        self.cache_size = cache_size
        self.verbose = verbose
        self.max_iter = max_iter

    def fit(self, X, y, sample_weight=None):
        """Fit on X (n, d) and real targets y (n,)."""
        self._validate_kernel_params()
        _check_positive("epsilon", self.epsilon, strict=False)
        X, y = check_X_y(X, y, y_numeric=True, estimator=self)
        self._check_precomputed_fit(X)
        y = np.asarray(y, dtype=np.float64)
        sw = check_sample_weight(sample_weight, X.shape[0])
        self.n_features_in_ = X.shape[1]
        self.shape_fit_ = X.shape
        self._gamma = (0.0 if callable(self.kernel) or self.kernel == "precomputed"
                       else resolve_gamma(self.gamma, X))
        keep = np.flatnonzero(sw > 0)
        if keep.size == 0:
            raise ValueError("Invalid input - all samples have zero or negative weights.")
        yk, swk = y[keep], sw[keep]
        n = len(yk)
        kmat = self._kernel_matrix(X, keep)
        eps = float(self.epsilon)
        p = np.concatenate([eps - yk, eps + yk])
        signs = np.concatenate([np.ones(n), -np.ones(n)])
        Cv = np.tile(swk * float(self.C), 2)
        res = smo_solve(kmat, np.tile(np.arange(n), 2), p, signs, Cv, self.tol,
                        self.shrinking, self.max_iter)
        if res.hit_max_iter:
            warnings.warn(
                f"Solver terminated early (max_iter={self.max_iter}). Consider pre-processing "
                "your data with StandardScaler or MinMaxScaler.", ConvergenceWarning,
                stacklevel=2,
            )
        self.fit_status_ = int(res.hit_max_iter)
        coef = res.alpha[:n] - res.alpha[n:]
        sv = np.flatnonzero(coef != 0)
        self.support_ = keep[sv].astype(np.int32)
        self.support_vectors_ = self._support_vectors(X, keep[sv])
        self.dual_coef_ = coef[sv][None, :]
        self.intercept_ = np.array([-res.rho])
        self.n_support_ = np.array([sv.size], dtype=np.int32)
        self.n_iter_ = res.n_iter
        return self

    def predict(self, X):
        """f(x) = Σ dual_coefᵢ K(svᵢ, x) + intercept, shape (n,)."""
        X = self._validate_for_predict(X)
        return self._kernel_to_sv(X) @ self.dual_coef_[0] + self.intercept_[0]

    @property
    def coef_(self):
        """w = Σ (αᵢ - αᵢ*) xᵢ (linear kernel only): shape (1, d)."""
        return _BaseLibSVM.coef_.fget(self)
