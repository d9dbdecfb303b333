"""Files in and out of the service: uploads for ingest, drawings for the browser."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import uuid
from pathlib import Path
from typing import IO

from ipai.errors import InputError, NotFound, TooLarge
from ipai.model import PatentDocument
from ipai.settings import Settings

_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)
CHUNK = 1 << 20
BROWSER_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
                 ".svg": "image/svg+xml", ".webp": "image/webp"}


def safe_name(name: str) -> str:
    """A file name without directories or characters a file system could trip on."""
    base = Path(name.replace("\\", "/")).name
    clean = _UNSAFE.sub("_", base).strip("._")
    if not clean:
        raise InputError(f"not a usable file name: {name!r}", errors=[{"field": "file", "message": "bad name"}])
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
                    raise TooLarge(f"upload {name!r} is larger than the {settings.upload_max_mb:g} MB limit "
                                   "(setting upload_max_mb)", errors=[{"field": "file", "message": "too large"}])
                out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    if size == 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise InputError(f"upload {name!r} is empty", errors=[{"field": "file", "message": "empty"}])
    return path


def document_image(settings: Settings, doc: PatentDocument, n: int) -> tuple[bytes, str]:
    """Image ``n`` of ``doc``: browser formats as they are, TIFF (USPTO drawings) as PNG (cached)."""
    if not 0 <= n < len(doc.images):
        raise NotFound(f"{doc.id} has no image {n} (it has {len(doc.images)})")
    ref = doc.images[n]
    if not ref.path or not Path(ref.path).is_file():
        raise NotFound(f"image {ref.file} of {doc.id} was not found at ingest time or has moved")
    src = Path(ref.path)
    kind = BROWSER_TYPES.get(src.suffix.lower())
    if kind:
        return src.read_bytes(), kind
    cache = settings.home / "cache" / "images" / safe_name(doc.id) / f"{n}.png"
    if not cache.exists() or cache.stat().st_mtime < src.stat().st_mtime:
        from PIL import Image

        cache.parent.mkdir(parents=True, exist_ok=True)
        try:
            with Image.open(src) as img:
                img = img.convert("L") if img.mode in ("1", "I;16", "I") else img
                img.thumbnail((1400, 1400))
                tmp = cache.with_suffix(".tmp")
                img.save(tmp, "PNG", optimize=True)
                tmp.replace(cache)
        except OSError as exc:
            raise InputError(f"image {ref.file} of {doc.id} cannot be read: {exc}") from exc
    return cache.read_bytes(), "image/png"
