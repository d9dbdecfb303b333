"""The knowledge index: the passages of the loaded documents (laws article by article, guidelines,
FAQs) with BM25 postings and multilingual-e5 vectors, and the hybrid relevance of a passage to a
question.

A passage of a law carries the law (:func:`ipai.qa.laws.law_of` of its document title) and its
article number, so it is cited as 《专利法》第四十二条. Its e5 vector is of
``《专利法》第四十二条 <text>`` and is kept by content hash in the shared e5 cache
(``settings.encoder_cache_path``): a passage is encoded once, whichever home loads it.

Relevance (one absolute scale, used both to rank and to refuse):
``W_BM25 · bm25 + W_COVER · cover + W_COS · cos + W_SUBJECT · subject``, where *bm25* is the
passage's BM25 over the question's weighted terms divided by the largest BM25 those terms can reach
(so it is comparable between questions), *cover* the idf-weighted share of the terms the passage
or its heading holds, *cos* the e5 cosine rescaled from [:data:`COS_FLOOR`, :data:`COS_TOP`] to
[0, 1], and *subject* 1 when the passage's law is about what the question names (专利, 商标…), 0
when the question names another subject, 0.5 when it names none or the passage is no law. A question
about a foreign jurisdiction loses :data:`W_FOREIGN`. The weights were chosen on the dev split of
``evals/queries/law-qa.tsv`` (docs/qa.md).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ipai.qa.laws import RELATED, Law, article_of, is_law_title, law_of
from ipai.qa.understand import Question
from ipai.search.analysis import has_han, index_tokens

K1, B = 1.2, 0.75
CANDIDATES = 40  # per side (BM25, vectors)
_CJK = re.compile(r"[\u3400-\u9fff]")
WEIGHTS = {
    "bm25": 0.2,
    "cover": 0.0,
    "para": 0.15,
    "phrase": 0.1,
    "cos": 0.5,
    "subject": 0.1,
    "level": 0.15,
    "named": 0.3,
    "foreign": 0.4,
    "cos_floor": 0.8,
    "cos_top": 0.95,
    "cos_en": 0.08,
}
VECTOR_CHARS = 512  # of a passage's text encoded


@dataclass
class Scored:
    """A knowledge passage's relevance to a question, with its parts."""

    index: int
    score: float
    bm25: float
    cover: float
    cos: float
    subject: float
    level: float  # 1 a law, 0.5 a regulation (or no law), 0 a judicial interpretation
    foreign: bool
    phrase: float  # share of the legal terms the question maps to that the passage has verbatim
    para: float  # the cover of the passage's best paragraph (款)
    named: bool  # the question names a subject (专利, 商标…)
    english: bool  # the question is in English (its e5 cosines to Chinese passages run lower)


def _lang(text: str) -> str:
    return "zh" if has_han(text) else "en"


class KnowledgeIndex:
    """Passages with law and article, BM25 postings and e5 vectors (rebuilt when documents change)."""

    def __init__(self, passages: list[dict[str, Any]], vectors: np.ndarray | None) -> None:
        self.passages = passages
        laws = _law_documents(passages)
        self.toks: list[Counter[str]] = []
        self.paragraphs: list[list[set[str]]] = []
        for p in passages:
            p["lang"] = p.get("lang") or _lang(p["text"])
            law = laws.get(p["doc_id"])
            p["law"], p["article"] = law, (article_of(p["where"]) if law else None)
            body = Counter(index_tokens(p["text"], p["lang"], subwords=True))
            for t in set(index_tokens(context_of(p), p["lang"], subwords=True)):
                body[t] += 1
            self.toks.append(body)
            self.paragraphs.append(
                [set(index_tokens(x, p["lang"], subwords=True)) for x in p["text"].split("\n")]
            )
        self.df: Counter[str] = Counter(t for c in self.toks for t in c)
        self.lengths = np.asarray([sum(c.values()) for c in self.toks] or [0], dtype=np.float32)
        self.avgdl = float(self.lengths.mean()) or 1.0
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, c in enumerate(self.toks):
            for t, n in c.items():
                self.postings[t].append((i, n))
        self.vectors = vectors

    def __len__(self) -> int:
        return len(self.passages)

    def idf(self, term: str) -> float:
        """BM25 idf of a term over the passages (0 for a term no passage has)."""
        df = self.df.get(term, 0)
        return math.log(1 + (len(self) - df + 0.5) / (df + 0.5)) if df else 0.0

    def knows(self, word: str) -> bool:
        """Whether some passage holds every token of the word."""
        toks = index_tokens(word, _lang(word))
        return bool(toks) and all(t in self.df for t in toks)

    def readable(self) -> np.ndarray | None:
        """Mask of the passages the current principal may read (the platform's and its tenant's);
        None when it may read all."""
        from ipai.security.context import tenant_scope

        filtered, tenant = tenant_scope()
        if not filtered:
            return None
        return np.asarray(
            [p.get("tenant") is None or p.get("tenant") == tenant for p in self.passages], dtype=bool
        )

    def bm25(self, terms: dict[str, float]) -> dict[int, float]:
        """BM25 (k1 1.2, b 0.75) of the passages holding a term, each term counted with its weight."""
        out: dict[int, float] = defaultdict(float)
        for t, w in terms.items():
            idf = self.idf(t)
            for i, tf in self.postings.get(t, ()):
                norm = tf + K1 * (1 - B + B * self.lengths[i] / self.avgdl)
                out[i] += w * idf * tf * (K1 + 1) / norm
        return out

    def ceiling(self, terms: dict[str, float]) -> float:
        """The largest BM25 the terms can reach (every term, saturated)."""
        return sum(w * self.idf(t) * (K1 + 1) for t, w in terms.items())

    def cover(self, terms: dict[str, float], i: int) -> float:
        """The idf-weighted share of the terms that passage ``i`` holds."""
        total = sum(w * self.idf(t) for t, w in terms.items())
        if total <= 0:
            return 0.0
        return sum(w * self.idf(t) for t, w in terms.items() if t in self.toks[i]) / total

    def own_cover(self, terms: dict[str, float], i: int) -> float:
        """The cover of passage ``i`` by the question's terms of one script at a time (the best of the
        Chinese and the other terms): a question's legal expansions in the other language do not count
        against a passage that answers it in its own."""
        cjk = {t: w for t, w in terms.items() if _CJK.search(t)}
        other = {t: w for t, w in terms.items() if t not in cjk}
        return max((self.cover(part, i) for part in (cjk, other) if part), default=0.0)

    def para_cover(self, terms: dict[str, float], i: int) -> float:
        """The idf-weighted share of the terms held by passage ``i``'s best paragraph."""
        total = sum(w * self.idf(t) for t, w in terms.items())
        paras = self.paragraphs[i]
        if total <= 0 or not paras:
            return 0.0
        return max(sum(w * self.idf(t) for t, w in terms.items() if t in para) for para in paras) / total

    def candidates(
        self, q: Question, qvec: np.ndarray | None, *, mask: np.ndarray | None = None, k: int = CANDIDATES
    ) -> list[Scored]:
        """The candidate passages (best BM25 and nearest vectors) with the parts of their relevance."""
        if not len(self):
            return []
        lex = self.bm25(q.terms)
        ids = [i for i, _ in sorted(lex.items(), key=lambda x: -x[1]) if mask is None or mask[i]][:k]
        sims = None
        if self.vectors is not None and qvec is not None and len(self.vectors) == len(self) and np.any(qvec):
            sims = self.vectors @ qvec
            near = np.where(mask, sims, -np.inf) if mask is not None else sims
            ids += [int(i) for i in np.argsort(-near)[:k] if np.isfinite(near[i])]
        top = self.ceiling(q.terms) or 1.0
        out = []
        for i in dict.fromkeys(ids):
            law = self.passages[i]["law"]
            text = self.passages[i]["text"]
            phrase = sum(t in text for t in q.expansions) / len(q.expansions) if q.expansions else 0.0
            # a document the user loaded (a guideline, an internal rule) is the authority on what it
            # covers: the law-only parts of the relevance (subject, level, a named law) are credited by
            # how much of the question's terms the passage carries, so a question it answers in its own
            # words is judged against the same calibrated threshold and an unrelated one gets nothing
            cover = self.cover(q.terms, i)
            own = law is None
            credit = self.own_cover(q.terms, i) if own else 0.0
            out.append(
                Scored(
                    i,
                    0.0,
                    float(min(lex.get(i, 0.0) / top, 1.0)),
                    cover,
                    float(sims[i]) if sims is not None else 0.0,
                    credit if own else subject_match(law, q.subjects),
                    credit if own else law.level,
                    q.foreign and not own,
                    phrase,
                    self.para_cover(q.terms, i),
                    (credit >= 0.5) if own else bool(q.subjects),
                    q.lang == "en",
                )
            )
        return out

    def rank(
        self, q: Question, qvec: np.ndarray | None, *, mask: np.ndarray | None = None, k: int = CANDIDATES
    ) -> list[Scored]:
        """The candidate passages, best relevance first."""
        out = self.candidates(q, qvec, mask=mask, k=k)
        for s in out:
            s.score = relevance(s)
        out.sort(key=lambda s: (-s.score, s.index))
        return out


def relevance(s: Scored, w: dict[str, float] | None = None) -> float:
    """The relevance of a candidate from its parts (weights :data:`WEIGHTS` unless given)."""
    w = w or WEIGHTS
    cos = s.cos + (w["cos_en"] if s.english else 0.0)
    cos_n = min(max((cos - w["cos_floor"]) / (w["cos_top"] - w["cos_floor"]), 0.0), 1.0)
    score = (
        w["bm25"] * s.bm25
        + w["cover"] * s.cover
        + w["cos"] * cos_n
        + w["subject"] * s.subject
        + w["phrase"] * s.phrase
        + w["para"] * s.para
        + w["level"] * s.level
        + (w["named"] if s.named else 0.0)
        - (w["foreign"] if s.foreign else 0.0)
    )
    return max(float(score), 0.0)


def subject_match(law: Law | None, subjects: set[str]) -> float:
    """1 when the law is about a subject the question names, 0 when it names others, 0.5 otherwise."""
    if law is None or not subjects:
        return 0.5
    mine = {law.subject} | RELATED.get(law.subject, set())
    return 1.0 if mine & subjects else 0.0


def context_of(p: dict[str, Any]) -> str:
    """What places a passage: its law's name (or document title) and its heading."""
    head = p["where"].split(" (¶")[0]
    law = p.get("law")
    return f"{law.name} {head}" if law is not None else f"{p['title']} {head}"


def vector_text(p: dict[str, Any]) -> str:
    """The text encoded for a passage: ``《专利法》第四十二条 <text>`` (a law) or ``<title> · <heading>: <text>``."""
    law = p.get("law")
    if law is not None:
        label = law.cite(p.get("article"))
    else:
        label = " · ".join(x for x in (p["title"], p["where"].split(" (¶")[0]) if x and not x.startswith("¶"))
    return f"{label} {p['text']}"[:VECTOR_CHARS]


def _law_documents(passages: list[dict[str, Any]]) -> dict[Any, Law]:
    """The documents that are laws: a law-like title and at least three numbered articles."""
    articles: Counter[Any] = Counter()
    titles: dict[Any, str] = {}
    for p in passages:
        titles[p["doc_id"]] = p["title"]
        if article_of(p["where"]) is not None:
            articles[p["doc_id"]] += 1
    return {d: law_of(t) for d, t in titles.items() if articles[d] >= 3 and is_law_title(t)}


def encode(texts: list[str], cache_path: Path) -> np.ndarray | None:
    """e5 passage vectors of the texts, read from / written to the shared cache; None without e5."""
    from ipai.search.vector import e5

    if not e5.available():
        return None
    cache = e5.PassageCache(cache_path)
    keys = [e5.passage_key(t) for t in texts]
    have = cache.get(keys)
    todo = [i for i, k in enumerate(keys) if k not in have]
    if todo:
        vecs = e5.encode_passages([texts[i] for i in todo])
        new = {keys[i]: v for i, v in zip(todo, vecs, strict=False)}
        cache.put(new)
        have.update(new)
    out = np.zeros((len(texts), e5.DIM), dtype=np.float32)
    for i, k in enumerate(keys):
        out[i] = have[k]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms > 0, norms, 1.0)
