"""The sweep runner: cache hits and misses by code version, joblib n_jobs=2 and a real Dask
LocalCluster equal to the serial run bit for bit, errors reported per experiment."""

import importlib
import json
import sys
import textwrap

import numpy as np
import pytest

from tests.experiments import fake_experiments as fake
from whiteboard.experiments import Experiment
from whiteboard.experiments.runner import TrialCache, code_version, run_experiments


def _numbers(results):
    return json.dumps([[r.experiment.id, r.trials] for r in results])


def test_serial_run_decides_and_times_every_trial(tmp_path):
    res = run_experiments(fake.ALL, cache=tmp_path)
    assert [r.experiment.id for r in res] == ["C1", "C24"]
    assert [len(r.trials) for r in res] == [3, 1]          # each experiment's own seed count
    assert res[0].verdict.verdict == "reproduced" and res[1].verdict.verdict == "reproduced"
    assert all(s >= 0 for r in res for s in r.seconds)
    assert not any(c for r in res for c in r.cached)
    line = res[0].to_json()
    assert line["claims"] == ["C1", "C2"] and set(line["numbers"]) == {"seed 0", "seed 1",
                                                                        "seed 2"}


def test_cpu_seconds_are_recorded_per_trial_and_kept_by_the_cache(tmp_path):
    first = run_experiments(fake.ALL, cache=tmp_path)
    assert [len(r.cpu_seconds) for r in first] == [3, 1]
    assert all(c is not None and c >= 0 for r in first for c in r.cpu_seconds)
    again = run_experiments(fake.ALL, cache=tmp_path)
    assert all(all(r.cached) for r in again)
    assert [r.cpu_seconds for r in again] == [r.cpu_seconds for r in first]
    assert again[0].to_json()["cpu_seconds"] == first[0].cpu_seconds


def test_seeds_override_and_quick_change_the_trials(tmp_path):
    a = run_experiments([fake.NOISE], seeds=2, quick=True, cache=False)[0]
    b = run_experiments([fake.NOISE], seeds=2, quick=False, cache=False)[0]
    assert a.seeds == [0, 1] and a.trials[0]["n"] == 200 and b.trials[0]["n"] == 2000
    assert a.trials[0]["mean"] != a.trials[1]["mean"]      # different seeds, different draws


def test_cache_hits_then_misses_when_the_module_source_changes(tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    mod = src / "wb_fake_versioned.py"
    body = textwrap.dedent('''
        CALLS = []
        def run(seed, quick):
            CALLS.append(seed)
            return {"value": seed * FACTOR}
        FACTOR = FACTOR_VALUE
    ''')
    mod.write_text(body.replace("FACTOR_VALUE", "1"))
    monkeypatch.syspath_prepend(str(src))
    module = importlib.import_module("wb_fake_versioned")

    def make():
        return Experiment(id="C5", claims=("C5",), section="A", title="t", expected="reproduce",
                          claim="c", run=module.run, seeds=2, module=module.__name__,
                          decide_fn=lambda t: fake._identity_decide([{"max_abs_diff": 0.0}]))

    cache = TrialCache(tmp_path / "cache")
    first = run_experiments([make()], cache=cache)[0]
    assert first.cached == [False, False] and module.CALLS == [0, 1]
    second = run_experiments([make()], cache=cache)[0]
    assert second.cached == [True, True] and module.CALLS == [0, 1]   # nothing reran
    assert second.trials == first.trials
    assert len(list((tmp_path / "cache" / "C5").glob("*.json"))) == 2
    old_version = code_version(make())

    mod.write_text(body.replace("FACTOR_VALUE", "10"))
    module = importlib.reload(module)
    assert code_version(make()) != old_version
    third = run_experiments([make()], cache=cache)[0]
    assert third.cached == [False, False] and module.CALLS == [0, 1]
    assert [t["value"] for t in third.trials] == [0, 10]
    del sys.modules["wb_fake_versioned"]


def test_cache_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("WHITEBOARD_CACHE", str(tmp_path / "env-cache"))
    run_experiments([fake.IDENTITY])
    assert list((tmp_path / "env-cache" / "C24").glob("*.json"))
    assert run_experiments([fake.IDENTITY])[0].cached == [True]


def test_joblib_two_workers_equal_serial_bit_for_bit():
    serial = run_experiments(fake.ALL, seeds=3, cache=False, n_jobs=1)
    parallel = run_experiments(fake.ALL, seeds=3, cache=False, n_jobs=2)
    assert _numbers(parallel) == _numbers(serial)


def test_registered_experiment_in_worker_processes_equals_serial():
    serial = run_experiments(["C24"], seeds=2, quick=True, cache=False)
    parallel = run_experiments(["C24"], seeds=2, quick=True, cache=False, n_jobs=2)
    assert _numbers(parallel) == _numbers(serial)
    assert serial[0].verdict == parallel[0].verdict


def test_dask_local_cluster_equals_local_run_bit_for_bit():
    distributed = pytest.importorskip("dask.distributed")
    serial = run_experiments(fake.ALL + ["C24"], seeds=2, quick=True, cache=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            by_client = run_experiments(fake.ALL + ["C24"], seeds=2, quick=True, cache=False,
                                        scheduler=client)
            assert len(client.scheduler_info()["workers"]) == 2
        by_address = run_experiments([fake.IDENTITY], seeds=2, cache=False,
                                     scheduler=cluster.scheduler_address)
    assert _numbers(by_client) == _numbers(serial)
    assert _numbers(by_address) == _numbers(run_experiments([fake.IDENTITY], seeds=2,
                                                            cache=False))


def _boom(seed, quick):
    raise RuntimeError(f"broken on seed {seed}")


def test_a_failing_experiment_is_reported_not_fatal(tmp_path):
    bad = Experiment(id="C9", claims=("C9",), section="A", title="t", expected="reproduce",
                     claim="c", run=_boom, module=__name__, decide_fn=fake._identity_decide)
    nojson = Experiment(id="C8", claims=("C8",), section="A", title="t", expected="reproduce",
                        claim="c", run=lambda s, q: {"x": object()}, module=__name__,
                        decide_fn=fake._identity_decide)
    res = run_experiments([bad, nojson, fake.IDENTITY], cache=tmp_path)
    assert not res[0].ok and "RuntimeError: broken on seed 0" in res[0].error
    assert not res[1].ok and "must return JSON data" in res[1].error
    assert res[2].ok
    assert res[0].to_json()["verdict"] == "error"
    assert not list(tmp_path.glob("C9/*.json"))              # failures are never cached


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="seeds must be a positive int"):
        run_experiments(fake.ALL, seeds=0)
    with pytest.raises(ValueError, match="n_jobs must be a non-zero int"):
        run_experiments(fake.ALL, n_jobs=0)
    with pytest.raises(TypeError, match="scheduler must be an address"):
        run_experiments(fake.ALL, scheduler=42, cache=False)
    with pytest.raises(KeyError, match="no experiment is registered for claim 'C999'"):
        run_experiments(["C999"])


def _dtype_changer(seed, quick):
    import whiteboard as wb

    wb.set_default_dtype(wb.float64)
    return {"x": float(np.random.normal())}


def test_serial_trials_leave_the_callers_random_state_and_dtype_alone():
    import whiteboard as wb

    exp = Experiment(id="C7", claims=("C7",), section="A", title="t", expected="reproduce",
                     claim="c", run=_dtype_changer, module=__name__,
                     decide_fn=lambda t: fake._identity_decide([{"max_abs_diff": 0.0}]))
    np.random.seed(123)
    wb.manual_seed(5)
    before = np.random.get_state()[1].copy(), wb.get_rng_state(), wb.get_default_dtype()
    a = run_experiments([exp], seeds=2, cache=False)[0]
    assert np.array_equal(np.random.get_state()[1], before[0])
    assert wb.get_rng_state() == before[1] and wb.get_default_dtype() == before[2]
    assert a.trials[0]["x"] == np.random.RandomState(0).normal()      # seeded per trial


def test_library_digest_follows_library_code_but_not_claims_report_or_cli(tmp_path):
    """Editing a layer or a shared claims helper changes the digest (every trial reruns); editing
    one claim module, the report or the CLI does not (they never change another trial's numbers)."""
    from whiteboard.experiments.runner import library_digest

    files = {"__init__.py": "", "nn/conv.py": "K = 3\n", "cli.py": "", "report/html.py": "",
             "experiments/claims/c024_x.py": "A = 1\n",
             "experiments/claims/_common_x.py": "B = 1\n"}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    base = library_digest(tmp_path)
    assert library_digest(tmp_path) == base
    for rel, changes in [("cli.py", False), ("report/html.py", False),
                         ("experiments/claims/c024_x.py", False), ("nn/conv.py", True),
                         ("experiments/claims/_common_x.py", True)]:
        before = library_digest(tmp_path)
        (tmp_path / rel).write_text(files[rel] + "# edited, longer\n")
        assert (library_digest(tmp_path) != before) is changes, rel


def test_code_version_changes_with_the_library_digest(monkeypatch):
    import whiteboard.experiments.runner as runner

    exp = fake.IDENTITY
    monkeypatch.setattr(runner, "library_digest", lambda: "0" * 16)
    first = code_version(exp)
    monkeypatch.setattr(runner, "library_digest", lambda: "1" * 16)
    assert code_version(exp) != first
