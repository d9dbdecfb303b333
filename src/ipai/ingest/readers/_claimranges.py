"""Claims the office lists as cancelled: alone (``21. (Cancelled)``) or as a range
(``num="01-18"``, ``1.-18. (canceled)``), which becomes each claim of the range, marked cancelled."""

from __future__ import annotations

import re
from typing import Any

_LEAD_NUM = re.compile(r"^\s*\d{1,3}\s*[.)]\s*")
_NUM_RANGE = re.compile(r"^\s*0*(\d{1,4})\s*[-–~～至到]\s*0*(\d{1,4})\s*$")
_TEXT_RANGE = re.compile(
    r"^\s*(\d{1,3})\s*[.．]?\s*(?:[-–~～至到]|to|through)\s*(\d{1,3})\s*[.．、:：)]?\s*", re.I
)
_CANCELLED = re.compile(
    r"^[(\[（【]?\s*(?:cancel+ed|deleted|删除|已删除|取消|削除)\s*[)\]）】]?\s*[.。]?\s*$", re.I
)


def is_cancelled(text: str) -> bool:
    """True for a claim text that only says the claim is cancelled (``(Cancelled)``, ``deleted``)."""
    return bool(_CANCELLED.match(text))


def cancelled_range(num_attr: str | None, text: str) -> tuple[int, int, str] | None:
    """(first, last, wording) of claims cancelled together (``num="01-18"`` or ``1-18. (Cancelled)``),
    else ``None``."""
    rng = _NUM_RANGE.match(num_attr or "")
    lead = _TEXT_RANGE.match(text)
    m = rng or lead
    if m is None:
        return None
    lo, hi = int(m.group(1)), int(m.group(2))
    rest = text[lead.end() :].strip() if lead else _LEAD_NUM.sub("", text, count=1).strip()
    if lo < hi <= lo + 500 and (not rest or is_cancelled(rest)):
        return lo, hi, rest or "(cancelled)"
    return None


def cancelled_claims(lo: int, hi: int, text: str, lang: str = "en") -> list[dict[str, Any]]:
    """Claims ``lo``…``hi`` marked cancelled (as model fields)."""
    return [
        {"num": k, "text": text, "lang": lang, "independent": True, "depends_on": [], "cancelled": True}
        for k in range(lo, hi + 1)
    ]
