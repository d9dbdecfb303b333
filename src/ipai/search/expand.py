"""Associated terms ("二级联想词"): words related to a query term, mined from the corpus.

Two sources, fused by rank:
- **neighbours**: the corpus words whose vectors (the encoder's multilingual word vectors) are
  closest to the term's — synonyms, variants and translations ("无人机" → drone, uav);
- **co-occurrence**: words over-represented in the documents that contain the term, compared
  with the whole corpus (like Elasticsearch's significant-terms): the vocabulary of the field.
Each suggestion says where it came from, its language and its corpus frequency.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ipai.search.analysis import vector_tokens
from ipai.search.docfields import semantic_text
from ipai.text.lang import detect

MIN_COUNT = 3  # a neighbour must occur this often in the corpus
CO_DOCS = 200  # documents read for co-occurrence


@dataclass
class Suggestion:
    """One associated term."""

    term: str
    score: float
    lang: str
    sources: list[str] = field(default_factory=list)
    count: int = 0  # occurrences in the indexed corpus


_F32: dict[int, tuple[Any, np.ndarray]] = {}


def _float32(encoder: Any, vecs: Any) -> np.ndarray:
    """A float32 copy of the encoder's (float16) word vectors, made once per encoder: numpy
    multiplies float16 without BLAS and the conversion alone costs ~50 ms a call (~90 MB kept)."""
    if getattr(vecs, "dtype", None) == np.float32:
        return vecs
    hit = _F32.get(id(encoder))
    if hit is None or hit[0] is not encoder or hit[1].shape != vecs.shape:
        _F32.clear()  # one index open at a time
        _NEAR.clear()
        hit = _F32[id(encoder)] = (encoder, np.asarray(vecs, dtype=np.float32))
    return hit[1]


def neighbours(encoder: Any, term: str, k: int) -> list[tuple[str, float]]:
    """Closest vocabulary words by cosine of the word vectors."""
    if not hasattr(encoder, "word_vectors"):
        return []
    words, vecs, counts = encoder.word_vectors()
    if not words:
        return []
    q = encoder.word_vector(term)  # the term in the word vectors' own space
    sims = _float32(encoder, vecs) @ q
    sims[counts < MIN_COUNT] = -1.0
    own = set(vector_tokens(term)) | {term.lower()}
    order = np.argsort(-sims)
    out = []
    for j in order:
        if sims[j] <= 0 or len(out) >= k:
            break
        w = words[j]
        if w in own or any(len(o) >= 5 and w.startswith(o[:5]) for o in own):
            continue  # the term itself and its inflections (stemming already covers them)
        out.append((w, float(sims[j])))
    return out


def script_neighbours(encoder: Any, word: str, script: str, k: int = 5) -> list[tuple[str, float]]:
    """Corpus words written in ``script`` (zh: Chinese, else Latin) closest to ``word`` in the
    word space: the stand-in translation of a word the lexicon lacks."""
    from ipai.search.analysis import has_han

    if not hasattr(encoder, "word_vectors"):
        return []
    memo = _NEAR.setdefault(id(encoder), {})
    key = (word, script, k, len(encoder.word_vectors()[0]))  # a grown vocabulary asks again
    if key in memo:
        return memo[key]
    if len(memo) > 50_000:
        memo.clear()
    words, vecs, counts = encoder.word_vectors()
    if not words:
        return []
    sims = _float32(encoder, vecs) @ encoder.word_vector(word)
    sims[counts < MIN_COUNT] = -1.0
    out: list[tuple[str, float]] = []
    for j in np.argsort(-sims)[:200]:
        w = words[j]
        if has_han(w) == (script == "zh") and w != word:
            out.append((w, float(sims[j])))
            if len(out) >= k:
                break
    memo[key] = out
    return out


_NEAR: dict[int, dict[tuple[str, str, int, int], list[tuple[str, float]]]] = {}  # per encoder (cleared with _F32)


def cooccurring(docs: list[Any], term: str, encoder: Any, k: int) -> list[tuple[str, float]]:
    """Words over-represented in ``docs`` (documents matching the term) against the corpus."""
    if not docs or not hasattr(encoder, "word_vectors"):
        return []
    words, _, counts = encoder.word_vectors()
    index = encoder.index
    total = max(int(counts.sum()), 1)
    df: Counter[str] = Counter()
    for d in docs:
        df.update(set(vector_tokens(semantic_text(d))))
    own = set(vector_tokens(term)) | {term.lower()}
    n = len(docs)
    scored = []
    for w, c in df.items():
        if w in own or c < 2:
            continue
        j = index.get(w)
        if j is None:
            continue
        p_corpus = counts[j] / total
        lift = (c / n) / max(p_corpus * 50, 1e-9)  # ~50 words per document read
        scored.append((w, (c / n) * math.log1p(lift)))
    scored.sort(key=lambda x: -x[1])
    return scored[:k]


def suggest(engine: Any, term: str, k: int = 20) -> list[Suggestion]:
    """Associated terms for ``term``, best first."""
    enc = engine.encoder
    near = neighbours(enc, term, k)
    docs = []
    res = engine.search(term, top=CO_DOCS, mode="keyword", explain=False)
    if res.hits:
        docs = list(engine.store.get_documents([h.id for h in res.hits]).values())
    co = cooccurring(docs, term, enc, k)
    score: dict[str, float] = {}
    srcs: dict[str, list[str]] = {}
    for name, lst in (("neighbour", near), ("co-occurrence", co)):
        for r, (w, _) in enumerate(lst, 1):
            score[w] = score.get(w, 0.0) + 1.0 / (10 + r)
            srcs.setdefault(w, []).append(name)
    counts = enc.word_vectors()[2] if hasattr(enc, "word_vectors") else None
    out = []
    for w, s in sorted(score.items(), key=lambda kv: -kv[1])[:k]:
        j = enc.index.get(w) if hasattr(enc, "index") else None
        out.append(Suggestion(term=w, score=round(s, 4), lang=detect(w, default="en"), sources=srcs[w],
                              count=int(counts[j]) if counts is not None and j is not None else 0))
    return out
