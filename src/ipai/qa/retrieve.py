"""Evidence for a question: passages of patents (the search index) and of the user's knowledge
documents, scored on one scale so that they can be ranked together and a refusal threshold means
the same thing for both.

1. The question loses its question words (``what does … do``, ``是什么``, ``如何``…); what is
   left is the *content*.
2. Patents: the hybrid search engine (BM25 + vectors) picks candidate documents for the content;
   their titles, abstracts, first claims and first description paragraphs are cut into passages.
   Knowledge documents: a BM25 index over their passages and a vector search over their
   embeddings (the search engine's encoder, cached under ``<home>/qa/``) pick candidate passages.
3. Every candidate passage gets one score in [0, 1]:
   ``0.7 · lexical + 0.3 · semantic``, where *lexical* is the idf-weighted share of the content's
   words that the passage holds (a word only in the document title or section heading counts
   0.6: the title is the passage's context), idf over patents and knowledge passages together,
   and *semantic* is the cosine of question and passage vectors (Chinese and English comparable).
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from ipai.search.analysis import has_han, index_tokens
from ipai.search.highlight import mark, passages_of, query_keys, split_sentences

LEX_WEIGHT, SEM_WEIGHT, CONTEXT_WEIGHT = 0.7, 0.3, 0.6
PATENT_DOCS = 8  # candidate patents per question
KNOWLEDGE_CANDIDATES = 40  # candidate knowledge passages per side (BM25, vectors)
PASSAGE_CHARS = 360

EN_QUESTION = frozenset(
    ["what", "whats", "which", "who", "whom", "whose", "when", "where", "why", "how", "does", "do", "did", "is", "are", "was", "were", "can", "could", "should", "would", "will", "shall", "may", "might", "must", "please", "tell", "me", "about", "explain", "describe", "give", "show", "find", "any", "some", "there", "i", "we", "you", "my", "our", "your", "it", "its", "this", "that", "these", "those", "mean", "means", "meaning", "purpose", "used", "use", "invention", "patent", "patents", "document", "documents"])
ZH_QUESTION = ("请问", "请告诉我", "告诉我", "是什么", "什么是", "是指", "什么", "如何", "怎么样", "怎么", "怎样", "哪些",
               "哪个", "哪里", "为什么", "为何", "多少", "能否", "可否", "是否", "可以", "能不能", "有没有", "吗", "呢",
               "吧", "啊", "我", "我们", "的")
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

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["score"], d["lexical"], d["semantic"] = (round(x, 4) for x in (self.score, self.lexical, self.semantic))
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


class KnowledgeIndex:
    """BM25 and vectors over the passages of the knowledge documents (rebuilt when they change)."""

    def __init__(self, passages: list[dict[str, Any]], vectors: np.ndarray | None) -> None:
        self.passages = passages
        self.toks = [Counter(tokens(p["text"], p.get("lang"))) for p in passages]
        self.ctx = [set(tokens(f"{p['title']} {p['where']}", p.get("lang"))) for p in passages]
        self.df: Counter[str] = Counter(t for c in self.toks for t in c)
        self.vectors = vectors
        self._bm25: Any = None
        if any(self.toks):
            import bm25s

            self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
            self._bm25.index([list(c.elements()) or ["\x00"] for c in self.toks], show_progress=False)

    def __len__(self) -> int:
        return len(self.passages)

    def readable(self) -> np.ndarray | None:
        """Mask of the passages the current principal may read (the platform's and its tenant's);
        None when it may read all."""
        from ipai.security.context import tenant_scope

        filtered, tenant = tenant_scope()
        if not filtered:
            return None
        return np.asarray([p.get("tenant") is None or p.get("tenant") == tenant for p in self.passages], dtype=bool)

    def bm25(self, qtoks: list[str], k: int, mask: np.ndarray | None = None) -> list[int]:
        """Passages by BM25 (bm25s; k1 1.2, b 0.75), only those sharing a term with the question
        (and, given a mask, only readable ones)."""
        if self._bm25 is None or not qtoks or not len(self.toks):
            return []
        extra = {} if mask is None else {"weight_mask": mask.astype(np.float32)}
        res = self._bm25.retrieve([list(dict.fromkeys(qtoks))], k=min(k, len(self.toks)), show_progress=False,
                                  **extra)
        return [int(i) for i, s in zip(res.documents[0], res.scores[0]) if s > 0]

    def nearest(self, qvec: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[int]:
        if self.vectors is None or not len(self.vectors):
            return []
        sims = self.vectors @ qvec
        if mask is not None:
            sims = np.where(mask, sims, -np.inf)
        return [int(i) for i in np.argsort(-sims)[:k] if np.isfinite(sims[i])]


class Retriever:
    """Finds and scores evidence over one service's search engine and knowledge documents."""

    def __init__(self, service: Any) -> None:
        self.svc = service
        self._kindex: KnowledgeIndex | None = None
        self._kkey: Any = None
        self._lock = threading.Lock()

    # ---- the knowledge index ------------------------------------------------------------------
    def _engine_key(self) -> Any:
        eng = self.svc.search_engine
        eng._open_index()
        return [eng.state.get("seq", 0), eng.encoder.describe()]

    def knowledge(self) -> KnowledgeIndex:
        """The knowledge index, rebuilt if documents were added or removed (vectors cached on disk)."""
        with self._lock:
            version = list(self.svc.store.qa_version())
            if version[0] == 0:
                return KnowledgeIndex([], None)
            key = [version, self._engine_key()]
            if self._kindex is not None and self._kkey == key:
                return self._kindex
            passages = self.svc.store.qa_passages()
            for p in passages:
                p["lang"] = p.get("lang") or lang_of(p["text"])
            folder = self.svc.settings.home / "qa"
            meta_path, vec_path = folder / "vectors.json", folder / "vectors.npy"
            vectors = None
            if meta_path.exists() and vec_path.exists():
                try:
                    if json.loads(meta_path.read_text()) == key:
                        vectors = np.load(vec_path)
                except (OSError, ValueError):
                    vectors = None
            if vectors is None or len(vectors) != len(passages):
                vectors = self.svc.search_engine.embed([f"{p['title']} {p['text']}" for p in passages])
                folder.mkdir(parents=True, exist_ok=True)
                np.save(vec_path, vectors)
                meta_path.write_text(json.dumps(key))
            self._kindex, self._kkey = KnowledgeIndex(passages, vectors), key
            return self._kindex

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
        got = sum(w * (1.0 if t in body else CONTEXT_WEIGHT if t in context else 0.0) for t, w in weights.items())
        return got / total

    # ---- retrieval --------------------------------------------------------------------------
    def retrieve(self, question: str, *, top: int = 5, patents: bool = True,
                 knowledge: bool = True) -> tuple[str, list[Evidence]]:
        """(content, best evidence first): at most one passage per document, ``top`` passages."""
        content = content_of(question) or question.strip()
        qlang = lang_of(content)
        qtoks = tokens(content, qlang)
        kidx = self.knowledge() if knowledge else KnowledgeIndex([], None)
        weights = self._weights(qtoks, kidx)
        qvec = self.svc.search_engine.embed([content])[0]
        keys = query_keys([content])
        cands: list[Evidence] = []
        if knowledge and len(kidx):
            cands += self._knowledge_candidates(kidx, qtoks, qvec, weights, keys)
        if patents and self.svc.store.count_documents():
            cands += self._patent_candidates(content, qvec, weights, keys)
        best: dict[tuple[str, str], Evidence] = {}
        for ev in cands:
            k = (ev.source, ev.id)
            if k not in best or ev.score > best[k].score:
                best[k] = ev
        ranked = sorted(best.values(), key=lambda e: -e.score)
        return content, ranked[:top]

    def _knowledge_candidates(self, kidx: KnowledgeIndex, qtoks: list[str], qvec: np.ndarray,
                              weights: dict[str, float], keys: set[str]) -> list[Evidence]:
        mask = kidx.readable()
        ids = dict.fromkeys(kidx.bm25(qtoks, KNOWLEDGE_CANDIDATES, mask) + kidx.nearest(qvec, KNOWLEDGE_CANDIDATES, mask))
        out = []
        for i in ids:
            p = kidx.passages[i]
            lex = self._lexical(weights, set(kidx.toks[i]), kidx.ctx[i])
            sem = max(float(kidx.vectors[i] @ qvec), 0.0) if kidx.vectors is not None else 0.0
            marked, _ = mark(p["text"], keys, p["lang"])
            out.append(Evidence(source="doc", id=str(p["doc_id"]), title=p["title"], passage=p["text"],
                                where=p["where"], score=LEX_WEIGHT * lex + SEM_WEIGHT * sem, lexical=lex,
                                semantic=sem, marked=marked))
        return out

    def _patent_candidates(self, content: str, qvec: np.ndarray, weights: dict[str, float],
                           keys: set[str]) -> list[Evidence]:
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
        for (rank, doc, where, text, lang, ctx), v in zip(units, vecs):
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
            out.append(Evidence(source="patent", id=doc_id, title=titles[doc_id], passage=text, where=where,
                                score=max(top[0], 0.0), lexical=max(lex, top[1]), semantic=max(sem, top[2]),
                                marked=marked))
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
