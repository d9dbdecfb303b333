"""USPTO pre-grant publications 2001–2004: ``<patent-application-publication>`` XML (pap-v15/v16).

The first US published applications (kind A1/A2/A9). Bibliographic data sits in
``subdoc-bibliographic-information``; abstract, description, claims and drawings are
``subdoc-*`` sections. Paragraphs carry the printed number in ``<number>``, dependent claims
mark their parent with ``<dependent-claim-reference depends_on="CLM-00001">``. The DTDs use
SGML named entities (``&mdash;``, ``&plusmn;``) which are resolved without loading the DTD.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ipai.errors import RecordError
from ipai.ingest.base import Item, Reader, Source
from ipai.ingest.readers.uspto_common import (
    build,
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
    parse_date,
    parse_pubno,
)

_NUMBER = re.compile(rb"<doc-number>\s*([^<\s]+)")
_DIGITS = re.compile(r"(\d+)")


class UsptoPap(Reader):
    """USPTO ``patent-application-publication`` XML (pre-grant publications 2001–2004)."""

    name = "uspto-pap"
    description = "USPTO pre-grant publication XML 2001–2004 (patent-application-publication)"
    priority = 100

    def sniff(self, source: Source) -> int:
        return 100 if b"<patent-application-publication" in source.head() else 0

    def read(self, source: Source) -> Iterator[Item]:
        yield from xml_items(source, map_document, _NUMBER)


def map_document(root: Any, source: Source) -> PatentDocument:
    """Map one parsed ``patent-application-publication`` into a :class:`PatentDocument`."""
    if root.tag != "patent-application-publication":
        raise RecordError(f"not a pre-grant publication: <{root.tag}>")
    bib = root.find("subdoc-bibliographic-information")
    if bib is None:
        raise RecordError("no subdoc-bibliographic-information")
    did = bib.find("document-id")
    if did is None:
        raise RecordError("no document-id")
    pubno = parse_pubno(fclean(did.findtext("doc-number")), "US", fclean(did.findtext("kind-code")) or None)
    pub_date = parse_date(fclean(did.findtext("document-date")))
    dom = bib.find("domestic-filing-data")
    application = None
    if dom is not None:
        num = fclean(dom.findtext("application-number/doc-number"))
        if num:
            application = docref("US", num, parse_date(fclean(dom.findtext("filing-date"))))
    priorities = _priorities(bib)
    filing = application["date"] if application else None
    pdates = [p["date"] for p in priorities if p["date"]]
    tech = bib.find("technical-information")
    title = ftext(tech.find("title-of-invention")) if tech is not None else ""
    abstract = _abstract(root.find("subdoc-abstract"))
    images = [
        image(i.get("file"), i.get("id"))
        for i in root.iterfind("subdoc-drawings/figure/image")
        if i.get("file")
    ]
    inventors, applicants = [], []
    for el in bib.iterfind("inventors/*"):
        p = _inventor(el)
        inventors.append(p)
        if el.findtext("authority-applicant"):  # "INV": the inventor is the applicant (pre-2012)
            applicants.append(p)
    return build(
        {
            "pubno": pubno,
            "doc_type": doc_type_for(pubno, "application"),
            "lang": "en",
            "application": application,
            "priorities": priorities,
            "filing_date": filing,
            "publication_date": pub_date,
            "priority_date": min(pdates) if pdates else filing,
            "titles": {"en": title} if title else {},
            "abstracts": {"en": abstract} if abstract else {},
            "claims": _claims(root.find("subdoc-claims")),
            "description": _description(root.find("subdoc-description")),
            "classifications": _classifications(tech),
            "assignees": dedupe([_assignee(a) for a in bib.iterfind("assignee")]),
            "inventors": dedupe(inventors),
            "applicants": dedupe(applicants),
            "images": images,
        }
    )


def _priorities(bib: Any) -> list[dict[str, Any]]:
    """Foreign priorities and the provisional applications the application claims."""
    out = []
    for fp in bib.iterfind("foreign-priority-data"):
        num = fclean(fp.findtext("priority-application-number/doc-number"))
        if num:
            out.append(
                docref(
                    country(fp.findtext("country-code")), num, parse_date(fclean(fp.findtext("filing-date")))
                )
            )
    for did in bib.iterfind("continuity-data/non-provisional-of-provisional/document-id"):
        num = fclean(did.findtext("doc-number"))
        if num:
            out.append(
                docref(
                    country(did.findtext("country-code")) or "US",
                    num,
                    parse_date(fclean(did.findtext("document-date"))),
                )
            )
    return out


def _classifications(tech: Any) -> list[dict[str, Any]]:
    if tech is None:
        return []
    out: list[dict[str, Any]] = []
    for el in tech.iterfind("classification-ipc/*/ipc"):
        code = normalize_ipc(el.text)
        if code:
            out.append(
                {"scheme": "ipc", "code": code, "main": el.getparent().tag == "classification-ipc-primary"}
            )
    for el in tech.iterfind("classification-us/*/uspc"):
        cls, sub = fclean(el.findtext("class")), fclean(el.findtext("subclass"))
        if cls:  # written like the v4 national classes: class + subclass digits, "705026000"
            out.append(
                {
                    "scheme": "uspc",
                    "code": f"{cls}{sub}",
                    "main": el.getparent().tag == "classification-us-primary",
                }
            )
    return dedupe_codes(out)


def _inventor(el: Any) -> Any:
    name = el.find("name")
    if name is None:
        return None
    given = (fclean(name.findtext("given-name")), fclean(name.findtext("middle-name")))
    first = " ".join(x for x in given if x)
    last = fclean(name.findtext("family-name"))
    suffix = fclean(name.findtext("name-suffix"))
    if suffix:
        last = f"{last} {suffix}".strip()
    res = el.find("residence/*")
    cc = city = None
    if res is not None:
        cc = country(res.findtext("country-code"))
        city = fclean(res.findtext("city")) or None
        if cc is None and res.tag == "residence-us":
            cc = "US"
    return person(last, first, country_code=cc, city=city)


def _assignee(el: Any) -> Any:
    org = fclean(el.findtext("organization-name"))
    if org:
        return organisation(
            org,
            country_code=country(el.findtext("address/country/country-code")),
            city=fclean(el.findtext("address/city")) or None,
        )
    name = el.find("name")
    if name is not None:
        return person(fclean(name.findtext("family-name")), fclean(name.findtext("given-name")))
    return None


def _abstract(ab: Any) -> str:
    if ab is None:
        return ""
    paras = [t for t in (ftext(p) for p in ab.iter("paragraph")) if t]
    return "\n".join(paras)


def _description(desc: Any) -> dict[str, Any] | None:
    """Headings and paragraphs; the printed paragraph number ``<number>1.</number>`` becomes
    ``num`` ``0001`` (as printed on the publication, ``[0001]``)."""
    if desc is None:
        return None
    out: list[dict[str, Any]] = []
    for el in desc.iter("heading", "paragraph"):
        if el.tag == "heading":
            text = ftext(el)
            if text:
                out.append({"text": text, "heading": True})
            continue
        num_el = el.find("number")
        num = None
        if num_el is not None:
            m = _DIGITS.search(num_el.text or "")
            num = m.group(1).zfill(4) if m else None
            num_el.text = None  # the printed number is not part of the paragraph text
        text = ftext(el)
        if text:
            out.append({"text": text, "num": num})
    return {"lang": "en", "paragraphs": out} if out else None


def _claims(sub: Any) -> list[dict[str, Any]]:
    """Claims; ``<dependent-claim-reference depends_on>`` plus the wording give dependencies."""
    return marked_claims(sub, "claim", ("id",), "dependent-claim-reference", "depends_on")
