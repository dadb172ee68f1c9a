"""Topic index: every question of the interview notes -> answer, formula, code, test, claim,
experiment and errata.

    from whiteboard import topics
    topics.search("dropout scalling")[0].id     # 'dropout' (typo-tolerant)
    print(topics.render(topics.get("bn-backward")))
    [t.id for t in topics.by_seed("002")]       # the questions of note 002 in order

The entries are TOML files in ``topics/data`` (one per area), loaded by :func:`load`.
"""

from .loader import (
    Topic, areas, by_seed, claim_titles, errata_titles, experiment_for, get, load,
    scope_items, seed_headings,
)
from . import html
from .render import render
from .search import search

__all__ = ["Topic", "html", "areas", "by_seed", "claim_titles", "errata_titles", "experiment_for",
           "get", "load", "render", "scope_items", "search", "seed_headings"]
