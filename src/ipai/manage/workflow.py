"""The disclosure state machine and the validation of disclosure fields.

``submitted → reviewing → file | trade_secret | publish | dropped``; ``file → filed →
examination → granted → lapsed``; a filing or an examination can be ``abandoned``. Any other
move is a :class:`~ipai.errors.Conflict` naming the allowed ones.
"""

from __future__ import annotations

from typing import Any

from ipai.manage.deadlines import check_jurisdiction, parse_date
from ipai.text.inputs import check_transition as transition
from ipai.text.inputs import field_error as err
from ipai.text.inputs import split_items

STATES = (
    "submitted",
    "reviewing",
    "file",
    "trade_secret",
    "publish",
    "dropped",
    "filed",
    "examination",
    "granted",
    "abandoned",
    "lapsed",
)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "submitted": ("reviewing", "dropped"),
    "reviewing": ("file", "trade_secret", "publish", "dropped"),
    "file": ("filed", "dropped"),
    "filed": ("examination", "granted", "abandoned"),
    "examination": ("granted", "abandoned"),
    "granted": ("lapsed",),
}
DECISIONS = ("file", "trade_secret", "publish", "dropped")


def check_transition(current: str, target: str) -> None:
    """Raise unless ``current → target`` is allowed (unknown states are input errors)."""
    transition("a disclosure", current, target, STATES, TRANSITIONS)


def clean_disclosure(values: dict[str, Any]) -> dict[str, Any]:
    """A new disclosure's fields: title, text and at least one inventor are required; the
    target jurisdiction and first-filing date are checked when given."""
    out: dict[str, Any] = {}
    for f in ("title", "text"):
        v = str(values.get(f) or "").strip()
        if not v:
            raise err(f, "required")
        out[f] = v
    if len(out["title"]) > 500 or len(out["text"]) > 100_000:
        raise err(
            "text" if len(out["text"]) > 100_000 else "title", "too long (title 500, text 100,000 characters)"
        )
    inventors = split_items(values.get("inventors"))
    if not inventors:
        raise err("inventors", "at least one inventor is required")
    out["inventors"] = inventors
    out["applicant"] = str(values.get("applicant") or "").strip() or None
    out["product_line"] = str(values.get("product_line") or "").strip() or None
    if values.get("jurisdiction"):
        out["jurisdiction"] = check_jurisdiction(values["jurisdiction"])
    if values.get("priority_date"):
        out["priority_date"] = parse_date(values["priority_date"], "priority_date").isoformat()
    return out


def clean_filing(d: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Fields a move to ``filed`` needs: jurisdiction, filing date (not before the priority
    date), application number, and an applicant (the disclosure's or given now)."""
    out: dict[str, Any] = {}
    out["jurisdiction"] = check_jurisdiction(values.get("jurisdiction") or d.get("jurisdiction"))
    if not values.get("filing_date"):
        raise err("filing_date", "required to file")
    filing = parse_date(values["filing_date"], "filing_date")
    out["filing_date"] = filing.isoformat()
    prio = values.get("priority_date") or d.get("priority_date")
    if prio:
        p = parse_date(prio, "priority_date")
        if p > filing:
            raise err("priority_date", "after the filing date")
        out["priority_date"] = p.isoformat()
    applicant = str(values.get("applicant") or d.get("applicant") or "").strip()
    if not applicant:
        raise err("applicant", "an applicant is required to file")
    out["applicant"] = applicant
    out["application_number"] = str(values.get("application_number") or "").strip() or None
    return out
