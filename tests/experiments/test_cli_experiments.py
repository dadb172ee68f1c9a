"""``whiteboard experiments list / run`` and ``python -m whiteboard``."""

import json
import subprocess
import sys

from whiteboard.cli import main
from whiteboard.experiments import experiments


def test_list_names_every_experiment(capsys):
    assert main(["experiments", "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(experiments())
    first = experiments()[0]
    assert any(line.startswith(",".join(first.claims)) and first.title in line for line in out)


def test_run_json_prints_one_parsable_object_per_experiment(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("WHITEBOARD_CACHE", str(tmp_path))
    assert main(["experiments", "run", "C24", "c72", "--quick", "--seeds", "2", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["claims"][0] for line in lines] == ["C24", "C72"]
    for line in lines:
        assert set(line) >= {"claims", "verdict", "expected", "deciding", "numbers"}
        assert line["verdict"] == "reproduced" and line["expected"] == "reproduce"
        assert set(line["numbers"]) == {"seed 0", "seed 1"}
        assert line["cached"] == [False, False]
    assert main(["experiments", "run", "C24", "--quick", "--seeds", "2", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cached"] == [True, True]


def test_run_unknown_claim_is_a_clear_error(capsys):
    assert main(["experiments", "run", "C999", "--no-cache"]) == 2
    assert "no experiment is registered for claim 'C999'" in capsys.readouterr().err


def test_python_dash_m_whiteboard(tmp_path):
    out = subprocess.run([sys.executable, "-m", "whiteboard", "experiments", "run", "C24",
                          "--quick", "--no-cache"], capture_output=True, text=True, timeout=120,
                         check=True).stdout
    assert out.startswith("C24: reproduced")


def test_report_command_writes_the_site(tmp_path, monkeypatch, capsys):
    import importlib

    from tests.experiments import fake_experiments as fake

    reg = importlib.import_module("whiteboard.experiments.registry")
    monkeypatch.setattr(reg, "experiments", lambda: list(fake.ALL))
    out = tmp_path / "site"
    assert main(["report", "--quick", "--out", str(out), "--no-cache", "--jobs", "2"]) == 0
    assert f"report written to {out / 'index.html'}" in capsys.readouterr().out
    index = (out / "index.html").read_text()
    assert "3 experiments" not in index and "2 experiments decide 3 of the 206" in index
