"""Validation of a deal's agreement data, its milestones and payments, and the status workflow.

``offered → negotiating → signed → active → completed``; any state before ``completed`` may
move to ``terminated``. Any other move is a :class:`~ipai.errors.Conflict` naming the allowed ones.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ipai.text.inputs import check_transition as transition
from ipai.text.inputs import field_error as err
from ipai.text.inputs import iso_date, split_items

KINDS = ("licence", "transfer", "pledge")
ROLES: dict[str, tuple[str, str]] = {
    "licence": ("licensor", "licensee"),
    "transfer": ("assignor", "assignee"),
    "pledge": ("pledgor", "pledgee"),
}
EXCLUSIVITY = ("exclusive", "sole", "non-exclusive")
# territory codes: the offices ipai knows, the usual ISO 3166 countries of licensing deals, and WORLD
TERRITORIES = (
    "WORLD",
    "CN",
    "HK",
    "MO",
    "TW",
    "US",
    "CA",
    "MX",
    "BR",
    "EP",
    "DE",
    "FR",
    "GB",
    "IT",
    "ES",
    "NL",
    "SE",
    "CH",
    "JP",
    "KR",
    "IN",
    "SG",
    "AU",
    "RU",
    "IL",
)
CURRENCIES = ("CNY", "USD", "EUR", "JPY", "KRW", "GBP", "HKD", "CHF")
STATES = ("offered", "negotiating", "signed", "active", "completed", "terminated")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "offered": ("negotiating", "signed", "terminated"),
    "negotiating": ("signed", "terminated"),
    "signed": ("active", "terminated"),
    "active": ("completed", "terminated"),
}
RECORD_KINDS = ("milestone", "payment")
_PATENT = re.compile(r"^[A-Za-z0-9.:/ -]{2,60}$")


def parse_date(value: Any, field: str) -> str:
    """An ISO date (YYYY-MM-DD) as text, or an InputError naming ``field``."""
    return iso_date(value, field).isoformat()


def _amount(value: Any, field: str, *, most: float | None = None) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise err(field, f"{value!r} is not a number") from None
    if not math.isfinite(x) or x < 0 or (most is not None and x > most):
        raise err(field, f"must be 0–{most:g}" if most is not None else "must not be negative")
    return x


def _currency(value: Any, field: str = "currency") -> str:
    code = str(value or "").strip().upper()
    if code not in CURRENCIES:
        raise err(field, f"unknown currency {value!r}; known: {', '.join(CURRENCIES)}")
    return code


def check_territory(value: Any) -> list[str]:
    """Territory codes upper-cased and de-duplicated; an unknown one is an InputError."""
    codes = [c.upper() for c in split_items(value)]
    if not codes:
        raise err("territory", "at least one jurisdiction code is required")
    for c in codes:
        if c not in TERRITORIES:
            raise err("territory", f"unknown jurisdiction {c!r}; known: {', '.join(TERRITORIES)}")
    return list(dict.fromkeys(codes))


def clean_agreement(values: dict[str, Any]) -> dict[str, Any]:
    """The agreement data of an offer: kind, patents, both parties of its kind, territory, terms
    (exclusivity for a licence), money and dates. Every problem is an InputError naming the field."""
    kind = str(values.get("kind") or "").strip().lower()
    if kind not in KINDS:
        raise err("kind", f"must be one of {', '.join(KINDS)}")
    patents = split_items(values.get("patents"))
    if not patents:
        raise err("patents", "at least one patent is required")
    for p in patents:
        if not _PATENT.match(p):
            raise err("patents", f"{p!r} is not a patent number")
    parties_in = values.get("parties") or {}
    if not isinstance(parties_in, dict):
        raise err("parties", "a mapping of role to party name")
    roles = ROLES[kind]
    for role in parties_in:
        if role not in roles:
            raise err(f"parties.{role}", f"not a role of a {kind}; roles: {', '.join(roles)}")
    parties = {}
    for role in roles:
        name = str(parties_in.get(role) or "").strip()
        if not name:
            raise err(f"parties.{role}", f"the {role} is required for a {kind}")
        parties[role] = name[:500]
    out: dict[str, Any] = {
        "kind": kind,
        "patents": list(dict.fromkeys(patents)),
        "parties": parties,
        "territory": check_territory(values.get("territory") or "WORLD"),
    }
    if kind == "licence":
        ex = str(values.get("exclusivity") or "").strip().lower()
        if ex not in EXCLUSIVITY:
            raise err("exclusivity", f"a licence must be one of {', '.join(EXCLUSIVITY)}")
        out["exclusivity"] = ex
    elif values.get("exclusivity"):
        raise err("exclusivity", f"only a licence has exclusivity, not a {kind}")
    out["field_of_use"] = str(values.get("field_of_use") or "").strip()[:2000] or None
    out["royalty_rate"] = (
        _amount(values["royalty_rate"], "royalty_rate", most=100)
        if values.get("royalty_rate") not in (None, "")
        else None
    )
    out["lump_sum"] = (
        _amount(values["lump_sum"], "lump_sum") if values.get("lump_sum") not in (None, "") else None
    )
    if out["royalty_rate"] is not None or out["lump_sum"] is not None or values.get("currency"):
        out["currency"] = _currency(values.get("currency"))
    else:
        out["currency"] = None
    if kind == "pledge" and values.get("secured_amount") not in (None, ""):
        out["secured_amount"] = _amount(values["secured_amount"], "secured_amount")
    out["start_date"] = parse_date(values["start_date"], "start_date") if values.get("start_date") else None
    out["end_date"] = parse_date(values["end_date"], "end_date") if values.get("end_date") else None
    if out["start_date"] and out["end_date"] and out["end_date"] < out["start_date"]:
        raise err("end_date", "before the start date")
    out["note"] = str(values.get("note") or "").strip()[:5000] or None
    return out


def clean_record(values: dict[str, Any], agreement: dict[str, Any]) -> dict[str, Any]:
    """A milestone (title and due or done date) or a payment (amount, currency, date)."""
    kind = str(values.get("kind") or "milestone").strip().lower()
    if kind not in RECORD_KINDS:
        raise err("kind", f"must be one of {', '.join(RECORD_KINDS)}")
    out: dict[str, Any] = {"kind": kind, "title": str(values.get("title") or "").strip()[:500] or None}
    for f in ("due_date", "done_date"):
        out[f] = parse_date(values[f], f) if values.get(f) else None
    if not out["due_date"] and not out["done_date"]:
        raise err("due_date", "a due_date or a done_date is required")
    if kind == "milestone":
        if not out["title"]:
            raise err("title", "required for a milestone")
    else:
        if values.get("amount") in (None, ""):
            raise err("amount", "required for a payment")
        out["amount"] = _amount(values["amount"], "amount")
        out["currency"] = _currency(values.get("currency") or agreement.get("currency"))
        out["payer"] = str(values.get("payer") or "").strip()[:500] or None
    out["note"] = str(values.get("note") or "").strip()[:2000] or None
    return out


def check_transition(current: str, target: str) -> None:
    """Raise unless ``current → target`` is allowed (an unknown state is an input error)."""
    transition("a deal", current, target, STATES, TRANSITIONS)
