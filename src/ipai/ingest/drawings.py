"""Drawings (and mark images) named by a record, copied at ingest into the media store.

A record names its images relative to its own file: ``US…-D00001.TIF`` beside the XML, or a
member of the same zip. The copy is made only from inside that folder or zip: absolute paths,
URLs, ``..`` that climbs out, links that lead out, files that are not regular, the store's own
database files and everything else under the store's home (but uploads) are never opened. The
bytes must be an image (by their signature) no larger than ``image_max_mb``. What is stored is
the hash of the copy; a stored path is never opened again. An image that cannot be copied is
kept in the record with the reason in ``missing``.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from pathlib import Path
from typing import Any

from ipai.ingest.base import Source
from ipai.ingest.limits import fmt_mb
from ipai.model import PatentDocument, Trademark
from ipai.store.media import MediaStore, sniff_image

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:(//|\\\\)")
_DRIVE = re.compile(r"^[A-Za-z]:")
_DB_SUFFIXES = ("", "-wal", "-shm", "-journal")


class Refused(Exception):
    """Why an image named by a record is not copied."""


def relative_reference(raw: str) -> str:
    """A record's image reference as a normalised relative POSIX path; :class:`Refused` for
    references that are absolute, URLs, empty, or that climb out of the source's folder."""
    if not raw or not raw.strip() or "\x00" in raw:
        raise Refused("no usable file name")
    if _URL.match(raw):
        raise Refused("a URL is not a file beside the source")
    ref = raw.strip().replace("\\", "/")
    if ref.startswith("/") or _DRIVE.match(ref):
        raise Refused("an absolute path is never followed: images are read only beside the source")
    norm = posixpath.normpath(ref)
    if norm in (".", "..") or norm.startswith("../"):
        raise Refused("the path leaves the source's folder")
    return norm


class DrawingCopier:
    """Copies the images records name into a :class:`MediaStore` (one per ingest job)."""

    def __init__(
        self,
        media: MediaStore,
        *,
        max_bytes: int,
        home: Path | None = None,
        databases: list[Path] | None = None,
    ) -> None:
        self.media = media
        self.max_bytes = max_bytes
        self.home = home.resolve() if home else None
        self.uploads = (self.home / "uploads") if self.home else None
        self.databases = [Path(str(p) + suf) for p in (databases or []) for suf in _DB_SUFFIXES]
        self._seen: dict[tuple[str, str], str] = {}  # (source file, reference) → sha256
        self._refused: dict[tuple[str, str], str] = {}  # (source file, reference) → why it is not copied

    @classmethod
    def of(cls, settings: Any) -> DrawingCopier:
        """The copier of a home: its media store, ``image_max_mb``, and the files never to open."""
        dbs = [settings.encoder_cache_path]
        url = settings.store_url
        if url.startswith("sqlite") and "///" in url:
            dbs.append(Path(url.split("///", 1)[1]))
        return cls(
            MediaStore.of(settings),
            max_bytes=int(settings.image_max_mb * (1 << 20)),
            home=Path(settings.home),
            databases=dbs,
        )

    # ---- records -------------------------------------------------------------------------------
    def attach(self, rec: PatentDocument | Trademark, src: Source) -> PatentDocument | Trademark:
        """The record with its images copied (``sha256``) or marked ``missing`` with the reason."""
        if isinstance(rec, PatentDocument):
            if not rec.images:
                return rec
            refs = []
            for ref in rec.images:
                if ref.missing and not ref.path and not ref.sha256:  # known missing (an export): stays so
                    refs.append(ref)
                    continue
                sha, why = self._copy(ref.sha256, ref.path or ref.file, src)
                refs.append(ref.model_copy(update={"sha256": sha, "missing": why, "path": None}))
            return rec.model_copy(update={"images": refs})
        if isinstance(rec, Trademark) and (rec.image or rec.image_sha256) and not rec.image_missing:
            sha, why = self._copy(rec.image_sha256, rec.image or "", src)
            return rec.model_copy(update={"image_sha256": sha, "image_missing": why})
        return rec

    def _copy(self, sha: str | None, name: str, src: Source) -> tuple[str | None, str | None]:
        if sha and self.media.has(sha):
            return sha, None
        key = (src.name, name)
        if key in self._refused:  # the documents of one bulk file name the same sheets again and again
            return None, self._refused[key]
        try:
            if key not in self._seen:
                self._seen[key] = self.media.put(self._read(relative_reference(name), src))
            return self._seen[key], None
        except Refused as exc:
            why = f"{name[:200]}: {exc}" if name else str(exc)
            if len(self._refused) < 100_000:
                self._refused[key] = why
            return None, why

    # ---- reading inside the source ----------------------------------------------------------------
    def _read(self, ref: str, src: Source) -> bytes:
        data = self._from_zip(ref, src) if src.member is not None else self._from_folder(ref, src)
        if sniff_image(data) is None:
            raise Refused("not an image (PNG, JPEG, GIF, TIFF, BMP, WebP or SVG)")
        return data

    def _too_big(self, size: int) -> Refused:
        return Refused(f"larger than the {fmt_mb(self.max_bytes)} image limit (setting image_max_mb)")

    def _from_zip(self, ref: str, src: Source) -> bytes:
        from ipai.ingest.base import Archive

        name = posixpath.normpath(posixpath.join(posixpath.dirname(src.entry or ""), ref))
        if name.startswith("../") or name == "..":
            raise Refused("the path leaves the zip")
        archive = src.archive or Archive.for_member(src.path, src.member or "")
        try:
            info = archive.find(name)
            if info is None or info.is_dir():
                raise Refused("not found in the zip")
            if info.file_size > self.max_bytes:
                raise self._too_big(info.file_size)
            with archive.zip().open(info) as fh:
                data = fh.read(self.max_bytes + 1)
        finally:
            if src.archive is None:
                archive.close_all()
        if len(data) > self.max_bytes:
            raise self._too_big(len(data))
        return data

    def _from_folder(self, ref: str, src: Source) -> bytes:
        base = src.path.parent.resolve()
        target = (base / ref).resolve()
        if not target.is_relative_to(base):
            raise Refused("the path leads out of the source's folder (through a link)")
        self._check_not_ours(target)
        try:
            st = os.stat(target)
        except OSError:
            raise Refused("not found beside the source") from None
        if not stat.S_ISREG(st.st_mode):
            raise Refused("not a regular file")
        if st.st_size > self.max_bytes:
            raise self._too_big(st.st_size)
        try:
            fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            raise Refused("cannot be opened") from None
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise Refused("not a regular file")
            data = fh.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise self._too_big(len(data))
        return data

    def _check_not_ours(self, target: Path) -> None:
        """Refuse the store's own files: opening (and closing) a SQLite database this process has
        open drops its locks, so they are never opened, whatever a record says."""
        refused = Refused("a file of the store itself is never read")
        if (
            self.home
            and target.is_relative_to(self.home)
            and not (self.uploads and target.is_relative_to(self.uploads))
        ):
            raise refused
        try:
            st = os.stat(target)
        except OSError:
            return
        for db in self.databases:
            try:
                dst = os.stat(db)
            except OSError:
                continue
            if (st.st_dev, st.st_ino) == (dst.st_dev, dst.st_ino):
                raise refused


def unattached(rec: PatentDocument | Trademark) -> PatentDocument | Trademark:
    """The record with every image path dropped and not-yet-stored images marked missing (when
    no media store takes part: the reader-only tools)."""
    if isinstance(rec, PatentDocument) and rec.images:
        return rec.model_copy(
            update={
                "images": [
                    r.model_copy(
                        update={"path": None, "missing": r.missing or (None if r.sha256 else "not copied")}
                    )
                    for r in rec.images
                ]
            }
        )
    return rec
