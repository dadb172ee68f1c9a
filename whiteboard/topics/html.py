"""The topics as HTML pages for the report: one page per area plus an index.

    from whiteboard.topics.html import write_pages
    write_pages("report/topics", experiment_link=lambda exp_id: f"../experiments/{exp_id}.html")

Each entry shows the question (zh and en), the answer, the formula, its code as file paths
(linked relative to ``code_root`` when given), the tests, the claims with their experiment (a link
when ``experiment_link`` returns one) and the errata with their titles.
"""

import html as _html
from pathlib import Path

from .loader import areas, claim_titles, code_path, errata_titles, experiment_for

_CSS = ("body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em;line-height:1.45}"
        "section{border-top:1px solid #ccc;padding:.5em 0}pre{background:#f6f6f6;padding:.5em;"
        "white-space:pre-wrap}.zh{color:#555}.err{color:#a00}code{font-size:90%}")


def _e(text):
    return _html.escape(str(text))


def _page(title, body):
    return (f"<!doctype html>\n<html><head><meta charset='utf-8'><title>{_e(title)}</title>"
            f"<style>{_CSS}</style></head><body>\n{body}\n</body></html>\n")


def _topic_html(t, experiment_link, code_root):
    parts = [f"<section id='{_e(t.id)}'><h2>{_e(t.en)}</h2>",
             f"<p class='zh'>{_e(t.zh)} — notes {_e(', '.join(t.seeds))}"
             + (f"; tags: {_e(', '.join(t.tags))}" if t.tags else "") + "</p>"]
    parts += [f"<p>{_e(p.strip())}</p>" for p in t.answer.split("\n\n") if p.strip()]
    if t.formula:
        parts.append(f"<pre>{_e(t.formula)}</pre>")
    if t.code:
        items = []
        for link in t.code:
            path = code_path(link)
            label = f"<code>{_e(link)}</code> ({_e(path)})"
            items.append(f"<li><a href='{_e(code_root.rstrip('/') + '/' + path)}'>{label}</a></li>"
                         if code_root else f"<li>{label}</li>")
        parts.append("<p>Code:</p><ul>" + "".join(items) + "</ul>")
    if t.tests:
        parts.append("<p>Tests:</p><ul>" + "".join(f"<li><code>{_e(x)}</code></li>"
                                                   for x in t.tests) + "</ul>")
    if t.claims:
        titles, items = claim_titles(), []
        for c in t.claims:
            exp = experiment_for(c)
            text = f"{_e(c)}: {_e(titles.get(c, ''))}"
            if exp is not None:
                href = experiment_link(exp[0]) if experiment_link else None
                text += (f" — experiment <a href='{_e(href)}'>{_e(exp[0])}</a>" if href
                         else f" — experiment {_e(exp[0])}")
            items.append(f"<li>{text}</li>")
        parts.append("<p>Claims:</p><ul>" + "".join(items) + "</ul>")
    if t.errata:
        titles = errata_titles()
        parts.append("<p class='err'>Where the notes are wrong:</p><ul>" + "".join(
            f"<li class='err'>{_e(e)} [{_e(titles[e][0])}] {_e(titles[e][1])}</li>"
            for e in t.errata) + "</ul>")
    return "\n".join(parts) + "</section>"


def write_pages(out_dir, experiment_link=None, code_root=None):
    """Write ``index.html`` and ``<area>.html`` into ``out_dir``; returns the written paths.

    ``experiment_link(experiment_id) -> str | None`` gives the href of an experiment's page;
    ``code_root`` (e.g. ``"../.."``) turns code paths into links."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written, rows = [], []
    for area, topics in areas().items():
        body = (f"<p><a href='index.html'>all areas</a></p><h1>{_e(area)}</h1>\n"
                + "\n".join(_topic_html(t, experiment_link, code_root) for t in topics))
        path = out / f"{area}.html"
        path.write_text(_page(f"topics: {area}", body), encoding="utf-8")
        written.append(path)
        n_err = sum(1 for t in topics if t.errata)
        rows.append(f"<li><a href='{_e(area)}.html'>{_e(area)}</a>: {len(topics)} topics, "
                    f"{n_err} with errata<ul>" + "".join(
                        f"<li><a href='{_e(area)}.html#{_e(t.id)}'>{_e(t.en)}</a> "
                        f"<span class='zh'>{_e(t.zh)}</span></li>" for t in topics) + "</ul></li>")
    index = out / "index.html"
    index.write_text(_page("topics", "<h1>Interview questions of the notes</h1><ul>"
                           + "".join(rows) + "</ul>"), encoding="utf-8")
    return [index] + written
