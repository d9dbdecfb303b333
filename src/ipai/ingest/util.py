"""Small helpers shared by readers: XML text extraction, error messages, safe conversions."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

_WS = re.compile(r"\s+")


def validation_message(exc: ValidationError) -> str:
    """One line naming every bad field: ``field 'pubno.number': Field required; …``."""
    parts = []
    for e in exc.errors()[:5]:
        path = list(e["loc"])
        if path and path[0] in ("patent", "trademark"):  # the record_type discriminator
            path = path[1:]
        loc = ".".join(str(x) for x in path)
        parts.append(f"field '{loc}': {e['msg']}")
    more = len(exc.errors()) - 5
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def clean(text: Any) -> str:
    """Collapse whitespace; ``''`` for None."""
    if text is None:
        return ""
    return _WS.sub(" ", str(text)).strip()


def itext(el: Any) -> str:
    """All text inside an lxml element (tags dropped), whitespace collapsed."""
    if el is None:
        return ""
    return clean("".join(el.itertext()))


def to_int(value: Any) -> int | None:
    """Integer or ``None`` (accepts '12', '12.0', '')."""
    if value is None:
        return None
    s = str(value).strip()
    if not s:
        return None
    try:
        return int(float(s))
    except ValueError:
        return None


def split_list(value: Any, seps: str = ";;") -> list[str]:
    """Split a multi-valued export cell (Lens uses ';;', PATENTSCOPE ';', WIPO ' | ')."""
    if value is None:
        return []
    s = str(value).strip()
    if not s:
        return []
    return [clean(x) for x in s.split(seps) if clean(x)]
