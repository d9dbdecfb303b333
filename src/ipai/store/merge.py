"""Deterministic merge of one document's source records into the stored document.

Each source (a reader's record from one file) is kept; the document is recomputed from all of
them, highest priority first (full-text XML before bibliographic exports), ties broken by source
name. The result depends only on the set of sources, never on ingest order, so re-ingesting,
resuming a killed ingest or loading files in another order all give the same store.

Rules: scalars and whole lists (claims, parties, citations, description…) come from the first
source that has them, except that a list its source flags as garbled (``quality_flags``, see
:mod:`ipai.model.quality`) gives way to a clean one from another source; per-language texts and
identifiers merge key by key (for a language both sources have, the text with fewer lost
characters wins); classifications, legal events and quality flags are the union of all sources
(first occurrence wins). The merged document then goes through the same text hygiene as every
record at ingest (a garbled ``und`` text yields to a clean one from another source).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ipai.model import PatentDocument
from ipai.model.quality import clean_document, garbled_fields
from ipai.text.hygiene import lost_chars

_UNION_KEYS: dict[str, Callable[[Any], Any]] = {  # a list item → its identity
    "classifications": lambda c: (c["scheme"], c["code"]),
    "legal_events": lambda e: (e.get("date"), e["code"], e.get("country")),
    "quality_flags": lambda f: f,
}
_DICT_KEYS = {"titles", "abstracts", "ids"}
_TEXT_KEYS = {"titles", "abstracts"}


def merge_sources(sources: list[tuple[int, str, dict[str, Any]]]) -> PatentDocument:
    """Merge ``(priority, source_name, record_as_json_dict)`` tuples into one document."""
    ordered = sorted(sources, key=lambda s: (-s[0], s[1]))
    if len(ordered) == 1:
        return PatentDocument.model_validate(ordered[0][2])
    out: dict[str, Any] = {}
    fallback: dict[str, Any] = {}  # lists their source flags as garbled: used when no source has a clean one
    for _, _, rec in ordered:
        garbled = garbled_fields(rec.get("quality_flags", ()))
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
                    if v and (
                        k not in bucket or (key in _TEXT_KEYS and lost_chars(v) < lost_chars(bucket[k]))
                    ):
                        bucket[k] = v
            elif key in _UNION_KEYS:
                keyf = _UNION_KEYS[key]
                bucket = out.setdefault(key, [])
                seen = {keyf(x) for x in bucket}
                for item in val:
                    if keyf(item) not in seen:
                        seen.add(keyf(item))
                        bucket.append(item)
            elif key in garbled:
                fallback.setdefault(key, val)
            elif key not in out:
                out[key] = val
    for key, val in fallback.items():
        out.setdefault(key, val)
    return clean_document(PatentDocument.model_validate(out))
