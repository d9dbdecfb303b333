"""Service use cases of trademark and design image similarity (see docs/images.md)."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ipai.errors import InputError, NotFound
from ipai.service.context import Feature, ServiceContext

if TYPE_CHECKING:
    from ipai.images.index import ImageIndex

Kind = Literal["mark", "design"]
KINDS = ("mark", "design")
CLASS_FIELD = {"mark": "vienna", "design": "locarno"}


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise InputError(
            f"unknown image kind {kind!r}: use mark or design",
            errors=[{"field": "kind", "message": "mark or design"}],
            code="image_kind",
            params={"kind": kind},
        )
    return kind


def class_prefixes(kind: str, codes: list[str] | str | None) -> list[str]:
    """Vienna (``03``, ``03.01``, ``030102``) or Locarno (``14``, ``14-01``) filters as code prefixes."""
    if not codes:
        return []
    raw = [
        c for part in ([codes] if isinstance(codes, str) else codes) for c in re.split(r"[,\s]+", part) if c
    ]
    out = []
    for c in raw:
        digits = re.sub(r"\D", "", c)
        if not digits or len(digits) > 6 or (kind == "design" and len(digits) > 4):
            scheme = "Vienna (03.01.02)" if kind == "mark" else "Locarno (14-01)"
            raise InputError(
                f"not a {scheme} code: {c!r}",
                errors=[{"field": "classes", "message": "bad code"}],
                code="image_class",
                params={
                    "code": c,
                    "example": scheme.split(" ")[1].strip("()"),
                    "scheme": "维也纳" if kind == "mark" else "洛迦诺",
                },
            )
        if "." in c or "-" in c:
            parts = [p.zfill(2) for p in re.split(r"[.\-]", c) if p]
        else:
            parts = [digits[i : i + 2].zfill(2) for i in range(0, len(digits), 2)]
        out.append(("." if kind == "mark" else "-").join(parts))
    return out


class ImagesService(Feature):
    """Trademark and design image similarity."""

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__(ctx)
        self._indexes: dict[str, tuple[float | None, ImageIndex]] = {}  # kind → (meta.json mtime, index)
        self._lock = threading.Lock()

    # ---- index ---------------------------------------------------------------------------------
    def images_dir(self, kind: str) -> Path:
        """Where the image index of ``kind`` lives: ``<home>/images/<kind>``."""
        return self.settings.home / "images" / _kind(kind)

    def _image_tasks(
        self, kind: str, dirs: list[Path], from_store: bool
    ) -> tuple[list[Any], list[dict[str, str]]]:
        from ipai.images.extract import image_files
        from ipai.store.media import MediaStore

        tasks: list[tuple[Path, dict[str, Any]]] = []
        skipped: list[dict[str, str]] = []
        media = MediaStore.of(self.settings)  # stored records name images by hash, never by path
        if from_store and kind == "mark":
            for tm in self.store.iter_trademarks():
                if (p := media.path(tm.image_sha256)) is not None:
                    tasks.append(
                        (
                            p,
                            {
                                "id": tm.id,
                                "label": tm.mark_text or tm.number,
                                "vienna": list(tm.vienna_codes),
                                "path": str(p),
                                "source": "store",
                            },
                        )
                    )
        if from_store and kind == "design":
            for doc in self.store.iter_documents():
                if doc.doc_type != "design":
                    continue
                loc = [c.code for c in doc.classifications if c.scheme == "locarno"]
                title = next(iter(doc.titles.values()), doc.id)
                for n, ref in enumerate(doc.images):
                    if (p := media.path(ref.sha256)) is not None:
                        tasks.append(
                            (
                                p,
                                {
                                    "id": f"{doc.id}#{n}",
                                    "doc": doc.id,
                                    "sheet": n,
                                    "label": title,
                                    "locarno": loc,
                                    "path": str(p),
                                    "source": "store",
                                },
                            )
                        )
        for d in dirs:
            files, other = image_files(Path(d))
            skipped += other
            names = _logo_names(Path(d))
            for p in files:
                rel = str(p.relative_to(d))
                tasks.append(
                    (
                        p,
                        {
                            "id": rel,
                            "label": names.get(p.name, p.stem),
                            "file": p.name,
                            "path": str(p.resolve()),
                            "source": "dir",
                            "vienna": [],
                            "locarno": [],
                        },
                    )
                )
        return tasks, skipped

    def index_images(
        self,
        kind: str = "mark",
        *,
        dirs: list[Path] | None = None,
        from_store: bool = True,
        progress: Any = None,
    ) -> dict[str, Any]:
        """Build the image index of ``kind`` from the store (trademark images, design drawings) and
        folders of images; unreadable files are reported and skipped."""
        from ipai.images.extract import extract
        from ipai.images.index import ImageIndex

        t0 = time.perf_counter()
        tasks, skipped = self._image_tasks(_kind(kind), list(dirs or []), from_store)
        if not tasks:
            raise InputError(
                f"no {kind} images to index: ingest trademarks/designs with images or give --dir",
                errors=[{"field": "dir", "message": "no images"}],
            )
        entries, errors, _ = extract(
            tasks, progress=progress, max_bytes=int(self.settings.image_max_mb * 2**20)
        )
        index = ImageIndex.from_entries(entries)
        index.save(self.images_dir(kind))
        self._indexes.pop(kind, None)
        return {
            "kind": kind,
            "items": len(index),
            "views": len(index.views),
            "unreadable": len(errors),
            "errors": errors[:50],
            "skipped_other_files": len(skipped),
            "seconds": round(time.perf_counter() - t0, 2),
            "dir": str(self.images_dir(kind)),
        }

    def image_index(self, kind: str = "mark") -> ImageIndex:
        """The loaded image index of ``kind`` (NotFound until built)."""
        from ipai.images.index import ImageIndex

        cache = self._indexes
        folder = self.images_dir(kind)
        stamp = (folder / "meta.json").stat().st_mtime if (folder / "meta.json").exists() else None
        with self._lock:
            hit = cache.get(kind)
            if hit is None or hit[0] != stamp:
                cache[kind] = (stamp, ImageIndex.load(folder))
            return cache[kind][1]

    def image_status(self) -> dict[str, Any]:
        """Size and build time of each image index."""
        import json

        out = {}
        for kind in KINDS:
            meta = self.images_dir(kind) / "meta.json"
            out[kind] = json.loads(meta.read_text(encoding="utf-8")) if meta.exists() else None
        return out

    # ---- search --------------------------------------------------------------------------------
    def similar_images(
        self,
        source: bytes | Path | str,
        *,
        name: str | None = None,
        kind: str = "mark",
        classes: list[str] | str | None = None,
        top: int = 10,
    ) -> dict[str, Any]:
        """Marks or designs like an image (bytes or a path), optionally within Vienna/Locarno classes."""
        from ipai.images import features as F
        from ipai.images.rasterise import load_image
        from ipai.images.search import hits, rank

        if not 1 <= top <= 200:
            raise InputError(
                "top must be between 1 and 200",
                errors=[{"field": "top", "message": "out of range"}],
                code="range",
                params={"lo": 1, "hi": 200},
            )
        prefixes = class_prefixes(_kind(kind), classes)
        index = self.image_index(kind)
        t0 = time.perf_counter()
        r = load_image(source, name, max_bytes=int(self.settings.image_max_mb * 2**20))
        qviews = F.describe(r)
        ranked = rank(index, qviews, top=top, classes=prefixes, class_field=CLASS_FIELD[kind])
        return {
            "kind": kind,
            "classes": prefixes,
            "total": len(index),
            "query": {
                "name": name or (Path(source).name if isinstance(source, (str, Path)) else "upload"),
                "width": r.width,
                "height": r.height,
                "format": r.format,
                "views": len(qviews),
            },
            "hits": [_public(h) for h in hits(index, ranked)],
            "took_ms": round((time.perf_counter() - t0) * 1000, 2),
        }

    def image_thumbnail(self, kind: str, item_id: str, *, side: int = 256) -> bytes:
        """A PNG thumbnail of an indexed image (by its id)."""
        import io

        from PIL import Image

        from ipai.images.rasterise import load_image

        index = self.image_index(kind)
        item = next((it for it in index.items if it.get("id") == item_id), None)
        if item is None or not item.get("path"):
            raise NotFound(
                f"no {kind} image {item_id!r} in the image index",
                code="not_found",
                params={"what": "image", "id": item_id},
            )
        img = Image.fromarray(load_image(item["path"], item_id).rgb)
        img.thumbnail((side, side))
        buf = io.BytesIO()
        img.save(buf, "PNG")
        return buf.getvalue()

    def similar_words(self, text: str, *, top: int = 20) -> dict[str, Any]:
        """Word marks (stored trademarks' word elements) like ``text`` by spelling, sound and pinyin."""
        from ipai.images.words import similar_words

        if not text or not text.strip() or len(text) > 200:
            raise InputError(
                "give a word mark of 1-200 characters",
                errors=[{"field": "text", "message": "empty"}],
                code="word_mark",
            )
        if not 1 <= top <= 200:
            raise InputError(
                "top must be between 1 and 200",
                errors=[{"field": "top", "message": "out of range"}],
                code="range",
                params={"lo": 1, "hi": 200},
            )
        t0 = time.perf_counter()
        marks = [(tm.id, tm.mark_text) for tm in self.store.iter_trademarks() if tm.mark_text]
        found = similar_words(text.strip(), marks, top=top)
        return {
            "text": text.strip(),
            "marks": len(marks),
            "hits": [h.to_json() for h in found],
            "took_ms": round((time.perf_counter() - t0) * 1000, 2),
        }


def _public(hit: dict[str, Any]) -> dict[str, Any]:
    """A hit without the server's file path."""
    return {k: v for k, v in hit.items() if k != "path"}


def _logo_names(folder: Path) -> dict[str, str]:
    """File name → brand name from a ``logos.json`` in ``folder`` (empty when there is none)."""
    import json

    manifest = folder / "logos.json"
    if not manifest.is_file():
        return {}
    try:
        return {
            f: b.get("name", "")
            for b in json.loads(manifest.read_text(encoding="utf-8"))
            for f in b.get("files") or []
        }
    except (ValueError, AttributeError):
        return {}
