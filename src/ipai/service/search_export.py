"""Exporting a result set as CSV (UTF-8 with a byte-order mark, so that Excel opens Chinese
correctly) or XLSX (openpyxl's write-only mode), up to ``search_export_max`` rows
(``Service.search_tools.export_results``).

Rows are read and written in batches of :data:`BATCH` documents: memory stays flat whatever the
number of rows (an XLSX is written to a temporary file on disk, then streamed). The rows are the
whole matched set of a query in the order the results page shows (relevance: the keyword side's
order; a date or citation sort: that order), or exactly the documents selected on the page.
Column headers and legal-status labels are in the reader's language."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ipai.service.status import StatusService
    from ipai.store import Store

BATCH = 500
ABSTRACT_CHARS = 300
FORMATS = ("csv", "xlsx")
COLUMNS: list[tuple[str, dict[str, str]]] = [
    ("pubno", {"en": "Publication number", "zh": "公开号"}),
    ("title", {"en": "Title", "zh": "标题"}),
    ("applicants", {"en": "Applicants", "zh": "申请人"}),
    ("date", {"en": "Publication date", "zh": "公开日"}),
    ("country", {"en": "Country", "zh": "国家/地区"}),
    ("classes", {"en": "Classes (CPC/IPC)", "zh": "分类号 (CPC/IPC)"}),
    ("status", {"en": "Legal status", "zh": "法律状态"}),
    ("family", {"en": "Family", "zh": "同族"}),
    ("abstract", {"en": "Abstract", "zh": "摘要"}),
    ("link", {"en": "Link", "zh": "链接"}),
]
WIDTHS = {
    "pubno": 18,
    "title": 50,
    "applicants": 36,
    "date": 12,
    "country": 8,
    "classes": 28,
    "status": 12,
    "family": 18,
    "abstract": 80,
    "link": 40,
}
_FIELDS = (
    "id",
    "pubno",
    "lang",
    "titles",
    "abstracts",
    "applicants",
    "assignees",
    "classifications",
    "family_id",
    "family_size",
    "publication_date",
    "grant_date",
)
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")  # control characters XML (XLSX) cannot hold
_FORMULA = ("=", "+", "-", "@")


@dataclass
class Export:
    """A result set ready to write: headers in the reader's language and the rows, generated."""

    columns: list[str]
    headers: list[str]
    count: int  # rows that will be written
    matched: int  # documents the query matches (or the number selected)
    rows: Iterator[list[str]] = field(repr=False)


def _pick(texts: dict[str, str] | None, lang: str, own: str | None) -> str:
    texts = texts or {}
    return texts.get(lang) or texts.get(own or "") or texts.get("en") or next(iter(texts.values()), "")


def _short(text: str, size: int = ABSTRACT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[:size].rstrip() + "…"


def _pubno(pn: dict[str, Any] | None) -> str:
    pn = pn or {}
    return " ".join(x for x in (pn.get("country", ""), pn.get("number", ""), pn.get("kind") or "") if x)


def _row(f: dict[str, Any], status: Any, lang: str, link: str) -> list[str]:
    from ipai.status import family_key

    codes = [c["code"] for c in f.get("classifications") or () if c.get("scheme") == "cpc"] or [
        c["code"] for c in f.get("classifications") or () if c.get("scheme") == "ipc"
    ]
    parties = f.get("applicants") or f.get("assignees") or ()
    fam = family_key(f)
    if f.get("family_size"):
        fam += f" ({f['family_size']})"
    return [
        _pubno(f.get("pubno")),
        _pick(f.get("titles"), lang, f.get("lang")),
        "; ".join(p["name"] for p in parties if p.get("name")),
        (f.get("publication_date") or f.get("grant_date") or "")[:10],
        (f.get("pubno") or {}).get("country", ""),
        "; ".join(dict.fromkeys(codes)),
        status.label(lang) if status is not None else "",
        fam,
        _short(_pick(f.get("abstracts"), lang, f.get("lang"))),
        link,
    ]


def export_rows(
    store: Store, status: StatusService, ids: list[str], lang: str, base: str, today: Any
) -> Iterator[list[str]]:
    """The rows of the documents ``ids`` (in order; unknown ids skipped), read :data:`BATCH` at a time."""
    from ipai.status import FIELDS as STATUS_FIELDS

    fields = tuple(dict.fromkeys(_FIELDS + STATUS_FIELDS))
    for i in range(0, len(ids), BATCH):
        part = ids[i : i + BATCH]
        rows = store.get_fields(part, fields)
        found = status.statuses_of_fields(rows, today)
        for doc_id in part:
            if doc_id in rows:
                yield _row(rows[doc_id], found.get(doc_id), lang, f"{base}/doc/{doc_id}")


def csv_chunks(export: Export) -> Iterator[bytes]:
    """The export as CSV bytes, a batch of rows at a time: a UTF-8 byte-order mark, the header
    line, then the rows (cells that a spreadsheet would run as a formula start with ``'``)."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\r\n")
    out.writerow(export.headers)
    yield ("\ufeff" + buf.getvalue()).encode("utf-8")
    buf.seek(0)
    buf.truncate()
    for n, row in enumerate(export.rows, 1):
        out.writerow([("'" + v) if v.startswith(_FORMULA) else v for v in row])
        if n % BATCH == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    if buf.tell():
        yield buf.getvalue().encode("utf-8")


def write_xlsx(export: Export, target: IO[bytes], *, sheet: str = "results") -> int:
    """Write the export as an XLSX workbook (write-only: rows go to disk as they come) to a
    binary file; returns the rows written. Every cell is text (a value starting with ``=`` is
    never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    for n, col in enumerate(export.columns, 1):
        ws.column_dimensions[get_column_letter(n)].width = WIDTHS.get(col, 16)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    head = []
    for h in export.headers:
        c = WriteOnlyCell(ws, value=h)
        c.font = bold
        head.append(c)
    ws.append(head)
    rows = 0
    for row in export.rows:
        ws.append([_text_cell(ws, v) if v.startswith("=") else _ILLEGAL.sub("", v) for v in row])
        rows += 1
    wb.save(target)
    return rows


def _text_cell(ws: Any, value: str) -> Any:
    """A cell that shows ``value`` as text (openpyxl would take a leading ``=`` for a formula)."""
    from openpyxl.cell import WriteOnlyCell

    c = WriteOnlyCell(ws, value=_ILLEGAL.sub("", value))
    c.data_type = "s"
    return c
