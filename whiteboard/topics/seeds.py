"""Headings of the five seed notes, extracted by fixed rules (and the list that ships with them).

The notes are Markdown (000, 001, 003, 004) or a web page copied as plain text (002). A heading is:

- Markdown: a line starting with ``#`` outside fenced code, or a whole line in bold/italics
  (``**...**`` / ``*...*``, at most 40 characters: longer bold lines are emphasised sentences);
- 002: before the page footer, a line (leading bullets and bold markers stripped) that is a
  short question ending in ``?``, or that opens a block (after a blank line, or an unindented
  line after an indented or formula line) and is a numbered item of at most 50 characters not
  ending a sentence, or an unindented line of at most 40 characters without sentence
  punctuation (a section title).

Emoji shortcodes (``:v:``) and trailing colons are dropped; "pros"/"cons"/"注意点"/"Ref link"
labels, picture placeholders and URLs are not headings. ``tests/topics/make_seed_headings.py``
writes the list to ``data/seed_headings.tsv``; a test re-derives it from the seeds.
"""

import re
from dataclasses import dataclass

SEEDS = ("000", "001", "002", "003", "004")
_LABELS = {"pros", "cons", "注意点", "ref link", "请添加图片描述", "coding", "to be continued"}
_FOOTER_002 = "To be continued"


@dataclass(frozen=True)
class SeedHeading:
    seed: str
    line: int
    text: str


def clean(text):
    """Heading text as stored: no markup, shortcodes, numbering spaces or trailing colon."""
    text = re.sub(r":[a-z_]+:", "", text)
    text = re.sub(r"^\*+|\*+(?=[:：]?\s*$)", "", text.strip()).replace("**", "")
    text = text.replace("\u3000", " ")
    text = re.sub(r"^#+\s*", "", text.strip())
    text = re.sub(r"^[*•]\s*", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(":：").strip()


def _keep(text):
    return bool(text) and text.lower() not in _LABELS and not text.startswith("http")


def _markdown(lines):
    fenced = False
    for no, raw in enumerate(lines, 1):
        if raw.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            continue
        if re.match(r"^#{1,6}", raw) or re.fullmatch(r"\*{1,2}[^*]{1,40}\*{1,2}[:：]?\s*", raw):
            yield no, clean(raw)


def _plain(lines):
    for no, raw in enumerate(lines, 1):
        body = re.sub(r"^\s*•\s*", "", raw).replace("**", "").strip()
        if body.startswith(_FOOTER_002):
            return
        if not body or "=" in body or "\\" in body or re.match(r"(?i)(pros|cons)\b", body):
            continue
        prev = lines[no - 2] if no > 1 else ""
        isolated = not prev.strip() or (not raw.startswith(" ") and (
            prev.startswith((" ", "\t")) or "\\" in prev))
        numbered = re.match(r"^\d+\s*[.、]\s*\S", body) and len(body) <= 50 \
            and not body.endswith(("。", ",", ";")) and isolated
        question = body.endswith(("?", "？")) and len(body) <= 60
        alone = (not raw.startswith(" ") and len(body) <= 40 and isolated
                 and not re.search(r"[。,;:：\[\]]", body))
        if numbered or question or alone:
            yield no, clean(body)


def extract(text, seed):
    """The headings of one seed note, in order: a list of :class:`SeedHeading`."""
    lines = text.splitlines()
    rule = _plain if seed == "002" else _markdown
    return [SeedHeading(seed, no, t) for no, t in rule(lines) if _keep(t)]
