"""Labelled cases for evaluations (JSONL or TSV with a header), read with errors that name the
file, the line and the field."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ipai.errors import InputError

SPLITS = ("dev", "test")


@dataclass
class Case:
    """One labelled case: a text (a claim, or a claim and a product) and what it should give."""

    id: str
    kind: str
    split: str
    text: str
    doc: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _bad(where: str, fld: str, message: str) -> InputError:
    return InputError(f"{where}: {message}", errors=[{"field": fld, "message": message, "where": where}])


def read_rows(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """(where, row) of a JSONL or TSV file (``where`` is ``file:line``)."""
    p = Path(path)
    if not p.is_file():
        raise _bad(str(p), "file", "file not found")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise _bad(str(p), "file", "not a UTF-8 text file") from None
    out = []
    if p.suffix.lower() in (".tsv", ".csv", ".txt"):
        reader = csv.DictReader(text.splitlines(), delimiter="\t" if p.suffix.lower() != ".csv" else ",")
        for n, row in enumerate(reader, 2):
            out.append((f"{p.name}:{n}", dict(row)))
        return out
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:  # a JSONDecodeError, or a number too long to convert
            why = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            raise _bad(f"{p.name}:{n}", "line", f"not valid JSON ({why})") from None
        if not isinstance(row, dict):
            raise _bad(f"{p.name}:{n}", "line", "each line must be a JSON object")
        out.append((f"{p.name}:{n}", row))
    return out


def read_cases(paths: list[Path], *, text_field: str = "claim", need_doc: bool = True) -> list[Case]:
    """The cases of the files, checked: a text, a kind, a split (dev/test) and, when needed, the
    document it concerns."""
    cases: list[Case] = []
    seen: set[str] = set()
    for path in paths:
        for where, row in read_rows(path):
            text = str(row.get(text_field) or "").strip()
            if not text:
                raise _bad(where, text_field, f"the field {text_field!r} is empty or missing")
            split = str(row.get("split") or "").strip()
            if split not in SPLITS:
                raise _bad(where, "split", f"split must be dev or test, not {split!r}")
            kind = str(row.get("kind") or "").strip()
            if not kind:
                raise _bad(where, "kind", "the field 'kind' is empty or missing")
            doc = str(row.get("doc") or "").strip()
            if need_doc and not doc:
                raise _bad(
                    where, "doc", "the field 'doc' (the document the case is about) is empty or missing"
                )
            cid = str(row.get("id") or where)
            if cid in seen:
                raise _bad(where, "id", f"duplicate case id {cid!r}")
            seen.add(cid)
            extra = {k: v for k, v in row.items() if k not in ("id", "kind", "split", text_field, "doc")}
            cases.append(Case(cid, kind, split, text, doc, extra))
    if not cases:
        raise InputError("no cases in the given files", errors=[{"field": "files", "message": "empty"}])
    return cases
