"""The compiled path's lock-step worker threads of the histogram tree builder
(whiteboard/ml/tree/_hist_team.py) and the release/acquire flags they spin on
(whiteboard/_spin.py). The trees themselves are checked against the one-thread builder bit for
bit in tests/ml/ensemble/test_xgboost.py (n_jobs 1, 2, 3 on both paths); here: buffer growth in
the middle of a tree, errors inside a tree, and the memory order of the flags."""

import threading

import numpy as np
import pytest

from whiteboard import jit
from whiteboard.ml.ensemble import XGBoostClassifier, XGBoostRegressor

pytestmark = pytest.mark.skipif(not jit.available(), reason="Numba is not installed")


def _trees_equal(a, b):
    for ta, tb in zip(sum(a.estimators_, []) if isinstance(a.estimators_[0], list)
                      else a.estimators_,
                      sum(b.estimators_, []) if isinstance(b.estimators_[0], list)
                      else b.estimators_):
        for name in ("feature", "bin_threshold", "children_left", "children_right",
                     "missing_go_to_left", "value", "impurity", "n_node_samples",
                     "weighted_n_node_samples"):
            np.testing.assert_array_equal(getattr(ta, name), getattr(tb, name), err_msg=name)


def _hist_threads():
    return [t for t in threading.enumerate() if t.name.startswith("whiteboard-hist-")]


def test_buffers_grow_mid_tree_and_keep_the_parent_histograms(monkeypatch):
    """Deep trees whose levels outgrow the workers' first buffers (sized for 4 nodes here):
    the workers restart on larger ones in the middle of a tree, the parent level's histograms
    carried over, and the trees stay those of one thread."""
    from whiteboard.ml.tree import _hist_team, _second_order

    grows = []
    real_grow = _hist_team.LevelTeam._grow
    monkeypatch.setattr(_hist_team.LevelTeam, "_grow",
                        lambda self, *a: grows.append(a) or real_grow(self, *a))
    real_team = _second_order.HistTreeBuilder._team

    def small_first_buffers(self, *args):
        team = real_team(self, *args)
        team._hint = 4
        return team

    monkeypatch.setattr(_second_order.HistTreeBuilder, "_team", small_first_buffers)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 6))
    X[rng.random(X.shape) < 0.05] = np.nan
    y = np.sin(3 * X[:, 0]) + X[:, 1] * X[:, 2] + rng.normal(0, 0.1, 3000)
    y = np.nan_to_num(y)
    kw = dict(n_estimators=3, max_depth=11, min_child_weight=0.0, learning_rate=0.5)
    one = XGBoostRegressor(n_jobs=1, **kw).fit(X, y)
    for n_jobs in (2, 3):
        grows.clear()
        many = XGBoostRegressor(n_jobs=n_jobs, **kw).fit(X, y)
        assert len(grows) >= 3 and any(keep_m > 0 for *_, keep_m in grows)
        np.testing.assert_array_equal(many.predict(X), one.predict(X))
        _trees_equal(one, many)
    assert not _hist_threads()


def test_an_error_inside_a_tree_stops_the_workers(monkeypatch):
    """An exception between two levels leaves no worker spinning: the tree's ``finally``
    stops their kernels, the fit's closes their threads, and the next fit is unaffected."""
    from whiteboard.ml.tree import _hist_team, _second_order

    running_at_close = []
    real_close = _hist_team.LevelTeam.close
    monkeypatch.setattr(_hist_team.LevelTeam, "close",
                        lambda self: running_at_close.append(self.running) or real_close(self))
    X, y = np.random.default_rng(1).normal(size=(500, 5)), np.arange(500) % 2
    ref = XGBoostClassifier(n_estimators=4, max_depth=4, n_jobs=1).fit(X, y)
    real_merge = _second_order.HistTreeBuilder._merge
    calls = []

    def failing_merge(self, results, any_missing):
        calls.append(1)
        if len(calls) == 7:                       # the second tree's third level
            raise KeyboardInterrupt
        return real_merge(self, results, any_missing)

    monkeypatch.setattr(_second_order.HistTreeBuilder, "_merge", failing_merge)
    with pytest.raises(KeyboardInterrupt):
        XGBoostClassifier(n_estimators=4, max_depth=4, n_jobs=2).fit(X, y)
    assert running_at_close == [False]            # stopped by the tree, before the fit's close
    assert not _hist_threads()
    monkeypatch.setattr(_second_order.HistTreeBuilder, "_merge", real_merge)
    again = XGBoostClassifier(n_estimators=4, max_depth=4, n_jobs=2).fit(X, y)
    np.testing.assert_array_equal(again.predict_proba(X), ref.predict_proba(X))


def test_released_data_is_seen_by_the_acquiring_thread():
    """Message passing through the flags, 20,000 rounds each way: the writer fills a payload
    and releases the round number; the reader, after acquiring it, must see the whole payload
    of that round (never an older value), and answers through its own flag."""
    import numba

    from whiteboard import _spin

    @numba.njit(nogil=True)
    def reader(flags, payload, rounds, seen):
        for r in range(1, rounds + 1):
            while not _spin.spin_until(flags, 0, r, 1 << 20):
                pass
            bad = 0
            for k in range(payload.shape[0]):
                if payload[k] != r:
                    bad += 1
            seen[r - 1] = bad
            _spin.store_release(flags, _spin.LINE, r)

    @numba.njit(nogil=True)
    def writer(flags, payload, rounds):
        for r in range(1, rounds + 1):
            while not _spin.spin_until(flags, _spin.LINE, r - 1, 1 << 20):
                pass
            for k in range(payload.shape[0]):
                payload[k] = r
            _spin.store_release(flags, 0, r)

    rounds = 20000
    flags = np.zeros(2 * _spin.LINE, dtype=np.int64)
    payload = np.zeros(64, dtype=np.int64)
    seen = np.full(rounds, -1, dtype=np.int64)
    t = threading.Thread(target=reader, args=(flags, payload, rounds, seen))
    t.start()
    writer(flags, payload, rounds)
    t.join()
    assert flags[_spin.LINE] == rounds
    np.testing.assert_array_equal(seen, 0)


def test_wait_all_times_out_and_reports_it():
    from whiteboard import _spin

    flags = np.zeros(3 * _spin.LINE, dtype=np.int64)
    flags[_spin.LINE] = 5
    assert not _spin.wait_all(flags, _spin.LINE, 2, 5, 100)      # the second never came
    flags[2 * _spin.LINE] = 6
    assert _spin.wait_all(flags, _spin.LINE, 2, 5, 100)
    _spin.post(flags, 0, 9)
    assert flags[0] == 9


@pytest.mark.parametrize("blocks", [1, 2, 3])
@pytest.mark.parametrize("lam,alpha", [(1.0, 0.0), (0.0, 0.4), (-0.5, 0.0)])
def test_compiled_merge_equals_the_numpy_merge(blocks, lam, alpha):
    """``merge_bests`` against ``HistTreeBuilder._merge`` on the NumPy path, bit for bit:
    ties (the first maximum wins), nodes with no finite score, NaN scores (argmax's first),
    NaN bins seen or not (unseen: to the heavier child, left on a tie), either direction,
    several blocks."""
    from whiteboard.ml.tree._second_order import HistTreeBuilder, SecondOrder

    rng = np.random.default_rng(blocks)
    D, m = 2, 40
    widths = [3, 1, 4][:blocks]
    results = []
    for k, fb in enumerate(widths):
        vals = rng.choice([1.0, 2.0, 2.5, -np.inf], size=(D, m, fb))
        vals[:, :3] = -np.inf                              # no finite score at all
        if k == blocks - 1:
            vals[1, 5, -1] = np.nan
        bins = rng.integers(0, 30, size=(D, m, fb))
        cls = rng.normal(size=(D, m, fb)) + 1j * rng.uniform(0, 5, size=(D, m, fb))
        zm = np.where(rng.random((m, fb)) < 0.5, 0, rng.normal(size=(m, fb))
                      + 1j * rng.uniform(0.1, 2, size=(m, fb)))
        G, H = rng.normal(size=m) * 3, rng.uniform(0, 6, size=m)
        H[7] = -lam if lam <= 0 else H[7]                  # a zero denominator
        H[9], cls[:, 9] = 4.0, cls[:, 9].real + 2j         # left hessian = right: NaN left
        zm[9] = 0
        results.append((vals, bins, cls, zm, G, H))
    builder = HistTreeBuilder(SecondOrder(reg_lambda=lam, reg_alpha=alpha), None)
    with jit.disabled():
        want = builder._merge(results, True)
    got = builder._merge(results, True)
    for name, a, b in zip(("gain", "f", "b", "ml", "gl", "hl", "G", "H"), got, want):
        np.testing.assert_array_equal(a, b, err_msg=name)


def test_a_fit_whose_workers_miss_their_cores_finishes_on_one_thread(monkeypatch):
    """When most waits of a tree find the workers late (as beside other busy processes), the
    builder closes the team and grows the remaining trees on one thread: same trees, and no
    thread is left. The lateness is simulated (every wait counts as late)."""
    from whiteboard.ml.tree import _hist_team, _second_order

    def always_late(self, worked):
        self._wait()
        self.waits += 1
        self.strikes += 1

    monkeypatch.setattr(_hist_team.LevelTeam, "_timed_wait", always_late)
    teams, real_team = [], _second_order.HistTreeBuilder._team
    monkeypatch.setattr(_second_order.HistTreeBuilder, "_team",
                        lambda self, *a: teams.append(1) or real_team(self, *a))
    rng = np.random.default_rng(2)
    X = rng.normal(size=(800, 6))
    y = (X[:, 0] + X[:, 1] ** 2 > 1).astype(int)
    kw = dict(n_estimators=5, max_depth=4, learning_rate=0.5)
    one = XGBoostClassifier(n_jobs=1, **kw).fit(X, y)
    two = XGBoostClassifier(n_jobs=2, **kw).fit(X, y)
    assert len(teams) == 1                        # only the first tree ran on the team
    np.testing.assert_array_equal(two.predict_proba(X), one.predict_proba(X))
    _trees_equal(one, two)
    assert not _hist_threads()
