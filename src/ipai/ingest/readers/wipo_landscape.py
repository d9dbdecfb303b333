"""WIPO patent landscape report tables (``wipo-landscape-csv``), e.g. the ritonavir landscape.

Header: ``row no, publication number, kind code, title, priority document, priority country,
earliest priority date, earliest priority year, application date, publication date, publication
year, applicant, inventors, ipc classes, family members, family size, family size, wo in family,
grant or application type families, granted patent``. Lists are `` | ``-separated; inventors
carry a trailing country code (``SOLDIN STEVEN J    US``); IPC symbols are fixed-width
(``C07D41700``, ``A61K031426``) or old-edition (``7A 61K 31:56 J``); "None" means no value.

"granted patent" and "grant or application type families" describe the *family* (an A1 can say
"Grant"/"Yes"), so the document type comes from the kind code, not from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ipai.ingest.base import Item, Reader, Source, build_item
from ipai.ingest.limits import RecordTooLarge
from ipai.ingest.readers._biblio_export import (
    class_list,
    csv_rows,
    head_header,
    party_list,
    pubno_of,
    split,
    titles,
    try_pubno,
)
from ipai.ingest.util import clean, to_int
from ipai.model import DocRef, PatentDocument, doc_type_for, parse_date

_REQUIRED = {
    "row no",
    "publication number",
    "kind code",
    "priority document",
    "earliest priority date",
    "ipc classes",
    "family members",
}
_SEP = " | "
_INVENTOR_CC = re.compile(r"^(.*?\S)\s{2,}([A-Z]{2})$")
_PRIORITY = re.compile(r"^([A-Z]{2})([0-9A-Z]*?\d)([A-Z])?$")


def _list(cell: str) -> list[str]:
    return [] if clean(cell) in ("", "None") else split(cell, "|")


_FIXED = re.compile(r"^([A-HY]\d\d[A-Z])(\d{6,})$")


def ipc_codes(cells: list[str]) -> list[str]:
    """IPC symbols of one row in a form :func:`normalize_ipc` reads.

    Most rows write the main group in 3 digits (``C07D41700`` = C07D 417/00), a few in 4
    (``A61K0031426`` = A61K 31/426, ``A61K000900`` = A61K 9/00). A row is read as 4-digit when
    every symbol has at least 6 digits starting ``00`` and one starts ``000`` (main group 0 does
    not exist, so that row cannot be 3-digit); ``A61B0050245`` alone stays A61B 5/0245."""
    codes = [c.replace(":", "/") for c in cells]
    fixed = [_FIXED.match(c) for c in codes]
    if (
        codes
        and all(m and m.group(2).startswith("00") for m in fixed)
        and any(m and m.group(2).startswith("000") for m in fixed)
    ):
        return [f"{m.group(1)}{int(m.group(2)[:4])}/{m.group(2)[4:]}" for m in fixed if m]
    return codes


def inventor(cell: str) -> tuple[str, str | None]:
    """``SOLDIN STEVEN J    US`` → ``("SOLDIN STEVEN J", "US")``."""
    m = _INVENTOR_CC.match(cell.strip())
    return (m.group(1), m.group(2)) if m else (clean(cell), None)


def priority_doc(raw: str) -> DocRef | None:
    """``US20090220920P`` → US, 20090220920, kind P; ``DE200710026701`` → DE, 200710026701."""
    s = re.sub(r"[\s/,.\-]", "", raw.upper())
    m = _PRIORITY.match(s)
    if not m:
        return None
    return DocRef(country=m.group(1), number=m.group(2), kind=m.group(3))


class WipoLandscapeCsv(Reader):
    """Table of a WIPO patent landscape report."""

    name = "wipo-landscape-csv"
    description = (
        "WIPO patent landscape table (row no, publication number, kind code, title, "
        "priority document, …, ipc classes, family members; ' | ' lists)"
    )
    priority = 35

    def sniff(self, source: Source) -> int:
        rows = head_header(source)
        return 80 if rows and {c.lower() for c in rows[0]} >= _REQUIRED else 0

    def read(self, source: Source) -> Iterator[Item]:
        rows = csv_rows(source)
        first = next(rows, [])
        if isinstance(first, RecordTooLarge):
            yield Item("header", error=str(first))
            return
        header = [clean(h).lower() for h in first]
        if not header:
            return
        if "publication number" not in header:
            yield Item("header", error=f"no 'publication number' column in header {header[:6]}…")
            return
        col = {h: header.index(h) for h in header}  # first occurrence of each name
        sizes = [i for i, h in enumerate(header) if h == "family size"]
        width = len(header)
        for n, row in enumerate(rows, 1):
            if isinstance(row, RecordTooLarge):
                yield Item(f"row {n}", error=str(row))
                continue
            if not row or not any(c.strip() for c in row):
                continue
            rowno = clean(row[col["row no"]]) if "row no" in col and len(row) > col["row no"] else ""
            loc = f"row {n} (row no {rowno})" if rowno else f"row {n}"
            if len(row) != width:
                yield Item(loc, error=f"expected {width} fields, found {len(row)}")
                continue
            item = build_item(loc, lambda: self._document(row, col, sizes))
            rec = item.record
            yield Item(f"row {n} ({rec.pubno})", record=rec) if isinstance(rec, PatentDocument) else item

    @staticmethod
    def _document(row: list[str], col: dict[str, int], sizes: list[int]) -> PatentDocument:
        def get(name: str) -> str:
            i = col.get(name)
            return row[i] if i is not None else ""

        pubno = pubno_of(get("publication number"), kind=clean(get("kind code")) or None)
        priorities = [r for r in map(priority_doc, _list(get("priority document"))) if r]
        priority_date = parse_date(get("earliest priority date"))
        if len(priorities) == 1 and priority_date:
            priorities[0] = priorities[0].model_copy(update={"date": priority_date})
        ipcs = ipc_codes(_list(get("ipc classes")))
        members = [p.doc_id for p in map(try_pubno, _list(get("family members"))) if p]
        return PatentDocument(
            pubno=pubno,
            doc_type=doc_type_for(pubno),
            priorities=priorities,
            filing_date=parse_date(get("application date")),
            publication_date=parse_date(get("publication date")),
            priority_date=priority_date,
            titles=titles(get("title")),
            classifications=class_list(ipc=ipcs),
            applicants=party_list(_list(get("applicant"))),
            inventors=party_list(
                inventor(x) for x in get("inventors").split("|") if x.strip() and x.strip() != "None"
            ),
            family_members=[m for m in dict.fromkeys(members) if m != pubno.doc_id],
            family_size=to_int(row[sizes[0]]) if sizes else None,
        )
