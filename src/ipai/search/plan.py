"""From a parsed query to what each index runs.

- ``concepts``: the words written with no operator, as concepts (:mod:`ipai.search.concepts`):
  each with its forms (stems, translations, synonyms); a document *carries* a concept when it
  has any form;
- ``tiers``: keyword queries that rank (BM25 over ti/ab/cl/desc with field boosts), the first
  requiring every concept, the last any one — so documents with all concepts come first, as
  with Lucene's coordination or Elasticsearch's ``minimum_should_match``; explicit ``AND``/``OR``
  keep their Boolean meaning;
- ``keyword``: the last tier: what counts as a keyword match (a filter alone is never one);
- ``constraint``: the hard part only (filters, NOT, explicit AND/OR, ``+word``, names) — the
  semantic side searches only documents that satisfy it, so both sides obey the same filters;
- ``semantic_text``: every positive text clause, for the encoder;
- ``terms``: positive words and phrases and their translations, for highlighting.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from ipai.errors import QueryError
from ipai.model import parse_pubno
from ipai.search.analysis import has_han, index_tokens, query_token_variants
from ipai.search.concepts import Concept, ConceptBuilder, Form
from ipai.search.docfields import name_tokens
from ipai.search.keyword.tantivy_index import ALL_TEXT, FIELD_BOOST
from ipai.search.query import ast as A
from ipai.text.lang import detect
from ipai.text.names import normalize_name

FREE_TEXT_TRANSLATED = 12  # … and its 12 most distinctive terms are also searched in the other language
FREE_TEXT_TERMS = 32  # a pasted text keeps its 32 most distinctive terms: MAP as with 64 (0.230 vs 0.231 on a claims split), half the time
# unfielded words: all text (one posting list, like Lucene's "contents") plus the title again,
# so a title match counts double; measured: twice as fast as four per-field lists at 1M docs
DEFAULT_FIELDS = (ALL_TEXT, "ti")
_FIELD_SETS = {None: DEFAULT_FIELDS, "all": (ALL_TEXT,), "tac": ("ti", "ab", "cl")}
_LEVEL = re.compile(r"^[A-HY](\d\d([A-Z](\d{1,4})?)?)?$")  # section, class, subclass, main group


COORDINATION = 0.75  # with four or more concepts, carrying 75 % of them counts as carrying all


@dataclass
class Plan:
    """What the keyword and vector sides run for one query."""

    keyword: Any | None = None
    constraint: Any | None = None
    semantic_text: str = ""
    terms: list[str] = field(default_factory=list)
    lang: str | None = None
    concepts: list[Concept] = field(default_factory=list)  # soft top-level concepts, query order
    tiers: list[Any] = field(default_factory=list)  # keyword queries, most concepts first
    concept_queries: list[Any] = field(default_factory=list)  # one per required concept (coverage)
    concept_searches: list[Any] = field(default_factory=list)  # … with the filters and NOT parts (candidates)
    has_text: bool = False  # the query has words that rank (not only filters)
    free_text: bool = False  # a pasted text (a disclosure, a claim): never gibberish, never refused

    @property
    def known(self) -> bool:
        """False when every concept is unknown to both the corpus and the dictionary (gibberish):
        then nothing close in meaning can be trusted either."""
        return not self.concepts or any(c.known for c in self.concepts)

    def queries_in(self, lang: str, limit: int = 4) -> list[str]:
        """The query's concepts written in ``lang``: each concept in its two commonest forms in that
        language (as typed first; a compound the dictionary lacks by its parts; else as typed),
        combined — at most ``limit`` phrasings, the first the most likely. A document in that
        language is compared with each (query translation)."""
        import itertools

        join = "" if lang == "zh" else " "
        options: list[list[str]] = []
        for c in self.concepts:
            forms = sorted(
                (f for f in c.forms if f.lang == lang and f.kind != "prefix"),
                key=lambda f: f.source != "query",
            )
            if forms:  # as typed first, then the dictionary's order (main sense first)
                options.append(list(dict.fromkeys(f.text for f in forms))[:2])
            elif c.parts:
                options.append(
                    [join.join(next((f.text for f in p.forms if f.lang == lang), p.text) for p in c.parts)]
                )
            else:
                options.append([c.text])
        if not options:
            return [self.semantic_text]
        return [join.join(combo) for combo in itertools.islice(itertools.product(*options), limit)]

    @property
    def required(self) -> list[Concept]:
        """Concepts a document must carry to be a full match (boilerplate never is)."""
        return [c for c in self.concepts if c.required] or self.concepts

    def full(self) -> int:
        """Concepts a document must carry to rank with the full matches."""
        n = len(self.concept_queries)
        return n if n <= 3 else math.ceil(COORDINATION * n)


def _bilingual(n: A.Node) -> bool:
    """An OR group with words in Chinese and in another script: the searcher's own translations
    (``(无人机 OR drone OR UAV)``), searched as written."""
    leaves = [c for c in getattr(n, "children", ()) if isinstance(c, (A.Term, A.Phrase, A.Prefix))]
    return any(has_han(c.text) for c in leaves) and any(not has_han(c.text) for c in leaves)


def as_free_text(node: A.Node, min_words: int = 25) -> A.Node:
    """A long run of plain words (a pasted abstract or claim) is searched as free text: its most
    distinctive terms rank, instead of hundreds of equal clauses."""
    if (
        isinstance(node, A.Seq)
        and len(node.children) >= min_words
        and all(
            isinstance(c, (A.Term, A.Phrase)) and c.field is None and not c.required for c in node.children
        )
    ):
        return A.FreeText(pos=node.pos, text=" ".join(c.text for c in node.children))  # type: ignore[attr-defined]  # all Term/Phrase (checked above)
    return node


class QueryIndex(Protocol):
    """What a plan is compiled against: document frequencies and the tantivy query builders (a
    :class:`KeywordIndex`, or :class:`ipai.search.sharded.GlobalStats` summed over shards)."""

    def num_docs(self) -> int:
        """Live documents."""
        ...

    def doc_freq(self, field_name: str, token: str) -> int:
        """Documents containing a token in a field."""
        ...

    def term(self, field_name: str, token: str) -> Any:
        """A term query."""
        ...

    def phrase(self, field_name: str, tokens: list[str], slop: int = 0) -> Any:
        """A phrase query (``slop``: words allowed between)."""
        ...

    def regex(self, field_name: str, pattern: str) -> Any:
        """A regular-expression query on the tokens of a field."""
        ...

    def int_range(self, field_name: str, lo: int | None, hi: int | None) -> Any:
        """An inclusive integer range query."""
        ...

    def boolean(self, clauses: list[tuple[str, Any]], minimum: int | None = None) -> Any:
        """``(occur, query)`` pairs combined."""
        ...

    def boost(self, query: Any, factor: float) -> Any:
        """A query with its score multiplied."""
        ...

    def all(self) -> Any:
        """Every document."""
        ...

    def empty(self) -> Any:
        """No document."""
        ...


class _Builder:
    """Builds a light query tree that :meth:`compile` flattens into tantivy queries.

    Nested SHOULD groups (word → fields → stems) score exactly like one flat SHOULD list —
    tantivy sums the parts either way — but the flat list lets tantivy skip blocks of
    documents that cannot reach the top k (block-max WAND): twice as fast at 1M documents.
    """

    def __init__(self, kw: QueryIndex) -> None:
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
        if any(self.kw.doc_freq(f, t) == 0 for t in toks):
            return ("none",)
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

    def at_least(self, parts: list[Any], k: int) -> Any:
        """Documents with at least ``k`` of ``parts`` (each part one clause, scores summed)."""
        return ("min", parts, k)

    def near(self, f: str, toks: list[str], slop: int) -> Any:
        return self._leaf(self.kw.phrase(f, toks, slop=slop))

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
        if kind == "min":
            parts = [q for q in (self._compile(c) for c in node[1]) if q is not None]
            if len(parts) < node[2]:
                return None  # fewer parts exist in the corpus than must match
            if len(parts) == 1:
                return parts[0]
            return self.kw.boolean([("should", q) for q in parts], minimum=node[2])
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
    """Compiles query trees against a keyword index; ``neighbours`` (word, script) → corpus words
    of that script close in the word space (a stand-in translation for words the lexicon lacks)."""

    def __init__(self, kw: QueryIndex, neighbours: Any | None = None) -> None:
        self.kw = _Builder(kw)
        self.builder = ConceptBuilder(self._df, neighbours)
        self.translate = True

    def _df(self, toks: list[str]) -> int:
        """Documents with every token (an upper bound for a phrase: its rarest token)."""
        return min(self.kw.doc_freq(ALL_TEXT, t) for t in toks) if toks else 0

    def plan(self, node: A.Node, *, translate: bool = True) -> Plan:
        """Compile a parsed query; ``translate``: add the concepts' forms in other languages."""
        node = as_free_text(node)
        self.translate = translate
        p = Plan()
        texts: list[str] = []
        if isinstance(node, A.FreeText):
            p.keyword = self.kw.compile(self._rank(node, texts, p.terms))
            p.tiers = [p.keyword] if p.keyword is not None else []  # a text with no indexable word
            p.free_text = True
        else:
            items = list(node.children) if isinstance(node, A.Seq) else [node]
            clauses: list[tuple[str, Any]] = []
            for c in items:
                if self._is_soft(c):
                    continue
                if isinstance(c, A.Not):
                    inner = self._hard(c.child, top=False) or self._rank(c.child, [], [])
                    if inner is not None:
                        clauses.append(("must_not", inner))
                    continue
                q = self._rank(c, texts, p.terms)
                if q is not None:
                    clauses.append(("must", q))
            p.concepts = self._soft_concepts([c for c in items if self._is_soft(c)], texts, p.terms)
            self._compile_tiers(p, clauses, bool(texts))
        p.has_text = bool(texts)
        p.constraint = self.kw.compile(self._hard(node, top=True))
        p.semantic_text = " ".join(texts)
        p.lang = detect(p.semantic_text, default="en") if p.semantic_text else None
        return p

    def _compile_tiers(self, p: Plan, clauses: list[tuple[str, Any]], has_text: bool) -> None:
        kw = self.kw
        if not p.concepts:
            if has_text and any(o == "must" for o, _ in clauses):
                p.keyword = kw.compile(clauses[0][1] if len(clauses) == 1 else kw.boolean(clauses))
                p.tiers = [p.keyword]
            return  # filters, names or NOT alone: a listing, never a keyword match
        trees = [self._concept_tree(c) for c in p.concepts]
        req = [i for i, c in enumerate(p.concepts) if c.required] or list(range(len(p.concepts)))
        extra = [("should", trees[i]) for i in range(len(trees)) if i not in req]
        extra += [("should", t) for t in self._proximity(p.concepts)]
        parts = [trees[i] for i in req]
        p.concept_queries = [kw.compile(t) for t in parts]
        p.concept_searches = (
            [kw.compile(kw.boolean(clauses + [("must", t)])) for t in parts] if len(parts) > 1 else []
        )
        n = len(parts)
        levels = sorted({n, p.full(), 1}, reverse=True)
        for k in levels:
            p.tiers.append(kw.compile(kw.boolean(clauses + [("must", kw.at_least(parts, k))] + extra)))
        p.keyword = p.tiers[-1]

    @staticmethod
    def _is_soft(n: A.Node) -> bool:
        """A word or phrase that ranks without being required (the default operator)."""
        return (
            isinstance(n, (A.Term, A.Phrase, A.Prefix))
            and not n.required
            and n.field not in A.NAME_FIELDS.values()
        )

    # ---- concepts -----------------------------------------------------------------------------
    def _soft_concepts(self, items: list[A.Node], texts: list[str], terms: list[str]) -> list[Concept]:
        out: list[Concept] = []
        run: list[A.Term] = []

        def flush() -> None:
            if not run:
                return
            words = [t.text for t in run]
            spans = {s: e for s, e in self.builder.group_english(words)} if self.translate else {}
            i = 0
            while i < len(words):
                e = spans.get(i, i + 1)
                text = " ".join(words[i:e])
                if e - i > 1:
                    out.extend(self._concepts(text, run[i].field, grouped=True))
                else:
                    out.extend(self._concepts(text, run[i].field))
                i = e
            run.clear()

        for n in items:
            texts.append(n.text)  # type: ignore[attr-defined]  # soft items are Term/Phrase/Prefix leaves
            if isinstance(n, A.Term) and not has_han(n.text) and n.field in (None, "all", "tac"):
                if run and run[-1].field != n.field:
                    flush()
                run.append(n)
                continue
            flush()
            if isinstance(n, A.Prefix):
                out.append(
                    Concept(
                        text=n.text + "*",
                        lang="en",
                        field=n.field,
                        forms=[Form(n.text, "en", [n.text.lower()], "query", kind="prefix", df=1)],
                    )
                )
            else:
                out.extend(self._concepts(n.text, n.field, phrase=isinstance(n, A.Phrase)))  # type: ignore[attr-defined]  # a Term/Phrase leaf
        flush()
        for c in out:
            for f in c.forms + [f for part in c.parts for f in part.forms]:
                if f.kind != "prefix" and f.text not in terms:
                    terms.append(f.text)
        return out

    def _concepts(
        self, text: str, fld: str | None, *, phrase: bool = False, grouped: bool = False
    ) -> list[Concept]:
        cs = self.builder.concepts(text, field=fld, phrase=phrase, translate=self.translate)
        if grouped:
            for c in cs:
                c.forms[
                    0
                ].kind = "all"  # unquoted words found as one dictionary sense: all of them, any order
        return cs

    def _concept_tree(self, c: Concept) -> Any:
        """Any form of the concept in any of its fields (a compound lacking from the dictionary:
        also all of its parts' forms together)."""
        kw = self.kw
        leaves: list[tuple[str, Any]] = []
        for f in self._fields(c.field):
            for form in c.forms:
                q = self._form_leaf(form, f)
                if q is not None:
                    leaves.append(("should", kw.boost(q, FIELD_BOOST.get(f, 1.0) * form.weight)))
        if c.parts:
            leaves.append(("should", kw.boolean([("must", self._concept_tree(part)) for part in c.parts])))
        if not leaves:
            return ("none",)
        return leaves[0][1] if len(leaves) == 1 else kw.boolean(leaves)

    def _form_leaf(self, form: Form, f: str) -> Any | None:
        kw = self.kw
        if form.kind == "prefix":
            return kw.regex(f, re.escape(form.tokens[0]) + ".*") if form.tokens[0] else None
        if (
            form.source == "query"
            and form.kind == "auto"
            and len(form.tokens) == 1
            and not has_han(form.text)
        ):
            variants = query_token_variants(form.text)  # the word in every stemming language the index has
            variants = variants[:1] + [v for v in variants[1:] if kw.doc_freq(f, v) > 0]
            if len(variants) > 1:
                return kw.boolean([("should", kw.term(f, v)) for v in variants])
        if not form.tokens:
            return None
        if len(form.tokens) == 1:
            return kw.term(f, form.tokens[0])
        if form.kind == "all":
            return kw.boolean([("must", kw.term(f, t)) for t in form.tokens])
        return kw.phrase(f, form.tokens)

    def _proximity(self, concepts: list[Concept]) -> list[Any]:
        """Neighbouring concepts written next to each other in a document rank higher."""
        out = []
        for a, b in zip(concepts, concepts[1:], strict=False):
            fa, fb = a.forms[0] if a.forms else None, b.forms[0] if b.forms else None
            if fa is None or fb is None or "prefix" in (fa.kind, fb.kind) or not (fa.df and fb.df):
                continue
            toks = fa.tokens + fb.tokens
            if 2 <= len(toks) <= 6:
                out.append(self.kw.boost(self.kw.near(ALL_TEXT, toks, 3), 0.5))
        return out

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
        if isinstance(n, A.Or) and _bilingual(n) and self.translate:
            self.translate = False  # the searcher wrote the translations: take the group as written
            try:
                return self._rank(n, texts, terms)
            finally:
                self.translate = True
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
        raise QueryError(
            f"unsupported query element {type(n).__name__}", position=n.pos, code="q_unsupported"
        )

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
        if isinstance(n, A.Or) and _bilingual(n) and self.translate:
            self.translate = False
            try:
                return self._hard(n, top)
            finally:
                self.translate = True
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
        return _FIELD_SETS.get(name, (name,))  # type: ignore[arg-type]  # None (no field) is a key of _FIELD_SETS

    def _text(self, n: A.Node) -> Any | None:
        """A word or phrase inside explicit Boolean logic (or required with ``+``): every concept
        it names, each in any of its forms (translations included)."""
        if isinstance(n, A.FreeText):
            return self._free_text(n.text)
        if isinstance(n, A.Prefix):
            c = Concept(
                text=n.text,
                lang="en",
                field=n.field,
                forms=[Form(n.text, "en", [n.text.lower()], "query", kind="prefix", df=1)],
            )
            return self._concept_tree(c)
        cs = self._concepts(n.text, n.field, phrase=isinstance(n, A.Phrase))  # type: ignore[attr-defined]  # a Term/Phrase leaf
        if not cs:
            return None
        trees = [self._concept_tree(c) for c in cs]
        return trees[0] if len(trees) == 1 else self.kw.boolean([("must", t) for t in trees])

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
        if self.translate:
            clauses += self._free_translations(text, lang, keep[:FREE_TEXT_TRANSLATED])
        return kw.boolean(clauses)

    def _free_translations(self, text: str, lang: str, tokens: list[str]) -> list[tuple[str, Any]]:
        """The most distinctive terms of a pasted text in the other language (Chinese ↔ English),
        so a Chinese disclosure also ranks English documents on the keyword side."""
        from ipai.search.analysis import surface_words

        surface = surface_words(text, lang)
        out: list[tuple[str, Any]] = []
        for t in tokens:
            word = surface.get(t, t)
            if not has_han(word) and lang != "en":
                continue  # the lexicon is Chinese–English
            for c in self.builder.concepts(word, translate=True):
                for form in c.translations():
                    if form.source == "synonym":
                        continue
                    for f in DEFAULT_FIELDS:
                        q = self._form_leaf(form, f)
                        if q is not None:
                            out.append(("should", self.kw.boost(q, FIELD_BOOST[f] * form.weight)))
        return out

    def _names(self, n: A.Node) -> Any | None:
        toks = name_tokens(normalize_name(n.text))  # type: ignore[attr-defined]  # a name field's Term/Phrase/Prefix
        if not toks:
            return None
        f = n.field  # type: ignore[attr-defined]  # (as above)
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
        raise QueryError(f"unsupported filter {type(n).__name__}", position=n.pos, code="q_unsupported")

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
        if n.field in ("phase", "fam"):  # legal status and family tokens (ipai.status.query)
            return kw.term(n.field, v)
        if n.field in ("status", "family"):  # not resolved by the service: resolve for today here
            import datetime as dt

            from ipai.status.query import resolve

            return self._hard(resolve(n, dt.date.today()), top=False)
        if n.field == "pn":
            try:
                return kw.term("id", parse_pubno(v).doc_id)
            except QueryError:
                raise
            except Exception as exc:
                raise QueryError(
                    f"pn: {v!r} is not a publication number",
                    position=n.pos,
                    code="q_not_pubno",
                    params={"value": v},
                ) from exc
        raise QueryError(
            f"unknown field {n.field!r}",
            position=n.pos,
            code="q_unknown_field",
            params={"field": n.field, "known": ""},
        )
