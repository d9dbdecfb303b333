"""EUIPO figurative-mark metadata as JSON (the TradeMarks2020 dataset's ``Trademark2020_*.json``).

One JSON object keyed by trade mark number::

    {"000001751": {"Codes": ["020101", "080501"], "Date": "1996-04-01", "Text": "Uncle Ben's"}, …}

parsed from EUIPO's open-data register: ``Codes`` are the mark's Vienna figurative-element
codes (6 digits, some only 4 = category.division), ``Date`` the filing date and ``Text`` the
word element appearing in the image (absent for purely graphic marks). Keys are EU trade mark
numbers (``000001751``) or, for international registrations designating the EU, EUIPO's ``W``
numbers (``W00840480``); both are kept exactly as EUIPO writes them, with office ``EM``.

Mark kind: every mark of the set is figurative in EUIPO's register (the dataset selected
figurative marks). The model separates a purely figurative mark from one combining a device
with words, so a mark with a word element (``Text``) is ``combined`` and one without is
``figurative`` — word-mark similarity can then pick the marks that have words, and the register
category is still recoverable (both kinds are EUIPO "figurative").

The file is streamed with ``ijson.kvitems`` so that memory stays flat in the number of marks.
A structural JSON error stops the file with an error item naming the last good record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import ijson
from pydantic import ValidationError

from ipai.ingest.base import Item, Reader, Source
from ipai.ingest.limits import CappedStream, RecordTooLarge
from ipai.ingest.util import clean, validation_message
from ipai.model import Trademark, normalize_vienna, parse_date

_FIRST_VALUE = re.compile(rb'^\s*\{\s*"[^"\\]{1,64}"\s*:\s*\{(?P<body>[^{}]*)\}', re.DOTALL)
_NUMBER = re.compile(r"^[A-Z]?\d{1,12}[A-Z]?$")


class EuipoTrademarkJson(Reader):
    """EUIPO figurative trade marks as JSON (number → Vienna codes, filing date, word element)."""

    name = "euipo-tm-json"
    description = (
        "EUIPO figurative trade marks JSON (TradeMarks2020: Vienna codes, filing date, word element)"
    )
    priority = 50

    def sniff(self, source: Source) -> int:
        m = _FIRST_VALUE.match(source.head())
        if not m:
            return 0
        body = m.group("body")
        return 90 if b'"Codes"' in body and b'"Date"' in body else 0

    def read(self, source: Source) -> Iterator[Item]:
        n = 0
        last = "start of file"
        with source.open() as raw:
            fh = CappedStream(raw, source.max_record)
            try:
                for key, value in ijson.kvitems(fh, ""):
                    fh.mark()
                    n += 1
                    loc = f"record {n} ({key})"
                    last = loc
                    try:
                        tm = to_trademark(key, value)
                    except ValueError as exc:  # pydantic ValidationError is a ValueError
                        msg = validation_message(exc) if isinstance(exc, ValidationError) else str(exc)
                        yield Item(loc, error=msg)
                        continue
                    yield Item(loc, record=tm)
            except ijson.JSONError as exc:
                yield Item(f"record {n + 1}", error=f"broken JSON after {last}: {exc}")
            except RecordTooLarge as exc:  # a JSON stream cannot be resumed after a skipped value
                yield Item(f"record {n + 1}", error=f"{exc}; reading stopped after {last}")


def to_trademark(key: str, value: Any) -> Trademark:
    """One EUIPO mark; ``ValueError`` naming the problem for a record that cannot be one."""
    number = str(key).strip()
    if not number or not _NUMBER.match(number):
        raise ValueError(f"not a trade mark number: {key!r}")
    if not isinstance(value, dict):
        raise ValueError(f"record is a {type(value).__name__}, not an object")
    codes = value.get("Codes") or []
    if isinstance(codes, str):
        codes = [codes]
    vienna: list[str] = []
    for c in codes if isinstance(codes, list) else []:
        v = normalize_vienna(str(c))
        if v and v not in vienna:
            vienna.append(v)
    text = value.get("Text")
    mark_text = clean(text) or None if isinstance(text, str) else None
    return Trademark(
        office="EM",
        number=number,
        mark_text=mark_text,
        kind="combined" if mark_text else "figurative",
        vienna_codes=vienna,
        filing_date=parse_date(value.get("Date")),
    )
