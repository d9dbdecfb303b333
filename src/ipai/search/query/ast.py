"""The query syntax tree shared by the parser and the search planner.

Every node keeps ``pos``: the 0-based character offset in the query string where it starts,
so errors and explanations can point at the user's text.

Semantics the planner applies (documented for users in docs/search.md):
- juxtaposed clauses (``Seq``) combine like Lucene's default OR: text clauses are SHOULD
  (they rank), filters (``cc:``, ``lang:``, ``cpc:`` …, ranges) are MUST, ``NOT``/``-x`` are
  MUST_NOT, ``+x`` is MUST;
- ``AND``/``OR``/``NOT`` and parentheses are boolean and explicit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# field names accepted in queries → canonical field
TEXT_FIELDS = {
    "ti": "ti",
    "title": "ti",
    "ab": "ab",
    "abstract": "ab",
    "cl": "cl",
    "claims": "cl",
    "desc": "desc",
    "description": "desc",
    "all": "all",
    "tac": "tac",
}
NAME_FIELDS = {"pa": "pa", "applicant": "pa", "assignee": "pa", "in": "in", "inventor": "in"}
CODE_FIELDS = {"cpc": "cpc", "ipc": "ipc", "cls": "cls", "locarno": "locarno"}
DATE_FIELDS = {"pd": "pd", "ad": "ad", "prd": "prd", "py": "pd"}
KEYWORD_FIELDS = {
    "cc": "cc",
    "country": "cc",
    "lang": "lang",
    "kind": "kind",
    "type": "type",
    "pn": "pn",
    "id": "pn",
    "status": "status",
    "family": "family",
}
ALL_FIELDS = TEXT_FIELDS | NAME_FIELDS | CODE_FIELDS | DATE_FIELDS | KEYWORD_FIELDS


@dataclass(frozen=True)
class Node:
    """Base of every query node."""

    pos: int


@dataclass(frozen=True)
class Term(Node):
    """A word; ``field`` is a canonical text or name field, or ``None`` for all text fields."""

    text: str
    field: str | None = None
    required: bool = False  # written with a leading "+"


@dataclass(frozen=True)
class Phrase(Node):
    """A quoted phrase (words must be adjacent, in order)."""

    text: str
    field: str | None = None
    required: bool = False


@dataclass(frozen=True)
class Prefix(Node):
    """A truncated word (``comput*``); ``text`` is the part before the ``*``."""

    text: str
    field: str | None = None
    required: bool = False


@dataclass(frozen=True)
class Code(Node):
    """A classification constraint: ``cpc:G06N3/08``, ``ipc:H04L*`` (``prefix`` when truncated).
    ``code`` is normalised upper case without spaces (``G06N3``, ``G06N3/08``, ``H04L``)."""

    scheme: str  # cpc | ipc | cls (either) | locarno
    code: str
    prefix: bool = False


@dataclass(frozen=True)
class DateRange(Node):
    """``pd:[2010 TO 2015]``, ``pd:>=2015-01-01``, ``pd:2015``; bounds are ISO dates or ``None``."""

    field: str  # pd | ad | prd
    start: str | None  # inclusive lower bound, ISO "YYYY-MM-DD"
    end: str | None  # inclusive upper bound, ISO "YYYY-MM-DD"


@dataclass(frozen=True)
class Match(Node):
    """An exact keyword constraint: ``cc:CN``, ``lang:zh``, ``kind:B1``, ``type:design``,
    ``pn:US8926509``, ``status:in_force``, ``family:EP1000000A1``; ``value`` as written (the planner
    normalises it; ``status:``/``family:`` are resolved for a day and a store by :mod:`ipai.status.query`)."""

    field: str
    value: str


@dataclass(frozen=True)
class Not(Node):
    """``NOT x`` / ``-x``."""

    child: Node


@dataclass(frozen=True)
class And(Node):
    """``a AND b AND …``."""

    children: tuple[Node, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Or(Node):
    """``a OR b OR …``."""

    children: tuple[Node, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Seq(Node):
    """Clauses written next to each other with no operator (see the module docstring)."""

    children: tuple[Node, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class FreeText(Node):
    """A long text taken literally (a pasted disclosure): no operators or fields."""

    text: str
