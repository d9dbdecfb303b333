"""IPC subclass and main-group titles from the shared IPC scheme (optional: shown when present)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

_SYMBOL = re.compile(r"^([A-H]\d\d[A-Z])(\d{4})(\d{6})$")
_PAREN = re.compile(r"\([^()]*\)")


def scheme_symbol(raw: str) -> str | None:
    """``A01B0001020000`` → ``A01B1/02``; ``A01B`` → ``A01B``; ``None`` for other rows."""
    raw = raw.strip()
    if len(raw) == 4 and raw[0] in "ABCDEFGH" and raw[1:3].isdigit() and raw[3].isalpha():
        return raw
    m = _SYMBOL.match(raw)
    if not m:
        return None
    sub, main, grp = m.groups()
    grp = grp.rstrip("0")
    return f"{sub}{int(main)}/{grp.ljust(2, '0')}"


def short_title(title: str) -> str:
    """The title without its parenthesised references to other places."""
    prev = None
    while prev != title:
        prev, title = title, _PAREN.sub("", title)
    return re.sub(r"\s+", " ", title).strip(" ;,")


def load_titles(path: Path, wanted: set[str]) -> dict[str, str]:
    """Titles of the wanted subclass and main-group symbols; empty when the file is missing."""
    if not path.is_file() or not wanted:
        return {}
    out: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 2:
                continue
            sym = scheme_symbol(row[0])
            if sym in wanted and sym not in out:
                out[sym] = short_title(row[1])
    return out
