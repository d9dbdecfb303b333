"""What a reader is: a format name, a sniffer, and a streaming record generator.

Readers never touch the store. They turn one :class:`Source` (a file, or a member of a zip)
into a deterministic sequence of :class:`Item` — a record or a per-record error — so that an
interrupted ingest can resume by counting items.
"""

from __future__ import annotations

import abc
import contextlib
import gzip
import hashlib
import io
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, ClassVar, TypeVar, cast

from ipai.ingest.limits import DEFAULT_MAX_RECORD, BoundedText
from ipai.model import PatentDocument, Trademark

HEAD_BYTES = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"
CHAIN = "!"  # separates the zips of a nested member: ``inner.zip!folder/file.xml``
SMALL_MEMBER = 2 << 20  # zip members up to this size are decompressed once and kept while in use

RecordT = TypeVar("RecordT", PatentDocument, Trademark)


@dataclass
class Item:
    """One step of a reader: a record, or an error about one record."""

    locator: str  # where in the file: "row 12", "document 3 (US08926509)", "line 40"
    record: PatentDocument | Trademark | None = None
    error: str | None = None


def build_item(
    locator: str,
    build: Callable[[], RecordT],
    label: Callable[[RecordT], str] | None = None,
) -> Item:
    """Run a record builder: its record as an item (named ``locator (label)``), or the
    :class:`~ipai.errors.RecordError` / validation error it raised as an error item."""
    from pydantic import ValidationError

    from ipai.errors import RecordError
    from ipai.ingest.util import validation_message

    try:
        rec = build()
    except RecordError as exc:
        return Item(locator, error=str(exc))
    except ValidationError as exc:
        return Item(locator, error=validation_message(exc))
    return Item(f"{locator} ({label(rec)})" if label else locator, record=rec)


class Archive:
    """One zip opened once and shared by the sources of its members (a zip of 10,000 members is
    not parsed 10,000 times); :func:`ipai.ingest.registry.expand` closes it after its members.

    A zip inside a zip has the outer archive as ``parent`` and its member name as ``inner``: it is
    copied out to a temporary file on first use (a zip needs to seek) and the copy is deleted on
    :meth:`close`."""

    def __init__(self, path: Path, *, parent: Archive | None = None, inner: str | None = None) -> None:
        self.path = path
        self.parent = parent
        self.inner = inner
        self._zf: zipfile.ZipFile | None = None
        self._lower: dict[str, str] | None = None
        self._spill: str | None = None

    @classmethod
    def for_member(cls, path: Path, member: str) -> Archive:
        """The archive holding ``member`` (``inner.zip!doc.xml``: the inner zip, opened through the
        outer one); close it with :meth:`close_all`."""
        arch = cls(path)
        for inner in member.split(CHAIN)[:-1]:
            arch = cls(path, parent=arch, inner=inner)
        return arch

    @property
    def chain(self) -> str:
        """The member prefix of this archive's members (``inner.zip!`` for a nested zip, else ``''``)."""
        if self.parent is None:
            return ""
        return f"{self.parent.chain}{self.inner}{CHAIN}"

    def zip(self) -> zipfile.ZipFile:
        """The open archive (opened on first use)."""
        if self._zf is None:
            if self.parent is None:
                self._zf = zipfile.ZipFile(self.path)
            else:
                if self._spill is None:
                    fd, name = tempfile.mkstemp(prefix="ipai-zip-", suffix=".zip")
                    with os.fdopen(fd, "wb") as out, self.parent.zip().open(self.inner or "") as fh:
                        shutil.copyfileobj(fh, out, 1 << 20)
                    self._spill = name
                self._zf = zipfile.ZipFile(self._spill)
        return self._zf

    def find(self, name: str) -> zipfile.ZipInfo | None:
        """The member called ``name`` (exactly, else ignoring case), or ``None``."""
        zf = self.zip()
        try:
            return zf.getinfo(name)
        except KeyError:
            pass
        if self._lower is None:
            self._lower = {n.lower(): n for n in zf.namelist()}
        real = self._lower.get(name.lower())
        return zf.getinfo(real) if real else None

    def close(self) -> None:
        """Close the archive (a later use opens it again) and delete a nested zip's copy."""
        if self._zf is not None:
            self._zf.close()
            self._zf = None
        if self._spill is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._spill)
            self._spill = None

    def close_all(self) -> None:
        """Close this archive and the archives it is nested in."""
        arch: Archive | None = self
        while arch is not None:
            arch.close()
            arch = arch.parent


class Source:
    """A readable input: a file on disk or one member of a zip archive (zips nest: the member
    ``inner.zip!doc.xml`` is ``doc.xml`` inside ``inner.zip`` inside the file). gzip data
    (``.xml.gz``, one member or several concatenated) is read decompressed."""

    max_record: int = DEFAULT_MAX_RECORD  # the per-record limit readers enforce (ingest_max_record_mb)

    def __init__(
        self,
        path: Path,
        member: str | None = None,
        *,
        explicit: bool = False,
        archive: Archive | None = None,
        refused: str | None = None,
    ) -> None:
        self.path = path
        self.member = member
        self.explicit = explicit  # named by the user rather than found by walking a folder
        self.archive = archive  # the shared open zip of a member (None: opened per use)
        self.refused = refused  # why the whole file is refused before reading (zip limits)
        self._head: bytes | None = None
        self._key: str | None = None
        self._gzip: bool | None = None
        self._bytes: bytes | None = (
            None  # a small zip member's bytes (sniffed, hashed and read from one copy)
        )

    @property
    def name(self) -> str:
        """Display name: ``/data/x.zip!folder/file.xls`` for zip members."""
        return f"{self.path}{CHAIN}{self.member}" if self.member else str(self.path)

    @property
    def entry(self) -> str | None:
        """The member's name inside its own (innermost) zip; ``None`` for a file on disk."""
        return self.member.rsplit(CHAIN, 1)[-1] if self.member else None

    @property
    def basename(self) -> str:
        """File name without folders (the member's name for zip members)."""
        return Path(self.entry).name if self.entry else self.path.name

    @property
    def directory(self) -> Path | None:
        """Folder holding the file on disk (for resolving drawings); ``None`` inside zips."""
        return None if self.member else self.path.parent

    @property
    def compressed(self) -> bool:
        """True when the bytes are gzip data (by their signature)."""
        if self._gzip is None:
            with self._open_raw() as fh:
                self._gzip = fh.read(2) == GZIP_MAGIC
        return self._gzip

    def _open_raw(self) -> IO[bytes]:
        if self.member is None:
            return open(self.path, "rb")
        if self.archive is not None:
            if self._bytes is None:
                info = self.archive.zip().getinfo(self.entry or "")
                if info.file_size > SMALL_MEMBER:
                    return self.archive.zip().open(info)
                with self.archive.zip().open(info) as fh:  # a small member is read once, not three times
                    self._bytes = fh.read(SMALL_MEMBER + 1)
            return io.BytesIO(self._bytes)
        arch = Archive.for_member(self.path, self.member)
        # io's stream classes implement IO[bytes] at run time but typeshed does not declare it
        return cast(IO[bytes], _ZipMember(arch.zip().open(self.entry or ""), arch))

    def open(self) -> IO[bytes]:
        """Open the bytes for reading (decompressed when the source is gzip data)."""
        fh = self._open_raw()
        if self.compressed:
            return cast(IO[bytes], _Gunzip(fh))  # a BufferedIOBase; typeshed does not call it IO[bytes]
        return fh

    def open_text(self, encoding: str = "utf-8-sig", errors: str = "replace") -> BoundedText:
        """Open as text; undecodable bytes become U+FFFD (the record still loads). Lines are capped
        at :attr:`max_record` characters (:class:`~ipai.ingest.limits.RecordTooLarge` past it)."""
        return BoundedText(self.open(), limit=self.max_record, encoding=encoding, errors=errors)

    def head(self, n: int = HEAD_BYTES) -> bytes:
        """The first bytes, for format sniffing (decompressed for gzip data)."""
        if self._head is None:
            with self._open_raw() as fh:
                raw = fh.read(HEAD_BYTES)
            self._gzip = raw[:2] == GZIP_MAGIC
            if self._gzip:
                try:
                    with self.open() as fh:
                        raw = fh.read(HEAD_BYTES)
                except (OSError, EOFError, ValueError):  # broken gzip: nothing to sniff
                    raw = b""
            self._head = raw
        return self._head[:n]

    def key(self) -> str:
        """Content identity (SHA-256 of the bytes as stored): the resume/idempotence key."""
        if self._key is None:
            h = hashlib.sha256()
            with self._open_raw() as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
            self._key = h.hexdigest()
        return self._key


class _Gunzip(gzip.GzipFile):
    """Decompressed reading of a gzip stream (every member of a concatenated one) that closes the
    underlying stream with it."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__(fileobj=raw, mode="rb")
        self._raw = raw

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._raw.close()


class _ZipMember(io.RawIOBase):
    """A zip member stream that closes its archive (and the archives it is nested in) with it."""

    def __init__(self, fh: IO[bytes], archive: Archive) -> None:
        self._fh, self._archive = fh, archive

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]  # RawIOBase takes any buffer
        data = self._fh.read(len(b))
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._fh.close()
        self._archive.close_all()
        super().close()


class Reader(abc.ABC):
    """Base class of format readers; subclasses set the class attributes and implement both methods."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    priority: ClassVar[int] = 50  # merge priority: full text 100 > canonical 90 > biblio exports

    @abc.abstractmethod
    def sniff(self, source: Source) -> int:
        """Confidence 0–100 that this reader handles the source (0 = not mine)."""

    @abc.abstractmethod
    def read(self, source: Source) -> Iterator[Item]:
        """Yield every item of the source in a stable order."""
