"""Deterministic merge of one document's source records into the stored document.

Each source (a reader's record from one file) is kept; the document is recomputed from all of
them, highest priority first (full-text XML before bibliographic exports), ties broken by source
name. The result depends only on the set of sources, never on ingest order, so re-ingesting,
resuming a killed ingest or loading files in another order all give the same store.

Rules: scalars and whole lists (claims, parties, citations, description…) come from the first
source that has them; per-language texts and identifiers merge key by key; classifications and
legal events are the union of all sources (first occurrence wins).
"""

from __future__ import annotations

from typing import Any

from ipai.model import PatentDocument

_UNION_KEYS = {
    "classifications": lambda c: (c["scheme"], c["code"]),
    "legal_events": lambda e: (e.get("date"), e["code"], e.get("country")),
}
_DICT_KEYS = {"titles", "abstracts", "ids"}


def merge_sources(sources: list[tuple[int, str, dict[str, Any]]]) -> PatentDocument:
    """Merge ``(priority, source_name, record_as_json_dict)`` tuples into one document."""
    ordered = sorted(sources, key=lambda s: (-s[0], s[1]))
    if len(ordered) == 1:
        return PatentDocument.model_validate(ordered[0][2])
    out: dict[str, Any] = {}
    for _, _, rec in ordered:
        for key, val in rec.items():
            if key == "id" or val in (None, "", [], {}):
                continue
            if key == "pubno":
                if "pubno" not in out:
                    out["pubno"] = dict(val)
                elif not out["pubno"].get("kind") and val.get("kind"):
                    out["pubno"]["kind"] = val["kind"]
            elif key in _DICT_KEYS:
                bucket = out.setdefault(key, {})
                for k, v in val.items():
                    if v and k not in bucket:
                        bucket[k] = v
            elif key in _UNION_KEYS:
                keyf = _UNION_KEYS[key]
                bucket = out.setdefault(key, [])
                seen = {keyf(x) for x in bucket}
                for item in val:
                    if keyf(item) not in seen:
                        seen.add(keyf(item))
                        bucket.append(item)
            elif key not in out:
                out[key] = val
    return PatentDocument.model_validate(out)
