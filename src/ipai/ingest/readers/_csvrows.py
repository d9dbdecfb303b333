"""Shared plumbing of the office CSV/TSV readers: header sniffing and streaming rows.

Not a reader itself (no :class:`Reader` subclass): the PatentsView, claims-CPC and CNIPA
readers use it so that they all count rows, report broken rows and skip padding the same way.

Row numbers in locators are data rows counted from 1 (the header is not counted), so
``row 12`` is the 12th record line of the file whatever its quoted line breaks.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from ipai.ingest.base import Source
from ipai.ingest.limits import RecordTooLarge, too_large_message

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # claims and abstracts exceed the 128 KiB default
# (readers lower it to the per-record limit, ingest_max_record_mb, before they read)

MAX_CONSECUTIVE_CSV_ERRORS = 100
_HIGH_BYTES = bytes(range(0x80, 0x100))


def norm_col(name: str) -> str:
    """Header cell in comparable form: BOM, quotes and surrounding blanks removed, lower case."""
    return name.replace("\ufeff", "").strip().strip('"').strip().lower()


def head_text(source: Source, encoding: str = "utf-8") -> str:
    """The sniffing head decoded (a multi-byte character cut at the 64 KiB edge is harmless)."""
    return source.head().decode(encoding, errors="replace").lstrip("\ufeff")


def sniff_header(source: Source, encoding: str = "utf-8") -> tuple[list[str], str] | None:
    """(normalised header columns, delimiter) of a CSV/TSV source, or ``None`` if not tabular."""
    text = head_text(source, encoding)
    if not text or text.lstrip()[:1] in ("{", "[", "<"):
        return None
    line = text.split("\n", 1)[0].rstrip("\r")
    if not line.strip():
        return None
    delim = "\t" if "\t" in line else ","
    try:
        cols = next(csv.reader([line], delimiter=delim))
    except (csv.Error, StopIteration):
        return None
    return [norm_col(c) for c in cols], delim


def first_data_row(source: Source, delim: str, encoding: str = "utf-8") -> list[str] | None:
    """The first data row found in the head (for value checks in sniffers), if complete."""
    lines = head_text(source, encoding).splitlines()
    if len(lines) < 3:  # the 2nd line may be cut at the head's edge unless a 3rd follows
        return None
    try:
        rows = csv.reader(lines[1:], delimiter=delim)
        return next(rows, None)
    except csv.Error:
        return None


def detect_encoding(source: Source) -> str:
    """``utf-8`` unless the head is clearly not UTF-8 but reads as GB18030 (Chinese Excel exports)."""
    head = source.head()
    if head.lstrip()[:1] in (b"<", b"{", b"["):  # markup or JSON: not a CSV export (and always UTF-8 here)
        return "utf-8"
    high = len(head) - len(head.translate(None, _HIGH_BYTES))  # bytes >= 0x80, counted in C
    if not high:
        return "utf-8"
    # a few bad bytes in a UTF-8 file (e.g. the PatentSBERTa claims file) do not make it GBK:
    # GBK text read as UTF-8 fails on nearly every Chinese character
    bad = head.decode("utf-8", errors="replace").count("\ufffd") - head.count(b"\xef\xbf\xbd")
    if bad * 20 <= high:
        return "utf-8"
    for cut in range(4):  # a multi-byte character may be cut at the head's edge
        try:
            head[: len(head) - cut].decode("gb18030")
            return "gb18030"
        except UnicodeDecodeError:
            continue
    return "utf-8"


@dataclass
class Row:
    """One data row (``cells`` is ``None`` when the row could not be read: see ``error``)."""

    num: int
    cells: list[str] | None
    error: str | None = None


class CsvTable:
    """A streamed CSV/TSV file: the header and an iterator of rows, padding skipped."""

    def __init__(self, source: Source, delimiter: str = ",", encoding: str = "utf-8-sig") -> None:
        self.source = source
        self.delimiter = delimiter
        self.encoding = encoding
        self.header: list[str] = []

    def rows(self) -> Iterator[Row]:
        """Data rows in file order; blank and all-empty rows (export padding) are skipped silently.

        A row with the wrong number of fields or that the csv module cannot parse is yielded
        with ``error`` set; reading goes on with the next row.
        """
        enc = "utf-8-sig" if self.encoding in ("utf-8", "utf8") else self.encoding
        csv.field_size_limit(self.source.max_record)  # a field over the record limit fails its row
        with self.source.open_text(encoding=enc) as fh:
            rdr = csv.reader(fh, delimiter=self.delimiter)
            try:
                raw_header = next(rdr)
            except (StopIteration, RecordTooLarge):
                return
            self.header = [norm_col(c) for c in raw_header]
            width = len(self.header)
            num = 0
            bad_in_a_row = 0
            while True:
                fh.begin_record()  # a row spanning many lines (quoted breaks) is capped as a whole
                try:
                    cells = next(rdr)
                except StopIteration:
                    return
                except RecordTooLarge as exc:
                    num += 1
                    yield Row(num, None, str(exc))
                    continue
                except csv.Error as exc:
                    num += 1
                    bad_in_a_row += 1
                    yield Row(num, None, _csv_error(exc, self.source.max_record))
                    if bad_in_a_row >= MAX_CONSECUTIVE_CSV_ERRORS:
                        yield Row(num, None, "reading stopped: too many unreadable rows in a row")
                        return
                    continue
                bad_in_a_row = 0
                if not cells or not any(c.strip() for c in cells):
                    if cells:
                        num += 1
                    continue
                num += 1
                if len(cells) != width:
                    if len(cells) > width and not any(c.strip() for c in cells[width:]):
                        cells = cells[:width]  # trailing empty cells (a stray delimiter)
                    else:
                        yield Row(num, None, f"{len(cells)} fields where the header has {width}")
                        continue
                yield Row(num, cells)


def _csv_error(exc: csv.Error, limit: int) -> str:
    """The reason of a row the csv module refused (a field over the limit names the setting)."""
    if "field larger than field limit" in str(exc):
        return too_large_message(limit + 1, limit)
    return f"unreadable CSV row: {exc}"


def index_of(header: list[str], *names: str) -> int | None:
    """Position of the first of ``names`` present in the normalised header."""
    for n in names:
        if n in header:
            return header.index(n)
    return None


def cell(cells: list[str], idx: int | None) -> str:
    """Stripped cell text at ``idx`` (``''`` when the column is absent)."""
    return cells[idx].strip() if idx is not None else ""
