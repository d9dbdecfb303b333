"""Meaning scores of a few candidate documents against a query, for ordering what BM25 cannot:
documents that carry only some of the query's concepts.

Each candidate is compared, by its invention passage (title, abstract head), with the query
*written in the candidate's language* (:meth:`ipai.search.plan.Plan.query_in`: 无人机 电池 is
compared with an English title as ``drone battery``) — query translation, the classic way of
cross-lingual retrieval, which keeps both sides in one language for the encoder.

Encoders (setting ``search_rerank``): ``use`` — the full multilingual Universal Sentence Encoder
on titles, ~1 ms a title, so a hundred candidates cost ~0.1 s (remembered for the next query); ``e5`` — multilingual-e5-small, better on
natural questions, ~30 ms a passage on first sight, then cached by content hash; ``off``.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np

from ipai.search.vector import e5
from ipai.text.lang import detect


def passage_lang(doc: Any) -> str:
    """The language a document's invention passage is written in."""
    lang = next(iter(doc.titles), None) or next(iter(doc.abstracts), None)
    return lang or detect(e5.passage_text(doc), default="en")


def meaning_scores(plan: Any, docs: dict[int, Any], encoder: str, cache_path: Any) -> dict[int, float]:
    """Best cosine of each document's passage with the query's phrasings in the document's language."""
    if encoder == "off" or not docs:
        return {}
    keys = list(docs)
    langs = [passage_lang(docs[k]) for k in keys]
    if encoder == "e5":
        texts = [e5.passage_text(docs[k]) for k in keys]
    else:  # USE reads titles (a passage of 400 characters costs it ~10 ms; a title ~1 ms)
        texts = [_short_text(docs[k]) for k in keys]
    phrasings = {lang: plan.queries_in(lang) for lang in set(langs)}
    uniq = list(dict.fromkeys(q for qs in phrasings.values() for q in qs))
    if encoder == "e5":
        cache = e5.PassageCache(cache_path)
        mat, _ = cache.vectors(texts)
        qv = dict(zip(uniq, e5.encode_queries(uniq), strict=False))
    else:
        vecs = _use_vectors(uniq + texts)
        qv = dict(zip(uniq, vecs[: len(uniq)], strict=False))
        mat = vecs[len(uniq) :]
    return {k: max(float(np.dot(mat[i], qv[q])) for q in phrasings[langs[i]]) for i, k in enumerate(keys)}


def _short_text(doc: Any) -> str:
    """The title in the passage's language, or the passage's head when there is no title."""
    lang = next(iter(doc.titles), None)
    title = doc.titles.get(lang, "") if lang else ""
    return title if len(title) >= 12 else e5.passage_text(doc)[:160]


_USE_CACHE: OrderedDict[str, np.ndarray] = OrderedDict()
USE_CACHE_SIZE = 20_000  # passages and queries remembered (float16, ~1 kB each)


def _use_vectors(texts: list[str]) -> np.ndarray:
    """USE vectors of texts, the last :data:`USE_CACHE_SIZE` remembered (a document shown for
    one query is usually a candidate of the next)."""
    from ipai.search.vector.use import use_encode

    todo = list(dict.fromkeys(t for t in texts if t not in _USE_CACHE))
    if todo:
        for t, v in zip(todo, use_encode(todo), strict=False):
            _USE_CACHE[t] = v.astype(np.float16)
        while len(_USE_CACHE) > USE_CACHE_SIZE:
            _USE_CACHE.popitem(last=False)
    out = np.zeros((len(texts), 512), dtype=np.float32)
    for i, t in enumerate(texts):
        v = _USE_CACHE.get(t)
        if v is not None:
            out[i] = v
            _USE_CACHE.move_to_end(t)
    return out


SIMILAR_POOL = 40  # fused candidates of a more-like-this search ordered by e5


def by_invention(
    doc: Any, fused: list[tuple[int, float]], docs: dict[int, Any], cache_path: Any, limit: int = SIMILAR_POOL
) -> tuple[list[tuple[int, float]], dict[int, float]]:
    """More-like-this candidates ordered by what they invent, not by shared words: the e5
    similarity of their invention passages to ``doc``'s (a drone docking station is not like a
    pizza docking device). The first ``limit`` candidates are ordered; the rest keep their place."""
    if not e5.available():
        return fused, {}
    head = [(k, s) for k, s in fused[:limit] if k in docs]
    texts = [e5.passage_text(docs[k]) for k, _ in head]
    cache = e5.PassageCache(cache_path)
    mat, _ = cache.vectors([e5.passage_text(doc)] + texts)
    sims = {k: float(np.dot(mat[0], mat[i])) for i, (k, _) in enumerate(head, 1) if texts[i - 1].strip()}
    ordered = sorted(head, key=lambda ks: -sims.get(ks[0], -1.0))
    return [(k, sims.get(k, s)) for k, s in ordered] + fused[limit:], sims
