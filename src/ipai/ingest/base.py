"""What a reader is: a format name, a sniffer, and a streaming record generator.

Readers never touch the store. They turn one :class:`Source` (a file, or a member of a zip)
into a deterministic sequence of :class:`Item` — a record or a per-record error — so that an
interrupted ingest can resume by counting items.
"""

from __future__ import annotations

import abc
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, ClassVar

from ipai.ingest.limits import DEFAULT_MAX_RECORD, BoundedText
from ipai.model import PatentDocument, Trademark

HEAD_BYTES = 64 * 1024


@dataclass
class Item:
    """One step of a reader: a record, or an error about one record."""

    locator: str  # where in the file: "row 12", "document 3 (US08926509)", "line 40"
    record: PatentDocument | Trademark | None = None
    error: str | None = None


def build_item(locator: str, build: Callable[[], PatentDocument | Trademark],
               label: Callable[[PatentDocument | Trademark], str] | None = None) -> Item:
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
    not parsed 10,000 times); :func:`ipai.ingest.registry.expand` closes it after its members."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zf: zipfile.ZipFile | None = None
        self._lower: dict[str, str] | None = None

    def zip(self) -> zipfile.ZipFile:
        """The open archive (opened on first use)."""
        if self._zf is None:
            self._zf = zipfile.ZipFile(self.path)
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
        """Close the archive (a later use opens it again)."""
        if self._zf is not None:
            self._zf.close()
            self._zf = None


class Source:
    """A readable input: a file on disk or one member of a zip archive."""

    max_record: int = DEFAULT_MAX_RECORD  # the per-record limit readers enforce (ingest_max_record_mb)

    def __init__(self, path: Path, member: str | None = None, *, explicit: bool = False,
                 archive: Archive | None = None, refused: str | None = None) -> None:
        self.path = path
        self.member = member
        self.explicit = explicit  # named by the user rather than found by walking a folder
        self.archive = archive  # the shared open zip of a member (None: opened per use)
        self.refused = refused  # why the whole file is refused before reading (zip limits)
        self._head: bytes | None = None
        self._key: str | None = None

    @property
    def name(self) -> str:
        """Display name: ``/data/x.zip!folder/file.xls`` for zip members."""
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    @property
    def basename(self) -> str:
        """File name without folders (the member's name for zip members)."""
        return Path(self.member).name if self.member else self.path.name

    @property
    def directory(self) -> Path | None:
        """Folder holding the file on disk (for resolving drawings); ``None`` inside zips."""
        return None if self.member else self.path.parent

    def open(self) -> IO[bytes]:
        """Open the raw bytes for reading."""
        if self.member is None:
            return open(self.path, "rb")
        if self.archive is not None:
            return self.archive.zip().open(self.member)
        zf = zipfile.ZipFile(self.path)
        fh = zf.open(self.member)
        return _ZipMember(fh, zf)

    def open_text(self, encoding: str = "utf-8-sig", errors: str = "replace") -> BoundedText:
        """Open as text; undecodable bytes become U+FFFD (the record still loads). Lines are capped
        at :attr:`max_record` characters (:class:`~ipai.ingest.limits.RecordTooLarge` past it)."""
        return BoundedText(self.open(), limit=self.max_record, encoding=encoding, errors=errors)

    def head(self, n: int = HEAD_BYTES) -> bytes:
        """The first bytes, for format sniffing."""
        if self._head is None:
            with self.open() as fh:
                self._head = fh.read(HEAD_BYTES)
        return self._head[:n]

    def key(self) -> str:
        """Content identity (SHA-256 of the bytes): the resume/idempotence key."""
        if self._key is None:
            h = hashlib.sha256()
            with self.open() as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
            self._key = h.hexdigest()
        return self._key


class _ZipMember(io.RawIOBase):
    """A zip member stream that closes its archive with it."""

    def __init__(self, fh: IO[bytes], zf: zipfile.ZipFile) -> None:
        self._fh, self._zf = fh, zf

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        data = self._fh.read(len(b))
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._fh.close()
        self._zf.close()
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
