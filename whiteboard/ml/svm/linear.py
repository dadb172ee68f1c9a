"""``LinearSVC``: a linear SVM in the primal weights (primal Newton or dual coordinate descent).

Objective (scikit-learn's / liblinear's, per binary problem with labels yᵢ ∈ {±1})::

    min_w  ½‖w‖² + Σᵢ Cᵢ ℓ(yᵢ wᵀx̃ᵢ),   ℓ(m) = max(0, 1 - m)  ('hinge')
                                         ℓ(m) = max(0, 1 - m)²  ('squared_hinge', the default)

with x̃ᵢ = (xᵢ, intercept_scaling) when ``fit_intercept`` — the intercept is an extra weight on
a constant feature and is therefore *regularised* (as in liblinear; a large intercept_scaling
weakens that). Cᵢ = C · class_weight · sample_weight.

Solvers (the optimum is unique — the primal is strongly convex — so the choice affects speed,
not the answer):

- 'squared_hinge' (default): the primal is once differentiable and piecewise quadratic, so a
  generalised Newton method converges in a handful of steps, each a vectorised O(n d² + d³)
  (``newton_squared_hinge``). Suited to d up to a few thousand.
- 'hinge': the primal is not differentiable; its dual is solved by dual coordinate descent
  (Hsieh, Chang, Lin, Keerthi & Sundararajan 2008, liblinear's method):
      min_α ½ αᵀQ̄α - 1ᵀα,  0 ≤ αᵢ ≤ Uᵢ,   Q̄ᵢⱼ = yᵢyⱼ x̃ᵢᵀx̃ⱼ + Dᵢᵢ δᵢⱼ
  with (Uᵢ, Dᵢᵢ) = (Cᵢ, 0) for hinge ((∞, 1/(2Cᵢ)) would be squared hinge), and w = Σᵢ αᵢyᵢx̃ᵢ.
  There is no equality constraint (no unregularised b), so one coordinate at a time is
  optimised exactly:
      Gᵢ = yᵢ wᵀx̃ᵢ - 1 + Dᵢᵢαᵢ,   αᵢ ← clip(αᵢ - Gᵢ/Q̄ᵢᵢ, 0, Uᵢ),   w ← w + (Δαᵢ) yᵢ x̃ᵢ,
  each O(d) because w is kept up to date. Coordinates are visited in a fresh random order
  each epoch (``random_state``), variables stuck at a bound are shrunk from the sweep as
  liblinear does, and the solver stops when max PGᵢ - min PGᵢ (projected gradient) over an
  epoch is ≤ ``tol`` on the full set, or after ``max_iter`` epochs. Coordinate descent is
  sequential, so this loop runs in Python, one O(d) NumPy step per coordinate — the one
  non-vectorised hot loop of the package, meant for small and medium n.

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
from whiteboard.validation import InvalidParameterError, check_array, check_X_y

__all__ = ["LinearSVC", "dual_cd_svm", "newton_squared_hinge"]


def dual_cd_svm(Xt, y, C, loss, tol, max_iter, rng):
    """Dual coordinate descent with shrinking for the L2-regularised (squared) hinge SVM.

    ``Xt`` (n, d) already augmented, ``y`` ∈ {±1} (n,), ``C`` per-sample (n,). Returns
    ``(w, n_epochs, converged)``.

    Shrinking (liblinear's rule): a variable at a bound whose gradient points out of the box by
    more than the previous epoch's extreme projected gradient is dropped from the sweep; when
    the active set looks optimal all variables are restored and checked once more.
    """
    n, d = Xt.shape
    if loss == "hinge":
        diag = np.zeros(n)
        upper = C.astype(np.float64)
    else:
        diag = 0.5 / C
        upper = np.full(n, np.inf)
    QD = diag + np.einsum("ij,ij->i", Xt, Xt)
    alpha = [0.0] * n
    w = np.zeros(d)
    rows = list(Xt)
    ys, qds, diags, ups = y.tolist(), QD.tolist(), diag.tolist(), upper.tolist()
    active = list(range(n))
    pg_max_old, pg_min_old = np.inf, -np.inf
    converged = False
    epoch = 0
    while epoch < max_iter:
        epoch += 1
        pg_max, pg_min = -np.inf, np.inf
        order = [active[k] for k in rng.permutation(len(active)).tolist()]
        keep = []
        for i in order:
            xi = rows[i]
            yi = ys[i]
            a = alpha[i]
            G = yi * float(w @ xi) - 1.0 + a * diags[i]
            U = ups[i]
            if a == 0.0:
                if G > pg_max_old:
                    continue
                PG = min(G, 0.0)
            elif a == U:
                if G < pg_min_old:
                    continue
                PG = max(G, 0.0)
            else:
                PG = G
            keep.append(i)
            pg_max = max(pg_max, PG)
            pg_min = min(pg_min, PG)
            if abs(PG) > 1e-12 and qds[i] > 0:
                new = min(max(a - G / qds[i], 0.0), U)
                alpha[i] = new
                w += ((new - a) * yi) * xi
        active = keep
        if pg_max - pg_min <= tol:
            if len(active) == n:
                converged = True
                break
            active = list(range(n))
            pg_max_old, pg_min_old = np.inf, -np.inf
            continue
        pg_max_old = pg_max if pg_max > 0 else np.inf
        pg_min_old = pg_min if pg_min < 0 else -np.inf
    return w, epoch, converged


def newton_squared_hinge(Xt, y, C, tol, max_iter):
    """Primal (generalised) Newton method for ½‖w‖² + Σ Cᵢ max(0, 1 - yᵢ wᵀx̃ᵢ)².

    The objective is convex, piecewise quadratic and once differentiable, with
        ∇f = w - 2 Σ_{i∈A} Cᵢ yᵢ (1 - yᵢ wᵀx̃ᵢ) x̃ᵢ,   H = I + 2 X̃_Aᵀ diag(C_A) X̃_A,
    A = {i : yᵢ wᵀx̃ᵢ < 1} (Keerthi & DeCoste 2005; liblinear's primal solver uses the same
    generalised Hessian inside a trust region). Each step solves H d = -∇f (O(n d² + d³),
    vectorised) and backtracks until the Armijo condition holds; once the active set stops
    changing a full step lands on the exact minimiser. Stops when ‖∇f‖∞ ≤ tol·max(1, ‖∇f(0)‖∞)
    or after ``max_iter`` steps. Returns ``(w, n_steps, converged)``.
    """
    d = Xt.shape[1]
    Z = Xt * y[:, None]

    def f_and_grad(w):
        slack = 1.0 - Z @ w
        act = slack > 0
        s_a = slack[act]
        f = 0.5 * float(w @ w) + float(np.sum(C[act] * s_a * s_a))
        g = w - 2.0 * (Z[act].T @ (C[act] * s_a))
        return f, g, act

    w = np.zeros(d)
    f, g, act = f_and_grad(w)
    g0 = max(1.0, float(np.abs(g).max()))
    for step_no in range(1, max_iter + 1):
        if float(np.abs(g).max()) <= tol * g0:
            return w, step_no - 1, True
        Za = Z[act]
        H = (Za.T * (2.0 * C[act])) @ Za
        H[np.diag_indices(d)] += 1.0
        direction = -np.linalg.solve(H, g)
        slope = float(g @ direction)
        t = 1.0
        while True:
            w_new = w + t * direction
            f_new, g_new, act_new = f_and_grad(w_new)
            if f_new <= f + 1e-4 * t * slope or t < 1e-12:
                break
            t *= 0.5
        w, f, g, act = w_new, f_new, g_new, act_new
    return w, max_iter, float(np.abs(g).max()) <= tol * g0


class LinearSVC(ClassifierMixin, BaseEstimator):
    """Linear support vector classifier (primal weights ``coef_``), liblinear's objective.

    Parameters as scikit-learn: ``penalty`` ('l2' only here), ``loss`` ('hinge' or
    'squared_hinge'), ``dual`` ('auto', True or False — accepted for compatibility; the solver
    is chosen by the loss as described in the module docstring, and reaches the same unique
    optimum), ``tol``, ``C``,
    ``multi_class`` ('ovr' only), ``fit_intercept``, ``intercept_scaling``, ``class_weight``,
    ``verbose``, ``random_state`` (coordinate order), ``max_iter`` (epochs).

    Fitted: ``coef_`` (1, d) for two classes (positive = ``classes_[1]``) else (k, d),
    ``intercept_`` ((1,) or (k,)) = intercept_scaling · w_bias, ``classes_``, ``n_iter_``
    (the most Newton steps or CD epochs over the binary problems), ``n_features_in_``.
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
                raise InvalidParameterError(
                    f"The '{name}' parameter must be a float > 0, got {v!r}")
        mi = self.max_iter
        if isinstance(mi, bool) or not isinstance(mi, numbers.Integral) or mi < 0:
            raise InvalidParameterError(f"The 'max_iter' parameter must be an int >= 0, got {mi!r}")
        s = self.intercept_scaling
        if self.fit_intercept and (isinstance(s, bool) or not isinstance(s, numbers.Real)
                                   or not s > 0):
            raise InvalidParameterError(
                f"intercept_scaling must be > 0 when fit_intercept is True, got {s!r}")

    def fit(self, X, y, sample_weight=None):
        """Fit one (binary) or k (one-vs-rest) linear SVMs; X (n, d), y (n,)."""
        self._validate_params()
        X, y = check_X_y(X, y, estimator=self)
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
            raise InvalidParameterError(
                f"The 'class_weight' parameter must be a dict, 'balanced' or None, "
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
            if self.loss == "squared_hinge":
                w, ep, conv = newton_squared_hinge(Xt[keep], yb[keep], Ci[keep],
                                                   float(self.tol), int(self.max_iter))
            else:
                w, ep, conv = dual_cd_svm(Xt[keep], yb[keep], Ci[keep], self.loss,
                                          float(self.tol), int(self.max_iter), rng)
            W.append(w)
            epochs.append(ep)
            all_converged &= conv
        if not all_converged:
            warnings.warn(f"LinearSVC's solver did not converge to tol={self.tol} within "
                          f"max_iter={self.max_iter}; increase the number of iterations.",
                          UserWarning, stacklevel=2)
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
        X = check_array(X, estimator=self)
        check_n_features(self, X)
        scores = X @ self.coef_.T + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict(self, X):
        """classes_[1] where the decision value is > 0 (binary), else the argmax class."""
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(np.intp)]
        return self.classes_[np.argmax(scores, axis=1)]
