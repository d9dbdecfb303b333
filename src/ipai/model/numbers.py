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


def parse_pubno(raw: str, country: str | None = None, kind: str | None = None) -> PubNo:
    """Parse any common spelling of a publication number.

    ``country`` and ``kind`` are used when the raw text lacks them (USPTO XML gives them in
    separate elements). Raises :class:`RecordError` when nothing number-like is found.
    """
    if raw is None or not str(raw).strip():
        raise RecordError("empty publication number")
    s = str(raw).strip().upper()
    cc = (country or "").strip().upper()
    compact = _SEP.sub("", s)
    if len(compact) > 2 and compact[:2].isalpha() and (not cc or compact.startswith(cc)):
        head = compact[:2]
        rest = compact[2:]
        # "USD435854S1" vs a bare design number "D435854": a 2-letter head followed by a body
        if _BODY.match(rest) and not (cc and head != cc):
            cc, compact = head, rest
    m = _BODY.match(compact)
    if not cc or not m:
        raise RecordError(f"not a publication number: {raw!r}")
    prefix = m.group("prefix") or ""
    digits = m.group("digits").lstrip("0") or "0"
    k = (kind or m.group("kind") or "").strip().upper()
    return PubNo(country=cc, number=f"{prefix}{digits}", kind=k)


def try_parse_pubno(raw: str | None, country: str | None = None, kind: str | None = None) -> PubNo | None:
    """Like :func:`parse_pubno` but ``None`` instead of an error."""
    try:
        return parse_pubno(raw or "", country, kind)
    except RecordError:
        return None


def normalize_appno(raw: str) -> str:
    """Application numbers: upper-case, separators removed (``US 09/703,574`` → ``US09703574``)."""
    return _SEP.sub("", str(raw).strip().upper())
