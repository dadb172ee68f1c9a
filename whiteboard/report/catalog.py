"""The report's reference data, shipped as package data so a report needs nothing outside the
package: the claim catalogue (``CLAIMS.md`` Part 1: id, section, source notes, catalogued text)
and the errata titles (``ERRATA.md`` headings: id -> severity, title)."""

import functools
import json
from importlib import resources

from ..experiments import SECTIONS


@functools.lru_cache(maxsize=None)
def _load(name):
    return json.loads(resources.files(__package__).joinpath("data", name).read_text("utf-8"))


def claims() -> dict:
    """``{"C1": {"id", "section", "notes", "text"}, ...}`` for C1 ... C206, in order."""
    return {c["id"]: c for c in _load("claims.json")["claims"]}


def errata() -> dict:
    """``{"E1": {"severity", "title"}, ...}``."""
    return dict(_load("errata.json")["errata"])


def sections() -> dict:
    """``{"A": "Regularisation, ...", ...}`` (the registry's section names)."""
    return dict(SECTIONS)
