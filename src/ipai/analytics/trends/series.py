"""Yearly series from patent documents: the year of a document, its keys, and complete years.

These helpers take any iterable of :class:`~ipai.model.PatentDocument` (a store, a search result),
so the forecast and burst functions stay independent of where the documents come from.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache

from ipai.model import PatentDocument
from ipai.search.analysis import index_tokens, vector_tokens

# which dates stand in for a basis, in order; the first one present is used
_CHAIN = {
    "priority": ("priority_date", "filing_date", "publication_date"),
    "filing": ("filing_date", "priority_date", "publication_date"),
    "publication": ("publication_date", "grant_date"),
}
LAG_MONTHS = {"priority_date": 18, "filing_date": 18, "publication_date": 0, "grant_date": 0}


def doc_year(doc: PatentDocument, basis: str = "filing") -> tuple[int | None, str | None]:
    """The document's year on ``basis`` (falling back along the chain) and the date field used."""
    for f in _CHAIN[basis]:
        d = getattr(doc, f)
        if d is None and f == "priority_date" and doc.priorities:
            ds = [p.date for p in doc.priorities if p.date]
            d = min(ds) if ds else None
        if d is not None:
            return d.year, f
    return None, None


def cpc_keys(doc: PatentDocument, level: str = "subclass") -> set[str]:
    """CPC subclasses (``G06N``) or main groups (``G06N3``) of a document; IPC when it has no CPC."""
    codes = doc.codes("cpc") or doc.codes("ipc")
    if level == "subclass":
        return {c[:4] for c in codes if len(c) >= 4}
    return {c.split("/")[0] for c in codes if len(c) >= 5}


@lru_cache(maxsize=200_000)
def _stem(word: str, lang: str) -> str | None:
    t = index_tokens(word, lang)
    return t[0] if len(t) == 1 else None


def doc_terms(doc: PatentDocument, bigrams: bool = True) -> tuple[set[str], dict[str, str]]:
    """Stemmed terms (and adjacent-word bigrams) of title and abstract, with a readable surface form each."""
    terms: set[str] = set()
    surface: dict[str, str] = {}
    for field_ in (doc.titles, doc.abstracts):
        for lang, text in field_.items():
            words = [w for w in vector_tokens(text.lower()) if len(w) > 2 or not w.isascii()]
            stems = [_stem(w, lang) for w in words]
            for i, (w, st) in enumerate(zip(words, stems, strict=False)):
                if st is None:
                    continue
                terms.add(st)
                surface.setdefault(st, w)
                if bigrams and i + 1 < len(words) and stems[i + 1]:
                    k = f"{st} {stems[i + 1]}"
                    terms.add(k)
                    surface.setdefault(k, f"{w} {words[i + 1]}")
    return terms, surface


def yearly_series(
    docs: Iterable[PatentDocument], keys: Callable[[PatentDocument], Iterable[str]], *, basis: str = "filing"
) -> tuple[dict[str, dict[int, int]], dict[int, int], dict[str, int]]:
    """Documents per key and year, documents per year, and how many documents each date field dated."""
    per: dict[str, dict[int, int]] = {}
    totals: Counter[int] = Counter()
    used: Counter[str] = Counter()
    for doc in docs:
        year, f = doc_year(doc, basis)
        used[f or "undated"] += 1
        if year is None:
            continue
        totals[year] += 1
        for k in set(keys(doc)):
            s = per.setdefault(k, {})
            s[year] = s.get(year, 0) + 1
    return per, dict(totals), dict(used)


def last_complete_year(cutoff: dt.date, lag_months: int) -> int:
    """The last year whose documents are all visible at ``cutoff`` given a publication lag.

    An application filed on 31 December of year Y is published about 18 months later, so with an
    18-month lag Y is complete only from 30 June of Y+2; with no lag, from 20 December of Y.
    """
    y = cutoff.year
    while True:
        end = dt.date(y, 12, 31) if lag_months else dt.date(y, 12, 20)
        m = end.month - 1 + lag_months
        visible = dt.date(end.year + m // 12, m % 12 + 1, min(end.day, 30 if m % 12 + 1 != 2 else 28))
        if visible <= cutoff:
            return y
        y -= 1


def trailing_dropoff(totals: dict[int, int], last: int, ratio: float = 0.5) -> list[int]:
    """Years up to ``last`` at the end of the data with fewer than ``ratio`` × the median of the 3 before."""
    out = []
    y = last
    while y - 3 in totals or y - 1 in totals:
        prev = sorted(totals.get(y - k, 0) for k in (1, 2, 3))[1]
        if prev and totals.get(y, 0) < ratio * prev:
            out.append(y)
            y -= 1
        else:
            break
    return sorted(out)
