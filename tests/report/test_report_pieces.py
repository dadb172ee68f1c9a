"""The report's pieces: JSON flattening into tables, package data, and the topics hook."""

import sys
import types

from tests.experiments import fake_experiments as fake
from whiteboard.report import build_report
from whiteboard.report.catalog import claims, errata, sections
from whiteboard.report.tables import fmt, numbers_html, split


def test_split_separates_scalars_records_and_nests_paths():
    trial = {"a": 1, "b": {"c": 2.5, "d": [1, 2]}, "rows": [{"x": 1}, {"x": 2, "y": "z"}],
             "curve": list(range(100))}
    scalars, records = split(trial)
    assert scalars == [("a", 1), ("b.c", 2.5), ("b.d", [1, 2]), ("curve", list(range(100)))]
    assert records == [("rows", [{"x": 1}, {"x": 2, "y": "z"}])]


def test_fmt_is_compact_and_keeps_exactness_visible():
    assert fmt(0.25) == "0.25" and fmt(3.3e-16) == "3.300e-16" and fmt(True) == "true"
    assert fmt(None) == "null" and fmt([1, 2.5]) == "[1, 2.5]"
    assert fmt(list(range(50))) == "50 values, 0 … 49"
    assert fmt(float("nan")) == "nan"


def test_numbers_html_has_a_column_per_seed_and_mean_sd():
    out = numbers_html([{"v": 1.0, "rows": [{"k": 1}]}, {"v": 3.0, "rows": [{"k": 2}]}], [0, 1])
    assert "<th>seed 0</th><th>seed 1</th><th>mean ± sd</th>" in out
    assert "2 ± 1.41421" in out and "<details><summary>seed 1</summary>" in out
    assert "&lt;b&gt;" in numbers_html([{"s": "<b>"}], [0])           # escaped


def test_package_data_is_complete():
    assert len(claims()) == 206 and claims()["C24"]["section"] == "B"
    assert errata()["E41"]["title"] == "Cross-entropy output delta is a − y"
    assert list(sections()) == list("ABCDEFGHIJKLMN")


def test_topics_pages_are_written_and_linked_when_the_package_exists(tmp_path, monkeypatch):
    calls = []

    def write_pages(out_dir, experiment_link):
        calls.append(experiment_link("C24"))
        out_dir.mkdir(parents=True)
        (out_dir / "index.html").write_text("<!DOCTYPE html><title>topics</title>")
        return [out_dir / "index.html"]

    pkg = types.ModuleType("whiteboard.topics")
    pkg.__path__ = []
    mod = types.ModuleType("whiteboard.topics.html")
    mod.write_pages = write_pages
    monkeypatch.setitem(sys.modules, "whiteboard.topics", pkg)
    monkeypatch.setitem(sys.modules, "whiteboard.topics.html", mod)
    index = build_report(tmp_path, [fake.IDENTITY], cache=False)
    assert calls == ["../section-B.html#C24"]
    assert "<a href='topics/index.html'>topics</a>" in index.read_text()


def test_without_topics_the_report_still_builds(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "whiteboard.topics", None)     # import fails
    monkeypatch.setitem(sys.modules, "whiteboard.topics.html", None)
    index = build_report(tmp_path, [fake.IDENTITY], cache=False)
    assert "topics/" not in index.read_text()


def _unlabelled_plot(trials):
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2)
    a.plot([0, 1], [0, 1])
    a.set_xlabel("x")
    a.set_ylabel("y")
    b.plot([0, 1], [1, 0])                     # no labels
    return [fig]


def _broken_plot(trials):
    raise RuntimeError("no figure today")


def test_unlabelled_axes_and_broken_plots_are_flagged_on_the_page(tmp_path):
    import dataclasses

    bad = dataclasses.replace(fake.IDENTITY, plot_fn=_unlabelled_plot)
    build_report(tmp_path / "a", [bad], cache=False)
    page = (tmp_path / "a" / "section-B.html").read_text()
    assert "figure 1: an axis has no label" in page and "fig/C24-1.png" in page
    labelled = dataclasses.replace(fake.NOISE)
    build_report(tmp_path / "b", [labelled], cache=False)
    assert "no label" not in (tmp_path / "b" / "section-A.html").read_text()
    broken = dataclasses.replace(fake.IDENTITY, plot_fn=_broken_plot)
    build_report(tmp_path / "c", [broken], cache=False)
    page = (tmp_path / "c" / "section-B.html").read_text()
    assert "plot failed: RuntimeError(&#x27;no figure today&#x27;)" in page
    assert "reproduced" in page                               # verdict and numbers still there


def test_experiments_over_the_time_budget_are_flagged(tmp_path, monkeypatch):
    """A sweep whose compute exceeds the budget of its mode is listed on the index and marked on
    its section page; within the budget nothing is flagged."""
    from whiteboard.experiments import runner

    build_report(tmp_path / "ok", [fake.IDENTITY], cache=False, quick=True)
    assert "over-budget" not in (tmp_path / "ok" / "index.html").read_text()
    assert "over the quick budget" not in (tmp_path / "ok" / "section-B.html").read_text()

    monkeypatch.setitem(runner.BUDGET_SECONDS, True, 0.0)       # any positive time is over
    (res,) = runner.run_experiments([fake.IDENTITY], quick=True, cache=False)
    assert res.quick and res.over_budget and res.to_json()["over_budget"] is True
    build_report(tmp_path / "slow", [fake.IDENTITY], cache=False, quick=True)
    index = (tmp_path / "slow" / "index.html").read_text()
    assert "<ul id='over-budget'><li data-experiment='C24'>" in index
    page = (tmp_path / "slow" / "section-B.html").read_text()
    assert "over the quick budget" in page and "&gt; 0 s" in page
    (full,) = runner.run_experiments([fake.IDENTITY], quick=False, cache=False)
    assert not full.quick and not full.over_budget                # the full budget is 60 s
