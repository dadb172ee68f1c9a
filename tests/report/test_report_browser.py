"""The report built from three fake experiments, opened in a real headless Chromium (Debian's
package, driven by Playwright): every page loads without console errors, every link resolves to
an existing page and anchor, every image loads with a non-zero natural size, and the summary
counts equal the results. A screenshot of the index is written as a test artefact."""

import os
import shutil
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest

from tests.experiments import fake_experiments as fake
from whiteboard.experiments import Experiment, verdict
from whiteboard.report import build_report
from whiteboard.report.catalog import claims

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTEFACTS = Path(os.environ.get("WHITEBOARD_ARTEFACTS", "test-artefacts"))


def _flat_run(seed, quick):
    return {"ratio": 2.0 + seed}


def _flat_decide(trials):
    return verdict(trials[0]["ratio"] < 1, f"ratio = {trials[0]['ratio']:.2f}")


FLAT = Experiment(id="C101", claims=("C101",), section="G", title="A ratio below one",
                  expected="contested", claim="The ratio is below one.", run=_flat_run,
                  module=__name__, decide_fn=_flat_decide, errata=("E41",),
                  code=("whiteboard.nn.functional:cross_entropy",))
EXPERIMENTS = fake.ALL + [FLAT]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    index = build_report(out, EXPERIMENTS, cache=False)
    return out, index


def test_site_files_and_counts_without_a_browser(site):
    out, index = site
    assert index == out / "index.html"
    assert {p.name for p in out.glob("section-*.html")} == {f"section-{s}.html"
                                                           for s in "ABCDEFGHIJKLMN"}
    assert sorted(p.name for p in (out / "fig").glob("*.png")) == ["C1-1.png"]
    page_a = (out / "section-A.html").read_text()
    assert "样本均值接近零。" in page_a and "Erratum E1" in page_a
    assert "L0 is a count, not a sum" in page_a                  # errata title from package data
    page_g = (out / "section-G.html").read_text()
    assert "Cross-entropy output delta is a − y" in page_g
    assert "not reproduced at this scale" in page_g


def _browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} "
                    "(apt-get install -y chromium chromium-driver)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    return sync_api


def test_every_page_link_and_image_in_headless_chromium(site):
    sync_api = _browser()
    out, index = site
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page()
            errors = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))

            seen, queue, links = set(), [index.as_uri()], []
            while queue:
                url = queue.pop()
                if url in seen:
                    continue
                seen.add(url)
                response = page.goto(url)
                assert response is not None and response.ok, url
                assert page.title(), f"{url} has no title"
                images = page.eval_on_selector_all(
                    "img", "els => els.map(e => [e.src, e.complete, e.naturalWidth, "
                           "e.naturalHeight])")
                for src, complete, w, h in images:
                    assert complete and w > 0 and h > 0, f"image {src} on {url} did not load"
                hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
                for href in hrefs:
                    target, anchor = urldefrag(href)
                    assert urlparse(target).scheme == "file", f"external link {href} on {url}"
                    links.append((url, target, anchor))
                    if target.endswith(".html") and target not in seen:
                        queue.append(target)
            assert not errors, errors

            ids = {}
            for url, target, anchor in links:
                assert Path(urlparse(target).path).is_file(), f"{url} links to missing {target}"
                if anchor:
                    if target not in ids:
                        page.goto(target)
                        ids[target] = set(page.eval_on_selector_all(
                            "[id]", "els => els.map(e => e.id)"))
                    assert anchor in ids[target], f"{url} links to missing #{anchor} in {target}"
            assert len(seen) >= 15 + 3            # index, 14 sections, source pages

            page.goto(index.as_uri())
            counts = dict(page.eval_on_selector_all(
                "#counts td.count", "els => els.map(e => [e.dataset.verdict, +e.textContent])"))
            assert counts == {"reproduced": 2, "not reproduced at this scale": 1, "refuted": 0,
                              "error": 0}
            claim_counts = dict(page.eval_on_selector_all(
                "#counts td.claim-count",
                "els => els.map(e => [e.dataset.verdict, +e.textContent])"))
            covered = {c for e in EXPERIMENTS for c in e.claims}
            assert claim_counts["reproduced"] == 3 and claim_counts["none"] == len(claims()) - 4
            assert sum(claim_counts.values()) == len(claims())
            rows = page.eval_on_selector_all("#summary tr.claim",
                                             "els => els.map(e => e.dataset.claim)")
            assert rows == list(claims())
            missing = set(page.eval_on_selector_all("#summary tr.missing",
                                                    "els => els.map(e => e.dataset.claim)"))
            assert missing == set(claims()) - covered
            cross = page.eval_on_selector(
                "#cross td[data-expected='contested'][data-verdict='not reproduced at this "
                "scale']", "e => +e.textContent")
            assert cross == 1
            ARTEFACTS.mkdir(parents=True, exist_ok=True)
            page.set_viewport_size({"width": 1280, "height": 900})
            page.screenshot(path=str(ARTEFACTS / "report-index.png"), full_page=False)
            assert (ARTEFACTS / "report-index.png").stat().st_size > 0
        finally:
            browser.close()


def test_rebuild_over_an_old_site_replaces_figures(site, tmp_path):
    out = tmp_path / "again"
    shutil.copytree(site[0], out)
    (out / "fig" / "stale.png").write_bytes(b"x")
    build_report(out, [fake.IDENTITY], cache=False)
    assert not (out / "fig" / "stale.png").exists()
