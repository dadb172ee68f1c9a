"""Ranked search over the topics, Chinese and English.

A query is split into English words (lower-cased ``[a-z0-9]+``) and Chinese character bigrams
(single characters when the query has only one). Each term is matched against five fields with
weights: titles (zh, en, id) 3, tags 2, seed headings 2, formula 1, answer 1, plus 0.5
when the term is close to a word of the topic's id. An English term
matches a word of a field exactly (similarity 1), as a prefix of at least three letters (0.9) or
within a Damerau-Levenshtein distance of ``max(1, len // 4)`` (``1 - d / len``; typo tolerance,
so ``dropuot`` finds ``dropout``). A topic's score is

    score = sum over terms t of  idf(t) * max over fields f of  weight(f) * similarity(t, f)

with ``idf(t) = log(1 + N / df(t))`` (df: topics in which t or a close word occurs), so rare
words count more than "the".
"""

import math
import re
from functools import lru_cache

from .loader import load

_WORD = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u9fff]+")
_WEIGHTS = (("title", 3.0), ("tags", 2.0), ("headings", 2.0), ("formula", 1.0),
            ("answer", 1.0))


def _fields(t):
    return {"title": f"{t.id} {t.en} {t.zh}", "tags": " ".join(t.tags),
            "headings": " ".join(t.headings), "formula": t.formula, "answer": t.answer}


def _cjk_terms(text):
    out = []
    for run in _CJK.findall(text):
        out += [run[i:i + 2] for i in range(len(run) - 1)] or [run]
    return out


def terms(query):
    """The English words and Chinese bigrams of a query."""
    q = query.lower()
    return _WORD.findall(q), _cjk_terms(q)


def _distance(a, b, limit):
    """Damerau-Levenshtein (optimal string alignment) distance, or limit + 1 once above it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def similarity(term, word):
    """How well an English query term matches a word: 1, 0.9 (prefix) or 1 - d/len, else 0."""
    if term == word:
        return 1.0
    if len(term) >= 3 and word.startswith(term):
        return 0.9
    limit = max(1, len(term) // 4)
    if len(term) < 4:
        return 0.0
    d = _distance(term, word, limit)
    return 1.0 - d / len(term) if d <= limit else 0.0


@lru_cache(maxsize=1)
def _index():
    docs = []
    for t in load():
        f = _fields(t)
        docs.append((t, {k: (set(_WORD.findall(v.lower())), v) for k, v in f.items()}))
    vocab = set().union(*(w for _, fs in docs for w, _ in fs.values()))
    return docs, vocab


_ID_BONUS = 0.5


def search(query, limit=10):
    """Topics ranked for ``query`` (best first), at most ``limit``; empty query → nothing."""
    docs, vocab = _index()
    words, bigrams = terms(query)
    if not words and not bigrams:
        return []
    close = {w: {v: s for v in vocab if (s := similarity(w, v)) > 0} for w in words}
    n = len(docs)
    scores = [0.0] * n
    for w in words:
        per_doc = []
        for t, fs in docs:
            best = max((weight * max((close[w].get(v, 0.0) for v in fs[k][0]), default=0.0))
                       for k, weight in _WEIGHTS)
            # a term naming the topic itself (a word of its id) breaks ties between titles
            best += _ID_BONUS * max((close[w].get(v, 0.0) for v in t.id.split("-")), default=0.0)
            per_doc.append(best)
        _accumulate(scores, per_doc, n)
    for b in bigrams:
        per_doc = [max(weight * (b in fs[k][1].lower()) for k, weight in _WEIGHTS)
                   for _, fs in docs]
        _accumulate(scores, per_doc, n)
    ranked = sorted((s, i) for i, s in enumerate(scores) if s > 0)
    ranked.sort(key=lambda si: (-si[0], si[1]))
    return [docs[i][0] for _, i in ranked[:limit]]


def _accumulate(scores, per_doc, n):
    df = sum(1 for s in per_doc if s > 0)
    if df:
        idf = math.log(1 + n / df)
        for i, s in enumerate(per_doc):
            scores[i] += idf * s
