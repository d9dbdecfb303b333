"""A deal's history as events a reader can follow: the offer, each move of its status (from → to),
each signed version with the terms it changed (from → to), each milestone and payment; who did it
and when, and whether the deposited record still verifies against the evidence log.

Events come from the audit records the deal's use cases write (``op`` deal_offer, deal_move,
deal_amend, deal_milestone, deal_payment) and from the deposited records themselves (versions,
milestones, payments): a record is shown even when its audit record is gone. Values stay codes and
numbers; pages write them in the reader's language.
"""

from __future__ import annotations

import json
from typing import Any

# agreement fields compared between signed versions, in the order a reader looks at them
TERMS = (
    "patents",
    "parties",
    "exclusivity",
    "territory",
    "field_of_use",
    "royalty_rate",
    "lump_sum",
    "currency",
    "secured_amount",
    "start_date",
    "end_date",
    "note",
)
OPS = {
    "deal_offer": "offer",
    "deal_move": "move",
    "deal_amend": "amend",
    "deal_milestone": "milestone",
    "deal_payment": "payment",
}


def changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, Any]]:
    """The terms that differ between two agreements: ``{field, from, to}`` (``from`` is None for a
    first version: every term it sets)."""
    out = []
    for f in TERMS:
        old, new = (before or {}).get(f), after.get(f)
        if old != new and not (old in (None, "", []) and new in (None, "", [])):
            out.append({"field": f, "from": old if before is not None else None, "to": new})
    return out


def timeline(
    deal: dict[str, Any], audit: list[dict[str, Any]], verification: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """The events of ``deal`` (as :meth:`ipai.service.Service.deals.deal` returns it), oldest first.
    ``audit`` holds audit records (any; those of other deals are ignored), ``verification`` the
    result of verifying the deal (each record's ``ok`` by kind and seq)."""
    checked = {(v["kind"], v["seq"]): v["ok"] for v in (verification or {}).get("records", [])}
    records = {}
    for r in deal.get("versions", []) + deal.get("records", []):
        try:
            data = json.loads(r["data"])
        except (TypeError, ValueError):
            data = {}
        records[int(r["evidence_index"])] = (r, data)
    events: list[dict[str, Any]] = []
    used: set[int] = set()
    for a in sorted(audit, key=lambda a: (a.get("at") or "", a.get("id") or 0)):
        d = a.get("detail") or {}
        op = OPS.get(str(d.get("op")))
        if op is None or d.get("deal_id") != deal["id"]:
            continue
        to = d.get("to") or (d.get("status") if op == "offer" else None)
        ev = _event(op, a.get("at"), a.get("user"), d.get("from"), to)
        idx = d.get("evidence_index")
        if idx is not None and int(idx) in records:
            used.add(int(idx))
            _attach(ev, *records[int(idx)], checked)
        events.append(ev)
    for idx, (r, data) in records.items():  # deposited records the audit does not (or no longer) name
        if idx not in used:
            ev = _event(r["kind"], r.get("created_at"), data.get("by"))
            _attach(ev, r, data, checked)
            events.append(ev)
    events.sort(key=lambda e: str(e.get("at") or ""))
    previous: dict[str, Any] | None = None
    for ev in events:  # what each signed version changed against the one before
        if "agreement" in ev:
            ev["changes"] = changes(previous, ev["agreement"])
            previous = ev["agreement"]
    return events


def _event(event: str, at: Any, by: Any, from_: Any = None, to: Any = None) -> dict[str, Any]:
    """An event with every key a page reads (those a deposited record fills stay None or empty)."""
    return {
        "event": event,
        "at": at,
        "by": by,
        "from": from_,
        "to": to,
        "kind": None,
        "seq": None,
        "evidence_index": None,
        "verified": None,
        "changes": [],
        "record": None,
        "signed_date": None,
    }


def _attach(ev: dict[str, Any], r: dict[str, Any], data: dict[str, Any], checked: dict[Any, bool]) -> None:
    """Put a deposited record's content on its event: the agreement of a version, the fields of a
    milestone or payment, its evidence entry and whether it verifies."""
    ev.update(
        kind=r["kind"],
        seq=r["seq"],
        evidence_index=r["evidence_index"],
        verified=checked.get((r["kind"], r["seq"])),
    )
    ev["by"] = ev.get("by") or data.get("by")
    if r["kind"] == "version":
        ev["agreement"] = data.get("agreement") or {}
        ev["signed_date"] = data.get("signed_date")
    else:
        fields = ("title", "due_date", "done_date", "amount", "currency", "payer", "note")
        ev["record"] = {k: data.get(k) for k in fields if data.get(k) not in (None, "")}
