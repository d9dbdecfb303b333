"""Legal events in EPO OPS responses: INPADOC legal status (``ops:legal`` in a family member) and
the European Patent Register (``reg:register-document``).

INPADOC ``ops:legal``: the event code (``code``, blanks trimmed: ``PG25``, ``17P``), its
description (``desc``), the gazette date (``L007EP``) and the details the record carries
(``L5xxEP`` elements with their ``desc``: ref country, effective date, free text, designated
states…). The event's country is the state it applies to (``L501EP`` ref country code: a lapse
in CH) else the office (``L001EP``).

Register: every publication of the register document (``reg:publication-reference``, A1 and B1)
gets the dossier events (``reg:dossier-event``: code, date, description), procedural steps
(``reg:procedural-step``), EP patent statuses (``reg:ep-patent-status``, code ``STATUS-<n>``) and
lapses in contracting states (``reg:lapsed-in-country``, code ``LAPSE``).
"""

from __future__ import annotations

import re
from typing import Any

from ipai.ingest.readers import _officexml as ox
from ipai.ingest.readers._officecommon import date_of, merge_events, office_pubno, party
from ipai.model.party import PartyKind


def inpadoc_events(member: Any) -> list[dict[str, Any]]:
    """The ``ops:legal`` events of one family member as model legal events."""
    out: list[dict[str, Any]] = []
    for lg in member:
        if ox.local(lg) != "legal":
            continue
        code = (lg.get("code") or ox.ftext(lg, "L008EP")).strip()
        if not code:
            continue
        fields = {ox.local(c): c for c in lg}
        details = []
        ref_cc = ""
        block = fields.get("L500EP")
        for c in block if block is not None else []:
            val = ox.text(c)
            if not val:
                continue
            if ox.local(c) == "L501EP":
                ref_cc = val
            label = c.get("desc") or ox.local(c)
            extra = f" ({c.get('descData')})" if c.get("descData") else ""
            details.append(f"{label}: {val}{extra}")
        desc = " ".join((lg.get("desc") or "").split())
        text = "; ".join([desc] + details) if desc else "; ".join(details)
        date = date_of(ox.text(fields["L007EP"])) if "L007EP" in fields else None
        country = ref_cc or (ox.text(fields["L001EP"]) if "L001EP" in fields else "") or None
        out.append({"date": date, "code": code, "description": text or None, "country": country})
    return merge_events(out)


_QUERY_PUB = re.compile(r"^\s*(?:publication|pn)\s*=\s*\"?([A-Z]{2})\s*(\d{5,})\s*([A-Z]\d?)?\"?\s*$", re.I)


def register_records(doc: Any, query: str = "") -> list[dict[str, Any]]:
    """One record per publication of an EP Register document, each with the dossier's events; an
    events-only answer (no bibliographic data) belongs to the publication its query names
    (``publication=EP2400812``)."""
    bib = ox.find(doc, "bibliographic-data")
    pubs = []
    for ref in ox.findall(bib, "publication-reference"):
        d = _parts(ox.find(ref, "document-id"))
        if d.get("doc-number"):
            pubs.append(d)
    m = _QUERY_PUB.match(query or "")
    if not pubs and m:
        pubs.append(
            {"country": m.group(1).upper(), "doc-number": m.group(2), "kind": (m.group(3) or "").upper()}
        )
    if not pubs:
        return []
    app = _parts(ox.find(bib, "application-reference/document-id"))
    application = (
        {"country": app.get("country") or "EP", "number": app["doc-number"], "date": date_of(app.get("date"))}
        if app.get("doc-number")
        else None
    )
    prios = []
    for p in ox.findall(bib, "priority-claims/priority-claim"):
        d = {ox.local(c): ox.text(c) for c in p if not len(c)}
        if d.get("doc-number"):
            prios.append(
                {
                    "country": d.get("country") or None,
                    "number": d["doc-number"],
                    "date": date_of(d.get("date")),
                }
            )
    titles: dict[str, str] = {}
    for t in ox.findall(bib, "invention-title"):
        titles.setdefault((ox.attr(t, "lang") or "en").lower(), ox.text(t))
    events = _register_events(doc, bib)
    base = {
        "application": application,
        "priorities": prios,
        "filing_date": application["date"] if application else None,
        "titles": {k: v for k, v in titles.items() if v},
        "applicants": _latest_parties(bib, "applicants", "applicant"),
        "inventors": _latest_parties(bib, "inventors", "inventor", kind="person"),
        "agents": _latest_parties(bib, "agents", "agent"),
        "legal_events": events,
    }
    out = []
    for d in pubs:
        pubno = office_pubno(d["doc-number"], d.get("country") or "EP", d.get("kind") or None)
        date = date_of(d.get("date"))
        grant = date if pubno.kind_letter == "B" else None
        out.append(base | {"pubno": pubno, "publication_date": date, "grant_date": grant})
    return out


def _parts(el: Any) -> dict[str, str]:
    return {ox.local(c): ox.text(c) for c in el} if el is not None else {}


def _latest_parties(bib: Any, group: str, tag: str, *, kind: PartyKind | None = None) -> list[Any]:
    """The parties of the group with the latest ``change-date`` (the register keeps history)."""
    groups = ox.findall(bib, f"parties/{group}")
    if not groups:
        return []
    latest = max(groups, key=lambda g: ox.attr(g, "change-date"))
    out = []
    for el in ox.findall(latest, tag):
        book = ox.find(el, "addressbook")
        name = ox.ftext(book, "name")
        last, first = ox.ftext(book, "last-name"), ox.ftext(book, "first-name")
        if not name and last:
            name = f"{last}, {first}" if first else last
        p = party(
            name,
            kind=kind,
            country=ox.ftext(book, "address/country") or None,
            last=last or None,
            first=first or None,
        )
        if p and p not in out:
            out.append(p)
    return out


def _register_events(doc: Any, bib: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for ev in ox.findall(doc, "events-data/dossier-event"):
        texts = ox.findall(ev, "event-text")
        desc = next(
            (ox.text(t) for t in texts if ox.attr(t, "event-text-type") == "DESCRIPTION"),
            ox.text(texts[0]) if texts else "",
        )
        code = ox.ftext(ev, "event-code")
        if code:
            out.append(
                {
                    "date": date_of(ox.ftext(ev, "event-date/date")),
                    "code": code,
                    "description": desc or None,
                    "country": "EP",
                }
            )
    for st in ox.findall(doc, "procedural-data/procedural-step"):
        code = ox.ftext(st, "procedural-step-code")
        if not code:
            continue
        texts = [ox.text(t) for t in ox.findall(st, "procedural-step-text") if ox.text(t)]
        date = next((date_of(ox.text(d)) for d in st.iter() if ox.local(d) == "date" and ox.text(d)), None)
        out.append({"date": date, "code": code, "description": "; ".join(texts) or None, "country": "EP"})
    for st in ox.findall(doc, "ep-patent-statuses/ep-patent-status"):
        code = ox.attr(st, "status-code")
        if code:
            out.append(
                {
                    "date": date_of(ox.attr(st, "change-date")),
                    "code": f"STATUS-{code}",
                    "description": ox.text(st) or None,
                    "country": "EP",
                }
            )
    seen = set()
    for lap in ox.findall(bib, "term-of-grant/lapsed-in-country"):
        cc, date = ox.ftext(lap, "country"), date_of(ox.ftext(lap, "date"))
        if cc and (cc, date) not in seen:
            seen.add((cc, date))
            out.append(
                {"date": date, "code": "LAPSE", "description": "lapsed in a contracting state", "country": cc}
            )
    return merge_events(out)
