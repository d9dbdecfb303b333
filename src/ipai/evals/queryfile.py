"""Query files of the search evaluations: UTF-8 TSV with a header row, one query per line.

Shared rules (docs/search.md, "Evaluations"): tab-separated, no quoting (a regular expression
may contain quotes), header names case-insensitive, lines starting with ``#`` and blank lines
ignored, unknown columns kept as notes. Optional columns in every file: ``split`` (e.g. dev,
test), ``id``, ``note``, ``query_lang`` (overrides the detected query language), ``filters``
(``cc=US;lang=en;year_from=2015``) and one column per filter name (``cc``, ``lang``, …).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipai.errors import InputError

FILTER_KEYS = ("cc", "lang", "year_from", "year_to", "cls", "applicant", "doc_type")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass
class QueryRow:
    """One query line: the text, its filters, the raw columns and where it came from."""

    query: str
    filters: dict[str, str]
    cols: dict[str, str]
    line: int
    file: str
    split: str = ""
    qid: str = ""
    query_lang: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def where(self) -> str:
        """``file:line`` for messages."""
        return f"{self.file}:{self.line}"


def query_language(text: str) -> str:
    """Language of a query by script: Han → zh, kana → ja, Hangul → ko, anything else → en."""
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if _HAN.search(text):
        return "zh"
    return "en"


def parse_filters(text: str, where: str = "") -> dict[str, str]:
    """``cc=US;lang=en;year_from=2015`` → a filter mapping (empty text → no filters)."""
    out: dict[str, str] = {}
    for part in (text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        key, sep, val = part.partition("=")
        key, val = key.strip().lower(), val.strip()
        if not sep or not val:
            raise InputError(f"{where}: filter {part!r} is not name=value")
        if key not in FILTER_KEYS:
            raise InputError(f"{where}: unknown filter {key!r} (use {', '.join(FILTER_KEYS)})")
        out[key] = val
    return out


def format_filters(filters: dict[str, str]) -> str:
    """The inverse of :func:`parse_filters` (for reports)."""
    return ";".join(f"{k}={v}" for k, v in filters.items())


def compile_regex(pattern: str, where: str) -> re.Pattern[str]:
    """A case-insensitive regular expression from a query file, or an error naming the line."""
    if not pattern.strip():
        raise InputError(f"{where}: empty regular expression")
    try:
        return re.compile(pattern.strip(), re.IGNORECASE)
    except re.error as exc:
        raise InputError(f"{where}: bad regular expression {pattern!r}: {exc}") from exc


def read_queries(path: Path, required: tuple[str, ...], split: str | None = None) -> list[QueryRow]:
    """Rows of a query file that has the ``required`` columns (only the ``split`` ones if given)."""
    if not path.is_file():
        raise InputError(f"query file not found: {path}")
    header: list[str] | None = None
    rows: list[QueryRow] = []
    with path.open(encoding="utf-8-sig") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = [c.strip().lower() for c in cells]
                missing = [c for c in required if c not in header]
                if missing:
                    raise InputError(
                        f"{path}:{lineno}: header lacks column(s) {', '.join(missing)} "
                        f"(found {', '.join(header)}; columns are separated by tabs)"
                    )
                continue
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
                raise InputError(f"{path}:{lineno}: {len(cells)} columns, header has {len(header)}")
            cols = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
            rows.append(_row(cols, lineno, str(path)))
    if header is None:
        raise InputError(f"{path}: empty query file")
    if split:
        rows = [r for r in rows if r.split == split]
    if not rows:
        raise InputError(f"{path}: no queries" + (f" in split {split!r}" if split else ""))
    return rows


def _row(cols: dict[str, str], lineno: int, file: str) -> QueryRow:
    where = f"{file}:{lineno}"
    query = cols.get("query", "")
    if not query:
        raise InputError(f"{where}: empty query")
    filters = parse_filters(cols.get("filters", ""), where)
    for key in FILTER_KEYS:
        if cols.get(key):
            filters[key] = cols[key]
    known = {"query", "filters", "split", "id", "query_lang", *FILTER_KEYS}
    return QueryRow(
        query=query,
        filters=filters,
        cols=cols,
        line=lineno,
        file=file,
        split=cols.get("split", ""),
        qid=cols.get("id", "") or f"line {lineno}",
        query_lang=cols.get("query_lang", "") or query_language(query),
        extra={k: v for k, v in cols.items() if k not in known},
    )


def read_jsonl(path: Path, what: str = "cases") -> list[tuple[int, dict[str, Any]]]:
    """The objects of a JSONL case file with their line numbers (blank lines skipped); an unreadable
    file or a line that is not a JSON object is an error naming the file or the line."""
    import json

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(
            f"{what}: cannot read {path.name}: {exc.strerror}",
            errors=[{"field": "file", "message": "unreadable"}],
        ) from None
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            c = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"line {n}: not JSON ({exc.msg})", errors=[{"field": f"line {n}", "message": "not JSON"}]
            ) from None
        if not isinstance(c, dict):
            raise InputError(
                f"line {n}: not a JSON object", errors=[{"field": f"line {n}", "message": "not JSON"}]
            )
        out.append((n, c))
    return out
