"""From a parsed query to what each index runs.

- ``keyword``: the tantivy query that ranks (BM25 over ti/ab/cl/desc with field boosts);
- ``constraint``: the hard part only (filters, NOT, explicit AND/OR, ``+word``, names) — the
  semantic side searches only documents that satisfy it, so both sides obey the same filters;
- ``semantic_text``: every positive text clause, for the encoder;
- ``terms``: positive words and phrases, for highlighting and associated terms.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ipai.errors import QueryError
from ipai.model import parse_pubno
from ipai.search.analysis import has_han, index_tokens, query_token_variants
from ipai.search.docfields import name_tokens
from ipai.search.keyword.tantivy_index import ALL_TEXT, FIELD_BOOST, KeywordIndex
from ipai.search.query import ast as A
from ipai.text.lang import detect
from ipai.text.names import normalize_name

FREE_TEXT_TERMS = 32  # a pasted text keeps its 32 most distinctive terms: MAP as with 64 (0.230 vs 0.231 on a claims split), half the time
# unfielded words: all text (one posting list, like Lucene's "contents") plus the title again,
# so a title match counts double; measured: twice as fast as four per-field lists at 1M docs
DEFAULT_FIELDS = (ALL_TEXT, "ti")
_FIELD_SETS = {None: DEFAULT_FIELDS, "all": (ALL_TEXT,), "tac": ("ti", "ab", "cl")}
_LEVEL = re.compile(r"^[A-HY](\d\d([A-Z](\d{1,4})?)?)?$")  # section, class, subclass, main group


@dataclass
class Plan:
    """What the keyword and vector sides run for one query."""

    keyword: Any | None = None
    constraint: Any | None = None
    semantic_text: str = ""
    terms: list[str] = field(default_factory=list)
    lang: str | None = None


def as_free_text(node: A.Node, min_words: int = 25) -> A.Node:
    """A long run of plain words (a pasted abstract or claim) is searched as free text: its most
    distinctive terms rank, instead of hundreds of equal clauses."""
    if isinstance(node, A.Seq) and len(node.children) >= min_words and all(
        isinstance(c, (A.Term, A.Phrase)) and c.field is None and not c.required for c in node.children
    ):
        return A.FreeText(pos=node.pos, text=" ".join(c.text for c in node.children))  # type: ignore[attr-defined]
    return node


class _Builder:
    """Builds a light query tree that :meth:`compile` flattens into tantivy queries.

    Nested SHOULD groups (word → fields → stems) score exactly like one flat SHOULD list —
    tantivy sums the parts either way — but the flat list lets tantivy skip blocks of
    documents that cannot reach the top k (block-max WAND): twice as fast at 1M documents.
    """

    def __init__(self, kw: KeywordIndex) -> None:
        self.kw = kw

    def __getattr__(self, name: str) -> Any:  # num_docs, doc_freq…
        return getattr(self.kw, name)

    def _leaf(self, q: Any) -> tuple[str, Any]:
        return ("leaf", q)

    def term(self, f: str, t: str) -> Any:
        if self.kw.doc_freq(f, t) == 0:  # a term no document has: matches nothing, costs a clause
            return ("none",)
        return self._leaf(self.kw.term(f, t))

    def phrase(self, f: str, toks: list[str]) -> Any:
        return self._leaf(self.kw.phrase(f, toks))

    def regex(self, f: str, pattern: str) -> Any:
        return self._leaf(self.kw.regex(f, pattern))

    def int_range(self, f: str, lo: int | None, hi: int | None) -> Any:
        return self._leaf(self.kw.int_range(f, lo, hi))

    def all(self) -> Any:
        return self._leaf(self.kw.all())

    def boost(self, q: Any, factor: float) -> Any:
        return ("boost", q, factor)

    def boolean(self, clauses: list[tuple[str, Any]]) -> Any:
        return ("bool", clauses)

    def compile(self, node: Any) -> Any:
        """The tantivy query for a tree (``None`` stays ``None``; a tree that cannot match
        becomes the empty query)."""
        if node is None:
            return None
        q = self._compile(node)
        return self.kw.empty() if q is None else q

    def _compile(self, node: Any) -> Any | None:
        kind = node[0]
        if kind == "none":
            return None
        if kind == "leaf":
            return node[1]
        if kind == "boost":
            inner = self._compile(node[1])
            return None if inner is None else self.kw.boost(inner, node[2])
        flat: list[tuple[str, Any]] = []
        for occ, child in node[1]:
            if occ == "should":
                flat.extend(("should", c) for c in self._should_parts(child, 1.0))
                continue
            q = self._compile(child)
            if q is None:
                if occ == "must":
                    return None  # a required part that no document has
                continue  # must_not of nothing excludes nothing
            flat.append((occ, q))
        if not flat or all(occ == "must_not" for occ, _ in flat):
            return None if not flat else self.kw.boolean(flat + [("must", self.kw.all())])
        if len(flat) == 1:
            return flat[0][1]
        return self.kw.boolean(flat)

    def _should_parts(self, node: Any, boost: float) -> list[Any]:
        """A SHOULD clause as flat SHOULD queries (boosts pushed down to the leaves)."""
        if node[0] == "boost":
            return self._should_parts(node[1], boost * node[2])
        if node[0] == "bool" and all(occ == "should" for occ, _ in node[1]):
            return [q for _, c in node[1] for q in self._should_parts(c, boost)]
        q = self._compile(node)
        if q is None:
            return []
        return [q if boost == 1.0 else self.kw.boost(q, boost)]


class Planner:
    """Compiles query trees against a keyword index."""

    def __init__(self, kw: KeywordIndex) -> None:
        self.kw = _Builder(kw)

    def plan(self, node: A.Node) -> Plan:
        """Compile a parsed query."""
        node = as_free_text(node)
        p = Plan()
        texts: list[str] = []
        p.keyword = self.kw.compile(self._rank(node, texts, p.terms))
        p.constraint = self.kw.compile(self._hard(node, top=True))
        p.semantic_text = " ".join(texts)
        p.lang = detect(p.semantic_text, default="en") if p.semantic_text else None
        return p

    # ---- ranking query ------------------------------------------------------------------------
    def _rank(self, n: A.Node, texts: list[str], terms: list[str]) -> Any | None:
        kw = self.kw
        if isinstance(n, (A.Term, A.Phrase, A.Prefix)) and n.field in A.NAME_FIELDS.values():
            return self._names(n)
        if isinstance(n, (A.Term, A.Phrase, A.Prefix, A.FreeText)):
            texts.append(n.text)
            terms.append(n.text)
            return self._text(n)
        if isinstance(n, (A.Code, A.DateRange, A.Match)):
            return self._filter(n)
        if isinstance(n, A.Not):
            inner = self._hard(n.child, top=False) or self._rank(n.child, [], [])
            return kw.boolean([("must", kw.all()), ("must_not", inner)]) if inner else None
        if isinstance(n, (A.And, A.Or, A.Seq)):
            clauses: list[tuple[str, Any]] = []
            for c in n.children:
                if isinstance(c, A.Not):
                    inner = self._hard(c.child, top=False) or self._rank(c.child, [], [])
                    if inner is not None:
                        clauses.append(("must_not", inner))
                    continue
                q = self._rank(c, texts, terms)
                if q is None:
                    continue
                if isinstance(n, A.And) or (isinstance(n, A.Seq) and self._is_hard(c)):
                    clauses.append(("must", q))
                else:
                    clauses.append(("should", q))
            if not clauses:
                return None
            if all(o == "must_not" for o, _ in clauses):
                clauses.append(("must", kw.all()))
            return clauses[0][1] if len(clauses) == 1 and clauses[0][0] != "must_not" else kw.boolean(clauses)
        raise QueryError(f"unsupported query element {type(n).__name__}", position=n.pos)

    def _is_hard(self, n: A.Node) -> bool:
        if isinstance(n, (A.Code, A.DateRange, A.Match)):
            return True
        if isinstance(n, (A.Term, A.Phrase, A.Prefix)):
            return n.required or n.field in A.NAME_FIELDS.values()
        return isinstance(n, (A.And, A.Or))

    # ---- hard constraints ---------------------------------------------------------------------
    def _hard(self, n: A.Node, top: bool) -> Any | None:
        """The constraint part of a query; soft (ranking-only) text at the top level drops out."""
        kw = self.kw
        if isinstance(n, (A.Code, A.DateRange, A.Match)):
            return self._filter(n)
        if isinstance(n, (A.Term, A.Phrase, A.Prefix)):
            if n.field in A.NAME_FIELDS.values():
                return self._names(n)
            return self._text(n) if (n.required or not top) else None
        if isinstance(n, A.FreeText):
            return None
        if isinstance(n, A.Not):
            inner = self._hard(n.child, top=False)
            return kw.boolean([("must", kw.all()), ("must_not", inner)]) if inner is not None else None
        if isinstance(n, A.Seq):
            parts = [self._hard(c, top=top) for c in n.children]
            parts = [q for q in parts if q is not None]
            if not parts:
                return None
            return parts[0] if len(parts) == 1 else kw.boolean([("must", q) for q in parts])
        if isinstance(n, (A.And, A.Or)):
            parts = [self._hard(c, top=False) for c in n.children]
            parts = [q for q in parts if q is not None]
            if not parts:
                return None
            occur = "must" if isinstance(n, A.And) else "should"
            return parts[0] if len(parts) == 1 else kw.boolean([(occur, q) for q in parts])
        return None

    # ---- leaves -------------------------------------------------------------------------------
    def _fields(self, name: str | None) -> tuple[str, ...]:
        return _FIELD_SETS.get(name, (name,))  # type: ignore[arg-type]

    def _text(self, n: A.Node) -> Any | None:
        kw = self.kw
        if isinstance(n, A.FreeText):
            return self._free_text(n.text)
        fields = self._fields(n.field)  # type: ignore[attr-defined]
        per_field = []
        for f in fields:
            q = self._leaf(n, f)
            if q is not None:
                per_field.append(("should", kw.boost(q, FIELD_BOOST.get(f, 1.0))))
        if not per_field:
            return None
        return per_field[0][1] if len(per_field) == 1 else kw.boolean(per_field)

    def _leaf(self, n: A.Node, f: str) -> Any | None:
        kw = self.kw
        if isinstance(n, A.Prefix):
            stem = re.escape(n.text.lower())
            return kw.regex(f, f"{stem}.*") if n.text else None
        if isinstance(n, A.Phrase) or (isinstance(n, A.Term) and has_han(n.text)):
            lang = "zh" if has_han(n.text) else detect(n.text, default="en")
            toks = index_tokens(n.text, lang)
            if not toks:
                return None
            if isinstance(n, A.Term) and len(toks) > 1:  # a Chinese run: its words, the phrase ranks higher
                parts = [("should", kw.term(f, t)) for t in toks]
                parts.append(("should", kw.boost(kw.phrase(f, toks), 2.0)))
                return kw.boolean(parts)
            return kw.phrase(f, toks)
        variants = query_token_variants(n.text)  # type: ignore[attr-defined]
        # other languages' stems only where the index has them (each clause costs time)
        variants = variants[:1] + [v for v in variants[1:] if kw.doc_freq(f, v) > 0]
        if not variants:
            return None
        if len(variants) == 1:
            return kw.term(f, variants[0])
        return kw.boolean([("should", kw.term(f, v)) for v in variants])

    def _free_text(self, text: str) -> Any | None:
        kw = self.kw
        lang = detect(text, default="en")
        toks = index_tokens(text, lang)
        if not toks:
            return None
        tf = Counter(toks)
        n_docs = max(kw.num_docs(), 1)
        scored = []
        for t, c in tf.items():
            df = kw.doc_freq(ALL_TEXT, t)
            scored.append((c * math.log(1 + n_docs / (1 + df)), t))
        keep = [t for _, t in sorted(scored, reverse=True)[:FREE_TEXT_TERMS]]
        clauses = [("should", kw.boost(kw.term(f, t), FIELD_BOOST[f])) for t in keep for f in DEFAULT_FIELDS]
        return kw.boolean(clauses)

    def _names(self, n: A.Node) -> Any | None:
        toks = name_tokens(normalize_name(n.text))  # type: ignore[attr-defined]
        if not toks:
            return None
        f = n.field  # type: ignore[attr-defined]
        if isinstance(n, A.Prefix):
            return self.kw.regex(f, re.escape(toks[0]) + ".*")
        if isinstance(n, A.Phrase):
            return self.kw.phrase(f, toks)
        return self.kw.boolean([("must", self.kw.term(f, t)) for t in toks])

    def _filter(self, n: A.Node) -> Any:
        kw = self.kw
        if isinstance(n, A.Code):
            schemes = ("cpc", "ipc") if n.scheme == "cls" else (n.scheme,)
            qs = []
            for s in schemes:
                if n.prefix and not _LEVEL.match(n.code):
                    qs.append(kw.regex(s, re.escape(n.code) + ".*"))
                else:
                    qs.append(kw.term(s, n.code))
            return qs[0] if len(qs) == 1 else kw.boolean([("should", q) for q in qs])
        if isinstance(n, A.DateRange):
            lo = int(n.start.replace("-", "")) if n.start else None
            hi = int(n.end.replace("-", "")) if n.end else None
            return kw.int_range(n.field, lo, hi)
        if isinstance(n, A.Match):
            return self._match(n)
        raise QueryError(f"unsupported filter {type(n).__name__}", position=n.pos)

    def _match(self, n: A.Match) -> Any:
        kw = self.kw
        v = n.value.strip()
        if n.field == "cc":
            return kw.term("cc", v.upper())
        if n.field == "lang":
            return kw.term("lang", v.lower())
        if n.field == "kind":
            return kw.term("kind", v.upper())
        if n.field == "type":
            return kw.term("type", v.lower().replace(" ", "_").replace("-", "_"))
        if n.field == "pn":
            try:
                return kw.term("id", parse_pubno(v).doc_id)
            except QueryError:
                raise
            except Exception as exc:
                raise QueryError(f"pn: {v!r} is not a publication number", position=n.pos) from exc
        raise QueryError(f"unknown field {n.field!r}", position=n.pos)
