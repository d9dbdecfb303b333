"""The term space: e5 vectors of the corpus's own vocabulary, in Chinese and in English.

CC-CEDICT has no entry for most technical compounds and transliterated names (利托那韦 is
ritonavir, 蛋白酶 protease, 投球 pitching), and static word vectors do not know them either.
multilingual-e5-small does: encoded as queries, a Chinese word and its English translation land
closest together (利托那韦 → ritonavir 0.90, next lopinavir 0.85). So every word the index has
often enough (English ≥ :data:`MIN_EN` times, Chinese ≥ :data:`MIN_ZH`) is encoded once — cached
by content in ``<home>/cache/e5.sqlite``, so a rebuild or a refresh encodes only new words — and a
query word the dictionary lacks is translated to the nearest words of the other script when they
are close enough (:data:`FLOOR`) and clearly ahead of the rest.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from ipai.search.analysis import has_han
from ipai.search.vector import e5

MIN_EN = 3  # corpus occurrences an English word needs to enter the term space
MIN_ZH = 2
FLOOR = 0.89  # e5 query-query cosine of a learned translation (observed: right ones 0.897–0.924, gibberish ≤ 0.889)
LEAD = 0.02  # a second candidate is kept only this close to the best
APART = 0.015  # … and the best must stand this far above the fifth: gibberish is equally near many words
_LATIN = re.compile(r"^[a-z][a-z-]{2,}$")


class TermSpace:
    """Vocabulary vectors per script, saved in the index folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.words: dict[str, list[str]] = {}
        self.vectors: dict[str, np.ndarray] = {}
        for script in ("en", "zh"):
            w, v = path / f"{script}.txt", path / f"{script}.npy"
            if w.exists() and v.exists():
                words = w.read_text(encoding="utf-8").split("\n")
                vecs = np.load(v)
                if len(words) == len(vecs):
                    self.words[script], self.vectors[script] = words, vecs.astype(np.float32)

    @property
    def ready(self) -> bool:
        """Whether the space has been built (for at least one script)."""
        return bool(self.words.get("en")) or bool(self.words.get("zh"))

    def has(self, script: str) -> bool:
        """Whether words of ``script`` (en or zh) have vectors."""
        return bool(self.words.get(script))

    def update(self, encoder: Any, cache: e5.PassageCache) -> dict[str, int]:
        """Encode the vocabulary words not yet in the space (cached vectors cost nothing)."""
        words, _, counts = encoder.word_vectors()
        pick: dict[str, list[str]] = {"en": [], "zh": []}
        for w, n in zip(words, np.asarray(counts).tolist()):
            if has_han(w):
                if n >= MIN_ZH and len(w) >= 2:
                    pick["zh"].append(w)
            elif n >= MIN_EN and _LATIN.match(w):
                pick["en"].append(w)
        out = {}
        self.path.mkdir(parents=True, exist_ok=True)
        for script, ws in pick.items():
            if ws == self.words.get(script):
                out[script] = 0
                continue
            vecs, encoded = cache.vectors(ws, kind="query")
            self.words[script], self.vectors[script] = ws, vecs.astype(np.float32)
            (self.path / f"{script}.txt").write_text("\n".join(ws), encoding="utf-8")
            np.save(self.path / f"{script}.npy", vecs.astype(np.float16))
            out[script] = encoded
        return out

    def translate(self, word: str, script: str, k: int = 2) -> list[tuple[str, float]]:
        """Words of ``script`` (en or zh) that translate ``word``: the nearest at or above the
        floor, and another only if it is as close."""
        mat = self.vectors.get(script)
        if mat is None or not len(mat):
            return []
        if has_han(word) and not _common_chinese(word):
            return []  # characters outside GB 2312 (囧, 龘…) are not technical vocabulary
        q = e5.encode_queries([word])[0]
        sims = mat @ q
        order = np.argsort(-sims)[:max(k + 1, 5)]
        best = float(sims[order[0]])
        if best < FLOOR or len(order) >= 5 and best - float(sims[order[4]]) < APART:
            return []
        words = self.words[script]
        return [(words[j], float(sims[j])) for j in order[:k] if sims[j] >= best - LEAD and words[j] != word]


def _common_chinese(word: str) -> bool:
    """Whether every character is in GB 2312, the 6,763 characters of everyday and technical Chinese."""
    try:
        word.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False
