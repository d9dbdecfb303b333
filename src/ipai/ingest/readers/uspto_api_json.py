"""USPTO application data API responses (JSON): Open Data Portal (``patentBag``, with or without
``applicationMetaData``) and the older PEDS search (``queryResults…docs``).

Each application becomes a record of the publication it is stored under — the grant when the
application is patented (``patentNumber``), else its earliest pre-grant publication
(``US 2017-0071586 A1``) — with the other one as a family member. Prosecution history enters as
legal events of that publication (country US): every transaction (``caseActionCode`` /
``code``, recorded date, description), the current status (code ``STATUS``), the patent term
adjustment in days (code ``PTA``: a term extension). Bibliographic fields where the response gives
them: title, filing date, applicants, inventors, CPC, foreign priorities. An application with
neither a patent nor a publication number (an unpublished one, or a partial response: only
transactions, only continuity) is rejected by name: there is no publication to attach it to.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import partial
from typing import Any

from ipai.errors import RecordError
from ipai.ingest.base import Item, Reader, Source
from ipai.ingest.limits import RecordTooLarge, read_capped
from ipai.ingest.messages import say
from ipai.ingest.readers._officecommon import date_of, merge_events, office_pubno, party
from ipai.ingest.readers._officexml import mapped_items
from ipai.model import doc_type_for, normalize_ipc

_ODP_KEYS = (
    b'"applicationNumberText"',
    b'"transactionContentBag"',
    b'"earliestPublicationNumber"',
    b'"patentTermAdjustmentData"',
    b'"continuityBag"',
    b'"foreignPriorityBag"',
    b'"recordAttorney"',
    b'"assignmentBag"',
    b'"applicationMetaData"',
    b'"eventDataBag"',
)


class UsptoApiJson(Reader):
    """USPTO ODP / PEDS application JSON: prosecution events as legal events of the publication."""

    name = "uspto-api-json"
    description = (
        "USPTO application API JSON (Open Data Portal patentBag, PEDS docs): biblio, "
        "transactions as legal events, status, term adjustment"
    )
    priority = 45

    def sniff(self, source: Source) -> int:
        """85 for an ODP ``patentBag`` or a PEDS ``queryResults`` response."""
        head = source.head()
        if head.lstrip()[:1] not in (b"{", b"["):
            return 0
        if b'"patentBag"' in head and any(k in head for k in _ODP_KEYS):
            return 85
        return 85 if b'"queryResults"' in head and b'"applId"' in head else 0

    def read(self, source: Source) -> Iterator[Item]:
        """One item per application of the response."""
        try:
            with source.open() as fh:
                data = json.loads(read_capped(fh, source.max_record))
        except RecordTooLarge as exc:
            yield Item("file", error=str(exc))
            return
        except (ValueError, UnicodeDecodeError) as exc:
            yield Item("file", error=say("rec.unreadable_json", detail=exc))
            return
        for n, app in enumerate(_applications(data), 1):
            label = str(app.get("applicationNumberText") or app.get("applId") or "") or None
            yield from mapped_items(n, partial(_app_fields, app), partial(_app_label, label))


def _app_fields(a: dict[str, Any]) -> list[dict[str, Any]]:
    """The model fields of one application: ODP (``applicationNumberText``) or PEDS (``applId``)."""
    return [_odp(a) if "applId" not in a else _peds(a)]


def _app_label(label: str | None) -> str | None:
    return f"application {label}" if label else None


def _applications(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, dict) and "queryResults" in data:
        return list(data["queryResults"].get("searchResponse", {}).get("response", {}).get("docs", []))
    bag = (
        data.get("patentBag") or data.get("patentFileWrapperDataBag") or []
        if isinstance(data, dict)
        else data
    )
    out = []
    for app in bag if isinstance(bag, list) else []:
        if isinstance(app, dict):
            meta = app.get("applicationMetaData")
            out.append({**app, **meta} if isinstance(meta, dict) else app)
    return out


def _publication(patent: str | None, early: str | None, label: str) -> tuple[Any, list[str]]:
    """(the publication to store under, the other one as a family member)."""
    grant = (
        office_pubno(re.sub(r"\D", "", patent) if patent and patent[:1].isdigit() else patent, "US", None)
        if patent
        else None
    )
    pre = None
    if early:
        try:
            pre = office_pubno(
                early.replace("-", ""), "US" if not early.upper().startswith("US") else None, None
            )
        except RecordError:
            pre = None
    main = grant or pre
    if main is None:
        en, zh = (
            (f"USPTO application {label}", f"美国专利申请 {label} ")
            if label
            else ("USPTO application data without an application number", "无申请号的美国专利申请数据")
        )
        raise RecordError(say("rec.no_document", what=en, what_zh=zh))
    return main, [p.doc_id for p in (grant, pre) if p is not None and p is not main]


def _odp(a: dict[str, Any]) -> dict[str, Any]:
    label = str(a.get("applicationNumberText") or "")
    pubno, members = _publication(a.get("patentNumber"), a.get("earliestPublicationNumber"), label)
    events = [
        {
            "date": date_of(t.get("recordedDate") or t.get("eventDate")),
            "code": str(t.get("caseActionCode") or t.get("eventCode") or "").strip(),
            "description": t.get("caseActionDescriptionText") or t.get("eventDescriptionText"),
            "country": "US",
        }
        for t in (a.get("transactionContentBag") or a.get("eventDataBag") or [])
        if (t.get("caseActionCode") or t.get("eventCode"))
    ]
    status = a.get("applicationStatusDescriptionText")
    if status:
        events.append(
            {
                "date": date_of(a.get("applicationStatusDate")),
                "code": "STATUS",
                "description": " ".join(str(status).split()),
                "country": "US",
            }
        )
    pta = (a.get("patentTermAdjustmentData") or {}).get("adjustmentTotalQuantity")
    if pta is not None:
        events.append(
            {
                "date": date_of((a.get("patentTermAdjustmentData") or {}).get("grantDate")),
                "code": "PTA",
                "description": f"patent term adjustment: {int(pta)} days",
                "country": "US",
            }
        )
    app_no = a.get("applicationNumberText")
    filing = date_of(a.get("filingDate"))
    title = " ".join(str(a.get("inventionTitle") or "").split())
    inventors = [
        party(
            i.get("inventorNameText") or f"{i.get('lastName', '')}, {i.get('firstName', '')}".strip(", "),
            kind="person",
            last=i.get("lastName"),
            first=i.get("firstName"),
            country=_addr(i, "countryCode"),
            city=_addr(i, "cityName"),
        )
        for i in a.get("inventorBag") or []
    ]
    applicants = [
        party(
            x.get("applicantNameText") or x.get("applicant") or "",
            country=_addr(x, "countryCode"),
            city=_addr(x, "cityName"),
        )
        for x in a.get("applicantBag") or []
    ]
    prios = [
        {
            "country": None,
            "number": re.sub(r"[\s/,.\-]", "", str(p.get("priorityNumberText") or "")),
            "date": date_of(p.get("filingDate")),
        }
        for p in a.get("foreignPriorityBag") or []
        if p.get("priorityNumberText")
    ]
    return {
        "pubno": pubno,
        "doc_type": doc_type_for(pubno),
        "application": {"country": "US", "number": str(app_no), "date": filing} if app_no else None,
        "filing_date": filing,
        "priorities": prios,
        "publication_date": date_of(a.get("grantDate"))
        if pubno.kind_letter == "B"
        else date_of(a.get("earliestPublicationDate")),
        "grant_date": date_of(a.get("grantDate")) if pubno.kind_letter == "B" else None,
        "titles": {"en": title} if title else {},
        "applicants": [p for p in applicants if p],
        "inventors": [p for p in inventors if p],
        "classifications": [
            {"scheme": "cpc", "code": c, "main": i == 0}
            for i, c in enumerate(
                dict.fromkeys(filter(None, map(normalize_ipc, a.get("cpcClassificationBag") or [])))
            )
        ],
        "legal_events": merge_events(events),
        "family_members": members,
    }


def _addr(x: dict[str, Any], key: str) -> str | None:
    bag = x.get("correspondenceAddressBag") or []
    return next((str(b[key]) for b in bag if isinstance(b, dict) and b.get(key)), None)


def _peds(d: dict[str, Any]) -> dict[str, Any]:
    label = str(d.get("applId") or "")
    pubno, members = _publication(d.get("patentNumber"), d.get("appEarlyPubNumber"), label)
    events = [
        {
            "date": date_of(str(t.get("recordDate") or "")[:10]),
            "code": str(t.get("code") or "").strip(),
            "description": t.get("description"),
            "country": "US",
        }
        for t in d.get("transactions") or []
        if t.get("code")
    ]
    if d.get("appStatus"):
        events.append(
            {
                "date": date_of(str(d.get("appStatusDate") or "")[:10]),
                "code": "STATUS",
                "description": d["appStatus"],
                "country": "US",
            }
        )
    if d.get("totalPtoDays") not in (None, ""):
        events.append(
            {
                "date": date_of(str(d.get("patentIssueDate") or "")[:10]),
                "code": "PTA",
                "description": f"patent term adjustment: {int(float(d['totalPtoDays']))} days",
                "country": "US",
            }
        )
    filing = date_of(str(d.get("appFilingDate") or "")[:10])
    issue = date_of(str(d.get("patentIssueDate") or "")[:10])
    title = " ".join(str(d.get("patentTitle") or "").split())
    inventors = [
        party(
            f"{i.get('nameLineOne', '')}, {i.get('nameLineTwo', '')}".strip(", "),
            kind="person",
            last=i.get("nameLineOne"),
            first=i.get("nameLineTwo"),
            country=str(i.get("country") or "").strip("() ") or None,
            city=str(i.get("city") or "").strip(" ,") or None,
        )
        for i in d.get("inventors") or []
    ]
    return {
        "pubno": pubno,
        "doc_type": doc_type_for(pubno),
        "application": {"country": "US", "number": str(d.get("applId")), "date": filing}
        if d.get("applId")
        else None,
        "filing_date": filing,
        "publication_date": issue
        if pubno.kind_letter == "B"
        else date_of(str(d.get("appEarlyPubDate") or "")[:10]),
        "grant_date": issue if pubno.kind_letter == "B" else None,
        "titles": {"en": title} if title else {},
        "inventors": [p for p in inventors if p],
        "legal_events": merge_events(events),
        "family_members": members,
    }
