"""t-distributed stochastic neighbour embedding (van der Maaten & Hinton 2008), exact gradient.

Input affinities: for each point i a Gaussian over the others,
    p_{j|i} = exp(−β_i ‖x_i − x_j‖²) / Σ_{k≠i} exp(−β_i ‖x_i − x_k‖²),
with β_i = 1 / (2σ_i²) found by binary search so that the entropy H(P_i) = −Σ_j p_{j|i} ln p_{j|i}
equals ln(perplexity) (to 1e-5); then p_ij = (p_{j|i} + p_{i|j}) / Σ (symmetrised, sums to 1).

Output affinities with a Student-t kernel of ν = max(n_components − 1, 1) degrees of freedom:
    q_ij ∝ (1 + ‖y_i − y_j‖² / ν)^(−(ν + 1) / 2),  Σ_{i≠j} q_ij = 1.
Cost KL(P‖Q) = Σ_{i≠j} p_ij ln(p_ij / q_ij), gradient
    ∂KL/∂y_i = (2(ν + 1)/ν) Σ_j (p_ij − q_ij)(1 + ‖y_i − y_j‖²/ν)^(−(ν+1)/2) (y_i − y_j)
(= 4 Σ_j (p_ij − q_ij)(y_i − y_j)/(1 + ‖y_i − y_j‖²) in 2-D), computed for all pairs at once.

Optimisation as in the paper and scikit-learn: gradient descent with momentum (0.5 for the first
250 iterations, 0.8 after), early exaggeration (P × 12 during those 250 iterations), and
per-parameter gains (Jacobs 1988: +0.2 when the gradient changes sign against the update,
×0.8 otherwise, floored at 0.01). Learning rate 'auto' = max(n / early_exaggeration / 4, 50).
The progress checks every 50 iterations stop when the KL has not improved for
``n_iter_without_progress`` iterations or the gradient norm is below ``min_grad_norm``.

Cost O(n²) memory and time per iteration: meant for a few thousand points (hidden-layer
activations of a test set); the Barnes-Hut approximation is not implemented.
"""

from __future__ import annotations

import numbers

import numpy as np

from ...metrics.pairwise import euclidean_distances
from ..base import BaseEstimator, check_random_state
from ..cluster._kmeans import check_real_array
from ..decomposition import PCA

__all__ = ["TSNE", "conditional_probabilities", "joint_probabilities", "kl_divergence_grad"]

MACHINE_EPSILON = np.finfo(np.double).eps
_EPSILON_DBL = 1e-8
_PERPLEXITY_TOLERANCE = 1e-5


def conditional_probabilities(sq_distances, perplexity, n_steps=100):
    """Rows p_{j|i} (n, n) whose entropy is ln(perplexity) (binary search on β_i, all rows
    at once; rows that have converged drop out of the search).

    ``sq_distances`` (n, n) squared distances. The search doubles/halves β until the entropy is
    bracketed, then bisects, as scikit-learn's; it stops when |H − ln perplexity| ≤ 1e-5.
    """
    D = np.asarray(sq_distances, dtype=np.float64)
    n = D.shape[0]
    target = np.log(perplexity)
    beta = np.ones(n)
    lo = np.full(n, -np.inf)
    hi = np.full(n, np.inf)
    P = np.zeros((n, n))
    active = np.arange(n)
    for _ in range(n_steps):
        if active.size == 0:
            break
        Da = D[active]
        Pa = np.exp(-Da * beta[active, None])
        Pa[np.arange(active.size), active] = 0.0
        s = Pa.sum(axis=1)
        s[s == 0.0] = _EPSILON_DBL
        Pa /= s[:, None]
        entropy = np.log(s) + beta[active] * np.einsum("ij,ij->i", Da, Pa)
        P[active] = Pa
        diff = entropy - target
        done = np.abs(diff) <= _PERPLEXITY_TOLERANCE
        b, l_, h = beta[active], lo[active], hi[active]
        up = (diff > 0) & ~done
        down = (diff <= 0) & ~done
        l_ = np.where(up, b, l_)
        h = np.where(down, b, h)
        b = np.where(up, np.where(np.isinf(h), b * 2.0, (b + h) / 2.0), b)
        b = np.where(down, np.where(np.isinf(l_), b / 2.0, (b + l_) / 2.0), b)
        beta[active], lo[active], hi[active] = b, l_, h
        active = active[~done]
    return P


def joint_probabilities(sq_distances, perplexity):
    """Symmetric p_ij = (p_{j|i} + p_{i|j}) / Σ, floored at machine epsilon off the diagonal
    (diagonal 0): (n, n)."""
    cond = conditional_probabilities(sq_distances, perplexity)
    P = cond + cond.T
    P /= max(P.sum(), MACHINE_EPSILON)
    np.maximum(P, MACHINE_EPSILON, out=P)
    np.fill_diagonal(P, 0.0)
    return P


def _student_t_kernel(Y, degrees_of_freedom):
    """(1 + ‖y_i − y_j‖²/ν)^(−(ν+1)/2) for all pairs, zero diagonal: (n, n).

    The squared distances use the expansion ‖y_i‖² + ‖y_j‖² − 2 y_i·y_j (one GEMM); its
    rounding error (~1e-16 ‖y‖²) is negligible next to the 1 in the kernel.
    """
    sq = np.einsum("ij,ij->i", Y, Y)
    num = np.matmul(Y, -2.0 * Y.T)
    if degrees_of_freedom == 1:
        num += (sq + 1.0)[:, None]
        num += sq[None, :]
        np.maximum(num, 1.0, out=num)
        np.reciprocal(num, out=num)
    else:
        num += sq[:, None]
        num += sq[None, :]
        np.maximum(num, 0.0, out=num)
        num /= degrees_of_freedom
        num += 1.0
        num **= (degrees_of_freedom + 1.0) / -2.0
    np.fill_diagonal(num, 0.0)
    return num


def kl_divergence_grad(params, P, degrees_of_freedom, n_samples, n_components,
                       compute_error=True):
    """KL(P‖Q) and its gradient (flattened, (n·n_components,)) for the embedding ``params``.

    ``P`` (n, n) joint probabilities with a zero diagonal.
    """
    Y = params.reshape(n_samples, n_components)
    num = _student_t_kernel(Y, degrees_of_freedom)
    PQd = num * (1.0 / num.sum())
    np.maximum(PQd, MACHINE_EPSILON, out=PQd)  # Q, floored as scikit-learn's
    if compute_error:
        off = ~np.eye(n_samples, dtype=bool)
        Q_off = PQd[off]
        P_off = P[off]
        kl = float(np.dot(P_off, np.log(np.maximum(P_off, MACHINE_EPSILON) / Q_off)))
    else:
        kl = np.nan
    np.subtract(P, PQd, out=PQd)
    PQd *= num
    grad = PQd.sum(axis=1)[:, None] * Y - PQd @ Y
    grad *= 2.0 * (degrees_of_freedom + 1.0) / degrees_of_freedom
    return kl, grad.ravel()


def gradient_descent(objective, p0, it, max_iter, n_iter_check=50, n_iter_without_progress=300,
                     momentum=0.8, learning_rate=200.0, min_gain=0.01, min_grad_norm=1e-7,
                     args=None):
    """Momentum gradient descent with Jacobs gains; returns (params, last KL, last iteration)."""
    args = args or []
    p = np.array(p0, dtype=np.float64).ravel()
    update = np.zeros_like(p)
    gains = np.ones_like(p)
    error = np.finfo(float).max
    best_error = np.finfo(float).max
    best_iter = i = it
    for i in range(it, max_iter):
        check = (i + 1) % n_iter_check == 0
        error, grad = objective(p, *args, compute_error=check or i == max_iter - 1)
        inc = update * grad < 0.0
        gains[inc] += 0.2
        gains[~inc] *= 0.8
        np.clip(gains, min_gain, np.inf, out=gains)
        grad *= gains
        update = momentum * update - learning_rate * grad
        p += update
        if check:
            grad_norm = np.linalg.norm(grad)
            if error < best_error:
                best_error, best_iter = error, i
            elif i - best_iter > n_iter_without_progress:
                break
            if grad_norm <= min_grad_norm:
                break
    return p, error, i


class TSNE(BaseEstimator):
    """t-SNE embedding with the exact O(n²) gradient (see the module docstring).

    Parameters as scikit-learn's ``TSNE``: ``n_components``, ``perplexity``,
    ``early_exaggeration``, ``learning_rate`` ('auto' or a number), ``max_iter`` (≥ 250),
    ``n_iter_without_progress``, ``min_grad_norm``, ``metric`` ('euclidean' or 'precomputed'
    distances, squared internally), ``init`` ('pca', 'random' or an (n, n_components) array),
    ``random_state``, ``method`` (only 'exact'; scikit-learn's default 'barnes_hut' is not
    implemented, hence the different default), ``angle``, ``n_jobs``, ``metric_params``
    (accepted, unused).

    Attributes: ``embedding_`` (n, n_components), ``kl_divergence_``, ``n_iter_``,
    ``learning_rate_``, ``n_features_in_``.
    """

    _EXPLORATION_MAX_ITER = 250
    _N_ITER_CHECK = 50

    def __init__(self, n_components=2, *, perplexity=30.0, early_exaggeration=12.0,
                 learning_rate="auto", max_iter=1000, n_iter_without_progress=300,
                 min_grad_norm=1e-7, metric="euclidean", metric_params=None, init="pca",
                 random_state=None, method="exact", angle=0.5, n_jobs=None):
        self.n_components = n_components
        self.perplexity = perplexity
        self.early_exaggeration = early_exaggeration
        self.learning_rate = learning_rate
        self.max_iter = max_iter
        self.n_iter_without_progress = n_iter_without_progress
        self.min_grad_norm = min_grad_norm
        self.metric = metric
        self.metric_params = metric_params
        self.init = init
        self.random_state = random_state
        self.method = method
        self.angle = angle
        self.n_jobs = n_jobs

    def _check_params(self, X):
        if self.method != "exact":
            raise ValueError(f"method must be 'exact' (Barnes-Hut is not implemented), got "
                             f"{self.method!r}")
        if self.metric not in ("euclidean", "precomputed"):
            raise ValueError(f"metric must be 'euclidean' or 'precomputed', got {self.metric!r}")
        if not isinstance(self.perplexity, numbers.Real) or self.perplexity <= 0:
            raise ValueError(f"perplexity must be a positive number, got {self.perplexity!r}")
        if self.perplexity >= X.shape[0]:
            raise ValueError(f"perplexity ({self.perplexity}) must be less than n_samples "
                             f"({X.shape[0]})")
        if not isinstance(self.max_iter, numbers.Integral) or self.max_iter < 250:
            raise ValueError(f"max_iter must be an integer >= 250, got {self.max_iter!r}")
        if self.early_exaggeration < 1:
            raise ValueError(f"early_exaggeration must be at least 1, got "
                             f"{self.early_exaggeration!r}")

    def _fit(self, X):
        X = check_real_array(X, estimator=self)
        self._check_params(X)
        n = X.shape[0]
        if self.learning_rate == "auto":
            self.learning_rate_ = max(n / self.early_exaggeration / 4, 50.0)
        else:
            self.learning_rate_ = float(self.learning_rate)
        if self.metric == "precomputed":
            if isinstance(self.init, str) and self.init == "pca":
                raise ValueError('The parameter init="pca" cannot be used with '
                                 'metric="precomputed".')
            if X.shape[0] != X.shape[1]:
                raise ValueError(f"X should be a square distance matrix, got shape {X.shape}")
            if (X < 0).any():
                raise ValueError("TSNE.fit(). With metric='precomputed', X should contain "
                                 "positive distances.")
            D = X ** 2
        else:
            D = euclidean_distances(X, squared=True)
        P = joint_probabilities(D, self.perplexity)
        rng = check_random_state(self.random_state)
        k = self.n_components
        if isinstance(self.init, str) and self.init == "pca":
            Y = PCA(n_components=k).fit_transform(X)
            Y = Y / np.std(Y[:, 0]) * 1e-4
        elif isinstance(self.init, str) and self.init == "random":
            Y = 1e-4 * rng.standard_normal((n, k))
        elif not isinstance(self.init, str):
            Y = np.asarray(self.init, dtype=np.float64)
            if Y.shape != (n, k):
                raise ValueError(f"init array must have shape {(n, k)}, got {Y.shape}")
        else:
            raise ValueError(f"init must be 'pca', 'random' or an array, got {self.init!r}")
        dof = max(k - 1, 1)
        args = [P * self.early_exaggeration, dof, n, k]
        common = {"n_iter_check": self._N_ITER_CHECK, "min_grad_norm": self.min_grad_norm,
                  "learning_rate": self.learning_rate_, "args": args}
        params, kl, it = gradient_descent(
            kl_divergence_grad, Y, 0, self._EXPLORATION_MAX_ITER, momentum=0.5,
            n_iter_without_progress=self._EXPLORATION_MAX_ITER, **common)
        args[0] = P
        if it < self._EXPLORATION_MAX_ITER or self.max_iter > self._EXPLORATION_MAX_ITER:
            params, kl, it = gradient_descent(
                kl_divergence_grad, params, it + 1, self.max_iter, momentum=0.8,
                n_iter_without_progress=self.n_iter_without_progress, **common)
        self.n_features_in_ = X.shape[1]
        self.n_iter_ = it
        self.kl_divergence_ = kl
        self.embedding_ = params.reshape(n, k)
        return self.embedding_

    def fit_transform(self, X, y=None):
        """Embed ``X`` (n, d) (or an (n, n) distance matrix): (n, n_components)."""
        return self._fit(X)

    def fit(self, X, y=None):
        """Embed ``X``; the result is ``embedding_``."""
        self._fit(X)
        return self
