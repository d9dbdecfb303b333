"""USPTO BRS text exports (``*** BRS DOCUMENT BOUNDARY ***`` between records).

The search-system export used by the USPTO's text products: one ``CODE value`` line per field,
continuation lines indented, records separated by ``*** BRS DOCUMENT BOUNDARY ***``. Before each
boundary a tab-separated summary line (``09204581<TAB>B2<TAB>20151201<TAB>13676098<TAB>size``) and
the title announce the next record. Paragraph fields repeat: in description fields (``BSTX``,
``DETX``…) a value written right after the code is a heading, one indented by an extra space a
paragraph. Claims are one ``CLPR`` field per claim (``CLPR  2. The method of claim 1…``).
Citations end with ``cited by examiner`` / ``cited by applicant``.
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
    cited_by,
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
    parse_date,
    parse_pubno,
    try_parse_pubno,
)
from ipai.model.party import PartyKind

BOUNDARY = "*** BRS DOCUMENT BOUNDARY ***"
_SUMMARY = re.compile(r"^\w+\t[A-Z]\w?\t\d{8}\t")
_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,4}$")
_CITED = re.compile(r"\s*\bcited by (examiner|applicant|other|third[- ]party)\.?\s*$", re.IGNORECASE)
_KIND = re.compile(r"^[A-Z]\d?$")
_NUM_START = re.compile(r"^\s*(\d{1,3})\s*\.\s")
_DESC_CODES = {"CRTX", "GOTX", "PARX", "BSTX", "DRTX", "DETX", "RETX", "SQTX"}
_PARTY_PREFIX = {"AA": "applicants", "IN": "inventors", "AS": "assignees"}
_ORG_CODES = {"02", "03", "06", "07"}
_PERSON_CODES = {"04", "05"}

Fields = list[tuple[str, str]]


class UsptoBrs(Reader):
    """USPTO BRS text export (records between ``*** BRS DOCUMENT BOUNDARY ***`` lines)."""

    name = "uspto-brs"
    description = "USPTO BRS text export (*** BRS DOCUMENT BOUNDARY *** records)"
    priority = 95

    def sniff(self, source: Source) -> int:
        return 95 if BOUNDARY.encode() in source.head() else 0

    def read(self, source: Source) -> Iterator[Item]:
        for n, fields in _records(source):
            if isinstance(fields, RecordTooLarge):
                yield Item(doc_locator(n, fields.head or None, "record"), error=str(fields))
                continue
            yield map_item(
                n, lambda: map_record(fields), lambda: _wku(fields), kind="record", label_from_record=False
            )


def _wku(fields: Fields) -> str | None:
    for code, value in fields[:5]:
        if code == "WKU":
            return f"WKU {value.strip()}"
    return None


def _records(source: Source) -> Iterator[tuple[int, Fields | RecordTooLarge]]:
    """Each record's fields in file order; continuation lines are joined to their field. A record
    over the size limit comes as its :class:`RecordTooLarge` (its lines dropped while read)."""
    raw: list[tuple[str, list[str]]] = []  # (code, [first line value, continuation lines…])
    inside = False
    n = 0
    budget = LineBudget(source.max_record)
    with source.open_text() as fh:
        for _, text in numbered_lines(fh):
            line = text if isinstance(text, str) else ""
            if line.startswith(BOUNDARY) or ("\t" in line and _SUMMARY.match(line.rstrip("\r\n"))):
                if raw or budget.over:
                    n += 1
                    yield n, budget.over or _join(raw)
                raw, inside = [], line.startswith(BOUNDARY)
                budget.start()
                continue
            if not inside:
                continue
            if budget.add(text):
                if raw and budget.over is not None:  # just went over: name it, drop what was read
                    budget.over.head = _wku(_join(raw)) or ""
                raw = []
                continue
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            if line[0] in " \t":
                if raw:
                    raw[-1][1].append(line.strip())
                continue
            code, _, value = line.partition(" ")
            if _CODE.match(code):
                raw.append((code, [value]))
            elif raw:  # a stray unindented continuation
                raw[-1][1].append(line.strip())
    if raw or budget.over:
        n += 1
        yield n, budget.over or _join(raw)


def _join(raw: list[tuple[str, list[str]]]) -> Fields:
    return [(code, parts[0] if len(parts) == 1 else " ".join(parts)) for code, parts in raw]


def map_record(fields: Fields) -> PatentDocument:
    """Map one BRS record into a :class:`PatentDocument`."""
    one: dict[str, str] = {}
    for code, value in fields:
        one.setdefault(code, value)
    kind = fclean(one.get("APT")) or None
    did = fclean(one.get("DID"))
    if did:
        parts = did.split()
        pubno = parse_pubno(
            "".join(parts[:2]) if len(parts) >= 2 else did, None, parts[2] if len(parts) > 2 else kind
        )
    elif fclean(one.get("WKU")):
        pubno = parse_pubno(fclean(one["WKU"]), "US", kind)
    else:
        raise RecordError("no WKU or DID publication number")
    issue = parse_date(fclean(one.get("GISD")))
    filed = parse_date(fclean(one.get("AFD")))
    appno = fclean(one.get("APNR")) or fclean(one.get("APP"))
    application = docref("US", appno, filed) if appno else None
    grant = not (pubno.kind_letter == "A" and len(pubno.number) == 11)
    design = pubno.kind_letter == "S"

    priorities: list[dict[str, Any]] = []
    classes: list[dict[str, Any]] = []
    cpc_main: set[str] = set()
    citations: list[dict[str, Any]] = []
    abstract: list[str] = []
    paras: list[dict[str, Any]] = []
    claims: list[tuple[int, list[str]]] = []
    parties: dict[str, list[dict[str, str]]] = {"applicants": [], "inventors": [], "assignees": []}
    agents: list[Any] = []
    pending: dict[str, str] = {}
    prios: list[dict[str, str]] = []
    for code, value in fields:
        text = fclean(value)
        if code in _DESC_CODES:
            if text:
                paras.append({"text": text, "heading": not value.startswith(" ")})
        elif code == "CLPR":
            _claim_part(value, claims)
        elif code == "ABPR":
            if text:
                abstract.append(text)
        elif code[:2] in _PARTY_PREFIX and len(code) == 4:
            group = parties[_PARTY_PREFIX[code[:2]]]
            if code.endswith("NM"):
                group.append({})
            if group and text and text.upper() != "N/A":
                group[-1][code[2:]] = text
        elif code in ("LRFW", "LRAG", "LRAP"):
            agents.append(semicolon_name(text))
        elif code == "LRFM":
            agents.append(semicolon_name(text, kind="organisation"))
        elif code in ("URPN", "URNM", "URPD", "FRCO", "FRPN", "FRPD"):
            if code in ("URPN", "FRPN") and "num" in pending:
                citations.append(_citation(pending, ""))
            pending[
                {"URPN": "num", "FRPN": "num", "URNM": "name", "URPD": "date", "FRPD": "date", "FRCO": "cc"}[
                    code
                ]
            ] = text
            pending.setdefault("cc", "US" if code.startswith("UR") else "")
        elif code in ("URGP", "FRGP"):
            citations.append(_citation(pending, text))
        elif code == "ORPL":
            m = _CITED.search(text)
            body = text[: m.start()] if m else text
            if body:
                citations.append(citation_npl(body, cited_by(m.group(1)) if m else None))
        elif code in ("PRCO", "PRAN", "PRAD"):
            if not prios or code in prios[-1]:
                prios.append({})
            prios[-1][code] = text
        elif code == "COND" and text.startswith("us-provisional-application"):
            toks = text.split()
            if len(toks) >= 3:
                priorities.append(
                    docref(country(toks[1]) or "US", toks[2], parse_date(toks[3]) if len(toks) > 3 else None)
                )
        elif code in ("IPCP", "IPCS"):
            sym = normalize_ipc(text.split()[0]) if text else None
            if sym:
                classes.append({"scheme": "ipc", "code": sym, "main": code == "IPCP"})
        elif code in ("CPOI", "CPOA"):
            sym = normalize_ipc(text.split()[0]) if text else None
            if sym:
                classes.append({"scheme": "cpc", "code": sym, "main": False})
        elif code == "CPOG":
            toks = text.split()
            if len(toks) > 4 and toks[4] == "F":
                sym = normalize_ipc(toks[2])
                if sym:
                    cpc_main.add(sym)
        elif code in ("CCOR", "CCXR") and text:
            classes.append({"scheme": "uspc", "code": text, "main": code == "CCOR"})
    if "num" in pending:
        citations.append(_citation(pending, ""))
    priorities = [_priority(p) for p in prios if p.get("PRAN")] + priorities
    for c in classes:
        if c["scheme"] == "cpc" and c["code"] in cpc_main:
            c["main"] = True
    title = fclean(one.get("TTL"))
    pdates = [p["date"] for p in priorities if p["date"]]
    hint = "design" if design else ("patent" if grant else "application")
    return build(
        {
            "pubno": pubno,
            "doc_type": doc_type_for(pubno, hint),
            "lang": "en",
            "application": application,
            "priorities": priorities,
            "filing_date": filed,
            "publication_date": issue,
            "grant_date": issue if grant else None,
            "priority_date": min(pdates) if pdates else filed,
            "titles": {"en": title} if title else {},
            "abstracts": {"en": "\n".join(abstract)} if abstract else {},
            "claims": _claims(claims),
            "description": {"lang": "en", "paragraphs": paras} if paras else None,
            "classifications": dedupe_codes(classes),
            "applicants": _parties(parties["applicants"], None),
            "assignees": _parties(parties["assignees"], None),
            "inventors": _parties(parties["inventors"], "person"),
            "agents": dedupe(agents),
            "citations": citations,
            "family_members": _prior_publication(one.get("PDID"), pubno.doc_id),
        }
    )


def _prior_publication(pdid: str | None, own: str) -> list[str]:
    """``PDID  US 20130120958 A1``: the application's pre-grant publication, same family."""
    pub = try_parse_pubno(fclean(pdid)) if pdid else None
    return [pub.doc_id] if pub and pub.doc_id != own else []


def _priority(p: dict[str, str]) -> dict[str, Any]:
    return docref(country(p.get("PRCO")), p["PRAN"], parse_date(p.get("PRAD")))


def _citation(pending: dict[str, str], group: str) -> dict[str, Any]:
    """A citation from the ``URPN``/``URNM``/``URPD`` (or ``FR…``) fields and the ``…GP`` line."""
    m = _CITED.search(group)
    by = cited_by(m.group(1)) if m else None
    toks = (group[: m.start()] if m else group).split()
    kind = toks[2] if len(toks) > 2 and _KIND.match(toks[2]) else None
    num = pending.get("num") or (toks[1] if len(toks) > 1 else "")
    cc = pending.get("cc") or (toks[0] if toks else "US")
    cit = citation_patent(num, cc, kind, pending.get("date"), pending.get("name"), by)
    pending.clear()
    return cit


def _parties(group: list[dict[str, str]], kind: PartyKind | None) -> list[Any]:
    out = []
    for f in group:
        cc = country(f.get("CO")) or ("US" if f.get("ST") and len(f.get("ST", "")) == 2 else None)
        k: PartyKind | None = kind
        if k is None:
            tc = f.get("TC", "")
            k = "organisation" if tc in _ORG_CODES else ("person" if tc in _PERSON_CODES else None)
        out.append(semicolon_name(f.get("NM", ""), country_code=cc, city=f.get("CI"), kind=k))
    return dedupe(out)


def _claim_part(value: str, claims: list[tuple[int, list[str]]]) -> None:
    text = fclean(value)
    if not text:
        return
    m = _NUM_START.match(text)
    if m:
        claims.append((int(m.group(1)), [text]))
    elif claims:
        claims[-1][1].append(text)
    else:
        claims.append((1, [text]))


def _claims(raw: list[tuple[int, list[str]]]) -> list[dict[str, Any]]:
    out = []
    for num, parts in raw:
        text = strip_claim_number(" ".join(parts))
        if not text:
            continue
        deps = text_refs(text, num)
        out.append(claim(num, text, deps))
    return out
