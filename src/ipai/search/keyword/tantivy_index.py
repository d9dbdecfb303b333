"""The keyword index on tantivy (Rust, Lucene-like BM25).

Text is analysed by ipai itself (``ipai.search.analysis``: rjieba for Chinese, Snowball for
Latin scripts) and handed to tantivy pre-tokenised through its whitespace tokenizer, so the
index and the query always agree and Chinese works. Classification codes are indexed at every
hierarchy level (``G``, ``G06``, ``G06N``, ``G06N3``, ``G06N3/08``) so ``cpc:G06N3*`` is one
term lookup; dates are integers ``YYYYMMDD`` for range filters; ``iid`` links a hit to its
vector row.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

TEXT_FIELDS = ("ti", "ab", "cl", "desc")
ALL_TEXT = "text"  # every text field's tokens together: one posting list per word for unfielded queries
NAME_FIELDS = ("pa", "in")
CODE_FIELDS = ("cpc", "ipc", "locarno")
KEY_FIELDS = (
    "cc",
    "lang",
    "kind",
    "type",
    "phase",
    "fam",
)  # phase: legal status by events; fam: family tokens
DATE_FIELDS = ("pd", "ad", "prd", "exp")  # exp: when the term ends (ipai.status)
FIELD_BOOST = {"ti": 2.0, "ab": 1.5, "cl": 1.2, "desc": 1.0, ALL_TEXT: 1.0}


@dataclass
class KeywordDoc:
    """One document as the keyword index sees it."""

    id: str
    iid: int
    text: dict[str, list[str]] = field(default_factory=dict)  # ti/ab/cl/desc → tokens
    names: dict[str, list[str]] = field(default_factory=dict)  # pa/in → tokens
    codes: dict[str, list[str]] = field(default_factory=dict)  # cpc/ipc/locarno → level tokens
    keys: dict[str, list[str]] = field(default_factory=dict)  # cc/lang/kind/type/phase/fam → values
    dates: dict[str, int] = field(default_factory=dict)  # pd/ad/prd/exp → YYYYMMDD


def code_levels(code: str) -> list[str]:
    """``G06N3/08`` → G, G06, G06N, G06N3, G06N3/08 (upper case)."""
    code = code.upper()
    out = [code[:1], code[:3], code[:4]]
    if "/" in code:
        out.append(code.split("/", 1)[0])
    out.append(code)
    return list(dict.fromkeys(x for x in out if x))


class KeywordIndex:
    """A tantivy index in a directory."""

    def __init__(self, path: Path) -> None:
        import tantivy

        self.tv = tantivy
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.schema = self._schema()
        self.index = tantivy.Index(self.schema, path=str(path), reuse=True)
        self._writer: Any = None
        self._searcher: Any = None
        self._df: dict[tuple[str, str], int] = {}
        self.index.reload()

    def _schema(self) -> Any:
        sb = self.tv.SchemaBuilder()
        sb.add_text_field("id", stored=True, tokenizer_name="raw")
        sb.add_unsigned_field("iid", stored=True, indexed=True, fast=True)
        for f in TEXT_FIELDS + NAME_FIELDS + (ALL_TEXT,):
            sb.add_text_field(f, tokenizer_name="whitespace")
        for f in CODE_FIELDS + KEY_FIELDS:
            sb.add_text_field(f, tokenizer_name="raw", index_option="basic")
        for f in DATE_FIELDS:
            sb.add_integer_field(f, indexed=True, fast=True)
        return sb.build()

    # ---- writing -----------------------------------------------------------------------------
    @property
    def writer(self) -> Any:
        """The index writer (opened on first write)."""
        if self._writer is None:
            self._writer = self.index.writer(heap_size=256_000_000, num_threads=2)
        return self._writer

    def upsert(self, docs: list[KeywordDoc], indexed: Collection[str] | None = None) -> None:
        """Replace the given documents (delete by id, then add); ``indexed``: the ids among them
        the index holds already (only those are deleted: a new document has nothing to replace)."""
        w = self.writer
        for d in docs:
            if indexed is None or d.id in indexed:
                w.delete_documents_by_term("id", d.id)
        for d in docs:
            doc = self.tv.Document()
            doc.add_text("id", d.id)
            doc.add_unsigned("iid", int(d.iid))
            for group in (d.text, d.names):
                for f, toks in group.items():
                    if toks:
                        doc.add_text(f, " ".join(toks))
            for f in TEXT_FIELDS:  # one value per part, so phrases do not run across parts
                if d.text.get(f):
                    doc.add_text(ALL_TEXT, " ".join(d.text[f]))
            for group in (d.codes, d.keys):
                for f, vals in group.items():
                    for v in vals:
                        doc.add_text(f, v)
            for f, day in d.dates.items():
                doc.add_integer(f, int(day))
            w.add_document(doc)

    def commit(self) -> None:
        """Make writes durable and visible."""
        if self._writer is not None:
            self._writer.commit()
            self._writer.wait_merging_threads()
            self._writer = None
        self.index.reload()
        self._searcher = None
        self._df = {}

    def clear(self) -> None:
        """Remove every document."""
        self.writer.delete_all_documents()
        self.commit()

    # ---- reading -----------------------------------------------------------------------------
    def searcher(self) -> Any:
        """A searcher on the latest commit (reused until the next commit)."""
        if self._searcher is None:
            self._searcher = self.index.searcher()
        return self._searcher

    def num_docs(self) -> int:
        """Live documents."""
        return int(self.searcher().num_docs)

    def search(self, query: Any, limit: int, count: bool = True) -> tuple[np.ndarray, np.ndarray, int]:
        """(iids, scores, total matches) of the best ``limit`` hits (total 0 unless ``count``:
        counting visits every match, which top-k search otherwise skips)."""
        s = self.searcher()
        res = s.search(query, limit, count=count)
        addrs = [a for _, a in res.hits]
        iids = np.asarray(s.fast_field_values("iid", addrs) if addrs else [], dtype=np.int64)
        scores = np.asarray([sc for sc, _ in res.hits], dtype=np.float32)
        return iids, scores, int(res.count or 0)

    def matching_iids(self, query: Any) -> np.ndarray:
        """Every iid matching a (filter) query."""
        s = self.searcher()
        n = max(int(s.num_docs), 1)
        res = s.search(query, n, count=False)
        addrs = [a for _, a in res.hits]
        return np.asarray(s.fast_field_values("iid", addrs) if addrs else [], dtype=np.int64)

    def doc_freq(self, field_name: str, token: str) -> int:
        """Documents containing a token in a field (cached until the next commit)."""
        key = (field_name, token)
        n = self._df.get(key)
        if n is None:
            if len(self._df) > 200_000:
                self._df.clear()
            n = self._df[key] = int(self.searcher().doc_freq(field_name, token))
        return n

    # ---- query building ----------------------------------------------------------------------
    def term(self, field_name: str, token: str) -> Any:
        """A term query."""
        return self.tv.Query.term_query(self.schema, field_name, token)

    def phrase(self, field_name: str, tokens: list[str], slop: int = 0) -> Any:
        """A phrase query (a single token becomes a term query); ``slop``: words allowed between."""
        if len(tokens) == 1:
            return self.term(field_name, tokens[0])
        words: list[str | tuple[int, str]] = list(tokens)  # plain words (positions implied)
        return self.tv.Query.phrase_query(self.schema, field_name, words, slop)

    def regex(self, field_name: str, pattern: str) -> Any:
        """A regular-expression query on the tokens of a field."""
        return self.tv.Query.regex_query(self.schema, field_name, pattern)

    def int_range(self, field_name: str, lo: int | None, hi: int | None) -> Any:
        """An inclusive integer range query."""
        return self.tv.Query.range_query(self.schema, field_name, self.tv.FieldType.Integer, lo, hi)

    def boolean(self, clauses: list[tuple[str, Any]], minimum: int | None = None) -> Any:
        """Combine ``(occur, query)`` pairs; occur is must, should or must_not; ``minimum``:
        should-clauses a document must match (default: one when there is no must-clause)."""
        occ = {"must": self.tv.Occur.Must, "should": self.tv.Occur.Should, "must_not": self.tv.Occur.MustNot}
        return self.tv.Query.boolean_query([(occ[o], q) for o, q in clauses], minimum)

    def among(self, iids: list[int]) -> Any:
        """Documents whose iid is one of ``iids``."""
        return self.tv.Query.term_set_query(self.schema, "iid", [int(i) for i in iids])

    def boost(self, query: Any, factor: float) -> Any:
        """Multiply a query's score."""
        return self.tv.Query.boost_query(query, factor)

    def all(self) -> Any:
        """Every document."""
        return self.tv.Query.all_query()

    def empty(self) -> Any:
        """No document."""
        return self.tv.Query.empty_query()
