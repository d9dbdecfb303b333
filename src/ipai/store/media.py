"""The media store: drawings and mark images copied at ingest into ``<home>/media``, each file
named by the SHA-256 of its bytes (``<home>/media/ab/ab12…``).

Only files whose bytes are an image (PNG, JPEG, GIF, TIFF, BMP, WebP or SVG) get in, and the
only files ever served are these: a record names its drawing by hash, never by a path.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Any

from ipai.store.ports import MediaFiles

_HEX = re.compile(r"[0-9a-f]{64}")
RASTER = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif"}  # served as they are
CONVERTED = ("tiff", "bmp", "webp")  # served as PNG
KINDS = (*RASTER, *CONVERTED, "svg")
_BMP_HEADERS = {12, 40, 52, 56, 64, 108, 124}  # the DIB header sizes BMP files use


def sniff_image(data: bytes) -> str | None:
    """The image format of some bytes by their signature (never by a file name), or ``None``."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if data.startswith(b"BM") and len(data) > 26 and int.from_bytes(data[14:18], "little") in _BMP_HEADERS:
        return "bmp"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in head:
        return "svg"
    return None


class MediaStore(MediaFiles):
    """Content-addressed image files under one folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def of(cls, settings: Any) -> MediaStore:
        """The media store of a home (``<home>/media``)."""
        return cls(Path(settings.home) / "media")

    def _file(self, sha: str) -> Path:
        return self.root / sha[:2] / sha

    def put(self, data: bytes) -> str:
        """Store bytes (once: the name is their hash); returns the SHA-256 hex digest."""
        sha = hashlib.sha256(data).hexdigest()
        final = self._file(sha)
        if final.is_file():
            return sha
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".in-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, final)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha

    def has(self, sha: str | None) -> bool:
        """Whether a file with this hash is stored."""
        return self.path(sha) is not None

    def path(self, sha: str | None) -> Path | None:
        """The stored file of a hash: a regular file inside the media folder, else ``None``."""
        if not sha or not _HEX.fullmatch(sha):
            return None
        p = self._file(sha)
        try:
            st = p.lstat()
        except OSError:
            return None
        return p if stat.S_ISREG(st.st_mode) else None

    def read(self, sha: str | None) -> bytes | None:
        """The bytes stored under a hash, or ``None``."""
        p = self.path(sha)
        return p.read_bytes() if p else None
