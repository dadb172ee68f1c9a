"""Flatten an experiment's JSON numbers into HTML tables.

A trial is nested JSON. It is split into
  * scalars: every number / string / bool / null, or short list of them, under its dotted path
    (``rows.0.err`` never appears: lists of dicts are records, below); one row per path, one
    column per seed, and ``mean ± sd`` over seeds where the values are numbers;
  * records: every list of dicts, as a table whose columns are the union of the dicts' keys (in
    first-seen order), nested values shown compactly; long tables are cut at ``max_rows``;
  * long plain lists: summarised as ``n values, min … max`` (the figures show them).
"""

import html
import math

SHORT_LIST = 8


def _is_scalar(v):
    return v is None or isinstance(v, (bool, int, float, str))


def fmt(v) -> str:
    """A compact, exact-enough text for one JSON value."""
    if isinstance(v, bool) or v is None:
        return str(v).lower() if v is not None else "null"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return str(v)
        if v == 0 or 1e-3 <= abs(v) < 1e5:
            return f"{v:.6g}"
        return f"{v:.3e}"
    if isinstance(v, str):
        return v
    if isinstance(v, list):
        if len(v) <= SHORT_LIST and all(_is_scalar(x) for x in v):
            return "[" + ", ".join(fmt(x) for x in v) + "]"
        nums = [x for x in _leaves(v) if isinstance(x, (int, float)) and not isinstance(x, bool)]
        if nums:
            return f"{len(v)} values, {fmt(min(nums))} … {fmt(max(nums))}"
        return f"{len(v)} values"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {fmt(x)}" for k, x in list(v.items())[:SHORT_LIST]) + (
            ", …}" if len(v) > SHORT_LIST else "}")
    return str(v)


def _leaves(v):
    if isinstance(v, list):
        for x in v:
            yield from _leaves(x)
    elif isinstance(v, dict):
        for x in v.values():
            yield from _leaves(x)
    else:
        yield v


def split(trial, prefix=""):
    """``(scalars, records)``: ``[(path, value)]`` and ``[(path, list of dicts)]``."""
    scalars, records = [], []
    items = trial.items() if isinstance(trial, dict) else [("value", trial)]
    for key, v in items:
        path = f"{prefix}{key}"
        if isinstance(v, dict):
            s, r = split(v, path + ".")
            scalars += s
            records += r
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            records.append((path, v))
        else:
            scalars.append((path, v))
    return scalars, records


def _mean_sd(values):
    nums = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(nums) != len(values) or len(nums) < 2:
        return ""
    m = sum(nums) / len(nums)
    sd = math.sqrt(sum((x - m) ** 2 for x in nums) / (len(nums) - 1))
    return f"{fmt(float(m))} ± {fmt(float(sd))}"


def scalar_table(trials, seeds) -> str:
    """One row per scalar path, one column per seed (+ mean ± sd with several seeds)."""
    per_seed = [dict(split(t)[0]) for t in trials]
    paths = list(dict.fromkeys(p for s in per_seed for p in s))
    if not paths:
        return ""
    many = len(trials) > 1
    head = "".join(f"<th>seed {s}</th>" for s in seeds) + ("<th>mean ± sd</th>" if many else "")
    rows = []
    for p in paths:
        vals = [s.get(p) for s in per_seed]
        cells = "".join(f"<td>{html.escape(fmt(v))}</td>" for v in vals)
        if many:
            cells += f"<td>{html.escape(_mean_sd(vals))}</td>"
        rows.append(f"<tr><th scope='row'>{html.escape(p)}</th>{cells}</tr>")
    return (f"<table class='numbers'><thead><tr><th>quantity</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def record_table(path, rows, max_rows=40) -> str:
    """A list of dicts as a table (columns: the union of keys, first seen first)."""
    cols = list(dict.fromkeys(k for r in rows for k in r))
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(fmt(r.get(c, '')))}</td>" for c in cols)
                   + "</tr>" for r in rows[:max_rows])
    more = (f"<p class='more'>… {len(rows) - max_rows} more rows</p>"
            if len(rows) > max_rows else "")
    return (f"<table class='records'><caption>{html.escape(path)}</caption><thead><tr>{head}"
            f"</tr></thead><tbody>{body}</tbody></table>{more}")


def numbers_html(trials, seeds) -> str:
    """All tables of one experiment: the scalar table, then seed 0's record tables (the other
    seeds' in collapsed ``<details>``)."""
    parts = [scalar_table(trials, seeds)]
    for i, (trial, seed) in enumerate(zip(trials, seeds)):
        recs = split(trial)[1]
        if not recs:
            continue
        tables = "".join(record_table(p, r) for p, r in recs)
        if i == 0:
            parts.append(f"<div class='seed'><h4>seed {seed}</h4>{tables}</div>")
        else:
            parts.append(f"<details><summary>seed {seed}</summary>{tables}</details>")
    return "".join(parts)
