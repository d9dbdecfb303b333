"""Files in and out of the service: uploads for ingest, drawings for the browser."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ipai.errors import InputError, NotFound, TooLarge
from ipai.model import PatentDocument
from ipai.settings import Settings
from ipai.store.media import CONVERTED, RASTER, MediaStore, sniff_image

_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)
CHUNK = 1 << 20


def safe_name(name: str) -> str:
    """A file name without directories or characters a file system could trip on."""
    base = Path(name.replace("\\", "/")).name
    clean = _UNSAFE.sub("_", base).strip("._")
    if not clean:
        raise InputError(
            f"not a usable file name: {name!r}", errors=[{"field": "file", "message": "bad name"}]
        )
    return clean[:200]


def save_upload(settings: Settings, name: str, stream: IO[bytes]) -> Path:
    """Copy ``stream`` to ``<home>/uploads/<stamp>/<name>``, refusing it past ``upload_max_mb``."""
    limit = int(settings.upload_max_mb * 1024 * 1024)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6]
    folder = settings.home / "uploads" / stamp
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / safe_name(name)
    size = 0
    try:
        with path.open("wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise TooLarge(
                        f"upload {name!r} is larger than the {settings.upload_max_mb:g} MB limit "
                        "(setting upload_max_mb)",
                        errors=[{"field": "file", "message": "too large"}],
                        code="upload_too_large",
                        params={"name": name, "mb": f"{settings.upload_max_mb:g}"},
                    )
                out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if size == 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise InputError(
            f"upload {name!r} is empty",
            errors=[{"field": "file", "message": "empty"}],
            code="upload_empty",
            params={"name": name},
        )
    return path


@dataclass(frozen=True)
class ServedImage:
    """A drawing ready to send: bytes, a media type from the raster allow-list, and whether it is
    sent as a download (SVG, never rendered on the app's origin)."""

    data: bytes
    media_type: str
    filename: str
    attachment: bool = False


def document_image(settings: Settings, doc: PatentDocument, n: int) -> ServedImage:
    """Image ``n`` of ``doc`` from the media store: PNG, JPEG and GIF as they are, TIFF, BMP and WebP
    as PNG (cached), SVG as an attachment. Only the media store's own content-addressed files are
    read; a missing or unreadable image is a plain :class:`NotFound` naming no file."""
    if not 0 <= n < len(doc.images):
        raise NotFound(f"{doc.id} has no image {n} (it has {len(doc.images)})")
    gone = NotFound(f"image {n} of {doc.id} is not available")
    media = MediaStore.of(settings)
    sha = doc.images[n].sha256
    data = media.read(sha)
    if data is None or sha is None:
        raise gone
    kind = sniff_image(data)
    stem = f"{safe_name(doc.id)}-{n}"
    if kind in RASTER:
        return ServedImage(data, RASTER[kind], f"{stem}.{'jpg' if kind == 'jpeg' else kind}")
    if kind == "svg":
        return ServedImage(data, "image/svg+xml", f"{stem}.svg", attachment=True)
    if kind not in CONVERTED:
        raise gone
    cache = settings.home / "cache" / "images" / f"{sha}.png"
    if not cache.is_file():
        try:
            png = _to_png(data)
        except (OSError, ValueError, SyntaxError, TooLarge):
            raise gone from None
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{uuid.uuid4().hex[:8]}.tmp")
        tmp.write_bytes(png)
        tmp.replace(cache)
    return ServedImage(cache.read_bytes(), "image/png", f"{stem}.png")


def _to_png(data: bytes) -> bytes:
    """A raster image as a PNG at most 1400 pixels on its long side (decoded size limited)."""
    import io
    import warnings

    from PIL import Image

    from ipai.images.rasterise import MAX_PIXELS

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise TooLarge(f"{opened.width}x{opened.height} pixels")
                img = opened.convert("L") if opened.mode in ("1", "I;16", "I") else opened
                img.thumbnail((1400, 1400))
                out = io.BytesIO()
                img.save(out, "PNG", optimize=True)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise TooLarge(str(exc)) from exc
    return out.getvalue()


def discard_uploads(settings: Settings, paths: list[Path]) -> None:
    """Delete the upload folders (``<home>/uploads/<stamp>``) of these files; other paths are left."""
    root = (settings.home / "uploads").resolve()
    for p in paths:
        folder = Path(p).resolve().parent
        if folder.parent == root:
            shutil.rmtree(folder, ignore_errors=True)


def export_drawings(settings: Settings, rec: PatentDocument, folder: Path) -> PatentDocument:
    """The record with its stored drawings copied into ``folder`` (beside an export file) and named
    relative to the export (``<folder name>/ab/ab12…``), so that the export re-ingests with them."""
    if not any(r.sha256 for r in rec.images):
        return rec
    media = MediaStore.of(settings)
    refs = []
    for ref in rec.images:
        src = media.path(ref.sha256)
        if src is None or ref.sha256 is None:
            refs.append(ref)
            continue
        dst = folder / ref.sha256[:2] / ref.sha256
        if not dst.is_file():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
        refs.append(ref.model_copy(update={"path": f"{folder.name}/{ref.sha256[:2]}/{ref.sha256}"}))
    return rec.model_copy(update={"images": refs})
