"""The feature blocks of a level-wise histogram tree on threads that stay inside compiled code
for the whole tree, in lock step with the caller (the compiled path only).

``HistTreeBuilder`` (``_second_order.py``) cuts the candidate features into blocks and, every
level, needs each block's histograms and best bins before it can route the rows and start the
next level. Handing a block to a pool thread per level (``concurrent.futures``) wakes a
sleeping thread twice a level: 40-77 µs each on a 2-vCPU VM, for a level whose work is
0.3-0.4 ms at 20,000 rows, so two threads were no faster than one. Here each worker thread
enters :func:`block_levels` once per tree and stays there: it spins on the caller's sequence
number (``whiteboard._spin``: release/acquire flags, 0.4 µs round trip), runs its block's
level kernel (``_hist_kernels.block_level``, the same kernel the caller runs for the first
block, so the numbers are those of the one-thread builder bit for bit), publishes, and spins
again. Only the caller touches Python objects; a worker never takes the GIL inside a tree.

Per level the caller writes the level's parameters (``node_slot``, ``split``, the counts) into
buffers shared with the workers, posts ``seq``, runs block 0 itself, then waits until every
worker's ``done`` reaches ``seq``; it reads a worker's results (views of that worker's
buffers) only after that. A STOP command ends the workers' kernels at the end of the tree, or
when a level needs larger buffers (the worker restarts on the new ones; the parent level's
histograms are carried over). Unweighted trees also route their rows in parts (ROUTE: each
thread moves a contiguous run of rows, ``_hist_kernels.route_rows``, and counts its rows that
go left; the counts are integers, so their sum is the one-thread count exactly; weighted
trees route on the caller, whose weight sums keep the row order).

Cost: while the caller does its serial part of a level (merge, routing, bookkeeping), each
worker spins on its core, as OpenMP runtimes do by default (bounded: after ``SPINS`` checks,
~3 ms here, it leaves the kernel and enters it again); between trees the workers sleep. A fit
whose workers keep missing their cores finishes on one thread (``LATE``, ``STRIKES``).
"""

from __future__ import annotations

import queue
import threading
import time

import numpy as np

from ... import _spin, jit
from ._hist_kernels import block_level, route_rows

LINE = _spin.LINE
# line 0 of ``ctrl``: what the caller posts; line 1 + k: worker k's ``done`` (its own line)
SEQ, CMD, NS, HAS_PARENT, CUR, M_PARENT, MS = range(7)
LEVEL, STOP, ROUTE = 0, 1, 2
ROW_LO, ROW_HI = 1, 2    # a worker's rows to route, in its own line after ``done``
SPINS = 1 << 17          # checks per wait before leaving the kernel (a few ms of spinning)
# A wait for the workers longer than LATE seconds and than the caller's own part of the step is
# a "strike": the workers did not get a core when they needed one (other work on the machine,
# or more threads than cores). Lock-step threads are then slower than one thread (a 20k fit
# with one busy process beside it: 2.6x the one-thread time), so after a tree in which at least
# STRIKES and over half of the waits were strikes, the builder finishes the fit on one thread
# (``HistTreeBuilder``). Measured per 100-tree fit of depth 6 (12 waits a tree): on a quiet box
# 0-4 trees with a strike, at most 4 in a tree; beside a busy process 11-12 in the first tree.
LATE, STRIKES = 0.5e-3, 3

@jit.kernel
def block_levels(ctrl, me, spins, codes, gh, pos, node_slot, split, Z0, Z1, invalid, lam,
                 alpha, mcw, j0, n_dirs, out_v, out_b, out_c, Zm, G, H, all_codes, w, node_k,
                 fs, bs, mls, left_ids, ln_part, missing_bin, any_missing):
    """Worker ``me``'s loop over the commands the caller posts in ``ctrl`` (see the module
    docstring): 0 when told to stop, 1 when a wait ran out (``spins`` checks). LEVEL: its
    block's ``block_level``, the flat buffers ``Z0``/``Z1`` (histograms of alternate levels),
    ``out_*``, ``Zm``, ``G``, ``H`` viewed at the level's sizes. ROUTE: ``route_rows`` over its
    rows of ``all_codes`` (the tree's (n, F) codes), the split node ``k``'s left-row count
    into ``ln_part[k]`` (unweighted: counts are exact in any order)."""
    W, Fb, B = codes.shape[1], invalid.shape[0], invalid.shape[1] + 1
    done = (me + 1) * LINE
    seq = ctrl[done] + 1             # only this thread writes its ``done``
    while True:
        if not _spin.spin_until(ctrl, SEQ, seq, spins):
            return 1
        cmd = ctrl[CMD]
        if cmd == STOP:
            _spin.store_release(ctrl, done, seq)
            return 0
        if cmd == ROUTE:
            ms, lo, hi = ctrl[MS], ctrl[done + ROW_LO], ctrl[done + ROW_HI]
            ln = ln_part[:ms]
            ln[:] = 0.0
            route_rows(all_codes[lo:hi], pos[lo:hi], node_k, fs[:ms], bs[:ms], mls[:ms],
                       left_ids[:ms], w[lo:hi], missing_bin, any_missing, False, ln, ln)
            _spin.store_release(ctrl, done, seq)
            seq += 1
            continue
        ns, has_parent, cur, m_parent = ctrl[NS], ctrl[HAS_PARENT], ctrl[CUR], ctrl[M_PARENT]
        m = 2 * ns if has_parent else ns
        Zc = (Z0 if cur == 0 else Z1)[:m * W * B].reshape((m, W, B))
        Zp = Zc
        if has_parent:
            Zp = (Z1 if cur == 0 else Z0)[:m_parent * W * B].reshape((m_parent, W, B))
        block_level(codes, gh, pos, node_slot, ns, has_parent != 0, Zp, split[:ns], Zc, invalid,
                    lam, alpha, mcw, j0, n_dirs, out_v[:2 * m * Fb].reshape((2, m, Fb)),
                    out_b[:2 * m * Fb].reshape((2, m, Fb)),
                    out_c[:2 * m * Fb].reshape((2, m, Fb)), Zm[:m * Fb].reshape((m, Fb)),
                    G[:m], H[:m])
        _spin.store_release(ctrl, done, seq)
        seq += 1


class LevelTeam:
    """Threads for ``blocks[1:]`` (``FeatureBlock``s) that run a tree's levels with the caller.

    ``begin(blocks, gh, pos)`` at the start of a tree, ``run(job)`` per level (the compiled
    path's job dict of ``HistTreeBuilder.build``; returns every block's ``level`` results,
    block 0 run on the calling thread), ``end()`` after the last level (also on an error),
    ``close()`` once.
    ``cap_m``: the nodes per level to size the buffers for at first (they grow when needed).
    """

    def __init__(self, blocks, cap_m=32):
        self.blocks = blocks
        self.ctrl = np.zeros((1 + len(self.workers)) * LINE, dtype=np.int64)
        self.seq = 0
        self.running = False
        self.strikes = self.waits = 0
        self.cap_m, self.cap_nodes = 0, 0
        self._hint = max(1, int(cap_m))
        self._z = [[None, None] for _ in self.workers]
        self._inbox = [queue.SimpleQueue() for _ in self.workers]
        self._threads = [threading.Thread(target=self._serve, args=(k,), daemon=True,
                                          name=f"whiteboard-hist-{k + 1}")
                         for k in range(len(self.workers))]
        for t in self._threads:
            t.start()

    @property
    def workers(self):
        """The blocks the worker threads run (all but the first)."""
        return self.blocks[1:]

    def _serve(self, k):
        while True:
            args = self._inbox[k].get()
            if args is None:
                return
            while block_levels(*args) == 1:
                pass                 # the caller is slow to post: spin again

    def begin(self, blocks, gh, pos, codes, w, missing_bin, any_missing):
        """A new tree: its ``blocks`` (as many as before), and what the workers read: ``gh``,
        ``pos`` (the rows' nodes), and for the routing the tree's (n, F) ``codes``, the row
        weights ``w``, the NaN bin and whether any NaN is in the data."""
        self.end()
        self.strikes = self.waits = 0
        shapes = [(b.W, b.Fb, b.B) for b in blocks[1:]]
        if shapes != [(b.W, b.Fb, b.B) for b in self.workers]:
            self.cap_m = self.cap_nodes = 0       # other block widths: new buffers
            self._z = [[None, None] for _ in shapes]
        self.blocks = blocks
        self.gh, self.pos = gh, pos
        self.codes, self.w = codes, np.ascontiguousarray(w)
        self.missing_bin, self.any_missing = int(missing_bin), bool(any_missing)

    def _post(self, cmd):
        self.ctrl[CMD] = cmd
        self.seq += 1
        _spin.post(self.ctrl, SEQ, self.seq)

    def _wait(self):
        while not _spin.wait_all(self.ctrl, LINE, len(self.workers), self.seq, SPINS):
            if not all(t.is_alive() for t in self._threads):
                raise RuntimeError("a histogram worker thread has stopped")

    def _timed_wait(self, worked):
        """``_wait``, counting a strike when it took over ``LATE`` and longer than the
        caller's own part (``worked`` seconds)."""
        t0 = time.perf_counter()
        self._wait()
        waited = time.perf_counter() - t0
        self.waits += 1
        if waited > LATE and waited > worked:
            self.strikes += 1

    @property
    def oversubscribed(self):
        """Whether the workers missed their cores in this tree often enough (``STRIKES``, and
        over half of the waits) that one thread would be faster."""
        return self.strikes >= STRIKES and 2 * self.strikes > self.waits

    def end(self):
        """Stop the workers' kernels (their threads sleep until the next start)."""
        if self.running:
            self._post(STOP)
            self._wait()
            self.running = False

    def _grow(self, m, n_nodes, keep, keep_m):
        """Buffers for ``m`` nodes a level and ``n_nodes`` node slots; histogram buffer
        ``keep`` (the parent level's, ``keep_m`` nodes) is carried over."""
        self.cap_m = max(m, self._hint, 4 * self.cap_m)
        self.cap_nodes = max(n_nodes, 2 * self.cap_m, 4 * self.cap_nodes)
        self.node_slot = np.empty(self.cap_nodes, dtype=np.intp)
        self.split = np.empty(self.cap_m, dtype=np.intp)
        self.node_k = np.empty(self.cap_nodes, dtype=np.intp)
        self.fs, self.bs, self.left = (np.empty(self.cap_m, dtype=np.intp) for _ in range(3))
        self.mls = np.empty(self.cap_m, dtype=bool)
        self.ln_part = [np.empty(self.cap_m) for _ in self.workers]
        cap = self.cap_m
        self._out = []
        for k, b in enumerate(self.workers):
            size = cap * b.W * b.B
            z = [np.empty(size, dtype=np.complex128) for _ in range(2)]
            old = self._z[k][keep]
            if old is not None and keep_m:
                z[keep][:keep_m * b.W * b.B] = old[:keep_m * b.W * b.B]
            self._z[k] = z
            self._out.append((np.empty(2 * cap * b.Fb), np.empty(2 * cap * b.Fb, dtype=np.intp),
                              np.empty(2 * cap * b.Fb, dtype=np.complex128),
                              np.empty(cap * b.Fb, dtype=np.complex128), np.empty(cap),
                              np.empty(cap)))

    def _start(self, m, n_nodes, cur, parent_m):
        """(Re)start the workers' kernels, on larger buffers if this level needs them."""
        self.end()
        if m > self.cap_m or n_nodes > self.cap_nodes:
            self._grow(m, n_nodes, 1 - cur, parent_m)
        for k, b in enumerate(self.workers):
            crit = b.crit
            self._inbox[k].put((self.ctrl, k, SPINS, b.codes, self.gh, self.pos, self.node_slot,
                                self.split, self._z[k][0], self._z[k][1], b.invalid,
                                crit.reg_lambda, crit.reg_alpha, b.mcw, b.j0,
                                2 if b.any_missing else 1) + self._out[k]
                               + (self.codes, self.w, self.node_k, self.fs, self.bs, self.mls,
                                  self.left, self.ln_part[k], self.missing_bin,
                                  self.any_missing))
        self.running = True

    def run(self, job):
        """Every block's ``level(job)`` (see ``FeatureBlock.level_jit``): block 0 on this
        thread, the others on the workers."""
        ns, parent = job["ns"], job.get("parent")
        m = ns if parent is None else 2 * ns
        parent_m = 0 if parent is None else job["m_parent"]
        node_slot = job["node_slot"]
        cur = int(job["key"][1:])
        if not self.running or m > self.cap_m or len(node_slot) > self.cap_nodes:
            self._start(m, len(node_slot), cur, parent_m)
        self.node_slot[:len(node_slot)] = node_slot
        if parent is not None:
            self.split[:ns] = job["split"]
        c = self.ctrl
        c[NS], c[HAS_PARENT], c[CUR], c[M_PARENT] = ns, parent is not None, cur, parent_m
        self._post(LEVEL)
        t0 = time.perf_counter()
        first = self.blocks[0].level_jit(job)
        self._timed_wait(time.perf_counter() - t0)
        D = 2 if self.blocks[0].any_missing else 1
        results = [first]
        for b, (v, bins, cl, zm, G, H) in zip(self.workers, self._out):
            shape = (2, m, b.Fb)
            size = 2 * m * b.Fb
            results.append((v[:size].reshape(shape)[:D], bins[:size].reshape(shape)[:D],
                            cl[:size].reshape(shape)[:D], zm[:m * b.Fb].reshape(m, b.Fb),
                            G[:m], H[:m]))
        return results

    def route(self, node_k, fs, bs, mls, left_ids):
        """``route_rows`` (unweighted) over the tree's rows in 1 + workers contiguous parts,
        the first on this thread; returns the left-row count of every split (``ln``)."""
        ms, n = len(fs), len(self.pos)
        parts = len(self.workers) + 1
        cut = [n * p // parts for p in range(parts + 1)]
        self.node_k[:len(node_k)] = node_k
        self.fs[:ms], self.bs[:ms], self.mls[:ms], self.left[:ms] = fs, bs, mls, left_ids
        c = self.ctrl
        c[MS] = ms
        for k in range(len(self.workers)):
            c[(k + 1) * LINE + ROW_LO], c[(k + 1) * LINE + ROW_HI] = cut[k + 1], cut[k + 2]
        self._post(ROUTE)
        ln = np.zeros(ms)
        t0 = time.perf_counter()
        route_rows(self.codes[:cut[1]], self.pos[:cut[1]], node_k, fs, bs, mls, left_ids,
                   self.w[:cut[1]], self.missing_bin, self.any_missing, False, ln, ln)
        self._timed_wait(time.perf_counter() - t0)
        for part in self.ln_part:
            ln += part[:ms]
        return ln

    def close(self):
        """End the worker threads."""
        self.end()
        for box in self._inbox:
            box.put(None)
        for t in self._threads:
            t.join()
