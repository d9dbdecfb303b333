"""Document vectors on disk and an approximate-nearest-neighbour index over them.

Vectors are appended to a float16 file (``vectors.f16``; row = internal id ``iid``); a row
whose document was re-indexed is marked dead. Up to ``EXACT_LIMIT`` candidates are searched
exactly (a matrix product); beyond that a faiss IVF index with 8-bit scalar quantisation
(1M × 512-d ≈ 0.5 GB) is searched, with filters applied inside the search through an id
selector bitmap, never after.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

EXACT_LIMIT = 3_000  # candidate sets up to this size are scored exactly when an IVF index exists
IVF_TAIL = 5_000  # rows the saved IVF index may lag behind the vectors (added in memory when it is read)
_IVF_MIN = 20_000  # below this many vectors, everything is scored exactly (from a float32 copy in RAM)


class VectorStore:
    """Append-only vectors with liveness, exact and IVF search (a :class:`.base.VectorIndex`)."""

    def __init__(self, path: Path, dim: int) -> None:
        self.path = path
        self.dim = dim
        self.file = path / "vectors.f16"
        self.ivf_file = path / "ivf.faiss"
        path.mkdir(parents=True, exist_ok=True)
        self.alive = np.zeros(0, dtype=bool)
        self._mm: np.ndarray | None = None
        self._ivf: Any = None  # a faiss IndexIVFScalarQuantizer once trained
        self._ivf_n = 0  # vectors covered by the IVF index
        self._dense: np.ndarray | None = None  # float32 copy of a small index
        self._ivf_file_rows: tuple[Any, int] = (None, 0)  # (IVF index, its rows the saved file holds)

    # ---- persistence -------------------------------------------------------------------------
    def open(self, n: int, alive: np.ndarray) -> None:
        """Open with ``n`` committed rows (rows past ``n`` from an interrupted write are dropped)."""
        size = self.file.stat().st_size if self.file.exists() else 0
        have = size // (2 * self.dim)
        if have < n:
            raise ValueError(f"vector file holds {have} rows, the index expects {n}")
        if have > n:
            with open(self.file, "r+b") as fh:
                fh.truncate(n * 2 * self.dim)
        self.alive = alive.astype(bool)
        self._mm = None
        self._ivf = None
        if self.ivf_file.exists():
            import faiss

            self._ivf = faiss.read_index(str(self.ivf_file))
            self._ivf_n = int(self._ivf.ntotal)
            if self._ivf_n > n:
                self._ivf = None

    @property
    def n(self) -> int:
        """Rows stored (alive or dead)."""
        return len(self.alive)

    @property
    def ann(self) -> str:
        """``ivf-sq8`` once the IVF index exists, else ``exact``."""
        return "ivf-sq8" if self.ivf_file.exists() else "exact"

    def describe(self) -> dict[str, Any]:
        """The index state entry: vectors in files under the index folder."""
        return {"backend": "file"}

    def drop(self) -> None:
        """Delete the vector files."""
        self.close()
        for f in (self.file, self.ivf_file, self.ivf_file.with_suffix(".json")):
            f.unlink(missing_ok=True)
        self.alive = np.zeros(0, dtype=bool)

    def close(self) -> None:
        """Forget the memory map, the IVF index and the dense copy (files stay)."""
        self._mm, self._ivf, self._ivf_n, self._dense = None, None, 0, None

    def matrix(self) -> np.ndarray:
        """All vectors (float16, memory-mapped)."""
        if self._mm is None or len(self._mm) != self.n:
            if self.n == 0:
                return np.zeros((0, self.dim), dtype=np.float16)
            self._mm = np.memmap(self.file, dtype=np.float16, mode="r", shape=(self.n, self.dim))
        return self._mm

    def add(self, vecs: np.ndarray) -> np.ndarray:
        """Append vectors; returns their iids."""
        start = self.n
        with open(self.file, "ab") as fh:
            fh.write(np.ascontiguousarray(vecs, dtype=np.float16).tobytes())
        self.alive = np.concatenate([self.alive, np.ones(len(vecs), dtype=bool)])
        self._mm = None
        self._dense = None
        return np.arange(start, start + len(vecs), dtype=np.int64)

    def kill(self, iids: np.ndarray) -> None:
        """Mark rows dead (their document was re-indexed or removed)."""
        if len(iids):
            self.alive[np.asarray(iids, dtype=np.int64)] = False

    def vector(self, iid: int) -> np.ndarray:
        """One stored vector as float32."""
        return np.asarray(self.matrix()[iid], dtype=np.float32)

    def rows(self, iids: np.ndarray) -> np.ndarray:
        """Stored vectors of ``iids`` as float32 rows, in the order given."""
        iids = np.asarray(iids, dtype=np.int64)
        if not len(iids):
            return np.zeros((0, self.dim), dtype=np.float32)
        order = np.argsort(iids, kind="stable")  # the memory map reads fastest in file order
        out = np.empty((len(iids), self.dim), dtype=np.float32)
        out[order] = self.matrix()[iids[order]]
        return out

    def sync(self) -> None:
        """Bring the IVF index up to date (train when large enough, add new rows); it is written
        when trained and then whenever more than ``IVF_TAIL`` rows are not in the file yet, so a
        small refresh does not rewrite it (readers add the missing rows when they load it)."""
        n = self.n
        if n < _IVF_MIN:
            if self.ivf_file.exists():
                self.ivf_file.unlink()
            self.ivf_file.with_suffix(".json").unlink(missing_ok=True)
            self._ivf, self._ivf_n = None, 0
            return
        on_disk = self._ivf_file_n() if self._ivf is None and self.ivf_file.exists() else None
        if on_disk is not None and on_disk <= n <= min(4 * on_disk, on_disk + IVF_TAIL):
            return  # not read, and its file lags little: readers add the tail (no need to read it here)
        import faiss

        if self._ivf is None or n > 4 * max(self._ivf_n, 1):  # (re)train as the corpus grows
            nlist = int(min(8192, max(128, 2 * math.sqrt(n))))
            quant = faiss.IndexFlatIP(self.dim)
            ivf = faiss.IndexIVFScalarQuantizer(
                quant, self.dim, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
            )
            ivf.cp.niter = 10  # k-means iterations: recall@10 is flat beyond ~10 here, training time is not
            ivf.cp.max_points_per_centroid = 40
            rng = np.random.default_rng(0)
            sample = np.sort(rng.choice(n, size=min(n, nlist * 40), replace=False))
            ivf.train(np.asarray(self.matrix()[sample], dtype=np.float32))
            self._ivf, self._ivf_n = ivf, 0
            self._ivf_file_rows = (ivf, 0)
        self._catch_up()
        held, saved = self._ivf_file_rows
        if held is self._ivf and self._ivf_n - saved <= IVF_TAIL and self.ivf_file.exists():
            return
        tmp = self.ivf_file.with_suffix(".tmp")
        faiss.write_index(self._ivf, str(tmp))
        os.replace(tmp, self.ivf_file)
        self._ivf_file_rows = (self._ivf, self._ivf_n)
        rows = self.ivf_file.with_suffix(".json")
        rows.with_suffix(".tmp").write_text(json.dumps({"rows": self._ivf_n}), encoding="utf-8")
        os.replace(rows.with_suffix(".tmp"), rows)

    def _ivf_file_n(self) -> int | None:
        """Rows the saved IVF file holds, from the note written beside it (None: no file or note)."""
        try:
            return int(json.loads(self.ivf_file.with_suffix(".json").read_text(encoding="utf-8"))["rows"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _catch_up(self) -> None:
        """Add the rows the IVF index lacks (the saved file may lag by up to ``IVF_TAIL``)."""
        if self._ivf is None or self._ivf_n >= self.n:
            return
        if self._ivf_file_rows[0] is not self._ivf:  # just read from its file: that is what the file holds
            self._ivf_file_rows = (self._ivf, self._ivf_n)
        n = self.n
        for s in range(self._ivf_n, n, 100_000):
            self._ivf.add(np.asarray(self.matrix()[s : min(n, s + 100_000)], dtype=np.float32))
        self._ivf_n = n

    # ---- search ------------------------------------------------------------------------------
    def search(
        self, q: np.ndarray, k: int, allowed: np.ndarray | None = None, nprobe: int = 32
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` live iids by inner product with ``q`` among ``allowed`` (a bool mask)."""
        mask = self.alive if allowed is None else (self.alive & allowed[: self.n])
        cand = int(mask.sum())
        if cand == 0 or not np.any(q):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        if cand > EXACT_LIMIT:
            self._catch_up()
        if cand <= EXACT_LIMIT or self._ivf is None or self._ivf_n < self.n:
            return self._exact(q, k, mask)
        import faiss

        bits = np.packbits(mask.astype(np.uint8), bitorder="little")
        sel = faiss.IDSelectorBitmap(self.n, faiss.swig_ptr(bits))
        # faiss's Python wrapper takes the fields as keywords (and keeps ``sel`` alive); its stub does not know
        params = faiss.SearchParametersIVF(sel=sel, nprobe=nprobe)  # type: ignore[call-arg]
        scores, ids = self._ivf.search(q[None, :].astype(np.float32), k, params=params)
        keep = ids[0] >= 0
        if keep.sum() < min(k, cand):  # a narrow filter left the probed lists short: go exact
            return self._exact(q, k, mask)
        return ids[0][keep].astype(np.int64), scores[0][keep]

    def _exact(self, q: np.ndarray, k: int, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        idx = np.flatnonzero(mask)
        if self.n <= _IVF_MIN:  # small index: one float32 matrix product
            if self._dense is None or len(self._dense) != self.n:
                self._dense = np.asarray(self.matrix(), dtype=np.float32)
            scores = self._dense[idx] @ q if len(idx) < self.n else (self._dense @ q)[idx]
        else:
            scores = np.empty(len(idx), dtype=np.float32)
            m = self.matrix()
            for s in range(0, len(idx), 50_000):
                part = idx[s : s + 50_000]
                scores[s : s + len(part)] = np.asarray(m[part], dtype=np.float32) @ q
        k = min(k, len(idx))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return idx[top], scores[top]
