"""Publication-number normalisation (WIPO ST.3 country + number + ST.16 kind code).

Sources write the same publication many ways: ``US 2013/0101709 A1`` (Lens),
``US20130101709`` (PATENTSCOPE), ``US_2013_0101709_A1`` (Lens keys), ``20130101709`` + ``A1``
(USPTO XML), ``06970935`` (USPTO grant XML), ``USD435854S1``. :func:`parse_pubno` turns each into
one :class:`PubNo`; :attr:`PubNo.doc_id` is the store key: country + number + kind *letter*,
so that a source that omits the kind (PATENTSCOPE, PatentsView) and one that gives it
(``A1``/``B2``) land on the same document, while an EP A1 and its B1 stay two documents.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from ipai.errors import RecordError

_SEP = re.compile(r"[\s/,._\-]+")
_BODY = re.compile(r"^(?P<prefix>[A-Z]{1,2})?(?P<digits>\d+)(?P<kind>[A-Z]\d?)?$")
_WO_SLASH = re.compile(r"(\d{2}|\d{4})\s*/\s*(\d{1,6})\s*([A-Z]\d?)?\s*$")
_TRAILING_DATE = re.compile(r"^(.+[\s_][A-Z]\d?)[\s_]+\d{8}$")  # "EP 0259054 B9 20031217"
_LOOSE = re.compile(r"^(?P<cc>[A-Z]{2})0*(?P<num>[0-9][0-9A-Z]*?)(?P<kind>[A-Z]\d?)?$")
_LOOSE_KNOWN_KIND = re.compile(r"^(?P<cc>[A-Z]{2})0*(?P<num>[0-9][0-9A-Z]*)(?P<kind>)$")
_US_FIRST_2001_GRANT = 6_167_569  # the first US utility grant of 2001 (kind B1/B2 from then)
_US_PREFIX_KIND = {"D": "S", "RE": "E", "PP": "P", "H": "H", "T": "B"}


class PubNo(BaseModel):
    """A normalised publication number."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    country: str
    number: str
    kind: str = ""

    @property
    def kind_letter(self) -> str:
        """The kind's letter, inferred by office rules when the source gave no kind."""
        if self.kind:
            return self.kind[0]
        return infer_kind_letter(self.country, self.number)

    @property
    def doc_id(self) -> str:
        """The store key, e.g. ``US8926509B``, ``EP3404678B``, ``CN114081026A``."""
        return f"{self.country}{self.number}{self.kind_letter}"

    def __str__(self) -> str:
        return f"{self.country} {self.number} {self.kind}".strip()


def infer_kind_letter(country: str, number: str) -> str:
    """Kind letter for a publication whose source gave no kind code."""
    if country == "US":
        m = re.match(r"^([A-Z]+)", number)
        if m:
            return _US_PREFIX_KIND.get(m.group(1), "A")
        if len(number) == 11 and number[:2] in ("19", "20"):
            return "A"  # pre-grant publication YYYYNNNNNNN
        try:
            return "A" if int(number) < _US_FIRST_2001_GRANT else "B"
        except ValueError:
            return "A"
    return "A"


def wo_number(digits: str) -> str:
    """WO numbers in the ``YYYYNNNNNN`` form: ``200156547`` → ``2001056547``,
    ``9838906`` → ``1998038906``, ``03006506`` → ``2003006506``."""
    n = len(digits)
    if n == 9 and digits[:2] in ("19", "20"):
        return f"{digits[:4]}0{digits[4:]}"
    if n in (7, 8):
        yy = int(digits[:2])
        return f"{1900 + yy if yy >= 78 else 2000 + yy}{digits[2:].zfill(6)}"
    return digits


def parse_pubno(raw: str, country: str | None = None, kind: str | None = None) -> PubNo:
    """Parse any common spelling of a publication number.

    ``country`` and ``kind`` are used when the raw text lacks them (USPTO XML gives them in
    separate elements). Also read: a correction date after the kind (``EP 0259054 B9
    20031217``), short WO numbers (``WO 98/38906`` → ``WO1998038906``), and numbers with letters
    inside (``IN 1442CH2015 A``, ``SG 11201502189U A``). Raises :class:`RecordError` when nothing
    number-like is found.
    """
    if raw is None or not str(raw).strip():
        raise RecordError("empty publication number")
    s = " ".join(str(raw).split()).upper()
    m = _TRAILING_DATE.match(s)
    if m:
        s = m.group(1)
    cc = (country or "").strip().upper()
    k = (kind or "").strip().upper()
    wm = _WO_SLASH.search(s) if cc in ("", "WO") else None
    if wm and (cc == "WO" or s.startswith("WO")):  # "WO 03/8444" → WO2003008444
        year = wm.group(1)
        if len(year) == 2:
            year = str((1900 if int(year) >= 78 else 2000) + int(year))
        s = f"WO {year}{wm.group(2).zfill(6)} {wm.group(3) or ''}".strip()
    compact = _SEP.sub("", s)
    if len(compact) > 2 and compact[:2].isalpha() and (not cc or compact.startswith(cc)):
        head, rest = compact[:2], compact[2:]
        # "USD435854S1" vs a bare design number "D435854": a 2-letter head followed by a body
        if _BODY.match(rest) and not (cc and head != cc):
            cc, compact = head, rest
    m = _BODY.match(compact)
    if cc and m:
        prefix = m.group("prefix") or ""
        digits = m.group("digits")
        if cc == "WO" and not prefix:
            digits = wo_number(digits)
        return PubNo(
            country=cc, number=f"{prefix}{digits.lstrip('0') or '0'}", kind=k or m.group("kind") or ""
        )
    # letters inside the number: "IN 1442CH2015 A", "SG 11201502189U A"
    if not k:
        parts = s.rsplit(None, 1)
        if len(parts) == 2 and re.fullmatch(r"[A-Z]\d?", parts[1]):
            k = parts[1]
    if k and compact.endswith(k) and len(compact) > len(k) + 3:
        compact = compact[: -len(k)]
    if cc and not compact.startswith(cc):
        compact = cc + compact
    lm = (_LOOSE_KNOWN_KIND if k else _LOOSE).match(compact)
    if not lm or (cc and lm.group("cc") != cc) or sum(c.isdigit() for c in lm.group("num")) < 4:
        raise RecordError(f"not a publication number: {raw!r}")
    return PubNo(country=lm.group("cc"), number=lm.group("num"), kind=k or lm.group("kind") or "")


def try_parse_pubno(raw: str | None, country: str | None = None, kind: str | None = None) -> PubNo | None:
    """Like :func:`parse_pubno` but ``None`` instead of an error."""
    try:
        return parse_pubno(raw or "", country, kind)
    except RecordError:
        return None


def normalize_appno(raw: str) -> str:
    """Application numbers: upper-case, separators removed (``US 09/703,574`` → ``US09703574``)."""
    return _SEP.sub("", str(raw).strip().upper())
