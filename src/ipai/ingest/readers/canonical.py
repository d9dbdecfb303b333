"""ipai canonical JSONL: one record per line, exactly the domain model (``ipai export``).

Any other source can be converted to this format and loaded; see docs/canonical-jsonl.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from pydantic import ValidationError

from ipai.ingest.base import Item, Reader, Source
from ipai.ingest.limits import RecordTooLarge, numbered_lines
from ipai.ingest.util import validation_message
from ipai.model import load_record

_FIELD = re.compile(r'"(id|country|number|kind|office)"\s*:\s*"([^"\\]{1,80})"')


def _name(head: str) -> str | None:
    """The record an oversized line holds, from its first characters: its id, else its number."""
    found: dict[str, str] = {}
    for m in _FIELD.finditer(head):
        found.setdefault(m.group(1), m.group(2))
    if "id" in found:
        return found["id"]
    if "number" in found:
        return (found.get("country") or found.get("office") or "") + found["number"] + found.get("kind", "")
    return None


class CanonicalJsonl(Reader):
    """Canonical JSONL export of ipai (patents and trademarks)."""

    name = "ipai-jsonl"
    description = "ipai canonical JSONL (one patent or trademark record per line)"
    priority = 90

    def sniff(self, source: Source) -> int:
        head = source.head().lstrip()
        if not head.startswith(b"{"):
            return 0
        first = head.split(b"\n", 1)[0]
        return (
            95
            if b'"record_type":"patent"' in first.replace(b" ", b"")
            or b'"record_type":"trademark"' in first.replace(b" ", b"")
            else 0
        )

    def read(self, source: Source) -> Iterator[Item]:
        with source.open_text() as fh:
            for lineno, line in numbered_lines(fh):
                loc = f"line {lineno}"
                if isinstance(line, RecordTooLarge):
                    name = _name(line.head)
                    yield Item(f"{loc} ({name})" if name else loc, error=str(line))
                    continue
                if not line.strip():
                    continue
                try:
                    rec = load_record(line)
                except ValidationError as exc:
                    yield Item(loc, error=validation_message(exc))
                    continue
                except (json.JSONDecodeError, ValueError) as exc:
                    yield Item(loc, error=f"not valid JSON: {exc}")
                    continue
                yield Item(f"{loc} ({rec.id})", record=rec)
