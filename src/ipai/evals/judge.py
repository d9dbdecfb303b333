"""What an evaluation reads of a result document: the judged text and the filter checks.

Filter checks are the evaluation's own reading of each filter (docs/search.md): ``cc`` the
publication number's country (``US,CN`` = any of them), ``lang`` a language the document has
text in, ``year_from``/``year_to`` the publication year (grant year when there is no
publication date; no date fails), ``cls`` a CPC or IPC code starting with the value (exact when
it holds ``/`` and no ``*``), ``applicant`` every word of the normalised name among the words of
one applicant's or assignee's normalised name, ``doc_type`` the document type.
"""

from __future__ import annotations

import re
from typing import Any

from ipai.model import PatentDocument, make_party

_WORD = re.compile(r"\w+")


def judged_text(doc: PatentDocument) -> str:
    """Titles and abstracts in every language; the first claim of each language when there are neither."""
    parts = list(doc.titles.values()) + list(doc.abstracts.values())
    if not any(p.strip() for p in parts):
        parts = first_claims(doc)
    return "\n".join(parts)


def first_claims(doc: PatentDocument) -> list[str]:
    """Claim 1 in each language of the document (else that language's first claim)."""
    firsts: dict[str, str] = {}
    for c in doc.claims:
        if c.lang not in firsts:
            firsts[c.lang] = c.text
    for c in doc.claims:
        if c.num == 1:
            firsts[c.lang] = c.text
    return list(firsts.values())


def concept_text(doc: PatentDocument) -> str:
    """Titles, abstracts and claim 1 in every language (what a multi-concept query is judged on)."""
    return "\n".join(list(doc.titles.values()) + list(doc.abstracts.values()) + first_claims(doc))


def _year(doc: PatentDocument) -> int | None:
    d = doc.publication_date or doc.grant_date
    return d.year if d else None


def _name_words(name: str) -> set[str]:
    party = make_party(name)
    norm = (party.name_norm if party is not None else "") or name
    return {w.casefold() for w in _WORD.findall(norm)}


def _cls_ok(doc: PatentDocument, value: str) -> bool:
    code = value.upper().replace(" ", "")
    codes = [c.code.upper().replace(" ", "") for c in doc.classifications if c.scheme in ("cpc", "ipc")]
    if "/" in code and not code.endswith("*"):
        return code in codes
    prefix = code.rstrip("*")
    return any(c.startswith(prefix) for c in codes)


def filter_ok(doc: PatentDocument, key: str, value: Any) -> bool:
    """True when the document satisfies one filter (see the module docstring for each reading)."""
    val = str(value).strip()
    if key == "cc":
        return doc.pubno.country.upper() in {c.strip().upper() for c in re.split(r"[,;]", val) if c.strip()}
    if key == "lang":
        return val.lower() in doc.languages
    if key in ("year_from", "year_to"):
        year = _year(doc)
        if year is None:
            return False
        return year >= int(val) if key == "year_from" else year <= int(val)
    if key == "cls":
        return _cls_ok(doc, val)
    if key == "applicant":
        want = _name_words(val)
        return any(
            want <= _name_words(p.name_norm or p.name) | _name_words(p.name)
            for p in doc.applicants + doc.assignees
        )
    if key == "doc_type":
        return (doc.doc_type or "") == val
    raise ValueError(f"unknown filter {key!r}")


def violations(doc: PatentDocument, filters: dict[str, Any]) -> list[str]:
    """Names of the filters the document does not satisfy."""
    return [k for k, v in filters.items() if not filter_ok(doc, k, v)]


def doc_summary(doc: PatentDocument | None, hit: Any) -> dict[str, Any]:
    """Id, number, languages and title of a result for a report row."""
    title = (doc.title if doc is not None else "") or getattr(hit, "title", "")
    return {"id": hit.id, "pubno": str(getattr(hit, "pubno", "")), "title": title[:160]}
