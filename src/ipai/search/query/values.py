"""Field values of the query language: dates and date ranges, classification codes.

Every function raises :class:`ValueProblem` (message, offset inside the value) on bad input;
the parser turns it into a :class:`ipai.errors.QueryError` pointing at the user's text.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ipai.model.classification import normalize_ipc, normalize_locarno


class ValueProblem(Exception):
    """A field value that cannot be read; ``offset`` is relative to the value's start and
    ``{at}`` in the message marks where the parser puts "at position N"."""

    def __init__(self, message: str, offset: int = 0, kind: str = "date", value: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.kind = kind  # what the value should have been: date, range, code, locarno, status
        quoted = re.match(r"'([^']*)'", message)  # the messages start with the value as written
        self.value = value if value is not None else quoted.group(1) if quoted else ""


DATE_HELP = "write a date as 2015, 2015-03, 2015-03-01 or 20150301"
CODE_HELP = "a CPC/IPC symbol looks like G06N, G06N3/08 or G06N3* (truncated)"

_DATE = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_DATE_ZH = re.compile(r"^(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")
_RANGE = re.compile(r"^([\[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$")
_CODE = re.compile(r"^[A-HY](?:\d{2}(?:[A-Z](?:\d{1,4}(?:/\d{0,6})?)?)?)?$")
_DAY = dt.timedelta(days=1)


def period(text: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``2015`` (a year), ``2015-03`` (a month) or ``2015-03-01`` (a day)."""
    m = _COMPACT.match(text) or _DATE.match(text) or _DATE_ZH.match(text)
    if not m:
        if re.fullmatch(r"\d{1,3}|\d{5}", text):
            raise ValueProblem(f"'{text}' {{at}} is not a date: a year has four digits; {DATE_HELP}")
        raise ValueProblem(f"'{text}' {{at}} is not a date; {DATE_HELP}")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    if y < 1:
        raise ValueProblem(f"'{text}' {{at}} is not a date: there is no year 0")
    if mo is None:
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    if not 1 <= int(mo) <= 12:
        raise ValueProblem(f"'{text}' {{at}} is not a date: there is no month {int(mo)}")
    last = calendar.monthrange(y, int(mo))[1]
    if d is None:
        return dt.date(y, int(mo), 1), dt.date(y, int(mo), last)
    if not 1 <= int(d) <= last:
        raise ValueProblem(f"'{text}' {{at}} is not a date: month {int(mo)} of {y} has no day {int(d)}")
    day = dt.date(y, int(mo), int(d))
    return day, day


def _bound(text: str, upper: bool, inclusive: bool, offset: int) -> dt.date | None:
    if text in ("*", ""):
        return None
    try:
        first, last = period(text)
    except ValueProblem as exc:
        raise ValueProblem(exc.message, offset) from None
    try:
        if upper:
            return last if inclusive else first - _DAY
        return first if inclusive else last + _DAY
    except OverflowError:
        raise ValueProblem(f"'{text}' {{at}} is out of the calendar's range", offset) from None


def _checked(lo: dt.date | None, hi: dt.date | None, raw: str) -> tuple[str | None, str | None]:
    if lo and hi and lo > hi:
        raise ValueProblem(f"'{raw}' {{at}} is an empty date range: it ends before it starts", kind="range")
    return (lo.isoformat() if lo else None), (hi.isoformat() if hi else None)


def date_value(raw: str) -> tuple[str | None, str | None]:
    """Inclusive ISO bounds of a date field value: ``2015``, ``[2010 TO 2015]``, ``{2010 TO *]``,
    ``>=2015-01-01``, ``>2015``, ``<2010-06-30``, ``<=2010``, ``2010..2015``, ``20150101``."""
    s = raw.strip()
    if s[:1] in "[{":
        m = _RANGE.match(s)
        if not m:
            raise ValueProblem(
                f"'{raw}' {{at}} is not a date range: write it as [2010 TO 2015] "
                "({} for exclusive bounds, * for an open end)",
                kind="range",
            )
        lo = _bound(m.group(2), False, m.group(1) == "[", m.start(2))
        hi = _bound(m.group(3), True, m.group(4) == "]", m.start(3))
        return _checked(lo, hi, raw)
    for op in (">=", "<=", ">", "<"):
        if s.startswith(op):
            rest = s[len(op) :]
            if rest in ("", "*"):
                raise ValueProblem(f"'{op}' {{at}} needs a date after it; {DATE_HELP}")
            if op[0] == ">":
                return _checked(_bound(rest, False, op == ">=", len(op)), None, raw)
            return _checked(None, _bound(rest, True, op == "<=", len(op)), raw)
    if ".." in s:
        a, _, b = s.partition("..")
        if a in ("", "*") and b in ("", "*"):
            raise ValueProblem(
                f"'{raw}' {{at}} is not a date range: give at least one date, e.g. 2010..2015", kind="range"
            )
        return _checked(_bound(a, False, True, 0), _bound(b, True, True, len(a) + 2), raw)
    if s == "*":
        raise ValueProblem(f"'*' {{at}} is not a date; {DATE_HELP}")
    first, last = period(s)
    return first.isoformat(), last.isoformat()


def _render_lo(d: dt.date) -> str:
    if d.month == 1 and d.day == 1:
        return f"{d.year:04d}"
    return f"{d.year:04d}-{d.month:02d}" if d.day == 1 else d.isoformat()


def _render_hi(d: dt.date) -> str:
    if d.month == 12 and d.day == 31:
        return f"{d.year:04d}"
    if d.day == calendar.monthrange(d.year, d.month)[1]:
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def render_dates(start: str | None, end: str | None) -> str:
    """The shortest query value giving these inclusive bounds (``2015``, ``>=2015-03``, ``[…]``)."""
    lo = dt.date.fromisoformat(start) if start else None
    hi = dt.date.fromisoformat(end) if end else None
    if lo and hi:
        a, b = _render_lo(lo), _render_hi(hi)
        if lo == hi:
            return lo.isoformat()
        if a == b:  # a whole year
            return a
        whole_month = hi.day == calendar.monthrange(hi.year, hi.month)[1]
        if lo.day == 1 and (lo.year, lo.month) == (hi.year, hi.month) and whole_month:
            return f"{lo.year:04d}-{lo.month:02d}"
        return f"[{a} TO {b}]"
    if lo:
        return f">={_render_lo(lo)}"
    if hi:
        return f"<={_render_hi(hi)}"
    return "[* TO *]"


def code_value(raw: str, scheme: str) -> tuple[str, bool]:
    """Normalised ``(code, prefix)`` of a classification value: ``g06n 3/08`` → ``G06N3/08``,
    ``G06N3*`` → (``G06N3``, prefix), ``H04L 29/06`` → ``H04L29/06``, locarno ``1401`` → ``14-01``."""
    s = re.sub(r"\s+", "", raw).upper()
    prefix = s.endswith("*")
    body = s.rstrip("*") if prefix else s
    if "*" in body:
        raise ValueProblem(
            "'*' {at} may only end a code (truncation, e.g. G06N3*)", raw.find("*"), kind="code"
        )
    if not body:
        raise ValueProblem(f"'{raw}' {{at}} is not a classification code; {CODE_HELP}", kind="code")
    if scheme == "locarno":
        if not re.fullmatch(r"\d{1,2}(?:[-.]?\d{0,2})?", body):
            raise ValueProblem(
                f"'{raw}' {{at}} is not a Locarno class: write 14-01, 1401 or 14*", kind="locarno"
            )
        digits = re.sub(r"\D", "", body)
        if prefix:
            return (f"{digits[:2]}-{digits[2:]}" if len(digits) > 2 else digits), True
        norm = normalize_locarno(digits)
        if norm is None:
            raise ValueProblem(
                f"'{raw}' {{at}} is not a Locarno class: write 14-01, 1401 or 14*", kind="locarno"
            )
        return norm, False
    if not _CODE.match(body) or (not prefix and body.endswith("/")):
        raise ValueProblem(f"'{raw}' {{at}} is not a classification code; {CODE_HELP}", kind="code")
    if "/" in body and not prefix:
        body = normalize_ipc(body) or body
    return body, prefix


def status_value(raw: str) -> str:
    """A ``status:`` value as written, checked against the legal statuses (:mod:`ipai.status.query`)."""
    from ipai.status.query import statuses

    try:
        statuses(raw)
    except ValueError as exc:
        raise ValueProblem(f"{exc} {{at}}", kind="status", value=raw) from None
    return raw.strip()
