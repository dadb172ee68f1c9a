"""Sequential minimal optimisation (SMO) with second-order working-set selection.

The problem (LIBSVM's general form, which covers C-SVC and ε-SVR)::

    min_α  f(α) = ½ αᵀQα + pᵀα     s.t.  yᵀα = 0,   0 ≤ αᵢ ≤ Cᵢ,     yᵢ ∈ {+1, -1}

with Qᵢⱼ = yᵢ yⱼ K(xᵢ, xⱼ). For C-SVC p = -1 (the vector of minus ones); for ε-SVR there are 2n
variables (α, α*) with p = (ε - y, ε + y) and signs (+1…, -1…).

KKT conditions. With the gradient G = ∇f(α) = Qα + p, α is optimal iff there is a b with
    -yᵢGᵢ ≤ b  for i ∈ I_up(α)  = {αᵢ < Cᵢ, yᵢ = +1} ∪ {αᵢ > 0, yᵢ = -1}
    -yᵢGᵢ ≥ b  for i ∈ I_low(α) = {αᵢ < Cᵢ, yᵢ = -1} ∪ {αᵢ > 0, yᵢ = +1}
i.e. m(α) = max_{I_up} -yᵢGᵢ ≤ M(α) = min_{I_low} -yᵢGᵢ. The solver stops when the maximal
violation m(α) - M(α) < tol (scikit-learn's ``tol``, LIBSVM's ``eps``).

Working-set selection (WSS2 of Fan, Chen & Lin 2005, "Working set selection using second order
information"):
    i = argmax_{t ∈ I_up} -y_t G_t
    j = argmin_{t ∈ I_low, -y_t G_t < -y_i G_i}  -(b_it)² / a_it
with b_it = -yᵢGᵢ + y_t G_t > 0 and a_it = Kᵢᵢ + K_tt - 2Kᵢ_t, floored at τ = 1e-12 (a_it ≤ 0
happens for non-PSD kernels such as sigmoid, and for duplicate points; LIBSVM replaces only
a_it ≤ 0 by τ, which differs only for 0 < a_it < 1e-12). The j chosen maximises the decrease of f
along the feasible direction, using the second-order (curvature) term — the first-order rule
(maximal violating pair) ignores a_it.

The SMO update solves the two-variable sub-problem exactly: with everything but αᵢ, αⱼ fixed
and yᵢαᵢ + yⱼαⱼ constant, f is a one-dimensional quadratic in the step along that line with
curvature a_ij, so the unconstrained minimiser is
    yᵢ ≠ yⱼ:  δ = (-Gᵢ - Gⱼ)/a_ij,  αᵢ += δ, αⱼ += δ
    yᵢ = yⱼ:  δ = ( Gᵢ - Gⱼ)/a_ij,  αᵢ -= δ, αⱼ += δ
which is then clipped back into the box [0, Cᵢ] × [0, Cⱼ] along the line. The gradient cache is
updated with the two kernel columns only,
    G ← G + Q_{:,i} Δαᵢ + Q_{:,j} Δαⱼ,
an O(n) vectorised operation: each iteration costs two kernel rows (cached) and a handful of
NumPy passes over the active variables; the Python loop is over iterations only.

Where Numba is installed (``whiteboard.jit``), the iterations and the gradient rebuild run as
compiled loops instead (``smo_compiled.py``): ~17 NumPy calls an iteration cost more than their
arithmetic at a few thousand variables. That path makes the same choices and the same sums in
the same order, so both give the same iterates, bit for bit; ``jit.disabled()`` selects this one.

Shrinking (Joachims 1998; LIBSVM's rules). Every min(n, 1000) iterations, bounded variables
whose gradient says they will stay at their bound (-yG beyond the current m or M) are removed
from the active set, and the work per iteration shrinks with it. G is kept exact on the active
set; a second cache Ḡᵢ = Σ_{j: αⱼ = Cⱼ} Cⱼ Qᵢⱼ lets the full gradient be rebuilt
(G = Ḡ + p + Σ_{free j} Qᵢⱼαⱼ) when the active set is reset — once when the violation falls
below 10·tol, and again before declaring optimality. The shrunk variables are moved to the back
exactly as LIBSVM's swap does, so ties are broken in the same order. Together with kernel
values cached in single precision (as LIBSVM's ``Qfloat``; all other arithmetic in double) and
sums accumulated in LIBSVM's order, the iterates are LIBSVM's: the tests find the same
iteration counts and support vectors as scikit-learn and decision values equal to ~1e-13.

The offset: b = -ρ where ρ is the mean of yᵢGᵢ over free variables (0 < αᵢ < Cᵢ), or the
midpoint of the feasible interval when there are none; the decision function is
f(x) = Σᵢ yᵢαᵢ K(xᵢ, x) - ρ.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from whiteboard import jit
from whiteboard.ml.svm import smo_compiled as sc

__all__ = [
    "SolverResult",
    "pairwise_coupling",
    "sigmoid_predict",
    "sigmoid_train",
    "smo_solve",
]

TAU = 1e-12


class SolverResult:
    """α (in the caller's variable order), ρ, number of iterations, and whether max_iter hit."""

    __slots__ = ("alpha", "hit_max_iter", "n_iter", "rho")

    def __init__(self, alpha, rho, n_iter, hit_max_iter):
        self.alpha, self.rho, self.n_iter, self.hit_max_iter = alpha, rho, n_iter, hit_max_iter


class _Solver:
    """State of one SMO run; arrays are indexed by *position*, positions [0, active) active.

    The gradient is kept as yG = y ⊙ G (exactly, since y = ±1), which is the quantity WSS2 and
    the KKT test read: -yᵢGᵢ is the "violation" coordinate of variable i.
    """

    def __init__(self, kmat, sample_index, p, y, C, tol, shrinking, max_iter):
        L = len(p)
        self.kmat, self.L, self.tol = kmat, L, float(tol)
        self.shrinking, self.max_iter = bool(shrinking), int(max_iter)
        # the per-variable arrays are rows of three blocks (one argument each for the
        # compiled loop, see smo_compiled.py); the attributes are views of the rows
        self._F = np.zeros((9, L))
        self._B = np.zeros((4, L), dtype=bool)
        self._I = np.empty((2, L), dtype=np.intp)
        (self.y, self.yp, self.C, self.alpha, self.yG, self.yG_bar, self.QD, self.pen_up,
         self.pen_low) = self._F
        self.upper, self.lower, self.I_up, self.I_low = self._B
        self.perm, self.samp = self._I
        self.perm[:] = np.arange(L)
        self.samp[:] = sample_index
        self.y[:] = y
        self.yp[:] = self.y * np.asarray(p, dtype=np.float64)
        self.C[:] = C
        self.yG[:] = self.yp
        self.QD[:] = kmat.diag[self.samp]
        self.upper[:] = self.alpha >= self.C
        self.lower[:] = (self.alpha <= 0) & ~self.upper
        pos = self.y > 0
        self.I_up[:] = np.where(pos, ~self.upper, ~self.lower)
        self.I_low[:] = np.where(pos, ~self.lower, ~self.upper)
        # 0 inside I_up / I_low and ±inf outside: "yG + pen" masks with one addition
        self.pen_up[:] = np.where(self.I_up, 0.0, np.inf)
        self.pen_low[:] = np.where(self.I_low, 0.0, -np.inf)
        self.unshrink = False
        breaks = np.flatnonzero(np.diff(self.samp) != 1) + 1
        bounds = np.concatenate([[0], breaks, [L]])
        segs = [(int(self.samp[s]), int(self.samp[s]) + int(e - s))
                for s, e in pairwise(bounds.tolist())]
        self._segments = segs if len(segs) <= 2 else None
        # scratch space of the per-iteration passes, and the constant operands of np.maximum
        # (an array operand is several times cheaper than a Python scalar)
        self._buf_a, self._buf_b, self._buf_q = np.empty(L), np.empty(L), np.empty(L)
        self._zeros, self._tau = np.zeros(L), np.full(L, TAU)
        self._qd_const = float(self.QD[0]) if L and np.all(self.QD == self.QD[0]) else None
        self._set_active(L)

    def _set_active(self, m):
        """Make positions [0, m) active, and cache the views of the per-iteration passes.

        yG and the I_up penalty are also viewed reversed: adding them into a contiguous buffer
        makes a forward argmin find the *last* minimum, LIBSVM's tie rule, in one pass.
        """
        self.active = m
        self._views = (self.yG[:m], self.pen_low[:m], self._buf_a[:m], self._buf_b[:m],
                       self._buf_q[:m], self._zeros[:m], self._tau[:m],
                       self.QD[:m] if self._qd_const is None else self._qd_const)
        self._rev_up = (self.yG[:m][::-1], self.pen_up[:m][::-1])

    def _active(self, r, m):
        """Entries of a kernel-ordered row ``r`` at positions t < m (``r[samp[:m]]``).

        Until shrinking first reorders the variables, the positions map onto one or two
        contiguous ranges of the kernel row (C-SVC: the two classes' blocks; ε-SVR: the row
        twice), so slices (views) replace the gather.
        """
        seg = self._segments
        if seg is None:
            return r[self.samp[:m]]
        a0, a1 = seg[0]
        if len(seg) == 1 or m <= a1 - a0:
            return r[a0:a0 + m]
        b0 = seg[1][0]
        return np.concatenate((r[a0:a1], r[b0:b0 + m - (a1 - a0)]))

    def _krow(self, i, m):
        """K(x_samp[i], x_samp[t]) for positions t < m (rounded to float32; read-only)."""
        return self._active(self.kmat.row(self.samp[i]), m)

    # --- working-set selection (WSS2) ------------------------------------------------------
    def _select(self):
        m = self.active
        if m == 0:  # everything shrunk: LIBSVM's loops find no pair either
            return None
        yG, pen_low, buf_a, buf_b, buf_q, zeros, tau, QD = self._views
        # the largest -yG in I_up; LIBSVM keeps the last index on ties (its loops use >=, <=)
        up_rev = np.add(*self._rev_up, out=buf_a)
        k = int(up_rev.argmin())
        i = m - 1 - k
        Gmax = -float(up_rev[k])
        if Gmax == -np.inf:
            return None
        grad_diff = np.add(yG, pen_low, out=buf_b)
        grad_diff += Gmax
        Ki = self._krow(i, m)
        # a_it = K_ii + K_tt - 2K_it, with LIBSVM's tau for non-positive curvature (a constant
        # diagonal, as RBF's, is added as a scalar: the same sums, one array less to read)
        quad = np.multiply(Ki, -2.0, out=buf_q, dtype=np.float64)
        quad += QD
        quad += self.QD[i]
        np.maximum(quad, tau, out=quad)
        # gain b_it² / a_it over t in I_low with b_it = -y_iG_i + y_tG_t > 0 (else 0)
        np.maximum(grad_diff, zeros, out=grad_diff)
        gain = np.multiply(grad_diff, grad_diff, out=buf_a)
        gain /= quad
        j = _last_argmax(gain)
        # LIBSVM stops when Gmax + Gmax2 < tol, Gmax2 the largest y_tG_t over I_low; that sum
        # is the largest b_it (rounding is monotone), so b_ij >= tol settles it without a pass
        if grad_diff[j] < self.tol and grad_diff[grad_diff.argmax()] < self.tol:
            return None
        if not gain[j] > 0:
            return None
        return i, j, Ki

    def _set_status(self, t, up, lo):
        self.upper[t], self.lower[t] = up, lo
        if self.y[t] > 0:
            self.I_up[t], self.I_low[t] = not up, not lo
        else:
            self.I_up[t], self.I_low[t] = not lo, not up
        self.pen_up[t] = 0.0 if self.I_up[t] else np.inf
        self.pen_low[t] = 0.0 if self.I_low[t] else -np.inf

    # --- the two-variable update -----------------------------------------------------------
    def _update(self, i, j, Ki):
        m = self.active
        Kj = self._krow(j, m)
        alpha, C, y = self.alpha, self.C, self.y
        yi, yj = float(y[i]), float(y[j])
        Ci, Cj = float(C[i]), float(C[j])
        ai_old, aj_old = float(alpha[i]), float(alpha[j])
        Gi, Gj = yi * float(self.yG[i]), yj * float(self.yG[j])
        quad = float(self.QD[i] + self.QD[j] - 2.0 * Ki[j])
        if quad <= 0:
            quad = TAU
        ai, aj = sc.two_variable_step(yi, yj, Ci, Cj, ai_old, aj_old, Gi, Gj, quad)
        alpha[i], alpha[j] = ai, aj
        # y_t G_t += K_ti y_i Δα_i + K_tj y_j Δα_j  (two kernel columns, O(m)); kernel rows
        # are float32 (as LIBSVM's cache): promoted (dtype) before multiplying
        yG, _, buf_a, buf_b = self._views[:4]
        step = np.multiply(Ki, yi * (ai - ai_old), out=buf_a, dtype=np.float64)
        step += np.multiply(Kj, yj * (aj - aj_old), out=buf_b, dtype=np.float64)
        yG += step

        for t, a, Ct, yt in ((i, ai, Ci, yi), (j, aj, Cj, yj)):
            up = a >= Ct
            lo = a <= 0 and not up
            was_upper = bool(self.upper[t])
            if up == was_upper and lo == bool(self.lower[t]):
                continue
            self._set_status(t, up, lo)
            if was_upper != up:
                coef = -Ct * yt if was_upper else Ct * yt
                self.yG_bar += np.multiply(self._krow(t, self.L), coef, dtype=np.float64)

    # --- shrinking -------------------------------------------------------------------------
    def _reconstruct_gradient(self):
        m, L = self.active, self.L
        if m == L:
            return
        if jit.enabled():
            progress = np.full(1, -1, dtype=np.int64)
            block, slot, stamp, clock = self.kmat.cache()
            while (r := sc.reconstruct_gradient(self._F, self._B, self.samp, block, slot, stamp,
                                                clock, progress, m)) >= 0:
                self.kmat.row(r)
            return
        yG = self.yG
        yG[m:] = self.yG_bar[m:] + self.yp[m:]
        free = np.flatnonzero(~self.upper[:m] & ~self.lower[:m])
        if free.size == 0:
            return
        # one kernel column per free variable, added in position order: the same sums in the
        # same order as LIBSVM, so the rebuilt gradient is bit-identical
        inactive = self.samp[m:]
        for t in free.tolist():
            K_t = self.kmat.row(self.samp[t])[inactive]
            yG[m:] += np.multiply(K_t, self.y[t] * self.alpha[t], dtype=np.float64)

    def _shrink(self):
        m = self.active
        yG = self.yG[:m]
        Gmax1 = np.max(np.where(self.I_up[:m], -yG, -np.inf), initial=-np.inf)
        Gmax2 = np.max(np.where(self.I_low[:m], yG, -np.inf), initial=-np.inf)
        if not self.unshrink and Gmax1 + Gmax2 <= self.tol * 10:
            self.unshrink = True
            self._reconstruct_gradient()
            self._set_active(self.L)
            m = self.L
            yG = self.yG[:m]
        # LIBSVM's be_shrunk: a bounded variable whose -yG lies beyond the current extremes
        shrunk = (~self.I_up[:m] & (-yG > Gmax1)) | (~self.I_low[:m] & (yG > Gmax2))
        front = np.flatnonzero(shrunk)
        back = np.flatnonzero(~shrunk)[::-1]
        k = min(front.size, back.size)
        k = int(np.count_nonzero(front[:k] < back[:k]))
        if k:
            self._segments = None
            a, b = front[:k], back[:k]
            for arr in (self.perm, self.samp, self.y, self.yp, self.C, self.alpha, self.yG,
                        self.yG_bar, self.QD, self.upper, self.lower, self.I_up, self.I_low,
                        self.pen_up, self.pen_low):
                arr[a], arr[b] = arr[b], arr[a].copy()
        self._set_active(m - int(np.count_nonzero(shrunk)))

    def _rho(self):
        y, yG = self.y, self.yG
        pos = y > 0
        upper, lower = self.upper, self.lower
        free = ~upper & ~lower
        if free.any():
            return float(yG[free].mean())
        ub_mask = (upper & ~pos) | (lower & pos)
        lb_mask = (upper & pos) | (lower & ~pos)
        ub = yG[ub_mask].min() if ub_mask.any() else np.inf
        lb = yG[lb_mask].max() if lb_mask.any() else -np.inf
        return float((ub + lb) / 2)

    def solve(self):
        if jit.enabled():
            n_iter, hit_max_iter = self._iterate_compiled()
        else:
            n_iter, hit_max_iter = self._iterate()
        self._reconstruct_gradient()
        self._set_active(self.L)
        alpha = np.empty(self.L)
        alpha[self.perm] = self.alpha
        return SolverResult(alpha, self._rho(), n_iter, hit_max_iter)

    def _iterate(self):
        """The SMO loop in NumPy; returns (iterations, whether max_iter stopped it)."""
        counter = min(self.L, 1000) + 1
        n_iter = 0
        while True:
            if self.max_iter != -1 and n_iter >= self.max_iter:
                return n_iter, True
            counter -= 1
            if counter == 0:
                counter = min(self.L, 1000)
                if self.shrinking:
                    self._shrink()
            sel = self._select()
            if sel is None:
                self._reconstruct_gradient()
                self._set_active(self.L)
                sel = self._select()
                if sel is None:
                    return n_iter, False
                counter = 1
            n_iter += 1
            self._update(*sel)

    def _iterate_compiled(self):
        """The same loop as :meth:`_iterate`, its iterations run by the compiled kernel.

        Kernel rows, shrinking and the gradient reconstruction stay here (NumPy), called when
        the kernel stops for them (see smo_compiled.py); the iterates are the same.
        """
        state = np.zeros(8, dtype=np.int64)
        state[sc.COUNTER] = min(self.L, 1000) + 1
        state[sc.ACTIVE], state[sc.MAX_ITERS] = self.active, self.max_iter
        state[sc.SIZE], state[sc.SHRINKING] = self.L, self.shrinking
        block, slot, stamp, clock = self.kmat.cache()
        iterations = sc.smo_iterations.compiled()  # the Numba dispatcher: one call level less
        while True:
            code = iterations(self._F, self._B, self.samp, block, slot, stamp, clock, state,
                              self.tol)
            if code == sc.NEED_ROW:
                self.kmat.row(int(state[sc.ROW]))
            elif code == sc.SHRINK:
                self._shrink()
                state[sc.ACTIVE] = self.active
            elif code == sc.NO_PAIR:
                self._reconstruct_gradient()
                self._set_active(self.L)
                state[sc.ACTIVE] = self.L
            else:
                return int(state[sc.N_ITER]), code == sc.MAX_ITER


def _last_argmax(a):
    """Index of the last maximum of ``a`` (LIBSVM keeps the last of tied candidates).

    A forward argmax plus an argmax of the tail is cheaper than argmax over a reversed view
    (which NumPy buffers) and than ``max`` (a generic reduction, several times slower than
    ``argmax``); the reversed scan runs only when the maximum is tied.
    """
    k = int(a.argmax())
    tail = a[k + 1:]
    if tail.size and tail[tail.argmax()] == a[k]:
        return a.size - 1 - int(a[::-1].argmax())
    return k


def smo_solve(kmat, sample_index, p, y, C, tol=1e-3, shrinking=True, max_iter=-1):
    """Solve min ½αᵀQα + pᵀα, yᵀα = 0, 0 ≤ α ≤ C by SMO with WSS2 (see the module docstring).

    ``kmat`` is a ``KernelMatrix`` over the training samples; variable t uses kernel row
    ``sample_index[t]`` (so ε-SVR's 2n variables map onto n samples); ``p``, ``y`` (±1) and
    ``C`` have one entry per variable. ``max_iter = -1`` means no limit.
    Returns a ``SolverResult`` (α in the input variable order, ρ, n_iter, hit_max_iter).
    """
    return _Solver(kmat, sample_index, p, y, C, tol, shrinking, max_iter).solve()


def sigmoid_predict(f, A, B):
    """Platt's P(y = +1 | f) = 1 / (1 + exp(A f + B)), evaluated without overflow."""
    z = A * f + B
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))


def sigmoid_train(dec, labels, max_iter=100, min_step=1e-10, sigma=1e-12, eps=1e-5):
    """Fit Platt's sigmoid P(y=+1|f) = 1/(1 + exp(A f + B)) to decision values ``dec``.

    Minimises the cross-entropy Σ -tᵢ log pᵢ - (1 - tᵢ) log(1 - pᵢ) with Platt's smoothed
    targets t₊ = (N₊ + 1)/(N₊ + 2), t₋ = 1/(N₋ + 2), by Newton's method with a backtracking line
    search (Lin, Lin & Weng 2007, "A note on Platt's probabilistic outputs", as in LIBSVM).
    ``labels`` > 0 marks the positive class. Returns ``(A, B)``.
    """
    dec = np.asarray(dec, dtype=np.float64)
    pos = np.asarray(labels) > 0
    prior1 = float(pos.sum())
    prior0 = float(pos.size - prior1)
    t = np.where(pos, (prior1 + 1.0) / (prior1 + 2.0), 1.0 / (prior0 + 2.0))

    def objective(A, B):
        z = dec * A + B
        return float(np.sum(np.where(z >= 0, t * z, (t - 1) * z) + np.log1p(np.exp(-np.abs(z)))))

    A, B = 0.0, float(np.log((prior0 + 1.0) / (prior1 + 1.0)))
    fval = objective(A, B)
    for _ in range(max_iter):
        z = dec * A + B
        e = np.exp(-np.abs(z))
        p = np.where(z >= 0, e / (1 + e), 1 / (1 + e))
        q = 1 - p
        d2 = p * q
        h11 = sigma + float(np.dot(dec * dec, d2))
        h22 = sigma + float(d2.sum())
        h21 = float(np.dot(dec, d2))
        d1 = t - p
        g1 = float(np.dot(dec, d1))
        g2 = float(d1.sum())
        if abs(g1) < eps and abs(g2) < eps:
            break
        det = h11 * h22 - h21 * h21
        dA = -(h22 * g1 - h21 * g2) / det
        dB = -(-h21 * g1 + h11 * g2) / det
        gd = g1 * dA + g2 * dB
        step = 1.0
        while step >= min_step:
            newA, newB = A + step * dA, B + step * dB
            newf = objective(newA, newB)
            if newf < fval + 1e-4 * step * gd:
                A, B, fval = newA, newB, newf
                break
            step /= 2.0
        if step < min_step:
            break
    return A, B


def pairwise_coupling(r):
    """Class probabilities from pairwise ones (Wu, Lin & Weng 2004, method 2).

    ``r`` has shape (n_samples, k, k) with r[:, i, j] ≈ P(y = i | y ∈ {i, j}) and
    r[:, j, i] = 1 - r[:, i, j]. Solves, for every sample at once,
        min_p ½ Σ_i Σ_{j≠i} (r_ji pᵢ - r_ij pⱼ)²   s.t.  Σ pᵢ = 1,
    whose KKT system [Q 1; 1ᵀ 0][p; b] = [0; 1] has Q_ii = Σ_{j≠i} r_ji², Q_ij = -r_ji r_ij.
    LIBSVM solves the same problem by a fixed-point iteration stopped at 0.005/k; here the
    (k+1)×(k+1) system is solved exactly (batched), so results agree to that tolerance.
    Returns (n_samples, k).
    """
    n, k, _ = r.shape
    rt = np.swapaxes(r, 1, 2)
    Q = -rt * r
    off = np.eye(k, dtype=bool)
    Q[:, off] = 0.0
    diag = (rt * rt).sum(axis=2) - (np.diagonal(rt, axis1=1, axis2=2) ** 2)
    Q[:, np.arange(k), np.arange(k)] = diag
    M = np.zeros((n, k + 1, k + 1))
    M[:, :k, :k] = Q
    M[:, :k, k] = 1.0
    M[:, k, :k] = 1.0
    rhs = np.zeros((n, k + 1, 1))
    rhs[:, k, 0] = 1.0
    return np.linalg.solve(M, rhs)[:, :k, 0]
