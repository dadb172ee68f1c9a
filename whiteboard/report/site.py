"""The static HTML report: run the experiments, then write

    index.html            summary: every claim C1..C206 -> verdict -> deciding number -> link,
                          verdict counts, expected vs got, claims with no experiment yet
    section-A.html ...    one page per section: claim (English, the notes' Chinese), design,
                          numbers as tables, figures, verdict, code / tests links, errata
    fig/*.png             the experiments' figures (matplotlib, Agg)
    source/*.html         the implementing code, experiment modules and tests, with line anchors
    style.css

No JavaScript, no external resources: the site opens from the file system.
"""

from __future__ import annotations

import html
import importlib
import inspect
import shutil
from collections import Counter
from pathlib import Path

from ..experiments import EXPECTED, VERDICTS
from ..experiments.runner import BUDGET_SECONDS, run_experiments
from . import catalog
from .tables import numbers_html

ERROR = "error"
# the expected-outcome marks in glyphs that common fonts have (✅ and ❌ are emoji-only)
MARK = {"reproduce": "✓", "contested": "⚠", "refute": "✗"}
_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em;
       color: #222; line-height: 1.45; }
nav a { margin-right: .8em; }
table { border-collapse: collapse; margin: .6em 0; font-size: .9em; }
th, td { border: 1px solid #ccc; padding: .2em .5em; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
caption { text-align: left; font-weight: bold; padding: .2em 0; }
.verdict { font-weight: bold; padding: .1em .4em; border-radius: .3em; }
.v-reproduced { background: #d8f3dc; }
.v-not-reproduced-at-this-scale { background: #fff3bf; }
.v-refuted { background: #ffd6d6; }
.v-error { background: #e0e0e0; }
.v-none { color: #777; }
.experiment { border-top: 2px solid #ddd; margin-top: 2em; padding-top: .5em; }
.zh { color: #444; }
.erratum { background: #eef4ff; border-left: 4px solid #5b8def; padding: .4em .8em; }
.mismatch { color: #a40000; }
.over-budget { color: #a40000; font-weight: bold; }
img { max-width: 100%; border: 1px solid #eee; margin: .3em; }
pre.source { font-size: .85em; line-height: 1.3; }
pre.source span.ln { display: inline-block; width: 4em; color: #999; user-select: none; }
"""


def _slug(verdict):
    return "v-" + verdict.replace(" ", "-")


def _page(title, body, css="style.css", nav=""):
    return (f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><link rel='stylesheet' href='{css}'>"
            f"<link rel='icon' href='data:,'></head><body>{nav}<h1>{html.escape(title)}</h1>"
            f"{body}</body></html>\n")


def _nav(sections, prefix="", extra=()):
    links = [f"<a href='{prefix}index.html'>summary</a>"]
    links += [f"<a href='{prefix}section-{s}.html'>{s}</a>" for s in sections]
    links += [f"<a href='{prefix}{href}'>{html.escape(text)}</a>" for href, text in extra]
    return "<nav>" + " ".join(links) + "</nav>"


class _Sources:
    """Copies source files into ``source/`` as HTML with ``#L<n>`` anchors; returns links."""

    def __init__(self, out: Path):
        self.out = out
        self.package_root = Path(importlib.import_module("whiteboard").__file__).parent.parent
        self.written = {}

    def link(self, file: Path, line=None, text=None):
        file = Path(file).resolve()
        try:
            rel = file.relative_to(self.package_root)
        except ValueError:
            rel = Path(file.name)
        if not file.is_file():
            return f"<code>{html.escape(str(rel))}</code> (not found)"
        target = Path("source") / (str(rel).replace("/", "__") + ".html")
        if rel not in self.written:
            lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
            body = "".join(f"<span id='L{i}'><span class='ln'>{i}</span>{html.escape(s)}</span>\n"
                           for i, s in enumerate(lines, 1))
            (self.out / target).parent.mkdir(parents=True, exist_ok=True)
            (self.out / target).write_text(
                _page(str(rel), f"<pre class='source'>{body}</pre>", css="../style.css",
                      nav="<nav><a href='../index.html'>summary</a></nav>"), encoding="utf-8")
            self.written[rel] = target
        anchor = f"#L{line}" if line else ""
        label = html.escape(text or str(rel))
        return f"<a href='{target.as_posix()}{anchor}'>{label}</a>"

    def code(self, entry: str):
        """``"whiteboard.nn:Conv2d"`` (or a module name) -> link to the defining file and line."""
        module_name, _, attr = entry.partition(":")
        try:
            obj = importlib.import_module(module_name)
            for part in filter(None, attr.split(".")):
                obj = getattr(obj, part)
            file = inspect.getsourcefile(obj)
            line = inspect.getsourcelines(obj)[1] if attr else None
        except (ImportError, AttributeError, TypeError, OSError):
            return f"<code>{html.escape(entry)}</code> (not importable)"
        return self.link(Path(file), line if line else None, entry)

    def test(self, path: str):
        return self.link(self.package_root / path, text=path)


def _figures(exp, trials, out: Path):
    if exp.plot_fn is None or not trials:
        return [], ""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    names, unlabelled = [], []
    try:
        figs = exp.plot_fn(trials) or []
        for i, fig in enumerate(figs):
            name = f"fig/{exp.id}-{i + 1}.png"
            fig.savefig(out / name, dpi=110)
            names.append(name)
            if any(_unlabelled(ax) for ax in fig.axes):
                unlabelled.append(str(i + 1))
    except Exception as err:  # a broken plot must not hide the numbers and the verdict
        return names, f"<p class='mismatch'>plot failed: {html.escape(repr(err))}</p>"
    finally:
        plt.close("all")
    note = (f"<p class='mismatch'>figure {', '.join(unlabelled)}: an axis has no label</p>"
            if unlabelled else "")
    return names, note


def _unlabelled(ax):
    """A plotting axes (not a colour bar, not switched off) with an empty x or y label."""
    if not ax.axison or ax.get_label() == "<colorbar>":
        return False
    has_data = ax.lines or ax.collections or ax.patches or ax.images
    return bool(has_data) and not (ax.get_xlabel() and ax.get_ylabel())


def _verdict_html(res):
    if res is None:
        return "<span class='verdict v-none'>no experiment yet</span>"
    v = res.verdict.verdict if res.ok else ERROR
    return f"<span class='verdict {_slug(v)}'>{html.escape(v)}</span>"


def _expected_matches(res):
    if not res.ok:
        return False
    want = res.experiment.expected
    got = res.verdict.verdict
    return {"reproduce": got == VERDICTS[0], "refute": got == VERDICTS[2],
            "contested": True}[want]


def _experiment_html(res, out, sources, errata):
    exp = res.experiment
    claim_anchors = "".join(f"<span id='{c}'></span>" for c in exp.claims[1:])
    parts = [f"<section class='experiment' id='{exp.id}'>{claim_anchors}",
             f"<h2>{html.escape(', '.join(exp.claims))}: {html.escape(exp.title)}</h2>",
             f"<p><strong>Claim.</strong> {html.escape(exp.claim)}</p>"]
    if exp.zh:
        parts.append(f"<p class='zh' lang='zh'><strong>The notes:</strong> "
                     f"{html.escape(exp.zh)}</p>")
    parts.append(f"<p><strong>Expected.</strong> {MARK[exp.expected]} {exp.expected}"
                 f"&nbsp;&nbsp;<strong>Verdict.</strong> {_verdict_html(res)} "
                 f"&mdash; {html.escape(res.verdict.deciding if res.ok else res.error)}</p>")
    if res.ok and not _expected_matches(res):
        parts.append(f"<p class='mismatch'>The catalogue expected “{exp.expected}”; the "
                     f"numbers below decide otherwise.</p>")
    for eid in exp.errata:
        e = errata.get(eid)
        title = f"[{e['severity']}] {e['title']}" if e else "(not in the shipped errata list)"
        parts.append(f"<p class='erratum'><strong>Erratum {html.escape(eid)}</strong> "
                     f"{html.escape(title)}: the notes are corrected here; the experiment tests "
                     f"the corrected statement.</p>")
    if exp.design:
        parts.append(f"<p><strong>Design.</strong> {html.escape(exp.design)}</p>")
    figs, fig_error = _figures(exp, res.trials, out)
    parts.append(fig_error)
    parts += [f"<img src='{n}' alt='{html.escape(exp.id)} figure {i + 1}'>"
              for i, n in enumerate(figs)]
    if res.trials:
        parts.append("<h3>Numbers</h3>" + numbers_html(res.trials, res.seeds[:len(res.trials)]))
    if res.error and not res.ok:
        parts.append(f"<pre>{html.escape(res.error)}</pre>")
    timing = ", ".join(f"seed {s}: {t:.2f} s{' (cached)' if c else ''}"
                       for s, t, c in zip(res.seeds, res.seconds, res.cached))
    over = ""
    if res.over_budget:
        mode = "quick" if res.quick else "full"
        over = (f" <span class='over-budget'>over the {mode} budget: "
                f"{res.compute_seconds:.1f} s &gt; {BUDGET_SECONDS[res.quick]:.0f} s</span>")
    parts.append(f"<p><strong>Time.</strong> {timing}{over}</p>")
    links = [sources.link(Path(inspect.getsourcefile(exp.run)), text="experiment source")]
    links += [sources.code(c) for c in exp.code]
    links += [sources.test(t) for t in exp.tests]
    parts.append("<p><strong>Code and tests.</strong> " + " · ".join(links) + "</p></section>")
    return "".join(parts)


def _topics(out: Path, results):
    """Let the topics package write its pages into ``topics/`` (if it is importable), with
    each claim's experiment linked back to its section page; returns the nav entries."""
    try:
        from ..topics.html import write_pages
    except ImportError:
        return []
    links = {r.experiment.id: f"../section-{r.experiment.section}.html#{r.experiment.id}"
             for r in results}
    pages = write_pages(out / "topics", experiment_link=links.get) or []
    return [("topics/index.html", "topics")] if pages else []


def write_site(results, out) -> Path:
    """Write the site for the already-run ``results`` (a list of runner ``Result``)."""
    out = Path(out)
    if out.exists():
        for sub in ("fig", "source"):
            shutil.rmtree(out / sub, ignore_errors=True)
    (out / "fig").mkdir(parents=True, exist_ok=True)
    (out / "style.css").write_text(_CSS, encoding="utf-8")
    sections = catalog.sections()
    errata = catalog.errata()
    claims = catalog.claims()
    sources = _Sources(out)
    topic_pages = _topics(out, results)
    by_claim = {c: r for r in results for c in r.experiment.claims}

    used = sorted({r.experiment.section for r in results})
    nav_sections = sorted(set(used) | set(sections))
    nav = _nav(nav_sections, extra=topic_pages)
    for s in nav_sections:
        here = [r for r in results if r.experiment.section == s]
        missing = [c for c in claims.values() if c["section"] == s and c["id"] not in by_claim]
        body = [f"<p>{len(here)} experiments covering "
                f"{sum(len(r.experiment.claims) for r in here)} claims.</p>"]
        body += [_experiment_html(r, out, sources, errata) for r in here]
        if missing:
            body.append("<h2 id='missing'>Claims with no experiment yet</h2><ul>" + "".join(
                f"<li id='{c['id']}'><strong>{c['id']}</strong> {html.escape(c['text'])}</li>"
                for c in missing) + "</ul>")
        (out / f"section-{s}.html").write_text(
            _page(f"{s}. {sections.get(s, s)}", "".join(body), nav=nav), encoding="utf-8")

    (out / "index.html").write_text(_page("whiteboard: the notes' claims, tested",
                                          _index_body(results, claims, by_claim, sections),
                                          nav=nav), encoding="utf-8")
    return out / "index.html"


def _index_body(results, claims, by_claim, sections):
    counts = Counter(r.verdict.verdict if r.ok else ERROR for r in results)
    claim_counts = Counter(by_claim[c].verdict.verdict if by_claim[c].ok else ERROR
                           for c in by_claim)
    n_missing = sum(1 for c in claims if c not in by_claim)
    order = list(VERDICTS) + [ERROR]
    count_rows = "".join(
        f"<tr><td>{_verdict_html_name(v)}</td><td class='count' data-verdict='{v}'>"
        f"{counts.get(v, 0)}</td><td class='claim-count' data-verdict='{v}'>"
        f"{claim_counts.get(v, 0)}</td></tr>" for v in order)
    count_rows += (f"<tr><td><span class='verdict v-none'>no experiment yet</span></td><td></td>"
                   f"<td class='claim-count' data-verdict='none'>{n_missing}</td></tr>")
    cross = Counter((r.experiment.expected, r.verdict.verdict if r.ok else ERROR)
                    for r in results)
    cross_rows = "".join(
        f"<tr><th scope='row'>{MARK[e]} {e}</th>" + "".join(
            f"<td class='cross' data-expected='{e}' data-verdict='{v}'>{cross.get((e, v), 0)}"
            f"</td>" for v in order) + "</tr>" for e in EXPECTED)
    rows = []
    for cid, c in claims.items():
        res = by_claim.get(cid)
        if res is None:
            link = f"section-{c['section']}.html#{cid}"
            rows.append(f"<tr class='claim missing' data-claim='{cid}'><td><a href='{link}'>"
                        f"{cid}</a></td><td>{c['section']}</td><td>{html.escape(c['text'])}</td>"
                        f"<td>{_verdict_html(None)}</td><td></td></tr>")
            continue
        exp = res.experiment
        link = f"section-{exp.section}.html#{cid}"
        deciding = res.verdict.deciding if res.ok else res.error
        mark = "" if _expected_matches(res) else " <span class='mismatch'>(expected " \
            f"{exp.expected})</span>"
        rows.append(f"<tr class='claim' data-claim='{cid}'><td><a href='{link}'>{cid}</a></td>"
                    f"<td>{exp.section}</td><td>{html.escape(exp.title)}</td>"
                    f"<td>{_verdict_html(res)}{mark}</td><td>{html.escape(deciding)}</td></tr>")
    # claims registered beyond the shipped catalogue would otherwise vanish from the summary
    for cid in sorted(set(by_claim) - set(claims), key=lambda c: int(c[1:])):
        res = by_claim[cid]
        rows.append(f"<tr class='claim' data-claim='{cid}'><td><a href='section-"
                    f"{res.experiment.section}.html#{res.experiment.id}'>{cid}</a></td>"
                    f"<td>{res.experiment.section}</td><td>{html.escape(res.experiment.title)}"
                    f"</td><td>{_verdict_html(res)}</td><td></td></tr>")
    slow = sorted((r for r in results if r.over_budget), key=lambda r: -r.compute_seconds)
    slow_html = "" if not slow else (
        "<h2>Over the time budget</h2><p>Budget per experiment, all seeds on one core: "
        f"{BUDGET_SECONDS[True]:.0f} s in quick mode, {BUDGET_SECONDS[False]:.0f} s in full "
        "mode.</p><ul id='over-budget'>" + "".join(
            f"<li data-experiment='{r.experiment.id}'><a href='section-{r.experiment.section}"
            f".html#{r.experiment.id}'>{r.experiment.id}</a> {r.compute_seconds:.1f} s "
            f"({'quick' if r.quick else 'full'})</li>" for r in slow) + "</ul>")
    sec_list = "".join(f"<li><a href='section-{s}.html'>{s}. {html.escape(name)}</a></li>"
                       for s, name in sections.items())
    total = sum(r.seconds[i] for r in results for i in range(len(r.seconds)))
    return (f"<p>{len(results)} experiments decide {len(by_claim)} of the {len(claims)} "
            f"catalogued claims; {n_missing} claims have no experiment yet. Trials took "
            f"{total:.1f} s of compute (cached trials count their first run).</p>"
            f"<h2>Verdicts</h2><table id='counts'><thead><tr><th>verdict</th><th>experiments"
            f"</th><th>claims</th></tr></thead><tbody>{count_rows}</tbody></table>"
            f"<h2>Expected vs got (experiments)</h2><table id='cross'><thead><tr><th>expected"
            f"</th>" + "".join(f"<th>{v}</th>" for v in order) + f"</tr></thead><tbody>"
            f"{cross_rows}</tbody></table>{slow_html}<h2>Sections</h2><ul>{sec_list}</ul>"
            f"<h2>Every claim</h2><table id='summary'><thead><tr><th>claim</th><th>section</th>"
            f"<th>claim / experiment</th><th>verdict</th><th>deciding number</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _verdict_html_name(v):
    return f"<span class='verdict {_slug(v)}'>{html.escape(v)}</span>"


def build_report(out="report", experiments=None, *, seeds=None, quick=False, n_jobs=1,
                 scheduler=None, cache=True, progress=False) -> Path:
    """Run ``experiments`` (default: all registered) through the runner and write the site to
    ``out``; returns the path of ``index.html``. Arguments as
    :func:`whiteboard.experiments.runner.run_experiments`."""
    results = run_experiments(experiments, seeds=seeds, quick=quick, n_jobs=n_jobs,
                              scheduler=scheduler, cache=cache, progress=progress)
    return write_site(results, out)
