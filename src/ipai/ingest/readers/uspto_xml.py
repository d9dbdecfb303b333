"""USPTO full-text XML v4.0–v4.5: ``us-patent-grant`` and ``us-patent-application`` (2005–).

One reader for grants (utility, design, plant, reissue) and pre-grant publications in the
ST.36-style DTDs ``us-patent-grant-v40``…``v45`` and ``us-patent-application-v40``…``v46``.
Weekly bulk files concatenate thousands of documents; each is split off on its ``<?xml``
declaration and parsed on its own, so memory stays flat and one broken document is one
error item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ipai.errors import RecordError
from ipai.ingest.base import Item, Reader, Source
from ipai.ingest.readers.uspto_common import (
    build,
    citation_npl,
    citation_patent,
    cited_by,
    country,
    dedupe,
    dedupe_codes,
    docref,
    fclean,
    ftext,
    image,
    marked_claims,
    organisation,
    person,
    xml_items,
)
from ipai.model import (
    PatentDocument,
    doc_type_for,
    normalize_ipc,
    normalize_locarno,
    parse_date,
    parse_pubno,
    try_parse_pubno,
)

_NUMBER = re.compile(rb"<doc-number>\s*([^<\s]+)")
_BIBLIO = {
    "us-patent-grant": "us-bibliographic-data-grant",
    "us-patent-application": "us-bibliographic-data-application",
}
_DESC_CONTAINERS = {
    "description-of-drawings",
    "description-of-embodiments",
    "summary-of-invention",
    "background-art",
    "technical-field",
    "disclosure",
    "mode-for-invention",
    "citation-list",
    "industrial-applicability",
    "reference-signs-list",
    "tech-problem",
    "tech-solution",
    "advantageous-effects",
}


class UsptoXml(Reader):
    """USPTO ``us-patent-grant`` / ``us-patent-application`` XML v4.x (also design grants)."""

    name = "uspto-xml"
    description = "USPTO full-text XML v4.0–v4.5 grants and applications (2005–), incl. designs"
    priority = 100

    def sniff(self, source: Source) -> int:
        head = source.head()
        return 100 if b"<us-patent-grant" in head or b"<us-patent-application" in head else 0

    def read(self, source: Source) -> Iterator[Item]:
        yield from xml_items(source, map_document, _NUMBER)


def map_document(root: Any, source: Source) -> PatentDocument:
    """Map one parsed v4 document into a :class:`PatentDocument`."""
    tag = root.tag
    if tag not in _BIBLIO:
        raise RecordError(f"not a USPTO v4 grant or application: <{tag}>")
    grant = tag == "us-patent-grant"
    bib = root.find(_BIBLIO[tag])
    if bib is None:
        raise RecordError(f"<{tag}> without bibliographic data")
    pid = bib.find("publication-reference/document-id")
    if pid is None:
        raise RecordError("no publication-reference")
    pubno = parse_pubno(
        fclean(pid.findtext("doc-number")),
        fclean(pid.findtext("country")) or "US",
        fclean(pid.findtext("kind")) or None,
    )
    pub_date = parse_date(fclean(pid.findtext("date")) or root.get("date-publ"))

    appref = bib.find("application-reference")
    application = _docref(appref.find("document-id")) if appref is not None else None
    if grant:
        appl_type = appref.get("appl-type") if appref is not None else None
        hint = appl_type if appl_type in ("design", "plant", "reissue") else "patent"
    else:
        hint = "application"
    priorities = _priorities(bib)
    filing = application["date"] if application else None
    pdates = [p["date"] for p in priorities if p["date"]]
    inventors, applicants, agents = _parties(bib)
    title = ftext(bib.find("invention-title"))
    abstract = _abstract(root.find("abstract"))
    return build(
        {
            "pubno": pubno,
            "doc_type": doc_type_for(pubno, hint),
            "lang": "en",
            "application": application,
            "priorities": priorities,
            "filing_date": filing,
            "publication_date": pub_date,
            "grant_date": pub_date if grant else None,
            "priority_date": min(pdates) if pdates else filing,
            "titles": {"en": title} if title else {},
            "abstracts": {"en": abstract} if abstract else {},
            "claims": _claims(root.find("claims")),
            "description": _description(root.find("description")),
            "classifications": _classifications(bib),
            "applicants": applicants,
            "assignees": dedupe([_assignee(a) for a in bib.iterfind("assignees/assignee")]),
            "inventors": inventors,
            "agents": agents,
            "citations": _citations(bib),
            "images": [
                image(img.get("file"), img.get("id"))
                for img in root.iterfind("drawings/figure/img")
                if img.get("file")
            ],
            "family_members": _related_publications(bib, pubno.doc_id),
            "term_extension_days": _term_extension(bib),
        }
    )


def _term_extension(bib: Any) -> int | None:
    """Days of patent term adjustment printed on the grant (``us-term-of-grant/us-term-extension``)."""
    days = fclean(bib.findtext("us-term-of-grant/us-term-extension"))
    return int(days) if days and days.isdigit() and int(days) > 0 else None


# ---- bibliographic parts ---------------------------------------------------------------
def _docref(did: Any) -> dict[str, Any] | None:
    if did is None:
        return None
    f = {el.tag: el.text for el in did}
    num = fclean(f.get("doc-number"))
    if not num:
        return None
    kind = fclean(f.get("kind"))
    return docref(
        country(f.get("country")),
        num,
        parse_date(fclean(f.get("date"))),
        kind if kind and kind != "00" else None,
    )


def _priorities(bib: Any) -> list[dict[str, Any]]:
    refs = [_docref(pc) for pc in bib.iterfind("priority-claims/priority-claim")]
    refs += [_docref(d) for d in bib.iterfind("us-related-documents/us-provisional-application/document-id")]
    return [r for r in refs if r]


def _related_publications(bib: Any, own: str) -> list[str]:
    """The application's own earlier publication(s) (``related-publication``, e.g. the A1 of a
    grant): members of the same family."""
    out = []
    for did in bib.iterfind("us-related-documents/related-publication/document-id"):
        f = {el.tag: el.text for el in did}
        pub = try_parse_pubno(
            fclean(f.get("doc-number")), country(f.get("country")) or "US", fclean(f.get("kind")) or None
        )
        if pub and pub.doc_id != own and pub.doc_id not in out:
            out.append(pub.doc_id)
    return out


def _classifications(bib: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for c in bib.iterfind("classifications-ipcr/classification-ipcr"):
        code, first = _split_symbol(c)
        if code:
            out.append({"scheme": "ipc", "code": code, "main": first})
    ipc = bib.find("classification-ipc")
    if ipc is not None:
        for el in ipc:
            if el.tag in ("main-classification", "further-classification"):
                code = normalize_ipc(el.text)
                if code:
                    out.append({"scheme": "ipc", "code": code, "main": el.tag == "main-classification"})
    cpc = bib.find("classifications-cpc")
    if cpc is not None:
        for c in cpc.iterfind("main-cpc/classification-cpc"):
            code, _ = _split_symbol(c)
            if code:
                out.append({"scheme": "cpc", "code": code, "main": True})
        further = cpc.find("further-cpc")
        if further is not None:
            for c in further.iter("classification-cpc"):
                code, _ = _split_symbol(c)
                if code:
                    out.append({"scheme": "cpc", "code": code, "main": False})
    loc = bib.find("classification-locarno")
    if loc is not None:
        code = normalize_locarno(loc.findtext("main-classification"))
        if code:
            out.append({"scheme": "locarno", "code": code, "main": True})
    nat = bib.find("classification-national")
    if nat is not None:
        for el in nat:
            if el.tag in ("main-classification", "further-classification") and el.text and el.text.strip():
                out.append(
                    {"scheme": "uspc", "code": el.text.strip(), "main": el.tag == "main-classification"}
                )
    return dedupe_codes(out)


def _split_symbol(c: Any) -> tuple[str | None, bool]:
    """ST.8-style split symbol (section/class/subclass/main-group/subgroup) → ``A61B5/0205``,
    and whether it is in first position."""
    f = {el.tag: el.text for el in c}
    sec, cls, sub = f.get("section"), f.get("class"), f.get("subclass")
    if not (sec and cls and sub):
        return None, False
    raw = f"{sec.strip()}{cls.strip()}{sub.strip()}"
    main = (f.get("main-group") or "").strip()
    if main:
        raw += f"{main}/{(f.get('subgroup') or '00').strip()}"
    return normalize_ipc(raw), f.get("symbol-position") == "F"


def _addressbook_party(ab: Any) -> Any:
    if ab is None:
        return None
    f = {el.tag: el for el in ab}
    adr = f.get("address")
    cc = city = None
    if adr is not None:
        cc = country(adr.findtext("country"))
        city = fclean(adr.findtext("city")) or None
    org = ftext(f.get("orgname"))
    if org:
        return organisation(org, country_code=cc, city=city)
    first = " ".join(x for x in (ftext(f.get("first-name")), ftext(f.get("middle-name"))) if x)
    last = " ".join(x for x in (ftext(f.get("last-name")), ftext(f.get("suffix"))) if x)
    return person(last, first, country_code=cc, city=city) if (last or first) else None


def _parties(bib: Any) -> tuple[list[Any], list[Any], list[Any]]:
    """Inventors, applicants and agents from ``us-parties`` (v4.3+) or ``parties`` (v4.0–4.2).

    Before 2012 the inventors were the applicants (``app-type="applicant-inventor"``); the
    ``inventors`` list then only names inventors who are not applicants (a deceased inventor's),
    so the inventors are both together.
    """
    parties = bib.find("us-parties")
    if parties is None:
        parties = bib.find("parties")
    if parties is None:
        return [], [], []
    applicants: list[Any] = []
    app_inventors: list[Any] = []
    inventors: list[Any] = []
    agents: list[Any] = []
    for grp in parties:
        if grp.tag in ("us-applicants", "applicants"):
            for a in grp:
                p = _addressbook_party(a.find("addressbook"))
                if p:
                    applicants.append(p)
                    if "inventor" in (a.get("app-type") or ""):
                        app_inventors.append(p)
        elif grp.tag == "inventors":
            inventors.extend(_addressbook_party(i.find("addressbook")) for i in grp)
        elif grp.tag == "agents":
            agents.extend(_addressbook_party(a.find("addressbook")) for a in grp)
    return dedupe(app_inventors + inventors), dedupe(applicants), dedupe(agents)


def _assignee(a: Any) -> Any:
    ab = a.find("addressbook")
    if ab is not None:
        return _addressbook_party(ab)
    org = fclean(a.findtext("orgname"))  # v4.0 applications: <assignee><orgname>… directly
    if org:
        return organisation(org, country_code=country(a.findtext("address/country")))
    last = fclean(a.findtext("last-name"))
    return person(last, fclean(a.findtext("first-name"))) if last else None


_CIT_TAGS = ("patcit", "nplcit", "category", "country", "doc-number", "kind", "name", "date")


def _citations(bib: Any) -> list[dict[str, Any]]:
    """Cited patents and literature with who cited them.

    One flat pass over the few relevant tags (a ``country`` after ``category`` belongs to the
    citation's own classification and is skipped): cheaper than a lookup per citation.
    """
    refs = bib.find("us-references-cited")
    if refs is None:
        refs = bib.find("references-cited")
    if refs is None:
        return []
    rows: list[list[Any]] = []  # [kind, fields or text, cited_by]
    cur: dict[str, str] | None = None
    for el in refs.iter(_CIT_TAGS):
        tag = el.tag
        if tag == "patcit":
            cur = {}
            rows.append(["patent", cur, None])
        elif tag == "nplcit":
            cur = None
            rows.append(["npl", ftext(el), None])
        elif tag == "category":
            cur = None
            if rows:
                rows[-1][2] = cited_by(el.text)
        elif cur is not None and tag not in cur:
            cur[tag] = el.text
    out = []
    for kind, f, by in rows:
        if kind == "npl":
            if f:
                out.append(citation_npl(f, by))
            continue
        num = fclean(f.get("doc-number"))
        if num:
            out.append(
                citation_patent(
                    num, f.get("country") or "US", f.get("kind"), f.get("date"), f.get("name"), by
                )
            )
    return out


# ---- text parts ------------------------------------------------------------------------
def _abstract(ab: Any) -> str:
    if ab is None:
        return ""
    paras = [t for t in (ftext(p) for p in ab.iterfind("p")) if t]
    return "\n".join(paras) if paras else ftext(ab)


def _description(desc: Any) -> dict[str, Any] | None:
    if desc is None:
        return None
    paras: list[dict[str, Any]] = []
    _walk_description(desc, paras)
    return {"lang": "en", "paragraphs": paras} if paras else None


def _walk_description(el: Any, out: list[dict[str, Any]]) -> None:
    """Headings and paragraphs in document order; section wrappers are descended into and any
    other block (a table or formula outside ``<p>``) becomes an unnumbered paragraph."""
    for child in el:
        tag = child.tag
        if tag == "p":
            text = ftext(child)
            if text:
                num = child.get("num")
                if (child.get("id") or "").startswith("h-"):  # a sub-heading set as <p id="h-0007">
                    out.append({"text": text, "heading": True})
                else:
                    out.append({"text": text, "num": num if num and num != "0000" else None})
        elif tag == "heading":
            text = ftext(child)
            if text:
                out.append({"text": text, "heading": True})
        elif tag in _DESC_CONTAINERS:
            _walk_description(child, out)
        elif isinstance(tag, str):
            text = ftext(child)
            if text:
                out.append({"text": text})


def _claims(claims: Any) -> list[dict[str, Any]]:
    """Claims with dependencies from ``<claim-ref idref>`` plus the claim's own wording."""
    return marked_claims(claims, "claim", ("num", "id"), "claim-ref", "idref")
