"""Load and check the topic entries (``data/<area>.toml``) and the reference lists beside them.

An entry (a TOML table ``[[topic]]``)::

    id       = "l1-sparsity"                   # unique, lower-case, dashes
    zh       = "为什么 L1 产生稀疏"             # the question as the notes word it
    en       = "Why L1 gives sparse weights"
    tags     = ["regularisation", "lasso"]
    seeds    = ["000", "001"]                   # the notes it comes from
    headings = ["..."]                          # seed headings it answers (seed_headings.tsv)
    scope    = ["S3"]                           # SCOPE.md items (scope_items.tsv)
    answer   = "..."                            # a paragraph or two, in English
    formula  = "..."                            # plain text
    code     = ["whiteboard.nn.functional:l1_penalty"]
    tests    = ["tests/ml/test_linear_regression.py::test_lasso_kkt_conditions"]
    claims   = ["C1"]                           # CLAIMS.md ids
    errata   = ["E3"]                           # ERRATA.md ids
"""

import importlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

DATA = Path(__file__).parent / "data"
_FIELDS = ("id", "zh", "en", "tags", "seeds", "headings", "scope", "answer", "formula", "code",
           "tests", "claims", "errata")
_REQUIRED = ("id", "zh", "en", "seeds", "answer")


@dataclass(frozen=True)
class Topic:
    id: str
    zh: str
    en: str
    area: str
    answer: str
    seeds: tuple = ()
    headings: tuple = ()
    tags: tuple = ()
    scope: tuple = ()
    formula: str = ""
    code: tuple = ()
    tests: tuple = ()
    claims: tuple = ()
    errata: tuple = ()
    extra: dict = field(default_factory=dict, compare=False, repr=False)


def _tsv(name):
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line:
            rows.append(tuple(line.split("\t")))
    return rows


@lru_cache(maxsize=None)
def seed_headings():
    """``[(seed, line, heading)]`` of every seed note, in order."""
    return tuple((s, int(n), h) for s, n, h in _tsv("seed_headings.tsv"))


@lru_cache(maxsize=None)
def claim_titles():
    """``{claim_id: statement}`` of CLAIMS.md."""
    return dict(_tsv("claims.tsv"))


@lru_cache(maxsize=None)
def errata_titles():
    """``{errata_id: (severity, title)}`` of ERRATA.md."""
    return {e: (sev, title) for e, sev, title in _tsv("errata.tsv")}


@lru_cache(maxsize=None)
def scope_items():
    """``{scope_id: item}`` of SCOPE.md."""
    return dict(_tsv("scope_items.tsv"))


def _entry(raw, area, source):
    unknown = set(raw) - set(_FIELDS)
    missing = [k for k in _REQUIRED if not raw.get(k)]
    if unknown or missing:
        raise ValueError(f"{source}: topic {raw.get('id', '?')!r}: unknown fields "
                         f"{sorted(unknown)}, missing fields {missing}")
    kw = {k: (tuple(v) if isinstance(v, list) else v.strip()) for k, v in raw.items()}
    return Topic(area=area, **kw)


@lru_cache(maxsize=None)
def load():
    """Every topic, area by area (files sorted by name), in file order: a tuple of Topic."""
    out, seen = [], {}
    for path in sorted(DATA.glob("*.toml")):
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
        for raw in doc.get("topic", []):
            topic = _entry(raw, path.stem, path.name)
            if topic.id in seen:
                raise ValueError(f"{path.name}: duplicate topic id {topic.id!r} "
                                 f"(also in {seen[topic.id]})")
            seen[topic.id] = path.name
            out.append(topic)
    return tuple(out)


def areas():
    """``{area: [Topic]}`` in file order."""
    out = {}
    for t in load():
        out.setdefault(t.area, []).append(t)
    return out


def get(topic_id):
    """The topic with this id; ``KeyError`` naming close ids if there is none."""
    for t in load():
        if t.id == topic_id:
            return t
    from .search import search

    close = [t.id for t in search(topic_id, limit=5)]
    raise KeyError(f"no topic {topic_id!r}; closest: {', '.join(close) or 'none'}")


def by_seed(seed):
    """The topics answering the headings of one seed note (``'002'``), in the note's order;
    a topic answering several headings appears at its first."""
    seed = str(seed).zfill(3)
    if seed not in {s for s, _, _ in seed_headings()}:
        raise ValueError(f"seed must be one of 000..004, got {seed!r}")
    owner = {}
    for t in load():
        if seed in t.seeds:
            for h in t.headings:
                owner.setdefault(h, t)
    out, seen = [], set()
    for s, _, h in seed_headings():
        t = owner.get(h) if s == seed else None
        if t is not None and t.id not in seen:
            seen.add(t.id)
            out.append((h, t))
    return out


def resolve_code(link):
    """The object named by ``'package.module:attr.attr'``; ImportError/AttributeError if none."""
    module, _, attr = link.partition(":")
    obj = importlib.import_module(module)
    for part in filter(None, attr.split(".")):
        obj = getattr(obj, part)
    return obj


def code_path(link):
    """The source file (relative to the repository) of a code link, e.g.
    ``whiteboard/nn/dropout.py``."""
    module, _, attr = link.partition(":")
    mod = importlib.import_module(module)
    path = Path(mod.__file__)
    obj = resolve_code(link) if attr else mod
    src = getattr(importlib.import_module(getattr(obj, "__module__", module) or module),
                  "__file__", None) if attr else None
    if src:
        path = Path(src)
    root = Path(__file__).resolve().parents[2]
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def experiment_for(claim_id):
    """``(experiment_id, title)`` registered for a claim in ``whiteboard.experiments``, or None
    (also when that package is not installed)."""
    try:
        from whiteboard import experiments
    except ImportError:
        return None
    reg = _registry(experiments)
    exp = reg.get(claim_id)
    return None if exp is None else (exp.id, exp.title)


_REG = {}


def _registry(experiments):
    if "r" not in _REG:
        try:
            _REG["r"] = experiments.registry()
        except Exception:  # a broken experiment module must not break the topic index
            _REG["r"] = {}
    return _REG["r"]
