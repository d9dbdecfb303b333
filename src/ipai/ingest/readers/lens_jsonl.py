"""Lens.org bibliographic JSON lines (``lens-jsonl``), as in the Lens COVID-19 patent collections.

One flat object per line: ``lensId``, ``publicationKey`` (``WO_2008_155316_A1``), ``jurisdiction``,
``kindCode``, ``displayKey`` (``WO 2008/155316 A1``), ``publicationDate``, ``filingNumber``
(``EP 2008057583 W``), ``filingDate``, ``priorityFilingKeysActive`` (``GB 0711858 A 20070619``),
``earliestPriorityDate``, ``title``, ``applicants``, ``inventors``, ``owners``
(``[{name, executionDate}]``), ``docType``, ``citedByPatentCount``, ``simpleFamilySize``,
``familySize``, ``cpc/ipcr/usClassifications``, ``nplCitations``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from ipai.errors import RecordError
from ipai.ingest.base import Item, Reader, Source, build_item
from ipai.ingest.limits import RecordTooLarge, numbered_lines
from ipai.ingest.readers._biblio_export import (
    class_list,
    docref_from_key,
    earliest,
    lens_doc_type,
    lens_id,
    party_list,
    pubno_of,
    squash,
    titles,
)
from ipai.ingest.util import clean, to_int
from ipai.model import Citation, PatentDocument, parse_date


def _strings(value: Any) -> list[str]:
    """A JSON list of strings (or one string) as clean non-empty strings."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [
        c
        for c in (
            squash(v) if isinstance(v, str) else clean(v) for v in value if isinstance(v, (str, int, float))
        )
        if c
    ]


_KEY = re.compile(r'"(?:displayKey|lensId)"\s*:\s*"([^"\\]{1,80})"')  # names an oversized line


class LensJsonl(Reader):
    """Lens.org flat bibliographic records, one JSON object per line."""

    name = "lens-jsonl"
    description = "Lens.org JSON lines (lensId, publicationKey, displayKey, cpcClassifications, …)"
    priority = 40

    def sniff(self, source: Source) -> int:
        head = source.head().lstrip(b"\xef\xbb\xbf \t\r\n")
        if not head.startswith(b"{"):
            return 0
        first = head.split(b"\n", 1)[0]
        keys = (b'"lensId"', b'"publicationKey"', b'"jurisdiction"', b'"kindCode"')
        return 85 if all(k in first for k in keys) else 0

    def read(self, source: Source) -> Iterator[Item]:
        with source.open_text() as fh:
            for lineno, line in numbered_lines(fh):
                loc = f"line {lineno}"
                if isinstance(line, RecordTooLarge):
                    hint = _KEY.search(line.head)
                    yield Item(f"{loc} ({hint.group(1)})" if hint else loc, error=str(line))
                    continue
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield Item(loc, error=f"not valid JSON: {exc}")
                    continue
                if not isinstance(data, dict):
                    yield Item(loc, error="not a JSON object")
                    continue
                yield build_item(loc, lambda: self._document(data), lambda d: str(d.pubno))

    @staticmethod
    def _document(d: dict[str, Any]) -> PatentDocument:
        cc, kind = clean(d.get("jurisdiction")), clean(d.get("kindCode"))
        raw = clean(d.get("displayKey")) or clean(d.get("publicationKey"))
        if not raw:
            raise RecordError(f"no publication number (lensId {d.get('lensId')!r})")
        pubno = pubno_of(raw, cc or None, kind or None)
        filing_date = parse_date(d.get("filingDate"))
        application = docref_from_key(clean(d.get("filingNumber")))
        if application is not None and filing_date:
            application = application.model_copy(update={"date": filing_date})
        priorities = [r for r in map(docref_from_key, _strings(d.get("priorityFilingKeysActive"))) if r]
        owners = [o.get("name", "") if isinstance(o, dict) else str(o) for o in d.get("owners") or []]
        lid = lens_id(clean(d.get("lensId")), clean(d.get("url")))
        url = clean(d.get("url"))
        return PatentDocument(
            pubno=pubno,
            doc_type=lens_doc_type(pubno, d.get("docType")),
            application=application,
            priorities=priorities,
            filing_date=filing_date,
            publication_date=parse_date(d.get("publicationDate")),
            priority_date=parse_date(d.get("earliestPriorityDate")) or earliest(priorities),
            titles=titles(d.get("title")),
            classifications=class_list(
                _strings(d.get("cpcClassifications")),
                _strings(d.get("ipcrClassifications")),
                _strings(d.get("usClassifications")),
            ),
            applicants=party_list(_strings(d.get("applicants"))),
            inventors=party_list(_strings(d.get("inventors"))),
            assignees=party_list(_strings(owners)),
            citations=[Citation(kind="npl", text=t) for t in _strings(d.get("nplCitations"))],
            cited_by_count=to_int(d.get("citedByPatentCount")),
            family_size=to_int(d.get("simpleFamilySize")),
            extended_family_size=to_int(d.get("familySize")),
            ids={"lens": lid} if lid else {},
            urls=[url] if url else [],
        )
