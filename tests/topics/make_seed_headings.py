"""Write the reference lists of ``whiteboard/topics/data/`` from ``shared/``.

    python tests/topics/make_seed_headings.py [SHARED_DIR]

SHARED_DIR defaults to ``../shared`` beside the checkout. It writes

- ``seed_headings.tsv``: seed, line, heading of every seed note (rules in ``topics/seeds.py``);
- ``claims.tsv``: claim id and statement of ``CLAIMS.md`` (``**C12** · seeds · statement``);
- ``errata.tsv``: id, severity and title of ``ERRATA.md`` (``### E12 [major] title``);
- ``scope_items.tsv``: every item of ``SCOPE.md``: a table row or bullet of a section, or the
  section itself where it has neither (ids ``S2.3``, ``S4.1``, ``S6``).

``tests/topics/test_topics.py`` re-derives all four and compares, so they cannot drift.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from whiteboard.topics import seeds  # noqa: E402

DATA = ROOT / "whiteboard" / "topics" / "data"


def shared_dir():
    for cand in (ROOT.parent / "shared", Path("/work/shared")):
        if (cand / "seeds").is_dir():
            return cand
    return None


def seed_headings(shared):
    rows = []
    for seed in seeds.SEEDS:
        path = next((Path(shared) / "seeds").glob(f"{seed}_*.txt"))
        rows += seeds.extract(path.read_text(encoding="utf-8"), seed)
    return "".join(f"{h.seed}\t{h.line}\t{h.text}\n" for h in rows)


def claims(shared):
    text = (Path(shared) / "CLAIMS.md").read_text(encoding="utf-8")
    out = []
    for m in re.finditer(r"^\*\*(C\d+)\*\* · [^·\n]*· (.*)$", text, re.M):
        out.append(f"{m.group(1)}\t{m.group(2).strip()}\n")
    return "".join(out)


def errata(shared):
    text = (Path(shared) / "ERRATA.md").read_text(encoding="utf-8")
    out = []
    for m in re.finditer(r"^### (E\d+) \[(\w+)\] (.*)$", text, re.M):
        out.append(f"{m.group(1)}\t{m.group(2)}\t{m.group(3).strip()}\n")
    return "".join(out)


def scope_items(shared):
    text = (Path(shared) / "SCOPE.md").read_text(encoding="utf-8")
    out = []
    for m in re.finditer(r"^## (\d+)\. (.*?)\n(.*?)(?=^## |\Z)", text, re.M | re.S):
        number, title, body = m.groups()
        rows = [r.split("|")[1].strip() for r in re.findall(r"^\|[^\n]*", body, re.M)[2:]]
        rows += [b.strip() for b in re.findall(r"^- (.*)$", body, re.M)]
        if not rows:
            out.append(f"S{number}\t{title.strip()}\n")
        out += [f"S{number}.{i}\t{r}\n" for i, r in enumerate(rows, 1)]
    return "".join(out)


FILES = {"seed_headings.tsv": seed_headings, "claims.tsv": claims, "errata.tsv": errata,
         "scope_items.tsv": scope_items}

if __name__ == "__main__":
    shared = sys.argv[1] if len(sys.argv) > 1 else shared_dir()
    for name, make in FILES.items():
        (DATA / name).write_text(make(shared), encoding="utf-8")
        print(f"wrote {DATA / name}")
