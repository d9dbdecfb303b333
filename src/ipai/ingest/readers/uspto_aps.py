"""USPTO APS "Greenbook" full text, 1976–2001 (fixed-field text, ``PATN`` records).

Each patent is a ``PATN`` record made of sections (``PATN``, ``INVT``, ``ASSG``, ``PRIR``,
``CLAS``, ``UREF``, ``FREF``, ``OREF``, ``LREP``, ``ABST``, ``BSUM``, ``DRWD``, ``DETD``,
``CLMS``…), each a run of ``CODE  value`` lines; continuation lines are indented. ``WKU`` is
the patent number plus a check digit (``039373754`` → US 3937375), ``APN`` the six-digit
serial plus a check digit (the series code is ``SRC``). IPC symbols are fixed width
(``B60R  900`` → ``B60R9/00``). A weekly file holds thousands of records; they are streamed
one at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ipai.errors import RecordError
from ipai.ingest.base import Item, Reader, Source
from ipai.ingest.limits import LineBudget, RecordTooLarge, numbered_lines
from ipai.ingest.readers.uspto_common import (
    build,
    citation_npl,
    citation_patent,
    claim,
    country,
    dedupe,
    dedupe_codes,
    doc_locator,
    docref,
    fclean,
    map_item,
    semicolon_name,
    strip_claim_number,
    text_refs,
)
from ipai.model import (
    PatentDocument,
    doc_type_for,
    normalize_ipc,
    normalize_locarno,
    parse_date,
    parse_pubno,
)
from ipai.model.party import PartyKind

SECTIONS = {
    "PATN",
    "INVT",
    "ASSG",
    "PRIR",
    "REIS",
    "RLAP",
    "CLAS",
    "UREF",
    "FREF",
    "OREF",
    "LREP",
    "PCTA",
    "ABST",
    "GOVT",
    "PARN",
    "BSUM",
    "DRWD",
    "DETD",
    "CLMS",
    "DCLM",
}
_TEXT_SECTIONS = ("GOVT", "PARN", "BSUM", "DRWD", "DETD")
_PARA_CODES = {"PAR", "PA0", "PA1", "PA2", "PA3", "PA4", "PA5", "PAL", "TBL", "EQU", "FNT"}
_APT_HINT = {"1": "patent", "2": "reissue", "4": "design", "6": "plant"}
_ORG_CODES = {"02", "03", "06", "07"}
_PERSON_CODES = {"04", "05"}
_HEADER = re.compile(r"^(?:HHHHHT[^\n]*\n)?\s*PATN\s*\n")

Group = tuple[str, list[tuple[str, str]]]


class UsptoAps(Reader):
    """USPTO APS/Greenbook text (``PATN`` records, grants 1976–2001)."""

    name = "uspto-aps"
    description = "USPTO APS Greenbook full text 1976–2001 (PATN/WKU field records)"
    priority = 95

    def sniff(self, source: Source) -> int:
        head = source.head(4096).decode("latin-1").replace("\r\n", "\n").lstrip("\ufeff")
        return 95 if _HEADER.match(head) else 0

    def read(self, source: Source) -> Iterator[Item]:
        for n, groups in _records(source):
            if isinstance(groups, RecordTooLarge):
                yield Item(doc_locator(n, groups.head or None, "record"), error=str(groups))
                continue
            yield map_item(
                n, lambda: map_record(groups), lambda: _wku(groups), kind="record", label_from_record=False
            )


def _wku(groups: list[Group]) -> str | None:
    for code, value in groups[0][1] if groups else []:
        if code == "WKU":
            return f"WKU {value.strip()}"
    return None


def _records(source: Source) -> Iterator[tuple[int, list[Group] | RecordTooLarge]]:
    """Each ``PATN`` record as a list of (section, [(code, value)…]) groups; a record over the
    size limit as its :class:`RecordTooLarge` (its lines were dropped while read)."""
    groups: list[tuple[str, list[tuple[str, list[str]]]]] = []
    fields: list[tuple[str, list[str]]] | None = None
    n = 0
    budget = LineBudget(source.max_record)
    with source.open_text() as fh:
        for _, raw in numbered_lines(fh):
            line = raw.rstrip("\r\n") if isinstance(raw, str) else ""
            if line[:4] == "PATN" and not line[4:].strip() and (groups or budget.over):
                n += 1
                yield n, budget.over or _join(groups)
                groups = []
                budget.start()
            if budget.add(raw):
                if groups and budget.over is not None:  # just went over: name it, drop what was read
                    budget.over.head = _wku(_join(groups)) or ""
                groups, fields = [], None
                continue
            if not line.strip():
                continue
            if line[0] == " ":
                if fields:
                    fields[-1][1].append(line.strip())
                continue
            head = line[:4].rstrip()
            if head in SECTIONS and not line[4:].strip():
                fields = []
                groups.append((head, fields))
            elif fields is not None:
                fields.append((head, [line[5:].strip()]))
    if groups or budget.over:
        n += 1
        yield n, budget.over or _join(groups)


def _join(groups: list[tuple[str, list[tuple[str, list[str]]]]]) -> list[Group]:
    return [(sec, [(code, " ".join(parts)) for code, parts in fields]) for sec, fields in groups]


def map_record(groups: list[Group]) -> PatentDocument:
    """Map one ``PATN`` record into a :class:`PatentDocument`."""
    if not groups or groups[0][0] != "PATN":
        raise RecordError("record does not start with PATN")
    patn = dict(groups[0][1])
    wku = fclean(patn.get("WKU"))
    if len(wku) < 2:
        raise RecordError("no WKU patent number")
    pubno = parse_pubno(wku[:-1], "US")  # the last character is a check digit
    apt = fclean(patn.get("APT"))
    doc_type = doc_type_for(pubno, _APT_HINT.get(apt))
    issue = parse_date(fclean(patn.get("ISD")))
    filed = parse_date(fclean(patn.get("APD")))
    application = None
    apn = fclean(patn.get("APN"))
    if apn:
        serial = apn[:6] if len(apn) == 7 and apn.isdigit() else apn
        src = fclean(patn.get("SRC"))
        number = f"{src.zfill(2)}{serial}" if src.isdigit() and len(serial) == 6 else serial
        application = docref("US", number, filed)

    inventors, assignees, agents, priorities = [], [], [], []
    classifications: list[dict[str, Any]] = []
    citations: list[dict[str, Any]] = []
    abstract: list[str] = []
    paras: list[dict[str, Any]] = []
    claims: list[tuple[int, list[str]]] = []
    for sec, fields in groups[1:]:
        if sec == "INVT":
            inventors.append(_party(fields, "person"))
        elif sec == "ASSG":
            assignees.append(_party(fields, None))
        elif sec == "LREP":
            agents.extend(_agents(fields))
        elif sec == "PRIR":
            f = dict(fields)
            if fclean(f.get("APN")):
                priorities.append(docref(country(f.get("CNT")), f["APN"], parse_date(fclean(f.get("APD")))))
        elif sec == "CLAS":
            classifications.extend(_classes(fields, doc_type == "design"))
        elif sec in ("UREF", "FREF"):
            cit = _patent_citation(sec, dict(fields))
            if cit:
                citations.append(cit)
        elif sec == "OREF":
            citations.extend(citation_npl(fclean(v), None) for c, v in fields if fclean(v))
        elif sec == "ABST":
            abstract.extend(fclean(v) for c, v in fields if c in _PARA_CODES and fclean(v))
        elif sec in _TEXT_SECTIONS:
            for code, value in fields:
                text = fclean(value)
                if text and (code == "PAC" or code in _PARA_CODES):
                    paras.append({"text": text, "heading": code == "PAC"})
        elif sec in ("CLMS", "DCLM"):
            _collect_claims(fields, claims)
    title = fclean(patn.get("TTL"))
    pdates = [p["date"] for p in priorities if p["date"]]
    return build(
        {
            "pubno": pubno,
            "doc_type": doc_type,
            "lang": "en",
            "application": application,
            "priorities": priorities,
            "filing_date": filed,
            "publication_date": issue,
            "grant_date": issue,
            "priority_date": min(pdates) if pdates else filed,
            "titles": {"en": title} if title else {},
            "abstracts": {"en": "\n".join(abstract)} if abstract else {},
            "claims": _claims(claims),
            "description": {"lang": "en", "paragraphs": paras} if paras else None,
            "classifications": dedupe_codes(classifications),
            "assignees": dedupe(assignees),
            "inventors": dedupe(inventors),
            "agents": dedupe(agents),
            "citations": citations,
        }
    )


def _party(fields: list[tuple[str, str]], kind: PartyKind | None) -> Any:
    f = dict(fields)
    cc = country(f.get("CNT")) or ("US" if f.get("STA") else None)
    if kind is None:
        cod = fclean(f.get("COD"))
        kind = "organisation" if cod in _ORG_CODES else ("person" if cod in _PERSON_CODES else None)
    return semicolon_name(f.get("NAM", ""), country_code=cc, city=fclean(f.get("CTY")) or None, kind=kind)


def _agents(fields: list[tuple[str, str]]) -> list[Any]:
    out = []
    for code, value in fields:
        if code == "FRM":
            out.append(semicolon_name(value, kind="organisation"))
        elif code in ("FR2", "AAT", "AGT", "ATT", "NAM"):
            out.append(semicolon_name(value))
    return out


def _classes(fields: list[tuple[str, str]], design: bool) -> list[dict[str, Any]]:
    """US classes (``OCL`` original, ``XCL`` cross-reference, ``UCL`` unofficial) and
    fixed-width IPC symbols (``ICL``; Locarno digits on design patents)."""
    out: list[dict[str, Any]] = []
    first_ipc = True
    for code, value in fields:
        if code in ("OCL", "XCL", "UCL") and value.strip():
            out.append({"scheme": "uspc", "code": value.strip(), "main": code == "OCL"})
        elif code == "ICL" and value.strip():
            raw = value.rstrip()
            if design and raw.replace(" ", "").isdigit():
                sym, scheme = normalize_locarno(raw), "locarno"
            else:
                sym, scheme = normalize_ipc(raw), "ipc"
            if sym:
                out.append({"scheme": scheme, "code": sym, "main": first_ipc})
                first_ipc = False
    return out


def _patent_citation(sec: str, f: dict[str, str]) -> dict[str, Any] | None:
    """``UREF`` (US) and ``FREF`` (foreign) references; APS does not say who cited them."""
    num = fclean(f.get("PNO"))
    if not num:
        return None
    cc = "US" if sec == "UREF" else (country(f.get("CNT")) or fclean(f.get("CNT")) or None)
    return citation_patent(num, cc, None, fclean(f.get("ISD")), f.get("NAM"), None)


def _collect_claims(fields: list[tuple[str, str]], claims: list[tuple[int, list[str]]]) -> None:
    for code, value in fields:
        if code == "NUM":
            m = re.match(r"\s*(\d+)", value)
            claims.append((int(m.group(1)) if m else len(claims) + 1, []))
        elif code in _PARA_CODES and fclean(value):
            if not claims:  # design claims (DCLM) and records without NUM: one claim
                claims.append((1, []))
            claims[-1][1].append(fclean(value))


def _claims(raw: list[tuple[int, list[str]]]) -> list[dict[str, Any]]:
    out = []
    for num, parts in raw:
        text = strip_claim_number(" ".join(parts))
        if not text:
            continue
        deps = text_refs(text, num)
        out.append(claim(num, text, deps))
    return out
