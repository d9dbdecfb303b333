"""The examiner query language: ``parse_query(text) -> Node`` (tree in :mod:`.ast`).

Grammar (LALR, lark; precedence NOT > AND > juxtaposition > OR)::

    query  := seq (OR seq)*                 OR  = OR | || | 或
    seq    := and+                          juxtaposed clauses → Seq
    and    := unary (AND unary)*            AND = AND | && | 与
    unary  := (NOT | - | !) unary | + unary | atom        NOT = NOT | 非
    atom   := word | "phrase" | ( query ) | field:value
    value  := word | "phrase" | [a TO b] | {a TO b} | ( query )

``RUN`` is a speed device of the lexer (see ``_Lexer._fold``), not syntax.

Limits (a query over them is a :class:`QueryError` naming the position, never taken as free
text): at most ``MAX_QUERY_CHARS`` characters and ``MAX_DEPTH`` levels of nesting, where every
open parenthesis, prefix (``NOT - ! +``) and ``field:`` in front of a value is one level.

Lexical decisions: a word is any run of characters other than white space, ``( ) "`` and ``“``
(so ``wi-fi``, ``3.5``, ``IEEE802.11``, ``http://x``, ``无人机电池`` are single words);
operators are whole words only and case-sensitive (``and``/``or``/``not``, ``ANDROID``,
``AT&T`` and ``与其`` are words; ``与 或 非`` are operators only when standing alone);
``-x !x +x`` are prefixes only when glued to what follows (``a - b`` has the word ``-``);
``name:`` starts a field only when a value follows without a space (``ratio: 3`` is two
words, ``ti:robot`` a field); a fullwidth colon works after a known field name
(``ti：无人机``); “curly quotes” delimit phrases like ``"…"``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from typing import Any

from lark import Lark, Token, Transformer
from lark.common import LexerConf
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer

from ipai.errors import QueryError
from ipai.search.query.ast import (
    ALL_FIELDS,
    CODE_FIELDS,
    DATE_FIELDS,
    KEYWORD_FIELDS,
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
from ipai.search.query.render import describe, query_terms
from ipai.search.query.values import ValueProblem, code_value, date_value, status_value

__all__ = ["GRAMMAR", "describe", "parse_query", "query_terms"]

_NAMES = "|".join(sorted(ALL_FIELDS, key=len, reverse=True))
GRAMMAR = r"""
?start: or_expr
?or_expr: seq ((_OR | _OR2 | _OR3) seq)*
?seq: and_expr+
?and_expr: unary ((_AND | _AND2 | _AND3) unary)*
?unary: (NOT | NOT2 | NEG | BANG) unary   -> neg
      | PLUS unary                         -> req
      | WORD                               -> word
      | PHRASE                             -> phrase
      | LPAR or_expr _RPAR                 -> group
      | FIELD value                        -> field
      | RUN                                -> run
value: WORD                 -> word
     | PHRASE               -> phrase
     | RANGE                -> range
     | LPAR or_expr _RPAR   -> group

_AND: "AND"
_AND2: "&&"
_AND3: "与"
_OR: "OR"
_OR2: "||"
_OR3: "或"
NOT: "NOT"
NOT2: "非"
NEG.2: /-(?=[^\s)])/
BANG.2: /!(?=[^\s)])/
PLUS.2: /\+(?=[^\s)])/
LPAR: "("
_RPAR: ")"
PHRASE: /"[^"]*"|“[^”]*”/
RANGE.3: /[\[{]\s*[^\s\[\]{}()"]+\s+TO\s+[^\s\[\]{}()"]+\s*[\]}]/
FIELD.2: /[A-Za-z][A-Za-z_]*:(?!\/\/)(?=[^\s)])|(?=[A-Za-z]+：)(?i:NAMES)：(?=[^\s)])/
WORD: /[^\s()"“]+/
%ignore /\s+/
%declare RUN
""".replace("NAMES", _NAMES)

_BINARY = {"_AND", "_AND2", "_AND3", "_OR", "_OR2", "_OR3"}
_UNARY = {"NOT", "NOT2", "NEG", "BANG", "PLUS"}
_KNOWN = ", ".join(ALL_FIELDS)
_FIELD_SYNTAX = re.compile(rf"(?<![A-Za-z_])(?:{_NAMES})[:：](?=[^\s)])", re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
FALLBACK_WORDS = 25
MAX_QUERY_CHARS = 20_000  # the API's and web form's limit of ``q`` too
MAX_DEPTH = 32  # nesting levels; deeper trees would exhaust the stack of the recursive planners


class _Fail(Exception):
    """A problem found while building the tree (message, 0-based position)."""

    def __init__(self, message: str, pos: int, code: str = "", **params: object) -> None:
        super().__init__(message)
        self.message, self.pos = message, pos
        self.code, self.params = code, params


class _Limit(_Fail):
    """A query over a size or nesting limit."""


class _LimitError(QueryError):
    """A :class:`QueryError` for a query over a limit (never taken as free text)."""


class _RangeValue:
    """A ``[a TO b]`` token waiting for its (date) field."""

    def __init__(self, tok: Token) -> None:
        self.tok = tok


def _at(tok: Token) -> int:
    """Where a token starts (every token :class:`_Lexer` makes carries its position)."""
    return tok.start_pos if tok.start_pos is not None else 0


def _flat(cls: type[And | Or | Seq], children: list[Node]) -> tuple[Node, ...]:
    out: list[Node] = []
    for c in children:
        out.extend(c.children if isinstance(c, (And, Or, Seq)) and type(c) is cls else (c,))
    return tuple(out)


def _word(tok: Token) -> Node:
    s, pos = str(tok), _at(tok)
    star = s.find("*")
    if star < 0:
        return Term(pos, s)
    if not s.strip("*"):
        raise _Fail(
            f"a lone '*' at position {pos} is not a search term; truncate a word instead, e.g. comput*",
            pos,
            "q_lone_star",
        )
    if star < len(s) - 1:
        raise _Fail(
            f"'*' at position {pos + star} may only end a word (truncation, e.g. comput*)",
            pos + star,
            "q_star_inside",
        )
    return Prefix(pos, s[:-1])


def _phrase(tok: Token) -> Node:
    text = " ".join(tok[1:-1].split())
    if not text:
        raise _Fail(
            f"empty quotes at position {_at(tok)}: put words between them",
            _at(tok),
            "q_empty_quotes",
        )
    return Phrase(_at(tok), text)


class _Run(Token):
    """Plain words and phrases between two others: always items of the surrounding Seq."""

    tokens: list[Token]


def _apply(node: Node | _RangeValue, name: str, canon: str, fpos: int) -> Node:
    """Put field ``canon`` on every leaf of ``node`` that has none (``ti:(a OR b)``)."""
    if isinstance(node, Not):
        return replace(node, child=_apply(node.child, name, canon, fpos))
    if isinstance(node, (And, Or, Seq)):
        return replace(node, children=tuple(_apply(c, name, canon, fpos) for c in node.children))
    if isinstance(node, _RangeValue):
        tok = node.tok
        if name.lower() not in DATE_FIELDS:
            raise _Fail(
                f"field '{name}' at position {fpos} does not take a range; ranges are "
                "for dates (pd:, ad:, prd:, py:)",
                _at(tok),
                "q_range_field",
                field=name,
                fpos=fpos,
            )
        return _value(DateRange, _at(tok), 0, lambda: (canon, *date_value(str(tok))))
    if not isinstance(node, (Term, Phrase, Prefix)) or node.field is not None:
        return node  # already fielded: the inner field wins
    key = name.lower()
    if key in DATE_FIELDS or key in CODE_FIELDS or key in KEYWORD_FIELDS:
        raw = node.text + ("*" if isinstance(node, Prefix) else "")
        skip = 1 if isinstance(node, Phrase) else 0
        if key in DATE_FIELDS:
            return _value(DateRange, node.pos, skip, lambda: (canon, *date_value(raw)))
        if key in CODE_FIELDS:
            return _value(Code, node.pos, skip, lambda: (canon, *code_value(raw, canon)))
        if canon == "status":
            return _value(Match, node.pos, skip, lambda: (canon, status_value(node.text)))
        return Match(node.pos, canon, node.text if isinstance(node, Phrase) else raw)
    return replace(node, field=canon)


def _value(cls: Callable[..., Node], pos: int, skip: int, make: Callable[[], tuple[Any, ...]]) -> Node:
    try:
        return cls(pos, *make())
    except ValueProblem as exc:
        at = pos + skip + exc.offset
        raise _Fail(
            exc.message.replace("{at}", f"at position {at}"),
            at,
            "q_bad_value",
            value=exc.value,
            kind=exc.kind,
        ) from None


class _Build(Transformer[Token, Node]):
    """Inline LALR callbacks: lark's reductions straight into ast nodes."""

    def word(self, c: list[Any]) -> Node:
        return _word(c[0])

    def phrase(self, c: list[Any]) -> Node:
        return _phrase(c[0])

    def run(self, c: list[Any]) -> Node:
        toks = c[0].tokens
        return Seq(_at(toks[0]), tuple(_word(t) if t.type == "WORD" else _phrase(t) for t in toks))

    def range(self, c: list[Any]) -> _RangeValue:
        return _RangeValue(c[0])

    def group(self, c: list[Any]) -> Node:
        lpar, inner = c
        return replace(inner, pos=_at(lpar)) if isinstance(inner, (And, Or, Seq)) else inner

    def neg(self, c: list[Any]) -> Node:
        return Not(_at(c[0]), c[1])

    def req(self, c: list[Any]) -> Node:
        node = c[1]
        return replace(node, required=True) if isinstance(node, (Term, Phrase, Prefix)) else node

    def field(self, c: list[Any]) -> Node:
        tok, value = c
        name, pos = tok[:-1], _at(tok)
        canon = ALL_FIELDS.get(name.lower())
        if canon is None:
            raise _Fail(
                f"unknown field '{name}' at position {pos}; known fields: {_KNOWN}",
                pos,
                "q_unknown_field",
                field=name,
                known=_KNOWN,
            )
        return replace(_apply(value, name, canon, pos), pos=pos)

    def or_expr(self, c: list[Any]) -> Node:
        return Or(c[0].pos, _flat(Or, c))

    def seq(self, c: list[Any]) -> Node:
        return Seq(c[0].pos, _flat(Seq, c))

    def and_expr(self, c: list[Any]) -> Node:
        return And(c[0].pos, _flat(And, c))


class _Lexer(Lexer):
    """lark's own terminals and priorities, scanned with one compiled regex (4x faster than
    lark's basic lexer); string terminals that are whole words (``AND``, ``与``) are keywords."""

    fold = True  # tests switch it off to check that folding never changes a tree

    def __init__(self, conf: LexerConf) -> None:
        word = re.compile(next(t.pattern.to_regexp() for t in conf.terminals if t.name == "WORD"))
        self.keywords = {
            t.pattern.value: t.name
            for t in conf.terminals
            if t.pattern.type == "str" and word.fullmatch(t.pattern.value)
        }
        terms = sorted(
            (t for t in conf.terminals if t.pattern.value not in self.keywords),
            key=lambda t: (-t.priority, -t.pattern.max_width, t.name),
        )
        self.ignore = set(conf.ignore)
        alts = "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terms)
        self.scan = re.compile(rf"\s*(?:{alts})")  # leading blanks skipped in the same match

    def lex(self, text: str) -> list[Token]:  # type: ignore[override]  # lark's Lexer.lex takes a LexerState
        """The tokens of ``text``; a character no terminal matches is an error."""
        pos, end, match, keywords, ignore = 0, len(text), self.scan.match, self.keywords, self.ignore
        out: list[Token] = []
        while pos < end:
            m = match(text, pos)
            if m is None:
                raise _Fail(f"unexpected '{text[pos]}' at position {pos}", pos, "q_unexpected", tok=text[pos])
            kind = m.lastgroup
            assert kind is not None  # every alternative of the scanner is a named group
            if kind not in ignore:
                value = m.group(kind)
                out.append(Token(keywords.get(value, kind) if kind == "WORD" else kind, value, m.start(kind)))
            pos = m.end()
        _nesting(out)
        return self._fold(out) if self.fold else out

    @staticmethod
    def _fold(toks: list[Token]) -> list[Token]:
        """Speed: in a run of ≥ 4 plain words/phrases the inner ones can only be Seq items (no
        operator or field touches them), so one RUN token carries them past the LALR loop."""
        out: list[Token] = []
        i, n = 0, len(toks)
        while i < n:
            j = i
            while j < n and toks[j].type in ("WORD", "PHRASE"):
                j += 1
            if j - i >= 4:
                run = _Run("RUN", "…", toks[i + 1].start_pos)
                run.tokens = toks[i + 1 : j - 1]
                out += (toks[i], run, toks[j - 1])
            else:
                out += toks[i:j]
            if j < n:
                out.append(toks[j])
            i = j + 1
        return out


def _nesting(toks: list[Token]) -> None:
    """Raise :class:`_Limit` at the token where the nesting passes ``MAX_DEPTH``."""
    opened: list[int] = []  # levels each open '(' adds: itself and the prefixes in front of it
    depth = pending = 0  # levels of the open groups; prefixes waiting for their value
    for t in toks:
        if t.type in _UNARY or t.type == "FIELD":
            pending += 1
        elif t.type == "LPAR":
            opened.append(pending + 1)
            depth, pending = depth + pending + 1, 0
        elif t.type == "_RPAR":
            depth -= opened.pop() if opened else 0
            continue
        else:
            pending = 0
            continue
        if depth + pending > MAX_DEPTH:
            raise _Limit(
                f"the query nests too deeply at position {_at(t)}: at most {MAX_DEPTH} "
                "levels of parentheses, NOT/-/!/+ and field: prefixes",
                _at(t),
                "q_too_deep",
                depth=MAX_DEPTH,
            )


@lru_cache(maxsize=1)
def _lark() -> Lark:
    """The parser; its LALR tables kept in the cache folder (building them took ~0.1 s a process)."""
    from pathlib import Path

    from ipai.text.cachefiles import cache_file

    cache = cache_file("lark-query", [Path(__file__)], "lark")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Lark(GRAMMAR, parser="lalr", lexer=_Lexer, transformer=_Build())
    # (lark checks the grammar, the options and its version against the file, and builds the
    # tables again from the grammar when it cannot read it)
    return Lark(GRAMMAR, parser="lalr", lexer=_Lexer, transformer=_Build(), cache=str(cache))


@lru_cache(maxsize=1)
def _lexer() -> _Lexer:
    return _Lexer(_lark().lexer_conf)


def _caret(text: str, pos: int) -> str:
    """The query (a window of it, when long) and a caret under ``pos``."""
    lo = max(0, pos - 40)
    hi = min(len(text), max(pos, lo) + 40)
    flat = re.sub(r"\s", " ", text[lo:hi])  # only the window: the text may be long
    line = ("…" if lo else "") + flat + ("…" if hi < len(text) else "")
    head = ("…" if lo else "") + flat[: pos - lo]
    width = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in head)
    return f"  {line}\n  {' ' * width}^"


def _error(
    text: str, message: str, pos: int, code: str = "", limit: bool = False, **params: object
) -> QueryError:
    cls = _LimitError if limit else QueryError
    return cls(f"{message}\n{_caret(text, pos)}", query=text, position=pos, code=code or None, params=params)


def _scan(text: str) -> tuple[str, int, str, dict[str, Any]] | None:
    """The first unclosed quote or unbalanced parenthesis, if any."""
    stack: list[int] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in '"“':
            close = '"' if ch == '"' else "”"
            j = text.find(close, i + 1)
            if j < 0:
                return (
                    f"unclosed quote: the '{ch}' at position {i} has no closing '{close}'",
                    i,
                    "q_unclosed_quote",
                    {"ch": ch, "close": close},
                )
            i = j + 1
            continue
        if ch == "(":
            stack.append(i)
        elif ch == ")":
            if not stack:
                return (
                    f"unexpected ')' at position {i}: there is no '(' before it to close",
                    i,
                    "q_unexpected_rpar",
                    {},
                )
            stack.pop()
        i += 1
    if stack:
        return f"missing ')' for '(' at position {stack[-1]}", stack[-1], "q_missing_rpar", {}
    return None


def _diagnose(text: str, exc: UnexpectedInput) -> tuple[str, int, str, dict[str, Any]]:
    """Turn a lark syntax error into a message an examiner understands (message, position, the
    message's code and values)."""
    if not isinstance(exc, UnexpectedToken):
        pos = getattr(exc, "pos_in_stream", None) or 0
        return (
            f"unexpected '{text[pos : pos + 1]}' at position {pos}",
            pos,
            "q_unexpected",
            {"tok": text[pos : pos + 1]},
        )
    tok = exc.token
    end = tok.type == "$END"
    pos = len(text.rstrip()) if end else _at(tok)
    prev: Token | None = None
    for t in _lexer().lex(text):
        if _at(t) >= pos:
            break
        prev = t
    ptype = prev.type if prev is not None else None
    if prev is not None and prev.type == "FIELD":
        return (
            (
                f"'{prev}' at position {_at(prev)} must be followed directly by a word, a "
                f"\"phrase\" or a (group), not '{tok}' at position {pos}; put NOT, - or + "
                f"before the field (-{prev}…)"
            ),
            pos,
            "q_field_needs_term",
            {"field": str(prev), "fpos": _at(prev), "tok": str(tok)},
        )
    if end or tok.type == "_RPAR":
        if prev is not None and prev.type == "LPAR":
            return f"empty parentheses at position {_at(prev)}", _at(prev), "q_empty_parens", {}
        if ptype in _BINARY or ptype in _UNARY:
            return (
                f"'{prev}' needs a search term after it at position {pos}",
                pos,
                "q_needs_term_after",
                {"op": str(prev)},
            )
    if tok.type in _BINARY:
        if ptype in _BINARY or ptype in _UNARY:
            return (
                f"missing search term between '{prev}' and '{tok}' at position {pos}",
                pos,
                "q_needs_term_between",
                {"a": str(prev), "b": str(tok)},
            )
        return (
            f"'{tok}' at position {pos} needs a search term before it",
            pos,
            "q_needs_term_before",
            {"op": str(tok)},
        )
    if tok.type == "RANGE":
        return (
            (f"a range at position {pos} needs a date field in front of it, e.g. pd:{tok}"),
            pos,
            "q_range_needs_field",
            {"tok": str(tok)},
        )
    return f"unexpected '{tok}' at position {pos}", pos, "q_unexpected", {"tok": str(tok)}


def _strict(text: str) -> Node:
    if not text or not text.strip():
        raise _error(
            text or "",
            'empty query at position 0: type some words, a "phrase" or a field such as ti:robot',
            0,
            "q_empty",
        )
    if len(text) > MAX_QUERY_CHARS:
        raise _error(
            text,
            f"the query is too long at position {MAX_QUERY_CHARS}: at most "
            f"{MAX_QUERY_CHARS:,} characters, this one has {len(text):,}",
            MAX_QUERY_CHARS,
            "q_too_long",
            limit=True,
            n=f"{len(text):,}",
            limit_chars=f"{MAX_QUERY_CHARS:,}",
        )
    try:
        tree = _lark().parse(text)
        assert isinstance(tree, Node)  # the inline transformer builds ast nodes (lark's stub says Tree)
        return tree
    except _Limit as exc:
        raise _error(text, exc.message, exc.pos, exc.code, limit=True, **exc.params) from None
    except (_Fail, UnexpectedInput) as exc:
        found = _scan(text)
        if found is None:
            found = (
                (exc.message, exc.pos, exc.code, exc.params)
                if isinstance(exc, _Fail)
                else _diagnose(text, exc)
            )
        message, pos, code, params = found
        raise _error(text, message, pos, code, **params) from None


def _is_prose(text: str) -> bool:
    """Long (≥ 25 words; two CJK characters count as one) with no ``known_field:`` syntax."""
    words = len(text.split()) + len(_CJK.findall(text)) // 2
    return words >= FALLBACK_WORDS and not _FIELD_SYNTAX.search(text)


def parse_query(text: str, free_text_fallback: bool = True) -> Node:
    """Parse an examiner query; raise :class:`QueryError` (with ``position``) when it is wrong.

    With ``free_text_fallback`` a long pasted text (≥ 25 words, no ``field:`` syntax) that does
    not parse becomes :class:`FreeText` instead of an error; a query over a limit
    (``MAX_QUERY_CHARS``, ``MAX_DEPTH``) is always an error.
    """
    try:
        return _strict(text)
    except QueryError as exc:
        if free_text_fallback and not isinstance(exc, _LimitError) and _is_prose(text):
            return FreeText(0, text)
        raise
