"""CNIPA full-text XML (中国专利全文 XML): the current SIPO schema and the older ST.36-style one.

* **Current** (SIPO XMLSchema V2.x): root ``business:PatentDocumentAndRelated`` with the
  ``base:`` (``http://www.sipo.gov.cn/XMLSchema/base``) and ``business:`` namespaces. Each
  reference comes twice, ``dataFormat="original"`` (``201510481495.9``) and ``"standard"``
  (``102015000481495``): the original wins, the standard fills in. Parties are
  ``ApplicantDetails/Applicant``, ``InventorDetails/Inventor`` and ``AgentDetails/Agent`` (the
  agency and its agents) with ``base:AddressBook`` (``Name`` / ``OrganizationName`` and an
  ``Address`` whose unused parts hold ``0``). Text: ``business:Abstract``, ``business:Description``
  (sections ``TechnicalField``, ``BackgroundArt``, ``Disclosure``, ``DrawingsDescription``,
  ``InventionMode``… whose unnumbered first paragraph is the heading), ``business:Claims``
  (``Claim num`` with one ``ClaimText`` per line), ``business:Drawings`` and ``AbstractFigure``.
* **Older** (``cn-patent-document``): ``cn-bibliographic-data`` with ST.36 elements
  (``cn-publication-reference``, ``application-reference``, ``priority-claims``,
  ``classifications-ipcr``, ``cn-parties``, ``pct-or-regional-filing-data``…) and
  ``application-body`` (``description/p``, ``claims/claim/claim-text`` broken into lines by
  ``<br/>``, ``drawings/figure/img``).

Mapping common to both: application numbers without the check digit (``201510481495.9`` →
``201510481495``, as Lens and CNIPA search write them); Chinese names as written, agency codes
(``北京银龙知识产权代理有限公司 11243``) dropped from the name; addresses with the postcode
dropped, the city from the address parts; claims in Chinese with their dependencies from the
office's ``ClaimRef`` markup when present, else the wording (``根据权利要求1至4任一项所述的``);
PCT application and WO publication as ``ids`` (the WO publication is also a family member); a
division's parent application as ``ids["parent_application"]``. A grant, utility model or design
publication (kind B, C, U, Y, S) is published on its grant date. Cited documents, where a
publication lists them, become citations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from ipai.errors import RecordError
from ipai.ingest.base import Item, Reader, Source
from ipai.ingest.messages import say
from ipai.ingest.readers import _officexml as ox
from ipai.ingest.readers._cnipa_old import map_old
from ipai.ingest.readers._officecommon import (
    citation_fields,
    claim_fields,
    cn_appno,
    cn_heading,
    date_of,
    party,
    split_ipc,
    wo_ids,
)
from ipai.model import doc_type_for, normalize_ipc, normalize_locarno, parse_pubno
from ipai.model.party import PartyKind

_ROOTS = ("PatentDocumentAndRelated", "cn-patent-document")
_START = ox.record_pattern(*_ROOTS)
_LABEL = re.compile(rb'docNumber="(\d+)"[^>]*?kind="([A-Z]\d?)"|<doc-number>\s*(\d{6,})')
_SECTIONS = {
    "TechnicalField",
    "BackgroundArt",
    "Disclosure",
    "DrawingsDescription",
    "InventionMode",
    "TechnicalProblem",
    "TechnicalSolution",
    "AdvantageousEffects",
    "ReferenceSignsList",
    "SequenceListText",
    "CitationList",
    "IndustrialApplicability",
}
_GRANTED = {"B", "C", "U", "Y", "S"}
_LOCARNO = etree.XPath(".//*[contains(local-name(), 'Locarno')]")


class CnipaXml(Reader):
    """CNIPA full-text XML, current ``business:PatentDocumentAndRelated`` and older ``cn-patent-document``."""

    name = "cnipa-xml"
    description = (
        "CNIPA full-text XML (business:PatentDocumentAndRelated, SIPO schema V2.x; older "
        "cn-patent-document): Chinese biblio, claims, description"
    )
    priority = 100

    def sniff(self, source: Source) -> int:
        """100 when the head holds either root element (in the SIPO namespace for the current one)."""
        head = source.head()
        if b"PatentDocumentAndRelated" in head and b"sipo.gov.cn" in head:
            return 100
        return 100 if b"<cn-patent-document" in head else 0

    def read(self, source: Source) -> Iterator[Item]:
        """One item per document (a file usually holds one; concatenated files are cut apart)."""
        yield from ox.record_items(source, _START, _map, _label)


def _label(data: bytes) -> str | None:
    m = _LABEL.search(data, 0, 1 << 16)
    if not m:
        return None
    parts = (m.group(1), m.group(2)) if m.group(1) else (m.group(3),)
    return "CN" + "".join(p.decode("ascii", "replace") for p in parts)


def _map(root: Any) -> Iterator[dict[str, Any]]:
    tag = ox.local(root)
    if tag == "cn-patent-document":
        yield map_old(root)
    elif tag == "PatentDocumentAndRelated":
        yield map_current(root)
    else:
        raise RecordError(say("xml.root", format="CNIPA XML", tag=tag))


# ---- the current schema -------------------------------------------------------------------
def _ref(parent: Any, name: str) -> tuple[Any, Any]:
    """The ``original`` and ``standard`` versions of a repeated reference (either may be missing)."""
    orig = std = None
    for el in ox.findall(parent, name):
        fmt = ox.attr(el, "dataFormat")
        if fmt == "standard":
            std = std if std is not None else el
        else:
            orig = orig if orig is not None else el
    return orig, std


def _did(el: Any) -> dict[str, str]:
    """``base:DocumentID`` (or the element itself) as a dict of its parts."""
    if el is None:
        return {}
    did = ox.find(el, "DocumentID")
    did = did if did is not None else el
    return {ox.local(c): ox.text(c) for c in did}


def map_current(root: Any) -> dict[str, Any]:
    """Model fields of one ``business:PatentDocumentAndRelated`` document."""
    bib = ox.find(root, "BibliographicData")
    if bib is None:
        raise RecordError(say("rec.no_number"))
    orig, std = _ref(bib, "PublicationReference")
    pub = _did(orig) or _did(std)
    num = pub.get("DocNumber") or ox.attr(root, "docNumber")
    if not num:
        raise RecordError(say("rec.no_number"))
    kind = pub.get("Kind") or ox.attr(root, "kind")
    pubno = parse_pubno(num, pub.get("WIPOST3Code") or ox.attr(root, "country") or "CN", kind)
    pub_date = date_of(pub.get("Date") or ox.attr(root, "datePublication"))
    a_orig, a_std = _ref(bib, "ApplicationReference")
    app = _did(a_orig) or _did(a_std)
    filing = date_of(app.get("Date"))
    appl_type = ox.attr(a_orig if a_orig is not None else a_std, "applType")
    priorities = _priorities(bib)
    pdates = [p["date"] for p in priorities if p["date"]]
    title = ox.ftext(bib, "InventionTitle")
    abstract = ox.find(root, "Abstract")
    ab_text = "\n".join(t for t in (ox.text(p) for p in ox.findall(abstract, "Paragraphs")) if t)
    ids, members = _related(bib)
    return {
        "pubno": pubno,
        "doc_type": doc_type_for(pubno, {"20": "utility model", "30": "design"}.get(appl_type)),
        "lang": (ox.attr(root, "lang") or "zh").lower(),
        "application": {"country": "CN", "number": cn_appno(app.get("DocNumber", "")), "date": filing}
        if app.get("DocNumber")
        else None,
        "priorities": priorities,
        "filing_date": filing,
        "publication_date": pub_date,
        "grant_date": pub_date if pubno.kind_letter in _GRANTED else None,
        "priority_date": min(pdates) if pdates else None,
        "titles": {"zh": title} if title else {},
        "abstracts": {"zh": ab_text} if ab_text else {},
        "claims": _claims(ox.find(root, "Claims")),
        "description": _description(ox.find(root, "Description")),
        "classifications": _classifications(bib),
        "applicants": _parties(bib, "Parties/ApplicantDetails/Applicant"),
        "inventors": _parties(bib, "Parties/InventorDetails/Inventor", kind="person"),
        "agents": _agents(bib),
        "citations": _citations(bib),
        "images": _images(root),
        "family_members": members,
        "ids": ids,
    }


def _priorities(bib: Any) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for el in ox.findall(bib, "PriorityDetails/Priority"):
        d = {ox.local(c): ox.text(c) for c in el}
        seq = ox.attr(el, "sequence") or str(len(seen))
        if not d.get("DocNumber") or (seq in seen and ox.attr(el, "dataFormat") == "standard"):
            continue
        seen[seq] = {
            "country": (d.get("WIPOST3Code") or "").upper() or None,
            "number": re.sub(r"[\s/,.\-]", "", d["DocNumber"]).upper(),
            "date": date_of(d.get("Date")),
            "kind": None,
        }
    return list(seen.values())


def _classifications(bib: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, el in enumerate(ox.findall(bib, "ClassificationIPCRDetails/ClassificationIPCR")):
        parts = {ox.local(c): ox.text(c) for c in el}
        code = split_ipc(
            parts.get("Section"),
            parts.get("MainClass"),
            parts.get("Subclass"),
            parts.get("MainGroup"),
            parts.get("Subgroup"),
        ) or normalize_ipc(parts.get("Text"))
        if code and all(c["code"] != code for c in out):
            out.append({"scheme": "ipc", "code": code, "main": i == 0})
    for el in _LOCARNO(bib):
        if not len(el):
            code = normalize_locarno(ox.text(el))
            if code and all(c["code"] != code for c in out):
                out.append(
                    {
                        "scheme": "locarno",
                        "code": code,
                        "main": not any(c["scheme"] == "locarno" for c in out),
                    }
                )
    return out


def _address(book: Any) -> tuple[str | None, str | None, str | None]:
    """(country, city, address) of a ``base:AddressBook``; parts holding ``0`` are unused."""
    adr = ox.find(book, "Address")
    if adr is None:
        return None, None, None
    parts = {ox.local(c): ox.text(c) for c in adr}
    parts = {k: v for k, v in parts.items() if v and v != "0"}
    city = parts.get("City") or parts.get("AddressCity")
    return parts.get("WIPOST3Code"), city, parts.get("Text")


def _parties(bib: Any, path: str, *, kind: PartyKind | None = None) -> list[Any]:
    out: list[Any] = []
    for el in ox.findall(bib, path):
        book = ox.find(el, "AddressBook")
        name = ox.ftext(book, "Name") or ox.ftext(book, "OrganizationName")
        cc, city, adr = _address(book)
        p = party(name, kind=kind, country=cc, city=city, address=adr)
        if p and p not in out:
            out.append(p)
    return out


def _agents(bib: Any) -> list[Any]:
    out: list[Any] = []
    for el in ox.findall(bib, "Parties/AgentDetails/Agent"):
        names: tuple[tuple[str, PartyKind], ...] = (
            (
                ox.ftext(el, "Agency/AddressBook/OrganizationName")
                or ox.ftext(el, "Agency/AddressBook/Name"),
                "organisation",
            ),
            (ox.ftext(el, "AddressBook/Name"), "person"),
        )
        for name, kind in names:
            p = party(name, kind=kind)
            if p and p not in out:
                out.append(p)
    return out


def _related(bib: Any) -> tuple[dict[str, str], list[str]]:
    ids: dict[str, str] = {}
    parent = _did(ox.find(bib, "RelatedDocuments/Division/DocumentsRelation/ParentDocument"))
    if parent.get("DocNumber"):
        ids["parent_application"] = f"{parent.get('WIPOST3Code') or 'CN'}{cn_appno(parent['DocNumber'])}"
    pct = _did(ox.find(bib, "PCTOrRegionalApplicationData"))
    wo = _did(ox.find(bib, "PCTOrRegionalPublishingData"))
    more, members = wo_ids(pct.get("DocNumber"), wo.get("WIPOST3Code"), wo.get("DocNumber"))
    return ids | more, members


def _citations(bib: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for el in bib.iter("{*}PatentCitation", "{*}NPLCitation", "{*}patcit", "{*}nplcit"):
        c = citation_fields(el, "examiner")
        if c:
            out.append(c)
    return out


# ---- text parts ---------------------------------------------------------------------------
def _claims(block: Any) -> list[dict[str, Any]]:
    if block is None:
        return []
    lang = (ox.attr(block, "lang") or "zh").lower()
    out = []
    for i, cl in enumerate(ox.findall(block, "Claim"), 1):
        lines = [ox.text(t) for t in ox.findall(cl, "ClaimText")] or [ox.text(cl)]
        marked = [ox.attr(r, "idref") or ox.attr(r, "idrefs") for r in cl.iter() if ox.local(r) == "ClaimRef"]
        c = claim_fields(ox.attr(cl, "num"), i, lines, lang, marked)
        out.extend(c)
    return out


def _description(desc: Any) -> dict[str, Any] | None:
    if desc is None:
        return None
    paras: list[dict[str, Any]] = []

    def walk(el: Any, section: bool) -> None:
        first = True
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            name = tag[tag.rfind("}") + 1 :]
            if name == "Paragraphs":
                t = ox.text(child)
                if t:
                    num = ox.attr(child, "num")
                    heading = (section and first and not num) or cn_heading(t)
                    paras.append(
                        {"text": t, "num": num.lstrip("n") or None if num else None, "heading": heading}
                    )
                first = False
            elif name in _SECTIONS:
                walk(child, True)
                first = False

    walk(desc, False)
    lang = (ox.attr(desc, "lang") or "zh").lower()
    return {"lang": lang, "paragraphs": paras} if paras else None


def _images(root: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for img in root.iter("{*}Image"):
        f = ox.attr(img, "file")
        if not f or f in seen:
            continue
        seen.add(f)
        anc = {ox.local(a) for a in img.iterancestors()}
        kind = "abstract" if "AbstractFigure" in anc else "drawing" if "Drawings" in anc else "image"
        fig = img.getparent()
        out.append({"file": f, "kind": kind, "id": ox.attr(fig, "num") or None})
    return out
