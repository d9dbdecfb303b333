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
from ipai.search.vector.npyfile import append_rows

TOP = 5  # best words of the other script kept per word: the translations and the fifth (APART)
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
        """Add the vocabulary words not yet in the space (cached vectors cost nothing) and bring
        the translation tables up to date: only rows of new words and rows a new word of the other
        script enters the best :data:`TOP` of are worked out again, so a refresh costs its new words."""
        words, _, counts = encoder.word_vectors()
        pick: dict[str, list[str]] = {"en": [], "zh": []}
        for w, n in zip(words, np.asarray(counts).tolist(), strict=False):
            if has_han(w):
                if n >= MIN_ZH and len(w) >= 2:
                    pick["zh"].append(w)
            elif n >= MIN_EN and _LATIN.match(w):
                pick["en"].append(w)
        out: dict[str, int] = {}
        first: dict[str, int] = {}  # script → its first row not in the saved tables
        self.path.mkdir(parents=True, exist_ok=True)
        for script, ws in pick.items():
            old = self.words.get(script, [])
            known = self.index.get(script, {})
            grown = [w for w in ws if w not in known]
            if len(old) + len(grown) != len(ws):  # a word left the space (other thresholds): start over
                old, grown = [], ws
            first[script] = len(old)
            if not grown:
                out[script] = 0
                continue
            vecs, encoded = cache.vectors(grown, kind="query")
            before = self.vectors.get(script, np.zeros((0, vecs.shape[1]), dtype=np.float32))[: len(old)]
            vecs = vecs.astype(np.float32)  # float32: as encoded, as compared
            self.words[script] = old + grown  # new words go last: saved rows keep their place
            self.vectors[script] = np.vstack([before, vecs])
            index = self.index[script] = known if old else {}
            index.update({x: len(old) + i for i, x in enumerate(grown)})
            w, v = self.path / f"{script}.txt", self.path / f"{script}.npy"
            if old and append_rows(v, vecs, len(old)):
                with open(w, "a", encoding="utf-8") as fh:
                    fh.write("\n" + "\n".join(grown))
            else:
                np.save(v, self.vectors[script])
                w.write_text("\n".join(self.words[script]), encoding="utf-8")
            out[script] = encoded
        changed = any(first[s] < len(self.words.get(s, [])) for s in pick)
        if changed or not (self.path / "table.json").exists():
            for a, b in (("en", "zh"), ("zh", "en")):
                self._update_table(a, b, first[a], first[b])
            (self.path / "table.json").write_text(
                json.dumps(self.table, ensure_ascii=False), encoding="utf-8"
            )
        return out

    def _update_table(self, src: str, dst: str, src0: int, dst0: int, k: int = 2, chunk: int = 512) -> None:
        """Translations of ``src`` words into ``dst`` words, given that rows from ``src0`` and
        columns from ``dst0`` are new; the best :data:`TOP` columns of every row are kept in
        ``top-src-dst.npz`` so the next update compares old rows with new columns only."""
        key, file = f"{src}>{dst}", self.path / f"top-{src}-{dst}.npz"
        a, b = self.vectors.get(src), self.vectors.get(dst)
        table = self.table.setdefault(key, {})
        if a is None or b is None or not len(a) or not len(b):
            self.table[key] = {}
            file.unlink(missing_ok=True)
            return
        m = min(TOP, len(b))
        idx = np.zeros((len(a), m), dtype=np.int32)
        sim = np.zeros((len(a), m), dtype=np.float32)
        saved = _load_top(file)
        if saved is None or len(saved[0]) != src0 or saved[0].shape[1] != m or dst0 == 0:
            src0, saved = 0, None  # nothing usable saved: every row afresh
            table.clear()
        redo = np.zeros(len(a), dtype=bool)
        redo[src0:] = True
        if saved is not None:
            idx[:src0], sim[:src0] = saved
            for s0 in range(0, src0 if dst0 < len(b) else 0, chunk):
                rows = slice(s0, min(src0, s0 + chunk))
                new = a[rows] @ b[dst0:].T
                cols = np.broadcast_to(np.arange(dst0, len(b), dtype=np.int32), new.shape)
                ci, cs = _top(np.hstack([idx[rows], cols]), np.hstack([sim[rows], new]), m)
                redo[rows] = np.any(ci != idx[rows], axis=1)
                idx[rows], sim[rows] = ci, cs
        for s0 in range(src0, len(a), chunk):
            rows = slice(s0, min(len(a), s0 + chunk))
            sims = a[rows] @ b.T
            cols = np.broadcast_to(np.arange(len(b), dtype=np.int32), sims.shape)
            idx[rows], sim[rows] = _top(cols, sims, m)
        words_a, words_b = self.words[src], self.words[dst]
        for r in np.flatnonzero(redo).tolist():
            found = _accept(words_a[r], sim[r], [words_b[j] for j in idx[r]], k)
            if found:
                table[words_a[r]] = found
            else:
                table.pop(words_a[r], None)
        np.savez(file, idx=idx, sim=sim)

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


def _top(cols: np.ndarray, sims: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``m`` best candidates of each row, best first: (their columns, their similarities);
    ``m`` passes of a row-wise argmax, far faster than a partition of every row."""
    x = np.array(sims, dtype=np.float32)
    rows = np.arange(len(x))
    idx = np.empty((len(x), m), dtype=np.int32)
    val = np.empty((len(x), m), dtype=np.float32)
    for i in range(m):
        j = x.argmax(axis=1)
        idx[:, i], val[:, i] = cols[rows, j], x[rows, j]
        x[rows, j] = -np.inf
    return idx, val


def _load_top(file: Path) -> tuple[np.ndarray, np.ndarray] | None:
    """Saved best candidates of a table's rows, or ``None``."""
    try:
        with np.load(file) as z:
            return np.asarray(z["idx"]), np.asarray(z["sim"])
    except (OSError, KeyError, ValueError):
        return None
