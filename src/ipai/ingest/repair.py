"""Re-apply the text hygiene to documents already stored (``ipai repair-text``).

A store loaded before the hygiene existed (or before it learnt a new repair) holds mojibake
and garbled texts keyed as languages. Ingesting the same files again skips them (their content
hash says "done") unless ``ipai ingest --force`` re-reads them; this job needs no files: it reads
every document's stored sources, cleans each source record with
:func:`ipai.model.quality.clean_document` and writes the changed ones back through the store's
ordinary upsert, so the documents are re-merged, counted as updated and picked up by the next
search-index refresh. Sources that hold no character mojibake is made of are not even parsed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from ipai.model import PatentDocument, load_record
from ipai.model.quality import clean_document
from ipai.store import SourceRecord, Store
from ipai.text.hygiene import suspect

RepairProgress = Callable[[int, int], None]  # (documents checked, documents in the store)


@dataclass
class RepairSummary:
    """What a repair run did (``updated``: documents rewritten; with ``dry_run`` nothing is)."""

    job_id: int | None = None
    checked: int = 0
    sources_repaired: int = 0
    updated: int = 0
    garbled: int = 0  # documents that keep a quality flag after repair
    dry_run: bool = False
    seconds: float = 0.0
    examples: list[dict[str, Any]] | None = None
    index: dict[str, Any] | None = None  # the search-index refresh that followed, if any

    def to_json(self) -> dict[str, Any]:
        """The summary as a JSON-able dict."""
        return asdict(self)


def repair_stored(
    store: Store, *, dry_run: bool = False, batch: int = 500, progress: RepairProgress | None = None
) -> RepairSummary:
    """Clean every stored document's sources and rewrite those that change; returns the summary."""
    t0 = time.perf_counter()
    s = RepairSummary(dry_run=dry_run, examples=[])
    total = store.count_documents()
    s.job_id = None if dry_run else store.start_job({"repair_text": True})
    pending: list[SourceRecord] = []
    status = "failed"
    try:
        for doc_id, rows in store.iter_source_rows(batch):
            s.checked += 1
            fixed = [sr for sr in map(_repaired_source, rows) if sr is not None]
            if fixed:
                s.sources_repaired += len(fixed)
                if s.examples is not None and len(s.examples) < 20:
                    s.examples.append(_example(doc_id, rows, fixed))
                pending.extend(fixed)
            if len(pending) >= batch:
                _write(store, pending, s)
                pending = []
            if progress and s.checked % batch == 0:
                progress(s.checked, total)
        _write(store, pending, s)
        status = "done"
    finally:
        s.seconds = round(time.perf_counter() - t0, 3)
        if s.job_id is not None:
            store.finish_job(s.job_id, status if status == "done" else "interrupted", s.to_json())
    if progress:
        progress(s.checked, total)
    return s


def _repaired_source(row: dict[str, Any]) -> SourceRecord | None:
    """The source record cleaned, or ``None`` when the hygiene changes nothing in it."""
    data = row["data"]
    if not data or not suspect(data):
        return None
    rec = load_record(data)
    if not isinstance(rec, PatentDocument):
        return None
    cleaned = clean_document(rec)
    if cleaned is rec:
        return None
    return SourceRecord(
        record=cleaned,
        source=row["source"],
        format=row["format"],
        priority=row["priority"],
        file=row["file"] or "",
        locator=row["record"] or "",
    )


def _write(store: Store, records: list[SourceRecord], s: RepairSummary) -> None:
    if not records:
        return
    ids = sorted({r.record.id for r in records})
    if not s.dry_run:
        counts = store.write_batch(records, job_id=s.job_id)
        s.updated += counts.updated
    else:
        s.updated += len(ids)
    docs = store.get_documents(ids) if not s.dry_run else {r.record.id: r.record for r in records}
    s.garbled += sum(1 for d in docs.values() if isinstance(d, PatentDocument) and d.quality_flags)


def _example(doc_id: str, rows: list[dict[str, Any]], fixed: list[SourceRecord]) -> dict[str, Any]:
    """Before/after titles of a repaired document (for the summary)."""
    before: dict[str, str] = {}
    for row in rows:
        if row["source"] in {f.source for f in fixed}:
            rec = load_record(row["data"])
            before = rec.titles if isinstance(rec, PatentDocument) else {}
            break
    after = fixed[0].record
    assert isinstance(after, PatentDocument)  # _repaired_source keeps patent documents only
    return {
        "id": doc_id,
        "source": fixed[0].source,
        "titles_before": before,
        "titles_after": after.titles,
        "quality_flags": after.quality_flags,
    }
