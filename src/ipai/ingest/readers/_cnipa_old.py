"""The older CNIPA full-text schema, ``cn-patent-document`` (ST.36 element names with ``cn-``
additions); see :mod:`ipai.ingest.readers.cnipa_xml` for what is mapped and why."""

from __future__ import annotations

import re
from typing import Any

from ipai.errors import RecordError
from ipai.ingest.messages import say
from ipai.ingest.readers import _officexml as ox
from ipai.ingest.readers._officecommon import (
    citation_fields,
    claim_fields,
    cn_appno,
    cn_heading,
    date_of,
    party,
    wo_ids,
)
from ipai.model import doc_type_for, normalize_ipc, normalize_locarno, parse_pubno
from ipai.model.party import PartyKind

_GRANTED = {"B", "C", "U", "Y", "S"}
_APPL_TYPE = {"实用新型": "utility model", "外观设计": "design", "发明专利": None}


def map_old(root: Any) -> dict[str, Any]:
    """Model fields of one ``cn-patent-document``."""
    bib = root.find("cn-bibliographic-data")
    if bib is None:
        raise RecordError(say("rec.no_number"))
    did = bib.find("cn-publication-reference/document-id")
    num = ox.ftext(did, "doc-number")
    if not num:
        raise RecordError(say("rec.no_number"))
    pubno = parse_pubno(
        num, ox.ftext(did, "country") or root.get("country") or "CN", ox.ftext(did, "kind") or None
    )
    pub_date = date_of(ox.ftext(did, "date"))
    appref = bib.find("application-reference")
    app = appref.find("document-id") if appref is not None else None
    app_no = ox.ftext(app, "doc-number")
    filing = date_of(ox.ftext(app, "date"))
    hint = _APPL_TYPE.get((appref.get("appl-type") or "").strip()) if appref is not None else None
    priorities = [
        {
            "country": ox.ftext(p, "country").upper() or None,
            "number": re.sub(r"[\s/,.\-]", "", ox.ftext(p, "doc-number")).upper(),
            "date": date_of(ox.ftext(p, "date")),
            "kind": None,
        }
        for p in bib.iterfind("priority-claims/priority-claim")
        if ox.ftext(p, "doc-number")
    ]
    pdates = [p["date"] for p in priorities if p["date"]]
    title = ox.ftext(bib, "invention-title")
    body = root.find("application-body")
    pct = ox.ftext(bib, "pct-or-regional-filing-data/document-id/doc-number")
    wo = bib.find("pct-or-regional-publishing-data/document-id")
    ids, members = wo_ids(pct, ox.ftext(wo, "country"), ox.ftext(wo, "doc-number"))
    parent = ox.ftext(bib, "cn-related-documents/division/relation/parent-doc/document-id/doc-number")
    if parent:
        ids["parent_application"] = f"CN{cn_appno(parent)}"
    return {
        "pubno": pubno,
        "doc_type": doc_type_for(pubno, hint),
        "lang": "zh",
        "application": {"country": "CN", "number": cn_appno(app_no), "date": filing} if app_no else None,
        "priorities": priorities,
        "filing_date": filing,
        "publication_date": pub_date,
        "grant_date": pub_date if pubno.kind_letter in _GRANTED else None,
        "priority_date": min(pdates) if pdates else None,
        "titles": {"zh": title} if title else {},
        "abstracts": _abstract(bib.find("abstract")),
        "claims": _claims(body.find("claims") if body is not None else None),
        "description": _description(body.find("description") if body is not None else None),
        "classifications": _classifications(bib),
        "applicants": _parties(bib.iterfind("cn-parties/cn-applicants/cn-applicant")),
        "inventors": _parties(bib.iterfind("cn-parties/cn-inventors/cn-inventor"), kind="person"),
        "agents": _agents(bib),
        "citations": [
            c for c in (citation_fields(el, "examiner") for el in bib.iter("patcit", "nplcit")) if c
        ],
        "images": _images(root),
        "family_members": members,
        "ids": ids,
    }


def _abstract(ab: Any) -> dict[str, str]:
    if ab is None:
        return {}
    paras = []
    for p in ab.iterfind("p"):
        if p.find("bio-deposit") is not None and not (p.text or "").strip():
            continue  # the deposit's accession data, not abstract text
        t = ox.block_text(p)
        if t:
            paras.append(t)
    return {"zh": "\n".join(paras)} if paras else {}


def _classifications(bib: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, el in enumerate(bib.iterfind("classifications-ipcr/classification-ipcr")):
        code = normalize_ipc(ox.ftext(el, "text"))
        if code and all(c["code"] != code for c in out):
            out.append({"scheme": "ipc", "code": code, "main": i == 0})
    for el in bib.iterfind("classification-locarno/*"):
        code = normalize_locarno(ox.text(el))
        if code and all(c["code"] != code for c in out):
            out.append({"scheme": "locarno", "code": code, "main": el.tag == "main-classification"})
    return out


def _parties(els: Any, *, kind: PartyKind | None = None) -> list[Any]:
    out: list[Any] = []
    for el in els:
        book = el.find("addressbook")
        src = book if book is not None else el
        p = party(
            ox.ftext(src, "name"),
            kind=kind,
            country=ox.ftext(src, "address/country") or None,
            address=ox.ftext(src, "address/text") or None,
        )
        if p and p not in out:
            out.append(p)
    return out


def _agents(bib: Any) -> list[Any]:
    out: list[Any] = []
    for el in bib.iterfind("cn-parties/cn-agents/cn-agent"):
        names: tuple[tuple[str, PartyKind], ...] = (
            (ox.ftext(el, "cn-agency/name"), "organisation"),
            (ox.ftext(el, "name"), "person"),
        )
        for name, kind in names:
            p = party(name, kind=kind)
            if p and p not in out:
                out.append(p)
    return out


def _claims(block: Any) -> list[dict[str, Any]]:
    if block is None:
        return []
    out: list[dict[str, Any]] = []
    for i, cl in enumerate(block.iterfind("claim"), 1):
        lines = [ox.block_text(t) for t in cl.iterfind("claim-text")] or [ox.block_text(cl)]
        marked = [r.get("idref") or "" for r in cl.iter("claim-ref")]
        out.extend(claim_fields(cl.get("num") or "", i, lines, "zh", marked))
    return out


def _description(desc: Any) -> dict[str, Any] | None:
    if desc is None:
        return None
    paras = []
    for p in desc.iter("p", "heading"):
        t = ox.block_text(p)
        if t:
            num = p.get("num") or None
            paras.append({"text": t, "num": num, "heading": p.tag == "heading" or cn_heading(t)})
    return {"lang": "zh", "paragraphs": paras} if paras else None


def _images(root: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for img in root.iter("img"):
        f = img.get("file")
        if not f or f in seen:
            continue
        seen.add(f)
        anc = {a.tag for a in img.iterancestors()}
        kind = "abstract" if "cn-abstract-drawing" in anc else "drawing" if "drawings" in anc else "image"
        out.append({"file": f, "kind": kind, "id": img.get("id") or None})
    return out
