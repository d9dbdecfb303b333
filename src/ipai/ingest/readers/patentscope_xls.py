"""WIPO PATENTSCOPE result-set exports (``patentscope-xls``): .xls, .xlsx or CSV.

Sheet "ResultSet": a few preamble rows (blank, ``Query: …``), then the header ``Publication
Number | Publication Date | Title | Priority Data | IPC | Applicants | Inventors | FP Image``.
Numbers carry no kind code (``US20150376176``, ``EP2957383``): the kind stays empty and
:attr:`PubNo.doc_id` infers the letter. Dates are ``dd.mm.yyyy``; priority data is a bracketed
list ``[60582692 2004-06-24T23:59:59.000Z US, 61/360,532 01.07.2010 US, US 20100729 12/845,997]``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from ipai.ingest.base import Item, Reader, Source, build_item
from ipai.ingest.limits import RecordTooLarge, read_capped
from ipai.ingest.readers._biblio_export import (
    class_list,
    csv_rows,
    earliest,
    party_list,
    pubno_of,
    split,
    titles,
)
from ipai.ingest.util import clean
from ipai.model import DocRef, PatentDocument, PubNo, doc_type_for, normalize_appno, parse_date

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER = (
    "Publication Number",
    "Publication Date",
    "Title",
    "Priority Data",
    "IPC",
    "Applicants",
    "Inventors",
)
_FIELDS = {
    "pubno": "Publication Number",
    "pub_date": "Publication Date",
    "title": "Title",
    "priorities": "Priority Data",
    "ipc": "IPC",
    "applicants": "Applicants",
    "inventors": "Inventors",
}
_HEADER_SCAN = 30  # rows searched for the header

# ---- numbers and priorities ------------------------------------------------------------------
_MX = re.compile(r"^MX\s*(PA|MX)\s*/\s*[A-Z]\s*/\s*(\d{4})\s*/\s*(\d+)$", re.IGNORECASE)
_KR_REG = re.compile(r"^KR(10\d{7})0000$")


def ps_pubno(raw: str) -> PubNo:
    """PATENTSCOPE publication numbers, including ``KR101130924*`` (registrations are starred;
    ``KR1015514300000*`` carries the ``-0000`` suffix of KR registration numbers) and Mexican
    file numbers ``mxPA/a/2005/008192`` → MX PA05008192, ``mxMX/a/2007/002094`` → MX 2007002094
    (the DOCDB spellings)."""
    s = clean(raw).rstrip("*").strip()
    m = _MX.match(s)
    if m:
        series, year, serial = m.group(1).upper(), m.group(2), m.group(3)
        number = f"PA{year[2:]}{serial.zfill(6)}" if series == "PA" else f"{year}{serial.zfill(6)}"
        return PubNo(country="MX", number=number)
    m = _KR_REG.match(s.upper().replace(" ", ""))
    if m:
        s = "KR" + m.group(1)
    return pubno_of(s)


_PRIO_CC_DATE_NUM = re.compile(r"^([A-Z]{2}) (\d{8}) (.+)$")  # "US 20100729 12/845,997"
_PRIO_NUM_DATE_CC = re.compile(
    r"^(.+?)(?:\s+(\d{4}-\d{2}-\d{2}T\S*|\d{2}\.\d{2}\.\d{4}))?(?:\s+([A-Z]{2}))?\s*$"
)
_CC_PREFIX = re.compile(r"^([A-Z]{2})(?=\d)")
_NO_NUMBER = re.compile(r"^(?:null\b|\d{4}-\d{2}-\d{2}T|\d{2}\.\d{2}\.\d{4}\b)", re.IGNORECASE)


def ps_priorities(cell: str) -> list[DocRef]:
    """Priority claims from a PATENTSCOPE "Priority Data" cell (entries without a number,
    written ``null``, are dropped)."""
    s = clean(cell).strip("[] ")
    out: list[DocRef] = []
    for part in s.split(", "):
        part = part.strip()
        if not part or _NO_NUMBER.match(part):  # "null 23.09.2004 US", " 1991-08-16T… US"
            continue
        m = _PRIO_CC_DATE_NUM.match(part)
        if m:
            cc, date, num = m.groups()
        else:
            m = _PRIO_NUM_DATE_CC.match(part)
            if not m:
                continue
            num, date, cc = m.groups()
        num = num.strip()
        if not num or num.lower() == "null":
            continue
        if not cc:
            pm = _CC_PREFIX.match(num)
            cc = pm.group(1) if pm else None
        number = normalize_appno(num)
        if cc and number.startswith(cc) and number[len(cc) : len(cc) + 1].isdigit():
            number = number[len(cc) :]
        if number:
            out.append(DocRef(country=cc, number=number, date=parse_date(date) if date else None))
    return out


# ---- sheets ----------------------------------------------------------------------------------
def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.date, dt.datetime)):
        return v
    return str(v)


def _xls_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    import xlrd

    wb = xlrd.open_workbook(file_contents=data, on_demand=True)
    try:
        names = wb.sheet_names()
        sh = wb.sheet_by_name("ResultSet") if "ResultSet" in names else wb.sheet_by_index(0)
        for r in range(sh.nrows):
            values = []
            for c in sh.row(r):
                if c.ctype == xlrd.XL_CELL_DATE:
                    values.append(xlrd.xldate.xldate_as_datetime(c.value, wb.datemode))
                else:
                    values.append(_cell(c.value))
            yield r + 1, values
    finally:
        wb.release_resources()


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        ws = wb["ResultSet"] if "ResultSet" in wb.sheetnames else wb.worksheets[0]
        for r, row in enumerate(ws.iter_rows(values_only=True), 1):
            yield r, [_cell(v) for v in row]
    finally:
        wb.close()


def _check_expansion(data: bytes, limit: int) -> None:
    """Refuse an .xlsx whose parts expand past 8 times the record limit (the workbook is read whole)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        size = sum(i.file_size for i in zf.infolist())
    if size > 8 * limit:
        raise RecordTooLarge(size, 8 * limit, at_least=False)


def _csv_rows(source: Source) -> Iterator[tuple[int, list[Any] | RecordTooLarge]]:
    yield from enumerate(csv_rows(source), 1)


class PatentscopeXls(Reader):
    """PATENTSCOPE search result list downloaded as a spreadsheet."""

    name = "patentscope-xls"
    description = (
        "WIPO PATENTSCOPE result-set export (.xls/.xlsx/.csv: Publication Number, "
        "Publication Date, Title, Priority Data, IPC, Applicants, Inventors)"
    )
    priority = 30

    def sniff(self, source: Source) -> int:
        head = source.head()
        if head.startswith(_OLE):
            ok = all(
                n.encode("latin-1") in head or n.encode("utf-16-le") in head
                for n in ("Publication Number", "Priority Data", "Applicants", "Inventors")
            )
            return 80 if ok else 0
        if head.startswith(b"PK"):
            return 80 if self._xlsx_has_header(source) else 0
        try:
            text = head.decode("utf-8-sig", errors="replace").splitlines()[:_HEADER_SCAN]
            rows = list(csv.reader(text))
        except csv.Error:
            return 0
        return 80 if any(set(_HEADER) <= {c.strip() for c in row} for row in rows) else 0

    @staticmethod
    def _xlsx_has_header(source: Source) -> bool:
        """An .xlsx whose shared strings (or first sheet) name the PATENTSCOPE columns."""
        if not source.basename.lower().endswith((".xlsx", ".xlsm")):
            return False
        try:
            if source.member is None:
                zf = zipfile.ZipFile(source.path)
            else:  # an .xlsx inside a zip: the workbook is read whole anyway
                with source.open() as fh:
                    zf = zipfile.ZipFile(io.BytesIO(read_capped(fh, source.max_record)))
            with zf:
                names = set(zf.namelist())
                for part in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"):
                    if part in names:
                        with zf.open(part) as fh:
                            text = fh.read(1 << 16)
                        if all(n.encode() in text for n in ("Publication Number", "Priority Data")):
                            return True
        except (zipfile.BadZipFile, OSError, KeyError, RecordTooLarge):
            return False
        return False

    def _rows(self, source: Source) -> Iterator[tuple[int, list[Any] | RecordTooLarge]]:
        head = source.head(8)
        if head.startswith(_OLE) or head.startswith(b"PK"):
            with source.open() as fh:  # spreadsheet formats need the whole workbook: it is one record
                data = read_capped(fh, source.max_record)
            if head.startswith(_OLE):
                return _xls_rows(data)
            _check_expansion(data, source.max_record)
            return _xlsx_rows(data)
        return _csv_rows(source)

    def read(self, source: Source) -> Iterator[Item]:
        sheet_row = None
        try:
            rows = self._rows(source)
            idx: dict[str, int] | None = None
            for sheet_row, values in rows:
                if isinstance(values, RecordTooLarge):
                    raise values
                names = [clean(v) if isinstance(v, str) else "" for v in values]
                if set(_HEADER) <= set(names):
                    idx = {f: names.index(h) for f, h in _FIELDS.items()}
                    width = len(values)
                    break
                if sheet_row >= _HEADER_SCAN:
                    break
        except RecordTooLarge as exc:
            yield Item("file" if sheet_row is None else "header", error=str(exc))
            return
        except Exception as exc:  # xlrd/openpyxl raise their own types for damaged files
            yield Item("file", error=f"not a readable spreadsheet: {type(exc).__name__}: {exc}")
            return
        if idx is None:
            yield Item(
                "header",
                error=f"no PATENTSCOPE header row ({', '.join(_HEADER)}) in the first {_HEADER_SCAN} rows",
            )
            return
        is_csv = not source.head(8).startswith((_OLE, b"PK"))
        need = max(idx.values()) + 1
        for n, (sheet_row, values) in enumerate(rows, 1):
            if isinstance(values, RecordTooLarge):
                yield Item(f"row {n}", error=str(values))
                continue
            if not any(clean(v) if isinstance(v, str) else v for v in values):
                continue
            loc = f"row {n}" if is_csv else f"row {n} (sheet row {sheet_row})"
            if is_csv and len(values) != width:
                yield Item(loc, error=f"expected {width} fields, found {len(values)}")
                continue
            if len(values) < need:
                values = list(values) + [""] * (need - len(values))
            fields = {f: values[i] for f, i in idx.items()}
            item = build_item(loc, lambda: self._document(fields))
            rec = item.record
            yield Item(f"row {n} ({rec.pubno})", record=rec) if isinstance(rec, PatentDocument) else item

    @staticmethod
    def _document(f: dict[str, Any]) -> PatentDocument:
        pubno = ps_pubno(str(f["pubno"]))
        priorities = ps_priorities(str(f["priorities"]))
        return PatentDocument(
            pubno=pubno,
            doc_type=doc_type_for(pubno),
            priorities=priorities,
            publication_date=parse_date(f["pub_date"]),
            priority_date=earliest(priorities),
            titles=titles(str(f["title"])),
            classifications=class_list(ipc=split(f["ipc"], ";")),
            applicants=party_list(split(f["applicants"], ";")),
            inventors=party_list(split(f["inventors"], ";")),
        )
