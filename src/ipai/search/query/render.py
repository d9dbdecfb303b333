"""Rendering query trees: ``describe`` (back to a normalised query string) and ``query_terms``
(the positive words and phrases, for highlighting and query expansion)."""

from __future__ import annotations

import re

from ipai.search.query.ast import (
    And,
    Code,
    DateRange,
    FreeText,
    Match,
    Node,
    Not,
    Or,
    Phrase,
    Prefix,
    Seq,
    Term,
)
from ipai.search.query.values import render_dates

_OPS = {"AND", "OR", "NOT", "&&", "||", "与", "或", "非"}


def query_terms(node: Node) -> list[tuple[str, str | None]]:
    """Positive (not negated) words and phrases with their fields, in query order, once each;
    truncated words keep their ``*`` (``comput*``); a FreeText gives its whole text."""
    out: list[tuple[str, str | None]] = []

    def walk(n: Node) -> None:
        if isinstance(n, (Term, Phrase, Prefix)):
            item = (n.text + ("*" if isinstance(n, Prefix) else ""), n.field)
            if item not in out:
                out.append(item)
        elif isinstance(n, FreeText):
            out.append((n.text, None))
        elif isinstance(n, (And, Or, Seq)):
            for c in n.children:
                walk(c)

    walk(node)
    return out


def _quote(text: str) -> str:
    return f"“{text}”" if '"' in text else f'"{text}"'


def _wrap(node: Node, kinds: tuple[type, ...]) -> str:
    s = describe(node)
    return f"({s})" if isinstance(node, kinds) else s


def describe(node: Node) -> str:
    """The tree as a normalised query string; ``parse_query`` reads it back to the same tree."""
    fld = f"{node.field}:" if isinstance(node, (Term, Phrase, Prefix)) and node.field else ""
    req = "+" if getattr(node, "required", False) else ""
    if isinstance(node, Term):
        return f"{req}{fld}{node.text}"
    if isinstance(node, Phrase):
        return f"{req}{fld}{_quote(node.text)}"
    if isinstance(node, Prefix):
        return f"{req}{fld}{node.text}*"
    if isinstance(node, Code):
        return f"{node.scheme}:{node.code}{'*' if node.prefix else ''}"
    if isinstance(node, DateRange):
        return f"{node.field}:{render_dates(node.start, node.end)}"
    if isinstance(node, Match):
        v = node.value
        plain = v and not re.search(r'[\s()"“]', v) and v[0] not in "-+!" and v not in _OPS
        return f"{node.field}:{v if plain else _quote(v)}"
    if isinstance(node, Not):
        return "NOT " + _wrap(node.child, (And, Or, Seq))
    if isinstance(node, And):
        return " AND ".join(_wrap(c, (And, Or, Seq)) for c in node.children)
    if isinstance(node, Seq):
        return " ".join(_wrap(c, (Or, Seq)) for c in node.children)
    if isinstance(node, Or):
        return " OR ".join(_wrap(c, (Or,)) for c in node.children)
    if isinstance(node, FreeText):
        return node.text
    raise TypeError(f"not a query node: {node!r}")
