"""Enterprise technical demands (企业技术需求): validation of one record, and bulk import from
CSV/XLSX where every bad row is reported by row and column while the valid rows load.

A demand has free text in Chinese or English (the need itself), a title, and the facts an IP
centre keeps about it: organisation, industry, region, budget, deadline, contact, status.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

from ipai.errors import InputError
from ipai.text.inputs import check_text
from ipai.text.lang import detect

STATUSES = ("open", "closed")
MATCH_STATUSES = ("proposed", "contacted", "agreed", "closed")  # the matches list's workflow
FEEDBACK = ("accepted", "rejected")
LIMITS = {"title": 500, "organisation": 255, "industry": 255, "region": 255, "budget": 100, "contact": 255}
TEXT_CHARS = 20_000

# column names accepted on import (lower-cased; Chinese headings as IP centres write them)
COLUMNS = {
    "title": ("title", "name", "demand", "标题", "需求名称", "名称", "项目名称"),
    "text": ("text", "description", "need", "details", "需求描述", "描述", "需求内容", "内容", "技术需求"),
    "organisation": (
        "organisation",
        "organization",
        "company",
        "enterprise",
        "企业",
        "企业名称",
        "单位",
        "需求单位",
    ),
    "industry": ("industry", "sector", "行业", "所属行业", "产业"),
    "region": ("region", "city", "province", "地区", "所在地区", "区域", "城市"),
    "budget": ("budget", "预算", "投入预算", "经费"),
    "deadline": ("deadline", "due", "截止日期", "截止时间", "期限"),
    "contact": ("contact", "联系人", "联系方式"),
    "status": ("status", "状态"),
}
_ZH_STATUS = {"开放": "open", "进行中": "open", "已关闭": "closed", "关闭": "closed"}


def _date(v: Any, field: str) -> str | None:
    if v in (None, ""):
        return None
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    s = str(v).strip().replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    try:
        return dt.date.fromisoformat("-".join(p.zfill(2) for p in s.split("-"))).isoformat()
    except ValueError:
        raise InputError(
            f"{field}: {v!r} is not a date (use YYYY-MM-DD)",
            errors=[{"field": field, "message": "not a date (YYYY-MM-DD)"}],
        ) from None


def clean_demand(values: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """A validated demand record (``partial``: only the fields given, for updates).
    :class:`InputError` names every bad field."""
    errors: list[dict[str, str]] = []
    out: dict[str, Any] = {}
    unknown = sorted(set(values) - set(COLUMNS) - {"lang", "source"})
    for k in unknown:
        errors.append({"field": k, "message": "unknown field"})
    if not partial or "text" in values:
        try:
            out["text"] = check_text(
                values.get("text"), field="text", what="the demand text", limit=TEXT_CHARS
            )
        except InputError as e:
            errors.extend(e.errors or [{"field": "text", "message": e.message}])
    for k, limit in LIMITS.items():
        if k not in values:
            continue
        v = values[k]
        v = "" if v is None else str(v).strip() if isinstance(v, (str, int, float)) else v
        if not isinstance(v, str):
            errors.append({"field": k, "message": f"must be text, not {type(v).__name__}"})
        elif len(v) > limit:
            errors.append({"field": k, "message": f"longer than {limit} characters"})
        else:
            out[k] = v or None
    if "deadline" in values:
        try:
            out["deadline"] = _date(values["deadline"], "deadline")
        except InputError as e:
            errors.extend(e.errors)
    if "status" in values and values["status"] not in (None, ""):
        st = _ZH_STATUS.get(str(values["status"]).strip(), str(values["status"]).strip().lower())
        if st not in STATUSES:
            errors.append({"field": "status", "message": f"must be one of {', '.join(STATUSES)}"})
        out["status"] = st
    if errors:
        raise InputError(
            "invalid demand: " + "; ".join(f"{e['field']}: {e['message']}" for e in errors), errors=errors
        )
    if "text" in out:
        out["lang"] = values.get("lang") or detect(out["text"], default="en")
        if not partial and not out.get("title"):
            out["title"] = " ".join(out["text"].split())[:60]
    if "source" in values:
        out["source"] = str(values["source"])[:500]
    return out


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a CSV (UTF-8/GB18030) or XLSX file as dicts keyed by the header's cells."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # a broken or mislabelled workbook
            raise InputError(
                f"{path.name}: not a readable XLSX file ({e})",
                errors=[{"field": "file", "message": "not a readable XLSX file"}],
            ) from None
        rows = list(wb.active.iter_rows(values_only=True))
        wb.close()
        if not rows:
            return []
        head = [str(c).strip() if c is not None else "" for c in rows[0]]
        return [dict(zip(head, r, strict=False)) for r in rows[1:] if any(c not in (None, "") for c in r)]
    if suffix not in (".csv", ".txt", ".tsv"):
        raise InputError(
            f"{path.name}: import CSV or XLSX files", errors=[{"field": "file", "message": "not CSV/XLSX"}]
        )
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(
            f"{path.name}: not UTF-8 or GB18030 text", errors=[{"field": "file", "message": "encoding"}]
        )
    dialect = csv.excel_tab if suffix == ".tsv" else csv.excel
    return [
        r
        for r in csv.DictReader(io.StringIO(text), dialect=dialect)
        if any((v or "").strip() for v in r.values() if isinstance(v, str))
    ]


def map_columns(header: list[str]) -> tuple[dict[str, str], list[str]]:
    """Header cell → field, and the cells no field claims."""
    lookup = {alias: f for f, aliases in COLUMNS.items() for alias in aliases}
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    for h in header:
        f = lookup.get((h or "").strip().lower())
        if f and f not in mapping.values():
            mapping[h] = f
        elif h:
            unknown.append(h)
    return mapping, unknown


def import_demands(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Valid demands, errors ``{row, column, message}`` (row = the file's line/row number, header
    = 1), and ignored columns. A file without a text column is refused as a whole."""
    rows = read_rows(path)
    header = list(rows[0].keys()) if rows else []
    mapping, ignored = map_columns(header)
    if "text" not in mapping.values():
        raise InputError(
            f"{path.name}: no demand-text column (one of: {', '.join(COLUMNS['text'])})",
            errors=[{"field": "text", "message": "missing column"}],
        )
    good, bad = [], []
    back = {f: h for h, f in mapping.items()}
    for n, r in enumerate(rows, start=2):
        values = {f: r.get(h) for h, f in mapping.items()}
        values["source"] = f"{path.name}#{n}"
        try:
            good.append(clean_demand(values))
        except InputError as e:
            for err in e.errors:
                bad.append(
                    {"row": n, "column": back.get(err["field"], err["field"]), "message": err["message"]}
                )
    return good, bad, ignored
