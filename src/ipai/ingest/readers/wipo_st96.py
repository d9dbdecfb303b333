"""WIPO ST.96 patent publications (``pat:PatentPublication``, ST.96 V4–V7 ``pat:``/``com:``).

Mapping: ``PatentPublicationIdentification`` (office, number, kind, date);
``ApplicationIdentification`` and ``PriorityClaimBag``; ``IPCRClassificationBag`` and
``CPCClassificationBag`` (split symbols, main by ``SymbolPositionCode`` F or ``MainCPC``) and
national classes; ``InventionTitleBag`` per ``languageCode``; ``PartyBag``: applicants,
inventors, assignees and registered practitioners (agents), persons from their structured names;
``ReferenceCitationBag`` (patent and NPL citations with ``citingPartyCategory``);
``RelatedDocumentBag`` (the related publication as a family member, the parent of a division);
description paragraphs (``P`` with ``pNumber``) and headings in document order; claims with
``ClaimReference`` dependencies; abstract; drawing page images.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ipai.errors import RecordError
from ipai.ingest.base import Item, Reader, Source
from ipai.ingest.messages import say
from ipai.ingest.readers import _officexml as ox
from ipai.ingest.readers._officecommon import (
    citation_fields,
    claim_fields,
    date_of,
    office_pubno,
    party,
    split_ipc,
)
from ipai.model import doc_type_for, normalize_ipc
from ipai.model.party import PartyKind

_START = ox.record_pattern("PatentPublication")
_LABEL = re.compile(rb"PublicationNumber>\s*([^<\s]+)\s*<")
_CITED_BY = {
    "applicant": "applicant",
    "examiner": "examiner",
    "third party": "third-party",
    "third-party": "third-party",
    "opponent": "opponent",
}


class WipoSt96(Reader):
    """WIPO ST.96 ``PatentPublication`` XML."""

    name = "wipo-st96"
    description = "WIPO ST.96 patent publication XML (pat:PatentPublication)"
    priority = 100

    def sniff(self, source: Source) -> int:
        """100 for a ``PatentPublication`` in the ST.96 patent namespace."""
        head = source.head()
        return 100 if b"XMLSchema/ST96/Patent" in head and _START.search(head) else 0

    def read(self, source: Source) -> Iterator[Item]:
        """One item per publication."""
        yield from ox.record_items(
            source,
            _START,
            lambda r: [map_publication(r)],
            lambda d: m.group(1).decode() if (m := _LABEL.search(d, 0, 1 << 16)) else None,
        )


def map_publication(root: Any) -> dict[str, Any]:
    """Model fields of one ST.96 ``PatentPublication``."""
    bib = ox.find(root, "BibliographicData")
    pid = ox.find(bib, "PatentPublicationIdentification")
    num = ox.ftext(pid, "PublicationNumber")
    if not num:
        raise RecordError(say("rec.no_number"))
    pubno = office_pubno(
        num,
        ox.ftext(pid, "IPOfficeCode") or ox.ftext(root, "IPOfficeCode") or None,
        ox.ftext(pid, "PatentDocumentKindCode") or None,
    )
    pub_date = date_of(ox.ftext(pid, "PublicationDate"))
    app = ox.find(bib, "ApplicationIdentification")
    app_no = ox.ftext(app, "ApplicationNumber/ApplicationNumberText")
    filing = date_of(ox.ftext(app, "FilingDate"))
    prios = []
    for p in ox.findall(bib, "PriorityClaimBag/PriorityClaim"):
        n = ox.ftext(p, "ApplicationNumber/ApplicationNumberText")
        if n:
            prios.append(
                {
                    "country": ox.ftext(p, "IPOfficeCode") or None,
                    "number": re.sub(r"[\s/,.\-]", "", n).upper(),
                    "date": date_of(ox.ftext(p, "FilingDate")),
                }
            )
    pdates = [p["date"] for p in prios if p["date"]]
    lang = (ox.attr(root, "languageCode") or "en").lower()
    category = ox.ftext(app, "InventionSubjectMatterCategory")
    grant = pubno.kind_letter == "B" or (pubno.country == "US" and pubno.kind_letter in ("S", "P", "E"))
    members, ids = _related(bib, pubno.doc_id)
    return {
        "pubno": pubno,
        "doc_type": doc_type_for(pubno, category if category.lower() in ("design", "plant") else None),
        "lang": lang,
        "application": {
            "country": ox.ftext(app, "IPOfficeCode") or pubno.country,
            "number": app_no,
            "date": filing,
        }
        if app_no
        else None,
        "priorities": prios,
        "filing_date": filing,
        "publication_date": pub_date,
        "grant_date": pub_date if grant else None,
        "priority_date": min(pdates) if pdates else None,
        "titles": _titles(bib, lang),
        "abstracts": _abstract(ox.find(root, "Abstract"), lang),
        "claims": _claims(ox.find(root, "Claims"), lang),
        "description": _description(ox.find(root, "Description"), lang),
        "classifications": _classifications(bib),
        "applicants": _parties(ox.findall(bib, "PartyBag/ApplicantBag/Applicant")),
        "inventors": _parties(ox.findall(bib, "PartyBag/InventorBag/Inventor"), kind="person"),
        "assignees": _parties(ox.findall(bib, "PartyBag/AssigneeBag/Assignee")),
        "agents": _parties(ox.findall(bib, "PartyBag/RegisteredPractitionerBag/RegisteredPractitioner")),
        "citations": _citations(bib),
        "images": _images(root),
        "family_members": members,
        "ids": ids,
    }


def _titles(bib: Any, lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for t in ox.findall(bib, "InventionTitleBag/InventionTitle"):
        lg = (ox.attr(t, "languageCode") or lang).lower()
        if ox.text(t):
            out.setdefault(lg, ox.text(t))
    return out


def _classifications(bib: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def add(scheme: str, code: str | None, main: bool) -> None:
        if code and all((c["scheme"], c["code"]) != (scheme, code) for c in out):
            out.append({"scheme": scheme, "code": code, "main": main})

    for i, c in enumerate(
        ox.findall(bib, "PatentClassificationBag/IPCRClassificationBag/IPCRClassification")
    ):
        code = split_ipc(
            ox.ftext(c, "Section"),
            ox.ftext(c, "Class"),
            ox.ftext(c, "Subclass"),
            ox.ftext(c, "MainGroup"),
            ox.ftext(c, "Subgroup"),
        ) or normalize_ipc(ox.ftext(c, "PatentClassificationText"))
        pos = ox.ftext(c, "SymbolPositionCode")
        add("ipc", code, pos == "F" if pos else i == 0)
    for part in ("MainCPC", "FurtherCPC"):
        for c in ox.findall(bib, f"PatentClassificationBag/CPCClassificationBag/{part}/CPCClassification"):
            code = split_ipc(
                ox.ftext(c, "CPCSection") or ox.ftext(c, "Section"),
                ox.ftext(c, "Class"),
                ox.ftext(c, "Subclass"),
                ox.ftext(c, "MainGroup"),
                ox.ftext(c, "Subgroup"),
            )
            add("cpc", code, part == "MainCPC")
    for n in ox.findall(bib, "PatentClassificationBag/NationalClassification"):
        for el in n.iter():
            if ox.local(el) == "PatentClassificationText" and ox.text(el):
                add(
                    "uspc" if ox.ftext(n, "IPOfficeCode") == "US" else "national",
                    ox.text(el),
                    any(ox.local(a) == "MainNationalClassification" for a in el.iterancestors()),
                )
    return out


def _name(el: Any) -> tuple[str, PartyKind | None, str | None, str | None]:
    """(display name, kind, last name, first name) of an ST.96 contact."""
    entity = (
        ox.ftext(el, "Name/EntityName")
        or ox.ftext(el, "PublicationContact/Name/EntityName")
        or ox.ftext(el, "Contact/Name/EntityName")
    )
    if entity:
        return entity, "organisation", None, None
    sn = next((x for x in el.iter() if ox.local(x) == "PersonStructuredName"), None)
    if sn is not None:
        first = " ".join(x for x in (ox.ftext(sn, "FirstName"), ox.ftext(sn, "MiddleName")) if x)
        last = " ".join(x for x in (ox.ftext(sn, "LastName"), ox.ftext(sn, "NameSuffix")) if x)
        return (
            (f"{last}, {first}" if last and first else last or first),
            "person",
            last or None,
            first or None,
        )
    full = next((ox.text(x) for x in el.iter() if ox.local(x) in ("PersonFullName", "FreeFormatName")), "")
    return full, None, None, None


def _parties(els: list[Any], *, kind: PartyKind | None = None) -> list[Any]:
    out: list[Any] = []
    for el in els:
        name, k, last, first = _name(el)
        cc = next(
            (ox.text(x) for x in el.iter() if ox.local(x) in ("CountryCode", "ResidenceCountryCode")), None
        )
        city = next((ox.text(x) for x in el.iter() if ox.local(x) == "CityName"), None)
        p = party(name, kind=kind or k, country=cc, city=city, last=last, first=first)
        if p and p not in out:
            out.append(p)
    return out


def _related(bib: Any, own: str) -> tuple[list[str], dict[str, str]]:
    members: list[str] = []
    ids: dict[str, str] = {}
    for rp in ox.findall(bib, "RelatedDocumentBag/RelatedPublication"):
        pid = next((x for x in rp.iter() if ox.local(x) == "PatentPublicationIdentification"), None)
        num = ox.ftext(pid, "PublicationNumber")
        if num:
            try:
                pn = office_pubno(
                    num,
                    ox.ftext(pid, "IPOfficeCode") or None,
                    ox.ftext(pid, "PatentDocumentKindCode") or None,
                )
            except RecordError:
                continue
            if pn.doc_id != own and pn.doc_id not in members:
                members.append(pn.doc_id)
    parent = ox.find(
        bib,
        "RelatedDocumentBag/Division/ParentDocument/PatentDocumentIdentification/ApplicationIdentification",
    )
    if parent is not None and ox.ftext(parent, "ApplicationNumber/ApplicationNumberText"):
        ids["parent_application"] = ox.ftext(parent, "IPOfficeCode") + ox.ftext(
            parent, "ApplicationNumber/ApplicationNumberText"
        )
    pct = next((x for x in bib.iter() if ox.local(x) == "PCTDocumentParent"), None)
    if pct is not None and ox.ftext(pct, "ApplicationIdentification/ApplicationNumber/ApplicationNumberText"):
        ids["pct_application"] = ox.ftext(
            pct, "ApplicationIdentification/ApplicationNumber/ApplicationNumberText"
        )
    return members, ids


def _citations(bib: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for rc in ox.findall(bib, "ReferenceCitationBag/ReferenceCitation"):
        by = _CITED_BY.get(ox.attr(rc, "citingPartyCategory").lower(), "unknown")
        for c in rc:
            f = citation_fields(c, by)
            if f:
                out.append(f)
    return out


def _abstract(ab: Any, lang: str) -> dict[str, str]:
    if ab is None:
        return {}
    t = "\n".join(x for x in (ox.text(p) for p in ox.findall(ab, "P")) if x) or ox.text(ab)
    return {(ox.attr(ab, "languageCode") or lang).lower(): t} if t else {}


def _claims(block: Any, lang: str) -> list[dict[str, Any]]:
    if block is None:
        return []
    out: list[dict[str, Any]] = []
    for i, cl in enumerate(ox.findall(block, "Claim"), 1):
        lines = [ox.text(t) for t in ox.findall(cl, "ClaimText")]
        refs = [ox.attr(r, "idrefs") for r in cl.iter() if ox.local(r) == "ClaimReference"]
        out.extend(
            claim_fields(ox.ftext(cl, "ClaimNumber"), i, lines, lang, [r.split()[0] for r in refs if r])
        )
    return out


def _description(desc: Any, lang: str) -> dict[str, Any] | None:
    if desc is None:
        return None
    paras: list[dict[str, Any]] = []

    def walk(el: Any) -> None:
        for child in el:
            name = ox.local(child)
            if name == "P":
                t = ox.text(child)
                if t:
                    paras.append({"text": t, "num": ox.attr(child, "pNumber") or None, "heading": False})
            elif name == "Heading":
                t = ox.text(child)
                if t:
                    paras.append({"text": t, "heading": True})
            elif isinstance(child.tag, str) and len(child):
                walk(child)

    walk(desc)
    return {"lang": (ox.attr(desc, "languageCode") or lang).lower(), "paragraphs": paras} if paras else None


def _images(root: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for img in ox.findall(root, "Drawings/PageImage") + ox.findall(root, "Drawings/Figure/Image"):
        f = ox.ftext(img, "FileName")
        if f and all(x["file"] != f for x in out):
            out.append({"file": f, "kind": "drawing", "id": ox.attr(img, "id") or None})
    return out
