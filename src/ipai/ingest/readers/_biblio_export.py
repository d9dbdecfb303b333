"""Shared parsing for bibliographic export readers (Lens CSV/JSONL, PATENTSCOPE, WIPO landscapes).

These exports are spreadsheets made by analysts' tools: old-Mac ``\\r`` line endings, legacy code
pages with doubly-encoded UTF-8, two-digit years, numbers with correction dates appended. The
helpers here read them tolerantly and map their cells into :mod:`ipai.model` parts.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from ipai.errors import RecordError
from ipai.ingest.base import Source
from ipai.ingest.limits import BoundedText, RecordTooLarge
from ipai.ingest.util import clean
from ipai.model import (
    Classification,
    DocRef,
    Party,
    PubNo,
    make_party,
    normalize_appno,
    normalize_ipc,
    parse_date,
    parse_pubno,
)
from ipai.model.classification import Scheme
from ipai.model.patent import DocType
from ipai.text.lang import detect

# ---- text decoding ---------------------------------------------------------------------------
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_LOST_CHAR = re.compile(r"[\u00c2-\u00df]_")  # a UTF-8 lead byte whose partner became "_"


def _unmojibake(m: re.Match[str]) -> str:
    run = m.group(0)
    try:
        return run.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return run


def repair_legacy(raw: bytes, mac: bool) -> str:
    """Decode a line that is not UTF-8: the old-Mac (Mac Roman) or Windows code page Excel
    saved in, then undo UTF-8 that had been read as Windows-1252 (``Ã¶`` → ``ö``); characters the
    round trip lost (``FÃ_r``) become U+FFFD."""
    text = raw.decode("mac_roman" if mac else "cp1252", errors="replace")
    text = _NON_ASCII_RUN.sub(_unmojibake, text)
    return _LOST_CHAR.sub("\ufffd", text)


class TextLines:
    """Lines of a text export, endings kept (``\\r``, ``\\n`` and ``\\r\\n`` all end a line).

    Each line is decoded on its own: UTF-8 when it is, else the legacy code page (Mac Roman
    for ``\\r``-only files) with mojibake repaired, so one odd line does not garble the file.
    Lines (and records begun with :meth:`begin_record`) are capped at the source's record limit:
    past it, :class:`~ipai.ingest.limits.RecordTooLarge` and the iterator goes on after it.
    """

    def __init__(self, source: Source) -> None:
        self.fh = BoundedText(source.open(), limit=source.max_record, encoding="latin-1")
        self.first = True

    def __iter__(self) -> TextLines:
        return self

    def __next__(self) -> str:
        line = next(self.fh)
        if self.first:
            self.first = False
            if line.startswith("\xef\xbb\xbf"):
                line = line[3:]
        if line.isascii():
            return line
        raw = line.encode("latin-1")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return repair_legacy(raw, mac=line.endswith("\r"))

    def begin_record(self) -> None:
        """Cap the lines read from now on as one record."""
        self.fh.begin_record()

    def close(self) -> None:
        """Close the file."""
        self.fh.close()


def csv_rows(source: Source, *, skipinitialspace: bool = False) -> Iterator[list[str] | RecordTooLarge]:
    """Rows of a CSV export, streamed (header included); a row over the record limit comes as its
    :class:`~ipai.ingest.limits.RecordTooLarge` (skipped, not loaded) and reading goes on."""
    csv.field_size_limit(source.max_record)
    lines = TextLines(source)
    try:
        rdr = csv.reader(lines, skipinitialspace=skipinitialspace)
        while True:
            lines.begin_record()
            try:
                row = next(rdr)
            except StopIteration:
                return
            except RecordTooLarge as exc:
                yield exc
                continue
            except csv.Error as exc:
                if "field larger than field limit" not in str(exc):
                    raise
                yield RecordTooLarge(source.max_record + 1, source.max_record)
                continue
            yield row
    finally:
        lines.close()


def head_header(source: Source, max_lines: int = 1, *, skipinitialspace: bool = False) -> list[list[str]]:
    """The first CSV rows found in the head bytes (for sniffing), stripped of whitespace."""
    head = source.head()
    if head[:3] == b"\xef\xbb\xbf":
        head = head[3:]
    if head.startswith((b"PK", b"\xd0\xcf\x11\xe0", b"{", b"<", b"[")):
        return []
    text = head.decode("utf-8", errors="replace")
    lines = text.splitlines(keepends=True)[: max_lines + 1]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
    try:
        return [[c.strip() for c in row] for row in csv.reader(lines, skipinitialspace=skipinitialspace)]
    except csv.Error:
        return []


def blank(row: Iterable[object]) -> bool:
    """True for an empty spreadsheet row."""
    return all(not str(c).strip() for c in row)


# ---- numbers ---------------------------------------------------------------------------------
def pubno_of(raw: str, country: str | None = None, kind: str | None = None) -> PubNo:
    """Publication number from an export cell (empty country/kind cells ignored); raises
    :class:`RecordError`. The spellings exports use are all read by :func:`parse_pubno`."""
    return parse_pubno(clean(raw), clean(country).upper() or None, clean(kind).upper() or None)


def try_pubno(raw: str, country: str | None = None, kind: str | None = None) -> PubNo | None:
    """Like :func:`pubno_of` but ``None`` instead of an error."""
    try:
        return pubno_of(raw, country, kind)
    except RecordError:
        return None


_KEY = re.compile(r"^([A-Z]{2})\s+(.+?)(?:\s+([A-Z]\d?))?(?:\s+(\d{8}))?$")


def docref_from_key(raw: str) -> DocRef | None:
    """Lens filing keys: ``FR 1051751 A 20100311``, ``AU 2013 203507 A``, ``US 2016/0017869 W``."""
    s = clean(raw)
    m = _KEY.match(s)
    if not m:
        return None
    cc, num, kind, date = m.groups()
    number = normalize_appno(num)
    if not number:
        return None
    return DocRef(country=cc, number=number, kind=kind, date=parse_date(date) if date else None)


# ---- dates -----------------------------------------------------------------------------------
_DMY2 = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2})$")


def dmy_date(value: str, *, year: int | None = None, not_after: dt.date | None = None) -> dt.date | None:
    """A date that may be written ``dd/mm/yy``: the century comes from the known ``year``
    (Lens "Publication Year") or is the latest that keeps the year at most ``not_after``'s."""
    s = clean(value)
    m = _DMY2.match(s)
    if not m:
        return parse_date(s)
    d, mo, yy = (int(g) for g in m.groups())
    if year is not None and year % 100 == yy:
        y = year
    else:
        ref = not_after or dt.date.today()
        y = ref.year - ref.year % 100 + yy
        if y > ref.year:
            y -= 100
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


# ---- text, parties, classes ------------------------------------------------------------------
# English function words that never occur as words in the other languages of these exports;
# two of them in a plain-ASCII title settle "en" without the n-gram model (checked against all
# 39,000 titles of the sample exports: the model agrees on every one but "Process for mozzarella
# cheese", which it calls Italian).
_EN_WORDS = re.compile(
    r"\b(the|for|and|of|with|methods?|apparatus|devices?|using|thereof|from|having|"
    r"process|compositions?|on)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=65536)
def title_lang(title: str) -> str:
    """Language of a title (cached: family members repeat titles)."""
    if title.isascii() and len({w.lower() for w in _EN_WORDS.findall(title)}) >= 2:
        return "en"
    return detect(title, default="en")


def titles(title: str | None) -> dict[str, str]:
    """``{lang: title}`` for a non-empty title."""
    t = clean(title)
    return {title_lang(t): t} if t else {}


@lru_cache(maxsize=131072)
def _party(name: str, country: str | None) -> Party | None:
    return make_party(name, country=country)


def party_list(names: Iterable[str | tuple[str, str | None]]) -> list[Party]:
    """Parties from names (or ``(name, country)`` pairs), empty and repeated names dropped.

    Same result as :func:`ipai.model.parties`, with the normalisation cached per name.
    """
    out: list[Party] = []
    seen: set[str] = set()
    for item in names:
        name, country = item if isinstance(item, tuple) else (item, None)
        p = _party(squash(name), country or None)
        if p and p.name not in seen:
            seen.add(p.name)
            out.append(p)
    return out


@lru_cache(maxsize=131072)
def _classification(scheme: Scheme, raw: str) -> Classification | None:
    code = clean(raw) if scheme == "uspc" else normalize_ipc(raw)
    return Classification(scheme=scheme, code=code) if code else None


def class_list(
    cpc: Iterable[str] = (), ipc: Iterable[str] = (), us: Iterable[str] = ()
) -> list[Classification]:
    """CPC and IPC symbols normalised (unreadable ones dropped), US classes kept as written."""
    out: list[Classification] = []
    seen: set[tuple[str, str]] = set()
    schemes: tuple[tuple[Scheme, Iterable[str]], ...] = (("cpc", cpc), ("ipc", ipc), ("uspc", us))
    for scheme, codes in schemes:
        for raw in codes:
            c = _classification(scheme, raw)
            if c is not None and (scheme, c.code) not in seen:
                seen.add((scheme, c.code))
                out.append(c)
    return out


def squash(text: str) -> str:
    """:func:`ipai.ingest.util.clean` for a string, skipping the regex when there is nothing to do."""
    text = text.strip()
    if "  " in text or not text.isprintable():  # tabs, newlines and Unicode spaces are not
        return clean(text)
    return text


def split(value: object, sep: str) -> list[str]:
    """Values of a multi-valued cell (like :func:`ipai.ingest.util.split_list`, but faster)."""
    if not value:
        return []
    return [p for p in map(squash, str(value).split(sep)) if p]


def earliest(refs: Iterable[DocRef]) -> dt.date | None:
    """Earliest date among priority references."""
    dates = [r.date for r in refs if r.date]
    return min(dates) if dates else None


_LENS_TYPES: dict[str, DocType] = {
    "patent application": "application",
    "granted patent": "patent",
    "limited patent": "utility_model",  # Lens: utility models, innovation and petty patents
    "design right": "design",
    "amended patent": "patent",
    "ammended patent": "patent",  # sic, older Lens exports
    "plant patent": "plant",
}


def lens_doc_type(pubno: PubNo, hint: str | None) -> DocType:
    """Document type from the Lens "Type"/"docType" value, else from the kind code."""
    from ipai.model import doc_type_for

    mapped = _LENS_TYPES.get(clean(hint).lower())
    return mapped or doc_type_for(pubno)


_LENS_ID = re.compile(r"\b(\d{3}-\d{3}-\d{3}-\d{3}-\d{2}[\dX])\b")


def lens_id(*values: str | None) -> str | None:
    """The Lens ID (``165-682-789-919-350``) from an ID cell or a lens.org URL."""
    for v in values:
        m = _LENS_ID.search(v or "")
        if m:
            return m.group(1)
    return None
