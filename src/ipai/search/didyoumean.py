"""What to offer when a search finds nothing: close spellings of the words no document has.

Candidates are the corpus's own words (the semantic encoder's vocabulary, with their counts),
compared with rapidfuzz's edit-distance ratio; a correction must be close (≥ :data:`MIN_RATIO`)
and common (≥ :data:`MIN_COUNT` occurrences), the commonest of equally close ones first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ipai.search.analysis import has_han

MIN_RATIO = 80
MIN_COUNT = 3
_CHOICES: dict[int, tuple[int, list[str], np.ndarray]] = {}


def _vocabulary(encoder: Any) -> tuple[list[str], np.ndarray]:
    """The encoder's Latin-script words seen at least :data:`MIN_COUNT` times (cached per size)."""
    words, _, counts = encoder.word_vectors()
    hit = _CHOICES.get(id(encoder))
    if hit is None or hit[0] != len(words):
        c = np.asarray(counts)
        keep = [i for i, w in enumerate(words) if c[i] >= MIN_COUNT and not has_han(w) and w.isascii()]
        hit = _CHOICES[id(encoder)] = (len(words), [words[i] for i in keep], c[keep])
    return hit[1], hit[2]


def spellings(encoder: Any, word: str, k: int = 3) -> list[str]:
    """Close, common corpus words for a word no document has (Latin script only)."""
    from rapidfuzz import fuzz, process

    w = word.lower().strip()
    if not w or has_han(w) or not hasattr(encoder, "word_vectors"):
        return []
    words, counts = _vocabulary(encoder)
    found = process.extract(w, words, scorer=fuzz.ratio, limit=12, score_cutoff=MIN_RATIO)
    ranked = sorted(found, key=lambda x: (-round(x[1] / 5), -int(counts[x[2]])))
    return [m for m, _, _ in ranked if m != w][:k]
