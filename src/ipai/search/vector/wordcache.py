"""USE vectors of corpus words, cached by the word itself.

The static encoder's expensive step is running the multilingual USE on each new vocabulary word
(the document vectors are then cheap weighted sums). The model is fixed, so a word's vector never
changes: kept in ``<cache>/use-words.sqlite`` (beside the e5 cache, float32 as encoded), a rebuild
of the index or a re-ingest of the same documents encodes no word twice.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ipai.search.vector.use import DIM

Encode = Callable[[list[str]], np.ndarray]


class WordCache:
    """word → its USE vector (raw, float32), in one SQLite file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, timeout=30, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS words (word TEXT PRIMARY KEY, vec BLOB NOT NULL)")
        self.encoded = 0  # words this process had to encode
        self.reused = 0  # words read from the cache

    def get(self, words: list[str]) -> dict[str, np.ndarray]:
        """Cached vectors of the words that have one."""
        out: dict[str, np.ndarray] = {}
        for s in range(0, len(words), 500):
            part = words[s : s + 500]
            q = f"SELECT word, vec FROM words WHERE word IN ({','.join('?' * len(part))})"
            for w, blob in self.db.execute(q, part):
                out[w] = np.frombuffer(blob, dtype=np.float32)
        return out

    def wrap(self, encode: Encode) -> Encode:
        """``encode`` that reads known words from the cache and stores the ones it encodes."""

        def cached(words: list[str]) -> np.ndarray:
            have = self.get(words)
            missing = [w for w in words if w not in have]
            if missing:
                vecs = np.asarray(encode(missing), dtype=np.float32)
                with self.db:
                    self.db.executemany(
                        "INSERT OR IGNORE INTO words (word, vec) VALUES (?, ?)",
                        [(w, v.tobytes()) for w, v in zip(missing, vecs, strict=True)],
                    )
                have.update(zip(missing, vecs, strict=True))
            self.encoded += len(missing)
            self.reused += len(words) - len(missing)
            out = np.zeros((len(words), DIM), dtype=np.float32)
            for i, w in enumerate(words):
                out[i] = have[w]
            return out

        return cached

    def close(self) -> None:
        """Close the file."""
        self.db.close()
