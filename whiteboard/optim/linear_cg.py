"""Linear conjugate gradient: solve Ax = b for a symmetric positive-definite A.

Equivalently, minimise the quadratic f(x) = ½xᵀAx − bᵀx, whose gradient is the negative
residual, ∇f(x) = Ax − b = −r. From x₀, r₀ = b − Ax₀, p₀ = r₀ (Hestenes & Stiefel, 1952;
Nocedal & Wright, Alg. 5.2):

    α_k = r_kᵀr_k / p_kᵀAp_k            (exact line search along p_k)
    x_{k+1} = x_k + α_k p_k,   r_{k+1} = r_k − α_k A p_k
    β_k = r_{k+1}ᵀr_{k+1} / r_kᵀr_k,   p_{k+1} = r_{k+1} + β_k p_k

The directions are A-conjugate (p_iᵀAp_j = 0, i ≠ j) and x_k minimises f over
x₀ + span{r₀, Ar₀, …, A^{k−1}r₀}, so in exact arithmetic CG terminates in at most n steps
(at most the number of distinct eigenvalues of A). Stopping rule as ``scipy.sparse.linalg.cg``:
‖r_k‖ ≤ max(rtol·‖b‖, atol).
"""

from __future__ import annotations

import numpy as np

__all__ = ["cg"]


def cg(A, b, x0=None, *, rtol=1e-5, atol=0.0, maxiter=None, callback=None):
    """Solve ``A x = b`` by conjugate gradients; returns ``(x, info)``.

    ``A`` is an (n, n) SPD array or a callable ``v -> A v``; ``info`` is 0 on convergence, else
    the number of iterations performed (as ``scipy.sparse.linalg.cg``). ``maxiter`` defaults to
    10·n; ``callback(x_k)`` is called after each iteration.
    """
    b = np.asarray(b, dtype=np.float64)
    if b.ndim != 1:
        raise ValueError(f"b must be a vector of shape (n,), got shape {b.shape}")
    n = b.shape[0]
    if callable(A):
        matvec = A
    else:
        A = np.asarray(A, dtype=np.float64)
        if A.shape != (n, n):
            raise ValueError(f"A must have shape ({n}, {n}) to match b of shape {b.shape}, "
                             f"got {A.shape}")
        matvec = A.__matmul__
    x = np.zeros(n) if x0 is None else np.array(x0, dtype=np.float64).reshape(-1)
    if x.shape != (n,):
        raise ValueError(f"x0 must have shape ({n},), got {np.shape(x0)}")
    maxiter = 10 * n if maxiter is None else int(maxiter)
    tol = max(float(rtol) * float(np.linalg.norm(b)), float(atol))
    r = b - matvec(x)
    rr = float(r @ r)
    if np.sqrt(rr) <= tol:
        return x, 0
    p = r.copy()
    for k in range(maxiter):
        Ap = matvec(p)
        pAp = float(p @ Ap)
        if pAp <= 0:
            raise ValueError(f"A is not positive definite: pᵀAp = {pAp:.3g} at iteration {k}")
        alpha = rr / pAp
        x = x + alpha * p
        r = r - alpha * Ap
        rr_new = float(r @ r)
        if callback is not None:
            callback(x)
        if np.sqrt(rr_new) <= tol:
            return x, 0
        p = r + (rr_new / rr) * p
        rr = rr_new
    return x, maxiter
