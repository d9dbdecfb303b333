"""EPO DOCDB exchange documents (``exch:exchange-document``, exchange DTD/XSD 2.5.x).

A DOCDB bulk file is one ``exch:exchange-documents`` wrapper around thousands of
``exch:exchange-document`` records; each is cut out while streaming and parsed alone (memory
stays at one record). A record cut out of its bulk file without the ``exch`` namespace
declaration, and the named characters of the never-loaded ``docdb-entities.dtd``
(``&SACUTE;``), are repaired. The same mapping reads the ``exchange-document`` of EPO OPS
responses (:mod:`ipai.ingest.readers.epo_ops`), where the elements are in the default namespace.

Mapping (the ``data-format`` variants: ``docdb`` is the EPO's standardised form, ``docdba`` /
``original`` the form as published; ``epodoc`` ids are not used):

- pubno, dates: root ``country``/``doc-number``/``kind`` and ``date-publ`` (else the ``docdb``
  publication reference); ``family-id`` → ``family_id``; ``doc-id`` → ``ids["docdb"]``.
- application and priorities: the ``docdb`` ``application-reference`` and ``priority-claim``
  document ids (country, number, kind, date).
- classifications: IPC from ``classifications-ipcr`` (main: position ``F`` in the IPCR text)
  and the older ``classification-ipc``; CPC from ``patent-classifications`` (schemes ``CPC*``;
  symbol text or split parts; main: position ``F``).
- parties: applicants and inventors in their as-published form (``docdba``/``original``) when
  given, else the ``docdb`` form; a trailing ``[FI]`` is the party's country; residence
  countries from the ``docdb`` form by sequence. Agents when present.
- titles and abstracts: every ``invention-title``/``abstract`` in its own ``lang``.
- citations: ``references-cited/citation`` — ``patcit`` (``dnum`` or document-id parts) and
  ``nplcit`` (its ``text``), ``category`` letters (``XY`` → X, Y), ``rel-claims``, who cited
  from ``cited-phase`` (``APP`` applicant; ``SEA``/``ISR``/``EXA``… examiner; ``OPP``
  opponent; ``TPO`` third party).
- designated states: the PCT designations (national and regional).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ipai.errors import RecordError
from ipai.ingest.base import Item, Reader, Source
from ipai.ingest.messages import say
from ipai.ingest.readers import _officexml as ox
from ipai.ingest.readers._officecommon import citation_fields, date_of, office_pubno, party
from ipai.ingest.readers.epo_xml import _IPCR_FLAGS
from ipai.model import doc_type_for, normalize_ipc
from ipai.model.party import PartyKind

_START = ox.record_pattern("exchange-document")
_LABEL = re.compile(rb'country="([A-Z]{2})"\s+doc-number="([^"]+)"\s+kind="([A-Z]\d?)"')
_PHASE = {
    "APP": ("applicant", "applicant"),
    "SEA": ("examiner", "search"),
    "ISR": ("examiner", "international-search-report"),
    "EXA": ("examiner", "examination"),
    "IPE": ("examiner", "international-preliminary-examination"),
    "SUP": ("examiner", "supplementary-search"),
    "OPP": ("opponent", "opposition"),
    "TPO": ("third-party", "third-party-observation"),
    "PRS": ("examiner", "pre-grant-pre-search"),
    "CH2": ("examiner", "chapter-2"),
    "FOP": ("examiner", "filed-opposition"),
    "115": ("examiner", "rule-115"),
}
_AS_PUBLISHED = ("docdba", "original")
_CC_SUFFIX = re.compile(r"\s*\[([A-Z]{2})\]\s*$")


class EpoDocdb(Reader):
    """EPO DOCDB ``exch:exchange-document`` records (bulk exchange files and single records)."""

    name = "epo-docdb"
    description = (
        "EPO DOCDB exchange documents (exch:exchange-documents / exch:exchange-document, bibliographic)"
    )
    priority = 60  # bibliographic: full-text publications win where both have a field

    def sniff(self, source: Source) -> int:
        """100 for an ``exchange-document`` outside an OPS response (``ops:world-patent-data``)."""
        head = source.head()
        if b"world-patent-data" in head:
            return 0
        return 100 if _START.search(head) else 0

    def read(self, source: Source) -> Iterator[Item]:
        """One item per exchange document, in file order."""
        yield from ox.record_items(source, _START, lambda root: [map_exchange_document(root)], label)


def label(data: bytes) -> str | None:
    """``DE1258188B`` from a record's raw start tag."""
    return ox.raw_label(data, _LABEL)


def _doc_id(ref: Any) -> dict[str, str]:
    """The ``docdb`` document id of a reference (``data-format`` on the reference, or
    ``document-id-type`` on the id as OPS writes it); ``{}`` when there is none."""
    if ref is None:
        return {}
    ids = ox.findall(ref, "document-id")
    fmt = ox.attr(ref, "data-format")
    pick = None
    for d in ids:
        t = ox.attr(d, "document-id-type") or fmt
        if t == "docdb" or (not t and ox.find(d, "country") is not None):
            pick = d
            break
    if pick is None and ids and fmt in ("", "docdb"):
        pick = ids[0]
    if pick is None:
        return {}
    return {ox.local(c): ox.text(c) for c in pick}


def docdb_refs(bib: Any, name: str) -> list[dict[str, str]]:
    """The ``docdb`` ids of every ``name`` reference (publication, application, priority-claim)."""
    return [d for d in (_doc_id(r) for r in ox.findall(bib, name)) if d.get("doc-number")]


def docref(d: dict[str, str]) -> dict[str, Any]:
    """A DOCDB document id as a model reference (country, number, kind, date)."""
    return {
        "country": (d.get("country") or "").upper() or None,
        "number": re.sub(r"[\s/,.\-]", "", d.get("doc-number", "")).upper(),
        "kind": d.get("kind") or None,
        "date": date_of(d.get("date")),
    }


def map_exchange_document(root: Any) -> dict[str, Any]:
    """Model fields of one (DOCDB or OPS) ``exchange-document``."""
    bib = ox.find(root, "bibliographic-data")
    pubs = docdb_refs(bib, "publication-reference")
    pub = pubs[0] if pubs else {}
    num = ox.attr(root, "doc-number") or pub.get("doc-number", "")
    if not num:
        raise RecordError(say("rec.no_number"))
    pubno = office_pubno(
        num,
        ox.attr(root, "country") or pub.get("country") or None,
        ox.attr(root, "kind") or pub.get("kind") or None,
    )
    pub_date = date_of(ox.attr(root, "date-publ") or pub.get("date"))
    apps = docdb_refs(bib, "application-reference")
    application = docref(apps[0]) if apps else None
    prios = [docref(d) for d in docdb_refs(bib, "priority-claims/priority-claim")]
    pdates = [p["date"] for p in prios if p["date"]]
    ids = {"docdb": ox.attr(root, "doc-id")} if ox.attr(root, "doc-id") else {}
    lang = ox.ftext(bib, "language-of-publication").lower() or None
    return {
        "pubno": pubno,
        "doc_type": doc_type_for(pubno),
        "lang": lang,
        "application": application,
        "priorities": prios,
        "family_id": ox.attr(root, "family-id") or None,
        "filing_date": application["date"] if application else None,
        "publication_date": pub_date,
        "grant_date": pub_date if pubno.country in ("EP", "US", "CN") and pubno.kind_letter == "B" else None,
        "priority_date": min(pdates) if pdates else None,
        "titles": _by_lang(ox.findall(bib, "invention-title")),
        "abstracts": _by_lang(ox.findall(root, "abstract"), paragraphs=True),
        "classifications": _classifications(bib),
        "applicants": _parties(ox.findall(bib, "parties/applicants/applicant"), "applicant-name"),
        "inventors": _parties(ox.findall(bib, "parties/inventors/inventor"), "inventor-name", kind="person"),
        "agents": _parties(ox.findall(bib, "parties/agents/agent"), "agent-name"),
        "citations": citations(bib),
        "designated_states": _designations(bib),
        "ids": ids,
    }


def _by_lang(els: list[Any], *, paragraphs: bool = False) -> dict[str, str]:
    out: dict[str, str] = {}
    for el in els:
        lg = (ox.attr(el, "lang") or "en").lower()
        if paragraphs:
            t = "\n".join(x for x in (ox.text(p) for p in ox.findall(el, "p")) if x) or ox.text(el)
        else:
            t = ox.text(el)
        fmt = ox.attr(el, "data-format")
        if t and (lg not in out or fmt in _AS_PUBLISHED):
            out[lg] = t
    return out


def _classifications(bib: Any) -> list[dict[str, Any]]:
    found: list[tuple[str, str | None, bool]] = []
    rows = [ox.ftext(c, "text") for c in ox.findall(bib, "classifications-ipcr/classification-ipcr")]
    flags = [_IPCR_FLAGS.search(t) for t in rows]
    for i, (t, f) in enumerate(zip(rows, flags, strict=False)):
        main = (f is not None and f.group(1) == "F") if any(flags) else i == 0
        found.append(("ipc", normalize_ipc(t), main))
    for el in ox.findall(bib, "classification-ipc/*"):
        name = ox.local(el)
        if name in ("main-classification", "further-classification"):
            found.append(("ipc", normalize_ipc(ox.text(el)), name == "main-classification"))
    for pc in ox.findall(bib, "patent-classifications/patent-classification"):
        scheme = ox.attr(ox.find(pc, "classification-scheme"), "scheme").upper()
        if not scheme.startswith("CPC"):
            continue
        sym = ox.ftext(pc, "classification-symbol")
        if not sym:
            parts = [ox.ftext(pc, p) for p in ("section", "class", "subclass", "main-group", "subgroup")]
            sym = f"{''.join(parts[:3])}{parts[3]}/{parts[4]}" if all(parts[:4]) else ""
        found.append(("cpc", normalize_ipc(sym), ox.ftext(pc, "symbol-position") == "F"))
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for scheme, code, main in found:
        if not code:
            continue
        key = (scheme, code)
        if key not in out:
            out[key] = {"scheme": scheme, "code": code, "main": main}
        elif main:
            out[key]["main"] = True
    return list(out.values())


def _parties(els: list[Any], name_tag: str, *, kind: PartyKind | None = None) -> list[Any]:
    """Parties in their as-published form when the record gives one, else the DOCDB form."""
    by_fmt: dict[str, list[tuple[str, str, str]]] = {}
    for el in els:
        fmt = ox.attr(el, "data-format") or "docdb"
        name = ox.ftext(el, f"{name_tag}/name") or ox.ftext(el, "name")
        cc = ox.ftext(el, "residence/country")
        by_fmt.setdefault(fmt, []).append((ox.attr(el, "sequence"), name, cc))
    std = {seq: cc for seq, _, cc in by_fmt.get("docdb", []) + by_fmt.get("epodoc", []) if cc}
    rows = (
        next((by_fmt[f] for f in _AS_PUBLISHED if f in by_fmt), None)
        or by_fmt.get("docdb")
        or by_fmt.get("epodoc")
        or []
    )
    out: list[Any] = []
    for seq, name, cc in rows:
        m = _CC_SUFFIX.search(name)
        if m:
            name, cc = name[: m.start()], cc or m.group(1)
        last = first = None
        if kind == "person" and "," in name:
            last, first = (x.strip() for x in name.split(",", 1))
        p = party(name.strip(" ,"), kind=kind, country=cc or std.get(seq), last=last, first=first)
        if p and all(p.name != q.name for q in out):
            out.append(p)
    return out


def citations(bib: Any) -> list[dict[str, Any]]:
    """``references-cited/citation``: the cited document, categories, relevant claims, who cited."""
    out: list[dict[str, Any]] = []
    for cit in ox.findall(bib, "references-cited/citation"):
        phase_code = ox.attr(cit, "cited-phase").upper()
        by, phase = _PHASE.get(
            phase_code, (ox.attr(cit, "cited-by") or None, ox.attr(cit, "cited-phase") or None)
        )
        doc = next((c for c in cit if ox.local(c) in ("patcit", "nplcit")), None)
        if doc is None:
            continue
        c = citation_fields(doc, by, phase)
        if not c:
            continue
        cats: list[str] = []
        for el in cit.iter():
            if ox.local(el) == "category":
                cats += [ch for ch in ox.text(el).upper() if ch in "XYADPETLO&"]
        rel = ", ".join(t for t in (ox.text(r) for r in cit.iter() if ox.local(r) == "rel-claims") if t)
        c["categories"] = list(dict.fromkeys(cats))
        c["claims"] = rel or None
        out.append(c)
    return out


def _designations(bib: Any) -> list[str]:
    out: list[str] = []
    for el in ox.findall(bib, "designation-of-states/designation-pct"):
        for c in el.iter():
            if ox.local(c) == "country" and ox.local(c.getparent()) != "region":
                t = ox.text(c)
                if t and t not in out:
                    out.append(t)
    return out
