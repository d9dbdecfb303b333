"""The static word space: the encoder's multilingual word vectors of the corpus vocabulary, for
nearest words (same script or the other script). Cheap — a matrix product — but shallow: close
by spelling as much as by meaning (无人机 → 人机), so callers keep only very close words."""

from __future__ import annotations

from typing import Any

import numpy as np

from ipai.search.analysis import vector_tokens

MIN_COUNT = 3  # a neighbour must occur this often in the corpus


_F32: dict[int, tuple[Any, np.ndarray]] = {}


def _float32(encoder: Any, vecs: Any) -> np.ndarray:
    """A float32 copy of the encoder's (float16) word vectors, made once per encoder: numpy
    multiplies float16 without BLAS and the conversion alone costs ~50 ms a call (~90 MB kept)."""
    if getattr(vecs, "dtype", None) == np.float32:
        same: np.ndarray = vecs
        return same
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
    out: list[tuple[str, float]] = []
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


_NEAR: dict[
    int, dict[tuple[str, str, int, int], list[tuple[str, float]]]
] = {}  # per encoder (cleared with _F32)
