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

import json
import re
from functools import lru_cache
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
    """Vocabulary vectors per script, and the translations between the two vocabularies worked
    out once when the space is built (so a query word of the corpus costs a dictionary lookup),
    saved in the index folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.words: dict[str, list[str]] = {}
        self._vectors: dict[str, np.ndarray] = {}
        self._unread: dict[str, Path] = {}  # vector files read on first use (see vectors)
        self.index: dict[str, dict[str, int]] = {}
        self.table: dict[str, dict[str, list[tuple[str, float]]]] = {}  # "en>zh" → word → translations
        for script in ("en", "zh"):
            w, v = path / f"{script}.txt", path / f"{script}.npy"
            if w.exists() and v.exists():
                words = w.read_text(encoding="utf-8").split("\n")
                rows = _rows(v)
                if rows is None:  # not a plain array file: read it now (raises as it did)
                    vecs = np.load(v)
                    rows = len(vecs)
                    self._vectors[script] = vecs.astype(np.float32)
                else:
                    self._unread[script] = v
                if len(words) == rows:
                    self.words[script] = words
                    self.index[script] = {x: i for i, x in enumerate(words)}
                else:
                    self._vectors.pop(script, None)
                    self._unread.pop(script, None)
        t = path / "table.json"
        if t.exists():
            self.table = {
                k: {w: [(a, float(b)) for a, b in v] for w, v in d.items()}
                for k, d in json.loads(t.read_text(encoding="utf-8")).items()
            }

    @property
    def vectors(self) -> dict[str, np.ndarray]:
        """Vocabulary vectors per script (float32, a row per word), read on first use: a query
        word of the corpus needs only the table."""
        for script, path in list(self._unread.items()):
            vecs = np.load(path).astype(np.float32)
            if len(vecs) == len(self.words.get(script, ())):
                self._vectors.setdefault(script, vecs)
            else:  # rewritten since the words were read (another process learning): left out
                self.words.pop(script, None)
                self.index.pop(script, None)
            self._unread.pop(script, None)
        return self._vectors

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
        for w, n in zip(words, np.asarray(counts).tolist(), strict=False):
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
            self.index[script] = {x: i for i, x in enumerate(ws)}
            (self.path / f"{script}.txt").write_text("\n".join(ws), encoding="utf-8")
            np.save(self.path / f"{script}.npy", vecs.astype(np.float16))
            out[script] = encoded
        if any(out.values()) or not (self.path / "table.json").exists():
            self.table = {f"{a}>{b}": self._table(a, b) for a, b in (("en", "zh"), ("zh", "en"))}
            (self.path / "table.json").write_text(
                json.dumps(self.table, ensure_ascii=False), encoding="utf-8"
            )
        return out

    def _table(self, src: str, dst: str, k: int = 2, chunk: int = 2048) -> dict[str, list[tuple[str, float]]]:
        """Translations of every ``src`` word into ``dst`` words (only words that have one)."""
        a, b = self.vectors.get(src), self.vectors.get(dst)
        if a is None or b is None or not len(a) or not len(b):
            return {}
        out: dict[str, list[tuple[str, float]]] = {}
        words_a, words_b = self.words[src], self.words[dst]
        for s0 in range(0, len(a), chunk):
            sims = a[s0 : s0 + chunk] @ b.T
            top = np.argpartition(-sims, min(5, sims.shape[1] - 1), axis=1)[:, : max(k + 1, 5)]
            for r in range(len(sims)):
                row = sims[r, top[r]]
                order = top[r][np.argsort(-row)]
                found = _accept(words_a[s0 + r], sims[r, order], [words_b[j] for j in order], k)
                if found:
                    out[words_a[s0 + r]] = found
        return out

    def translate(self, word: str, script: str, k: int = 2, encode: bool = True) -> list[tuple[str, float]]:
        """Words of ``script`` (en or zh) that translate ``word``: the nearest at or above the
        floor and clearly ahead of the fifth, and another only if it is as close. A word of the
        corpus is looked up in the table built with the space; another is encoded (~10 ms)."""
        if not self.words.get(script):  # (words and vectors are set together, of one length)
            return []
        if has_han(word) and not _common_chinese(word):
            return []  # characters outside GB 2312 (囧, 龘…) are not technical vocabulary
        src = "zh" if has_han(word) else "en"
        word = word if src == "zh" else word.lower()
        if src == "en" and not _LATIN.match(word):
            return []  # phrases, numbers, abbreviations: not words the space can place
        if src != script and word in self.index.get(src, {}) and f"{src}>{script}" in self.table:
            return self.table[f"{src}>{script}"].get(word, [])[:k]
        return _nearest(self, word, script, k) if encode else []


def _rows(path: Path) -> int | None:
    """Rows of a saved matrix, from its header; None unless the file is a whole .npy matrix
    (version 1 or 2, its data all there)."""
    fmt = np.lib.format
    try:
        with open(path, "rb") as fh:
            version = fmt.read_magic(fh)
            if version not in ((1, 0), (2, 0)):
                return None
            read = fmt.read_array_header_1_0 if version == (1, 0) else fmt.read_array_header_2_0
            shape, _, dtype = read(fh)
            data, end = fh.tell(), fh.seek(0, 2)
    except (OSError, ValueError):
        return None
    if len(shape) != 2 or dtype.hasobject or end - data != shape[0] * shape[1] * dtype.itemsize:
        return None
    return int(shape[0])


def _common_chinese(word: str) -> bool:
    """Whether every character is in GB 2312, the 6,763 characters of everyday and technical Chinese."""
    try:
        word.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def learn(settings: Any, space: TermSpace, encoder: Any) -> dict[str, Any]:
    """Bring ``space`` up to ``encoder``'s vocabulary (new words only; cached by content); the
    report ipai index prints. Off when the setting is off or e5 cannot load here."""
    import time

    if not settings.search_termspace or not e5.available():
        return {"termspace": "off"}
    t0 = time.perf_counter()
    encoded = space.update(encoder, e5.PassageCache(settings.encoder_cache_path))
    return {
        "termspace_words": {k: len(v) for k, v in space.words.items()},
        "termspace_encoded": encoded,
        "termspace_seconds": round(time.perf_counter() - t0, 2),
    }


RARE_DF = 3  # a word in fewer documents than this, outside the space, is not worth an encoding


def neighbours(
    space: TermSpace, encoder: Any, word: str, script: str, df: int = 0
) -> list[tuple[str, float]]:
    """Corpus words of ``script`` that translate ``word`` (in ``df`` documents): from the term
    space when it has that script (a word outside its vocabulary is encoded only when the corpus
    lacks it or has it often: a rare word is not worth ~10 ms), else the closest static word vectors."""
    from ipai.search.wordspace import script_neighbours

    if space.has(script):
        return space.translate(word, script, encode=not 0 < df < RARE_DF)
    return script_neighbours(encoder, word, script) if not 0 < df < RARE_DF else []


def _accept(word: str, sims: np.ndarray, words: list[str], k: int) -> list[tuple[str, float]]:
    """The translations among candidates sorted by similarity (the rules of :meth:`TermSpace.translate`)."""
    best = float(sims[0])
    if best < FLOOR or len(sims) >= 5 and best - float(sims[4]) < APART:
        return []
    return [
        (w, round(float(s), 4))
        for w, s in zip(words[:k], sims[:k], strict=False)
        if s >= best - LEAD and w != word
    ]


@lru_cache(maxsize=20_000)
def _encoded(word: str) -> tuple[float, ...]:
    return tuple(e5.encode_queries([word])[0].tolist())


def _nearest(space: TermSpace, word: str, script: str, k: int) -> list[tuple[str, float]]:
    """Translate a word outside the space's vocabulary (encoded once per process)."""
    sims = space.vectors[script] @ np.asarray(_encoded(word), dtype=np.float32)
    n = min(max(k + 1, 5), len(sims))
    top = np.argpartition(-sims, n - 1)[:n]
    order = top[np.argsort(-sims[top])]
    return _accept(word, sims[order], [space.words[script][j] for j in order], k)
