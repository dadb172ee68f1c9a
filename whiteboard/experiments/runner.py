"""Run experiments × seeds as one sweep (joblib, or a Dask cluster), with a per-trial disk cache.

A *trial* is one call ``exp.run(seed, quick)``; the sweep is every (experiment, seed) pair with
seeds ``0 .. N-1`` (``N`` = the experiment's ``seeds`` unless ``seeds=`` overrides it). Trials are
independent, so they go through ``joblib.Parallel``; with ``scheduler="tcp://HOST:PORT"`` or a
``dask.distributed.Client`` the same sweep runs on that cluster through joblib's Dask backend.

Every trial starts from the same state wherever it runs (``np.random.seed(seed)``,
``backend.manual_seed(seed)``, BLAS limited to one thread when threadpoolctl is present; the
caller's random state and default dtype are restored afterwards) and its
numbers go through a JSON round trip, so local, multi-process and cluster results are equal bit
for bit (``json`` writes floats with ``repr``, which round-trips exactly).

Cache: one JSON file per trial under ``cache_dir`` (default ``$WHITEBOARD_CACHE`` or
``~/.cache/whiteboard/experiments``), keyed by

    sha256(experiment id, code version, seed, settings)     settings = {"quick": quick}
    code version = sha256(source of the experiment's module, library digest, whiteboard.__version__)
    library digest = sha256 of every library source file a trial can execute: all of
                     ``whiteboard/**.py`` except the claim modules (``experiments/claims/c*.py``,
                     each versions only its own experiment), the report and the CLI

so editing an experiment's module reruns its trials only, and editing library code (a layer, an
estimator, a shared ``_common_*`` helper) reruns every trial — a number computed by old code is
never served as the result of new code. The digest is coarse on purpose: any finer dependency
tracking (imports resolved statically) misses what ``import whiteboard as wb`` reaches at run time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import inspect
import json
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Optional

from .registry import Experiment, Verdict, get

CACHE_ENV = "WHITEBOARD_CACHE"
BUDGET_SECONDS = {True: 20.0, False: 60.0}
"""Time budget of one experiment (all its seeds, one core): quick ≤ 20 s, full ≤ 60 s (issue 14)."""


def default_cache_dir() -> Path:
    """``$WHITEBOARD_CACHE`` if set, else ``~/.cache/whiteboard/experiments``."""
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else Path.home() / ".cache" / "whiteboard" / "experiments"


_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
_DIGESTS: dict = {}


def _library_files(root: Path) -> list:
    """The library's source files that experiments execute (see the module docstring)."""
    files = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(("report/", "cli.py", "__main__.py")) or (
                rel.startswith("experiments/claims/c")):
            continue
        files.append(path)
    return files


def library_digest(root: Optional[Path] = None) -> str:
    """sha256 over the relative path and bytes of each library source file (16 hex digits).

    Memoised on every file's (path, mtime, size), so an edit is seen by the next call of the same
    process while unchanged sources are hashed once.
    """
    root = Path(root) if root is not None else _PACKAGE_ROOT
    files = _library_files(root)
    stats = [f.stat() for f in files]
    stamp = tuple((str(f), st.st_mtime_ns, st.st_size) for f, st in zip(files, stats))
    if _DIGESTS.get(root, (None,))[0] != stamp:
        digest = hashlib.sha256()
        for f in files:
            digest.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
        _DIGESTS[root] = (stamp, digest.hexdigest()[:16])
    return _DIGESTS[root][1]


def code_version(exp: Experiment) -> str:
    """sha256 of the experiment module's source, the library digest and the library version."""
    from .. import __version__

    module = sys.modules.get(exp.module) or importlib.import_module(exp.module)
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):
        raise ValueError(f"experiment {exp.id}: cannot read the source of module "
                         f"{exp.module!r} to version its cache entries") from None
    digest = hashlib.sha256()
    digest.update(source.encode())
    digest.update(b"\0" + library_digest().encode())
    digest.update(b"\0" + __version__.encode())
    return digest.hexdigest()[:16]


def trial_key(exp: Experiment, seed: int, quick: bool, version: Optional[str] = None) -> dict:
    """The fields that identify one cached trial."""
    return {"experiment": exp.id, "code_version": version or code_version(exp), "seed": int(seed),
            "settings": {"quick": bool(quick)}}


class TrialCache:
    """One JSON file per trial: ``<dir>/<experiment id>/<sha256 of the key>.json``."""

    def __init__(self, directory=None):
        self.directory = Path(directory) if directory is not None else default_cache_dir()

    def path(self, key: dict) -> Path:
        digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:24]
        return self.directory / key["experiment"] / f"{digest}.json"

    def get(self, key: dict):
        """The stored trial record for ``key``, or ``None`` (missing, unreadable or a collision)."""
        path = self.path(key)
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        return record if record.get("key") == key else None

    def put(self, key: dict, record: dict):
        """Write atomically (temporary file + rename), so a crash never leaves half a file."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w") as fh:
                json.dump({**record, "key": key}, fh)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


@dataclasses.dataclass
class Result:
    """An experiment's sweep: one numbers dict per seed, the verdict over them, timings."""

    experiment: Experiment
    seeds: list
    trials: list
    seconds: list
    cached: list
    verdict: Optional[Verdict] = None
    error: str = ""
    quick: bool = False
    cpu_seconds: list = dataclasses.field(default_factory=list)
    """CPU seconds of each trial's process (``time.process_time``; ``None`` for a trial cached
    before this was recorded): beside the wall ``seconds`` on a shared, loaded machine."""

    @property
    def ok(self) -> bool:
        return self.verdict is not None

    @property
    def compute_seconds(self) -> float:
        """Seconds of compute over all seeds (a cached trial counts its first run)."""
        return float(sum(self.seconds))

    @property
    def over_budget(self) -> bool:
        """True when the sweep took more than :data:`BUDGET_SECONDS` for its mode."""
        return self.compute_seconds > BUDGET_SECONDS[bool(self.quick)]

    def to_json(self) -> dict:
        """``{"claims", "verdict", "expected", "deciding", "numbers", ...}`` (``--json`` line)."""
        exp = self.experiment
        numbers = self.trials[0] if len(self.trials) == 1 else {
            f"seed {s}": t for s, t in zip(self.seeds, self.trials)}
        return {"claims": list(exp.claims), "experiment": exp.id, "title": exp.title,
                "section": exp.section,
                "verdict": self.verdict.verdict if self.verdict else "error",
                "expected": exp.expected,
                "deciding": self.verdict.deciding if self.verdict else self.error,
                "seeds": list(self.seeds), "seconds": list(self.seconds),
                "cpu_seconds": list(self.cpu_seconds), "cached": list(self.cached),
                "quick": bool(self.quick),
                "over_budget": self.over_budget, "numbers": numbers}


def _resolve(ref):
    """The experiment a task refers to: ``(module, claim id)`` of a registered one, or itself."""
    if isinstance(ref, Experiment):
        return ref
    module, claim_id = ref
    importlib.import_module(module)
    from .registry import _REGISTRY

    return _REGISTRY[claim_id]


def _reference(exp: Experiment):
    from .registry import _REGISTRY

    return (exp.module, exp.id) if _REGISTRY.get(exp.id) is exp else exp


def _json_roundtrip(exp, numbers):
    try:
        return json.loads(json.dumps(numbers))
    except (TypeError, ValueError) as err:
        raise TypeError(f"experiment {exp.id}: run must return JSON data (numbers, lists, dicts, "
                        f"strings), got {err}") from None


def run_trial(ref, seed: int, quick: bool) -> dict:
    """Run one trial from a fixed starting state; ``{"numbers", "seconds"}`` or ``{"error"}``."""
    import numpy as np

    from .. import backend

    exp = _resolve(ref)
    saved = np.random.get_state(), backend.get_rng_state(), backend.get_default_dtype()
    np.random.seed(seed)
    backend.manual_seed(seed)
    try:
        return _timed_run(exp, seed, quick)
    finally:  # a serial sweep leaves the caller's random state and dtype as it found them
        np.random.set_state(saved[0])
        backend.set_rng_state(saved[1])
        backend.set_default_dtype(saved[2])


def _timed_run(exp, seed, quick):
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        threadpool_limits = None
    start, cpu = time.perf_counter(), time.process_time()
    try:
        if threadpool_limits is not None:
            with threadpool_limits(limits=1):
                numbers = exp.run(seed, quick)
        else:  # pragma: no cover
            numbers = exp.run(seed, quick)
        numbers = _json_roundtrip(exp, numbers)
    except Exception:  # an experiment's failure is reported, not fatal to the sweep
        return {"error": traceback.format_exc(limit=8), "seconds": time.perf_counter() - start,
                "cpu_seconds": time.process_time() - cpu}
    return {"numbers": numbers, "seconds": time.perf_counter() - start,
            "cpu_seconds": time.process_time() - cpu}


def _progress(total, enabled):
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc="experiments", unit="trial", file=sys.stderr)


def _dask_client(scheduler):
    try:
        from dask.distributed import Client
    except ImportError:
        raise ImportError("a Dask scheduler needs dask and distributed: "
                          "pip install 'whiteboard[dask]'") from None
    if isinstance(scheduler, str):
        return Client(scheduler), True
    if isinstance(scheduler, Client):
        return scheduler, False
    raise TypeError(f"scheduler must be an address 'tcp://HOST:PORT' or a "
                    f"dask.distributed.Client, got {type(scheduler).__name__}")


def _as_experiments(experiments):
    if experiments is None:
        from .registry import experiments as all_experiments

        return all_experiments()
    out, seen = [], set()
    for e in experiments:
        exp = e if isinstance(e, Experiment) else get(e)
        if id(exp) not in seen:
            seen.add(id(exp))
            out.append(exp)
    return out


def run_experiments(experiments=None, *, seeds: Optional[int] = None, quick: bool = False,
                    n_jobs: int = 1, scheduler=None, cache=True, progress: bool = False) -> list:
    """Run every experiment over its seeds and decide it; a :class:`Result` per experiment.

    experiments: claim ids (``"C24"``), :class:`Experiment` objects, or ``None`` for all.
    seeds: ``N`` seeds ``0..N-1`` for every experiment (default: each experiment's ``seeds``).
    n_jobs: joblib workers (``-1``: all cores); ignored by the cluster, which uses its workers.
    scheduler: ``"tcp://HOST:PORT"`` or a ``dask.distributed.Client``: run the sweep on Dask.
    cache: ``True`` (default directory), ``False``/``None`` (no cache), a directory, or a
    :class:`TrialCache`.
    """
    import joblib

    if seeds is not None and (not isinstance(seeds, int) or isinstance(seeds, bool) or seeds < 1):
        raise ValueError(f"seeds must be a positive int, got {seeds!r}")
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs == 0:
        raise ValueError(f"n_jobs must be a non-zero int (-1 for all cores), got {n_jobs!r}")
    exps = _as_experiments(experiments)
    if cache is True:
        store = TrialCache()
    elif cache is None or cache is False:
        store = None
    elif isinstance(cache, TrialCache):
        store = cache
    else:
        store = TrialCache(cache)

    plan = []  # (experiment index, seed, key)
    for i, exp in enumerate(exps):
        version = code_version(exp) if store is not None else None
        for s in range(seeds or exp.seeds):
            plan.append((i, s, trial_key(exp, s, quick, version) if store is not None else None))
    records = {}
    todo = []
    for i, s, key in plan:
        hit = store.get(key) if store is not None else None
        if hit is not None:
            records[(i, s)] = {**hit, "cached": True}
        else:
            todo.append((i, s, key))

    bar = _progress(len(plan), progress)
    if bar is not None:
        bar.update(len(plan) - len(todo))
    if todo:
        tasks = [joblib.delayed(run_trial)(_reference(exps[i]), s, quick) for i, s, _ in todo]
        if scheduler is not None:
            client, owned = _dask_client(scheduler)
            try:
                with joblib.parallel_config(backend="dask", client=client):
                    outputs = joblib.Parallel(return_as="generator")(tasks)
                    _collect(outputs, todo, records, store, bar)
            finally:
                if owned:
                    client.close()
        else:
            outputs = joblib.Parallel(n_jobs=n_jobs, return_as="generator")(tasks)
            _collect(outputs, todo, records, store, bar)
    if bar is not None:
        bar.close()

    results = []
    for i, exp in enumerate(exps):
        seed_list = list(range(seeds or exp.seeds))
        recs = [records[(i, s)] for s in seed_list]
        errors = [f"seed {s}: {r['error']}" for s, r in zip(seed_list, recs) if "error" in r]
        res = Result(exp, seed_list, [r.get("numbers") for r in recs],
                     [r["seconds"] for r in recs], [r["cached"] for r in recs], quick=bool(quick),
                     cpu_seconds=[r.get("cpu_seconds") for r in recs])
        if errors:
            res.error = "run failed: " + errors[0].strip().splitlines()[-1]
            res.trials = [t for t in res.trials if t is not None]
        else:
            try:
                res.verdict = exp.judge(res.trials)
            except Exception as err:  # a broken decide is reported beside the others
                res.error = f"decide failed: {type(err).__name__}: {err}"
        results.append(res)
    return results


def _collect(outputs, todo, records, store, bar):
    for (i, s, key), out in zip(todo, outputs):
        record = {**out, "cached": False}
        records[(i, s)] = record
        if store is not None and "error" not in out:
            store.put(key, out)
        if bar is not None:
            bar.update(1)
