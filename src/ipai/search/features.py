"""Pair features for phrase similarity: encoder cosines, word alignment, lexical overlap and the
cosine of each phrase with its CPC class title. Every feature is a pure function of the pair
(and the class titles), so a single pair scores the same alone as inside a batch.

Encoder outputs are cached by text (:class:`EmbeddingCache`); a batch encodes each unique phrase
and each unique word once.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from ipai.errors import FormatError
from ipai.text.english import STOPWORDS, stem, tokenize

# Features that need no context, then those that use the CPC class title.
BASE_FEATURES: tuple[str, ...] = (
    "cos_use",  # encoder cosine of the two phrases
    "jac_stem",  # Jaccard of stemmed content tokens
    "cont_a",  # share of the anchor's stems found in the target
    "cont_b",  # share of the target's stems found in the anchor
    "jac_char3",  # Jaccard of character 3-grams
    "cos_wordmean",  # cosine of the means of the word vectors
    "align_a",  # mean over anchor words of the best word similarity in the target
    "align_b",  # the same from the target's side
    "align_sym",  # mean of the two
    "words_a",  # word counts
    "words_b",
    "exact",  # same normalised text
    "a_in_b",  # anchor text contained in the target
    "b_in_a",  # target text contained in the anchor
)
CONTEXT_FEATURES: tuple[str, ...] = (
    "cos_a_ctx",  # anchor vs class title
    "cos_b_ctx",  # target vs class title
    "ctx_weighted",  # cos_use weighted by how close the target is to the class
    "section",  # CPC section letter A..H/Y as 0..8
)
ALL_FEATURES = BASE_FEATURES + CONTEXT_FEATURES
_SECTIONS = "ABCDEFGHY"


class EmbeddingCache:
    """Text → L2-normalised encoder vector, bounded (oldest entries dropped first)."""

    def __init__(self, max_items: int = 60_000) -> None:
        self.max_items = max_items
        self._vecs: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def encode(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """Vectors for the given texts, encoding only the unique ones not cached yet."""
        from ipai.search.vector.use import use_encode

        wanted = list(dict.fromkeys(texts))
        with self._lock:
            have = {t: self._vecs[t] for t in wanted if t in self._vecs}
        missing = [t for t in wanted if t not in have]
        if missing:
            vecs = use_encode(missing)
            fresh = dict(zip(missing, vecs, strict=False))
            have.update(fresh)
            with self._lock:
                self._vecs.update(fresh)
                excess = len(self._vecs) - self.max_items
                for key in list(self._vecs)[: max(excess, 0)]:
                    del self._vecs[key]
        return have

    def clear(self) -> None:
        """Forget every cached vector."""
        with self._lock:
            self._vecs.clear()


CACHE = EmbeddingCache()


def normalize(text: str) -> str:
    """Lower-cased text with single spaces (the form features compare)."""
    return " ".join((text or "").lower().split())


def phrase_vectors(texts: Sequence[str], cache: EmbeddingCache | None = None) -> np.ndarray:
    """Encoder vectors ``[n, 512]`` of phrases as the features see them (normalised text)."""
    norms = [normalize(t) for t in texts]
    vecs = (cache or CACHE).encode(norms)
    return np.stack([vecs[t] for t in norms]) if norms else np.zeros((0, 512), np.float32)


def class_code(context: str | None) -> str | None:
    """The 3-character CPC/IPC class of a context symbol (``a47l`` → ``A47``), or None."""
    code = (context or "").strip().upper()[:3]
    if len(code) == 3 and code[0].isalpha() and code[1:].isdigit():
        return code
    return None


def load_class_titles(path: Path) -> dict[str, str]:
    """Titles of the 3-character classes (``A47`` → ``FURNITURE; …``) from the IPC scheme TSV."""
    if not path.is_file():
        raise FormatError(f"IPC scheme file not found: {path}", file=str(path))
    titles: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 2 and class_code(row[0]) == row[0].strip():
                titles.setdefault(row[0].strip(), row[1].strip())
    if not titles:
        raise FormatError(f"no class titles (symbol<TAB>title rows) in {path}", file=str(path))
    return titles


def _char3(text: str) -> set[str]:
    padded = f" {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if (a or b) else 0.0


class _Phrase:
    """What the features need of one phrase, computed once per unique text."""

    __slots__ = ("grams", "norm", "stems", "words")

    def __init__(self, text: str) -> None:
        self.norm = normalize(text)
        self.words = tokenize(self.norm)
        content = [w for w in self.words if w not in STOPWORDS] or self.words
        self.stems = set(stem(content))
        self.grams = _char3(self.norm)


def featurize(
    anchors: Sequence[str],
    targets: Sequence[str],
    contexts: Sequence[str | None] | None = None,
    titles: dict[str, str] | None = None,
    cache: EmbeddingCache | None = None,
) -> np.ndarray:
    """Feature matrix ``[n, len(BASE_FEATURES)]``, or ``[n, len(ALL_FEATURES)]`` with contexts.

    Context columns of a pair whose class has no title are NaN.
    """
    cache = cache or CACHE
    n = len(anchors)
    phrases = {t: _Phrase(t) for t in dict.fromkeys([*anchors, *targets])}
    pvec = cache.encode(p.norm for p in phrases.values())
    words = list(dict.fromkeys(w for p in phrases.values() for w in p.words))
    wvec = cache.encode(words)

    dim = next(iter(pvec.values())).shape[0] if pvec else 512
    word_index = {w: i for i, w in enumerate(words)}
    W = np.stack([wvec[w] for w in words]) if words else np.zeros((0, dim), np.float32)
    # per unique phrase: phrase vector, word rows, normalised mean word vector
    pv: dict[str, np.ndarray] = {}
    rows: dict[str, np.ndarray] = {}
    mean: dict[str, np.ndarray] = {}
    for text, p in phrases.items():
        pv[text] = pvec[p.norm]
        rows[text] = np.fromiter((word_index[w] for w in p.words), dtype=np.int64)
        m = W[rows[text]].sum(axis=0) if len(rows[text]) else np.zeros(dim, np.float32)
        mean[text] = m / max(float(np.linalg.norm(m)), 1e-12)

    A = np.stack([pv[t] for t in anchors]) if n else np.zeros((0, dim), np.float32)
    B = np.stack([pv[t] for t in targets]) if n else np.zeros((0, dim), np.float32)
    MA = np.stack([mean[t] for t in anchors]) if n else A
    MB = np.stack([mean[t] for t in targets]) if n else B
    out = np.zeros((n, len(ALL_FEATURES) if contexts is not None else len(BASE_FEATURES)), dtype=np.float64)
    out[:, 0] = np.einsum("ij,ij->i", A, B)
    out[:, 5] = np.einsum("ij,ij->i", MA, MB)
    for i, (ta, tb) in enumerate(zip(anchors, targets, strict=False)):
        pa, pb = phrases[ta], phrases[tb]
        inter = len(pa.stems & pb.stems)
        out[i, 1] = inter / len(pa.stems | pb.stems) if (pa.stems or pb.stems) else 0.0
        out[i, 2] = inter / len(pa.stems) if pa.stems else 0.0
        out[i, 3] = inter / len(pb.stems) if pb.stems else 0.0
        out[i, 4] = _jaccard(pa.grams, pb.grams)
        ra, rb = rows[ta], rows[tb]
        if len(ra) and len(rb):
            sim = W[ra] @ W[rb].T
            out[i, 6] = sim.max(axis=1).sum() / len(ra)
            out[i, 7] = sim.max(axis=0).sum() / len(rb)
        out[i, 9] = len(pa.words)
        out[i, 10] = len(pb.words)
        out[i, 11] = pa.norm == pb.norm
        out[i, 12] = bool(pa.norm) and pa.norm in pb.norm
        out[i, 13] = bool(pb.norm) and pb.norm in pa.norm
    out[:, 8] = (out[:, 6] + out[:, 7]) / 2
    if contexts is not None:
        _context_columns(out, A, B, contexts, titles or {}, cache)
    return out


def _context_columns(
    out: np.ndarray,
    A: np.ndarray,
    B: np.ndarray,
    contexts: Sequence[str | None],
    titles: dict[str, str],
    cache: EmbeddingCache,
) -> None:
    """Fill the context columns in place (NaN where the class has no title)."""
    k = len(BASE_FEATURES)
    codes = [class_code(c) for c in contexts]
    known = sorted({c for c in codes if c and c in titles})
    tvec = cache.encode(normalize(titles[c]) for c in known)
    C = np.full((len(codes), A.shape[1] if A.size else 512), np.nan, dtype=np.float32)
    for i, c in enumerate(codes):
        if c in known:
            C[i] = tvec[normalize(titles[c])]
    out[:, k] = np.einsum("ij,ij->i", A, C)
    out[:, k + 1] = np.einsum("ij,ij->i", B, C)
    out[:, k + 2] = out[:, 0] * (1.0 + out[:, k + 1]) / 2.0
    out[:, k + 3] = [_SECTIONS.index(c[0]) if c and c[0] in _SECTIONS else np.nan for c in codes]
