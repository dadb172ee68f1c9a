"""The SMO iterations as one compiled loop (``whiteboard.jit``), the twin of ``smo._Solver``.

NumPy runs one SMO iteration as ~17 whole-array calls, each paying a microsecond or two of fixed
cost whatever the array's size; at a few thousand samples that overhead is most of a fit. Here
the same iteration is three plain loops over the active variables:

    1. i = the last argmin over t < m of yG_t + pen_up_t      (pen_up: 0 in I_up, +inf outside)
       Gmax = -(yG_i + pen_up_i);  no pair when Gmax = -inf
    2. b_t = (yG_t + pen_low_t) + Gmax                        (pen_low: 0 in I_low, -inf outside)
       a_t = max((-2·K_it + QD_t) + QD_i, τ)
       j = the last argmax of b_t² / a_t over b_t > 0 (0 elsewhere);
       no pair when max_t b_t < tol or the gain is 0
    3. the two-variable step with clipping (smo.py's docstring), then
       yG_t += K_it·yᵢΔαᵢ + K_jt·yⱼΔαⱼ, and Ḡ += ±Cₜyₜ K_t· when αₜ reaches or leaves Cₜ

with every sum formed in the NumPy twin's order (no fused multiply-add, no reassociation), so both
paths take the same working sets, the same number of iterations and the same α, bit for bit.

What stays with the caller: the kernel rows (NumPy), shrinking (NumPy) and the gradient rebuild
(the second kernel here, ``reconstruct_gradient``) — a few calls per thousand iterations. The
loop returns a code when it needs one of them, and is re-entered where it stopped; the
iteration counters live in the ``state`` array:

    NEED_ROW  kernel row ``state[ROW]`` is not in the cache: compute it (``KernelMatrix.row``)
    SHRINK    the shrinking counter ran out: shrink, store the new active size
    NO_PAIR   no violating pair in the active set: rebuild the gradient, reactivate everything
    DONE      no violating pair among all variables: optimal to tol
    MAX_ITER  max_iter iterations done

Selection is pure (it changes nothing), so a call that stops for a row simply redoes it on the
next call. The rows come from the cache's arrays (``KernelMatrix.cache``): row r is
``block[slot[r]]``, and every use stamps the slot so the least recently used row is evicted first
— never one of the two rows of the iteration in progress.
"""

from __future__ import annotations

import numpy as np

from whiteboard import jit

__all__ = ["reconstruct_gradient", "smo_iterations", "two_variable_step"]

# codes returned by smo_iterations
NEED_ROW, SHRINK, NO_PAIR, DONE, MAX_ITER = 1, 2, 3, 4, 5
# entries of the int64 state array
PHASE, COUNTER, N_ITER, ACTIVE, ROW, MAX_ITERS, SIZE, SHRINKING = range(8)
# rows of the float64 block F and of the bool block B
F_Y, F_YP, F_C, F_ALPHA, F_YG, F_YG_BAR, F_QD, F_PEN_UP, F_PEN_LOW = range(9)
B_UPPER, B_LOWER, B_I_UP, B_I_LOW = range(4)


@jit.shared
def two_variable_step(yi, yj, Ci, Cj, ai, aj, Gi, Gj, quad):
    """(αᵢ, αⱼ) after the exact step on the two-variable sub-problem, clipped into the box.

    yᵢ ≠ yⱼ: δ = (-Gᵢ - Gⱼ)/a, αᵢ += δ, αⱼ += δ (αᵢ - αⱼ stays); yᵢ = yⱼ: δ = (Gᵢ - Gⱼ)/a,
    αᵢ -= δ, αⱼ += δ (αᵢ + αⱼ stays); then back onto [0, Cᵢ] × [0, Cⱼ] along that line
    (LIBSVM's order of tests, on which ties at the corners depend).
    """
    if yi != yj:
        delta = (-Gi - Gj) / quad
        diff = ai - aj
        ai += delta
        aj += delta
        if diff > 0:
            if aj < 0:
                aj, ai = 0.0, diff
        elif ai < 0:
            ai, aj = 0.0, -diff
        if diff > Ci - Cj:
            if ai > Ci:
                ai, aj = Ci, Ci - diff
        elif aj > Cj:
            aj, ai = Cj, Cj + diff
    else:
        delta = (Gi - Gj) / quad
        total = ai + aj
        ai -= delta
        aj += delta
        if total > Ci:
            if ai > Ci:
                ai, aj = Ci, total - Ci
        elif aj < 0:
            aj, ai = 0.0, total
        if total > Cj:
            if aj > Cj:
                aj, ai = Cj, total - Cj
        elif ai < 0:
            ai, aj = 0.0, total
    return ai, aj


@jit.shared
def use_row(r, slot, stamp, clock):
    """The cache slot of kernel row r, stamped as the latest used; -1 when r is not cached."""
    s = slot[r]
    if s >= 0:
        clock[0] += 1
        stamp[s] = clock[0]
    return s


@jit.shared
def last_argmin_of_sum(u, v, m):
    """(t, u_t + v_t) for the last t < m where u_t + v_t is smallest; (m - 1, +inf) if all are
    +inf, (-1, +inf) if m = 0.

    Four running minima over t mod 4, then the largest index among the lanes that hold the
    overall minimum: the same t as one sequential scan with <=, without its chain of dependent
    compare-and-selects (the minimum is exact, so splitting the scan changes nothing).
    """
    b0 = b1 = b2 = b3 = np.inf
    i0 = i1 = i2 = i3 = -1
    m4 = m - m % 4
    for t in range(0, m4, 4):
        w0, w1 = u[t] + v[t], u[t + 1] + v[t + 1]
        w2, w3 = u[t + 2] + v[t + 2], u[t + 3] + v[t + 3]
        if w0 <= b0:
            b0, i0 = w0, t
        if w1 <= b1:
            b1, i1 = w1, t + 1
        if w2 <= b2:
            b2, i2 = w2, t + 2
        if w3 <= b3:
            b3, i3 = w3, t + 3
    for t in range(m4, m):
        w0 = u[t] + v[t]
        if w0 <= b0:
            b0, i0 = w0, t
    best = min(min(b0, b1), min(b2, b3))
    i = -1
    for bk, ik in ((b0, i0), (b1, i1), (b2, i2), (b3, i3)):
        if bk == best and ik > i:
            i = ik
    return i, best


@jit.kernel
def smo_iterations(F, B, samp, block, slot, stamp, clock, state, tol):
    """Run SMO iterations on the solver's arrays until one of the codes above; returns it.

    ``F`` (9, L) float64 rows y, y·p, C, α, yG, Ḡ (y-signed), QD, pen_up, pen_low; ``B`` (4, L)
    bool rows upper, lower, I_up, I_low; ``samp`` (L,) each variable's kernel row; ``block``,
    ``slot``, ``stamp``, ``clock`` the row cache; ``state`` (8,) int64 phase (0: a new
    iteration, 1: selecting, 2: selecting after a reconstruction), shrink counter, iterations
    done, active size m, row wanted, max_iter (-1: none), L, shrinking (0/1).
    """
    tau = 1e-12
    inf = np.inf
    y, C, alpha, yG, yG_bar = F[F_Y], F[F_C], F[F_ALPHA], F[F_YG], F[F_YG_BAR]
    QD, pen_up, pen_low = F[F_QD], F[F_PEN_UP], F[F_PEN_LOW]
    upper, lower, I_up, I_low = B[B_UPPER], B[B_LOWER], B[B_I_UP], B[B_I_LOW]
    phase, counter, n_iter, m = state[PHASE], state[COUNTER], state[N_ITER], state[ACTIVE]
    max_iter, L, shrinking = state[MAX_ITERS], state[SIZE], state[SHRINKING]
    code = DONE
    while True:
        if phase == 0:
            if max_iter != -1 and n_iter >= max_iter:
                code = MAX_ITER
                break
            counter -= 1
            phase = 1
            if counter == 0:
                counter = min(L, 1000)
                if shrinking:
                    code = SHRINK
                    break
        # i: the largest -yG in I_up, the last index on ties (LIBSVM's >=)
        i, best = last_argmin_of_sum(yG, pen_up, m)
        Gmax = -best
        found = i >= 0 and Gmax != -inf
        j = s_i = s_j = need = -1
        if found:
            s_i = use_row(samp[i], slot, stamp, clock)
            if s_i < 0:
                need = samp[i]
            else:
                Ki = block[s_i]
                QDi = QD[i]
                # j: the largest gain b²/a over I_low with b > 0, the last index on ties
                b_max = -inf
                g_best = -1.0
                for t in range(m):
                    b = (yG[t] + pen_low[t]) + Gmax
                    if b > b_max:
                        b_max = b
                    g = 0.0
                    if b > 0.0:
                        a = (np.float64(Ki[samp[t]]) * -2.0 + QD[t]) + QDi
                        if a < tau:
                            a = tau
                        g = b * b / a
                    if g >= g_best:
                        g_best = g
                        j = t
                found = b_max >= tol and g_best > 0.0
                if found:
                    s_j = use_row(samp[j], slot, stamp, clock)
                    if s_j < 0:
                        need = samp[j]
        if need >= 0:
            state[ROW] = need
            code = NEED_ROW
            break
        if not found:
            if phase == 2:
                code = DONE
            else:
                phase = 2
                code = NO_PAIR
            break
        Ki, Kj = block[s_i], block[s_j]
        if phase == 2:
            counter = 1
        phase = 0
        n_iter += 1

        # the two-variable sub-problem, solved exactly and clipped into the box
        yi, yj = y[i], y[j]
        Ci, Cj = C[i], C[j]
        ai_old, aj_old = alpha[i], alpha[j]
        Gi, Gj = yi * yG[i], yj * yG[j]
        quad = QD[i] + QD[j] - 2.0 * np.float64(Ki[samp[j]])
        if quad <= 0.0:
            quad = tau
        ai, aj = two_variable_step(yi, yj, Ci, Cj, ai_old, aj_old, Gi, Gj, quad)
        alpha[i], alpha[j] = ai, aj
        ci, cj = yi * (ai - ai_old), yj * (aj - aj_old)
        for t in range(m):
            r = samp[t]
            yG[t] += np.float64(Ki[r]) * ci + np.float64(Kj[r]) * cj

        # bound status of i and j, and Ḡ when one reaches or leaves its upper bound
        for k in range(2):
            t, a, Ct, yt, K = (i, ai, Ci, yi, Ki) if k == 0 else (j, aj, Cj, yj, Kj)
            up = a >= Ct
            lo = a <= 0 and not up
            was_upper = upper[t]
            if up == was_upper and lo == lower[t]:
                continue
            upper[t], lower[t] = up, lo
            if yt > 0:
                I_up[t], I_low[t] = not up, not lo
            else:
                I_up[t], I_low[t] = not lo, not up
            pen_up[t] = 0.0 if I_up[t] else inf
            pen_low[t] = 0.0 if I_low[t] else -inf
            if was_upper != up:
                coef = -Ct * yt if was_upper else Ct * yt
                for u in range(L):
                    yG_bar[u] += np.float64(K[samp[u]]) * coef
    state[PHASE], state[COUNTER], state[N_ITER] = phase, counter, n_iter
    return code


@jit.kernel
def reconstruct_gradient(F, B, samp, block, slot, stamp, clock, progress, m):
    """yG_t = Ḡ_t + y_t p_t + Σ_{free s} y_t y_s α_s K_ts for the inactive t ≥ m (the twin of
    ``_Solver._reconstruct_gradient``: the same sums, free s in position order).

    Returns -1 when done, or the kernel row it needs next (call again once it is cached);
    ``progress[0]`` is the next position s to add, -1 before the start.
    """
    L = F.shape[1]
    y, yp, alpha, yG, yG_bar = F[F_Y], F[F_YP], F[F_ALPHA], F[F_YG], F[F_YG_BAR]
    upper, lower = B[B_UPPER], B[B_LOWER]
    if progress[0] < 0:
        for u in range(m, L):
            yG[u] = yG_bar[u] + yp[u]
        progress[0] = 0
    for t in range(progress[0], m):
        if upper[t] or lower[t]:
            continue
        s = use_row(samp[t], slot, stamp, clock)
        if s < 0:
            progress[0] = t
            return samp[t]
        K = block[s]
        coef = y[t] * alpha[t]
        for u in range(m, L):
            yG[u] += np.float64(K[samp[u]]) * coef
    progress[0] = m
    return -1
