"""What of a patent document goes into the indexes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ipai.model import PatentDocument
from ipai.search.analysis import index_tokens, vector_tokens
from ipai.search.keyword.tantivy_index import KeywordDoc, code_levels
from ipai.status import family_tokens, phase
from ipai.text import chinese

DESC_CHARS = 60_000  # description text indexed per document (BM25 length normalisation does the rest)
VECTOR_WORDS = 400  # words of a document the semantic encoder reads


@dataclass
class Prepared:
    """A document analysed for both indexes."""

    keyword: KeywordDoc
    vector_tokens: list[str]
    vector_text: str


def ymd(d: dt.date | None) -> int | None:
    """A date as the integer YYYYMMDD (for range filters)."""
    return d.year * 10_000 + d.month * 100 + d.day if d else None


def name_tokens(name: str) -> list[str]:
    """Tokens of a normalised party name (Chinese names segmented)."""
    if chinese.has_han(name):
        return [w.lower() for w in chinese.segment(name) if w.strip()]
    return name.lower().split()


def semantic_text(doc: PatentDocument) -> str:
    """Titles, abstracts and (when there is no abstract) the first claim and description start."""
    parts = list(doc.titles.values()) + list(doc.abstracts.values())
    if not doc.abstracts:
        firsts: dict[str, str] = {}
        for c in doc.claims:
            firsts.setdefault(c.lang, c.text)
        parts.extend(firsts.values())
        if doc.description:
            parts.extend(p.text for p in doc.description.paragraphs[:6] if not p.heading)
    return "\n".join(parts)


def prepare(doc: PatentDocument, iid: int) -> Prepared:
    """Analyse one document for the keyword and vector indexes."""
    text = {
        "ti": [t for lang, s in doc.titles.items() for t in index_tokens(s, lang, subwords=True)],
        "ab": [t for lang, s in doc.abstracts.items() for t in index_tokens(s, lang, subwords=True)],
        "cl": [t for c in doc.claims for t in index_tokens(c.text, c.lang, subwords=True)],
    }
    if doc.description:
        desc, size = [], 0
        for p in doc.description.paragraphs:
            if size > DESC_CHARS:
                break
            desc.append(p.text)
            size += len(p.text)
        text["desc"] = index_tokens("\n".join(desc), doc.description.lang, subwords=True)
    names = {
        "pa": [t for p in doc.applicants + doc.assignees for t in name_tokens(p.name_norm or p.name)],
        "in": [t for p in doc.inventors for t in name_tokens(p.name_norm or p.name)],
    }
    codes: dict[str, list[str]] = {"cpc": [], "ipc": [], "locarno": []}
    for c in doc.classifications:
        if c.scheme in ("cpc", "ipc"):
            codes[c.scheme].extend(code_levels(c.code))
        elif c.scheme == "locarno":
            codes["locarno"].append(c.code)
    codes = {k: list(dict.fromkeys(v)) for k, v in codes.items()}
    kind = doc.pubno.kind or ""
    keys: dict[str, list[str]] = {
        "cc": [doc.pubno.country],
        "lang": doc.languages,
        "kind": list(dict.fromkeys(x for x in (kind, doc.pubno.kind_letter) if x)),
        "type": [doc.doc_type] if doc.doc_type else [],
    }
    status = phase(doc)  # the status the events give; the expiry is applied at query time (status:)
    keys["phase"], keys["fam"] = [status.status], family_tokens(doc)
    dates = {
        k: v
        for k, v in (
            ("pd", ymd(doc.publication_date or doc.grant_date)),
            ("ad", ymd(doc.filing_date)),
            ("prd", ymd(doc.priority_date)),
            ("exp", ymd(status.expiry)),
        )
        if v
    }
    sem = semantic_text(doc)
    vt = vector_tokens(sem)[:VECTOR_WORDS]
    kw = KeywordDoc(id=doc.id, iid=iid, text=text, names=names, codes=codes, keys=keys, dates=dates)
    return Prepared(keyword=kw, vector_tokens=vt, vector_text=sem)
