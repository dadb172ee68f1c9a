"""Terminal rendering of one topic: titles, answer, formula, and links as file paths."""

import textwrap

from .loader import claim_titles, code_path, errata_titles, experiment_for, scope_items


def _wrap(text, indent="  ", width=96):
    paras = [p.strip() for p in text.strip().split("\n\n")]
    return "\n\n".join(textwrap.fill(" ".join(p.split()), width, initial_indent=indent,
                                     subsequent_indent=indent) for p in paras if p)


def render(topic, width=96):
    """The topic as plain text for a terminal."""
    out = [f"{topic.id}  [{topic.area}]", f"  {topic.en}", f"  {topic.zh}",
           f"  notes: {', '.join(topic.seeds)}" + (f"   tags: {', '.join(topic.tags)}"
                                                  if topic.tags else "")]
    if topic.headings:
        out += ["", "Questions in the notes:"] + [f"  - {h}" for h in topic.headings]
    out += ["", "Answer:", _wrap(topic.answer, width=width)]
    if topic.formula:
        out += ["", "Formula:"] + [f"  {line.rstrip()}" for line in
                                   topic.formula.strip().splitlines()]
    if topic.code:
        out += ["", "Code:"] + [f"  {link.split(':')[-1] or link}  ->  {code_path(link)}"
                                for link in topic.code]
    if topic.tests:
        out += ["", "Tests (oracle / property):"] + [f"  {t}" for t in topic.tests]
    if topic.claims:
        out += ["", "Claims and experiments:"]
        titles = claim_titles()
        for c in topic.claims:
            exp = experiment_for(c)
            line = f"  {c}: {titles.get(c, '?')}"
            out.append(line if exp is None else f"{line}\n      experiment {exp[0]}")
    if topic.errata:
        out += ["", "Where the notes are wrong (ERRATA.md):"]
        titles = errata_titles()
        out += [f"  {e} [{titles[e][0]}] {titles[e][1]}" if e in titles else f"  {e}"
                for e in topic.errata]
    if topic.scope:
        items = scope_items()
        out += ["", "Scope: " + "; ".join(f"{s} {items.get(s, '')[:50]}" for s in topic.scope)]
    return "\n".join(out) + "\n"
