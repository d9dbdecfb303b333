"""EPO Open Patent Services (OPS 3.2) responses, ``ops:world-patent-data``.

Each response is read by what it holds; every document it names becomes a (possibly partial)
record, and the store merges the records of one publication from several responses (a biblio,
a claims and a legal response of EP2400812A1 make one document):

- ``exchange-documents`` (published-data biblio, abstract, full-cycle; search results with the
  biblio constituent): each ``exchange-document`` as DOCDB maps it (:mod:`.epo_docdb`).
- ``ftxt:fulltext-documents`` (claims, description): the claims in their language, numbered
  from their text (one ``claim-text`` per claim, or one blob cut into claims), with their
  dependencies; the description's paragraphs and headings.
- ``ops:patent-family`` (INPADOC family, with or without ``legal``): one record per family
  member with its publication, application, priorities, ``family-id``, the other members as
  ``family_members``, the biblio constituent when present and its INPADOC legal events
  (:mod:`._ops_legal`): the events of a member belong to that member's publication.
- ``ops:equivalents-inquiry``: the publications as one simple family.
- ``ops:biblio-search``: each result's publication and ``family-id``.
- ``ops:register-search`` / ``reg:register-documents`` (EP Register): every publication of the
  register document with parties, priorities and the dossier's events.

A response that names no document (an image inquiry, a number-service answer) is rejected with
what it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ipai.errors import RecordError
from ipai.ingest.base import Item, Reader, Source
from ipai.ingest.messages import say
from ipai.ingest.readers import _officexml as ox
from ipai.ingest.readers._officecommon import claim_fields, date_of, office_pubno
from ipai.ingest.readers._ops_legal import inpadoc_events, register_records
from ipai.ingest.readers.epo_docdb import _doc_id, docdb_refs, docref, map_exchange_document
from ipai.text.claims import split_claims

_START = ox.record_pattern("world-patent-data")
_LABEL = re.compile(
    rb"<(?:\w+:)?country>\s*([A-Z]{2})\s*</(?:\w+:)?country>\s*<(?:\w+:)?doc-number>\s*([^<\s]+)\s*<"
)
_NUM = re.compile(r"^\s*\[?(\d{4})\]?\s*")


class EpoOps(Reader):
    """EPO OPS 3.2 XML responses (published data, family, legal, register, search)."""

    name = "epo-ops"
    description = (
        "EPO OPS 3.2 responses (ops:world-patent-data): biblio, abstract, claims, description, "
        "INPADOC family, legal events, register, search"
    )
    priority = 70

    def sniff(self, source: Source) -> int:
        """100 when the head holds an ``ops:world-patent-data`` root."""
        head = source.head()
        return 100 if b"world-patent-data" in head and b"ops.epo.org" in head else 0

    def read(self, source: Source) -> Iterator[Item]:
        """The records of every response in the file (usually one)."""
        yield from ox.record_items(source, _START, map_response, lambda d: ox.raw_label(d, _LABEL))


def map_response(root: Any) -> list[dict[str, Any]]:
    """Model fields of every document an OPS response names."""
    out: list[dict[str, Any]] = []
    kinds: list[str] = []
    for el in root.iter():
        name = ox.local(el)
        if name == "exchange-document" and not any(
            ox.local(a) == "family-member" for a in el.iterancestors()
        ):
            out.append(map_exchange_document(el))
        elif name == "fulltext-document":
            out.append(_fulltext(el))
        elif name == "patent-family":
            out.extend(_family(el))
        elif name == "equivalents-inquiry":
            out.extend(_equivalents(el))
        elif name == "search-result" and not ox.findall(el, "exchange-documents"):
            out.extend(_search(el))
        elif name == "register-document":
            out.extend(register_records(el, ox.ftext(root, "register-search/query")))
        elif isinstance(el.tag, str) and el is not root and el.getparent() is root:
            kinds.append(name)
    if not out:
        raise RecordError(
            say(
                "rec.no_document",
                what=f"OPS response ({', '.join(kinds) or 'empty'})",
                what_zh=f"OPS 响应（{', '.join(kinds) or '空'}）",
            )
        )
    return out


def _pubno_of(el: Any) -> tuple[Any, Any]:
    """(pubno, date) of a document from its attributes or its docdb publication reference."""
    refs = docdb_refs(el, "bibliographic-data/publication-reference") or docdb_refs(
        el, "publication-reference"
    )
    d = refs[0] if refs else {}
    num = ox.attr(el, "doc-number") or d.get("doc-number")
    if not num:
        raise RecordError(say("rec.no_number"))
    return office_pubno(
        num, ox.attr(el, "country") or d.get("country") or None, ox.attr(el, "kind") or d.get("kind") or None
    ), date_of(d.get("date"))


def _fulltext(doc: Any) -> dict[str, Any]:
    pubno, date = _pubno_of(doc)
    out: dict[str, Any] = {"pubno": pubno, "publication_date": date}
    claims: list[dict[str, Any]] = []
    for block in ox.findall(doc, "claims"):
        lang = (ox.attr(block, "lang") or ox.attr(doc, "lang") or "en").lower()
        texts = [ox.text(t) for t in block.iter() if ox.local(t) == "claim-text" and ox.text(t)]
        if len(texts) == 1 and len(split_claims(texts[0], lang)) > 1:
            texts = [f"{c.num}. {c.text}" for c in split_claims(texts[0], lang)]
        for i, t in enumerate(texts, 1):
            claims.extend(claim_fields("", i, [t], lang))
    out["claims"] = claims
    desc = ox.find(doc, "description")
    if desc is not None:
        paras = []
        for el in desc.iter():
            name = ox.local(el)
            if name not in ("p", "heading"):
                continue
            t = ox.text(el)
            m = _NUM.match(t)
            num = ox.attr(el, "num") or (m.group(1) if m else None)
            if m:
                t = t[m.end() :]
            if t:
                paras.append({"text": t, "num": num, "heading": name == "heading"})
        lang = (ox.attr(desc, "lang") or ox.attr(doc, "lang") or "en").lower()
        if paras:
            out["description"] = {"lang": lang, "paragraphs": paras}
    return out


def _family(fam: Any) -> list[dict[str, Any]]:
    members = [m for m in fam if ox.local(m) == "family-member"]
    recs = []
    for m in members:
        exch = ox.find(m, "exchange-document")
        rec = map_exchange_document(exch) if exch is not None else {}
        refs = docdb_refs(m, "publication-reference")
        if not refs and not rec:
            continue
        d = refs[0] if refs else {}
        pubno = rec.get("pubno") or office_pubno(
            d["doc-number"], d.get("country") or None, d.get("kind") or None
        )
        apps = docdb_refs(m, "application-reference")
        prios = [docref(p) for p in docdb_refs(m, "priority-claim")]
        pdates = [p["date"] for p in prios if p["date"]]
        rec = rec | {
            "pubno": pubno,
            "publication_date": rec.get("publication_date") or date_of(d.get("date")),
            "family_id": ox.attr(m, "family-id") or rec.get("family_id") or None,
            "legal_events": inpadoc_events(m),
        }
        if apps and not rec.get("application"):
            rec["application"] = docref(apps[0])
            rec["filing_date"] = rec["application"]["date"]
        if prios and not rec.get("priorities"):
            rec["priorities"], rec["priority_date"] = prios, min(pdates) if pdates else None
        recs.append(rec)
    ids = [r["pubno"].doc_id for r in recs]
    for r in recs:
        r["family_members"] = [i for i in dict.fromkeys(ids) if i != r["pubno"].doc_id]
        r["family_size"] = len(set(ids))
    return recs


def _equivalents(inq: Any) -> list[dict[str, Any]]:
    refs = [
        d
        for r in inq.iter()
        if ox.local(r) == "publication-reference"
        for d in [_doc_id(r)]
        if d.get("doc-number") and d.get("country")
    ]
    recs: list[dict[str, Any]] = []
    for d in refs:
        pn = office_pubno(d["doc-number"], d["country"], d.get("kind") or None)
        if all(r["pubno"].doc_id != pn.doc_id for r in recs):
            recs.append({"pubno": pn, "publication_date": date_of(d.get("date"))})
    ids = [r["pubno"].doc_id for r in recs]
    for r in recs:
        r["family_members"] = [i for i in ids if i != r["pubno"].doc_id]
    return recs


def _search(res: Any) -> list[dict[str, Any]]:
    recs = []
    for ref in ox.findall(res, "publication-reference"):
        d = _doc_id(ref)
        if d.get("doc-number") and d.get("country"):
            recs.append(
                {
                    "pubno": office_pubno(d["doc-number"], d["country"], d.get("kind") or None),
                    "family_id": ox.attr(ref, "family-id") or None,
                }
            )
    return recs
