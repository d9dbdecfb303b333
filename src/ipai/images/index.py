"""An image index: per-view descriptors in faiss, a perceptual hash per image, item metadata as JSON.

Files under ``<home>/images/<kind>/`` (``kind`` is ``mark`` or ``design``)::

    items.jsonl      one JSON object per image (id, label, file, path, vienna / locarno codes…)
    views.npy        float32 descriptors of every view (rows), see :mod:`.features`
    owner.npy        int32 item number of each view row
    phash.npy        uint8 packed 64-bit perceptual hash of each item
    views.faiss      the ANN index over ``views.npy`` (HNSW past ``EXACT_LIMIT`` views, else exact)
    meta.json        format version, descriptor size, counts, build time

No pickle: arrays are ``.npy`` (loaded with ``allow_pickle=False``), metadata JSON, the index faiss's own
format.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ipai.errors import BackendError, NotFound
from ipai.images import features as F

FORMAT_VERSION = 1
EXACT_LIMIT = 200_000  # views; past it an HNSW graph answers in sub-millisecond time


@dataclass
class Entry:
    """One image to index: its metadata, descriptor views and perceptual hash."""

    item: dict[str, Any]
    views: np.ndarray
    phash: np.ndarray


@dataclass
class ImageIndex:
    """Descriptors of a collection of images and the ANN index over their views."""

    items: list[dict[str, Any]] = field(default_factory=list)
    views: np.ndarray = field(default_factory=lambda: np.zeros((0, F.DIM), dtype=np.float32))
    owner: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    phash: np.ndarray = field(default_factory=lambda: np.zeros((0, 8), dtype=np.uint8))
    built: str = ""
    _ann: Any = None

    @classmethod
    def from_entries(cls, entries: list[Entry]) -> ImageIndex:
        """An index over ``entries`` (in their order)."""
        if not entries:
            return cls(built=time.strftime("%Y-%m-%dT%H:%M:%S"))
        views = np.concatenate([e.views for e in entries]).astype(np.float32)
        owner = np.concatenate([np.full(len(e.views), i, dtype=np.int32) for i, e in enumerate(entries)])
        ph = np.stack([np.packbits(e.phash.astype(bool)) for e in entries])
        return cls(
            items=[e.item for e in entries],
            views=views,
            owner=owner,
            phash=ph,
            built=time.strftime("%Y-%m-%dT%H:%M:%S"),
        )

    def __len__(self) -> int:
        return len(self.items)

    # ---- ANN ---------------------------------------------------------------------------------
    @property
    def ann(self) -> Any:
        """The faiss index over the view rows (built on first use when not loaded)."""
        if self._ann is None:
            self._ann = build_ann(self.views)
        return self._ann

    def view_search(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest view rows of each query view: (scores, rows)."""
        k = max(1, min(k, len(self.views)))
        return self.ann.search(np.ascontiguousarray(q, dtype=np.float32), k)

    # ---- files -------------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """Write the index to ``folder`` (files written aside, then renamed into place)."""
        import faiss

        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / ".tmp"
        tmp.mkdir(exist_ok=True)
        with (tmp / "items.jsonl").open("w", encoding="utf-8") as out:
            for it in self.items:
                out.write(json.dumps(it, ensure_ascii=False) + "\n")
        np.save(tmp / "views.npy", self.views)
        np.save(tmp / "owner.npy", self.owner)
        np.save(tmp / "phash.npy", self.phash)
        faiss.write_index(self.ann, str(tmp / "views.faiss"))
        meta = {
            "format_version": FORMAT_VERSION,
            "dim": int(F.DIM),
            "items": len(self.items),
            "views": len(self.views),
            "built": self.built,
            "ann": "hnsw" if len(self.views) > EXACT_LIMIT else "exact",
        }
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        for f in tmp.iterdir():
            f.replace(folder / f.name)
        tmp.rmdir()

    @classmethod
    def load(cls, folder: Path) -> ImageIndex:
        """Read an index written by :meth:`save`; NotFound when there is none."""
        import faiss

        meta_path = folder / "meta.json"
        if not meta_path.exists():
            raise NotFound("no image index yet: build it with 'ipai images index'", code="no_image_index")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format_version") != FORMAT_VERSION or meta.get("dim") != F.DIM:
            raise BackendError(
                f"the image index at {folder} was built by another version: "
                "rebuild it with 'ipai images index'"
            )
        with (folder / "items.jsonl").open(encoding="utf-8") as f:
            items = [json.loads(line) for line in f if line.strip()]
        idx = cls(
            items=items,
            views=np.load(folder / "views.npy", allow_pickle=False),
            owner=np.load(folder / "owner.npy", allow_pickle=False),
            phash=np.load(folder / "phash.npy", allow_pickle=False),
            built=meta.get("built", ""),
        )
        if (folder / "views.faiss").exists() and len(idx.views):
            idx._ann = faiss.read_index(str(folder / "views.faiss"))
        return idx


def build_ann(views: np.ndarray) -> Any:
    """Exact inner-product index up to ``EXACT_LIMIT`` rows, HNSW (inner product) beyond."""
    import faiss

    dim = views.shape[1] if views.ndim == 2 else F.DIM
    ann: faiss.Index
    if len(views) > EXACT_LIMIT:
        ann = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
        ann.hnsw.efConstruction = 80
        ann.hnsw.efSearch = 128
    else:
        ann = faiss.IndexFlatIP(dim)
    if len(views):
        ann.add(np.ascontiguousarray(views, dtype=np.float32))
    return ann
