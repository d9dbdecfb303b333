"""The IVF index is not rewritten by small refreshes: its file may lag by ``IVF_TAIL`` rows, which a
reader adds when it loads it, so a search sees every row and the same ranking either way."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from ipai.search.vector import store as vs
from ipai.search.vector.store import VectorStore

DIM = 16


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    x = rng.standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _rows_in_file(path: Path) -> int:
    return int(faiss.read_index(str(path)).ntotal)


def test_small_refreshes_leave_the_ivf_file_and_searches_see_every_row(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(vs, "IVF_TAIL", 50)
    rng = np.random.default_rng(0)
    v = VectorStore(tmp_path, DIM)
    v.open(0, np.zeros(0, dtype=bool))
    v.add(_unit(rng, 21_000))
    v.sync()
    assert _rows_in_file(v.ivf_file) == 21_000
    new = _unit(rng, 10)
    v.add(new)
    v.sync()
    assert _rows_in_file(v.ivf_file) == 21_000  # ten rows: the file is left as it is
    q = new[3]
    ids, _ = v.search(q, 5)
    assert int(ids[0]) == 21_003  # the new row is found through the index held in memory

    fresh = VectorStore(tmp_path, DIM)  # another process: reads the lagging file, adds the tail
    fresh.open(v.n, v.alive.copy())
    ids2, scores2 = fresh.search(q, 5)
    ids1, scores1 = v.search(q, 5)
    assert ids2.tolist() == ids1.tolist() and np.allclose(scores1, scores2)

    fresh.add(_unit(rng, 60))  # beyond the tail allowed: written
    fresh.sync()
    assert _rows_in_file(fresh.ivf_file) == 21_070


def test_a_refresh_that_never_read_the_ivf_leaves_it_unread(tmp_path: Path, monkeypatch) -> None:
    """With the IVF index not loaded (opened lazily), a small refresh need not read it at all."""
    monkeypatch.setattr(vs, "IVF_TAIL", 50)
    rng = np.random.default_rng(1)
    v = VectorStore(tmp_path, DIM)
    v.open(0, np.zeros(0, dtype=bool))
    v.add(_unit(rng, 21_000))
    v.sync()
    v._ivf, v._ivf_n = None, 0  # as an index opened without reading it
    new = _unit(rng, 10)
    v.add(new)
    v.sync()
    assert v._ivf is None and _rows_in_file(v.ivf_file) == 21_000
    fresh = VectorStore(tmp_path, DIM)
    fresh.open(v.n, v.alive.copy())
    ids, _ = fresh.search(new[7], 3)
    assert int(ids[0]) == 21_007
