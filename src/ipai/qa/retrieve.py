"""Evidence for a question: passages of patents (the search index) and of the knowledge documents
(laws article by article, guidelines, FAQs), each scored on its source's scale and placed by its
margin over that source's refusal threshold, so one ranking and one refusal serve both.

1. The question loses its question words (``what does … do``, ``是什么``, ``如何``…); what is
   left is the *content*.
2. Knowledge: the question is understood (:mod:`ipai.qa.understand`: lay → legal terms, English
   words translated, the law it is about) and scored against the passages by
   :class:`ipai.qa.knowledge.KnowledgeIndex` (BM25 + multilingual-e5, fused on an absolute scale);
   the threshold is calibrated on held-out questions (:mod:`ipai.qa.calibration`).
3. Patents: the hybrid search engine (BM25 + vectors) picks candidate documents for the content;
   their titles, abstracts, first claims and first description paragraphs are cut into passages,
   each scored ``0.7 · lexical + 0.3 · semantic`` (lexical: the idf-weighted share of the content's
   words the passage holds, a word only in the title counting 0.6; semantic: the cosine of the
   search engine's vectors); refused below :data:`REFUSE_BELOW`.
"""

from __future__ import annotations

import math
import re
import threading
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ipai.qa.extract import best_sentences
from ipai.qa.knowledge import KnowledgeIndex, encode, vector_text
from ipai.qa.understand import Question, understand
from ipai.search.analysis import has_han, index_tokens
from ipai.search.highlight import mark, passages_of, query_keys, split_sentences

LEX_WEIGHT, SEM_WEIGHT, CONTEXT_WEIGHT = 0.7, 0.3, 0.6
PATENT_DOCS = 8  # candidate patents per question
PASSAGE_CHARS = 360
KNOWLEDGE_KEPT = 12  # best knowledge passages kept per question
REFUSE_BELOW = 0.55  # patent evidence below this score does not answer (calibrated with ``ipai eval qa``)

EN_QUESTION = frozenset(
    [
        "what",
        "whats",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "does",
        "do",
        "did",
        "is",
        "are",
        "was",
        "were",
        "can",
        "could",
        "should",
        "would",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "please",
        "tell",
        "me",
        "about",
        "explain",
        "describe",
        "give",
        "show",
        "find",
        "any",
        "some",
        "there",
        "i",
        "we",
        "you",
        "my",
        "our",
        "your",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "mean",
        "means",
        "meaning",
        "purpose",
        "used",
        "use",
        "invention",
        "patent",
        "patents",
        "document",
        "documents",
    ]
)
ZH_QUESTION = (
    "请问",
    "请告诉我",
    "告诉我",
    "是什么",
    "什么是",
    "是指",
    "什么",
    "如何",
    "怎么样",
    "怎么",
    "怎样",
    "哪些",
    "哪个",
    "哪里",
    "为什么",
    "为何",
    "多少",
    "能否",
    "可否",
    "是否",
    "可以",
    "能不能",
    "有没有",
    "吗",
    "呢",
    "吧",
    "啊",
    "我",
    "我们",
    "的",
)
_ZH_Q = re.compile("|".join(sorted(map(re.escape, ZH_QUESTION), key=len, reverse=True)))
_PUNCT = re.compile(r"[?？!！。，,、；;:：\"'“”‘’()（）\[\]【】<>《》]+")


@dataclass
class Evidence:
    """A scored passage that may answer the question."""

    source: str  # "patent" | "doc"
    id: str  # a patent's document id, or a knowledge document's number
    title: str
    passage: str  # plain text
    where: str
    score: float
    lexical: float
    semantic: float
    marked: str = ""  # HTML-escaped with the matched words in <mark>
    margin: float = 0.0  # score minus the refusal threshold of its source (>= 0: good enough to answer)
    law: str = ""  # a law's short name (专利法) when the passage is an article of a law
    article: int | None = None
    cite: str = ""  # 《专利法》第四十二条
    cite_en: str = ""  # Patent Law, Article 42
    quote: str = ""  # the sentence(s) of the passage that answer the question

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["score"], d["lexical"], d["semantic"], d["margin"] = (
            round(x, 4) for x in (self.score, self.lexical, self.semantic, self.margin)
        )
        return d


def content_of(question: str) -> str:
    """The question without its question words and punctuation (what a search should look for)."""
    text = _PUNCT.sub(" ", question)
    if has_han(text):
        text = _ZH_Q.sub(" ", text)
    words = [w for w in text.split() if w.lower().strip("'") not in EN_QUESTION]
    return " ".join(words).strip()


def lang_of(text: str) -> str:
    return "zh" if has_han(text) else "en"


def tokens(text: str, lang: str | None = None) -> list[str]:
    """Index tokens of a text (Chinese segmented, other words stemmed)."""
    return index_tokens(text, lang or lang_of(text))


class Retriever:
    """Finds and scores evidence over one service's search engine and knowledge documents."""

    def __init__(self, service: Any) -> None:
        self.svc = service
        self._kindex: KnowledgeIndex | None = None
        self._kkey: Any = None
        self._lock = threading.Lock()

    # ---- the knowledge index ------------------------------------------------------------------
    def knowledge(self) -> KnowledgeIndex:
        """The knowledge index, rebuilt if documents were added or removed (e5 vectors from the
        shared cache: only passages never seen are encoded)."""
        with self._lock:
            version = list(self.svc.store.qa_version())
            if version[0] == 0:
                return KnowledgeIndex([], None)
            if self._kindex is not None and self._kkey == version:
                return self._kindex
            kidx = KnowledgeIndex(self.svc.store.qa_passages(), None)
            kidx.vectors = encode(
                [vector_text(p) for p in kidx.passages], self.svc.settings.encoder_cache_path
            )
            self._kindex, self._kkey = kidx, version
            return kidx

    # ---- scoring ----------------------------------------------------------------------------
    def _weights(self, qtoks: list[str], kidx: KnowledgeIndex) -> dict[str, float]:
        """idf of the content words over patents and knowledge passages together."""
        eng = self.svc.search_engine
        eng._open_index()
        n_pat = eng.keyword.num_docs()
        n = n_pat + len(kidx)
        out = {}
        for t in set(qtoks):
            df = (eng.keyword.doc_freq("text", t) if n_pat else 0) + kidx.df.get(t, 0)
            out[t] = math.log(1 + (n - df + 0.5) / (df + 0.5))
        return out

    @staticmethod
    def _lexical(weights: dict[str, float], body: set[str], context: set[str]) -> float:
        total = sum(weights.values())
        if total <= 0:
            return 0.0
        got = sum(
            w * (1.0 if t in body else CONTEXT_WEIGHT if t in context else 0.0) for t, w in weights.items()
        )
        return got / total

    # ---- retrieval --------------------------------------------------------------------------
    def retrieve(
        self, question: str, *, top: int = 5, patents: bool = True, knowledge: bool = True
    ) -> tuple[str, list[Evidence]]:
        """(content, evidence by margin over its source's threshold): at most one passage per
        patent and per law article (or other document), ``top`` passages."""
        content = content_of(question) or question.strip()
        kidx = self.knowledge() if knowledge else KnowledgeIndex([], None)
        keys = query_keys([content])
        cands: list[Evidence] = []
        if knowledge and len(kidx):
            cands += self._knowledge_candidates(kidx, question, content, keys)
        if patents and self.svc.store.count_documents():
            qtoks = tokens(content, lang_of(content))
            qvec = self.svc.search_engine.embed([content])[0]
            cands += self._patent_candidates(content, qvec, self._weights(qtoks, kidx), keys)
        best: dict[tuple[str, str, Any], Evidence] = {}
        for ev in cands:
            k = (ev.source, ev.id, ev.article if ev.law else None)
            if k not in best or ev.margin > best[k].margin:
                best[k] = ev
        ranked = sorted(best.values(), key=lambda e: -e.margin)
        return content, ranked[:top]

    def understand(self, question: str) -> Question:
        """How the knowledge retriever reads a question (terms, legal expansions, subjects)."""
        kidx = self.knowledge()
        return understand(question, content_of(question) or question.strip(), kidx.knows)

    def _knowledge_candidates(
        self, kidx: KnowledgeIndex, question: str, content: str, keys: set[str]
    ) -> list[Evidence]:
        from ipai.qa.calibration import knowledge_threshold

        q = understand(question, content, kidx.knows)
        qvec = None
        if kidx.vectors is not None:
            from ipai.search.vector.e5 import encode_queries

            qvec = encode_queries([question.strip()])[0]
        threshold = knowledge_threshold()
        out = []
        for s in kidx.rank(q, qvec, mask=kidx.readable())[:KNOWLEDGE_KEPT]:
            p = kidx.passages[s.index]
            marked, _ = mark(p["text"], keys | _legal_keys(q), p["lang"])
            law = p.get("law")
            out.append(
                Evidence(
                    source="doc",
                    id=str(p["doc_id"]),
                    title=p["title"],
                    passage=p["text"],
                    where=p["where"],
                    score=s.score,
                    lexical=s.cover,
                    semantic=s.cos,
                    marked=marked,
                    margin=s.score - threshold,
                    law=law.name if law else "",
                    article=p.get("article"),
                    cite=law.cite(p.get("article")) if law else "",
                    cite_en=law.cite(p.get("article"), "en") if law else "",
                    quote=best_sentences(p["text"], q.terms, q.expansions, kidx.idf, p["lang"]),
                )
            )
        return out

    def _patent_candidates(
        self, content: str, qvec: np.ndarray, weights: dict[str, float], keys: set[str]
    ) -> list[Evidence]:
        from ipai.search.query import ast as A

        eng = self.svc.search_engine
        node = A.FreeText(pos=0, text=content)
        # keyword and hybrid lists both: fusion can push an exact title match below the semantic side's
        # neighbours, and the keyword list alone misses the other language
        ranked: dict[str, int] = {}
        for mode in ("keyword", "hybrid"):
            res = eng.search_node(node, top=PATENT_DOCS, mode=mode, explain=False, fetch=False, count=False)
            for r, h in enumerate(res.hits):
                ranked[h.id] = min(ranked.get(h.id, r), r)
        docs = eng.documents(list(ranked))
        units: list[tuple[int, Any, str, str, str, set[str]]] = []
        for doc_id, rank in ranked.items():
            doc = docs.get(doc_id)
            if doc is None:
                continue
            ctx = set(tokens(" ".join(doc.titles.values())))
            for where, text, lang in _patent_units(doc):
                units.append((rank, doc, where, text, lang, ctx))
        if not units:
            return []
        vecs = eng.embed([f"{u[1].title} {u[3]}" for u in units])
        per_doc: dict[str, list[tuple[float, float, float, str, str, str]]] = defaultdict(list)
        titles: dict[str, str] = {}
        for (rank, doc, where, text, lang, ctx), v in zip(units, vecs, strict=False):
            lex = self._lexical(weights, set(tokens(text, lang)), ctx)
            sem = max(float(v @ qvec), 0.0)
            # the engine's order breaks ties between equally good documents
            score = LEX_WEIGHT * lex + SEM_WEIGHT * sem - 0.001 * rank
            per_doc[doc.id].append((score, lex, sem, where, text, lang))
            titles[doc.id] = doc.title or doc.id
        out = []
        for doc_id, scored in per_doc.items():
            # a document is as relevant as its best unit (often its title); the passage cited is its
            # best sentence run that is not a title (the title alone answers nothing)
            top = max(scored)
            body = [s for s in scored if not s[3].startswith("title")] or scored
            _, lex, sem, where, text, lang = max(body)
            marked, _ = mark(text, keys, lang)
            score = max(top[0], 0.0)
            out.append(
                Evidence(
                    source="patent",
                    id=doc_id,
                    title=titles[doc_id],
                    passage=text,
                    where=where,
                    score=score,
                    lexical=max(lex, top[1]),
                    semantic=max(sem, top[2]),
                    marked=marked,
                    margin=score - REFUSE_BELOW,
                )
            )
        return out


def _patent_units(doc: Any) -> list[tuple[str, str, str]]:
    """Passages of a patent worth citing: titles, abstract sentence runs, the first claims and
    the first description paragraphs (each cut to about :data:`PASSAGE_CHARS`)."""
    out = []
    n_claims = n_desc = 0
    for where, text, lang in passages_of(doc):
        if where.startswith("claim"):
            n_claims += 1
            if n_claims > 3:
                continue
        elif where.startswith("description"):
            n_desc += 1
            if n_desc > 30:
                continue
        for piece in _runs(text):
            out.append((where, piece, lang))
    return out


def _runs(text: str, limit: int = PASSAGE_CHARS) -> list[str]:
    """Whole sentences packed into passages of at most ``limit`` characters."""
    out, cur = [], ""
    for s in split_sentences(text):
        if len(s) > limit:
            s = s[:limit].rsplit(" ", 1)[0] + " …"
        if cur and len(cur) + len(s) + 1 > limit:
            out.append(cur)
            cur = ""
        cur = f"{cur}{'' if has_han(s[:1]) else ' '}{s}".strip() if cur else s
    if cur:
        out.append(cur)
    return out


def _legal_keys(q: Question) -> set[str]:
    """Highlight keys of the legal terms the question was mapped to."""
    return query_keys(q.expansions) if q.expansions else set()
