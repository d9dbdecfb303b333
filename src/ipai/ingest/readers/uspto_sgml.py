"""USPTO grants 2001–2004 in the ST.32 "PATDOC" DTD v2.4/v2.5 (XML spelling of the SGML).

Bibliographic data uses WIPO ST.32 INID-style tags: ``B110`` number, ``B130`` kind,
``B140`` date, ``B210``/``B220`` application, ``B300`` priorities, ``B510`` IPC (fixed width,
``G06F 1516``; Locarno for designs), ``B520`` US classes, ``B540`` title, ``B560`` citations
followed by ``CITED-BY-EXAMINER``/``CITED-BY-OTHER`` markers, ``B700`` parties. Text is in
``SDOAB`` (abstract), ``SDODE`` (description), ``SDOCL`` (claims, ``CLREF`` dependencies) and
``SDODR`` (drawing sheets). Entities are declared in the files' internal DTD subset or the
ST.32 DTD; no DTD is loaded.
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
    country,
    dedupe,
    dedupe_codes,
    docref,
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
)

_NUMBER = re.compile(rb"<B110>\s*<DNUM>\s*<PDAT>\s*([^<\s]+)")
_DESC_PARTS = ("RELAPP", "GOVINT", "PARTY-JOINT", "BRFSUM", "DRWDESC", "DETDESC", "SEQLIST")


class UsptoSgml(Reader):
    """USPTO ST.32 ``PATDOC`` grants (2001–2004), utility, design, plant and reissue."""

    name = "uspto-sgml"
    description = "USPTO grant full text 2001–2004, ST.32 PATDOC v2.4/v2.5 (XML)"
    priority = 100

    def sniff(self, source: Source) -> int:
        return 100 if b"<PATDOC" in source.head() else 0

    def read(self, source: Source) -> Iterator[Item]:
        yield from xml_items(source, map_document, _NUMBER)


def _t(el: Any, path: str) -> str:
    """Text under a path (``PDAT`` leaves joined)."""
    return ftext(el.find(path)) if el is not None else ""


def map_document(root: Any, source: Source) -> PatentDocument:
    """Map one parsed ``PATDOC`` into a :class:`PatentDocument`."""
    if root.tag != "PATDOC":
        raise RecordError(f"not an ST.32 PATDOC: <{root.tag}>")
    bi = root.find("SDOBI")
    if bi is None:
        raise RecordError("no SDOBI bibliographic data")
    b100 = bi.find("B100")
    num = _t(b100, "B110")
    kind = _t(b100, "B130")
    pubno = parse_pubno(num, country(_t(b100, "B190")) or "US", kind or None)
    pub_date = parse_date(_t(b100, "B140"))
    b200 = bi.find("B200")
    application = None
    if b200 is not None and _t(b200, "B210"):
        application = docref("US", _t(b200, "B210"), parse_date(_t(b200, "B220")))
    priorities = []
    for b300 in bi.iterfind("B300"):
        pn = _t(b300, "B310")
        if pn:
            priorities.append(docref(country(_t(b300, "B330")), pn, parse_date(_t(b300, "B320"))))
    for doc in bi.iterfind("B600/B680US/DOC"):  # provisional applications
        pn = _t(doc, "DNUM")
        if pn:
            priorities.append(docref("US", pn, parse_date(_t(doc, "DATE"))))
    design = pubno.kind_letter == "S"
    filing = application["date"] if application else None
    pdates = [p["date"] for p in priorities if p["date"]]
    b500 = bi.find("B500")
    title = _t(b500, "B540")
    b700 = bi.find("B700")
    images = [image(e.get("FILE"), e.get("ID")) for e in root.iterfind("SDODR/EMI") if e.get("FILE")]
    return build(
        {
            "pubno": pubno,
            "doc_type": doc_type_for(pubno, None),
            "lang": "en",
            "application": application,
            "priorities": priorities,
            "filing_date": filing,
            "publication_date": pub_date,
            "grant_date": pub_date,
            "priority_date": min(pdates) if pdates else filing,
            "titles": {"en": title} if title else {},
            "abstracts": _abstract(root.find("SDOAB")),
            "claims": _claims(root.find("SDOCL")),
            "description": _description(root.find("SDODE")),
            "classifications": _classifications(b500, design),
            "assignees": _parties(b700, "B730/B731"),
            "inventors": _parties(b700, "B720/B721"),
            "agents": _parties(b700, "B740/B741"),
            "citations": _citations(b500),
            "images": images,
        }
    )


def _classifications(b500: Any, design: bool) -> list[dict[str, Any]]:
    """``B511``/``B512`` IPC (Locarno on designs) and ``B521``/``B522`` US classes."""
    if b500 is None:
        return []
    out: list[dict[str, Any]] = []
    b510 = b500.find("B510")
    if b510 is not None:
        for el in b510:
            if el.tag not in ("B511", "B512"):
                continue
            raw = "".join(el.itertext()).strip("\r\n")  # fixed width: keep inner spaces
            # a Locarno class is digits only (1402, 14-02); an IPC symbol starts with its section letter
            scheme = "locarno" if _LOCARNO.match(raw) and (design or not raw.strip()[:1].isalpha()) else "ipc"
            code = normalize_locarno(raw) if scheme == "locarno" else fixed_width_ipc(raw)
            if code:
                out.append({"scheme": scheme, "code": code, "main": el.tag == "B511"})
    b520 = b500.find("B520")
    if b520 is not None:
        for el in b520:
            if el.tag in ("B521", "B522"):
                raw = ftext(el)
                if raw:
                    out.append({"scheme": "uspc", "code": raw, "main": el.tag == "B521"})
    return dedupe_codes(out)


_LOCARNO = re.compile(r"^\s*\d{1,2}\s*[-.]?\s*\d{2}\s*$")
_FIXED_IPC = re.compile(r"^\s*([A-H]\s*\d\s*\d\s*[A-Z])([ \d]*)$")


def fixed_width_ipc(raw: str) -> str | None:
    """An IPC symbol in the ST.32 fixed width: subclass, main group right-justified in 3 columns,
    subgroup. A field whose leading blanks were lost (``E03C 104``) is padded back to the 5
    columns group and subgroup take, so it keeps its group: ``E03C1/04`` (not ``E03C``)."""
    m = _FIXED_IPC.match(raw or "")
    if m:
        rest = m.group(2).rstrip()
        if rest.strip().isdigit() and len(rest.strip()) >= 3 and len(rest) < 5:
            return normalize_ipc(m.group(1).replace(" ", "") + rest.strip().rjust(5))
    return normalize_ipc(raw)


def _party(p: Any) -> Any:
    nam = p.find("NAM")
    if nam is None:
        return None
    adr = p.find("ADR")
    cc = city = None
    if adr is not None:
        cc = country(_t(adr, "CTRY"))
        city = _t(adr, "CITY") or None
        if cc is None and adr.find("STATE") is not None:
            cc = "US"
    org = _t(nam, "ONM")
    if org:
        return organisation(org, country_code=cc, city=city)
    last = _t(nam, "SNM")
    sfx = _t(nam, "SFX")
    if sfx:
        last = f"{last} {sfx}".strip()
    return person(last, _t(nam, "FNM"), country_code=cc, city=city)


def _parties(b700: Any, path: str) -> list[Any]:
    if b700 is None:
        return []
    return dedupe([_party(p) for el in b700.iterfind(path) for p in el if p.tag.startswith("PARTY")])


def _cited_by(el: Any) -> str | None:
    if el.find(".//CITED-BY-EXAMINER") is not None:
        return "examiner"
    if el.find(".//CITED-BY-OTHER") is not None:
        return "unknown"
    return None


def _citations(b500: Any) -> list[dict[str, Any]]:
    """``B561`` patents and ``B562`` literature, with the ``CITED-BY-…`` marker after each."""
    b560 = b500.find("B560") if b500 is not None else None
    if b560 is None:
        return []
    out = []
    for el in b560:
        by = _cited_by(el)
        if el.tag == "B561":
            doc = el.find("PCIT/DOC")
            if doc is None:
                continue
            num = _t(doc, "DNUM")
            if not num:
                continue
            name = _t(el, "PCIT/PARTY-US/NAM") or _t(el, "PCIT/PARTY-FOR/NAM")
            out.append(
                citation_patent(num, _t(doc, "CTRY") or "US", _t(doc, "KIND"), _t(doc, "DATE"), name, by)
            )
        elif el.tag == "B562":
            text = _t(el, "NCIT")
            if text:
                out.append(citation_npl(text, by))
    return out


def _abstract(ab: Any) -> dict[str, str]:
    if ab is None:
        return {}
    paras = [t for t in (ftext(p) for p in ab.iter("PARA")) if t]
    text = "\n".join(paras) if paras else ftext(ab)
    return {"en": text} if text else {}


def _description(de: Any) -> dict[str, Any] | None:
    """Headings (``H``) and paragraphs (``PARA``) of every part; grants of these years carry
    no printed paragraph numbers."""
    if de is None:
        return None
    out: list[dict[str, Any]] = []
    for part in de:
        for el in part.iter("H", "PARA"):
            text = ftext(el)
            if text:
                out.append({"text": text, "heading": el.tag == "H"})
    return {"lang": "en", "paragraphs": out} if out else None


def _claims(cl: Any) -> list[dict[str, Any]]:
    """Claims; ``CLREF ID`` plus the wording give dependencies."""
    return marked_claims(cl, "CLM", ("ID",), "CLREF", "ID")
