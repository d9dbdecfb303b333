"""What the search page needs from a query without parsing it itself: the words associated terms
are offered for, the query with its translations written out, the legal statuses a filter offers."""

from __future__ import annotations

from typing import Any

from ipai.errors import QueryError

SUGGEST_FIELDS = (None, "ti", "ab", "cl", "desc", "all", "tac")
MAX_SUGGEST_TERMS = 3


def status_options() -> list[tuple[str, dict[str, str]]]:
    """The legal statuses and groups the filter offers, each with its label in both languages."""
    from ipai.status import LABELS, STATUSES
    from ipai.status.texts import GROUPS

    return [(s, LABELS[s]) for s in STATUSES] + list(GROUPS.items())


def suggest_terms(query: str) -> list[str]:
    """The query's plain words and phrases (not codes, names, dates or truncations) for which
    associated terms are offered; at most three."""
    from ipai.search.query.parser import parse_query
    from ipai.search.query.render import query_terms

    try:
        node = parse_query(query, free_text_fallback=False)
    except QueryError:
        return []
    out: list[str] = []
    for text, field in query_terms(node):
        if field in SUGGEST_FIELDS and not text.endswith("*") and len(text) <= 40 and text not in out:
            out.append(text)
    return out[:MAX_SUGGEST_TERMS]


def translations_query(query: str, concepts: list[dict[str, Any]]) -> str | None:
    """The query with every concept's forms written out as an OR group — what "edit the
    translations" puts in the box (a group in two scripts is searched as written, not translated
    again); ``None`` unless the query is plain words (fields and operators are left alone)."""
    from ipai.search.query import ast as A
    from ipai.search.query.parser import parse_query

    try:
        node = parse_query(query, free_text_fallback=False)
    except QueryError:
        return None
    items = node.children if isinstance(node, A.Seq) else (node,)
    if not all(isinstance(c, (A.Term, A.Phrase)) and c.field is None and not c.required for c in items):
        return None
    groups = []
    for c in concepts:
        forms = [f["text"] for f in c["forms"] if f["source"] != "query" and f["documents"]]
        if not forms:
            groups.append(_quoted(c["text"]))
            continue
        groups.append("(" + " OR ".join(_quoted(x) for x in [c["text"], *forms]) + ")")
    return " ".join(groups) if any(g.startswith("(") for g in groups) else None


def _quoted(text: str) -> str:
    return f'"{text}"' if " " in text else text
