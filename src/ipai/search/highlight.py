"""Explaining a hit: the passages of a document that match the query, with matched words marked.

Passages are sentences of the title, abstract, claims and description; each is scored by the
query words it contains (compared after the same analysis the index uses), and the best few
are returned with their location ("claim 1", "abstract", "description [0012]") and the
matched words wrapped in ``<mark>…</mark>``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

from ipai.model import PatentDocument
from ipai.search.analysis import has_han, index_tokens, query_token_variants

_SENT = re.compile(r"(?<=[.;:!?。；！？])\s+|(?<=[。；！？])")
_WORD = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff]+|[0-9A-Za-z\u00c0-\u024f]+(?:[-'.][0-9A-Za-z\u00c0-\u024f]+)*"
)
MAX_PASSAGE = 320


@dataclass
class Passage:
    """A matching passage of a hit."""

    where: str
    text: str  # HTML-escaped, matched words in <mark>
    score: float


def query_keys(terms: list[str]) -> set[str]:
    """Index tokens the query's words can appear as (all stemming languages, Chinese words)."""
    keys: set[str] = set()
    for t in terms:
        for w in _WORD.findall(t):
            if has_han(w):
                keys.update(index_tokens(w, "zh"))
            else:
                keys.update(query_token_variants(w))
    return keys


def _units(doc: PatentDocument) -> list[tuple[str, str, str]]:
    """(location, text, lang) units in reading order."""
    out = [(f"title[{lang}]", t, lang) for lang, t in doc.titles.items()]
    out += [(f"abstract[{lang}]", t, lang) for lang, t in doc.abstracts.items()]
    out += [
        (f"claim {c.num}" + (f" [{c.lang}]" if c.lang != "en" else ""), c.text, c.lang) for c in doc.claims
    ]
    if doc.description:
        for i, p in enumerate(doc.description.paragraphs[:400]):
            if not p.heading:
                out.append(
                    (
                        f"description [{p.num}]" if p.num else f"description ¶{i + 1}",
                        p.text,
                        doc.description.lang,
                    )
                )
    return out


@lru_cache(maxsize=100_000)
def _word_tokens(word: str, lang: str) -> tuple[str, ...]:
    return tuple(index_tokens(word, "zh" if has_han(word) else lang, subwords=True))


def _mark(sentence: str, keys: set[str], lang: str) -> tuple[str, int]:
    """The sentence with matched words marked, and how many distinct keys matched."""
    found: set[str] = set()
    parts, last = [], 0
    for m in _WORD.finditer(sentence):
        word = m.group(0)
        toks = _word_tokens(word, lang)
        hit = [t for t in toks if t in keys]
        if not hit:
            continue
        found.update(hit)
        parts.append(html.escape(sentence[last : m.start()]))
        if has_han(word) and len(toks) > 1:  # mark only the matching Chinese words inside the run
            # one pass, longest words first: a word repeated in the run, or inside a longer
            # matched word, is marked once
            alts = "|".join(re.escape(t) for t in sorted(set(hit), key=len, reverse=True))
            inner = re.sub(alts, lambda x: f"\x00{x.group(0)}\x01", word)
            parts.append(html.escape(inner).replace("\x00", "<mark>").replace("\x01", "</mark>"))
        else:
            parts.append(f"<mark>{html.escape(word)}</mark>")
        last = m.end()
    parts.append(html.escape(sentence[last:]))
    return "".join(parts), len(found)


def _needles(terms: list[str]) -> set[str]:
    """Cheap substrings a matching sentence must contain (first letters of each word)."""
    out: set[str] = set()
    for t in terms:
        for w in _WORD.findall(t.lower()):
            out.add(w if has_han(w) else w[:4])
    return out


@lru_cache(maxsize=512)
def _query_parts(terms: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Keys, needles and Chinese needle characters of a query's terms (once per query, not per hit)."""
    needles = _needles(list(terms))
    return (
        frozenset(query_keys(list(terms))),
        frozenset(needles),
        frozenset(c for n in needles if has_han(n) for c in n),
    )


def highlights(doc: PatentDocument, terms: list[str], limit: int = 3) -> list[Passage]:
    """The best passages of ``doc`` for the query words ``terms``."""
    keys, needles, han_needles = _query_parts(tuple(terms))
    if not keys:
        return []
    scored: list[Passage] = []
    for where, text, lang in _units(doc):
        if where.startswith("description") and len(scored) >= limit:
            break
        low = text.lower()
        if not any(n in low for n in needles) and not any(c in text for c in han_needles):
            continue
        for sent in _SENT.split(text):
            sent = sent.strip()
            if not sent:
                continue
            slow = sent.lower()
            if not any(n in slow for n in needles) and not any(c in sent for c in han_needles):
                continue  # no word of the query can be in this sentence
            if len(sent) > MAX_PASSAGE:
                sent = sent[:MAX_PASSAGE].rsplit(" ", 1)[0] + " …"
            marked, n = _mark(sent, keys, lang)  # type: ignore[arg-type]  # membership only
            if n:
                bonus = 0.5 if where.startswith(("title", "abstract", "claim 1")) else 0.0
                scored.append(Passage(where=where, text=marked, score=n + bonus))
    scored.sort(key=lambda p: -p.score)
    return scored[:limit]


def passages_of(doc: PatentDocument) -> list[tuple[str, str, str]]:
    """(location, text, lang) units of a document in reading order: titles, abstracts, claims,
    description paragraphs (public name of the unit list the highlighter scans)."""
    return _units(doc)


def split_sentences(text: str) -> list[str]:
    """Sentences of a unit (Chinese and Latin punctuation)."""
    return [s.strip() for s in _SENT.split(text) if s and s.strip()]


def mark(sentence: str, keys: set[str], lang: str) -> tuple[str, int]:
    """``sentence`` HTML-escaped with the words whose tokens are in ``keys`` in ``<mark>``, and the
    number of distinct keys found."""
    return _mark(sentence, keys, lang)


def abstract_start(doc: PatentDocument, size: int = 300) -> str | None:
    """The first ``size`` characters of the document's abstract (its own language first), cut at
    a word end and marked with an ellipsis when longer; None without an abstract."""
    texts = doc.abstracts or {}
    text = texts.get(doc.lang or "") or next(iter(texts.values()), "")
    text = " ".join(text.split())
    if not text:
        return None
    if len(text) <= size:
        return text
    cut = text[:size]
    if " " in cut[size // 2 :] and not cut[-1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + " …"
