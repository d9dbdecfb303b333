"""PatentsView bulk tables with several rows per patent (legacy ``rawinventor.tsv``, ``claims_2019.tsv``,
``cpc_current.tsv``…; current ``g_inventor_not_disambiguated.tsv``, ``g_cpc_current.tsv``…),
joined by ``patent_id`` into one partial record per patent and table.

The rows of one patent need not be next to each other (the legacy raw tables are ordered by their
``uuid``), so a table is first spilled to a temporary SQLite file and read back grouped by patent:
memory stays flat whatever the table's size, and the records come in a stable order (resume
counts them). Each table fills its own fields — inventors, assignees, claims, CPC, IPC, cited
patents, foreign citations, other references, foreign priorities, the application — and the
store merges the tables of a patent with its ``patent.tsv`` / ``g_patent.tsv`` row by publication
number.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ipai.ingest.base import Item, Source
from ipai.ingest.readers._csvrows import CsvTable
from ipai.ingest.readers._officecommon import claim_fields, date_of, party, split_ipc
from ipai.ingest.readers._officexml import mapped_items
from ipai.model import normalize_appno, normalize_ipc, parse_pubno, try_parse_pubno

Row = dict[str, str]


@dataclass(frozen=True)
class Table:
    """One kind of bulk table: the columns that identify it and how its rows of a patent map."""

    name: str
    needs: tuple[tuple[str, ...], ...]  # each: alternative column names, one must be present
    build: Callable[[list[Row]], dict[str, Any]]
    order: tuple[str, ...] = ("sequence",)  # columns ordering the rows of one patent
    forbid: tuple[str, ...] = (
        "text",
        "claim_text",
    )  # a column that says it is another table (claims+CPC sets)


def _g(r: Row, *names: str) -> str:
    return next((r[n].strip() for n in names if r.get(n, "").strip() not in ("", "NULL")), "")


def _num(r: Row, *names: str) -> float:
    try:
        return float(_g(r, *names) or 0)
    except ValueError:
        return 0.0


def _inventors(rows: list[Row]) -> dict[str, Any]:
    out = []
    for r in rows:
        first = _g(r, "name_first", "raw_inventor_name_first", "inventor_name_first")
        last = _g(r, "name_last", "raw_inventor_name_last", "inventor_name_last")
        p = party(f"{last}, {first}".strip(", "), kind="person", last=last, first=first)
        if p and p not in out:
            out.append(p)
    return {"inventors": out}


def _assignees(rows: list[Row]) -> dict[str, Any]:
    out = []
    for r in rows:
        org = _g(r, "organization", "raw_assignee_organization", "assignee_organization")
        if org:
            p = party(org, kind="organisation")
        else:
            first = _g(
                r, "name_first", "raw_assignee_individual_name_first", "assignee_individual_name_first"
            )
            last = _g(r, "name_last", "raw_assignee_individual_name_last", "assignee_individual_name_last")
            p = party(f"{last}, {first}".strip(", "), kind="person", last=last, first=first)
        if p and p not in out:
            out.append(p)
    return {"assignees": out}


def _claims(rows: list[Row]) -> dict[str, Any]:
    out: list[dict[str, Any]] = []
    for i, r in enumerate(rows, 1):
        num = _g(r, "claim_number") or (str(int(_num(r, "sequence")) or i) if "sequence" in r else "")
        if not num and "claim_sequence" in r:
            num = str(int(_num(r, "claim_sequence")) + 1)
        dep = _g(r, "dependent")
        marked = re.findall(r"\d+", dep) if dep and dep.lower() not in ("-1", "none") else []
        out.extend(claim_fields(num, i, [_g(r, "text", "claim_text")], "en", marked))
    return {"claims": out}


def _cpc(rows: list[Row]) -> dict[str, Any]:
    out: list[dict[str, Any]] = []
    for r in rows:
        code = normalize_ipc(_g(r, "subgroup_id", "cpc_group"))
        main = _g(r, "category", "cpc_type").lower() == "inventive" and not any(c["main"] for c in out)
        if code and all(c["code"] != code for c in out):
            out.append({"scheme": "cpc", "code": code, "main": main})
    return {"classifications": out}


def _ipc(rows: list[Row]) -> dict[str, Any]:
    out: list[dict[str, Any]] = []
    for i, r in enumerate(rows):
        code = split_ipc(
            _g(r, "section"), _g(r, "ipc_class"), _g(r, "subclass"), _g(r, "main_group"), _g(r, "subgroup")
        )
        pos = _g(r, "symbol_position")
        if code and all(c["code"] != code for c in out):
            out.append({"scheme": "ipc", "code": code, "main": pos == "F" if pos else i == 0})
    return {"classifications": out}


_CATEGORY = {
    "cited by examiner": "examiner",
    "cited by applicant": "applicant",
    "cited by other": "unknown",
    "cited by third party": "third-party",
}


def _us_citations(rows: list[Row]) -> dict[str, Any]:
    out = []
    for r in rows:
        num = _g(r, "citation_id", "citation_patent_id")
        pn = try_parse_pubno(num, "US", _g(r, "kind", "wipo_kind") or None) if num else None
        if pn or num:
            out.append(
                {
                    "kind": "patent",
                    "pubno": pn,
                    "text": None if pn else f"US {num}",
                    "date": _g(r, "date", "citation_date")[:10] or None,
                    "name": _g(r, "name", "record_name") or None,
                    "cited_by": _CATEGORY.get(_g(r, "category", "citation_category").lower()),
                }
            )
    return {"citations": out}


def _foreign_citations(rows: list[Row]) -> dict[str, Any]:
    out = []
    for r in rows:
        num, cc = _g(r, "number", "citation_application_id"), _g(r, "country", "citation_country")
        pn = try_parse_pubno(num, cc or None) if num else None
        if pn or num:
            out.append(
                {
                    "kind": "patent",
                    "pubno": pn,
                    "text": None if pn else f"{cc} {num}".strip(),
                    "date": _g(r, "date", "citation_date")[:10] or None,
                    "cited_by": _CATEGORY.get(_g(r, "category", "citation_category").lower()),
                }
            )
    return {"citations": out}


def _npl(rows: list[Row]) -> dict[str, Any]:
    return {
        "citations": [
            {"kind": "npl", "text": t} for t in (_g(r, "text", "other_reference_text") for r in rows) if t
        ]
    }


def _priorities(rows: list[Row]) -> dict[str, Any]:
    out = []
    for r in rows:
        num = _g(r, "number", "foreign_application_id")
        if num:
            out.append(
                {
                    "country": (
                        _g(r, "country_transformed", "country", "foreign_country_filed")[:2].upper() or None
                    ),
                    "number": normalize_appno(num),
                    "date": date_of(_g(r, "date", "filing_date")),
                }
            )
    dates = [p["date"] for p in out if p["date"]]
    return {"priorities": out, "priority_date": min(dates) if dates else None}


def _application(rows: list[Row]) -> dict[str, Any]:
    r = rows[0]
    num, date = _g(r, "number"), date_of(_g(r, "date"))
    return {
        "application": {"country": "US", "number": normalize_appno(num), "date": date} if num else None,
        "filing_date": date,
    }


TABLES = (
    Table(
        "inventors",
        (("patent_id",), ("name_last", "raw_inventor_name_last"), ("name_first", "raw_inventor_name_first")),
        _inventors,
        ("sequence", "inventor_sequence"),
    ),
    Table(
        "assignees",
        (("patent_id",), ("organization", "raw_assignee_organization")),
        _assignees,
        ("sequence", "assignee_sequence"),
    ),
    Table(
        "claims",
        (("patent_id",), ("text", "claim_text"), ("dependent",)),
        _claims,
        ("sequence", "claim_sequence", "claim_number"),
        ("subgroup_id", "cpc_group"),
    ),
    Table(
        "cpc",
        (("patent_id",), ("subgroup_id", "cpc_group"), ("category", "cpc_type")),
        _cpc,
        ("sequence", "cpc_sequence"),
    ),
    Table(
        "ipc",
        (("patent_id",), ("section",), ("ipc_class",), ("main_group",)),
        _ipc,
        ("sequence", "ipc_sequence"),
    ),
    Table(
        "us citations",
        (("patent_id",), ("citation_id", "citation_patent_id"), ("category", "citation_category")),
        _us_citations,
        ("sequence", "citation_sequence"),
    ),
    Table(
        "foreign citations",
        (
            ("patent_id",),
            ("number", "citation_application_id"),
            ("country", "citation_country"),
            ("category", "citation_category"),
        ),
        _foreign_citations,
        ("sequence", "citation_sequence"),
    ),
    Table(
        "other references",
        (("patent_id",), ("text", "other_reference_text"), ("sequence", "other_reference_sequence")),
        _npl,
        ("sequence", "other_reference_sequence"),
        ("subgroup_id", "citation_id"),
    ),
    Table(
        "foreign priorities",
        (
            ("patent_id",),
            ("number", "foreign_application_id"),
            ("date", "filing_date"),
            ("country", "foreign_country_filed", "country_transformed"),
        ),
        _priorities,
        ("sequence", "priority_claim_sequence"),
    ),
    Table("applications", (("patent_id",), ("series_code",), ("number",), ("date",)), _application, ()),
)


def table_of(header: list[str]) -> Table | None:
    """The bulk table a normalised header belongs to, if any."""
    cols = set(header)
    return next(
        (t for t in TABLES if all(cols & set(alts) for alts in t.needs) and not cols & set(t.forbid)), None
    )


def read_table(source: Source, delimiter: str, table: Table) -> Iterator[Item]:
    """Items of a multi-row table: broken rows first (as met), then one record per patent."""
    csvt = CsvTable(source, delimiter=delimiter)
    fd, path = tempfile.mkstemp(prefix="ipai-pv-", suffix=".sqlite")
    os.close(fd)
    db = sqlite3.connect(path)
    try:
        db.execute("CREATE TABLE r (pid TEXT, k REAL, n INTEGER, cells TEXT)")
        batch: list[tuple[str, float, int, str]] = []
        header: list[str] = []
        for row in csvt.rows():
            if row.cells is None:
                yield Item(f"row {row.num}", error=row.error)
                continue
            header = csvt.header
            rec = dict(zip(header, row.cells, strict=False))
            pid = rec.get("patent_id", "").strip()
            if not pid:
                yield Item(f"row {row.num}", error="no patent_id")
                continue
            batch.append(
                (pid, _num(rec, *table.order) if table.order else 0.0, row.num, json.dumps(row.cells))
            )
            if len(batch) >= 5000:
                db.executemany("INSERT INTO r VALUES (?,?,?,?)", batch)
                batch = []
        if batch:
            db.executemany("INSERT INTO r VALUES (?,?,?,?)", batch)
        db.execute("CREATE INDEX ix ON r (pid, k, n)")
        cur: str | None = None
        rows: list[Row] = []
        for pid, cells in db.execute("SELECT pid, cells FROM r ORDER BY pid, k, n"):
            if pid != cur and cur is not None:
                yield from _record(cur, rows, table)
                rows = []
            cur = pid
            rows.append(dict(zip(header, json.loads(cells), strict=False)))
        if cur is not None:
            yield from _record(cur, rows, table)
    finally:
        db.close()
        os.unlink(path)


def _record(pid: str, rows: list[Row], table: Table) -> Iterator[Item]:
    def build() -> list[dict[str, Any]]:
        return [{"pubno": parse_pubno(pid, "US", None), **table.build(rows)}]

    yield from mapped_items(pid, build, lambda: f"US{pid}")
