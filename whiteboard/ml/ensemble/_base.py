"""Helpers shared by the ensembles: cloning, seeding and parallel map over members."""

from __future__ import annotations

import copy
import inspect
import itertools

import joblib
import numpy as np
from joblib import Parallel, delayed

__all__ = [
    "clone_estimator",
    "fit_accepts_sample_weight",
    "make_member",
    "member_seeds",
    "parallel_map",
    "r2",
    "run_in_chunks",
]

_MAX_SEED = np.iinfo(np.int32).max


def clone_estimator(estimator):
    """Unfitted copy with the same hyper-parameters (nested estimators cloned too)."""
    params = estimator.get_params(deep=False)
    cloned = {k: clone_estimator(v) if hasattr(v, "get_params") and not isinstance(v, type)
              else copy.deepcopy(v) for k, v in params.items()}
    return type(estimator)(**cloned)


def make_member(template, seed):
    """Clone of ``template`` whose ``random_state`` parameters (nested ones too) are ``seed``."""
    est = clone_estimator(template)
    keys = [k for k in est.get_params(deep=True) if k == "random_state"
            or k.endswith("__random_state")]
    if keys:
        est.set_params(**{k: int(seed) for k in keys})
    return est


def member_seeds(random_state_rng, n):
    """``n`` integer seeds, one per ensemble member (a member's data draw and its own
    randomness both derive from its seed, so results do not depend on ``n_jobs``)."""
    return random_state_rng.integers(0, _MAX_SEED, size=n)


def fit_accepts_sample_weight(estimator):
    """Whether ``estimator.fit`` has a ``sample_weight`` parameter."""
    try:
        return "sample_weight" in inspect.signature(estimator.fit).parameters
    except (TypeError, ValueError):
        return False


def parallel_map(func, items, n_jobs):
    """``[func(item) for item in items]`` on ``n_jobs`` joblib threads (NumPy releases the GIL
    in the array work that dominates a tree fit); ``n_jobs`` None or 1 runs in this thread."""
    if n_jobs is None or n_jobs == 1 or len(items) <= 1:
        return [func(it) for it in items]
    return Parallel(n_jobs=n_jobs, prefer="threads")(delayed(func)(it) for it in items)


def run_in_chunks(func, items, n_jobs, **shared):
    """``func(chunk, **shared)`` over ``n_jobs`` contiguous chunks of ``items`` on joblib
    threads, results concatenated in order. ``n_jobs`` None or 1: one call in this thread; -1:
    all cores. Threads, not processes: the heavy steps of a tree fit are NumPy calls that
    release the GIL, the data are shared without copies, and worker processes cost 1-2 s of
    start-up, which measured slower on the 2-core benchmark machine."""
    if n_jobs is None or n_jobs == 1 or len(items) <= 1:
        return func(items, **shared)
    n_jobs = min(joblib.cpu_count() if n_jobs < 0 else n_jobs, len(items))
    bounds = np.linspace(0, len(items), n_jobs + 1).astype(int)
    parts = Parallel(n_jobs=n_jobs, prefer="threads")(
        delayed(func)(items[a:b], **shared) for a, b in itertools.pairwise(bounds))
    return [out for part in parts for out in part]


def r2(y, pred):
    """Coefficient of determination ``1 - SS_res / SS_tot``."""
    ss_res = np.sum((y - pred) ** 2)
    ss_tot = np.sum((y - y.mean()) ** 2)
    return float(1.0 - ss_res / ss_tot) if ss_tot > 0 else (1.0 if ss_res == 0 else 0.0)
