"""``LinearSVC``: a linear SVM in the primal weights, solved by dual coordinate descent.

Objective (scikit-learn's / liblinear's, per binary problem with labels yᵢ ∈ {±1})::

    min_w  ½‖w‖² + Σᵢ Cᵢ ℓ(yᵢ wᵀx̃ᵢ),   ℓ(m) = max(0, 1 - m)  ('hinge')
                                         ℓ(m) = max(0, 1 - m)²  ('squared_hinge', the default)

with x̃ᵢ = (xᵢ, intercept_scaling) when ``fit_intercept`` — the intercept is an extra weight on
a constant feature and is therefore *regularised* (as in liblinear; a large intercept_scaling
weakens that). Cᵢ = C · class_weight · sample_weight.

Solver: dual coordinate descent (Hsieh, Chang, Lin, Keerthi & Sundararajan 2008, liblinear's
default for this problem). The dual is the box-constrained QP
    min_α ½ αᵀQ̄α - 1ᵀα,  0 ≤ αᵢ ≤ Uᵢ,   Q̄ᵢⱼ = yᵢyⱼ x̃ᵢᵀx̃ⱼ + Dᵢᵢ δᵢⱼ
with (Uᵢ, Dᵢᵢ) = (Cᵢ, 0) for hinge and (∞, 1/(2Cᵢ)) for squared hinge, and w = Σᵢ αᵢyᵢx̃ᵢ.
There is no equality constraint (no unregularised b), so one coordinate at a time can be
optimised exactly:
    Gᵢ = yᵢ wᵀx̃ᵢ - 1 + Dᵢᵢαᵢ,   αᵢ ← clip(αᵢ - Gᵢ/Q̄ᵢᵢ, 0, Uᵢ),   w ← w + (Δαᵢ) yᵢ x̃ᵢ,
each O(d) because w is kept up to date. Coordinates are visited in a fresh random order each
epoch (``random_state``); the solver stops when the spread of the projected gradient
max PGᵢ - min PGᵢ over an epoch is ≤ ``tol`` (liblinear's rule) or after ``max_iter`` epochs.
Unlike liblinear this implementation does not shrink, and the coordinate loop is a Python loop
(one O(d) NumPy step per coordinate): coordinate descent is inherently sequential, so it cannot
be vectorised over samples — it is the one non-vectorised hot loop of this package and is
meant for small and medium problems.

Multi-class: one-vs-rest as liblinear — class k against the rest, the positive class weighted
C·class_weight[k] and the rest plain C.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from whiteboard.ml.base import (
    BaseEstimator,
    ClassifierMixin,
    check_is_fitted,
    check_n_features,
    check_random_state,
    check_sample_weight,
    encode_labels,
)
from whiteboard.ml.svm._validation import InvalidParameterError, validate_X, validate_X_y

__all__ = ["LinearSVC", "dual_cd_svm"]


def dual_cd_svm(Xt, y, C, loss, tol, max_iter, rng):
    """Dual coordinate descent for the L2-regularised (squared) hinge loss SVM.

    ``Xt`` (n, d) already augmented, ``y`` ∈ {±1} (n,), ``C`` per-sample (n,). Returns
    ``(w, n_epochs, converged)``.
    """
    n, d = Xt.shape
    if loss == "hinge":
        diag = np.zeros(n)
        upper = C.astype(np.float64)
    else:
        diag = 0.5 / C
        upper = np.full(n, np.inf)
    QD = diag + np.einsum("ij,ij->i", Xt, Xt)
    alpha = np.zeros(n)
    w = np.zeros(d)
    rows = list(Xt)
    ys, qds, diags, ups = y.tolist(), QD.tolist(), diag.tolist(), upper.tolist()
    converged = False
    epoch = 0
    while epoch < max_iter:
        epoch += 1
        pg_max, pg_min = -np.inf, np.inf
        for i in rng.permutation(n).tolist():
            xi = rows[i]
            yi = ys[i]
            a = alpha[i]
            G = yi * float(w @ xi) - 1.0 + a * diags[i]
            U = ups[i]
            if a == 0.0:
                PG = min(G, 0.0)
            elif a == U:
                PG = max(G, 0.0)
            else:
                PG = G
            pg_max = max(pg_max, PG)
            pg_min = min(pg_min, PG)
            if abs(PG) > 1e-12 and qds[i] > 0:
                new = min(max(a - G / qds[i], 0.0), U)
                alpha[i] = new
                w += ((new - a) * yi) * xi
        if pg_max - pg_min <= tol:
            converged = True
            break
    return w, epoch, converged


class LinearSVC(ClassifierMixin, BaseEstimator):
    """Linear support vector classifier (primal weights ``coef_``), liblinear's objective.

    Parameters as scikit-learn: ``penalty`` ('l2' only here), ``loss`` ('hinge' or
    'squared_hinge'), ``dual`` ('auto', True or False — accepted for compatibility; the dual
    coordinate-descent solver is always used, which reaches the same optimum), ``tol``, ``C``,
    ``multi_class`` ('ovr' only), ``fit_intercept``, ``intercept_scaling``, ``class_weight``,
    ``verbose``, ``random_state`` (coordinate order), ``max_iter`` (epochs).

    Fitted: ``coef_`` (1, d) for two classes (positive = ``classes_[1]``) else (k, d),
    ``intercept_`` ((1,) or (k,)) = intercept_scaling · w_bias, ``classes_``, ``n_iter_``
    (max epochs over the binary problems), ``n_features_in_``.
    """

    def __init__(self, penalty="l2", loss="squared_hinge", *, dual="auto", tol=1e-4, C=1.0,
                 multi_class="ovr", fit_intercept=True, intercept_scaling=1,
                 class_weight=None, verbose=0, random_state=None, max_iter=1000):
        self.penalty = penalty
        self.loss = loss
        self.dual = dual
        self.tol = tol
        self.C = C
        self.multi_class = multi_class
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.verbose = verbose
        self.random_state = random_state
        self.max_iter = max_iter

    def _validate_params(self):
        if self.penalty != "l2":
            raise InvalidParameterError(
                f"The 'penalty' parameter of LinearSVC must be 'l2' in this implementation, got "
                f"{self.penalty!r}"
            )
        if self.loss not in ("hinge", "squared_hinge"):
            raise InvalidParameterError(
                f"The 'loss' parameter of LinearSVC must be 'hinge' or 'squared_hinge', got "
                f"{self.loss!r}"
            )
        if self.dual not in ("auto", True, False):
            raise InvalidParameterError(f"The 'dual' parameter must be 'auto', True or False, got "
                             f"{self.dual!r}")
        if self.loss == "hinge" and self.dual is False:
            raise ValueError(
                "Unsupported set of arguments: The combination of penalty='l2' and loss='hinge' "
                "are not supported when dual=False"
            )
        if self.multi_class != "ovr":
            raise InvalidParameterError(
                f"The 'multi_class' parameter must be 'ovr' in this implementation, got "
                f"{self.multi_class!r}"
            )
        for name in ("C", "tol"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, numbers.Real) or not v > 0:
                raise InvalidParameterError(f"The '{name}' parameter must be a float > 0, got {v!r}")
        mi = self.max_iter
        if isinstance(mi, bool) or not isinstance(mi, numbers.Integral) or mi < 0:
            raise InvalidParameterError(f"The 'max_iter' parameter must be an int >= 0, got {mi!r}")
        s = self.intercept_scaling
        if self.fit_intercept and (isinstance(s, bool) or not isinstance(s, numbers.Real)
                                   or not s > 0):
            raise InvalidParameterError(f"intercept_scaling must be > 0 when fit_intercept is True, got {s!r}")

    def fit(self, X, y, sample_weight=None):
        """Fit one (binary) or k (one-vs-rest) linear SVMs; X (n, d), y (n,)."""
        self._validate_params()
        X, y = validate_X_y(X, y, self)
        sw = check_sample_weight(sample_weight, X.shape[0])
        self.classes_, y_enc = encode_labels(y, estimator=self)
        k = len(self.classes_)
        self.n_features_in_ = X.shape[1]
        cw = np.ones(k)
        if self.class_weight == "balanced":
            cw = len(y_enc) / (k * np.bincount(y_enc, minlength=k).astype(np.float64))
        elif isinstance(self.class_weight, dict):
            lookup = {c: i for i, c in enumerate(self.classes_.tolist())}
            for label, wgt in self.class_weight.items():
                key = label.item() if isinstance(label, np.generic) else label
                if key not in lookup:
                    raise ValueError(f"The classes, {sorted(self.class_weight)!r}, are not in "
                                     f"class, {self.classes_.tolist()!r}")
                cw[lookup[key]] = wgt
        elif self.class_weight is not None:
            raise InvalidParameterError(f"The 'class_weight' parameter must be a dict, 'balanced' or None, "
                             f"got {self.class_weight!r}")
        Xt = X
        if self.fit_intercept:
            Xt = np.hstack([X, np.full((X.shape[0], 1), float(self.intercept_scaling))])
        rng = check_random_state(self.random_state)
        C = float(self.C)
        problems = []
        if k == 2:
            yb = np.where(y_enc == 1, 1.0, -1.0)
            problems.append((yb, sw * np.where(yb > 0, C * cw[1], C * cw[0])))
        else:
            for c in range(k):
                yb = np.where(y_enc == c, 1.0, -1.0)
                problems.append((yb, sw * np.where(yb > 0, C * cw[c], C)))
        if not (sw > 0).any():
            raise ValueError("Invalid input - all samples have zero or negative weights.")
        W, epochs, all_converged = [], [], True
        for yb, Ci in problems:
            keep = Ci > 0
            w, ep, conv = dual_cd_svm(Xt[keep], yb[keep], Ci[keep], self.loss, float(self.tol),
                                      int(self.max_iter), rng)
            W.append(w)
            epochs.append(ep)
            all_converged &= conv
        if not all_converged:
            warnings.warn("Liblinear-style dual coordinate descent did not converge; increase "
                          "the number of iterations (max_iter).", UserWarning, stacklevel=2)
        W = np.asarray(W)
        if self.fit_intercept:
            self.coef_ = W[:, :-1].copy()
            self.intercept_ = W[:, -1] * float(self.intercept_scaling)
        else:
            self.coef_ = W
            self.intercept_ = np.zeros(W.shape[0])
        self.n_iter_ = int(max(epochs))
        return self

    def decision_function(self, X):
        """Xwᵀ + b: shape (n,) for two classes (positive = classes_[1]), else (n, k)."""
        check_is_fitted(self, "coef_")
        X = validate_X(X, self)
        check_n_features(self, X)
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict(self, X):
        """classes_[1] where the decision value is > 0 (binary), else the argmax class."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(np.intp)]
        return self.classes_[np.argmax(scores, axis=1)]
