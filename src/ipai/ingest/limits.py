"""Resource limits of ingest: the per-record size limit readers enforce while they read, and the
limits on zip archives (members, expanded size, expansion ratio).

A record over ``ingest_max_record_mb`` is never loaded: line readers stop at the limit and skip
the rest of the line, XML splitters drop an oversized document block by block, and the reader
reports the record as an error item naming it; the rest of the file goes on.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

MB = 1 << 20
DEFAULT_MAX_RECORD = 16 * MB  # the default of the setting ingest_max_record_mb
_SKIP_CHUNK = 1 << 20


class RecordTooLarge(Exception):
    """A record over the per-record limit; it was skipped, not loaded."""

    def __init__(self, size: int, limit: int, *, at_least: bool = True, head: str = "") -> None:
        self.size, self.limit = size, limit
        self.head = head  # the record's first characters (to name it)
        more = "at least " if at_least else ""
        super().__init__(
            f"record larger than the {fmt_mb(limit)} limit ({more}{fmt_mb(size)}; setting "
            f"ingest_max_record_mb): skipped"
        )


def fmt_mb(n: int) -> str:
    """Bytes as a short MB figure: ``16 MB``, ``0.5 MB``."""
    mb = n / MB
    return f"{mb:.0f} MB" if mb >= 10 or mb == int(mb) else f"{mb:.2g} MB"


def too_large_message(size: int, limit: int, *, at_least: bool = True) -> str:
    """The reject reason of an oversized record."""
    return str(RecordTooLarge(size, limit, at_least=at_least))


class BoundedText(io.TextIOWrapper):
    """A text stream whose lines are capped at ``limit`` characters.

    Iterating (or ``readline()``) over a line longer than the limit reads the rest of that line
    in 1 MiB pieces without keeping it and raises :class:`RecordTooLarge`; the next call returns
    the following line, so a reader can report the record and go on. :meth:`begin_record` also
    caps the characters of a record spanning several lines (CSV with quoted line breaks, text
    formats): the line that crosses the limit raises.
    """

    def __init__(
        self,
        raw: IO[bytes],
        *,
        limit: int,
        encoding: str = "utf-8",
        errors: str = "replace",
        newline: str | None = "",
    ) -> None:
        super().__init__(raw, encoding=encoding, errors=errors, newline=newline)
        self.limit = limit
        self._since: int | None = None

    def begin_record(self) -> None:
        """Start counting the characters of a new record (lines so far no longer count)."""
        self._since = 0

    def end_record(self) -> None:
        """Stop counting characters across lines (only single lines stay capped)."""
        self._since = None

    def readline(self, size: int | None = -1, /) -> str:  # type: ignore[override]  # str, as __next__
        """One line, at most ``limit`` characters (:class:`RecordTooLarge` past it)."""
        cap = self.limit + 1 if size is None or size < 0 else min(size, self.limit + 1)
        line = super().readline(cap)
        if len(line) > self.limit:
            skipped = len(line) + self._skip_line(line)
            raise RecordTooLarge(skipped, self.limit, at_least=False, head=line[:4096])
        if self._since is not None and line:
            self._since += len(line)
            if self._since > self.limit:
                size_so_far, self._since = self._since, None
                raise RecordTooLarge(size_so_far, self.limit)
        return line

    def _skip_line(self, line: str) -> int:
        """Read and drop the rest of an over-long line; returns the characters dropped."""
        if line.endswith(("\n", "\r")):
            return 0
        n = 0
        while True:
            piece = super().readline(_SKIP_CHUNK)
            n += len(piece)
            if not piece or piece.endswith(("\n", "\r")):
                return n

    # typeshed's _IOBase iterates bytes and its text classes narrow that to str with this same ignore
    def __next__(self) -> str:  # type: ignore[override]
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]  # str lines, as __next__
        return self


def numbered_lines(fh: IO[str]) -> Iterator[tuple[int, str | RecordTooLarge]]:
    """``(line number, line)`` of a capped text stream (:class:`BoundedText`); an over-long line
    comes as its :class:`RecordTooLarge` (already skipped) and reading goes on."""
    lineno = 0
    while True:
        lineno += 1
        try:
            line = next(fh)
        except StopIteration:
            return
        except RecordTooLarge as exc:
            yield lineno, exc
            continue
        yield lineno, line


@dataclass(frozen=True)
class ZipLimits:
    """What a zip may hold before it is refused whole (settings ``ingest_max_zip_*``)."""

    members: int = 100_000
    expanded: int = 20_000 * MB
    ratio: float = 200.0
    ratio_floor: int = MB  # members smaller than this are never called bombs

    @classmethod
    def from_settings(cls, settings: Any) -> ZipLimits:
        """The limits configured in :class:`ipai.settings.Settings`."""
        return cls(
            members=settings.ingest_max_zip_members,
            expanded=int(settings.ingest_max_zip_mb * MB),
            ratio=settings.ingest_max_zip_ratio,
        )

    def check(self, infos: list[Any]) -> str | None:
        """Why a zip with these members (``ZipInfo``) is refused, or ``None``."""
        files = [i for i in infos if not i.is_dir()]
        if len(files) > self.members:
            return (
                f"zip refused: {len(files):,} members, more than the limit of {self.members:,} "
                "(setting ingest_max_zip_members)"
            )
        total = sum(i.file_size for i in files)
        if total > self.expanded:
            return (
                f"zip refused: its members expand to {fmt_mb(total)}, more than the {fmt_mb(self.expanded)} "
                "limit (setting ingest_max_zip_mb)"
            )
        for i in files:
            if i.file_size > self.ratio_floor and i.file_size > self.ratio * max(i.compress_size, 1):
                ratio = i.file_size / max(i.compress_size, 1)
                return (
                    f"zip refused as a zip bomb: member {i.filename!r} expands {ratio:,.0f} times "
                    f"({fmt_mb(i.compress_size)} to {fmt_mb(i.file_size)}; limit {self.ratio:g}x, "
                    "setting ingest_max_zip_ratio)"
                )
        return None


def read_capped(fh: IO[bytes], limit: int) -> bytes:
    """At most ``limit`` bytes of a stream; :class:`RecordTooLarge` when there are more."""
    data = fh.read(limit + 1)
    if len(data) > limit:
        raise RecordTooLarge(len(data), limit)
    return data


@dataclass(frozen=True)
class Oversized:
    """What a splitter yields for a document over the limit: its first bytes (to name it) and
    its size; the rest was read and dropped."""

    head: bytes
    size: int


HEAD_KEPT = 64 * 1024  # bytes of an oversized document kept to name it


def skip_until(
    fh: IO[bytes], tail: bytes, find: Callable[[bytes], int | None], keep: int = 64
) -> tuple[int, int, bytes]:
    """Read and drop a stream until ``find`` locates the next document boundary.

    ``tail`` is the end of what was already buffered (to catch a boundary cut by a block edge).
    Returns (bytes dropped, line breaks dropped, the buffered rest from the boundary on); at the
    end of the stream the rest is empty. Memory stays at one block.
    """
    data, dropped, lines = tail, 0, 0
    while True:
        pos = find(data)
        if pos is not None:
            return dropped + pos, lines + data.count(b"\n", 0, pos), data[pos:]
        cut = max(0, len(data) - keep)
        dropped += cut
        lines += data.count(b"\n", 0, cut)
        chunk = fh.read(_SKIP_CHUNK)
        if not chunk:
            rest = data[cut:]
            return dropped + len(rest), lines + rest.count(b"\n"), b""
        data = data[cut:] + chunk


class LineBudget:
    """The size of a record assembled from many lines (text formats), against the limit: once
    over, the record's lines are dropped until the next record starts."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.over: RecordTooLarge | None = None

    def start(self) -> None:
        """A new record begins."""
        self.used, self.over = 0, None

    def add(self, line: str | RecordTooLarge) -> bool:
        """Count a line (or an over-long line already skipped); True while the record is over."""
        if self.over is None:
            if isinstance(line, RecordTooLarge):
                self.over = line
                line.head = ""  # the reader names the record
            else:
                self.used += len(line)
                if self.used > self.limit:
                    self.over = RecordTooLarge(self.used, self.limit)
        return self.over is not None


class CappedStream(io.RawIOBase):
    """A byte stream that raises :class:`RecordTooLarge` once more than ``limit`` bytes were read
    since the last :meth:`mark` (streaming parsers that build one record at a time)."""

    def __init__(self, raw: IO[bytes], limit: int) -> None:
        self.raw, self.limit, self.since = raw, limit, 0

    def mark(self) -> None:
        """A record ended: start counting again."""
        self.since = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (at most one 64 KiB block at a time)."""
        if size == 0:
            return b""
        data = self.raw.read(min(size, 1 << 16) if size > 0 else 1 << 16)
        self.since += len(data)
        if self.since > self.limit + (1 << 16):
            raise RecordTooLarge(self.since, self.limit)
        return data

    def readinto(self, b: Any) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)
