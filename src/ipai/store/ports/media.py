"""Media files: drawings and mark images kept by content hash beside the store (not in it:
:class:`ipai.store.media.MediaStore` on a folder of the home)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable


@runtime_checkable
class MediaFiles(Protocol):
    """Content-addressed image files."""

    def put(self, data: bytes) -> str:
        """Store bytes (once: the name is their hash); returns the SHA-256 hex digest."""

    def has(self, sha: str | None) -> bool:
        """Whether a file with this hash is stored."""

    def path(self, sha: str | None) -> Path | None:
        """The stored file of a hash: a regular file inside the media folder, else ``None``."""

    def read(self, sha: str | None) -> bytes | None:
        """The bytes stored under a hash, or ``None``."""
