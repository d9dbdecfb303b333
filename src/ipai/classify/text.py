"""Text side of the classifier: input checks, the document text, the term analyser and a
small TF-IDF that saves as plain arrays (no pickle).

Terms: Chinese runs give character unigrams and bigrams (after traditional→simplified folding;
on short patent titles they beat word segmentation, measured in docs/classify.md); Latin-script
runs give the keyword index's Snowball stems in the text's language. One vocabulary serves
Chinese, English and mixed text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
from scipy import sparse

from ipai.search.analysis import index_tokens
from ipai.text.chinese import to_simplified
from ipai.text.lang import detect

EMBED_CHARS = 2_000  # the sentence encoder reads the start of long texts
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def document_text(doc: Any) -> str:
    """Title, abstract and first claim of a :class:`PatentDocument`, every language present."""
    parts: list[str] = []
    parts.extend(v for v in doc.titles.values() if v)
    parts.extend(v for v in doc.abstracts.values() if v)
    if doc.claims:
        parts.append(doc.claims[0].text)
    return "\n".join(parts)


def analyze(text: str) -> list[str]:
    """Terms of a text: Han character 1-2-grams, Latin-script stems (language detected)."""
    text = to_simplified(text.lower())
    out: list[str] = []
    pos = 0
    lang = None
    for m in _HAN_RUN.finditer(text):
        if m.start() > pos:
            lang = lang or detect(text, default="en")
            out.extend(index_tokens(text[pos : m.start()], lang))
        run = m.group(0)
        out.extend(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
        pos = m.end()
    if pos < len(text):
        lang = lang or detect(text, default="en")
        out.extend(index_tokens(text[pos:], lang))
    return out


class Tfidf:
    """Sublinear TF-IDF with L2-normalised rows; state is a vocabulary list and an idf array."""

    def __init__(self, vocab: list[str] | None = None, idf: np.ndarray | None = None) -> None:
        self.vocab = vocab or []
        self.index = {t: i for i, t in enumerate(self.vocab)}
        self.idf = idf if idf is not None else np.zeros(0, dtype=np.float32)

    def fit_transform(self, docs: list[list[str]], min_df: int = 1) -> sparse.csr_matrix:
        """Learn vocabulary and idf from analysed documents, return their matrix."""
        df: dict[str, int] = {}
        for toks in docs:
            for t in set(toks):
                df[t] = df.get(t, 0) + 1
        self.vocab = sorted(t for t, c in df.items() if c >= min_df)
        self.index = {t: i for i, t in enumerate(self.vocab)}
        n = len(docs)
        counts = np.array([df[t] for t in self.vocab], dtype=np.float64)
        self.idf = (np.log((1 + n) / (1 + counts)) + 1).astype(np.float32)
        return self.transform(docs)

    def transform(self, docs: Iterable[list[str]]) -> sparse.csr_matrix:
        """Matrix of analysed documents (unknown terms ignored)."""
        indptr, indices, data = [0], [], []
        for toks in docs:
            tf: dict[int, int] = {}
            for t in toks:
                j = self.index.get(t)
                if j is not None:
                    tf[j] = tf.get(j, 0) + 1
            cols = np.fromiter(tf.keys(), dtype=np.int64, count=len(tf))
            vals = (1 + np.log(np.fromiter(tf.values(), dtype=np.float64, count=len(tf)))) * self.idf[cols]
            norm = np.sqrt((vals**2).sum())
            indices.extend(cols.tolist())
            data.extend((vals / norm if norm else vals).tolist())
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (
                np.asarray(data, dtype=np.float32),
                np.asarray(indices, dtype=np.int64),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(len(indptr) - 1, len(self.vocab)),
        )


Encoder = Callable[[list[str]], np.ndarray]


def default_encoder() -> Encoder:
    """The multilingual Universal Sentence Encoder shipped in its wheel (cross-lingual)."""
    from ipai.search.vector.use import use_encode

    return use_encode


def embed(
    texts: list[str],
    encoder: Encoder | None = None,
    batch: int = 512,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """L2-normalised float32 sentence vectors of the texts' first characters."""
    enc = encoder or default_encoder()
    parts = []
    for s in range(0, len(texts), batch):
        parts.append(np.asarray(enc([t[:EMBED_CHARS] for t in texts[s : s + batch]]), dtype=np.float32))
        done = min(s + batch, len(texts))
        if progress and (done // 4096 > s // 4096 or done == len(texts)):
            progress(done)
    if not parts:
        return np.zeros((0, 512), dtype=np.float32)
    out = np.concatenate(parts)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
