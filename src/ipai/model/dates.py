"""Date parsing for the date formats patent offices and exports actually use."""

from __future__ import annotations

import datetime as dt
import re

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})$")
_YM = re.compile(r"^(\d{4})-?(\d{2})$")


def _year(y: str, pivot: int | None = None) -> int:
    if len(y) == 4:
        return int(y)
    yy = int(y)
    pivot = dt.date.today().year % 100 if pivot is None else pivot
    return (2000 if yy <= pivot else 1900) + yy


def parse_date(value: object) -> dt.date | None:
    """Parse a full date; ``None`` for empty or unparseable input.

    Accepts ISO ``2021-06-30`` (also with a time part), compact ``20210630``, and day-first
    ``30/06/21``, ``30.06.2021`` as written by Lens and PATENTSCOPE exports. Dates with a
    ``00`` day or month (``19981000`` in cited-document dates) are not full dates: see
    :func:`parse_partial_date`.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    if not s:
        return None
    for rx in (_ISO, _COMPACT):
        m = rx.match(s)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            return _mk(y, mo, d)
    m = _DMY.match(s)
    if m:
        day, month, year = m.groups()
        return _mk(_year(year), int(month), int(day))
    return None


def _mk(y: int, mo: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def parse_partial_date(value: object) -> str | None:
    """Parse a possibly partial date into ISO text: ``1998-10-01``, ``1998-10`` or ``1998``.

    Cited documents often carry month precision (``19981000``); keep what is known.
    """
    if value is None:
        return None
    full = parse_date(value)
    if full:
        return full.isoformat()
    s = str(value).strip()
    m = _COMPACT.match(s)
    if m:
        y, mo, _ = m.groups()
        if mo != "00" and 1 <= int(mo) <= 12:
            return f"{y}-{mo}"
        return y if y != "0000" else None
    m = _YM.match(s)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{m.group(2)}"
    if re.fullmatch(r"\d{4}", s):
        return s
    return None
