"""The topic index: every link resolves, every seed heading and SCOPE item is covered, search
finds entries despite typos, the CLI prints them, the HTML pages are written."""

import ast
import contextlib
import io
import re
from functools import lru_cache
from pathlib import Path

import pytest

from whiteboard import topics
from whiteboard.cli import main
from whiteboard.topics import loader, seeds

from . import make_seed_headings as make

ROOT = Path(__file__).resolve().parents[2]
TOPICS = topics.load()


def _ids(attr):
    return [pytest.param(t, id=t.id) for t in TOPICS if getattr(t, attr)]


@lru_cache(maxsize=None)
def _test_names(path):
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                node.name.startswith("test"):
            names.add(node.name)
    return names


def test_reference_lists_are_derived_from_shared():
    shared = make.shared_dir()
    if shared is None:
        pytest.skip("shared/ (seeds, CLAIMS.md, ...) is not beside the checkout")
    for name, derive in make.FILES.items():
        stored = (loader.DATA / name).read_text(encoding="utf-8")
        assert stored == derive(shared), f"{name} is stale: run tests/topics/make_seed_headings.py"


def test_heading_rules_on_small_examples():
    md = "# Title :v:\n```\n# not a heading\n```\n**pros: **\n**Short bold:**\n" \
         "**" + "x" * 41 + "**\n* item\n"
    assert [h.text for h in seeds.extract(md, "001")] == ["Title", "Short bold"]
    plain = "Section\n\n1. A numbered question\nanswer.\n  • 2.Another one?\n\n" \
            "a sentence, with commas.\nTo be continued\n\nAfter footer\n"
    assert [h.text for h in seeds.extract(plain, "002")] == [
        "Section", "1. A numbered question", "2.Another one?"]


def test_entries_are_well_formed():
    assert len(TOPICS) >= 60
    for t in TOPICS:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", t.id), t.id
        assert set(t.seeds) <= set(seeds.SEEDS), (t.id, t.seeds)
        assert len(t.answer.split()) >= 40, f"{t.id}: answer too short"
        assert re.search(r"[\u4e00-\u9fff]", t.zh) or t.zh in {h for _, _, h in
                                                                  topics.seed_headings()}, t.id


@pytest.mark.parametrize("topic", _ids("code"))
def test_code_links_resolve(topic):
    for link in topic.code:
        assert re.fullmatch(r"whiteboard(\.\w+)*:\w+(\.\w+)*", link), link
        loader.resolve_code(link)
        assert (ROOT / loader.code_path(link)).is_file(), link


@pytest.mark.parametrize("topic", _ids("tests"))
def test_test_links_name_real_tests(topic):
    for link in topic.tests:
        path, _, name = link.partition("::")
        assert path.startswith("tests/") and (ROOT / path).is_file(), link
        assert name in _test_names(path), f"{topic.id}: no test {name} in {path}"


def test_claim_errata_scope_and_heading_links_exist():
    claims, errata, scope = topics.claim_titles(), topics.errata_titles(), topics.scope_items()
    headings = {(s, h) for s, _, h in topics.seed_headings()}
    for t in TOPICS:
        assert set(t.claims) <= set(claims), (t.id, set(t.claims) - set(claims))
        assert set(t.errata) <= set(errata), (t.id, set(t.errata) - set(errata))
        assert set(t.scope) <= set(scope), (t.id, set(t.scope) - set(scope))
        for h in t.headings:
            assert any((s, h) in headings for s in t.seeds), f"{t.id}: heading {h!r} not in " \
                                                             f"seeds {t.seeds}"


def test_claims_link_registered_experiments_when_available():
    try:
        from whiteboard import experiments
    except ImportError:
        pytest.skip("whiteboard.experiments is not installed")
    registered = experiments.registry()
    linked = {c for t in TOPICS for c in t.claims}
    for c in linked & set(registered):
        assert topics.experiment_for(c)[0] == registered[c].id


def test_every_seed_heading_is_covered():
    covered = {(s, h) for t in TOPICS for s in t.seeds for h in t.headings}
    missing = [(s, n, h) for s, n, h in topics.seed_headings() if (s, h) not in covered]
    assert not missing, f"{len(missing)} seed headings without a topic: {missing[:10]}"


def test_every_scope_item_is_covered():
    covered = {s for t in TOPICS for s in t.scope}
    assert set(topics.scope_items()) <= covered, set(topics.scope_items()) - covered


def test_errata_links_cover_many_corrections():
    linked = {e for t in TOPICS for e in t.errata}
    assert len(linked) >= 80, len(linked)


def test_duplicate_ids_and_unknown_fields_are_rejected(tmp_path, monkeypatch):
    (tmp_path / "a.toml").write_text(
        "[[topic]]\nid='x'\nzh='题'\nen='x'\nseeds=['000']\nanswer='a'\nbogus=1\n",
        encoding="utf-8")
    monkeypatch.setattr(loader, "DATA", tmp_path)
    loader.load.cache_clear()
    try:
        with pytest.raises(ValueError, match="bogus"):
            loader.load()
    finally:
        loader.load.cache_clear()


@pytest.mark.parametrize("query,expected", [
    ("dropuot", "dropout"),
    ("bacth normalisation backward", "bn-backward"),
    ("recepitve field", "conv-arithmetic"),
    ("smoth l1", "smooth-l1"),
    ("Xavier initialisaton", "weight-init"),
    ("为什么L1稀疏", "l1-sparsity-why"),
    ("ResNet解决了什么问题", "resnet"),
    ("BN的反向传播", "bn-backward"),
    ("adam bias corection", "adam"),
    ("kmeans k choose elbow", "kmeans-k"),
])
def test_search_ranks_the_right_topic_first_or_second(query, expected):
    ids = [t.id for t in topics.search(query)]
    assert expected in ids[:2], (query, ids[:5])


def test_search_edge_cases():
    assert topics.search("") == []
    assert topics.search("zzzzqqqq") == []
    from whiteboard.topics.search import _distance, similarity
    assert _distance("dropout", "dropuot", 2) == 1
    assert similarity("drop", "dropout") == 0.9
    assert similarity("cat", "cut") == 0.0


def _run(*argv):
    buf, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(err):
        rc = main(["topics", *argv])
    return rc, buf.getvalue(), err.getvalue()


def test_cli_search_show_and_seed():
    rc, out, _ = _run("dropuot")
    assert rc == 0 and out.splitlines()[0].startswith("dropout")
    rc, out, _ = _run("show", "bn-backward")
    assert rc == 0 and "Answer:" in out and "whiteboard/nn/normalization.py" in out
    assert "E55" in out and "tests/nn/test_normalization.py::" in out
    rc, out, _ = _run("--seed", "002")
    lines = out.splitlines()
    assert rc == 0 and lines[0].split()[0] == "optimizers-overview"
    assert len(lines) == len({line.split()[0] for line in lines})
    rc, out, _ = _run()
    assert rc == 0 and f"({len(topics.areas()['regularisation'])})" in out
    rc, _, err = _run("show", "no-such-topic")
    assert rc == 2 and "no topic" in err
    rc, _, err = _run("--seed", "007")
    assert rc == 2 and "000..004" in err


def test_seed_order_follows_the_note():
    order = [t.id for _, t in topics.by_seed("004")]
    assert order[:2] == ["notes-overview", "bn-formula"] or order[0] == "bn-formula", order


def test_html_pages(tmp_path):
    paths = topics.html.write_pages(tmp_path, experiment_link=lambda e: f"exp/{e}.html",
                                    code_root="../..")
    names = {p.name for p in paths}
    assert "index.html" in names and {f"{a}.html" for a in topics.areas()} <= names
    page = (tmp_path / "normalization.html").read_text(encoding="utf-8")
    assert "id='bn-backward'" in page and "whiteboard/nn/normalization.py" in page
    assert "E55" in page
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.count("<li><a href=") >= len(topics.areas())


def test_readme_states_the_counts():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    n = len(TOPICS)
    n_err = sum(1 for t in TOPICS if t.errata)
    assert f"{n} topics" in readme and f"{n_err} of them" in readme
